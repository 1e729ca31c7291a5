"""Unit tests of the linear mass budget (jointmission.missions.budget): each against a closed form."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from jointmission.constants import G0
from jointmission.missions import BudgetStatus, Element, Item, Margins, Mission, Phase, backward, forward, solve_budget


def _one_stage(sized=True, **kw):
    e = Element("stage", kw.get("isp", 450.0), dry_kg=kw.get("dry", 1000.0), dry_fraction=kw.get("k", 0.1),
                propellant_kg=None if sized else kw.get("prop", 10_000.0), capacity_kg=kw.get("cap", np.inf),
                boiloff_per_day=kw.get("b", 0.0), residual_fraction=kw.get("res", 0.0))
    ph = (Phase("coast", "coast", days=kw.get("days", 0.0)),
          Phase("burn", "burn", "stage", kw.get("dv", 2000.0), drop=("stage",)))
    cargo = (Item("cargo", mass_kg=kw["cargo"]),) if "cargo" in kw else ()
    return Mission("m", (e,), (Item("payload", payload=True), *cargo), ph)


def test_single_sized_stage_matches_closed_form():
    # m0 = P + d0 + (1 + k) p; burn: (m0 - p) = m0 / R  ->  p = (R - 1)(P + d0) / (1 - (R - 1) k)
    dv, isp, d0, k, P = 2000.0, 450.0, 1000.0, 0.1, 5000.0
    R = math.exp(dv / (G0 * isp))
    p = (R - 1) * (P + d0) / (1 - (R - 1) * k)
    b = backward(_one_stage(), P)
    assert b.status == BudgetStatus.OK
    assert b.loads_kg["stage"] == pytest.approx(p, rel=1e-12)
    assert b.initial_mass_kg == pytest.approx(P + d0 + (1 + k) * p, rel=1e-12)
    f = forward(_one_stage(), b.initial_mass_kg)
    assert f.payload_kg == pytest.approx(P, rel=1e-12)


def test_fixed_stage_is_tsiolkovsky_and_runs_dry_as_a_status():
    m = _one_stage(sized=False, prop=10_000.0, dv=2000.0)
    # a fixed 10 t load with 1 t + 10 % x 10 t = 2 t dry: the payload is whatever rides along;
    # propellant burned for 2 km/s from m0 = 20 t is m0 (1 - exp(-dv/c)).
    f = forward(m, 20_000.0)
    c = G0 * 450.0
    assert f.status == BudgetStatus.OK
    assert f.payload_kg == pytest.approx(20_000.0 - 12_000.0)
    assert f.phase_data["propellant_kg"][..., 1] == pytest.approx(20_000.0 * -math.expm1(-2000.0 / c))
    # a heavier stack needs more than 10 t: infeasible, NaN payload, never an exception
    g = forward(m, np.array([20_000.0, 60_000.0]))
    assert g.status.tolist() == [BudgetStatus.OK, BudgetStatus.PROPELLANT_EXHAUSTED]
    assert math.isnan(g.payload_kg[1])


def test_capacity_and_non_positive_payload_flags():
    m = _one_stage(cap=3000.0)
    r = forward(m, np.array([10_000.0, 100_000.0, 1500.0]))
    # 100 t needs > 3 t of propellant; 1.5 t cannot even carry the 1 t stage plus its propellant
    assert r.status[1] == BudgetStatus.CAPACITY_EXCEEDED
    assert r.status[2] == BudgetStatus.PAYLOAD_NOT_POSITIVE
    assert np.isnan(r.payload_kg[1:]).all()


def test_singular_or_negative_when_dry_fraction_too_high():
    # (R - 1) k >= 1: no stage size gives the delta-v (here (R - 1) k = 1.4 with a dry fraction in
    # its range, 50 %). Must be a status, not an exception.
    r = backward(_one_stage(k=0.5, dv=6000.0), 1000.0)
    assert r.status in (BudgetStatus.NEGATIVE_LOAD, BudgetStatus.SINGULAR)


def test_boiloff_compounds_per_day_and_is_budgeted():
    b = 0.01
    m = _one_stage(b=b, days=10.0)
    r = backward(m, 5000.0)
    lost = r.phase_data["boiloff_kg"][..., 0]
    assert lost == pytest.approx(r.loads_kg["stage"] * (1 - (1 - b) ** 10))
    # the load covers the burn and the boil-off: end with exactly zero
    burned = r.phase_data["propellant_kg"][..., 1]
    assert r.loads_kg["stage"] == pytest.approx(lost + burned, rel=1e-12)


def test_residual_and_reserve_stay_in_the_stage():
    m = _one_stage(res=0.02)
    r = solve_budget(m, payload_kg=5000.0, margins=Margins(reserve=0.01))
    burned = r.phase_data["propellant_kg"][..., 1]
    assert burned == pytest.approx(0.97 * r.loads_kg["stage"], rel=1e-12)


def test_phase_table_conserves_mass_and_splits_stacks():
    ds = Element("descent", 311.0, dry_kg=2000.0, propellant_kg=8000.0)
    asc = Element("ascent", 311.0, dry_kg=2000.0, propellant_kg=2300.0)
    csm = Element("csm", 314.0, dry_kg=10_000.0, propellant_kg=18_000.0)
    crew = Item("crew", 300.0)
    cargo = Item("cargo", payload=True)
    ph = (Phase("LOI", "burn", "csm", 900.0),
          Phase("descent", "burn", "descent", 2000.0, stack=("descent", "ascent", "crew", "cargo"), drop=("descent", "cargo")),
          Phase("ascent", "burn", "ascent", 1850.0, stack=("ascent", "crew")),
          Phase("dock", "transfer", drop=("ascent",)),
          Phase("TEI", "burn", "csm", 1000.0, stack=("csm", "crew")))
    m = Mission("lor", (csm, ds, asc), (crew, cargo), ph)
    r = forward(m, 44_000.0)
    assert r.status == BudgetStatus.OK
    rows = r.phase_table()
    for row in rows:
        lhs = row["mass_before_t"] - row["propellant_t"] - row["boiloff_t"] - row["dropped_t"]
        assert lhs == pytest.approx(row["mass_after_t"], abs=1e-9)
    # the CSM waits in orbit during the landing: its TEI stack is its post-LOI mass plus the crew
    loi = rows[0]
    csm_after_loi = 44_000.0 - loi["propellant_t"] * 1e3 - (ds.dry_kg + 8000.0 + asc.dry_kg + 2300.0 + 300.0
                                                            + r.payload_kg)
    assert rows[4]["mass_before_t"] * 1e3 == pytest.approx(csm_after_loi + 300.0, rel=1e-12)


def test_aero_item_is_its_fraction_of_the_entry_mass():
    ds = Element("descent", 369.0, dry_kg=1000.0, dry_fraction=0.1)
    shell = Item("aeroshell", hardware=True, entry_fraction=0.4)
    cargo = Item("cargo", payload=True)
    ph = (Phase("entry", "aero", sized_item="aeroshell", drop=("aeroshell",)),
          Phase("landing", "burn", "descent", 600.0, drop=("cargo", "descent")))
    r = forward(Mission("edl", (ds,), (shell, cargo), ph), 50_000.0)
    assert r.phase_data["dropped_kg"][..., 0] == pytest.approx(0.4 * 50_000.0, rel=1e-12)


def test_vectorized_equals_elementwise():
    m = _one_stage(b=0.002, days=5.0)
    masses = np.array([8_000.0, 20_000.0, 50_000.0])
    vec = forward(m, masses).payload_kg
    one = [float(forward(m, x).payload_kg) for x in masses]
    np.testing.assert_allclose(vec, one, rtol=1e-13)


def test_programmer_errors_raise():
    m = _one_stage()
    with pytest.raises(ValueError):
        solve_budget(m)
    with pytest.raises(ValueError):
        solve_budget(m, payload_kg=1.0, launch_mass_kg={"launch": 1.0})


def test_waiting_element_boils_off_too():
    """A cryogenic element parked in orbit while the others fly a phase still loses propellant; the
    loss is in the mission total (boiloff_all_kg), not in the flying stack's row."""
    cryo = Element("parked", 450.0, dry_kg=1000.0, propellant_kg=10_000.0, boiloff_per_day=0.01)
    other = Element("flyer", 320.0, dry_kg=500.0, propellant_kg=1000.0)
    ph = (Phase("sortie", "burn", "flyer", 100.0, days=10.0, stack=("flyer", "payload")),)
    m = Mission("m", (cryo, other), (Item("payload", payload=True),), ph)
    r = forward(m, 20_000.0)
    assert r.phase_data["boiloff_kg"][..., 0] == 0.0
    assert r.phase_data["boiloff_all_kg"][..., 0] == pytest.approx(10_000.0 * (1 - 0.99**10))


