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
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit, vehicle_names

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


# SLS Block 1 used to be left out of the altitude property (its payload rose from 300 to 400 km):
# the ascent model now lets the top stage fly level at the insertion altitude for the end of its
# burn (a longer burn can repeat a shorter one and add level flight), and the payload iteration
# no longer converges on a stale trajectory shape (docs/method-ascent.md section 5).
ALT_NAMES = list(NAMES)


def _strictly_decreasing(name, h, rel_resolution=0.0, top_load="optimal"):
    res = payload_to_orbit(vehicle(name), h, top_load=top_load)
    assert np.all(res.status == 0), f"{name}: status {np.unique(res.status)}"
    p = res.payload_kg
    d = np.diff(p)
    bad = np.flatnonzero(~(d < rel_resolution * p[1:]))
    assert bad.size == 0, f"{name}: payload not falling at " + ", ".join(
        f"{h[i] / 1e3:.0f}->{h[i + 1] / 1e3:.0f} km ({p[i]:.1f} -> {p[i + 1]:.1f} kg)" for i in bad[:10])
    return res


def test_sls_payload_decreases_from_300_to_400_km():
    res = payload_to_orbit(vehicle("SLS Block 1"), np.array([300e3, 400e3]))
    assert np.all(res.status == 0)
    assert res.payload_kg[1] < res.payload_kg[0]


SLS_FULL_LOAD_5KM = (
    "SLS Block 1 with the full ICPS load, 5 km grid: rises 215->220 km by 5.6 kg, 235->240 km by 3.4 kg, 270->275 km "
    "by 2.6 kg, 280->285 km by 1.1 kg (at most 6.4e-5 of the payload, ~0.3 m/s of loss). The trajectory-shape search "
    "(coordinate descent: pitch-over, loft, level fraction) stops ~16 m/s of loss above the best shape a local "
    "21 x 31 x 25 grid around it finds at 270 km (2521.7 vs 2505.2 m/s; 18.9 m/s the same way before guidance "
    "started at the dynamic-pressure crossing), in a curved valley of the three where the ICPS's thrust deficit "
    "sets in, and lands at a different point of that valley from one altitude to the next. Before, with guidance "
    "started at the next march step's node, it happened to land consistently (the curve fell by ~10 kg per 5 km)")
"""Strict xfail reason of the SLS Block 1 full-load 5 km altitude curve (also in the slow fine-curve table)."""


def test_sls_payload_strictly_decreases_185_to_2000_km():
    """SLS Block 1 (ICPS T/W ~0.08, the case of the old loss cliff), one vectorized call each, on a
    50 km and a 5 km grid: strictly decreasing. Near 200-300 km its payload falls only ~1-2 kg per km
    (the shorter ICPS ascent burn of a higher target nearly pays for the higher orbit), so the 5 km
    grid needs the shape search resolved to well under 1 m/s of loss: it used to rise by up to ~50 kg
    at one or two points (the first level-flight step's knife-edge, and a pitch-over left 3 % from
    its best by two coordinate-descent rounds). The full-load 5 km grid: :func:`test_sls_full_load_payload_on_a_5_km_grid`."""
    from jointmission.vehicles.top_load import GAIN_TOL

    _strictly_decreasing("SLS Block 1", np.arange(185e3, 2000e3 + 1.0, 50e3))
    # with the ICPS load chosen by the solve (the default), to within the load search's stopping
    # tolerance (GAIN_TOL, 1e-3 of the payload: measured rises up to 0.09 %)
    _strictly_decreasing("SLS Block 1", np.arange(185e3, 2000e3 + 1.0, 5e3), rel_resolution=GAIN_TOL)


@pytest.mark.xfail(strict=True, reason=SLS_FULL_LOAD_5KM)
def test_sls_full_load_payload_strictly_decreases_on_a_5_km_grid():
    """SLS Block 1 with the full ICPS load, 185-2000 km every 5 km: strictly decreasing (see
    :func:`test_sls_payload_strictly_decreases_185_to_2000_km`)."""
    _strictly_decreasing("SLS Block 1", np.arange(185e3, 2000e3 + 1.0, 5e3), top_load=1.0)


@pytest.mark.parametrize("name", vehicle_names())
def test_catalog_payload_strictly_decreases_with_circular_altitude(name):
    """Every catalog vehicle, 185 km to 2000 km, one vectorized call per vehicle."""
    h = np.array([185, 200, 250, 300, 400, 500, 700, 1000, 1500, 2000], dtype=float) * 1e3
    _strictly_decreasing(name, h)


@PROPS
@given(
    name=st.sampled_from(ALT_NAMES),
    alt_km=st.lists(st.floats(180.0, 2000.0), min_size=2, max_size=6, unique=True).map(sorted),
)
def test_payload_strictly_decreases_with_circular_altitude(name, alt_km):
    h = np.array(alt_km) * 1e3
    if np.min(np.diff(h)) < 5e3:
        h = h[0] + 5e3 * np.arange(h.size)
    res = payload_to_orbit(vehicle(name), h, top_load=1.0)  # the shape search's property (the load's: 1e-3)
    ok = res.status == 0
    assert ok[0]
    p = res.payload_kg[ok]
    assert np.all(np.diff(p) < 0.0)
    assert np.all(_budget_residual(res)[ok] < 1e-6 * res.dv_required[ok])


