"""Sweep parameters of a scenario's joint programme (``sweep:`` paths under ``programme.``).

Two kinds:

- **provider assignments** (categorical, ``grid``/``zip`` lists of partner names): the plain-value
  paths of the ``programme.providers`` section, ``programme.providers.engines.<engine>``,
  ``.stages.<stage>`` (or ``.stages.boosters``), ``.vehicle`` (integration), ``.launch_site``,
  ``.launches.<concept launch>`` (or ``.launches`` for every launch), ``.elements.<element or
  item>``. Each value names one of the programme's partners; the result column holds the names.
- **cost-model options** (numbers, also with distributions): ``programme.cost.<option>`` for the
  options of :class:`jointmission.programme.cost_model.CostModel` a trade study varies
  (:data:`COST_FIELDS`: the number of missions development is amortised over, the learning factor,
  the flight rate, the TransCost f-factors, the currency year, the number of prime contractors),
  and ``programme.cost.work_year.<partner>``: the value of one Work-Year in that partner's country
  [model currency] (its productivity against the U.S. reference).

Provider paths are checked against the components of the scenario (its vehicle's engines and
stages, the catalog engines of an engine-choice axis, the launches and elements of the listed
architectures) with a suggestion for a misspelt name; partner names against the programme's
partners. Errors name file, line and path.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from ._base import suggest
from .errors import SourceContext
from .programme_spec import mission_components
from .sweep_spec import ParamInfo

__all__ = ["PROGRAMME_COLUMN_HEADS", "PROVIDER_KINDS", "COST_FIELDS", "programme_param", "programme_values", "check_programme_axes",
           "is_provider", "cost_value_ok"]

PROGRAMME_COLUMN_HEADS = ("cost_", "mission_cost_")
"""How the result columns of the programme evaluator begin (``mission_cost_MUSD[...]``, ``cost_share[...]``,
``cost_MUSD[...]``, ``cost_balance[...]``; see :mod:`jointmission.runners.sweep_programme`)."""

PROVIDER_KINDS = {"engines": "engine name", "stages": "stage name or 'boosters'", "vehicle": None,
                  "launch_site": None, "launches": "concept launch name", "elements": "element or item name"}
"""``programme.providers.<kind>`` -> what the next key names (``None``: the kind is one partner)."""

#: Sweepable cost-model options (``programme.cost.<name>``) -> (lower bound, upper bound, integer,
#: what it is). Bounds are the physical or data ranges the cost model accepts.
COST_FIELDS: dict[str, tuple[float, float, bool, str]] = {
    "missions": (1.0, 10_000.0, True, "missions development is amortised over (and the production series)"),
    "learning": (0.5, 1.0, False, "learning factor of series production and of the launch campaign"),
    "flight_rate": (0.1, 100.0, False, "launches per year (operations relationships)"),
    "f1": (0.1, 10.0, False, "TransCost development standard factor"),
    "f3": (0.1, 10.0, False, "TransCost team experience factor"),
    "f6": (0.1, 10.0, False, "TransCost schedule deviation factor"),
    "f9": (0.1, 10.0, False, "TransCost subcontractor factor (production)"),
    "f10": (0.1, 10.0, False, "TransCost past-experience (cost reduction) factor"),
    "f11": (0.1, 10.0, False, "TransCost commercial (cost reduction) factor"),
    "contractors": (1.0, 20.0, True, "parallel prime contractors (f7 = n^0.2)"),
    "integration_elements": (0.0, 50.0, True, "stages or major elements integrated (f0 = 1.04^N, 1.025^N)"),
    "year": (1960.0, 2100.0, True, "year of the money every cost is stated in (inflation index)"),
}


def is_provider(p: ParamInfo) -> bool:
    """A provider-assignment axis (values are partner names)."""
    return p.prefix == "programme" and p.keys[0] == "providers"


def cost_value_ok(name: str, v: np.ndarray) -> np.ndarray:
    """Whether values ``v`` of cost option ``name`` are in its range (work-year values: positive)."""
    if name == "work_year":
        return np.isfinite(v) & (v > 0)
    lo, hi, integer, _ = COST_FIELDS[name]
    ok = np.isfinite(v) & (v >= lo) & (v <= hi)
    if integer:
        ok &= v == np.round(v)
    return ok


def _partners(programme: Any) -> list[str]:
    return [p.name for p in programme.partners]


def programme_param(path: str, rest: str, where: tuple, programme: Any, ctx: SourceContext) -> ParamInfo:
    """The :class:`ParamInfo` of ``programme.<rest>`` (``programme``: the section's
    :class:`~jointmission.scenario.programme_spec.ProgrammeSpec`, ``None`` without one). Component
    names of provider paths are checked later, with the whole sweep (:func:`check_programme_axes`)."""
    if programme is None:
        raise ctx.fail(where, f"'{path}': this scenario has no 'programme:' section (partners and who provides "
                              "what) to sweep; add one")
    head, _, tail = rest.partition(".")
    if head == "providers":
        kind, _, comp = tail.partition(".")
        if kind not in PROVIDER_KINDS:
            raise ctx.fail(where, f"'{path}': unknown provider kind '{kind}'{suggest(kind, list(PROVIDER_KINDS))}; "
                                  "provider paths are programme.providers.engines.ENGINE, .stages.STAGE (or "
                                  ".stages.boosters), .vehicle, .launch_site, .launches.LAUNCH (or .launches), "
                                  ".elements.ELEMENT")
        if PROVIDER_KINDS[kind] is None and comp:
            raise ctx.fail(where, f"'{path}': programme.providers.{kind} is one partner; write the path without "
                                  f"'.{comp}'")
        if PROVIDER_KINDS[kind] is not None and not comp and kind != "launches":
            raise ctx.fail(where, f"'{path}': name the {PROVIDER_KINDS[kind]}, as in "
                                  f"'programme.providers.{kind}.<{PROVIDER_KINDS[kind]}>'")
        keys = ("providers", kind) + ((comp.strip(),) if comp else ())
        return ParamInfo(path=path, keys=keys, kind="dimensionless", unit="", scale=1.0, nominal=0.0,
                         prefix="programme", categories=tuple(_partners(programme)))
    if head == "cost":
        allowed = [f"programme.cost.{n}" for n in COST_FIELDS] + ["programme.cost.work_year.PARTNER"]
        name, _, who = tail.partition(".")
        if name == "work_year":
            names = _partners(programme)
            if who not in names:
                raise ctx.fail(where, f"'{path}': unknown partner '{who}'{suggest(who, names)}; partners: "
                                      f"{', '.join(names)}")
            nominal = _cost_nominal(programme, "work_year", who)
            return ParamInfo(path=path, keys=("cost", "work_year", who), kind="dimensionless", unit="", scale=1.0,
                             nominal=nominal, prefix="programme")
        if name not in COST_FIELDS or who:
            raise ctx.fail(where, f"'{path}' is not a sweepable cost option; sweepable: {', '.join(allowed)}"
                                  f"{suggest(path, allowed)}")
        return ParamInfo(path=path, keys=("cost", name), kind="dimensionless", unit="", scale=1.0,
                         nominal=_cost_nominal(programme, name, None), integer=COST_FIELDS[name][2],
                         prefix="programme")
    raise ctx.fail(where, f"'{path}': programme paths are programme.providers.KIND[.COMPONENT] (partner names) and "
                          f"programme.cost.OPTION (numbers){suggest(head, ['providers', 'cost'])}")


def _cost_nominal(programme: Any, name: str, who: str | None) -> float:
    """The scenario's value of a cost option (its ``programme.cost`` section, else the model default)."""
    model = cost_model_of(programme)
    if name == "work_year":
        country = next(p.country for p in programme.partners if p.name == who)
        return float(model._work_year_of(country))
    return float(getattr(model, name)) if name != "year" else float(model.year)


