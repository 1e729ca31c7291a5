"""Validation and property tests for :mod:`jointmission.core.kepler`.

Published examples (source and tolerance next to each), an independent numerical integration
(scipy's DOP853 on the two-body equations), closed-form Stumpff values, status/NaN behaviour,
broadcasting, and hypothesis properties (energy and angular momentum conserved, forward then
backward returns the start, two steps equal one).

Units are SI unless a name says ``_km`` / ``_kms``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from jointmission.core.kepler import KeplerStatus, propagate, stumpff

KM = 1e3
MU_CURTIS = 398600.0e9  # Curtis, 3rd ed., Table A.2 / the examples: 398 600 km^3/s^2
MU_VALLADO = 398600.4418e9  # Vallado, 4th ed., Table D-3 (EGM-96): 398 600.4418 km^3/s^2
_MU = 3.986004418e14  # for cases without a published number (IERS 2010 GM_Earth)


# ---------------------------------------------------------------------------------------------
# published examples
# ---------------------------------------------------------------------------------------------


def test_vallado_example_2_4():
    """Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 2-4 (KEPLER).

    r0 = (1131.340, -2282.343, 6672.423) km, v0 = (-5.64305, 4.30333, 2.42879) km/s, 40 min.
    Published: r = (-4219.7527, 4363.0292, -3958.7666) km, v = (3.689866, -1.916735, -6.112511)
    km/s. Required: half a unit in the last printed digit (5e-5 km, 5e-7 km/s) per component.
    """
    r0 = np.array([1131.340, -2282.343, 6672.423]) * KM
    v0 = np.array([-5.64305, 4.30333, 2.42879]) * KM
    p = propagate(MU_VALLADO, r0, v0, 40 * 60.0)
    assert p.status == KeplerStatus.OK
    np.testing.assert_allclose(p.r / KM, [-4219.7527, 4363.0292, -3958.7666], rtol=0, atol=5e-5)
    np.testing.assert_allclose(p.v / KM, [3.689866, -1.916735, -6.112511], rtol=0, atol=5e-7)
    # and back: the start state to 1e-9 relative (no published number; time reversibility)
    b = propagate(MU_VALLADO, p.r, p.v, -40 * 60.0)
    np.testing.assert_allclose(b.r, r0, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(b.v, v0, rtol=1e-12, atol=1e-9)


def test_curtis_example_3_7():
    """Curtis, Orbital Mechanics for Engineering Students, 3rd ed., Example 3.7.

    r0 = (7000, -12124, 0) km, v0 = (2.6679, 4.6210, 0) km/s, mu = 398 600 km^3/s^2, 60 min.
    Published: r = (-3297.8, 7413.4, 0) km, v = (-8.2977, -0.96309, 0) km/s. The book rounds
    its intermediate results (chi = 253.53 km^0.5, f = -0.54123, g = 184.13 s, ...) to five
    digits, which moves v_y in the third decimal: the converged answer is v_y = -0.96404 km/s.
    Required: 0.1 km on r (printed to 0.1 km) and 1e-3 km/s on v (the book's rounding; the same
    tolerance poliastro's test suite uses for this example).
    """
    p = propagate(MU_CURTIS, [7000e3, -12124e3, 0.0], [2667.9, 4621.0, 0.0], 3600.0)
    assert p.status == KeplerStatus.OK
    np.testing.assert_allclose(p.r / KM, [-3297.8, 7413.4, 0.0], rtol=0, atol=0.1)
    np.testing.assert_allclose(p.v / KM, [-8.2977, -0.96309, 0.0], rtol=0, atol=1e-3)


def test_curtis_example_3_5_hyperbola():
    """Curtis, 3rd ed., Example 3.5: perigee 300 km altitude (R = 6378 km), perigee speed 15 km/s.

    14 941 s after perigee, published: r = 163 180 km, v = 10.51 km/s (as also used by
    poliastro's propagation tests). Required: 1e-4 relative on r, 1e-3 on v (printed digits).
    """
    p = propagate(MU_CURTIS, [6678e3, 0.0, 0.0], [0.0, 15e3, 0.0], 14941.0)
    assert p.status == KeplerStatus.OK
    assert abs(np.linalg.norm(p.r) / 163180e3 - 1.0) < 1e-4
    assert abs(np.linalg.norm(p.v) / 10.51e3 - 1.0) < 1e-3


# ---------------------------------------------------------------------------------------------
# independent integration
# ---------------------------------------------------------------------------------------------


def _integrate(r0, v0, dt, mu):
    def rhs(_t, y):
        r = y[:3]
        return np.concatenate([y[3:], -mu * r / np.linalg.norm(r) ** 3])

    sol = solve_ivp(rhs, (0.0, dt), np.concatenate([r0, v0]), method="DOP853", rtol=1e-13, atol=1e-6)
    return sol.y[:3, -1], sol.y[3:, -1]


@pytest.mark.parametrize(
    "v_scale, dt, what",
    [
        (1.0, 5000.0, "circular"),
        (1.3, 20000.0, "elliptic e~0.69"),
        (math.sqrt(2.0), 20000.0, "parabolic"),
        (math.sqrt(2.0) * (1 + 1e-9), 20000.0, "just hyperbolic"),
        (1.8, 30000.0, "hyperbolic"),
        (0.5, -3000.0, "elliptic, backwards"),
    ],
)
def test_against_numerical_integration(v_scale, dt, what):
    """Every conic type against scipy DOP853 (rtol 1e-13) on the two-body ODE.

    Required: position within 1e-8 relative of the orbit radius scale, velocity within 1e-8
    relative (the integrator's own error is ~1e-10 here; the kernel is ~1e-14).
    """
    r0 = np.array([7000e3, 1000e3, -500e3])
    vc = math.sqrt(_MU / np.linalg.norm(r0))
    v0 = v_scale * vc * np.array([0.1, 0.9, 0.42]) / np.linalg.norm([0.1, 0.9, 0.42])
    p = propagate(_MU, r0, v0, dt)
    assert p.status == KeplerStatus.OK, what
    ri, vi = _integrate(r0, v0, dt, _MU)
    assert np.linalg.norm(p.r - ri) <= 1e-8 * np.linalg.norm(ri), what
    assert np.linalg.norm(p.v - vi) <= 1e-8 * np.linalg.norm(vi), what


# ---------------------------------------------------------------------------------------------
# Stumpff functions
# ---------------------------------------------------------------------------------------------


def test_stumpff_values_and_series_switch():
    """C(0) = 1/2, S(0) = 1/6 (Curtis eq. 3.52-3.53 limits); closed forms at z = +-4, +-25 to
    1e-15 relative; the series (|z| < 1) and closed form agree across the switch to 1e-15."""
    c, s = stumpff([0.0, 4.0, -4.0, 25.0, -25.0])
    assert c[0] == 0.5 and s[0] == 1.0 / 6.0
    ref_c = [(1 - math.cos(2)) / 4, (math.cosh(2) - 1) / 4, (1 - math.cos(5)) / 25, (math.cosh(5) - 1) / 25]
    ref_s = [(2 - math.sin(2)) / 8, (math.sinh(2) - 2) / 8, (5 - math.sin(5)) / 125, (math.sinh(5) - 5) / 125]
    np.testing.assert_allclose(c[1:], ref_c, rtol=1e-15)
    np.testing.assert_allclose(s[1:], ref_s, rtol=1e-15)
    for z0 in (1.0, -1.0):
        z = np.array([z0 * (1 - 1e-15), z0 * (1 + 1e-15)])
        cz, sz = stumpff(z)
        assert abs(cz[1] / cz[0] - 1) < 1e-15 and abs(sz[1] / sz[0] - 1) < 1e-15
    # series at small z against the closed form evaluated in Decimal-free double (z = 0.5: no
    # cancellation worth a digit at this size) to 1e-15
    c5, s5 = stumpff(0.5)
    x = math.sqrt(0.5)
    assert abs(c5 / ((1 - math.cos(x)) / 0.5) - 1) < 1e-14
    assert abs(s5 / ((x - math.sin(x)) / x**3) - 1) < 1e-12


# ---------------------------------------------------------------------------------------------
# statuses, shapes
# ---------------------------------------------------------------------------------------------


def test_status_and_nan():
    """Invalid inputs give NaN and INVALID; dt = 0 returns the input state exactly."""
    r0 = np.array([[7000e3, 0, 0], [0, 0, 0], [7000e3, 0, 0], [np.nan, 0, 0], [7000e3, 0, 0]])
    v0 = np.array([[0, 7.5e3, 0]] * 5)
    mu = np.array([3.986e14, 3.986e14, -1.0, 3.986e14, 3.986e14])
    dt = np.array([0.0, 100.0, 100.0, 100.0, np.inf])
    p = propagate(mu, r0, v0, dt)
    assert p.status.tolist() == [0, 2, 2, 2, 2]
    np.testing.assert_array_equal(p.r[0], r0[0])
    np.testing.assert_array_equal(p.v[0], v0[0])
    assert np.isnan(p.r[1:]).all() and np.isnan(p.v[1:]).all()
    with pytest.raises(ValueError):
        propagate(1.0, [1.0, 2.0], [1.0, 2.0, 3.0], 1.0)


def test_rectilinear_hyperbola_through_periapsis_is_flagged():
    """A nearly rectilinear hyperbola (|h| = 3e-12 |r0||v0|, v0 = 30 000 km/s at 10 000 km,
    hyperbolic anomaly H0 = -17.6) propagated through periapsis: the universal expansion about r0
    cancels by ~exp(35), so the kernel must say NOT_CONVERGED with NaN rather than return a
    state (before this check it returned |r| ~ 1e65 m with status OK in a fuzz run). Moving away
    from periapsis the same orbit propagates fine: |r| grows by v dt to 1e-9."""
    r0 = np.array([1e7, 0.0, 0.0])
    v_in = np.array([-3e7, 1e-6, 0.0])
    p = propagate(_MU, [r0, r0], [v_in, -v_in], [0.67, 1e-3])
    assert p.status.tolist() == [KeplerStatus.NOT_CONVERGED, KeplerStatus.OK]
    assert np.isnan(p.r[0]).all() and np.isnan(p.v[0]).all()
    assert abs(np.linalg.norm(p.r[1]) / (1e7 + 3e7 * 1e-3) - 1) < 1e-9


def test_broadcasting_matches_per_case_calls():
    """(4, 1, 3) states x (5,) times -> (4, 5); each element equals the single call (1e-14)."""
    rng = np.random.default_rng(7)
    r0 = rng.normal(size=(4, 1, 3)) * 8000e3
    v0 = rng.normal(size=(4, 1, 3)) * 5e3
    dt = np.linspace(-4000.0, 9000.0, 5)
    p = propagate(3.986004418e14, r0, v0, dt)
    assert p.r.shape == (4, 5, 3) and p.status.shape == (4, 5)
    for i in range(4):
        for j in range(5):
            q = propagate(3.986004418e14, r0[i, 0], v0[i, 0], dt[j])
            assert q.status == p.status[i, j]
            np.testing.assert_allclose(p.r[i, j], q.r, rtol=1e-14, atol=1e-7)
            np.testing.assert_allclose(p.v[i, j], q.v, rtol=1e-14, atol=1e-10)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------

states = st.tuples(
    st.floats(6.6e6, 4e8),  # radius [m]
    st.floats(0.05, 3.0),  # speed / circular speed
    st.floats(-1.0, 1.0),  # direction components of r and v
    st.floats(-1.0, 1.0),
    st.floats(-1.0, 1.0),
    st.floats(-1.0, 1.0),
    st.floats(-1.0, 1.0),
    st.floats(-1.0, 1.0),
    st.floats(-3.0, 3.0),  # dt in units of the circular period at r0
)


def _state(t):
    r, k, a, b, c, d, e, f, tau = t
    ur = np.array([a, b, c]) + np.array([1e-3, 0, 0])
    uv = np.array([d, e, f]) + np.array([0, 1e-3, 0])
    r0 = r * ur / np.linalg.norm(ur)
    v0 = k * math.sqrt(_MU / r) * uv / np.linalg.norm(uv)
    return r0, v0, tau * 2 * math.pi * math.sqrt(r**3 / _MU)


@settings(max_examples=150)
@given(st.lists(states, min_size=1, max_size=8))
def test_invariants_roundtrip_and_composition(cases):
    """Energy and angular momentum conserved (1e-10 of the scale mu/r0, r0 v0); forward then
    backward returns r0 (1e-8 relative: near-rectilinear orbits passing close to the centre are
    ill-conditioned); two half-steps equal one step (same tolerance)."""
    r0, v0, dt = (np.array(x) for x in zip(*(_state(c) for c in cases)))
    p = propagate(_MU, r0, v0, dt)
    ok = p.status == KeplerStatus.OK
    r0n = np.linalg.norm(r0, axis=-1)
    # every case with a perigee above 1 km converges
    h = np.cross(r0, v0)
    energy0 = 0.5 * np.sum(v0 * v0, -1) - _MU / r0n
    p_semi = np.sum(h * h, -1) / _MU
    ecc = np.sqrt(np.maximum(0.0, 1.0 + 2.0 * energy0 * p_semi / _MU))
    rp = p_semi / (1.0 + ecc)
    assert ok[rp > 1e3].all()
    sel = ok & (rp > 1e5)
    if not sel.any():
        return
    energy1 = 0.5 * np.sum(p.v * p.v, -1) - _MU / np.linalg.norm(p.r, axis=-1)
    scale_e = _MU / r0n
    assert np.all(np.abs(energy1 - energy0)[sel] <= 1e-10 * scale_e[sel])
    h1 = np.cross(p.r, p.v)
    scale_h = r0n * np.linalg.norm(v0, axis=-1)
    assert np.all(np.linalg.norm(h1 - h, axis=-1)[sel] <= 1e-10 * scale_h[sel])
    b = propagate(_MU, p.r, p.v, -dt)
    assert np.all(np.linalg.norm(b.r - r0, axis=-1)[sel] <= 1e-8 * r0n[sel])
    half = propagate(_MU, r0, v0, 0.5 * dt)
    two = propagate(_MU, half.r, half.v, dt - 0.5 * dt)
    scale_r = np.maximum(r0n, np.linalg.norm(p.r, axis=-1))
    assert np.all(np.linalg.norm(two.r - p.r, axis=-1)[sel] <= 1e-8 * scale_r[sel])


def test_vanishing_arc_returns_the_initial_state():
    # Hypothesis found dt = 2.6e-320 s (subnormal): the F terms were subnormal too and the residual
    # test could not pass (NOT_CONVERGED). An arc that moves the state by less than a rounding unit
    # of r0 returns it (to rounding), for every conic, forwards and backwards.
    r0 = np.array([[6.6e6, 1.0, 0.0], [7e6, 0.0, 0.0], [7e6, 0.0, 0.0]])
    v0 = np.array([[0.0, 7.8e3, 0.0], [0.0, 20e3, 0.0], [0.0, 10.67e3, 0.0]])  # ellipse, hyperbola, ~parabola
    for dt in (0.0, 5e-324, 2.6e-320, -1e-300, 1e-15):
        p = propagate(_MU, r0, v0, np.full(3, dt))
        assert np.all(p.status == KeplerStatus.OK)
        np.testing.assert_allclose(p.r, r0, rtol=1e-15, atol=1e-9)
        np.testing.assert_allclose(p.v, v0, rtol=1e-15, atol=1e-9)
