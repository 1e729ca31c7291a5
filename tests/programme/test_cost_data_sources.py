"""Every number of the programme data files names a source a reader can open."""

from __future__ import annotations

import pytest

from jointmission.programme import transcost as tc
from jointmission.programme.datafiles import DATA_FILES, load, missing_sources


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_value_has_a_source(name):
    data = load(name)
    assert missing_sources(data) == []
    for key, ref in data["references"].items():
        assert len(str(ref["citation"]).split()) >= 8, key


def test_the_checker_finds_an_unsourced_number():
    bad = {"references": {"r": {"citation": "x"}}, "a": {"value": 1.0}, "b": {"value": 2.0, "source": "nope"},
           "c": {"value": 3.0, "source": "r", "inner": {"k": 4.0}}}
    assert missing_sources(bad) == ["a", "b.source ('nope' is not a reference)", "b"]


def test_every_category_has_both_relationships_and_a_where():
    for name in tc.category_names():
        cat = tc.category(name)
        for rel in (cat.development, cat.production):
            assert rel.a > 0 and 0 < rel.x < 1.5 and rel.where
            if rel.a_range is not None:
                assert rel.a_range[0] <= rel.a <= rel.a_range[1], name


def test_country_names_from_the_catalog_resolve():
    assert tc.country_f8("USSR / Russia") == tc.country_f8("Russia") == 2.11
    assert tc.country_f8("China") == 1.34
    assert tc.country_f8("Europe (France)") == 0.86
    with pytest.raises(ValueError, match="name the partner"):
        tc.country_f8("China / Russia")


def test_catalog_engines_and_stages_map_to_a_category():
    from jointmission.vehicles.catalog import engine_names, engine_raw

    for name in engine_names():
        raw = engine_raw(name)
        if raw.get("propellants"):
            assert tc.engine_category(raw["propellants"], raw.get("cycle")) in tc.category_names(), name
    assert tc.engine_category("LOX/LH2") == "engine_turbopump_lh2"
    assert tc.engine_category("LOX/RP-1", "oxidizer-rich staged combustion") == "engine_turbopump_kerosene"
    assert tc.engine_category("N2O4/UDMH", "pressure-fed") == "engine_pressure_fed"
    assert tc.stage_category("solid (HTPB)", booster=True) == "solid_booster"
    assert tc.stage_category("hydrolox", reusable=True) == "stage_reusable_lh2"
    assert tc.factor_range("f1") == (0.4, 1.4)
    with pytest.raises(ValueError, match="no cost category"):
        tc.engine_category("LOX/ethanol")
