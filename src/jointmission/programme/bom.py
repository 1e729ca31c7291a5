"""The bill of materials of one case: one row per item flown, with its provider and masses.

A case is one architecture variant flown by one launcher (a row of the mission table). Its items:

- per launch of the concept, flown ``count`` times (1 in a forward budget; in a backward budget the
  launches a launch's mass needs, ``ceil(mass / capability)``), by the launcher traded or by the
  catalog launcher the concept names for that launch:

  - ``engine``: the engines of each stage and of the boosters (count = engines per vehicle x
    launches; dry mass = the catalog engine mass); the stage's total impulse and its delta-v are
    credited here, to the engine supplier;
  - ``stage`` / ``booster``: the airframe, i.e. the stage dry mass (with its recovery hardware)
    less its engines; a recovered stage is counted as if expended (its hardware per flight);
  - ``integration``: fairing, other jettisoned hardware and the payload adapter;
  - ``launch``: the launch service (launches provided) and all propellant loaded at the pad: the
    launcher's and that of the mission elements it lifts;
  - ``launch_site``: the site's operations (no mass; for the cost model);

- per mission member: ``element`` (a propulsive element's dry mass as flown, i.e. with the design
  dry-mass growth; its in-space total impulse and delta-v), ``item`` (a hardware item: capsule,
  habitat, heat shield; or a non-hardware one: crew, fixed cargo) and ``payload`` (the payload,
  one row per partner, split by the programme's payload allocation).

The launcher's delta-v per launch is the ideal (rocket-equation, vacuum Isp) delta-v of each of its
flight phases carrying the launch's delivered mass (:func:`jointmission.core.rocket.stack_delta_v`);
the booster phase is split between the boosters' and the core stage's engines by their thrust. The
total impulse of a stage is ``m_prop Isp_vac g0``; of an in-space burn ``propellant burned x Isp g0``.
Aggregation per partner is :mod:`jointmission.programme.ledger`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..constants import G0
from ..core.rocket import stack_delta_v
from ..missions.architectures import Architecture, ArchitectureResult
from ..vehicles.vehicle import LaunchVehicle
from .partners import Programme
from .providers import CaseProviders, base_name

__all__ = ["BomItem", "BOM_KINDS", "launch_counts", "chosen", "bill_of_materials", "launcher_bom", "base_name"]

BOM_KINDS = ("engine", "stage", "booster", "integration", "launch", "launch_site", "element", "item", "payload")
"""Kinds of bill-of-materials rows (see the module docstring)."""


@dataclass(frozen=True)
class BomItem:
    """One row of a bill of materials (SI: kg, N s, m/s).

    kind : one of :data:`BOM_KINDS`. name : the component (engine, stage, element name ...).
    provider : the partner supplying it. category : what it is for the cost model (``engine``,
    ``stage``, ``booster``, ``fairing``, ``launch``, ``launch_site``, or the concept element type:
    ``lander``, ``crew_vehicle``, ``capsule``, ``aeroshell`` ...). launch : the concept launch it
    flies on (``""`` for none). vehicle : the launcher flying that launch. count : units supplied
    (engines, stages, boosters (each booster a unit), launches; 1 for a mission element). unit_dry_kg : dry mass of one unit [kg].
    dry_kg : hardware dry mass supplied [kg] (count x unit; 0 for non-hardware).
    propellant_kg : propellant loaded [kg]. impulse_n_s : total impulse credited [N s].
    dv_m_s : delta-v credited [m/s]. launches : launches provided. payload_kg : payload delivered
    for this provider [kg]. other_kg : delivered mass that is neither hardware, propellant nor
    payload (crew, fixed cargo) [kg]. hardware : whether ``dry_kg`` counts as hardware.
    propellants : the propellant combination its engines burn or its tanks hold (``LOX/RP-1``,
    ``lox_lh2``; ``""`` when none). cycle : an engine's cycle. recovered : a stage recovered after
    flight (the cost model prices it as reusable hardware). loaded_kg : the propellant loaded at the
    pad in a mission element, or in the stage an engine row's engines burn [kg] (counted in its
    launch's ``propellant_kg``, credited to the launch provider). liftoff_kg : a launch's lift-off mass per flight [kg].
    """

    kind: str
    name: str
    provider: str
    category: str
    launch: str = ""
    vehicle: str = ""
    count: float = 1.0
    unit_dry_kg: float = 0.0
    dry_kg: float = 0.0
    propellant_kg: float = 0.0
    impulse_n_s: float = 0.0
    dv_m_s: float = 0.0
    launches: float = 0.0
    payload_kg: float = 0.0
    other_kg: float = 0.0
    hardware: bool = True
    propellants: str = ""
    cycle: str = ""
    recovered: bool = False
    loaded_kg: float = 0.0
    liftoff_kg: float = 0.0


def chosen(res: ArchitectureResult, get: Any) -> np.ndarray:
    """Per case, ``get(budget)`` of the budget solution each case flies (the backward budget, or
    the binding launch's candidate): an array of the case shape (NaN where no solution binds)."""
    shape = np.shape(res.payload_kg)
    out = np.full(shape, np.nan)
    for name, b in res.budgets.items():
        sel = np.ones(shape, dtype=bool) if name == "backward" else (res.binding == name)
        if sel.any():
            out = np.where(sel, np.broadcast_to(np.asarray(get(b), dtype=float), shape), out)
    return out


def launch_counts(res: ArchitectureResult) -> dict[str, np.ndarray]:
    """Launches flown per concept launch, per case: 1 each in a forward budget; in a backward budget
    ``ceil(mass / capability)`` (a launch heavier than its launcher is split over several). NaN
    where the case is infeasible. Their sum is ``res.launches``."""
    shape = np.shape(res.payload_kg)
    ok = res.status == 0
    out = {}
    for ln in res.architecture.deliveries:
        if res.binding_code is None:
            with np.errstate(invalid="ignore", divide="ignore"):
                n = np.ceil(np.asarray(res.launch_mass_kg[ln]) / np.asarray(res.capability_kg[ln]) - 1e-12)
        else:
            n = np.ones(shape)
        out[ln] = np.where(ok, np.broadcast_to(n, shape), np.nan)
    return out


def _scalar(x: Any, k: tuple, shape: tuple) -> float:
    """Case ``k`` of ``x`` (a scalar or an array broadcasting to the case ``shape``)."""
    a = np.asarray(x, dtype=float)
    return float(np.broadcast_to(a, shape)[k]) if a.ndim else float(a)


def _launcher_rows(v: LaunchVehicle, n: float, delivered_kg: float, ln: str, cp: CaseProviders) -> list[BomItem]:
    """Engines, airframes, integration, launch service and launch site of ``n`` flights of ``v``,
    each delivering ``delivered_kg`` [kg]."""
    vp = cp.launchers[ln]
    rows: list[BomItem] = []
    va = v.arrays()
    dv = np.asarray(va.per_stage(stack_delta_v(va.stack, delivered_kg)), dtype=float)  # (n_stages + 1,)
    prop = 0.0
    # (part name, kind, engine, engines per vehicle, propellant, dry, delta-v credited, units per vehicle)
    parts = []
    b = v.boosters
    core0_dv = float(dv[1])
    if b is not None:
        tb = b.thrust_vac
        tc = v.stages[0].thrust_vac * v.stages[0].throttle_during_boosters
        fb = tb / (tb + tc)
        hw = b.recovery.hardware * b.count if b.recovery is not None else 0.0
        parts.append((b.name, "booster", b.engine, b.n_engines, b.m_prop_total, b.m_dry_total + hw, float(dv[0]) * fb,
                      b.count))
        core0_dv += float(dv[0]) * (1.0 - fb)
    for k, s in enumerate(v.stages):
        hw = s.recovery.hardware if s.recovery is not None else 0.0
        parts.append((s.name, "stage", s.engine, s.engine_count, s.m_prop, s.m_dry + hw,
                      core0_dv if k == 0 else float(dv[k + 1]), 1))
    rec = {b.name: b.recovery is not None} if b is not None else {}
    rec.update({s.name: s.recovery is not None for s in v.stages})
    for name, kind, eng, ne, m_prop, m_dry, dv_part, units in parts:
        e_mass = float(eng.mass) if eng.mass is not None else 0.0
        e_total = min(e_mass * ne, m_dry)  # an engine heavier than its stage's dry mass: stage all engine
        rows.append(BomItem("engine", eng.name, vp.engines[eng.name], "engine", ln, v.name, count=ne * n,
                            unit_dry_kg=e_total / ne, dry_kg=e_total * n,
                            impulse_n_s=m_prop * eng.isp_vac * G0 * n, dv_m_s=dv_part * n,
                            propellants=eng.propellants or "", cycle=eng.cycle or "", loaded_kg=m_prop * n))
        rows.append(BomItem(kind, name, vp.stages[name], kind, ln, v.name, count=units * n,
                            unit_dry_kg=(m_dry - e_total) / units, dry_kg=(m_dry - e_total) * n,
                            propellants=eng.propellants or "", recovered=rec[name]))
        prop += m_prop
    for j in v.jettisons:
        rows.append(BomItem("integration", j.name, vp.vehicle, "fairing" if j.name == "fairing" else "integration",
                            ln, v.name, count=n, unit_dry_kg=j.mass, dry_kg=j.mass * n))
    adapter = float(v.top_stage.payload_adapter)
    if adapter > 0:
        rows.append(BomItem("integration", "payload adapter", vp.vehicle, "integration", ln, v.name, count=n,
                            unit_dry_kg=adapter, dry_kg=adapter * n))
    prop += float(v.top_stage.attitude_control_propellant)
    rows.append(BomItem("launch", ln, cp.launches[ln], "launch", ln, v.name, count=n, propellant_kg=prop * n,
                        launches=n, liftoff_kg=float(v.liftoff_mass(delivered_kg))))
    rows.append(BomItem("launch_site", v.launch_site or "launch site", vp.launch_site, "launch_site", ln, v.name,
                        count=n, hardware=False))
    return rows


def bill_of_materials(programme: Programme, providers: CaseProviders, arch: Architecture, res: ArchitectureResult,
                      index: int | tuple, vehicles: Mapping[str, LaunchVehicle], *, dry_growth: float = 0.0,
                      element_types: Mapping[str, str] | None = None,
                      element_propellants: Mapping[str, str] | None = None) -> list[BomItem]:
    """The bill of materials of case ``index`` of ``res`` (the evaluation of ``arch``).

    ``vehicles``: launch name -> the launcher flying it; ``dry_growth`` [-]: the design dry-mass
    growth margin of the budget (applied to elements' dry masses and hardware items, as the budget
    does); ``element_types``: member name -> concept element type (the cost category);
    ``element_propellants``: member name -> its propellant combination. Returns no rows for an
    infeasible case.
    """
    k = (index,) if isinstance(index, int) else tuple(index)
    shape = np.shape(res.payload_kg)
    if int(np.asarray(res.status)[k]) != 0:
        return []
    types = dict(element_types or {})
    props = dict(element_propellants or {})
    mission = arch.mission
    counts = launch_counts(res)
    members = mission.launch_members()
    launch_of = {m: ln for ln, mem in members.items() for m in mem}
    rows: list[BomItem] = []
    for ln in arch.deliveries:
        n = _scalar(counts[ln], k, shape)
        delivered = _scalar(res.launch_mass_kg[ln], k, shape) / n
        rows += _launcher_rows(vehicles[ln], n, delivered, ln, providers)
    growth = 1.0 + _scalar(dry_growth, k, shape)
    burn = [j for j, kind in enumerate(res.architecture.mission.phases) if kind.kind in ("burn", "rendezvous")]
    phase_el = [p.element for p in mission.phases]
    prop_burn = {}
    dv_burn = {}
    if burn:
        for j in burn:
            e = phase_el[j]
            pb = chosen(res, lambda b, j=j: np.asarray(b.phase_data["propellant_kg"])[..., j])
            dvb = chosen(res, lambda b, j=j: np.asarray(b.phase_data["dv_m_s"])[..., j])
            prop_burn.setdefault(e, []).append(_scalar(pb, k, shape))
            dv_burn.setdefault(e, []).append(_scalar(dvb, k, shape))
    launch_rows = {r.launch: i for i, r in enumerate(rows) if r.kind == "launch"}
    for e in mission.elements:
        load = _scalar(chosen(res, lambda b, n=e.name: b.loads_kg[n]), k, shape)
        dry = (_scalar(e.dry_kg, k, shape) + _scalar(e.dry_fraction, k, shape) * load) * growth
        isp = _scalar(e.isp_s, k, shape)
        ln = launch_of.get(e.name, "")
        rows.append(BomItem("element", e.name, providers.elements[e.name],
                            types.get(e.name, types.get(base_name(e.name), "element")), ln, count=1.0,
                            unit_dry_kg=dry, dry_kg=dry,
                            impulse_n_s=math.fsum(prop_burn[e.name]) * isp * G0 if e.name in prop_burn else 0.0,
                            dv_m_s=math.fsum(dv_burn.get(e.name, [])),
                            propellants=props.get(e.name, props.get(base_name(e.name), "")), loaded_kg=load))
        if ln:  # the propellant loaded at the pad: the launch provider's
            i = launch_rows[ln]
            rows[i] = replace(rows[i], propellant_kg=rows[i].propellant_kg + load)
    payload = _scalar(res.payload_kg, k, shape)
    for it in mission.items:
        ln = launch_of.get(it.name, "")
        if it.payload:
            for p in programme.partners:
                share = programme.payload_share(p.name)
                rows.append(BomItem("payload", it.name, p.name, "payload", ln, count=share,
                                    payload_kg=payload * share, hardware=False))
            continue
        mass = _scalar(chosen(res, lambda b, n=it.name: b.item_mass_kg[n]), k, shape)
        cat = types.get(it.name, types.get(base_name(it.name), "aeroshell" if it.entry_fraction is not None
                                           else "item"))
        if it.hardware:
            rows.append(BomItem("item", it.name, providers.elements[it.name], cat, ln, count=1.0,
                                unit_dry_kg=mass, dry_kg=mass))
        else:
            rows.append(BomItem("item", it.name, providers.elements[it.name], cat, ln, count=1.0,
                                other_kg=mass, hardware=False))
    return rows


def launcher_bom(programme: Programme, vehicle: LaunchVehicle, delivered_kg: float = 0.0) -> list[BomItem]:
    """The bill of materials of one flight of ``vehicle`` (launch name ``"flight"``) delivering
    ``delivered_kg`` [kg], with the programme's providers: engines, airframes, integration, the
    launch service and the launch site."""
    from .providers import resolve_providers

    cp = resolve_providers(programme, vehicle, {"flight": ()})
    return _launcher_rows(vehicle, 1.0, delivered_kg, "flight", cp)
