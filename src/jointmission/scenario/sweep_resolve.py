"""Resolution of a scenario's ``sweep:`` section (:class:`~.sweep_spec.SweepSpec`) into a
:class:`~.sweep_spec.ResolvedSweep`: every parameter path checked against the resolved vehicle and
the ``mission:`` section, values converted to SI and checked against the field's physical range,
grid axes / zip columns / distributions built. Errors name file, line and path."""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import numpy as np

from ..units import UnitError, to_si
from ..fields import ENGINE_FIELDS, FIELDS, KINDS
from .errors import PathKey, SourceContext, format_path
from ._base import suggest
from .sweep_spec import (MAX_AXIS_POINTS, MAX_CASES, MISSION_FIELDS, MISSION_OPEN_HI, MISSION_QUANTITIES,
                         PATH_PREFIXES, TARGET_QUANTITIES, SWEEPABLE_FIELDS, ENGINE_CHOICE, LognormalDist, NormalDist, ParamInfo, RangeSpec,
                         ResolvedSweep, SampledSpec, SweepSpec, UniformDist, _ppf, result_columns)

from .concept_sweep import CONCEPT_KEYS, check_axes, concept_rule, concept_values, is_categorical
from .programme_sweep import (PROGRAMME_COLUMN_HEADS, check_cost_values, check_programme_axes, is_provider,
                              programme_param, programme_values)

__all__ = ["resolve_sweep"]

