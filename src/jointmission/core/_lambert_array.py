"""Array engine of Lambert's problem: Izzo's algorithm as numpy operations on blocks of problems.

The ``engine="numpy"`` solver behind :func:`jointmission.core.lambert.lambert` (which holds the
public API, the input handling and the choice of engine; the method, conventions and sources are
in that module's docstring). :func:`_solve_block` solves one block: every step is a numpy
operation on the array of problems still iterating (a compacted active subset), and each problem
stops on its own convergence test. The compiled per-problem loop
(:mod:`jointmission.core.lambert_kernel`) repeats the same method and constants and is tested
against this one.
"""

from __future__ import annotations

import math

import numpy as np

from .status import Status as LambertStatus


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
