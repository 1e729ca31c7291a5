"""The stated uncertainty of the TransCost relationships, and Monte Carlo multipliers drawn from it.

Each development and production relationship's coefficient ``a`` carries its source's 95 % range
(``programme/data/transcost.yaml``); a draw is triangular(low, 1, high) on it. Relationships without a
published range (and the operations relationships) use the median range of the sourced ones, and
:func:`scale_range` says so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np

from .transcost import Part, category, category_names

__all__ = ["scale_range", "sample_scale", "sample_scales", "sample_operations_scale"]


@functools.cache
def _unpublished_ratio() -> tuple[float, float]:
    lo, hi = [], []
    for cat in (category(name) for name in category_names()):
        for rel in (cat.development, cat.production):
            if rel.a_range is not None:
                lo.append(rel.a_range[0] / rel.a)
                hi.append(rel.a_range[1] / rel.a)
    return float(np.median(lo)), float(np.median(hi))


def scale_range(category_name: str, part: Part) -> tuple[float, float, bool]:
    """Low and high multipliers of a relationship's 95 % range, and whether they are sourced.

    Parameters
    ----------
    category_name : str
        TransCost category.
    part : {"development", "production"}
        Which relationship.

    Returns
    -------
    tuple
        ``(low, high, sourced)``: ``a_range / a`` where the source gives an interval, else the
        median of the sourced ratios with ``sourced = False``.
    """
    rel = getattr(category(category_name), part)
    if rel.a_range is not None:
        return rel.a_range[0] / rel.a, rel.a_range[1] / rel.a, True
    lo, hi = _unpublished_ratio()
    return lo, hi, False


def sample_scale(category_name: str, part: Part, size: int | tuple[int, ...],
                 rng: np.random.Generator) -> np.ndarray:
    """Monte Carlo multipliers of a relationship: triangular(low, 1, high) of its 95 % range on ``a``.

    The exponent ``x`` is held at its published value: drawing ``a`` and ``x`` independently would
    count the same regression scatter twice.

    Parameters
    ----------
    category_name : str
        TransCost category.
    part : {"development", "production"}
        Which relationship.
    size : int or tuple of int
        Shape of the draw.
    rng : numpy.random.Generator
        Random generator.

    Returns
    -------
    ndarray
        Multipliers [-] to pass as ``scale=``.
    """
    lo, hi, _ = scale_range(category_name, part)
    if hi <= lo:  # pragma: no cover - a degenerate data entry
        return np.ones(size)
    return rng.triangular(lo, 1.0, hi, size=size)


def sample_scales(categories: Iterable[str], size: int | tuple[int, ...], rng: np.random.Generator,
                  parts: Iterable[Part] = ("development", "production")) -> dict[tuple[str, str], np.ndarray]:
    """Independent Monte Carlo multipliers for several relationships (one draw per category and part).

    Parameters
    ----------
    categories : iterable of str
        TransCost categories (duplicates are drawn once).
    size : int or tuple of int
        Shape of each draw.
    rng : numpy.random.Generator
        Random generator.
    parts : iterable of {"development", "production"}, optional
        Relationships to draw (default both).

    Returns
    -------
    dict
        ``{(category, part): multipliers}`` [-], for ``dev_scale`` / ``prod_scale``.
    """
    out: dict[tuple[str, str], np.ndarray] = {}
    for name in dict.fromkeys(categories):
        for part in parts:
            out[(name, part)] = sample_scale(name, part, size, rng)
    return out


def sample_operations_scale(size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Monte Carlo multipliers for the operations relationships, which TransCost gives without an
    interval: triangular(low, 1, high) on the median relative interval of the sourced relationships
    (an assumption; see :func:`scale_range`).

    Parameters
    ----------
    size : int or tuple of int
        Shape of the draw.
    rng : numpy.random.Generator
        Random generator.

    Returns
    -------
    ndarray
        Multipliers [-] for ``ops_scale``.
    """
    lo, hi = _unpublished_ratio()
    return rng.triangular(lo, 1.0, hi, size=size)
