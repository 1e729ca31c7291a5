"""Valid scenarios: every shipped file loads; units, overrides, includes and round trips behave."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from jointmission.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from jointmission.scenario.loader import parse_override_path
from jointmission.vehicles import catalog

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = sorted(
    [*SCENARIOS.glob("*.yaml"), *SCENARIOS.glob("reference/*.yaml"), *SCENARIOS.glob("examples/*.yaml")]
)


def test_shipped_scenarios_exist():
    assert (SCENARIOS / "joint_heavy_lift.yaml") in SHIPPED
    assert (SCENARIOS / "reference" / "saturn_v.yaml") in SHIPPED
    assert len(SHIPPED) >= 10


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_shipped_scenario_loads(path):
    s = load_scenario(path)
    assert isinstance(s, Scenario)
    assert s.name and s.targets
    assert s.vehicle.stages


def test_every_reference_vehicle_has_a_scenario():
    """One reference scenario per real (non-concept) catalog vehicle."""
    referenced = {load_scenario(p).catalog_name for p in SCENARIOS.glob("reference/*.yaml")}
    real = {n for n in catalog.vehicle_names() if not n.startswith("Joint Heavy")}
    assert real <= referenced


def test_units_and_defaults(tmp_path):
    d = tmp_path / "scenarios"
    d.mkdir()
    p = d / "s.yaml"
    p.write_text(
        "name: x\n"
        "vehicle: {catalog: Saturn V, overrides: {'stages[1].m_prop': 400, 'stages[1].m_dry': '41000 kg',"
        " 'stages[0].engine.thrust_vac': 7800, 'stages[0].engine.isp_vac': 2.95 km/s}}\n"
        "launch_site: {latitude: 30}\n"
        "targets:\n"
        "  - {name: A, orbit: {altitude: 200}}\n"
        "  - {name: B, orbit: {perigee: 0.2 Mm, apogee: 400 km, inclination: 0.6 rad}}\n"
        "  - {name: C, c3: -2}\n"
        "  - {name: D, c3: 10 km2/s2, parking: {altitude: 300, inclination: 35}}\n"
    )
    s = load_scenario(p)
    st = s.vehicle.stages
    assert st[1].m_prop == pytest.approx(400e3)  # bare mass = t
    assert st[1].m_dry == pytest.approx(41e3)
    assert st[0].engine.thrust_vac == pytest.approx(7.8e6)  # bare thrust = kN
    assert st[0].engine.isp_vac == pytest.approx(2950 / 9.80665)  # exhaust speed -> Isp
    assert s.launch_latitude_rad == pytest.approx(math.radians(30))
    a, b, c, dd = s.targets
    assert (a.orbit.perigee_m, a.orbit.apogee_m, a.orbit.inclination) == (200e3, 200e3, None)
    assert (b.orbit.perigee_m, b.orbit.apogee_m) == (pytest.approx(200e3), pytest.approx(400e3))
    assert b.orbit.inclination == pytest.approx(0.6)
    assert c.c3 == pytest.approx(-2e6) and c.parking is None
    assert dd.parking.altitude == pytest.approx(300e3)
    assert dd.parking.inclination == pytest.approx(math.radians(35))


def test_vehicle_string_shorthand():
    s = parse_scenario({"name": "x", "vehicle": "saturn v", "targets": [{"name": "T", "c3": 0}]})
    assert s.catalog_name == "Saturn V"


def test_override_engine_by_name():
    s = parse_scenario({
        "name": "x",
        "vehicle": {"catalog": "Joint Heavy CN", "overrides": {"stages[2].engine": "RL10C-3", "stages[2].engine_count": 2}},
        "targets": [{"name": "T", "c3": 0}],
    })
    assert "RL10" in s.vehicle.stages[2].engine.name
    assert s.vehicle_dict["stages"][2]["engine"]["isp_vac"]  # resolved to the full engine mapping


def test_parse_scenario_errors_name_source():
    with pytest.raises(ScenarioError) as info:
        parse_scenario({"name": "x", "vehicle": "Saturn V", "targets": [{"name": "T", "c3": "3 parsec"}]},
                       source="my dict")
    assert info.value.file == "my dict" and info.value.line is None
    assert info.value.field == "targets[0].c3"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_resolved_dict_round_trips(path, tmp_path):
    s = load_scenario(path)
    out = tmp_path / "resolved.yaml"
    out.write_text(yaml.safe_dump(s.resolved_dict(), sort_keys=False))
    again = load_scenario(out)
    assert again.vehicle == s.vehicle
    assert again.targets == s.targets
    assert again.name == s.name


def test_override_path_parser():
    assert parse_override_path("stages[1].engine.isp_vac") == ("stages", 1, "engine", "isp_vac")
    assert parse_override_path("boosters.count") == ("boosters", "count")
    for bad in ("", "stages[-1]", "[0]", "a..b", "a.", "a b"):
        with pytest.raises(ValueError):
            parse_override_path(bad)