# ------------------------------------------------------------------------------------ resolution
def resolve_sweep(spec: SweepSpec, data: dict, vehicle_spec: Any, ctx: SourceContext, *,
                  mission: Any = None, programme: Any = None) -> ResolvedSweep:
    """Check ``spec``'s parameter paths and values against ``vehicle_spec`` (the resolved
    :class:`~jointmission.vehicles.spec.VehicleSpec`) and ``mission`` (the ``mission:`` section's
    ``MissionSpec``, for ``mission.margins.*`` and ``mission.required_payload``) and ``programme``
    (the ``programme:`` section's ``ProgrammeSpec``, for ``programme.providers.*`` and
    ``programme.cost.*``); return a :class:`ResolvedSweep`.

    Raises :class:`ScenarioError` naming file, line and path for an unknown or non-sweepable path,
    a value with a wrong unit or outside the field's physical range, zip lists of unequal lengths.
    """
    kind = spec.kind
    raw = data.get("sweep", {})
    _check_sweep_targets(data, ctx, mission)
    section: tuple[PathKey, ...] = ("sweep", kind) if kind in ("grid", "zip") else ("sweep", kind, "parameters")
    entries = getattr(spec, kind) if kind in ("grid", "zip") else getattr(spec, kind).parameters
    params = [_param(path, section + (path,), vehicle_spec, ctx, mission, data, programme) for path in entries]
    _check_engine_params(params, section, vehicle_spec, spec, kind, ctx)
    _check_target_params(params, section, spec, ctx)

    if spec.objectives:
        names = [str(t.get("name")) for t in data.get("targets", []) if isinstance(t, dict)]
        allowed = [c for c, _ in result_columns([p.path for p in params], names) if not c.startswith(("case", "status["))]
        for col in spec.objectives:
            if mission is not None and (col.startswith("mission_") or "[delivery: " in col):
                continue  # mission columns are named by architecture variant: checked by the runner
            if programme is not None and col.startswith(PROGRAMME_COLUMN_HEADS):
                continue  # programme columns are named by variant and partner: checked by the runner
            if _transfer_column(col, data):
                continue  # a transfer optimum's target (named after its year): checked by the runner
            if col not in allowed:
                raise ctx.fail(("sweep", "objectives", col),
                               f"unknown objective column '{col}'; objectives are result columns: "
                               f"{', '.join(allowed)}{suggest(col, allowed)}")
    common = dict(losses=spec.losses, loss_check=spec.loss_check, chunk_size=spec.chunk_size,
                  objectives=tuple(spec.objectives.items()) if spec.objectives else None, raw=raw)
    cu = spec.cost_uncertainty
    if cu is not None:
        if programme is None:
            raise ctx.fail(("sweep", "cost_uncertainty"), "cost percentiles need a 'programme:' section (partners "
                                                         "and the cost model); add one, or remove 'cost_uncertainty'")
        common.update(cost_draws=int(cu.draws), cost_seed=int(cu.seed),
                      cost_percentiles=tuple(sorted(set(float(q) for q in cu.percentiles))))
    if kind == "grid":
        axes = []
        for j, (p, (path, value)) in enumerate(zip(params, entries.items())):
            where = section + (path,)
            if p.keys[-1] == ENGINE_CHOICE:
                params[j], vals = _engine_axis(p, value, where, vehicle_spec, ctx, distinct=True)
                axes.append(vals)
                continue
            if is_categorical(p):
                params[j], vals = concept_values(p, value, where, mission, ctx, distinct=True)
                axes.append(vals)
                continue
            if is_provider(p):
                params[j], vals = programme_values(p, value, where, ctx, distinct=True)
                axes.append(vals)
                continue
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
        check_axes(params, mission, section, ctx)
        check_programme_axes(params, section, vehicle_spec, mission, ctx)
        n = int(np.prod([len(a) for a in axes], dtype=object))
        if n > MAX_CASES:
            raise ctx.fail(section, f"the grid has {n:,} cases ({' x '.join(f'{len(a):,}' for a in axes)}); a sweep "
                                    f"may have at most {MAX_CASES:,} cases: use fewer points per axis")
        return ResolvedSweep(kind, tuple(params), n, axes=tuple(axes), **common)
    if kind == "zip":
        cols, n0 = [], None
        for j, (p, (path, value)) in enumerate(zip(params, entries.items())):
            where = section + (path,)
            if not value:
                raise ctx.fail(where, "a zip list needs at least one value")
            if n0 is not None and len(value) != n0:
                first = next(iter(entries))
                raise ctx.fail(where, f"zip lists must have equal lengths: '{path}' has {len(value)} "
                                      f"values, '{first}' has {n0}")
            n0 = len(value)
            if p.keys[-1] == ENGINE_CHOICE:
                params[j], vals = _engine_axis(p, value, where, vehicle_spec, ctx, distinct=False)
                cols.append(vals)
                continue
            if is_categorical(p):
                params[j], vals = concept_values(p, value, where, mission, ctx, distinct=False)
                cols.append(vals)
                continue
            if is_provider(p):
                params[j], vals = programme_values(p, value, where, ctx, distinct=False)
                cols.append(vals)
                continue
            vals = np.array([_value(p, v, where + (i,), ctx) for i, v in enumerate(value)])
            _check_values(p, vals, where, ctx)
            cols.append(vals)
        check_axes(params, mission, section, ctx)
        check_programme_axes(params, section, vehicle_spec, mission, ctx)
        return ResolvedSweep(kind, tuple(params), int(n0), columns=tuple(cols), **common)

    sampled: SampledSpec = getattr(spec, kind)
    dists = []
    for p, (path, dist) in zip(params, sampled.parameters.items()):
        where = section + (path,)
        if p.keys[-1] == ENGINE_CHOICE:
            raise ctx.fail(where, f"'{path}' is an engine choice (catalog engine names); sweep it with 'grid' "
                                  "or 'zip', not with a distribution")
        if is_categorical(p) or is_provider(p):
            raise ctx.fail(where, f"'{path}' is a categorical trade axis; sweep it with 'grid' or 'zip', not with "
                                  "a distribution")
        if p.integer:
            raise ctx.fail(where, f"'{path}' is a count (an integer); sweep it with 'grid' or 'zip', "
                                  "not with a continuous distribution")
        dists.append(_dist(p, dist, where, ctx))
    check_programme_axes(params, section, vehicle_spec, mission, ctx)
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
    from .concept_sweep import concept_param

    concept = concept_param(path, rest, where, mission, ctx)
    if concept is not None:
        return concept
    try:
        keys = parse_override_path(rest)
    except ValueError as exc:
        raise ctx.fail(where, str(exc).replace("override path", "parameter path")) from None
    if keys not in MISSION_FIELDS and keys not in MISSION_QUANTITIES:
        allowed = ["mission." + ".".join(k) for k in (*MISSION_FIELDS, *MISSION_QUANTITIES)]
        allowed += ["mission.architecture", "mission.launcher", "mission.launch_site", "mission.choices.NAME",
                    "mission.mars.window", "mission.mars.capture", "mission.parameters.NAME",
                    "mission.elements.ELEMENT.FIELD", "mission.phases[PHASE].FIELD"]
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


