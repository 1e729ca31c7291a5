"""Validation of engine / vehicle specs: units, physical checks, error messages and locations."""

import math

import pytest
from pydantic import ValidationError

from jointmission.vehicles.spec import EngineSpec, PublishedPerformance, VehicleSpec

ENGINE = {"name": "E1", "thrust_sl": "900 kN", "thrust_vac": "1000 kN", "isp_sl": "280 s", "isp_vac": "310 s"}


def vehicle(**over):
    d = {
        "name": "V",
        "launch_site": {"name": "KSC", "latitude": "28.5 deg"},
        "stages": [
            {"name": "S1", "engine": dict(ENGINE), "engine_count": 9, "m_prop": "400 t", "m_dry": "25 t"},
            {"name": "S2", "engine": "Merlin 1D Vacuum", "m_prop": "100 t", "m_dry": 4000},
        ],
        "fairing": {"mass": "1.9 t", "jettison_after_stage": 0},
    }
    d.update(over)
    return d


def test_units_are_converted_to_si():
    e = EngineSpec.model_validate(ENGINE)
    assert e.thrust_vac == pytest.approx(1.0e6)
    assert e.isp_vac == 310.0
    v = VehicleSpec.model_validate(vehicle())
    assert v.stages[0].m_prop == pytest.approx(4.0e5)
    assert v.stages[1].m_dry == 4000.0  # bare number: kg
    assert v.launch_site.latitude == pytest.approx(math.radians(28.5))
    assert v.stages[1].engine == "Merlin 1D Vacuum"  # a catalog name stays a string
    assert isinstance(v.stages[0].engine, EngineSpec)


@pytest.mark.parametrize(
    "path, value, loc, words",
    [
        (("stages", 0, "m_dry"), "-3 t", ("stages", 0, "m_dry"), "m_dry must be a positive mass such as '12 t'"),
        (("stages", 1, "m_prop"), 0, ("stages", 1, "m_prop"), "positive mass"),
        (("stages", 0, "engine", "isp_vac"), "0 s", ("stages", 0, "engine", "isp_vac"), "positive specific impulse"),
        (("stages", 0, "engine", "thrust_vac"), "12 kg", ("stages", 0, "engine", "thrust_vac"), "cannot be converted"),
        (("stages", 0, "engine_count"), 2.5, ("stages", 0, "engine_count"), "positive integer"),
        (("stages", 0, "engine_count"), True, ("stages", 0, "engine_count"), "positive integer"),
        (("launch_site", "latitude"), "95 deg", ("launch_site", "latitude"), "between -90 deg and 90 deg"),
        (("stages", 0, "m_prop"), float("nan"), ("stages", 0, "m_prop"), "finite"),
        (("stages", 0, "throttle_during_boosters"), 1.5, ("stages", 0, "throttle_during_boosters"), "in (0, 1]"),
        (("stages", 0, "bogus"), 1, ("stages", 0, "bogus"), "Extra inputs"),
    ],
)
def test_bad_values_name_the_field_and_what_is_expected(path, value, loc, words):
    d = vehicle()
    target = d
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError) as exc:
        VehicleSpec.model_validate(d)
    errs = exc.value.errors()
    assert any(tuple(e["loc"]) == loc for e in errs), errs
    assert words in str(exc.value)


def test_engine_sea_level_cannot_exceed_vacuum():
    with pytest.raises(ValidationError, match="isp_sl"):
        EngineSpec.model_validate({**ENGINE, "isp_sl": "320 s"})


def test_engine_reference_must_be_name_or_mapping():
    d = vehicle()
    d["stages"][0]["engine"] = 42
    with pytest.raises(ValidationError, match="catalog engine name"):
        VehicleSpec.model_validate(d)


def test_jettison_index_must_exist():
    with pytest.raises(ValidationError, match="0-based index from 0 to 1"):
        VehicleSpec.model_validate(vehicle(fairing={"mass": "2 t", "jettison_after_stage": 2}))


def test_throttle_only_on_first_stage():
    d = vehicle()
    d["stages"][1]["throttle_during_boosters"] = 0.5
    with pytest.raises(ValidationError, match="only stages\\[0\\]"):
        VehicleSpec.model_validate(d)


def test_published_targets_dispatch_on_c3():
    orbit = PublishedPerformance.model_validate({"target": {"perigee": 200}, "payload": "10 t", "source": "s"})
    assert orbit.target.perigee == 200e3 and orbit.target.apogee is None
    esc = PublishedPerformance.model_validate({"target": {"c3": -1.9}, "payload": "10 t", "source": "s"})
    assert esc.target.c3 == pytest.approx(-1.9e6)
    with pytest.raises(ValidationError) as exc:
        PublishedPerformance.model_validate({"target": {"perigee": -5}, "payload": "1 t", "source": "s"})
    assert exc.value.errors()[0]["loc"] == ("target", "perigee")


def test_a_dumped_spec_reloads_to_the_same_vehicle():
    """``VehicleSpec.model_validate(spec.model_dump())`` is the vehicle again, for every catalog
    vehicle. The dump held SI floats, which reload as bare numbers in the fields' default units:
    latitudes in rad read as deg (Falcon 9 at 0.497 deg: an equatorial launch, a payload with a
    confident status), orbit altitudes x 1000, C3 x 1e6, recovery speeds x 1000. Fields whose bare
    number is not SI now dump as text with the SI unit ('0.4974 rad'), exact on reload."""
    import copy

    from jointmission.vehicles import vehicle_names
    from jointmission.vehicles.catalog import get_vehicle_spec
    from jointmission.vehicles.spec import VehicleSpec

    for name in vehicle_names():
        spec = get_vehicle_spec(name)
        assert VehicleSpec.model_validate(copy.deepcopy(spec.model_dump())) == spec, name
        assert VehicleSpec.model_validate_json(spec.model_dump_json()) == spec, name