def test_non_finite_input_is_invalid_input_not_a_launcher_shortfall():
    """A burn's delta-v that is NaN in one case (a transfer that failed for that case) with a launcher
    that reaches its target is invalid input, not "the launcher cannot reach the delivery target";
    so is a non-finite Isp, dry mass, coast length, margin or required payload. The other cases are solved as usual."""
    nan = np.nan
    ok = forward(_one_stage(), 20_000.0)
    assert ok.status == BudgetStatus.OK
    r = forward(_one_stage(dv=np.array([2000.0, nan, 2000.0])), 20_000.0)
    assert r.status.tolist() == [BudgetStatus.OK, BudgetStatus.INVALID_INPUT, BudgetStatus.OK]
    assert np.isnan(r.payload_kg[1]) and r.payload_kg[[0, 2]] == pytest.approx([float(ok.payload_kg)] * 2, rel=1e-15)
    for kw in ({"dry": np.array([nan, 1000.0])}, {"days": np.array([nan, 3.0]), "b": 0.01}):
        assert forward(_one_stage(**kw), 20_000.0).status.tolist() == [BudgetStatus.INVALID_INPUT, BudgetStatus.OK], kw
    e = Element("stage", np.array([nan, 450.0]), dry_kg=1000.0, dry_fraction=0.1, propellant_kg=None)
    isp = replace(_one_stage(), elements=(e,))
    assert forward(isp, 20_000.0).status.tolist() == [BudgetStatus.INVALID_INPUT, BudgetStatus.OK]
    margin = forward(_one_stage(), 20_000.0, margins=Margins(dv_margin=np.array([0.05, nan])))
    assert margin.status.tolist() == [BudgetStatus.OK, BudgetStatus.INVALID_INPUT]
    # backward: the closing value is the required payload, not a launcher's capability
    b = backward(_one_stage(), np.array([5000.0, nan]))
    assert b.status.tolist() == [BudgetStatus.OK, BudgetStatus.INVALID_INPUT]


