"""Cross-check of ``core.lambert`` against two independent Izzo implementations.

Peers: boinor 0.20 (``boinor.core.iod.izzo``, the maintained poliastro fork) and lamberthub 1.0
(``lamberthub.izzo2015``). Both are scalar numba functions; they run in subprocesses with
``NUMBA_DISABLE_JIT=1`` (12 000 problems take ~2-4 s per peer as plain Python, while the numba
compile alone takes ~13 s on this machine), one subprocess per peer, concurrently, so numba's
configuration of the test process is untouched.

Problem set (seeded): 12 000 random problems, heliocentric (0.3-5 AU) and geocentric
(7 000-200 000 km), M = 0..3 revolutions, both multi-revolution branches, prograde and
retrograde, times of flight from 0.05 to 4.5 periods of the circular orbit at |r1| (so many
multi-revolution problems are infeasible), plus 400 problems placed just above the
multi-revolution minimum time (T_min (1 + 1e-9 .. 1e-5)).

Tolerance: 1e-8 on the relative velocity difference (issue 3). The three codes solve the same
equation with quartic Householder steps and differ only in rounding and in when they stop, so
the expected difference is ~1e-14 (printed with ``-s``); 1e-8 leaves room for the conditioning
of problems close to the multi-revolution minimum time (where the two roots merge and x is
determined only to ~sqrt(rounding)) while still catching any formula, branch or sign error.

No-solution cases must be the same, with one documented exception: poliastro/boinor/lamberthub
find T_min by Halley iterations with T held at its value at the start point x = 0.1 (their
``_halley`` never updates ``T``), which over-estimates T_min by up to ~2e-5 relative. Problems
with T between the true and their T_min are reported "no solution" by the peers and solved by
us (Izzo's paper and pykep update T each step, as we do); right at T_min the peers' Householder
iteration also raises "failed to converge" on a few problems, which we solve. Every such
disagreement must be within 1e-4 above our T_min and our solution must reach r2 within 1 m under
Kepler propagation.
"""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from jointmission.core import lambert as lam
from jointmission.core.kepler import KeplerStatus, propagate
from jointmission.core.lambert import LambertStatus, lambert

MU_SUN = 1.32712440018e20
MU_EARTH = 3.986004418e14
AU = 1.495978707e11

_PEER = r"""
import sys
import numpy as np
d = np.load(sys.argv[2])
r1, r2, tof, mu, revs, pro, low = (d[k] for k in ("r1", "r2", "tof", "mu", "revs", "pro", "low"))
if sys.argv[1] == "boinor":
    from boinor.core.iod import izzo

    def solve(i):
        return izzo(float(mu[i]), r1[i], r2[i], float(tof[i]), int(revs[i]), bool(pro[i]),
                    bool(low[i]), 35, 1e-12)
else:
    from lamberthub import izzo2015

    def solve(i):
        return izzo2015(float(mu[i]), r1[i], r2[i], float(tof[i]), M=int(revs[i]),
                        prograde=bool(pro[i]), low_path=bool(low[i]), maxiter=35, atol=1e-12,
                        rtol=1e-12)
n = r1.shape[0]
v1 = np.full((n, 3), np.nan)
v2 = np.full((n, 3), np.nan)
code = np.zeros(n, dtype=np.int8)
for i in range(n):
    try:
        v1[i], v2[i] = solve(i)
    except ValueError:  # "No feasible solution, try lower M"
        code[i] = 1
    except (RuntimeError, AssertionError, ZeroDivisionError):  # not converged / degenerate
        code[i] = 2
np.savez(sys.argv[3], v1=v1, v2=v2, code=code)
"""


def _problems(n: int, n_edge: int, seed: int):
    rng = np.random.default_rng(seed)
    helio = rng.random(n) < 0.6
    mu = np.where(helio, MU_SUN, MU_EARTH)
    lo = np.where(helio, 0.3 * AU, 7.0e6)
    hi = np.where(helio, 5.0 * AU, 2.0e8)
    a1 = np.exp(rng.uniform(np.log(lo), np.log(hi)))
    a2 = np.exp(rng.uniform(np.log(lo), np.log(hi)))

    def unit(k):
        u = rng.normal(size=(k, 3))
        return u / np.linalg.norm(u, axis=1)[:, None]

    r1 = unit(n) * a1[:, None]
    r2 = unit(n) * a2[:, None]
    revs = rng.integers(0, 4, n)
    period = 2 * math.pi * np.sqrt(a1**3 / mu)
    tof = rng.uniform(0.05, 1.0, n) * period * (revs + 0.5)
    pro = rng.random(n) < 0.5
    low = rng.random(n) < 0.5
    # near the multi-revolution minimum time: T = T_min (1 + 10^U(-9, -5))
    e1, e2 = unit(n_edge) * AU, unit(n_edge) * AU * rng.uniform(0.5, 2.0, n_edge)[:, None]
    er = rng.integers(1, 3, n_edge)
    epro = rng.random(n_edge) < 0.5
    c = np.linalg.norm(e2 - e1, axis=1)
    s = 0.5 * (np.linalg.norm(e1, axis=1) + np.linalg.norm(e2, axis=1) + c)
    hz = np.cross(e1, e2)[:, 2]
    ll = np.sqrt(1 - c / s) * np.where(hz < 0, -1, 1) * np.where(epro, 1, -1)
    tmin = lam._t_min(ll, c / s, er * math.pi) * np.sqrt(s**3 / (2 * MU_SUN))
    etof = tmin * (1 + 10 ** rng.uniform(-9, -5, n_edge))
    return dict(
        r1=np.concatenate([r1, e1]),
        r2=np.concatenate([r2, e2]),
        tof=np.concatenate([tof, etof]),
        mu=np.concatenate([mu, np.full(n_edge, MU_SUN)]),
        revs=np.concatenate([revs, er]),
        pro=np.concatenate([pro, epro]),
        low=np.concatenate([low, rng.random(n_edge) < 0.5]),
        edge=np.concatenate([np.zeros(n, bool), np.ones(n_edge, bool)]),
        tmin_edge=np.concatenate([np.full(n, np.nan), tmin]),
    )


