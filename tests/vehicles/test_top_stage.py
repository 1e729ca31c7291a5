"""The top stage as flown (vehicles/top_stage.py): the coast penalty is the rocket equation of two burns
with a mass drop between them; propellant classes; spec validation of the ``top_stage:`` section."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from jointmission.vehicles import get_vehicle, get_vehicle_spec, payload_to_c3, payload_to_orbit
from jointmission.vehicles.spec import VehicleSpec
from jointmission.vehicles.top_stage import CLASS_DEFAULTS, TopStage, coast_penalty, coasts, flown_masses, propellant_class

G0 = 9.80665


def test_coast_penalty_is_the_two_burn_rocket_equation():
    """Hand calculation: a 20 t stage (c = 4,413 m/s, RL10-class 450 s) burns to 12 t, loses 150 kg in the
    coast, burns on to 5 t. Two burns: c ln(20/12) + c ln(11.85/5); one uninterrupted burn c ln(20/5);
    the difference is c ln(12 / 11.85) (= 55.5 m/s)."""
    c = 450.0 * G0
    two_burns = c * math.log(20 / 12) + c * math.log(11.85 / 5)
    one_burn = c * math.log(20 / 5)
    assert float(coast_penalty(c, 12e3, 150.0)) == pytest.approx(one_burn - two_burns, rel=1e-12)
    assert float(coast_penalty(c, 12e3, 150.0)) == pytest.approx(55.5, abs=0.05)
    assert float(coast_penalty(c, 12e3, 0.0)) == 0.0
    assert np.isnan(coast_penalty(c, 12e3, 12e3))


def test_flown_masses_keep_the_total_and_add_adapter_and_acs():
    prop, dry = flown_masses(20_000.0, 2_000.0, 0.01, 0.02, 100.0, 50.0)
    assert prop == pytest.approx(19_400.0) and dry == pytest.approx(2_750.0)


def test_only_burns_after_a_coast_pay_the_coast():
    assert list(coasts([0.0, 10.0, 2400.0, 3200.0])) == [False, False, True, True]


@pytest.mark.parametrize("text, cls", [("LOX/LH2", "hydrolox"), ("LOX/RP-1", "kerolox"), ("LOX/CH4", "methalox"),
                                       ("solid (HTPB)", "solid"), ("N2O4/UDMH", "storable")])
def test_propellant_class_of_engine_text(text, cls):
    assert propellant_class(text) == cls


def test_unknown_propellants_need_a_class():
    with pytest.raises(ValueError, match="top_stage.propellants"):
        propellant_class("unobtainium")


def test_catalog_vehicle_gets_its_class_defaults_and_its_own_values():
    v = get_vehicle("Atlas V 551")
    d = CLASS_DEFAULTS["hydrolox"]
    assert v.top_stage.propellants == "hydrolox"
    assert v.top_stage.residuals == d.residuals and v.top_stage.flight_performance_reserve == d.flight_performance_reserve
    assert v.top_stage.payload_adapter == 100.0  # the catalog's own value
    assert v.top_stage.restart_propellant == pytest.approx(d.restart_s * v.stages[-1].mass_flow)
    assert v.stages[0].residuals == 0.01 and v.boosters.residuals == CLASS_DEFAULTS["solid"].residuals


def test_coast_costs_escape_targets_not_leo():
    """The coast loss moves the escape payload and leaves a circular LEO payload alone."""
    import dataclasses

    v = get_vehicle("Atlas V 401")
    no_coast = dataclasses.replace(v, top_stage=dataclasses.replace(v.top_stage, boiloff_per_hour=0.0,
                                                                     restart_propellant=0.0))
    c3 = float(payload_to_c3(v, 10e6).payload_kg), float(payload_to_c3(no_coast, 10e6).payload_kg)
    leo = float(payload_to_orbit(v, 200e3).payload_kg), float(payload_to_orbit(no_coast, 200e3).payload_kg)
    assert c3[0] < c3[1] - 20.0  # ~35 kg restart + ~20 kg boil-off lost before the departure burn
    assert leo[0] == pytest.approx(leo[1], rel=1e-6)


def test_bad_top_stage_value_names_the_field():
    raw = get_vehicle_spec("Falcon 9").model_dump()
    raw["top_stage"] = {"residuals": "150 %"}
    with pytest.raises(ValidationError, match="residuals"):
        VehicleSpec.model_validate(raw)
    raw["top_stage"] = {"residuals": "60 %", "flight_performance_reserve": "50 %"}
    with pytest.raises(ValidationError, match="below 100 %"):
        VehicleSpec.model_validate(raw)
    raw["top_stage"] = {"coast_time": "3 d"}
    with pytest.raises(ValidationError, match="coast_time"):
        VehicleSpec.model_validate(raw)


def test_bare_top_stage_in_python():
    assert TopStage().coast_loss(20e3) == 0.0
