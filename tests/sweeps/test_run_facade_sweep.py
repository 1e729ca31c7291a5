"""``jm.run`` on a scenario with a ``sweep:`` section runs the sweep, exactly as ``jointmission run``.

The Python call and the command use the same runner (:func:`jointmission.runners.sweep.run_sweep` with
:func:`jointmission.report.sweep_plots.write_sweep_report`), so the same cases must give bit-identical
results tables and the same files; before this, ``jm.run`` silently evaluated the nominal case only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

import jointmission as jm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import REPO, invoke  # noqa: E402

#: The smallest shipped sweep: 2 core engines x 3 booster engines = 6 cases, to LEO and TLI.
ENGINE_TRADE = REPO / "scenarios" / "sweeps" / "joint_heavy_engine_trade.yaml"


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_jm_run_of_a_sweep_equals_the_cli(tmp_path: Path) -> None:
    # two runs of a 6-case sweep: about 4 s
    cli = invoke("run", ENGINE_TRADE, "-o", tmp_path / "cli")
    assert cli.code == 0, cli.err
    steps: list[tuple[str, int, int]] = []
    result = jm.run(str(ENGINE_TRADE), output_dir=tmp_path / "py", progress=lambda *a: steps.append(a))
    assert ("chunks", 6, 6) in steps and ("analysis, report and figures", 1, 1) in steps

    assert isinstance(result, jm.SweepResult)
    py_df = result.to_pandas()
    cli_df = jm.load_sweep(tmp_path / "cli").to_pandas()
    assert len(py_df) == 6 == len(cli_df)  # every case, not the nominal one only
    assert py_df["payload_t[LEO 200 km]"].nunique() > 1
    pd.testing.assert_frame_equal(py_df, cli_df, check_exact=True)
    assert _files(tmp_path / "py") == _files(tmp_path / "cli")
    assert "report.md" in result.files and "results.nc" in result.files
    py_sum = json.loads((tmp_path / "py" / "summary.json").read_text())
    cli_sum = json.loads((tmp_path / "cli" / "summary.json").read_text())
    for s in (py_sum, cli_sum):
        s.pop("timing")
    assert py_sum == cli_sum
    assert result.summary["run_kind"] == "sweep"


def test_jm_run_of_a_sweep_without_output_dir_is_refused(tmp_path: Path) -> None:
    scenario = jm.load_scenario(ENGINE_TRADE)
    with pytest.raises(jm.runners.SweepError, match=r"output_dir=DIR.*jm\.run_sweep"):
        jm.run(scenario)
