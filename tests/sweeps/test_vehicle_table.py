"""The vectorized vehicle table equals the domain objects' arrays for every sweepable field."""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.runners.vehicle_table import build_vehicle_arrays, vehicle_base
from jointmission.scenario import parse_scenario
from jointmission.vehicles.performance import vehicle_arrays
from jointmission.vehicles.vehicle import LaunchVehicle

# (vehicle, override path, value as the scenario would write it, SI value)
CASES = [
    ("Joint Heavy CN", "stages[0].engine.isp_vac", "340 s", 340.0),
    ("Joint Heavy CN", "stages[0].engine.isp_sl", "300 s", 300.0),
    ("Joint Heavy CN", "stages[2].engine.thrust_vac", "300 kN", 300e3),
    ("Joint Heavy CN", "stages[1].engine_count", 3, 3.0),
    ("Joint Heavy CN", "stages[1].m_prop", "300 t", 300e3),
    ("Joint Heavy CN", "stages[0].m_dry", "160 t", 160e3),
    ("Joint Heavy CN", "stages[0].throttle_during_boosters", 0.8, 0.8),
    ("Joint Heavy CN", "boosters.count", 6, 6.0),
    ("Joint Heavy CN", "boosters.engines_per_booster", 3, 3.0),
    ("Joint Heavy CN", "boosters.m_prop", "400 t", 400e3),
    ("Joint Heavy CN", "boosters.m_dry", "70 t", 70e3),
    ("Joint Heavy CN", "boosters.engine.isp_vac", "320 s", 320.0),
    ("Joint Heavy CN", "fairing.mass", "14 t", 14e3),
    ("Joint Heavy CN", "launch_site.latitude", "45 deg", np.radians(45.0)),
    ("Saturn V", "stages[0].engine.thrust_sl", "6000 kN", 6000e3),
    ("Saturn V", "other_jettisoned[0].mass", "5 t", 5e3),
]


def _arrays_equal(a, b):
    for x, y in zip(a.stack, b.stack):
        np.testing.assert_allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), rtol=1e-14)
    for f in ("phase_thrust", "phase_p_area", "liftoff_thrust", "latitude"):
        np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=1e-14, atol=1e-9)


@pytest.mark.parametrize("vehicle, path, value, si", CASES)
def test_table_row_equals_vehicle_with_override(vehicle, path, value, si):
    from jointmission.vehicles import catalog

    spec = catalog.get_vehicle_spec(vehicle)
    if path.startswith("other_jettisoned") and not spec.other_jettisoned:
        pytest.skip(f"{vehicle} has no other jettisoned items")
    base_s = parse_scenario({"name": "x", "vehicle": {"catalog": vehicle}, "targets": [{"name": "t", "orbit": {"altitude": 200}}]})
    over = parse_scenario({"name": "x", "vehicle": {"catalog": vehicle, "overrides": {path: value}},
                           "targets": [{"name": "t", "orbit": {"altitude": 200}}]})
    base = vehicle_base(LaunchVehicle.from_spec(base_s.vehicle))
    from jointmission.scenario.vehicle_ref import parse_override_path

    keys = [parse_override_path(path)]
    got, valid = build_vehicle_arrays(base, keys, np.array([[si], [si]]))
    want = vehicle_arrays(LaunchVehicle.from_spec(over.vehicle))
    assert valid.all()
    for row in range(2):
        one = type(got)(type(got.stack)(*(np.asarray(x)[row] if np.ndim(x) else x for x in got.stack)),
                        *(getattr(got, f)[row] for f in ("phase_thrust", "phase_p_area", "liftoff_thrust", "latitude")))
        _arrays_equal(one, want)


def test_non_physical_rows_are_flagged():
    s = parse_scenario({"name": "x", "vehicle": {"catalog": "Joint Heavy CN"}, "targets": [{"name": "t", "orbit": {"altitude": 200}}]})
    base = vehicle_base(LaunchVehicle.from_spec(s.vehicle))
    keys = [("stages", 0, "engine", "isp_vac")]
    _, valid = build_vehicle_arrays(base, keys, np.array([[333.0], [250.0]]))  # isp_sl is 300 s
    assert valid.tolist() == [True, False]
