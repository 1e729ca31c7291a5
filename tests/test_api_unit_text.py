"""The Python API reads a quantity written as text with its unit (``"200 km"``, ``"10 km2/s2"``), as a
scenario file and the command line do, and gives the same answer as the SI float. Text without a unit
is refused (a bare number in Python is SI, in a scenario file it is km or t: text would be ambiguous),
and so is a unit of the wrong dimension, naming the argument. Before, ``"200 km"`` raised numpy's
"could not convert string to float", a TypeError inside porkchop_grid, and best_transfer said the
parking orbit "must be at least 120 km"."""

from __future__ import annotations

import numpy as np
import pytest

import jointmission as jm
from jointmission.units import UnitError

WINDOW, ARRIVE = ("2031-01-01", "2031-03-01"), ("2031-08-01", "2031-10-01")


def test_text_with_a_unit_is_the_si_float():
    v = jm.get_vehicle("Falcon 9")
    assert float(jm.payload_to_orbit(v, "200 km", top_load=1.0).payload_kg) == float(
        jm.payload_to_orbit(v, 200e3, top_load=1.0).payload_kg)
    assert float(jm.payload_to_c3(v, "10 km2/s2", parking_alt_m="0.2 Mm", top_load=1.0).payload_kg) == float(
        jm.payload_to_c3(v, 10e6, parking_alt_m=200e3, top_load=1.0).payload_kg)
    assert jm.Target.orbit("200 km", inclination_rad="28.5 deg") == jm.Target.orbit(200e3, inclination_rad=np.radians(28.5))
    g = jm.porkchop_grid("earth", "mars", WINDOW, ARRIVE, step_days=20.0, park_alt_m="200 km",
                         capture_periapsis_alt_m="400 km")
    f = jm.porkchop_grid("earth", "mars", WINDOW, ARRIVE, step_days=20.0, park_alt_m=200e3,
                         capture_periapsis_alt_m=400e3)
    np.testing.assert_array_equal(g.data["dv_total_km_s"], f.data["dv_total_km_s"])
    b = jm.best_transfer("earth", "mars", WINDOW, step_days="5 d", park_alt_m="200 km")
    assert b.c3_m2_s2 == jm.best_transfer("earth", "mars", WINDOW, step_days=5.0, park_alt_m=200e3).c3_m2_s2


@pytest.mark.parametrize("call, name, words", [
    (lambda: jm.payload_to_orbit("Falcon 9", "200"), "perigee_alt_m", "without a unit"),
    (lambda: jm.payload_to_orbit("Falcon 9", "200 s"), "perigee_alt_m", "length"),
    (lambda: jm.payload_to_c3("Falcon 9", "3 km/s"), "c3_m2_s2", "c3"),
    (lambda: jm.porkchop_grid("earth", "mars", WINDOW, ARRIVE, park_alt_m="200"), "park_alt_m", "without a unit"),
    (lambda: jm.best_transfer("earth", "mars", WINDOW, step_days="5 km"), "step_days", "time"),
])
def test_text_without_a_unit_or_of_another_dimension_is_refused_by_name(call, name, words):
    with pytest.raises(UnitError, match=rf"{name}.*{words}|{words}.*{name}"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: jm.payload_to_orbit("Falcon 9", 200e3, latitude_rad=True), "latitude_rad"),  # flew from 57.3 deg
    (lambda: jm.payload_to_orbit("Falcon 9", 200e3, inclination_rad=True), "inclination_rad"),
    (lambda: jm.payload_to_c3("Falcon 9", True), "c3_m2_s2"),  # 4.3 t to C3 1 m^2/s^2, status ok
    (lambda: jm.Target.c3(True), "c3_m2_s2"),
    (lambda: jm.Target.orbit(200e3, inclination_rad=np.True_), "inclination_rad"),
    (lambda: jm.best_transfer("earth", "mars", WINDOW, step_days=5.0, park_alt_m=True), "park_alt_m"),
    (lambda: jm.best_transfer("earth", "mars", WINDOW, step_days=True), "step_days"),  # was a 1-day step
])
def test_a_bool_is_no_quantity(call, name):
    """``True`` where a number is wanted (Python counts it as 1) gave a confident answer: a launch from
    1 rad of latitude, a C3 of 1 m^2/s^2. It is a TypeError naming the argument, as for ``top_load``."""
    with pytest.raises(TypeError, match=rf"{name}.*bool"):
        call()
