"""Benchmark: start-up of the command line and of the library, each in a fresh process.

Run:  python benchmarks/bench_cli.py [--rounds 7] [--baseline REV] [--only payload help ...]

Workloads (each a whole fresh process, interpreter start to exit, bytecode cache on as in an
installed package):

* ``payload`` -- ``jointmission payload "Saturn V" --orbit 185`` (one answer, printed as a table);
* ``help`` -- ``jointmission --help``;
* ``curve`` -- ``jointmission payload "Saturn V" --c3 -2:100:2 -o DIR`` (a 52-point curve, its table,
  CSV and PNG figure);
* ``porkchop`` -- ``jointmission porkchop --from earth --to mars --depart 2026-09-01:2027-01-31 --arrive
  2027-06-01:2028-03-01 --step 2d --no-write`` (a 77 x 138 grid, its optima printed);
* ``import`` -- ``python -c "import jointmission"`` (what a notebook pays first);
* ``numpy`` -- ``python -c "import numpy"``: the reference every round measures too, so that the
  ratio workload / numpy means the same on a busy and on a quiet machine.

Every round runs each workload once per tree (the working tree's ``src`` and, with ``--baseline``,
that git revision's ``src`` extracted by ``git archive``), alternating which goes first. Per run:
wall time, CPU time (user + system, all threads) and the **run delay** of the main thread (time it
was ready to run but waiting for a core, from ``/proc/PID/schedstat`` read before the child is
reaped). ``wall - run delay`` is the wall time the process takes on an idle core: on a shared
machine at load 5 the wall time of a 0.4 s process is mostly the queue for a core, which this
removes (it keeps waits for the disk, and the slower caches of a busy machine). ``--realtime``
runs the children under ``SCHED_FIFO`` (root only), where they never wait for a core: their wall
time is the idle-core wall time measured directly. Printed: the median over rounds of each, the
median per-round ratio to ``numpy`` (CPU) and to the baseline (CPU).

The target of the payload command: under 0.5 s wall including start-up.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_PAYLOAD_S = 0.5

WORKLOADS: dict[str, list[str]] = {
    "numpy": ["-c", "import numpy"],
    "import": ["-c", "import jointmission"],
    "help": ["-m", "jointmission", "--help"],
    "payload": ["-m", "jointmission", "payload", "Saturn V", "--orbit", "185"],
    "curve": ["-m", "jointmission", "payload", "Saturn V", "--c3", "-2:100:2", "-o", "{tmp}"],
    "porkchop": ["-m", "jointmission", "porkchop", "--from", "earth", "--to", "mars", "--depart",
                 "2026-09-01:2027-01-31", "--arrive", "2027-06-01:2028-03-01", "--step", "2d", "--no-write"],
}


def _realtime() -> None:  # pragma: no cover - runs in the child between fork and exec
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))


def run_once(args: list[str], src: Path, tmp: Path, realtime: bool = False) -> dict:
    """One fresh child process: ``{"wall_s", "cpu_s", "delay_s", "idle_wall_s"}``; raises on a failure.
    ``realtime``: the child runs under ``SCHED_FIFO`` (needs the privilege), so it never waits for a core."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    argv = [sys.executable, *[a.format(tmp=tmp / "curve") for a in args]]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    p = subprocess.Popen(argv, env=env, cwd=str(tmp), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         preexec_fn=_realtime if realtime else None)
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)  # exited, not reaped: its /proc entry remains
    w1 = time.perf_counter()
    try:
        on_cpu_ns, delay_ns, _ = (int(x) for x in Path(f"/proc/{p.pid}/schedstat").read_text().split())
    except OSError:  # no schedstat (not Linux): no run delay known
        delay_ns = 0
    err = p.stderr.read()
    p.wait()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} (PYTHONPATH={src}) exited {p.returncode}: {err[-2000:]!r}")
    wall = w1 - w0
    return {"wall_s": wall, "cpu_s": r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime,
            "delay_s": delay_ns / 1e9, "idle_wall_s": wall - delay_ns / 1e9}


def extract(rev: str, dest: Path) -> Path:
    """The ``src`` tree of git revision ``rev`` (with ``scenarios/``), extracted into ``dest``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_revisions as br

    return br.extract(rev, dest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--baseline", default=None, help="git revision to compare with (alternated A/B)")
    ap.add_argument("--realtime", action="store_true",
                    help="run the children under SCHED_FIFO (root): their wall time is then the idle-core wall "
                         "time, measured directly (a check of wall - run delay)")
    ap.add_argument("--only", nargs="*", default=["payload", "help", "import", "curve", "porkchop"], choices=list(WORKLOADS))
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        trees = {"current": ROOT / "src"}
        if a.baseline:
            trees["baseline"] = extract(a.baseline, tmp / "baseline")
        work = [w for w in a.only if w != "numpy"]
        for name, src in trees.items():  # warm-up: bytecode caches, the native kernel library
            for w in work:
                run_once(WORKLOADS[w], src, tmp, a.realtime)
        res: dict = {(w, t): [] for w in work for t in trees}
        ref: list[dict] = []
        for r in range(a.rounds):
            ref.append(run_once(WORKLOADS["numpy"], trees["current"], tmp, a.realtime))
            for w in work:
                order = list(trees.items()) if r % 2 == 0 else list(reversed(trees.items()))
                for name, src in order:
                    res[w, name].append(run_once(WORKLOADS[w], src, tmp, a.realtime))
        load_end = os.getloadavg()[0]

    def med(reps: list[dict], key: str) -> float:
        return statistics.median(x[key] for x in reps)

    print(f"{a.rounds} rounds, median per round; load average {load_end:.2f} at the end"
          + ("; children under SCHED_FIFO" if a.realtime else ""))
    print(f"{'workload':10s} {'tree':9s} {'wall s':>7s} {'CPU s':>7s} {'delay s':>8s} {'idle wall s':>12s} "
          f"{'CPU / numpy':>12s}" + ("  CPU / baseline" if a.baseline else ""))
    print(f"{'numpy':10s} {'':9s} {med(ref, 'wall_s'):7.3f} {med(ref, 'cpu_s'):7.3f} {med(ref, 'delay_s'):8.3f} "
          f"{med(ref, 'idle_wall_s'):12.3f} {1.0:12.2f}")
    for w in work:
        for name in trees:
            reps = res[w, name]
            to_np = statistics.median(x["cpu_s"] / n["cpu_s"] for x, n in zip(reps, ref))
            line = (f"{w:10s} {name:9s} {med(reps, 'wall_s'):7.3f} {med(reps, 'cpu_s'):7.3f} "
                    f"{med(reps, 'delay_s'):8.3f} {med(reps, 'idle_wall_s'):12.3f} {to_np:12.2f}")
            if a.baseline and name == "current":
                ratios = [c["cpu_s"] / b["cpu_s"] for c, b in zip(reps, res[w, "baseline"])]
                line += f"  {statistics.median(ratios):.3f} ({min(ratios):.2f}-{max(ratios):.2f})"
            print(line)
    if "payload" in work:
        idle = med(res["payload", "current"], "idle_wall_s")
        print(f"target: payload \"Saturn V\" --orbit 185 under {TARGET_PAYLOAD_S} s wall: "
              f"{'PASS' if idle < TARGET_PAYLOAD_S else 'MISS'} ({idle:.3f} s on an idle core, "
              f"{med(res['payload', 'current'], 'wall_s'):.3f} s wall at this load)")


if __name__ == "__main__":
    main()
