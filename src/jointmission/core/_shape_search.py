"""The trajectory-shape search in array form, over a march function given to it: the coordinate descent
over pitch-over, loft and level flight (:func:`searches`: its scans) and its second start
(:func:`second_basin`). :func:`jointmission.core.ascent.ascent_losses` runs it where the march is not the
compiled one (the numpy reference, :func:`jointmission.core.ascent_reference.march_reference`); the compiled
search (:func:`jointmission.core._ascent_kernel.optimise_cases`, ``restart_cases``) makes the same searches
in the same order and is tested against it. Pitch-overs in degrees, lofts in m/s, losses in m/s."""

from __future__ import annotations

import math

import numpy as np

from ._ascent_layout import KICK_POLISH, SHAPE_ROUNDS

__all__ = ["refined_argmin", "exp_libm", "log_libm", "searches", "first_kick", "loft_edge", "second_basin", "merge"]


def refined_argmin(x, f):
    """Minimiser of ``f`` (..., K) sampled at grid ``x`` — shared (K,) or per case (..., K),
    uniformly spaced: best grid point refined by the vertex of the parabola through it and its
    neighbours (kept inside the neighbours' interval)."""
    k = f.shape[-1]
    f2 = f.reshape(-1, k)
    x2 = np.broadcast_to(x, f.shape).reshape(-1, k)
    rows = np.arange(f2.shape[0])
    i = np.argmin(f2, axis=-1)
    il, ir = np.maximum(i - 1, 0), np.minimum(i + 1, k - 1)  # argmin indices: in range already
    f0, fl, fr = f2[rows, i], f2[rows, il], f2[rows, ir]
    x0, xl, xr = x2[rows, i], x2[rows, il], x2[rows, ir]
    interior = (i > 0) & (i < k - 1) & np.isfinite(fl) & np.isfinite(fr) & np.isfinite(f0)
    with np.errstate(divide="ignore", invalid="ignore"):
        num = (x0 - xl) ** 2 * (f0 - fr) - (x0 - xr) ** 2 * (f0 - fl)
        den = (x0 - xl) * (f0 - fr) - (x0 - xr) * (f0 - fl)
        xv = x0 - 0.5 * num / den
    ok = interior & np.isfinite(xv) & (xv > xl) & (xv < xr)
    return np.where(ok, xv, x0).reshape(f.shape[:-1])


def exp_libm(x):
    """``exp`` of every element of ``x`` by the C library's ``exp``, as the compiled search
    (:func:`jointmission.core._ascent_kernel.optimise_cases`) computes its fine pitch-over grid and
    refined pitch-over [deg] from their logs. numpy's vectorized ``np.exp`` rounds ~5 % of these
    arguments to the neighbouring float, and a 1-ulp different shape can land the march on the other
    side of a rounding-level branch (e.g. the first level-flight step at tau = 1 +- 1e-16: 0.2 m/s of
    gravity loss), so the array search would not equal the compiled one."""
    x = np.asarray(x, dtype=float)
    return np.fromiter(map(math.exp, x.ravel().tolist()), dtype=float, count=x.size).reshape(x.shape)


def log_libm(x):
    """``log`` of every element of ``x`` by the C library's ``log``, as the compiled search takes the log
    of its pitch-over (see :func:`exp_libm`)."""
    x = np.asarray(x, dtype=float)
    return np.fromiter(map(math.log, x.ravel().tolist()), dtype=float, count=x.size).reshape(x.shape)


