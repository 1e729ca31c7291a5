"""Benchmark: this checkout against an earlier revision, in one run (CPU-time ratios, A/B alternated).

Run:  python benchmarks/bench_revisions.py --baseline ba0e78a [--rounds 5]
      python benchmarks/bench_revisions.py --baseline HEAD~3 --only payload lambert   # quick look

The baseline's ``src/`` is extracted with ``git archive`` into a temporary folder. Each round runs
every workload twice, once per revision, in fresh child processes (``PYTHONPATH`` points at the
revision's ``src``), alternating which one goes first; each child reports the **CPU time**
(``time.process_time``) of the workload only (imports, data loading and one warm-up call excluded),
best of ``--repeats`` inside the child. The printed ratio is the median over rounds of
``current / baseline`` CPU time: below 1 is faster. On a shared, noisy machine CPU time and
alternation keep the ratio meaningful where wall-clock rates are not.

Workloads (the same calls in both revisions):

* ``payload`` -- ``core.payload.solve_payload`` on 200 000 different heavy-launcher stacks (two
  boosters, three core stages; masses, thrust, Isp perturbed) with their own delta-v requirements.
* ``lambert`` -- ``core.lambert.lambert`` on 200 000 heliocentric problems (0.7-1.6 AU, 60-400 d),
  single revolution, one thread.
* ``sweep`` -- ``runners.sweep.run_sweep`` of a 200 000-case Monte Carlo over the flagship
  (first-stage Isp, booster and stage dry masses; LEO 200 km; interpolated losses) into a fresh
  folder: case generation, vehicle arrays, loss model, payload solves, Parquet chunks, analysis.
* ``single`` -- ``payload_to_orbit`` of the flagship to 200 km (one answer, warm).
* ``porkchop_fresh`` -- a 1000 x 1000 Earth->Mars ``porkchop`` (2 threads) as the **first** call of a
  fresh process (nothing warmed: xarray, the ephemeris file, compiled kernels and every page of
  memory are loaded on the way); reports CPU, wall and minor page faults of that call, and the
  same call repeated warm. ``porkchop_fresh_grid``: the same after a 2 x 2 grid has loaded the
  modules, the ephemeris and the compiled code (``startup_cpu_s``): the grid's own first call, with
  every page of its memory still to be faulted in. ``porkchop_arrays_fresh``: the same first call
  of ``porkchop_grid`` (numpy arrays, no Dataset; ``porkchop`` in a revision without it).
* ``lambert_fresh`` -- 1e6 Lambert problems (the 1000 x 1000 of a porkchop) as the first solve of
  a fresh process, one thread; and repeated warm.
* ``lambert_one`` -- one-problem latency of ``core.lambert.lambert`` (warm; median CPU time of
  ``--calls`` calls in 20 groups).
* ``porkchop_one`` -- one-point latency of ``interplanetary.transfers.evaluate_pairs`` (warm, median).
* ``optima`` -- ``interplanetary.optimum.optima`` (c3) of a 4-day-step 2026 Earth->Mars grid (CPU).
* ``lambert_ab`` -- the ``lambert`` workload with both revisions' ``core/lambert.py`` loaded into
  one process (the baseline's file imported standalone) and called alternately 30 times: the ratio
  of each pair's CPU times, median (and quartiles), free of process-to-process noise. Needs a
  baseline whose ``core/lambert.py`` has no package-relative imports.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from io import BytesIO
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]

WORKER = textwrap.dedent(r'''
import inspect, json, os, sys, tempfile, time, warnings
import numpy as np
warnings.simplefilter("ignore")
which, repeats = sys.argv[1], int(sys.argv[2])

def best(fn, setup=None):
    times = []
    for _ in range(repeats):
        arg = setup() if setup else None
        t0 = time.process_time()
        fn(arg) if setup else fn()
        times.append(time.process_time() - t0)
    return min(times)

def lambert_problems(n=200_000):
    """n heliocentric problems: radii 0.7-1.6 AU, transfer angles 0.3-3.0 rad, 60-400 d."""
    rng = np.random.default_rng(3)
    AU, mu = 1.495978707e11, 1.32712440018e20
    a1 = rng.uniform(0, 2 * np.pi, n); a2 = a1 + rng.uniform(0.3, 3.0, n)
    r1 = np.stack([np.cos(a1), np.sin(a1), 0.02 * rng.standard_normal(n)], -1) * (AU * rng.uniform(0.7, 1.6, n))[:, None]
    r2 = np.stack([np.cos(a2), np.sin(a2), 0.02 * rng.standard_normal(n)], -1) * (AU * rng.uniform(0.7, 1.6, n))[:, None]
    return mu, r1, r2, rng.uniform(60, 400, n) * 86400.0

if which == "payload":
    from jointmission.core.rocket import Stack
    from jointmission.core.payload import solve_payload
    rng = np.random.default_rng(7)
    n = 200_000
    u = lambda lo, hi, shape=(n,): rng.uniform(lo, hi, shape)
    st = Stack(isp=np.array([282.0, 348.0, 465.0]) * u(0.97, 1.03, (n, 3)),
               thrust=np.array([7.6e6, 9.8e5, 1.1e5]) * u(0.85, 1.15, (n, 3)),
               m_prop=np.array([400e3, 90e3, 20e3]) * u(0.85, 1.15, (n, 3)),
               m_dry=np.array([25e3, 6e3, 3e3]) * u(1.0, 1.1, (n, 3)),
               booster_isp=275.0, booster_thrust=8.0e6 * u(0.8, 1.2), booster_m_prop=200e3 * u(0.8, 1.2),
               booster_m_dry=24e3, core_throttle=u(0.7, 0.9))
    from jointmission.core.rocket import stack_delta_v
    dvz = np.asarray(stack_delta_v(st, 0.0))
    dvz = dvz.sum(axis=-1) if dvz.ndim == 2 else dvz
    dv = dvz * u(0.40, 0.97)
    solve_payload(st, dv)  # warm-up
    t = best(lambda: solve_payload(st, dv))
elif which == "lambert":
    from jointmission.core.lambert import lambert
    mu, r1, r2, tof = lambert_problems()
    mu_first = list(inspect.signature(lambert).parameters)[0] == "mu"
    call = (lambda: lambert(mu, r1, r2, tof, workers=1)) if mu_first else (lambda: lambert(r1, r2, tof, mu, workers=1))
    call()
    t = best(call)
elif which == "sweep":
    from jointmission.runners.sweep import run_sweep
    scen = """name: bench revisions sweep
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO 200 km
    orbit: {altitude: 200 km}
