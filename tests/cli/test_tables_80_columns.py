"""Every command's tables on an 80-column screen (``COLUMNS=80``, output not a terminal): no line
wider than 80 characters, no number cut (rich's ``…``), and the numbers are printed whole (the same
values the command's JSON or result rows give)."""

from __future__ import annotations

import json

import pytest

from cli_helpers import SCENARIOS, invoke


def _check(out: str, *, fit: bool = True) -> None:
    assert "…" not in out, "a cell was cut:\n" + "\n".join(line for line in out.splitlines() if "…" in line)
    wide = [line for line in out.splitlines() if len(line) > 80]
    assert not (fit and wide), "lines wider than 80 columns:\n" + "\n".join(wide)


@pytest.fixture(autouse=True)
def _eighty(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def test_payload_table_80():
    r = invoke("payload", "Saturn V", "--orbit", "185,28.5", "--c3", "-1.9")
    assert r.code == 0, r.err
    _check(r.out)
    js = json.loads(invoke("payload", "Saturn V", "--orbit", "185,28.5", "--c3", "-1.9", "--json").out)
    rows = js["results"]
    assert len(rows) == 2
    for row in rows:  # every number printed whole
        assert f"{row['payload_t']:,.2f}" in r.out
        assert f"{row['dv_required_km_s']:,.3f}" in r.out


def test_payload_curve_table_80():
    """The widest payload table: a C3 curve with the published points column (7 columns)."""
    argv = ("payload", "Falcon Heavy", "--c3", "-2:40:6", "--no-write")
    r = invoke(*argv)
    assert r.code == 0, r.err
    _check(r.out)
    points = json.loads(invoke(*argv, "--json").out)["points"]
    assert any(p["published_payload_t"] is not None for p in points)
    for p in points:
        assert f"{p['payload_t']:,.2f}" in r.out and f"{p['dv_required_km_s']:,.3f}" in r.out
        if p["published_payload_t"] is not None:
            assert f"{p['published_payload_t']:,.2f}" in r.out


def test_payload_table_splits_on_a_narrow_screen(monkeypatch):
    """Narrower than its number columns: "(continued)" tables repeating the target, no number cut."""
    monkeypatch.setenv("COLUMNS", "50")
    r = invoke("payload", "Saturn V", "--orbit", "185,28.5", "--c3", "-1.9")
    assert r.code == 0, r.err
    assert "…" not in r.out
    assert max(len(line) for line in r.out.splitlines()) <= 50
    assert "Payload (continued)" in r.out
    rows = json.loads(invoke("payload", "Saturn V", "--orbit", "185,28.5", "--c3", "-1.9", "--json").out)["results"]
    for row in rows:
        for key, digits in (("payload_t", 2), ("dv_required_km_s", 3), ("dv_rotation_km_s", 3)):
            assert f"{row[key]:,.{digits}f}" in r.out


def test_catalog_tables_80():
    for argv in (("vehicles",), ("vehicles", "--engines")):
        r = invoke(*argv)
        assert r.code == 0, r.err
        _check(r.out)


@pytest.mark.slow
def test_single_run_tables_80(tmp_path):
    """The flagship: stages, payload, delta-v budget (11 number columns: split), phases, the Mars
    transfer's optima and the mission tables."""
    r = invoke("run", SCENARIOS / "joint_heavy_lift.yaml", "-o", tmp_path / "out")
    assert r.code == 0, r.err
    _check(r.out)
    assert "(continued)" in r.out  # the delta-v budget does not fit in 80 columns: split, not cut
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    for entry in summary["payloads"] if isinstance(summary.get("payloads"), list) else []:
        if entry.get("payload_t") is not None:
            assert f"{entry['payload_t']:,.2f}" in r.out


@pytest.mark.slow
def test_moon_trade_tables_80():
    r = invoke("run", SCENARIOS / "moon" / "joint_heavy_moon_trade.yaml", "--no-write")
    assert r.code == 0, r.err
    _check(r.out)


def test_porkchop_table_80():
    r = invoke("porkchop", "--from", "earth", "--to", "mars", "--depart", "2026-10-01:2026-12-01",
               "--arrive", "2027-07-01:2027-11-01", "--step", "5d", "--no-write")
    assert r.code == 0, r.err
    _check(r.out)
    assert "2026-" in r.out  # dates printed whole


@pytest.mark.slow
def test_sweep_table_80(tmp_path):
    r = invoke("run", SCENARIOS / "sweeps" / "joint_heavy_moon_margins.yaml", "-o", tmp_path / "sw")
    assert r.code == 0, r.err
    _check(r.out)


def test_check_output_80():
    r = invoke("check", SCENARIOS / "reference" / "saturn_v.yaml")
    assert r.code == 0, r.err
    _check(r.out)


@pytest.mark.parametrize("columns", ["0", "-3", "5", "abc"])
def test_unusable_columns_value_still_prints_the_answer(monkeypatch, columns):
    """``COLUMNS=0`` (or negative) printed nothing at all, exit 0: the answer was lost. ``COLUMNS=5``
    folded every cell to a few characters. Such widths fall back to a readable table (at least 40
    columns; 120 when the value is no positive number), with every number whole."""
    monkeypatch.setenv("COLUMNS", columns)
    r = invoke("payload", "Saturn V", "--orbit", "185,28.5")
    assert r.code == 0, r.err
    row = json.loads(invoke("payload", "Saturn V", "--orbit", "185,28.5", "--json").out)["results"][0]
    assert f"{row['payload_t']:,.2f}" in r.out and f"{row['dv_required_km_s']:,.3f}" in r.out
    assert "…" not in r.out