def searches(march, args, h_t, vrot, kw, coeffs):
    """The array shape searches of :func:`~jointmission.core.ascent.ascent_losses` for the cases ``args``
    (thrust, c, m_start, m_end, p_area: (..., P)), ``h_t`` [m], ``vrot`` [m/s], flown by ``march`` (with the
    signature and keywords ``kw`` of :func:`jointmission.core.ascent.march`; ``coeffs`` its
    :class:`~jointmission.core.ascent.AscentCoefficients`): ``scan(kicks, lofts, levels)`` (total losses
    [m/s], inf where crashed), ``best_kick(loft, level)`` [deg], ``best_loft_level(kick)`` and the loft
    [m/s] and level-fraction grids."""
    ex = tuple(a[..., None, :] for a in args)  # candidates axis before the phase axis

    def scan(kicks, lofts, levels):
        res = march(*ex, h_t[..., None], vrot[..., None], kicks, lofts, levels, **kw)
        tot = res["gravity"] + res["drag"] + res["steering"] + res["back_pressure"]
        return np.where(res["crashed"] | ~np.isfinite(tot), np.inf, tot)

    lgrid = np.asarray(coeffs.loft_grid_m_s, dtype=float)
    vgrid = np.asarray(coeffs.level_grid, dtype=float)
    grid = np.log(np.asarray(coeffs.kick_grid_deg, dtype=float))

    def best_kick(loft, level, near=None):
        # coarse pass over the grid, a finer pass between the best point's neighbours, a parabola
        # (``near`` [deg] given: the finer pass alone, over log(near) +- KICK_POLISH)
        if near is None:
            f = scan(np.exp(grid), loft[..., None], level[..., None])
            i = np.argmin(f, axis=-1)
            xl = grid[np.maximum(i - 1, 0)]
            xr = grid[np.minimum(i + 1, grid.size - 1)]
        else:
            log_near = log_libm(near)
            xl, xr = log_near - KICK_POLISH, log_near + KICK_POLISH
        fine = xl[..., None] + (xr - xl)[..., None] * np.linspace(0.0, 1.0, 7)
        return exp_libm(refined_argmin(fine, scan(exp_libm(fine), loft[..., None], level[..., None])))

    def best_loft_level(kick):
        # joint scan of loft x level (the two interact strongly for a low-T/W top stage), then a
        # parabola along each axis through the best cell
        ex2 = tuple(a[..., None, None, :] for a in args)
        res = march(*ex2, h_t[..., None, None], vrot[..., None, None], np.asarray(kick)[..., None, None],
                    lgrid[:, None], vgrid[None, :], **kw)
        f = res["gravity"] + res["drag"] + res["steering"] + res["back_pressure"]
        f = np.where(res["crashed"] | ~np.isfinite(f), np.inf, f)
        f2 = f.reshape(f.shape[:-2] + (-1,))
        i = np.argmin(f2, axis=-1)
        il, iv = np.unravel_index(i, f.shape[-2:])
        f_l = np.take_along_axis(f, iv[..., None, None], axis=-1)[..., 0]
        f_v = np.take_along_axis(f, il[..., None, None], axis=-2)[..., 0, :]
        return refined_argmin(lgrid, f_l), refined_argmin(vgrid, f_v)

    return scan, best_kick, best_loft_level, lgrid, vgrid


def first_kick(first, shape, edge) -> np.ndarray:
    """The first search's pitch-over [deg] of the cases in ``edge`` (bool, ``shape``); NaN where it found
    no feasible shape."""
    k = np.broadcast_to(first.kick_deg, shape)[edge]
    return np.where(np.broadcast_to(first.feasible, shape)[edge], k, np.nan)


