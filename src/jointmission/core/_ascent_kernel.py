"""Compiled time loop of the ascent march (numba): one trajectory per case, scalar code.

This is :func:`jointmission.core.ascent.march`'s integration written case by case instead of as
~100 numpy calls per step over tiny arrays: the same equations, the same events (pitch-over,
switch to guidance, level flight), the same midpoint rule and the same operation order, so the
answers agree with the numpy formulation (:func:`jointmission.core.ascent_reference.march_reference`) to
rounding (the equivalence and its tolerance are tests in ``tests/core/test_ascent_kernel.py``).

Compiled lazily on first use and cached on disk (``cache=True``: next to this file in
``__pycache__``, or, where the installed package is read-only, in numba's per-user cache folder or
``NUMBA_CACHE_DIR``; where no folder is writable the kernel is compiled in memory on each start).

Everything is SI float64. Output columns (:data:`~._ascent_layout.OUT_FIELDS`): the four loss integrals [m/s], the
crashed flag (0/1), altitude [m], Earth-relative speed [m/s] and flight-path angle [rad] at guidance
start, maximum dynamic pressure [Pa], altitude [m] and Earth-relative speed [m/s] at burnout.
"""

from __future__ import annotations

import math

import numpy as np

from ._ascent_layout import (GUESS_NODES, GUIDED_BURN_MAX_ORBITS, KICK_POLISH, N_CHECKPOINTS, NCK, Q_CROSS_ITERATIONS, SHAPE_ROUNDS, SHOOT_EPS, SHOOT_H_SCALE, SHOOT_ITERATIONS, SHOOT_MISS_MAX,
                             SHOOT_V_SCALE,
                             TOP_SUBSTEPS)
from ._numba import jit as _jit

__all__ = ["march_cases", "optimise_cases", "c_entry_points"]


@_jit
def _segment(x, xp):  # pragma: no cover - compiled
    """Index ``j`` of the table segment ``xp[j] <= x < xp[j + 1]`` for ``xp[0] < x < xp[-1]``."""
    j = 0
    while xp[j + 1] <= x:
        j += 1
    return j


@_jit
def _interp_at(x, xp, fp, j):  # pragma: no cover - compiled
    """``np.interp(x, xp, fp)`` with the segment ``j`` of ``x`` known (``-1``: below the table,
    ``-2``: at or above its end, ``-3``: NaN); numpy's formula and NaN fall-backs."""
    if j < 0:
        if j == -1:
            return fp[0]
        if j == -2:
            return fp[fp.shape[0] - 1]
        return x
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    res = slope * (x - xp[j]) + fp[j]
    if res != res:
        res = slope * (x - xp[j + 1]) + fp[j + 1]
        if res != res and fp[j] == fp[j + 1]:
            res = fp[j]
    return res


@_jit
def _locate(x, xp):  # pragma: no cover - compiled
    """Segment code of ``x`` in ``xp`` for :func:`_interp_at`."""
    if x != x:
        return -3
    if x <= xp[0]:
        return -1
    if x >= xp[xp.shape[0] - 1]:
        return -2
    return _segment(x, xp)


@_jit
def _interp(x, xp, fp):  # pragma: no cover - compiled
    """``np.interp`` for one value (same end rules and formula: ends held, NaN propagates)."""
    return _interp_at(x, xp, fp, _locate(x, xp))


@_jit
def _nmax(a, b):  # pragma: no cover - compiled
    """``np.maximum`` of two floats (NaN propagates)."""
    if a != a or b != b:
        return a + b
    return a if a >= b else b


@_jit
def _nmin(a, b):  # pragma: no cover - compiled
    """``np.minimum`` of two floats (NaN propagates)."""
    if a != a or b != b:
        return a + b
    return a if a <= b else b


@_jit
def _clip(x, lo, hi):  # pragma: no cover - compiled
    """``np.clip`` of a float (NaN passes through)."""
    return _nmin(_nmax(x, lo), hi)


@_jit
def _atm(h, atm, a_top):  # pragma: no cover - compiled
    """Pressure [Pa], density [kg/m^3], speed of sound [m/s] at altitude ``h`` [m]: the log-linear
    US76 table of :func:`jointmission.core.ascent.atmosphere` (``atm`` rows: nodes, log p, log rho,
    temperature; ``atm[4, 0]`` = gamma R of air). One table look-up serves the three columns.
    ``a_top``: the speed of sound above 86 km (:func:`_sound_top`), where the temperature is held."""
    hh = _nmax(h, 0.0)
    xp = atm[0]
    above = _nmax(hh - xp[xp.shape[0] - 1], 0.0) / 40e3
    j = _locate(hh, xp)
    p = math.exp(_interp_at(hh, xp, atm[1], j) - above)
    rho = math.exp(_interp_at(hh, xp, atm[2], j) - above)
    if hh > 86e3:
        return p, rho, a_top
    ht = _nmin(hh, 86e3)
    t = _interp_at(ht, xp, atm[3], j if ht == hh else _locate(ht, xp))
    return p, rho, math.sqrt(atm[4, 0] * t)


@_jit
def _sound_top(atm):  # pragma: no cover - compiled
    """Speed of sound [m/s] above 86 km: :func:`_atm`'s value at 86 km (the same operations), which
    it keeps above (temperature held at its 86 km value)."""
    xp = atm[0]
    t = _interp_at(86e3, xp, atm[3], _locate(86e3, xp))
    return math.sqrt(atm[4, 0] * t)


@_jit
def _rates(h, vr, ur, t, m, fk, pak, kicked, guided, vr1, t0g, t_rem, a_coef, mu, rr, vrot, cda, loft, p0, p, rho,
           a_s, cd, vr_e, expl, s_a, s_b, t_st, lvl):  # pragma: no cover
    """Right-hand side of the planar ascent (one case); see ``march_reference``'s ``rates``;
    ``p``, ``rho``, ``a_s``: the atmosphere at ``h`` (:func:`_atm`).

    ``kicked``, ``guided``: flags; ``vr1``, ``t0g``, ``t_rem``, ``a_coef``, ``vr_e``: the guided profile;
    ``expl``: the top stage on explicit steering, ``tan(theta) = s_a + s_b (t - t_st)``; ``lvl``: a step of
    the level flight after the profile (held level from its first node on, where ``tau`` is 1 only to
    rounding: the profile's end slope there would be a knife-edge of the step's losses). Returns
    (dh, dvr, dur, gravity, drag, steering, back_pressure loss rates, q)."""
    r = rr + h
    g = mu / (r * r)
    u = ur + vrot * (r / rr)
    vrel = math.sqrt(vr * vr + ur * ur)
    if vrel < 1e-6:
        s_g, c_g = 1.0, 0.0
    else:
        s_g, c_g = vr / vrel, ur / vrel
    a_bp = pak * (p / p0) / m
    a_t = fk / m - a_bp
    q = 0.5 * rho * vrel * vrel
    d_m = q * cda * _interp(vrel / a_s, cd[0], cd[1]) / m
    if kicked:
        s_th, c_th = s_g, c_g
    else:
        s_th, c_th = 1.0, 0.0
    dvr = a_t * s_th - d_m * s_g - g + u * u / r
    extra = 0.0
    if guided:
        tau_raw = (t - t0g) / t_rem
        tau = _clip(tau_raw, 0.0, 1.0)
        a_req = (-vr1 + vr_e + a_coef * (1.0 - 2.0 * tau) + loft * (1.0 - 6.0 * tau + 6.0 * tau * tau)) / t_rem
        if lvl or tau_raw >= 1.0:
            a_req = 0.0
        need = a_req + _nmax(g - u * u / r, 0.0) + d_m * s_g
        s_gd = _clip(need / _nmax(a_t, 1e-9), -1.0, 1.0)
        extra = _nmax(abs(need) - a_t, 0.0)
        s_th = s_gd
        c_th = math.sqrt(1.0 - s_gd * s_gd)
        dvr = a_req
        if expl:
            tn = s_a + s_b * (t - t_st)
            c_th = 1.0 / math.sqrt(1.0 + tn * tn)
            s_th = tn * c_th
            dvr = a_t * s_th - d_m * s_g - g + u * u / r
            extra = 0.0
    dur = a_t * c_th - d_m * c_g - vr * u / r - vrot * vr / rr
    cos_rel = c_th * c_g + s_th * s_g
    return vr, dvr, dur, g * s_g, d_m, a_t * (1.0 - cos_rel) + extra, a_bp * cos_rel, q


