"""Sweep parameters of a scenario's mission concepts (``sweep:`` paths under ``mission.``).

Categorical trade axes (each value is an architecture variant; results group by them):

- ``mission.architecture``: architecture names (the listed ones, or any shipped or defined concept);
- ``mission.launcher``: catalog vehicles flying every launch of the mission (their capability to
  each delivery computed once; the scenario's vehicle then flies none of them);
- ``mission.launch_site``: catalog launch sites (:mod:`jointmission.vehicles.launch_sites`) every
  launch of the mission lifts off from: the site's latitude replaces the vehicle's, so the
  launcher's capability to each delivery and target (due-east inclination, Earth-rotation benefit,
  the parking orbit a departure declination needs) follows it;
- ``mission.choices.<choice>``: options of a concept's choice (``mission.choices.capture``; the
  capture method may also be written ``mission.mars.capture``);
- ``mission.mars.window``: Mars departure windows (years);
- ``mission.parameters.<count>``: a count parameter (``integer: true``, e.g. the number of tanker
  launches), whose values change the flight plan.

Numbers, per case (into the budget as arrays, one closed-form solve for all cases):

- ``mission.parameters.<name>``: a concept parameter (not one that sets where a launcher flies);
- ``mission.elements.<element or generic element>.<field>`` (``isp``, ``dry_mass``,
  ``dry_fraction``, ``propellant``, ``capacity``, ``boiloff_per_day``, ``residual``, ``mass``,
  ``fraction``);
- ``mission.phases[<phase name>].<field>`` (``dv``, ``days``, ``amount``, ``loss``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from ..fields import KINDS
from ..missions.concept import ELEMENT_FIELD_KINDS, PHASE_FIELD_KINDS, did_you_mean
from ..missions.concept_library import library_names
from ..missions.elements import ELEMENT_KEYS
from ..units import UnitError, to_si
from .errors import SourceContext
from .sweep_spec import ParamInfo

__all__ = ["CONCEPT_KEYS", "concept_param", "concept_values", "concept_rule", "is_categorical", "launch_params",
           "check_axes", "check_concept_values", "concept_value"]

CONCEPT_KEYS = ("architecture", "launcher", "launch_site", "choices", "mars", "parameters", "elements", "phases")
"""First key of a concept sweep path (inside ``mission.``); margins and the required payload are
handled by the sweep's own mission fields."""

_CLASSIC_UNITS = {"arrival_vinf": "km/s", "llo_altitude": "km", "parking_altitude": "km", "tli_c3": "km2/s2",
                  "transit": "d", "surface_stay": "d", "lunar_orbit_wait": "d", "leo_loiter": "d", "crew": "t"}
"""Unit of a bare number for the classic parameter names (as in ``mission.parameters``)."""


def is_categorical(p: ParamInfo) -> bool:
    """A concept path whose values are architecture variants (not per-case numbers)."""
    return p.prefix == "mission" and bool(p.categories) and p.keys[0] in CONCEPT_KEYS


def launch_params(concept: Any) -> set[str]:
    """Parameters that set where a concept's launchers fly (C3, orbit, parking altitude)."""
    out: set[str] = set()
    for ld in concept.launches.values():
        for v in ld.to.values():
            out |= set(v.names)
    return out


def _fail(ctx: SourceContext, where: tuple, text: str):
    return ctx.fail(where, text)