def cost_model_of(programme: Any) -> Any:
    """The :class:`~jointmission.programme.cost_model.CostModel` of a ``programme:`` section (its
    ``cost`` options; the model's defaults with ``cost: false``)."""
    from ..programme.cost_model import CostModel

    model = programme.to_programme().cost_model() if hasattr(programme, "to_programme") else None
    return model if model is not None else CostModel()


def programme_values(p: ParamInfo, value: Any, where: tuple, ctx: SourceContext, *,
                     distinct: bool) -> tuple[ParamInfo, np.ndarray]:
    """Values of a provider axis (a grid or zip list of partner names) -> (ParamInfo whose
    categories are the names listed, indices into them)."""
    if not isinstance(value, list) or not value:
        raise ctx.fail(where, f"'{p.path}' is a provider assignment: give a list of partner names such as "
                              f"[{', '.join(p.categories)}]")
    names = list(p.categories)
    labels = []
    for i, v in enumerate(value):
        if not isinstance(v, str) or v not in names:
            raise ctx.fail(where + (i,), f"'{p.path}': unknown partner {v!r}{suggest(str(v), names)}; partners: "
                                         f"{', '.join(names)}")
        labels.append(v)
    cats = tuple(dict.fromkeys(labels))
    if distinct and len(cats) != len(labels):
        raise ctx.fail(where, f"'{p.path}': a grid axis needs distinct partners, got {', '.join(labels)}")
    return dataclasses.replace(p, categories=cats), np.array([float(cats.index(v)) for v in labels])


