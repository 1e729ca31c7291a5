"""Kernel entry guards and the Quantity-aware public functions (issue 12, items 1 and 2).

- a Quantity reaching a core kernel is a TypeError naming the argument and its SI unit;
- ``jointmission.public`` converts Quantities once (wrong dimension: UnitError naming the
  argument), and gives the kernel's result for the same SI floats;
- ``mu`` first in ``lambert`` / ``propagate``; the old order works with a DeprecationWarning;
- invalid geometry is NaN (and a failure status where the kernel has one), never a number / OK.
"""

from __future__ import annotations

import inspect
import math
import warnings

import astropy.units as u
import numpy as np
import pytest

from jointmission import public as jp
from jointmission.core import kepler, lambert as lam, orbits, rocket
from jointmission.core.lambert import LambertStatus
from jointmission.core.rocket import Stack
from jointmission.units import UnitError

MU = 3.986004418e14
MU_SUN = 1.32712440018e20
AU = 1.495978707e11


# --------------------------------------------------------------------------------------------
# Quantities at the kernels
# --------------------------------------------------------------------------------------------


def test_quantity_into_a_kernel_is_a_type_error_naming_the_argument():
    with pytest.raises(TypeError) as e:
        orbits.hohmann(MU, 7000 * u.km, 42164e3)
    msg = str(e.value)
    assert "hohmann(): argument 'r1' is an astropy Quantity" in msg
    assert "pass r1 in m (e.g. r1.to_value('m'))" in msg and "jointmission.hohmann" in msg
    with pytest.raises(TypeError, match="argument 'mu'.*m\\^3/s\\^2"):
        orbits.circular_speed(MU * u.m**3 / u.s**2, 7e6)
    with pytest.raises(TypeError, match="argument 'apoapsis_radius'"):
        orbits.capture_dv(MU, 3e3, 7e6, apoapsis_radius=8000 * u.km)
    with pytest.raises(TypeError, match="argument 'isp_s'.*in s"):
        rocket.tsiolkovsky(311 * u.s, 100.0, 50.0)
    with pytest.raises(TypeError, match="argument 'tof'.*jointmission.solve_lambert"):
        lam.lambert(MU, [7e6, 0, 0], [0, 7e6, 0], 1 * u.h)
    with pytest.raises(TypeError, match="argument 'dt'"):
        kepler.propagate(MU, [7e6, 0, 0], [0, 7.5e3, 0], dt=1 * u.h)
    stack = Stack(isp=[300.0], thrust=[1e6], m_prop=[100] * u.t, m_dry=[1e4])
    with pytest.raises(TypeError, match="argument 'stack.m_prop'.*in kg"):
        rocket.stack_delta_v(stack, 0.0)


@pytest.mark.parametrize(
    "name",
    ["vis_viva", "circular_speed", "escape_speed", "orbital_period", "c3_from_vinf", "vinf_from_c3",
     "periapsis_speed_hyperbolic", "hohmann", "bielliptic", "plane_change", "combined_plane_change",
     "hohmann_with_plane_change", "departure_dv", "departure_dv_from_vinf", "capture_dv"],
)
def test_every_orbit_kernel_is_guarded(name):
    f = getattr(orbits, name)
    n = len([p for p in inspect.signature(f).parameters.values() if p.default is p.empty])
    args = [1.0] * n
    args[-1] = 1.0 * u.m
    with pytest.raises(TypeError, match=f"{name}\\(\\): argument"):
        f(*args)


# --------------------------------------------------------------------------------------------
# the public functions
# --------------------------------------------------------------------------------------------


def test_public_hohmann_converts_quantities():
    got = jp.hohmann(MU, 7000 * u.km, 42164 * u.km)
    want = orbits.hohmann(MU, 7e6, 42164e3)
    assert got == pytest.approx(want, rel=1e-15)
    assert got.dv_total < 5e3  # not the 119 km/s of km read as m
    # GM as a Quantity, and plain SI floats unchanged
    assert jp.hohmann(398600.4418 * u.km**3 / u.s**2, 7e6, 42164e3) == pytest.approx(want, rel=1e-15)
    assert jp.hohmann(MU, 7e6, 42164e3) == want
    with pytest.raises(UnitError, match="argument 'r2'.*m"):
        jp.hohmann(MU, 7000 * u.km, 3 * u.s)
    with pytest.raises(UnitError, match="argument 'mu'"):
        jp.hohmann(MU * u.m, 7e6, 42164e3)


def test_public_functions_keep_signature_and_docstring():
    for name in jp.__all__:
        f = getattr(jp, name)
        kernel = lam.lambert if name == "solve_lambert" else (
            getattr(orbits, name, None) or getattr(rocket, name, None) or getattr(kepler, name)
        )
        assert inspect.signature(f) == inspect.signature(kernel), name
        assert kernel.__doc__.strip()[:40] in f.__doc__ and "Accepts astropy Quantities" in f.__doc__


