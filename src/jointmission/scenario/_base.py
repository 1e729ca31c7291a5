"""Building blocks of the scenario schema: quantity fields with units and physical ranges, the strict
pydantic base model, "did you mean" suggestions, and the vehicle-reference models.

Every spec module (:mod:`.schema`, :mod:`.sweep_spec`, :mod:`.transfer_spec`, :mod:`.mission_spec`)
builds on this module; it imports none of them.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..constants import DEFAULT_PARKING_ALT_M  # re-exported: the one parking default
from ..fields import KINDS, MAX_C3_M2_S2  # noqa: F401  (MAX_C3_M2_S2 re-exported)
from ..units import UnitError, to_si

OUTPUT_FORMATS = ("parquet", "csv", "json")
"""Table formats a run can write (``json`` = ``results.json``, a list of row records)."""


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` did you mean 'x'?`` for the closest of ``choices`` to ``word`` (difflib), else ``""``."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean '{lowered[close[0]]}'?" if close else ""


def unknown_key_message(key: str, allowed: list[str] | tuple[str, ...]) -> str:
    """Message for an unknown mapping key: the allowed keys plus a difflib suggestion."""
    allowed_txt = ", ".join(allowed) if allowed else "(none)"
    return f"unknown key '{key}'; allowed keys here: {allowed_txt}{suggest(key, list(allowed))}"


# --------------------------------------------------------------------------------------- quantities
class QuantityRule:
    """Range rule of a quantity field: ``positive``, ``nonnegative``, ``any`` or a closed interval."""

    def __init__(self, name: str, test: Callable[[float], bool], words: str) -> None:
        self.name, self.test, self.words = name, test, words


_RULES = {
    "positive": QuantityRule("positive", lambda v: v > 0, "a positive"),
    "nonnegative": QuantityRule("nonnegative", lambda v: v >= 0, "a non-negative"),
    "any": QuantityRule("any", lambda v: True, "a"),
}

_KIND_WORD = {"length": "length", "angle": "angle", "c3": "C3", "mass": "mass", "isp": "Isp",
              "force": "thrust", "speed": "speed", "time": "time", "dimensionless": "number"}


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def parse_quantity(
    value: Any,
    kind: str,
    unit: str,
    *,
    rule: str = "any",
    lo: float | None = None,
    hi: float | None = None,
    hi_open: bool = False,
    example: str | None = None,
    word: str | None = None,
    why: str | None = None,
    why_low: str | None = None,
) -> float:
    """Parse ``value`` to an SI float with :func:`to_si` and check it; raise ``PydanticCustomError``.

    ``kind``/``unit`` are passed to :func:`to_si` (``unit`` is the default unit of a bare number).
    ``rule`` is ``positive``/``nonnegative``/``any``; ``lo``/``hi`` bound the SI value (inclusive;
    ``hi_open``: ``hi`` itself is excluded, e.g. a fraction below 100 %). ``why`` is appended to the
    message of a value above ``hi`` (a plausibility bound says why it is there), ``why_low`` to that of
    a value below ``lo``.
    The error reads like ``must be a positive mass such as '12 t', got '-3 t'``.
    """
    example = example or f"12 {unit}"
    word = word or _KIND_WORD.get(kind, kind)
    r = _RULES[rule]
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "quantity", "{text}", {"text": f"must be a finite {word} such as '{example}', got {_short(value)}"}
        )
    try:
        si = to_si(value, kind, unit)
    except UnitError as exc:
        raise PydanticCustomError(
            "quantity", "{text}", {"text": f"must be {_rw(r, word)} such as '{example}': {exc}"}
        ) from None
    above = hi is not None and (si >= hi if hi_open else si > hi)
    in_range = r.test(si) and (lo is None or si >= lo) and not above
    if not in_range:
        if hi_open and lo is None:
            words = f"{_a(word)} below {_fmt_bound(hi, kind, unit)}"
        elif hi_open:
            words = f"{_a(word)} of at least {_fmt_bound(lo, kind, unit)} and below {_fmt_bound(hi, kind, unit)}"
        elif lo is not None and hi is not None:
            words = f"{_a(word)} between {_fmt_bound(lo, kind, unit)} and {_fmt_bound(hi, kind, unit)}"
        elif hi is not None:
            words = f"{_rw(r, word)} of at most {_fmt_bound(hi, kind, unit)}"
        elif lo is not None:
            words = f"{_a(word)} of at least {_fmt_bound(lo, kind, unit)}"
        else:
            words = _rw(r, word)
        tail = f" ({why})" if why and above else f" ({why_low})" if why_low and lo is not None and si < lo else ""
        raise PydanticCustomError(
            "quantity", "{text}", {"text": f"must be {words} such as '{example}', got {_short(value)}{tail}"}
        )
    return si


def _rw(r: QuantityRule, word: str) -> str:
    """``a positive mass``, ``a non-negative speed``, ``an inclination``."""
    return _a(word) if r.name == "any" else f"{r.words} {word}"


def _a(word: str) -> str:
    """``word`` with its indefinite article ("an inclination", "a fraction")."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _fmt_bound(si: float | None, kind: str, unit: str) -> str:
    if si is None:
        return "any"
    if kind == "dimensionless" and not unit:  # fractions are written in percent ('15 %')
        return f"{si * 100:g} %"
    return f"{to_si_inverse(si, kind, unit):,g} {unit}"