def concept_param(path: str, rest: str, where: tuple, mission: Any, ctx: SourceContext) -> ParamInfo | None:
    """The :class:`ParamInfo` of a concept sweep path ``mission.<rest>`` (``None`` when ``rest`` is
    not one: margins, required payload)."""
    head = re.split(r"[.\[]", rest, maxsplit=1)[0]
    if head not in CONCEPT_KEYS:
        return None
    archs = list(mission.architectures)
    if rest == "architecture":
        return ParamInfo(path=path, keys=("architecture",), kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         prefix="mission", categories=tuple(archs))
    if rest == "launcher":
        return ParamInfo(path=path, keys=("launcher",), kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         prefix="mission", categories=("?",))
    if rest == "launch_site":
        return ParamInfo(path=path, keys=("launch_site",), kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         prefix="mission", categories=("?",))
    if rest == "mars.capture":  # the capture method as the mars: section writes it
        rest = "choices.capture"
    if rest == "mars.window":
        if not mission.mars_list:
            raise _fail(ctx, where, f"'{path}': no Mars architecture is listed")
        return ParamInfo(path=path, keys=("mars", "window"), kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         prefix="mission", categories=tuple(str(y) for y in mission.mars.windows))
    m = re.fullmatch(r"choices\.(\w+)", rest)
    if m:
        name = m.group(1)
        owners = [a for a in archs if name in mission.concept(a).choices]
        if not owners:
            allc = sorted({c for a in archs for c in mission.concept(a).choices})
            raise _fail(ctx, where, f"'{path}': no listed architecture has a choice '{name}'{did_you_mean(name, allc)}")
        return ParamInfo(path=path, keys=("choices", name), kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         prefix="mission", categories=tuple(mission.concept(owners[0]).choices[name].options))
    m = re.fullmatch(r"parameters\.(\w+)", rest)
    if m:
        return _parameter(path, m.group(1), where, mission, ctx)
    m = re.fullmatch(r"elements\.([^.\[\]]+)\.(\w+)", rest)
    if m:
        return _element(path, m.group(1).strip(), m.group(2), where, mission, ctx)
    m = re.fullmatch(r"phases\[([^\]]+)\]\.(\w+)", rest)
    if m:
        return _phase(path, m.group(1).strip(), m.group(2), where, mission, ctx)
    raise _fail(ctx, where, f"'{path}' is not a sweepable mission path; concept paths are mission.architecture, "
                            "mission.launcher, mission.launch_site, mission.choices.NAME, mission.mars.window, "
                            "mission.mars.capture, mission.parameters.NAME, mission.elements.ELEMENT.FIELD, "
                            "mission.phases[PHASE].FIELD")


def _parameter(path: str, name: str, where: tuple, mission: Any, ctx: SourceContext) -> ParamInfo:
    found = [(a, mission.concept(a).parameters[name]) for a in mission.architectures
             if name in mission.concept(a).parameters]
    if not found:
        known = sorted({n for a in mission.architectures for n in mission.concept(a).parameters})
        raise _fail(ctx, where, f"'{path}': no listed architecture has a parameter '{name}'"
                                f"{did_you_mean(name, known)}; parameters: {', '.join(known)}")
    for a, _ in found:
        if name in launch_params(mission.concept(a)):
            raise _fail(ctx, where, f"'{path}': '{name}' sets where the launcher of '{a}' flies (its C3 or orbit), "
                                    "which is one value per run; set it in mission.parameters, or sweep a "
                                    "target C3 or orbit of the vehicle instead")
    prm = found[0][1]
    if prm.integer:
        return ParamInfo(path=path, keys=("parameters", name), kind="dimensionless", unit="", scale=1.0,
                         nominal=prm.value, prefix="mission", integer=True, categories=(f"{prm.value:g}",))
    unit = _CLASSIC_UNITS.get(name, prm.unit)
    nominal = mission.params_si().get(name, prm.value)
    scale = to_si(1.0, prm.si_kind, unit) if unit else 1.0
    return ParamInfo(path=path, keys=("parameters", name), kind=prm.si_kind, unit=unit, scale=scale,
                     nominal=float(nominal), prefix="mission")