def _param(path: str, where: tuple, vehicle_spec: Any, ctx: SourceContext, mission: Any = None,
           data: dict | None = None, programme: Any = None) -> ParamInfo:
    from .vehicle_ref import parse_override_path

    if path.startswith("targets"):
        return _target_param(path, where, ctx, data or {})
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
    if head == "programme":
        return programme_param(path, rest, where, programme, ctx)
    if rest.startswith("engines."):
        return _engine_param(path, rest, where, vehicle_spec, ctx)
    try:
        keys = parse_override_path(rest)
    except ValueError as exc:
        raise ctx.fail(where, str(exc).replace("override path", "parameter path")) from None
    if keys and keys[-1] == ENGINE_CHOICE and (keys[:-1] == ("boosters",) or
                                               (len(keys) == 3 and keys[0] == "stages")):
        _holder(keys[:-1], path, where, vehicle_spec, ctx)  # the stage or boosters must exist
        return ParamInfo(path=path, keys=tuple(keys), kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         integer=True)
    if len(keys) >= 2 and keys[-2] == ENGINE_CHOICE and keys[-1] in ENGINE_FIELDS:
        # "that engine": the engine object every stage and booster flying it shares
        holder = _holder(keys[:-2], path, where, vehicle_spec, ctx)
        eng = getattr(holder, "engine", None)
        if eng is not None and not isinstance(eng, str):
            return _engine_field(path, eng, keys[-1], where, ctx)
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
    if p.prefix == "programme":
        return ("dimensionless", "", "", "integer" if p.integer and p.keys[1] != "integration_elements" else "programme")
    if p.prefix == "targets":
        return TARGET_QUANTITIES[p.keys[1:]]
    if p.prefix == "mission" and p.keys[0] in CONCEPT_KEYS:
        return concept_rule(p)
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
        if rule == "programme":
            raise ctx.fail(where, f"'{p.path}': expected a number, got {v!r}") from None
        raise ctx.fail(where, f"'{p.path}': {exc}") from None


def _check_values(p: ParamInfo, vals: np.ndarray, where: tuple, ctx: SourceContext) -> None:
    if p.prefix == "programme":
        check_cost_values(p, vals, where, ctx)
        return
    rule = _rule(p)[3]
    bad = None
    if rule.startswith("concept:"):
        key = rule.partition(":")[2]
        if key:
            fk = KINDS[key]
            bad = vals[~fk.ok(vals)]
            words = fk.range_text(p.scale, p.unit)
    if rule == "mission":
        lo, hi = MISSION_FIELDS[p.keys]
        if p.keys in MISSION_OPEN_HI:
            bad = vals[~((vals >= lo) & (vals < hi))]
            words = f"a fraction of at least {lo * 100:g} % and below {hi * 100:g} % (e.g. '1 %')"
        else:
            bad = vals[~((vals >= lo) & (vals <= hi))]
            words = f"a fraction between {lo * 100:g} % and {hi * 100:g} % (e.g. '5 %')"
    tail = ""
    if rule == "required_payload":  # the registry kind of the scalar mission.required_payload
        fk = KINDS["required_payload"]
        bad = vals[~fk.ok(vals)]  # as the scalar: [0, 10,000 t], 0 t = the bare mission
        words = f"a mass of {fk.lo / p.scale:g} to {fk.hi / p.scale:,g} {p.unit} (e.g. '20 t')"
        if bad.size and bad[0] > fk.hi:
            tail = f" ({fk.why_high})"
    if rule.startswith("target:"):  # the one registry, as the scalar target field
        fk = KINDS[rule.partition(":")[2]]
        bad = vals[~fk.ok(vals)]
        words = (f"at most {fk.hi / p.scale:,g} {p.unit}" if math.isinf(fk.lo) else
                 f"between {fk.lo / p.scale:,g} and {fk.hi / p.scale:,.0f} {p.unit}")
        if bad.size:
            why = fk.why_high if bad[0] > fk.hi else fk.why_low
            tail = f" ({why})" if why else ""
        elif np.any(vals <= p.above):  # a C3 not below its parking orbit's own energy (as the scalar c3)
            bad = vals[vals <= p.above]
            words = f"above the energy of its circular parking orbit, {p.above / p.scale:.4g} {p.unit} (-GM/r)"
        elif np.any(np.abs(vals) > p.abs_max):  # a DLA the stated parking inclination holds
            bad = vals[np.abs(vals) > p.abs_max]
            words = (f"at most {p.abs_max / p.scale:g} {p.unit} in magnitude: the target's parking inclination "
                     "holds no steeper departure asymptote")
    if p.prefix == "vehicle" and p.keys[-1] in FIELDS:  # the one registry of vehicle field ranges
        fk = FIELDS[p.keys[-1]]
        bad = vals[~fk.ok(vals)]
        words = "between -90 and 90 deg" if rule == "latitude" else fk.range_text(p.scale, p.unit)
        if fk.integer and bad.size:
            raise ctx.fail(where, f"'{p.path}' must be {words} (no real vehicle has more), got {bad[0]:g}")
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


