"""``jointmission run`` / ``check`` end to end on the shipped scenarios, plus the console script."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml
from cli_helpers import REPO, SCENARIOS, SHIPPED, invoke

from jointmission.scenario import load_scenario


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_run_shipped_scenario(path, shipped_runs):
    run, out_dir = shipped_runs[path]
    assert run.code == 0, run.err
    assert run.err == ""
    assert "\x1b[" not in run.out  # no terminal control codes when not a TTY
    scenario = load_scenario(path)
    for t in scenario.targets:  # (cells may wrap: check the first word of each target name)
        assert t.name.split()[0] in run.out
    assert scenario.vehicle.name.split()[0] in run.out
    assert "Results written to" in run.out

    table = pq.read_table(out_dir / "results.parquet")
    names = [t.name for t in scenario.targets]
    # a transfer: section with payload: true adds one C3 target per transfer type after the file's own
    added = 2 if scenario.transfer is not None and scenario.transfer.payload else 0
    assert table.num_rows == len(names) + added
    assert table.column("target").to_pylist()[:len(names)] == names
    assert all(" Type I" in n for n in table.column("target").to_pylist()[len(names):])
    field = table.schema.field("payload_t")
    assert field.metadata[b"unit"] == b"t"
    assert table.schema.field("dv_orbit_km_s").metadata[b"unit"] == b"km/s"
    assert any(name.startswith("dv_phase_") for name in table.column_names)

    rows = table.to_pylist()
    for row in rows:
        assert row["status"], "every row has a status"
        if row["status"] == "ok":
            assert row["payload_t"] is not None and math.isfinite(row["payload_t"]) and row["payload_t"] > 0
        else:  # infeasible rows carry a reason, never a silent NaN
            assert row["payload_t"] is None
            assert len(row["status"]) > 10

    csv = pacsv.read_csv(out_dir / "results.csv")
    assert csv.num_rows == len(rows)
    assert csv.column_names == table.column_names

    summary = json.loads((out_dir / "summary.json").read_text())
    assert summary["scenario"] == scenario.name
    assert summary["vehicle"]["name"] == scenario.vehicle.name
    assert summary["vehicle"]["liftoff_mass_t"] > 0 and summary["vehicle"]["stage_table"]
    assert set(summary["payloads_t"]) == set(table.column("target").to_pylist())
    assert summary["versions"]["jointmission"] and summary["timestamp"]
    if "json" in scenario.outputs.formats:
        assert len(json.loads((out_dir / "results.json").read_text())) == len(rows)

    assert not [p for p in out_dir.iterdir() if p.name.endswith(".tmp")], "no temporary files left"


def test_flagship_payloads_all_feasible(shipped_runs):
    run, out_dir = shipped_runs[SCENARIOS / "joint_heavy_lift.yaml"]
    rows = pq.read_table(out_dir / "results.parquet").to_pylist()
    assert [r["status"] for r in rows] == ["ok"] * len(rows)
    payload = {r["target"]: r["payload_t"] for r in rows}
    assert payload["LEO 200 km"] > payload["GTO"] > payload["TLI"] > payload["Mars departure"] > 0
    # the 2031 Mars optima (C3 8-9 km2/s2) sit below the 12 km2/s2 'Mars departure' target
    assert payload["TLI"] > payload["Mars 2031 Type II (min C3)"] > payload["Mars departure"]


def test_flagship_answers_the_moon_and_mars_question(shipped_runs):
    """One run of the flagship: Moon cargo in one launch vs two, CN vs RU engines, Mars 2031 cargo."""
    _, out_dir = shipped_runs[SCENARIOS / "joint_heavy_lift.yaml"]
    m = {(r["architecture"], r["launcher"]): r for r in pq.read_table(out_dir / "mission.parquet").to_pylist()}
    for eng in ("CN engines", "RU engines"):
        direct, lor2 = m[("moon_direct", eng)], m[("moon_lor_two_launch", eng)]
        assert direct["launches"] == 1 and lor2["launches"] == 2
        # a crewed two-launch LOR lands less cargo than an uncrewed direct lander on one launch
        assert direct["payload_t"] > lor2["payload_t"] > 0
        assert 0 < m[("mars_cargo", eng)]["payload_t"] < direct["payload_t"]
        assert m[("moon_lor_single", eng)]["status"] != "ok" and m[("moon_lor_single", eng)]["payload_t"] is None
    # the RU variant's first stage has more delivered mass (catalog: LEO 163.8 vs 155.3 t)
    assert m[("moon_direct", "RU engines")]["payload_t"] > m[("moon_direct", "CN engines")]["payload_t"]
    optima = json.loads((out_dir / "transfer_optima.json").read_text())
    assert [o["type"] for o in optima] == [1, 2] and all(o["depart"].startswith("2031") for o in optima)
    assert (out_dir / "porkchop.png").stat().st_size > 10_000


def test_resolved_scenario_reloads_and_reproduces(tmp_path):
    """scenario.resolved.yaml (file include + override written out inline) runs to the same numbers."""
    first = invoke("run", SCENARIOS / "examples" / "vehicle_file.yaml", "-o", tmp_path / "first")
    assert first.code == 0, first.err
    resolved = tmp_path / "first" / "scenario.resolved.yaml"
    doc = yaml.safe_load(resolved.read_text())
    assert doc["vehicle"]["stages"][0]["engine_count"] == 4
    assert doc["vehicle"]["stages"][0]["engine"]["name"]  # engine written out in full
    again = invoke("run", resolved, "-o", tmp_path / "again")
    assert again.code == 0, again.err
    a = pq.read_table(tmp_path / "first" / "results.parquet").column("payload_t").to_pylist()
    b = pq.read_table(tmp_path / "again" / "results.parquet").column("payload_t").to_pylist()
    assert b == pytest.approx(a, rel=1e-12)


def test_run_default_output_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", SCENARIOS / "reference" / "energia.yaml")
    assert r.code == 0, r.err
    assert (tmp_path / "results" / "energia" / "summary.json").is_file()


def test_run_no_write(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", SCENARIOS / "reference" / "energia.yaml", "--no-write")
    assert r.code == 0 and not (tmp_path / "results").exists()


def test_check_ok():
    files = [SCENARIOS / "joint_heavy_lift.yaml", SCENARIOS / "reference" / "saturn_v.yaml"]
    r = invoke("check", *files)
    assert r.code == 0, r.err
    lines = r.out.strip().splitlines()
    assert lines == ["OK: Joint heavy-lift concept (CN engines, Wenchang): vehicle Joint Heavy CN, 5 targets + "
                     "transfer earth -> mars (departures 2030-12-01 to 2031-05-15): payload to its Type I and "
                     "Type II optimum C3, mission: 6 architectures x 3 launchers, partners: Russia 50 %, China 50 %",
                     "OK: Saturn V (Apollo 17): vehicle Saturn V, 2 targets"]
    r = invoke("check", SCENARIOS / "examples" / "inline_vehicle.yaml")
    assert r.out == "OK: Inline two-stage kerolox/hydrolox lifter: vehicle Example lifter, 2 targets\n"


def test_version():
    r = invoke("--version")
    assert r.code == 0 and r.out.startswith("jointmission ")


def _console_script() -> list[str]:
    exe = Path(sys.executable).with_name("jointmission")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("jointmission")
    assert found, "the jointmission console script is not installed (pip install -e .)"
    return [found]


def test_console_script_entry_point(tmp_path):
    """One real subprocess: the installed console script runs a scenario and exits 0."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    proc = subprocess.run(
        [*_console_script(), "run", str(SCENARIOS / "reference" / "energia.yaml"), "-o", str(tmp_path / "o")],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Energia" in proc.stdout and "\x1b[" not in proc.stdout
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "o" / "results.parquet").is_file()
    assert (tmp_path / "o" / "summary.json").is_file()


