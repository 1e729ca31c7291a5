"""The cost of a case's bill of materials, per row, with the programme's
:class:`~jointmission.programme.cost_model.CostModel` (TransCost relationships, US$ of a stated year).

Each row is priced where the work is done: with the productivity factor of its provider's country.

- **Engines**: one development per engine type (whatever the number of stages flying it) and the
  production series of every engine of that type the mission flies (``units_per_mission`` = the
  count over all flights), in the turbopump-engine category of its propellants (pressure-fed when
  its cycle says so). The cost of an engine type is shared between its rows in proportion to their
  counts.
- **Stage and booster airframes**: one development per stage (by launcher and stage name), the
  production of its units, in the stage category of its propellants (dry mass without engines, as
  TransCost separates engines from the vehicle systems); a recovered stage in the reusable stage
  category.
- **Integration hardware** (fairing, other jettisoned hardware, payload adapter) is not priced:
  TransCost has no relationship for it (its vehicle-system relationships are fitted to whole stages).
- **Launches**: TransCost direct (ground, mission) and indirect operations and the propellant
  purchased (the launcher's stages and the mission elements loaded at the pad, by propellant, with
  typical mixture ratios; an element's load is bought at the pad of its launch, its other
  transfers are not priced), per flight times the flights per mission, by the launch provider.
- **Mission elements and hardware items** by concept element type: crew vehicles and capsules as
  crewed capsules, habitats as crewed space systems, propulsive stages, depots and tankers as
  expendable stages of their propellants, and uncrewed hardware TransCost has no relationship for
  (landers, service modules, heat shields, other items) as propulsion modules.
- An engine type, a stage or an element (the copies of a repeated launch's element are units of
  one) is priced once, where its first unit is built; rows sharing it share its cost by units.
- Items listed as existing (``existing``: engine, stage or element names) are charged no development.
- Crew, cargo, payload and the launch site (its operations are in the launches) cost nothing here.

:func:`cost_rows` returns one :class:`~jointmission.programme.cost_model.ItemCost` per row (per
mission, in ``model.money``); their sum over the rows is the case's cost.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from . import transcost as tc
from ..vehicles.vehicle import LaunchVehicle
from .bom import BomItem
from .cost_model import CostModel, ItemCost
from .partners import Programme
from .providers import base_name

__all__ = ["cost_rows", "flight_cost", "ELEMENT_CATEGORY", "MIXTURE", "propellant_masses"]

#: Concept element type -> TransCost category (``None``: the stage category of its propellants).
ELEMENT_CATEGORY: dict[str, str | None] = {
    "crew_vehicle": "crewed_capsule", "capsule": "crewed_capsule", "habitat": "crewed_space_system",
    "stage": None, "depot": None, "tanker": None,
    "lander": "propulsion_module", "service_module": "propulsion_module", "aeroshell": "propulsion_module",
    "item": "propulsion_module", "element": "propulsion_module",
}

#: Oxidiser / fuel mass ratios used to split a propellant load by kind for its purchase price (typical
#: engine mixture ratios: RS-25 6.0 (NASA SSME fact sheet), RD-180 2.72 (NPO Energomash), AJ10-190
#: MMH/N2O4 1.65 (Space Shuttle OMS)); methane has no TransCost price and is priced as kerosene.
MIXTURE: dict[str, tuple[tuple[str, float], tuple[str, float]]] = {
    "hydrolox": (("lox", 6.0), ("lh2", 1.0)),
    "kerolox": (("lox", 2.72), ("kerosene", 1.0)),
    "methalox": (("lox", 3.6), ("kerosene", 1.0)),
    "storable": (("n2o4", 1.65), ("mmh", 1.0)),
}

_MISSION_PROP = {"lox_lh2": "hydrolox", "lox_lch4": "methalox", "lox_rp1": "kerolox", "storable": "storable"}


def _class(propellants: str) -> str:
    """Propellant class of a catalog or mission-element propellant string (``storable`` when unknown)."""
    key = _MISSION_PROP.get(propellants.strip().lower(), propellants)
    try:
        return tc.propellant_class(key) if key else "storable"
    except ValueError:
        return "storable"


def propellant_masses(kg: float, propellants: str) -> dict[str, float]:
    """``kg`` [kg] of a propellant combination split by kind (``lox``, ``lh2``, ``kerosene``,
    ``n2o4``, ``mmh``) with :data:`MIXTURE`; a solid load is not split (no price: ``{}``)."""
    cls = _class(propellants)
    if cls not in MIXTURE:
        return {}
    (ox, r), (fuel, one) = MIXTURE[cls]
    return {ox: kg * r / (r + one), fuel: kg * one / (r + one)}


def _country(programme: Programme, partner: str) -> str:
    return programme.partner(partner).country


def _stage_category(row: BomItem) -> str:
    cls = _class(row.propellants)
    if cls == "solid" and row.recovered:
        return tc.stage_category(cls, booster=row.kind == "booster")
    return tc.stage_category(cls, reusable=row.recovered, booster=row.kind == "booster")


def cost_rows(programme: Programme, bom: Sequence[BomItem], model: CostModel, *,
              existing: Collection[str] = (), stages_per_launch: dict[str, int] | None = None,
              scales: Mapping[tuple[str, str], Any] | None = None) -> list[ItemCost]:
    """The cost per mission of each row of ``bom`` (same order), in ``model.money`` (see the module
    docstring). ``existing``: engine, stage and element names charged no development;
    ``stages_per_launch``: launch name -> stages of its launcher (boosters count as one), for the
    operations relationships (default 1). ``scales``: Monte Carlo multipliers
    ``{(category, "development" | "production"): array}`` (as
    :func:`jointmission.programme.cost_uncertainty.sample_scales` draws them) and ``("operations",
    "operations")`` for the launches' operations; the costs then come back as arrays over the draws
    (a missing key is 1)."""
    scales = scales or {}

    def sc(cat: str, part: str) -> Any:
        return scales.get((cat, part), 1.0)

    zero = ItemCost(np.zeros(()), np.zeros(()), np.zeros(()))
    out: list[ItemCost] = [zero] * len(bom)
    stages_per_launch = stages_per_launch or {}
    # engines and airframes: one development per type, the production of all its units, shared by count
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(bom):
        if r.kind == "engine":
            groups.setdefault(("engine", r.name), []).append(i)
        elif r.kind in ("stage", "booster"):
            groups.setdefault((r.kind, r.vehicle, r.name), []).append(i)
    for key, idx in groups.items():
        rows = [bom[i] for i in idx]
        r0 = rows[0]
        units = sum(r.count for r in rows)
        if units <= 0 or r0.unit_dry_kg <= 0:
            continue
        if key[0] == "engine":
            cat = tc.engine_category(r0.propellants or "LOX/RP-1", r0.cycle or None)
        else:
            cat = _stage_category(r0)
        c = model.item_cost(cat, r0.unit_dry_kg, round(units), country=_country(programme, r0.provider),
                            develop=r0.name not in existing, dev_scale=sc(cat, "development"),
                            prod_scale=sc(cat, "production"))
        for i, r in zip(idx, rows):
            w = r.count / units
            out[i] = ItemCost(c.development * w, c.production * w, c.operations * w)
    loaded: dict[str, dict[str, float]] = {}  # per launch: propellant per flight by kind
    counts = {r.launch: r.count for r in bom if r.kind == "launch"}
    for r in bom:
        if r.kind in ("element", "engine") and r.loaded_kg > 0 and r.launch:
            d = loaded.setdefault(r.launch, {})
            per_flight = r.loaded_kg / counts[r.launch] if r.kind == "engine" else r.loaded_kg
            for k, m in propellant_masses(per_flight, r.propellants).items():
                d[k] = d.get(k, 0.0) + m
    for i, r in enumerate(bom):
        if r.kind == "launch" and r.count > 0:
            props = loaded.get(r.launch, {})
            out[i] = model.launch_cost(r.liftoff_kg, stages_per_launch.get(r.launch, 1), propellant_kg=props,
                                       country=_country(programme, r.provider), launches_per_mission=round(r.count),
                                       ops_scale=sc("operations", "operations"))
    # mission elements and hardware items: one development per element as written (the copies of a
    # repeated launch's element, 'tanker 1..4', are units of one 'tanker'), its units' production
    elements: dict[tuple, list[int]] = {}
    for i, r in enumerate(bom):
        if r.kind in ("element", "item") and r.hardware and r.dry_kg > 0:
            elements.setdefault((r.category, base_name(r.name)), []).append(i)
    for (category, name), idx in elements.items():
        provider = bom[idx[0]].provider  # whose industry develops it (copies built elsewhere share the cost)
        rows = [bom[i] for i in idx]
        cat = ELEMENT_CATEGORY.get(category, "propulsion_module")
        if cat is None:
            cat = tc.stage_category(_class(rows[0].propellants))
        mean = sum(r.dry_kg for r in rows) / len(rows)
        c = model.item_cost(cat, mean, len(rows), country=_country(programme, provider),
                            develop=name not in existing and rows[0].name not in existing,
                            dev_scale=sc(cat, "development"), prod_scale=sc(cat, "production"))
        for i, r in zip(idx, rows):
            w = 1.0 / len(rows)
            out[i] = ItemCost(c.development * w, c.production * w, c.operations * w)
    return out



def flight_cost(programme: Programme, vehicle: LaunchVehicle, model: CostModel, *, delivered_kg: float = 0.0,
                existing: Collection[str] = ()) -> ItemCost:
    """Cost of one flight of ``vehicle`` [model currency] in a campaign of ``model.missions`` flights:
    its engines and airframes (development spread over the campaign, production) and the launch
    operations, priced as :func:`cost_rows` prices a case's launcher, with the programme's providers.
    ``delivered_kg`` [kg]: the mass it delivers (lift-off mass of the operations relationships)."""
    from .bom import launcher_bom

    rows = launcher_bom(programme, vehicle, delivered_kg)
    stages = len(vehicle.stages) + (1 if vehicle.boosters is not None else 0)
    costs = cost_rows(programme, rows, model, existing=existing, stages_per_launch={"flight": stages})
    return ItemCost(*(sum((c[k] for c in costs), np.zeros(())) for k in range(3)))