# ------------------------------------------------------------------------------------ engines
def _holder(keys: tuple, path: str, where: tuple, vehicle_spec: Any, ctx: SourceContext) -> Any:
    """The stage (``("stages", i)``) or ``("boosters",)`` spec a path's engine belongs to."""
    if keys == ("boosters",):
        if vehicle_spec.boosters is None:
            raise ctx.fail(where, f"unknown parameter path '{path}': this vehicle has no 'boosters'")
        return vehicle_spec.boosters
    if len(keys) == 2 and keys[0] == "stages" and isinstance(keys[1], int):
        n = len(vehicle_spec.stages)
        if keys[1] >= n:
            raise ctx.fail(where, f"'{path}': index {keys[1]} is out of range ('vehicle.stages' has {n} entries, "
                                  f"indices 0 to {n - 1})")
        return vehicle_spec.stages[keys[1]]
    raise ctx.fail(where, f"unknown parameter path '{path}': an engine belongs to 'stages[i]' or 'boosters'")


def _engine_field(path: str, eng: Any, field: str, where: tuple, ctx: SourceContext) -> ParamInfo:
    """The engine-level parameter ``("engines", <name>, field)`` of engine spec ``eng``."""
    value = getattr(eng, field)
    if value is None:
        raise ctx.fail(where, f"'{path}': engine '{eng.name}' has no '{field}' value to sweep (set it in the "
                              "vehicle first)")
    si_kind, _, unit, rule = SWEEPABLE_FIELDS[field]
    return ParamInfo(path=path, keys=("engines", eng.name, field), kind=si_kind, unit=unit,
                     scale=to_si(1.0, si_kind, unit), nominal=float(value))


def _vehicle_engines(vehicle_spec: Any) -> list[tuple[str, Any]]:
    """``(where, EngineSpec)`` of every stage and the boosters."""
    out = [(f"stages[{i}]", st.engine) for i, st in enumerate(vehicle_spec.stages)]
    if vehicle_spec.boosters is not None:
        out.append(("boosters", vehicle_spec.boosters.engine))
    return [(w, e) for w, e in out if not isinstance(e, str)]


def _engine_param(path: str, rest: str, where: tuple, vehicle_spec: Any, ctx: SourceContext) -> ParamInfo:
    """``vehicle.engines.<engine name>.<field>``: a field of one engine (every use of it)."""
    name, _, field = rest[len("engines."):].rpartition(".")
    engines = {e.name.casefold(): e for _, e in _vehicle_engines(vehicle_spec)}
    if not name or field not in ENGINE_FIELDS:
        raise ctx.fail(where, f"'{path}': write engine paths as 'vehicle.engines.<engine name>.<field>' with a "
                              f"field among {', '.join(ENGINE_FIELDS)}{suggest(field, list(ENGINE_FIELDS))}")
    eng = engines.get(name.strip().casefold())
    if eng is None:
        from ..vehicles import catalog as _catalog

        try:  # a catalog key whose entry name differs ("RD-170" -> "RD-170 (11D521)")
            cat = _catalog.default_catalog()
            eng = engines.get(str(cat.engines[cat.engine_key(name)].get("name", "")).casefold())
        except _catalog.CatalogError:
            eng = None
    if eng is None:
        names = [e.name for e in engines.values()]
        raise ctx.fail(where, f"'{path}': this vehicle flies no engine '{name}'; its engines are "
                              f"{', '.join(repr(n) for n in names)}{suggest(name, names)}")
    return _engine_field(path, eng, field, where, ctx)