@_jit
def _steering_guess(h, vr, ur, m, thrust, c, h_t, vrot, t_go, rr, mu):  # pragma: no cover - compiled
    """:func:`jointmission.core.ascent_reference._steering_guess` for one case: the coefficients ``(A, B)``
    [-, 1/s] of ``sin(theta) = A + B s`` that reach ``h_t`` [m] with zero radial speed in ``t_go`` [s]."""
    tt = _nmax(t_go, 1e-3)
    tau_m = m * c / thrust
    x = _nmin(tt / tau_m, 0.999999)
    b0 = -c * math.log1p(-x)
    b1 = b0 * tau_m - c * tt
    c0 = b0 * tt - b1
    c1 = c0 * tau_m - 0.5 * c * tt * tt
    r = rr + h
    rf = rr + h_t
    u0 = ur + vrot * (r / rr)
    vc = math.sqrt(mu / rf)
    g_f = mu / (rf * rf)
    g1 = 0.0
    g2 = 0.0
    for i in range(GUESS_NODES + 1):
        s = tt * i / GUESS_NODES
        w = 1.0 if (i == 0 or i == GUESS_NODES) else (4.0 if i % 2 == 1 else 2.0)
        u = _nmin(u0 - c * math.log1p(-_nmin(s / tau_m, 0.999999)), vc)
        ge = g_f - u * u / rf
        g1 += w * ge
        g2 += w * (tt - s) * ge
    g1 = g1 * tt / (3.0 * GUESS_NODES)
    g2 = g2 * tt / (3.0 * GUESS_NODES)
    dv = g1 - vr
    dr = (h_t - h) - vr * tt + g2
    det = b0 * c1 - b1 * c0
    return (dv * c1 - b1 * dr) / det, (b0 * dr - c0 * dv) / det


@_jit
def _vacuum_rates(h, vr, ur, t, m, fk, s_a, s_b, t_st, mu, rr, vrt):  # pragma: no cover - compiled
    """Right-hand side ``(dh, dvr, dur)`` of the top stage's burn in vacuum with ``tan(theta) = s_a + s_b (t - t_st)``
    (:func:`_rates` without the atmosphere, whose drag and back-pressure are below 0.1 N there)."""
    r = rr + h
    g = mu / (r * r)
    u = ur + vrt * (r / rr)
    a_t = fk / m
    tn = s_a + s_b * (t - t_st)
    c_th = 1.0 / math.sqrt(1.0 + tn * tn)
    s_th = tn * c_th
    return vr, a_t * s_th - g + u * u / r, a_t * c_th - vr * u / r - vrt * vr / rr


@_jit
def _top_burn(h, vr, ur, t, t_start_k, m0k, mdk, fk, dt0, n_main, s_a, s_b, t_st, mu, rr,
              vrt):  # pragma: no cover - compiled
    """The explicitly steered top-stage burn from its first step (state ``h`` [m], ``vr``, ``ur`` [m/s] at
    time ``t`` [s]; the phase began at ``t_start_k``) with ``tan(theta) = s_a + s_b (t - t_st)``, in vacuum:
    the ``n_main`` x :data:`~._ascent_layout.TOP_SUBSTEPS` midpoint steps of ``dt0 / TOP_SUBSTEPS`` that
    :func:`_march_one` flies. Returns the altitude [m] and radial speed [m/s] at its end (the shooting's
    terminal state)."""
    dt = dt0 / TOP_SUBSTEPS
    for _j in range(n_main):
        for _sb in range(TOP_SUBSTEPS):
            m_a = m0k - mdk * (t - t_start_k)
            d_h, d_vr, d_ur = _vacuum_rates(h, vr, ur, t, m_a, fk, s_a, s_b, t_st, mu, rr, vrt)
            hm, vrm, urm = h + 0.5 * dt * d_h, vr + 0.5 * dt * d_vr, ur + 0.5 * dt * d_ur
            m_m = m_a - 0.5 * dt * mdk
            d_h, d_vr, d_ur = _vacuum_rates(hm, vrm, urm, t + 0.5 * dt, m_m, fk, s_a, s_b, t_st, mu, rr, vrt)
            h = h + dt * d_h
            vr = vr + dt * d_vr
            ur = ur + dt * d_ur
            t = t + dt
    return h, vr


@_jit
def _shoot(h, vr, ur, t, t_start_k, m0k, mdk, fk, ck_, dt0, n_main, h_t, t_go, mu, rr, vrt):  # pragma: no cover
    """The linear-tangent steering ``tan(theta) = A + B (t' - t)`` of the top stage's ascent burn (``t_go``
    [s] long, from the state ``h``, ``vr``, ``ur`` at time ``t``) that ends it at ``h_t`` [m] with zero
    radial speed: Newton's method on the burn integrated in vacuum (:func:`_top_burn`), finite-difference Jacobian,
    :data:`~._ascent_layout.SHOOT_ITERATIONS` iterations from the closed-form linear-sine estimate
    (:func:`_steering_guess`); each step is scaled down to at most 1 in ``A`` and 2 in ``B t_go``.
    Returns ``(A, B)`` [-, 1/s]."""
    tg = _nmax(t_go, 1e-3)
    m_a = m0k - mdk * (t - t_start_k)
    e_a, e_b = _steering_guess(h, vr, ur, m_a, fk, ck_, h_t, vrt, tg, rr, mu)
    s0 = _clip(e_a, -0.95, 0.95)
    s1 = _clip(e_a + e_b * tg, -0.95, 0.95)
    x_a = s0 / math.sqrt(1.0 - s0 * s0)
    x_c = s1 / math.sqrt(1.0 - s1 * s1) - x_a
    if not math.isfinite(x_a + x_c):
        x_a, x_c = 0.0, 0.0
    for _it in range(SHOOT_ITERATIONS):
        h0, v0 = _top_burn(h, vr, ur, t, t_start_k, m0k, mdk, fk, dt0, n_main, x_a, x_c / tg, t, mu, rr, vrt)
        h1, v1 = _top_burn(h, vr, ur, t, t_start_k, m0k, mdk, fk, dt0, n_main, x_a + SHOOT_EPS, x_c / tg, t, mu, rr, vrt)
        h2, v2 = _top_burn(h, vr, ur, t, t_start_k, m0k, mdk, fk, dt0, n_main, x_a, (x_c + SHOOT_EPS) / tg, t, mu, rr,
                           vrt)
        f1, f2 = (h0 - h_t) / SHOOT_H_SCALE, v0 / SHOOT_V_SCALE
        j11, j21 = (h1 - h0) / SHOOT_H_SCALE / SHOOT_EPS, (v1 - v0) / SHOOT_V_SCALE / SHOOT_EPS
        j12, j22 = (h2 - h0) / SHOOT_H_SCALE / SHOOT_EPS, (v2 - v0) / SHOOT_V_SCALE / SHOOT_EPS
        det = j11 * j22 - j12 * j21
        d_a = (-f1 * j22 + f2 * j12) / det
        d_c = (-f2 * j11 + f1 * j21) / det
        if not math.isfinite(d_a + d_c):
            break
        sc = _nmax(_nmax(abs(d_a), 0.5 * abs(d_c)), 1.0)
        x_a = x_a + d_a / sc
        x_c = x_c + d_c / sc
    return x_a, x_c / tg


