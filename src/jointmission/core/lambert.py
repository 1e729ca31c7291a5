"""Lambert's problem over arrays of problems: Izzo's algorithm, zero and multi-revolution.

Given two position vectors ``r1``, ``r2`` [m] about a body of gravitational parameter ``mu``
[m^3/s^2] and a time of flight ``tof`` [s], find the velocities ``v1``, ``v2`` [m/s] of the conic
arc that goes from ``r1`` to ``r2`` in ``tof``, with ``revs`` complete revolutions in between.

Every input broadcasts against the others (cases along the leading axes, 3-vectors in the last
axis); a single problem is a 0-d case. The solver never loops in Python over problems: each step
is a numpy operation on the array of problems still iterating (a compacted active subset), and
each problem stops on its own convergence test.

Method (D. Izzo 2015, "Revisiting Lambert's problem", CMDA 121:1-15; equation numbers refer to
that paper)
-----------------------------------------------------------------------------------------------
With chord ``c = |r2 - r1|``, semi-perimeter ``s = (|r1| + |r2| + c) / 2`` and
``lambda^2 = 1 - c / s`` (sign: + for the short way, - for the long way), the non-dimensional
time of flight ``T = sqrt(2 mu / s^3) tof`` is a function of one variable ``x`` (eq. 18,
Lancaster-Blanchard):

    T(x) = [ (psi + M pi) / sqrt|1 - x^2| - x + lambda y ] / (1 - x^2),
    y = sqrt(1 - lambda^2 (1 - x^2)),
    cos psi = x y + lambda (1 - x^2),  sin psi = (y - x lambda) sqrt(1 - x^2)   (x < 1)
    sinh psi = (y - x lambda) sqrt(x^2 - 1)                                    (x > 1)

``x < 1`` is an ellipse, ``x = 1`` a parabola, ``x > 1`` a hyperbola. Near the parabola this form
cancels; there (``|S| < 0.05``, ``M = 0``) Battin's series is used instead (eq. 20):
``T = (eta^3 Q + 4 lambda eta) / 2`` with ``eta = y - lambda x``, ``S = (1 - lambda - x eta) / 2``,
``Q = 4/3 2F1(3, 1; 5/2; S)``. Both forms were checked against 40-digit ``decimal`` evaluations
(relative error <= 2e-14 for ``|S| >= 0.05`` with the direct form, series elsewhere). ``eta`` and
``y`` are evaluated in cancellation-free forms (``y^2 = (1 - lambda^2) + lambda^2 x^2``,
``eta = (1 - lambda^2) / (y + lambda x)`` when ``lambda x > 0``), which keeps nearly collinear
short-arc problems (``lambda -> 1``) accurate.

The root of ``T(x) = T*`` is found by Householder iterations (quartic; derivatives eq. 22) from
the paper's initial guesses (eqs. 30-31; for ``M = 0`` with the corrected middle branch of
poliastro issue #1362, ``x0 = 2^(log(T/T0) / log(T1/T0)) - 1``). For ``M > 0`` two solutions
exist when ``T >= T_min(M)``; ``low_path=True`` takes the larger of the two initial guesses (the
right branch, as poliastro/boinor/lamberthub do). ``T_min(M)`` is found, only where it can
decide feasibility (``M = floor(T / pi)`` and ``T < T(x=0)``), by Halley iterations on
``dT/dx = 0`` from ``x = 0`` with ``T`` re-evaluated every step, as in the paper and in pykep.
(poliastro 0.17, boinor 0.20 and lamberthub 1.0 hold ``T`` fixed at its value at the start
point, which over-estimates ``T_min`` and reports "no solution" for some feasible problems just
above the true minimum; see ``docs/method-lambert.md``.)

Velocities follow from eq. (23): with ``gamma = sqrt(mu s / 2)``, ``rho = (|r1| - |r2|) / c``,
``sigma = sqrt(1 - rho^2)``, the radial and tangential components at both ends.

Near 180 degrees (``lambda -> 0``) ``lambda`` is evaluated as ``|w| / (2 s sqrt(|r1| |r2|))``,
``w = |r2| r1 + |r1| r2`` (``1 - c / s`` cancels there), and the tangential directions
``h x r`` are normalised by their own length (the rounded ``h = r1 x r2`` is ``eps / sin``
off perpendicular to ``r1``, ``r2``); see ``docs/method-lambert.md``.

Conventions
-----------
* "Prograde" means the transfer's angular momentum has a non-negative z component (the
  poliastro/pykep convention): ``prograde=True`` takes the short way when ``(r1 x r2)_z >= 0``
  and the long way otherwise.
* Statuses (``LambertStatus``): ``OK``; ``NO_SOLUTION`` (``tof`` below the minimum for ``revs``
  revolutions); ``NOT_CONVERGED``; ``DEGENERATE`` (zero or near-zero radius,
  ``min(|r1|, |r2|) <= 1e-6 max(|r1|, |r2|)``, or ``r1``, ``r2`` collinear: 0 or 180 degrees
  apart, where the transfer plane is undefined; threshold ``|r1 x r2| <= 1e-10 |r1| |r2|``); ``INVALID`` (non-finite input, ``tof <= 0``, ``mu <= 0``
  or ``revs < 0``). Velocities are NaN wherever ``status != OK``.

Sources
-------
- [Izzo] D. Izzo, "Revisiting Lambert's problem", Celest. Mech. Dyn. Astron. 121 (2015) 1-15.
- [Battin] R. H. Battin, *An Introduction to the Mathematics and Methods of Astrodynamics*,
  revised ed., AIAA 1999, Ch. 7 (hypergeometric form of the time of flight).
- poliastro ``core/iod.py`` (J. L. Cano Rodriguez et al.) and pykep ``lambert_problem.cpp``
  (D. Izzo), the reference implementations of the same algorithm.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from .status import Status
from ._guard import mu_first, si_kernel
from ._types import ArrayLike

__all__ = ["LambertSolution", "LambertStatus", "lambert"]


LambertStatus = Status
"""Status of a Lambert problem: the one scheme of :mod:`jointmission.core.status` (``OK``;
``NO_SOLUTION``: ``tof`` below the minimum for ``revs``; ``NOT_CONVERGED``; ``DEGENERATE``: a
radius ``<= 1e-6`` of the other or collinear radii; ``INVALID_INPUT``: non-finite input,
``tof <= 0``, ``mu <= 0`` or ``revs < 0``)."""


class LambertSolution(NamedTuple):
    """Result of :func:`lambert`.

    Attributes
    ----------
    v1 : ndarray (..., 3)
        Velocity at ``r1`` on the transfer arc [m/s]; NaN where ``status != OK``.
    v2 : ndarray (..., 3)
        Velocity at ``r2`` [m/s]; NaN where ``status != OK``.
    status : ndarray (...) int8
        :class:`LambertStatus` codes.
    iterations : ndarray (...) int8
        Householder iterations taken by each problem (0 where none was started).
    """

    v1: np.ndarray
    v2: np.ndarray
    status: np.ndarray
    iterations: np.ndarray


_CHUNK = 32768
"""Problems per block: the ~30 float64 temporaries of a block stay in the L2/L3 cache."""

SMALL_BATCH = 4096
"""Largest batch ``engine="auto"`` gives the compiled loop (above it, the array solver: its ~0.3 ms
fixed cost is then below ~20 % of the batch, and no process pays numba's start-up for one
large call)."""

_DEGENERATE_SIN = 1e-10
"""``|r1 x r2| / (|r1| |r2|)`` at or below which the geometry counts as collinear."""

_DEGENERATE_RADIUS = 1e-6
"""``min(|r1|, |r2|) / max(|r1|, |r2|)`` at or below which a radius counts as zero (degenerate):
a point at the centre of attraction (7 m from the Earth's centre against a 7,000 km orbit)."""

_SERIES_S = 0.05
"""Battin's series replaces the direct time-of-flight form where ``|S|`` is below this."""

_FAST_STEP = 1e-6
"""A Householder step below ``_FAST_STEP (1 + |x|)`` that is also 1000x smaller than the step
before it ends the iteration (the iterate is then converged to rounding: the error after a
quartic step is ~C dx^4); slowly converging problems (near the multi-revolution minimum time,
where the two roots merge) run on to ``xtol``."""

_PARABOLA_Z = 1e-6
"""Where ``|1 - x^2|`` is below this, the derivative formulas (which divide by ``1 - x^2``)
are replaced by a Newton step with the parabolic slope ``dT/dx(1) = -2/5 (1 - lambda^5)``."""


def _series_coefficients(n: int) -> tuple[float, ...]:
    """Coefficients of ``Q(S) = 4/3 2F1(3, 1; 5/2; S) = sum_k a_k S^k`` (highest first)."""
    c = [4.0 / 3.0]
    for k in range(n - 1):
        c.append(c[-1] * (3.0 + k) / (2.5 + k))
    return tuple(reversed(c))


# |S| < 0.05: the term k is below 0.7 sqrt(k) 0.05^k, < 1e-18 relative beyond k = 14.
_Q_COEF = _series_coefficients(15)


# --------------------------------------------------------------------------------------------
# time of flight and its derivatives (Izzo eqs. 18, 20, 22)
# --------------------------------------------------------------------------------------------


def _tof_derivs(x, ll, om, mpi, m0, order=3):
    """Non-dimensional time of flight ``T(x)`` and its first ``order`` derivatives.

    ``ll`` is lambda, ``om = 1 - lambda^2`` (exact, from ``c / s``), ``mpi = M pi``; ``m0`` says
    whether ``M == 0`` everywhere (True), nowhere (False) or per element (bool array). All
    arrays are 1-d of equal length (``mpi`` may be a scalar). Returns ``(T, dT, d2T, d3T, z)``
    with ``z = 1 - x^2`` (derivatives are ``None`` above ``order``).
    """
    z = 1.0 - x
    z *= 1.0 + x  # 1 - x^2 without cancellation near |x| = 1
    lx = ll * x
    y = lx * lx
    y += om
    np.sqrt(y, out=y)  # y = sqrt(1 - lambda^2 + lambda^2 x^2)
    # eta = y - lambda x, exactly (1 - lambda^2) / (y + lambda x) where lambda x > 0
    pos = lx > 0.0
    eta = y - lx
    if pos.any():
        np.divide(om, y + lx, out=eta, where=pos)
    q = np.abs(z)
    np.sqrt(q, out=q)
    s = eta * q  # sin psi (ellipse) or sinh psi (hyperbola)
    ell = z > 0.0
    psi = np.empty_like(x)
    cpsi = x * y
    cpsi += ll * z  # cos psi on the ellipse
    np.arctan2(s, cpsi, out=psi, where=ell)
    hyp = ~ell
    if hyp.any():
        np.arcsinh(s, out=psi, where=hyp)
    if mpi is not None:
        psi += mpi
    t = psi
    t /= q
    t -= x
    t += ll * y
    t /= z
    # Battin's series near the parabola (M = 0 only)
    if m0 is not False:
        sv = 1.0 - ll
        sv -= x * eta
        sv *= 0.5
        near = np.abs(sv) < _SERIES_S
        if m0 is not True:
            near &= m0
        if near.any():
            i = np.flatnonzero(near)
            si = sv[i]
            qv = np.full_like(si, _Q_COEF[0])
            for a in _Q_COEF[1:]:
                qv *= si
                qv += a
            e = eta[i]
            t[i] = 0.5 * e * (e * e * qv + 4.0 * ll[i])
    if order == 0:
        return t, None, None, None, z
    # eq. (22); ll^3 / y etc. (y > 0 for |lambda| < 1)
    l2 = ll * ll
    l3y = l2 * ll / y  # lambda^3 / y
    d1 = 3.0 * t * x
    d1 -= 2.0
    d1 += 2.0 * x * l3y
    d1 /= z
    if order == 1:
        return t, d1, None, None, z
    omy2 = om / (y * y)  # (1 - lambda^2) / y^2
    d2 = 5.0 * x * d1
    d2 += 3.0 * t
    d2 += 2.0 * omy2 * l3y
    d2 /= z
    if order == 2:
        return t, d1, d2, None, z
    d3 = 7.0 * x * d2
    d3 += 8.0 * d1
    d3 -= 6.0 * omy2 * l3y * l2 * x / (y * y)
    d3 /= z
    return t, d1, d2, d3, z


def _t_min(ll, om, mpi, max_iter=16, xtol=1e-13):
    """Minimum non-dimensional time of flight for ``M = mpi / pi`` revolutions (Izzo sec. 3).

    Halley iterations on ``dT/dx = 0`` from ``x = 0``, with ``T`` re-evaluated at each iterate
    (as in the paper and pykep). A Halley step that leaves (-1, 1) (it does from ``x = 0`` when
    ``lambda`` is near -1) is replaced by a Newton step on ``dT/dx``, or by halving the distance
    to the boundary. 1-d arrays in, ``T_min`` out (NaN where the iteration did not converge).
    """
    n = ll.shape[0]
    x_m = np.full(n, np.nan)
    idx = np.arange(n)
    x = np.zeros(n)
    l_a, o_a, m_a = ll, om, mpi
    for _ in range(max_iter):
        _, d1, d2, d3, _ = _tof_derivs(x, l_a, o_a, m_a, False)
        x_new = x - 2.0 * d1 * d2 / (2.0 * d2 * d2 - d1 * d3)
        out = ~(np.abs(x_new) < 1.0)  # Halley overshoots from x = 0 when lambda -> -1
        if out.any():
            xn = x - d1 / d2  # Newton on dT/dx (T is convex on (-1, 1) for M > 0)
            xn = np.where(np.abs(xn) < 1.0, xn, 0.5 * (x - np.sign(d1)))
            x_new = np.where(out, xn, x_new)
        done = np.abs(x_new - x) < xtol
        x_m[idx[done]] = x_new[done]
        keep = ~done & np.isfinite(x_new)
        if not keep.any():
            break
        idx, x, l_a, o_a = idx[keep], x_new[keep], l_a[keep], o_a[keep]
        if np.ndim(m_a):
            m_a = m_a[keep]
    return _tof_derivs(x_m, ll, om, mpi, False, order=0)[0]


def _initial_guess(ll, om, tt, mf, low_path):
    """Izzo's initial guesses (eqs. 30-31) and the multi-revolution feasibility check.

    ``ll``, ``om``, ``tt`` are 1-d; ``mf`` (revolutions as float) and ``low_path`` are 1-d or
    0-d. Returns ``(x0, code)`` with ``code`` 0 (solve), ``NO_SOLUTION`` or ``NOT_CONVERGED``
    (the minimum-time search failed).
    """
    n = ll.shape[0]
    x0 = np.empty(n)
    code = np.zeros(n, dtype=np.int8)
    if np.ndim(mf) == 0:
        i0 = slice(None) if mf == 0 else None
        i1 = None if mf == 0 else slice(None)
    else:
        z = mf == 0
        i0 = np.flatnonzero(z) if z.any() else None
        i1 = np.flatnonzero(~z) if not z.all() else None
    if i0 is not None:  # single revolution (eq. 30; middle branch corrected, poliastro #1362)
        l0, t = ll[i0], tt[i0]
        t00 = np.arccos(l0)
        t00 += l0 * np.sqrt(om[i0])  # T(x = 0), eq. (19)
        l3 = l0 * l0 * l0
        t1 = (2.0 / 3.0) * (1.0 - l3)  # T(x = 1), eq. (21)
        r = t00 / t
        xa = np.cbrt(r * r) - 1.0
        xb = 2.5 * t1 / t * (t1 - t) / (1.0 - l3 * l0 * l0) + 1.0
        xc = np.exp2(np.log(t / t00) / np.log(t1 / t00)) - 1.0
        x0[i0] = np.where(t >= t00, xa, np.where(t < t1, xb, xc))
    if i1 is not None:  # multi-revolution (eq. 31), feasibility from T_min
        l1, t = ll[i1], tt[i1]
        m = mf if np.ndim(mf) == 0 else mf[i1]
        a = (m + 1.0) * math.pi / (8.0 * t)
        a = np.cbrt(a * a)
        b = 8.0 * t / (m * math.pi)
        b = np.cbrt(b * b)
        xl = (a - 1.0) / (a + 1.0)
        xr = (b - 1.0) / (b + 1.0)
        lo = low_path if np.ndim(low_path) == 0 else low_path[i1]
        x0[i1] = np.where(lo, np.maximum(xl, xr), np.minimum(xl, xr))
        c1 = np.zeros(t.shape[0], dtype=np.int8)
        nmax = np.floor(t / math.pi)
        c1[m > nmax] = LambertStatus.NO_SOLUTION
        # T_min decides only when M == floor(T / pi) and T < T(x = 0, M)
        t0m = np.arccos(l1)
        t0m += l1 * np.sqrt(om[i1])
        t0m += m * math.pi
        chk = np.flatnonzero((m == nmax) & (t < t0m))
        if chk.size:
            mc = m if np.ndim(m) == 0 else m[chk]
            tmin = _t_min(l1[chk], om[i1][chk], mc * math.pi)
            c1[chk[t[chk] < tmin]] = LambertStatus.NO_SOLUTION
            c1[chk[np.isnan(tmin)]] = LambertStatus.NOT_CONVERGED
        code[i1] = c1
    return x0, code


def _householder(x, ll, om, tt, mpi, m0, xtol, max_iter):
    """Householder iterations (quartic) on ``T(x) = tt`` over a compacted active set.

    Returns ``(x, iterations)``; ``x`` is NaN where the tolerance was not met.
    """
    n = x.shape[0]
    x_out = np.full(n, np.nan)
    its = np.full(n, max_iter, dtype=np.int8)
    idx = None  # None: every element still active, in original order
    for it in range(1, max_iter + 1):
        t, d1, d2, d3, z = _tof_derivs(x, ll, om, mpi, m0)
        f = t - tt
        d1sq = d1 * d1
        f_d2 = f * d2
        num = d1sq - 0.5 * f_d2
        den = d1sq - f_d2
        den *= d1
        den += d3 * f * f * (1.0 / 6.0)
        step = f * num
        step /= den
        if m0 is not False:  # at the parabola the derivative formulas are 0/0
            near = np.abs(z) < _PARABOLA_Z
            if m0 is not True:
                near &= m0
            if near.any():
                l5 = ll[near] ** 5
                step[near] = f[near] / (-0.4 * (1.0 - l5))
        x_new = x - step
        # stay inside the domain: x > -1, and x < 1 for M > 0
        out = ~(x_new > -1.0)
        if m0 is not True:
            hi = x_new >= 1.0
            if m0 is not False:
                hi &= ~m0
            out |= hi
        if out.any():
            fix = np.where(x_new >= 1.0, 0.5 * (x + 1.0), 0.5 * (x - 1.0))
            x_new = np.where(out & np.isfinite(x_new), fix, x_new)
        size = 1.0 + np.abs(x_new)
        astep = np.abs(step)
        done = astep <= xtol * size
        if it > 1:  # quartic phase: a step <= 1e-6 that shrank >= 1000x leaves ~1e-24 error
            done |= (astep <= _FAST_STEP * size) & (astep <= 1e-3 * prev)
        prev = astep
        done &= ~out
        dead = ~np.isfinite(x_new)
        if idx is None:
            x_out[done] = x_new[done]
            its[done] = it
        else:
            x_out[idx[done]] = x_new[done]
            its[idx[done]] = it
        keep = ~(done | dead)
        if not keep.any():
            break
        if idx is None:
            idx = np.flatnonzero(keep)
        else:
            idx = idx[keep]
        x, ll, om, tt, prev = x_new[keep], ll[keep], om[keep], tt[keep], prev[keep]
        if np.ndim(mpi):
            mpi = mpi[keep]
        if np.ndim(m0):
            m0 = m0[keep]
    return x_out, its


def _solve_block(r1, r2, tof, mu, revs, prograde, low_path, xtol, max_iter, v1, v2, status, iters):
    """Solve one block of problems; writes into the output views ``v1``, ``v2``, ``status``,
    ``iters``. ``r1``, ``r2`` are (n, 3) or (1, 3); the others (n,) or 0-d."""
    n = status.shape[0]
    with np.errstate(all="ignore"):
        ax, ay, az = r1[:, 0], r1[:, 1], r1[:, 2]
        bx, by, bz = r2[:, 0], r2[:, 1], r2[:, 2]
        r1n = np.sqrt(ax * ax + ay * ay + az * az)
        r2n = np.sqrt(bx * bx + by * by + bz * bz)
        hx = ay * bz - az * by
        hy = az * bx - ax * bz
        hz = ax * by - ay * bx
        hn = np.sqrt(hx * hx + hy * hy + hz * hz)
        dx, dy, dz = bx - ax, by - ay, bz - az
        c = np.sqrt(dx * dx + dy * dy + dz * dz)
        rs = r1n + r2n
        s = 0.5 * (rs + c)
        om = np.broadcast_to(c / s, (n,))  # 1 - lambda^2
        # |lambda| = sqrt(|r1| |r2|) cos(theta/2) / s = |w| / (2 s sqrt(|r1| |r2|)) with
        # w = |r2| r1 + |r1| r2 (|w|^2 = 2 |r1| |r2| (|r1| |r2| + r1.r2)): absolute error ~1 ulp
        # at every transfer angle. sqrt((|r1| + |r2| - c) / (|r1| + |r2| + c)) cancels near
        # 180 degrees (an absolute error eps in lambda^2 is eps / (2 lambda) in lambda: 5e-10 at
        # 1.2e-7 rad from 180 degrees, a 300 m miss at 1 AU; see docs/method-lambert.md).
        wx = r2n * ax
        wx += r1n * bx
        wy = r2n * ay
        wy += r1n * by
        wz = r2n * az
        wz += r1n * bz
        ll = wx * wx
        ll += wy * wy
        ll += wz * wz
        np.sqrt(ll, out=ll)
        ll /= (rs + c) * np.sqrt(r1n * r2n)
        np.minimum(ll, 1.0, out=ll)
        sgn = np.where(hz < 0.0, -1.0, 1.0)
        if not np.all(prograde):
            sgn = np.where(prograde, sgn, -sgn)
        ll = np.broadcast_to(ll * sgn, (n,))
        tt = np.sqrt(2.0 * mu / (s * s * s))
        tt = np.broadcast_to(tt * tof, (n,))

        ok = np.isfinite(r1).all(axis=1) & np.isfinite(r2).all(axis=1)
        ok = ok & np.isfinite(tof) & (tof > 0.0) & np.isfinite(mu) & (mu > 0.0) & (revs >= 0)
        ok = np.broadcast_to(ok, (n,))
        geo = hn > _DEGENERATE_SIN * (r1n * r2n)  # False for zero radius, collinear, NaN
        # a (near-)zero radius: a point at the centre of attraction, no transfer plane
        q = r1n / r2n
        geo &= (q > _DEGENERATE_RADIUS) & (q < 1.0 / _DEGENERATE_RADIUS)
        st = np.where(ok, np.where(geo, 0, LambertStatus.DEGENERATE), LambertStatus.INVALID)
        st = np.broadcast_to(st, (n,)).astype(np.int8)
        its = np.zeros(n, dtype=np.int8)
        x = np.full(n, np.nan)

        g = np.flatnonzero(st == 0)
        if g.size:
            whole = g.size == n

            def take(a):
                return a if (whole or np.ndim(a) == 0) else a[g]

            mf = take(revs)
            mf = mf.astype(float) if np.ndim(mf) else float(mf)
            lo = take(low_path)
            lg, og, tg = take(ll), take(om), take(tt)
            x0, code = _initial_guess(lg, og, tg, mf, lo)
            go = np.flatnonzero(code == 0)
            if go.size < code.shape[0]:
                sub = go
                lg, og, tg, x0 = lg[sub], og[sub], tg[sub], x0[sub]
                if np.ndim(mf):
                    mf = mf[sub]
            else:
                sub = None
            if np.ndim(mf):
                m0 = mf == 0.0
                if m0.all():
                    m0, mpi = True, None
                elif not m0.any():
                    m0, mpi = False, mf * math.pi
                else:
                    mpi = mf * math.pi
            else:
                m0, mpi = mf == 0.0, (None if mf == 0.0 else mf * math.pi)
            if go.size:
                xs, ni = _householder(x0, lg, og, tg, mpi, m0, xtol, max_iter)
                code[go[np.isnan(xs)]] = LambertStatus.NOT_CONVERGED
            gi = g if sub is None else g[sub]
            if go.size:
                if whole and sub is None:
                    x, its = xs, ni
                else:
                    x[gi] = xs
                    its[gi] = ni
            st[g] = code

        # velocities, eq. (23); NaN x gives NaN velocities
        y = ll * x
        y *= y
        y += om
        np.sqrt(y, out=y)
        lyp = ll * y
        lym = lyp - x
        lyp += x
        gamma = np.sqrt(0.5 * mu * s)
        rho = (r1n - r2n) / c
        sigma = np.sqrt((1.0 - rho) * (1.0 + rho))
        vr1 = gamma * (lym - rho * lyp)
        vr1 /= r1n
        vr2 = -gamma * (lym + rho * lyp)
        vr2 /= r2n
        vt = ll * x
        vt += y
        vt *= gamma * sigma * sgn  # tangential speed times r
        # Tangential directions h x r / |h x r|, normalised by their own length: near 180
        # degrees the rounded h = r1 x r2 is up to eps / sin(theta) rad off perpendicular to r1
        # and r2 (2.8e-7 rad at sin = 1.9e-10), so |h x r| = |h| |r| (1 - 4e-14); dividing by
        # |h| |r| made the tangential speed that much too low (1.5 m after 14 years). The tilt
        # of the direction itself only turns the plane about r1, which moves r2 by sin(theta).
        tx = hy * az - hz * ay
        ty = hz * ax - hx * az
        tz = hx * ay - hy * ax
        a1 = vr1 / r1n
        b1 = vt / (r1n * np.sqrt(tx * tx + ty * ty + tz * tz))
        v1[:, 0] = a1 * ax + b1 * tx
        v1[:, 1] = a1 * ay + b1 * ty
        v1[:, 2] = a1 * az + b1 * tz
        tx = hy * bz - hz * by
        ty = hz * bx - hx * bz
        tz = hx * by - hy * bx
        a2 = vr2 / r2n
        b2 = vt / (r2n * np.sqrt(tx * tx + ty * ty + tz * tz))
        v2[:, 0] = a2 * bx + b2 * tx
        v2[:, 1] = a2 * by + b2 * ty
        v2[:, 2] = a2 * bz + b2 * tz
        # a problem at the edge of the float range (radii ~1e-150 m) can end in non-finite
        # velocities: never NaN with status OK
        # (one whole-block test first: the per-row test runs only for a block holding a non-finite value)
        if not (np.isfinite(v1).all() and np.isfinite(v2).all()):
            lost = (st == 0) & ~(np.isfinite(v1).all(axis=1) & np.isfinite(v2).all(axis=1))
            st[lost] = LambertStatus.NOT_CONVERGED
        bad = st != 0
        if bad.any():
            v1[bad] = np.nan
            v2[bad] = np.nan
        status[:] = st
        iters[:] = its


_KERNEL = None


def _kernel():
    """The compiled solver module, imported on first use (numba loads only when a Lambert
    problem is solved, not with the package)."""
    global _KERNEL
    if _KERNEL is None:
        from . import lambert_kernel

        _KERNEL = lambert_kernel
    return _KERNEL


def _flat_vec(a, shape, size):
    """(..., 3) input as (size, 3), or (1, 3) when it is one vector for all cases."""
    if a.size == 3:
        return a.reshape(1, 3)
    return np.ascontiguousarray(np.broadcast_to(a, shape + (3,)).reshape(size, 3))


def _readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (no copy)."""
    v = a.view()
    v.flags.writeable = False
    return v


def _flat(a, shape, size):
    """Per-case input as (size,), or 0-d when it is one value for all cases."""
    if a.size == 1:
        return a.reshape(())
    return np.broadcast_to(a, shape).reshape(size)


@mu_first
@si_kernel(public="solve_lambert", mu="m^3/s^2", r1="m", r2="m", tof="s", revs="", prograde="", low_path="")
def lambert(
    mu: ArrayLike,
    r1: ArrayLike,
    r2: ArrayLike,
    tof: ArrayLike,
    *,
    revs: ArrayLike = 0,
    prograde: ArrayLike = True,
    low_path: ArrayLike = True,
    workers: int | None = 1,
    chunk_size: int = _CHUNK,
    xtol: float = 1e-9,
    max_iter: int = 35,
    engine: str = "auto",
) -> LambertSolution:
    """Solve Lambert's problem for arrays of problems with Izzo's algorithm.

    Finds the velocities of the conic arc from ``r1`` to ``r2`` in ``tof`` with ``revs``
    complete revolutions. All inputs broadcast against each other (cases along the leading axes;
    3-vectors in the last axis of ``r1``, ``r2``). Inputs are processed in blocks of
    ``chunk_size`` problems, so working memory is bounded (about 40 float64 values per problem
    of a block, plus the outputs); with ``workers > 1`` the blocks are evaluated by a thread pool
    (numpy releases the GIL in its loops).

    The argument order is ``mu`` first, as every kernel (``hohmann(mu, r1, r2)``); the old order
    ``lambert(r1, r2, tof, mu)`` still works with a ``DeprecationWarning`` (recognised by ``r1``
    ending in an axis of length 3; pass a per-case ``mu`` array whose last axis is 3 by keyword).

    Parameters
    ----------
    mu : array_like (...)
        Gravitational parameter of the central body [m^3/s^2], > 0.
    r1, r2 : array_like (..., 3)
        Initial and final position vectors [m].
    tof : array_like (...)
        Time of flight [s], > 0.
    revs : array_like of int (...), optional
        Number of complete revolutions ``M >= 0`` (default 0).
    prograde : array_like of bool (...), optional
        True (default): the transfer's angular momentum has ``h_z >= 0``; False: ``h_z < 0``.
    low_path : array_like of bool (...), optional
        For ``revs > 0``, which of the two solutions: True (default) the one from the larger
        initial guess (right branch, ``x > x(T_min)``), False the other. Ignored for ``revs = 0``.
    workers : int or None, optional
        Threads evaluating blocks (default 1; None: ``os.cpu_count()``).
    chunk_size : int, optional
        Problems per block (default 32768).
    xtol : float, optional
        Convergence test on the Householder step: ``|dx| <= xtol (1 + |x|)`` (default 1e-9).
        In the quartic phase the iteration stops earlier, at a step below ``1e-6 (1 + |x|)``
        that is 1000x smaller than the previous one (the accepted iterate is then converged to
        rounding: velocities to ~1e-15 relative where the problem is well conditioned).
    max_iter : int, optional
        Householder iteration cap (default 35, as poliastro); problems still moving get
        ``NOT_CONVERGED``.
    engine : {"auto", "compiled", "numpy"}, optional
        "compiled": a compiled loop over the problems (:mod:`jointmission.core.lambert_kernel`,
        numba): microseconds for one problem, no temporaries, 1-2x the array solver's rate on
        large batches; the first compiled solve of a process loads numba and the compiled code
        (~0.4-0.6 s of CPU, once). "numpy": the same algorithm as array operations on all
        problems of a block (the reference the compiled loop is tested against; same velocities
        to 1e-12, ~0.3 ms fixed cost per call, no start-up). "auto" (default): compiled up to
        :data:`SMALL_BATCH` problems, numpy above (a one-off large batch never waits for the
        compiled code to load; many small calls get the microsecond path).

    Returns
    -------
    LambertSolution
        ``v1``, ``v2`` (..., 3) [m/s], NaN where ``status != OK``; ``status`` (...) int8
        :class:`LambertStatus` codes; ``iterations`` (...) int8 Householder steps.

    Raises
    ------
    ValueError
        If ``r1``/``r2`` do not end in an axis of length 3, ``revs`` is not a whole number,
        ``workers``/``chunk_size``/``max_iter`` are not positive, ``engine`` is unknown, or the
        shapes do not broadcast.
    TypeError
        If an argument is an astropy Quantity (SI floats only; ``jointmission.solve_lambert``
        converts Quantities).

    References
    ----------
    D. Izzo, "Revisiting Lambert's problem", CMDA 121 (2015) 1-15; see the module docstring.
    """
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    tof = np.asarray(tof, dtype=float)
    mu = np.asarray(mu, dtype=float)
    revs = np.asarray(revs)
    if revs.dtype.kind not in "iu":
        if revs.dtype.kind != "f" or not np.all(revs == np.round(revs)):
            raise ValueError("revs must be whole numbers of revolutions")
        revs = revs.astype(np.int64)
    prograde = np.asarray(prograde, dtype=bool)
    low_path = np.asarray(low_path, dtype=bool)
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1 or chunk_size < 1 or not 1 <= max_iter <= 127:
        raise ValueError("workers and chunk_size must be >= 1 and max_iter in 1..127")
    if engine not in ("auto", "compiled", "numpy"):
        raise ValueError(f"engine must be 'auto', 'compiled' or 'numpy', got {engine!r}")
    for name, v in (("r1", r1), ("r2", r2)):
        if v.ndim == 0 or v.shape[-1] != 3:
            raise ValueError(f"{name} must have 3 components in its last axis, got shape {v.shape}")
    shape = np.broadcast_shapes(
        r1.shape[:-1], r2.shape[:-1], tof.shape, mu.shape, revs.shape, prograde.shape, low_path.shape
    )
    size = math.prod(shape)
    r1f = _flat_vec(r1, shape, size)
    r2f = _flat_vec(r2, shape, size)
    per_case = [_flat(a, shape, size) for a in (tof, mu, revs, prograde, low_path)]

    v1 = np.empty((size, 3))
    v2 = np.empty((size, 3))
    status = np.empty(size, dtype=np.int8)
    iters = np.empty(size, dtype=np.int8)

    if engine == "compiled" or (engine == "auto" and size <= SMALL_BATCH):
        kernel = _kernel().solve_into
        xtol, max_iter = float(xtol), int(max_iter)
        # one compiled signature: C-contiguous float64 / int64 / bool arrays, 1-element for shared,
        # all read-only views (numba types a read-only array apart from a writable one: a broadcast
        # input next to a fresh one would compile another of 2^7 variants, seconds each)
        r1f, r2f = _readonly(np.ascontiguousarray(r1f)), _readonly(np.ascontiguousarray(r2f))
        per_case = [_readonly(np.ascontiguousarray(a.reshape(1) if a.ndim == 0 else a, dtype=d))
                    for a, d in zip(per_case, (np.float64, np.float64, np.int64, np.bool_, np.bool_))]

        def block(lo):
            hi = min(lo + chunk_size, size)
            sl = slice(lo, hi)
            args = [a if a.shape[0] == 1 else a[sl] for a in (r1f, r2f)]
            args += [a if a.shape[0] == 1 else a[sl] for a in per_case]
            kernel(*args, xtol, max_iter, v1[sl], v2[sl], status[sl], iters[sl])
    else:
        def block(lo):
            hi = min(lo + chunk_size, size)
            sl = slice(lo, hi)
            args = [a if a.shape[0] == 1 else a[sl] for a in (r1f, r2f)]
            args += [a if a.ndim == 0 else a[sl] for a in per_case]
            _solve_block(*args, xtol, max_iter, v1[sl], v2[sl], status[sl], iters[sl])

    starts = range(0, size, chunk_size)
    if workers == 1 or len(starts) < 2:
        for lo in starts:
            block(lo)
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
            for _ in pool.map(block, starts):
                pass
    return LambertSolution(
        v1.reshape(shape + (3,)),
        v2.reshape(shape + (3,)),
        status.reshape(shape)[()],
        iters.reshape(shape)[()],
    )