def test_public_rocket_and_arrays():
    assert jp.tsiolkovsky(311 * u.s, 100 * u.t, 50 * u.t) == pytest.approx(rocket.tsiolkovsky(311, 1e5, 5e4))
    # an Isp given as an exhaust velocity
    assert jp.tsiolkovsky(3.05 * u.km / u.s, 2.0, 1.0) == pytest.approx(3050 * math.log(2.0))
    np.testing.assert_allclose(
        jp.serial_delta_v([300, 350] * u.s, [400, 100] * u.t, [25, 4] * u.t, 10 * u.t),
        rocket.serial_delta_v([300, 350], [4e5, 1e5], [2.5e4, 4e3], 1e4),
    )
    stack = Stack(isp=[300.0] * u.s, thrust=[5 * u.MN.to(u.N)], m_prop=[100] * u.t, m_dry=[10] * u.t)
    np.testing.assert_allclose(
        jp.stack_delta_v(stack, 1 * u.t),
        rocket.stack_delta_v(Stack(isp=[300.0], thrust=[5e6], m_prop=[1e5], m_dry=[1e4]), 1e3),
    )
    np.testing.assert_allclose(
        jp.departure_dv(MU, [6571, 6600] * u.km, 10 * u.km**2 / u.s**2),
        orbits.departure_dv(MU, [6571e3, 6600e3], 1e7),
    )
    assert jp.plane_change(7.8 * u.km / u.s, 28.5 * u.deg) == pytest.approx(
        orbits.plane_change(7800.0, math.radians(28.5))
    )


def test_public_lambert_and_propagate():
    r1, r2 = [1.0, 0.2, 0.0], [-0.3, 1.2, 0.1]
    want = lam.lambert(MU_SUN, np.array(r1) * AU, np.array(r2) * AU, 200 * 86400.0)
    got = jp.solve_lambert(MU_SUN, r1 * u.AU, r2 * u.AU, 200 * u.d)
    np.testing.assert_allclose(got.v1, want.v1, rtol=1e-12)
    p = jp.propagate(MU_SUN * u.m**3 / u.s**2, r1 * u.AU, got.v1 * u.m / u.s, 200 * u.d)
    np.testing.assert_allclose(p.r, np.array(r2) * AU, rtol=1e-9)
    with pytest.deprecated_call():
        old = jp.solve_lambert(r1 * u.AU, r2 * u.AU, 200 * u.d, MU_SUN)
    np.testing.assert_allclose(old.v1, want.v1, rtol=1e-12)


def test_payload_functions_accept_quantities():
    import jointmission as jm

    veh = jm.get_vehicle("Saturn V")
    a = jm.payload_to_c3(veh, -2 * u.km**2 / u.s**2).payload_kg
    assert a == pytest.approx(jm.payload_to_c3(veh, -2e6).payload_kg, rel=1e-12)
    b = jm.payload_to_orbit(veh, 200 * u.km, inclination_rad=32.5 * u.deg).payload_kg
    assert b == pytest.approx(jm.payload_to_orbit(veh, 200e3, inclination_rad=math.radians(32.5)).payload_kg)
    with pytest.raises(UnitError, match="c3_m2_s2"):
        jm.payload_to_c3(veh, 2 * u.km)


# --------------------------------------------------------------------------------------------
# mu first
# --------------------------------------------------------------------------------------------


def _problem(n):
    rng = np.random.default_rng(n)
    r1 = rng.normal(size=(n, 3)) * AU
    r2 = rng.normal(size=(n, 3)) * AU
    tof = rng.uniform(100, 400, n) * 86400.0
    return r1, r2, tof


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_lambert_old_order_is_deprecated_and_equal(n):
    r1, r2, tof = _problem(n)
    new = lam.lambert(MU_SUN, r1, r2, tof)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lam.lambert(MU_SUN, r1, r2, tof)  # the new order never warns
        kw = lam.lambert(mu=np.full(n, MU_SUN), r1=r1, r2=r2, tof=tof)
    with pytest.deprecated_call(match="pass mu first"):
        old = lam.lambert(r1, r2, tof, MU_SUN)
    with pytest.deprecated_call():
        old_kw = lam.lambert(r1, r2, tof, mu=MU_SUN)
    for s in (old, old_kw, kw):
        np.testing.assert_array_equal(s.v1, new.v1)
        np.testing.assert_array_equal(s.status, new.status)