sweep:
  monte_carlo:
    samples: 200000
    seed: 1
    parameters:
      vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 3.3 s}
      vehicle.boosters.m_dry: {distribution: triangular, low: 76 t, high: 86 t}
      vehicle.stages[0].m_dry: {distribution: triangular, low: 166 t, high: 188 t}
      vehicle.stages[2].m_dry: {distribution: triangular, low: 24.7 t, high: 28.1 t}
  losses: interpolate
  chunk_size: 100000
"""
    d = tempfile.mkdtemp()
    p = os.path.join(d, "s.yaml")
    open(p, "w").write(scen)
    k = [0]
    def once():
        k[0] += 1
        run_sweep(p, os.path.join(d, f"out{k[0]}"))
    once()
    t = best(once)
elif which in ("porkchop_fresh", "porkchop_fresh_grid", "porkchop_arrays_fresh"):
    import resource
    from jointmission.interplanetary import transfers as tr
    # 2026-09-01 .. 2027-01-31 x 2027-06-01 .. 2028-03-01 (00:00 UTC = +69.184 s TDB), as JD TDB
    jd_d = np.linspace(2461284.500800725, 2461436.5008007493, 1000)
    jd_a = np.linspace(2461557.500800751, 2461831.5008007567, 1000)
    grid = tr.porkchop
    if which == "porkchop_arrays_fresh":  # the numpy-array result where the revision has one
        grid = getattr(tr, "porkchop_grid", tr.porkchop)
    startup = 0.0
    if which == "porkchop_fresh_grid":  # start-up first (imports, ephemeris, compiled code): a 2 x 2 grid
        c0 = time.process_time()
        tr.porkchop("earth", "mars", jd_d[:2], jd_a[:2], workers=1)
        startup = time.process_time() - c0
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    c0, w0 = time.process_time(), time.perf_counter()
    grid("earth", "mars", jd_d, jd_a, workers=2)
    c1, w1 = time.process_time(), time.perf_counter()
    f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    grid("earth", "mars", jd_d, jd_a, workers=2)
    c2, w2 = time.process_time(), time.perf_counter()
    print(json.dumps({"cpu_s": c1 - c0, "wall_s": w1 - w0, "minflt": f1 - f0, "warm_cpu_s": c2 - c1,
                      "warm_wall_s": w2 - w1, "startup_cpu_s": startup, "dask_imported": "dask" in sys.modules}))
    sys.exit(0)
elif which == "lambert_fresh":
    import resource
    from jointmission.core.lambert import lambert
    mu, r1, r2, tof = lambert_problems(1_000_000)
    mu_first = list(inspect.signature(lambert).parameters)[0] == "mu"
    call = (lambda: lambert(mu, r1, r2, tof, workers=1)) if mu_first else (lambda: lambert(r1, r2, tof, mu, workers=1))
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    c0, w0 = time.process_time(), time.perf_counter()
    call()
    c1, w1 = time.process_time(), time.perf_counter()
    f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    call()
    c2, w2 = time.process_time(), time.perf_counter()
    print(json.dumps({"cpu_s": c1 - c0, "wall_s": w1 - w0, "minflt": f1 - f0, "warm_cpu_s": c2 - c1,
                      "warm_wall_s": w2 - w1}))
    sys.exit(0)
elif which in ("lambert_one", "porkchop_one"):
    import statistics
    calls = int(os.environ.get("JM_CALLS", "2000"))
    if which == "lambert_one":
        from jointmission.core.lambert import lambert
        mu, r1, r2, tof = lambert_problems(1)
        mu_first = list(inspect.signature(lambert).parameters)[0] == "mu"
        one = (lambda: lambert(mu, r1[0], r2[0], tof[0])) if mu_first else (lambda: lambert(r1[0], r2[0], tof[0], mu))
    else:
        from jointmission.interplanetary import transfers as tr
        one = lambda: tr.evaluate_pairs("earth", "mars", 2461300.5, 2461560.5)
    one(); one()
    per = []
    for _ in range(20):
        t0 = time.process_time()
        for _ in range(max(1, calls // 20)):
            one()
        per.append((time.process_time() - t0) / max(1, calls // 20))
    print(json.dumps({"cpu_s": statistics.median(per)}))
    sys.exit(0)
elif which == "optima":
    from jointmission.interplanetary import transfers as tr
    try:
        from jointmission.interplanetary.optimum import optima
    except ImportError:  # before the optimum moved out of transfers.py
        optima = tr.optima
    ds = tr.porkchop("earth", "mars", ("2026-09-01", "2027-01-15"), ("2027-05-01", "2028-01-31"), step_days=4.0)
    optima(ds, "c3")
    t = best(lambda: optima(ds, "c3"))
elif which == "lambert_ab":
    import importlib.util, statistics
    spec = importlib.util.spec_from_file_location("lambert_base", os.environ["JM_BASE_LAMBERT"])
    base = importlib.util.module_from_spec(spec); spec.loader.exec_module(base)
    from jointmission.core.lambert import lambert
    mu, r1, r2, tof = lambert_problems()
    fb = lambda: base.lambert(r1, r2, tof, mu, workers=1)
    fc = lambda: lambert(mu, r1, r2, tof, workers=1)
    fb(); fc()
    rat = []
    for i in range(30):
        t = {}
        for name, f in ((("b", fb), ("c", fc)) if i % 2 == 0 else (("c", fc), ("b", fb))):
            t0 = time.process_time(); f(); t[name] = time.process_time() - t0
        rat.append(t["c"] / t["b"])
    q = np.percentile(rat, [25, 50, 75])
    print(json.dumps({"cpu_s": float(q[1]), "ratio_quartiles": [float(x) for x in q]}))
    sys.exit(0)
elif which == "single":
    from jointmission.vehicles import get_vehicle, payload_to_orbit
    v = get_vehicle("Joint Heavy CN")
    payload_to_orbit(v, perigee_alt_m=200e3)
    t = best(lambda: payload_to_orbit(v, perigee_alt_m=200e3))
print(json.dumps({"cpu_s": t}))
''')


def extract(rev: str, dest: Path) -> Path:
    """``git archive`` the ``src/`` tree of ``rev`` into ``dest``; returns its ``src`` folder. The
    ``scenarios/`` tree comes along where ``rev`` has one (``src/jointmission/_examples`` links to it:
    the concept library and example scenarios)."""
    trees = ["src"] + (["scenarios"] if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{rev}:scenarios"],
                                                       capture_output=True).returncode == 0 else [])
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, *trees], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def run_worker_json(src: Path, which: str, repeats: int, calls: int = 2000) -> dict:
    """Run one workload in a fresh child process on ``src``; its JSON report (``cpu_s`` at least)."""
    env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1", "JM_CALLS": str(calls)}
    out = subprocess.run([sys.executable, "-c", WORKER, which, str(repeats)], env=env, capture_output=True,
                         text=True, cwd=str(ROOT))
    if out.returncode != 0:
        raise RuntimeError(f"{which} @ {src}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def alternate(base_src: Path, cur_src: Path, rounds: int, run: Callable[[str, Path], dict],
              warmup: bool = False) -> dict:
    """The A/B loop every benchmark here uses: ``rounds`` rounds, each calling ``run(k, src)`` once
    for the baseline (``k = "b"``) and once for the working tree (``"c"``), alternating which goes
    first. Returns ``{"b": [reports], "c": [reports], "ratios": [current / baseline CPU per round],
    "ratio": their median}``; a report is a dict with ``cpu_s`` at least. ``warmup``: one unrecorded
    call per revision first (a freshly extracted baseline compiles its numba kernels into its cache
    on first use: seconds that are not the workload's)."""
    if warmup:
        run("b", base_src)
        run("c", cur_src)
    rep: dict = {"b": [], "c": [], "ratios": []}
    for r in range(rounds):
        order = [("b", base_src), ("c", cur_src)] if r % 2 == 0 else [("c", cur_src), ("b", base_src)]
        got = {k: run(k, src) for k, src in order}
        rep["b"].append(got["b"])
        rep["c"].append(got["c"])
        rep["ratios"].append(got["c"]["cpu_s"] / got["b"]["cpu_s"])
    rep["ratio"] = statistics.median(rep["ratios"])
    return rep


def compare(baseline: str, workloads: list[str], rounds: int, repeats: int = 3, calls: int = 2000,
            warmup: bool = True) -> dict:
    """Alternated A/B rounds of ``workloads`` in fresh child processes, the working tree's ``src``
    against ``baseline``'s: ``{workload: {"b": [reports], "c": [reports], "ratio": median current /
    baseline CPU}}``. Used by bench_lambert.py and bench_porkchop.py for their fresh-process and
    one-problem rows. ``warmup``: one unrecorded child per revision and workload first (see
    :func:`alternate`)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        base_src = extract(baseline, Path(tmp))
        for which in workloads:
            out[which] = alternate(base_src, ROOT / "src", rounds,
                                   lambda k, src: run_worker_json(src, which, repeats, calls), warmup=warmup)
    return out


def median_of(reports: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in reports)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", required=True, help="git revision to compare against")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=["payload", "lambert", "lambert_ab", "sweep", "single"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base_src = extract(args.baseline, Path(tmp))
        cur_src = ROOT / "src"
        print(f"baseline {args.baseline} vs working tree; {args.rounds} rounds, best of {args.repeats} "
              f"CPU-time per child; python {sys.version.split()[0]}")
        print(f"{'workload':<10} {'baseline s':>11} {'current s':>10} {'current/baseline':>17}  (per-round ratios)")
        for which in args.only:
            if which == "lambert_ab":
                (Path(tmp) / "lambert_base.py").write_bytes(subprocess.run(
                    ["git", "-C", str(ROOT), "show", f"{args.baseline}:src/jointmission/core/lambert.py"],
                    check=True, capture_output=True).stdout)
                env = {**os.environ, "PYTHONPATH": str(cur_src), "OMP_NUM_THREADS": "1",
                       "JM_BASE_LAMBERT": str(Path(tmp) / "lambert_base.py")}
                res = subprocess.run([sys.executable, "-c", WORKER, which, "1"], env=env, capture_output=True,
                                     text=True, cwd=str(ROOT), check=True)
                q = json.loads(res.stdout.strip().splitlines()[-1])["ratio_quartiles"]
                print(f"{which:<10} {'(one process, 30 alternated pairs)':>40} {q[1]:>6.3f}  "
                      f"(quartiles {q[0]:.3f}-{q[2]:.3f})", flush=True)
                continue
            rep = alternate(base_src, cur_src, args.rounds, lambda k, src: run_worker_json(src, which, args.repeats))
            print(f"{which:<10} {median_of(rep['b'], 'cpu_s'):>11.4f} {median_of(rep['c'], 'cpu_s'):>10.4f} "
                  f"{rep['ratio']:>17.3f}  ({', '.join(f'{x:.3f}' for x in rep['ratios'])})", flush=True)


if __name__ == "__main__":
    main()
