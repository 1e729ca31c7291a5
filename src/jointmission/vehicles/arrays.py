"""THE vehicle -> arrays builder, used by single runs, sweeps and mission launchers alike.

A vehicle is first flattened into a :class:`VehicleTable` (SI values keyed by parameter path); then
:func:`build_vehicle_arrays` turns the table plus ``m`` cases of swept values into
:class:`VehicleArrays` with a leading case axis, with numpy over the cases (no Python loop over
cases: loops run over stages and engines, a handful each). A single vehicle is the one-case call of
the same builder (:func:`vehicle_arrays`, 0-d case shape).

Parameter paths (the ``keys`` of swept columns; values SI)
-----------------------------------------------------------
- ``("engines", <engine name>, <field>)``, field in :data:`~.fields.ENGINE_FIELDS`: the engine
  itself. An engine is one object shared by every stage and booster that flies it, so a change
  moves every use at once.
- ``("stages", i, "engine")`` / ``("boosters", "engine")``: which engine the stage or the boosters
  fly (a categorical trade), as a float index into that trade's candidate engines
  (:attr:`VehicleTable.trades`, given to :func:`vehicle_table`).
- ``("stages", i, "engine_count" | "m_prop" | "m_dry")``, ``("stages", 0, "throttle_during_boosters")``,
  ``("boosters", "count" | "engines_per_booster" | "m_prop" | "m_dry")`` (booster masses are per
  booster, as in the spec), the jettisoned items' ``mass`` paths (``("fairing", "mass")``,
  ``("other_jettisoned", k, "mass")``: carried by each :class:`~.vehicle.Jettison`) and
  ``("launch_site", "latitude")``.

Engine mass
-----------
A stage's (a booster's) ``m_dry`` includes its engines. When a case flies another engine, another
engine count or an engine of another mass, the dry mass changes by the engine mass difference,
``n mass - n0 mass0`` (``n0``, ``mass0``: the vehicle's own count and engine). Cases that change
none of these keep ``m_dry`` exactly.

Validity
--------
The returned ``valid`` mask is False where a swept value is outside its physical range
(:data:`~.fields.FIELDS`), where an engine breaks :func:`~.fields.engine_consistent`, or where an
engine mass needed for a dry-mass change is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..constants import G0
from ..core.rocket import Stack
from .engine import Engine, EngineArrays, engine_arrays
from .fields import ENGINE_FIELDS, FIELDS
from .recovery import recovery_reserve
from .top_stage import TOP_STAGE_FIELDS, flown_masses

__all__ = ["VehicleArrays", "VehicleTable", "vehicle_table", "build_vehicle_arrays", "vehicle_arrays"]

BOOSTERS_CARRIED = ("boosters", "carried")
"""The key of the spent boosters' burnout mass in :attr:`VehicleTable.timed` when they drop after their
burnout (:attr:`~.vehicle.Boosters.jettison_time`): not a table value but the boosters' flown burnout mass
of each case (``count`` times ``m_dry`` with residuals and recovery), which core stage 0 carries from the
boosters' burnout to that time. The booster phase then drops nothing."""


class VehicleArrays(NamedTuple):
    """Array form of one or many vehicles with the same number of stages (cases in leading axes).

    Attributes
    ----------
    stack : Stack
        Rocket-equation arrays (vacuum thrust and Isp; jettisons in dry masses).
    phase_thrust : ndarray (..., n+1)
        Vacuum thrust of each flight phase [N].
    phase_p_area : ndarray (..., n+1)
        ``p0 A_e`` of the engines burning in each phase [N].
    liftoff_thrust : ndarray (...)
        Sea-level thrust at lift-off [N].
    latitude : ndarray (...)
        Launch-site latitude [rad].
    coast_loss : ndarray (...)
        Mass the top stage loses in a parking-orbit coast before its last burn [kg] (boil-off and
        restart propellant, :meth:`~.top_stage.TopStage.coast_loss`); used for targets that coast.
        The stack's top stage already flies as flown (residuals and reserve out of its propellant,
        adapter and attitude-control propellant in its burnout mass).
    column_stage : tuple of int
        The vehicle stage (0-based) of each column of :attr:`stack` when a drop during a burn (a
        fairing jettisoned at a time, :class:`~.vehicle.Jettison`) splits a stage into segments, e.g.
        ``(0, 0, 1)``: stage 0 in two segments (the first ends at the drop and drops the item). Empty:
        one column per stage. :meth:`per_stage` sums per-phase values back to the stages.
    """

    stack: Stack
    phase_thrust: np.ndarray
    phase_p_area: np.ndarray
    liftoff_thrust: np.ndarray
    latitude: np.ndarray
    coast_loss: np.ndarray | float = 0.0
    column_stage: tuple = ()

    def per_stage(self, x: Any) -> np.ndarray:
        """Per-phase values ``x`` (..., columns + 1) summed over each stage's segments: (..., n + 1),
        phase 0 the booster phase, phase k >= 1 stage k-1 (``x`` itself when no stage is split)."""
        x = np.asarray(x)
        if not self.column_stage:
            return x
        cs = np.asarray(self.column_stage, dtype=np.intp)
        out = np.zeros(x.shape[:-1] + (int(cs.max()) + 2,), dtype=np.result_type(x, float))
        out[..., 0] = x[..., 0]
        np.add.at(np.moveaxis(out, -1, 0), cs + 1, np.moveaxis(x[..., 1:], -1, 0))
        return out


