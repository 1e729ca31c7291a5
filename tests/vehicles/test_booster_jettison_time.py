"""Spent boosters jettisoned after their burnout (``boosters.jettison_time``, s after lift-off): core stage 0
carries their burnout mass from their burnout to that time, one more segment of its burn (the mechanism of
a fairing dropped during a burn). Checked against the closed-form rocket equation, for continuity with the
drop at burnout, for sweeps of the booster masses, in the independent RK4 trajectory, and for the errors a
bad time gets."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from pydantic import ValidationError

from jointmission.constants import G0
from jointmission.core.rocket import stack_delta_v
from jointmission.verification.trajectory import AscentStatus, simulate_ascent
from jointmission.vehicles import get_vehicle
from jointmission.vehicles.arrays import build_vehicle_arrays, vehicle_arrays, vehicle_table
from jointmission.vehicles.spec import VehicleSpec
from jointmission.vehicles.vehicle import LaunchVehicle

E1 = {"name": "E1", "thrust_vac": "1000 kN", "thrust_sl": "900 kN", "isp_vac": "310 s", "isp_sl": "280 s"}
E2 = {"name": "E2", "thrust_vac": "900 kN", "isp_vac": "340 s"}
MDOT_B = 6 * 1000e3 / (G0 * 310.0)  # both boosters [kg/s]
T_B = 2 * 60e3 / MDOT_B  # booster burn [s], ~60.8
MDOT_0 = 9 * 1000e3 / (G0 * 310.0)  # stage 0 at full thrust [kg/s]
T_0 = T_B + (400e3 - 0.5 * MDOT_0 * T_B) / MDOT_0  # stage 0 burnout [s], ~165.5


def _spec(jettison_time=None, fairing: dict | None = None) -> dict:
    b = {"count": 2, "engine": dict(E1), "engines_per_booster": 3, "m_prop": "60 t", "m_dry": "6 t",
         "residuals": 0.0}
    if jettison_time is not None:
        b["jettison_time"] = jettison_time
    return {"name": "V", "launch_site": {"latitude": "28.5 deg"}, "boosters": b,
            "stages": [{"name": "S1", "engine": dict(E1), "engine_count": 9, "m_prop": "400 t", "m_dry": "25 t",
                        "residuals": 0.0, "throttle_during_boosters": 0.5},
                       {"name": "S2", "engine": dict(E2), "m_prop": "100 t", "m_dry": "4 t", "residuals": 0.0}],
            "fairing": fairing or {"mass": "2 t", "jettison_after_stage": 1}}


def _vehicle(jettison_time=None, fairing: dict | None = None) -> LaunchVehicle:
    return LaunchVehicle.from_spec(VehicleSpec.model_validate(_spec(jettison_time, fairing)))


def test_carried_boosters_are_the_closed_form_rocket_equation():
    """Stage 0 burns from the boosters' burnout to 100 s with their 12 t on, drops them, burns the rest:
    c ln(m1 / mj) + c ln((mj - 12 t) / m2); the booster phase drops nothing; lift-off mass unchanged."""
    v = _vehicle("100 s")
    va = vehicle_arrays(v)
    assert va.column_stage == (0, 0, 1)
    st = va.stack
    assert float(st.booster_m_dry) == 0.0 and float(st.m_dry[0]) == pytest.approx(12e3)
    assert float(np.sum(st.m_prop[:2])) == pytest.approx(400e3)
    assert float(st.m_prop[0]) == pytest.approx(0.5 * MDOT_0 * T_B + MDOT_0 * (100.0 - T_B), rel=1e-12)
    p = 5000.0
    c0 = G0 * 310.0
    above = float(st.m_prop[-1] + st.m_dry[-1]) + p  # the top stage as flown (with the fairing) + payload
    m1 = above + 25e3 + 12e3 + 400e3 - 0.5 * MDOT_0 * T_B  # after the booster phase, boosters still on
    mj = m1 - MDOT_0 * (100.0 - T_B)
    m2 = above + 25e3
    want = c0 * math.log(m1 / mj) + c0 * math.log((mj - 12e3) / m2)
    dv = stack_delta_v(st, p)
    assert float(dv[1] + dv[2]) == pytest.approx(want, rel=1e-12)
    assert float(va.per_stage(dv)[1]) == pytest.approx(want, rel=1e-12)
    at_burnout = vehicle_arrays(_vehicle()).stack
    assert float(st.liftoff_mass(p)) == pytest.approx(float(at_burnout.liftoff_mass(p)), rel=1e-15)
    assert float(dv[0]) == pytest.approx(float(stack_delta_v(at_burnout, p)[0]), rel=1e-12)
    rows, rows0 = v.stage_table(), _vehicle().stage_table()
    assert [r["burn_time_s"] for r in rows] == pytest.approx([r["burn_time_s"] for r in rows0], rel=1e-12)


def test_a_drop_just_after_burnout_is_the_burnout_drop_and_later_costs_delta_v():
    p = 3000.0
    total = lambda v: float(np.sum(stack_delta_v(vehicle_arrays(v).stack, p)))  # noqa: E731
    at0 = total(_vehicle())
    early = total(_vehicle(f"{T_B + 1e-3} s"))
    mid, late = total(_vehicle("100 s")), total(_vehicle(f"{T_0 - 1e-3} s"))
    assert early == pytest.approx(at0, abs=0.01)
    assert late < mid < early  # the later the drop, the less delta-v
    # carrying them to stage 0's burnout is dropping them with stage 0: 12 t more at its burnout
    s = _spec()
    s["stages"][0]["m_dry"] = "37 t"
    s["boosters"]["m_dry"] = "1 g"
    heavy = LaunchVehicle.from_spec(VehicleSpec.model_validate(s))
    assert late == pytest.approx(total(heavy), abs=0.05)


def test_booster_mass_sweeps_move_the_carried_mass():
    """The carried mass is each case's booster burnout mass (count x m_dry): sweeping either moves it."""
    table = vehicle_table(_vehicle("100 s"))
    va, valid = build_vehicle_arrays(table, [("boosters", "m_dry"), ("boosters", "count")],
                                     np.array([[6e3, 2.0], [7e3, 2.0], [6e3, 3.0]]))
    assert valid.all()
    assert va.stack.m_dry[:, 0] == pytest.approx([12e3, 14e3, 18e3])
    assert va.stack.booster_m_dry == pytest.approx([0.0, 0.0, 0.0])
    # a case whose boosters now burn past the jettison time is invalid, not silently reordered
    _, valid = build_vehicle_arrays(table, [("boosters", "m_prop")], np.array([[60e3], [120e3]]))
    assert list(valid) == [True, False]


