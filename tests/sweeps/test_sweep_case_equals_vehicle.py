"""A swept case (the one builder, vehicles/arrays.py, over a column of values) equals the vehicle
built by hand with the same change as an override, for every sweepable field. Tolerance 1e-12
relative: the same formulas on the same numbers (only the order of an addition may differ)."""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.scenario import parse_scenario
from jointmission.vehicles import catalog
from jointmission.vehicles.arrays import build_vehicle_arrays, vehicle_arrays, vehicle_table
from jointmission.vehicles.vehicle import LaunchVehicle

TARGETS = [{"name": "t", "orbit": {"altitude": 200}}]

# (vehicle, path, value as the scenario would write it, extra overrides of the hand-built vehicle)
CASES = [
    ("Joint Heavy CN", "stages[0].engine.isp_vac", "340 s", {}),  # the YF-130: core and boosters
    ("Joint Heavy CN", "engines.YF-130.isp_vac", "340 s", {"stages[0].engine.isp_vac": "340 s"}),
    ("Joint Heavy CN", "stages[0].engine.isp_sl", "300 s", {}),
    ("Joint Heavy CN", "stages[2].engine.thrust_vac", "300 kN", {}),
    ("Joint Heavy CN", "stages[1].m_prop", "300 t", {}),
    ("Joint Heavy CN", "stages[0].m_dry", "160 t", {}),
    ("Joint Heavy CN", "stages[0].throttle_during_boosters", 0.8, {}),
    ("Joint Heavy CN", "boosters.count", 6, {}),
    ("Joint Heavy CN", "boosters.m_prop", "400 t", {}),
    ("Joint Heavy CN", "boosters.m_dry", "70 t", {}),
    ("Joint Heavy CN", "boosters.engine.isp_vac", "320 s", {}),
    ("Joint Heavy CN", "fairing.mass", "14 t", {}),
    ("Joint Heavy CN", "launch_site.latitude", "45 deg", {}),
    ("Saturn V", "stages[0].engine.thrust_sl", "6000 kN", {}),
    ("Saturn V", "stages[2].engine.isp_vac", "430 s", {}),  # the J-2: S-II and S-IVB
    ("Saturn V", "other_jettisoned[0].mass", "5 t", {}),
]


def _scenario(vehicle, overrides=None, sweep=None):
    doc = {"name": "x", "vehicle": {"catalog": vehicle, "overrides": overrides or {}}, "targets": TARGETS}
    if sweep:
        doc["sweep"] = sweep
    return parse_scenario(doc)


def _assert_case_equals(got, row, want, rtol=1e-12):
    for f in got.stack._fields:
        x = np.asarray(getattr(got.stack, f), dtype=float)
        np.testing.assert_allclose(x[row] if x.ndim else x, np.asarray(getattr(want.stack, f), dtype=float),
                                   rtol=rtol, err_msg=f)
    for f in ("phase_thrust", "phase_p_area", "liftoff_thrust", "latitude"):
        np.testing.assert_allclose(getattr(got, f)[row], getattr(want, f), rtol=rtol, atol=1e-9, err_msg=f)


@pytest.mark.parametrize("vehicle, path, value, extra", CASES)
def test_swept_case_equals_vehicle_with_override(vehicle, path, value, extra):
    spec = catalog.get_vehicle_spec(vehicle)
    if path.startswith("other_jettisoned") and not spec.other_jettisoned:
        pytest.skip(f"{vehicle} has no other jettisoned items")
    s = _scenario(vehicle, sweep={"zip": {f"vehicle.{path}": [value, value]}, "losses": "nominal"})
    p = s.sweep.params[0]
    table = vehicle_table(LaunchVehicle.from_spec(s.vehicle))
    got, valid = build_vehicle_arrays(table, [p.keys], s.sweep.case_values(0, 2))
    hand = _scenario(vehicle, extra or {path: value})
    want = vehicle_arrays(LaunchVehicle.from_spec(hand.vehicle))
    assert valid.all()
    for row in range(2):
        _assert_case_equals(got, row, want)


@pytest.mark.parametrize("path, n, holder", [("stages[1].engine_count", 3, "stages[1]"),
                                             ("stages[2].engine_count", 6, "stages[2]"),
                                             ("boosters.engines_per_booster", 3, "boosters")])
def test_engine_count_case_equals_vehicle_with_engines_and_their_mass(path, n, holder):
    """A count change carries the engine mass: the hand-built vehicle sets the count and adds the
    engines' catalog mass to the dry mass itself."""
    s = _scenario("Joint Heavy CN", sweep={"zip": {f"vehicle.{path}": [n]}, "losses": "nominal"})
    v = LaunchVehicle.from_spec(s.vehicle)
    got, valid = build_vehicle_arrays(vehicle_table(v), [s.sweep.params[0].keys], s.sweep.case_values(0, 1))
    h = v.boosters if holder == "boosters" else v.stages[int(holder[-2])]
    n0 = h.engines_per_booster if holder == "boosters" else h.engine_count
    dry = h.m_dry + (n - n0) * h.engine.mass
    hand = _scenario("Joint Heavy CN", {path: n, f"{holder}.m_dry": f"{dry!r} kg"})
    assert valid.all()
    _assert_case_equals(got, 0, vehicle_arrays(LaunchVehicle.from_spec(hand.vehicle)))


def test_non_physical_rows_are_flagged():
    s = _scenario("Joint Heavy CN")
    table = vehicle_table(LaunchVehicle.from_spec(s.vehicle))
    keys = [("engines", "YF-130", "isp_vac")]
    _, valid = build_vehicle_arrays(table, keys, np.array([[333.0], [250.0]]))  # isp_sl is 306 s
    assert valid.tolist() == [True, False]
