"""The contribution ledger: a case's bill of materials summed per partner, against the agreed shares.

Per partner (one row per case x partner, :data:`LEDGER_COLUMNS`): hardware dry mass supplied
(launcher airframes, engines, integration hardware, mission elements and hardware items), engines
delivered (count and mass), propellant loaded, launches provided, total impulse and delta-v
credited and their shares of the case's totals, the payload delivered for it, and the **barter
balance**: its share of the programme's contributions minus its agreed share (as the ISS partners
balance their contributions against their shares of the station's resources). A positive balance
means the partner puts in more than it agreed to, a negative one that it owes. The mass balance
weighs contributions by hardware dry mass; the cost balance (when the cost model prices the case)
by cost.

:func:`mission_totals` computes the case's totals from the launcher and the mission budget directly
(not from the bill of materials); the partners' sums equal them (the ledger closes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..constants import G0
from ..missions.architectures import Architecture, ArchitectureResult
from ..vehicles.vehicle import LaunchVehicle
from .bom import BomItem, chosen, launch_counts
from .partners import Programme

__all__ = ["LEDGER_COLUMNS", "partner_ledger", "mission_totals", "case_ledger", "LEDGER_SUMS"]

#: Ledger columns (after the case columns): name -> (unit, description).
LEDGER_COLUMNS: dict[str, tuple[str, str]] = {
    "partner": ("", "partner name"),
    "country": ("", "partner's country"),
    "agency": ("", "partner's agency"),
    "agreed_share": ("", "agreed share of the programme (fraction)"),
    "hardware_t": ("t", "hardware dry mass supplied: launcher airframes, engines, fairing, mission elements and "
                        "hardware items (launcher hardware counted once per launch)"),
    "launcher_hardware_t": ("t", "of which launcher hardware (airframes, engines, fairing)"),
    "spacecraft_hardware_t": ("t", "of which mission elements and hardware items (with dry-mass growth)"),
    "engines": ("", "rocket engines delivered (count over all launches)"),
    "engines_t": ("t", "mass of the engines delivered"),
    "propellant_t": ("t", "propellant loaded at the pad for the launches it provides (launcher and mission "
                          "elements)"),
    "launches": ("", "launches provided"),
    "impulse_MN_s": ("MN s", "total impulse credited: launcher stages (to the engine supplier, m_prop Isp_vac g0) "
                             "and in-space burns (to the element's provider)"),
    "impulse_share": ("", "share of the case's total impulse (fraction)"),
    "dv_km_s": ("km/s", "delta-v credited: ideal delta-v of the launcher phases its engines fly (per launch, "
                        "summed) and of the in-space burns of its elements"),
    "dv_share": ("", "share of the case's delta-v (fraction)"),
    "payload_t": ("t", "payload delivered for the partner (its payload allocation x the case's payload)"),
    "hardware_share": ("", "share of the case's hardware dry mass (fraction)"),
    "mass_balance": ("", "barter balance in mass: hardware share minus agreed share (fraction; > 0: puts in more "
                         "than agreed)"),
    "cost_MUSD": ("MUSD", "cost of its contributions per mission: development (spread over the programme's missions) "
                          "+ production + launch operations, million US$ of the year in 'money'"),
    "development_MUSD": ("MUSD", "of which development per mission"),
    "production_MUSD": ("MUSD", "of which production per mission"),
    "operations_MUSD": ("MUSD", "of which launch operations per mission"),
    "cost_share": ("", "share of the case's cost (fraction)"),
    "cost_balance": ("", "barter balance in cost: cost share minus agreed share (fraction; > 0: puts in more "
                         "than agreed)"),
    "money": ("", "currency and year of the costs (e.g. 'USD 2024')"),
    "destination": ("", "where the case's payload goes: moon or mars"),
    "mission_cost_MUSD": ("MUSD", "the case's cost per mission (all partners)"),
    "mission_payload_t": ("t", "the case's payload delivered (landed, or the required payload)"),
    "cost_per_t_MUSD": ("MUSD/t", "the case's cost per tonne of payload delivered"),
}

LEDGER_SUMS = ("hardware_t", "launcher_hardware_t", "spacecraft_hardware_t", "engines", "engines_t", "propellant_t",
               "launches", "impulse_MN_s", "dv_km_s", "payload_t", "cost_MUSD", "development_MUSD", "production_MUSD",
               "operations_MUSD")
"""Ledger columns that add up over the partners to the case's totals."""


