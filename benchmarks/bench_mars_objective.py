"""Benchmark: the cost of choosing the Mars transfer by most landed mass, against least C3, in one run;
and the flagship run against an earlier revision.

Run:  python benchmarks/bench_mars_objective.py [--rounds 3]
      python benchmarks/bench_mars_objective.py --flagship --baseline 0c81a3b --rounds 3
      python benchmarks/bench_mars_objective.py --flagship --worker-ab --rounds 5

For each shipped scenario with a Mars mission (the flagship, one window / one capture / two launchers;
the Mars trade, two windows / two captures / two concepts / two launchers), the mission section is
evaluated (``runners.mission.evaluate_mission``) with ``mission.mars.objective`` ``least_c3`` and
``most_landed`` alternately in this process after one warm-up of each (ephemeris, compiled kernels):
CPU seconds of each, best over ``--rounds``, and the difference and ratio. The whole budget of every
porkchop point is one vectorized call per variant and launcher; the extra cost is the launcher table
(one solve of 6 C3 x 4 |DLA| targets per launcher) and the exact solve of the finalists.

``--flagship``: ``jointmission run scenarios/joint_heavy_lift.yaml`` in a fresh process after
importing the package and every library the run uses (the ``flagship`` workload of
``bench_payload.py``; each revision runs its own copy of the scenario), the working tree against
``--baseline`` in alternated child processes (one
unrecorded warm-up child per revision first: a freshly extracted tree compiles its numba kernels
on first use), CPU time of the run -- its figure worker processes included (``workers``) -- and
its wall time; with the CPU time of its sections in the main process (transfer, mission, files and
report) and the Mars transfer choice inside the mission section; inside the files section, the
rendering of the figures (``savefig``) and the payload-curve solves of the payload-curve figure
(where they are drawn in the main process). ``--worker-ab``: the working tree against itself with
its figure worker off (``JOINTMISSION_FIGURE_WORKER=0``); ``--realtime``: the children under
``SCHED_FIFO`` (root only; the run's worker processes inherit it), where they never wait for a core:
their wall time is that of an idle two-core machine (CPU caches still shared with the others).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ["scenarios/joint_heavy_lift.yaml", "scenarios/mars/joint_heavy_mars_cargo.yaml"]
BASELINE = "0c81a3b"  # before the coarser launcher table, the porkchop array engine and porkchop_grid

FLAGSHIP = textwrap.dedent(r'''
import contextlib, functools, io, json, os, sys, tempfile, time, warnings
warnings.simplefilter("ignore")
import jointmission, jointmission.cli.main as cli_main
# every library the run uses, imported before the clock starts
import numpy, scipy, pandas, pyarrow, xarray, matplotlib, matplotlib.pyplot, yaml, pydantic, astropy.units, rich
from jointmission.cli import main
import jointmission.report.folder as F
import jointmission.runners.mars_choice as MC
import jointmission.runners.mission as M
import jointmission.runners.transfer as T
parts = {}
def timed(mod, name, key):
    f = getattr(mod, name)
    @functools.wraps(f)
    def g(*a, **k):
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            parts[key] = parts.get(key, 0.0) + time.process_time() - t
    setattr(mod, name, g)
timed(T, "evaluate_transfer", "transfer_s")
timed(M, "evaluate_mission", "mission_s")
timed(MC, "most_landed_transfers", "mars_choice_s")
timed(F, "write_results", "files_s")
import matplotlib.figure, jointmission.report.run_plots as RP
timed(matplotlib.figure.Figure, "savefig", "savefig_s")  # every report figure is rendered by savefig
timed(RP, "payload_curves", "curves_s")  # the payload-curve solves of the payload-curve figure
out = tempfile.mkdtemp()
c0, w0 = os.times(), time.perf_counter()
t0 = time.process_time()
with contextlib.redirect_stdout(io.StringIO()) as text:
    code = main(["run", "scenarios/joint_heavy_lift.yaml", "-o", os.path.join(out, "run")])
cpu = time.process_time() - t0
wall = time.perf_counter() - w0
c1 = os.times()  # CPU of the run's worker processes (reaped by the run) too
workers = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
if code != 0:
    sys.exit(f"jointmission run exited {code}: {text.getvalue()[-1500:]}")
print(json.dumps({"cpu_s": cpu + workers, "wall_s": wall, "workers_s": workers, "load": os.getloadavg()[0], **parts}))
''')


def _scenario(rel: str, objective: str, tmp: Path):
    from jointmission.scenario import load_scenario

    raw = copy.deepcopy(yaml.safe_load((ROOT / rel).read_text()))
    raw["mission"].setdefault("mars", {})["objective"] = objective
    p = tmp / f"{Path(rel).stem}_{objective}.yaml"
    p.write_text(yaml.safe_dump(raw))
    return load_scenario(p)


def _cpu(sc) -> float:
    from jointmission.runners.mission import evaluate_mission

    t = time.process_time()
    evaluate_mission(sc)
    return time.process_time() - t


def objectives(rounds: int) -> None:
    """most_landed against least_c3, mission section only, in this process."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for rel in SCENARIOS:
            scs = {o: _scenario(rel, o, tmp) for o in ("least_c3", "most_landed")}
            for sc in scs.values():
                _cpu(sc)  # warm-up
            best = {o: min(_cpu(sc) for _ in range(rounds)) for o, sc in scs.items()}
            a, b = best["least_c3"], best["most_landed"]
            print(f"{rel}: least_c3 {a:.2f} s CPU, most_landed {b:.2f} s CPU, +{b - a:.2f} s, ratio {b / a:.2f}")