@_jit
def _checkpoint_slot(ck, delta):  # pragma: no cover - compiled
    """Row of ``ck`` holding a checkpoint for the pitch-over ``delta`` [rad] (its valid flag is 1),
    else the row to record one into (the first empty row, or row 0 when all are taken; its flag
    is then cleared)."""
    empty = -1
    for s in range(ck.shape[0]):
        if ck[s, 0] == 1.0 and ck[s, 1] == delta:
            return s
        if empty < 0 and ck[s, 0] == 0.0:
            empty = s
    if empty < 0:
        empty = 0
    ck[empty, 0] = 0.0
    ck[empty, 1] = delta
    return empty


@_jit
def _record(ck, s, delta, k, j, t, t_start_k, h, vr, ur, kicked, crashed, l_g, l_d, l_s, l_b,
            max_q, rest):  # pragma: no cover - compiled
    """Write the flight's state at the start of guidance into row ``s`` of ``ck`` (see :data:`~._ascent_layout.NCK`);
    ``rest`` [s]: what is left of step ``j`` when guidance starts inside it (-1: at its start)."""
    ck[s, 1] = delta
    ck[s, 2] = k
    ck[s, 3] = j
    ck[s, 4] = t
    ck[s, 5] = t_start_k
    ck[s, 6] = h
    ck[s, 7] = vr
    ck[s, 8] = ur
    ck[s, 9] = 1.0 if kicked else 0.0
    ck[s, 10] = 1.0 if crashed else 0.0
    ck[s, 11] = l_g
    ck[s, 12] = l_d
    ck[s, 13] = l_s
    ck[s, 14] = l_b
    ck[s, 15] = max_q
    ck[s, 16] = rest
    ck[s, 0] = 1.0


@_jit
def _start_guidance(h, vr, ur, t, t_prof, h_t, vr_e):  # pragma: no cover - compiled
    """The guided profile that starts in the state ``h`` [m], ``vr``, ``ur`` [m/s] at time ``t`` [s] and
    ends at ``t_prof`` [s] (at least 1 s later) at ``h_t`` [m] with the radial speed ``vr_e`` [m/s]:
    ``(vr1, h1, t_rem, t0g, a_coef)``, and the altitude [m], Earth-relative speed [m/s] and flight-path
    angle [rad] at guidance start."""
    vrel = math.sqrt(vr * vr + ur * ur)
    rem = _nmax(t_prof - t, 1.0)
    a_coef = 6.0 * ((h_t - h) / rem - (vr + vr_e) / 2.0)
    return vr, h, rem, t, a_coef, h, vrel, math.atan2(vr, ur)


@_jit
def _explicit(active, shot, s_a, s_b, t_st, h, vr, ur, t, t_start_k, m0k, mdk, fk, ck_, dt0, n_main, h_t, t_poly, mu, rr,
              vrt):  # pragma: no cover - compiled
    """Whether a piece of the top stage's burn starting now (state ``h`` [m], ``vr``, ``ur`` [m/s] at time
    ``t`` [s]) flies explicit steering (``active``: the top stage on explicit steering, guided, in its
    ascent burn), and its steering ``tan(theta) = s_a + s_b (t - t_st)``, shot once per burn at its first
    such piece (:func:`_shoot`). Returns ``(s_a, s_b, t_st, shot, explicit)``."""
    expl = False
    if active:
        if not shot:
            s_a, s_b = _shoot(h, vr, ur, t, t_start_k, m0k, mdk, fk, ck_, dt0, n_main, h_t, t_poly - t, mu, rr, vrt)
            t_st = t
            shot = True
        expl = math.isfinite(s_a + s_b)
    return s_a, s_b, t_st, shot, expl


@_jit
def _advance(h, vr, ur, t, dt, m_a, mdk, fk, pak, kicked, guided, vr1, h1, t0g, t_rem, a_coef, mu, rr, vrt, cda,
             lf, p0, p_a, rho_a, a_a, atm, a_top, cd, vr_e, expl, s_a, s_b, t_st, lvl, on_target, h_t, l_g, l_d,
             l_s, l_b, max_q):  # pragma: no cover - compiled
    """One midpoint step of ``dt`` [s] from the state ``h`` [m], ``vr``, ``ur`` [m/s] at time ``t`` [s]
    with the mass ``m_a`` [kg] (``p_a``, ``rho_a``, ``a_a``: the atmosphere at ``h``); a guided step not
    on explicit steering is then put on its profile (``on_target``: on the target altitude, level).
    Returns the new state and the loss integrals [m/s] and maximum dynamic pressure [Pa] with the
    step's share added; the caller advances the time."""
    d_h, d_vr, d_ur, _a, _b, _c, _d, q = _rates(h, vr, ur, t, m_a, fk, pak, kicked, guided, vr1, t0g, t_rem, a_coef,
                                                mu, rr, vrt, cda, lf, p0, p_a, rho_a, a_a, cd, vr_e, expl, s_a, s_b,
                                                t_st, lvl)
    hm, vrm, urm = h + 0.5 * dt * d_h, vr + 0.5 * dt * d_vr, ur + 0.5 * dt * d_ur
    m_m = m_a - 0.5 * dt * mdk
    p_m, rho_m, a_m = _atm(hm, atm, a_top)
    d_h, d_vr, d_ur, lg, ld, ls, lb, qm = _rates(hm, vrm, urm, t + 0.5 * dt, m_m, fk, pak, kicked, guided, vr1, t0g,
                                                 t_rem, a_coef, mu, rr, vrt, cda, lf, p0, p_m, rho_m, a_m, cd, vr_e,
                                                 expl, s_a, s_b, t_st, lvl)
    h = h + dt * d_h
    vr = vr + dt * d_vr
    ur = ur + dt * d_ur
    if guided and not expl:
        if on_target:
            # explicit steering's level flight: at the target altitude, v_r = 0
            h, vr = h_t, 0.0
        else:
            tau = _clip((t + dt - t0g) / t_rem, 0.0, 1.0)
            tau2 = tau * tau
            h = h1 + t_rem * (vr1 * (tau - tau2 / 2) + vr_e * tau2 / 2
                              + a_coef * (tau2 / 2 - tau ** 3.0 / 3)
                              + lf * (tau2 / 2 - tau ** 3.0 + tau ** 4.0 / 2))
            vr = vr1 * (1 - tau) + vr_e * tau + a_coef * tau * (1 - tau) + lf * tau * (1 - tau) * (1 - 2 * tau)
    l_g = l_g + dt * lg
    l_d = l_d + dt * ld
    l_s = l_s + dt * ls
    l_b = l_b + dt * lb
    max_q = _nmax(max_q, _nmax(q, qm))
    return h, vr, ur, l_g, l_d, l_s, l_b, max_q


