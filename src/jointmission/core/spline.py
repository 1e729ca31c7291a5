"""Cubic spline interpolation (not-a-knot end conditions) written as weights on the node values.

A cubic spline through fixed nodes is linear in the node values: ``spline(x) = W(x) @ y``.
:func:`cubic_weights` returns ``W`` for evaluation points ``x``, so one set of weights serves every
column of values (every vehicle, every |DLA| node of a launcher table), and the spline of the unit
vectors -- the weights themselves -- is what a table interpolated along a second axis needs.

The spline is the one of :class:`scipy.interpolate.CubicSpline` with its default
``bc_type="not-a-knot"``: with four or more nodes, the third derivative is continuous at the second
and the last-but-one node; with three nodes it is the parabola through them; with two, the line.
The slopes are solved in closed Hermite form (de Boor, *A Practical Guide to Splines*, 2001, ch. IV,
eqs. (11)-(13) for the interior, (39) for the not-a-knot end rows). Here without SciPy:
``scipy.interpolate`` costs ~0.3 s of import time, more than a whole launcher-table lookup.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["cubic_weights"]


def _slope_matrix(x: np.ndarray) -> np.ndarray:
    """The (n, n) matrix ``S`` with node slopes ``s = S @ y`` of the not-a-knot spline through
    ``(x, y)`` (``x`` strictly increasing, n >= 2) [1/unit of x]."""
    n = x.size
    h = np.diff(x)
    eye = np.eye(n)
    delta = (eye[1:] - eye[:-1]) / h[:, None]  # (n-1, n): secant slopes as weights on y
    if n == 2:
        return np.repeat(delta, 2, axis=0)  # the line: both slopes are the secant
    a = np.zeros((n, n))
    b = np.zeros((n, n))
    if n == 3:  # the parabola through the three nodes
        a[0, :2] = 1.0
        a[1] = [h[1], 2.0 * (h[0] + h[1]), h[0]]
        a[2, 1:] = 1.0
        b[0] = 2.0 * delta[0]
        b[1] = 3.0 * (h[0] * delta[1] + h[1] * delta[0])
        b[2] = 2.0 * delta[1]
        return np.linalg.solve(a, b)
    for i in range(1, n - 1):  # continuity of the second derivative at the interior nodes
        a[i, i - 1], a[i, i], a[i, i + 1] = h[i], 2.0 * (h[i - 1] + h[i]), h[i - 1]
        b[i] = 3.0 * (h[i] * delta[i - 1] + h[i - 1] * delta[i])
    d0, d1 = x[2] - x[0], x[-1] - x[-3]  # not-a-knot: one cubic over the first (last) two intervals
    a[0, 0], a[0, 1] = h[1], d0
    b[0] = ((h[0] + 2.0 * d0) * h[1] * delta[0] + h[0] ** 2 * delta[1]) / d0
    a[-1, -2], a[-1, -1] = d1, h[-2]
    b[-1] = (h[-1] ** 2 * delta[-2] + (2.0 * d1 + h[-1]) * h[-2] * delta[-1]) / d1
    return np.linalg.solve(a, b)


def cubic_weights(nodes: ArrayLike, x: ArrayLike, *, extrapolate: bool = True) -> np.ndarray:
    """Weights ``W`` (``len(x)``, ``len(nodes)``) of the not-a-knot cubic spline through ``nodes``
    (strictly increasing, at least two; any unit) at the points ``x`` (same unit): the spline of
    values ``y`` (node axis first, any trailing shape) is ``W @ y``. Outside the nodes the end
    cubics are extended (``extrapolate=True``) or the rows are NaN (``extrapolate=False``), as
    :class:`scipy.interpolate.CubicSpline` with the same flag."""
    xn = np.asarray(nodes, dtype=float).ravel()
    xe = np.asarray(x, dtype=float).ravel()
    n = xn.size
    if n < 2 or not np.all(np.diff(xn) > 0):
        raise ValueError(f"a cubic spline needs at least two strictly increasing nodes, got {xn}")
    s = _slope_matrix(xn)
    k = np.clip(np.searchsorted(xn, xe, side="right") - 1, 0, n - 2)  # interval of each point
    h = (xn[1:] - xn[:-1])[k][:, None]
    t = (xe - xn[k])[:, None]
    eye = np.eye(n)
    y0, y1, s0, s1 = eye[k], eye[k + 1], s[k], s[k + 1]
    delta = (y1 - y0) / h
    c2 = (3.0 * delta - 2.0 * s0 - s1) / h
    c3 = (s0 + s1 - 2.0 * delta) / h**2
    w = y0 + t * (s0 + t * (c2 + t * c3))
    if not extrapolate:
        w[~((xe >= xn[0]) & (xe <= xn[-1]))] = np.nan
    return w
