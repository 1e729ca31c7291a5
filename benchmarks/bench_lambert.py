"""Benchmark: vectorized Lambert solves (``jointmission.core.lambert``) vs peer implementations.

Run:  python benchmarks/bench_lambert.py [--n 1000000] [--loop-n 20000] [--api-n 2000]
                                         [--repeats 3] [--poliastro] [--no-pykep]
                                         [--baseline 87418e1] [--rounds 3] [--no-baseline]

Everything is measured in this one run on the same random problems (heliocentric, Earth-to-Mars
like: |r1| ~ 1 AU, |r2| 1.38-1.67 AU, any transfer angle, ecliptic inclination up to 2 deg,
tof 80-500 days, M = 0, prograde: the porkchop workload). Rows, best of ``--repeats``:

* ours, 1 thread    -- one ``lambert(...)`` call over ``n`` problems (blocks of 32768), default engine;
* ours, compiled / array solver -- the same with ``engine="compiled"`` / ``engine="numpy"``;
* ours, 2 threads   -- the same with ``workers=2`` (numpy releases the GIL in its loops);
* ours, multi-rev   -- ``n`` problems with M = 0..3, both branches (informative);
* ours, one problem -- latency of one ``lambert(...)`` call (warm; median CPU time of 20 groups
                       of calls), beside the array solver (``engine="numpy"``, the previous
                       implementation) in this process;
* fresh process     -- 1e6 problems (a 1000 x 1000 porkchop's worth) as the first solve of a new
                       process (compiled code and memory loaded on the way), and the one-problem
                       latency, against the previous implementation (``--baseline``, a git
                       revision) alternated A/B in fresh child processes
                       (``bench_revisions.compare``; ratios of CPU time, current / baseline);
* boinor API        -- ``boinor.iod.izzo.lambert`` (poliastro's public API, astropy units) in a
                       Python loop over the first ``--api-n`` problems;
* boinor core       -- ``boinor.core.iod.izzo`` (numba) in a Python loop, ``--loop-n`` problems,
                       after one warm-up call (compile time printed separately);
* lamberthub        -- ``lamberthub.izzo2015`` (numba) in a loop, same problems;
* pykep             -- ``pykep.lambert_problem`` (C++) in a loop: in this process if pykep is
                       importable, else in a subprocess of the venv ~/.cache/jointmission-peers/
                       pykep if it exists (created by ``--install-pykep``: pip install pykep and
                       the four missing ``trajopt/gym/tops/_tops_*.json`` files as ``{}``);
* poliastro 0.17    -- only with ``--poliastro``: a venv under ~/.cache/jointmission-peers with
                       numpy<2, astropy<6, numba<0.61, scipy and poliastro 0.17.0
                       (``--no-deps --ignore-requires-python``), timed in a subprocess on the
                       same problems (public API and numba core).

A peer that cannot be imported or installed is skipped with the reason printed. For every peer
the maximum relative difference of its v1 from ours is printed. Also printed: the traced peak
memory of one 1e6-problem solve (tracemalloc; numpy reports its buffers to it).

Targets: <= 1.0 us/solve on one core, <= 0.6 us/solve with both cores; one problem under 50 us.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from jointmission.core.lambert import LambertStatus, lambert

MU_SUN = 1.32712440018e20  # m^3/s^2
AU = 1.495978707e11  # m
DAY = 86400.0
PEERS_DIR = Path.home() / ".cache" / "jointmission-peers"
TARGET_1, TARGET_2 = 1.0, 0.6  # us per solve
TARGET_ONE = 50.0  # us for one problem
BASELINE = "87418e1"  # before the compiled Lambert loop


def problems(n: int, seed: int = 2026):
    """Earth-to-Mars-like M = 0 problems [m, s]."""
    rng = np.random.default_rng(seed)
    a1 = rng.uniform(0.983, 1.017, n) * AU
    a2 = rng.uniform(1.381, 1.666, n) * AU
    th1 = rng.uniform(0, 2 * np.pi, n)
    th2 = th1 + rng.uniform(0.15, 2 * np.pi - 0.15, n)  # any angle away from 0/360 deg
    inc = np.deg2rad(rng.uniform(-2.0, 2.0, n))
    r1 = np.stack([a1 * np.cos(th1), a1 * np.sin(th1), np.zeros(n)], axis=-1)
    r2 = np.stack([a2 * np.cos(th2) * np.cos(inc), a2 * np.sin(th2) * np.cos(inc), a2 * np.sin(inc)], axis=-1)
    tof = rng.uniform(80.0, 500.0, n) * DAY
    return r1, r2, tof


def one_problem_us(r1, r2, tof, engine, calls=2000):
    """Median CPU time of one ``lambert`` call [us] over 20 groups of ``calls / 20`` calls (warm)."""
    lambert(MU_SUN, r1, r2, tof, engine=engine)
    per = []
    for _ in range(20):
        t0 = time.process_time()
        for _ in range(calls // 20):
            lambert(MU_SUN, r1, r2, tof, engine=engine)
        per.append((time.process_time() - t0) / (calls // 20) * 1e6)
    return float(np.median(per))


def fresh_rows(baseline: str, rounds: int) -> None:
    """1e6 problems in a fresh process and the one-problem latency, current vs ``baseline`` (A/B)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_revisions as br

    r = br.compare(baseline, ["lambert_fresh", "lambert_one"], rounds, repeats=1, calls=2000)
    f, m = r["lambert_fresh"], br.median_of
    print(f"fresh process, 1e6 problems, 1 thread, first solve (median of {rounds} alternated rounds; "
          f"baseline {baseline}):")
    for k, name in (("c", "current "), ("b", "baseline")):
        print(f"  {name}: {m(f[k], 'wall_s'):6.3f} s wall, {m(f[k], 'cpu_s'):6.3f} s CPU, "
              f"{m(f[k], 'minflt'):9,.0f} page faults; repeated warm {m(f[k], 'warm_cpu_s'):6.3f} s CPU")
    print(f"  current / baseline CPU {f['ratio']:.3f}")
    o = r["lambert_one"]
    us = m(o["c"], "cpu_s") * 1e6
    print(f"one problem (warm, median): {us:7.1f} us CPU; baseline {m(o['b'], 'cpu_s') * 1e6:7.1f} us; "
          f"ratio {o['ratio']:.3f}; target under {TARGET_ONE:.0f} us: {'PASS' if us < TARGET_ONE else 'MISS'}")


