"""Evaluate one scenario: payload of its vehicle to every target, with the delta-v budget split.

Targets are grouped by kind (orbit / C3) and by whether they state an inclination, and each group is
one vectorized call of :func:`jointmission.vehicles.performance.payload`; results are scattered back
to file order. The result is one row per target (see :data:`COLUMNS` for units) plus a vehicle
summary; :func:`run` can also write it to an output folder (:mod:`.results`).
"""

from __future__ import annotations

import datetime as _dt
import math
import platform
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd

import numpy as np

from ..scenario import Scenario
from ..vehicles.targets import Target
from ..vehicles.vehicle import LaunchVehicle

__all__ = ["RunResult", "evaluate", "COLUMNS", "TOP_LOAD_COLUMN", "status_text", "phase_column"]

#: Fixed result columns: name -> (unit, description). Phase columns ``dv_phase_<name>_km_s`` follow.
COLUMNS: dict[str, tuple[str, str]] = {
    "target": ("", "target name from the scenario"),
    "kind": ("", "'orbit' or 'c3'"),
    "perigee_km": ("km", "perigee altitude above the equatorial radius (orbit targets)"),
    "apogee_km": ("km", "apogee altitude above the equatorial radius (orbit targets)"),
    "inclination_deg": ("deg", "orbit (or parking-orbit) inclination; due east = |launch latitude| if not given"),
    "c3_km2_s2": ("km2/s2", "characteristic energy (C3 targets)"),
    "parking_km": ("km", "parking-orbit altitude (C3 targets)"),
    "payload_t": ("t", "payload mass; null where status is not 'ok'"),
    "status": ("", "'ok' or why there is no payload"),
    "dv_required_km_s": ("km/s", "ideal delta-v the vehicle must supply: orbit - rotation + losses + dog-leg + departure + finite burn"),
    "dv_orbit_km_s": ("km/s", "orbital speed / energy part of the budget"),
    "dv_rotation_km_s": ("km/s", "Earth-rotation benefit, subtracted from the requirement (negative = penalty)"),
    "dv_gravity_km_s": ("km/s", "gravity loss"),
    "dv_drag_km_s": ("km/s", "drag loss"),
    "dv_steering_km_s": ("km/s", "steering loss"),
    "dv_back_pressure_km_s": ("km/s", "atmospheric back-pressure (nozzle) loss"),
    "dv_departure_km_s": ("km/s", "departure burn from the parking orbit (C3 targets)"),
    "dv_finite_burn_km_s": ("km/s", "finite-arc loss of the apsis / departure burn"),
    "dv_dogleg_km_s": ("km/s", "yaw-steering (dog-leg) cost when the inclination is below the launch latitude"),
    "liftoff_tw": ("", "lift-off thrust-to-weight ratio with this payload"),
}

TOP_LOAD_COLUMN: tuple[str, str] = ("", "loaded fraction of the top stage's burnable propellant flown (1 = full; "
                                           "chosen per target unless the target sets top_load)")
"""Unit and description of the ``top_load`` column, after ``payload_t``."""

_DV_FIELDS = ("dv_required", "dv_orbit", "dv_rotation", "dv_gravity", "dv_drag", "dv_steering",
              "dv_back_pressure", "dv_departure", "dv_finite_burn", "dv_dogleg")


def phase_column(names: Sequence[str]) -> list[str]:
    """Column names ``dv_phase_<slug>_km_s`` for flight-phase names (slugs made unique)."""
    out: list[str] = []
    for name in names:
        slug = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "phase"
        col = f"dv_phase_{slug}_km_s"
        k = 2
        while col in out:
            col = f"dv_phase_{slug}_{k}_km_s"
            k += 1
        out.append(col)
    return out


def _km(x: float) -> str:
    """An altitude [km] with at most ~6 significant digits: ``200``, ``35,786``, ``918,269``."""
    return f"{x:,.0f}" if abs(x) < 1e6 else f"{x:,.6g}"


def target_text(row: dict) -> str:
    """Human-readable orbit or C3 of a result row, e.g. ``"200 km @ 28.5 deg"``,
    ``"185 x 35,786 km @ 27.0 deg"`` or ``"C3 -1.90 km2/s2 (park 185 km @ 28.6 deg)"``."""
    inc = row.get("inclination_deg")
    inc_txt = f" @ {inc:.1f} deg" if inc is not None else ""
    if row["kind"] == "orbit":
        per, apo = row["perigee_km"], row["apogee_km"]
        orbit = f"{_km(per)} km" if abs(per - apo) < 1e-9 else f"{_km(per)} x {_km(apo)} km"
        return orbit + inc_txt
    c3 = row["c3_km2_s2"]
    c3_txt = f"{c3:+.2f}" if abs(c3) < 1e4 else f"{c3:+.6g}"  # at most ~6 significant digits
    return f"C3 {c3_txt} km2/s2 (park {row['parking_km']:,.0f} km{inc_txt})"