def test_lambert_three_cases_both_orders():
    """Three cases: a per-case mu of shape (3,) (new) and three times of flight (old) both work."""
    r1, r2, tof = _problem(3)
    mu = np.full(3, MU_SUN)
    new = lam.lambert(MU_SUN, r1, r2, tof)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per_case = lam.lambert(mu, r1, r2, tof)
    np.testing.assert_array_equal(per_case.v1, new.v1)
    one_r1 = lam.lambert(MU_SUN, r1[0], r2, tof)
    with pytest.deprecated_call():
        old = lam.lambert(r1[0], r2, tof, MU_SUN)
    np.testing.assert_array_equal(old.v1, one_r1.v1)
    one = lam.lambert(MU_SUN, r1[0], r2[0], tof)  # one geometry, three times of flight
    with pytest.deprecated_call():
        old = lam.lambert(r1[0], r2[0], tof, MU_SUN)
    np.testing.assert_array_equal(old.v1, one.v1)


def test_propagate_old_order_is_deprecated_and_equal():
    r0 = np.array([[7e6, 0, 0], [0, 8e6, 0], [0, 0, 9e6]])
    v0 = np.array([[0, 7.5e3, 0], [-7e3, 0, 0], [7e3, 0, 1e3]])
    dt = np.array([600.0, 1200.0, 1800.0])
    new = kepler.propagate(MU, r0, v0, dt)
    with pytest.deprecated_call():
        old = kepler.propagate(r0, v0, dt, MU)
    np.testing.assert_array_equal(old.r, new.r)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per_case = kepler.propagate(np.full(3, MU), r0, v0, dt)
    np.testing.assert_array_equal(per_case.r, new.r)


# --------------------------------------------------------------------------------------------
# invalid geometry: NaN and a status, never a number with OK
# --------------------------------------------------------------------------------------------


def test_capture_apoapsis_below_periapsis_is_nan():
    assert math.isnan(orbits.capture_dv(4.28e13, 3e3, 3.6e6, apoapsis_radius=3.5e6))
    assert math.isfinite(orbits.capture_dv(4.28e13, 3e3, 3.6e6, apoapsis_radius=3.6e6))
    assert math.isnan(orbits.capture_dv(4.28e13, 3e3, 3.6e6, apoapsis_radius=-1.0))


@pytest.mark.parametrize(
    "r1", [[0.0, 0, 0], [1e-3, 0, 0], [1e-3, 1e-3, 0], [1.0, 1.0, 0], [1e-150, 1e-150, 0], [1e-300, 1e-300, 0]]
)
def test_lambert_near_zero_radius_is_not_ok(r1):
    s = lam.lambert(MU, r1, [0, 7e6, 0], 3000.0)
    assert s.status != LambertStatus.OK
    assert s.status == LambertStatus.DEGENERATE
    assert np.isnan(s.v1).all() and np.isnan(s.v2).all()


def test_lambert_ok_is_always_finite():
    # problems at the edge of the float range: whatever the status, OK means finite velocities
    r1 = np.array([[1e-150, 2e-150, 0], [1e150, 0, 0], [7e6, 1.0, 0]])
    r2 = np.array([[0, 3e-150, 1e-151], [0, 1e150, 0], [0, 7e6, 0]])
    s = lam.lambert(MU, r1, r2, 3000.0)
    ok = s.status == LambertStatus.OK
    assert np.isfinite(s.v1[ok]).all() and np.isfinite(s.v2[ok]).all()
    assert np.isnan(s.v1[~ok]).all()


def test_tsiolkovsky_invalid_isp_and_masses_are_nan():
    assert math.isnan(rocket.tsiolkovsky(-311.0, 100.0, 50.0))  # was -2,114 m/s
    assert math.isnan(rocket.tsiolkovsky(0.0, 100.0, 50.0))
    assert math.isnan(rocket.tsiolkovsky(np.inf, 100.0, 50.0))
    assert math.isnan(rocket.tsiolkovsky(311.0, -100.0, -50.0))
    assert math.isnan(rocket.tsiolkovsky(311.0, 50.0, 100.0))
    assert rocket.tsiolkovsky(311.0, 100.0, 100.0) == 0.0
    assert math.isnan(rocket.stage_delta_v(311.0, -10.0, 50.0, 50.0))
    assert math.isnan(rocket.stage_delta_v(311.0, 10.0, -50.0, 100.0))
    assert math.isnan(rocket.stage_delta_v(311.0, 10.0, 100.0, -50.0))
    dv = rocket.serial_delta_v([300.0, 350.0], [4e5, 1e5], [2.5e4, 4e3], -1e3)
    assert np.isnan(dv).all()
    dv = rocket.serial_delta_v([300.0, -350.0], [4e5, 1e5], [2.5e4, 4e3], 1e3)
    assert np.isfinite(dv[0]) and np.isnan(dv[1])
