"""Resumable runs (kill mid-way, resume, identical result) and the Dask backend (identical to local)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from jointmission.io.chunks import load_manifest
from jointmission.runners.sweep import SweepError, run_sweep
from sweep_tables import chunk_table

HEADER_LEO = """\
name: sweep test
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO
    orbit: {altitude: 200 km}
"""

SLOW = """
sweep:
  monte_carlo:                      # recompute: every case is a design solved in its chunk (slow enough to kill)
    samples: 12
    seed: 3
    parameters:
      vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 4 s}
      vehicle.stages[2].m_dry: {distribution: triangular, low: 24 t, high: 28 t}
  losses: recompute
"""

MC = """
sweep:
  monte_carlo:
    samples: 40000
    seed: 424242
    parameters:
      vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 3 s}
      vehicle.stages[1].m_dry: {distribution: triangular, low: 57 t, high: 66 t}
      vehicle.boosters.m_dry: {distribution: lognormal, sigma: 0.04}
  chunk_size: 10000
  loss_check: 4
"""


def _results(out: Path) -> tuple[pa.Table, dict]:
    summary = json.loads((out / "summary.json").read_text())
    for k in ("timing",):
        summary.pop(k)
    return chunk_table(out), summary


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "jointmission.cli", *args]


def test_killed_run_resumes_to_the_identical_result(scen, tmp_path):
    path = scen(SLOW, header=HEADER_LEO)
    killed = tmp_path / "killed"
    proc = subprocess.Popen(_cli("run", str(path), "-o", str(killed), "--chunk-size", "2"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    try:
        while time.time() < deadline:  # wait until the first chunks have landed
            man = load_manifest(killed)
            if man and len(man["chunks"]) >= 2:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    man = load_manifest(killed)
    assert 2 <= len(man["chunks"]) < man["n_chunks"] == 6 and not man["complete"]
    assert not (killed / "summary.json").exists()
    # a partial, unlisted chunk file (as if killed mid-write or before the manifest update) is not trusted
    (killed / "chunks" / ".chunk-000005.parquet.123.tmp").write_bytes(b"PAR1 partial")
    (killed / "chunks" / "chunk-000005.parquet").write_bytes(b"PAR1 garbage, not in the manifest")

    r = subprocess.run(_cli("run", str(path), "-o", str(killed), "--chunk-size", "2", "--resume"),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert not list((killed / "chunks").glob(".*tmp"))
    # as the CLI does: report and figures written before summary.json, which lists them
    from jointmission.report.sweep_plots import write_sweep_report

    fresh = run_sweep(path, tmp_path / "fresh", chunk_size=2, report=write_sweep_report)
    t_killed, s_killed = _results(killed)
    t_fresh, s_fresh = _results(fresh.output_dir)
    assert t_killed.equals(t_fresh)
    s_killed.pop("fingerprint"), s_fresh.pop("fingerprint")
    assert s_killed == s_fresh
    assert (killed / "tornado_leo.png").exists() and (killed / "report.md").exists()

    # resuming with another chunk size is refused (it would be another case-to-file layout)
    with pytest.raises(SweepError, match="chunk size"):
        run_sweep(path, killed, chunk_size=3, resume=True)


def test_resume_verifies_checksums(scen, tmp_path):
    path = scen(MC.replace("loss_check: 4", "losses: nominal"))
    out = tmp_path / "o"
    part = run_sweep(path, out, stop_after=2)
    assert not part.summary["complete"]
    man = load_manifest(out)
    # corrupt a completed chunk on disk: resume must recompute it, not trust it
    f = out / man["chunks"]["1"]["file"]
    f.write_bytes(f.read_bytes()[:-10] + b"0123456789")
    done = run_sweep(path, out, resume=True)
    assert done.summary["timing"]["chunks_computed_now"] == 3  # chunks 1, 2, 3
    ref = run_sweep(path, tmp_path / "ref")
    assert chunk_table(out).equals(chunk_table(ref.output_dir))


@pytest.fixture(scope="module")
def dask_client():
    from jointmission.runners.dask_backend import open_client

    # what `--dask local:2` starts: 2 worker processes on loopback (the real pickling/process boundary)
    client, cluster = open_client("local:2")
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    yield client
    client.close()
    cluster.close()


def test_monte_carlo_identical_on_dask_and_local(scen, tmp_path, dask_client):
    path = scen(MC)
    local = run_sweep(path, tmp_path / "local")
    dist = run_sweep(path, tmp_path / "dask", dask=dask_client)
    assert dist.summary["timing"]["backend"].startswith("dask (2 workers")
    t_local, s_local = _results(local.output_dir)
    t_dask, s_dask = _results(dist.output_dir)
    assert t_local.num_rows == 40000 and t_local.equals(t_dask)
    assert s_local == s_dask  # statistics, sensitivity, loss model + check, fingerprint
    # the same through an existing scheduler's address (--dask tcp://HOST:PORT)
    addr = dask_client.scheduler.address
    assert addr.startswith("tcp://127.0.0.1:")
    via_tcp = run_sweep(path, tmp_path / "tcp", dask=addr)
    assert chunk_table(via_tcp.output_dir).equals(t_local)


def test_bad_dask_spec_is_a_usage_error(scen, tmp_path, capsys):
    from jointmission.cli import main

    assert main(["run", str(scen(MC)), "-o", str(tmp_path / "x"), "--dask", "local:zero"]) == 2
    assert "expected local:N" in capsys.readouterr().err
    with pytest.raises(SweepError):
        run_sweep(scen(MC), tmp_path / "y", dask="udp://nowhere")


def test_interrupted_run_leaves_no_temporary_chunk(scen, tmp_path, monkeypatch):
    # A run interrupted while a chunk is being written (SIGTERM turned into an exception by the CLI,
    # Ctrl-C, or a Dask worker killed mid-write, whose partial file outlives the worker) must not
    # leave the partial file behind: run_sweep removes temporaries on the way out.
    import jointmission.runners.sweep as sw

    path = scen("""
        sweep:
          grid:
            vehicle.stages[0].engine.isp_vac: [330 s, 335 s]
          losses: nominal
        """)
    out = tmp_path / "out"

    def dying_chunk(plan, c, out_dir):
        d = Path(out_dir) / "chunks"
        d.mkdir(parents=True, exist_ok=True)
        (d / f".chunk-{c:06d}.parquet.{os.getpid()}.tmp").write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(sw, "compute_chunk", dying_chunk)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, out)
    assert not list((out / "chunks").glob(".chunk-*.tmp"))
    assert load_manifest(out) is not None and not load_manifest(out).get("chunks")
