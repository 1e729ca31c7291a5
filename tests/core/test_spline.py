"""The not-a-knot cubic spline weights (core/spline.py) against SciPy's CubicSpline, the reference
the launcher table used before (scipy.interpolate.CubicSpline, bc_type='not-a-knot' by default).

Tolerance: 1e-11 of the largest node value: both solve the same linear system for the node slopes
(SciPy banded, here dense), so they differ only by rounding amplified by the system's condition
number (node spacings down to 1/100 of the range here)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

from jointmission.core.spline import cubic_weights


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 11])
@pytest.mark.parametrize("extrapolate", [True, False])
def test_weights_reproduce_scipy_cubic_spline(n: int, extrapolate: bool) -> None:
    rng = np.random.default_rng(n)
    for _ in range(20):
        x = np.cumsum(rng.uniform(0.5, 10.0, n)) - 20.0
        y = rng.normal(size=(n, 3)) * 1e4
        xe = np.concatenate([x, rng.uniform(x[0] - 3.0, x[-1] + 3.0, 100)])
        want = CubicSpline(x, y, axis=0, extrapolate=extrapolate)(xe)
        got = cubic_weights(x, xe, extrapolate=extrapolate) @ y
        assert np.array_equal(np.isnan(want), np.isnan(got))
        ok = np.isfinite(want)
        assert np.max(np.abs(got[ok] - want[ok])) <= 1e-11 * np.max(np.abs(y))
        assert np.allclose(got[:n], y)  # interpolates the nodes


def test_not_a_knot_reproduces_a_cubic_exactly() -> None:
    """A cubic polynomial is its own not-a-knot spline (4+ nodes): exact to rounding, independently of SciPy."""
    x = np.array([0.0, 1.0, 2.5, 3.0, 4.2, 6.0])
    f = lambda t: 2.0 - t + 0.5 * t**2 - 0.1 * t**3  # noqa: E731
    t = np.linspace(-1.0, 7.0, 41)
    assert np.allclose(cubic_weights(x, t) @ f(x), f(t), rtol=0, atol=1e-12)


def test_rejects_unordered_nodes() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        cubic_weights([0.0, 0.0, 1.0], [0.5])
