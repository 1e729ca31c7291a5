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
