"""Benchmark: payload answers -- one answer, a 50-point curve, the command line -- against an earlier revision.

Run:  python benchmarks/bench_payload.py                       # baseline 87418e1 (numpy ascent march)
      python benchmarks/bench_payload.py --baseline HEAD~3 --rounds 5
      python benchmarks/bench_payload.py --only single curve --pykep /path/to/site-packages

The baseline's ``src/`` is extracted with ``git archive`` (:func:`bench_revisions.extract`). Each
round runs every workload once per revision in fresh child processes (``PYTHONPATH`` = that
revision's ``src``), alternating which one goes first; a child reports **CPU time**
(``time.process_time``) of the workload only, after its imports and one warm-up answer. The table
gives the median over rounds per revision and the median of the per-round ratios
``current / baseline`` (below 1 is faster), and the largest relative difference between the two
revisions' payloads (the same question asked of both; a model change between them shows here).

Workloads (vehicle: Saturn V, the catalog's reference vehicle; ``--vehicle`` to change):

* ``single`` -- ``payload_to_orbit(v, 185 km)``, warm: median of ``--repeats`` (100) answers
  (the baseline, ~1 s per answer, is timed on ``--baseline-repeats`` (5)).
* ``single_c3`` -- ``payload_to_c3(v, C3 = 10 km2/s2)``, warm, as ``single``.
* ``curve`` -- ``payload_to_c3(v, c3)`` over 50 C3 values from -2 to 100 km2/s2 in one call
  (the solver broadcasts over targets), warm, best of 3.
* ``curve_orbit`` -- ``payload_to_orbit(v, h)`` over 50 circular altitudes from 200 to 2000 km in one
  call, warm, best of 3 (where the top stage's load is chosen, every point of Saturn V's curve is
  partly loaded).
* ``curve_wall``, ``curve_orbit_wall`` -- the two curves in **wall time** (best of 3): the current
  tree runs the cases' trajectory searches on two threads (``JOINTMISSION_THREADS``), so its wall
  time is what a user waits for; CPU time counts both threads. On a machine whose other core is
  busy this approaches the CPU time.
* ``first`` -- a fresh process: import, then the first ``payload_to_orbit`` answer (CPU time of the
  whole process: imports, loading the compiled kernel from numba's cache, the answer).
* ``cli`` -- CPU time (user + system) of ``python -m jointmission.cli payload "Saturn V" --orbit 185``,
  the whole process, median of 5 fresh processes per round (start-up included: the interpreter,
  imports, loading the compiled kernel, the answer, the table); ``cli_wall``: the same, **wall
  time** from process start to exit (on a busy machine this waits for a core).
* ``flagship`` -- ``jointmission run scenarios/joint_heavy_lift.yaml`` in-process after importing
  the package and every library the run uses: CPU time of the run only, its figure worker
  processes included (not in the default set: ~10 s per child).

Children run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` removed from their
environment), as an installed package runs: without it every process compiles the package's ~70
modules from source (~0.2 s of a command-line start-up that no user pays). The current tree loads
its compiled kernels from the native library (``core/_native.py``) where one can be built;
``--numba-only`` runs its children with ``JOINTMISSION_NATIVE=0`` (numba's dispatcher, as the
baseline) to separate the two.

``--top-load optimal`` (or a fraction): the current tree's children answer with
``top_load=...`` (the top stage's load chosen by the payload solve), the baseline's with the full
load; with ``--baseline HEAD`` the ratio is the option's cost over a full-load answer of the same
code, and ``max |dp|/p`` its payload gain.

``--pykep DIR``: pykep's launcher tables (``pykep.trajopt.launchers``, tabulated user's-guide
escape performance) as a peer for the curve values where the catalog has the same launcher
(Falcon 9, Atlas V 551, Ariane 64). Only the tables' module (``trajopt/_launchers.py``, numpy and
SciPy) is loaded, so ``pip install --no-deps --target DIR pykep`` is enough.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_revisions import ROOT, alternate, extract, median_of  # noqa: E402  (one A/B loop, one extraction)

DEFAULT_BASELINE = "87418e1"  # last revision with the numpy ascent march
C3_CURVE_KM2_S2 = [-2.0 + 102.0 * i / 49 for i in range(50)]

WORKER = textwrap.dedent(r'''
import json, os, statistics, sys, time, warnings
warnings.simplefilter("ignore")
which, repeats, vehicle = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t_start = time.process_time()
import numpy as np
from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit
v = get_vehicle(vehicle)
tl = os.environ.get("JM_TOP_LOAD")
kw = {} if tl is None else {"top_load": tl if tl == "optimal" else float(tl)}
if which == "first":
    r = payload_to_orbit(v, 185e3)
    print(json.dumps({"cpu_s": time.process_time() - t_start, "payload": [float(r.payload_kg)]}))
    sys.exit(0)
wall = which.endswith("_wall")
which = which.removesuffix("_wall")
clock = time.perf_counter if wall else time.process_time
solve = {
    "single": lambda: payload_to_orbit(v, 185e3, **kw),
    "single_c3": lambda: payload_to_c3(v, 10e6, **kw),
    "curve": lambda: payload_to_c3(v, np.array(json.loads(os.environ["JM_C3"])) * 1e6, **kw),
    "curve_orbit": lambda: payload_to_orbit(v, np.linspace(200e3, 2000e3, 50), **kw),
}[which]
payload_to_orbit(v, 185e3)  # warm-up: the compiled kernel loaded, caches filled
solve()
times = []
for _ in range(repeats):
    t0 = clock()
    r = solve()
    times.append(clock() - t0)
cpu = min(times) if which.startswith("curve") else statistics.median(times)
print(json.dumps({"cpu_s": cpu, "payload": np.atleast_1d(r.payload_kg).tolist()}))
''')

FLAGSHIP = textwrap.dedent(r'''
import json, sys, tempfile, time, warnings, os
warnings.simplefilter("ignore")
import contextlib, io
import jointmission, jointmission.cli.main as cli_main
# every library the run uses, imported before the clock starts
import numpy, scipy, pandas, pyarrow, xarray, matplotlib, matplotlib.pyplot, yaml, pydantic, astropy.units, rich
from jointmission.cli import main
out = tempfile.mkdtemp()
c0 = os.times()
t0 = time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    main(["run", "scenarios/joint_heavy_lift.yaml", "-o", os.path.join(out, "run")])
c1 = os.times()  # + the CPU of the run's figure worker processes (reaped by the run)
workers = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
print(json.dumps({"cpu_s": time.process_time() - t0 + workers, "payload": []}))
''')


NUMBA_ONLY = False  # --numba-only: the current tree's children without the native library
TOP_LOAD = None  # --top-load: the current tree's children answer with top_load=TOP_LOAD


def child(src: Path, which: str, repeats: int, vehicle: str) -> dict:
    """Run one workload in a fresh process on the ``src`` tree; returns its JSON report."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"PYTHONPATH": str(src), "OMP_NUM_THREADS": "1", "JM_C3": json.dumps(C3_CURVE_KM2_S2)})
    if NUMBA_ONLY and src == ROOT / "src":
        env["JOINTMISSION_NATIVE"] = "0"
    if TOP_LOAD is not None and src == ROOT / "src":
        env["JM_TOP_LOAD"] = TOP_LOAD
    if which in ("cli", "cli_wall"):
        walls, cpus = [], []
        for _ in range(repeats):
            r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "jointmission.cli", "payload", vehicle, "--orbit", "185"],
                                 env=env, capture_output=True, text=True, cwd=str(ROOT))
            walls.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
            if out.returncode != 0:
                raise RuntimeError(f"cli @ {src}: {out.stderr[-2000:]}")
        return {"cpu_s": statistics.median(walls if which == "cli_wall" else cpus), "payload": []}
    code = FLAGSHIP if which == "flagship" else WORKER
    out = subprocess.run([sys.executable, "-c", code, which, str(repeats), vehicle], env=env, capture_output=True,
                         text=True, cwd=str(ROOT))
    if out.returncode != 0:
        raise RuntimeError(f"{which} @ {src}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _max_rel_diff(a: list, b: list) -> float:
    pairs = [(x, y) for x, y in zip(a, b) if x == x and y == y]
    return max((abs(x - y) / max(abs(y), 1.0) for x, y in pairs), default=float("nan"))


def pykep_peer(pykep_dir: str, vehicle_names: list[str]) -> None:
    """Compare the model's C3 curve with pykep's launcher tables for the launchers both know."""
    path = Path(pykep_dir) / "pykep" / "trajopt" / "_launchers.py"
    if not path.is_file():
        print(f"pykep peer: no {path} (install with: pip install --no-deps --target DIR pykep)")
        return
    spec = importlib.util.spec_from_file_location("pykep_launchers", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    tables = mod._launchers()
    import numpy as np

    from jointmission.vehicles import get_vehicle, payload_to_c3

    peers = {"falcon 9": lambda vinf: tables.falcon9(vinf), "atlas v 551": lambda vinf: tables.atlas551(vinf),
             "ariane 64": lambda vinf: tables.ariane64(vinf, 0.0)}
    c3 = np.array([1.0, 5.0, 10.0, 15.0, 20.0, 30.0])  # km2/s2, inside every pykep table
    found = False
    for name in vehicle_names:
        key = name.lower()
        if key not in peers:
            continue
        found = True
        t0 = time.process_time()
        pk = np.array([float(np.squeeze(peers[key](np.sqrt(x)))) for x in c3])
        t_pk = (time.process_time() - t0) / c3.size
        t0 = time.process_time()
        ours = payload_to_c3(get_vehicle(name), c3 * 1e6).payload_kg
        t_ours = time.process_time() - t0
        print(f"pykep peer {name!r}: C3 {c3.tolist()} km2/s2")
        print(f"  pykep table  kg: {np.round(pk).tolist()}  ({t_pk * 1e6:.0f} us per point, interpolation)")
        print(f"  this model   kg: {np.round(ours).tolist()}  ({t_ours * 1e3:.1f} ms for the {c3.size} points)")
        print(f"  model / pykep  : {np.round(ours / pk, 3).tolist()}")
    if not found:
        print("pykep peer: no launcher of pykep's tables (Falcon 9, Atlas V 551, Ariane 64) in this catalog")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision to compare against")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=100, help="answers per child for the single-answer medians")
    ap.add_argument("--baseline-repeats", type=int, default=5)
    ap.add_argument("--vehicle", default="Saturn V")
    ap.add_argument("--only", nargs="*", default=["single", "single_c3", "curve", "curve_orbit", "curve_wall",
                                                  "curve_orbit_wall", "first", "cli",
                                                  "cli_wall"])
    ap.add_argument("--pykep", help="a folder holding the pykep package (for the peer comparison)")
    ap.add_argument("--numba-only", action="store_true",
                    help="run the current tree without its native kernel library (JOINTMISSION_NATIVE=0)")
    ap.add_argument("--top-load", help="the current tree answers with top_load=THIS ('optimal' or a fraction)")
    args = ap.parse_args()
    global NUMBA_ONLY, TOP_LOAD
    NUMBA_ONLY, TOP_LOAD = args.numba_only, args.top_load
    with tempfile.TemporaryDirectory() as tmp:
        base_src = extract(args.baseline, Path(tmp))
        cur_src = ROOT / "src"
        print(f"{args.vehicle}: baseline {args.baseline} vs working tree"
              f"{' (numba only)' if NUMBA_ONLY else ''}; {args.rounds} rounds alternated; "
              f"python {sys.version.split()[0]}; CPU time unless noted")
        print(f"{'workload':<16} {'baseline':>10} {'current':>10} {'cur/base':>9}  {'max |dp|/p':>10}  (per-round ratios)")
        for which in args.only:
            reps = {"single": (args.baseline_repeats, args.repeats), "single_c3": (args.baseline_repeats, args.repeats),
                    "curve": (3, 3), "curve_orbit": (3, 3), "curve_wall": (3, 3), "curve_orbit_wall": (3, 3),
                    "cli": (5, 5), "cli_wall": (5, 5)}.get(which, (1, 1))
            rep = alternate(base_src, cur_src, args.rounds,
                            lambda k, src: child(src, which, reps[0] if k == "b" else reps[1], args.vehicle))
            tb, tc = median_of(rep["b"], "cpu_s"), median_of(rep["c"], "cpu_s")
            diff = _max_rel_diff(rep["c"][-1]["payload"], rep["b"][-1]["payload"])
            fmt = (lambda x: f"{x * 1e3:8.1f}ms") if tc < 1 else (lambda x: f"{x:8.3f} s")
            print(f"{which:<16} {fmt(tb):>10} {fmt(tc):>10} {rep['ratio']:>9.4f}  {diff:>10.2e}  "
                  f"({', '.join(f'{x:.4f}' for x in rep['ratios'])})" + ("  [wall]" if which.endswith("_wall") else ""),
                  flush=True)
    if args.pykep:
        sys.path.insert(0, str(ROOT / "src"))
        from jointmission.vehicles.catalog import vehicle_names

        pykep_peer(args.pykep, vehicle_names())


if __name__ == "__main__":
    main()
