"""The numpy formulation of the ascent march: all cases advance together, ~100 array operations
per step. It is the tested reference of the compiled :func:`jointmission.core.ascent.march`
(tests/core/test_ascent_kernel.py); the model itself is described in :mod:`jointmission.core.ascent`.
SI float64 arrays throughout.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import GM_EARTH, R_EARTH
from .ascent import (
    DEFAULT_COEFFICIENTS,
    AscentCoefficients,
    _switch_time,
    atmosphere,
    drag_coefficient_ratio,
)
from ._ascent_layout import (GUESS_NODES, GUIDED_BURN_MAX_ORBITS, Q_CROSS_ITERATIONS, SHOOT_EPS, SHOOT_H_SCALE, SHOOT_ITERATIONS, SHOOT_MISS_MAX, SHOOT_V_SCALE,
                             TOP_SUBSTEPS)
from .atmosphere import P0

__all__ = ["march_reference"]


def _log1p_libm(x):
    """``log1p`` of every element by the C library's ``log1p``, as the compiled kernel computes it
    (numpy's vectorized ``np.log1p`` may round differently in the last bit)."""
    x = np.asarray(x, dtype=float)
    return np.fromiter(map(math.log1p, x.ravel().tolist()), dtype=float, count=x.size).reshape(x.shape)


def _steering_guess(h, vr, ur, m, thrust, c, h_t, vrot, t_go, r_body, mu):
    """First estimate of the top stage's steering: the coefficients ``(A, B)`` [-, 1/s] of
    ``sin(theta) = A + B s`` (``s`` [s] from now) that reach ``h_t`` [m] with zero radial speed in
    ``t_go`` [s], in closed form from the thrust integrals of the rocket equation
    (``b0 = -c ln(1 - T/tau)``, ``b1 = b0 tau - c T``, ``c0 = b0 T - b1``, ``c1 = c0 tau - c T^2/2``, as in
    Powered Explicit Guidance), with the gravity less the centrifugal acceleration integrated (Simpson,
    :data:`~._ascent_layout.GUESS_NODES` intervals) along a horizontal burn (speed from the rocket
    equation, at most circular at ``h_t``). State: altitude ``h`` [m], radial and Earth-relative
    horizontal speed ``vr``, ``ur`` [m/s], mass ``m`` [kg], vacuum thrust [N], exhaust velocity ``c``
    [m/s]. The shooting (:func:`_shoot`) starts from it."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tt = np.maximum(t_go, 1e-3)
        tau_m = m * c / thrust
        x = np.minimum(tt / tau_m, 0.999999)
        b0 = -c * _log1p_libm(-x)
        b1 = b0 * tau_m - c * tt
        c0 = b0 * tt - b1
        c1 = c0 * tau_m - 0.5 * c * tt * tt
        r = r_body + h
        rf = r_body + h_t
        u0 = ur + vrot * (r / r_body)
        vc = np.sqrt(mu / rf)
        g_f = mu / (rf * rf)
        g1 = np.zeros(np.shape(tt))
        g2 = np.zeros(np.shape(tt))
        for i in range(GUESS_NODES + 1):
            s = tt * i / GUESS_NODES
            w = 1.0 if (i == 0 or i == GUESS_NODES) else (4.0 if i % 2 == 1 else 2.0)
            u = np.minimum(u0 - c * _log1p_libm(-np.minimum(s / tau_m, 0.999999)), vc)
            ge = g_f - u * u / rf
            g1 = g1 + w * ge
            g2 = g2 + w * (tt - s) * ge
        g1 = g1 * tt / (3.0 * GUESS_NODES)
        g2 = g2 * tt / (3.0 * GUESS_NODES)
        dv = g1 - vr
        dr = (h_t - h) - vr * tt + g2
        det = b0 * c1 - b1 * c0
        return (dv * c1 - b1 * dr) / det, (b0 * dr - c0 * dv) / det


def _vacuum_rates(h, vr, ur, t, m, fk, s_a, s_b, t_st, mu, r_body, vrot):
    """Right-hand side ``(dh, dvr, dur)`` of the top stage's burn in vacuum with
    ``tan(theta) = s_a + s_b (t - t_st)``."""
    r = r_body + h
    g = mu / (r * r)
    u = ur + vrot * (r / r_body)
    a_t = fk / m
    tn = s_a + s_b * (t - t_st)
    c_th = 1.0 / np.sqrt(1.0 + tn * tn)
    s_th = tn * c_th
    return vr, a_t * s_th - g + u * u / r, a_t * c_th - vr * u / r - vrot * vr / r_body


def _top_burn(h, vr, ur, t, t_start_k, m0k, mdk, fk, dt0, n_main, s_a, s_b, t_st, mu, r_body, vrot):
    """The explicitly steered top-stage burn in vacuum from its first step: ``n_main`` x
    :data:`~._ascent_layout.TOP_SUBSTEPS` midpoint steps of ``dt0 / TOP_SUBSTEPS`` [s] (as the march flies
    it). Returns the altitude [m] and radial speed [m/s] at its end."""
    dt = dt0 / TOP_SUBSTEPS
    for _j in range(n_main):
        for _sb in range(TOP_SUBSTEPS):
            m_a = m0k - mdk * (t - t_start_k)
            d_h, d_vr, d_ur = _vacuum_rates(h, vr, ur, t, m_a, fk, s_a, s_b, t_st, mu, r_body, vrot)
            hm, vrm, urm = h + 0.5 * dt * d_h, vr + 0.5 * dt * d_vr, ur + 0.5 * dt * d_ur
            m_m = m_a - 0.5 * dt * mdk
            d_h, d_vr, d_ur = _vacuum_rates(hm, vrm, urm, t + 0.5 * dt, m_m, fk, s_a, s_b, t_st, mu, r_body, vrot)
            h = h + dt * d_h
            vr = vr + dt * d_vr
            ur = ur + dt * d_ur
            t = t + dt
    return h, vr


def _shoot(h, vr, ur, t, t_start_k, m0k, mdk, fk, ck, dt0, n_main, h_t, t_go, mu, r_body, vrot):
    """The linear-tangent steering ``tan(theta) = A + B (t' - t)`` of the top stage's ascent burn
    (``t_go`` [s] long, from the state ``h``, ``vr``, ``ur`` at time ``t``) that ends it at ``h_t`` [m] with
    zero radial speed: Newton's method on the burn integrated in vacuum (:func:`_top_burn`; drag and
    back-pressure are below 0.1 N where top stages ignite), finite-difference Jacobian, a fixed
    :data:`~._ascent_layout.SHOOT_ITERATIONS` iterations from :func:`_steering_guess`, each step scaled
    down to at most 1 in ``A`` and 2 in ``B t_go``. Returns ``(A, B)`` [-, 1/s] per case."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tg = np.maximum(t_go, 1e-3)
        m_a = m0k - mdk * (t - t_start_k)
        e_a, e_b = _steering_guess(h, vr, ur, m_a, fk, ck, h_t, vrot, tg, r_body, mu)
        s0 = np.clip(e_a, -0.95, 0.95)
        s1 = np.clip(e_a + e_b * tg, -0.95, 0.95)
        x_a = s0 / np.sqrt(1.0 - s0 * s0)
        x_c = s1 / np.sqrt(1.0 - s1 * s1) - x_a
        bad = ~np.isfinite(x_a + x_c)
        x_a, x_c = np.where(bad, 0.0, x_a), np.where(bad, 0.0, x_c)
        live = np.ones(np.shape(x_a), bool)
        args = (h, vr, ur, t, t_start_k, m0k, mdk, fk, dt0, n_main)
        for _it in range(SHOOT_ITERATIONS):
            h0, v0 = _top_burn(*args, x_a, x_c / tg, t, mu, r_body, vrot)
            h1, v1 = _top_burn(*args, x_a + SHOOT_EPS, x_c / tg, t, mu, r_body, vrot)
            h2, v2 = _top_burn(*args, x_a, (x_c + SHOOT_EPS) / tg, t, mu, r_body, vrot)
            f1, f2 = (h0 - h_t) / SHOOT_H_SCALE, v0 / SHOOT_V_SCALE
            j11, j21 = (h1 - h0) / SHOOT_H_SCALE / SHOOT_EPS, (v1 - v0) / SHOOT_V_SCALE / SHOOT_EPS
            j12, j22 = (h2 - h0) / SHOOT_H_SCALE / SHOOT_EPS, (v2 - v0) / SHOOT_V_SCALE / SHOOT_EPS
            det = j11 * j22 - j12 * j21
            d_a = (-f1 * j22 + f2 * j12) / det
            d_c = (-f2 * j11 + f1 * j21) / det
            live = live & np.isfinite(d_a + d_c)
            sc = np.maximum(np.maximum(np.abs(d_a), 0.5 * np.abs(d_c)), 1.0)
            x_a = np.where(live, x_a + d_a / sc, x_a)
            x_c = np.where(live, x_c + d_c / sc, x_c)
        return x_a, x_c / tg


def march_reference(
    thrust,
    c,
    m_start,
    m_end,
    p_area,
    h_target,
    v_rot,
    kick_deg,
    loft_m_s=0.0,
    level_frac=0.0,
    top_steering=0,
    *,
    switch_phase: int | None = None,
    mu: float = GM_EARTH,
    r_body: float = R_EARTH,
    coeffs: AscentCoefficients = DEFAULT_COEFFICIENTS,
):
    """Integrate one ascent per case for a given pitch-over angle; return the loss terms.

    The numpy formulation of the march (all cases advance together, ~100 array operations per
    step): the reference that the compiled :func:`march` is tested against. Same parameters and
    returns as :func:`march`.

    Parameters
    ----------
    thrust, c, m_start, m_end, p_area : array_like (..., P)
        Per phase: vacuum thrust [N], exhaust velocity [m/s], mass at start and end including
        payload [kg], and sea-level pressure-thrust loss ``p0 A_e`` [N]. A phase with
        ``m_start == m_end`` has zero duration.
    h_target : array_like (...)
        Altitude at burnout [m].
    v_rot : array_like (...)
        In-plane Earth-rotation speed at the launch site [m/s] (``omega R cos(lat) sin(Az)``).
    kick_deg : array_like (...)
        Pitch-over angle [deg].
    loft_m_s : array_like (...)
        Loft shape ``B`` [m/s] of the guided radial-velocity profile: the term
        ``B tau (1 - tau) (1 - 2 tau)`` climbs early and descends late (``B > 0``) without changing
        the altitude gained.
    switch_phase : int, optional
        Index of the phase at whose start the guided (upper-stage) law takes over; default: booster
        separation if there are boosters, else first-stage burnout (see :func:`_switch_time`).
    mu, r_body : float
        Gravitational parameter [m^3/s^2] and radius [m] of the body.
    coeffs : AscentCoefficients

    Returns
    -------
    dict of ndarray (...)
        ``gravity``, ``drag``, ``steering``, ``back_pressure`` [m/s], ``crashed`` (bool),
        ``h_switch`` [m], ``v_switch`` [m/s], ``gamma_switch`` [rad], ``max_q`` [Pa],
        ``h_end`` [m], ``v_end`` (Earth-relative speed at burnout) [m/s].
    """
    F = np.moveaxis(np.asarray(thrust, dtype=float), -1, 0)
    cc = np.moveaxis(np.asarray(c, dtype=float), -1, 0)
    m0 = np.moveaxis(np.asarray(m_start, dtype=float), -1, 0)
    m1 = np.moveaxis(np.asarray(m_end, dtype=float), -1, 0)
    pa = np.moveaxis(np.asarray(p_area, dtype=float), -1, 0)
    n_ph = F.shape[0]
    h_t = np.asarray(h_target, dtype=float)
    vrot = np.asarray(v_rot, dtype=float)
    delta = np.deg2rad(np.asarray(kick_deg, dtype=float))
    loft = np.asarray(loft_m_s, dtype=float)
    lev = np.clip(np.asarray(level_frac, dtype=float), 0.0, 0.95)
    top = np.asarray(top_steering, dtype=float) != 0.0
    shape = np.broadcast_shapes(F.shape[1:], cc.shape[1:], m0.shape[1:], m1.shape[1:], pa.shape[1:], h_t.shape, vrot.shape, delta.shape, loft.shape, lev.shape, top.shape)
    full = (n_ph,) + shape

    def _bc(x):  # phase axis first, case axes right-aligned with ``shape``
        x = x.reshape((x.shape[0],) + (1,) * (len(shape) - (x.ndim - 1)) + x.shape[1:])
        return np.broadcast_to(x, full)

    F, cc, m0, m1, pa = (_bc(x) for x in (F, cc, m0, m1, pa))

    with np.errstate(divide="ignore", invalid="ignore"):
        mdot = np.where(F > 0, F / cc, 0.0)
        dur = np.where(mdot > 0, (m0 - m1) / mdot, 0.0)
    dur = np.where(np.isfinite(dur) & (dur > 0), dur, 0.0)
    t_total = np.sum(dur, axis=0)
    # level flight at the end: the last ``level_frac`` of the top stage's burn holds the target
    # altitude (v_r = 0); the guided polynomial ends where it starts
    t_level = np.broadcast_to(lev * dur[-1], shape) if n_ph > 1 else np.zeros(shape)
    t_poly = t_total - t_level
    t_sw = _switch_time(dur, switch_phase)
    # latest switch: the start of the last phase (or 60 % of a single-phase burn)
    t_last = np.cumsum(dur, axis=0)[-2] if n_ph > 1 else np.sum(dur, axis=0)
    t_last = np.where(t_last > t_sw, t_last, np.maximum(t_sw, 0.6 * t_total))
    m_lift = np.where(dur[0] > 0, m0[0], m0[min(1, n_ph - 1)])
    beta = coeffs.beta_ref * np.cbrt(np.maximum(m_lift, 1.0) / 1e6)
    cda = m_lift / beta  # C_D0 * A [m^2]
    R = float(r_body)

    z = np.zeros(shape)
    h, vr, ur = z.copy(), z.copy(), z.copy()
    kicked = np.zeros(shape, bool)
    guided = np.zeros(shape, bool)
    crashed = np.zeros(shape, bool)
    # no direct ascent: see GUIDED_BURN_MAX_ORBITS
    crashed |= (t_total - t_sw) > GUIDED_BURN_MAX_ORBITS * 2.0 * np.pi * np.sqrt((r_body + h_t) ** 3 / mu)
    vr1, h1, t_rem, a_coef, t0g = z.copy(), z.copy(), np.ones(shape), z.copy(), z.copy()
    # explicit top-stage steering: the guided profile ends at the top stage's ignition, at the target
    # altitude with the radial speed ``loft`` (the free ignition state); no loft term
    vr_e = np.where(top, loft, 0.0)
    loft = np.where(top, 0.0, loft)
    t_top = np.cumsum(dur, axis=0)[-2] if n_ph > 1 else t_total
    t_prof = np.where(top, t_top, t_poly)
    h_sw, v_sw, g_sw = z.copy(), z.copy(), z.copy()
    s_a, s_b, t_st = z.copy(), z.copy(), z.copy()  # the top stage's steering, once shot
    shot = np.zeros(shape, bool)
    L = {k: z.copy() for k in ("gravity", "drag", "steering", "back_pressure")}
    max_q = z.copy()
    sin_d, cos_d = np.sin(np.pi / 2 - delta), np.cos(np.pi / 2 - delta)
    t = z.copy()

    def rates(h, vr, ur, t, m, Fk, pak, expl=None, s_a=None, s_b=None, t_st=None, lvl=False):
        r = R + h
        g = mu / (r * r)
        u = ur + vrot * (r / R)  # inertial horizontal speed
        vrel = np.sqrt(vr * vr + ur * ur)
        tiny = vrel < 1e-6
        s_g = np.where(tiny, 1.0, vr / np.where(tiny, 1.0, vrel))
        c_g = np.where(tiny, 0.0, ur / np.where(tiny, 1.0, vrel))
        p, rho, a_s = atmosphere(h)
        a_bp = pak * (p / P0) / m
        a_t = Fk / m - a_bp
        q = 0.5 * rho * vrel * vrel
        d_m = q * cda * drag_coefficient_ratio(vrel / a_s) / m
        # Gravity turn (thrust along the relative velocity; vertical before the kick).
        s_th = np.where(kicked, s_g, 1.0)
        c_th = np.where(kicked, c_g, 0.0)
        dvr = a_t * s_th - d_m * s_g - g + u * u / r
        # Guided: radial velocity follows the quadratic profile.
        tau_raw = (t - t0g) / t_rem
        tau = np.clip(tau_raw, 0.0, 1.0)
        a_req = (-vr1 + vr_e + a_coef * (1.0 - 2.0 * tau) + loft * (1.0 - 6.0 * tau + 6.0 * tau * tau)) / t_rem
        # level flight after the polynomial; a level-flight step is level from its first node, where
        # tau is 1 only to rounding (the profile's end slope there was a knife-edge of the step's losses)
        a_req = np.where((tau_raw >= 1.0) | lvl, 0.0, a_req)
        # Above circular speed the profile is not enforced downwards (no thrust spent pushing the
        # vehicle down; only reached off-design, while the payload iteration converges).
        need = a_req + np.maximum(g - u * u / r, 0.0) + d_m * s_g
        s_gd = np.clip(need / np.maximum(a_t, 1e-9), -1.0, 1.0)
        deficit = np.maximum(np.abs(need) - a_t, 0.0)
        s_th = np.where(guided, s_gd, s_th)
        c_th = np.where(guided, np.sqrt(1.0 - s_gd * s_gd), c_th)
        dvr = np.where(guided, a_req, dvr)
        extra = np.where(guided, deficit, 0.0)
        if expl is not None:
            # top stage on explicit steering: the thrust's pitch follows tan(theta) = A + B (t - t_st),
            # the motion is integrated (no profile imposed)
            tn = s_a + s_b * (t - t_st)
            c_ex = 1.0 / np.sqrt(1.0 + tn * tn)
            s_ex = tn * c_ex
            s_th = np.where(expl, s_ex, s_th)
            c_th = np.where(expl, c_ex, c_th)
            dvr = np.where(expl, a_t * s_ex - d_m * s_g - g + u * u / r, dvr)
            extra = np.where(expl, 0.0, extra)
        dur_ = a_t * c_th - d_m * c_g - vr * u / r - vrot * vr / R
        cos_rel = c_th * c_g + s_th * s_g
        loss = (
            g * s_g,
            d_m,
            a_t * (1.0 - cos_rel) + extra,
            a_bp * cos_rel,
        )
        return vr, dvr, dur_, loss, q

    def start_guidance(now):
        """Guidance starts for the cases ``now``, in their present state at time ``t``."""
        nonlocal vr1, h1, t_rem, t0g, a_coef, h_sw, v_sw, g_sw, guided
        vrel = np.sqrt(vr * vr + ur * ur)
        rem = np.maximum(t_prof - t, 1.0)
        a_new = 6.0 * ((h_t - h) / rem - (vr + vr_e) / 2.0)
        vr1 = np.where(now, vr, vr1)
        h1 = np.where(now, h, h1)
        t_rem = np.where(now, rem, t_rem)
        t0g = np.where(now, t, t0g)
        a_coef = np.where(now, a_new, a_coef)
        h_sw = np.where(now, h, h_sw)
        v_sw = np.where(now, vrel, v_sw)
        g_sw = np.where(now, np.arctan2(vr, ur), g_sw)
        guided = guided | now

    def explicit(k, j, n_main, dt0, dt, only=None):
        """Which cases fly this piece of step ``j`` of the last phase on explicit top-stage steering
        (None: none); the steering of a burn is shot once, at its first such piece."""
        nonlocal s_a, s_b, t_st, shot
        if not (k == n_ph - 1 and n_ph > 1 and j < n_main):
            return None
        expl = top & guided & (dt > 0)
        if only is not None:
            expl = expl & only
        new = expl & ~shot
        if new.any():
            # the steering of the whole burn, solved once at its start (shooting)
            n_a, n_b = _shoot(h, vr, ur, t, t_start_k, m0[k], mdot[k], F[k], cc[k], dt0, n_main, h_t,
                              t_poly - t, mu, R, vrot)
            s_a, s_b = np.where(new, n_a, s_a), np.where(new, n_b, s_b)
            t_st = np.where(new, t, t_st)
            shot = shot | new
        return expl & np.isfinite(s_a + s_b) if expl.any() else None

    def advance(dt, k, expl, lvl):
        """One midpoint step of ``dt`` [s] from the present state with phase ``k``'s thrust; a guided
        case not on explicit steering then put on its profile. Returns the new ``h``, ``vr``, ``ur``, the
        loss integrals' increments and the step's largest dynamic pressure."""
        m_a = m0[k] - mdot[k] * (t - t_start_k)
        d_h, d_vr, d_ur, _, q = rates(h, vr, ur, t, m_a, F[k], pa[k], expl, s_a, s_b, t_st, lvl)
        hm, vrm, urm = h + 0.5 * dt * d_h, vr + 0.5 * dt * d_vr, ur + 0.5 * dt * d_ur
        m_m = m_a - 0.5 * dt * mdot[k]
        d_h, d_vr, d_ur, loss, qm = rates(hm, vrm, urm, t + 0.5 * dt, m_m, F[k], pa[k], expl, s_a, s_b, t_st, lvl)
        hn = h + dt * d_h
        vrn = vr + dt * d_vr
        urn = ur + dt * d_ur
        # Guided: altitude and radial speed exactly on the profile (no integration drift).
        tau = np.clip((t + dt - t0g) / t_rem, 0.0, 1.0)
        on_profile = guided if expl is None else guided & ~expl
        hn = np.where(
            on_profile,
            h1 + t_rem * (vr1 * (tau - tau**2 / 2) + vr_e * tau**2 / 2 + a_coef * (tau**2 / 2 - tau**3 / 3)
                          + loft * (tau**2 / 2 - tau**3 + tau**4 / 2)),
            hn,
        )
        vrn = np.where(on_profile, vr1 * (1 - tau) + vr_e * tau + a_coef * tau * (1 - tau) + loft * tau * (1 - tau) * (1 - 2 * tau), vrn)
        if k == n_ph - 1 and n_ph > 1:
            # explicit steering's level flight: at the target altitude, v_r = 0
            hn = np.where(on_profile & top, h_t, hn)
            vrn = np.where(on_profile & top, 0.0, vrn)
        return hn, vrn, urn, [dt * val for val in loss], np.maximum(q, qm)

    keys = ("gravity", "drag", "steering", "back_pressure")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        n_level = coeffs.n_steps_level if n_ph > 1 else 0
        for k in range(n_ph):
            t_start_k = t.copy()
            n_main = coeffs.n_steps_atm if k < 2 else coeffs.n_steps_upper
            last = k == n_ph - 1
            n_steps = n_main + (n_level if last else 0)
            for j in range(n_steps):
                # the last phase is split where its level-flight part begins (a step node there)
                if not last:
                    dt0 = dur[k] / n_main
                elif j < n_main:
                    dt0 = (dur[k] - t_level) / n_main
                else:
                    dt0 = t_level / n_level
                lvl = last and j >= n_main  # a level-flight step
                # the explicit top-stage burn integrates its motion: each step in TOP_SUBSTEPS parts
                # (the profile's cases fly the step whole, then zero-length parts: no-ops)
                n_sub = TOP_SUBSTEPS if (last and n_ph > 1 and j < n_main) else 1
                for sb in range(n_sub):
                    dt = dt0 if n_sub == 1 else np.where(top, dt0 / n_sub, dt0 if sb == 0 else 0.0)
                    # Events at the start of the step: pitch-over, then the switch to guidance.
                    vrel = np.sqrt(vr * vr + ur * ur)
                    kick_now = ~kicked & (vrel >= coeffs.kick_speed) & (dt > 0)
                    vr = np.where(kick_now, vrel * sin_d, vr)
                    ur = np.where(kick_now, vrel * cos_d, ur)
                    kicked |= kick_now
                    _, rho_now, _ = atmosphere(h)
                    q_now = 0.5 * rho_now * (vr * vr + ur * ur)
                    sw_now = ~guided & (dt > 0) & (
                        ((t >= t_sw - 1e-9) & (q_now <= coeffs.q_switch)) | (t >= t_last - 1e-9)
                    )
                    if sw_now.any():
                        start_guidance(sw_now)
                    # where the dynamic pressure may fall through q_switch inside this step
                    split = ~guided & (dt > 0) & (t >= t_sw - 1e-9) & (q_now > coeffs.q_switch)
                    before = (h, vr, ur, t, dict(L), max_q)
                    expl = explicit(k, j, n_main, dt0, dt)
                    # midpoint rule
                    h, vr, ur, inc, qq = advance(dt, k, expl, lvl)
                    for key, val in zip(keys, inc):
                        L[key] = L[key] + val
                    max_q = np.maximum(max_q, qq)
                    t = t + dt
                    if split.any():
                        _, rho_e, _ = atmosphere(h)
                        q_end = 0.5 * rho_e * (vr * vr + ur * ur)
                        split = split & (q_end <= coeffs.q_switch)
                    if split.any():
                        # crossed inside the step: fly it again up to the crossing, start guidance there,
                        # fly the rest of the step guided. The crossing: regula falsi on the first piece's
                        # length from the straight line between the step's ends (Q_CROSS_ITERATIONS)
                        qs = coeffs.q_switch
                        h_b, vr_b, ur_b, t_b, l_b, mq_b = before
                        h, vr, ur, t = (np.where(split, b, a) for a, b in ((h, h_b), (vr, vr_b), (ur, ur_b), (t, t_b)))
                        L = {key: np.where(split, l_b[key], L[key]) for key in keys}
                        max_q = np.where(split, mq_b, max_q)
                        a_dt, a_q = np.zeros(shape), q_now
                        b_dt, b_q = np.broadcast_to(dt, shape).astype(float), q_end
                        dt1 = dt * ((q_now - qs) / (q_now - q_end))
                        live = split.copy()
                        for _it in range(Q_CROSS_ITERATIONS):
                            hx, vrx, urx, _, _ = advance(dt1, k, None, lvl)
                            _, rho_x, _ = atmosphere(hx)
                            q_x = 0.5 * rho_x * (vrx * vrx + urx * urx)
                            above, below = q_x > qs, q_x <= qs
                            live = live & (above | below)
                            a_dt, a_q = np.where(live & above, dt1, a_dt), np.where(live & above, q_x, a_q)
                            b_dt, b_q = np.where(live & below, dt1, b_dt), np.where(live & below, q_x, b_q)
                            dt1 = np.where(live, a_dt + (b_dt - a_dt) * ((a_q - qs) / (a_q - b_q)), dt1)
                        rest = dt - dt1
                        for piece in (dt1, rest):
                            if piece is rest:
                                start_guidance(split)
                                expl = explicit(k, j, n_main, dt0, rest, only=split)
                            else:
                                expl = None
                            hn, vrn, urn, inc, qq = advance(piece, k, expl, lvl)
                            h, vr, ur = np.where(split, hn, h), np.where(split, vrn, vr), np.where(split, urn, ur)
                            L = {key: np.where(split, L[key] + val, L[key]) for key, val in zip(keys, inc)}
                            max_q = np.where(split, np.maximum(max_q, qq), max_q)
                            t = np.where(split, t + piece, t)
                            if piece is dt1:
                                crashed |= split & ((kicked & (h < -1.0)) | ~np.isfinite(h + vr + ur))
                    crashed |= (kicked & (h < -1.0)) | ~np.isfinite(h + vr + ur)
                if last and n_ph > 1 and j == n_main - 1:
                    # end of the explicit burn: what it missed of the target (altitude, radial speed)
                    # is charged as steering loss (radial speed in full, altitude as the speed of a
                    # Hohmann-type correction, g dh / v_c), and the stage set on the target
                    miss = top & guided
                    r_t = R + h_t
                    dv_miss = np.abs(vr) + (mu / (r_t * r_t)) * np.abs(h - h_t) / np.sqrt(mu / r_t)
                    L["steering"] = np.where(miss, L["steering"] + dv_miss, L["steering"])
                    # a burn that cannot reach the target from its ignition state: infeasible
                    crashed |= miss & ~(dv_miss <= SHOOT_MISS_MAX)
                    h = np.where(miss, h_t, h)
                    vr = np.where(miss, 0.0, vr)
        crashed = crashed | ~(L["gravity"] > 0.0)  # no gravity loss: a shape the engine could not fly
        out = dict(L)
        out.update(
            crashed=crashed,
            h_switch=h_sw,
            v_switch=v_sw,
            gamma_switch=g_sw,
            max_q=max_q,
            h_end=h,
            v_end=np.sqrt(vr * vr + ur * ur),
        )
    return out