def _element(path: str, name: str, field: str, where: tuple, mission: Any, ctx: SourceContext) -> ParamInfo:
    defs: dict[str, Any] = {}
    libs: set[str] = set()
    for a in mission.architectures:
        for e in mission._defs(a).values():
            defs.setdefault(e.name, e)
            if e.library:
                libs.add(e.library)
    if name not in defs and name not in libs:
        raise _fail(ctx, where, f"'{path}': '{name}' is neither an element of the listed architectures nor a "
                                f"generic element they use{did_you_mean(name, [*defs, *libs])}")
    if field not in ELEMENT_FIELD_KINDS:
        raise _fail(ctx, where, f"'{path}': '{field}' is not a numeric element field{did_you_mean(field, ELEMENT_FIELD_KINDS)}; "
                                f"fields: {', '.join(ELEMENT_FIELD_KINDS)}")
    fk = KINDS[ELEMENT_FIELD_KINDS[field]]
    nominal = _element_nominal(name, field, defs, mission)
    scale = to_si(1.0, fk.si_kind, fk.scenario_unit) if fk.scenario_unit else 1.0
    return ParamInfo(path=path, keys=("elements", name, field), kind=fk.si_kind, unit=fk.scenario_unit, scale=scale,
                     nominal=nominal, prefix="mission")


def _element_nominal(name: str, field: str, defs: dict, mission: Any) -> float:
    from ..missions.concept_build import ELEMENT_FIELDS
    from ..missions.elements import mission_data

    over = mission.params().get("elements", {})
    old = {"isp": "isp_s", "dry_mass": "dry_kg", "dry_fraction": "dry_fraction", "propellant": "propellant_kg",
           "capacity": "capacity_kg", "boiloff_per_day": "boiloff_per_day", "residual": "residual_fraction"}
    if name in over and old.get(field) in over[name]:
        return float(over[name][old[field]])
    lib = name if name in ELEMENT_KEYS else getattr(defs.get(name), "library", None)
    ed = defs.get(name)
    if ed is not None and field in ed.fields and ed.fields[field].expr is None:
        return float(ed.fields[field].const)
    if lib is not None:
        v = mission_data()["elements"][lib].get(ELEMENT_FIELDS.get(field, field))
        if v is not None:
            return float(v)
    return float("nan")


def _phase(path: str, name: str, field: str, where: tuple, mission: Any, ctx: SourceContext) -> ParamInfo:
    from ..missions.concept import choice_combinations

    phases = {}
    for a in mission.architectures:
        c = mission.concept(a)
        for combo in choice_combinations(c):
            for ph in c.phase_sequence(combo):
                phases.setdefault(ph.name, (c, ph))
    if name not in phases:
        raise _fail(ctx, where, f"'{path}': no listed architecture has a phase '{name}'{did_you_mean(name, phases)}")
    if field not in PHASE_FIELD_KINDS:
        raise _fail(ctx, where, f"'{path}': '{field}' is not a numeric phase field; fields: "
                                f"{', '.join(PHASE_FIELD_KINDS)}{did_you_mean(field, PHASE_FIELD_KINDS)}")
    fk = KINDS[PHASE_FIELD_KINDS[field]]
    c, ph = phases[name]
    val = getattr(ph, field if field != "amount" else "amount", None)
    nominal = float("nan")
    try:
        env = {n: p.value for n, p in c.parameters.items()}
        env.update({k: v for k, v in mission.params_si().items() if k in env})
        if val is not None and not isinstance(val, str):
            nominal = float(val(env))
    except (TypeError, ValueError):  # pragma: no cover - a leg with array inputs
        pass
    scale = to_si(1.0, fk.si_kind, fk.scenario_unit) if fk.scenario_unit else 1.0
    return ParamInfo(path=path, keys=("phases", name, field), kind=fk.si_kind, unit=fk.scenario_unit, scale=scale,
                     nominal=nominal, prefix="mission")


