"""jm.payload honours a C3 target's DLA the way payload_to_c3 with the resolved inclination does."""

from __future__ import annotations

import math

import numpy as np

from jointmission.vehicles.catalog import get_vehicle
from jointmission.vehicles.performance import payload, payload_to_c3
from jointmission.vehicles.targets import Target, parking_inclination


def test_payload_of_a_c3_target_with_dla_flies_the_dla_inclination():
    sv = get_vehicle("Saturn V")
    lat = math.radians(28.6)
    dla = math.radians(40.0)
    with_dla = payload(sv, Target.c3(10e6, dla_rad=dla))
    # hand rule: parking inclination = max(site latitude, |DLA|) = 40 deg here
    assert math.isclose(parking_inclination(lat, None, dla), dla)
    direct = payload_to_c3(sv, 10e6, inclination_rad=dla)
    due_east = payload(sv, Target.c3(10e6))
    assert np.allclose(with_dla.payload_kg, direct.payload_kg, rtol=1e-9)
    # steeper parking orbit loses Earth-rotation benefit: strictly less payload than due east
    assert float(with_dla.payload_kg) < float(due_east.payload_kg) - 100.0