def test_timed_fairing_and_boosters_share_stage_zero():
    v = _vehicle("100 s", {"mass": "2 t", "jettison_in_stage": 0, "jettison_time": "140 s"})
    va = vehicle_arrays(v)
    assert va.column_stage == (0, 0, 0, 1)
    assert va.stack.m_dry[:3] == pytest.approx([12e3, 2e3, 25e3])


def test_rk4_trajectory_flies_the_carried_boosters():
    """The independent RK4 integrator counts phases by index: in free space, vertical, it must reach the
    rocket-equation speed of the split stack (1e-6, as its own free-space test) with the top stage's
    burnout mass and the payload left."""
    v = get_vehicle("Atlas V 551")
    st = v.to_stack()
    n_ph = np.shape(st.isp)[-1] + 1
    assert n_ph == 5  # booster phase, stage 0 in three segments (solids at 110 s, fairing 204.9 s), Centaur
    res = simulate_ascent(st, 2000.0, exit_area_m2=np.zeros(n_ph), diameter_m=0.0, v_initial_east_m_s=0.0,
                          kick_angle_rad=0.0, vertical_time_s=np.inf, guided_from_phase=n_ph, cutoff=False,
                          mu_m3_s2=0.0, dt=1.0)
    dv_ref = float(np.sum(stack_delta_v(st, 2000.0)))
    assert res.status == AscentStatus.OK and res.phase == n_ph
    assert abs(res.speed / dv_ref - 1) < 1e-6
    assert abs(res.mass - (float(st.m_dry[-1]) + 2000.0)) < 1e-6


def test_the_atlas_v_551_solids_ride_to_110_s():
    v = get_vehicle("Atlas V 551")
    assert v.boosters.jettison_time == pytest.approx(110.0)
    assert v.boosters.burn_time < 110.0 < 204.9  # after their burnout, before the fairing
    early = dataclasses.replace(v, boosters=dataclasses.replace(v.boosters, jettison_time=None))
    assert float(np.sum(stack_delta_v(v.to_stack(), 5000.0))) < float(np.sum(stack_delta_v(early.to_stack(), 5000.0)))


@pytest.mark.parametrize("value, match", [
    ("50 s", r"boosters\.jettison_time is 50\.0 s but the boosters burn until 60\.8 s"),
    (f"{T_B} s", r"after their burnout; omit jettison_time"),
    ("200 s", r"boosters\.jettison_time is 200\.0 s but stage 0, which carries the spent boosters until then, "
              r"burns out at 165\.5 s"),
    ("-5 s", "positive time such as '205 s'"),
    ("110 kg", "time"),
])
def test_bad_times_are_refused_with_the_field_named(value, match):
    with pytest.raises(ValidationError, match=match):
        _vehicle(value)


def test_the_vehicle_builder_refuses_a_catalog_booster_drop_before_burnout():
    """With catalog engine names the spec cannot know the burn; the builder checks it."""
    from jointmission.vehicles.catalog import build_vehicle, get_vehicle_spec

    spec = get_vehicle_spec("Atlas V 551")
    early = spec.model_copy(update={"boosters": spec.boosters.model_copy(update={"jettison_time": 60.0})})
    with pytest.raises(ValueError, match=r"boosters\.jettison_time is 60\.0 s but the boosters burn until 9\d\.\d s"):
        build_vehicle(early)
    late = spec.model_copy(update={"boosters": spec.boosters.model_copy(update={"jettison_time": 400.0})})
    with pytest.raises(ValueError, match=r"boosters\.jettison_time is 400\.0 s but stage 0"):
        build_vehicle(late)