@_jit
def _march_one(ff, cc, m0, m1, pa, h_t, vrot, delta, loft, lev, top, switch_phase, mu, rr,  # pragma: no cover
               beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur, out, col,
               stop_on_crash, ck, use_ck):
    """One ascent: per-phase rows ``ff`` [N], ``cc`` [m/s], ``m0``, ``m1`` [kg], ``pa`` [N] (P,);
    ``h_t`` [m], ``vrot`` [m/s], ``delta`` [rad], ``loft`` [m/s], ``lev`` [-], ``top`` (nonzero: the top
    stage on explicit steering, ``loft`` then the radial speed at its ignition [m/s]); writes
    :data:`~._ascent_layout.OUT_FIELDS` into column ``col`` of ``out`` (11, M). ``mdot``, ``dur``: scratch (P,).

    ``stop_on_crash``: end the march at the step the trajectory crashes (the shape search's
    trials, which only rank a crashed trajectory as infinite loss, :func:`_total`); the other
    outputs of such a column are then those of the partial flight. A crash is final (the flag is
    never cleared), so the flag and :func:`_total` are those of the full march.

    ``ck`` (S, :data:`~._ascent_layout.NCK`), read and written only with ``use_ck``: checkpoints of the flight up to guidance start, shared by
    the marches of one case (see :func:`_checkpoint_slot`). Before guidance nothing depends on the
    loft or the level fraction (they enter at the switch), so a march whose pitch-over equals a
    checkpoint's resumes there, from the same numbers, instead of flying the atmospheric phases
    again; a march that finds none records one (when guidance starts before the last phase, whose
    step length depends on the level fraction). Same results, bit for bit."""
    n_ph = ff.shape[0]
    total = 0.0
    for k in range(n_ph):
        md = ff[k] / cc[k] if ff[k] > 0 else 0.0
        d = (m0[k] - m1[k]) / md if md > 0 else 0.0
        mdot[k] = md
        dur[k] = d if (math.isfinite(d) and d > 0) else 0.0
        total += dur[k]
    lv = _clip(lev, 0.0, 0.95)
    t_level = lv * dur[n_ph - 1] if n_ph > 1 else 0.0
    t_poly = total - t_level
    # guidance start (see ascent._switch_time): a phase's start time as cumsum - duration
    sp = switch_phase
    if sp < 0:
        sp = 1 if dur[0] > 0 else (2 if n_ph > 2 else -1)
    if sp >= 0:
        cs = 0.0
        for k in range(sp + 1):
            cs += dur[k]
        t_sw = cs - dur[sp]
    else:
        t_sw = 0.0
    if not t_sw > 0:
        t_sw = 0.4 * total
    if n_ph > 1:
        t_last = 0.0
        for k in range(n_ph - 1):
            t_last += dur[k]
    else:
        t_last = total
    if not t_last > t_sw:
        t_last = _nmax(t_sw, 0.6 * total)
    m_lift = m0[0] if dur[0] > 0 else m0[min(1, n_ph - 1)]
    beta = beta_ref * np.cbrt(_nmax(m_lift, 1.0) / 1e6)
    cda = m_lift / beta
    vrt, lf = vrot, loft
    # explicit top-stage steering: the profile ends at the top stage's ignition (the last phase's start)
    # at the target altitude with the radial speed ``loft``; no loft term
    expl_top = top != 0.0 and n_ph > 1
    vr_e = 0.0
    t_prof = t_poly
    if top != 0.0:
        vr_e, lf = loft, 0.0
        t_prof = total
        if n_ph > 1:
            t_prof = 0.0
            for k in range(n_ph - 1):
                t_prof += dur[k]
    s_a = s_b = t_st = 0.0
    shot = False
    sin_d, cos_d = math.sin(math.pi / 2 - delta), math.cos(math.pi / 2 - delta)
    h = vr = ur = 0.0
    kicked = guided = crashed = False
    vr1 = h1 = a_coef = t0g = 0.0
    t_rem = 1.0
    h_sw = v_sw = gm_sw = 0.0
    l_g = l_d = l_s = l_b = 0.0
    max_q = 0.0
    t = 0.0
    n_level = n_steps_level if n_ph > 1 else 0
    a_top = _sound_top(atm)
    k0 = j0 = 0
    t_start_0 = 0.0
    rest0 = -1.0
    resumed = False
    slot = -1
    if use_ck:
        slot = _checkpoint_slot(ck, delta)
        if slot >= 0 and ck[slot, 0] == 1.0:
            # resume where guidance started, in the state it had there: at the start of step j0, or
            # inside it (at the dynamic-pressure crossing) with ``rest0`` [s] of it still to fly
            k0, j0 = int(ck[slot, 2]), int(ck[slot, 3])
            t, t_start_0, h, vr, ur = ck[slot, 4], ck[slot, 5], ck[slot, 6], ck[slot, 7], ck[slot, 8]
            kicked, crashed = ck[slot, 9] != 0.0, ck[slot, 10] != 0.0
            l_g, l_d, l_s, l_b, max_q = ck[slot, 11], ck[slot, 12], ck[slot, 13], ck[slot, 14], ck[slot, 15]
            rest0 = ck[slot, 16]
            resumed = True
            slot = -1  # nothing to record
    h_b = vr_b = ur_b = t_b = lg_b = ld_b = ls_b = lb_b = mq_b = 0.0  # the state at a step's start
    if total - t_sw > GUIDED_BURN_MAX_ORBITS * 2.0 * math.pi * math.sqrt((rr + h_t) ** 3 / mu):
        crashed = True  # no direct ascent: see GUIDED_BURN_MAX_ORBITS
    for k in range(k0, n_ph):
        t_start_k = t_start_0 if (k == k0 and resumed) else t
        n_main = n_atm if k < 2 else n_upper
        last = k == n_ph - 1
        on_target = expl_top and last  # explicit steering's level flight holds the target altitude
        n_steps = n_main + (n_level if last else 0)
        if dur[k] == 0.0 and not guided:
            # a phase of zero duration (no boosters, an empty stage): every step has dt = 0, no event
            # can fire (they need dt > 0), so each step repeats the first one exactly; fly just it
            n_steps = 1
        for j in range(j0 if k == k0 else 0, n_steps):
            if not last:
                dt0 = dur[k] / n_main
            elif j < n_main:
                dt0 = (dur[k] - t_level) / n_main
            else:
                dt0 = t_level / n_level
            # the explicit top-stage burn integrates its motion: each step in TOP_SUBSTEPS parts
            n_sub = TOP_SUBSTEPS if (expl_top and last and j < n_main) else 1
            dt = dt0 / n_sub
            for _sb in range(n_sub):
                if rest0 >= 0.0:
                    # resumed at a checkpoint taken where the dynamic pressure fell through q_switch inside
                    # this step: guidance starts there, and the rest of the step is flown guided, as the
                    # march that took the checkpoint flew it (below)
                    vr1, h1, t_rem, t0g, a_coef, h_sw, v_sw, gm_sw = _start_guidance(h, vr, ur, t, t_prof, h_t, vr_e)
                    guided = True
                    active = expl_top and last and j < n_main and rest0 > 0
                    s_a, s_b, t_st, shot, expl = _explicit(active, shot, s_a, s_b, t_st, h, vr, ur, t, t_start_k,
                                                           m0[k], mdot[k], ff[k], cc[k], dt0, n_main, h_t, t_poly,
                                                           mu, rr, vrt)
                    p_a, rho_now, a_a = _atm(h, atm, a_top)
                    m_a = m0[k] - mdot[k] * (t - t_start_k)
                    lvl = last and j >= n_main
                    h, vr, ur, l_g, l_d, l_s, l_b, max_q = _advance(
                        h, vr, ur, t, rest0, m_a, mdot[k], ff[k], pa[k], kicked, guided, vr1, h1, t0g, t_rem, a_coef,
                        mu, rr, vrt, cda, lf, p0, p_a, rho_now, a_a, atm, a_top, cd, vr_e, expl, s_a, s_b, t_st, lvl,
                        on_target, h_t, l_g, l_d, l_s, l_b, max_q)
                    t = t + rest0
                    rest0 = -1.0
                    if (kicked and h < -1.0) or not math.isfinite(h + vr + ur):
                        crashed = True
                        if stop_on_crash:
                            break
                    continue
                vrel = math.sqrt(vr * vr + ur * ur)
                if (not kicked) and vrel >= kick_speed and dt > 0:
                    vr = vrel * sin_d
                    ur = vrel * cos_d
                    kicked = True
                p_a, rho_now, a_a = _atm(h, atm, a_top)  # h is unchanged by the events: reused below
                q_now = 0.5 * rho_now * (vr * vr + ur * ur)
                if (not guided) and dt > 0 and (
                    (t >= t_sw - 1e-9 and q_now <= q_switch) or t >= t_last - 1e-9
                ):
                    if slot >= 0 and not last:
                        _record(ck, slot, delta, k, j, t, t_start_k, h, vr, ur, kicked, crashed, l_g, l_d, l_s, l_b,
                                max_q, -1.0)
                    vr1, h1, t_rem, t0g, a_coef, h_sw, v_sw, gm_sw = _start_guidance(h, vr, ur, t, t_prof, h_t, vr_e)
                    guided = True
                # the dynamic pressure may fall through q_switch inside this step: then guidance starts there
                split = (not guided) and dt > 0 and t >= t_sw - 1e-9 and q_now > q_switch
                if split:
                    h_b, vr_b, ur_b, t_b, lg_b, ld_b, ls_b, lb_b, mq_b = h, vr, ur, t, l_g, l_d, l_s, l_b, max_q
                m_a = m0[k] - mdot[k] * (t - t_start_k)
                expl = False
                lvl = last and j >= n_main
                if expl_top and last and j < n_main and guided and dt > 0:
                    if not shot:
                        # the steering of the whole burn, solved once at its start (shooting)
                        s_a, s_b = _shoot(h, vr, ur, t, t_start_k, m0[k], mdot[k], ff[k], cc[k], dt0, n_main, h_t,
                                          t_poly - t, mu, rr, vrt)
                        t_st = t
                        shot = True
                    expl = math.isfinite(s_a + s_b)
                # the step (midpoint rule; :func:`_advance`, written out here: the march's hot loop)
                d_h, d_vr, d_ur, _a, _b, _c, _d, q = _rates(h, vr, ur, t, m_a, ff[k], pa[k], kicked, guided, vr1, t0g,
                                                            t_rem, a_coef, mu, rr, vrt, cda, lf, p0, p_a, rho_now, a_a,
                                                            cd, vr_e, expl, s_a, s_b, t_st, lvl)
                hm, vrm, urm = h + 0.5 * dt * d_h, vr + 0.5 * dt * d_vr, ur + 0.5 * dt * d_ur
                m_m = m_a - 0.5 * dt * mdot[k]
                p_m, rho_m, a_m = _atm(hm, atm, a_top)
                d_h, d_vr, d_ur, lg, ld, ls, lb, qm = _rates(hm, vrm, urm, t + 0.5 * dt, m_m, ff[k], pa[k],
                                                             kicked, guided, vr1, t0g, t_rem, a_coef, mu, rr, vrt, cda,
                                                             lf, p0, p_m, rho_m, a_m, cd, vr_e, expl, s_a, s_b, t_st,
                                                             lvl)
                h = h + dt * d_h
                vr = vr + dt * d_vr
                ur = ur + dt * d_ur
                if guided and not expl:
                    if on_target:
                        # explicit steering's level flight: at the target altitude, v_r = 0
                        h, vr = h_t, 0.0
                    else:
                        tau = _clip((t + dt - t0g) / t_rem, 0.0, 1.0)
                        tau2 = tau * tau
                        h = h1 + t_rem * (vr1 * (tau - tau2 / 2) + vr_e * tau2 / 2
                                          + a_coef * (tau2 / 2 - tau ** 3.0 / 3)
                                          + lf * (tau2 / 2 - tau ** 3.0 + tau ** 4.0 / 2))
                        vr = vr1 * (1 - tau) + vr_e * tau + a_coef * tau * (1 - tau) + lf * tau * (1 - tau) * (1 - 2 * tau)
                l_g = l_g + dt * lg
                l_d = l_d + dt * ld
                l_s = l_s + dt * ls
                l_b = l_b + dt * lb
                max_q = _nmax(max_q, _nmax(q, qm))
                t = t + dt
                if split:
                    _p, rho_e, _a = _atm(h, atm, a_top)
                    q_e = 0.5 * rho_e * (vr * vr + ur * ur)
                    if q_e <= q_switch:
                        # crossed inside the step: fly it again up to the crossing, start guidance there, fly
                        # the rest of the step guided. So guidance starts at the crossing itself, not at the
                        # next step's start, and the losses do not jump when the crossing moves over a step
                        # node. The crossing: regula falsi on the first piece's length, from the straight line
                        # in q between the step's ends (Q_CROSS_ITERATIONS)
                        a_dt, a_q, b_dt, b_q = 0.0, q_now, dt, q_e
                        dt1 = dt * ((q_now - q_switch) / (q_now - q_e))
                        for _it in range(Q_CROSS_ITERATIONS):
                            hx, vrx, urx, _g, _dd, _s, _bp, _m = _advance(
                                h_b, vr_b, ur_b, t_b, dt1, m_a, mdot[k], ff[k], pa[k], kicked, guided, vr1, h1, t0g,
                                t_rem, a_coef, mu, rr, vrt, cda, lf, p0, p_a, rho_now, a_a, atm, a_top, cd, vr_e, expl,
                                s_a, s_b, t_st, lvl, on_target, h_t, 0.0, 0.0, 0.0, 0.0, 0.0)
                            _p, rho_x, _a = _atm(hx, atm, a_top)
                            q_x = 0.5 * rho_x * (vrx * vrx + urx * urx)
                            if q_x > q_switch:
                                a_dt, a_q = dt1, q_x
                            elif q_x <= q_switch:
                                b_dt, b_q = dt1, q_x
                            else:
                                break
                            dt1 = a_dt + (b_dt - a_dt) * ((a_q - q_switch) / (a_q - b_q))
                        h, vr, ur, l_g, l_d, l_s, l_b, max_q = _advance(
                            h_b, vr_b, ur_b, t_b, dt1, m_a, mdot[k], ff[k], pa[k], kicked, guided, vr1, h1, t0g,
                            t_rem, a_coef, mu, rr, vrt, cda, lf, p0, p_a, rho_now, a_a, atm, a_top, cd, vr_e, expl,
                            s_a, s_b, t_st, lvl, on_target, h_t, lg_b, ld_b, ls_b, lb_b, mq_b)
                        t = t_b + dt1
                        if (kicked and h < -1.0) or not math.isfinite(h + vr + ur):
                            crashed = True
                            if stop_on_crash:
                                break
                        rest = dt - dt1
                        if slot >= 0 and not last:
                            _record(ck, slot, delta, k, j, t, t_start_k, h, vr, ur, kicked, crashed, l_g, l_d, l_s,
                                    l_b, max_q, rest)
                        # from here as a march resumed at that checkpoint flies it (above)
                        vr1, h1, t_rem, t0g, a_coef, h_sw, v_sw, gm_sw = _start_guidance(h, vr, ur, t, t_prof, h_t,
                                                                                          vr_e)
                        guided = True
                        active = expl_top and last and j < n_main and rest > 0
                        s_a, s_b, t_st, shot, expl = _explicit(active, shot, s_a, s_b, t_st, h, vr, ur, t, t_start_k,
                                                               m0[k], mdot[k], ff[k], cc[k], dt0, n_main, h_t, t_poly,
                                                               mu, rr, vrt)
                        p_a, rho_now, a_a = _atm(h, atm, a_top)
                        m_a = m0[k] - mdot[k] * (t - t_start_k)
                        h, vr, ur, l_g, l_d, l_s, l_b, max_q = _advance(
                            h, vr, ur, t, rest, m_a, mdot[k], ff[k], pa[k], kicked, guided, vr1, h1, t0g, t_rem, a_coef,
                            mu, rr, vrt, cda, lf, p0, p_a, rho_now, a_a, atm, a_top, cd, vr_e, expl, s_a, s_b, t_st,
                            lvl, on_target, h_t, l_g, l_d, l_s, l_b, max_q)
                        t = t + rest
                if (kicked and h < -1.0) or not math.isfinite(h + vr + ur):
                    crashed = True
                    if stop_on_crash:
                        break
                if crashed and stop_on_crash:
                    break
            if crashed and stop_on_crash:
                break
            if expl_top and last and j == n_main - 1 and guided:
                # end of the explicit burn: the miss (radial speed; altitude as g dh / v_c) charged as
                # steering loss, the stage set on the target
                r_t = rr + h_t
                miss = abs(vr) + (mu / (r_t * r_t)) * abs(h - h_t) / math.sqrt(mu / r_t)
                l_s = l_s + miss
                h, vr = h_t, 0.0
                if not miss <= SHOOT_MISS_MAX:
                    # the linear-tangent burn cannot reach the target from this ignition state
                    crashed = True
                    if stop_on_crash:
                        break
        if crashed and stop_on_crash:
            break
    if not l_g > 0.0:
        # climbing from the pad to orbit costs gravity loss; none (or a gain) marks a shape the guided
        # profile kept aloft that the engine could not fly (see GUIDED_BURN_MAX_ORBITS)
        crashed = True
    out[0, col] = l_g
    out[1, col] = l_d
    out[2, col] = l_s
    out[3, col] = l_b
    out[4, col] = 1.0 if crashed else 0.0
    out[5, col] = h_sw
    out[6, col] = v_sw
    out[7, col] = gm_sw
    out[8, col] = max_q
    out[9, col] = h
    out[10, col] = math.sqrt(vr * vr + ur * ur)


