"""Izzo's Lambert algorithm for one problem at a time, compiled (numba): the loop over problems.

The same method, tolerances and status rules as the array solver
(:mod:`jointmission.core._lambert_array`; the equations are in :mod:`jointmission.core.lambert`'s
module docstring, D. Izzo 2015, CMDA 121:1-15): every step written for one problem, in the same
order of floating-point operations, so both give the same velocities to rounding
(``tests/core/test_lambert.py`` holds them together on random, multi-revolution, degenerate and
invalid problems). A compiled loop has no per-call numpy dispatch (a single problem costs
microseconds, not the ~0.3 ms of ~300 array operations on 1-element arrays) and no temporaries (a
large batch writes straight into its output arrays), and it releases the GIL, so blocks of problems
run on threads.

:func:`solve_into` solves ``n`` problems whose inputs are flat arrays of length ``n`` or 1 (one
value for all); :func:`solve_one` is the per-problem solver other compiled kernels call
(:mod:`jointmission.interplanetary.porkchop_kernel`). Compilation is cached on disk
(``cache=True``): the first use after an install compiles (a few seconds), later processes load it.
"""

from __future__ import annotations

import math

import numpy as np
from ._numba import jit as _jit  # numba without SciPy's import on the start-up path

from .status import Status

__all__ = ["solve_into", "solve_one", "OK", "INVALID", "DEGENERATE", "NO_SOLUTION", "NOT_CONVERGED"]

OK = int(Status.OK)
INVALID = int(Status.INVALID_INPUT)
DEGENERATE = int(Status.DEGENERATE)
NO_SOLUTION = int(Status.NO_SOLUTION)
NOT_CONVERGED = int(Status.NOT_CONVERGED)

# the constants of the array solver (core/_lambert_array.py), repeated as compile-time literals
_DEGENERATE_SIN = 1e-10
_DEGENERATE_RADIUS = 1e-6
_SERIES_S = 0.05
_FAST_STEP = 1e-6
_PARABOLA_Z = 1e-6


def _q_coefficients(n: int) -> np.ndarray:
    """Coefficients of ``Q(S) = 4/3 2F1(3, 1; 5/2; S)`` (highest power first)."""
    c = [4.0 / 3.0]
    for k in range(n - 1):
        c.append(c[-1] * (3.0 + k) / (2.5 + k))
    return np.array(c[::-1])


_Q_COEF = _q_coefficients(15)

@_jit
def _tof(x, ll, om, mpi, m0, order):
    """``T(x)`` and its first ``order`` derivatives for one problem (eqs. 18, 20, 22).

    ``m0``: zero revolutions (Battin's series allowed near the parabola); ``mpi = M pi``.
    Returns ``(T, dT, d2T, d3T, z)`` with ``z = 1 - x^2`` (unrequested derivatives are 0).
    """
    z = (1.0 - x) * (1.0 + x)
    lx = ll * x
    y = math.sqrt(lx * lx + om)
    if lx > 0.0:
        eta = om / (y + lx)
    else:
        eta = y - lx
    q = math.sqrt(abs(z))
    s = eta * q
    if z > 0.0:
        psi = math.atan2(s, x * y + ll * z)
    else:
        psi = math.asinh(s)
    psi += mpi
    t = ((psi / q - x) + ll * y) / z
    if m0:
        sv = ((1.0 - ll) - x * eta) * 0.5
        if abs(sv) < _SERIES_S:
            qv = _Q_COEF[0]
            for k in range(1, _Q_COEF.shape[0]):
                qv = qv * sv + _Q_COEF[k]
            t = 0.5 * eta * (eta * eta * qv + 4.0 * ll)
    if order == 0:
        return t, 0.0, 0.0, 0.0, z
    l2 = ll * ll
    l3y = l2 * ll / y
    d1 = ((3.0 * t * x - 2.0) + 2.0 * x * l3y) / z
    omy2 = om / (y * y)
    d2 = ((5.0 * x * d1 + 3.0 * t) + 2.0 * omy2 * l3y) / z
    d3 = ((7.0 * x * d2 + 8.0 * d1) - 6.0 * omy2 * l3y * l2 * x / (y * y)) / z
    return t, d1, d2, d3, z


