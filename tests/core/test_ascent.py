"""Ascent-loss model: atmosphere, finite-burn loss, physics limits and trends of the loss march."""

import numpy as np
import pytest

from jointmission.constants import G0, GM_EARTH, R_EARTH
from jointmission.core.ascent import (
    DEFAULT_COEFFICIENTS,
    AscentCoefficients,
    ascent_losses,
    atmosphere,
    drag_coefficient_ratio,
    finite_burn_loss,
    march,
)


def test_atmosphere_matches_us76_points():
    # US Standard Atmosphere 1976: sea level 101325 Pa, 1.225 kg/m^3, 340.3 m/s; 22632 Pa at the
    # tropopause, 11 km GEOPOTENTIAL = 11 019 m geometric (z = r0 H / (r0 - H), r0 = 6 356 766 m).
    z_tropopause = 6_356_766.0 * 11e3 / (6_356_766.0 - 11e3)
    p, rho, a = atmosphere(np.array([0.0, z_tropopause, 30e3]))
    assert p[0] == pytest.approx(101325.0)
    assert rho[0] == pytest.approx(1.225)
    assert a[0] == pytest.approx(340.3, abs=0.5)
    assert p[1] == pytest.approx(22632.0, abs=0.5)  # the standard prints 5 digits (2.2632E+4 Pa)
    assert 1.0e3 < p[2] < 1.4e3  # US76: 1197 Pa at 30 km
    assert np.all(np.diff(atmosphere(np.linspace(0, 300e3, 50))[1]) < 0)


def test_drag_rise_is_transonic():
    r = drag_coefficient_ratio(np.array([0.3, 1.2, 4.0]))
    assert r[0] == 1.0 and r[1] > 1.4 and r[2] < 1.0


def test_finite_burn_loss_small_for_short_burns():
    n = np.sqrt(GM_EARTH / (R_EARTH + 185e3) ** 3)
    assert finite_burn_loss(3000.0, 0.0, R_EARTH + 185e3) == 0.0
    assert finite_burn_loss(3000.0, 300.0, R_EARTH + 185e3) == pytest.approx(3000 * (n * 300) ** 2 / 24)


def _vehicle(thrust_scale=1.0):
    """Two-stage test vehicle (no boosters): 400 t + 100 t, kerolox then hydrolox."""
    c = np.array([3000.0, 3000.0, 4400.0])
    thrust = np.array([0.0, 7.5e6, 1.0e6]) * np.array([1.0, thrust_scale, 1.0])
    payload = 10e3
    m_start = np.array([530e3, 530e3, 120e3]) + payload
    m_end = np.array([530e3, 130e3, 20e3]) + payload
    p_area = np.array([0.0, 0.6e6, 0.0])
    return thrust, c, m_start, m_end, p_area


def test_vertical_vacuum_flight_loses_g_times_t():
    thrust, c, m_start, m_end, _ = _vehicle()
    m_end = m_end.copy()
    m_end[2] = m_start[2]  # no upper-stage burn: the whole flight is the vertical first stage
    co = AscentCoefficients(beta_ref=1e12)  # no drag
    res = march(thrust, c, m_start, m_end, np.zeros(3), 200e3, 0.0, 0.0, switch_phase=2, coeffs=co)
    t = (m_start[1] - m_end[1]) * c[1] / thrust[1]
    g_end = GM_EARTH / (R_EARTH + res["h_end"]) ** 2
    assert g_end * t < res["gravity"] < G0 * t
    assert res["drag"] < 1e-3 and res["steering"] < 1e-9


def test_losses_plausible_and_lower_thrust_means_more_gravity_loss():
    out = []
    for s in (0.85, 1.0, 1.2):
        r = ascent_losses(*_vehicle(s), 200e3, 400.0)
        assert bool(r.feasible)
        out.append(r)
    grav = [float(r.gravity) for r in out]
    assert grav[0] > grav[1] > grav[2]
    assert 1000 < float(out[1].total) < 2500
    assert 0 < float(out[1].drag) < 300
    assert 0 < float(out[1].back_pressure) < 300


def test_guided_phase_reaches_the_target_altitude():
    thrust, c, m_start, m_end, p_area = _vehicle()
    res = march(thrust, c, m_start, m_end, p_area, 300e3, 400.0, 2.0)
    assert res["h_end"] == pytest.approx(300e3, rel=1e-9)


