"""The top stage's propellant load as a choice of the payload solve (an offloaded upper stage).

A launch provider loads a large upper stage only partly for a heavy payload to a low orbit: with less
propellant on top, the lower stages leave the top stage at a higher speed, and its burn behind a low
thrust-to-weight is shorter (less gravity and steering loss). The payload solve can treat the loaded
fraction ``f`` of the top stage's burnable propellant as a free variable and maximise the payload over
``f`` in ``[TOP_LOAD_MIN, 1]`` (the full load is always a candidate, so it never answers less than the
full-load solve).

Model of a partly loaded top stage (:func:`with_top_load`): its burnable propellant is scaled by ``f``;
its burnout mass (structure, residuals, reserve, adapter, attitude-control propellant of the full
load) and its thrust are unchanged, as is the parking-orbit coast loss (both conservative: residuals,
reserve and boil-off of a partly filled tank are not smaller in this model).

The maximisation (:func:`maximise_load`) starts from the full-load solve and the payload's slope
there (the derivative with respect to the load at the solve's trajectory shape, which is optimal so
the losses are stationary in it: four ascents in one march). Where the payload still rises with the
load at the full load, the full load is the answer (C3 targets and high orbits: no further solve).
Elsewhere it solves a probe load (:data:`LOAD_PROBE`) and then the peak of the cubic Hermite
interpolant through the two loads that bracket the maximum, while that cubic promises more than
:data:`GAIN_TOL` of the payload (at most :data:`MAX_PARTIAL_SOLVES` partial-load solves; each starts
its payload iteration from the interpolant's prediction). The answer is the best load evaluated.
Against a search over 41 loads it leaves at most 0.1 % of the payload where the payload is smooth in
the load (1 % where the trajectory-shape search changes basin between loads: Atlas V 551, SLS Block
1B; ``tests/vehicles/test_top_load.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["DEFAULT_TOP_LOAD", "TOP_LOAD_MIN", "LOAD_PROBE", "MAX_PARTIAL_SOLVES", "GAIN_TOL", "SLOPE_STEP", "TopLoadError",
           "parse_top_load", "with_top_load", "maximise_load"]

DEFAULT_TOP_LOAD: str = "optimal"
"""The top stage's load when none is given: chosen by the payload solve, per target. A published
maximum payload is a maximum over what the vehicle can fly, and the top stage's propellant load is one
of the choices of a mission (``top_load=1.0`` forces the full load)."""

TOP_LOAD_MIN: float = 0.2
"""Lowest loaded fraction of the top stage's propellant the search considers [-]. A search bound, not
a physical limit: below it the lower stages deliver nearly all of the orbital speed and the top stage
only circularises. Every catalog vehicle's best load to LEO is above 0.3 (SLS Block 1B, the weakest
top stage relative to its payload, peaks at 0.3-0.4)."""

LOAD_PROBE: float = 0.6
"""The first partial load tried [-] where the payload still rises as the load falls at the full
load (the median of the catalog vehicles' best loads to a 185 km orbit lies at 0.6)."""

MAX_PARTIAL_SOLVES: int = 3
"""Payload solves at partial loads per case, at most (the probe and two refinements)."""

GAIN_TOL: float = 1e-3
"""The search stops when the cubic through the loads evaluated promises less than this fraction of
the payload more [-] (0.1 %: the tolerance the payload answers are held to under speed work, and
twice the trajectory-shape search's own resolution)."""

SLOPE_STEP: float = 0.02
"""Half-width [-] of the central difference in the load that gives the payload's slope."""



class TopLoadError(ValueError):
    """A ``top_load`` as typed that is not ``optimal`` nor a fraction in [:data:`TOP_LOAD_MIN`, 1];
    ``value`` is the number it reads as (``None``: not a number; NaN and infinities are numbers here),
    so that each caller can word its own message."""

    def __init__(self, text: Any, value: float | None) -> None:
        super().__init__(f"top_load {text!r}: " + ("not a number" if value is None else
                                                    f"outside {TOP_LOAD_MIN:g}..1"))
        self.value = value


def parse_top_load(value: Any) -> float | str:
    """A top-stage load as a user gives it -- ``optimal`` (any case), a number, or text such as
    ``0.6`` or ``60 %`` -- as ``"optimal"`` or the fraction [-] in [:data:`TOP_LOAD_MIN`, 1] (values
    within 1e-12 of a bound are put on it). Raises :class:`TopLoadError` otherwise."""
    if isinstance(value, str) and value.strip().lower() == "optimal":
        return "optimal"
    f = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        f = float(value)
    elif isinstance(value, str):
        text = value.strip()
        pct = text.endswith("%")
        try:
            f = float(text[:-1] if pct else text) / (100.0 if pct else 1.0)
        except ValueError:
            f = None
    if f is None or not (math.isfinite(f) and TOP_LOAD_MIN - 1e-12 <= f <= 1.0 + 1e-12):
        raise TopLoadError(value, f)
    return min(max(f, TOP_LOAD_MIN), 1.0)


def with_top_load(va: Any, load: ArrayLike) -> Any:
    """The vehicle arrays ``va`` (:class:`~.arrays.VehicleArrays`) with the top stage's burnable
    propellant scaled by ``load`` [-] (broadcasts against the vehicle's case shape; the result's case
    shape is the broadcast of both). Burnout mass, thrust and coast loss are unchanged. A top stage that
    drops its fairing during its burn (two segments, :attr:`~.arrays.VehicleArrays.column_stage`) keeps
    the drop at its time: the offloaded propellant comes out of the segment after it (a load that ends
    the burn before the drop is an invalid case)."""
    f = np.asarray(load, dtype=float)
    st = va.stack
    m_prop = np.asarray(st.m_prop, dtype=float)
    shape = np.broadcast_shapes(f.shape, m_prop.shape[:-1])
    m = np.array(np.broadcast_to(m_prop, shape + m_prop.shape[-1:]), dtype=float)
    cs = getattr(va, "column_stage", ())
    top = sum(1 for s in cs if s == cs[-1]) if cs else 1
    if top == 1:
        m[..., -1] = m[..., -1] * f
    else:  # a top stage in segments (a drop during its burn, at a time): the offload is its last segment's
        m[..., -1] = m[..., -1] - (1.0 - f) * np.sum(m[..., -top:], axis=-1)
    return va._replace(stack=st._replace(m_prop=m))


def _hermite_max(a, pa, sa, b, pb, sb):
    """Per case, the maximum of the cubic Hermite interpolant on ``[a, b]`` through the payloads
    ``pa``, ``pb`` [kg] with slopes ``sa``, ``sb`` [kg per unit load]: its abscissa and value
    (the better end where the cubic has no interior maximum)."""
    h = b - a
    da, db = h * sa, h * sb
    # H'(t) h = A t^2 + B t + C on t in [0, 1]
    A = 6.0 * (pa - pb) + 3.0 * (da + db)
    B = -6.0 * (pa - pb) - 4.0 * da - 2.0 * db
    C = da
    with np.errstate(divide="ignore", invalid="ignore"):
        disc = np.sqrt(np.maximum(B * B - 4.0 * A * C, 0.0))
        # the root where H' goes from + to - (a maximum): H'' = 2 A t + B < 0
        q = -0.5 * (B + np.where(B >= 0, disc, -disc))
        r1, r2 = q / A, C / q
        lin = -C / B  # A ~ 0: the linear case
    cand = np.stack([np.where(np.abs(A) > 1e-12 * (np.abs(B) + np.abs(C)), r1, lin), r2])
    t_in = (cand > 0) & (cand < 1) & np.isfinite(cand) & (2.0 * A * cand + B < 0)

    def value(t):
        return ((2 * t**3 - 3 * t**2 + 1) * pa + (t**3 - 2 * t**2 + t) * da + (-2 * t**3 + 3 * t**2) * pb
                + (t**3 - t**2) * db)

    vals = np.where(t_in, value(np.where(t_in, cand, 0.0)), -np.inf)
    k = np.argmax(vals, axis=0)
    t = np.take_along_axis(cand, k[None], axis=0)[0]
    v = np.take_along_axis(vals, k[None], axis=0)[0]
    ends = np.where(pa >= pb, a, b), np.maximum(pa, pb)
    inner = np.isfinite(v) & (v > ends[1])
    return np.where(inner, a + t * h, ends[0]), np.where(inner, v, ends[1])


def _scatter(best: Any, part: Any, mask: np.ndarray, take: np.ndarray, shape: tuple) -> Any:
    """``best`` (a result of the case ``shape``) with the cases of ``mask`` (bool, ``shape``) where
    ``take`` (bool, one per case of ``mask``) replaced by those of ``part`` (a result over the cases
    of ``mask``, in order)."""
    out = {}
    for fd in fields(best):
        a, b = getattr(best, fd.name), getattr(part, fd.name)
        if fd.name == "iterations":
            out[fd.name] = max(a, b)
            continue
        if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
            continue
        full = np.array(np.broadcast_to(a, shape + a.shape[len(shape):] if a.ndim >= len(shape) else shape))
        sub = full[mask]
        t = take.reshape(take.shape + (1,) * (sub.ndim - 1))
        full[mask] = np.where(t, np.broadcast_to(b, sub.shape), sub)
        out[fd.name] = full
    return replace(best, **out)


def _subset(res: Any, mask: np.ndarray, shape: tuple) -> Any:
    """The cases of ``mask`` (bool, ``shape``) of the result ``res`` (of the case ``shape``), in order."""
    out = {}
    for fd in fields(res):
        a = getattr(res, fd.name)
        if isinstance(a, np.ndarray) and fd.name != "iterations":
            out[fd.name] = np.broadcast_to(a, shape + a.shape[len(shape):] if a.ndim >= len(shape) else shape)[mask]
    return replace(res, **out)


def maximise_load(solve: Callable[..., Any], slope: Callable[..., np.ndarray], shape: tuple) -> Any:
    """Maximise the payload over the top stage's load, per case of the case ``shape``.

    ``solve(load, guess, mask)`` returns the :class:`~.performance.PerformanceResult` of the cases in
    ``mask`` (bool of ``shape``, their order; ``None``: every case, ``load`` of ``shape``) with the top
    stage loaded with ``load`` [-], its payload iteration started at ``guess`` [kg] (``None``: its own
    start); with ``verified`` (bool, one per case of ``mask``) as a fourth argument it may stop a case at
    its first converged payload without the shape search there that verifies it, and writes into
    ``verified`` which cases are verified. ``slope(load, result, mask)`` returns the payload's derivative with respect to the load
    [kg per unit load] of those cases, at the trajectory shapes of ``result``.

    The search (per case): the full load, and its slope; where the payload still rises with the load
    there (or no payload is found), the full load is the answer. Elsewhere a probe at
    :data:`LOAD_PROBE`, then loads where the cubic Hermite interpolant through the two loads that
    bracket the maximum (payloads and slopes) peaks -- while that cubic promises more than
    :data:`GAIN_TOL` of the payload, at most :data:`MAX_PARTIAL_SOLVES` partial loads. Without a
    bracket yet (the slope at the probe still negative), the middle of what is left. The answer is
    the best load evaluated (the full load on a tie), with ``top_load`` set. The partial loads are solved
    without verification; where the best is one not yet verified, it is solved once more from its payload
    (verified) and that answer is kept (the full load's where the verified payload falls below it)."""
    ones = np.ones(shape)
    full = solve(ones, None, None)
    best = replace(full, top_load=ones.copy())
    p1 = np.broadcast_to(np.asarray(full.payload_kg, dtype=float), shape)
    s1 = np.broadcast_to(np.asarray(slope(ones, full, None), dtype=float), shape)
    p_best = np.array(np.where(np.isfinite(p1), p1, -np.inf), dtype=float)
    f_best = ones.copy()
    settled = np.ones(shape, bool)  # the best answer so far is verified
    # the bracket [lo, hi] of the maximum, with the payloads and slopes at its ends (NaN: not evaluated)
    hi, p_hi, s_hi = ones.copy(), p1.copy(), s1.copy()
    lo, p_lo, s_lo = np.full(shape, TOP_LOAD_MIN), np.full(shape, np.nan), np.full(shape, np.nan)
    active = np.array(np.isfinite(p1) & ~(s1 >= 0.0))
    f_next = np.full(shape, LOAD_PROBE)
    # the payload at the probe if the probe were the vertex of a parabola through the full load's
    # payload and slope: half the tangent's gain
    guess = np.array(p1 + 0.5 * s1 * (LOAD_PROBE - 1.0), dtype=float)
    for _ in range(MAX_PARTIAL_SOLVES):
        if not active.any():
            break
        m = active.copy()
        fm = f_next[m]
        ver = np.zeros(int(m.sum()), bool)
        r = solve(fm, guess[m], m, ver)
        pm = np.asarray(r.payload_kg, dtype=float)
        sm = np.asarray(slope(fm, r, m), dtype=float)
        better = np.isfinite(pm) & (pm > p_best[m])
        best = _scatter(best, replace(r, top_load=fm), m, better, shape)
        p_best[m] = np.where(better, pm, p_best[m])
        f_best[m] = np.where(better, fm, f_best[m])
        settled[m] = np.where(better, ver, settled[m])
        ok = np.isfinite(pm) & np.isfinite(sm)
        left, right = ok & (sm < 0.0), ok & (sm >= 0.0)  # the maximum lies below / above this load
        for end, (x, p, s), side in ((0, (hi, p_hi, s_hi), left), (1, (lo, p_lo, s_lo), right)):
            x[m] = np.where(side, fm, x[m])
            p[m] = np.where(side, pm, p[m])
            s[m] = np.where(side, sm, s[m])
        # the next load: the cubic's peak inside a two-sided bracket, else the middle of what is left
        a, b = lo[m], hi[m]
        two = np.isfinite(p_lo[m]) & np.isfinite(p_hi[m])
        f_c, v_c = _hermite_max(a, p_lo[m], s_lo[m], b, p_hi[m], s_hi[m])
        mid = 0.5 * (a + b)
        f_new = np.where(two, f_c, mid)
        g_new = np.where(two, v_c, p_hi[m] + s_hi[m] * (mid - b))
        gain = np.where(two, v_c - p_best[m], np.inf)
        keep = ok & (gain > GAIN_TOL * np.abs(p_best[m])) & (b - a > 2e-3)
        # a load already evaluated gives nothing new
        keep &= ~((np.abs(f_new - a) < 1e-3) | (np.abs(f_new - b) < 1e-3))
        f_next[m], guess[m] = f_new, g_new
        active[m] = keep
    m = ~settled
    if m.any():
        # verify the best partial load where its solve stopped short of it: solved again from its payload
        r = solve(f_best[m], p_best[m], m)
        pm = np.asarray(r.payload_kg, dtype=float)
        keep = np.isfinite(pm) & ~(pm < p1[m])
        best = _scatter(best, replace(r, top_load=f_best[m]), m, keep, shape)
        if (~keep).any():
            best = _scatter(best, _subset(replace(full, top_load=ones), m, shape), m, ~keep, shape)
    return best