@_jit
def _t_min(ll, om, mpi):
    """Minimum non-dimensional time of flight for ``M = mpi / pi`` (Halley on ``dT/dx = 0``
    from ``x = 0``, T re-evaluated each step); NaN if the iteration did not converge."""
    x = 0.0
    x_m = np.nan
    for _ in range(16):
        _, d1, d2, d3, _ = _tof(x, ll, om, mpi, False, 3)
        x_new = x - 2.0 * d1 * d2 / (2.0 * d2 * d2 - d1 * d3)
        if not abs(x_new) < 1.0:
            xn = x - d1 / d2
            if not abs(xn) < 1.0:
                xn = 0.5 * (x - np.sign(d1))
            x_new = xn
        if abs(x_new - x) < 1e-13:
            x_m = x_new
            break
        if not math.isfinite(x_new):
            break
        x = x_new
    return _tof(x_m, ll, om, mpi, False, 0)[0]


@_jit
def _householder(x, ll, om, tt, mpi, m0, xtol, max_iter):
    """Householder iterations (quartic) on ``T(x) = tt``; returns ``(x, iterations)``, x NaN if
    the tolerance was not met within ``max_iter`` steps."""
    prev = 0.0
    for it in range(1, max_iter + 1):
        t, d1, d2, d3, z = _tof(x, ll, om, mpi, m0, 3)
        f = t - tt
        d1sq = d1 * d1
        f_d2 = f * d2
        num = d1sq - 0.5 * f_d2
        den = (d1sq - f_d2) * d1 + d3 * f * f * (1.0 / 6.0)
        step = f * num / den
        if m0 and abs(z) < _PARABOLA_Z:
            l5 = ll * ll * ll * ll * ll
            step = f / (-0.4 * (1.0 - l5))
        x_new = x - step
        out = not (x_new > -1.0)
        if not m0 and x_new >= 1.0:
            out = True
        if out and math.isfinite(x_new):
            x_new = 0.5 * (x + 1.0) if x_new >= 1.0 else 0.5 * (x - 1.0)
        size = 1.0 + abs(x_new)
        astep = abs(step)
        done = astep <= xtol * size
        if it > 1 and astep <= _FAST_STEP * size and astep <= 1e-3 * prev:
            done = True
        prev = astep
        if done and not out:
            return x_new, it
        if not math.isfinite(x_new):
            break
        x = x_new
    return np.nan, max_iter


@_jit
def _velocity(px, py, pz, rn, hx, hy, hz, vr, vt):
    """Velocity [m/s] at position ``p`` (norm ``rn``) from its radial ``vr`` and tangential ``vt``
    components, the tangential direction ``h x p`` normalised by its own length (eq. 23)."""
    tx = hy * pz - hz * py
    ty = hz * px - hx * pz
    tz = hx * py - hy * px
    a = vr / rn
    b = vt / (rn * math.sqrt(tx * tx + ty * ty + tz * tz))
    return a * px + b * tx, a * py + b * ty, a * pz + b * tz