def status_text(code: int) -> str:
    """Human wording of a status code (``"ok"`` for success): :func:`jointmission.core.status.status_text`."""
    from ..core.status import status_text as text

    return text(code)


@dataclass
class RunResult:
    """What :func:`run` returns.

    Attributes
    ----------
    scenario : Scenario
    vehicle : LaunchVehicle
    rows : list of dict
        One per target, keys as :attr:`columns` (floats in the units of the column names; ``None``
        where not applicable, and ``payload_t`` is ``None`` exactly when ``status != "ok"``).
    columns : list of str
        Column order; :data:`COLUMNS` then one ``dv_phase_<name>_km_s`` per flight phase.
    phase_names : list of str
        Flight-phase names (phase 0 = boosters + core, then each core stage).
    vehicle_summary : dict
        Name, origin, site, lift-off mass [t], thrust [kN], T/W, stage table rows.
    timestamp : str
        UTC ISO-8601 time of the run.
    versions : dict
        Versions of jointmission, Python and the numerical libraries.
    output_dir, files
        Where the results were written (``None`` / empty if not written).
    """

    scenario: Scenario
    vehicle: LaunchVehicle
    rows: list[dict[str, Any]]
    columns: list[str]
    phase_names: list[str]
    vehicle_summary: dict[str, Any]
    timestamp: str
    versions: dict[str, str]
    output_dir: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    transfer: Any = None
    """:class:`~jointmission.runners.transfer.TransferOutcome` of a ``transfer:`` section, or ``None``."""
    mission: Any = None
    """:class:`~jointmission.runners.mission.MissionOutcome` of a ``mission:`` section, or ``None``."""

    @property
    def table(self):
        """The results as a :class:`pyarrow.Table`; units in each field's metadata (``unit``)."""
        import pyarrow as pa

        fields, arrays = [], []
        for col in self.columns:
            values = [r.get(col) for r in self.rows]
            if col in ("target", "kind", "status"):
                typ = pa.string()
            else:
                typ = pa.float64()
                values = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
            unit, desc = COLUMNS.get(col, TOP_LOAD_COLUMN if col == "top_load" else
                                     ("km/s", "ideal delta-v delivered in this flight phase"))
            fields.append(pa.field(col, typ, metadata={"unit": unit, "description": desc}))
            arrays.append(pa.array(values, type=typ))
        meta = {
            "scenario": self.scenario.name,
            "vehicle": self.vehicle.name,
            "jointmission_version": self.versions.get("jointmission", ""),
            "timestamp": self.timestamp,
        }
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))

    def to_pandas(self) -> pd.DataFrame:
        """The results as a :class:`pandas.DataFrame` (needs pandas installed)."""
        return self.table.to_pandas()

    def payload_t(self, target: str) -> float | None:
        """Payload [t] to the target named ``target`` (``None`` if infeasible)."""
        for r in self.rows:
            if r["target"] == target:
                return r["payload_t"]
        raise KeyError(f"no target named {target!r}; targets: {', '.join(r['target'] for r in self.rows)}")

    def summary(self) -> dict[str, Any]:
        """Plain-data summary (what ``summary.json`` holds)."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "description": sc.description,
            "source": str(sc.path) if sc.path is not None else None,
            "vehicle": self.vehicle_summary,
            "targets": self.rows,
            "payloads_t": {r["target"]: r["payload_t"] for r in self.rows},
            "phase_names": self.phase_names,
            "units": {c: COLUMNS.get(c, ("km/s", ""))[0] for c in self.columns},
            "versions": self.versions,
            "timestamp": self.timestamp,
            **({"transfer_optima": self.transfer.rows()} if self.transfer is not None else {}),
            **({"mission": self.mission.rows} if self.mission is not None else {}),
        }


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("jointmission", "numpy", "scipy", "astropy", "pydantic", "pyarrow"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover
            out[pkg] = "unknown"
    return out


def vehicle_summary(vehicle: LaunchVehicle, scenario: Scenario | None = None) -> dict[str, Any]:
    """Lift-off mass [t], thrust [kN], T/W [-], site, phase names and stage table of ``vehicle``."""
    m0 = float(vehicle.liftoff_mass())
    thrust = float(vehicle.liftoff_thrust())
    out: dict[str, Any] = {
        "name": vehicle.name,
        "launch_site": vehicle.launch_site,
        "latitude_deg": math.degrees(vehicle.latitude_rad),
        "liftoff_mass_t": m0 / 1e3,
        "liftoff_thrust_kN": thrust / 1e3,
        "liftoff_t_w": float(vehicle.liftoff_thrust_to_weight()),
        "n_stages": vehicle.n_stages,
        "boosters": vehicle.boosters.count if vehicle.boosters is not None else 0,
        "stage_table": vehicle.stage_table(),
    }
    if scenario is not None:
        out["origin"] = scenario.vehicle_origin
        if scenario.catalog_name:
            out["catalog"] = scenario.catalog_name
        if scenario.overrides:
            out["overrides"] = dict(scenario.overrides)
    return out


@dataclass
class _Solved:
    """Payload solves of a run's targets, in target order: payload [kg], status code, the delta-v
    budget [m/s] (``dv[:, j]`` is ``_DV_FIELDS[j]``), lift-off thrust-to-weight and the delta-v by
    flight phase [m/s] (``phases[:, j]`` is ``phase_names[j]``)."""

    payload_kg: np.ndarray
    status: np.ndarray
    dv: np.ndarray
    liftoff_tw: np.ndarray
    top_load: np.ndarray | None = None
    phase_names: list[str] | None = None
    phases: np.ndarray | None = None


def _inc(value: float | None) -> float:
    return np.nan if value is None else value  # NaN: due east (the model's default)


def _solve_targets(vehicle: LaunchVehicle, targets: list[Target], lat: float,
                   loads: Sequence[float | str] | None = None) -> _Solved:
    """Every target's payload, one vectorized call per target kind and top-stage load (``loads[i]``:
    the ``top_load`` of target ``i``, a fraction [-] or ``"optimal"``; ``None``: the default load)."""
    from ..vehicles import performance as perf
    from ..vehicles.top_load import DEFAULT_TOP_LOAD

    n = len(targets)
    loads = [DEFAULT_TOP_LOAD] * n if loads is None else list(loads)
    out = _Solved(np.full(n, np.nan), np.zeros(n, dtype=np.int64), np.full((n, len(_DV_FIELDS)), np.nan),
                  np.full(n, np.nan), top_load=np.full(n, np.nan))
    groups: dict[tuple[str, float | str], list[int]] = {}
    for i, t in enumerate(targets):
        groups.setdefault((t.kind, loads[i]), []).append(i)
    for (kind, load), idx in groups.items():
        sel = [targets[i] for i in idx]
        inc = np.array([_inc(t.inclination_rad) for t in sel])
        if kind == "orbit":
            per = np.array([t.perigee_alt_m for t in sel])
            apo = np.array([t.perigee_alt_m if t.apogee_alt_m is None else t.apogee_alt_m for t in sel])
            target = Target.orbit(per, apo, inc)
        else:
            target = Target.c3(np.array([t.c3_m2_s2 for t in sel]), np.array([t.parking_alt_m for t in sel]), inc)
        with np.errstate(all="ignore"):  # infeasible cases are flagged in res.status
            res = perf.payload(vehicle, target, latitude_rad=lat, top_load=load)
        out.top_load[idx] = np.broadcast_to(np.asarray(res.top_load, dtype=float), (len(idx),))
        out.liftoff_tw[idx] = np.broadcast_to(np.asarray(res.liftoff_tw, dtype=float), (len(idx),))
        out.payload_kg[idx] = np.asarray(res.payload_kg, dtype=float).reshape(-1)
        out.status[idx] = np.asarray(res.status).reshape(-1)
        for j, k in enumerate(_DV_FIELDS):
            out.dv[idx, j] = np.broadcast_to(np.asarray(getattr(res, k), dtype=float), (len(idx),))
        ph = np.asarray(res.dv_phases, dtype=float).reshape(len(idx), -1)
        if out.phases is None:
            out.phase_names = list(res.phase_names)
            out.phases = np.full((n, ph.shape[-1]), np.nan)
        out.phases[idx] = ph
    return out


def _km_s(v: float) -> float | None:
    return v / 1e3 if math.isfinite(v) else None


def _target_row(t: Target, i: int, solved: _Solved, lat: float, phase_cols: list[str],
                with_load: bool = False) -> dict[str, Any]:
    """The results-table row of target ``t`` (the ``i``-th): its definition, payload, status text,
    delta-v budget and phase delta-v (km/s), lift-off T/W; with ``with_load``, the top-stage load used."""
    status, payload = solved.status, solved.payload_kg
    ok = int(status[i]) == 0 and math.isfinite(payload[i])
    row: dict[str, Any] = {"target": t.name, "kind": t.kind}
    inc_deg = math.degrees(t.inclination_rad if t.inclination_rad is not None else abs(lat))
    if t.kind == "orbit":
        row.update(perigee_km=t.perigee_alt_m / 1e3,
                   apogee_km=(t.perigee_alt_m if t.apogee_alt_m is None else t.apogee_alt_m) / 1e3,
                   inclination_deg=inc_deg, c3_km2_s2=None, parking_km=None)
    else:
        row.update(perigee_km=None, apogee_km=None, inclination_deg=inc_deg, c3_km2_s2=t.c3_m2_s2 / 1e6,
                   parking_km=t.parking_alt_m / 1e3)
    row["payload_t"] = float(payload[i]) / 1e3 if ok else None
    if with_load:
        row["top_load"] = float(solved.top_load[i]) if ok else None
    row["status"] = "ok" if ok else (status_text(status[i]) if int(status[i]) != 0 else
                                     "error: payload is not a finite number")
    for j, k in enumerate(_DV_FIELDS):
        row[f"{k}_km_s"] = _km_s(float(solved.dv[i, j]))
    tw = float(solved.liftoff_tw[i])
    row["liftoff_tw"] = tw if math.isfinite(tw) else None
    phases = solved.phases
    for j, col in enumerate(phase_cols):
        row[col] = _km_s(float(phases[i, j]) if phases is not None and j < phases.shape[1] else math.nan)
    return row


def _with_load_column(cols: list[str], with_load: bool) -> list[str]:
    """``cols`` with ``top_load`` (the top-stage load flown) after ``payload_t``."""
    if with_load:
        cols.insert(cols.index("payload_t") + 1, "top_load")
    return cols


StepProgress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: a run reports each step (``done`` of ``total`` units; a step
without finer units reports 0 of 1 when it starts and 1 of 1 when it ends)."""