@dataclass(frozen=True)
class VehicleTable:
    """A vehicle as flat SI values keyed by parameter path (see the module docstring).

    Attributes
    ----------
    values : dict
        Key path (tuple) -> SI float (NaN for an engine value that is not given).
    engines : tuple of str
        Engine names; an engine's index is its code in ``("stages", i, "engine")`` values. The
        vehicle's own engines come first, then the candidates of engine trades.
    n_stages : int
    has_boosters : bool
    jettisons : tuple of (key path, after_stage)
        Where each mass dropped at a stage's burnout is read from and the stage whose dry mass it joins.
    trades : dict
        Engine-choice key (``("stages", 0, "engine")``) -> int array: candidate index -> engine code.
    timed : tuple of (key paths, stage, time [s])
        Masses dropped during a stage's burn, ``time`` after its ignition, in stage then time order (the
        keys of the items dropped together at that time; :data:`BOOSTERS_CARRIED` for spent boosters
        jettisoned after their burnout, in stage 0).
    """

    values: dict
    engines: tuple[str, ...]
    n_stages: int
    has_boosters: bool
    jettisons: tuple
    trades: dict = field(default_factory=dict)
    timed: tuple = ()

    @property
    def column_stage(self) -> tuple:
        """The stage of each stack column (see :attr:`VehicleArrays.column_stage`; empty: no split)."""
        if not self.timed:
            return ()
        return tuple(i for i in range(self.n_stages) for _ in range(1 + sum(1 for _, s, _ in self.timed if s == i)))

    def engine_code(self, name: str) -> int:
        """Index of engine ``name`` in :attr:`engines` (case-insensitive). Raises KeyError."""
        folded = [e.casefold() for e in self.engines]
        return folded.index(name.casefold()) if name.casefold() in folded else self._missing(name)

    def _missing(self, name: str) -> int:
        raise KeyError(f"engine {name!r} is not in this vehicle table (engines: {', '.join(self.engines)})")


def _nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


_RECOVERY_KEYS = ("dv_high", "dv_landing", "hardware")


def _recovery_values(prefix: tuple, rec: Any) -> dict:
    """Table values of a stage's or the boosters' recovery (zeros when expended): the boost-back +
    entry delta-v [m/s], the landing delta-v [m/s] and the landing hardware [kg]."""
    vals = (0.0, 0.0, 0.0) if rec is None else (float(rec.dv_high), float(rec.landing), float(rec.hardware))
    return {prefix + ("recovery", k): x for k, x in zip(_RECOVERY_KEYS, vals)}


def _recovered(c: "_Cases", prefix: tuple, e: EngineArrays, prop, dry):
    """Ascent propellant and burnout mass [kg] of the element at ``prefix`` flying engine ``e`` after
    its recovery reserve (:func:`~.recovery.recovery_reserve`) and landing hardware; unchanged (the
    same objects) when the element is expended."""
    dv_high, dv_land, hw = (c.get(prefix + ("recovery", k)) for k in _RECOVERY_KEYS)
    if not any(c.swept(prefix + ("recovery", k)) for k in _RECOVERY_KEYS) and dv_high == dv_land == hw == 0.0:
        return prop, dry
    c_vac = G0 * e.isp_vac
    with np.errstate(invalid="ignore", divide="ignore"):  # sea level: the vacuum value less p0 A_e / mdot
        c_sl = np.where(e.thrust_vac > 0, c_vac * (1.0 - e.p_area / e.thrust_vac), c_vac)
    m_land = dry + hw
    reserve = recovery_reserve(m_land, dv_high, dv_land, c_vac, c_sl)
    c.valid &= reserve < prop
    return prop - reserve, m_land + reserve