def to_si_inverse(si: float, kind: str, unit: str) -> float:
    """Convert an SI float of ``kind`` back into ``unit`` (e.g. 200000.0 m -> 200.0 km)."""
    return si / to_si(1.0, kind, unit)


def quantity(kind: str, unit: str, **kw: Any) -> Any:
    """An ``Annotated[float, ...]`` type that parses a quantity with :func:`parse_quantity` from explicit
    ``kind``/``unit``/range arguments (kept for user code; the scenario schema itself declares every
    quantity by its registry kind with :func:`quantity_field`). Its validator's ``jm_field`` is ``None``."""

    def _v(value: Any) -> float:
        return parse_quantity(value, kind, unit, **kw)

    _v.jm_field = None  # type: ignore[attr-defined]
    return Annotated[float, BeforeValidator(_v)]


def field_kwargs(key: str) -> dict[str, Any]:
    """The :func:`parse_quantity` arguments of registry kind ``key`` (:data:`jointmission.fields.KINDS`):
    ``kind``, ``unit`` (the scenario default unit), ``rule``, ``lo``/``hi`` [SI, ``None`` = unbounded or
    said by the rule], ``hi_open``, ``example``, ``word``, ``why``, ``why_low``."""
    fk = KINDS[key]
    rule = fk.rule or "any"
    lo = None if rule != "any" or math.isinf(fk.lo) else fk.lo
    hi = None if math.isinf(fk.hi) else fk.hi
    return {"kind": fk.si_kind, "unit": fk.scenario_unit, "rule": rule, "lo": lo, "hi": hi,
            "hi_open": fk.hi_open, "example": fk.example, "word": fk.noun,
            "why": fk.why_high or None, "why_low": fk.why_low or None}


def parse_field(value: Any, key: str) -> float:
    """Parse ``value`` as registry kind ``key`` (:data:`jointmission.fields.KINDS`) to an SI float;
    raise ``PydanticCustomError`` (see :func:`parse_quantity`)."""
    kw = field_kwargs(key)
    return parse_quantity(value, kw.pop("kind"), kw.pop("unit"), **kw)


def quantity_field(key: str) -> Any:
    """An ``Annotated[float, ...]`` type that parses a quantity of registry kind ``key``
    (:data:`jointmission.fields.KINDS`: unit, physical range, message words) to SI with
    :func:`parse_field`. The validator carries the key as ``jm_field``."""
    KINDS[key]  # unknown key: KeyError at import

    def _v(value: Any) -> float:
        return parse_field(value, key)

    _v.jm_field = key  # type: ignore[attr-defined]
    return Annotated[float, BeforeValidator(_v)]


Altitude = quantity_field("altitude")
"""Positive altitude [m] (bare number in km)."""
EarthOrbitAltitude = quantity_field("earth_orbit_altitude")
"""Perigee, apogee, circular or parking-orbit altitude of an Earth orbit [m]: from
:data:`~jointmission.constants.MIN_PERIGEE_ALT_M` (120 km) to the sphere of influence."""
Inclination = quantity_field("inclination")
"""Inclination [rad] in [0, 180] deg (bare number in deg)."""
Latitude = quantity_field("site_latitude")
"""Launch-site latitude [rad] in [-90, 90] deg (bare number in deg)."""
Declination = quantity_field("declination")
"""Declination [rad] in [-90, 90] deg (bare number in deg): the DLA of a C3 target."""
C3 = quantity_field("c3")
"""C3 [m^2/s^2], at most :data:`MAX_C3_M2_S2` (bare number in km^2/s^2)."""
NonEmptyStr = Annotated[str, Field(min_length=1)]


# ------------------------------------------------------------------------------------------ models
class _Strict(BaseModel):
    """Base: frozen, unknown keys refused with the allowed keys and a 'did you mean' suggestion."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            allowed = [f.alias or n for n, f in cls.model_fields.items()]
            for key in data:
                if key not in allowed:
                    raise PydanticCustomError(
                        "unknown_key", "{text}", {"text": unknown_key_message(str(key), allowed), "jm_key": key}
                    )
        return data


def _err(field: str | None, text: str) -> PydanticCustomError:
    ctx: dict[str, Any] = {"text": text}
    if field:
        ctx["jm_field"] = field
    return PydanticCustomError("scenario_rule", "{text}", ctx)


class CatalogVehicleRef(_Strict):
    """``vehicle: {catalog: "<catalog name>", overrides?: {"stages[1].m_prop": "200 t", ...}}``."""

    catalog: NonEmptyStr
    overrides: dict[str, Any] = Field(default_factory=dict)


class FileVehicleRef(_Strict):
    """``vehicle: {file: "vehicles/my_rocket.yaml", overrides?: {...}}`` -- a vehicle file inside the
    scenarios tree, in the catalog vehicle format."""

    file: NonEmptyStr
    overrides: dict[str, Any] = Field(default_factory=dict)


def launch_site_dict(raw: Any) -> dict:
    """The scenario's ``launch_site:`` section as the vehicle's ``launch_site`` mapping: a mapping
    with a latitude as written; a catalog site's name (a string, or ``{name: ...}``) as that site's
    name and latitude [deg]. Raises :class:`~jointmission.vehicles.launch_sites.LaunchSiteError`
    for an unknown name."""
    from ..vehicles.launch_sites import launch_site, site_mapping

    if isinstance(raw, dict) and "latitude" not in raw and "name" not in raw:
        launch_site(None)  # raises: neither a latitude nor a catalog site's name
    return dict(site_mapping(raw))  # the one reading of a site, as a vehicle's own launch_site