def concept_rule(p: ParamInfo) -> tuple[str, str, str, str]:
    """(to_si kind, default unit, display unit, rule) of a numeric concept path; the rule is
    ``"concept:<KINDS key or ''>"``."""
    if p.keys[0] == "elements":
        k = ELEMENT_FIELD_KINDS[p.keys[2]]
        return KINDS[k].si_kind, KINDS[k].scenario_unit, KINDS[k].scenario_unit, f"concept:{k}"
    if p.keys[0] == "phases":
        k = PHASE_FIELD_KINDS[p.keys[2]]
        return KINDS[k].si_kind, KINDS[k].scenario_unit, KINDS[k].scenario_unit, f"concept:{k}"
    guess = {"speed": "speed_m_s", "time": "duration_d", "mass": "mass_nonneg", "length": "altitude", "c3": "c3"}
    return p.kind, p.unit, p.unit, f"concept:{guess.get(p.kind, '')}"


def check_concept_values(p: ParamInfo, vals: np.ndarray, mission: Any, where: tuple, ctx: SourceContext) -> None:
    """Range check of a numeric concept path's values [SI]."""
    rule = concept_rule(p)[3]
    key = rule.partition(":")[2]
    if key:
        fk = KINDS[key]
        bad = vals[~fk.ok(vals)]
        if bad.size:
            raise ctx.fail(where, f"'{p.path}' must be {fk.range_text(p.scale, p.unit)}, got "
                                  f"{bad[0] / p.scale:g}{' ' + p.unit if p.unit else ''}")
        return
    name = p.keys[1]
    prm = next(mission.concept(a).parameters[name] for a in mission.architectures
               if name in mission.concept(a).parameters)
    for v in vals:
        try:
            prm.check(float(v))
        except ValueError as exc:
            raise ctx.fail(where, f"'{p.path}': {exc}") from None


def concept_values(p: ParamInfo, value: Any, where: tuple, mission: Any, ctx: SourceContext, *,
                   distinct: bool) -> tuple[ParamInfo, np.ndarray]:
    """Values of a categorical concept axis (grid or zip list) -> (ParamInfo with its categories,
    indices into them)."""
    if not isinstance(value, list) or not value:
        raise ctx.fail(where, f"'{p.path}' is a categorical trade axis: give a list of values")
    keys = p.keys
    labels = []
    for i, v in enumerate(value):
        if keys == ("architecture",):
            known = [*library_names(), *mission.concepts]
            if not isinstance(v, str) or v not in known:
                raise ctx.fail(where + (i,), f"'{p.path}': unknown architecture {v!r}{did_you_mean(str(v), known)}")
            if v not in mission.architectures:
                raise ctx.fail(where + (i,), f"'{p.path}': architecture '{v}' is not listed in mission.architectures; "
                                             "list it there (the mission section says what is flown)")
            labels.append(v)
        elif keys == ("launcher",):
            from ..vehicles.catalog import CatalogError, default_catalog

            if not isinstance(v, str):
                raise ctx.fail(where + (i,), f"'{p.path}': expected a catalog vehicle name, got {v!r}")
            try:
                labels.append(default_catalog().vehicle_key(v))
            except CatalogError as exc:
                raise ctx.fail(where + (i,), f"'{p.path}': {exc}") from None
        elif keys == ("launch_site",):
            from ..vehicles.launch_sites import LaunchSiteError, launch_site

            try:
                labels.append(launch_site(v).name)
            except LaunchSiteError as exc:
                raise ctx.fail(where + (i,), f"'{p.path}': {exc}") from None
        elif keys == ("mars", "window"):
            if isinstance(v, bool) or v not in (2031, 2033) and str(v) not in ("2031", "2033"):
                raise ctx.fail(where + (i,), f"'{p.path}': Mars windows are 2031 and 2033, got {v!r}")
            labels.append(str(v))
        elif keys[0] == "choices":
            if v not in p.categories:
                raise ctx.fail(where + (i,), f"'{p.path}': {v!r} is not an option{did_you_mean(str(v), p.categories)}; "
                                             f"options: {', '.join(p.categories)}")
            labels.append(str(v))
        else:  # a count parameter
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer() \
                    or not 0 <= v <= 1000:
                raise ctx.fail(where + (i,), f"'{p.path}' is a count: values must be whole numbers from 0 to 1000, "
                                             f"got {v!r}")
            _check_count_flies(p, keys[1], float(v), mission, where + (i,), ctx)
            labels.append(f"{float(v):g}")
    cats = tuple(dict.fromkeys(labels))
    if distinct and len(cats) != len(labels):
        raise ctx.fail(where, f"'{p.path}': a grid axis needs distinct values, got {', '.join(labels)}")
    nominal = 0.0
    return dataclasses.replace(p, categories=cats, nominal=nominal), np.array([float(cats.index(x)) for x in labels])