@PROPS
@given(name=st.sampled_from(NAMES), c3=st.floats(-2.0, 20.0), k=st.integers(0, 3))
@example(name="Saturn V", c3=4.899245568222862, k=0)  # 2.08e-6 apart (found by hypothesis)
def test_vectorized_equals_scalar_for_c3(name, c3, k):
    """One target alone and among others give the same payload: the solver stops
    where the payload/loss residual is below 1e-6 of the payload, on each side of the root and along a
    different path for a vector of targets, so two converged answers may differ by a few 1e-6 (measured up
    to 2.08e-6, Saturn V at C3 4.9 km2/s2): held to 4e-6."""
    grid = np.array([-2.0, 5.0, 12.0, 20.0]) * 1e6
    grid[k] = c3 * 1e6
    many = payload_to_c3(vehicle(name), grid)
    one = payload_to_c3(vehicle(name), grid[k])
    assert int(one.status) == int(many.status[k])
    if int(one.status) == 0:
        assert float(one.payload_kg) == pytest.approx(many.payload_kg[k], rel=4e-6)


def test_sls_converges_where_a_fresh_shape_restarts_the_payload_iteration():
    # Found by hypothesis: at 296 km the verifying shape optimisation of SLS finds a 65 m/s better
    # trajectory after the bracket had closed, and the restarted iteration needed 32 steps (the cap
    # was 30: NOT_CONVERGED). The cap is now 60.
    res = payload_to_orbit(vehicle("SLS Block 1"), np.array([295995.1639042792, 300995.1639042792]))
    assert np.all(res.status == 0)
    assert res.payload_kg[1] < res.payload_kg[0]


FINE_CURVE_KNOWN_FAILURES = {
    ("SLS Block 1", "LEO"): SLS_FULL_LOAD_5KM,
}
"""Fine curves (:func:`test_catalog_fine_curves_fall_to_the_solver_tolerance`) that still rise somewhere,
with the numbers (strict xfails: one that starts to pass must leave this table). Atlas V 551's LEO curve
(it rose 1860 -> 1865 km by 11 kg, 12,774 -> 12,786 kg) falls everywhere since guidance starts at
the dynamic-pressure crossing itself rather than at the next march step's start (a 15-40 m/s jump of the
ascent loss whenever the crossing moved over a step node)."""


NO_ESCAPE = {"Energia"}
"""Catalog vehicles that reach no C3 at all (Energia flies without an upper stage: its core stage is
the top stage and burns out in low orbit): no C3 curve to check."""


@pytest.mark.slow
@pytest.mark.parametrize("name, kind", [(n, k) for n in vehicle_names() for k in ("LEO", "C3")
                                        if not (k == "C3" and n in NO_ESCAPE)])
def test_catalog_fine_curves_fall_to_the_solver_tolerance(name, kind, request):
    """Every catalog vehicle's payload curve, as an analyst would sweep it (one vectorized call): circular
    orbits 200-2000 km every 5 km, C3 -2 to 60 km2/s2 every 0.5. Where feasible, the payload never rises
    from one target to the next by more than the payload solver's own tolerance (1e-6 of the payload).
    This holds the trajectory-shape search to finding the same basin for neighbouring targets (Atlas V
    551's LEO curve used to rise at 57 of 360 steps, by up to 0.47 %, and SLS Block 1B's at 99, by up to
    1.2 %). With the top stage fully loaded (``top_load=1.0``): this is the shape search's property; with
    the load chosen by the solve (the default) a curve may also rise by up to the load search's stopping
    tolerance (1e-3 of the payload, ``test_top_load.py``). ~1-25 s per vehicle."""
    reason = FINE_CURVE_KNOWN_FAILURES.get((name, kind))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    if kind == "LEO":
        x = np.arange(200e3, 2000e3 + 1.0, 5e3)
        res = payload_to_orbit(vehicle(name), x, top_load=1.0)
    else:
        x = np.arange(-2.0, 60.0 + 1e-9, 0.5) * 1e6
        res = payload_to_c3(vehicle(name), x, top_load=1.0)
    ok = res.status == 0
    assert ok[0], f"{name} {kind}: first target infeasible"
    p = np.where(ok, res.payload_kg, np.nan)
    d = np.diff(p)
    pair = ok[1:] & ok[:-1]
    bad = np.flatnonzero(pair & ~(d < 1e-6 * p[1:]))
    assert bad.size == 0, f"{name} {kind}: payload rises at " + ", ".join(
        f"{x[i]:.4g} -> {x[i + 1]:.4g} ({p[i]:.1f} -> {p[i + 1]:.1f} kg)" for i in bad[:10])
