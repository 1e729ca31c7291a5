"""A concept plus parameter values -> the parts of an :class:`~.architectures.Architecture`
(:class:`Built`: the budget's :class:`~.budget.Mission` and the launches' delivery targets).

Parameter values, element fields and phase values may be per-case arrays (a sweep): they flow into
the budget unchanged, which stays linear in the payload and the sized loads (one closed-form solve
per case, vectorized). What shapes the flight plan -- choices, the number of a repeated launch --
and what the launcher flies to (a C3, an orbit) is one value per architecture variant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M
from ..vehicles.targets import Target
from .budget import Element, Item, Mission, Phase
from .concept import BUDGET_KIND, ITEM_TYPES, Concept, ConceptError, ElementDef, LegValue, Value
from .concept_check import check_flow, counts_of
from .elements import boiloff_per_day, mission_data
from .legs import LEGS

__all__ = ["Built", "build_concept", "check_overrides", "ELEMENT_FIELDS", "PHASE_FIELDS"]

_DAY = 86400.0

ELEMENT_FIELDS = {"isp": "isp_s", "dry_mass": "dry_kg", "dry_fraction": "dry_fraction", "propellant": "propellant_kg",
                  "capacity": "capacity_kg", "boiloff_per_day": "boiloff_per_day", "residual": "residual_fraction",
                  "mass": "mass_kg", "fraction": "entry_fraction"}
"""Concept element field -> the :class:`~.budget.Element` / :class:`~.budget.Item` attribute (SI)."""
PHASE_FIELDS = ("dv", "days", "amount", "loss")
"""Numeric phase fields that may be overridden (``phases: {NAME: {dv: ...}}``), SI (days in s)."""


def _element(ed: ElementDef, env: dict, over: dict[str, Any]) -> Element | Item:
    """The budget member of ``ed``: library values, then the concept's fields, then ``over``
    (concept field names, SI; ``propellant_type`` a propellant combination)."""
    vals: dict[str, Any] = {}
    prop = "storable"
    if ed.library is not None:
        lib = mission_data()["elements"][ed.library]
        prop = lib.get("propellant", prop)
        vals = {k: float(v) for k, v in lib.items() if k in ELEMENT_FIELDS.values()}
    if ed.propellant_type is not None:
        prop = ed.propellant_type
    for f, v in ed.fields.items():
        vals[ELEMENT_FIELDS[f]] = v(env)
    load = ed.load
    for f, v in over.items():
        if f == "propellant_type":
            prop = v
        elif f == "propellant" and v in ("sized", "launch"):
            load = v
        else:
            vals[ELEMENT_FIELDS[f]] = v
            if f == "propellant":
                load = None
    if ed.type == "payload":
        return Item(ed.name, payload=True)
    if ed.type in ITEM_TYPES:
        return Item(ed.name, mass_kg=vals.get("mass_kg", 0.0), hardware=ed.hardware)
    if ed.type == "aeroshell":
        return Item(ed.name, hardware=ed.hardware, entry_fraction=vals["entry_fraction"])
    boil = vals.get("boiloff_per_day")
    return Element(
        name=ed.name,
        isp_s=vals.get("isp_s", np.nan),
        dry_kg=vals.get("dry_kg", 0.0),
        dry_fraction=vals.get("dry_fraction", 0.0),
        propellant_kg=None if load is not None else vals["propellant_kg"],
        capacity_kg=vals.get("capacity_kg", float("inf")),
        boiloff_per_day=boiloff_per_day(prop) if boil is None else boil,
        residual_fraction=vals.get("residual_fraction", 0.0),
    )


def _source(ph, concept: Concept) -> str:
    if ph.source:
        return ph.source
    if isinstance(ph.dv, LegValue):
        return LEGS[ph.dv.leg].source
    if isinstance(ph.dv, Value) and ph.dv.expr is not None and len(ph.dv.names) == 1:
        p = concept.parameters[ph.dv.names[0]]
        return f"parameter {p.name}: {p.source[:120]}"
    return ""


def _scalar(x: Any, what: str) -> float:
    if np.ndim(x) != 0:
        raise ValueError(f"{what} is one value per architecture variant (it sets what the launcher flies to), "
                         "not a per-case array")
    return float(x)


@dataclass(frozen=True)
class Built:
    """What :func:`build_concept` makes of a concept: the budget's ``mission``, ``deliveries``
    (launch -> :class:`~jointmission.vehicles.targets.Target`), ``fillable`` launches, ``notes``
    (the options chosen, the launch counts) and ``launch_filled`` (element -> launch whose lift
    sets its load)."""

    concept: Concept
    mission: Mission
    deliveries: dict[str, Target]
    fillable: tuple[str, ...]
    notes: dict[str, Any]
    launch_filled: dict[str, str]
    launchers: dict[str, str]


def build_concept(concept: Concept, params: dict[str, Any] | None = None, *, choice: dict[str, str] | None = None,
                  elements: dict[str, dict[str, Any]] | None = None,
                  phases: dict[str, dict[str, Any]] | None = None) -> Built:
    """The :class:`Built` parts of ``concept``'s architecture.

    ``params``: parameter name -> SI value (float or per-case array) replacing the concept's value;
    ``choice``: choice name -> option; ``elements``: element name *or* generic element key (every
    element built ``from`` it) -> ``{field: SI value}`` (concept field names: ``isp``, ``dry_mass``,
    ``dry_fraction``, ``propellant`` (a load [kg], ``"sized"`` or ``"launch"``), ``capacity``,
    ``boiloff_per_day``, ``residual``, ``propellant_type``, ``mass``, ``fraction``); ``phases``: phase
    name -> ``{dv [m/s], days [s], amount [kg], loss [-]}`` replacing the phase's value.
    """
    env = {n: p.value for n, p in concept.parameters.items()}
    for k, v in (params or {}).items():
        if k not in env:
            raise KeyError(f"'{k}' is not a parameter of concept '{concept.name}'")
        env[k] = v
    counts = {k: int(round(_scalar(v, f"the number of '{k}' launches"))) for k, v in counts_of(concept, env).items()}
    choice = dict(choice or {})
    for c in choice:
        if c not in concept.choices or choice[c] not in concept.choices[c].options:
            raise KeyError(f"concept '{concept.name}' has no choice {c}={choice[c]!r}")
    plan = check_flow(concept, choice, counts)
    el_over = elements or {}
    members_el, members_it = [], []
    launch_filled: dict[str, str] = {}
    member_launch = {m: ln for ln, (_, carried) in plan.launches.items() for m in carried}
    for name, ed in plan.elements.items():
        over: dict[str, Any] = {}
        base = ed.name
        for key in (ed.library, _base_name(base, plan, concept), base):
            if key is not None and key in el_over:
                over.update(el_over[key])
        m = _element(ed, env, over)
        if isinstance(m, Element):
            members_el.append(m)
            if (over.get("propellant") == "launch") or (ed.load == "launch" and "propellant" not in over):
                launch_filled[name] = member_launch[name]
        else:
            members_it.append(m)
    ph_over = phases or {}
    out_phases = []
    for i, ph in enumerate(plan.phases):
        ov = ph_over.get(ph.name, {})
        dv = ov.get("dv", ph.dv(env) if ph.dv is not None else 0.0)
        days = ov.get("days", ph.days(env) if ph.days is not None else None)
        days = 0.0 if days is None else days / _DAY
        amount, amount_kg = "mass", 0.0
        if ph.kind == "propellant_transfer":
            if ph.amount in ("all", "fill"):
                amount = ph.amount
            else:
                amount_kg = ov.get("amount", ph.amount(env))
        loss = ov.get("loss", ph.loss(env) if ph.loss is not None else 0.0)
        out_phases.append(Phase(
            ph.name, BUDGET_KIND[ph.kind], ph.element if ph.element is not None else ph.source_el, dv, days,
            stack=ph.stack, drop=ph.drop, sized_item=ph.sized_item, source=_source(ph, concept),
            transfer_to=ph.target_el, amount=amount, amount_kg=amount_kg, loss=loss,
            arrive=plan.arrive.get(i, ()) if i > 0 else ()))
    launches = {ln: carried for ln, (_, carried) in plan.launches.items()}
    deliveries = {}
    for ln, (ld, _) in plan.launches.items():
        if "orbit" in ld.to:
            deliveries[ln] = Target.orbit(_scalar(ld.to["orbit"](env), f"launch '{ln}' orbit"))
        else:
            park = ld.to["parking_altitude"](env) if "parking_altitude" in ld.to else DEFAULT_PARKING_ALT_M
            deliveries[ln] = Target.c3(_scalar(ld.to["c3"](env), f"launch '{ln}' C3"),
                                       _scalar(park, f"launch '{ln}' parking altitude"))
    fillable = tuple(ln for ln, (ld, _) in plan.launches.items() if ld.fill)
    mission = Mission(concept.name, tuple(members_el), tuple(members_it), tuple(out_phases), launches=launches)
    notes = {c: choice.get(c, concept.choices[c].default) for c in concept.choices}
    notes.update({f"{k} count": v for k, v in counts.items() if concept.launches[k].count is not None})
    own = {ln: ld.launcher for ln, (ld, _) in plan.launches.items() if ld.launcher is not None}
    return Built(concept, mission, deliveries, fillable, notes, launch_filled, own)


def _base_name(name: str, plan, concept: Concept) -> str | None:
    """The element name as written for a copy of a repeated launch (``tanker 3`` -> ``tanker``)."""
    head, _, tail = name.rpartition(" ")
    if tail.isdigit() and head in concept.element_defs():
        return head
    return None


def check_overrides(concept: Concept, elements: dict[str, dict] | None, phases: dict[str, dict] | None,
                    choice: dict[str, str] | None = None) -> None:
    """Raise :class:`~.concept.ConceptError` for an override naming no element (or generic element
    used by the concept) or no phase."""
    from .concept import did_you_mean

    defs = concept.element_defs(choice)
    libs = {e.library for e in defs.values() if e.library}
    for key in elements or {}:
        if key not in defs and key not in libs:
            raise ConceptError(("elements", key), f"concept '{concept.name}' has no element '{key}'"
                                                  f"{did_you_mean(key, [*defs, *libs])}")
    names = [p.name for p in concept.phase_sequence(choice)]
    for key in phases or {}:
        if key not in names:
            raise ConceptError(("phases", key), f"concept '{concept.name}' has no phase '{key}'"
                                                f"{did_you_mean(key, names)}")