@_jit
def solve_one(ax, ay, az, bx, by, bz, tof, mu, revs, prograde, low_path, xtol, max_iter):
    """One Lambert problem: returns ``(v1x, v1y, v1z, v2x, v2y, v2z, status, iterations)``
    [m/s]; velocities NaN where ``status != OK``. Inputs SI (m, s, m^3/s^2)."""
    nan = np.nan
    r1n = math.sqrt(ax * ax + ay * ay + az * az)
    r2n = math.sqrt(bx * bx + by * by + bz * bz)
    hx = ay * bz - az * by
    hy = az * bx - ax * bz
    hz = ax * by - ay * bx
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    dx, dy, dz = bx - ax, by - ay, bz - az
    c = math.sqrt(dx * dx + dy * dy + dz * dz)
    rs = r1n + r2n
    s = 0.5 * (rs + c)
    om = c / s
    ok = (math.isfinite(ax) and math.isfinite(ay) and math.isfinite(az) and math.isfinite(bx)
          and math.isfinite(by) and math.isfinite(bz) and math.isfinite(tof) and tof > 0.0
          and math.isfinite(mu) and mu > 0.0 and revs >= 0)
    if not ok:
        return nan, nan, nan, nan, nan, nan, INVALID, 0
    q = r1n / r2n
    if not (hn > _DEGENERATE_SIN * (r1n * r2n) and q > _DEGENERATE_RADIUS and q < 1.0 / _DEGENERATE_RADIUS):
        return nan, nan, nan, nan, nan, nan, DEGENERATE, 0
    wx = r2n * ax + r1n * bx
    wy = r2n * ay + r1n * by
    wz = r2n * az + r1n * bz
    ll = math.sqrt(wx * wx + wy * wy + wz * wz)
    ll /= (rs + c) * math.sqrt(r1n * r2n)
    ll = min(ll, 1.0)
    sgn = -1.0 if hz < 0.0 else 1.0
    if not prograde:
        sgn = -sgn
    ll *= sgn
    tt = math.sqrt(2.0 * mu / (s * s * s)) * tof

    # initial guess (eqs. 30-31) and multi-revolution feasibility
    m0 = revs == 0
    mf = float(revs)
    if m0:
        t00 = math.acos(ll) + ll * math.sqrt(om)
        l3 = ll * ll * ll
        t1 = (2.0 / 3.0) * (1.0 - l3)
        r = t00 / tt
        if tt >= t00:
            x0 = np.cbrt(r * r) - 1.0
        elif tt < t1:
            x0 = 2.5 * t1 / tt * (t1 - tt) / (1.0 - l3 * ll * ll) + 1.0
        else:
            x0 = np.exp2(math.log(tt / t00) / math.log(t1 / t00)) - 1.0
        mpi = 0.0
    else:
        a = (mf + 1.0) * math.pi / (8.0 * tt)
        a = np.cbrt(a * a)
        b = 8.0 * tt / (mf * math.pi)
        b = np.cbrt(b * b)
        xl = (a - 1.0) / (a + 1.0)
        xr = (b - 1.0) / (b + 1.0)
        x0 = max(xl, xr) if low_path else min(xl, xr)
        nmax = math.floor(tt / math.pi)
        if mf > nmax:
            return nan, nan, nan, nan, nan, nan, NO_SOLUTION, 0
        mpi = mf * math.pi
        t0m = (math.acos(ll) + ll * math.sqrt(om)) + mf * math.pi
        if mf == nmax and tt < t0m:
            tmin = _t_min(ll, om, mpi)
            if tt < tmin:
                return nan, nan, nan, nan, nan, nan, NO_SOLUTION, 0
            if math.isnan(tmin):
                return nan, nan, nan, nan, nan, nan, NOT_CONVERGED, 0
    x, its = _householder(x0, ll, om, tt, mpi, m0, xtol, max_iter)
    if math.isnan(x):
        return nan, nan, nan, nan, nan, nan, NOT_CONVERGED, its

    # velocities, eq. (23); tangential directions h x r normalised by their own length
    y = ll * x
    y = math.sqrt(y * y + om)
    lyp = ll * y
    lym = lyp - x
    lyp += x
    gamma = math.sqrt(0.5 * mu * s)
    rho = (r1n - r2n) / c
    sigma = math.sqrt((1.0 - rho) * (1.0 + rho))
    vr1 = gamma * (lym - rho * lyp) / r1n
    vr2 = -gamma * (lym + rho * lyp) / r2n
    vt = (ll * x + y) * (gamma * sigma * sgn)
    v1x, v1y, v1z = _velocity(ax, ay, az, r1n, hx, hy, hz, vr1, vt)
    v2x, v2y, v2z = _velocity(bx, by, bz, r2n, hx, hy, hz, vr2, vt)
    if not (math.isfinite(v1x) and math.isfinite(v1y) and math.isfinite(v1z) and math.isfinite(v2x)
            and math.isfinite(v2y) and math.isfinite(v2z)):
        return nan, nan, nan, nan, nan, nan, NOT_CONVERGED, its
    return v1x, v1y, v1z, v2x, v2y, v2z, OK, its


@_jit
def solve_into(r1, r2, tof, mu, revs, prograde, low_path, xtol, max_iter, v1, v2, status, iters):
    """Solve ``n = status.shape[0]`` problems into ``v1``, ``v2`` (n, 3), ``status``, ``iters`` (n,).

    ``r1``, ``r2`` are (n, 3) or (1, 3); ``tof``, ``mu``, ``revs`` (int64), ``prograde``,
    ``low_path`` (bool) are (n,) or (1,): a length-1 input is the same for every problem.
    """
    n = status.shape[0]
    s1 = 1 if r1.shape[0] > 1 else 0
    s2 = 1 if r2.shape[0] > 1 else 0
    st = 1 if tof.shape[0] > 1 else 0
    sm = 1 if mu.shape[0] > 1 else 0
    sr = 1 if revs.shape[0] > 1 else 0
    sp = 1 if prograde.shape[0] > 1 else 0
    sl = 1 if low_path.shape[0] > 1 else 0
    for i in range(n):
        i1, i2 = i * s1, i * s2
        res = solve_one(r1[i1, 0], r1[i1, 1], r1[i1, 2], r2[i2, 0], r2[i2, 1], r2[i2, 2], tof[i * st],
                        mu[i * sm], revs[i * sr], prograde[i * sp], low_path[i * sl], xtol, max_iter)
        v1[i, 0] = res[0]
        v1[i, 1] = res[1]
        v1[i, 2] = res[2]
        v2[i, 0] = res[3]
        v2[i, 1] = res[4]
        v2[i, 2] = res[5]
        status[i] = res[6]
        iters[i] = res[7]