def best_of(fn, repeats):
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def rel_diff(v, ref):
    ok = np.isfinite(v).all(-1) & np.isfinite(ref).all(-1)
    if not ok.any():
        return float("nan")
    return float(np.max(np.linalg.norm(v[ok] - ref[ok], axis=-1) / np.linalg.norm(ref[ok], axis=-1)))


# --------------------------------------------------------------------------------------------
# peers in this process
# --------------------------------------------------------------------------------------------


def run_boinor_api(r1, r2, tof):
    from astropy import units as u
    from boinor.iod.izzo import lambert as api

    k = MU_SUN * u.m**3 / u.s**2
    R1 = [x * u.m for x in r1]
    R2 = [x * u.m for x in r2]
    T = [t * u.s for t in tof]
    api(k, R1[0], R2[0], T[0])  # warm-up (numba compile)
    out = np.empty((len(T), 3))
    t0 = time.perf_counter()
    for i in range(len(T)):
        v1, _ = api(k, R1[i], R2[i], T[i])
        out[i] = v1.to_value(u.m / u.s)
    return time.perf_counter() - t0, out


def run_numba_loop(fn, r1, r2, tof, **kw):
    R1, R2, T = list(r1), list(r2), [float(t) for t in tof]
    t0 = time.perf_counter()
    fn(MU_SUN, R1[0], R2[0], T[0], **kw)
    compile_s = time.perf_counter() - t0
    out = np.empty((len(T), 3))
    t0 = time.perf_counter()
    for i in range(len(T)):
        out[i] = fn(MU_SUN, R1[i], R2[i], T[i], **kw)[0]
    return time.perf_counter() - t0, out, compile_s


