"""The annotated field types shared by the vehicle and target specs (:mod:`jointmission.vehicles.spec`,
:mod:`jointmission.vehicles.target_spec`).

Each type is a pydantic ``Annotated`` float (or int) with a before-validator that accepts a number in
the field's default unit or a string with a unit (``"120 t"``, ``"28.5 deg"``), converts it once with
:func:`jointmission.units.to_si` and checks its range; the table of default units is in
:mod:`jointmission.vehicles.spec`. ``_STRICT`` is the model configuration every spec model uses
(unknown keys are errors, models are frozen).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Callable

from pydantic import BeforeValidator, ConfigDict, PlainSerializer, ValidationInfo
from pydantic_core import PydanticCustomError

from ..units import UnitError, to_si
from .fields import FIELDS, MAX_ISP_S


# --------------------------------------------------------------------------------------------------
# Quantity fields
# --------------------------------------------------------------------------------------------------

def _from_registry(field: str) -> tuple[str, str, str, str]:
    k = FIELDS[field]
    return (k.si_kind, k.spec_unit, k.noun, k.example)


#: kind -> (units.to_si kind, default unit of a bare number, human noun, example); the vehicle
#: kinds come from the one registry of vehicle field kinds (:data:`.fields.FIELDS`)
_KINDS: dict[str, tuple[str, str, str, str]] = {
    "mass": _from_registry("m_dry"),
    "thrust": _from_registry("thrust_vac"),
    "isp": _from_registry("isp_vac"),
    "fraction": _from_registry("throttle_during_boosters"),
    "angle": ("angle", "deg", "angle", "28.5 deg"),
    "altitude": ("length", "km", "altitude", "200 km"),
    "c3": ("c3", "km2/s2", "C3", "-1.9 km2/s2"),
    "speed": ("speed", "km/s", "speed", "0.5 km/s"),
    "duration": ("time", "s", "time", "205 s"),
}


def _quantity(kind: str, check: str = "positive") -> Callable[[Any, ValidationInfo], float]:
    """Build a before-validator converting a number or unit string to an SI float.

    ``check`` is ``"positive"`` (> 0), ``"nonnegative"`` (>= 0), ``"fraction"`` ((0, 1]),
    ``"latitude"`` ([-90, 90] deg), ``"inclination"`` ([0, 180] deg) or ``"any"`` (finite).
    """
    si_kind, default_unit, noun, example = _KINDS[kind]
    adjective = {
        "positive": "positive ",
        "isp": "positive ",
        "nonnegative": "non-negative ",
        "fraction": "",
        "latitude": "",
        "inclination": "",
        "any": "",
    }[check]
    article = "an" if (adjective or noun)[0] in "aeiou" else "a"
    suffix = {
        "fraction": " in (0, 1]",
        "isp": f" of at most {MAX_ISP_S:g} s",
        "latitude": " between -90 deg and 90 deg",
        "inclination": " between 0 deg and 180 deg",
    }.get(check, "")

    def validate(value: Any, info: ValidationInfo) -> float:
        field = info.field_name or "value"
        expected = f"{field} must be {article} {adjective}{noun}{suffix} such as '{example}'"
        try:
            si = to_si(value, si_kind, default_unit)
        except UnitError as exc:
            raise PydanticCustomError("quantity", "{expected}; {reason}", {"expected": expected, "reason": str(exc)}) from None
        if not math.isfinite(si):
            raise PydanticCustomError("quantity", "{text}", {"text": f"{expected}, got {value!r}"})
        ok = {
            "positive": si > 0,
            "isp": FIELDS["isp_vac"].ok(si),
            "nonnegative": si >= 0,
            "fraction": 0 < si <= 1,
            "latitude": abs(si) <= math.pi / 2 + 1e-12,
            "inclination": -1e-12 <= si <= math.pi + 1e-12,
            "any": True,
        }[check]
        if not ok:
            raise PydanticCustomError(
                "quantity", "{expected}, got {value}", {"expected": expected, "value": repr(value)}
            )
        return float(si)

    return validate


def _count(minimum: int, maximum: float = math.inf) -> Callable[[Any, ValidationInfo], int]:
    """Before-validator for an integer count ``minimum <= n <= maximum`` (booleans and fractions
    rejected); the maximum of a field is that of its :data:`~.fields.FIELDS` kind."""

    def validate(value: Any, info: ValidationInfo) -> int:
        field = info.field_name or "value"
        what = "a positive integer such as 2" if minimum >= 1 else "a stage index (integer >= 0) such as 1"
        top = FIELDS[field].hi if field in FIELDS else maximum
        if math.isfinite(top):
            what = f"a positive integer from {minimum} to {top:g} (no real vehicle has more)"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and (not math.isfinite(value) or not value.is_integer())
        ):
            raise PydanticCustomError("count", "{field} must be {what}, got {value}", {"field": field, "what": what, "value": repr(value)})
        if value < minimum or value > top:
            raise PydanticCustomError("count", "{field} must be {what}, got {value}", {"field": field, "what": what, "value": repr(value)})
        return int(value)

    return validate


Mass = Annotated[float, BeforeValidator(_quantity("mass"))]
Thrust = Annotated[float, BeforeValidator(_quantity("thrust"))]
Isp = Annotated[float, BeforeValidator(_quantity("isp", "isp"))]
Throttle = Annotated[float, BeforeValidator(_quantity("fraction", "fraction"))]
def _si_text(unit: str) -> PlainSerializer:
    """Dump a field whose bare number is not in SI (deg, km, km2/s2, km/s) as text with its SI unit
    (``"0.4974 rad"``), so a dumped spec reloads exactly (a float would reload in the bare unit)."""
    return PlainSerializer(lambda v: f"{v!r} {unit}", return_type=str)


Latitude = Annotated[float, BeforeValidator(_quantity("angle", "latitude")), _si_text("rad")]
Inclination = Annotated[float, BeforeValidator(_quantity("angle", "inclination")), _si_text("rad")]
Altitude = Annotated[float, BeforeValidator(_quantity("altitude", "positive")), _si_text("m")]
C3 = Annotated[float, BeforeValidator(_quantity("c3", "any")), _si_text("m2/s2")]
Speed = Annotated[float, BeforeValidator(_quantity("speed", "nonnegative")), _si_text("m/s")]
MassNonneg = Annotated[float, BeforeValidator(_quantity("mass", "nonnegative"))]
Duration = Annotated[float, BeforeValidator(_quantity("duration", "positive"))]
Count = Annotated[int, BeforeValidator(_count(1))]
StageIndex = Annotated[int, BeforeValidator(_count(0))]

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _text_list(value: Any) -> Any:
    """Accept a single string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


TextList = Annotated[list[str], BeforeValidator(_text_list)]


def _registry(field: str) -> Callable[[Any, ValidationInfo], float]:
    """Before-validator of a top-stage field: unit text or a number in the field's default unit
    (:data:`~.fields.FIELDS`), converted to SI and checked against the field's range."""
    k = FIELDS[field]

    def validate(value: Any, info: ValidationInfo) -> float | None:
        if value is None:  # not given: the propellant class's default
            return None
        name = info.field_name or field
        expected = f"{name} must be {k.range_text()} (a {k.noun} such as '{k.example}')"
        if isinstance(value, bool):
            raise PydanticCustomError("quantity", "{text}", {"text": f"{expected}, got {value!r}"})
        try:
            si = to_si(value, k.si_kind, k.spec_unit)
        except UnitError as exc:
            raise PydanticCustomError("quantity", "{expected}; {reason}", {"expected": expected, "reason": str(exc)}) from None
        if not bool(k.ok(si)):
            raise PydanticCustomError("quantity", "{text}", {"text": f"{expected}, got {value!r}"})
        return float(si)

    return validate


def _top(field: str) -> Any:
    return Annotated[float | None, BeforeValidator(_registry(field))]