def vehicle_table(vehicle: Any, trades: Mapping[tuple, Sequence[Engine]] | None = None) -> VehicleTable:
    """Flatten a :class:`~jointmission.vehicles.vehicle.LaunchVehicle` into a :class:`VehicleTable`.

    ``trades``: engine-choice key (``("stages", 0, "engine")``, ``("boosters", "engine")``) -> the
    candidate engines of that trade, in the order of the swept indices. A candidate with the name of
    an engine the vehicle flies is the vehicle's own object (one object per engine)."""
    engines: dict[str, Engine] = dict(vehicle.engines)
    for cands in (trades or {}).values():
        for e in cands:
            engines.setdefault(e.name, e)
    names = tuple(engines)
    code = {n: float(i) for i, n in enumerate(names)}
    trade_codes = {tuple(k): np.array([int(code[e.name]) for e in cands], dtype=np.intp)
                   for k, cands in (trades or {}).items()}
    v: dict = {}
    for n, e in engines.items():
        for f in ENGINE_FIELDS:
            v[("engines", n, f)] = _nan(getattr(e, f))
    for i, s in enumerate(vehicle.stages):
        v[("stages", i, "engine")] = code[s.engine.name]
        v[("stages", i, "engine_count")] = float(s.engine_count)
        v[("stages", i, "m_prop")] = float(s.m_prop)
        v[("stages", i, "m_dry")] = float(s.m_dry)
        if i < vehicle.n_stages - 1:  # the top stage's residuals are those of vehicle.top_stage
            v[("stages", i, "residuals")] = float(getattr(s, "residuals", 0.0))
            v.update(_recovery_values(("stages", i), getattr(s, "recovery", None)))
    v[("stages", 0, "throttle_during_boosters")] = float(vehicle.stages[0].throttle_during_boosters)
    b = vehicle.boosters
    if b is not None:
        v[("boosters", "engine")] = code[b.engine.name]
        v[("boosters", "count")] = float(b.count)
        v[("boosters", "engines_per_booster")] = float(b.engines_per_booster)
        v[("boosters", "m_prop")] = float(b.m_prop)
        v[("boosters", "m_dry")] = float(b.m_dry)
        v[("boosters", "residuals")] = float(getattr(b, "residuals", 0.0))
        v.update(_recovery_values(("boosters",), getattr(b, "recovery", None)))
    jett, timed = [], []
    if b is not None and getattr(b, "jettison_time", None) is not None:  # spent boosters carried by stage 0
        timed.append((BOOSTERS_CARRIED, 0, float(b.jettison_time)))
    for j in vehicle.jettisons:
        v[tuple(j.path)] = float(j.mass)
        if getattr(j, "time", None) is None:
            jett.append((tuple(j.path), int(j.after_stage)))
        else:
            timed.append((tuple(j.path), int(j.after_stage), float(j.time)))
    groups: dict = {}  # items dropped together (same stage, same time): one segment boundary
    for key, stage, time in timed:
        groups.setdefault((stage, time), []).append(key)
    timed = sorted((tuple(keys), stage, time) for (stage, time), keys in groups.items())
    timed.sort(key=lambda x: (x[1], x[2]))
    v[("launch_site", "latitude")] = float(vehicle.latitude_rad)
    ts = getattr(vehicle, "top_stage", None)
    for f in TOP_STAGE_FIELDS:
        v[("top_stage", f)] = float(getattr(ts, f)) if ts is not None else 0.0
    return VehicleTable(values=v, engines=names, n_stages=vehicle.n_stages, has_boosters=b is not None,
                        jettisons=tuple(jett), trades=trade_codes, timed=tuple(timed))


