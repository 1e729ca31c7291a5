"""The ledger closes (hypothesis): over random concepts, launchers, capabilities, margins, partners and
provider assignments, the partners' hardware, propellant, launches, impulse and payload sum to the
case's totals computed from the launcher and the mission budget directly
(:func:`jointmission.programme.ledger.mission_totals`), to 1e-9 relative; and the bill of
materials of each launch's mission members adds up to the mass that launch delivers.

Cost: the partners' costs sum to the case's cost, and, with partners of one country (one
productivity factor), the case's cost does not depend on who provides what (no development counted
twice or lost when the work is divided), to 1e-9 relative.

1e-9: the sums are of the same numbers in a different order and grouping (a few dozen terms of up
to ~1e7 kg); double rounding leaves ~1e-15 relative, so 1e-9 only fails on a missing or doubled item.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointmission.missions import Margins, build, evaluate
from jointmission.programme.bom import bill_of_materials, launch_counts
from jointmission.programme.costing import cost_rows
from jointmission.programme.ledger import LEDGER_SUMS, mission_totals, partner_ledger
from jointmission.programme.partners import Partner, Programme, ProviderOverrides
from jointmission.programme.providers import resolve_providers
from jointmission.vehicles.catalog import get_vehicle

RTOL = 1e-9
CONCEPTS = ["moon_direct", "moon_lor_single", "moon_lor_two_launch", "moon_eor_two_launch", "moon_nrho",
            "moon_nrho_reusable", "moon_depot_cargo", "mars_cargo", "mars_crewed", "mars_sample_return"]
LAUNCHERS = ["Joint Heavy CN", "Joint Heavy RU", "Joint Heavy RU-CN hybrid", "Saturn V", "Falcon Heavy",
             "Falcon Heavy (recovery)", "Long March 5", "Angara A5"]
PARTNERS = [("Russia", "Russia"), ("China", "China"), ("USA", "USA"), ("Europe", "Europe")]
_BUILT: dict = {}


def _arch(name: str):
    if name not in _BUILT:
        params = {"tmi_c3_m2_s2": 10e6, "arrival_vinf_m_s": 3000.0} if name.startswith("mars") else {}
        _BUILT[name] = build(name, **params)
    return _BUILT[name]


def _close(a: float, b: float, what: str) -> None:
    assert abs(a - b) <= RTOL * max(abs(b), 1.0), (what, a, b)


@st.composite
def programmes(draw, vehicle, arch):
    """Four partners with random shares, and random provider overrides of the case's components."""
    w = [draw(st.floats(0.05, 1.0)) for _ in PARTNERS]
    shares = [x / sum(w) for x in w]
    partners = tuple(Partner(n, c, s) for (n, c), s in zip(PARTNERS, shares))
    names = [p.name for p in partners]
    pick = st.sampled_from(names)
    maybe = st.one_of(st.none(), pick)

    def some(keys):
        out = {}
        for k in keys:
            p = draw(maybe)
            if p is not None:
                out[k] = p
        return out

    stages = [s.name for s in vehicle.stages] + ([vehicle.boosters.name] if vehicle.boosters is not None else [])
    members = arch.mission.member_names()
    ov = ProviderOverrides(engines=some(list(vehicle.engines)), stages=some(stages),
                           launches=some(list(arch.deliveries) + ["*"]), elements=some(members),
                           vehicle=draw(maybe), launch_site=draw(maybe))
    payload = {}
    if draw(st.booleans()):
        pw = [draw(st.floats(0.0, 1.0)) for _ in names]
        pw[0] += 0.01
        payload = {n: x / sum(pw) for n, x in zip(names, pw)}
    return Programme(partners, ov, payload)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), concept=st.sampled_from(CONCEPTS), launcher=st.sampled_from(LAUNCHERS),
       cap_t=st.lists(st.floats(20.0, 250.0), min_size=3, max_size=3),
       dv=st.floats(0.0, 0.1), growth=st.floats(0.0, 0.3), reserve=st.floats(0.0, 0.03),
       required_t=st.one_of(st.none(), st.floats(0.5, 60.0)), own=st.booleans())