def check_programme_axes(params: list, section: tuple, vehicle_spec: Any, mission: Any, ctx: SourceContext) -> None:
    """Every provider path names a component the scenario has (an engine or stage of its vehicle or of
    an engine-choice axis, a launch or element of the listed architectures), and is swept once;
    cost options are swept once."""
    seen: dict[tuple, str] = {}
    comps = None
    for p in params:
        if p.prefix != "programme":
            continue
        where = section + (p.path,)
        if p.keys in seen:
            raise ctx.fail(where, f"'{seen[p.keys]}' and '{p.path}' name the same programme value; keep one")
        seen[p.keys] = p.path
        if not is_provider(p) or len(p.keys) < 3:
            continue
        if comps is None:
            comps = _components(params, vehicle_spec, mission)
        kind, name = p.keys[1], p.keys[2]
        known = comps[kind]
        if name not in known:
            raise ctx.fail(where, f"'{p.path}': '{name}' is no {PROVIDER_KINDS[kind]} of this scenario"
                                  f"{suggest(name, known)}; known: {', '.join(known) or '(none)'}")


def _components(params: list, vehicle_spec: Any, mission: Any) -> dict[str, list[str]]:
    """Component names per provider kind: the vehicle's engines (and an engine-choice axis' catalog
    engines) and stages, and the launches and elements of the listed architectures."""
    from ..vehicles import catalog as _catalog

    engines: list[str] = []
    stages: list[str] = []
    holders = list(vehicle_spec.stages) + ([vehicle_spec.boosters] if vehicle_spec.boosters is not None else [])
    for h in holders:
        name = h.engine if isinstance(h.engine, str) else h.engine.name
        engines.append(name)
    stages = [s.name for s in vehicle_spec.stages]
    if vehicle_spec.boosters is not None:
        stages += ["boosters"] + ([vehicle_spec.boosters.name] if vehicle_spec.boosters.name else [])
    for p in params:
        if p.prefix == "vehicle" and p.categories and p.keys[-1] == "engine":
            cat = _catalog.default_catalog()
            engines += [str(cat.engines[k].get("name", k)) for k in p.categories]
        if p.prefix == "mission" and p.keys == ("launcher",):  # the catalog launchers of the axis
            for name in p.categories:
                v = _catalog.get_vehicle(name)
                engines += list(v.engines)
                stages += [s.name for s in v.stages] + (["boosters", v.boosters.name] if v.boosters is not None else [])
    if mission is not None:  # launchers a concept names for its launches
        for a in mission.architectures:
            for ld in mission.concept(a).launches.values():
                if getattr(ld, "launcher", None):
                    v = _catalog.get_vehicle(ld.launcher)
                    engines += list(v.engines)
                    stages += [s.name for s in v.stages] + (["boosters", v.boosters.name] if v.boosters else [])
    launches, elements = mission_components(mission)
    return {"engines": list(dict.fromkeys(engines)), "stages": list(dict.fromkeys(stages)),
            "launches": launches, "elements": elements}


def check_cost_values(p: ParamInfo, vals: np.ndarray, where: tuple, ctx: SourceContext) -> None:
    """Grid/zip values (or a distribution's central 99.8 %) of a cost option inside its range."""
    name = p.keys[1]
    ok = cost_value_ok(name, vals)
    if not ok.all():
        bad = vals[~ok][0]
        if name == "work_year":
            rule = "positive (the value of one Work-Year in the model's currency)"
        else:
            lo, hi, integer, _ = COST_FIELDS[name]
            rule = f"{'a whole number ' if integer else ''}from {lo:g} to {hi:g}"
        raise ctx.fail(where, f"'{p.path}' must be {rule}, got {bad:g}")
    if math.isnan(p.nominal):  # pragma: no cover - every option has a model default
        raise ctx.fail(where, f"'{p.path}': no nominal value")