def _realtime() -> None:  # pragma: no cover - runs in the child between fork and exec
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))


def flagship(baseline: str, rounds: int, worker_ab: bool = False, realtime: bool = False) -> None:
    """The flagship run, working tree against ``baseline``, alternated fresh processes.
    ``worker_ab``: the working tree against itself with its figure worker off
    (``JOINTMISSION_FIGURE_WORKER=0``) as the baseline. ``realtime``: the children (and the run's
    worker processes, which inherit it) under ``SCHED_FIFO`` (root only): they never wait for a
    core, so their wall time is the idle machine's."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_revisions import alternate, extract, median_of

    def run(k: str, src: Path) -> dict:
        env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1"}
        if worker_ab and k == "b":
            env["JOINTMISSION_FIGURE_WORKER"] = "0"
        # each revision runs its own scenarios/ (the baseline's extracted beside its src/)
        out = subprocess.run([sys.executable, "-c", FLAGSHIP], env=env, capture_output=True, text=True,
                             cwd=str(src.parent), preexec_fn=_realtime if realtime else None)
        if out.returncode != 0:
            raise RuntimeError(f"flagship @ {src}: {out.stderr[-2000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    what = "the working tree with its figure worker off" if worker_ab else baseline
    print(f"load average {os.getloadavg()[0]:.2f}; flagship run after import, CPU s; baseline {what}, "
          f"{rounds} alternated rounds (+ one warm-up child each)" + ("; children under SCHED_FIFO" if realtime else ""))
    with tempfile.TemporaryDirectory() as tmp:
        base = ROOT / "src" if worker_ab else extract(baseline, Path(tmp))
        rep = alternate(base, ROOT / "src", rounds, run, warmup=True)
    keys = ("cpu_s", "wall_s", "workers_s", "transfer_s", "mission_s", "mars_choice_s", "files_s", "savefig_s",
            "curves_s")
    print(f"{'':9s} " + " ".join(f"{k[:-2]:>12s}" for k in keys))
    for k, name in (("b", "baseline"), ("c", "current")):
        print(f"{name:9s} " + " ".join(f"{median_of(rep[k], key):12.3f}" if all(key in r for r in rep[k])
                                       else f"{'-':>12s}" for key in keys))
    print(f"current / baseline CPU (whole run) {rep['ratio']:.3f}; per round "
          f"{', '.join(f'{x:.3f}' for x in rep['ratios'])}; target < 3 s: "
          f"{'PASS' if median_of(rep['c'], 'cpu_s') < 3.0 else 'MISS'} ({median_of(rep['c'], 'cpu_s'):.2f} s CPU)")
    if all("wall_s" in r for r in rep["b"] + rep["c"]):
        wb, wc = median_of(rep["b"], "wall_s"), median_of(rep["c"], "wall_s")
        print(f"wall: baseline {wb:.2f} s, current {wc:.2f} s ({wc / wb:.3f}); target < 3 s wall: "
              f"{'PASS' if wc < 3.0 else 'MISS'}; load average now {os.getloadavg()[0]:.2f}")
        for k, name in (("b", "baseline"), ("c", "current")):
            print(f"  {name} per round: wall " + ", ".join(f"{r['wall_s']:.2f}" for r in rep[k]) + "; CPU "
                  + ", ".join(f"{r['cpu_s']:.2f}" for r in rep[k]) + "; load "
                  + ", ".join(f"{r.get('load', float('nan')):.1f}" for r in rep[k]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--flagship", action="store_true", help="the flagship run against --baseline instead")
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--worker-ab", action="store_true",
                    help="with --flagship: the working tree against itself with its figure worker off")
    ap.add_argument("--realtime", action="store_true",
                    help="with --flagship: children under SCHED_FIFO (root): the idle machine's wall time")
    args = ap.parse_args()
    if args.flagship:
        flagship(args.baseline, args.rounds, args.worker_ab, args.realtime)
    else:
        objectives(args.rounds)


if __name__ == "__main__":
    main()