def _check_count_flies(p: ParamInfo, name: str, v: float, mission: Any, where: tuple, ctx: SourceContext) -> None:
    """A count value must give every listed architecture that has it a flight plan that flies
    (e.g. 0 tanker launches leave a depot empty that a phase draws from)."""
    from ..missions.concept import ConceptError
    from ..missions.concept_check import check_flow, counts_of

    for a in mission.architectures:
        c = mission.concept(a)
        if name not in c.parameters:
            continue
        env = {n: prm.value for n, prm in c.parameters.items()}
        env[name] = v
        counts = counts_of(c, env)
        for combo in mission.options(a):
            try:
                check_flow(c, combo, counts)
            except ConceptError as exc:
                raise ctx.fail(where, f"'{p.path}': {v:g} does not fly architecture '{a}': {exc.reason}") from None


def concept_value(p: ParamInfo, v: Any, where: tuple, ctx: SourceContext) -> float:
    """One value of a numeric concept path [SI] (a bare number in the path's display unit)."""
    si_kind, default, _, _ = concept_rule(p)
    if isinstance(v, bool):
        raise ctx.fail(where, f"'{p.path}': expected a number, got {v!r}")
    try:
        return to_si(v, si_kind, default)
    except UnitError as exc:
        raise ctx.fail(where, f"'{p.path}': {exc}") from None


def check_axes(params: list, mission: Any, section: tuple, ctx: SourceContext) -> None:
    """With ``mission.architecture`` as an axis every case is one architecture variant, so what else
    the mission section varies must be an axis too: several Mars windows (``mission.mars.window``),
    several options of a choice (``mission.choices.NAME``)."""
    keys: dict = {}
    for p in params:
        if p.prefix != "mission":
            continue
        if p.keys in keys:
            raise ctx.fail(section + (p.path,), f"'{keys[p.keys].path}' and '{p.path}' name the same trade axis; "
                                                "keep one")
        keys[p.keys] = p
    if ("launch_site",) in keys:
        lat = next((p for p in params if p.prefix == "vehicle" and p.keys == ("launch_site", "latitude")), None)
        if lat is not None:
            raise ctx.fail(section + (lat.path,), f"'{lat.path}' and '{keys[('launch_site',)].path}' both set the "
                                                  "launch latitude; keep one")
    if ("architecture",) not in keys:
        return
    arch = keys[("architecture",)]
    where = section + (arch.path,)
    if mission.mars_list and len(mission.mars.windows) > 1 and ("mars", "window") not in keys:
        raise ctx.fail(where, f"'{arch.path}' makes each case one architecture variant, and the mission section "
                              f"lists {len(mission.mars.windows)} Mars windows: sweep 'mission.mars.window' too, or "
                              "list one window")
    for a in arch.categories:
        for name in mission.concept(a).choices:
            opts = {c[name] for c in mission.options(a)}
            if len(opts) > 1 and ("choices", name) not in keys:
                raise ctx.fail(where, f"'{arch.path}' makes each case one architecture variant, and the mission "
                                      f"section trades {len(opts)} options of choice '{name}': sweep "
                                      f"'mission.choices.{name}' too, or list one option")
