"""Checks of the arguments a Python caller gives the launch-vehicle performance functions
(:mod:`.performance`, :mod:`.curve`): the top stage's load, the flight-performance reserve and the
body launched from, each read as a scenario file reads it (numbers, text with units, astropy
Quantities) and refused with a message naming the argument where it is not one the model can answer
for (a bool, a fraction out of range, another body's gravity or radius)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..constants import GM_EARTH, R_EARTH
from ..units import as_si
from .top_load import TOP_LOAD_MIN, TopLoadError, parse_top_load

__all__ = ["top_load_arg", "reserve_arg", "earth_body", "EARTH_GM_RTOL", "EARTH_RADIUS_RTOL"]


def top_load_arg(top_load: Any) -> float | str:
    """``top_load`` as a Python caller gives it, read by the parser of scenario files and the command
    line (:func:`~jointmission.vehicles.top_load.parse_top_load`): ``"optimal"`` (any case), a number
    or numpy scalar, text such as ``"0.6"`` or ``"60 %"``, or a dimensionless astropy Quantity
    (``60 * u.percent``). Returns ``"optimal"`` or the fraction [-] in
    [:data:`~jointmission.vehicles.top_load.TOP_LOAD_MIN`, 1].

    Raises
    ------
    TypeError
        For a bool (``True`` is no propellant fraction, though Python counts it as 1).
    ValueError
        For anything else that is not ``optimal`` nor a fraction in range (a Quantity of another
        dimension: :class:`~jointmission.units.UnitError`).
    """
    if isinstance(top_load, (bool, np.bool_)):
        raise TypeError(f"top_load must be 'optimal' or a fraction of the top stage's propellant "
                        f"({TOP_LOAD_MIN:g} to 1, e.g. 0.6 or '60 %'), got {top_load!r} (a bool)")
    value = as_si(top_load, "dimensionless", "top_load")
    if isinstance(value, (np.generic, np.ndarray)) and np.ndim(value) == 0:
        value = value.item()  # a numpy scalar or 0-d array: its Python number
    try:
        return parse_top_load(value)
    except TopLoadError as exc:
        reads = "" if exc.value is None or isinstance(value, (int, float)) else f", which reads as {exc.value:g}"
        raise ValueError(f"top_load must be 'optimal' or a fraction of the top stage's propellant from "
                         f"{TOP_LOAD_MIN:g} to 1 (a number such as 0.6, or text such as '60 %'), "
                         f"got {top_load!r}{reads}") from None


EARTH_GM_RTOL = 1e-3
"""Relative tolerance [-] on ``mu`` against Earth's GM for :func:`earth_body` (published Earth GM values
differ by ~1e-8; a value 0.1 % off is another body)."""
EARTH_RADIUS_RTOL = 1e-2
"""Relative tolerance [-] on ``r_body`` against Earth's equatorial radius for :func:`earth_body` (the
mean radius, 6,371 km, is 0.1 % below it)."""


def earth_body(mu: Any, r_body: Any) -> tuple[float, float]:
    """``mu`` [m^3/s^2] and ``r_body`` [m] (SI floats or Quantities) as SI floats, checked to be Earth's:
    the ascent model flies through Earth's atmosphere (US Standard Atmosphere 1976) over Earth's
    rotation, so a launch from another body would be a confident wrong number. Raises ``ValueError``
    naming the argument for another body's values (within :data:`EARTH_GM_RTOL` /
    :data:`EARTH_RADIUS_RTOL` is Earth)."""
    mu, r_body = as_si(mu, "gm", "mu"), as_si(r_body, "length", "r_body")
    for name, x, ref, rtol, unit in (("mu", mu, GM_EARTH, EARTH_GM_RTOL, "m^3/s^2"),
                                     ("r_body", r_body, R_EARTH, EARTH_RADIUS_RTOL, "m")):
        if isinstance(x, bool) or np.ndim(x) != 0 or not (abs(float(x) / ref - 1.0) <= rtol):
            raise ValueError(f"{name}={x!r}: the ascent model is Earth's (its atmosphere and rotation), so {name} "
                             f"must be Earth's ({ref:.6g} {unit}, within {rtol:.0e} relative); a launch from "
                             "another body is not modelled")
    return float(mu), float(r_body)


def reserve_arg(reserve_fraction: Any) -> Any:
    """``reserve_fraction`` as a Python caller gives it -- a number or array, text as in a scenario
    file's fraction fields (``"1 %"``, ``"0.01"``) or a dimensionless astropy Quantity
    (``1 * u.percent``) -- as a float or float array [-], every value in [0, 1).

    Raises
    ------
    TypeError
        For a bool (``True`` is no fraction, though Python counts it as 1).
    ValueError
        For text that is not a fraction, or a value negative (it would lower the required delta-v:
        a payload above the vehicle's), not finite, or 1 and above (no payload at all).
    """
    from ..units import UnitError, to_si

    if isinstance(reserve_fraction, (bool, np.bool_)):
        raise TypeError(f"reserve_fraction must be a fraction of the required delta-v in [0, 1) such as 0.01 or "
                        f"'1 %', got {reserve_fraction!r} (a bool)")
    value = as_si(reserve_fraction, "dimensionless", "reserve_fraction")
    try:
        f = to_si(value, "dimensionless", "") if isinstance(value, str) else np.asarray(value, dtype=float)
    except (UnitError, TypeError, ValueError):
        f = None
    with np.errstate(invalid="ignore"):
        good = f is not None and bool(np.all(np.isfinite(f) & (np.asarray(f) >= 0.0) & (np.asarray(f) < 1.0)))
    if not good:
        raise ValueError(f"reserve_fraction must be a fraction of the required delta-v in [0, 1) such as 0.01 or "
                         f"'1 %' (a negative reserve would lower the requirement), got {reserve_fraction!r}")
    return float(f) if np.ndim(f) == 0 else f
