"""The Mars cargo mission flown on the transfer its objective chooses.

The phases follow the transfer:

- the window's transfer is chosen by the mission's objective
  (:func:`jointmission.interplanetary.selection.choose_transfer`): ``"landed_mass"`` (alias
  ``"most_landed"``: most cargo landed by this launcher and lander -- the whole budget is evaluated
  on every grid point), ``"dv_total"`` (least departure + capture delta-v), ``"c3"`` (least C3);
- the cruise (boil-off) lasts the chosen transfer's time of flight;
- the propulsive capture is sized from the chosen transfer's arrival speed, and the aerocapture heat
  shield from it too (:func:`jointmission.missions.entry_scaling.heatshield_fraction`);
- a transfer on the 180-degree ridge is flagged (``on_ridge``);
- the launcher's mass to each candidate transfer charges its departure declination (DLA): a DLA
  above the launch latitude is flown from a parking orbit inclined at ``|DLA|``
  (:func:`~jointmission.missions.launch.capability`).

**Most landed mass, vectorized.** :func:`launcher_table` solves every launcher's mass to a table of
(C3, |DLA|) nodes in one :func:`~jointmission.missions.launch.capability` call (6 C3 values over
30 km^2/s^2 above the window's least C3, |DLA| nodes at 0, at each launch latitude -- where the
capability's kink lies -- and 4 values up to the window's largest |DLA|); :func:`choose_by_budget`
then evaluates the mission's whole budget (:func:`~jointmission.missions.architectures.evaluate`)
on every porkchop point at once, with the capability interpolated in the table (cubic in C3; flat
in |DLA| up to the launch latitude, cubic above: within 0.02 % of the exact solve), the
capture and entry from each point's arrival speed and the boil-off from its time of flight, and
keeps the best (two local zooms refine it, :func:`~jointmission.interplanetary.selection.choose_transfer`).
The mission runner then solves the chosen transfer's capability exactly.

In 2031 the least-C3 transfer arrives at 5.52 km/s: a propulsive capture then needs more than the
joint heavy launcher delivers (no cargo), while the least-total-delta-v transfer of the same window
(10.7 km^2/s^2, 3.48 km/s) lands about 1.8 t (docs/validation.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M
from ..core.spline import cubic_weights
from ..interplanetary.selection import ChosenTransfer, Score, choose_transfer
from ..vehicles import LaunchVehicle, vehicle_arrays
from ..vehicles.targets import Target
from .architectures import build, evaluate
from .budget import Margins
from .elements import phase_value
from .entry_scaling import heatshield_fraction
from .launch import capability

__all__ = ["MARS_OBJECTIVES", "MarsCargoCase", "mars_cargo_params", "landed_mass", "landed_mass_score",
           "choose_mars_transfer", "LauncherTable", "launcher_table", "window_grid", "window_arrays", "budget_merit",
           "choose_by_budget", "BACKWARD_LAUNCH_WEIGHT_KG"]

MARS_OBJECTIVES = ("landed_mass", "most_landed", "dv_total", "c3")
"""Objectives a Mars cargo mission may choose its transfer by."""

_DAY = 86400.0
_C3_SPAN = 30e6
"""C3 span [m^2/s^2] above the window's least C3 over which the launcher curve is sampled."""
_C3_SAMPLES = 31


def mars_cargo_params(vinf_m_s: Any, cruise_days: Any, capture: str, params: dict | None = None) -> dict[str, Any]:
    """``build("mars_cargo", ...)`` parameters for a transfer arriving at ``vinf_m_s`` [m/s] after
    ``cruise_days`` [d]: capture from that speed, boil-off over that cruise and, for aerocapture, the
    heat-shield fraction scaled to that speed from the data value (or ``params['heatshield_fraction']``)."""
    p = dict(params or {})
    p.update(arrival_vinf_m_s=vinf_m_s, cruise_days=cruise_days, capture=capture)
    if capture == "aerocapture":
        ref = p.get("heatshield_fraction", phase_value("mars", "aerocapture_heatshield_fraction"))
        p["heatshield_fraction"] = heatshield_fraction(vinf_m_s, ref)
    return p