class _Cases:
    """Values of ``m`` cases: swept columns by key, the table's values elsewhere; validity."""

    def __init__(self, table: VehicleTable, keys, values: np.ndarray):
        self.table = table
        self.m = values.shape[0]
        self.cols = {tuple(k): values[:, j] for j, k in enumerate(keys)}
        self.valid = np.ones(self.m, dtype=bool)
        for k, col in self.cols.items():  # swept values outside their physical range: invalid input
            if k[-1] in FIELDS:
                self.valid &= FIELDS[k[-1]].ok(col)
            elif k[-1] == "engine":  # candidate index -> engine code
                cands = table.trades[k]
                ok = (col >= 0) & (col < len(cands)) & (col == np.round(col))
                self.valid &= ok
                self.cols[k] = cands[np.where(ok, col, 0).astype(np.intp)]
        self._engines: dict[int, tuple[EngineArrays, Any]] = {}

    def get(self, key):
        return self.cols[key] if key in self.cols else self.table.values[key]

    def swept(self, key) -> bool:
        return key in self.cols

    def engine(self, idx: int) -> tuple[EngineArrays, Any]:
        """(EngineArrays, mass [kg]) of engine ``idx`` for the cases (computed once per engine)."""
        if idx not in self._engines:
            name = self.table.engines[idx]
            g = lambda f: self.get(("engines", name, f))  # noqa: E731
            ea = engine_arrays(g("thrust_vac"), g("isp_vac"), g("thrust_sl"), g("isp_sl"))
            self._engines[idx] = (ea, g("mass"))
        return self._engines[idx]

    def holder_engine(self, prefix: tuple, count_key: tuple, dry_key: tuple):
        """Engine quantities of the stage / boosters at ``prefix`` and its dry mass including the
        engine-mass change: ``(EngineArrays, valid, dry [kg])``."""
        code_key = prefix + ("engine",)
        base_idx = int(self.table.values[code_key])
        ea0, mass0_case = self.engine(base_idx)
        mass0 = self.table.values[("engines", self.table.engines[base_idx], "mass")]
        n0 = self.table.values[count_key]
        n = self.get(count_key)
        dry = self.get(dry_key)
        if not self.swept(code_key):
            ea, mass = ea0, mass0_case
        else:  # a categorical trade: gather each case's engine
            code = np.where(self.valid, self.cols[code_key], base_idx).astype(np.intp)
            used = np.unique(code)
            parts = [self.engine(int(i)) for i in used]
            pos = np.searchsorted(used, code)
            rows = np.arange(self.m)
            ea = EngineArrays(*(np.stack([np.broadcast_to(p[0][f], (self.m,)) for p in parts])[pos, rows]
                                for f in range(len(EngineArrays._fields))))
            mass = np.stack([np.broadcast_to(np.asarray(p[1], dtype=float), (self.m,)) for p in parts])[pos, rows]
        changes = self.swept(code_key) or self.swept(count_key) or \
            self.swept(("engines", self.table.engines[base_idx], "mass"))
        if changes:
            with np.errstate(invalid="ignore"):
                mass = np.asarray(mass, dtype=float)
                same = (np.asarray(n) == n0) & ((mass == mass0) | (np.isnan(mass) & math.isnan(mass0)))
                delta = np.where(same, 0.0, n * mass - n0 * mass0)
            self.valid &= np.isfinite(delta)
            dry = dry + np.where(np.isfinite(delta), delta, 0.0)
        return ea, dry


