"""A scenario without optional sections is validated by the smaller TargetsDoc (faster start-up of
the payload command): it must accept and refuse exactly what ScenarioDoc does, with the same values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jointmission.scenario import ScenarioError, parse_scenario
from jointmission.scenario.schema import ScenarioDoc
from jointmission.scenario.target_schema import SECTIONS, TargetsDoc

VEHICLE = {"catalog": "Saturn V"}
GOOD = [
    {"name": "a", "vehicle": VEHICLE, "targets": [{"name": "leo", "orbit": {"altitude": 185}}]},
    {"name": "b", "description": "two targets", "vehicle": VEHICLE, "launch_site": {"latitude": "5.2 deg"},
     "targets": [{"name": "gto", "orbit": {"perigee": "200 km", "apogee": "35786 km", "inclination": 27}},
                 {"name": "tli", "c3": -1.9, "parking": {"altitude": 200}, "dla": "10 deg"}],
     "outputs": {"formats": ["csv"]}},
]
BAD = [
    {"name": "", "vehicle": VEHICLE, "targets": [{"name": "x", "orbit": {"altitude": 185}}]},
    {"name": "c", "vehicle": VEHICLE},
    {"name": "c", "vehicle": VEHICLE, "targets": []},
    {"name": "c", "vehicle": VEHICLE, "targets": [{"name": "x", "orbit": {"altitude": 185}},
                                                  {"name": "x", "c3": 5}]},
    {"name": "c", "vehicle": VEHICLE, "targets": [{"name": "x", "orbit": {"altitude": -5}}]},
    {"name": "c", "vehicle": VEHICLE, "targets": [{"name": "x", "c3": 5, "parking": {"inclination": 5},
                                                   "dla": 30}]},
    {"name": "c", "vehicle": VEHICLE, "targets": [{"name": f"t{i}", "c3": i} for i in range(101)]},
    {"name": "c", "vehicle": VEHICLE, "targets": [{"name": "x", "orbit": {"altitude": 185}}],
     "outputs": {"formats": ["xlsx"]}},
]


def test_targets_doc_is_scenario_doc_without_the_sections():
    assert list(ScenarioDoc.model_fields) == [*TargetsDoc.model_fields, *SECTIONS]
    for data in GOOD:
        small, full = TargetsDoc.model_validate(data), ScenarioDoc.model_validate(data)
        assert small.model_dump() == full.model_dump(exclude=set(SECTIONS))
        assert all(getattr(full, s) is None for s in SECTIONS)


@pytest.mark.parametrize("data", BAD, ids=range(len(BAD)))
def test_targets_doc_refuses_what_scenario_doc_refuses(data):
    """Both refuse, and the loader reports ScenarioDoc's error (the same text as before the split)."""
    with pytest.raises(ValidationError):
        TargetsDoc.model_validate(data)
    with pytest.raises(ValidationError):
        ScenarioDoc.model_validate(data)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, source="t.yaml")
    assert "t.yaml" in str(err.value)


def test_a_section_or_an_unknown_key_goes_to_the_whole_schema():
    """An unknown key is refused with the whole document's allowed keys (sections included)."""
    with pytest.raises(ScenarioError, match="mission") as err:
        parse_scenario({**GOOD[0], "misson": {}}, source="t.yaml")
    assert "sweep" in str(err.value) and "transfer" in str(err.value)