@_jit
def _march_cases_core(ff, cc, m0, m1, pa, h_t, vrot, delta, loft, lev, top, switch_phase, mu, rr,  # pragma: no cover
                      beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur, out):
    """:func:`march_cases` with its scratch rows ``mdot``, ``dur`` (P,) given (no allocation)."""
    for i in range(ff.shape[0]):
        _march_one(ff[i], cc[i], m0[i], m1[i], pa[i], h_t[i], vrot[i], delta[i], loft[i], lev[i], top[i], switch_phase, mu,
                   rr, beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur, out, i,
                   False, out, False)


@_jit
def march_cases(ff, cc, m0, m1, pa, h_t, vrot, delta, loft, lev, top, switch_phase, mu, rr,  # pragma: no cover
                beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, out):
    """Integrate one ascent per case ``i`` (rows of the (N, P) per-phase arrays ``ff`` [N], ``cc``
    [m/s], ``m0``, ``m1`` [kg], ``pa`` [N]; (N,) ``h_t`` [m], ``vrot`` [m/s], ``delta`` [rad], ``loft``
    [m/s], ``lev`` [-], ``top`` (nonzero: explicit top-stage steering, see :func:`_march_one`)) and write
    :data:`~._ascent_layout.OUT_FIELDS` into ``out`` (11, N). ``switch_phase`` < 0: the
    default switch rule. ``atm``, ``cd``: the atmosphere and drag-rise tables."""
    n_ph = ff.shape[1]
    _march_cases_core(ff, cc, m0, m1, pa, h_t, vrot, delta, loft, lev, top, switch_phase, mu, rr, beta_ref, kick_speed,
                      q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, np.empty(n_ph), np.empty(n_ph), out)


