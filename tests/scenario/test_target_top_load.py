"""A scenario target's ``top_load`` (the top stage partly loaded): validated with file, line and
field; evaluated with the library's solve (``payload(..., top_load=)``, whose physics is checked in
tests/validation/test_top_load_figures.py); the results carry the load flown in a ``top_load`` column
(chosen per target when the target does not set it); ``scenario.resolved.yaml`` keeps it; a sweep
refuses it."""

from __future__ import annotations

import pytest

import jointmission as jm
from jointmission.runners.single import evaluate
from jointmission.scenario import ScenarioError, load_scenario, parse_scenario

DOC = """
name: offload
vehicle: {catalog: Saturn V}
targets:
  - name: LEO
    orbit: {altitude: 185 km}
    top_load: %s
  - name: TLI
    c3: -1.9 km2/s2
"""


def test_optimal_and_fraction_are_evaluated_with_the_library_solve(write):
    v = jm.get_vehicle("Saturn V")
    for text, ref in (("optimal", jm.payload_to_orbit(v, 185e3, top_load="optimal")),
                      ("60 %", jm.payload_to_orbit(v, 185e3, top_load=0.6)),
                      ("0.6", jm.payload_to_orbit(v, 185e3, top_load=0.6))):
        res = evaluate(load_scenario(write(DOC % text)))
        assert res.columns.index("top_load") == res.columns.index("payload_t") + 1
        leo, tli = res.rows
        assert leo["payload_t"] == pytest.approx(float(ref.payload_kg) / 1e3, rel=1e-9)
        assert leo["top_load"] == pytest.approx(float(ref.top_load), rel=1e-12)
        # a target without top_load gets the chosen load (to escape, Saturn V's: the full load)
        assert tli["top_load"] == 1.0
        assert tli["payload_t"] == pytest.approx(float(jm.payload_to_c3(v, -1.9e6).payload_kg) / 1e3, rel=1e-9)
        assert res.table.schema.field("top_load").metadata[b"unit"] == b""


def test_no_top_load_is_the_chosen_load(write):
    """Without ``top_load`` a target flies the load the solve chooses (the library's default), and the
    column shows it; ``top_load: 1`` forces the full load."""
    v = jm.get_vehicle("Saturn V")
    res = evaluate(load_scenario(write(DOC.replace("    top_load: %s\n", ""))))
    assert res.columns.index("top_load") == res.columns.index("payload_t") + 1
    opt = jm.payload_to_orbit(v, 185e3)
    assert res.rows[0]["payload_t"] == pytest.approx(float(opt.payload_kg) / 1e3, rel=1e-9)
    assert res.rows[0]["top_load"] == pytest.approx(float(opt.top_load), rel=1e-12) and opt.top_load < 1.0
    full = evaluate(load_scenario(write(DOC % "1")))
    assert full.rows[0]["top_load"] == 1.0
    assert full.rows[0]["payload_t"] == pytest.approx(float(jm.payload_to_orbit(v, 185e3, top_load=1.0).payload_kg) / 1e3,
                                                      rel=1e-9)


def test_resolved_scenario_keeps_the_load(write):
    for text, want in (("optimal", "optimal"), ("60 %", 0.6)):
        s = load_scenario(write(DOC % text))
        d = s.resolved_dict()
        assert d["targets"][0]["top_load"] == want
        assert "top_load" not in d["targets"][1]
        again = parse_scenario(d, source="resolved")
        assert again.targets[0].top_load == s.targets[0].top_load


@pytest.mark.parametrize("value, words", [
    ("1.5", "1.5 is outside 0.2..1"),
    ("0.1", "0.1 is outside 0.2..1"),
    ("150 %", "'150 %' is outside 0.2..1"),
    ("foo", "expected 'optimal' or the loaded fraction"),
    ("yes", "expected 'optimal' or the loaded fraction"),
    ("[0.5]", "expected 'optimal' or the loaded fraction"),
])
def test_bad_values_name_file_line_field(write, value, words):
    p = write(DOC % value)
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    err = info.value
    assert (err.line, err.field) == (6, "targets[0].top_load")
    assert words in err.reason
    assert str(err).startswith(f"{err.file}:6: targets[0].top_load: ")


def test_a_sweep_refuses_top_load(write):
    p = write(DOC % "optimal" + "sweep:\n  grid:\n    targets[0].orbit.altitude: [200 km, 300 km]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    err = info.value
    assert (err.line, err.field) == (6, "targets[0].top_load")
    assert "'sweep:' section" in err.reason