@dataclass(frozen=True)
class LauncherTable:
    """Launcher mass [kg] to a table of C3 [m^2/s^2] x |DLA| [rad] nodes, per vehicle:
    ``payload_kg`` has shape ``(vehicles, len(c3_m2_s2), len(dla_rad))`` (NaN where infeasible).
    ``kink_rad`` (per vehicle, optional): the |DLA| [rad] up to which the vehicle's capability does
    not depend on the DLA (its launch latitude: the due-east parking orbit holds the asymptote),
    a node of ``dla_rad`` when below the last node; ``None``: linear in |DLA| between the nodes."""

    c3_m2_s2: np.ndarray
    dla_rad: np.ndarray
    payload_kg: np.ndarray
    kink_rad: np.ndarray | None = None

    def _dla_weights(self, vehicle: int, dla: np.ndarray) -> np.ndarray:
        """Interpolation weights (N, len(dla_rad)) of the |DLA| nodes at ``dla`` (N,) [rad, >= 0].

        Without ``kink_rad``: linear between the two neighbouring nodes. With it: the kink node's
        value at and below the kink, and above it a cubic spline (not-a-knot) through the nodes from
        the kink up (a parabola through three, a line through two): the capability is smooth in
        |DLA| there (the parking inclination, hence the Earth-rotation benefit, varies smoothly)."""
        nodes = self.dla_rad
        w = np.zeros((dla.size, nodes.size))
        rows = np.arange(dla.size)
        if self.kink_rad is None:
            k = np.clip(np.searchsorted(nodes, dla, side="right") - 1, 0, nodes.size - 2)
            f = (dla - nodes[k]) / (nodes[k + 1] - nodes[k])
            w[rows, k] = 1.0 - f
            w[rows, k + 1] += f
            return w
        hi = np.flatnonzero(nodes >= float(self.kink_rad[vehicle]) - 1e-12)
        if hi.size == 0:  # the kink is beyond the table: flat over all of it
            w[:, 0] = 1.0
            return w
        if hi.size == 1:
            w[:, hi[0]] = 1.0
            return w
        x = np.clip(dla, nodes[hi[0]], nodes[hi[-1]])
        w[:, hi] = cubic_weights(nodes[hi], x)
        return w

    def payload(self, vehicle: int, c3_m2_s2: Any, dla_rad: Any) -> np.ndarray:
        """Mass [kg] vehicle ``vehicle`` (index) injects to C3 [m^2/s^2] with departure declination
        ``dla_rad`` [rad] (arrays broadcast): a cubic spline in C3 (payload vs C3 is smooth) at each
        |DLA| node, then in |DLA| as :meth:`_dla_weights` says (flat to the kink at the launch
        latitude, a cubic spline above it); NaN outside the table."""
        c3, dla = np.broadcast_arrays(np.asarray(c3_m2_s2, dtype=float), np.abs(np.asarray(dla_rad, dtype=float)))
        c3f, dlaf = c3.ravel(), dla.ravel()
        nodes = self.dla_rad
        at_nodes = cubic_weights(self.c3_m2_s2, c3f, extrapolate=False) @ self.payload_kg[vehicle]  # (N, nd)
        w = self._dla_weights(vehicle, np.where(np.isfinite(dlaf), dlaf, 0.0))
        with np.errstate(invalid="ignore"):
            out = np.einsum("nk,nk->n", w, at_nodes)
        out = np.where((dlaf >= nodes[0]) & (dlaf <= nodes[-1]) & np.isfinite(c3f), out, np.nan)
        return out.reshape(c3.shape)