@_jit
def _total(out, col):  # pragma: no cover - compiled
    """Sum of the four loss integrals [m/s] of column ``col``; ``inf`` for a crashed or non-finite
    trajectory (how the shape search ranks it)."""
    tot = out[0, col] + out[1, col] + out[2, col] + out[3, col]
    if out[4, col] != 0.0 or not math.isfinite(tot):
        return math.inf
    return tot


@_jit
def _argmin(f, k):  # pragma: no cover - compiled
    """``np.argmin(f[:k])`` (first minimum; ``f`` holds no NaN)."""
    best = 0
    for j in range(1, k):
        if f[j] < f[best]:
            best = j
    return best


@_jit
def _refined_argmin(x, f, k):  # pragma: no cover - compiled
    """:func:`jointmission.core._shape_search.refined_argmin` for one case: the best of ``k`` samples of
    ``f`` at the uniformly spaced ``x``, refined by the vertex of the parabola through it and its
    neighbours (kept inside the neighbours' interval)."""
    i = _argmin(f, k)
    il = max(i - 1, 0)
    ir = min(i + 1, k - 1)
    f0, fl, fr = f[i], f[il], f[ir]
    x0, xl, xr = x[i], x[il], x[ir]
    interior = i > 0 and i < k - 1 and math.isfinite(fl) and math.isfinite(fr) and math.isfinite(f0)
    dl = x0 - xl
    dr = x0 - xr
    num = dl * dl * (f0 - fr) - dr * dr * (f0 - fl)
    den = dl * (f0 - fr) - dr * (f0 - fl)
    xv = x0 - 0.5 * num / den
    if interior and math.isfinite(xv) and xv > xl and xv < xr:
        return xv
    return x0


