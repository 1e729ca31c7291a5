"""Resolution of a scenario's ``sweep:`` section (:class:`~.sweep_spec.SweepSpec`) into a
:class:`~.sweep_spec.ResolvedSweep`: every parameter path checked against the resolved vehicle and
the ``mission:`` section, values converted to SI and checked against the field's physical range,
grid axes / zip columns / distributions built. Errors name file, line and path."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ..units import UnitError, to_si
from .errors import PathKey, SourceContext, format_path
from .mission_spec import MAX_REQUIRED_PAYLOAD_KG, REQUIRED_PAYLOAD_WHY
from ._base import suggest
from .sweep_spec import (MAX_AXIS_POINTS, MAX_CASES, MISSION_FIELDS, MISSION_OPEN_HI, MISSION_QUANTITIES,
                         PATH_PREFIXES, SWEEPABLE_FIELDS, LognormalDist, NormalDist, ParamInfo, RangeSpec,
                         ResolvedSweep, SampledSpec, SweepSpec, UniformDist, _ppf, result_columns)

__all__ = ["resolve_sweep"]

# ------------------------------------------------------------------------------------ resolution
def resolve_sweep(spec: SweepSpec, data: dict, vehicle_spec: Any, ctx: SourceContext, *,
                  mission: Any = None) -> ResolvedSweep:
    """Check ``spec``'s parameter paths and values against ``vehicle_spec`` (the resolved
    :class:`~jointmission.vehicles.spec.VehicleSpec`) and ``mission`` (the ``mission:`` section's
    ``MissionSpec``, for ``mission.margins.*`` and ``mission.required_payload``); return a
    :class:`ResolvedSweep`.

    Raises :class:`ScenarioError` naming file, line and path for an unknown or non-sweepable path,
    a value with a wrong unit or outside the field's physical range, zip lists of unequal lengths.
    """
    kind = spec.kind
    raw = data.get("sweep", {})
    _check_sweep_targets(data, ctx, mission)
    section: tuple[PathKey, ...] = ("sweep", kind) if kind in ("grid", "zip") else ("sweep", kind, "parameters")
    entries = getattr(spec, kind) if kind in ("grid", "zip") else getattr(spec, kind).parameters
    params = [_param(path, section + (path,), vehicle_spec, ctx, mission) for path in entries]

    if spec.objectives:
        names = [str(t.get("name")) for t in data.get("targets", []) if isinstance(t, dict)]
        allowed = [c for c, _ in result_columns([p.path for p in params], names) if not c.startswith(("case", "status["))]
        for col in spec.objectives:
            if mission is not None and (col.startswith("mission_") or "[delivery: " in col):
                continue  # mission columns are named by architecture variant: checked by the runner
            if _transfer_column(col, data):
                continue  # a transfer optimum's target (named after its year): checked by the runner
            if col not in allowed:
                raise ctx.fail(("sweep", "objectives", col),
                               f"unknown objective column '{col}'; objectives are result columns: "
                               f"{', '.join(allowed)}{suggest(col, allowed)}")
    common = dict(losses=spec.losses, loss_check=spec.loss_check, chunk_size=spec.chunk_size,
                  objectives=tuple(spec.objectives.items()) if spec.objectives else None, raw=raw)
    if kind == "grid":
        axes = []
        for p, (path, value) in zip(params, entries.items()):
            where = section + (path,)
            if isinstance(value, RangeSpec):
                vals = _range(p, value, where, ctx)
            else:
                if not value:
                    raise ctx.fail(where, "a grid axis needs at least one value")
                vals = np.array([_value(p, v, where + (i,), ctx) for i, v in enumerate(value)])
            _check_values(p, vals, where, ctx)
            if np.unique(vals).size != vals.size:  # results.nc would have one coordinate twice
                raise ctx.fail(where, f"'{path}': a grid axis needs distinct values, got "
                                      f"{', '.join(f'{v / p.scale:g}' for v in vals[:8])}")
            axes.append(vals)
        n = int(np.prod([len(a) for a in axes], dtype=object))
        if n > MAX_CASES:
            raise ctx.fail(section, f"the grid has {n:,} cases ({' x '.join(f'{len(a):,}' for a in axes)}); a sweep "
                                    f"may have at most {MAX_CASES:,} cases: use fewer points per axis")
        return ResolvedSweep(kind, tuple(params), n, axes=tuple(axes), **common)
    if kind == "zip":
        cols, n0 = [], None
        for p, (path, value) in zip(params, entries.items()):
            where = section + (path,)
            if not value:
                raise ctx.fail(where, "a zip list needs at least one value")
            if n0 is not None and len(value) != n0:
                first = next(iter(entries))
                raise ctx.fail(where, f"zip lists must have equal lengths: '{path}' has {len(value)} "
                                      f"values, '{first}' has {n0}")
            n0 = len(value)
            vals = np.array([_value(p, v, where + (i,), ctx) for i, v in enumerate(value)])
            _check_values(p, vals, where, ctx)
            cols.append(vals)
        return ResolvedSweep(kind, tuple(params), int(n0), columns=tuple(cols), **common)

    sampled: SampledSpec = getattr(spec, kind)
    dists = []
    for p, (path, dist) in zip(params, sampled.parameters.items()):
        where = section + (path,)
        if p.integer:
            raise ctx.fail(where, f"'{path}' is a count (an integer); sweep it with 'grid' or 'zip', "
                                  "not with a continuous distribution")
        dists.append(_dist(p, dist, where, ctx))
    return ResolvedSweep(kind, tuple(params), int(sampled.samples), dists=tuple(dists), seed=int(sampled.seed),
                         **common)


def _transfer_column(col: str, data: dict) -> bool:
    """``col`` is a result column of a target the ``transfer:`` section adds (``payload: true``)."""
    from .transfer_spec import GENERATED_NAME

    tr = data.get("transfer")
    if not (isinstance(tr, dict) and tr.get("payload", True) is not False):
        return False
    head, _, rest = col.partition("[")
    return head in ("payload_t", "dv_required_km_s") and rest.endswith("]") and bool(GENERATED_NAME.match(rest[:-1]))


def _check_sweep_targets(data: dict, ctx: SourceContext, mission: Any) -> None:
    """What a sweep flies must be nameable in its result columns: target names unique also as
    NetCDF variable / figure names, none of the names the mission section's deliveries take, and
    something to fly at all."""
    def slug(text: str) -> str:  # the variable/file-name rule of runners.analysis.slug (not importable here)
        return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()

    tr = data.get("transfer")
    flies_transfer = isinstance(tr, dict) and tr.get("payload", True) is not False
    targets = [t for t in (data.get("targets") or []) if isinstance(t, dict)]
    if not targets and mission is None and not flies_transfer:
        raise ctx.fail(("sweep",), "this sweep has nothing to fly: give 'targets', a 'mission:' section or a "
                                   "'transfer:' section with 'payload: true'")
    if mission is not None and getattr(mission, "launchers", None):
        raise ctx.fail(("mission", "launchers"), "a sweep flies the scenario's vehicle (varied by vehicle.* "
                                                 "paths), not mission.launchers; remove 'launchers' or the sweep")
    seen: dict[str, tuple[int, str]] = {}
    for i, t in enumerate(targets):
        name = str(t.get("name"))
        if mission is not None and name.startswith("delivery: "):
            raise ctx.fail(("targets", i, "name"), f"target name '{name}' is reserved for the mission's "
                                                   "launch deliveries in a sweep; rename this target")
        key = slug(name)
        if key in seen:
            j, other = seen[key]
            raise ctx.fail(("targets", i, "name"),
                           f"target names '{other}' (targets[{j}]) and '{name}' give the same name '{key}' in "
                           "results.nc and the figure files of a sweep; rename one of them")
        seen[key] = (i, name)


def _mission_param(path: str, rest: str, where: tuple, mission: Any, ctx: SourceContext) -> ParamInfo:
    from .vehicle_ref import parse_override_path

    if mission is None:
        raise ctx.fail(where, f"'{path}': this scenario has no 'mission:' section to sweep")
    if getattr(mission, "launchers", None):
        raise ctx.fail(where, f"'{path}': a sweep flies the scenario's vehicle; remove 'mission.launchers' "
                              "(sweep the vehicle with vehicle.* paths instead)")
    try:
        keys = parse_override_path(rest)
    except ValueError as exc:
        raise ctx.fail(where, str(exc).replace("override path", "parameter path")) from None
    if keys not in MISSION_FIELDS and keys not in MISSION_QUANTITIES:
        allowed = ["mission." + ".".join(k) for k in (*MISSION_FIELDS, *MISSION_QUANTITIES)]
        raise ctx.fail(where, f"'{path}' is not a sweepable mission parameter; sweepable: {', '.join(allowed)}"
                              f"{suggest(path, allowed)}")
    if keys in MISSION_QUANTITIES:
        si_kind, _, unit, _ = MISSION_QUANTITIES[keys]
        value = getattr(mission, keys[0])
        # no scalar required_payload (forward mode): no nominal value (distributions must give theirs)
        nominal = float("nan") if value is None else float(value)
        return ParamInfo(path=path, keys=tuple(keys), kind=si_kind, unit=unit, scale=to_si(1.0, si_kind, unit),
                         nominal=nominal, prefix="mission")
    nominal = float(getattr(getattr(mission, keys[0]), keys[1]))
    return ParamInfo(path=path, keys=tuple(keys), kind="dimensionless", unit="", scale=1.0, nominal=nominal,
                     prefix="mission")


def _param(path: str, where: tuple, vehicle_spec: Any, ctx: SourceContext, mission: Any = None) -> ParamInfo:
    from .vehicle_ref import parse_override_path

    head, _, rest = path.partition(".")
    if head not in PATH_PREFIXES or not rest:
        raise ctx.fail(where, f"unknown parameter path '{path}'; a path starts with one of "
                              f"{', '.join(p + '.' for p in PATH_PREFIXES)} as in "
                              f"'vehicle.stages[0].engine.isp_vac'{suggest(head, list(PATH_PREFIXES))}")
    if PATH_PREFIXES[head] is None:
        raise ctx.fail(where, f"'{path}': {head}.* parameters cannot be swept yet (no vectorized "
                              f"{head} evaluator is registered for sweeps); sweep vehicle.* parameters")
    if head == "mission":
        return _mission_param(path, rest, where, mission, ctx)
    try:
        keys = parse_override_path(rest)
    except ValueError as exc:
        raise ctx.fail(where, str(exc).replace("override path", "parameter path")) from None
    cur: Any = vehicle_spec
    for depth, key in enumerate(keys):
        so_far = ("vehicle",) + keys[: depth + 1]
        if isinstance(key, int):
            if not isinstance(cur, (list, tuple)):
                raise ctx.fail(where, f"'{path}': '{format_path(so_far[:-1])}' is not a list")
            if key >= len(cur):
                raise ctx.fail(where, f"'{path}': index {key} is out of range ('{format_path(so_far[:-1])}' has "
                                      f"{len(cur)} entries, indices 0 to {len(cur) - 1})")
            cur = cur[key]
            continue
        fields = list(type(cur).model_fields) if hasattr(type(cur), "model_fields") else []
        if key not in fields:
            if isinstance(cur, str):
                reason = (f"'{format_path(so_far[:-1])}' is the engine name '{cur}', not resolved; "
                          "use a catalog vehicle or an inline engine mapping")
            else:
                reason = f"unknown key '{key}' in '{format_path(so_far[:-1])}'{suggest(str(key), fields)}"
            raise ctx.fail(where, f"unknown parameter path '{path}': {reason}")
        nxt = getattr(cur, key)
        if nxt is None and depth < len(keys) - 1:
            raise ctx.fail(where, f"unknown parameter path '{path}': this vehicle has no "
                                  f"'{format_path(so_far)}'")
        if depth == len(keys) - 1:
            if key not in SWEEPABLE_FIELDS:
                raise ctx.fail(where, f"'{path}' is not a sweepable number; sweepable fields are "
                                      f"{', '.join(SWEEPABLE_FIELDS)}{suggest(str(key), list(SWEEPABLE_FIELDS))}")
            if key == "throttle_during_boosters" and keys[:2] != ("stages", 0):
                raise ctx.fail(where, f"'{path}': only stages[0] has a booster-phase throttle")
            if nxt is None:
                if key == "throttle_during_boosters":
                    nxt = 1.0
                else:
                    raise ctx.fail(where, f"'{path}': this vehicle has no '{format_path(so_far)}' value "
                                          "to sweep (set it in the vehicle first)")
            if key == "latitude" and keys != ("launch_site", "latitude"):
                raise ctx.fail(where, f"'{path}': the only latitude is vehicle.launch_site.latitude")
        cur = nxt
    si_kind, _, unit, rule = SWEEPABLE_FIELDS[keys[-1]]
    scale = to_si(1.0, si_kind, unit) if unit else 1.0
    return ParamInfo(path=path, keys=tuple(keys), kind=si_kind, unit=unit, scale=scale,
                     nominal=float(cur), integer=rule == "integer")


def _rule(p: ParamInfo) -> tuple[str, str, str, str]:
    """(to_si kind, default unit, display unit, rule) of a parameter."""
    if p.prefix == "mission":
        return MISSION_QUANTITIES.get(p.keys, ("dimensionless", "", "", "mission"))
    return SWEEPABLE_FIELDS[p.keys[-1]]


def _value(p: ParamInfo, v: Any, where: tuple, ctx: SourceContext) -> float:
    si_kind, default, _, rule = _rule(p)
    if rule == "integer":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer() or v < 1:
            raise ctx.fail(where, f"'{p.path}' is a count: values must be integers >= 1, got {v!r}")
        return float(v)
    if isinstance(v, float) and not math.isfinite(v):
        raise ctx.fail(where, f"'{p.path}': values must be finite, got {v!r}")
    try:
        return to_si(v, si_kind, default)
    except UnitError as exc:
        if rule == "mission":  # the unit error of a dimensionless value reads badly ("converted to ;")
            raise ctx.fail(where, f"'{p.path}': expected a fraction such as '5 %' or 0.05, got {v!r}") from None
        if rule == "required_payload":
            raise ctx.fail(where, f"'{p.path}': expected a mass such as '20 t' or '20000 kg': {exc}") from None
        raise ctx.fail(where, f"'{p.path}': {exc}") from None


def _check_values(p: ParamInfo, vals: np.ndarray, where: tuple, ctx: SourceContext) -> None:
    rule = _rule(p)[3]
    bad = None
    if rule == "mission":
        lo, hi = MISSION_FIELDS[p.keys]
        if p.keys in MISSION_OPEN_HI:
            bad = vals[~((vals >= lo) & (vals < hi))]
            words = f"a fraction of at least {lo * 100:g} % and below {hi * 100:g} % (e.g. '1 %')"
        else:
            bad = vals[~((vals >= lo) & (vals <= hi))]
            words = f"a fraction between {lo * 100:g} % and {hi * 100:g} % (e.g. '5 %')"
    tail = ""
    if rule == "required_payload":  # the bound of the scalar mission.required_payload (mission_spec)
        bad = vals[~((vals >= 0) & (vals <= MAX_REQUIRED_PAYLOAD_KG))]  # as the scalar: 0 t = the bare mission
        words = f"a mass of 0 to {MAX_REQUIRED_PAYLOAD_KG / p.scale:,g} {p.unit} (e.g. '20 t')"
        if bad.size and bad[0] > MAX_REQUIRED_PAYLOAD_KG:
            tail = f" ({REQUIRED_PAYLOAD_WHY})"
    if rule in ("positive", "integer"):
        bad = vals[~(vals > 0)]
        words = "positive"
    elif rule == "fraction":
        bad = vals[~((vals > 0) & (vals <= 1))]
        words = "in (0, 1]"
    elif rule == "latitude":
        bad = vals[~(np.abs(vals) <= math.pi / 2)]
        words = "between -90 and 90 deg"
    if bad is not None and bad.size:
        shown = bad[0] / p.scale
        raise ctx.fail(where, f"'{p.path}' must be {words}, got {shown:g}{' ' + p.unit if p.unit else ''}{tail}")


def _range(p: ParamInfo, r: RangeSpec, where: tuple, ctx: SourceContext) -> np.ndarray:
    start = _value_cont(p, r.start, where + ("start",), ctx)
    stop = _value_cont(p, r.stop, where + ("stop",), ctx)
    if r.num is not None:
        vals = np.linspace(start, stop, r.num)
    else:
        step = _value_cont(p, r.step, where + ("step",), ctx)
        if step == 0 or (stop - start) * step < 0:
            raise ctx.fail(where + ("step",), f"'{p.path}': step must be non-zero and point from start to stop")
        n = int(math.floor((stop - start) / step * (1 + 1e-12) + 1e-9)) + 1
        if n > MAX_AXIS_POINTS:
            raise ctx.fail(where, f"'{p.path}': the range has {n} points (at most {MAX_AXIS_POINTS:,} per axis)")
        vals = start + step * np.arange(n)
    if p.integer:
        if not np.all(np.isclose(vals, np.round(vals), rtol=0, atol=1e-9)):
            raise ctx.fail(where, f"'{p.path}' is a count: the range must give integers, got "
                                  f"{', '.join(f'{v:g}' for v in vals[:4])}...")
        vals = np.round(vals)
    return vals


def _value_cont(p: ParamInfo, v: Any, where: tuple, ctx: SourceContext) -> float:
    if p.integer:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ctx.fail(where, f"'{p.path}' is a count: expected a number, got {v!r}")
        return float(v)
    return _value(p, v, where, ctx)


def _dist(p: ParamInfo, d: Any, where: tuple, ctx: SourceContext) -> tuple[str, tuple[float, ...]]:
    def val(name: str, default: float | None = None) -> float:
        v = getattr(d, name)
        if v is None:
            if default is not None and not math.isfinite(default):  # e.g. no scalar mission.required_payload
                raise ctx.fail(where, f"'{p.path}': give '{name}' (this scenario sets no value of "
                                      f"'{p.path}' for it to default to)")
            return float(default)
        return _value(p, v, where + (name,), ctx)

    def spread(name: str) -> float:
        """A width (std): same unit as the parameter, may not be negative."""
        v = getattr(d, name)
        si_kind, default, _, _ = _rule(p)
        try:
            s = to_si(v, si_kind, default)
        except UnitError as exc:
            raise ctx.fail(where + (name,), f"'{p.path}': {exc}") from None
        if not s > 0:
            raise ctx.fail(where + (name,), f"'{p.path}': {name} must be positive, got {v!r}")
        return s

    if isinstance(d, NormalDist):
        args = (val("mean", p.nominal), spread("std"))
    elif isinstance(d, LognormalDist):
        med = val("median", p.nominal)
        if not med > 0:
            raise ctx.fail(where + ("median",), f"'{p.path}': a lognormal median must be positive")
        args = (med, float(d.sigma))
    elif isinstance(d, UniformDist):
        args = (val("low"), val("high"))
        if not args[1] > args[0]:
            raise ctx.fail(where + ("high",), f"'{p.path}': uniform needs high > low")
    else:
        low, high = val("low"), val("high")
        mode = val("mode", p.nominal)
        if not (low <= mode <= high and high > low):
            hint = "" if d.mode is not None else \
                f" (mode defaults to the {p.prefix}'s value, {p.nominal / p.scale:g} {p.unit})".replace(" )", ")")
            raise ctx.fail(where, f"'{p.path}': triangular needs low <= mode <= high and high > low{hint}")
        args = (low, mode, high)
    # the distribution's bulk must be physical (values outside are flagged per case as invalid input)
    name = type(d).__name__.replace("Dist", "").lower()
    lo_q = _ppf(name, args, np.array([0.001]))[0]
    hi_q = _ppf(name, args, np.array([0.999]))[0]
    _check_values(p, np.array([lo_q, hi_q]), where, ctx)
    return name, tuple(float(a) for a in args)