def test_non_finite_launcher_capability_stays_launcher_infeasible():
    """The converse: every mission input finite, the capability NaN (the launcher cannot reach the
    delivery target) or infinite -> LAUNCHER_INFEASIBLE; a case where both are non-finite is
    INVALID_INPUT (the mission's own inputs are checked first)."""
    nan = np.nan
    r = forward(_one_stage(), np.array([20_000.0, nan, np.inf]))
    assert r.status.tolist() == [BudgetStatus.OK, BudgetStatus.LAUNCHER_INFEASIBLE, BudgetStatus.LAUNCHER_INFEASIBLE]
    assert np.isnan(r.payload_kg[1:]).all()
    both = forward(_one_stage(dv=np.array([nan, 2000.0, nan])), np.array([nan, nan, 20_000.0]))
    assert both.status.tolist() == [BudgetStatus.INVALID_INPUT, BudgetStatus.LAUNCHER_INFEASIBLE,
                                    BudgetStatus.INVALID_INPUT]
    # a scalar capability and scalar inputs: the same, decided without per-case arrays
    assert forward(_one_stage(), nan).status == BudgetStatus.LAUNCHER_INFEASIBLE
    assert forward(_one_stage(dv=nan), 20_000.0).status == BudgetStatus.INVALID_INPUT


