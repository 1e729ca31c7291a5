"""Benchmark: sweep throughput, peak memory of a large run, and the Dask speed-up -- in one run.

Run:  python benchmarks/bench_sweep.py [--cases 100000000] [--eval-cases 2000000] [--dask-cases 8000000]
      python benchmarks/bench_sweep.py --cases 5000000 --dask-cases 4000000     # quick look (~1-2 min)
      python benchmarks/bench_sweep.py --report-only [--report-cases 1000000] [--baseline REV]   # 4. only

Three measurements on the flagship "Joint Heavy CN" (Monte Carlo over first-stage Isp, booster and
stage dry masses; LEO 200 km; ``losses: interpolate``):

1. **Per-case evaluation rate, one core** (the vectorized path: case generation -> vehicle arrays
   -> loss surface + payload guess -> ``solve_payload_targets`` -> T/W check), in cases/s over ``--eval-cases`` cases in
   chunks of 1e6, best of ``--repeats``. Also with the mission budget: the same launcher cases plus
   the ``mission.margins.delta_v`` margin, flown through the Moon ``moon_direct`` architecture
   (``jointmission.missions`` vectorized budget). The shared part (the ascent-loss fit: full ascent
   solves of ~40 designs) is timed separately: it is paid once per run, not per case.
   Target: >= 1e6 cases/s (payload).
2. **Peak memory of a ``--cases`` run** (default 1e8) through ``run_sweep`` (Parquet chunks of 1e6
   cases + manifest + streamed analysis), in a child process; the child's peak RSS is its
   ``VmHWM`` from ``/proc/self/status`` at its end (Linux). If fewer cases are run, the script says so and prints
   the extrapolation (peak memory is set by the chunk size, not the case count; the time scales
   linearly). Target: < 2 GiB.
3. **Dask speed-up**: the same ``--dask-cases`` sweep on a LocalCluster of 1 worker process and of
   2 worker processes (loopback, as started by ``--dask local:N``), chunks of 5e5, wall time of the
   chunk phase. With 2 cores shared
   with other work, expect less than 2x.
4. **Report phase of a large programme sweep** (``write_sweep_report``: figures, report.md,
   report.html): the shipped ``scenarios/sweeps/joint_moon_division_of_work.yaml`` (32 cases, cost
   Monte Carlo) is run once, then its chunk is tiled to ``--report-cases`` cases (default 1e6, chunks
   of 1e5; the numeric columns jittered by up to +-2 % so the fronts are not degenerate) and the
   report is written in a fresh child process per revision: the working tree and, with
   ``--baseline REV``, that revision's ``src`` (``git archive``), alternated over ``--rounds``.
   Reported: CPU and wall time of the report call, Parquet reads of a chunk file
   (``pyarrow.parquet.read_table`` calls / chunk files) and the child's peak RSS. The nominal-scenario
   evaluation is left out (no ``scenario.resolved.yaml``: ~1 s, the same in both).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

TARGET_RATE = 1.0e6
TARGET_MEM = 2 * 1024**3

SCENARIO = """\
name: bench sweep
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO 200 km
    orbit: {{altitude: 200 km}}
{mission}sweep:
  monte_carlo:
    samples: {n}
    seed: 1
    parameters:
      vehicle.stages[0].engine.isp_vac: {{distribution: normal, std: 3.3 s}}
      vehicle.boosters.m_dry: {{distribution: triangular, low: 76 t, high: 86 t}}
      vehicle.stages[0].m_dry: {{distribution: triangular, low: 166 t, high: 188 t}}
      vehicle.stages[2].m_dry: {{distribution: triangular, low: 24.7 t, high: 28.1 t}}
{extra}  losses: interpolate
  loss_check: 8
  chunk_size: {chunk}
"""

MISSION = """\
mission:
  architectures: [moon_direct]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
