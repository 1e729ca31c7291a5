"""Quantities with units at the edges (YAML files, CLI, public API), converted once to SI floats.

Strings such as ``"3.2 km/s"``, ``"120 t"``, ``"311 s"``, ``"28.5 deg"`` or ``"-1.9 km2/s2"`` are parsed
with :mod:`astropy.units`. A bare number is taken to be in the field's default unit. Kernels in
:mod:`jointmission.core` never see units: they get the SI float this module returns.
"""

from __future__ import annotations

import math
import re
from typing import Final

import astropy.units as u

__all__ = ["UnitError", "to_si", "SI_UNITS", "format_unit"]

#: The SI unit each physical kind is converted to. Keys are the names used by schemas.
SI_UNITS: Final[dict[str, u.UnitBase]] = {
    "mass": u.kg,
    "force": u.N,
    "time": u.s,
    "isp": u.s,
    "length": u.m,
    "speed": u.m / u.s,
    "angle": u.rad,
    "c3": u.m**2 / u.s**2,
    "rate": 1 / u.s,
    "dimensionless": u.dimensionless_unscaled,
}

# "km2/s2" is common in mission design; astropy reads "km2 / s2" but we normalise "^" too.
_POWER = re.compile(r"\^")


class UnitError(ValueError):
    """A value could not be read as a quantity of the expected kind. The message says what is expected."""


def _parse_unit(text: str) -> u.UnitBase:
    return u.Unit(_POWER.sub("", text.strip()), parse_strict="raise")


def to_si(value: object, kind: str, default_unit: str) -> float:
    """Convert a user value to an SI float.

    Parameters
    ----------
    value
        A number (taken in ``default_unit``) or a string ``"<number> <unit>"`` such as ``"120 t"``.
    kind
        Physical kind, a key of :data:`SI_UNITS` (``"mass"``, ``"speed"``, ...).
    default_unit
        Unit of a bare number, e.g. ``"t"`` or ``"km/s"``; also quoted in error messages.

    Returns
    -------
    float
        The value in the SI unit of ``kind`` (kg, N, s, m, m/s, rad, m^2/s^2, ...).

    Raises
    ------
    UnitError
        For non-numeric text, an unknown unit, a unit of the wrong dimension, or a non-finite value.
    """
    target = SI_UNITS[kind]
    if isinstance(value, bool) or value is None:
        raise UnitError(f"expected a {kind} such as '{_example(default_unit)}', got {value!r}")
    if isinstance(value, (int, float)):
        number, unit = float(value), _parse_unit(default_unit)
    elif isinstance(value, str):
        number, unit = _split(value, kind, default_unit)
    else:
        raise UnitError(
            f"expected a {kind} such as '{_example(default_unit)}', got a {type(value).__name__}"
        )
    if not math.isfinite(number):
        raise UnitError(f"expected a finite {kind}, got {value!r}")
    try:
        if kind == "isp" and unit.is_equivalent(u.m / u.s):
            # An effective exhaust velocity given for an Isp field: convert with g0.
            from .constants import G0

            return float((number * unit).to_value(u.m / u.s)) / G0
        return float((number * unit).to_value(target))
    except u.UnitConversionError:
        raise UnitError(
            f"'{value}' is not {_an(kind)}: its unit '{unit}' cannot be converted to {target}; "
            f"write it like '{_example(default_unit)}'"
        ) from None


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def _split(text: str, kind: str, default_unit: str) -> tuple[float, u.UnitBase]:
    m = _NUMBER.match(text.replace("_", ""))
    if not m:
        raise UnitError(
            f"'{text}' is not {_an(kind)}: expected a number followed by a unit, like "
            f"'{_example(default_unit)}'"
        )
    number = float(m.group(1))
    unit_text = m.group(2) or default_unit
    try:
        return number, _parse_unit(unit_text)
    except ValueError:
        raise UnitError(
            f"'{text}': unknown unit '{unit_text}' for a {kind}; write it like "
            f"'{_example(default_unit)}'"
        ) from None


def _example(default_unit: str) -> str:
    return f"1.5 {default_unit}" if default_unit else "1.5"


def format_unit(kind: str) -> str:
    """Return the SI unit string of a physical kind, e.g. ``format_unit("speed") == "m / s"``."""
    return SI_UNITS[kind].to_string()


def _an(kind: str) -> str:
    """``kind`` with its indefinite article (``an angle``, ``an isp``, ``a length``)."""
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"