def launcher_table(vehicles: Sequence[LaunchVehicle], c3_lo_m2_s2: float, dla_max_rad: float, *,
                   c3_span_m2_s2: float = _C3_SPAN, n_c3: int = 6, n_dla: int = 4,
                   parking_alt_m: float = DEFAULT_PARKING_ALT_M, latitude_rad: float | None = None,
                   extra: Sequence[Target] = ()) -> tuple[LauncherTable, np.ndarray]:
    """Every vehicle's mass [kg] to C3 nodes ``c3_lo_m2_s2 + [0, c3_span_m2_s2]`` [m^2/s^2] x |DLA|
    nodes up to ``dla_max_rad`` [rad] (0, each vehicle's launch latitude below it, and ``n_dla``
    values from the lowest latitude to the maximum), plus to ``extra`` targets, in one
    :func:`~jointmission.missions.launch.capability` call from ``latitude_rad`` [rad] (``None``: each
    vehicle's site). Returns the table and the extra capabilities, shape ``(vehicles, len(extra))``.

    Nodes at or below every vehicle's latitude are the due-east solve of node 0 (the same parking
    orbit: solved once). The defaults (6 C3 x 4 |DLA| values, interpolated cubic in C3 and, above
    each vehicle's latitude, cubic in |DLA|) reproduce exact solves of the joint heavy launchers to
    0.02 % over C3 +30 km^2/s^2 and |DLA| up to 71 deg (tests/missions/test_mars_objective.py); the
    earlier 11 x 5 table, linear in |DLA|, was within 0.16 % at 2.6x the solves."""
    lats = np.abs(np.array([latitude_rad if latitude_rad is not None else float(np.asarray(vehicle_arrays([v]).latitude).ravel()[0])
                            for v in vehicles], dtype=float))
    top = max(float(dla_max_rad), 1e-3)
    lo = min(float(lats.min()), top) if lats.size else 0.0
    nodes = np.unique(np.concatenate([[0.0], lats[lats < top], np.linspace(lo, top, n_dla)]))
    if nodes.size < 2:
        nodes = np.array([0.0, top])
    c3s = float(c3_lo_m2_s2) + np.linspace(0.0, float(c3_span_m2_s2), n_c3)
    # |DLA| nodes every vehicle flies due east (at or below the lowest latitude) are node 0's solve
    east = (nodes > 0.0) & (nodes <= lo)
    solved = np.flatnonzero(~east)
    targets = [Target.c3(float(c), parking_alt_m, dla_rad=float(nodes[d])) for c in c3s for d in solved]
    cap, _ = capability(list(vehicles), targets + list(extra), latitude_rad=latitude_rad)
    n = len(targets)
    kg = np.empty((len(vehicles), n_c3, nodes.size))
    kg[:, :, solved] = cap[:, :n].reshape(len(vehicles), n_c3, solved.size)
    kg[:, :, east] = kg[:, :, :1]
    return LauncherTable(c3s, nodes, kg, lats), cap[:, n:]