def build_vehicle_arrays(table: VehicleTable, keys=(), values: np.ndarray | None = None
                         ) -> tuple[VehicleArrays, np.ndarray]:
    """Vehicle arrays of ``m`` cases: ``values`` (m, len(keys)) [SI] replace the table's values at
    ``keys`` (parameter paths, see the module docstring).

    Returns ``(VehicleArrays with a leading case axis of length m, valid (m,))``; ``valid`` is False
    where a case is outside the physical ranges (see the module docstring). Masses <= 0 and Isp <= 0
    are also flagged by :func:`jointmission.core.payload.solve_payload` as ``INVALID_INPUT``.
    """
    if values is None:
        values = np.zeros((1, 0))
    values = np.asarray(values, dtype=float)
    c = _Cases(table, keys, values)
    m = c.m
    thrust_vac, isp, f_sea, p_loss, m_prop, m_dry = [], [], [], [], [], []
    for i in range(table.n_stages):  # loop over stages (fixed, small), not cases
        cnt_key = ("stages", i, "engine_count")
        e, dry = c.holder_engine(("stages", i), cnt_key, ("stages", i, "m_dry"))
        cnt = c.get(cnt_key)
        c.valid &= e.consistent
        thrust_vac.append(cnt * e.thrust_vac)
        isp.append(e.isp_vac)
        f_sea.append(cnt * e.thrust_sea)
        p_loss.append(cnt * e.p_area)
        prop = c.get(("stages", i, "m_prop"))
        if i == table.n_stages - 1:  # the top stage as flown (see .top_stage)
            t = lambda f: c.get(("top_stage", f))  # noqa: E731
            prop, dry = flown_masses(prop, dry, t("residuals"), t("flight_performance_reserve"),
                                     t("payload_adapter"), t("attitude_control_propellant"))
            loaded = c.get(("stages", i, "m_prop"))
            coast_loss = t("boiloff_per_hour") * loaded * t("coast_time") / 3600.0 + t("restart_propellant")
        else:  # unusable residuals stay in the stage and leave with it, as does a recovery reserve
            prop, dry = flown_masses(prop, dry, c.get(("stages", i, "residuals")), 0.0, 0.0, 0.0)
            prop, dry = _recovered(c, ("stages", i), e, prop, dry)
        m_prop.append(prop)
        for key, after in table.jettisons:
            if after == i:
                dry = dry + c.get(key)
        m_dry.append(dry)

    def col(xs):
        if all(np.ndim(x) == 0 for x in xs):  # not swept: one row shared by every case (read-only view)
            return np.broadcast_to(np.array([float(x) for x in xs]), (m, len(xs)))
        out = np.empty((m, len(xs)), order="F")  # column-major: each stage's column is contiguous
        for k, x in enumerate(xs):  # loop over stages
            out[:, k] = x
        return out

    tau = np.broadcast_to(np.asarray(c.get(("stages", 0, "throttle_during_boosters")), dtype=float), (m,))
    if table.has_boosters:
        epb_key = ("boosters", "engines_per_booster")
        eb, dry_each = c.holder_engine(("boosters",), epb_key, ("boosters", "m_dry"))
        count = c.get(("boosters", "count"))
        b_prop, dry_each = flown_masses(c.get(("boosters", "m_prop")), dry_each, c.get(("boosters", "residuals")),
                                        0.0, 0.0, 0.0)
        b_prop, dry_each = _recovered(c, ("boosters",), eb, b_prop, dry_each)
        n_eng = count * c.get(epb_key)
        c.valid &= eb.consistent
        kw = dict(booster_isp=eb.isp_vac, booster_thrust=n_eng * eb.thrust_vac,
                  booster_m_prop=count * b_prop, booster_m_dry=count * dry_each,
                  core_throttle=tau)
        carried = {}
        if any(BOOSTERS_CARRIED in keys for keys, _, _ in table.timed):  # dropped after their burnout
            carried[BOOSTERS_CARRIED] = kw["booster_m_dry"]
            kw["booster_m_dry"] = 0.0
        kw = {k: np.broadcast_to(np.asarray(x, dtype=float), (m,)) for k, x in kw.items()}
        f0 = n_eng * eb.thrust_vac + tau * thrust_vac[0]
        p0 = n_eng * eb.p_area + p_loss[0]
        lift = n_eng * eb.thrust_sea + tau * f_sea[0]
    else:
        kw, carried = {}, {}
        f0, p0, lift = 0.0, 0.0, f_sea[0]
    if table.timed:  # drops during a burn: the stage in segments (one column each)
        t_boost = 0.0
        if table.has_boosters:
            with np.errstate(divide="ignore", invalid="ignore"):
                t_boost = kw["booster_m_prop"] * G0 * eb.isp_vac / kw["booster_thrust"]
        isp, thrust_vac, p_loss, m_prop, m_dry = _segments(c, table, isp, thrust_vac, p_loss, m_prop, m_dry, tau,
                                                           t_boost, carried)
    stack = Stack(isp=col(isp), thrust=col(thrust_vac), m_prop=col(m_prop), m_dry=col(m_dry), **kw)
    lat = np.broadcast_to(np.asarray(c.get(("launch_site", "latitude")), dtype=float), (m,))
    va = VehicleArrays(
        stack=stack,
        phase_thrust=col([f0] + thrust_vac),
        phase_p_area=col([p0] + p_loss),
        liftoff_thrust=np.broadcast_to(np.asarray(lift, dtype=float), (m,)).copy(),
        latitude=lat.copy(),
        coast_loss=np.broadcast_to(np.asarray(coast_loss, dtype=float), (m,)).copy(),
        column_stage=table.column_stage,
    )
    return va, np.broadcast_to(c.valid, (m,)).copy()


