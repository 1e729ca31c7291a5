"""The one PublishedCurve type and the published-curve data file (vehicles/published.py)."""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.vehicles.published import AUTHORITIES, PublishedCurve, _load_text, published_curves

GOOD = """
curves:
  - vehicle: "X"
    label: "X, test"
    authority: {authority}
    source: "test data, not a real vehicle"
    points:
      - {{c3: 0, payload: 1000}}
      - {{c3: {c3_2}, payload: 900, source: "own source"}}
"""


def test_every_curve_of_the_package_data_is_well_formed():
    curves = published_curves()
    assert curves and all(c.authority in AUTHORITIES and c.axis == "c3" for c in curves)
    for c in curves:
        assert len(c.sources) == c.values.size == c.payload_kg.size and np.all(np.diff(c.values) > 0)
        assert not c.values.flags.writeable and not c.payload_kg.flags.writeable


def test_lookup_is_case_insensitive_and_relabels():
    [fh] = published_curves("falcon heavy", as_name="FH")
    assert fh.vehicle == "FH" and fh.authority == "nasa_lsp" and fh.payload_kg[0] == 15010.0
    assert published_curves("no such vehicle") == []


def test_the_loader_reads_per_point_sources_and_refuses_bad_curves():
    [c] = _load_text(GOOD.format(authority="secondary", c3_2=10))
    np.testing.assert_array_equal(c.values, [0.0, 10e6])  # km2/s2 -> m2/s2
    assert c.sources == ("test data, not a real vehicle", "own source") and c.short_source == "X, test"
    with pytest.raises(ValueError, match="curve 0 .'X'. needs an authority"):
        _load_text(GOOD.format(authority="marketing", c3_2=10))
    with pytest.raises(ValueError, match="increasing C3"):
        _load_text(GOOD.format(authority="secondary", c3_2=0))


def test_an_overlay_point_defaults_its_legend_and_sources_from_the_source():
    p = PublishedCurve("V", "altitude", np.array([200e3]), np.array([5e3]), "Agency page, 2020")
    assert p.short_source == "Agency page" and p.sources == ("Agency page, 2020",) and p.authority == ""
