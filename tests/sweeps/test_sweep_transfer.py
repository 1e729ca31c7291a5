"""A sweep over a scenario with a ``transfer:`` section also flies the window's optimum C3 targets,
with the same payloads as the single run of that scenario."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from jointmission.runners.single import evaluate
from jointmission.runners.sweep import run_sweep
from jointmission.scenario import load_scenario

HEADER = """\
name: sweep with a transfer window
vehicle: {catalog: Joint Heavy CN}
targets: [{name: LEO, orbit: {altitude: 200 km}}]
transfer: {from: earth, to: mars, depart: 2030-12-01:2031-05-15, arrive: 2031-07-01:2032-03-31, step: 4 d}
"""


def test_sweep_adds_transfer_targets_equal_to_single_run(scen, tmp_path):
    path = scen("""\
        sweep:
          grid:
            vehicle.boosters.count: [2, 4]
        """, header=HEADER)
    res = run_sweep(load_scenario(path), tmp_path / "out")
    table = pq.read_table(sorted((tmp_path / "out" / "chunks").glob("*.parquet"))[0]).to_pylist()
    nominal = evaluate(load_scenario(path))  # the same file's nominal case: the 4-booster catalog vehicle
    names = [r["target"] for r in nominal.rows]
    assert names[1:] == ["Mars 2031 Type I (min C3)", "Mars 2031 Type II (min C3)"]
    four = [r for r in table if r["vehicle.boosters.count"] == 4][0]
    two = [r for r in table if r["vehicle.boosters.count"] == 2][0]
    for row in nominal.rows:
        # the single run's payload/loss iteration stops at 1e-6 relative (as in test_sweep_runs)
        assert four[f"payload_t[{row['target']}]"] == pytest.approx(row["payload_t"], rel=2e-6)
        assert 0 < two[f"payload_t[{row['target']}]"] < four[f"payload_t[{row['target']}]"]
    assert res is not None
