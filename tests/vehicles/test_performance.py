"""Payload to orbit / C3: rotation benefit, monotonic trends, vectorization, statuses."""

import math

import numpy as np
import pytest

from jointmission.constants import OMEGA_EARTH, R_EARTH
from jointmission.vehicles import (
    C3Target,
    OrbitTarget,
    PerformanceStatus,
    get_vehicle,
    mass_in_orbit_with_top_stage,
    payload,
    payload_to_c3,
    payload_to_orbit,
    dogleg_angle,
    dogleg_dv,
    rotation_benefit,
    vehicle_arrays,
)


@pytest.fixture(scope="module")
def fh():
    return get_vehicle("Falcon Heavy")


def test_rotation_benefit_due_east():
    lat = math.radians(28.5)
    expected = OMEGA_EARTH * R_EARTH * math.cos(lat)  # 408 m/s
    benefit, in_plane = rotation_benefit(7800.0, lat)
    assert float(benefit) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(408.0, abs=1.0)
    # polar: small penalty; retrograde: lose the rotation; below the latitude: a dog-leg launches
    # due east (full benefit) and pays for the plane turn in dv_dogleg instead
    b = rotation_benefit(7800.0, lat, np.radians([90.0, 150.0, 10.0]))[0]
    assert -20 < b[0] < 0 and b[1] < -300 and b[2] == pytest.approx(expected, rel=1e-12)


def test_dogleg_cost_is_the_vector_velocity_change():
    # Turning the velocity from v_s (launch plane) to v_i (target plane, di away) with one fixed
    # thrust direction costs |v_i R(di) - v_s|, i.e. the combined plane change; the dog-leg cost is
    # that minus the in-plane gain v_i - v_s. Independent check with explicit 3-vectors.
    v_s, v_i, di = 2500.0, 7790.0, math.radians(19.6)
    a = np.array([v_s, 0.0, 0.0])
    b = v_i * np.array([math.cos(di), math.sin(di), 0.0])
    expected = np.linalg.norm(b - a) - (v_i - v_s)
    assert float(dogleg_dv(v_s, v_i, di)) == pytest.approx(expected, rel=1e-12)
    assert float(dogleg_dv(v_s, v_i, 0.0)) == pytest.approx(0.0, abs=1e-9)
    # reachable directly -> no turn; below the latitude -> lat - i; retrograde beyond 180 - lat
    lat = math.radians(19.6)
    np.testing.assert_allclose(dogleg_angle(lat, np.radians([19.6, 45.0, 0.0, 170.0])),
                               np.radians([0.0, 0.0, 19.6, 9.6]), atol=1e-12)


def test_dogleg_lowers_payload_to_low_inclinations():
    # Long March 5 from Wenchang (19.6 deg N): the equatorial orbit needs a 19.6 deg dog-leg.
    lm5 = get_vehicle("Long March 5")
    res = payload_to_orbit(lm5, 200e3, inclination_rad=np.radians([19.6, 10.0, 0.0]))
    assert np.all(res.status == 0)
    assert res.dv_dogleg[0] == pytest.approx(0.0, abs=1e-6)
    assert 0 < res.dv_dogleg[1] < res.dv_dogleg[2] < 600.0
    assert np.all(np.diff(res.payload_kg) < 0)


@pytest.fixture(scope="module")
def fh_altitudes(fh):
    h = np.array([200e3, 400e3, 1000e3, 20000e3])
    return h, payload_to_orbit(fh, h)


def test_payload_decreases_with_altitude(fh_altitudes):
    h, res = fh_altitudes
    assert np.all(res.status == 0)
    assert np.all(np.diff(res.payload_kg) < 0)
    assert np.all(res.dv_required > 8500)


def test_vectorized_equals_scalar(fh, fh_altitudes):
    h, res = fh_altitudes
    one = payload_to_orbit(fh, h[1])
    assert float(one.payload_kg) == pytest.approx(res.payload_kg[1], rel=1e-6)
    assert one.payload_kg.shape == () and res.dv_phases.shape == (4, 3)


def test_payload_decreases_with_c3(fh):
    res = payload_to_c3(fh, np.array([-2e6, 10e6, 30e6]))
    assert np.all(res.status == 0)
    assert np.all(np.diff(res.payload_kg) < 0)
    assert np.all(np.diff(res.dv_departure) > 0)
    assert res.dv_departure[0] == pytest.approx(3117.0, abs=30)  # sqrt(C3 + 2 mu/r) - v_c at 185 km


def test_budget_adds_up_and_losses_plausible(fh):
    r = payload(fh, OrbitTarget(200e3, None, math.radians(28.5)))
    total = (r.dv_orbit - r.dv_rotation + r.dv_gravity + r.dv_drag + r.dv_steering
             + r.dv_back_pressure + r.dv_departure + r.dv_finite_burn + r.dv_dogleg)
    assert float(r.dv_required) == pytest.approx(float(total))
    assert float(np.sum(r.dv_phases)) == pytest.approx(float(r.dv_required), rel=1e-6)
    assert 1200 < float(r.dv_losses) < 2200
    assert r.phase_names == ("boosters + Center core", "Center core", "Second stage")