def _share(x: float, total: float) -> float:
    return x / total if total > 0 and math.isfinite(total) else math.nan


def partner_ledger(programme: Programme, bom: Sequence[BomItem], costs: Sequence[Any] | None = None, *,
                   money: str = "") -> list[dict[str, Any]]:
    """One ledger row per partner (programme order) of a case's bill of materials ``bom``
    (:func:`jointmission.programme.bom.bill_of_materials`); columns :data:`LEDGER_COLUMNS` (t, MN s,
    km/s, MUSD, fractions). ``costs``: the cost per mission of each row
    (:func:`jointmission.programme.costing.cost_rows`, ``(development, production, operations)``
    [US$]) in ``money`` (``"USD 2024"``); without, the cost columns are NaN. An empty ``bom`` (an
    infeasible case) gives rows with NaN contributions."""
    names = programme.names
    sums = {p: dict.fromkeys(LEDGER_SUMS, 0.0) for p in names}
    for i, r in enumerate(bom):
        s = sums[r.provider]
        if costs is not None:
            dev, prod, ops = (float(x) for x in costs[i][:3])
            s["development_MUSD"] += dev / 1e6
            s["production_MUSD"] += prod / 1e6
            s["operations_MUSD"] += ops / 1e6
            s["cost_MUSD"] += (dev + prod + ops) / 1e6
        if r.hardware:
            s["hardware_t"] += r.dry_kg / 1e3
            if r.kind in ("engine", "stage", "booster", "integration"):
                s["launcher_hardware_t"] += r.dry_kg / 1e3
            else:
                s["spacecraft_hardware_t"] += r.dry_kg / 1e3
        if r.kind == "engine":
            s["engines"] += r.count
            s["engines_t"] += r.dry_kg / 1e3
        s["propellant_t"] += r.propellant_kg / 1e3
        s["launches"] += r.launches
        s["impulse_MN_s"] += r.impulse_n_s / 1e6
        s["dv_km_s"] += r.dv_m_s / 1e3
        s["payload_t"] += r.payload_kg / 1e3
    if not bom or costs is None:
        for s in sums.values():
            for k in s:
                if not bom or k.endswith("_MUSD"):
                    s[k] = math.nan
    tot = {k: math.fsum(sums[p][k] for p in names) for k in LEDGER_SUMS}
    rows = []
    for p in programme.partners:
        s = sums[p.name]
        hw_share = _share(s["hardware_t"], tot["hardware_t"])
        rows.append({"partner": p.name, "country": p.country, "agency": p.agency, "agreed_share": p.share, **s,
                     "impulse_share": _share(s["impulse_MN_s"], tot["impulse_MN_s"]),
                     "dv_share": _share(s["dv_km_s"], tot["dv_km_s"]),
                     "hardware_share": hw_share, "mass_balance": hw_share - p.share,
                     "cost_share": _share(s["cost_MUSD"], tot["cost_MUSD"]),
                     "cost_balance": _share(s["cost_MUSD"], tot["cost_MUSD"]) - p.share,
                     "money": money if costs is not None else "",
                     "mission_cost_MUSD": tot["cost_MUSD"], "mission_payload_t": tot["payload_t"],
                     "cost_per_t_MUSD": tot["cost_MUSD"] / tot["payload_t"] if tot["payload_t"] > 0 else math.nan})
    return rows


