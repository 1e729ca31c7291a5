"""Mars aeroshell mass vs arrival speed: the published heat-load scaling, and the landed mass it gives.

Sources (as in src/jointmission/missions/entry_scaling.py):
- Sutton & Graves, NASA TR R-376 (1971): stagnation-point convective heating q = k sqrt(rho/r_n) V^3,
  k = 1.9027e-4 kg^0.5/m for Mars.
- Allen & Eggers, NACA Report 1381 (1958): ballistic entry velocity history in an exponential
  atmosphere; with Sutton-Graves the heat load is Q = k V_e^2 sqrt(pi H beta / (r_n sin gamma)).
- Laub & Venkatapathy, ESA SP-544 (2004), pp. 239-247: heat-shield mass fraction [%] = 0.091 Q^0.51575
  (Q in J/cm^2), a fit of flown probes.
The checks below test the closed form against a numerical entry that keeps what Allen & Eggers drop
(gravity, the planet's curvature), and the landed mass against the scaling it must follow.
"""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from jointmission.constants import GM_MARS, R_MARS
from jointmission.missions import Margins, build, forward
from jointmission.missions import entry_scaling as E
from jointmission.missions.mars_transfer import landed_mass, mars_cargo_params

H = 11.1e3        # Mars scale height [m] (NASA Mars fact sheet)
RHO0 = 0.020      # surface density [kg/m^3] (NASA Mars fact sheet)


def _numerical_heat_load(v_e, beta=100.0, rn=1.0, gamma_deg=20.0):
    """Planar point-mass ballistic entry over a spherical Mars with gravity, from the entry interface
    until the speed falls to 10 % of v_e; integral of the Sutton-Graves stagnation heating [J/m^2]."""
    def f(t, y):
        r, v, g, _ = y
        rho = RHO0 * np.exp(-(r - R_MARS) / H)
        drag = rho * v * v / (2 * beta)
        grav = GM_MARS / r**2
        return [v * np.sin(g), -drag - grav * np.sin(g), (v / r - grav / v) * np.cos(g),
                E.SUTTON_GRAVES_K_MARS * np.sqrt(rho / rn) * v**3]

    def slow(t, y):
        return y[1] - 0.1 * v_e
    slow.terminal = True
    y0 = [R_MARS + E.ENTRY_INTERFACE_ALT_M, v_e, -np.radians(gamma_deg), 0.0]
    sol = solve_ivp(f, (0, 2000), y0, events=slow, rtol=1e-10, atol=1e-6, max_step=1.0)
    return sol.y[3, -1]


def test_closed_form_heat_load_against_a_numerical_entry():
    """The closed form (straight line, no gravity) against the numerical entry at 5.5 km/s, 20 deg:
    within 8 % (measured 6 %: gravity and curvature lengthen the heating pulse; what the scaling
    uses is the speed exponent, tested next)."""
    q_num = _numerical_heat_load(5500.0)
    q_cf = E.stagnation_heat_load(5500.0, 100.0, 1.0, 20.0, H)
    assert q_cf == pytest.approx(q_num, rel=0.08)


def test_heat_load_grows_as_the_square_of_the_entry_speed():
    """Exponent of Q vs V_e from the numerical entry between 4.0 and 7.0 km/s at 20 deg: 2 within
    0.1 (measured 2.04). Shallower entries fly longer high up at super-circular speed: at 14 deg the
    measured exponent is 2.18 and the model's fraction is then ~ 6 % low at 7 km/s (a stated limit)."""
    q1, q2 = _numerical_heat_load(4000.0), _numerical_heat_load(7000.0)
    assert np.log(q2 / q1) / np.log(7.0 / 4.0) == pytest.approx(2.0, abs=0.1)
    q1, q2 = _numerical_heat_load(5000.0, gamma_deg=14.0), _numerical_heat_load(7000.0, gamma_deg=14.0)
    assert np.log(q2 / q1) / np.log(7.0 / 5.0) == pytest.approx(2.18, abs=0.05)


def test_laub_venkatapathy_fit_and_the_velocity_scaling_agree():
    """heatshield_fraction (speed ratio ^ (2 x 0.51575)) equals the Laub-Venkatapathy fraction of the
    closed-form heat loads, relative to the reference, to 1e-12."""
    vinf = np.array([2500.0, 3500.0, 4000.0, 5524.0, 7000.0])
    q = E.stagnation_heat_load(E.entry_speed(vinf), 100.0, 1.0, 14.0) / 1e4  # J/cm^2
    q_ref = E.stagnation_heat_load(E.entry_speed(E.REFERENCE_VINF_M_S), 100.0, 1.0, 14.0) / 1e4
    lv = E.laub_venkatapathy_fraction(q) / E.laub_venkatapathy_fraction(q_ref)
    np.testing.assert_allclose(E.heatshield_fraction(vinf, 0.15) / 0.15, lv, rtol=1e-12)
    assert E.laub_venkatapathy_fraction(1000.0) == pytest.approx(0.091 * 1000.0**0.51575 / 100.0, rel=1e-15)


def test_entry_speed_is_the_energy_equation():
    v = E.entry_speed(np.array([0.0, 5524.0]))
    r = R_MARS + 125e3
    np.testing.assert_allclose(v, np.sqrt(np.array([0.0, 5524.0]) ** 2 + 2 * GM_MARS / r), rtol=1e-15)


def test_landed_mass_follows_the_scaling_and_is_unchanged_at_the_reference():
    """Aerocapture lander, 100 t at Mars arrival: the heat shield dropped after aerocapture is the
    scaled fraction of the arrival mass (to 1e-9), equal to the old fixed 15 % at the reference
    4.0 km/s (so the DRA 5.0 check of test_mars_cargo.py is unchanged), and the landed mass falls
    as the arrival speed grows."""
    vinf = np.array([3000.0, 4000.0, 5524.0, 6500.0])
    arch = build("mars_cargo", **mars_cargo_params(vinf, 0.0, "aerocapture"))
    b = forward(arch.mission, 100e3, margins=Margins(0.0, 0.0, 0.0))
    old = forward(build("mars_cargo", capture="aerocapture", cruise_days=0.0).mission, 100e3,
                  margins=Margins(0.0, 0.0, 0.0))
    hs = np.array([b.phase_table((k,))[2]["dropped_t"] for k in range(4)]) * 1e3
    np.testing.assert_allclose(hs / 100e3, E.heatshield_fraction(vinf, 0.15), rtol=1e-9)
    assert b.payload_kg[1] == pytest.approx(float(old.payload_kg), rel=1e-12)
    assert np.all(np.diff(b.payload_kg) < 0)
