"""The one vehicle -> arrays builder (vehicles/arrays.py): equal to the previous implementation, engines
shared by reference, engine-mass bookkeeping when engines or engine counts change, physical ranges."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from jointmission.vehicles import get_engine, get_vehicle, get_vehicle_spec, vehicle_names
from jointmission.vehicles.arrays import build_vehicle_arrays, vehicle_arrays, vehicle_table
from jointmission.vehicles.spec import VehicleSpec
from jointmission.vehicles.top_stage import TopStage
from jointmission.vehicles.vehicle import Boosters

BEFORE = json.loads((Path(__file__).parent / "data" / "arrays_before_one_builder.json").read_text())
"""Arrays of every catalog vehicle from the implementation before the one builder (``LaunchVehicle.to_stack``
and friends), recorded once. Tolerance 1e-9 relative: the formulas are the same, only the order of a
few additions (several jettisons after one stage) may differ, which moves the last bit or two."""


CHANGED_SINCE_RECORDING = {"Falcon Heavy", "SLS Block 1"}
"""Catalog entries whose stage data changed after the recording (Falcon Heavy: one consistent stage set,
395.7 t / 92.67 t propellant instead of 411 t / 107.5 t; SLS Block 1: core-stage burnout mass 97.9 t,
NASA's 85.3 t stage plus its four RS-25D, instead of 85.3 t)."""


def _bare(v):
    """The vehicle without the top stage as flown and without residuals (as the recording was made)."""
    stages = tuple(dataclasses.replace(s, residuals=0.0) for s in v.stages)
    boosters = None if v.boosters is None else dataclasses.replace(v.boosters, residuals=0.0)
    return dataclasses.replace(v, stages=stages, boosters=boosters, top_stage=TopStage())


def _at_burnout(v):
    """The vehicle with every item dropped at its stage's burnout (the recording predates drops at a time
    during a burn, which split a stage in two segments; spent boosters drop at their burnout too)."""
    boosters = None if v.boosters is None else dataclasses.replace(v.boosters, jettison_time=None)
    return dataclasses.replace(v, boosters=boosters,
                               jettisons=tuple(dataclasses.replace(j, time=None) for j in v.jettisons))


@pytest.mark.parametrize("name", [n for n in vehicle_names() if n in BEFORE and n not in CHANGED_SINCE_RECORDING])
def test_one_builder_reproduces_the_previous_arrays(name):
    # the recorded arrays predate the top stage as flown, the residuals and drops during a burn: compare the
    # bare stack with the items dropped at burnout
    va = vehicle_arrays(_at_burnout(_bare(get_vehicle(name))))
    want = BEFORE[name]
    for f in va.stack._fields:
        np.testing.assert_allclose(np.asarray(getattr(va.stack, f), dtype=float), want[f], rtol=1e-9, err_msg=f)
    for f in ("phase_thrust", "phase_p_area", "liftoff_thrust", "latitude"):
        np.testing.assert_allclose(getattr(va, f), want[f], rtol=1e-9, atol=1e-12, err_msg=f)


def test_single_vehicle_is_the_one_case_call_of_the_builder():
    v = get_vehicle("Joint Heavy CN")
    many, valid = build_vehicle_arrays(vehicle_table(v), (), np.zeros((3, 0)))
    one = vehicle_arrays(v)
    assert valid.all() and np.shape(one.liftoff_thrust) == ()
    np.testing.assert_array_equal(many.stack.m_dry[2], one.stack.m_dry)
    np.testing.assert_array_equal(many.phase_p_area[1], one.phase_p_area)
    assert v.to_stack().booster_m_prop == one.stack.booster_m_prop  # the domain methods delegate to it


def test_an_engine_is_one_object_shared_by_every_stage_that_flies_it():
    v = get_vehicle("Joint Heavy CN")  # YF-130 on the boosters and the core stage
    assert v.boosters.engine is v.stages[0].engine
    assert list(v.engines) == ["YF-130", "YF-90", "YF-79"]
    sat5 = get_vehicle("Saturn V")
    assert sat5.stages[1].engine is sat5.stages[2].engine  # J-2 on S-II and S-IVB


def test_an_engine_parameter_moves_every_use_of_that_engine():
    v = get_vehicle("Joint Heavy CN")
    va, valid = build_vehicle_arrays(vehicle_table(v), [("engines", "YF-130", "isp_vac")], np.array([[320.0], [340.0]]))
    assert valid.all()
    np.testing.assert_array_equal(va.stack.isp[:, 0], [320.0, 340.0])  # core stage
    np.testing.assert_array_equal(va.stack.booster_isp, [320.0, 340.0])  # boosters: the same engine


def test_booster_masses_are_per_booster_everywhere():
    spec = get_vehicle_spec("Joint Heavy CN")
    v = get_vehicle("Joint Heavy CN")
    assert v.boosters.m_prop == spec.boosters.m_prop and v.boosters.m_dry == spec.boosters.m_dry
    assert v.boosters.m_prop_total == v.boosters.count * spec.boosters.m_prop
    va, _ = build_vehicle_arrays(vehicle_table(v), [("boosters", "m_prop")], np.array([[400e3]]))
    assert va.stack.booster_m_prop[0] == v.boosters.count * 400e3


def test_jettisoned_items_carry_their_path():
    v = get_vehicle("Saturn V")
    assert [j.path for j in v.jettisons][0] == ("fairing", "mass") or v.jettisons[0].path[0] == "other_jettisoned"
    t = vehicle_table(v)
    assert all(t.values[p] == j.mass for (p, _), j in zip(t.jettisons, v.jettisons))


def test_engine_count_changes_the_dry_mass_by_the_engine_mass():
    """Third stage of Joint Heavy CN 4 -> 6 YF-79: thrust and dry mass both change (before, thrust
    came with no mass)."""
    v = get_vehicle("Joint Heavy CN")
    n0, m_eng = v.stages[2].engine_count, v.stages[2].engine.mass
    va, valid = build_vehicle_arrays(vehicle_table(v), [("stages", 2, "engine_count")], np.array([[n0], [6.0]]))
    assert valid.all()
    assert va.stack.m_dry[0, 2] == vehicle_arrays(v).stack.m_dry[2]  # unchanged count: exactly the same
    assert va.stack.m_dry[1, 2] - va.stack.m_dry[0, 2] == pytest.approx((6 - n0) * m_eng, rel=1e-12)
    assert va.stack.liftoff_mass(0.0)[1] - va.stack.liftoff_mass(0.0)[0] == pytest.approx((6 - n0) * m_eng)


def test_engine_swap_changes_thrust_isp_and_dry_mass():
    v = get_vehicle("Joint Heavy CN")
    rd = get_engine("RD-171M")
    t = vehicle_table(v, {("stages", 0, "engine"): [v.stages[0].engine, rd]})
    va, valid = build_vehicle_arrays(t, [("stages", 0, "engine")], np.array([[0.0], [1.0], [2.0]]))
    assert valid.tolist() == [True, True, False]  # index 2: no such candidate
    n = v.stages[0].engine_count
    assert va.stack.isp[1, 0] == rd.isp_vac and va.stack.thrust[1, 0] == n * rd.thrust_vac
    assert va.stack.booster_isp[1] == v.boosters.engine.isp_vac  # the boosters keep their YF-130
    assert va.stack.m_dry[1, 0] - va.stack.m_dry[0, 0] == pytest.approx(n * (rd.mass - v.stages[0].engine.mass))


@pytest.mark.parametrize("path, value", [(("boosters", "count"), 13.0), (("boosters", "count"), 1e9),
                                         (("stages", 0, "engine_count"), 41.0),
                                         (("engines", "YF-130", "isp_vac"), 3000.0),
                                         (("stages", 1, "m_dry"), float("inf"))])
def test_swept_values_outside_the_physical_range_are_invalid(path, value):
    v = get_vehicle("Joint Heavy CN")
    _, valid = build_vehicle_arrays(vehicle_table(v), [path], np.array([[value]]))
    assert not valid[0]


def test_absurd_counts_are_refused_in_the_spec_and_the_api():
    raw = get_vehicle_spec("Joint Heavy CN").model_dump()
    raw["boosters"]["count"] = 10**9
    with pytest.raises(ValidationError, match="from 1 to 12"):
        VehicleSpec.model_validate(raw)
    raw["boosters"]["count"] = 4
    raw["stages"][0]["engine"]["isp_vac"] = 3000.0
    with pytest.raises(ValidationError, match="at most 1000 s"):
        VehicleSpec.model_validate(raw)
    b = get_vehicle("Joint Heavy CN").boosters
    with pytest.raises(ValueError, match="from 1 to 12"):
        Boosters(count=10**9, engine=b.engine, engines_per_booster=2, m_prop=1e5, m_dry=1e4)


def test_two_different_engines_with_one_name_are_refused():
    raw = get_vehicle_spec("Joint Heavy CN").model_dump()
    raw["boosters"]["engine"]["isp_vac"] = 340.0  # the core's YF-130 stays at 333.5 s
    with pytest.raises(ValidationError, match="both named 'YF-130'"):
        VehicleSpec.model_validate(raw)


def test_every_catalog_engine_has_a_mass():
    from jointmission.vehicles import engine_names

    assert all(get_engine(n).mass and get_engine(n).mass > 0 for n in engine_names())


def test_more_than_six_stages_are_refused():
    raw = get_vehicle_spec("Saturn V").model_dump()
    raw["stages"] = raw["stages"] * 3  # 9 stages
    with pytest.raises(ValidationError, match="at most 6"):
        VehicleSpec.model_validate(raw)


@pytest.mark.parametrize("name", ["Saturn V", "Falcon Heavy", "SLS Block 1"])
def test_top_stage_as_flown_moves_held_back_propellant_into_the_burnout_mass(name):
    """Residuals and the flight-performance reserve (fractions of the top stage's load) leave its
    burnable propellant and join its burnout mass; the adapter and attitude-control propellant add to
    the burnout mass; the lower stages are untouched; the coast loss is boil-off + restart."""
    v = get_vehicle(name)
    bare = vehicle_arrays(dataclasses.replace(v, top_stage=TopStage())).stack  # lower-stage residuals kept
    flown = vehicle_arrays(v)
    ts, top = v.top_stage, v.stages[-1]
    kept = top.m_prop * (ts.residuals + ts.flight_performance_reserve)
    assert kept > 0
    assert flown.stack.m_prop[-1] == pytest.approx(bare.m_prop[-1] - kept)
    assert flown.stack.m_dry[-1] == pytest.approx(bare.m_dry[-1] + kept + ts.payload_adapter
                                                  + ts.attitude_control_propellant)
    np.testing.assert_array_equal(flown.stack.m_prop[:-1], bare.m_prop[:-1])
    np.testing.assert_array_equal(flown.stack.m_dry[:-1], bare.m_dry[:-1])
    assert float(flown.coast_loss) == pytest.approx(ts.boiloff_per_hour * top.m_prop * ts.coast_time / 3600
                                                    + ts.restart_propellant)


def test_top_stage_fields_are_sweepable_paths():
    v = get_vehicle("Falcon Heavy")
    va, valid = build_vehicle_arrays(vehicle_table(v), [("top_stage", "payload_adapter")],
                                     np.array([[0.0], [500.0], [-1.0]]))
    assert list(valid) == [True, True, False]  # a negative adapter mass is outside the field's range
    assert va.stack.m_dry[1, -1] - va.stack.m_dry[0, -1] == pytest.approx(500.0)


def test_residuals_of_lower_stages_and_boosters_leave_with_them():
    v = get_vehicle("Atlas V 551")
    bare = vehicle_arrays(_bare(v)).stack
    va = vehicle_arrays(v)
    st = va.stack
    # stage 0 flies in three segments (the spent solids leave 110 s after lift-off, the fairing 204.9 s): its
    # propellant is their sum, its burnout mass the last segment's; the solids' burnout mass, with their
    # residuals, is what the first segment drops (the booster phase drops nothing)
    k = sum(1 for s in va.column_stage if s == 0)
    assert k == 3
    r0, rb = v.stages[0].residuals, v.boosters.residuals
    assert r0 == 0.01 and rb == 0.005  # liquid and solid class defaults
    assert sum(st.m_prop[:k]) == pytest.approx(sum(bare.m_prop[:k]) * (1 - r0))
    assert st.m_dry[k - 1] == pytest.approx(bare.m_dry[k - 1] + sum(bare.m_prop[:k]) * r0)
    assert st.booster_m_prop == pytest.approx(bare.booster_m_prop * (1 - rb))
    assert float(st.booster_m_dry) == float(bare.booster_m_dry) == 0.0
    assert st.m_dry[0] == pytest.approx(bare.m_dry[0] + bare.booster_m_prop * rb)
    assert bare.m_dry[0] == pytest.approx(v.boosters.count * v.boosters.m_dry)
