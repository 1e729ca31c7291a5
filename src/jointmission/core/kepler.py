"""Two-body (Kepler) propagation over arrays with universal variables.

Given a state ``r0`` [m], ``v0`` [m/s] about a body of gravitational parameter ``mu``
[m^3/s^2], find the state after ``dt`` [s] (negative ``dt`` propagates backwards). One
formulation covers ellipses, parabolas and hyperbolas, including rectilinear orbits.

Every input broadcasts against the others (cases along the leading axes, 3-vectors in the last
axis); a single state is a 0-d case. The iteration runs over a compacted array of the cases not
yet converged; no Python loop over cases.

Method
------
With the universal anomaly ``chi``, ``alpha = 2 / r0 - v0^2 / mu`` (``1 / a``), ``z = alpha chi^2``
and the Stumpff functions ``C(z)``, ``S(z)``, define the universal functions
``U1 = chi (1 - z S)``, ``U2 = chi^2 C``, ``U3 = chi^3 S``, ``U0 = 1 - alpha U2``. Kepler's
equation in universal form (Curtis eq. 3.49; Vallado algorithm 8) is

    F(chi) = r0 U1 + sigma0 U2 + U3 - sqrt(mu) dt = 0,   sigma0 = r0 . v0 / sqrt(mu)

(``= r0 chi + sigma0 chi^2 C + (1 - alpha r0) chi^3 S - sqrt(mu) dt``)

with ``F' = r = r0 U0 + sigma0 U1 + U2`` and ``F'' = sigma0 U0 + (1 - alpha r0) U1``. It is
solved by the Laguerre-Conway iteration (B. A. Conway, "An improved algorithm due to Laguerre for
the solution of Kepler's equation", Celest. Mech. 39 (1986) 199-211), with ``n = 5``:

    chi <- chi - n F / (F' + sign(F') sqrt(|(n - 1)^2 F'^2 - n (n - 1) F F''|)),

which converges from crude starts where Newton's method can cycle (high eccentricity, long
hyperbolic arcs). Starting values: elliptic ``chi0 = sqrt(mu) alpha dt`` after reducing ``dt``
modulo the period (Vallado algorithm 8); hyperbolic from the hyperbolic Kepler equation
(``chi0 = (H1 - H0) / sqrt(-alpha)``, see ``_hyperbolic_guess``); otherwise ``sqrt(mu) dt / r0``.
Hyperbolic states with hyperbolic anomaly ``|H0| > 1`` are first moved to their periapsis
(``_from_periapsis``): expanded about a point far from periapsis, the equation and
``r = f r0 + g v0`` cancel (terms ~``exp(2 |H0|)`` times the result on arcs through periapsis).
The iteration stops when the step is below ``rtol (|chi| + sqrt(r0))``, or when it stops shrinking
below ``1e-7`` of that scale while ``|F|`` is at rounding level (1e-12 of its largest term).
Then the Lagrange coefficients (Curtis eqs. 3.69, 3.71)

    f = 1 - U2 / r0,  g = (r0 U1 + sigma0 U2) / sqrt(mu),
    fdot = -sqrt(mu) U1 / (r r0),  gdot = 1 - U2 / r,
    r = f r0 + g v0,  v = fdot r0 + gdot v0.

The Stumpff functions use ``1 - cos x = 2 sin^2(x / 2)`` (``cosh x - 1 = 2 sinh^2(x / 2)``) and
their Maclaurin series for ``|z| < 1`` (where ``S``'s closed form cancels).

Statuses (``KeplerStatus``): ``OK``; ``NOT_CONVERGED`` (tolerance not met in ``max_iter`` steps,
the orbit overflows - a hyperbola followed for an absurd time - or a nearly rectilinear hyperbola
far from periapsis, where float64 cannot represent the answer); ``INVALID`` (non-finite input,
``mu <= 0`` or ``|r0| = 0``). ``r`` and ``v`` are NaN wherever ``status != OK``.

Sources
-------
- [Curtis] H. D. Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., 2014, sec. 3.7
  (universal variables, Algorithm 3.3 and 3.4, Examples 3.6 and 3.7).
- [Vallado] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., 2013,
  sec. 2.3, Algorithm 8 (KEPLER), Example 2-4.
- [Conway] B. A. Conway, Celest. Mech. 39 (1986) 199-211 (Laguerre's method for Kepler's
  equation).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .status import Status
from ._guard import mu_first, si_kernel
from ._types import ArrayLike

__all__ = ["KeplerStatus", "PropagationResult", "propagate", "stumpff"]


KeplerStatus = Status
"""Status of a propagation: the one scheme of :mod:`jointmission.core.status` (``OK``,
``NOT_CONVERGED`` -- also a nearly rectilinear hyperbola that float64 cannot propagate towards
periapsis --, ``INVALID_INPUT`` for non-finite input, ``mu <= 0`` or ``|r0| = 0``)."""


class PropagationResult(NamedTuple):
    """Result of :func:`propagate`.

    Attributes
    ----------
    r : ndarray (..., 3)
        Position after ``dt`` [m]; NaN where ``status != OK``.
    v : ndarray (..., 3)
        Velocity after ``dt`` [m/s]; NaN where ``status != OK``.
    status : ndarray (...) int8
        :class:`KeplerStatus` codes.
    iterations : ndarray (...) int8
        Laguerre-Conway iterations taken by each case.
    """

    r: np.ndarray
    v: np.ndarray
    status: np.ndarray
    iterations: np.ndarray


# Maclaurin coefficients (highest power first) for |z| < 1: C(z) = sum (-z)^k / (2k + 2)!,
# S(z) = sum (-z)^k / (2k + 3)!. Eleven terms: the first omitted one is below 1/24! ~ 1.6e-24.
_C_COEF = tuple((-1.0) ** k / math.factorial(2 * k + 2) for k in range(10, -1, -1))
_S_COEF = tuple((-1.0) ** k / math.factorial(2 * k + 3) for k in range(10, -1, -1))


def stumpff(z):
    """Stumpff functions ``C(z)`` and ``S(z)`` [-] of a dimensionless argument ``z``.

    ``C(z) = (1 - cos sqrt z) / z``, ``S(z) = (sqrt z - sin sqrt z) / sqrt(z)^3`` for ``z > 0``,
    the hyperbolic forms for ``z < 0``, and ``C(0) = 1/2``, ``S(0) = 1/6``. Evaluated without
    cancellation: half-angle forms for ``C``, Maclaurin series for ``|z| < 1``.

    Parameters
    ----------
    z : array_like
        Argument ``alpha chi^2`` [-].

    Returns
    -------
    (C, S) : tuple of float or ndarray
        Same shape as ``z``; NaN for NaN input, and overflow gives NaN for ``z < -5e5``.

    References
    ----------
    Curtis, 3rd ed., eqs. 3.52-3.53; Vallado, 4th ed., sec. 2.2.
    """
    z = np.asarray(z, dtype=float)
    c, s = _stumpff(z.reshape(-1))
    return c.reshape(z.shape)[()], s.reshape(z.shape)[()]


def _stumpff(z):
    """``C(z), S(z)`` for a 1-d float array (see :func:`stumpff`)."""
    c = np.empty_like(z)
    s = np.empty_like(z)
    small = np.abs(z) < 1.0
    if small.any():
        zs = z[small]
        cc = np.full_like(zs, _C_COEF[0])
        ss = np.full_like(zs, _S_COEF[0])
        for a, b in zip(_C_COEF[1:], _S_COEF[1:]):
            cc *= zs
            cc += a
            ss *= zs
            ss += b
        c[small] = cc
        s[small] = ss
    big = ~small
    if big.any():
        zb = z[big]
        sq = np.sqrt(np.abs(zb))
        ell = zb > 0.0
        h = 0.5 * sq
        sn = np.where(ell, np.sin(h), np.sinh(h))
        cb = 2.0 * sn * sn / np.abs(zb)  # 2 sin^2(x/2) / x^2, 2 sinh^2(x/2) / x^2
        trig = np.where(ell, np.sin(sq), np.sinh(sq))
        sb = np.where(ell, sq - trig, trig - sq) / (np.abs(zb) * sq)
        c[big] = cb
        s[big] = sb
    return c, s


def _universal(chi, alpha):
    """``U0, U1, U2, U3`` at ``chi`` for reciprocal semi-major axis ``alpha``."""
    chi2 = chi * chi
    c, s = _stumpff(alpha * chi2)
    u2 = chi2 * c
    u3 = chi2 * chi * s
    u1 = chi - alpha * u3
    u0 = 1.0 - alpha * u2
    return u0, u1, u2, u3


def _hyperbolic_guess(alpha, r0n, v0sq, rdv, sig0, mu, smu, t):
    """Starting universal anomaly on a hyperbola from the hyperbolic Kepler equation.

    ``M1 = e sinh H0 - H0 + sqrt(mu (-alpha)^3) t``; ``H1`` from ``H = asinh((M1 + H) / e)``
    (three fixed-point steps from ``asinh(M1 / e)``, a contraction for ``|H| > 0``), and
    ``chi = (H1 - H0) / sqrt(-alpha)``. Vallado's logarithmic guess has the wrong sign for short
    arcs and Laguerre-Conway then creeps ~``5 / sqrt(-alpha)`` per step; this guess is within a
    few per cent for any arc length. NaN for non-hyperbolic entries (not used).
    """
    na = -alpha
    sna = np.sqrt(na)
    e = np.sqrt(1.0 + na * np.maximum(r0n * r0n * v0sq - rdv * rdv, 0.0) / mu)
    h0 = np.arcsinh(sig0 * sna / e)
    m1 = e * np.sinh(h0) - h0 + smu * na * sna * t
    h1 = np.arcsinh(m1 / e)
    for _ in range(3):
        h1 = np.arcsinh((m1 + h1) / e)
    return (h1 - h0) / sna


def _from_periapsis(hyp, rr, vv, t, r0n, rdv, sig0, alpha, mu, smu, v0sq):
    """Re-reference hyperbolic states with ``|H0| > 1`` to their periapsis.

    Expanding the universal Kepler equation about a point far from periapsis cancels: with
    hyperbolic anomaly ``H0`` at the start, its terms are ``~exp(2 |H0|)`` times the result on an
    arc through periapsis, and ``r = f r0 + g v0`` cancels likewise. From periapsis
    (``sigma = 0``, ``r_p`` perpendicular to ``v_p``) every term is positive. The periapsis state
    is ``r_p = p / (1 + e)`` along the eccentricity vector, ``v_p = h / r_p`` along ``h x e``,
    with ``e = sqrt(1 - alpha p)``; the time from periapsis to ``r0`` is
    ``(e sinh H0 - H0) / sqrt(mu (-alpha)^3)`` with ``sinh H0 = sigma0 sqrt(-alpha) / e``
    (Vallado sec. 2.2, hyperbolic anomaly). Cases with ``|H0| <= 1`` or a (nearly) rectilinear
    orbit (``|h| <= 1e-10 |r0| |v0|``, no periapsis direction) keep ``r0``. Returns updated copies
    of the arrays and the indices of rectilinear cases with ``|H0| > 10`` heading for periapsis,
    where the expansion about ``r0`` loses all digits (amplification ~``exp(2 |H0|)``).
    """
    i = np.flatnonzero(hyp)
    rv, vvv = rr[i], vv[i]
    h = np.cross(rv, vvv)
    hn = np.sqrt(np.einsum("ij,ij->i", h, h))
    na = -alpha[i]
    p = hn * hn / mu[i]
    e = np.sqrt(1.0 + na * p)
    h0 = np.arcsinh(sig0[i] * np.sqrt(na) / e)
    flat = hn <= 1e-10 * r0n[i] * np.sqrt(v0sq[i])
    lost = i[flat & (np.abs(h0) > 10.0) & (sig0[i] * t[i] < 0.0)]  # heading for periapsis
    sel = (np.abs(h0) > 1.0) & ~flat
    if not sel.any():
        return rr, vv, t, r0n, rdv, sig0, lost
    i, rv, vvv, h, hn, na, p, e, h0 = (a[sel] for a in (i, rv, vvv, h, hn, na, p, e, h0))
    mu_i = mu[i]
    ev = (v0sq[i] - mu_i / r0n[i])[:, None] * rv - rdv[i][:, None] * vvv
    pv = ev / np.sqrt(np.einsum("ij,ij->i", ev, ev))[:, None]
    qv = np.cross(h, pv)
    qv /= np.sqrt(np.einsum("ij,ij->i", qv, qv))[:, None]
    rp = p / (1.0 + e)
    vp = hn / rp
    rr, vv, t, r0n, rdv, sig0 = (np.array(a) for a in (rr, vv, t, r0n, rdv, sig0))
    rr[i] = rp[:, None] * pv
    vv[i] = vp[:, None] * qv
    t[i] += (e * np.sinh(h0) - h0) / (smu[i] * na * np.sqrt(na))
    r0n[i] = rp
    rdv[i] = 0.0
    sig0[i] = 0.0
    return rr, vv, t, r0n, rdv, sig0, lost


@mu_first
@si_kernel(mu="m^3/s^2", r0="m", v0="m/s", dt="s")
def propagate(mu: ArrayLike, r0: ArrayLike, v0: ArrayLike, dt: ArrayLike, *, rtol: float = 1e-11, max_iter: int = 50) -> PropagationResult:
    """Propagate two-body states by ``dt`` with universal variables (all conic types).

    The argument order is ``mu`` first, as every kernel (``hohmann(mu, r1, r2)``); the old order
    ``propagate(r0, v0, dt, mu)`` still works with a ``DeprecationWarning`` (recognised by ``r0``
    ending in an axis of length 3; pass a per-case ``mu`` array whose last axis is 3 by keyword).

    Parameters
    ----------
    mu : array_like (...)
        Gravitational parameter of the central body [m^3/s^2], > 0.
    r0 : array_like (..., 3)
        Initial position [m].
    v0 : array_like (..., 3)
        Initial velocity [m/s].
    dt : array_like (...)
        Time to propagate [s]; negative goes backwards, 0 returns the initial state.
    rtol : float, optional
        Convergence test on the Laguerre-Conway step: ``|d chi| <= rtol (|chi| + sqrt(r0))``
        (``chi`` is in m^0.5). The iteration is cubic, so the accepted iterate is accurate to
        rounding for any ``rtol`` below ~1e-6; a step that stops shrinking below ``1e-7`` of
        the scale, with ``|F|`` below 1e-12 of its largest term, is rounding noise and also
        ends the iteration.
    max_iter : int, optional
        Iteration cap (default 50); cases still moving get ``NOT_CONVERGED``.

    Returns
    -------
    PropagationResult
        ``r`` [m], ``v`` [m/s] (..., 3), NaN where ``status != OK``; ``status`` (...) int8
        :class:`KeplerStatus`; ``iterations`` (...) int8.

    Raises
    ------
    ValueError
        If ``r0``/``v0`` do not end in an axis of length 3, the shapes do not broadcast, or
        ``max_iter`` is not in 1..127.
    TypeError
        If an argument is an astropy Quantity (SI floats only; ``jointmission.propagate`` converts
        Quantities).

    References
    ----------
    Curtis, 3rd ed., Algorithms 3.3-3.4; Vallado, 4th ed., Algorithm 8; Conway (1986).
    """
    r0 = np.asarray(r0, dtype=float)
    v0 = np.asarray(v0, dtype=float)
    dt = np.asarray(dt, dtype=float)
    mu = np.asarray(mu, dtype=float)
    for name, a in (("r0", r0), ("v0", v0)):
        if a.ndim == 0 or a.shape[-1] != 3:
            raise ValueError(f"{name} must have 3 components in its last axis, got shape {a.shape}")
    if not 1 <= max_iter <= 127:
        raise ValueError("max_iter must be in 1..127")
    shape = np.broadcast_shapes(r0.shape[:-1], v0.shape[:-1], dt.shape, mu.shape)
    size = math.prod(shape)
    rr = np.broadcast_to(r0, shape + (3,)).reshape(size, 3)
    vv = np.broadcast_to(v0, shape + (3,)).reshape(size, 3)
    t = np.broadcast_to(dt, shape).reshape(size)
    m = np.broadcast_to(mu, shape).reshape(size)

    with np.errstate(all="ignore"):
        r0n = np.sqrt(np.einsum("ij,ij->i", rr, rr))
        v0sq = np.einsum("ij,ij->i", vv, vv)
        rdv = np.einsum("ij,ij->i", rr, vv)
        smu = np.sqrt(m)
        alpha = 2.0 / r0n - v0sq / m  # 1 / a [1/m]
        sig0 = rdv / smu
        ok = np.isfinite(rr).all(axis=1) & np.isfinite(vv).all(axis=1) & np.isfinite(t)
        ok &= np.isfinite(m) & (m > 0.0) & (r0n > 0.0)
        status = np.where(ok, KeplerStatus.OK, KeplerStatus.INVALID).astype(np.int8)

        # elliptic: reduce dt modulo the period (keeps chi and z small for long arcs)
        ell = alpha * r0n > 1e-12
        period = 2.0 * math.pi / (smu * alpha * np.sqrt(alpha))
        t_red = np.where(ell, np.fmod(t, period), t)
        hyp = ok & (alpha * r0n < -1e-12)
        if hyp.any():  # strongly hyperbolic arcs start from periapsis instead (module docstring)
            rr, vv, t_red, r0n, rdv, sig0, lost = _from_periapsis(
                hyp, rr, vv, t_red, r0n, rdv, sig0, alpha, m, smu, v0sq
            )
            ok[lost] = False
            status[lost] = KeplerStatus.NOT_CONVERGED
        # starting values: elliptic as Vallado algorithm 8 (chi = sqrt(mu) alpha dt after the
        # period reduction); hyperbolic from the hyperbolic anomaly (below); else sqrt(mu) dt / r0
        chi0 = np.where(ell, smu * t_red * alpha, smu * t_red / r0n)
        hyp = alpha * r0n < -1e-12
        if hyp.any():
            chi0 = np.where(hyp, _hyperbolic_guess(alpha, r0n, v0sq, rdv, sig0, m, smu, t_red), chi0)

        chi = np.full(size, np.nan)
        iters = np.zeros(size, dtype=np.int8)
        # an arc too short to move the state by a rounding unit of r0 (dt ~ 1e-300 s, subnormal
        # F terms that the residual test cannot resolve): chi = sqrt(mu) dt / r0 is exact to
        # O(chi^2) there
        tiny = ok & (np.abs(t_red) * np.sqrt(v0sq + m / r0n) <= 1e-17 * r0n)
        if tiny.any():
            chi[tiny] = smu[tiny] * t_red[tiny] / r0n[tiny]
            ok = ok & ~tiny
        idx = np.flatnonzero(ok)
        x = chi0[idx]
        al, r0a, s0, sm, ta = alpha[idx], r0n[idx], sig0[idx], smu[idx], t_red[idx]
        k1 = 1.0 - al * r0a
        scale = np.sqrt(r0a)
        n_lc = 5.0
        for it in range(1, max_iter + 1):
            if idx.size == 0:
                break
            u0, u1, u2, u3 = _universal(x, al)
            f = r0a * u1 + s0 * u2 + u3 - sm * ta
            fp = r0a * u0 + s0 * u1 + u2
            fpp = s0 * u0 + k1 * u1
            root = np.sqrt(np.abs((n_lc - 1.0) ** 2 * fp * fp - n_lc * (n_lc - 1.0) * f * fpp))
            step = n_lc * f / (fp + np.copysign(root, fp))
            x_new = x - step
            size_x = np.abs(x_new) + scale
            fscale = np.abs(r0a * u1) + np.abs(s0 * u2) + np.abs(u3) + np.abs(sm * ta)
            done = np.abs(step) <= rtol * size_x
            if it > 1:  # rounding-limited: the step no longer shrinks and F is rounding noise
                done |= (
                    (np.abs(step) >= 0.5 * np.abs(prev))
                    & (np.abs(step) <= 1e-7 * size_x)
                    & (np.abs(f) <= 1e-12 * fscale)
                )
            # a chance small step of a wandering iteration is not convergence: the residual
            # must be small against the terms of F (catches near-rectilinear hyperbolas whose
            # F cancels to noise)
            done &= np.abs(f) <= 1e-9 * fscale
            prev = step
            dead = ~np.isfinite(x_new)
            chi[idx[done]] = x_new[done]
            iters[idx[done]] = it
            keep = ~(done | dead)
            iters[idx[~keep & ~done]] = it
            idx = idx[keep]
            x, al, r0a, s0, sm, ta, k1, scale, prev = (
                arr[keep] for arr in (x_new, al, r0a, s0, sm, ta, k1, scale, prev)
            )
        iters[idx] = max_iter

        u0, u1, u2, u3 = _universal(chi, alpha)
        rn = r0n * u0 + sig0 * u1 + u2
        f = 1.0 - u2 / r0n
        g = (r0n * u1 + sig0 * u2) / smu
        fdot = -smu * u1 / (rn * r0n)
        gdot = 1.0 - u2 / rn
        r = f[:, None] * rr + g[:, None] * vv
        v = fdot[:, None] * rr + gdot[:, None] * vv
        bad = ~(np.isfinite(r).all(axis=1) & np.isfinite(v).all(axis=1))
        status[(status == KeplerStatus.OK) & bad] = KeplerStatus.NOT_CONVERGED
        r[status != 0] = np.nan
        v[status != 0] = np.nan
    return PropagationResult(
        r.reshape(shape + (3,)),
        v.reshape(shape + (3,)),
        status.reshape(shape)[()],
        iters.reshape(shape)[()],
    )
