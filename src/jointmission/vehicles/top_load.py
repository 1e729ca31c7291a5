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

The maximisation (:func:`maximise_load`) is a bracket on a fixed set of loads (:data:`LOAD_NODES`),
all solved in one vectorized call, then successive parabolic interpolation through the best node and
its neighbours (:data:`REFINE_STEPS` one-load solves per case, each kept inside the bracket, a
golden-section point where the parabola is degenerate); the answer is the best load evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["TOP_LOAD_MIN", "LOAD_NODES", "REFINE_STEPS", "TopLoadError", "parse_top_load", "with_top_load",
           "maximise_load"]

TOP_LOAD_MIN: float = 0.2
"""Lowest loaded fraction of the top stage's propellant the search considers [-]. A search bound, not
a physical limit: below it the lower stages deliver nearly all of the orbital speed and the top stage
only circularises. Every catalog vehicle's best load to LEO is above 0.3 (SLS Block 1B, the weakest
top stage relative to its payload, peaks at 0.3-0.4)."""

LOAD_NODES: tuple[float, ...] = (1.0, 0.8, 0.6, 0.4, TOP_LOAD_MIN)
"""The bracketing loads [-], solved together; the first is the full load."""

REFINE_STEPS: int = 2
"""Parabolic refinement steps after the bracket (each one more one-load solve per case)."""

_GOLDEN = 0.3819660112501051


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
    shape is the broadcast of both). Burnout mass, thrust and coast loss are unchanged."""
    f = np.asarray(load, dtype=float)
    st = va.stack
    m_prop = np.asarray(st.m_prop, dtype=float)
    shape = np.broadcast_shapes(f.shape, m_prop.shape[:-1])
    m = np.array(np.broadcast_to(m_prop, shape + m_prop.shape[-1:]), dtype=float)
    m[..., -1] = m[..., -1] * f
    return va._replace(stack=st._replace(m_prop=m))


def _pick(results: list, index: np.ndarray) -> Any:
    """Per case, the fields of ``results[index]`` (results of one case shape)."""
    first = results[0]
    out = {}
    for fd in fields(first):
        vals = [getattr(r, fd.name) for r in results]
        if vals[0] is None or not isinstance(vals[0], np.ndarray):
            out[fd.name] = max(vals) if fd.name == "iterations" else vals[0]
            continue
        stacked = np.stack([np.broadcast_to(v, vals[0].shape) for v in vals])
        idx = index.reshape((1,) + index.shape + (1,) * (stacked.ndim - 1 - index.ndim))
        idx = np.broadcast_to(idx, (1,) + stacked.shape[1:])
        out[fd.name] = np.take_along_axis(stacked, idx, axis=0)[0]
    return replace(first, **out)


def _vertex(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Abscissa of the vertex of the parabola through three points per case (columns of ``x``,
    ``y``, shape (3, ...)); NaN where it is degenerate or opens upwards."""
    (x0, x1, x2), (y0, y1, y2) = x, y
    with np.errstate(divide="ignore", invalid="ignore"):
        num = (x1 - x0) ** 2 * (y1 - y2) - (x1 - x2) ** 2 * (y1 - y0)
        den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0)
        v = x1 - 0.5 * num / den
        concave = ((y1 - y0) / (x1 - x0) - (y2 - y1) / (x2 - x1)) * np.sign(x2 - x0) > 0
    return np.where(concave & np.isfinite(v), v, np.nan)


def maximise_load(solve: Callable[[np.ndarray], Any], shape: tuple) -> Any:
    """Maximise the payload over the top stage's load, per case.

    ``solve(load, guess)`` returns a :class:`~.performance.PerformanceResult` whose case shape is the
    broadcast of ``load`` [-] with ``shape``; ``guess`` [kg] is a payload to start its iteration from
    (the best payload so far, per case; None for the bracketing solve). Returns the result at the best load evaluated (the full
    load where no load gives a payload, so statuses are those of the full-load solve), with
    ``top_load`` set."""
    nodes = np.asarray(LOAD_NODES, dtype=float)
    k = nodes.size
    res_nodes = solve(nodes.reshape((k,) + (1,) * len(shape)))
    sub = lambda r, i: type(r)(**{  # noqa: E731
        f.name: (getattr(r, f.name)[i, ...] if isinstance(getattr(r, f.name), np.ndarray) else getattr(r, f.name))
        for f in fields(r)})
    results = [sub(res_nodes, i) for i in range(k)]
    loads = [np.full(shape, x) for x in nodes]
    pay = np.stack([np.where(np.isfinite(r.payload_kg), r.payload_kg, -np.inf) for r in results])
    best = np.argmax(pay, axis=0)  # first maximum: the full load on a tie
    # bracket: the best node and its neighbours (ends: the end node and its neighbour twice)
    i0 = np.clip(best - 1, 0, k - 1)
    i2 = np.clip(best + 1, 0, k - 1)
    take = lambda a, i: np.take_along_axis(a, i[None], axis=0)[0]  # noqa: E731
    xs = np.broadcast_to(nodes.reshape((k,) + (1,) * len(shape)), pay.shape)
    pts = [(take(xs, i), take(pay, i)) for i in (i0, best, i2)]
    lo, hi = np.minimum(pts[0][0], pts[2][0]), np.maximum(pts[0][0], pts[2][0])
    x_best, y_best = pts[1]
    for _ in range(REFINE_STEPS):
        x3 = np.stack([p[0] for p in pts])
        y3 = np.stack([p[1] for p in pts])
        v = _vertex(x3, y3)
        # a golden-section point in the larger side of the bracket where the parabola says nothing
        wide_hi = (hi - x_best) >= (x_best - lo)
        gold = np.where(wide_hi, x_best + _GOLDEN * (hi - x_best), x_best - _GOLDEN * (x_best - lo))
        ok = np.isfinite(v) & (v > lo) & (v < hi) & (np.abs(v - x_best) > 1e-3)
        x_new = np.where(ok, v, gold)
        r = solve(x_new, np.where(np.isfinite(y_best), y_best, np.nan))
        y_new = np.where(np.isfinite(r.payload_kg), r.payload_kg, -np.inf)
        results.append(r)
        loads.append(x_new)
        # keep the three points around the best so far: narrow the bracket to the new point's side
        better = y_new > y_best
        right = x_new > x_best
        lo = np.where(better, np.where(right, x_best, lo), np.where(right, lo, x_new))
        hi = np.where(better, np.where(right, hi, x_best), np.where(right, x_new, hi))
        x_best = np.where(better, x_new, x_best)
        y_best = np.maximum(y_new, y_best)
        pts = [(lo, _value_at(lo, loads, results)), (x_best, y_best), (hi, _value_at(hi, loads, results))]
    pay_all = np.stack([np.where(np.isfinite(r.payload_kg), r.payload_kg, -np.inf) for r in results])
    choice = np.argmax(pay_all, axis=0)
    out = _pick(results, choice)
    load = np.take_along_axis(np.stack(loads), choice[None], axis=0)[0]
    return replace(out, top_load=np.where(np.isfinite(out.payload_kg), load, 1.0))


def _value_at(x: np.ndarray, loads: list, results: list) -> np.ndarray:
    """The payload [kg] already evaluated at load ``x`` per case (-inf where none was)."""
    out = np.full(np.shape(x), -np.inf)
    for xl, r in zip(loads, results):
        hit = np.isclose(xl, x, rtol=0, atol=1e-12)
        out = np.where(hit, np.where(np.isfinite(r.payload_kg), r.payload_kg, -np.inf), out)
    return out