def test_infinite_delta_v_or_isp_is_invalid_input():
    """An infinite delta-v gives a finite burn factor (``expm1(-inf) = -1``: the whole stack burned),
    so it read as PAYLOAD_NOT_POSITIVE; an infinite Isp gives a free burn (factor 0) and a confident
    payload. Both are a mission input that is not a number: INVALID_INPUT, forward and backward, and
    through an architecture as a user builds it."""
    from jointmission.missions import build, evaluate

    inf = np.inf
    want = [BudgetStatus.INVALID_INPUT, BudgetStatus.OK]
    assert forward(_one_stage(dv=np.array([inf, 2000.0])), 20_000.0).status.tolist() == want
    assert backward(_one_stage(dv=np.array([inf, 2000.0])), 5000.0).status.tolist() == want
    e = Element("stage", np.array([inf, 450.0]), dry_kg=1000.0, dry_fraction=0.1, propellant_kg=None)
    isp = replace(_one_stage(), elements=(e,))
    assert forward(isp, 20_000.0).status.tolist() == want
    assert backward(isp, 5000.0).status.tolist() == want
    fixed = replace(isp, elements=(replace(e, propellant_kg=10_000.0),))  # a fixed load: the same
    assert forward(fixed, 20_000.0).status.tolist() == want
    # scalars: decided without per-case arrays
    assert forward(_one_stage(dv=inf), 20_000.0).status == BudgetStatus.INVALID_INPUT
    arch = build("moon_direct", descent_dv_m_s=np.array([inf, 2100.0]))
    for req in (None, 5e3):
        assert evaluate(arch, {"launch": np.array([40e3, 40e3])}, required_payload_kg=req).status.tolist() == want


def test_nan_input_that_does_not_change_the_numbers_is_still_invalid_input():
    """A NaN boil-off rate over a zero-day phase (``(1 - NaN) ** 0 = 1``: no loss) or over no phase
    with days, a NaN coast length where nothing boils off (``1 ** NaN = 1``), a NaN tank capacity
    (``load > NaN`` is False), a NaN delta-v of a coast: each leaves every number as it was, and each
    is a mistake in the input. No silent NaN: INVALID_INPUT. An element that never burns may have
    no Isp (NaN: a depot), and an unbounded capacity is infinite: both stay OK."""
    nan = np.nan
    want = [BudgetStatus.INVALID_INPUT, BudgetStatus.OK]
    cases = {"boil-off over 0 days": _one_stage(b=np.array([nan, 0.01]), days=0.0),
             "coast length, no boil-off": _one_stage(b=0.0, days=np.array([nan, 3.0])),
             "capacity": _one_stage(cap=np.array([nan, 1e6]))}
    coast = _one_stage()
    cases["coast delta-v"] = replace(coast, phases=(replace(coast.phases[0], dv_m_s=np.array([nan, 0.0])),
                                                    coast.phases[1]))
    for what, m in cases.items():
        assert forward(m, 20_000.0).status.tolist() == want, what
        assert backward(m, 5000.0).status.tolist() == want, what
    assert forward(_one_stage(b=nan), 20_000.0).status == BudgetStatus.INVALID_INPUT  # scalar
    # the converse: no Isp on an element that never burns, unbounded tanks
    depot = Element("depot", nan, dry_kg=500.0, propellant_kg=0.0)
    m = _one_stage()
    m = replace(m, elements=(*m.elements, depot), phases=(*m.phases[:1], replace(m.phases[1], stack=("stage", "payload"))))
    r = forward(m, np.array([20_000.0, 30_000.0]))
    assert r.status.tolist() == [BudgetStatus.OK] * 2
    assert forward(_one_stage(cap=np.inf), 20_000.0).status == BudgetStatus.OK


