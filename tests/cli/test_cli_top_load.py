"""``jointmission payload VEHICLE ... --top-load optimal|FRACTION``: the top stage's load (chosen by
default, or fixed), for single answers and curves. The numbers are the library's own
(``payload_to_orbit`` / ``payload_to_c3`` / ``payload_curve`` with ``top_load=``, whose physics is
checked against published figures in tests/validation/test_top_load_figures.py); here the command
line must pass the option through, print the load, write it to the CSV, and refuse bad values
with exit 2, one line, no traceback and no file."""

from __future__ import annotations

import csv
import json

import pytest
from cli_helpers import invoke

import jointmission as jm


def _read(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _columns(out: str) -> int:
    """Columns of the first table printed (from its top border)."""
    top = next(line for line in out.splitlines() if line.startswith("┏"))
    return top.count("┳") + 1


def test_single_answers_optimal_load_table_and_json(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    v = jm.get_vehicle("Saturn V")
    orb = jm.payload_to_orbit(v, 185e3, top_load="optimal")
    full = jm.payload_to_orbit(v, 185e3, top_load=1.0)
    c3 = jm.payload_to_c3(v, -1.9e6, top_load="optimal")
    r = invoke("payload", "Saturn V", "--orbit", "185", "--c3", "-1.9", "--top-load", "optimal", "--json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)["results"]
    assert rows[0]["payload_t"] == pytest.approx(float(orb.payload_kg) / 1e3, rel=1e-9)
    assert rows[0]["top_load"] == pytest.approx(float(orb.top_load), rel=1e-12)
    assert rows[1]["payload_t"] == pytest.approx(float(c3.payload_kg) / 1e3, rel=1e-9)
    assert rows[1]["top_load"] == pytest.approx(float(c3.top_load), rel=1e-12)
    # Saturn V's S-IVB is offloaded to LEO (a load well below 1) and it gains payload over the full load
    assert 0.2 <= rows[0]["top_load"] < 0.9
    assert rows[0]["payload_t"] > float(full.payload_kg) / 1e3
    t = invoke("payload", "Saturn V", "--orbit", "185", "--c3", "-1.9", "--top-load", "optimal")
    assert t.code == 0, t.err
    assert _columns(t.out) == 7 and "top" in t.out
    assert f"{rows[0]['top_load']:.2f}" in t.out and f"{rows[0]['payload_t']:,.2f}" in t.out


def test_fraction_and_percent_fix_the_load():
    v = jm.get_vehicle("Saturn V")
    ref = jm.payload_to_orbit(v, 185e3, top_load=0.6)
    for text in ("0.6", "60%", "60 %"):
        r = invoke("payload", "Saturn V", "--orbit", "185", "--top-load", text, "--json")
        assert r.code == 0, r.err
        row = json.loads(r.out)["results"][0]
        assert row["top_load"] == pytest.approx(0.6, rel=1e-12)
        assert row["payload_t"] == pytest.approx(float(ref.payload_kg) / 1e3, rel=1e-9)


def test_without_the_option_the_load_is_chosen_and_shown(monkeypatch):
    """The default is the chosen load ('optimal'): the same answer and the same 'top load' column as
    with --top-load optimal; --top-load 1 forces the full load (the library's top_load=1.0)."""
    monkeypatch.setenv("COLUMNS", "120")
    v = jm.get_vehicle("Saturn V")
    r = invoke("payload", "Saturn V", "--orbit", "185")
    assert r.code == 0, r.err
    assert _columns(r.out) == 7
    j = json.loads(invoke("payload", "Saturn V", "--orbit", "185", "--json").out)["results"][0]
    opt = jm.payload_to_orbit(v, 185e3, top_load="optimal")
    assert j["payload_t"] == pytest.approx(float(opt.payload_kg) / 1e3, rel=1e-9)
    assert j["top_load"] == pytest.approx(float(opt.top_load), rel=1e-12)
    f = json.loads(invoke("payload", "Saturn V", "--orbit", "185", "--top-load", "1", "--json").out)["results"][0]
    assert f["top_load"] == 1.0
    assert f["payload_t"] == pytest.approx(float(jm.payload_to_orbit(v, 185e3, top_load=1.0).payload_kg) / 1e3,
                                           rel=1e-9)


def test_curve_writes_top_load_column(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = tmp_path / "sv"
    r = invoke("payload", "Saturn V", "--orbit", "200:600:200", "--top-load", "optimal", "-o", out)
    assert r.code == 0, r.err
    rows = _read(out / "payload_altitude.csv")
    assert list(rows[0])[:3] == ["altitude_km", "payload_t", "top_load"]
    ds = jm.payload_curve(jm.get_vehicle("Saturn V"), altitude=[200e3, 400e3, 600e3], top_load="optimal")
    for x, p, f in zip(rows, ds["payload"].values, ds["top_load"].values):
        assert float(x["payload_t"]) == pytest.approx(p / 1e3, rel=1e-5)
        assert float(x["top_load"]) == pytest.approx(f, rel=1e-5)
        assert f"{f:.2f}" in r.out
    assert _columns(r.out) == 7 and "top" in r.out
    plain = invoke("payload", "Saturn V", "--orbit", "200:600:200", "-o", tmp_path / "plain")
    assert plain.code == 0, plain.err
    assert _read(tmp_path / "plain" / "payload_altitude.csv") == rows  # the chosen load is the default
    full = invoke("payload", "Saturn V", "--orbit", "200:600:200", "--top-load", "1", "-o", tmp_path / "full")
    assert full.code == 0, full.err
    assert "top_load" not in _read(tmp_path / "full" / "payload_altitude.csv")[0]
    assert _columns(full.out) == 6


def test_curve_json_carries_the_load():
    r = invoke("payload", "Saturn V", "--c3", "0:10:10", "--top-load", "0.9", "--json", "--no-write")
    assert r.code == 0, r.err
    pts = json.loads(r.out)["points"]
    assert [p["top_load"] for p in pts] == [pytest.approx(0.9), pytest.approx(0.9)]


@pytest.mark.parametrize("value, words", [
    ("1.5", "outside 0.2..1"),
    ("0.1", "outside 0.2..1"),
    ("-0.3", "outside 0.2..1"),
    ("foo", "not a number"),
    ("150%", "outside 0.2..1"),
    ("nan", "outside 0.2..1"),
])
@pytest.mark.parametrize("target", [["--orbit", "185"], ["--orbit", "200:400:100"], ["--c3", "-2:10:6"]])
def test_bad_values_exit_2_one_line_no_file(tmp_path, value, words, target):
    out = tmp_path / "o"
    extra = ["-o", out] if ":" in target[1] else []
    r = invoke("payload", "Saturn V", *target, "--top-load", value, *extra)
    assert r.code == 2
    assert f"--top-load '{value}'" in r.err and words in r.err
    assert "'optimal'" in r.err  # says what is accepted
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1
    assert not out.exists()


def test_help_explains_offloading():
    r = invoke("payload", "--help")
    assert r.code == 0
    text = " ".join(r.out.split())
    assert "--top-load" in text and "partly filled" in text and "optimal" in text and "full load" in text


SCENARIO = """name: offload
vehicle: {catalog: Saturn V}
targets:
  - name: LEO
    orbit: {altitude: 185 km}
    top_load: %s
  - name: TLI
    c3: -1.9 km2/s2
"""


def test_run_scenario_with_top_load_writes_the_column(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    f = tmp_path / "s.yaml"
    f.write_text(SCENARIO % "optimal")
    r = invoke("run", f, "-o", tmp_path / "out")
    assert r.code == 0, r.err
    rows = _read(tmp_path / "out" / "results.csv")
    ref = jm.payload_to_orbit(jm.get_vehicle("Saturn V"), 185e3, top_load="optimal")
    assert float(rows[0]["top_load"]) == pytest.approx(float(ref.top_load), rel=1e-9)
    assert float(rows[1]["top_load"]) == 1.0  # escape: the chosen load is the full load
    assert "top" in r.out and f"{float(ref.top_load):.2f}" in r.out
    assert "top-stage load" in (tmp_path / "out" / "report.html").read_text()


def test_run_scenario_bad_top_load_exit_2_nothing_written(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(SCENARIO % "1.5")
    for argv in (("check", f), ("run", f, "-o", tmp_path / "out")):
        r = invoke(*argv)
        assert r.code == 2
        assert f"{f}:6: targets[0].top_load: " in r.err and "outside 0.2..1" in r.err
        assert "Traceback" not in r.err
    assert not (tmp_path / "out").exists()