def _engine_axis(p: ParamInfo, value: Any, where: tuple, vehicle_spec: Any, ctx: SourceContext, *,
                 distinct: bool) -> tuple[ParamInfo, np.ndarray]:
    """Values of an engine-choice axis: catalog engine names -> (ParamInfo with the categories,
    indices into them)."""
    from ..vehicles import catalog as _catalog

    if isinstance(value, RangeSpec) or not isinstance(value, list) or not value:
        raise ctx.fail(where, f"'{p.path}' is an engine choice: give a list of catalog engine names such as "
                              "[YF-130, RD-171M]")
    cat = _catalog.default_catalog()
    keys = []
    for i, v in enumerate(value):
        if not isinstance(v, str):
            raise ctx.fail(where + (i,), f"'{p.path}' is an engine choice: expected a catalog engine name, got {v!r}")
        try:
            key = cat.engine_key(v)
        except _catalog.CatalogError as exc:
            raise ctx.fail(where + (i,), f"'{p.path}': {exc}".replace("unknown engine", "unknown catalog engine")) \
                from None
        if cat.engines[key].get("mass") is None:
            raise ctx.fail(where + (i,), f"'{p.path}': catalog engine '{key}' has no mass, so the stage's dry mass "
                                         "cannot follow the engine change")
        keys.append(key)
    cats = tuple(dict.fromkeys(keys))
    if distinct and len(cats) != len(keys):
        raise ctx.fail(where, f"'{p.path}': a grid axis needs distinct engines, got {', '.join(keys)}")
    holder = _holder(p.keys[:-1], p.path, where, vehicle_spec, ctx)
    own = getattr(holder.engine, "name", "")
    names = [str(cat.engines[k].get("name", k)) for k in cats]
    nominal = float(names.index(own)) if own in names else 0.0
    return (dataclasses.replace(p, categories=cats, nominal=nominal),
            np.array([float(cats.index(k)) for k in keys]))


def _check_engine_params(params: list, section: tuple, vehicle_spec: Any, spec: SweepSpec, kind: str,
                         ctx: SourceContext) -> None:
    """One parameter per engine field (two paths to the same engine are one parameter), engine
    masses known where a trade changes the engines of a stage, and an engine choice on a grid or
    zip with a loss model that fits it."""
    seen: dict[tuple, str] = {}
    for p in params:
        if p.prefix != "vehicle":
            continue
        if p.keys in seen:
            what = (f"both set {p.keys[-1]} of engine '{p.keys[1]}', which every stage and booster flying it "
                    "shares") if p.keys[0] == "engines" else "name the same vehicle value"
            raise ctx.fail(section + (p.path,), f"'{seen[p.keys]}' and '{p.path}' {what}; sweep it once "
                                                f"(e.g. as 'vehicle.engines.{p.keys[1]}.{p.keys[-1]}')"
                           if p.keys[0] == "engines" else f"'{seen[p.keys]}' and '{p.path}' {what}; keep one")
        seen[p.keys] = p.path
        if p.keys[-1] == ENGINE_CHOICE and spec.losses in ("interpolate",):
            raise ctx.fail(section + (p.path,), f"'{p.path}' is an engine choice: its cases are solved exactly; "
                                                "use 'losses: auto' or 'losses: recompute'")
        if p.keys[-1] in ("engine_count", "engines_per_booster", ENGINE_CHOICE):
            holder = _holder(p.keys[:-1], p.path, section + (p.path,), vehicle_spec, ctx)
            eng = holder.engine
            if not isinstance(eng, str) and eng.mass is None:
                raise ctx.fail(section + (p.path,), f"'{p.path}': engine '{eng.name}' has no mass, so the dry mass "
                                                    "cannot follow the change; give the engine a 'mass'")