@pytest.fixture(scope="module")
def crosscheck(tmp_path_factory):
    peers = [p for p in ("boinor", "lamberthub") if importlib.util.find_spec(p) is not None]
    if not peers:
        pytest.skip("neither boinor nor lamberthub is installed")
    d = tmp_path_factory.mktemp("lambert")
    prob = _problems(12_000, 400, seed=20261201)
    np.savez(d / "in.npz", **{k: prob[k] for k in ("r1", "r2", "tof", "mu", "revs", "pro", "low")})
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    procs = {
        p: subprocess.Popen([sys.executable, "-c", _PEER, p, str(d / "in.npz"), str(d / f"{p}.npz")],
                            env=env, stderr=subprocess.PIPE, text=True)
        for p in peers
    }
    ours = lambert(prob["mu"], prob["r1"], prob["r2"], prob["tof"], revs=prob["revs"],
                   prograde=prob["pro"], low_path=prob["low"])
    out = {}
    for p, proc in procs.items():
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        out[p] = dict(np.load(d / f"{p}.npz"))
    return prob, ours, out


def _rel(a, b):
    return np.linalg.norm(a - b, axis=-1) / np.linalg.norm(b, axis=-1)


@pytest.mark.parametrize("peer", ["boinor", "lamberthub"])
def test_velocities_and_statuses_match_peer(crosscheck, peer):
    prob, ours, out = crosscheck
    if peer not in out:
        pytest.skip(f"{peer} not installed")
    ref = out[peer]
    n = prob["r1"].shape[0]
    assert n >= 10_000
    st = ours.status
    ok, pok = st == LambertStatus.OK, ref["code"] == 0
    # the set covers what it claims: multi-revolution, both branches, both directions
    multi = ok & (prob["revs"] > 0)
    assert multi.sum() > 1500
    for flag in ("pro", "low"):
        assert (multi & prob[flag]).sum() > 300 and (multi & ~prob[flag]).sum() > 300
    assert (st == LambertStatus.NO_SOLUTION).sum() > 1500
    assert np.all(np.isin(st, [LambertStatus.OK, LambertStatus.NO_SOLUTION]))
    # the peers' iteration fails ("Failed to converge") only next to the minimum time
    assert np.all(prob["edge"][ref["code"] == 2])

    both = ok & pok
    d = np.maximum(_rel(ours.v1[both], ref["v1"][both]), _rel(ours.v2[both], ref["v2"][both]))
    rand = ~prob["edge"][both]
    print(f"\n{peer}: {both.sum()} problems solved by both; max rel |dv| {d[rand].max():.2e} "
          f"(random), {d[~rand].max() if (~rand).any() else 0:.2e} (near T_min); "
          f"median {np.median(d):.1e}")
    assert d.max() <= 1e-8

    # the same no-solution cases, except the peers' over-estimated T_min (module docstring)
    assert not np.any(pok & ~ok), "peer solved a problem we call infeasible"
    extra = ok & ~pok
    print(f"{peer}: no solution for {(ref['code'] == 1).sum()}, not converged for "
          f"{(ref['code'] == 2).sum()}; we solve {extra.sum()} of these "
          f"({(extra & ~prob['edge']).sum()} among the random problems)")
    if extra.any():
        assert np.all(prob["revs"][extra] > 0)
        i = np.flatnonzero(extra)
        r1, r2, tof, mu = prob["r1"][i], prob["r2"][i], prob["tof"][i], prob["mu"][i]
        c = np.linalg.norm(r2 - r1, axis=1)
        s = 0.5 * (np.linalg.norm(r1, axis=1) + np.linalg.norm(r2, axis=1) + c)
        hz = np.cross(r1, r2)[:, 2]
        ll = np.sqrt(1 - c / s) * np.where(hz < 0, -1, 1) * np.where(prob["pro"][i], 1, -1)
        tmin = lam._t_min(ll, c / s, prob["revs"][i] * math.pi) * np.sqrt(s**3 / (2 * mu))
        assert np.all((tof >= tmin) & (tof <= tmin * (1 + 1e-4)))
        p = propagate(mu, r1, ours.v1[i], tof)
        assert np.all(p.status == KeplerStatus.OK)
        assert np.linalg.norm(p.r - r2, axis=1).max() < 1.0


def test_every_solution_reaches_r2(crosscheck):
    """All of our OK solutions of the cross-check set land on r2 within 1 m (issue 3)."""
    prob, ours, _ = crosscheck
    ok = ours.status == LambertStatus.OK
    p = propagate(prob["mu"][ok], prob["r1"][ok], ours.v1[ok], prob["tof"][ok])
    assert np.all(p.status == KeplerStatus.OK)
    miss = np.linalg.norm(p.r - prob["r2"][ok], axis=1)
    print(f"\nKepler miss over {ok.sum()} solutions: max {miss.max():.3g} m, "
          f"median {np.median(miss):.2g} m")
    assert miss.max() < 1.0
    assert _rel(p.v, ours.v2[ok]).max() < 1e-6
