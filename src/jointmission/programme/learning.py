"""The learning curve of series production (Wright's unit curve, as TransCost uses it).

Unit ``i`` of a series costs ``f4(i) = i ** (ln p / ln 2)`` times the first unit, ``p`` the learning
factor: every doubling of the unit number multiplies the unit cost by ``p`` (an "85 % curve" has
``p = 0.85``: unit 2 costs 0.85, unit 4 costs 0.7225 of unit 1). TransCost calls ``f4`` the cost
reduction factor (Koelle, TransCost 8.2 handbook, production cost chapter; T. P. Wright, "Factors
affecting the cost of airplanes", J. Aeronautical Sciences 3(4), 1936).

All functions broadcast over numpy arrays (cases along any axes) and never loop over cases. Sums
over many units are exact for the first 64 terms of a series and use the Euler-Maclaurin formula
beyond (relative error below 1e-12 for any learning factor in (0, 1]).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["learning_exponent", "unit_cost_factor", "cumulative_cost_factor", "average_cost_factor"]

_EXACT_TERMS = 64


def _check_learning(learning: ArrayLike) -> np.ndarray:
    p = np.asarray(learning, dtype=float)
    if np.any(~np.isfinite(p)) or np.any(p <= 0.0) or np.any(p > 1.0):
        raise ValueError(f"learning factor must be in (0, 1] (0.85 for an 85 % curve), got {learning!r}")
    return p


def _check_count(value: ArrayLike, name: str, minimum: int) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(v)) or np.any(v < minimum) or np.any(v != np.round(v)):
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return v


def learning_exponent(learning: ArrayLike) -> np.ndarray:
    """Exponent ``b = ln p / ln 2`` of the unit curve ``f4(i) = i**b``.

    Parameters
    ----------
    learning : array_like
        Learning factor ``p`` in (0, 1] [-].

    Returns
    -------
    ndarray
        ``b`` [-] (``<= 0``; 0 for ``p = 1``, no learning).
    """
    return np.log2(_check_learning(learning))


def unit_cost_factor(unit_number: ArrayLike, learning: ArrayLike) -> np.ndarray:
    """Cost of unit ``i`` of a series as a fraction of the first unit, ``i ** (ln p / ln 2)``.

    Parameters
    ----------
    unit_number : array_like
        Unit number ``i >= 1`` in the production series [-].
    learning : array_like
        Learning factor ``p`` in (0, 1] [-].

    Returns
    -------
    ndarray
        ``f4(i)`` [-], broadcast over the inputs.
    """
    i = _check_count(unit_number, "unit_number", 1)
    return i ** learning_exponent(learning)


def _power_sum(n: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum_{i=1}^{n} i**b for whole n >= 0 and b <= 0, broadcast."""
    n, b = np.broadcast_arrays(n, b)
    k = np.arange(1, _EXACT_TERMS + 1, dtype=float)
    terms = k ** b[..., None]
    exact = np.where(k <= np.minimum(n, _EXACT_TERMS)[..., None], terms, 0.0).sum(axis=-1)
    # Euler-Maclaurin for i = K+1 .. n (only where n > K)
    a = float(_EXACT_TERMS + 1)
    big = n > _EXACT_TERMS
    m = np.where(big, n, a)  # keeps the formula finite where it is not used
    bp1 = b + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        integral = np.where(np.abs(bp1) > 1e-12, (m ** bp1 - a ** bp1) / np.where(bp1 == 0, 1.0, bp1),
                            np.log(m / a))
    ends = 0.5 * (m ** b + a ** b)
    d1 = b * (m ** (b - 1.0) - a ** (b - 1.0)) / 12.0
    d3 = b * (b - 1.0) * (b - 2.0) * (m ** (b - 3.0) - a ** (b - 3.0)) / 720.0
    tail = np.where(big, integral + ends + d1 - d3, 0.0)
    return exact + tail


def cumulative_cost_factor(n_units: ArrayLike, learning: ArrayLike, *, first_unit: ArrayLike = 1) -> np.ndarray:
    """Cost of ``n_units`` consecutive units as a multiple of the first unit's cost.

    ``sum_{i=first_unit}^{first_unit+n_units-1} i ** (ln p / ln 2)``: for ``first_unit = 1`` this is the
    cumulative cost of the first ``n_units`` units; a later batch (units 11 to 15, say) sets
    ``first_unit = 11, n_units = 5``.

    Parameters
    ----------
    n_units : array_like
        Number of units in the batch, whole, ``>= 0`` [-].
    learning : array_like
        Learning factor ``p`` in (0, 1] [-].
    first_unit : array_like, optional
        Unit number of the batch's first unit, whole, ``>= 1`` [-] (default 1).

    Returns
    -------
    ndarray
        Sum of the unit cost factors [first-unit costs].
    """
    n = _check_count(n_units, "n_units", 0)
    start = _check_count(first_unit, "first_unit", 1)
    b = learning_exponent(learning)
    return _power_sum(start + n - 1.0, b) - _power_sum(start - 1.0, b)


def average_cost_factor(n_units: ArrayLike, learning: ArrayLike, *, first_unit: ArrayLike = 1) -> np.ndarray:
    """Average unit cost of a batch as a fraction of the first unit (TransCost's average ``f4``).

    Parameters
    ----------
    n_units : array_like
        Number of units in the batch, whole, ``>= 1`` [-].
    learning : array_like
        Learning factor ``p`` in (0, 1] [-].
    first_unit : array_like, optional
        Unit number of the batch's first unit, ``>= 1`` [-] (default 1).

    Returns
    -------
    ndarray
        Mean of the batch's unit cost factors [-].
    """
    n = _check_count(n_units, "n_units", 1)
    return cumulative_cost_factor(n, learning, first_unit=first_unit) / n