def test_input_outside_its_physical_range_is_invalid_input():
    """A zero or negative Isp, a negative mass, delta-v or duration, a fraction outside [0, 1] (a
    margin, dry fraction, boil-off rate, transfer loss) and propellant kept unburned (residual,
    reserve, or both together) of 100 % or more gave a confident payload with status OK (a negative
    Isp or delta-v burns backwards, a negative dry mass lightens the stack) or a wrong diagnosis
    (payload <= 0, capacity exceeded, negative load). The scenario schema refuses each with its
    file and line; through the Python API each is INVALID_INPUT in its case, forward and backward,
    the other cases solved as usual. The ends of each range stay OK."""
    want = [BudgetStatus.INVALID_INPUT, BudgetStatus.OK]
    two = lambda bad, good: np.array([bad, good])  # noqa: E731
    cases = {
        "isp 0": {"isp": two(0.0, 450.0)}, "isp < 0": {"isp": two(-450.0, 450.0)},
        "dry mass < 0": {"dry": two(-500.0, 1000.0)}, "dry fraction < 0": {"k": two(-0.05, 0.1)},
        "dry fraction > 1": {"k": two(1.5, 0.1)}, "delta-v < 0": {"dv": two(-500.0, 2000.0)},
        "boil-off < 0": {"b": two(-0.01, 0.01), "days": 10.0}, "boil-off > 1": {"b": two(1.5, 0.01), "days": 10.0},
        "days < 0": {"b": 0.01, "days": two(-5.0, 5.0)}, "residual < 0": {"res": two(-0.1, 0.01)},
        "residual 100 %": {"res": two(1.0, 0.01)}, "capacity 0": {"cap": two(0.0, 1e6)},
        "cargo mass < 0": {"cargo": two(-100.0, 100.0)},
    }
    for what, kw in cases.items():
        m = _one_stage(**kw)
        assert forward(m, 20_000.0).status.tolist() == want, what
        assert backward(m, 5000.0).status.tolist() == want, what
    fixed = {"fixed load < 0": {"prop": two(-1000.0, 10_000.0)}, "fixed, isp < 0": {"isp": two(-450.0, 450.0)},
             "fixed, delta-v < 0": {"dv": two(-500.0, 2000.0)}}
    for what, kw in fixed.items():
        assert forward(_one_stage(sized=False, **kw), 20_000.0).status.tolist() == want, what
    margins = {"delta-v margin < 0": Margins(dv_margin=two(-0.05, 0.05)), "delta-v margin > 1": Margins(dv_margin=two(1.5, 0.05)),
               "growth < 0": Margins(dry_growth=two(-0.1, 0.1)), "growth > 1": Margins(dry_growth=two(1.5, 0.1)),
               "reserve < 0": Margins(reserve=two(-0.1, 0.01)), "reserve 100 %": Margins(reserve=two(1.0, 0.01))}
    for what, mg in margins.items():
        assert forward(_one_stage(), 20_000.0, margins=mg).status.tolist() == want, what
        assert backward(_one_stage(), 5000.0, margins=mg).status.tolist() == want, what
    # residual and reserve each in range, together 110 % of the load: nothing could be burned
    both = forward(_one_stage(res=two(0.6, 0.01)), 20_000.0, margins=Margins(reserve=two(0.5, 0.01)))
    assert both.status.tolist() == want
    assert backward(_one_stage(), two(-5000.0, 5000.0)).status.tolist() == want  # a negative required payload
    # scalars: decided without per-case arrays, the same status
    assert forward(_one_stage(isp=-450.0), 20_000.0).status == BudgetStatus.INVALID_INPUT
    assert backward(_one_stage(dry=-500.0), 5000.0).status == BudgetStatus.INVALID_INPUT
    # the ends of each range are inputs like any other
    edge = _one_stage(dry=0.0, k=0.0, b=0.0, res=0.0, cargo=0.0, days=0.0, cap=np.inf)
    assert forward(edge, 20_000.0, margins=Margins(0.0, 0.0, 0.0)).status == BudgetStatus.OK
    assert forward(_one_stage(k=1.0, b=1.0, dv=0.0), 20_000.0, margins=Margins(1.0, 1.0, 0.5)).status == BudgetStatus.OK
    assert backward(_one_stage(), 0.0).status == BudgetStatus.PAYLOAD_NOT_POSITIVE  # 0 is a question, not an error


def test_input_outside_its_physical_range_is_invalid_input_through_an_architecture():
    """The same through an architecture as a user builds and evaluates it: a negative descent
    delta-v, a zero Isp of a generic element, a negative crew mass, a negative required payload."""
    from jointmission.missions import build, evaluate

    want = [BudgetStatus.INVALID_INPUT, BudgetStatus.OK]
    cap = {"launch": np.array([40e3, 40e3])}
    archs = [build("moon_direct", descent_dv_m_s=np.array([-2040.0, 2040.0])),
             build("moon_direct", elements={"lunar_descent_stage": {"isp_s": np.array([0.0, 450.0])}})]
    for arch in archs:
        for req in (None, 5e3):
            r = evaluate(arch, cap, required_payload_kg=req)
            assert r.status.tolist() == want, req
            assert np.isnan(r.payload_kg[0]) and np.isfinite(r.payload_kg[1])
    r = evaluate(build("moon_direct"), cap, required_payload_kg=np.array([-5e3, 5e3]))
    assert r.status.tolist() == want and np.isnan(r.launches[0])
    crew = build("moon_lor_single", crew_kg=np.array([-500.0, 500.0]))
    assert evaluate(crew, {ln: np.array([140e3, 140e3]) for ln in crew.deliveries}).status.tolist() == want