def second_basin(march, first, args, h_t, vrot, shape, kw, coeffs):
    """Multi-start of the shape search: where the coordinate descent (``first``) stopped at an edge
    of the loft search range, a second descent from the best cell of a joint pitch-over x
    loft x level scan, with the first search's rounds; its shape replaces the first where its total
    loss is lower. The scan's pitch-overs: of every other point of the coarse pitch-over grid, the two
    that bracket the first search's pitch-over (all seven where it found no feasible shape); the
    second basin differs in loft and level flight, not in pitch-over (over every catalog vehicle's
    13-point altitude and C3 curves, 253 second starts, the best cell of the scan over all seven lay
    in that pair every time: the same cell at 2/7 of the cost). (The second shape used to need a
    loss lower by 10 m/s: a margin makes the chosen loss jump where the two basins' losses cross,
    and the payload curve with it -- Atlas V 551's LEO payload rose by up to 72 kg at some 5 km
    steps; the lesser of two losses that each move smoothly moves smoothly.)

    ``march``, ``kw``, ``coeffs``: as :func:`searches`; ``first`` an
    :class:`~jointmission.core.ascent.AscentLosses` of the case ``shape``, and the result one of the same
    type.

    A low-T/W top stage has two basins (steep loft with long level flight, or a mild loft); one
    descent could end in either, differently for neighbouring targets, which made SLS Block 1B's
    payload non-monotone in C3. Only the cases at an edge are searched again (others unchanged). The
    level fraction's upper edge is no trigger: Saturn V's S-IVB ends there for most targets, and a
    second descent never found it a better basin (it would triple the cost of its C3 curve)."""
    lgrid = np.asarray(coeffs.loft_grid_m_s, dtype=float)
    vgrid = np.asarray(coeffs.level_grid, dtype=float)
    edge = loft_edge(first, shape, coeffs)
    if not edge.any():
        return first
    a_s = tuple(np.broadcast_to(a, shape + a.shape[-1:])[edge] for a in args)  # (n_edge, P)
    h_s, v_s = np.broadcast_to(h_t, shape)[edge], np.broadcast_to(vrot, shape)[edge]
    scan, best_kick, _, _, _ = searches(march, a_s, h_s, v_s, kw, coeffs)
    # the pitch-overs: of every other point of the coarse pass's grid, the two that bracket the first
    # search's (the last at or below it, and the next; repeated to the row's length, which leaves the
    # first minimum in place); all of them where the first search found no feasible shape
    jk = np.exp(np.log(np.asarray(coeffs.kick_grid_deg, dtype=float)))[::2]
    k1 = first_kick(first, shape, edge)
    q_lo = np.maximum(np.sum(jk <= k1[:, None], axis=-1) - 1, 0)
    pair = jk[np.stack([q_lo, np.minimum(q_lo + 1, jk.size - 1)], axis=-1)]  # (n_edge, 2)
    pair = np.pad(pair, ((0, 0), (0, max(jk.size - 2, 0))), mode="edge")
    kicks = np.where(np.isfinite(k1)[:, None], pair, jk)
    ex3 = tuple(a[..., None, None, None, :] for a in a_s)
    f3 = march(*ex3, h_s[..., None, None, None], v_s[..., None, None, None], kicks[:, :, None, None],
               lgrid[None, :, None], vgrid[None, None, :], **kw)
    t3 = f3["gravity"] + f3["drag"] + f3["steering"] + f3["back_pressure"]
    t3 = np.where(f3["crashed"] | ~np.isfinite(t3), np.inf, t3)
    i3 = np.argmin(t3.reshape(t3.shape[:-3] + (-1,)), axis=-1)
    _, il, iv = np.unravel_index(i3, t3.shape[-3:])
    loft_b, level_b = lgrid[il], vgrid[iv]
    kick_b = None
    for rnd in range(1, SHAPE_ROUNDS):
        # the descent's rounds as in the first search (pitch-over over the grid, then near the last)
        kick_b = best_kick(loft_b, level_b, None if rnd < 2 else kick_b)
        loft_b = refined_argmin(lgrid, scan(kick_b[..., None], lgrid, level_b[..., None]))
        level_b = refined_argmin(vgrid, scan(kick_b[..., None], loft_b[..., None], vgrid))
    res = march(*a_s, h_s, v_s, kick_b, loft_b, level_b, **kw)
    total = res["gravity"] + res["drag"] + res["steering"] + res["back_pressure"]
    top = np.broadcast_to(np.asarray(kw.get("top_steering", 0.0), dtype=float), shape)[edge]
    other = type(first)(gravity=res["gravity"], drag=res["drag"], steering=res["steering"],
                        back_pressure=res["back_pressure"], total=total, kick_deg=kick_b, loft_m_s=loft_b,
                        level_frac=level_b, h_switch=res["h_switch"], v_switch=res["v_switch"],
                        gamma_switch_deg=np.rad2deg(res["gamma_switch"]), max_q=res["max_q"],
                        feasible=~res["crashed"] & np.isfinite(total), top_steering=top)
    return merge(first, other, edge, shape)


def loft_edge(first, shape, coeffs) -> np.ndarray:
    """Cases (bool, ``shape``) whose shape search ``first`` (an
    :class:`~jointmission.core.ascent.AscentLosses`) stopped at an end of the loft range of ``coeffs``:
    where the second start (:func:`second_basin`, and its compiled form) searches again."""
    lgrid = np.asarray(coeffs.loft_grid_m_s, dtype=float)
    return np.broadcast_to((first.loft_m_s <= lgrid[0]) | (first.loft_m_s >= lgrid[-1]), shape)


def merge(first, other, where: np.ndarray, shape):
    """``first`` (an :class:`~jointmission.core.ascent.AscentLosses` of the case ``shape``) with the
    cases in ``where`` (bool, ``shape``) replaced by ``other`` (their subset, same type), where
    ``other`` is feasible with less total loss [m/s]."""
    t_first = np.where(np.broadcast_to(first.feasible, shape)[where], np.broadcast_to(first.total, shape)[where],
                       np.inf)
    better = other.feasible & (other.total < t_first)
    if not better.any():
        return first
    fields = {}
    for name in type(first)._fields:
        a = np.array(np.broadcast_to(getattr(first, name), shape), dtype=np.result_type(
            np.asarray(getattr(first, name)), np.asarray(getattr(other, name))))
        part = a[where]
        part[better] = np.broadcast_to(getattr(other, name), better.shape)[better]
        a[where] = part
        fields[name] = a
    return type(first)(**fields)