def search_width(nk, nf, nl, nv):
    """Columns of the shape search's scratch rows (the widest of its scans)."""
    return max(nk, nf, nl * nv)


@_jit
def optimise_cases(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr,  # pragma: no cover
                   beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd,
                   log_kicks, kicks, lin, lgrid, vgrid, shape, out):
    """The trajectory-shape search of :func:`jointmission.core.ascent.ascent_losses` (pitch-over,
    loft, level flight all free), one case at a time, then the ascent at the shape found.

    Inputs as :func:`march_cases` (without the shape; ``top`` the top stage's steering of each case,
    searched within); ``log_kicks`` the log of the pitch-over
    grid [log deg] and ``kicks`` its exponential [deg] (as the array code computes it), ``lin`` the 7 fractions of the fine pass (``linspace(0, 1, 7)``), ``lgrid`` the
    loft grid [m/s], ``vgrid`` the level-flight grid [-]. Writes the shape (pitch-over [deg], loft
    [m/s], level fraction) into ``shape`` (3, N) and the final ascent's :data:`~._ascent_layout.OUT_FIELDS` into
    ``out`` (11, N). The same searches in the same order as the array code: a coarse pitch-over
    pass and a fine one between the best point's neighbours (parabola), a joint loft x level scan
    (parabola along each axis through the best cell), then :data:`~._ascent_layout.SHAPE_ROUNDS` - 1
    rounds of the pitch-over again, the loft, the level fraction."""
    _search(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr, beta_ref, kick_speed, q_switch, n_atm, n_upper,
            n_steps_level, p0, atm, cd, log_kicks, kicks, lin, lgrid, vgrid, shape, out, 0)


@_jit
def restart_cases(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr,  # pragma: no cover
                  beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd,
                  log_kicks, kicks, lin, lgrid, vgrid, shape, out):
    """The shape search's second start (:func:`jointmission.core._shape_search.second_basin`), one case at a
    time: a joint scan of the two pitch-overs of every other grid point that bracket the first
    search's pitch-over (``shape[0]`` [deg] on entry; NaN: all of them) x the loft grid x the level grid, then the
    descent's rounds after the first (:data:`~._ascent_layout.SHAPE_ROUNDS` - 1: the pitch-over, the
    loft, the level fraction) from its best cell, then the ascent at the shape found. Arguments and
    outputs as :func:`optimise_cases`."""
    _search(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr, beta_ref, kick_speed, q_switch, n_atm, n_upper,
            n_steps_level, p0, atm, cd, log_kicks, kicks, lin, lgrid, vgrid, shape, out, 1)


@_jit
def _search(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr,  # pragma: no cover
            beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd,
            log_kicks, kicks, lin, lgrid, vgrid, shape, out, restart):
    """:func:`_optimise_core` with its scratch allocated (``restart``: 0 :func:`optimise_cases`, 1
    :func:`restart_cases`)."""
    n_ph = ff.shape[1]
    nk, nf, nl, nv = log_kicks.shape[0], lin.shape[0], lgrid.shape[0], vgrid.shape[0]
    width = max(nk, nf, nl * nv)
    _optimise_core(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr, beta_ref, kick_speed, q_switch, n_atm,
                   n_upper, n_steps_level, p0, atm, cd, log_kicks, kicks, lin, lgrid, vgrid, shape, out,
                   np.empty(n_ph), np.empty(n_ph), np.empty((11, width)), np.empty(width), np.empty(nf),
                   np.empty(nl), np.empty(nv), np.zeros((N_CHECKPOINTS, NCK)), restart)