PYKEP_LOOP = r"""
import sys, time
import numpy as np
import pykep as pk
d = np.load(sys.argv[1])
R1, R2, T = d["r1"].tolist(), d["r2"].tolist(), d["tof"].tolist()
mu = float(d["mu"])
out = np.empty((len(T), 3))
pk.lambert_problem(r0=R1[0], r1=R2[0], tof=T[0], mu=mu, cw=False, multi_revs=0)
t0 = time.perf_counter()
for i in range(len(T)):
    out[i] = pk.lambert_problem(r0=R1[i], r1=R2[i], tof=T[i], mu=mu, cw=False, multi_revs=0).v0[0]
dt = time.perf_counter() - t0
np.savez(sys.argv[2], v1=out, seconds=dt, version=pk.__version__)
"""

POLIASTRO_LOOP = r"""
import sys, time
import numpy as np
from astropy import units as u
from poliastro.core.iod import izzo as core
from poliastro.iod.izzo import lambert as api
import poliastro
d = np.load(sys.argv[1])
r1, r2, tof, mu = d["r1"], d["r2"], d["tof"], float(d["mu"])
n_api = int(sys.argv[3])
k = mu * u.m**3 / u.s**2
R1 = [x * u.m for x in r1[:n_api]]; R2 = [x * u.m for x in r2[:n_api]]; T = [t * u.s for t in tof[:n_api]]
t0 = time.perf_counter(); api(k, R1[0], R2[0], T[0]); compile_s = time.perf_counter() - t0
out_api = np.empty((n_api, 3))
t0 = time.perf_counter()
for i in range(n_api):
    v1, _ = api(k, R1[i], R2[i], T[i])
    out_api[i] = v1.to_value(u.m / u.s)
api_s = time.perf_counter() - t0
L1, L2, LT = list(r1), list(r2), [float(t) for t in tof]
out = np.empty((len(LT), 3))
t0 = time.perf_counter()
for i in range(len(LT)):
    out[i] = core(mu, L1[i], L2[i], LT[i], 0, True, True, 35, 1e-8)[0]
core_s = time.perf_counter() - t0
np.savez(sys.argv[2], v1_api=out_api, api_s=api_s, v1=out, core_s=core_s, compile_s=compile_s,
         version=poliastro.__version__)
"""


def pykep_python():
    """Python of a venv where pykep imports, or None with the reason."""
    try:
        import pykep  # noqa: F401

        return sys.executable, None
    except Exception as exc:  # noqa: BLE001 - any import failure means "not here"
        reason = f"not importable here ({type(exc).__name__}: {exc})"
    py = PEERS_DIR / "pykep" / "bin" / "python"
    if py.exists():
        return str(py), None
    return None, reason + f"; no venv at {py.parent.parent} (create it with --install-pykep)"


def install_pykep():
    venv = PEERS_DIR / "pykep"
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pykep"], capture_output=True, text=True)
    if r.returncode:
        return f"pip install pykep failed: {r.stderr.strip().splitlines()[-1:]}"
    site = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    tops = Path(site) / "pykep" / "trajopt" / "gym" / "tops"
    tops.mkdir(parents=True, exist_ok=True)
    for name in ("cr3bp", "twobody", "ss", "mee"):  # missing from the 3.0.1 wheel
        f = tops / f"_tops_{name}.json"
        if not f.exists():
            f.write_text("{}")
    return None


def install_poliastro():
    venv = PEERS_DIR / "poliastro"
    py = venv / "bin" / "python"
    if py.exists():
        return str(py), None
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = str(venv / "bin" / "pip")
    steps = [
        [pip, "install", "-q", "numpy<2", "astropy<6", "numba<0.61", "scipy"],
        [pip, "install", "-q", "--no-deps", "--ignore-requires-python", "poliastro==0.17.0"],
    ]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            return None, f"{' '.join(cmd[1:])} failed: {r.stderr.strip().splitlines()[-1:]}"
    return str(py), None