"""


def write_scenario(d: Path, n: int, chunk: int, mission: bool) -> Path:
    text = SCENARIO.format(n=n, chunk=chunk, mission=MISSION if mission else "",
                           extra="      mission.margins.delta_v: {distribution: uniform, low: 0.02, high: 0.10}\n"
                           if mission else "")
    p = d / ("bench_mission.yaml" if mission else "bench.yaml")
    p.write_text(text, encoding="utf-8")
    return p


def eval_rate(path: Path, n: int, repeats: int) -> dict:
    from jointmission.runners.sweep_plan import make_plan
    from jointmission.scenario import load_scenario

    t0 = time.perf_counter()
    plan = make_plan(load_scenario(path), 1_000_000)
    shared = time.perf_counter() - t0
    chunks = max(1, n // plan.chunk_size)
    best = np.inf
    parts = {}
    for _ in range(repeats):
        t = time.perf_counter()
        for c in range(chunks):  # loop over chunks of 1e6 cases
            cols = plan.evaluate(c)
        best = min(best, time.perf_counter() - t)
    # breakdown of one chunk
    from jointmission.core.payload import solve_payload_targets
    from jointmission.vehicles.arrays import build_vehicle_arrays

    t = time.perf_counter(); v = plan.sweep.case_values(0, plan.chunk_size); parts["case generation"] = time.perf_counter() - t
    t = time.perf_counter(); va, _ = build_vehicle_arrays(plan.base, plan.keys, v[:, plan.vcols]); parts["vehicle arrays"] = time.perf_counter() - t
    t = time.perf_counter(); dv, guess = plan.model.dv_and_guess(v[:, plan.vcols]); parts["loss surface + payload guess"] = time.perf_counter() - t
    t = time.perf_counter()
    sol = solve_payload_targets(va.stack, dv, guess=guess)  # every target of the chunk in one solve
    parts[f"solve_payload_targets ({dv.shape[1]} target(s))"] = time.perf_counter() - t
    if plan.mission is not None:
        pay = np.stack([cols[f"payload_t[{n}]"] for n in plan.ts.names], axis=-1) * 1e3
        mvals = {plan.sweep.params[j].keys: v[:, j] for j in plan.mcols}
        t = time.perf_counter(); plan.mission.evaluate(pay, mvals); parts["mission budget"] = time.perf_counter() - t
    ok = np.mean(cols["status[LEO 200 km]"] == 0)
    return {"cases": chunks * plan.chunk_size, "seconds": best, "rate": chunks * plan.chunk_size / best,
            "shared_seconds": shared, "fit_designs": plan.model.info.get("designs"),
            "check": plan.model.info.get("check", {}).get("targets", {}), "parts": parts, "ok_fraction": float(ok),
            "sanity": float(np.nanmean(sol.payload[:, 0]))}


CHILD = """
import json, resource, sys, time
from jointmission.runners.sweep import run_sweep
t = time.perf_counter()
r = run_sweep(sys.argv[1], sys.argv[2])
wall = time.perf_counter() - t
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print(json.dumps({"wall": wall, "timing": r.summary["timing"], "n_cases": r.summary["n_cases"],
                  "mean": r.summary["targets"]["LEO 200 km"]["mean"], "vmhwm_kib": hwm,
                  "maxrss_self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def big_run(path: Path, out: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, str(path), str(out)], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    info = json.loads(r.stdout.strip().splitlines()[-1])
    # VmHWM: the peak RSS of the child's own address space. (ru_maxrss is not used: Linux carries
    # the parent's high-water mark over fork + exec, so it reported the benchmark process's size.)
    info["peak_rss_bytes"] = info["vmhwm_kib"] * 1024
    info["disk_bytes"] = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return info


def dask_run(path: Path, out: Path, workers: int) -> float:
    from jointmission.runners.dask_backend import open_client
    from jointmission.runners.sweep import run_sweep

    client, cluster = open_client(f"local:{workers}")  # what `--dask local:N` starts
    try:
        client.run(lambda: __import__("jointmission.runners.sweep"))  # warm imports, not timed
        res = run_sweep(path, out, dask=client)
        return res.summary["timing"]["chunks_seconds"]
    finally:
        client.close()
        cluster.close()


REPORT_CHILD = """
import json, sys, time
import pyarrow.parquet as pq
from jointmission.report import sweep_plots
reads = [0]
_read = pq.read_table
def counted(*a, **k):
    reads[0] += 1
    return _read(*a, **k)
pq.read_table = counted
out = sys.argv[1]
c, w = time.process_time(), time.perf_counter()
files = sweep_plots.write_sweep_report(out)
cpu, wall = time.process_time() - c, time.perf_counter() - w
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print(json.dumps({"cpu": cpu, "wall": wall, "reads": reads[0], "files": sorted(files), "vmhwm_kib": hwm}))
"""


def synthetic_programme_sweep(tmp: Path, n: int, chunk: int = 100_000) -> Path:
    """The shipped division-of-work sweep (32 cases) run once, its chunk tiled to ``n`` cases in
    chunks of ``chunk``, numeric columns jittered (seeded, up to +-2 %); the folder's path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from jointmission.runners.sweep import run_sweep

    root = Path(__file__).resolve().parents[1]
    out = tmp.parent / "report_src"
    run_sweep(root / "scenarios" / "sweeps" / "joint_moon_division_of_work.yaml", out)
    base = pq.read_table(sorted((out / "chunks").glob("chunk-*.parquet"))[0])
    big = tmp.parent / "report_big"
    (big / "chunks").mkdir(parents=True)
    rng = np.random.default_rng(7)
    for k, start in enumerate(range(0, n, chunk)):
        m = min(chunk, n - start)
        idx = np.arange(start, start + m) % base.num_rows
        t = base.take(pa.array(idx))
        cols = []
        for name, col in zip(t.column_names, t.columns):
            if name == "case":
                col = pa.array(np.arange(start, start + m, dtype=np.int64))
            elif pa.types.is_floating(col.type):
                col = pa.array(col.to_numpy() * (1 + 0.02 * rng.uniform(-1, 1, m)))
            cols.append(col)
        pq.write_table(pa.table(cols, names=t.column_names), big / "chunks" / f"chunk-{k:06d}.parquet")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary["n_cases"] = n
    summary["n_chunks"] = k + 1
    summary["chunk_size"] = chunk
    (big / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return big


def report_run(src: Path, folder: Path) -> dict:
    """``write_sweep_report`` of a copy of ``folder`` in a fresh child on ``src``; its JSON report."""
    work = folder.parent / f"report_run_{src.parent.name}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(folder, work)
    env = {**os.environ, "PYTHONPATH": str(src), "JOINTMISSION_FIGURE_WORKER": "0"}
    r = subprocess.run([sys.executable, "-c", REPORT_CHILD, str(work)], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    info = json.loads(r.stdout.strip().splitlines()[-1])
    info["chunks"] = len(list((work / "chunks").glob("chunk-*.parquet")))
    info["outputs"] = {p.name: p.read_bytes() for p in sorted(work.glob("*.png"))}
    info["report_md"] = (work / "report.md").read_bytes()
    shutil.rmtree(work, ignore_errors=True)
    return info


def report_phase(tmp: Path, n: int, baseline: str | None, rounds: int) -> None:
    """Measurement 4 (see the module's docstring)."""
    print(f"\n4. Report phase of a {n:,}-case programme sweep (write_sweep_report, fresh child per run)")
    folder = synthetic_programme_sweep(tmp, n)
    trees = {"current": Path(__file__).resolve().parents[1] / "src"}
    if baseline:
        from bench_revisions import extract

        trees["baseline"] = extract(baseline, tmp.parent / "baseline")
    res: dict[str, list[dict]] = {k: [] for k in trees}
    for r in range(rounds):
        for k in (list(trees) if r % 2 == 0 else list(trees)[::-1]):
            res[k].append(report_run(trees[k], folder))
    for k, reps in res.items():
        i = reps[0]
        print(f"   {k}: CPU {statistics.median(x['cpu'] for x in reps):.2f} s, wall "
              f"{statistics.median(x['wall'] for x in reps):.2f} s (median of {len(reps)}); "
              f"{i['reads']} chunk-file reads ({i['reads'] / i['chunks']:.0f} per chunk file); "
              f"peak RSS {i['vmhwm_kib'] / 1024:,.0f} MiB")
    if baseline:
        ratios = [c["cpu"] / b["cpu"] for c, b in zip(res["current"], res["baseline"])]
        same = all(c["outputs"] == b["outputs"] and c["report_md"] == b["report_md"]
                   for c, b in zip(res["current"], res["baseline"]))
        print(f"   current / baseline CPU: {statistics.median(ratios):.3f} (median of {len(ratios)} rounds); "
              f"figures and report.md byte-identical: {same}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=float, default=1e8, help="cases of the memory run (default 1e8)")
    ap.add_argument("--eval-cases", type=float, default=2e6, help="cases of the evaluation-rate run (2e6)")
    ap.add_argument("--dask-cases", type=float, default=8e6, help="cases of the Dask runs (8e6)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the output folders")
    ap.add_argument("--report-cases", type=float, default=1e6, help="cases of the report-phase run (1e6)")
    ap.add_argument("--report-only", action="store_true", help="run measurement 4 only")
    ap.add_argument("--baseline", default=None, help="git revision to compare the report phase with")
    ap.add_argument("--rounds", type=int, default=3, help="alternated rounds of the report phase (3)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_sweep_")) / "scenarios"
    tmp.mkdir()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    try:
        if a.report_only:
            report_phase(tmp, int(a.report_cases), a.baseline, a.rounds)
            return
        # 1. evaluation rate
        print("\n1. Per-case evaluation, one core (best of %d)" % a.repeats)
        for mission in (False, True):
            p = write_scenario(tmp, int(a.eval_cases), 1_000_000, mission)
            r = eval_rate(p, int(a.eval_cases), a.repeats)
            what = "payload + mission budget (moon_direct)" if mission else "payload (LEO 200 km)"
            verdict = "PASS" if r["rate"] >= TARGET_RATE else "MISS"
            print(f"   {what}: {r['rate']:,.0f} cases/s over {r['cases']:,} cases [{verdict} vs 1e6/s]; "
                  f"{r['ok_fraction']:.1%} feasible")
            print("     per 1e6-case chunk: " + ", ".join(f"{k} {v:.3f} s" for k, v in r["parts"].items()))
            chk = "; ".join(f"{t}: max {c['max_rel_error']:.2e}" for t, c in r["check"].items()
                            if c.get("max_rel_error") is not None)
            print(f"     shared (once per run): loss-surface fit on {r['fit_designs']} full ascent solves + "
                  f"check = {r['shared_seconds']:.2f} s; surrogate payload error vs full model: {chk}")
        # 2. memory of a large run
        n = int(a.cases)
        print(f"\n2. Peak memory of a {n:,}-case run (chunks of 1e6, Parquet + manifest + analysis), child process")
        p = write_scenario(tmp, n, 1_000_000, False)
        out = tmp.parent / "big"
        r = big_run(p, out)
        gib = r["peak_rss_bytes"] / 1024**3
        t = r["timing"]
        print(f"   peak RSS {gib:.2f} GiB [{'PASS' if r['peak_rss_bytes'] < TARGET_MEM else 'MISS'} vs < 2 GiB]; "
              f"wall {r['wall']:.1f} s = shared {t['shared_seconds']:.1f} + chunks {t['chunks_seconds']:.1f} "
              f"(evaluation {t['chunk_eval_seconds_total']:.1f}) + analysis {t['analysis_seconds']:.1f}; "
              f"end-to-end {n / r['wall']:,.0f} cases/s; disk {r['disk_bytes'] / 1e9:.2f} GB")
        if n < 100_000_000:
            k = 100_000_000 / n
            print(f"   ran {n:,} cases, not 1e8: extrapolated to 1e8: peak memory unchanged (set by the chunk "
                  f"size; the analysis keeps at most {4_000_000:,} values per output and a 200,000-row sample), "
                  f"time ~{(r['wall'] - t['shared_seconds']) * k + t['shared_seconds']:,.0f} s, "
                  f"disk ~{r['disk_bytes'] * k / 1e9:,.1f} GB (extrapolated, not measured)")
        if not a.keep:
            shutil.rmtree(out, ignore_errors=True)
        # 3. dask speed-up
        nd = int(a.dask_cases)
        print(f"\n3. Dask LocalCluster (processes, loopback): {nd:,} cases, chunks of 5e5")
        p = write_scenario(tmp, nd, 500_000, False)
        t1 = dask_run(p, tmp.parent / "d1", 1)
        t2 = dask_run(p, tmp.parent / "d2", 2)
        print(f"   1 worker {t1:.1f} s ({nd / t1:,.0f} cases/s), 2 workers {t2:.1f} s ({nd / t2:,.0f} cases/s): "
              f"speed-up {t1 / t2:.2f}x (load average now {os.getloadavg()[0]:.2f})")
        # 4. report phase
        report_phase(tmp, int(a.report_cases), a.baseline, a.rounds)
    finally:
        if not a.keep:
            shutil.rmtree(tmp.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