def window_grid(window: Any, step_days: float = 4.0, *, parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> tuple[Any, tuple[float, float]]:
    """The porkchop grid (xarray Dataset) of an Earth -> Mars departure ``window`` (a year of
    :data:`~jointmission.missions.phases.MARS_WINDOWS` or anything
    :func:`~jointmission.interplanetary.transfers.date_grid` takes), step ``step_days`` [d], capture
    into the DRA 5.0 250 km x 1 sol orbit (``missions.yaml``), and its time-of-flight range [d].
    :func:`window_arrays` gives the same grid as numpy arrays (no xarray)."""
    grid, tof = window_arrays(window, step_days, parking_alt_m=parking_alt_m)
    return grid.to_dataset(), tof


def window_arrays(window: Any, step_days: float = 4.0, *, parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> tuple[Any, tuple[float, float]]:
    """:func:`window_grid` as a :class:`~jointmission.interplanetary.porkchop_grid.PorkchopGrid`
    (numpy arrays; what the transfer choice reads) and its time-of-flight range [d]. Building the
    Dataset makes xarray import dask (~0.3 s in a fresh process), which a mission run never needs."""
    from ..interplanetary.transfers import GM_SUN, arrival_window, date_grid, porkchop_grid
    from .phases import MARS_WINDOWS

    if isinstance(window, int) and not isinstance(window, bool):
        if window not in MARS_WINDOWS:
            raise KeyError(f"no Mars window defined for {window}; defined: {sorted(MARS_WINDOWS)}")
        window = MARS_WINDOWS[window]["window"]
    jd_d = date_grid(window, step_days)
    jd_a, tof = arrival_window("earth", "mars", jd_d, None, step_days, GM_SUN)
    grid = porkchop_grid("earth", "mars", window, jd_a, step_days=step_days, park_alt_m=parking_alt_m, tof_days=tof,
                         capture_periapsis_alt_m=phase_value("mars", "parking_altitude_km") * 1e3,
                         capture_apoapsis_alt_m=phase_value("mars", "capture_apoapsis_km") * 1e3)
    return grid, tof


def window_extent(ds: Any, c3_span_m2_s2: float = _C3_SPAN) -> tuple[float, float]:
    """``(least C3 [m^2/s^2], largest |DLA| [rad] among transfers within ``c3_span_m2_s2`` of it)``
    of a porkchop grid: the extent of the launcher table its candidates need."""
    c3 = np.asarray(ds["c3_km2_s2"]) * 1e6
    ok = (np.asarray(ds["type"]) > 0) & np.isfinite(c3)
    lo = float(np.min(c3[ok]))
    near = ok & (c3 <= lo + c3_span_m2_s2)
    return lo, float(np.radians(np.max(np.abs(np.asarray(ds["dla_deg"])[near]))))


BACKWARD_LAUNCH_WEIGHT_KG = 1e9
"""Backward budgets (a required payload): the merit is ``-(launches x this + delivered mass [kg])``,
i.e. fewest heavy launches first, then least mass launched."""


def budget_merit(arch: Any, capability_kg: dict[str, Any], margins: Margins = Margins(),
                 required_payload_kg: float | None = None) -> np.ndarray:
    """Merit of an architecture's budget over cases (larger is better, NaN where infeasible):
    forward, the payload landed [kg]; backward (``required_payload_kg`` [kg], or an architecture
    with no fillable launch), ``-(heavy launches x``:data:`BACKWARD_LAUNCH_WEIGHT_KG` ``+ delivered
    mass [kg])``. ``capability_kg``: launch name -> capability [kg] per case."""
    req = required_payload_kg if required_payload_kg is not None else (None if arch.fillable else 0.0)
    with np.errstate(all="ignore"):
        res = evaluate(arch, capability_kg, margins=margins, required_payload_kg=req)
        if req is None:
            return np.where(res.status == 0, res.payload_kg, np.nan)
        delivered = sum(np.asarray(m, dtype=float) for m in res.launch_mass_kg.values())
        return np.where(res.status == 0, -(res.launches * BACKWARD_LAUNCH_WEIGHT_KG + delivered), np.nan)


def choose_by_budget(ds: Any, tof_days: tuple[float, float], table: LauncherTable, vehicle: int,
                     build_fn: Callable[[np.ndarray, np.ndarray, np.ndarray], Any],
                     fixed_capability_kg: dict[str, float] | None = None, *, margins: Margins = Margins(),
                     required_payload_kg: float | None = None, refine: bool = True,
                     assembly_kg: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> ChosenTransfer:
    """The transfer of porkchop grid ``ds`` on which the mission lands most (:func:`budget_merit`)
    for vehicle index ``vehicle`` of ``table``. ``build_fn(c3 [m^2/s^2], vinf_arrive [m/s], tof [s])``
    (1-d arrays over candidates) returns the architecture with those per-candidate values; its C3
    launches get the table's capability at each candidate's C3 and DLA, its other launches
    ``fixed_capability_kg`` [kg] (launch name -> capability). One budget evaluation per grid and per
    zoom (all candidates at once). ``assembly_kg``: launch name -> (|DLA| nodes [rad], capability
    [kg] at them) for launches to an Earth assembly orbit that must hold each candidate's departure
    asymptote (interpolated linearly in |DLA|; the nodes hold the site latitude, where the kink lies);
    such a launch's ``fixed_capability_kg`` is then not used."""
    fixed = dict(fixed_capability_kg or {})
    assembly = dict(assembly_kg or {})

    def score(c3: np.ndarray, vinf: np.ndarray, tof: np.ndarray, dla_rad: np.ndarray) -> np.ndarray:
        c3, vinf, tof, dla = (np.asarray(x, dtype=float) for x in np.broadcast_arrays(c3, vinf, tof, dla_rad))
        shape = c3.shape
        c3, vinf, tof, dla = c3.ravel(), vinf.ravel(), tof.ravel(), dla.ravel()
        ok = np.isfinite(c3) & np.isfinite(vinf) & np.isfinite(tof)
        # non-candidates (no transfer) get harmless values; their merit is masked below
        c3s, vs, ts = np.where(ok, c3, table.c3_m2_s2[0]), np.where(ok, vinf, 3e3), np.where(ok, tof, 200 * _DAY)
        arch = build_fn(c3s, vs, ts)
        caps = {}
        for ln, d in arch.deliveries.items():
            if d.kind == "c3":
                caps[ln] = np.where(ok, table.payload(vehicle, c3s, np.where(ok, dla, 0.0)), np.nan)
            elif ln in assembly:
                nodes, kg = assembly[ln]
                caps[ln] = np.where(ok, np.interp(np.abs(np.where(ok, dla, 0.0)), nodes, kg), np.nan)
            else:
                caps[ln] = np.full(c3.shape, float(fixed.get(ln, np.nan)))
        m = budget_merit(arch, caps, margins, required_payload_kg)
        return np.where(ok, m, np.nan).reshape(shape)

    return choose_transfer(ds, "score", score=score, tof_days=tof_days, refine=refine)


def _launcher_curve(vehicle: LaunchVehicle, c3_lo: float, parking_alt_m: float) -> tuple[np.ndarray, np.ndarray]:
    c3s = c3_lo + np.linspace(0.0, _C3_SPAN, _C3_SAMPLES)
    cap, _ = capability([vehicle], [Target.c3(float(c), parking_alt_m) for c in c3s])
    return c3s, cap[0]


def landed_mass(vehicle: LaunchVehicle, c3_m2_s2: Any, vinf_m_s: Any, tof_s: Any, *, capture: str = "propulsive",
                params: dict | None = None, margins: Margins = Margins(),
                parking_alt_m: float = DEFAULT_PARKING_ALT_M, capability_kg: Any = None,
                dla_rad: float | None = None) -> np.ndarray:
    """Cargo landed on Mars [kg] (NaN where infeasible) for transfers (C3 [m^2/s^2], arrival
    speed [m/s], time of flight [s]; arrays broadcast) flown by ``vehicle`` (a
    :class:`~jointmission.vehicles.LaunchVehicle`) and the ``mars_cargo`` lander.
    ``capability_kg`` (the launcher's mass to each C3) skips the launcher solve; ``dla_rad`` [rad]
    (one departure declination for all C3 values) is charged in that solve."""
    c3 = np.asarray(c3_m2_s2, dtype=float)
    if capability_kg is None:
        flat = np.unique(c3[np.isfinite(c3)])
        cap, _ = capability([vehicle], [Target.c3(float(c), parking_alt_m, dla_rad=dla_rad) for c in flat])
        capability_kg = np.interp(c3, flat, cap[0]) if flat.size else np.full(c3.shape, np.nan)
    arch = build("mars_cargo", **mars_cargo_params(vinf_m_s, np.asarray(tof_s, dtype=float) / _DAY, capture, params))
    with np.errstate(all="ignore"):
        res = evaluate(arch, {"launch": np.asarray(capability_kg, dtype=float)}, margins=margins)
    return np.where(res.status == 0, res.payload_kg, np.nan)


def landed_mass_score(vehicle: LaunchVehicle, c3_floor_m2_s2: float, *, capture: str = "propulsive", params: dict | None = None,
                      margins: Margins = Margins(), parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> Score:
    """A ``score(c3, vinf, tof)`` for :func:`~jointmission.interplanetary.selection.choose_transfer`:
    the cargo landed [kg]. The launcher's mass to C3 is solved once on 31 C3 values from
    ``c3_floor_m2_s2`` to 30 km^2/s^2 above and interpolated linearly (payload vs C3 is smooth; the
    chosen transfer is then re-evaluated exactly by :func:`choose_mars_transfer`); C3 above that span
    scores NaN."""
    c3s, caps = _launcher_curve(vehicle, c3_floor_m2_s2, parking_alt_m)

    def score(c3: np.ndarray, vinf: np.ndarray, tof: np.ndarray) -> np.ndarray:
        c3 = np.asarray(c3, dtype=float)
        cap = np.interp(c3, c3s, caps, left=np.nan, right=np.nan)
        return landed_mass(vehicle, c3, vinf, tof, capture=capture, params=params, margins=margins,
                           parking_alt_m=parking_alt_m, capability_kg=cap)

    return score


@dataclass(frozen=True)
class MarsCargoCase:
    """A Mars cargo mission on its chosen transfer: ``transfer`` (:class:`ChosenTransfer`),
    ``capture``, ``landed_kg`` [kg] (exact launcher solve; NaN if infeasible), ``cruise_days`` [d],
    ``heatshield_fraction`` [-] (aerocapture; NaN for propulsive)."""

    transfer: ChosenTransfer
    capture: str
    landed_kg: float
    cruise_days: float
    heatshield_fraction: float


def choose_mars_transfer(vehicle: LaunchVehicle, depart_window: Any, *, objective: str = "landed_mass", capture: str = "propulsive",
                         params: dict | None = None, margins: Margins = Margins(), step_days: float = 4.0,
                         parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> MarsCargoCase:
    """The Mars cargo mission of a departure window flown on the transfer ``objective`` chooses
    (one of :data:`MARS_OBJECTIVES`), with ``vehicle`` and the ``capture`` mode
    (``aerocapture``/``propulsive``). The porkchop's capture orbit is the DRA 5.0 250 km x 1 sol
    ellipse (``missions.yaml``), so ``dv_total`` is departure + that capture. ``depart_window`` as
    :func:`window_grid` takes it; grid step ``step_days`` [d]. The launcher's mass charges each
    transfer's departure declination from the vehicle's site (``landed_kg`` too)."""
    if objective not in MARS_OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(MARS_OBJECTIVES)}, got {objective!r}")
    ds, tof = window_arrays(depart_window, step_days, parking_alt_m=parking_alt_m)
    if objective in ("landed_mass", "most_landed"):
        lo, dmax = window_extent(ds)
        table, _ = launcher_table([vehicle], lo, dmax, parking_alt_m=parking_alt_m)

        def build_fn(c3, vinf, tof_s):
            return build("mars_cargo", **mars_cargo_params(vinf, tof_s / _DAY, capture, params))

        chosen = choose_by_budget(ds, tof, table, 0, build_fn, margins=margins)
    else:
        chosen = choose_transfer(ds, objective, tof_days=tof)
    landed = float(landed_mass(vehicle, chosen.c3_m2_s2, chosen.vinf_arrive_m_s, chosen.tof_s, capture=capture,
                               params=params, margins=margins, parking_alt_m=parking_alt_m, dla_rad=chosen.dla_rad))
    hs = float(mars_cargo_params(chosen.vinf_arrive_m_s, chosen.cruise_days, capture, params)
               .get("heatshield_fraction", np.nan)) if capture == "aerocapture" else float("nan")
    return MarsCargoCase(chosen, capture, landed, chosen.cruise_days, hs)