def mission_totals(arch: Architecture, res: ArchitectureResult, index: int | tuple,
                   vehicles: Mapping[str, LaunchVehicle]) -> dict[str, float]:
    """The case's totals from the launchers and the mission budget (not from the bill of
    materials): ``hardware_kg`` (per flight the lift-off mass without payload of the vehicle's
    stack less its propellant, x flights; plus the delivered mass less propellant, payload and
    non-hardware items), ``propellant_kg`` (launcher loads x flights + mission elements' loads),
    ``launches``, ``impulse_n_s`` (each stage's ``m_prop Isp_vac g0`` x flights + in-space propellant
    burned x Isp g0), ``payload_kg`` [SI]."""
    k = (index,) if isinstance(index, int) else tuple(index)
    shape = np.shape(res.payload_kg)

    def at(x: Any) -> float:
        a = np.asarray(x, dtype=float)
        return float(np.broadcast_to(a, shape)[k]) if a.ndim else float(a)

    counts = launch_counts(res)
    hw = prop = imp = 0.0
    for ln in arch.deliveries:
        n = at(counts[ln])
        v = vehicles[ln]
        m_prop = sum(s.m_prop for s in v.stages) + (v.boosters.m_prop_total if v.boosters is not None else 0.0) \
            + float(v.top_stage.attitude_control_propellant)
        prop += n * m_prop
        hw += n * (float(v.liftoff_mass(0.0)) - m_prop)  # the stack of the one vehicle builder, less propellant
        imp += n * G0 * (sum(s.m_prop * s.engine.isp_vac for s in v.stages)
                         + (v.boosters.m_prop_total * v.boosters.engine.isp_vac if v.boosters is not None else 0.0))
    delivered = sum(at(v) for v in res.launch_mass_kg.values())
    loads = sum(at(chosen(res, lambda b, n=e.name: b.loads_kg[n])) for e in arch.mission.elements)
    others = sum(at(chosen(res, lambda b, n=i.name: b.item_mass_kg[n])) for i in arch.mission.items
                 if not i.hardware and not i.payload)
    payload = at(res.payload_kg)
    hw += delivered - loads - payload - others
    prop += loads
    isp = {e.name: e.isp_s for e in arch.mission.elements}
    phases = arch.mission.phases
    for j, ph in enumerate(phases):
        if ph.element in isp and ph.kind in ("burn", "rendezvous"):  # (a tank without an engine never burns)
            burned = at(chosen(res, lambda b, j=j: np.asarray(b.phase_data["propellant_kg"])[..., j]))
            imp += burned * at(isp[ph.element]) * G0
    return {"hardware_kg": hw, "propellant_kg": prop, "launches": at(res.launches), "impulse_n_s": imp,
            "payload_kg": payload}


def case_ledger(programme: Programme, arch: Architecture, res: ArchitectureResult, index: int | tuple,
                vehicle: LaunchVehicle, *, dry_growth: Any = 0.0, element_types: Mapping[str, str] | None = None,
                element_propellants: Mapping[str, str] | None = None) -> tuple[list[dict[str, Any]], list[BomItem]]:
    """The ledger rows (:func:`partner_ledger`) and the bill of materials of case ``index`` of
    ``res``: ``arch`` flown by ``vehicle`` (launches the concept gives a catalog launcher of their own
    fly that one), providers resolved by :func:`jointmission.programme.providers.resolve_providers`.
    ``dry_growth`` [-] is the budget's dry-mass growth margin; ``element_types`` member name ->
    concept element type (the cost category), ``element_propellants`` its propellants. With the
    programme's cost options the rows carry the cost of each partner's contributions
    (:func:`jointmission.programme.costing.cost_rows`)."""
    from ..vehicles.catalog import get_vehicle
    from .bom import bill_of_materials
    from .providers import resolve_providers

    own = {ln: get_vehicle(name) for ln, name in arch.launchers.items()}
    vehicles = {ln: own.get(ln, vehicle) for ln in arch.deliveries}
    providers = resolve_providers(programme, vehicle, arch.mission.launch_members(), own)
    bom = bill_of_materials(programme, providers, arch, res, index, vehicles, dry_growth=dry_growth,
                            element_types=element_types, element_propellants=element_propellants)
    model = programme.cost_model() if bom else None
    costs = None
    if model is not None:
        from .costing import cost_rows

        stages = {ln: len(v.stages) + (1 if v.boosters is not None else 0) for ln, v in vehicles.items()}
        costs = cost_rows(programme, bom, model, existing=programme.cost.existing, stages_per_launch=stages)
    rows = partner_ledger(programme, bom, costs, money=model.money.label if model is not None else "")
    for r in rows:
        r["destination"] = arch.destination
    return rows, bom
