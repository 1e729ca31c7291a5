"""The concept format's own mechanics, each against a hand calculation independent of the solver:
propellant transfer from repeated tanker launches whose load fills their launcher, a transfer of a
fixed mass with a loss, late launches that do not boil off before they fly, choices, expressions.

Hand calculations (Tsiolkovsky, Sutton & Biblarz 9th ed. eq. 4-6: a burn of delta-v dv with exhaust
speed c = g0 Isp uses the fraction f = 1 - exp(-dv / c) of the stack mass). Tolerance 1e-9
relative: closed forms against the linear solve, rounding only.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from jointmission.constants import G0
from jointmission.missions import BudgetStatus, Margins, evaluate, from_concept, read_concept
from jointmission.missions.concept import ConceptError

DEPOT = {
    "concept": "t_depot", "description": "test: tankers refuel a lander in LEO", "destination": "moon",
    "parameters": {
        "dv": {"value": "3000 m/s", "source": "test"},
        "leo": {"value": "200 km", "source": "test"},
        "n_tankers": {"value": 2, "integer": True, "source": "test"},
        "wait": {"value": "10 d", "source": "test"},
    },
    "elements": {
        "lander": {"type": "lander", "isp": "450 s", "dry_mass": "5 t", "propellant_type": "storable"},
        "tanker": {"type": "tanker", "isp": "450 s", "dry_mass": "2 t", "propellant": "launch",
                   "propellant_type": "lox_lh2"},
        "cargo": {"type": "payload"},
    },
    "launches": {
        "main": {"carries": ["lander", "cargo"], "to": {"orbit": "leo"}, "fill": True},
        "tanker": {"carries": ["tanker"], "to": {"orbit": "leo"}, "count": "n_tankers"},
    },
    "phases": [
        {"name": "cargo launch", "kind": "launch", "launches": ["main"], "at": "LEO"},
        {"name": "wait for tankers", "kind": "loiter", "days": "wait"},
        {"name": "tanker launch", "kind": "launch", "launches": ["tanker"], "at": "LEO", "repeat": "tanker"},
        {"name": "refuel", "kind": "propellant_transfer", "from": "tanker", "to": "lander", "amount": "all",
         "repeat": "tanker", "drop": ["tanker"]},
        {"name": "departure", "kind": "burn", "element": "lander", "dv": "dv", "drop": ["cargo", "lander"],
         "at": "away"},
    ],
}


def _f(dv, isp):
    return 1.0 - math.exp(-dv / (G0 * isp))


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_tanker_launches_fill_the_lander_closed_form(n):
    """Lander (sized, 5 t dry, Isp 450 s) on a launch filled to C; n tankers, each loaded with what
    its launch lifts (T = C_t - 2 t), give it all their propellant; then 3 km/s. Payload
    P = (1 - f)(C + n T) - 5 t (f of the whole stack burned; the lander's own load x = C - 5 t - P)."""
    c = read_concept(copy.deepcopy(DEPOT))
    arch = from_concept(c, {"n_tankers": float(n)})
    assert list(arch.deliveries) == ["main", *[f"tanker {k}" for k in range(1, n + 1)]]
    cap = np.array([60e3, 90e3, 130e3])
    cap_t = np.array([10e3, 9e3, 12e3])
    res = evaluate(arch, {ln: (cap if ln == "main" else cap_t) for ln in arch.deliveries})
    f = _f(3000.0, 450.0)
    T = cap_t - 2000.0
    expect = (1 - f) * (cap + n * T) - 5000.0
    np.testing.assert_allclose(res.payload_kg, expect, rtol=1e-9)
    assert np.all(res.status == 0) and list(res.launches) == [n + 1] * 3
    # every tanker launch is full: its delivered mass is the capability
    for k in range(1, n + 1):
        np.testing.assert_allclose(res.launch_mass_kg[f"tanker {k}"], cap_t, rtol=1e-12)


def test_late_launch_does_not_boil_off_before_it_flies():
    """The tankers (LOX/LH2) fly after the 10-day wait: nothing boils off in it (the lander is
    storable); with the wait after their launch they would lose (1 - (1 - b)^10) of their load."""
    c = read_concept(copy.deepcopy(DEPOT))
    arch = from_concept(c, {"n_tankers": 2.0})
    caps = {"main": np.array([100e3]), "tanker 1": np.array([10e3]), "tanker 2": np.array([10e3])}
    res = evaluate(arch, caps)
    assert res.status[0] == 0
    names = res.budgets["main"].phase_names
    boil = res.budgets["main"].phase_data["boiloff_all_kg"][0]
    assert boil[names.index("wait for tankers")] == 0.0
    late = copy.deepcopy(DEPOT)
    late["phases"].insert(3, {"name": "wait after", "kind": "loiter", "days": "wait"})
    arch2 = from_concept(read_concept(late), {"n_tankers": 2.0})
    r2 = evaluate(arch2, caps)
    assert r2.status[0] == 0
    b = (6.0 * 0.001 + 0.010) / 7.0  # LOX/LH2 mixture-weighted boil-off, missions.yaml
    lost = r2.budgets["main"].phase_data["boiloff_all_kg"][0][r2.budgets["main"].phase_names.index("wait after")]
    assert lost == pytest.approx(2 * (10e3 - 2000.0) * (1 - (1 - b) ** 10), rel=1e-9)
    assert r2.payload_kg[0] < res.payload_kg[0]


def test_fixed_transfer_with_loss_closed_form():
    """A fixed 10 t transfer with 5 % loss into the sized lander (the tanker, 20 t loaded, is then
    dropped): the stack that departs is the lander (5 t + x + 9.5 t) and the cargo P, and the lander
    ends empty: x + 9.5 t = f (5 t + x + 9.5 t + P); launch: 5 t + x + P = C, so
    P = (1 - f)(C + 9.5 t) - 5 t."""
    d = copy.deepcopy(DEPOT)
    d["elements"]["tanker"]["propellant"] = "20 t"
    d["phases"][3].update(amount="10 t", loss="5 %")
    arch = from_concept(read_concept(d), {"n_tankers": 1.0})
    cap = np.array([80e3])
    res = evaluate(arch, {"main": cap, "tanker 1": cap})
    f = _f(3000.0, 450.0)
    assert res.payload_kg[0] == pytest.approx((1 - f) * (80e3 + 9500.0) - 5000.0, rel=1e-9)


def test_transfer_from_a_fixed_tank_that_runs_short_is_a_status():
    d = copy.deepcopy(DEPOT)
    d["elements"]["tanker"]["propellant"] = "5 t"
    d["phases"][3].update(amount="10 t")
    arch = from_concept(read_concept(d), {"n_tankers": 1.0})
    res = evaluate(arch, {"main": np.array([80e3]), "tanker 1": np.array([80e3])})
    assert res.status[0] == BudgetStatus.PROPELLANT_EXHAUSTED and np.isnan(res.payload_kg[0])


def test_tanker_launch_too_small_is_launch_overloaded():
    """A tanker launch whose launcher reaches its delivery but lifts less than the tanker's own dry
    mass: the launch cannot lift its fixed content (LAUNCH_OVERLOADED, 25, as a crew launch too small
    for its crew ship), not a launcher that cannot reach its delivery target (LAUNCHER_INFEASIBLE,
    24, which said so until now and sent the user looking at the launcher's target). Forward and
    backward. A capability of 0 or NaN is the launcher's: 24."""
    arch = from_concept(read_concept(copy.deepcopy(DEPOT)), {"n_tankers": 1.0})
    tanker = np.array([1500.0, 10e3, 0.0, np.nan])
    for req in (None, 1e3):
        res = evaluate(arch, {"main": np.full(4, 80e3), "tanker 1": tanker}, required_payload_kg=req)
        assert res.status.tolist() == [BudgetStatus.LAUNCH_OVERLOADED, 0, BudgetStatus.LAUNCHER_INFEASIBLE,
                                       BudgetStatus.LAUNCHER_INFEASIBLE], req
        assert np.isnan(res.payload_kg[[0, 2, 3]]).all() and np.isnan(res.launches[[0, 2, 3]]).all(), req


def test_nan_mass_in_a_tanker_launch_is_invalid_input_not_the_launcher():
    """A tanker filled to its launcher's capability whose own dry mass (or dry fraction) is NaN in a
    case: the load that fills the launch is NaN there, which is a mission input that is not a number
    (INVALID_INPUT), not a launch too small to lift the tanker (LAUNCHER_INFEASIBLE) -- forward and
    backward. A tanker launch that is too small with finite inputs is LAUNCH_OVERLOADED, one whose
    capability is NaN stays LAUNCHER_INFEASIBLE; NaN input and NaN capability together are INVALID_INPUT."""
    from jointmission.missions import build

    nan = np.nan
    # cases: NaN tanker dry mass | fine | tanker launch too small | NaN capability | NaN dry mass + NaN capability
    dry = np.array([nan, 4000.0, 4000.0, 4000.0, nan])
    tanker_cap = np.array([80e3, 80e3, 1500.0, nan, nan])
    want = [BudgetStatus.INVALID_INPUT, BudgetStatus.OK, BudgetStatus.LAUNCH_OVERLOADED,
            BudgetStatus.LAUNCHER_INFEASIBLE, BudgetStatus.INVALID_INPUT]
    for field in ("dry_kg", "dry_fraction"):
        value = dry if field == "dry_kg" else np.where(np.isnan(dry), nan, 0.1)
        arch = build("moon_depot_cargo", elements={"tanker 1": {field: value}})
        caps = {ln: (tanker_cap if ln == "tanker 1" else np.full(5, 80e3)) for ln in arch.deliveries}
        for req in (None, 1e3):
            res = evaluate(arch, caps, required_payload_kg=req)
            assert res.status.tolist() == want, (field, req)
            assert np.isnan(res.payload_kg[[0, 2, 3, 4]]).all() and np.isfinite(res.payload_kg[1]), (field, req)


def test_per_case_parameter_arrays_flow_into_the_budget():
    """A parameter given as a per-case array (a sweep) gives the same payloads as one build per value."""
    c = read_concept(copy.deepcopy(DEPOT))
    dvs = np.array([2500.0, 3000.0, 3500.0])
    arch = from_concept(c, {"dv": dvs, "n_tankers": 1.0})
    caps = {"main": np.full(3, 90e3), "tanker 1": np.full(3, 10e3)}
    res = evaluate(arch, caps)
    assert np.all(res.status == 0)
    for j, dv in enumerate(dvs):
        one = evaluate(from_concept(c, {"dv": dv, "n_tankers": 1.0}), {k: v[:1] for k, v in caps.items()})
        assert res.payload_kg[j] == pytest.approx(one.payload_kg[0], rel=1e-12)


def test_expressions_and_choices():
    """An expression over parameters and a choice splice the same budget as the written-out values."""
    d = copy.deepcopy(DEPOT)
    d["parameters"]["extra"] = {"value": "500 m/s", "source": "test"}
    d["phases"][4]["dv"] = "dv - extra"
    d["choices"] = {"trim": {"default": "none", "options": {
        "none": {"phases": []},
        "trim burn": {"phases": [{"name": "trim", "kind": "burn", "element": "lander", "dv": "extra"}]}}}}
    d["phases"].insert(4, {"choice": "trim"})
    c = read_concept(d)
    caps = {"main": np.array([90e3]), "tanker 1": np.array([10e3])}
    base = evaluate(from_concept(c, {"n_tankers": 1.0}), caps).payload_kg[0]
    f = _f(2500.0, 450.0)
    assert base == pytest.approx((1 - f) * (90e3 + 8e3) - 5000.0, rel=1e-9)
    trim = evaluate(from_concept(c, {"n_tankers": 1.0}, choice={"trim": "trim burn"}), caps).payload_kg[0]
    g = 1 - (1 - _f(500.0, 450.0)) * (1 - f)  # two burns = one of 3 km/s
    assert trim == pytest.approx((1 - g) * (90e3 + 8e3) - 5000.0, rel=1e-9)


def test_every_shipped_concept_reads_and_names_its_file_stem():
    from jointmission.missions import library_concept, library_names

    assert {"moon_direct", "moon_lor_single", "moon_lor_two_launch", "moon_eor_two_launch", "moon_nrho",
            "mars_cargo", "mars_crewed"} <= set(library_names())
    for name in library_names():
        c = library_concept(name)
        assert c.name == name and c.description
        for p in c.parameters.values():
            assert p.source.strip(), (name, p.name)


def test_wrong_concept_raises_concept_error_with_path():
    d = copy.deepcopy(DEPOT)
    d["phases"][4]["element"] = "landr"
    with pytest.raises(ConceptError) as exc:
        read_concept(d)
    assert exc.value.path == ("phases", 4, "element") and "did you mean 'lander'" in exc.value.reason


def test_launch_count_that_is_not_a_whole_number_is_a_value_error_naming_it():
    """A launch count is one value per architecture (it shapes the flight plan), so a count that is
    no whole number in [0, 1000] is a ValueError naming the parameter, as a scenario file's error
    names its field: 2.5 tankers flew 2 with status OK, NaN failed with 'cannot convert float NaN to
    integer', 1e9 began building a billion launches. A whole number given as a float stays fine."""
    from jointmission.missions import build

    for bad in (2.5, np.nan, 1e9, -1.0, np.inf):
        with pytest.raises(ValueError, match=r"'n_tankers' is a count: a whole number from 0 to 1000"):
            build("moon_depot_cargo", n_tankers=bad)
    with pytest.raises(ValueError, match=r"'tanker' launches .*one value per architecture"):
        build("moon_depot_cargo", n_tankers=np.array([2.0, 3.0]))
    assert build("moon_depot_cargo", n_tankers=3.0).notes["tanker count"] == 3
