"""A sweep's report reads its chunk files once, only the columns its figures and tables need, and
writes what each figure and table writer reading the chunks on its own writes (same PNG bytes, same
tables)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from jointmission.report import sweep_cost, sweep_plots
from jointmission.report.sweep_cases import SweepCases, pareto_front
from jointmission.runners.sweep import run_sweep
from sweep_tables import write_scenario

PROGRAMME = """\
name: division of work
vehicle:
  catalog: Joint Heavy CN
targets: []
mission:
  architectures: [moon_lor_two_launch]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
programme:
  partners:
    - {name: Russia, country: Russia, share: 50 %}
    - {name: China, country: China, share: 50 %}
sweep:
  grid:
    mission.launcher: [Joint Heavy CN, Joint Heavy RU]
    programme.providers.elements.crew vehicle: [China, Russia]
    programme.providers.launches.crew: [China, Russia]
  cost_uncertainty: {draws: 64, seed: 7}
  chunk_size: 3
"""

MONTE_CARLO = """\
name: sampled flagship
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO
    orbit: {altitude: 200 km}
sweep:
  monte_carlo:
    samples: 40
    seed: 3
    parameters:
      vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 4 s}
      vehicle.stages[1].m_dry: {distribution: triangular, low: 55 t, high: 65 t}
  objectives: {"payload_t[LEO]": max, liftoff_mass_t: min}
  losses: nominal
  loss_check: 0
  chunk_size: 15
"""


@pytest.fixture(scope="module", params=["programme", "monte_carlo"])
def sweep(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    text = PROGRAMME if request.param == "programme" else MONTE_CARLO
    return run_sweep(write_scenario(tmp, text), tmp / "out").output_dir


def _count_reads(monkeypatch) -> tuple[Counter, list]:
    reads: Counter = Counter()
    asked: list = []
    real = pq.read_table

    def counted(source, *a, **k):
        reads[Path(source).name] += 1
        asked.append(k.get("columns"))
        return real(source, *a, **k)

    monkeypatch.setattr(pq, "read_table", counted)
    monkeypatch.setattr(sweep_plots, "nominal_payloads", lambda out, summary: {})  # no single run: faster
    return reads, asked


def test_the_report_reads_each_chunk_file_once_and_only_the_needed_columns(sweep, tmp_path, monkeypatch):
    import json
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(sweep, out)
    chunks = sorted(p.name for p in (out / "chunks").glob("chunk-*.parquet"))
    assert len(chunks) >= 2
    reads, asked = _count_reads(monkeypatch)
    files = sweep_plots.write_sweep_report(out)
    assert {n: reads[n] for n in chunks} == {n: 1 for n in chunks}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    need = sweep_plots.report_columns(summary)
    schema = pq.read_schema(out / "chunks" / chunks[0]).names
    assert all(set(c) == set(need) for c in asked)
    assert len(need) < len(schema) and "case" not in need
    assert "pareto.png" in files
    assert ("pareto_cost.png" in files) == bool(summary.get("programme"))


def test_the_shared_table_draws_what_each_writer_reading_for_itself_draws(sweep, tmp_path, monkeypatch):
    """Each writer called without the shared table reads the chunks itself (as before the report
    read them once): the same PNG bytes and the same table rows."""
    import json
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(sweep, out)
    monkeypatch.setattr(sweep_plots, "nominal_payloads", lambda out, summary: {})
    files = sweep_plots.write_sweep_report(out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    alone = tmp_path / "alone"
    alone.mkdir()
    assert sweep_plots._pareto(out, summary, alone / "pareto.png") is not None
    assert (alone / "pareto.png").read_bytes() == files["pareto.png"].read_bytes()
    if summary["kind"] == "monte_carlo":
        entry = summary["targets"]["LEO"]
        assert sweep_plots._distribution(out, entry, "LEO", alone / "hist_leo.png", None) is not None
        assert (alone / "hist_leo.png").read_bytes() == files["hist_leo.png"].read_bytes()
        return
    for name, fn in (("pareto_cost.png", sweep_cost._pareto_cost), ("cost_split.png", sweep_cost._cost_split)):
        assert fn(out, summary, alone / name) is not None
        assert (alone / name).read_bytes() == files[name].read_bytes(), name
    cases = SweepCases.read(out, sweep_plots.report_columns(summary))
    for fn in (sweep_cost.cost_rows, sweep_cost.by_category, sweep_cost.percentile_rows):
        own, shared = fn(out, summary), fn(out, summary, cases)
        assert own is not None and own[0] == shared[0] and own[1] == shared[1], fn.__name__
    assert "\n".join(sweep_cost.cost_markdown(out, summary)) in files["report.md"].read_text(encoding="utf-8")


def test_pareto_front_matches_the_pairwise_definition():
    """The front is every finite point no other finite point beats or ties on both objectives with
    a strict win on one; ties of the first objective keep only the best of the second."""
    rng = np.random.default_rng(5)
    for _ in range(20):
        a = rng.integers(0, 8, 60).astype(float)
        b = rng.integers(0, 8, 60).astype(float)
        a[rng.random(60) < 0.1] = np.nan
        front = pareto_front(a, b, "max", "min")
        ok = np.isfinite(a) & np.isfinite(b)
        want = set()
        seen = set()
        for i in np.flatnonzero(ok):
            dominated = np.any(ok & (a >= a[i]) & (b <= b[i]) & ((a > a[i]) | (b < b[i])))
            if not dominated and (a[i], b[i]) not in seen:  # of identical points, one is on the front
                want.add((a[i], b[i]))
                seen.add((a[i], b[i]))
        assert {(a[i], b[i]) for i in front} == want
        assert len(front) == len(want)
        assert np.all(np.diff(a[front]) < 0) or len(front) < 2  # ordered by the first objective (best first)


def test_scatter_step_draws_at_most_about_max_scatter_cases():
    """Sweep scatter figures draw every case up to twice :data:`MAX_SCATTER` (the shipped sweeps' figures
    unchanged) and a stride above it: a million cases draw 20,000 dots, not a million."""
    from jointmission.report.sweep_cases import MAX_SCATTER, scatter_step

    for n in (0, 1, 32, MAX_SCATTER, 2 * MAX_SCATTER - 1):
        assert scatter_step(n) == 1
    for n in (2 * MAX_SCATTER, 10**5, 10**6, 3 * 10**6 + 7):
        step = scatter_step(n)
        drawn = len(range(0, n, step))
        assert MAX_SCATTER <= drawn < 2 * MAX_SCATTER, (n, step, drawn)