# ------------------------------------------------------------------------------------ targets
_TARGET_PATH = re.compile(r"targets\[(\d+)\]\.([A-Za-z_][A-Za-z0-9_.]*)")


def _target_param(path: str, where: tuple, ctx: SourceContext, data: dict) -> ParamInfo:
    """``targets[i].c3`` / ``.dla`` / ``.parking.altitude`` (C3 targets), ``targets[i].orbit.altitude``
    (circular orbit targets): a value of the ``i``-th target of the file."""
    from ..constants import DEFAULT_PARKING_ALT_M, GM_EARTH, R_EARTH

    allowed = ", ".join("targets[i]." + ".".join(k) for k in TARGET_QUANTITIES)
    m = _TARGET_PATH.fullmatch(path.strip())
    if m is None:
        raise ctx.fail(where, f"'{path}': a target parameter path is 'targets[<index>].<field>', one of {allowed} "
                              "(e.g. 'targets[0].c3')")
    i, keys = int(m.group(1)), tuple(m.group(2).split("."))
    targets = [t for t in (data.get("targets") or []) if isinstance(t, dict)]
    listing = ", ".join(f"[{j}] {t.get('name')!r}" for j, t in enumerate(targets)) or "none"
    if i >= len(targets):
        raise ctx.fail(where, f"'{path}': index {i} is out of range; the scenario's targets are {listing}")
    if keys not in TARGET_QUANTITIES:
        raise ctx.fail(where, f"'{path}' is not a sweepable target parameter; sweepable: {allowed}"
                              f"{suggest('.'.join(keys), ['.'.join(k) for k in TARGET_QUANTITIES])}")
    from .schema import TargetSpec

    spec = TargetSpec.model_validate(targets[i])  # the file's target (already validated by the schema)
    need = {("c3",): "c3", ("dla",): "c3", ("parking", "altitude"): "c3", ("orbit", "altitude"): "orbit"}[keys]
    if spec.kind != need:
        raise ctx.fail(where, f"'{path}': targets[{i}] ({spec.name!r}) is {'a C3' if spec.kind == 'c3' else 'an orbit'} "
                              f"target; '{'.'.join(keys)}' belongs to {'a C3' if need == 'c3' else 'a circular orbit'} "
                              "target")
    if keys == ("orbit", "altitude") and abs(spec.orbit.perigee_m - spec.orbit.apogee_m) > 1e-6:
        raise ctx.fail(where, f"'{path}': targets[{i}] ({spec.name!r}) is an ellipse; an altitude sweep flies "
                              "circular orbits (write the target as orbit: {altitude: ...})")
    park = spec.parking.altitude if spec.parking is not None else DEFAULT_PARKING_ALT_M
    nominal = {("c3",): spec.c3, ("dla",): spec.dla, ("parking", "altitude"): park,
               ("orbit", "altitude"): spec.orbit.perigee_m if spec.orbit is not None else None}[keys]
    si_kind, _, unit, _ = TARGET_QUANTITIES[keys]
    inc = spec.parking.inclination if spec.parking is not None else None
    return ParamInfo(path=path, keys=(i,) + keys, kind=si_kind, unit=unit, scale=to_si(1.0, si_kind, unit),
                     nominal=math.nan if nominal is None else float(nominal), prefix="targets",
                     above=-GM_EARTH / (R_EARTH + park) if keys == ("c3",) else -math.inf,
                     abs_max=min(inc, math.pi - inc) if keys == ("dla",) and inc is not None else math.inf)


def _check_target_params(params: list, section: tuple, spec: SweepSpec, ctx: SourceContext) -> None:
    """A target value swept once, and solved exactly (the loss surrogates are fitted in the vehicle
    parameters only)."""
    seen: dict[tuple, str] = {}
    for p in params:
        if p.prefix != "targets":
            continue
        if p.keys in seen:
            raise ctx.fail(section + (p.path,), f"'{seen[p.keys]}' and '{p.path}' name the same target value; keep one")
        seen[p.keys] = p.path
        if spec.losses in ("interpolate", "nominal"):
            raise ctx.fail(("sweep", "losses"), f"'{p.path}' is a target parameter: its cases are solved exactly; "
                                                "use 'losses: auto' or 'losses: recompute'")
