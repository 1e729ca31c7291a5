"""The default chunk size cuts a sweep into several chunks (so ``--dask local:2`` gives both workers
work), depends only on the sweep (so a killed run resumes to the identical result), and stays within
the memory cap of a chunk."""

from __future__ import annotations

import json
from pathlib import Path


from jointmission.io.chunks import load_manifest
from jointmission.runners.sweep import run_sweep
from jointmission.runners.sweep_plan import (DEFAULT_CHUNK, DEFAULT_CHUNK_RECOMPUTE, MIN_CHUNK, TARGET_CHUNKS,
                                             default_chunk_size)
from jointmission.scenario import load_scenario
from sweep_tables import chunk_table

SHIPPED_MC = Path(__file__).resolve().parents[2] / "scenarios" / "sweeps" / "joint_heavy_monte_carlo.yaml"

MC = """
sweep:
  monte_carlo:
    samples: 40000
    seed: 99
    parameters:
      vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 3 s}
      vehicle.stages[2].m_dry: {distribution: triangular, low: 24 t, high: 28 t}
  losses: nominal
"""


def test_default_chunk_size_rule():
    assert default_chunk_size(200_000, DEFAULT_CHUNK) == 25_000           # 8 chunks
    assert default_chunk_size(45, DEFAULT_CHUNK) >= 45                    # a small grid: one chunk
    assert default_chunk_size(50_000, DEFAULT_CHUNK) == MIN_CHUNK         # 5 chunks of the smallest size
    assert default_chunk_size(10**8, DEFAULT_CHUNK) == DEFAULT_CHUNK      # the memory cap
    assert default_chunk_size(10**6, DEFAULT_CHUNK_RECOMPUTE) == DEFAULT_CHUNK_RECOMPUTE
    assert default_chunk_size(1_200, DEFAULT_CHUNK_RECOMPUTE) == DEFAULT_CHUNK_RECOMPUTE


def test_shipped_monte_carlo_gives_two_workers_work():
    n = load_scenario(SHIPPED_MC).sweep.n_cases
    size = default_chunk_size(n, DEFAULT_CHUNK)
    n_chunks = -(-n // size)
    assert n == 200_000 and n_chunks >= TARGET_CHUNKS >= 2 * 2


def test_default_chunks_resume_to_the_identical_result(scen, tmp_path):
    path = scen(MC)
    part = run_sweep(path, tmp_path / "killed", stop_after=2)
    assert not part.summary["complete"]
    man = load_manifest(tmp_path / "killed")
    assert man["chunk_size"] == MIN_CHUNK and man["n_chunks"] == 4 and len(man["chunks"]) == 2
    done = run_sweep(path, tmp_path / "killed", resume=True)
    fresh = run_sweep(path, tmp_path / "fresh")
    assert done.summary["n_chunks"] == fresh.summary["n_chunks"] == 4
    assert chunk_table(tmp_path / "killed").equals(chunk_table(tmp_path / "fresh"))
    a, b = (json.loads((p / "summary.json").read_text()) for p in (tmp_path / "killed", tmp_path / "fresh"))
    for s in (a, b):
        s.pop("timing")
    assert a == b
