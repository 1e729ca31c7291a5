"""The vectorized payload solve: the payload [kg] that a vehicle (:class:`~.rocket.Stack`) delivers for a
required ideal delta-v [m/s], for arrays of vehicles and of requirements (one or several targets per
vehicle).

Every flight phase's delta-v is ``c ln((A + p) / (B + p))`` in the payload ``p`` (see
:mod:`jointmission.core.rocket`), so ``f(p) = sum_k c_k ln((A_k + p)/(B_k + p)) - dv_req`` is
decreasing and convex in ``p``; it is solved by a safeguarded fourth-order (Householder) iteration
in ``x = ln(p + B_top)`` over blocks of cases, one convergence flag per case
(``docs/method-rocket.md`` section 4). All quantities are SI floats.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..constants import G0
from ._types import ArrayLike
from .rocket import PayloadStatus, Stack, _as_float_fields

__all__ = ["PayloadSolution", "PreparedPayload", "solve_payload", "solve_payload_targets"]


class PayloadSolution(NamedTuple):
    """Result of :func:`solve_payload`.

    Attributes
    ----------
    payload : ndarray (...) payload [kg]; NaN where ``status != OK``.
    status : ndarray (...) int8 :class:`PayloadStatus` codes.
    iterations : int, Newton steps taken by the slowest case.
    """

    payload: np.ndarray
    status: np.ndarray
    iterations: int


def solve_payload(stack: Stack, dv_required_m_s: ArrayLike, *, rtol: float = 1e-12, max_iter: int = 60) -> PayloadSolution:
    """Payload [kg] for which the vehicle's ideal delta-v equals ``dv_required_m_s`` [m/s].

    Vectorized, safeguarded fourth-order (Householder) iteration on
    ``f(p) = sum_k c_k ln((A_k + p) / (B_k + p)) - dv_req``, which is decreasing and convex in ``p``,
    taken in ``x = ln(p + B_top)`` from ``p = 0`` with a per-case bracket and a Newton-in-``p``
    fallback (see :func:`_solve_block` and ``docs/method-rocket.md`` section 4). Realistic vehicles
    converge in 3 evaluations of ``f``. For several requirements per vehicle (several targets),
    :func:`solve_payload_targets` shares the vehicle's part of the work between them.

    Parameters
    ----------
    stack : Stack
        Vehicle arrays (broadcast against ``dv_required_m_s``).
    dv_required_m_s : array_like (...)
        Ideal delta-v the vehicle must provide [m/s] (orbit + losses - Earth-rotation benefit...).
    rtol : float
        Relative tolerance on the payload, relative to ``p + B_top`` (``B_top`` = top-stage dry mass
        [kg]).
    max_iter : int
        Iteration cap; cases still moving get ``NOT_CONVERGED``.

    Returns
    -------
    PayloadSolution
        ``payload`` [kg] (NaN unless ``status == OK``), ``status`` codes, ``iterations``.
    """
    dv_req = np.asarray(dv_required_m_s, dtype=float)
    sol = solve_payload_targets(stack, dv_req[..., None], rtol=rtol, max_iter=max_iter)
    return PayloadSolution(sol.payload[..., 0], sol.status[..., 0], sol.iterations)


def solve_payload_targets(stack: Stack, dv_required_m_s: ArrayLike, *, rtol: float = 1e-12,
                          max_iter: int = 60, guess: ArrayLike | None = None) -> PayloadSolution:
    """Payloads [kg] of each vehicle for ``T`` required delta-v values [m/s] at once.

    ``dv_required_m_s`` has shape ``(..., T)``: the leading axes broadcast against the stack's case
    axes, the last axis holds the ``T`` requirements (targets) of each case. The result is that of
    ``solve_payload(stack, dv_required_m_s[..., t])`` for every ``t`` (to the solver's tolerance;
    statuses identical), with less work: the phase table of each vehicle and the evaluation of
    ``D = f + dv_req`` at ``p = 0`` (which does not depend on the requirement) are computed once per
    vehicle, and since an evaluation of ``D`` serves every target, the targets are solved from the
    highest requirement down, each starting from the previous target's last evaluation where that
    is closer to its root than ``p = 0`` (the LEO and TLI-delivery targets of a sweep: 3
    evaluations of ``f`` per vehicle instead of 6).

    Parameters
    ----------
    stack : Stack
        Vehicle arrays; case shape broadcast against ``dv_required_m_s.shape[:-1]``.
    dv_required_m_s : array_like (..., T)
        Ideal delta-v per case and target [m/s].
    rtol, max_iter
        As for :func:`solve_payload`.
    guess : array_like (..., T), optional
        Payloads [kg] expected just *below* the roots (from a surrogate of the sweep, say). Where
        ``f(guess) >= 0`` (the root is at or above it, so the case is feasible) the iteration starts
        there with the bracket ``[guess, inf)`` and no evaluation at ``p = 0``: a guess within
        ``~1e-3 (p + B_top)`` of the root converges in one evaluation of ``f``. Other cases (guess
        above the root, NaN, negative) are solved as without a guess, from ``p = 0`` or the guess,
        whichever is closer. The guess changes only where the iteration starts: statuses are the
        same and payloads agree to the tolerance.

    Returns
    -------
    PayloadSolution
        ``payload`` [kg] and ``status`` of shape ``(..., T)``; ``iterations`` of the slowest case.
    """
    dv_req = np.asarray(dv_required_m_s, dtype=float)
    if dv_req.ndim == 0:
        raise ValueError("dv_required_m_s needs a trailing target axis (shape (..., T))")
    n_t = dv_req.shape[-1]
    stage, boost = _as_float_fields(stack)
    n = np.broadcast_shapes(*(x.shape for x in stage))[-1]
    shape = np.broadcast_shapes(
        *(x.shape[:-1] for x in stage), *(x.shape for x in boost), dv_req.shape[:-1]
    )
    size = int(np.prod(shape))

    def flat(x, tail):
        # A field without case axes stays unbroadcast (cheap); others become (size, *tail).
        k = x.ndim - len(tail)
        if k > 0 and x.size and not any(x.strides[:k]):  # a broadcast view: one value shared by all cases
            x = x[(0,) * k]
        if x.ndim == len(tail):
            return x
        return np.broadcast_to(x, shape + tail).reshape((size,) + tail)

    stage = [flat(np.broadcast_to(x, x.shape[:-1] + (n,)), (n,)) for x in stage]
    boost = [flat(x, ()) for x in boost]
    req = np.broadcast_to(flat(dv_req, (n_t,)), (size, n_t))
    if guess is not None:
        guess = np.asarray(guess, dtype=float)
        if guess.ndim == 0 or guess.shape[-1] != n_t:
            raise ValueError(f"guess needs shape (..., {n_t}) like dv_required_m_s, got {guess.shape}")
        guess = np.broadcast_to(flat(guess, (n_t,)), (size, n_t))

    status = np.zeros((size, n_t), dtype=np.int8)
    p = np.zeros((size, n_t))
    iterations = 0
    pending = []  # with a guess: (flat case indices, target, evaluations at the guess) left for the end
    # Blocks keep the temporaries in cache; each block is a whole-array solve.
    with np.errstate(all="ignore"):  # invalid cases may hold inf/NaN; they are flagged, not iterated
        for lo in range(0, size, _BLOCK):
            hi = min(lo + _BLOCK, size)
            phases, b_top, valid, core_ok = _phase_columns(stage, boost, lo, hi)
            # without a guess: f at p = 0 is shared by the targets, and they are solved from the
            # highest requirement (smallest payload) down, each later one starting from the previous
            # target's last evaluation of f where that is closer to its root than p = 0
            zero = None if guess is not None else _f0_and_derivatives(phases)
            if guess is None and n_t > 1:
                rb = req[lo:hi]
                order = np.argsort(-np.where(np.isfinite(rb), rb, 0.0).mean(axis=0), kind="stable")
            else:
                order = range(n_t)
            start = None
            for n_done, t in enumerate(order):  # loop over the targets of the block, not over cases
                r = req[lo:hi, t]
                ok = valid & (r > 0)
                ok &= r < np.inf  # dv_req finite and > 0
                active = ok & core_ok
                if guess is not None:
                    p_blk, code, it, rest, ev = _solve_from_guess(phases, guess[lo:hi, t], b_top, r, active, rtol,
                                                                  max_iter)
                    if rest.size:
                        pending.append((lo + rest, t, ev))
                else:
                    p_blk, code, it, start = _solve_block(phases, zero, start, b_top, r, active, rtol, max_iter,
                                                          record=n_done + 1 < n_t)
                p[lo:hi, t] = p_blk
                if not active.all():
                    code[~ok] = PayloadStatus.INVALID_INPUT
                    code[ok & ~core_ok] = PayloadStatus.CORE_DEPLETED
                status[lo:hi, t] = code
                iterations = max(iterations, it)
        if pending:  # cases whose guess was above the root, all blocks and targets at once
            cases = np.concatenate([c for c, _, _ in pending])
            tt = np.concatenate([np.full(c.size, t) for c, t, _ in pending])
            ev = tuple(np.concatenate(x) for x in zip(*(e for _, _, e in pending)))
            p_r, code_r, it = _solve_pending(stage, boost, cases, req[cases, tt], ev, rtol, max_iter)
            p[cases, tt] = p_r
            status[cases, tt] = code_r
            iterations = max(iterations, it)
    status = status.reshape(shape + (n_t,))
    payload = np.where(status == PayloadStatus.OK, p.reshape(shape + (n_t,)), np.nan)
    return PayloadSolution(payload, status, iterations)


class PreparedPayload:
    """:func:`solve_payload` of one vehicle array for many requirements of one case shape: the
    vehicle's phase table (and its delta-v with no payload) is computed once, not at every call (an
    iterative caller -- the payload/loss iteration -- asks for the same vehicle ~10 times). Every
    call gives exactly the answer of ``solve_payload(stack, dv_required_m_s)`` (the same operations
    in the same order).

    Parameters
    ----------
    stack : Stack
        Vehicle arrays.
    shape : tuple
        Case shape of the requirements [m/s] the calls will pass (broadcast with the stack's).
    """

    def __init__(self, stack: Stack, shape: tuple) -> None:
        stage, boost = _as_float_fields(stack)
        n = np.broadcast_shapes(*(x.shape for x in stage))[-1]
        self.shape = np.broadcast_shapes(*(x.shape[:-1] for x in stage), *(x.shape for x in boost), tuple(shape))
        self.size = size = int(np.prod(self.shape))
        stage = [self._flat(np.broadcast_to(x, x.shape[:-1] + (n,)), (n,)) for x in stage]
        boost = [self._flat(x, ()) for x in boost]
        self.blocks = []
        self._scalars = None  # one case: its phase table as floats (:meth:`_one`)
        with np.errstate(all="ignore"):
            for lo in range(0, size, _BLOCK):
                hi = min(lo + _BLOCK, size)
                phases, b_top, valid, core_ok = _phase_columns(stage, boost, lo, hi)
                self.blocks.append((lo, hi, phases, b_top, valid, core_ok, _f0_and_derivatives(phases)))

    def _flat(self, x, tail):
        # as solve_payload_targets: a field without case axes stays unbroadcast
        k = x.ndim - len(tail)
        if k > 0 and x.size and not any(x.strides[:k]):
            x = x[(0,) * k]
        if x.ndim == len(tail):
            return x
        return np.broadcast_to(x, self.shape + tail).reshape((self.size,) + tail)

    def __call__(self, dv_required_m_s: ArrayLike, *, rtol: float = 1e-12, max_iter: int = 60) -> PayloadSolution:
        """Payload [kg] and status for the requirements ``dv_required_m_s`` [m/s] (broadcast to the
        prepared case shape), as :func:`solve_payload`."""
        dv_req = np.asarray(dv_required_m_s, dtype=float)
        if self.size == 1:
            one = self._one(float(dv_req.reshape(-1)[0]) if dv_req.size == 1 else None, rtol, max_iter)
            if one is not None:
                return one
        req = np.broadcast_to(self._flat(dv_req[..., None], (1,)), (self.size, 1))
        status = np.zeros((self.size, 1), dtype=np.int8)
        p = np.zeros((self.size, 1))
        iterations = 0
        with np.errstate(all="ignore"):
            for lo, hi, phases, b_top, valid, core_ok, zero in self.blocks:
                r = req[lo:hi, 0]
                ok = valid & (r > 0)
                ok &= r < np.inf
                active = ok & core_ok
                p_blk, code, it, _ = _solve_block(phases, zero, None, b_top, r, active, rtol, max_iter, record=False)
                p[lo:hi, 0] = p_blk
                if not active.all():
                    code[~ok] = PayloadStatus.INVALID_INPUT
                    code[ok & ~core_ok] = PayloadStatus.CORE_DEPLETED
                status[lo:hi, 0] = code
                iterations = max(iterations, it)
        status = status.reshape(self.shape)
        payload = np.where(status == PayloadStatus.OK, p.reshape(self.shape), np.nan)
        return PayloadSolution(payload, status, iterations)

    def _one(self, r: float | None, rtol: float, max_iter: int) -> PayloadSolution | None:
        """The call for a single case with a feasible-looking requirement ``r`` [m/s], in Python floats
        (:func:`_solve_one`); None where it is not that case (the general path then answers)."""
        if self._scalars is None:  # the phase table and its values at p = 0 as floats, once
            _, _, phases, b_top, valid, core_ok, zero = self.blocks[0]
            first = lambda x: float(np.reshape(x, -1)[0])  # noqa: E731
            self._scalars = (bool(np.all(valid)) and bool(np.all(core_ok)),
                             [tuple(map(first, q)) for q in phases if q is not None], tuple(map(first, zero)),
                             first(b_top))
        ok, ph, zero, bt = self._scalars
        if r is None or not (ok and 0.0 < r < np.inf):
            return None
        p, code, it = _solve_one(ph, zero, bt, r, rtol, max_iter)
        payload = np.full(self.shape, p if code == PayloadStatus.OK else np.nan)
        return PayloadSolution(payload, np.full(self.shape, code, dtype=np.int8), it)


def _solve_one(phases, zero, bt: float, dv_req: float, rtol: float, max_iter: int) -> tuple[float, int, int]:
    """:func:`_solve_block` for one case started at ``p = 0`` (``zero`` given, no record), in Python
    floats: the same operations in the same order (IEEE arithmetic is the same on Python floats and
    float64 arrays; ``log`` and ``exp`` are numpy's, whose results do not depend on the array size), so
    the same bits at ~8 us a solve against the array code's ~200 us on one case (whose ~45 numpy calls
    per step each cost about a microsecond). ``phases``: ``(c, A, B, c (B - A))`` per phase with a
    delta-v, ``zero``: :func:`_f0_and_derivatives`, ``bt`` the top phase's ``B`` [kg], all floats;
    ``dv_req`` [m/s]. Returns ``(payload [kg], status code, iterations)``."""
    log, exp = np.log, np.exp
    f, f1, f2, f3 = zero
    f = f - dv_req
    ftol = 8.0 * _EPS * abs(dv_req)
    dx_stop = min(0.1, (rtol / _K_QUARTIC) ** 0.25)
    if not f >= -ftol:
        return 0.0, int(PayloadStatus.INSUFFICIENT_DV), 1
    p = p_lo = 0.0
    f_lo, fp_lo = f, f1
    p_hi = _FMAX
    for it in range(1, max_iter + 1):
        if it > 1:
            f = f1 = f2 = f3 = None
            for c, a, b, cd in phases:  # _f_and_derivatives
                t1 = a + p
                t2 = b + p
                term = float(log(t1 / t2)) * c
                f = term if f is None else f + term
                pr = 1.0 / (t1 * t2)
                t1 = (t1 + t2) * pr
                q = cd * pr
                if f1 is None:
                    f1, f2 = q, q * t1
                else:
                    f1 += q
                    f2 += q * t1
                t1 = (t1 * t1 - pr) * q
                f3 = t1 if f3 is None else f3 + t1
            f -= dv_req
            f2 = -f2
            f3 *= 2.0
            if f >= 0.0:
                p_lo, f_lo, fp_lo = p, f, f1
            else:
                p_hi = p
        hit = abs(f) <= ftol
        w = p + bt
        wi = w / f1
        h = f / w / f1
        f2 *= wi
        f3 = f3 * wi * w + 1.0 + 3.0 * f2
        f2 = (f2 + 1.0) * h
        phi = 6.0 - 3.0 * f2
        f2 = f2 * -6.0 + 6.0
        f3 = f3 * h * h + f2
        phi /= f3
        use = 0.5 <= phi <= 2.0
        if not use:
            phi = 1.0
        dx = -(h * phi)
        cand = float(exp(dx)) * w - bt
        good = p_lo <= cand <= p_hi
        p_new = cand if good else p_lo - f_lo / fp_lo
        if hit:
            p_new = p
        if abs(p_new - p) <= w * rtol or hit or (good and use and abs(dx) <= dx_stop):
            return max(p_new, 0.0), int(PayloadStatus.OK), it
        p = p_new
    return max(p, 0.0), int(PayloadStatus.NOT_CONVERGED), max_iter


_EPS = float(np.finfo(float).eps)
_FMAX = float(np.finfo(float).max)
_BLOCK = 16384
_K_QUARTIC = 1.0
"""Bound on ``C`` in the error ``~C dx^4`` (relative to ``p + B_top``) of a Householder iterate
reached by a step ``dx`` (in ``x = ln(p + B_top)``) near the root. Measured: ``C ~ 1e-3`` on the
benchmark and sweep vehicles; on 600 000 random vehicles (1-5 stages, stage mass ratios up to 1000,
with and without boosters) every iterate reached by an accepted Householder step with
``|dx| <= 1e-3`` was within 5.7e-14 of the converged payload. A Householder step with
``|dx| <= (rtol / _K_QUARTIC) ** 0.25`` therefore ends the iteration (1e-3 at ``rtol = 1e-12``)."""


def _phase_columns(stage, boost, lo, hi):
    """Phase table of cases ``lo:hi`` as per-phase columns: the arithmetic of :func:`phase_masses`
    (same operations in the same order, so the same bits) without stacking it into arrays.

    ``stage`` are the flattened ``(size, n)`` or shared ``(n,)`` fields ``[isp, thrust, m_prop,
    m_dry]``, ``boost`` the ``(size,)`` or shared ``()`` fields ``[isp, thrust, m_prop, m_dry,
    core_throttle]``. Returns ``(phases, b_top, valid, core_ok)``: ``phases`` a list of ``(c, A, B,
    c (B - A))`` per phase, the last for the derivatives (each a ``(hi - lo,)`` array or a scalar
    shared by the block; phase 0 is ``None`` when
    no case of the block has boosters, since its delta-v is then exactly 0), ``b_top`` the top
    phase's ``B`` and the boolean ``(hi - lo,)`` arrays ``valid`` (inputs physical) and ``core_ok``.
    """
    m = hi - lo
    blk = [x[lo:hi] if x.ndim == 2 else x for x in stage]  # (m, n) rows or a shared (n,) row
    isp, thrust, m_prop, m_dry = ([x[..., k] for k in range(x.shape[-1])] for x in blk)
    b_isp, b_thrust, b_prop, b_dry, tau = (x[lo:hi] if x.ndim == 1 else x[()] for x in boost)
    n = len(isp)

    # valid: every stage field finite and > 0 (0 < x < inf is False for NaN), booster fields sane.
    pos = None  # (m, n) or (n,): 0 < x < inf for all four fields (False for NaN)
    for x in blk:
        t = x > 0
        t &= x < np.inf
        pos = t if pos is None else np.logical_and(pos, t, out=pos if pos.shape == t.shape else None)
    ok = np.broadcast_to(pos[..., 0], (m,)).copy()
    for k in range(1, pos.shape[-1]):  # loop over stages
        ok &= pos[..., k]
    has_b = b_prop > 0
    ok &= (
        (b_prop >= 0)
        & (b_dry >= 0)
        & ((b_isp > 0) & (b_thrust > 0) & (tau >= 0) & (tau <= 1) | ~has_b)
        & np.isfinite(b_prop + b_dry + np.where(has_b, b_isp + b_thrust + tau, 0.0))
    )

    # whole (m, n) blocks while they are in cache; the columns are views
    c2d = G0 * blk[0]
    tot2d = blk[2] + blk[3]
    c_stage = [c2d[..., k] for k in range(n)]
    stage_total = [tot2d[..., k] for k in range(n)]
    above = [None] * n  # excl. payload; cum is the reverse cumulative sum of phase_masses
    cum = stage_total[n - 1]
    above[n - 1] = cum - stage_total[n - 1]
    for k in range(n - 2, -1, -1):
        cum = cum + stage_total[k]
        above[k] = cum - stage_total[k]

    mdot0 = thrust[0] / c_stage[0]
    c_b = G0 * b_isp
    mdot_b = b_thrust / c_b
    t_b = np.where(has_b, b_prop / mdot_b, 0.0)
    mdot_c0 = tau * mdot0
    core_burned = mdot_c0 * t_b
    core_ok = np.broadcast_to(core_burned < m_prop[0], (m,))
    core_burned = np.minimum(core_burned, m_prop[0])
    m0 = stage_total[0] + above[0] + b_prop + b_dry
    m_end0 = m0 - b_prop - core_burned
    m_start1 = m_end0 - b_dry
    m_end1 = m_start1 - (m_prop[0] - core_burned)

    phases = []
    if np.any(has_b):
        c_eff = np.where(has_b, (b_thrust + tau * thrust[0]) / (mdot_b + mdot_c0), c_stage[0])
        phases.append((c_eff, m0, m_end0))
    else:
        phases.append(None)  # zero delta-v: c ln(m0 / m0) = 0 exactly
    phases.append((c_stage[0], m_start1, m_end1))
    for k in range(1, n):
        a = stage_total[k] + above[k]
        phases.append((c_stage[k], a, a - m_prop[k]))
    phases = [None if ph is None else (*ph, ph[0] * (ph[2] - ph[1])) for ph in phases]
    return phases, phases[-1][2], ok, core_ok


def _f0_and_derivatives(phases):
    """``f(0) + dv_req`` (the vehicle's ideal delta-v with no payload) and ``f'``, ``f''``,
    ``f'''`` at ``p = 0`` (see :func:`_f_and_derivatives`): they do not depend on the requirement,
    so the targets of a block share them. Phases shared by the block stay scalars here; the
    derivatives come back negated/doubled as :func:`_f_and_derivatives` returns them, still
    unbroadcast (the caller copies them before working in place)."""
    dv0 = None
    f1 = f2 = f3 = 0.0
    for ph in phases:
        if ph is None:  # booster phase of a block without boosters: contributes exactly 0
            continue
        c, a, b, cd = ph
        term = np.log(a / b) * c  # A + 0 = A exactly
        dv0 = term if dv0 is None else dv0 + term
        pr = 1.0 / (a * b)
        s = (a + b) * pr
        q = cd * pr
        f1 = f1 + q
        f2 = f2 + q * s
        f3 = f3 + q * (s * s - pr)
    # second derivative: -sum q (1/t1 + 1/t2); third: 2 sum q (1/t1^2 + 1/(t1 t2) + 1/t2^2)
    return dv0, f1, -f2, f3 * 2.0


def _f_and_derivatives(phases, p, dv_req):
    """``f(p)`` and ``f'``, ``f''``, ``f'''`` for every case at ``p > 0`` (see :func:`_solve_block`).

    ``phases`` holds ``(c, A, B, c (B - A))`` per phase; ``f`` sums the phase terms in phase order.
    With ``1/t1 - 1/t2 = (B - A) / (t1 t2)`` and ``1/t1 + 1/t2 = (t1 + t2) / (t1 t2)`` (``t1 = A + p``, ``t2 = B + p``)
    the derivatives cost one division per phase.
    """
    f = f1 = f2 = f3 = None
    for ph in phases:
        if ph is None:
            continue
        c, a, b, cd = ph
        t1 = a + p
        t2 = b + p
        term = np.divide(t1, t2)
        np.log(term, out=term)
        term *= c
        if f is None:
            f = term
        else:
            f += term
        pr = np.multiply(t1, t2)
        np.divide(1.0, pr, out=pr)  # 1 / (t1 t2)
        t1 += t2
        t1 *= pr  # 1/t1 + 1/t2
        q = np.multiply(cd, pr, out=t2)  # c (1/t1 - 1/t2) = d/dp [c ln(t1/t2)]
        if f1 is None:
            f1 = q.copy()
            f2 = q * t1
        else:
            f1 += q
            f2 += np.multiply(q, t1, out=term if f is not term else None)
        t1 *= t1
        t1 -= pr  # (1/t1 + 1/t2)^2 - 1/(t1 t2) = 1/t1^2 + 1/(t1 t2) + 1/t2^2
        t1 *= q
        if f3 is None:
            f3 = t1
        else:
            f3 += t1
    f -= dv_req
    # second derivative: -sum q (1/t1 + 1/t2); third: 2 sum q (1/t1^2 + 1/(t1 t2) + 1/t2^2)
    np.negative(f2, out=f2)
    f3 *= 2.0
    return f, f1, f2, f3


def _solve_block(phases, zero, start, b_top, dv_req, active, rtol, max_iter, record=False):
    """Safeguarded payload solve for one block of cases (see :func:`solve_payload`).

    ``f(p) = sum_k c_k ln((a_k + p) / (b_k + p)) - dv_req`` is decreasing and convex in ``p``. The
    step is a fourth-order Householder step on ``g(x) = f(e^x - B_top)``, ``x = ln(p + B_top)``
    (``B_top`` = top-stage burnout mass without payload), which keeps every mass positive and makes
    the top stage's term almost linear:

        dx = -h (6 - 3 h r2) / (6 - 6 h r2 + h^2 r3),   h = g / g',  r2 = g''/g',  r3 = g'''/g'

    with ``g' = f' w``, ``g'' = f'' w^2 + f' w``, ``g''' = f''' w^3 + 3 f'' w^2 + f' w``,
    ``w = p + B_top``. Each case keeps a bracket ``[p_lo, p_hi]`` with ``f(p_lo) >= 0 >= f(p_hi)``;
    a step leaving it (or not finite) is replaced by a Newton step in ``p`` from ``p_lo``, which by
    convexity lands in ``[p_lo, root]``. The first evaluation, at ``p = 0``, decides feasibility.
    A case stops when ``|f| <= 8 ulp(dv_req)``, when a step is below ``rtol (|p| + B_top)``, or after
    an accepted Householder step with ``|dx| <= (rtol / _K_QUARTIC)^(1/4)`` (quartic convergence:
    the new iterate's error is ~``C dx^4 <= rtol``, see :data:`_K_QUARTIC`). Converged and
    infeasible cases leave the active set (compaction) once it has halved.

    ``phases`` holds ``(c, A, B, c (B - A))`` per phase and ``zero`` the block's
    :func:`_f0_and_derivatives` (arrays over the block, or scalars shared by it). ``start`` is
    ``None`` (start at ``p = 0``) or a tuple ``(p, D, D1, D2, D3)`` of arrays over the block: an
    evaluation of ``D = f + dv_req`` and its first three derivatives at ``p`` (NaN where there is
    none), taken as the first iterate where its Newton step in ``x`` is shorter than the one from
    ``p = 0``. With ``zero=None``, ``start`` holds ``(p, f, f1, f2, f3)`` (``f`` and its first
    three derivatives, ``f`` relative to ``dv_req``) at points with ``f >= 0``, where every case
    starts with the bracket ``[p, inf)``; those arrays are the callee's (``f2``, ``f3`` are
    overwritten). With ``record``, the last evaluation of every converged case is returned in that
    form (else ``None``).

    Returns ``(payload [kg], status code per case, iterations, last evaluations or None)``.
    """
    size = dv_req.shape[0]
    out = np.zeros(size)
    code = np.zeros(size, dtype=np.int8)
    rec_out = tuple(np.full(size, np.nan) for _ in range(5)) if record else None
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return out, code, 0, rec_out
    # compact to the active cases up front only when many are inactive: copying every phase column
    # costs more than iterating a few inactive cases (masked out of ``live``; elementwise, so the
    # active cases get the same bits either way)
    compacted = 4 * idx.size < 3 * size
    if not compacted:
        idx = np.arange(size)
    if compacted:
        phases = _take(phases, idx)
        zero = None if zero is None else tuple(_take1(x, idx) for x in zero)
        if start is not None:
            start = tuple(x[idx] for x in start)
        b_top, dv_req = _take1(b_top, idx), dv_req[idx]
    m = idx.size
    rec = tuple(np.full(m, np.nan) for _ in range(5)) if record else None  # aligned with the active set
    bt = np.broadcast_to(b_top, (m,))
    p = np.zeros(m)
    res = np.zeros(m)  # result of each finished case, aligned with the active arrays
    p_lo = np.zeros(m)
    p_hi = np.full(m, np.finfo(float).max)  # finite: cand <= p_hi also rejects inf and NaN
    live = np.ones(m, dtype=bool) if compacted or m == 0 else np.array(active, dtype=bool)
    ftol = 8.0 * np.finfo(float).eps * np.abs(dv_req)
    dx_stop = min(0.1, (rtol / _K_QUARTIC) ** 0.25)
    it = 0
    for it in range(1, max_iter + 1):  # steps, each over the whole active set
        if it == 1 and zero is None:  # start: an evaluation with f >= 0 (left of the root: feasible)
            p, f, f1, f2, f3 = start  # f relative to dv_req; f2 and f3 are overwritten below
            p_lo, f_lo, fp_lo = p, f, f1
        elif it == 1:  # p = 0: the block's shared first evaluation (copies: modified in place below)
            f = zero[0] - dv_req
            f1, f2, f3 = (np.array(np.broadcast_to(x, f.shape)) for x in zero[1:])
            short = ~(f >= -ftol)  # within rounding of dv(0) counts as feasible
            short &= live
            if short.any():
                code[idx[short]] = PayloadStatus.INSUFFICIENT_DV
                live &= ~short
            f_lo, fp_lo = f, f1  # p = 0 = p_lo; the live cases have f >= 0 (not modified in place)
            if start is not None:  # a previous target's evaluation where it is closer to the root
                p, f, f1, f2, f3 = _warm_start(start, f, f1, f2, f3, dv_req, bt)
        else:
            f, f1, f2, f3 = _f_and_derivatives(phases, p, dv_req)
        if record:  # this evaluation, for the cases that finish on it (f2, f3 change in place below)
            ev = (p, f + dv_req, f1, f2.copy(), f3.copy())
        hit = np.abs(f) <= ftol
        if it > 1 or (start is not None and zero is not None):
            right = f >= 0.0  # p is at or left of the root
            # (np.where, not np.copyto(where=...): the masks are mixed here, and the masked copy
            # is ~2.5x slower on them)
            p_lo = np.where(right, p, p_lo)
            f_lo = np.where(right, f, f_lo)
            fp_lo = np.where(right, f1, fp_lo)
            p_hi = np.where(right, p_hi, p)
        # Householder step in x (see the docstring); f1 < 0 and w > 0.
        w = p + bt
        wi = np.divide(w, f1)  # w / f'
        h = np.divide(f, w)
        h /= f1  # g / g'
        f2 *= wi  # f'' w / f'  =  r2 - 1
        f3 *= wi
        f3 *= w  # f''' w^2 / f'
        f3 += 1.0
        f3 += 3.0 * f2  # r3
        f2 += 1.0  # r2
        f2 *= h  # h r2
        phi = 3.0 * f2
        np.subtract(6.0, phi, out=phi)  # 6 - 3 h r2
        f2 *= -6.0
        f2 += 6.0
        f3 *= h
        f3 *= h
        f3 += f2  # 6 - 6 h r2 + h^2 r3
        phi /= f3  # dx = -h phi; phi -> 1 at the root
        use = phi >= 0.5
        use &= phi <= 2.0
        if not use.all():  # far from the root: a plain Newton step in x (phi = 1)
            np.copyto(phi, 1.0, where=~use)
        dx = np.multiply(h, phi, out=h)
        np.negative(dx, out=dx)
        cand = np.exp(dx)
        cand *= w
        cand -= bt
        good = cand >= p_lo
        good &= cand <= p_hi
        if good.all():
            p_new = cand
        else:
            p_new = np.where(good, cand, p_lo - f_lo / fp_lo)
        if hit.any():
            p_new = np.where(hit, p, p_new)
        adx = np.abs(dx, out=dx)
        step = np.subtract(p_new, p)
        np.abs(step, out=step)
        w *= rtol  # rtol (|p| + B_top): p >= p_lo >= 0 throughout
        conv = step <= w
        conv |= hit
        good &= use  # an accepted Householder step ...
        good &= adx <= dx_stop  # ... small enough that its error ~C dx^4 is below rtol
        conv |= good
        fin = conv & live
        res = np.where(fin, p_new, res)
        if record:
            rec = tuple(np.where(fin, e, r_) for e, r_ in zip(ev, rec))
        live &= ~conv
        n_live = np.count_nonzero(live)
        if n_live == 0:
            break
        p = p_new
        if n_live <= live.size // 2 and it < max_iter:  # compaction: drop finished cases
            done = ~live
            out[idx[done]] = res[done]
            if record:
                for ro, r_ in zip(rec_out, rec):
                    ro[idx[done]] = r_[done]
            keep = np.flatnonzero(live)
            compacted = True
            idx = idx[keep]
            phases = _take(phases, keep)
            bt, dv_req, ftol = bt[keep], dv_req[keep], ftol[keep]
            p, p_lo, f_lo, fp_lo, p_hi = p[keep], p_lo[keep], f_lo[keep], fp_lo[keep], p_hi[keep]
            res = np.zeros(keep.size)
            if record:  # the live cases have no record yet
                rec = tuple(np.full(keep.size, np.nan) for _ in range(5))
            live = np.ones(keep.size, dtype=bool)
    if compacted:
        out[idx] = res
        if record:
            for ro, r_ in zip(rec_out, rec):
                ro[idx] = r_
    else:
        out = res
        rec_out = rec
    code[idx[live]] = PayloadStatus.NOT_CONVERGED
    # f(0) >= 0 means the root is >= 0: a negative last iterate is rounding only.
    return np.maximum(out, 0.0, out=out), code, it, rec_out


def _solve_from_guess(phases, g, b_top, dv_req, active, rtol, max_iter):
    """One target of a block, starting from the payload guesses ``g`` (see
    :func:`solve_payload_targets`): one evaluation of ``f`` at ``g``; cases with ``f(g) >= 0`` are
    feasible and take one step from ``g`` (bracket ``[g, inf)``); the others, and those that
    step does not converge, are returned for :func:`_solve_pending` (solved from ``p = 0`` or
    ``g``, whichever is closer).
    Returns ``(payload [kg], status code per case, iterations, rest, evaluations)``: ``rest`` the
    block indices of the other cases (left at payload 0, status 0) and ``evaluations`` their
    ``(g, D, D1, D2, D3)``, for :func:`_solve_pending`."""
    g = np.where(g > 0, g, 0.0)  # NaN and negative guesses -> 0 (the cases then start at p = 0)
    np.minimum(g, np.finfo(float).max, out=g)
    f, f1, f2, f3 = _f_and_derivatives(phases, g, dv_req)
    above = active & (f >= 0.0)
    d2, d3 = f2.copy(), f3.copy()  # the solve overwrites f2, f3
    # one step from the guess: cases it does not converge join the pending ones (a few per block;
    # iterating them here would cost a compaction and a second pass per block)
    p_out, code, it = _solve_block(phases, None, (g, f, f1, f2, f3), b_top, dv_req, above, rtol, 1)[:3]
    left = active & ~above
    left |= code == PayloadStatus.NOT_CONVERGED
    idx = np.flatnonzero(left)
    return p_out, code, it, idx, (g[idx], f[idx] + dv_req[idx], f1[idx], d2[idx], d3[idx])


def _solve_pending(stage, boost, cases, dv_req, start, rtol, max_iter):
    """Cases whose guess was above the root (or missing), gathered over a solve's blocks and
    targets: ``cases`` (k,) flat case indices, ``dv_req`` (k,), ``start`` their evaluations at the
    guess. Solved as without a guess, from ``p = 0`` (evaluated for them only) or the guess,
    whichever is closer; the phase table is elementwise, so these cases get the same bits as in
    their own block. Returns ``(payload [kg], status codes, iterations)``."""
    sub_stage = [x[cases] if x.ndim == 2 else x for x in stage]
    sub_boost = [x[cases] if x.ndim == 1 else x for x in boost]
    phases, b_top, _, _ = _phase_columns(sub_stage, sub_boost, 0, cases.size)
    return _solve_block(phases, _f0_and_derivatives(phases), start, b_top, dv_req,
                        np.ones(cases.size, dtype=bool), rtol, max_iter)[:3]


def _warm_start(start, f0, f1_0, f2_0, f3_0, dv_req, bt):
    """First iterate of a target: ``p = 0`` (``f0`` and derivatives there) or the given evaluation
    ``start = (p, D, D1, D2, D3)`` of ``D = f + dv_req``, per case whichever has the shorter Newton
    step ``|f / (f' w)|`` in ``x`` (``w = p + B_top``). Returns ``(p, f, f1, f2, f3)`` (new arrays)."""
    ps, d, d1, d2, d3 = start
    fs = d - dv_req
    h0 = np.abs(f0 / (f1_0 * bt))
    hs = np.abs(fs / (d1 * (ps + bt)))
    use = hs < h0  # False where the start has NaN (no evaluation)
    if not use.any():
        return np.zeros_like(f0), f0.copy(), f1_0.copy(), f2_0, f3_0
    return (np.where(use, ps, 0.0), np.where(use, fs, f0), np.where(use, d1, f1_0), np.where(use, d2, f2_0),
            np.where(use, d3, f3_0))


def _take1(x, idx):
    return x[idx] if np.ndim(x) else x


def _take(phases, idx):
    return [None if ph is None else tuple(_take1(x, idx) for x in ph) for ph in phases]