def test_reference_vehicles_have_losses_in_band():
    lo = []
    for name in ("Saturn V", "Falcon Heavy", "Energia", "Long March 5"):
        v = get_vehicle(name)
        if name == "Saturn V":  # its reference definition: S-IVB and TLI propellant in orbit
            r = mass_in_orbit_with_top_stage(v, 48.6e3, 170e3)
            tw = v.liftoff_thrust_to_weight(48.6e3)
        else:
            r = payload_to_orbit(v, 200e3)
            tw = v.liftoff_thrust_to_weight(float(r.payload_kg))
        assert 1200 < float(r.dv_losses) < 2200, name
        lo.append((tw, float(r.dv_gravity)))
    # lower lift-off T/W -> more gravity loss (Saturn V 1.19 vs Energia 1.5)
    lo.sort()
    assert lo[0][1] > lo[-1][1]


def test_statuses(fh):
    r = payload_to_orbit(fh, np.array([-10e3, 300e3]), np.array([200e3, 200e3]))
    assert list(r.status) == [PerformanceStatus.INVALID_TARGET, PerformanceStatus.INVALID_TARGET]
    assert np.all(np.isnan(r.payload_kg))
    far = payload_to_c3(fh, 200e6)  # far beyond the vehicle
    assert int(far.status) == PerformanceStatus.INSUFFICIENT_DV and np.isnan(far.payload_kg)


def test_launch_latitude_off_the_globe_is_an_invalid_target(fh):
    """A latitude beyond +-90 deg (2 rad, a degrees/radians slip) or NaN is no launch site: INVALID_TARGET
    with a NaN payload, not a payload computed from cos(2 rad) < 0; the valid cases beside it still solve."""
    r = payload_to_orbit(fh, 200e3, latitude_rad=np.array([2.0, -1.6, np.nan, math.radians(28.5)]))
    assert list(r.status[:3]) == [PerformanceStatus.INVALID_TARGET] * 3
    assert np.all(np.isnan(r.payload_kg[:3]))
    assert int(r.status[3]) == 0 and r.payload_kg[3] > 40e3
    c3 = payload_to_c3(fh, 10e6, latitude_rad=math.pi / 2 + 1e-3)
    assert int(c3.status) == PerformanceStatus.INVALID_TARGET and np.isnan(c3.payload_kg)


def test_an_upper_stage_too_weak_to_reach_orbit_gives_no_payload(fh):
    """Falcon Heavy's second stage with 1 N, 100 N or 1 kN instead of 981 kN (a kN/N slip in an engine
    override) burns for days: no payload, to LEO or to escape -- not the 35-50 t it once returned."""
    import dataclasses

    for f in (1.0, 100.0, 1e3):
        eng = dataclasses.replace(fh.stages[1].engine, thrust_vac=f)
        v = dataclasses.replace(fh, stages=(fh.stages[0], dataclasses.replace(fh.stages[1], engine=eng)))
        for r in (payload_to_orbit(v, 200e3), payload_to_orbit(v, 200e3, top_load=1.0), payload_to_c3(v, 10e6)):
            assert int(r.status) != 0 and np.isnan(r.payload_kg), (f, int(r.status), float(r.payload_kg))


def test_liftoff_tw_below_one_is_infeasible():
    v = get_vehicle("Saturn V")
    va = vehicle_arrays(v)
    weak = va._replace(liftoff_thrust=va.liftoff_thrust * 0.8)  # T/W ~0.95 with payload
    r = payload_to_orbit(weak, 185e3)
    assert int(r.status) == PerformanceStatus.LIFTOFF_TW_BELOW_ONE and np.isnan(r.payload_kg)


def test_vehicle_arrays_stack_many_vehicles():
    va = vehicle_arrays([get_vehicle("Joint Heavy CN"), get_vehicle("Joint Heavy RU-CN hybrid")])
    r = payload_to_c3(va, -2e6)
    assert r.payload_kg.shape == (2,) and np.all(r.status == 0)


def test_mass_in_orbit_counts_top_stage():
    v = get_vehicle("Saturn V")
    r = mass_in_orbit_with_top_stage(v, 48.6e3, 170e3)
    top = v.stages[-1]
    assert int(r.status) == 0
    assert 48.6e3 + top.m_dry < float(r.payload_kg) < 48.6e3 + top.m_dry + top.m_prop


def test_c3_target_dataclass(fh):
    r = payload(fh, C3Target(0.0, parking_alt_m=200e3))
    assert int(r.status) == 0 and float(r.payload_kg) > 0


