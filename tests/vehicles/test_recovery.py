"""Recovered boosters and core stages (vehicles/recovery.py): the reserve is the rocket equation of the
stage's own burns after separation; the catalog's ``recovery:`` section is validated; the arrays builder
moves the reserve from the ascent propellant to the burnout mass and leaves expended stages untouched."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from pydantic import ValidationError

from jointmission.vehicles import get_vehicle, payload_to_c3, vehicle_arrays
from jointmission.vehicles.catalog import build_vehicle, vehicle_raw
from jointmission.vehicles.recovery import Recovery, recovery_reserve
from jointmission.vehicles.spec import VehicleSpec

G0 = 9.80665


def test_reserve_flies_the_budget_by_the_rocket_equation():
    """Inverse check: a 25.6 t (touch-down) Falcon booster separating with the reserve flies boost-back +
    entry (2.9 km/s) at the Merlin 1D's vacuum exhaust velocity (311 s) and then lands (0.56 km/s) at its
    sea-level one (282 s): c_vac ln(m_sep / m1) = 2.9 km/s and c_sl ln(m1 / m_land) = 0.56 km/s."""
    m_land, c_vac, c_sl = 25_600.0, 311.0 * G0, 282.0 * G0
    m_sep = m_land + float(recovery_reserve(m_land, 2900.0, 560.0, c_vac, c_sl))
    m1 = m_sep * math.exp(-2900.0 / c_vac)
    assert c_sl * math.log(m1 / m_land) == pytest.approx(560.0, rel=1e-12)
    # hand value: 25.6 t x (exp(2900/3049.9) exp(560/2765.5) - 1) = 55.6 t
    assert m_sep - m_land == pytest.approx(55_600.0, rel=2e-3)
    assert float(recovery_reserve(m_land, 0.0, 0.0, c_vac, c_sl)) == 0.0


def test_recovery_budget_properties():
    r = Recovery(mode="rtls", boostback=2000.0, entry=900.0, landing=560.0, hardware=3400.0)
    assert r.dv_high == 2900.0 and r.dv_total == 3460.0


def _fh_raw():
    return copy.deepcopy(vehicle_raw("Falcon Heavy"))


@pytest.mark.parametrize("recovery, message", [
    ({"mode": "droneship", "boostback": "1 km/s", "entry": "0.9 km/s"}, "no boostback"),
    ({"mode": "rtls", "entry": "0.9 km/s"}, "needs a boostback"),
    ({"mode": "glide", "entry": "0.9 km/s"}, "rtls"),
    ({"mode": "droneship", "entry": "-0.9 km/s"}, "non-negative speed"),
    ({"mode": "droneship", "entry": "0.9 km/s", "legs": "2 t"}, "legs"),
])
def test_bad_recovery_sections_are_named(recovery, message):
    raw = _fh_raw()
    raw["stages"][0]["recovery"] = recovery
    with pytest.raises(ValidationError) as err:
        VehicleSpec.model_validate(raw)
    assert message in str(err.value)
    assert "recovery" in str(err.value)


def test_the_top_stage_is_not_recovered():
    raw = _fh_raw()
    raw["stages"][-1]["recovery"] = {"mode": "droneship", "entry": "1 km/s"}
    with pytest.raises(ValidationError, match=r"stages\[1\]\.recovery"):
        VehicleSpec.model_validate(raw)


def test_arrays_move_the_reserve_from_ascent_propellant_to_burnout_mass():
    """Falcon Heavy (recovery): each side booster loads 395.7 t, keeps 1 % residuals and lands at 22.2 t
    + 3.4 t hardware + residuals; the reserve of its 2.64 + 0.53 km/s (vacuum) + 0.56 km/s (sea level)
    budget leaves the ascent propellant and joins the burnout mass. Loaded mass is unchanged."""
    rec, exp = vehicle_arrays(get_vehicle("Falcon Heavy (recovery)")).stack, \
        vehicle_arrays(get_vehicle("Falcon Heavy")).stack
    m_land = 22_200.0 + 3_400.0 + 0.01 * 395_700.0
    reserve = m_land * (math.exp(3170.0 / (311.0 * G0)) * math.exp(560.0 / (282.0 * G0)) - 1.0)
    assert float(rec.booster_m_prop) == pytest.approx(2 * (0.99 * 395_700.0 - reserve), rel=1e-9)
    assert float(rec.booster_m_dry) == pytest.approx(2 * (m_land + reserve), rel=1e-9)
    assert float(rec.booster_m_prop + rec.booster_m_dry) == pytest.approx(
        float(exp.booster_m_prop + exp.booster_m_dry) + 2 * 3_400.0, rel=1e-12)
    # the center core lands on a drone ship: entry (1.25 km/s) + landing only
    m_land_c = 25_600.0 + 3_400.0 + 0.01 * 395_700.0
    reserve_c = m_land_c * (math.exp(1250.0 / (311.0 * G0)) * math.exp(560.0 / (282.0 * G0)) - 1.0)
    assert float(rec.m_prop[0]) == pytest.approx(0.99 * 395_700.0 - reserve_c, rel=1e-9)
    # the second stage is the same object in both
    assert float(rec.m_prop[1]) == float(exp.m_prop[1]) and float(rec.m_dry[1]) == float(exp.m_dry[1])


def test_expended_stages_are_untouched_and_a_bigger_budget_costs_payload():
    raw = _fh_raw()
    base = vehicle_arrays(build_vehicle(VehicleSpec.model_validate(raw))).stack
    assert np.array_equal(np.asarray(base.m_prop), np.asarray(vehicle_arrays(get_vehicle("Falcon Heavy")).stack.m_prop))
    payloads = []
    for entry in ("0 km/s", "0.9 km/s", "1.5 km/s"):
        r = _fh_raw()
        r["stages"][0]["recovery"] = {"mode": "droneship", "entry": entry, "landing": "0.56 km/s"}
        payloads.append(float(payload_to_c3(build_vehicle(VehicleSpec.model_validate(r)), 0.0).payload_kg))
    expendable = float(payload_to_c3(get_vehicle("Falcon Heavy"), 0.0).payload_kg)
    assert expendable > payloads[0] > payloads[1] > payloads[2]
