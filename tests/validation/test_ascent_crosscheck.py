"""Cross-check of the two independent ascent models on the same vehicle.

``core/ascent.py`` (reduced-order march, the model behind every payload number) and
``verification/trajectory.py`` (planar RK4 point-mass integrator with the US 1976 atmosphere, written
separately, with its own guidance) must agree on what the Apollo 17 Saturn V puts into a 185 km
parking orbit with the 48.6 t spacecraft on top (Apollo 17: ~141 t in its parking orbit, see the
catalog's Saturn V entry), and on the size of the ascent losses.

Tolerances: 3 % on mass in orbit and 8 % on the sum of gravity + drag + steering + back-pressure
losses. The models differ in guidance (optimised pitch-over + closed-form radial profile vs a
kick-angle grid + explicit closed-loop law), in integration (midpoint on a few nodes per phase vs
RK4 at 1 s), in how losses are split between gravity and steering during the pitch-over, and in
the atmosphere table; the tolerances are a few times the measured differences (printed with -s).
"""

import dataclasses
import math

import numpy as np

from jointmission.constants import OMEGA_EARTH, R_EARTH
from jointmission.core.ascent import P0
from jointmission.verification.trajectory import best_along, simulate_ascent
from jointmission.vehicles import get_vehicle, mass_in_orbit_with_top_stage
from jointmission.vehicles.top_stage import TopStage

LAT_KSC = math.radians(28.6)
AZIMUTH = math.radians(72.0)  # Apollo 17 launch azimuth (~72 deg)
PAYLOAD = 48.6e3  # Apollo 17 spacecraft at TLI (catalog, published_performance)
H_PARK = 185e3


def test_ascent_models_agree_on_saturn_v_parking_orbit():
    sat5 = get_vehicle("Saturn V")
    stack = sat5.to_stack()
    exit_area = sat5.phase_pressure_loss() / P0  # p0 A_e per phase -> A_e [m^2]
    v_east = OMEGA_EARTH * R_EARTH * math.cos(LAT_KSC) * math.sin(AZIMUTH)
    kicks = np.deg2rad(np.linspace(1.2, 2.6, 8))
    rk4 = simulate_ascent(stack, PAYLOAD, exit_area_m2=exit_area, diameter_m=10.1,
                          v_initial_east_m_s=v_east, kick_angle_rad=kicks, vertical_time_s=20.0,
                          target_altitude_m=H_PARK, dt=1.0)
    best, _, found = best_along(rk4, target_altitude_m=H_PARK)
    assert bool(found)

    # Inclination of a 72 deg azimuth launch from 28.6 deg N: cos i = cos(lat) sin(Az).
    incl = math.acos(math.cos(LAT_KSC) * math.sin(AZIMUTH))
    red = mass_in_orbit_with_top_stage(sat5, PAYLOAD, H_PARK, H_PARK, incl, latitude_rad=LAT_KSC)
    assert int(red.status) == 0

    m_rk4, m_red = float(best.mass), float(red.payload_kg)
    loss_rk4 = float(best.gravity_loss + best.drag_loss + best.steering_loss + best.back_pressure_loss)
    loss_red = float(red.dv_gravity + red.dv_drag + red.dv_steering + red.dv_back_pressure)
    print(f"\nSaturn V mass in 185 km orbit: RK4 {m_rk4 / 1e3:.1f} t, reduced {m_red / 1e3:.1f} t; "
          f"losses RK4 {loss_rk4:.0f} m/s, reduced {loss_red:.0f} m/s")
    assert abs(m_red / m_rk4 - 1) < 0.03
    assert abs(loss_red / loss_rk4 - 1) < 0.08


def test_ascent_models_agree_on_energia():
    """Energia (4 boosters + hydrogen core that flies to orbit, no upper stage) with the published
    100 t on top, 200 km circular at 51.6 deg from Baikonur: both models must agree on the mass in
    orbit (3 %).

    This is the evidence behind the Energia entry of docs/method-ascent.md §4: with the buran.su
    stage totals (Blok-A 307.0 t propellant / 65.6 t burnout, Blok-Ts 703.6 / 72.6 t) the model
    predicts 110 t against the published 100 t (+10 %), and the independent integrator, with its own
    guidance and atmosphere, puts the same mass in orbit with 100 t on top: the 100 t, the 72.6 t
    core burnout mass and ~8-9 t of unburnt core propellant (RK4 180.4 t, reduced model 181.6 t), i.e.
    both imply ~108-110 t of payload. (With the superseded 35 t Blok-A burnout
    mass both models gave ~125-129 t.)
    """
    # both integrators fly the same bare stack (no residuals or reserve held back in the core): this
    # test compares the two ascent models, not the top-stage accounting
    energia = dataclasses.replace(get_vehicle("Energia"), top_stage=TopStage())
    lat, inc = energia.latitude_rad, math.radians(51.6)
    azimuth = math.asin(math.cos(inc) / math.cos(lat))
    v_east = OMEGA_EARTH * R_EARTH * math.cos(lat) * math.sin(azimuth)
    payload = 100e3  # the published figure
    kicks = np.deg2rad(np.linspace(0.5, 6.0, 16))
    rk4 = simulate_ascent(energia.to_stack(), payload, exit_area_m2=energia.phase_pressure_loss() / P0,
                          diameter_m=12.4, v_initial_east_m_s=v_east, kick_angle_rad=kicks,
                          vertical_time_s=10.0, target_altitude_m=200e3, dt=1.0)
    best, _, found = best_along(rk4, target_altitude_m=200e3)
    assert bool(found)
    red = mass_in_orbit_with_top_stage(energia, payload, 200e3, 200e3, inc)
    assert int(red.status) == 0
    m_rk4, m_red = float(best.mass), float(red.payload_kg)
    print(f"\nEnergia mass in 200 km orbit with 100 t on top: RK4 {m_rk4 / 1e3:.1f} t, "
          f"reduced {m_red / 1e3:.1f} t (core burnout {energia.stages[-1].m_dry / 1e3:.1f} t)")
    assert abs(m_red / m_rk4 - 1) < 0.03
    # Both reach the orbit with the published 100 t and propellant to spare, but not much: the spare
    # core propellant is what lifts the model's payload to ~110 t (+10 %, inside the 15 % bound).
    m_min = energia.stages[-1].m_dry + payload
    assert m_min < min(m_rk4, m_red) < m_min + 0.15 * payload