def _segments(c: "_Cases", table: VehicleTable, isp, thrust, p_loss, m_prop, m_dry, tau, t_boost, carried=None):
    """Per-column lists (:attr:`VehicleTable.column_stage`) of the per-stage lists ``isp``, ``thrust``,
    ``p_loss``, ``m_prop`` (burnable) and ``m_dry`` (burnout mass with the burnout drops) [SI]: a stage
    with items dropped during its burn (:attr:`VehicleTable.timed`, ``time`` after its ignition) becomes
    one segment per drop, burning the propellant used until that drop and dropping the item as its
    "dry" mass, then a last segment with the rest and the stage's own burnout mass. Stage 0 burns at
    throttle ``tau`` while the boosters burn (``t_boost`` [s]), so its segments follow that profile; a
    drop inside the booster phase or after the stage's burnout makes the case invalid (``c.valid``).
    ``carried``: masses [kg] of keys that are not table values (:data:`BOOSTERS_CARRIED`)."""
    carried = carried or {}
    out = ([], [], [], [], [])
    for i in range(table.n_stages):
        mdot = thrust[i] / (G0 * isp[i])
        used = 0.0
        for keys, stage, time in table.timed:
            if stage != i:
                continue
            if i == 0 and table.has_boosters:
                burned = tau * mdot * np.minimum(time, t_boost) + mdot * np.maximum(time - t_boost, 0.0)
                c.valid &= time > t_boost  # the booster phase is one segment of the rocket equation
            else:
                burned = mdot * time
            piece = burned - used
            c.valid &= (piece > 0) & (burned < m_prop[i])
            for lst, x in zip(out, (isp[i], thrust[i], p_loss[i], piece, sum(carried[k] if k in carried else c.get(k) for k in keys))):
                lst.append(x)
            used = burned
        for lst, x in zip(out, (isp[i], thrust[i], p_loss[i], m_prop[i] - used, m_dry[i])):
            lst.append(x)
    return out


def _case(va: VehicleArrays, k: int) -> VehicleArrays:
    """Case ``k`` of a one-case-axis :class:`VehicleArrays` (0-d case shape)."""
    st = va.stack
    stack = Stack(*(np.asarray(x)[k] if np.ndim(x) else x for x in st))
    return VehicleArrays(stack, va.phase_thrust[k], va.phase_p_area[k], va.liftoff_thrust[k], va.latitude[k],
                         np.asarray(va.coast_loss)[k] if np.ndim(va.coast_loss) else va.coast_loss, va.column_stage)


def vehicle_arrays(vehicles) -> VehicleArrays:
    """Array form of a vehicle (0-d case shape: the one-case call of :func:`build_vehicle_arrays`),
    or of a sequence of vehicles with equal stage counts stacked along a leading case axis (for one
    vectorized payload call over several launchers)."""
    if hasattr(vehicles, "stages"):
        va, _ = build_vehicle_arrays(vehicle_table(vehicles))
        return _case(va, 0)
    parts = [vehicle_arrays(v) for v in vehicles]
    if len({p.stack.n_stages for p in parts}) > 1 or len({p.column_stage for p in parts}) > 1:
        raise ValueError("vehicle_arrays: all vehicles must have the same number of stages, and the same stages "
                         "split by drops during a burn (fairing jettison times)")
    st = Stack(*(np.stack([np.broadcast_to(np.asarray(getattr(p.stack, f), dtype=float),
                                           np.shape(getattr(parts[0].stack, f))) for p in parts])
                 for f in Stack._fields))
    return VehicleArrays(
        stack=st,
        phase_thrust=np.stack([p.phase_thrust for p in parts]),
        phase_p_area=np.stack([p.phase_p_area for p in parts]),
        liftoff_thrust=np.stack([p.liftoff_thrust for p in parts]),
        latitude=np.stack([p.latitude for p in parts]),
        coast_loss=np.stack([np.asarray(p.coast_loss, dtype=float) for p in parts]),
        column_stage=parts[0].column_stage,
    )
