"""The shipped trades of the new concepts run locally and on `--dask local:2` with identical tables:
scenarios/sweeps/moon_new_concepts_trade.yaml (depot with tanker launches, reusable NRHO lander,
direct lander) and scenarios/sweeps/mars_sample_return_trade.yaml (sample return vs cargo lander),
each over 3 booster counts x 3 delta-v margins and its architectures, and
scenarios/sweeps/moon_depot_tankers.yaml (the number of tanker launches N x booster count)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jointmission.runners.sweep import run_sweep
from sweep_tables import chunk_table

SWEEPS = Path(__file__).resolve().parents[2] / "scenarios" / "sweeps"


@pytest.fixture(scope="module")
def dask_client():
    from jointmission.runners.dask_backend import open_client

    client, cluster = open_client("local:2")  # what `--dask local:2` starts
    yield client
    client.close()
    cluster.close()


@pytest.mark.slow
@pytest.mark.parametrize("name,new,classic", [
    ("moon_new_concepts_trade.yaml", ["moon_depot_cargo", "moon_nrho_reusable"], "moon_direct"),
    ("mars_sample_return_trade.yaml", ["mars_sample_return 2031"], "mars_cargo 2031 (aerocapture)"),
    ("moon_depot_tankers.yaml", [], "moon_depot_cargo"),
])
def test_new_concepts_trade_identical_locally_and_on_dask(tmp_path, dask_client, name, new, classic):
    local = run_sweep(SWEEPS / name, tmp_path / "local")
    dist = run_sweep(SWEEPS / name, tmp_path / "dask", dask=dask_client)
    assert dist.summary["timing"]["backend"].startswith("dask (2 workers")
    t_local, t_dask = chunk_table(local.output_dir), chunk_table(dist.output_dir)
    assert t_local.num_rows == 9 and t_local.equals(t_dask)
    s_local = json.loads((local.output_dir / "summary.json").read_text())
    s_dask = json.loads((dist.output_dir / "summary.json").read_text())
    s_local.pop("timing"), s_dask.pop("timing")
    assert s_local == s_dask
    cols = set(t_local.column_names)
    assert {f"mission_payload_t[{a}]" for a in new + [classic]} <= cols
    d = t_local.to_pandas()
    for a in new:  # every new concept closes in some case of the trade
        assert np.isfinite(d[f"mission_payload_t[{a}]"]).any()


@pytest.mark.slow
def test_depot_tanker_axis_lands_more_with_more_tankers(tmp_path):
    out = run_sweep(SWEEPS / "moon_depot_tankers.yaml", tmp_path / "n").output_dir
    d = chunk_table(out).to_pandas()
    d["n"] = d["mission.parameters.n_tankers"].astype(int)  # a count parameter: a categorical axis (text)
    assert sorted(set(d["n"])) == [1, 2, 3]
    for _, g in d.groupby("vehicle.boosters.count"):
        g = g.sort_values("n")
        assert np.all(np.diff(g["mission_payload_t[moon_depot_cargo]"].to_numpy()) > 0)
        assert g["mission_launches[moon_depot_cargo]"].tolist() == [3.0, 4.0, 5.0]  # depot + N + lander
