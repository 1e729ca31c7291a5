"""Benchmark: vectorized payload solves (``jointmission.core.payload.solve_payload``) vs scalar loops.

Run:  python benchmarks/bench_core.py [--n 1000000] [--loop-n 2000] [--py-n 20000] [--repeats 3]

Everything is measured in this one run, best of ``--repeats``:

* vectorized   -- one ``solve_payload`` call over ``n`` cases;
* previous     -- the solver before the fourth-order rework (git 04c283f, kept below as
                  ``previous_solve_payload``), timed alternately with the current one, best of
                  ``--repeats`` each: the before/after ratio measured under the same conditions;
* library loop -- a Python ``for`` loop calling ``solve_payload`` on one case at a time
                  (``--loop-n`` cases, extrapolated to a rate);
* pure Python  -- a scalar Newton solve of the same equation in plain Python floats (``math``),
                  Newton in x = ln(p + B_top) (the previous solver's iteration), phase table rebuilt
                  per case (``--py-n`` cases): the fair scalar baseline, without numpy's per-call
                  overhead.

Two workloads on a realistic 3-stage + 2-booster vehicle:
  A. one vehicle, ``n`` different dv_required;
  B. vehicle masses, Isp and thrust vary per case too (every field has the case shape (n,) / (n, 3)).

Also printed: numpy version and thread information (threadpoolctl if installed), status counts, the
agreement of the three solvers, and peak memory of the vectorized run (tracemalloc, plus the process
peak RSS from resource.getrusage). Target: >= 1e6 payload solves/s vectorized (PASS/MISS).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

from jointmission.constants import G0
from jointmission.core.payload import solve_payload
from jointmission.core.rocket import PayloadStatus, Stack, phase_masses, stack_delta_v

TARGET = 1.0e6  # payload solves per second

# Realistic heavy launcher (round numbers, not a specific vehicle): two solid boosters (totals),
# kerosene core, storable second stage, hydrolox third stage. Same as tests/core/test_rocket.py HEAVY.
BASE = dict(
    isp=np.array([282.0, 348.0, 465.0]),
    thrust=np.array([7.6e6, 9.8e5, 1.1e5]),
    m_prop=np.array([400e3, 90e3, 20e3]),
    m_dry=np.array([25e3, 6e3, 3e3]),
    booster_isp=275.0,
    booster_thrust=8.0e6,
    booster_m_prop=200e3,
    booster_m_dry=24e3,
    core_throttle=0.8,
)


def workload_a(n, rng):
    stack = Stack(**BASE)
    dv0 = float(stack_delta_v(stack, 0.0).sum())
    dv = rng.uniform(7000.0, 0.97 * dv0, n)  # payloads ~68 t down to ~1.8 t
    return stack, dv


def workload_b(n, rng):
    k = rng.uniform(0.85, 1.15, (n, 3))
    stack = Stack(
        isp=BASE["isp"] * rng.uniform(0.97, 1.03, (n, 3)),
        thrust=BASE["thrust"] * k,
        m_prop=BASE["m_prop"] * k,
        m_dry=BASE["m_dry"] * k * rng.uniform(0.9, 1.1, (n, 3)),
        booster_isp=np.full(n, 275.0),
        booster_thrust=8.0e6 * rng.uniform(0.8, 1.2, n),
        booster_m_prop=200e3 * rng.uniform(0.8, 1.2, n),
        booster_m_dry=np.full(n, 24e3),
        core_throttle=rng.uniform(0.7, 0.9, n),
    )
    dv0 = stack_delta_v(stack, 0.0).sum(-1)
    dv = dv0 * rng.uniform(0.40, 0.97, n)
    return stack, dv


def case(stack: Stack, j: int) -> Stack:
    """The j-th case of a stack as a scalar (0-d case) stack."""
    # Stage fields (the first four) carry the stage axis last; booster fields are per case.
    return Stack(*(np.asarray(f)[j] if np.ndim(f) > (1 if i < 4 else 0) else f for i, f in enumerate(stack)))


def case_floats(stack: Stack, j: int):
    """The j-th case as Python floats/lists (input of the pure-Python solver)."""
    sc = case(stack, j)
    return (
        [float(x) for x in np.asarray(sc.isp)],
        [float(x) for x in np.asarray(sc.thrust)],
        [float(x) for x in np.asarray(sc.m_prop)],
        [float(x) for x in np.asarray(sc.m_dry)],
        float(sc.booster_isp),
        float(sc.booster_thrust),
        float(sc.booster_m_prop),
        float(sc.booster_m_dry),
        float(sc.core_throttle),
    )


def py_solve(isp, thrust, m_prop, m_dry, b_isp, b_thrust, b_prop, b_dry, tau, dv_req, rtol=1e-12, max_iter=60):
    """Pure-Python scalar payload solve: phase table + Newton in x = ln(p + B_top), math only."""
    n = len(isp)
    c = [G0 * i for i in isp]
    above = 0.0
    starts, ends = [0.0] * n, [0.0] * n
    for k in range(n - 1, -1, -1):
        starts[k] = m_prop[k] + m_dry[k] + above
        ends[k] = starts[k] - m_prop[k]
        above = starts[k]
    cs, a, b = [], [], []
    if b_prop > 0:
        c_b = G0 * b_isp
        mdot_b = b_thrust / c_b
        mdot_c = tau * thrust[0] / c[0]
        burned = mdot_c * b_prop / mdot_b
        if not burned < m_prop[0]:
            return math.nan, PayloadStatus.CORE_DEPLETED
        m0 = above + b_prop + b_dry
        cs.append((b_thrust + tau * thrust[0]) / (mdot_b + mdot_c))
        a.append(m0)
        b.append(m0 - b_prop - burned)
        s1 = b[0] - b_dry
        cs.append(c[0])
        a.append(s1)
        b.append(s1 - (m_prop[0] - burned))
    else:
        cs.append(c[0])
        a.append(starts[0])
        b.append(ends[0])
    cs += c[1:]
    a += starts[1:]
    b += ends[1:]
    if sum(ci * math.log(ai / bi) for ci, ai, bi in zip(cs, a, b)) < dv_req:
        return math.nan, PayloadStatus.INSUFFICIENT_DV
    bt = b[-1]
    p = 0.0
    for _ in range(max_iter):
        f = -dv_req
        dfdp = 0.0
        for ci, ai, bi in zip(cs, a, b):
            ap, bp = ai + p, bi + p
            f += ci * math.log(ap / bp)
            dfdp += ci * (bi - ai) / (ap * bp)
        x = p + bt
        p_new = x * math.exp(-f / (dfdp * x)) - bt
        if abs(p_new - p) <= rtol * (abs(p_new) + 1.0):
            return p_new, PayloadStatus.OK
        p = p_new
    return math.nan, PayloadStatus.NOT_CONVERGED


# --------------------------------------------------------------------------------------------------
# The previous solver (git 04c283f, before the fourth-order rework), kept here as the in-run baseline
# of the "previous solver" row: Newton in x = ln(p + B_top) from p = 0 with the per-case bracket,
# phase table from phase_masses per block of 16384 cases. Same code, comments trimmed.
# --------------------------------------------------------------------------------------------------
_PREV_BLOCK = 16384


def previous_solve_payload(stack: Stack, dv_required_m_s, rtol: float = 1e-12, max_iter: int = 60):
    """The pre-rework ``solve_payload``: returns ``(payload, status, iterations)``."""
    dv_req = np.asarray(dv_required_m_s, dtype=float)
    stage = [np.asarray(x, dtype=float) for x in (stack.isp, stack.thrust, stack.m_prop, stack.m_dry)]
    boost = [np.asarray(x, dtype=float) for x in stack[4:9]]
    n = np.broadcast_shapes(*(x.shape for x in stage))[-1]
    shape = np.broadcast_shapes(*(x.shape[:-1] for x in stage), *(x.shape for x in boost), dv_req.shape)
    size = int(np.prod(shape))

    def flat(x, tail):
        if x.ndim == len(tail):
            return x
        return np.broadcast_to(x, shape + tail).reshape((size,) + tail)

    stage = [flat(x, (n,)) for x in stage]
    boost = [flat(x, ()) for x in boost]
    req = np.broadcast_to(flat(dv_req, ()), (size,))
    status = np.zeros(size, dtype=np.int8)
    p = np.zeros(size)
    iterations = 0
    for lo in range(0, max(size, 1), _PREV_BLOCK):
        sl = slice(lo, min(lo + _PREV_BLOCK, size))
        m = sl.stop - sl.start
        blk = Stack(*([x[sl] if x.ndim == 2 else x for x in stage] + [x[sl] if x.ndim == 1 else x for x in boost]))
        ph = phase_masses(blk)
        c = np.broadcast_to(ph.c, (m, n + 1))
        a = np.broadcast_to(ph.m_start, (m, n + 1))
        b = np.broadcast_to(ph.m_end, (m, n + 1))
        r = req[sl]
        st = np.zeros(m, dtype=np.int8)
        valid = np.broadcast_to(ph.valid, (m,)) & np.isfinite(r) & (r > 0)
        st[~valid] = PayloadStatus.INVALID_INPUT
        st[valid & ~np.broadcast_to(ph.core_ok, (m,))] = PayloadStatus.CORE_DEPLETED
        p_blk, code, it = _previous_newton_block(c, a, b, r, st == 0, rtol, max_iter)
        p[sl] = p_blk
        status[sl] = np.where(st == 0, code, st)
        iterations = max(iterations, it)
    status = status.reshape(shape)
    return np.where(status == PayloadStatus.OK, p.reshape(shape), np.nan), status, iterations


def _previous_newton_block(c, a, b, dv_req, active, rtol, max_iter):
    b_top = b[:, -1]
    d = b - a
    size = dv_req.shape[0]
    p = np.zeros(size)
    p_lo = np.zeros(size)
    f_lo = np.zeros(size)
    fp_lo = np.full(size, -1.0)
    p_hi = np.full(size, np.inf)
    code = np.zeros(size, dtype=np.int8)
    done = ~active
    ftol = 8.0 * np.finfo(float).eps * np.abs(dv_req)
    it = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for it in range(1, max_iter + 1):
            ap = a + p[:, None]
            bp = b + p[:, None]
            f = np.einsum("ij,ij->i", c, np.log(ap / bp)) - dv_req
            fp = np.einsum("ij,ij->i", c, d / (ap * bp))
            if it == 1:
                short = ~done & ~(f >= -ftol)
                code[short] = PayloadStatus.INSUFFICIENT_DV
                done = done | short
            hit = np.abs(f) <= ftol
            right = f >= 0.0
            p_lo = np.where(right, p, p_lo)
            f_lo = np.where(right, f, f_lo)
            fp_lo = np.where(right, fp, fp_lo)
            p_hi = np.where(right, p_hi, p)
            w = p + b_top
            cand = w * np.exp(-f / (fp * w)) - b_top
            good = np.isfinite(cand) & (cand >= p_lo) & (cand <= p_hi)
            p_new = np.where(good, cand, p_lo - f_lo / fp_lo)
            p_new = np.where(hit, p, p_new)
            conv = hit | (np.abs(p_new - p) <= rtol * (np.abs(p) + b_top))
            p = np.where(done, p, p_new)
            done = done | conv
            if done.all():
                break
    code[~done] = PayloadStatus.NOT_CONVERGED
    return np.maximum(p, 0.0), code, it


def best_of(fn, repeats):
    best, out = math.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def thread_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ}
        return f"threadpoolctl not installed; env {env or '{}'} (solve_payload uses element-wise ufuncs: single-threaded)"
    pools = threadpool_info()
    return "; ".join(f"{p['internal_api']} {p.get('version')} threads={p['num_threads']}" for p in pools) or "no BLAS/OpenMP pools"


def run(name, stack, dv, args):
    n = dv.size
    print(f"\n== {name}: {n:,} cases ==")
    # The current and the previous solver, alternated (the machine may be shared: same conditions).
    t_vec, t_prev, sol, prev = math.inf, math.inf, None, None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        sol = solve_payload(stack, dv)
        t_vec = min(t_vec, time.perf_counter() - t0)
        t0 = time.perf_counter()
        prev = previous_solve_payload(stack, dv)
        t_prev = min(t_prev, time.perf_counter() - t0)
    counts = {PayloadStatus(s).name: int(c) for s, c in enumerate(np.bincount(sol.status, minlength=5)) if c}
    print(f"status counts: {counts}")
    rate_vec = n / t_vec

    m = min(args.loop_n, n)
    scalars = [case(stack, j) for j in range(m)]
    t_loop, loop_p = best_of(lambda: [float(solve_payload(scalars[j], dv[j]).payload) for j in range(m)], args.repeats)
    rate_loop = m / t_loop

    q = min(args.py_n, n)
    inputs = [case_floats(stack, j) for j in range(q)]
    dvl = dv[:q].tolist()
    t_py, py_p = best_of(lambda: [py_solve(*inputs[j], dvl[j])[0] for j in range(q)], args.repeats)
    rate_py = q / t_py

    rel_loop = np.nanmax(np.abs(np.array(loop_p) - sol.payload[:m]) / np.abs(sol.payload[:m]))
    rel_py = np.nanmax(np.abs(np.array(py_p) - sol.payload[:q]) / np.abs(sol.payload[:q]))

    tracemalloc.start()
    solve_payload(stack, dv)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    ok = sol.status == PayloadStatus.OK
    same = bool(np.array_equal(sol.status, prev[1]))
    rel_prev = float(np.max(np.abs(sol.payload[ok] - prev[0][ok]) / np.abs(prev[0][ok]))) if ok.any() else 0.0
    print(f"vectorized      : {t_vec:8.3f} s  {rate_vec:12,.0f} solves/s  ({sol.iterations} evaluations of f, slowest case)")
    print(f"previous solver : {t_prev:8.3f} s  {n / t_prev:12,.0f} solves/s  ({prev[2]} Newton steps) -> "
          f"current is x{t_prev / t_vec:.2f}; statuses identical: {same}, payloads max rel diff {rel_prev:.1e}")
    print(f"library loop    : {t_loop:8.3f} s for {m:,} cases -> {rate_loop:12,.0f} solves/s  (x{rate_vec / rate_loop:,.0f})")
    print(f"pure-Python loop: {t_py:8.3f} s for {q:,} cases -> {rate_py:12,.0f} solves/s  (x{rate_vec / rate_py:,.1f})")
    print(f"agreement with vectorized: library loop max rel {rel_loop:.1e}, pure Python max rel {rel_py:.1e}")
    print(f"peak traced memory of one vectorized solve: {peak / 2**20:,.1f} MiB ({peak / n:,.0f} B/case)")
    verdict = "PASS" if rate_vec >= TARGET else "MISS"
    print(f"target >= {TARGET:,.0f} solves/s: {verdict}")
    return verdict


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="vectorized cases")
    ap.add_argument("--loop-n", type=int, default=2000, help="cases for the solve_payload loop")
    ap.add_argument("--py-n", type=int, default=20_000, help="cases for the pure-Python loop")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many repeats")
    ap.add_argument("--seed", type=int, default=12345)
    args = ap.parse_args(argv)

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, os.cpu_count()={os.cpu_count()}")
    print(f"threads: {thread_info()}")
    rng = np.random.default_rng(args.seed)
    verdicts = [
        run("A: one vehicle, n dv_required", *workload_a(args.n, rng), args),
        run("B: per-case vehicles (masses, Isp, thrust, boosters, throttle)", *workload_b(args.n, rng), args),
    ]
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(f"\nprocess peak RSS: {rss / 1024:,.0f} MiB (includes inputs and interpreter)")
    except ImportError:  # pragma: no cover - not on Windows
        pass
    print(f"overall: {'PASS' if all(v == 'PASS' for v in verdicts) else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