def test_check_reports_every_bad_file_not_only_the_first(tmp_path):
    """``jointmission check scenarios/*.yaml`` (a CI step) reports each file: the OK lines of the good
    ones, one error paragraph per bad one, exit 2 if any is bad. It stopped at the first bad file, so
    the next bad file's error was only found after fixing the first (and later good files were not
    checked at all)."""
    good = SCENARIOS / "reference" / "saturn_v.yaml"
    bad1 = tmp_path / "bad1.yaml"
    bad1.write_text("name: x\nvehicle: Saturn 5\ntargets: [{name: L, orbit: {altitude: 200}}]\n")
    bad2 = tmp_path / "bad2.yaml"
    bad2.write_text("name: y\nvehicle: Saturn V\ntargets: [{name: L, orbit: {altitude: 50}}]\n")
    r = invoke("check", good, bad1, good, bad2)
    assert r.code == 2
    assert r.out.splitlines() == ["OK: Saturn V (Apollo 17): vehicle Saturn V, 2 targets"] * 2
    errs = r.err.splitlines()
    assert len(errs) == 2 and "Traceback" not in r.err
    assert errs[0].startswith("jointmission check: error: ") and "bad1.yaml:2: vehicle.catalog:" in errs[0]
    assert "bad2.yaml:3: targets[0].orbit.altitude:" in errs[1]
