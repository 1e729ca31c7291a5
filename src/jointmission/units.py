"""Quantities with units at the edges (YAML files, CLI, public API), converted once to SI floats.

Strings such as ``"3.2 km/s"``, ``"120 t"``, ``"311 s"``, ``"28.5 deg"`` or ``"-1.9 km2/s2"`` are parsed
with :mod:`astropy.units`. A bare number is taken to be in the field's default unit. Kernels in
:mod:`jointmission.core` never see units: they get the SI float this module returns.

The text form is strict: exactly one number (``_`` allowed between digits, as in Python:
``"1_500 t"``), then at most one unit expression, which holds no free-standing number (astropy reads
a space as a multiplication, so ``"1 500 t"`` would be 500 t and ``"200 2 km"`` 400 km: both are
refused) and no logarithmic or other non-linear unit (``dex``, ``mag``, ``dB``, ``dex(km)``).
An astropy :class:`~astropy.units.Quantity` is converted with its own unit.

:func:`accepts_quantities` makes a kernel on SI floats accept Quantities too (used by
:mod:`jointmission.public`); :func:`as_si` converts one argument the same way.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import astropy.units as u

__all__ = ["UnitError", "to_si", "as_si", "accepts_quantities", "SI_UNITS", "format_unit"]

# astropy.units is imported on first need (a unit this module does not know by heart, a Quantity):
# its import is ~0.25 s, most of a short command's start-up. Module attributes ``u`` and
# ``SI_UNITS`` resolve through ``__getattr__`` below.
_AP: dict[str, Any] = {}


def _astropy() -> Any:
    """``astropy.units``, imported once (with the function-unit marker classes and :data:`SI_UNITS`)."""
    if not _AP:
        import astropy.units as au

        try:  # astropy >= 4: the marker class of every function (logarithmic) unit
            from astropy.units.function.core import FunctionUnitBase
            from astropy.units.function.mixin import FunctionMixin

            markers: tuple = (FunctionMixin, FunctionUnitBase)
        except ImportError:  # pragma: no cover - very old or very new astropy
            markers = ()
        _AP["si"] = {
            "mass": au.kg,
            "force": au.N,
            "time": au.s,
            "isp": au.s,
            "length": au.m,
            "speed": au.m / au.s,
            "angle": au.rad,
            "c3": au.m**2 / au.s**2,
            "gm": au.m**3 / au.s**2,
            "rate": 1 / au.s,
            "dimensionless": au.dimensionless_unscaled,
        }
        _AP["markers"] = markers
        _AP["u"] = au
    return _AP["u"]


def __getattr__(name: str) -> Any:
    """``SI_UNITS`` (the astropy SI unit of each physical kind; keys are the names used by schemas)
    and ``u`` (``astropy.units``), resolved on first use."""
    if name == "SI_UNITS":
        _astropy()
        return _AP["si"]
    if name == "u":
        return _astropy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_quantity(value: object) -> bool:
    """True for an astropy Quantity (never when astropy has not been imported: none can exist)."""
    return "astropy.units" in sys.modules and isinstance(value, _astropy().Quantity)


#: Units written by hand in the catalog, scenarios and on the command line, by physical kind, with
#: their factor to the SI unit of that kind: read without importing astropy. Each factor is
#: astropy's own conversion (a test compares them value by value); any other unit goes to astropy.
_PLAIN: Final[dict[tuple[str, str], float]] = {
    ("mass", "kg"): 1.0, ("mass", "t"): 1000.0,
    ("force", "N"): 1.0, ("force", "kN"): 1000.0, ("force", "MN"): 1e6,
    ("time", "s"): 1.0, ("time", "min"): 60.0, ("time", "h"): 3600.0, ("time", "d"): 86400.0,
    ("isp", "s"): 1.0,
    ("length", "m"): 1.0, ("length", "km"): 1000.0,
    ("speed", "m/s"): 1.0, ("speed", "km/s"): 1000.0,
    ("angle", "rad"): 1.0, ("angle", "deg"): math.pi / 180.0,
    ("c3", "m2/s2"): 1.0, ("c3", "km2/s2"): 1e6,
    ("dimensionless", ""): 1.0,
}

#: How each kind's SI unit is written in messages.
_SI_TEXT: Final[dict[str, str]] = {
    "mass": "kg",
    "force": "N",
    "time": "s",
    "isp": "s",
    "length": "m",
    "speed": "m/s",
    "angle": "rad",
    "c3": "m^2/s^2",
    "gm": "m^3/s^2",
    "rate": "1/s",
    "dimensionless": "dimensionless",
}

# Powers: "km^2/s^2" and "km**2/s**2" are read as "km2/s2".
_POWER = re.compile(r"\^|\*\*")

# One number: digits with single "_" between digits (as Python literals), a decimal point, an
# exponent. ASCII digits only (re.ASCII: "\d" would take other scripts' digits too).
_DIGITS = r"\d(?:_?\d)*"
_NUMBER = re.compile(
    rf"\s*([-+]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?)(.*?)\s*",
    re.ASCII | re.DOTALL,
)

# A number standing on its own inside the unit part: at its start or after a space, "*", "/"
# (possibly behind "(" and a sign). Powers are attached to a unit ("km2", "s-1", "km(-2)") and are
# not matched. The reciprocal "1/s" (a leading "1/") is the one number allowed.
_FREE_NUMBER = re.compile(r"(?:^|[\s*/])\(*[-+]?\.?\d", re.ASCII)
_RECIPROCAL = re.compile(r"^1\s*/", re.ASCII)


class UnitError(ValueError):
    """A value could not be read as a quantity of the expected kind. The message says what is expected."""


def _nonlinear(unit: Any) -> bool:
    """True for a logarithmic or other function unit (``dex``, ``mag``, ``dB``), also inside a
    composite unit: such a unit is not a scale factor, so ``number * unit`` is not a quantity."""
    u = _astropy()
    markers = _AP["markers"]
    if not isinstance(unit, u.UnitBase) or isinstance(unit, markers):
        return True
    try:
        bases = list(unit.bases) + list(unit.decompose().bases)
    except Exception:  # pragma: no cover - astropy refuses to decompose: not for us either
        return True
    return any(isinstance(b, markers) for b in bases)


def _convert(value: Any, unit: u.UnitBase, kind: str) -> Any:
    """``value`` (a number or array) in ``unit`` converted to the SI unit of ``kind``; an Isp given as
    an effective exhaust velocity is divided by g0. Raises ``astropy.units.UnitConversionError``."""
    u = _astropy()
    if kind == "isp" and unit.is_equivalent(u.m / u.s):
        from .constants import G0

        return (value * unit).to_value(u.m / u.s) / G0
    return (value * unit).to_value(_AP["si"][kind])


def _check_linear(unit: Any, shown: str, kind: str, default_unit: str) -> u.UnitBase:
    """``unit`` if it is a plain (linear, scale 1) astropy unit, else :class:`UnitError`."""
    if _nonlinear(unit):
        raise UnitError(
            f"'{_clip(shown)}': '{unit}' is a logarithmic or non-linear unit, not allowed for {_an(kind)}; "
            f"write it like '{_example(default_unit)}'"
        )
    if unit.scale != 1.0:
        raise UnitError(
            f"'{_clip(shown)}' is not {_an(kind)}: expected one number followed by one unit, like "
            f"'{_example(default_unit)}' (the unit part holds a number)"
        )
    return unit


def _parse_unit(text: str, shown: str = "", kind: str = "dimensionless", default_unit: str = "") -> u.UnitBase:
    """One unit expression (no number in it except a leading ``1/``) as a linear astropy unit."""
    text = _POWER.sub("", text.strip())
    if _FREE_NUMBER.search(_RECIPROCAL.sub("/", text)):
        raise UnitError(
            f"'{_clip(shown or text)}' is not {_an(kind)}: expected exactly one number followed by one "
            f"unit, like '{_example(default_unit)}', but the unit part '{_clip(text)}' holds a number "
            f"(a space is read as a multiplication: write 1500 or 1_500, not 1 500)"
        )
    u = _astropy()
    try:
        unit = u.Unit(text, parse_strict="raise")
    except (ValueError, TypeError):
        raise UnitError(
            f"'{_clip(shown or text)}': unknown unit '{_clip(text)}' for {_an(kind)}; write it like "
            f"'{_example(default_unit)}'"
        ) from None
    return _check_linear(unit, shown or text, kind, default_unit)


def to_si(value: object, kind: str, default_unit: str) -> float:
    """Convert a user value to an SI float.

    Parameters
    ----------
    value
        A number (taken in ``default_unit``), a string ``"<number> <unit>"`` such as ``"120 t"``
        (exactly one number, then at most one unit expression), or a scalar astropy
        :class:`~astropy.units.Quantity` (converted with its own unit).
    kind
        Physical kind, a key of :data:`SI_UNITS` (``"mass"``, ``"speed"``, ...).
    default_unit
        Unit of a bare number, e.g. ``"t"`` or ``"km/s"``; also quoted in error messages.

    Returns
    -------
    float
        The value in the SI unit of ``kind`` (kg, N, s, m, m/s, rad, m^2/s^2, m^3/s^2, ...).

    Raises
    ------
    UnitError
        For non-numeric text, text with more than one number (``"1 500 t"``), an unknown,
        logarithmic or non-linear unit, a unit of the wrong dimension, a number too large for a
        float, or a non-finite value.
    """
    if kind not in _SI_TEXT:
        raise KeyError(kind)
    shown = value
    if isinstance(value, bool) or value is None:
        raise UnitError(f"expected {_an(kind)} such as '{_example(default_unit)}', got {value!r}")
    factor = None
    if _is_quantity(value):
        if np.ndim(value) != 0:
            raise UnitError(f"expected a single {kind}, got a Quantity of shape {np.shape(value)}")
        unit = _check_linear(value.unit, str(value), kind, default_unit)
        number = _float(value.value, value, kind)
        shown = str(value)
    else:
        if isinstance(value, numbers.Real):
            number, unit_text, parse_shown = _float(value, value, kind), default_unit, ""
        elif isinstance(value, str):
            number, unit_text = _split(value, kind, default_unit)
            parse_shown = value
        else:
            raise UnitError(
                f"expected {_an(kind)} such as '{_example(default_unit)}', got a {type(value).__name__}"
            )
        factor = _PLAIN.get((kind, unit_text))
        unit = None if factor is not None else _parse_unit(unit_text, parse_shown, kind, default_unit)
    if not math.isfinite(number):
        raise UnitError(f"expected a finite {kind}, got {_clip(repr(shown))}")
    if factor is not None:
        si = number * factor
        if math.isfinite(si):
            return si
        unit = _parse_unit(unit_text, parse_shown, kind, default_unit)  # the overflow message below
    u = _astropy()
    target = _AP["si"][kind]
    try:
        with np.errstate(over="ignore"):
            si = float(_convert(number, unit, kind))
    except u.UnitConversionError:
        raise UnitError(
            f"'{_clip(str(shown))}' is not {_an(kind)}: its unit '{unit}' cannot be converted to "
            f"{target}; write it like '{_example(default_unit)}'"
        ) from None
    if not math.isfinite(si):
        raise UnitError(
            f"'{_clip(str(shown))}' is too large for {_an(kind)}: it overflows a float in {target}"
        )
    return si


def _float(x: object, shown: object, kind: str) -> float:
    """``float(x)``, with an integer too large for a float reported as a :class:`UnitError`."""
    try:
        f = float(x)  # type: ignore[arg-type]
    except OverflowError:
        raise UnitError(f"{_clip(repr(shown))} is too large for {_an(kind)} (beyond the float range)") from None
    except (TypeError, ValueError):
        raise UnitError(f"expected a real number for {_an(kind)}, got {_clip(repr(shown))}") from None
    return f


def _split(text: str, kind: str, default_unit: str) -> tuple[float, str]:
    """``"<number> <unit>"`` -> (the number, the unit text; ``default_unit`` where none is written)."""
    m = _NUMBER.fullmatch(text)
    if not m:
        raise UnitError(
            f"'{_clip(text)}' is not {_an(kind)}: expected a number followed by a unit, like "
            f"'{_example(default_unit)}'"
        )
    number = float(m.group(1).replace("_", ""))  # a string never overflows: 1e999 -> inf
    unit_text = m.group(2).strip()
    if unit_text[:1] == "_":
        raise UnitError(f"'{_clip(text)}' is not {_an(kind)}: '_' may only stand between digits")
    return number, unit_text or default_unit


def _clip(text: str, n: int = 60) -> str:
    """``text`` cut to ``n`` characters for a message (a 400-digit number is not quoted whole)."""
    return text if len(text) <= n else text[: n - 3] + "..."


def _example(default_unit: str) -> str:
    return f"1.5 {default_unit}" if default_unit else "1.5"


def format_unit(kind: str) -> str:
    """Return the SI unit string of a physical kind, e.g. ``format_unit("speed") == "m / s"``."""
    _astropy()
    return _AP["si"][kind].to_string()


def _an(kind: str) -> str:
    """``kind`` with its indefinite article (``an angle``, ``an isp``, ``a length``)."""
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


# --------------------------------------------------------------------------------------------
# Quantities at the public API
# --------------------------------------------------------------------------------------------


_TEXT_EXAMPLE: Final[dict[str, str]] = {"mass": "t", "force": "kN", "time": "d", "isp": "s", "length": "km",
                                      "speed": "km/s", "angle": "deg", "c3": "km2/s2", "gm": "km3/s2"}
"""A unit to show in the message of text without one, per kind."""


def as_si(value: Any, kind: str, name: str = "value") -> Any:
    """``value`` unchanged unless it is an astropy Quantity or text; a Quantity is converted to the
    SI unit of ``kind`` (a float for a scalar, an ndarray otherwise), text with its unit
    (``"200 km"``, as in a scenario file; :func:`to_si`) to an SI float.

    Parameters
    ----------
    value
        A number, array, None, a :class:`~astropy.units.Quantity` (any shape), or text
        ``"<number> <unit>"``.
    kind
        Key of :data:`SI_UNITS`; ``"isp"`` also takes an exhaust velocity (converted with g0).
    name
        Argument name, quoted in the error message.

    Raises
    ------
    UnitError
        For a Quantity or text of the wrong dimension or with a logarithmic / non-linear unit, and
        for text without a unit (a plain number is SI here, but km or t in a scenario file: text
        would be ambiguous), naming the argument and the expected unit.
    TypeError
        For a bool (Python counts ``True`` as 1: a latitude of 1 rad), naming the argument.
    """
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, np.ndarray) and value.dtype.kind == "b"):
        raise TypeError(f"argument '{name}' is a bool ({value!r}), not {_an(kind)}: give a number in "
                        f"{_SI_TEXT[kind]} or an astropy Quantity")
    if isinstance(value, str) and kind != "dimensionless":
        m = _NUMBER.fullmatch(value)
        if m is not None and not m.group(2).strip():
            raise UnitError(f"argument '{name}': {_clip(repr(value))} is text without a unit; give the number itself "
                            f"in {_SI_TEXT[kind]} or write its unit, e.g. '{value.strip()} {_TEXT_EXAMPLE.get(kind, '')}'"
                            .rstrip())
        try:
            return to_si(value, kind, _SI_TEXT[kind])
        except UnitError as exc:
            raise UnitError(f"argument '{name}': {exc}") from None
    if not _is_quantity(value):
        return value
    u = _astropy()
    unit = value.unit
    if _nonlinear(unit):
        raise UnitError(f"argument '{name}': '{unit}' is a logarithmic or non-linear unit; expected {_SI_TEXT[kind]}")
    try:
        si = np.asarray(_convert(value.value, unit, kind), dtype=float)
    except u.UnitConversionError:
        raise UnitError(
            f"argument '{name}' has unit '{unit}', which cannot be converted to {_SI_TEXT[kind]} "
            f"(expected {_an(kind)})"
        ) from None
    return si[()] if si.ndim == 0 else si


F = TypeVar("F", bound=Callable[..., Any])


def accepts_quantities(**kinds: str | Callable[[Any, str], Any]) -> Callable[[F], F]:
    """Decorator: let a kernel on SI floats take astropy Quantities for the named arguments.

    ``kinds`` maps argument names to a key of :data:`SI_UNITS` (or to a converter
    ``f(value, name) -> value`` for a structured argument). Each Quantity argument is converted
    once to SI (wrong dimension -> :class:`UnitError` naming the argument and the expected unit);
    plain numbers and arrays pass through unchanged, as do arguments not named in ``kinds``. The
    wrapper keeps the kernel's name, signature and docstring (``functools.wraps``) and adds a line
    saying Quantities are accepted.
    """

    def decorate(func: F) -> F:
        import inspect

        params = list(inspect.signature(func).parameters)
        unknown = set(kinds) - set(params)
        if unknown:
            raise TypeError(f"{func.__name__} has no argument(s) {sorted(unknown)}")
        pos = tuple(kinds.get(p) for p in params)

        def convert(v: Any, kind: Any, name: str) -> Any:
            if kind is None:
                return v
            if callable(kind):
                return kind(v, name)
            return as_si(v, kind, name)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            args = tuple(
                convert(a, pos[i], params[i]) if i < len(pos) else a for i, a in enumerate(args)
            )
            for k, v in kwargs.items():
                if k in kinds:
                    kwargs[k] = convert(v, kinds[k], k)
            return func(*args, **kwargs)

        units_line = ", ".join(
            f"{k} [{_SI_TEXT[v]}]" if isinstance(v, str) else k for k, v in kinds.items()
        )
        wrapper.__doc__ = (
            (func.__doc__ or "").rstrip()
            + "\n\n    Accepts astropy Quantities as well as SI floats/arrays (converted once to SI: "
            + units_line
            + ").\n"
        )
        return wrapper  # type: ignore[return-value]

    return decorate