def test_ledger_closes(data, concept, launcher, cap_t, dv, growth, reserve, required_t, own):
    arch = _arch(concept)
    if own and len(arch.deliveries) > 1:  # a launch flown by a catalog launcher of its own
        last = list(arch.deliveries)[-1]
        arch = dataclasses.replace(arch, launchers={last: "Long March 5"})
    vehicle = get_vehicle(launcher)
    caps = {ln: np.array([cap_t[i % 3] * 1e3]) for i, ln in enumerate(arch.deliveries)}
    req = required_t * 1e3 if required_t is not None else (0.0 if not arch.fillable else None)
    res = evaluate(arch, caps, margins=Margins(dv, growth, reserve), required_payload_kg=req)
    prog = data.draw(programmes(vehicle, arch))
    own_v = {ln: get_vehicle(n) for ln, n in arch.launchers.items()}
    vehicles = {ln: own_v.get(ln, vehicle) for ln in arch.deliveries}
    providers = resolve_providers(prog, vehicle, arch.mission.launch_members(), own_v)
    bom = bill_of_materials(prog, providers, arch, res, 0, vehicles, dry_growth=growth)
    model = prog.cost_model()
    costs = cost_rows(prog, bom, model) if bom else None
    rows = partner_ledger(prog, bom, costs, money=model.money.label)
    assert [r["partner"] for r in rows] == prog.names
    if int(res.status[0]) != 0:
        assert bom == [] and all(math.isnan(r["hardware_t"]) for r in rows)
        return
    assert {r.provider for r in bom} <= set(prog.names)
    tot = mission_totals(arch, res, 0, vehicles)
    sums = {k: math.fsum(r[k] for r in rows) for k in LEDGER_SUMS}
    _close(sums["hardware_t"] * 1e3, tot["hardware_kg"], "hardware")
    _close(sums["launcher_hardware_t"] + sums["spacecraft_hardware_t"], sums["hardware_t"], "hardware split")
    _close(sums["propellant_t"] * 1e3, tot["propellant_kg"], "propellant")
    _close(sums["launches"], tot["launches"], "launches")
    _close(sums["impulse_MN_s"] * 1e6, tot["impulse_n_s"], "impulse")
    _close(sums["payload_t"] * 1e3, tot["payload_kg"], "payload")
    for key in ("impulse_share", "dv_share", "hardware_share"):
        _close(math.fsum(r[key] for r in rows), 1.0, key)
    _close(math.fsum(r["mass_balance"] for r in rows), 0.0, "balance")
    case_cost = math.fsum(float(c.total) for c in costs)
    assert case_cost > 0
    _close(sums["cost_MUSD"] * 1e6, case_cost, "cost")
    _close(math.fsum(r["cost_balance"] for r in rows), 0.0, "cost balance")
    # one country: the division of work does not change the case's cost
    usa = dataclasses.replace(prog, partners=tuple(dataclasses.replace(p, country="USA") for p in prog.partners))
    divided = math.fsum(float(c.total) for c in cost_rows(usa, bom, usa.cost_model()))
    alone = [dataclasses.replace(r, provider=prog.names[0]) for r in bom]
    single = math.fsum(float(c.total) for c in cost_rows(usa, alone, usa.cost_model()))
    _close(divided, single, "cost of a divided programme")
    # each launch's mission members (dry + propellant loaded + items + payload) = the mass it delivers
    counts = launch_counts(res)
    for ln, members in arch.mission.launch_members().items():
        mine = [r for r in bom if r.launch == ln and r.kind in ("element", "item", "payload")]
        loaded = {e.name: float(np.asarray(res.budgets[next(iter(res.budgets))].loads_kg[e.name]).ravel()[0])
                  for e in arch.mission.elements} if len(res.budgets) == 1 else None
        if loaded is None:
            continue
        mass = math.fsum(r.dry_kg + r.other_kg + r.payload_kg for r in mine) + \
            math.fsum(loaded[m] for m in members if m in loaded)
        _close(mass, float(np.asarray(res.launch_mass_kg[ln]).ravel()[0]), f"launch {ln}")
        assert float(counts[ln][0]) >= 1


def test_engines_supplied_by_one_partner_to_the_others_stage():
    """The flagship's case in words: Russian engines on the Chinese airframe. The engines are
    Russia's (count = engines per vehicle, mass = catalog engine mass), the airframe (stage dry mass
    less engines) China's, and the stage's impulse is credited to the engine supplier."""
    v = get_vehicle("Joint Heavy RU")
    arch = _arch("moon_direct")
    res = evaluate(arch, {"launch": np.array([50e3])})
    prog = Programme((Partner("Russia", "Russia", 0.5), Partner("China", "China", 0.5)))
    cp = resolve_providers(prog, v, arch.mission.launch_members())
    bom = bill_of_materials(prog, cp, arch, res, 0, {"launch": v})
    core = [r for r in bom if r.name == "Core stage (10 m)"][0]
    rd171 = [r for r in bom if r.kind == "engine" and r.name == "RD-171M"][0]
    assert (core.provider, rd171.provider) == ("China", "Russia")
    assert rd171.count == 3 and rd171.dry_kg == pytest.approx(3 * v.stages[0].engine.mass)
    assert core.dry_kg + rd171.dry_kg == pytest.approx(v.stages[0].m_dry)
    assert rd171.impulse_n_s == pytest.approx(v.stages[0].m_prop * v.stages[0].engine.isp_vac * 9.80665)
    yf79 = [r for r in bom if r.kind == "engine" and r.name == "YF-79"][0]
    assert yf79.provider == "China" and yf79.count == 4
