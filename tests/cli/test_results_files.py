"""Result files are written atomically: a failure mid-write never leaves a partial or temp file."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from cli_helpers import SCENARIOS

from jointmission.report.folder import run, write_results
from jointmission.io.atomic import atomic_write_text


@pytest.fixture(scope="module")
def energia():
    """One evaluated scenario, not yet written."""
    return run(SCENARIOS / "reference" / "energia.yaml")


def test_python_api_writes_all_files(energia, tmp_path):
    files = write_results(energia, tmp_path)
    assert {p.name for p in files.values()} == {
        "results.parquet", "results.csv", "scenario.resolved.yaml", "report.md", "summary.json",
        "report.html", "dv_budget.png", "payload_curves.png"}
    summary = json.loads((tmp_path / "summary.json").read_text())
    # The Markdown report carries every target's payload as printed in the table, and the stages.
    report = (tmp_path / "report.md").read_text()
    for row in energia.rows:
        assert f"| {row['target']} |" in report
        if row["payload_t"] is not None:
            assert f"| {row['payload_t']:,.2f} |" in report
    for stage in energia.vehicle_summary["stage_table"]:
        assert f"| {stage['stage']} |" in report
    assert summary["files"] == sorted(p.name for p in files.values())
    assert energia.payload_t("LEO 200 km 51.6 deg") == summary["payloads_t"]["LEO 200 km 51.6 deg"]
    meta = pq.read_schema(tmp_path / "results.parquet").metadata
    assert meta[b"scenario"] == b"Energia"


def test_failed_write_leaves_old_file_and_no_temp(energia, tmp_path, monkeypatch):
    write_results(energia, tmp_path)
    before = (tmp_path / "results.parquet").read_bytes()

    def broken(table, where, **kw):
        with open(where, "wb") as fh:
            fh.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        write_results(energia, tmp_path)
    # the previous run's files were removed before writing (summary.json first): nothing left claims
    # to be a complete run, no half-written file and no temporary file remain
    assert before and not (tmp_path / "summary.json").exists() and not (tmp_path / "results.parquet").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_first_write_leaves_nothing(tmp_path):
    class Boom(Exception):
        pass

    target = tmp_path / "x.txt"
    with pytest.raises(Boom):
        from jointmission.io.atomic import atomic_path

        with atomic_path(target) as tmp:
            tmp.write_text("partial")
            raise Boom
    assert list(tmp_path.iterdir()) == []
    atomic_write_text(target, "done")
    assert target.read_text() == "done"


def test_nan_payload_rows_carry_a_reason(tmp_path):
    """An infeasible target has payload null and a status reason in every output format."""
    d = tmp_path / "scenarios"
    d.mkdir()
    p = d / "s.yaml"
    p.write_text(
        "name: infeasible\nvehicle: Energia\noutputs: {formats: [parquet, csv, json]}\n"
        "targets:\n  - {name: LEO, orbit: {altitude: 200}}\n  - {name: Pluto, c3: 150}\n"
    )
    result = run(p, output_dir=tmp_path / "out")
    rows = {r["target"]: r for r in pq.read_table(tmp_path / "out" / "results.parquet").to_pylist()}
    assert rows["LEO"]["status"] == "ok" and rows["LEO"]["payload_t"] > 0
    assert rows["Pluto"]["payload_t"] is None and rows["Pluto"]["status"].startswith(("infeasible", "invalid"))
    js = {r["target"]: r for r in json.loads((tmp_path / "out" / "results.json").read_text())}
    assert js["Pluto"]["payload_t"] is None and js["Pluto"]["status"] == rows["Pluto"]["status"]
    assert "Pluto" in (tmp_path / "out" / "results.csv").read_text()
    assert result.payload_t("Pluto") is None