# --------------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--loop-n", type=int, default=20_000)
    ap.add_argument("--api-n", type=int, default=2_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--poliastro", action="store_true", help="also time poliastro 0.17 (own venv)")
    ap.add_argument("--install-pykep", action="store_true", help="create the pykep venv if needed")
    ap.add_argument("--no-pykep", action="store_true")
    ap.add_argument("--baseline", default=BASELINE, help=f"git revision of the previous implementation ({BASELINE})")
    ap.add_argument("--rounds", type=int, default=3, help="A/B rounds of the fresh-process comparison")
    ap.add_argument("--no-baseline", action="store_true", help="skip the fresh-process rows")
    args = ap.parse_args(argv)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    r1, r2, tof = problems(args.n)
    rows = []  # (name, us per solve, n, note)

    t0 = time.process_time()
    lambert(MU_SUN, r1[:1], r2[:1], tof[:1])  # load the compiled loop (numba), excluded from the rates
    print(f"first call in this process (numba import and compiled-code load): {time.process_time() - t0:.3f} s CPU")
    t1, s1 = best_of(lambda: lambert(MU_SUN, r1, r2, tof), args.repeats)
    counts = np.bincount(s1.status, minlength=5)
    rows.append(("ours, 1 thread", t1 / args.n * 1e6, args.n, f"status OK {counts[0]}/{args.n}"))
    t2, s2 = best_of(lambda: lambert(MU_SUN, r1, r2, tof, workers=2), args.repeats)
    same = np.array_equal(s1.v1, s2.v1, equal_nan=True)
    rows.append(("ours, 2 threads", t2 / args.n * 1e6, args.n, f"identical to 1 thread: {same}"))
    tc, sc = best_of(lambda: lambert(MU_SUN, r1, r2, tof, engine="compiled"), args.repeats)
    dv = np.linalg.norm(sc.v1 - s1.v1, axis=-1) / np.linalg.norm(s1.v1, axis=-1)
    rows.append(("ours, compiled loop, 1 thread", tc / args.n * 1e6, args.n, f"max rel dv1 vs default {np.nanmax(dv):.1e}"))
    tn, _ = best_of(lambda: lambert(MU_SUN, r1, r2, tof, engine="numpy"), args.repeats)
    rows.append(("ours, array solver (numpy), 1 thread", tn / args.n * 1e6, args.n, "the previous implementation"))
    rng = np.random.default_rng(7)
    revs = rng.integers(0, 4, args.n)
    tof_m = tof * (1 + 2.5 * revs)
    tm, sm = best_of(lambda: lambert(MU_SUN, r1, r2, tof_m, revs=revs, low_path=rng.random(args.n) < 0.5), 1)
    nm = np.bincount(sm.status, minlength=5)
    rows.append(("ours, M=0..3 mix, 1 thread", tm / args.n * 1e6, args.n,
                 f"OK {nm[LambertStatus.OK]}, no solution {nm[LambertStatus.NO_SOLUTION]}"))
    one = {eng: one_problem_us(r1[0], r2[0], tof[0], eng) for eng in ("compiled", "numpy")}
    rows.append(("ours, one problem (warm, median)", one["compiled"], 1,
                 f"array solver (engine='numpy', previous) {one['numpy']:.1f} us: "
                 f"{one['numpy'] / one['compiled']:.0f}x"))
    its = np.bincount(s1.iterations)
    print(f"Householder iterations (M=0 set): {dict(enumerate(its.tolist()))}")

    tracemalloc.start()
    lambert(MU_SUN, r1, r2, tof)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"traced peak of one {args.n}-problem solve: {peak / 2**20:.0f} MiB "
          f"(outputs alone: {(args.n * 6 * 8 + args.n * 2) / 2**20:.0f} MiB)")

    ref = s1.v1
    ln = min(args.loop_n, args.n)
    an = min(args.api_n, args.n)

    def peer(name, fn):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - report and go on
            rows.append((name, float("nan"), 0, f"skipped: {type(exc).__name__}: {exc}"))
            return None

    out = peer("boinor public API (astropy units), loop", lambda: run_boinor_api(r1[:an], r2[:an], tof[:an]))
    if out:
        rows.append(("boinor public API (astropy units), loop", out[0] / an * 1e6, an,
                     f"max rel dv1 vs ours {rel_diff(out[1], ref[:an]):.1e}"))

    def boinor_core():
        from boinor.core.iod import izzo

        return run_numba_loop(lambda k, a, b, t: izzo(k, a, b, t, 0, True, True, 35, 1e-8), r1[:ln], r2[:ln], tof[:ln])

    out = peer("boinor numba core, loop", boinor_core)
    if out:
        rows.append(("boinor numba core, loop", out[0] / ln * 1e6, ln,
                     f"max rel dv1 {rel_diff(out[1], ref[:ln]):.1e}; first call (compile) {out[2]:.1f} s"))

    def lamberthub_loop():
        from lamberthub import izzo2015

        return run_numba_loop(lambda k, a, b, t: izzo2015(k, a, b, t), r1[:ln], r2[:ln], tof[:ln])

    out = peer("lamberthub izzo2015 (numba), loop", lamberthub_loop)
    if out:
        rows.append(("lamberthub izzo2015 (numba), loop", out[0] / ln * 1e6, ln,
                     f"max rel dv1 {rel_diff(out[1], ref[:ln]):.1e}; first call (compile) {out[2]:.1f} s"))

    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.npz"
        np.savez(inp, r1=r1[:ln], r2=r2[:ln], tof=tof[:ln], mu=MU_SUN)
        if not args.no_pykep:
            if args.install_pykep and pykep_python()[0] is None:
                why = install_pykep()
                if why:
                    rows.append(("pykep lambert_problem (C++), loop", float("nan"), 0, f"skipped: {why}"))
            py, why = pykep_python()
            if py is None:
                rows.append(("pykep lambert_problem (C++), loop", float("nan"), 0, f"skipped: {why}"))
            else:
                res = Path(tmp) / "pykep.npz"
                r = subprocess.run([py, "-c", PYKEP_LOOP, str(inp), str(res)], capture_output=True, text=True)
                if r.returncode:
                    rows.append(("pykep lambert_problem (C++), loop", float("nan"), 0,
                                 f"skipped: {r.stderr.strip().splitlines()[-1:]}"))
                else:
                    d = np.load(res)
                    where = "this process' python" if py == sys.executable else "subprocess, own venv"
                    rows.append((f"pykep {d['version']} lambert_problem (C++), loop", float(d["seconds"]) / ln * 1e6, ln,
                                 f"max rel dv1 {rel_diff(d['v1'], ref[:ln]):.1e}; {where}"))
        if args.poliastro:
            py, why = install_poliastro()
            if py is None:
                rows.append(("poliastro 0.17", float("nan"), 0, f"skipped: {why}"))
            else:
                res = Path(tmp) / "poliastro.npz"
                r = subprocess.run([py, "-c", POLIASTRO_LOOP, str(inp), str(res), str(an)], capture_output=True, text=True)
                if r.returncode:
                    rows.append(("poliastro 0.17", float("nan"), 0, f"skipped: {r.stderr.strip().splitlines()[-1:]}"))
                else:
                    d = np.load(res)
                    rows.append((f"poliastro {d['version']} public API (astropy units), loop", float(d["api_s"]) / an * 1e6, an,
                                 f"max rel dv1 {rel_diff(d['v1_api'], ref[:an]):.1e}; subprocess, own venv"))
                    rows.append((f"poliastro {d['version']} numba core, loop", float(d["core_s"]) / ln * 1e6, ln,
                                 f"max rel dv1 {rel_diff(d['v1'], ref[:ln]):.1e}; compile {float(d['compile_s']):.1f} s"))

    us1, us2 = rows[0][1], rows[1][1]
    print()
    print(f"{'solver':48s} {'us/solve':>9s} {'problems':>9s} {'x ours(1)':>9s} {'x ours(2)':>9s}  note")
    for name, us, n, note in rows:
        if np.isnan(us):
            print(f"{name:48s} {'-':>9s} {'-':>9s} {'-':>9s} {'-':>9s}  {note}")
        else:
            print(f"{name:48s} {us:9.3f} {n:9d} {us / us1:9.1f} {us / us2:9.1f}  {note}")
    if not args.no_baseline:
        print()
        fresh_rows(args.baseline, args.rounds)
    print()
    print(f"target 1 core <= {TARGET_1} us/solve: {'PASS' if us1 <= TARGET_1 else 'MISS'} ({us1:.3f}); "
          f"2 cores <= {TARGET_2} us/solve: {'PASS' if us2 <= TARGET_2 else 'MISS'} ({us2:.3f}); "
          f"one problem < {TARGET_ONE:.0f} us: {'PASS' if one['compiled'] < TARGET_ONE else 'MISS'} "
          f"({one['compiled']:.1f})")


if __name__ == "__main__":
    main()