def evaluate(scenario: Scenario, progress: StepProgress | None = None) -> RunResult:
    """Compute payloads for every target of ``scenario`` (no files written). See :func:`run`.

    ``progress(step, done, total)``, if given, is called as each step starts and ends (porkchop
    grid blocks, the ascent solves of the targets, the mission budgets)."""
    step = progress or (lambda name, done, total: None)
    vehicle = LaunchVehicle.from_spec(scenario.vehicle)
    lat = scenario.launch_latitude_rad
    transfer = None  # without a transfer: section (its runner, and what it imports, is not loaded)
    if scenario.transfer is not None:
        from .transfer import evaluate_transfer

        transfer = evaluate_transfer(scenario, progress)
    # a C3 target's DLA becomes its parking inclination from this launch latitude
    targets = [t.to_target().for_latitude(lat)
               for t in list(scenario.targets) + (transfer.targets if transfer is not None else [])]
    what = f"ascent and payload, {len(targets)} target{'s' if len(targets) != 1 else ''}"
    step(what, 0, 1)
    from ..vehicles.top_load import DEFAULT_TOP_LOAD

    loads = [DEFAULT_TOP_LOAD if t.top_load is None else t.top_load for t in scenario.targets]
    loads += [DEFAULT_TOP_LOAD] * (len(targets) - len(loads))  # a transfer's targets: the default load
    with_load = True  # the load flown is a result of every target (chosen by default)
    solved = _solve_targets(vehicle, targets, lat, loads)
    step(what, 1, 1)
    phase_names = solved.phase_names or list(vehicle.phase_names)
    phase_cols = phase_column(phase_names)
    rows = [_target_row(t, i, solved, lat, phase_cols, with_load) for i, t in enumerate(targets)]
    mission = None  # without a mission: section (its runner, and what it imports, is not loaded)
    if getattr(scenario, "mission", None) is not None:
        from .mission import evaluate_mission

        step("mission budgets", 0, 1)
        mission = evaluate_mission(scenario, vehicle)
        if mission is not None:
            step("mission budgets", 1, 1)
    return RunResult(
        scenario=scenario,
        vehicle=vehicle,
        rows=rows,
        columns=_with_load_column(list(COLUMNS), with_load) + phase_cols,
        phase_names=phase_names,
        vehicle_summary=vehicle_summary(vehicle, scenario),
        timestamp=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        versions=_versions(),
        transfer=transfer,
        mission=mission,
    )
