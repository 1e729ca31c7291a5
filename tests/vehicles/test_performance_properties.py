"""Property tests (hypothesis) of the payload model on the catalog vehicles.

Invariants that must hold for any vehicle and any target, whatever the loss model's details:
- payload falls strictly as the target energy rises (higher C3; higher circular orbit);
- the delta-v budget adds up: required = orbit - rotation + losses + departure + finite burn;
- a case gives the same payload alone as inside an array (vectorized == scalar, to the 1e-6
  relative convergence of the payload <-> losses iteration).
Each example evaluates a whole sorted array of targets in one vectorized call.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit

# Reference vehicles only (the concepts' data are derived); all have feasible LEO and C3 cases.
NAMES = ["Saturn V", "Falcon Heavy", "Angara A5", "Long March 5", "SLS Block 1"]
VEHICLES = {}


def vehicle(name):
    if name not in VEHICLES:
        VEHICLES[name] = get_vehicle(name)
    return VEHICLES[name]


def _budget_residual(res):
    total = (
        res.dv_orbit - res.dv_rotation + res.dv_gravity + res.dv_drag + res.dv_steering
        + res.dv_back_pressure + res.dv_departure + res.dv_finite_burn + res.dv_dogleg
    )
    return np.abs(total - res.dv_required)


PROPS = settings(max_examples=8, deadline=None)


@PROPS
@given(
    name=st.sampled_from(NAMES),
    c3=st.lists(st.floats(-2.5, 25.0), min_size=2, max_size=6, unique=True).map(sorted),
)
def test_payload_strictly_decreases_with_c3(name, c3):
    c3 = np.array(c3) * 1e6
    if np.min(np.diff(c3)) < 0.05e6:  # closer than 0.05 km2/s2: below the solver's resolution
        c3 = c3[0] + 0.05e6 * np.arange(c3.size)
    res = payload_to_c3(vehicle(name), c3)
    ok = res.status == 0
    assert ok[0], f"{name}: lowest C3 infeasible"
    p = res.payload_kg[ok]
    assert np.all(np.diff(p) < 0)
    # once infeasible, stays infeasible at higher energy
    assert not np.any(ok[np.argmin(ok):]) or ok.all()
    assert np.all(_budget_residual(res)[ok] < 1e-6 * res.dv_required[ok])


# SLS Block 1 is left out of the altitude property: see the strict xfail below.
ALT_NAMES = [n for n in NAMES if n != "SLS Block 1"]


@pytest.mark.xfail(
    strict=True,
    reason="KNOWN DEFECT (core/ascent.py): the best ascent loss jumps by ~500 m/s as the top stage's "
    "T/W falls (SLS ICPS at ~105 t payload), because one radial-velocity polynomial spans the core "
    "stage and ~1100 s of ICPS burn and must end at the insertion altitude with zero climb rate. The "
    "payload is pinned at that jump; higher targets keep more ICPS propellant for later burns, so the "
    "jump (and the payload) moves up with altitude. The wall is physical for a direct ascent, and an "
    "apogee-insertion profile does not beat it either (docs/method-ascent.md section 5).",
)
def test_sls_payload_decreases_from_300_to_400_km():
    res = payload_to_orbit(vehicle("SLS Block 1"), np.array([300e3, 400e3]))
    assert np.all(res.status == 0)
    assert res.payload_kg[1] < res.payload_kg[0]


@PROPS
@given(
    name=st.sampled_from(ALT_NAMES),
    alt_km=st.lists(st.floats(180.0, 2000.0), min_size=2, max_size=6, unique=True).map(sorted),
)
def test_payload_strictly_decreases_with_circular_altitude(name, alt_km):
    h = np.array(alt_km) * 1e3
    if np.min(np.diff(h)) < 5e3:
        h = h[0] + 5e3 * np.arange(h.size)
    res = payload_to_orbit(vehicle(name), h)
    ok = res.status == 0
    assert ok[0]
    assert np.all(np.diff(res.payload_kg[ok]) < 0)
    assert np.all(_budget_residual(res)[ok] < 1e-6 * res.dv_required[ok])


@PROPS
@given(name=st.sampled_from(NAMES), c3=st.floats(-2.0, 20.0), k=st.integers(0, 3))
def test_vectorized_equals_scalar_for_c3(name, c3, k):
    grid = np.array([-2.0, 5.0, 12.0, 20.0]) * 1e6
    grid[k] = c3 * 1e6
    many = payload_to_c3(vehicle(name), grid)
    one = payload_to_c3(vehicle(name), grid[k])
    assert int(one.status) == int(many.status[k])
    if int(one.status) == 0:
        assert float(one.payload_kg) == pytest.approx(many.payload_kg[k], rel=2e-6)
