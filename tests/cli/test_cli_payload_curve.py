"""``jointmission payload VEHICLE --c3 A:B:S`` / ``--orbit A:B:S``: a payload curve printed (never cut,
within the terminal's width), written as CSV and PNG atomically; bad ranges exit 2 with one clear line
and write nothing."""

from __future__ import annotations

import csv
import math

import pytest
from cli_helpers import invoke

import jointmission as jm


def _read(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_c3_range_prints_writes_csv_and_figure(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = tmp_path / "fh"
    r = invoke("payload", "Falcon Heavy", "--c3", "-2:10:6", "-o", out)
    assert r.code == 0, r.err
    rows = _read(out / "payload_c3.csv")
    assert [float(x["c3_km2_s2"]) for x in rows] == [-2.0, 4.0, 10.0]
    assert (out / "payload_c3.png").stat().st_size > 10_000
    assert not list(out.glob(".*.tmp"))
    # the CSV holds the model's numbers (6 significant digits) and the table prints them uncut
    ref = jm.payload_to_c3(jm.get_vehicle("Falcon Heavy"), [float(x["c3_km2_s2"]) * 1e6 for x in rows]).payload_kg
    for x, ref_kg in zip(rows, ref):
        assert float(x["payload_t"]) == pytest.approx(ref_kg / 1e3, rel=1e-5)
        assert x["status"] == "ok"
        assert f"{float(x['payload_t']):,.2f}" in r.out
    assert max(len(line) for line in r.out.splitlines()) <= 80  # fits the terminal (split if need be), not cut
    assert "…" not in r.out


def test_orbit_range_with_inclination_and_default_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("payload", "Saturn V", "--orbit", "200:2000:900,32.5")
    assert r.code == 0, r.err
    rows = _read(tmp_path / "results" / "payload_saturn_v" / "payload_altitude.csv")
    assert [float(x["altitude_km"]) for x in rows] == [200.0, 1100.0, 2000.0]
    p = [float(x["payload_t"]) for x in rows]
    assert p[0] > p[1] > p[2] > 0
    assert "i = 32.50 deg" in r.out


def test_single_value_forms_still_work():
    r = invoke("payload", "Saturn V", "--orbit", "185,28.5", "--orbit", "200-35786,27", "--c3", "-1.9")
    assert r.code == 0, r.err
    assert "200 x 35,786 km @ 27.0 deg" in r.out and "C3 -1.90 km2/s2" in r.out


def test_dla_option_sets_the_parking_inclination():
    r = invoke("payload", "Saturn V", "--c3", "10", "--dla", "-40")
    assert r.code == 0, r.err
    assert "park 185 km @ 40.0 deg" in r.out
    bad = invoke("payload", "Saturn V", "--orbit", "200", "--dla", "10")
    assert bad.code == 2 and "--dla" in bad.err


@pytest.mark.parametrize("args, words", [
    (["--c3", "0:10:0"], "step is zero"),
    (["--c3", "10:0:2"], "points away from stop"),
    (["--c3", "0:5000:1"], "at most 2,000 points"),
    (["--c3", "900:1100:50"], "C3 1050 km2/s2 is outside"),
    (["--c3", "-70:0:10"], "energy of the circular parking orbit"),
    (["--orbit", "50:300:50"], "altitude 50 km is outside"),
    (["--orbit", "200:2000"], "START:STOP:STEP"),
    (["--orbit", "200-300:400:10"], "ellipse"),
    (["--c3", "0:10:1", "--orbit", "200"], "give it alone"),
    (["--c3", "0:4:2 km"], "step '2 km'"),
    (["--orbit", "200:400:100,200"], "between 0 and 180 deg"),
    (["--c3", "0:4:2", "--dla", "100"], "between -90 and 90 deg"),
    (["--orbit", "200", "-o", "x"], "applies to a payload curve"),
])
def test_bad_ranges_exit_2_and_write_nothing(tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    r = invoke("payload", "Saturn V", *args, "-o", tmp_path / "out") if "-o" not in args else \
        invoke("payload", "Saturn V", *args)
    assert r.code == 2
    assert words in r.err, r.err
    assert "Traceback" not in r.err and r.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_a_user_error(tmp_path):
    (tmp_path / "file").write_text("x")
    r = invoke("payload", "Saturn V", "--c3", "0:2:2", "-o", tmp_path / "file" / "sub")
    assert r.code == 2 and "cannot write" in r.err and "Traceback" not in r.err


def test_json_curve():
    import json

    r = invoke("payload", "Saturn V", "--c3", "0:2:2", "--json", "--no-write")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["axis"] == "c3" and [p["c3_km2_s2"] for p in data["points"]] == [0.0, 2.0]
    assert math.isclose(data["latitude_deg"], 28.6, abs_tol=0.01)


def test_published_points_are_overlaid_where_the_catalog_has_them():
    """With the package's published payload-vs-C3 data, the curve's table/JSON carries the published
    payload at the C3 values it has (the figure overlays the same points)."""
    import json

    published = pytest.importorskip("jointmission.vehicles.published")
    curves = published.published_curves("Falcon Heavy")
    if not curves:
        pytest.skip("no published curve for Falcon Heavy in this installation")
    c3, pay = curves[0].values[:2], curves[0].payload_kg[:2]
    step = (c3[1] - c3[0]) / 1e6
    r = invoke("payload", "Falcon Heavy", "--c3", f"{c3[0] / 1e6:g}:{c3[1] / 1e6:g}:{step:g}", "--json", "--no-write")
    assert r.code == 0, r.err
    got = [p["published_payload_t"] for p in json.loads(r.out)["points"]]
    assert got == pytest.approx(pay / 1e3, rel=1e-12)
