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

import pathlib

import numpy as np
import pytest
import yaml
from scipy.integrate import solve_ivp

from jointmission.constants import GM_MARS, R_MARS
from jointmission.missions import Margins, build, forward
from jointmission.missions import entry_scaling as E
from jointmission.missions.elements import mission_data
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


# ------------------------------------------------------------------ against flown Mars entry systems
# Flown data: tests/validation/data/mars_flown_entry.yaml (one citation per number there): Mars
# Pathfinder (7.3 km/s, 566 kg at entry, 325 kg after the heat shield and backshell are gone) and
# the Mars Exploration Rovers (5.50 km/s, 820 kg at entry: heat shield 78 kg, backshell/parachute
# 209 kg). Both flew the same 70-deg sphere-cone aeroshell family (MER's EDL "largely based on the
# successful Mars Pathfinder system", same NASA MER page), so the pair isolates the entry speed
# better than any other pair of flown landers; what differs besides the speed is the entry mass
# (ballistic coefficient) and the payload.

_FLOWN = yaml.safe_load((pathlib.Path(__file__).parent / "data" / "mars_flown_entry.yaml").read_text())["missions"]


def _flown(name: str, key: str) -> float:
    return float(_FLOWN[name][key]["value"])


def _vinf_of_entry_speed(v_e: float) -> float:
    """Arrival excess speed [m/s] of an entry speed [m/s] at the model's entry interface (energy)."""
    return float(np.sqrt(v_e**2 - 2.0 * GM_MARS / (R_MARS + E.ENTRY_INTERFACE_ALT_M)))


def test_flown_table_is_consistent():
    """The MER breakdown adds up (820 = 533 + 209 + 78 kg) and every row has its citation."""
    mer = "Mars Exploration Rover"
    assert _flown(mer, "after_entry_system_kg") + _flown(mer, "backshell_parachute_kg") \
        + _flown(mer, "heat_shield_kg") == _flown(mer, "entry_mass_kg")
    for row in _FLOWN.values():
        assert all(len(v["source"]) > 20 for v in row.values())


def test_speed_scaling_from_mer_brackets_flown_pathfinder():
    """The module's speed scaling (heat-shield fraction ~ v_e^(2 x 0.51575) = v_e^1.03) carried from
    MER (5.50 km/s) to Pathfinder's 7.3 km/s predicts Pathfinder's mass left after the entry system.
    Which part of the entry system grows with the heat load is the open question, so the flown value
    must lie between the two readings:
    - only MER's heat shield (78/820) scales, the backshell/parachute (209/820) stays: 0.618;
    - the whole entry system (287/820) scales: 0.531.
    Flown Pathfinder: 325/566 = 0.574 (-7.1 % / +8.1 % from the two readings). Also at the lower
    published MER speed (12,000 mph: 0.519 / 0.614). Read the other way, the flown pair implies a
    speed exponent between 0.69 (all of it scales) and 2.07 (heat shield only); the model's 1.03
    must lie inside. The test fails for a fixed fraction (exponent 0); the bracket at the lower
    published speed also fails above an exponent of 1.90, while the 12,300 mph figure alone would
    let one of 2 (a fraction ~ heat load) pass: two flown points bound the exponent loosely."""
    mer, mpf = "Mars Exploration Rover", "Mars Pathfinder"
    m_e = _flown(mer, "entry_mass_kg")
    f_hs, f_bs = _flown(mer, "heat_shield_kg") / m_e, _flown(mer, "backshell_parachute_kg") / m_e
    flown = _flown(mpf, "after_entry_system_kg") / _flown(mpf, "entry_mass_kg")
    for v_mer in (_flown(mer, "entry_speed_m_s"), _flown(mer, "entry_speed_low_m_s")):
        r = float(E.heatshield_fraction(_vinf_of_entry_speed(_flown(mpf, "entry_speed_m_s")), 1.0,
                                        _vinf_of_entry_speed(v_mer)))
        heat_shield_only = 1.0 - (f_hs * r + f_bs)
        whole_system = 1.0 - (f_hs + f_bs) * r
        assert whole_system < flown < heat_shield_only
    v_ratio = np.log(_flown(mpf, "entry_speed_m_s") / _flown(mer, "entry_speed_m_s"))
    n_all = np.log((1.0 - flown) / (f_hs + f_bs)) / v_ratio
    n_hs = np.log((1.0 - flown - f_bs) / f_hs) / v_ratio
    assert n_all < 2.0 * E.LV_EXPONENT < n_hs
    assert (n_all, n_hs) == pytest.approx((0.692, 2.068), abs=0.01)


def test_direct_entry_landed_fraction_is_conservative_against_flown_landers():
    """The concepts' direct-entry fraction left after the entry system (missions.yaml
    mars.edl_landed_fraction, 0.55, not scaled with speed) against the flown values: Pathfinder
    0.574 at 7.3 km/s (model -4.2 %), MER 0.650 at 5.50 km/s (model -15.4 %). Asserted: the model is
    below both (conservative) and within 20 % of each: the two flown values of one aeroshell family
    differ by 13 % between 5.4 and 7.3 km/s, the spread a speed-independent fraction must cover."""
    model = mission_data()["phases"]["mars"]["edl_landed_fraction"]["value"]
    for name in _FLOWN:
        flown = _flown(name, "after_entry_system_kg") / _flown(name, "entry_mass_kg")
        assert model < flown
        assert model == pytest.approx(flown, rel=0.20)


def test_aerocapture_heat_shield_fraction_is_heavier_than_mer_at_its_speed():
    """The aerocapture heat-shield fraction (15 % at 4.0 km/s v_inf, scaled) evaluated at MER's
    entry speed is 12.9 % of the entry mass, against MER's flown heat shield 78/820 = 9.5 %: the
    model is heavier (+36 %), as it must be for a heat shield that also carries the aerocapture pass
    and the structure of a ~100 t vehicle; asserted between 1x and 1.5x the flown fraction."""
    mer = "Mars Exploration Rover"
    model = float(E.heatshield_fraction(_vinf_of_entry_speed(_flown(mer, "entry_speed_m_s")), 0.15))
    flown = _flown(mer, "heat_shield_kg") / _flown(mer, "entry_mass_kg")
    assert model == pytest.approx(0.129, abs=0.001)
    assert flown < model < 1.5 * flown
