"""Items dropped during a burn (``jettison_in_stage`` + ``jettison_time``): the stage flies in two
segments of the rocket equation, exact against the closed form, continuous with the burnout drops at
either end of the burn; results stay per stage; times outside the burn are refused."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from pydantic import ValidationError

from jointmission.constants import G0
from jointmission.core.rocket import stack_delta_v
from jointmission.vehicles import get_vehicle, vehicle_names
from jointmission.vehicles.arrays import build_vehicle_arrays, vehicle_arrays, vehicle_table
from jointmission.vehicles.performance import payload_to_orbit
from jointmission.vehicles.spec import VehicleSpec
from jointmission.vehicles.vehicle import LaunchVehicle

E1 = {"name": "E1", "thrust_vac": "1000 kN", "thrust_sl": "900 kN", "isp_vac": "310 s", "isp_sl": "280 s"}
E2 = {"name": "E2", "thrust_vac": "900 kN", "isp_vac": "340 s"}


def _spec(fairing: dict, boosters: bool = False) -> dict:
    d = {"name": "V", "launch_site": {"latitude": "28.5 deg"},
         "stages": [{"name": "S1", "engine": dict(E1), "engine_count": 9, "m_prop": "400 t", "m_dry": "25 t",
                     "residuals": 0.0},
                    {"name": "S2", "engine": dict(E2), "m_prop": "100 t", "m_dry": "4 t"}],
         "fairing": dict(mass="2 t", **fairing)}
    if boosters:
        d["boosters"] = {"count": 2, "engine": dict(E1), "engines_per_booster": 3, "m_prop": "60 t", "m_dry": "6 t",
                       "residuals": 0.0}
        d["stages"][0]["throttle_during_boosters"] = 0.5
    return d


def _vehicle(fairing: dict, boosters: bool = False) -> LaunchVehicle:
    return LaunchVehicle.from_spec(VehicleSpec.model_validate(_spec(fairing, boosters)))


def test_a_drop_during_the_second_stage_is_the_closed_form_rocket_equation():
    """S2 burns 30 s with the fairing on, drops it, burns the rest: c ln(m0 / mj) + c ln((mj - f) / m1)."""
    v = _vehicle({"jettison_in_stage": 1, "jettison_time": "30 s"})
    va = vehicle_arrays(v)
    assert va.column_stage == (0, 1, 1)
    st = va.stack
    p = 5000.0
    c2 = G0 * 340.0
    mdot2 = 900e3 / c2
    prop2 = float(np.sum(st.m_prop[1:]))  # flown propellant of S2 (after its residuals and reserve)
    m0 = prop2 + float(st.m_dry[-1]) + 2000.0 + p
    mj = m0 - mdot2 * 30.0
    m1 = float(st.m_dry[-1]) + p
    want = c2 * math.log(m0 / mj) + c2 * math.log((mj - 2000.0) / m1)
    dv = stack_delta_v(st, p)
    assert float(np.sum(dv[2:])) == pytest.approx(want, rel=1e-12)
    assert np.shape(va.per_stage(dv)) == (3,)  # per stage again: booster phase, S1, S2
    assert float(va.per_stage(dv)[2]) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("boosters", [False, True])
def test_a_drop_at_either_end_of_the_burn_is_the_burnout_drop(boosters):
    """Continuity: a drop just after ignition of S2 flies as the drop at S1's burnout; a drop just before
    S2's burnout as the drop at S2's burnout (ideal delta-v, to the few kg of propellant in between)."""
    at0 = vehicle_arrays(_vehicle({"jettison_after_stage": 0}, boosters)).stack
    at1 = vehicle_arrays(_vehicle({"jettison_after_stage": 1}, boosters)).stack
    early = vehicle_arrays(_vehicle({"jettison_in_stage": 1, "jettison_time": "0.001 s"}, boosters)).stack
    burn = 100e3 / (900e3 / (G0 * 340.0))
    late = vehicle_arrays(_vehicle({"jettison_in_stage": 1, "jettison_time": f"{burn * 0.98 - 0.001} s"},
                                   boosters)).stack
    p = 3000.0
    total = lambda st: float(np.sum(stack_delta_v(st, p)))  # noqa: E731
    assert total(early) == pytest.approx(total(at0), abs=0.01)
    assert total(at1) < total(late) < total(early) < total(at0) + 0.01  # later drop: less delta-v
    assert total(late) == pytest.approx(total(at1), abs=0.5)


def test_stage_zero_beside_boosters_splits_after_the_booster_phase():
    v = _vehicle({"jettison_in_stage": 0, "jettison_time": "150 s"}, boosters=True)
    va = vehicle_arrays(v)
    assert va.column_stage == (0, 0, 1)
    b_time = 2 * 60e3 / (6 * 1000e3 / (G0 * 310.0))  # booster burn [s]
    mdot1 = 9 * 1000e3 / (G0 * 310.0)
    burned = 0.5 * mdot1 * b_time + mdot1 * (150.0 - b_time)
    assert float(va.stack.m_prop[0]) == pytest.approx(burned, rel=1e-12)
    assert float(va.stack.m_dry[0]) == pytest.approx(2000.0)
    with pytest.raises(ValidationError, match="after its boosters"):  # inside the booster phase
        _vehicle({"jettison_in_stage": 0, "jettison_time": "20 s"}, boosters=True)


def test_times_outside_the_burn_are_refused_with_the_field_named():
    with pytest.raises(ValidationError, match=r"fairing\.jettison_time is 500\.0 s but stage 1 burns for 370\.5 s"):
        _vehicle({"jettison_in_stage": 1, "jettison_time": "500 s"})
    with pytest.raises(ValidationError, match="not both"):
        _vehicle({"jettison_after_stage": 0, "jettison_in_stage": 1, "jettison_time": "5 s"})
    with pytest.raises(ValidationError, match="add jettison_in_stage"):
        _vehicle({"jettison_time": "5 s"})
    with pytest.raises(ValidationError, match="say when it drops"):
        _vehicle({})
    with pytest.raises(ValidationError, match="positive time such as '205 s'"):
        _vehicle({"jettison_in_stage": 1, "jettison_time": "-5 s"})
    with pytest.raises(ValidationError, match=r"fairing\.jettison_in_stage is 2 but the vehicle has 2 stage"):
        _vehicle({"jettison_in_stage": 2, "jettison_time": "5 s"})


def test_the_vehicle_builder_refuses_a_catalog_drop_after_burnout():
    """With catalog engine names the spec cannot know the burn; the builder checks it."""
    from jointmission.vehicles.catalog import build_vehicle, get_vehicle_spec

    d = get_vehicle_spec("Atlas V 551").model_dump(exclude_none=True)
    d["fairing"]["jettison_time"] = 400.0  # the booster burns ~261 s
    with pytest.raises(ValueError, match=r"fairing\.jettison_time is 400\.0 s"):
        build_vehicle(VehicleSpec.model_validate(d))


def test_results_stay_per_stage():
    v = get_vehicle("Atlas V 551")
    res = payload_to_orbit(v, 200e3, top_load=1.0)  # the catalog stack as loaded (the default chooses the load)
    assert len(v.arrays().column_stage) == 4 and np.shape(res.dv_phases) == (3,) and len(res.phase_names) == 3
    assert float(np.sum(res.dv_phases)) == pytest.approx(float(np.sum(stack_delta_v(v.to_stack(), res.payload_kg))))
    rows = v.stage_table()
    assert [r["stage"] for r in rows] == ["boosters", "Common Core Booster", "Centaur III (SEC)"]
    assert rows[1]["jettison_t"] == pytest.approx((3524 + 275 + 285 + 2212) / 1e3)


def test_every_catalog_drop_during_a_burn_flies():
    """Each catalog item dropped at a time falls inside its stage's burn as the model flies it (after the
    booster phase, before burnout): the vehicle arrays are valid and the stage has one more segment."""
    timed = 0
    for name in vehicle_names():
        v = get_vehicle(name)
        drops = [j for j in v.jettisons if j.time is not None]
        _, valid = build_vehicle_arrays(vehicle_table(v))
        assert valid.all(), name
        va = vehicle_arrays(v)
        stages = {j.after_stage: {jj.time for jj in drops if jj.after_stage == j.after_stage} for j in drops}
        if v.boosters is not None and v.boosters.jettison_time is not None:  # spent boosters carried by stage 0
            stages.setdefault(0, set()).add(v.boosters.jettison_time)
        assert (len(va.column_stage) or v.n_stages) == v.n_stages + sum(len(t) for t in stages.values()), name
        timed += bool(stages)
    assert timed >= 6  # Atlas V 551 / 401, Falcon 9, both Falcon Heavy, Delta IV Heavy, Long March 5


def test_a_stage_zero_split_without_boosters_keeps_guidance_at_stage_zero_burnout():
    """Guidance takes over at the first stage's burnout, not at the drop (the ascent model's rule counts
    phases; the split adds one): the guidance-start state is that of the burnout-drop vehicle."""
    burn0 = 400e3 / (9 * 1000e3 / (G0 * 310.0))
    split = payload_to_orbit(_vehicle({"jettison_in_stage": 0, "jettison_time": f"{0.8 * burn0} s"}), 200e3)
    burnout = payload_to_orbit(_vehicle({"jettison_after_stage": 0}), 200e3)
    assert int(split.status) == 0 and int(burnout.status) == 0
    assert float(split.h_separation) == pytest.approx(float(burnout.h_separation), rel=0.05)
    assert float(split.payload_kg) > float(burnout.payload_kg)  # the fairing leaves earlier


def test_dump_and_reload_keeps_the_drop(tmp_path):
    d = get_vehicle_spec_dump("Falcon 9")
    again = VehicleSpec.model_validate(copy.deepcopy(d))
    assert again.fairing.jettison_in_stage == 1 and again.fairing.jettison_time == pytest.approx(32.0)


def get_vehicle_spec_dump(name: str) -> dict:
    from jointmission.vehicles.catalog import get_vehicle_spec

    return get_vehicle_spec(name).model_dump(exclude_none=True)