def test_reserve_fraction_lowers_payload(fh):
    base = payload_to_orbit(fh, 200e3)
    res = payload_to_orbit(fh, 200e3, reserve_fraction=0.01)
    assert float(res.payload_kg) < float(base.payload_kg)
    assert float(res.dv_required) == pytest.approx(1.01 * float(
        res.dv_orbit - res.dv_rotation + res.dv_losses + res.dv_departure + res.dv_finite_burn
        + res.dv_dogleg))


@pytest.mark.parametrize("bad, error", [(-0.5, ValueError), (-1e-9, ValueError), (1.0, ValueError), (2.0, ValueError),
                                        (float("nan"), ValueError), ("-5 %", ValueError), ("lots", ValueError),
                                        (True, TypeError), (np.array([0.01, -0.2]), ValueError)])
def test_a_reserve_outside_0_to_1_is_refused(fh, bad, error):
    """A flight-performance reserve is a fraction of the required delta-v in [0, 1). A negative one
    lowered the requirement: Falcon 9 to 200 km gave 110.6 t (21.7 t without), status ok; 1 or more,
    NaN or a bool (True read as 100 %) gave no payload without saying why. Each is refused by name,
    before any solve, in payload_to_orbit, payload_to_c3, mass_in_orbit_with_top_stage and
    payload_curve."""
    import jointmission as jm

    calls = (lambda: payload_to_orbit(fh, 200e3, reserve_fraction=bad),
             lambda: payload_to_c3(fh, 0.0, reserve_fraction=bad),
             lambda: mass_in_orbit_with_top_stage(fh, 10e3, 200e3, reserve_fraction=bad),
             lambda: jm.payload_curve("Falcon 9", c3=[0.0], reserve_fraction=bad))
    for call in calls:
        with pytest.raises(error, match="reserve_fraction"):
            call()


def test_a_reserve_reads_as_the_fields_of_a_scenario_file(fh):
    """``reserve_fraction`` takes what a fraction field of a scenario file takes: ``0.01``, ``"1 %"``,
    a dimensionless Quantity (``1 * u.percent``) -- the same answer."""
    import astropy.units as u

    ref = float(payload_to_orbit(fh, 200e3, reserve_fraction=0.01, top_load=1.0).payload_kg)
    for same in ("1 %", "0.01", 1 * u.percent, np.float64(0.01)):
        assert float(payload_to_orbit(fh, 200e3, reserve_fraction=same, top_load=1.0).payload_kg) == ref, same


def test_catalog_name_is_accepted_like_the_vehicle():
    """`payload_to_orbit`, `payload_to_c3` and `payload` take a catalog name as `payload_curve` does (the same
    answer as the vehicle object); an unknown name is a CatalogError with a suggestion."""
    from jointmission.vehicles import CatalogError, OrbitTarget

    v = get_vehicle("Atlas V 401")
    assert float(payload_to_orbit("Atlas V 401", 200e3).payload_kg) == float(payload_to_orbit(v, 200e3).payload_kg)
    assert float(payload_to_c3("Atlas V 401", 10e6).payload_kg) == float(payload_to_c3(v, 10e6).payload_kg)
    from jointmission.vehicles import payload as payload_fn

    assert float(payload_fn("Atlas V 401", OrbitTarget(200e3)).payload_kg) == float(
        payload_fn(v, OrbitTarget(200e3)).payload_kg)
    with pytest.raises(CatalogError, match="did you mean 'Atlas V 401'"):
        payload_to_orbit("Atlas V 410", 200e3)


@pytest.mark.parametrize("kw, name", [({"mu": 4.9048695e12, "r_body": 1737.4e3}, "mu"),  # the Moon
                                      ({"r_body": 3389.5e3}, "r_body"), ({"mu": 4.282837e13}, "mu")])
def test_another_body_is_refused_not_flown_through_earths_atmosphere(kw, name):
    """The ascent model's atmosphere (US Standard Atmosphere 1976) and rotation are Earth's: Falcon 9
    'from the Moon' gave 3.45 t with status ok. Another body's mu or r_body is a ValueError naming it
    (for payload_to_orbit, payload_to_c3 and mass_in_orbit_with_top_stage); Earth's own GM in another
    realisation (WGS 84, 3.986004418e14) and the mean radius (6,371 km) are Earth."""
    from jointmission.vehicles import mass_in_orbit_with_top_stage, payload_to_c3

    v = get_vehicle("Falcon 9")
    for call in (lambda: payload_to_orbit(v, 100e3, **kw), lambda: payload_to_c3(v, 0.0, **kw),
                 lambda: mass_in_orbit_with_top_stage(v, 1000.0, 200e3, **kw)):
        with pytest.raises(ValueError, match=f"{name}=.*Earth's"):
            call()
    ref = payload_to_orbit(v, 200e3, top_load=1.0).payload_kg
    assert payload_to_orbit(v, 200e3, mu=3.986004418e14, top_load=1.0).payload_kg == pytest.approx(ref, rel=1e-4)
    assert payload_to_orbit(v, 200e3, r_body=6371.0e3, top_load=1.0).payload_kg == pytest.approx(ref, rel=0.02)