@_jit
def _optimise_core(ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr,  # pragma: no cover
                   beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd,
                   log_kicks, kicks, lin, lgrid, vgrid, shape, out, mdot, dur, scratch, f, fine, fl, fv, ck, restart):
    """:func:`optimise_cases` (``restart`` 0) or :func:`restart_cases` (``restart`` 1) with its scratch
    given (no allocation): ``mdot``, ``dur`` (P,), ``scratch`` (11, W), ``f`` (W,) with W =
    :func:`search_width`, ``fine`` (nf,), ``fl`` (nl,), ``fv`` (nv,), ``ck``
    (:data:`~._ascent_layout.N_CHECKPOINTS`, :data:`~._ascent_layout.NCK`): the checkpoints of a case's
    marches (:func:`_march_one`; cleared for every case). The restart's joint scan flies the
    pitch-overs of the coarse pass, so its checkpoints serve that pass too."""
    n_cases = ff.shape[0]
    nk, nf, nl, nv = log_kicks.shape[0], lin.shape[0], lgrid.shape[0], vgrid.shape[0]
    deg = math.pi / 180.0
    for i in range(n_cases):
        for s in range(ck.shape[0]):
            ck[s, 0] = 0.0
        a0, a1, a2, a3, a4 = ff[i], cc[i], m0[i], m1[i], pa[i]
        ht, vr, tp = h_t[i], vrot[i], top[i]
        # the first pitch-over pass flies loft 0; explicit top-stage steering, whose loft is the radial
        # speed at the top stage's ignition, the middle of its grid (at 0 it rarely reaches the target)
        loft = lgrid[nl // 2] if tp != 0.0 else 0.0
        level = 0.0
        kick = 0.0
        first = 0
        if restart != 0:
            # the second start: the best cell of pitch-over x loft x level (the first minimum in that
            # order, as ``np.argmin`` over the array search's scan), the pitch-overs those of every other
            # grid point that bracket the first search's (the last one at or below it, and the next)
            n2 = (nk + 1) // 2
            q_lo = 0
            for q in range(n2):
                if kicks[2 * q] <= shape[0, i]:
                    q_lo = q
            q_hi = min(q_lo + 1, n2 - 1)
            if not math.isfinite(shape[0, i]):
                q_lo, q_hi = 0, n2 - 1  # no first pitch-over (no feasible shape found): all of them
            best = math.inf
            loft, level = lgrid[0], vgrid[0]
            for j in range(2 * q_lo, 2 * q_hi + 1, 2):
                for a in range(nl):
                    for c in range(nv):
                        _march_one(a0, a1, a2, a3, a4, ht, vr, kicks[j] * deg, lgrid[a], vgrid[c], tp, switch_phase,
                                   mu, rr, beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd,
                                   mdot, dur, scratch, 0, True, ck, True)
                        tot = _total(scratch, 0)
                        if tot < best:
                            best, loft, level = tot, lgrid[a], vgrid[c]
            first = 1
        for rnd in range(first, SHAPE_ROUNDS):
            # pitch-over: coarse grid, then a finer pass between the best point's neighbours (from
            # the third round on: the finer pass alone, around the last pitch-over)
            if rnd < 2:
                for j in range(nk):
                    _march_one(a0, a1, a2, a3, a4, ht, vr, kicks[j] * deg, loft, level, tp, switch_phase, mu,
                               rr, beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot,
                               dur, scratch, j, True, ck, True)
                    f[j] = _total(scratch, j)
                b = _argmin(f, nk)
                xl = log_kicks[max(b - 1, 0)]
                xr = log_kicks[min(b + 1, nk - 1)]
            else:
                xl = math.log(kick) - KICK_POLISH
                xr = math.log(kick) + KICK_POLISH
            for j in range(nf):
                fine[j] = xl + (xr - xl) * lin[j]
                _march_one(a0, a1, a2, a3, a4, ht, vr, math.exp(fine[j]) * deg, loft, level, tp, switch_phase, mu, rr,
                           beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur,
                           scratch, j, True, ck, True)
                f[j] = _total(scratch, j)
            kick = math.exp(_refined_argmin(fine, f, nf))
            if rnd == 0:
                # loft x level, jointly
                for a in range(nl):
                    for c in range(nv):
                        _march_one(a0, a1, a2, a3, a4, ht, vr, kick * deg, lgrid[a], vgrid[c], tp, switch_phase, mu,
                                   rr, beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot,
                                   dur, scratch, a * nv + c, True, ck, True)
                        f[a * nv + c] = _total(scratch, a * nv + c)
                b = _argmin(f, nl * nv)
                il, iv = b // nv, b % nv
                for a in range(nl):
                    fl[a] = f[a * nv + iv]
                for c in range(nv):
                    fv[c] = f[il * nv + c]
                loft = _refined_argmin(lgrid, fl, nl)
                level = _refined_argmin(vgrid, fv, nv)
                continue
            # then loft, then level
            for a in range(nl):
                _march_one(a0, a1, a2, a3, a4, ht, vr, kick * deg, lgrid[a], level, tp, switch_phase, mu, rr, beta_ref,
                           kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur, scratch, a, True,
                           ck, True)
                fl[a] = _total(scratch, a)
            loft = _refined_argmin(lgrid, fl, nl)
            for c in range(nv):
                _march_one(a0, a1, a2, a3, a4, ht, vr, kick * deg, loft, vgrid[c], tp, switch_phase, mu, rr, beta_ref,
                           kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur, scratch, c, True,
                           ck, True)
                fv[c] = _total(scratch, c)
            level = _refined_argmin(vgrid, fv, nv)
        _march_one(a0, a1, a2, a3, a4, ht, vr, kick * deg, loft, level, tp, switch_phase, mu, rr, beta_ref, kick_speed,
                   q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, mdot, dur, out, i, False, ck, True)
        shape[0, i] = kick
        shape[1, i] = loft
        shape[2, i] = level


# -------------------------------------------------------------------------------- C entry points
def c_entry_points() -> dict:
    """The C-callable forms of :func:`march_cases` and :func:`optimise_cases` (numba ``cfunc``),
    compiled now, for :mod:`jointmission.core._ascent_native` to build a native library from.

    ``jm_march(ff, cc, m0, m1, pa, h_t, vrot, delta, loft, lev, top, fpar, ipar, atm, cd, mdot, dur, out)``
    and ``jm_optimise(ff, cc, m0, m1, pa, h_t, vrot, top, fpar, ipar, atm, cd, log_kicks, kicks, lin,
    lgrid, vgrid, shape, out, mdot, dur, scratch, f, fine, fl, fv, ck)`` (``ipar[12]`` 1: :func:`restart_cases`):
    every argument a pointer to
    C-contiguous float64 data (``ipar``: int64) laid out as the arrays of the jitted functions and
    their scratch (:func:`_optimise_core`; ``scratch`` (11, W), ``f`` (W,), W =
    :func:`search_width`; ``ck`` (:data:`~._ascent_layout.N_CHECKPOINTS`, :data:`~._ascent_layout.NCK`)); ``ipar`` and ``fpar`` hold the sizes and scalars in the order of
    :data:`~._ascent_layout.IPAR` and :data:`~._ascent_layout.FPAR`. No allocation, no exception, no Python object: the same compiled
    cores (:func:`_march_cases_core`, :func:`_optimise_core`) as the jitted functions."""
    from numba import carray, cfunc, types

    p = types.CPointer(types.float64)
    ip = types.CPointer(types.int64)

    @cfunc(types.void(p, p, p, p, p, p, p, p, p, p, p, p, ip, p, p, p, p, p), error_model="numpy")
    def jm_march(ffp, ccp, m0p, m1p, pap, htp, vrp, dlp, lfp, lvp, tpp, fpar, ipar, atmp, cdp, mdp, dup,
                 outp):  # pragma: no cover - compiled
        n, n_ph = ipar[0], ipar[1]
        ph = (n, n_ph)
        _march_cases_core(carray(ffp, ph), carray(ccp, ph), carray(m0p, ph), carray(m1p, ph), carray(pap, ph),
                          carray(htp, (n,)), carray(vrp, (n,)), carray(dlp, (n,)), carray(lfp, (n,)),
                          carray(lvp, (n,)), carray(tpp, (n,)), ipar[4], fpar[0], fpar[1], fpar[2], fpar[3], fpar[4], ipar[5], ipar[6],
                          ipar[7], fpar[5], carray(atmp, (5, ipar[2])), carray(cdp, (2, ipar[3])),
                          carray(mdp, (n_ph,)), carray(dup, (n_ph,)), carray(outp, (11, n)))

    @cfunc(types.void(p, p, p, p, p, p, p, p, p, ip, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p),
           error_model="numpy")
    def jm_optimise(ffp, ccp, m0p, m1p, pap, htp, vrp, tpp, fpar, ipar, atmp, cdp, lkp, kp, linp, lgp, vgp, shp, outp,
                    mdp, dup, scp, fp, finep, flp, fvp, ckp):  # pragma: no cover - compiled
        n, n_ph = ipar[0], ipar[1]
        nk, nf, nl, nv = ipar[8], ipar[9], ipar[10], ipar[11]
        w = max(nk, nf, nl * nv)
        ph = (n, n_ph)
        _optimise_core(carray(ffp, ph), carray(ccp, ph), carray(m0p, ph), carray(m1p, ph), carray(pap, ph),
                       carray(htp, (n,)), carray(vrp, (n,)), carray(tpp, (n,)), ipar[4], fpar[0], fpar[1], fpar[2], fpar[3], fpar[4],
                       ipar[5], ipar[6], ipar[7], fpar[5], carray(atmp, (5, ipar[2])), carray(cdp, (2, ipar[3])),
                       carray(lkp, (nk,)), carray(kp, (nk,)), carray(linp, (nf,)), carray(lgp, (nl,)),
                       carray(vgp, (nv,)), carray(shp, (3, n)), carray(outp, (11, n)), carray(mdp, (n_ph,)),
                       carray(dup, (n_ph,)), carray(scp, (11, w)), carray(fp, (w,)), carray(finep, (nf,)),
                       carray(flp, (nl,)), carray(fvp, (nv,)), carray(ckp, (N_CHECKPOINTS, NCK)), ipar[12])

    return {"jm_march": jm_march, "jm_optimise": jm_optimise}