def test_vectorized_equals_scalar_and_kick_is_optimised():
    thrust, c, m_start, m_end, p_area = _vehicle()
    h = np.array([180e3, 250e3, 400e3])
    vec = ascent_losses(thrust, c, m_start, m_end, p_area, h, 400.0)
    for i, hh in enumerate(h):
        one = ascent_losses(thrust, c, m_start, m_end, p_area, hh, 400.0)
        assert float(one.total) == pytest.approx(vec.total[i], rel=1e-12)
    # the optimised pitch-over beats the grid neighbours
    k = float(vec.kick_deg[0])
    for other in (0.7 * k, 1.4 * k):
        fixed = ascent_losses(thrust, c, m_start, m_end, p_area, h[0], 400.0, kick_deg=other, loft_m_s=vec.loft_m_s[0])
        assert float(fixed.total) >= float(vec.total[0]) - 1.0
    assert DEFAULT_COEFFICIENTS.beta_ref > 0


def test_weaker_upper_stage_means_more_loss():
    thrust, c, m_start, m_end, p_area = _vehicle()
    tot = []
    for f2 in (0.5e6, 1.0e6, 2.0e6):
        th = thrust.copy()
        th[2] = f2
        tot.append(float(ascent_losses(th, c, m_start, m_end, p_area, 200e3, 400.0).total))
    assert tot[0] > tot[1] > tot[2]


def _boosted(core_thrust_scale):
    """Boosters + core + upper stage (568 t at lift-off, 8 t payload included) whose boosters separate
    while the dynamic pressure is still above ``q_switch``: guidance starts where it falls through it.
    ``core_thrust_scale`` (N,) scales the core's thrust alone, which moves that crossing in time."""
    s = np.asarray(core_thrust_scale, dtype=float)[:, None]
    one = np.ones_like(s)
    thrust = np.array([14e6, 4.4e6, 1.1e6]) * np.concatenate([one, s, one], axis=1)
    c = np.array([2900.0, 3100.0, 4400.0])
    m_start = np.array([568e3, 338e3, 98e3])
    m_end = np.array([368e3, 108e3, 23e3])
    p_area = np.array([1.2e6, 0.3e6, 0.0])
    return thrust, c, m_start, m_end, p_area


def test_guidance_starts_at_the_dynamic_pressure_crossing():
    """Guidance starts where q falls through ``q_switch`` (5 kPa), inside the march step where it does
    (the step is split there), not at the next step's start: the dynamic pressure at guidance start is
    within 1 % of q_switch (measured 4,986-5,000 Pa: the crossing time is found by two regula-falsi steps
    from the straight line between the step's ends, which alone, q being convex in time there, lands up to
    8 % late in q). Snapped to the step nodes it was anywhere from 2,589 Pa up."""
    scale = np.linspace(1.0, 1.3, 61)
    res = march(*_boosted(scale), 300e3, 400.0, 1.2, 400.0, 0.1)
    assert not res["crashed"].any()
    _, rho, _ = atmosphere(res["h_switch"])
    q = 0.5 * rho * res["v_switch"] ** 2
    q_sw = DEFAULT_COEFFICIENTS.q_switch
    assert np.all(q <= q_sw * (1 + 1e-9)) and np.all(q >= 0.99 * q_sw), (q.min(), q.max())


def test_losses_are_continuous_as_the_guidance_start_moves_over_step_nodes():
    """The ascent loss is continuous in the vehicle and trajectory parameters where the guidance start
    (the q crossing) moves over the march's step nodes: along 301 core thrusts (the crossing moves over
    several steps of 5-7 s) the loss changes smoothly, the change from one thrust to the next never
    departing from its neighbours' mean by more than 0.5 m/s (measured 0.001 m/s). Starting guidance at
    the first step node after the crossing made the loss jump by ~15-40 m/s at each node (39.8 m/s here),
    which made payload curves rise with orbit altitude at single points."""
    scale = np.linspace(1.0, 1.3, 301)
    res = march(*_boosted(scale), 300e3, 400.0, 1.2, 400.0, 0.1)
    total = res["gravity"] + res["drag"] + res["steering"] + res["back_pressure"]
    d = np.diff(total)
    anomaly = d[1:-1] - 0.5 * (d[:-2] + d[2:])
    assert np.abs(anomaly).max() < 0.5, (np.abs(anomaly).max(), scale[np.argmax(np.abs(anomaly)) + 1])
