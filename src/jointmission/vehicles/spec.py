"""Validated input schema of engines and launch vehicles (catalog YAML and user scenario files).

The models mirror the catalog files ``vehicles/data/engines.yaml`` and ``vehicles.yaml`` key for key
(no aliases), so a pydantic error ``loc`` such as ``("stages", 1, "m_dry")`` is also the YAML path of
the offending value. Physical fields accept a number (in the field's default unit, listed below) or a
string with a unit (``"120 t"``, ``"7904 kN"``, ``"311 s"``, ``"28.5 deg"``); they are converted once,
with :func:`jointmission.units.to_si`, and stored as SI floats.

Default unit of a bare number
-----------------------------
========================  ===========  =================
field kind                default      stored as
========================  ===========  =================
mass                      kg           kg
thrust                    N            N
Isp                       s            s
throttle                  (fraction)   fraction in (0, 1]
latitude, inclination     deg          rad
altitude (perigee, ...)   km           m
C3                        km2/s2       m^2/s^2
========================  ===========  =================

Unknown keys are errors (``extra="forbid"``); so are non-finite numbers, masses <= 0, Isp <= 0,
thrust <= 0, non-integer or zero counts, throttles outside (0, 1] and latitudes outside [-90, 90] deg.
Every message says what is expected, e.g. ``m_dry must be a positive mass such as '12 t'``.
"""

from __future__ import annotations

import math
from typing import Literal, Annotated, Any, Callable

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..units import UnitError, to_si
from .fields import FIELDS, MAX_ISP_S, MAX_STAGES, engine_consistent

__all__ = [
    "EngineSpec",
    "RecoverySpec",
    "BoosterSpec",
    "StageSpec",
    "FairingSpec",
    "JettisonSpec",
    "LaunchSiteSpec",
    "TopStageSpec",
    "OrbitTargetSpec",
    "C3TargetSpec",
    "PublishedPerformance",
    "VehicleSpec",
]


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
Latitude = Annotated[float, BeforeValidator(_quantity("angle", "latitude"))]
Inclination = Annotated[float, BeforeValidator(_quantity("angle", "inclination"))]
Altitude = Annotated[float, BeforeValidator(_quantity("altitude", "positive"))]
C3 = Annotated[float, BeforeValidator(_quantity("c3", "any"))]
Speed = Annotated[float, BeforeValidator(_quantity("speed", "nonnegative"))]
MassNonneg = Annotated[float, BeforeValidator(_quantity("mass", "nonnegative"))]
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


# --------------------------------------------------------------------------------------------------
# Engines, stages, boosters
# --------------------------------------------------------------------------------------------------


class EngineSpec(BaseModel):
    """One rocket engine. Thrust and Isp at sea level are optional (vacuum-only upper-stage engines).

    Fields (SI after validation): ``thrust_vac``, ``thrust_sl`` [N]; ``isp_vac``, ``isp_sl`` [s];
    ``mass`` [kg]; ``min_throttle`` [-]. ``name`` is required; descriptive fields are optional so that
    a user can write an engine inline in a scenario.
    """

    model_config = _STRICT

    name: str = Field(min_length=1)
    country: str | None = None
    manufacturer: str | None = None
    propellants: str | list[str] | None = None
    cycle: str | None = None
    thrust_sl: Thrust | None = None
    thrust_vac: Thrust
    isp_sl: Isp | None = None
    isp_vac: Isp
    mass: Mass | None = None
    min_throttle: Throttle | None = None
    sources: TextList = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _sea_level_below_vacuum(self) -> "EngineSpec":
        # the cross-field rule of .fields.engine_consistent, one message per broken half
        nan = float("nan")
        if not engine_consistent(self.isp_vac, nan if self.isp_sl is None else self.isp_sl, nan, nan):
            raise PydanticCustomError(
                "engine", "{text}",
                {"text": f"isp_sl ({self.isp_sl:.1f} s) must not exceed isp_vac ({self.isp_vac:.1f} s)"},
            )
        if not engine_consistent(nan, nan, self.thrust_vac, nan if self.thrust_sl is None else self.thrust_sl):
            raise PydanticCustomError(
                "engine", "{text}",
                {"text": f"thrust_sl ({self.thrust_sl / 1e3:,.6g} kN) must not exceed thrust_vac "
                         f"({self.thrust_vac / 1e3:,.6g} kN)"},
            )
        return self


def _engine_ref(value: Any, handler: Callable[[Any], EngineSpec]) -> "str | EngineSpec":
    """A catalog engine name (kept as a string) or an inline engine mapping (validated).

    Dispatching here rather than with a ``Union`` keeps error locations equal to YAML paths
    (``stages.0.engine.isp_vac``, with no union-branch tag in between).
    """
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("engine", "engine must be a catalog engine name such as 'RS-25' or a mapping of engine fields", {})
        return value.strip()
    if isinstance(value, EngineSpec):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "engine",
            "engine must be a catalog engine name such as 'RS-25' or a mapping of engine fields "
            "(name, thrust_vac, isp_vac, ...), got {kind}",
            {"kind": type(value).__name__},
        )
    return handler(value)


def _dump_engine_ref(value: "str | EngineSpec") -> Any:
    return value if isinstance(value, str) else value.model_dump()


EngineRef = Annotated[EngineSpec, WrapValidator(_engine_ref), PlainSerializer(_dump_engine_ref, return_type=Any)]
"""A stage's engine: a catalog engine name (``str``), or an inline :class:`EngineSpec` mapping.

The value after validation is either the name (``str``) or an :class:`EngineSpec`."""


class RecoverySpec(BaseModel):
    """A recovered booster or core stage (:mod:`jointmission.vehicles.recovery`): the delta-v of its
    burns after separation (bare numbers in km/s) and the landing hardware it carries (``hardware``,
    added to ``m_dry``). ``mode: rtls`` needs a ``boostback`` burn; ``droneship`` has none."""

    model_config = _STRICT

    mode: Literal["rtls", "droneship"]
    boostback: Speed = 0.0
    entry: Speed = 0.0
    landing: Speed = 0.0
    hardware: MassNonneg = 0.0
    sources: TextList = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _mode_matches_burns(self) -> "RecoverySpec":
        if self.mode == "droneship" and self.boostback > 0:
            raise PydanticCustomError("recovery", "a droneship landing has no boostback burn: remove boostback "
                                      "or use mode: rtls", {})
        if self.mode == "rtls" and self.boostback <= 0:
            raise PydanticCustomError("recovery", "mode: rtls needs a boostback burn such as '1.8 km/s'", {})
        return self


class BoosterSpec(BaseModel):
    """Identical strap-on boosters burning from lift-off beside core stage 0.

    ``m_prop`` and ``m_dry`` are per booster [kg]; ``count`` boosters with ``engines_per_booster``
    engines each.
    """

    model_config = _STRICT

    name: str | None = None
    count: Count
    engine: EngineRef
    engines_per_booster: Count = 1
    m_prop: Mass
    m_dry: Mass
    residuals: _top("residuals") = None
    """Unusable propellant left at burnout, fraction of ``m_prop`` (default: the propellant class's,
    :mod:`~jointmission.vehicles.top_stage`)."""
    recovery: RecoverySpec | None = None
    """Each booster is flown back (:class:`RecoverySpec`); None = expended."""
    notes: str | None = None


class StageSpec(BaseModel):
    """One serial core stage (bottom first). ``m_prop`` usable propellant, ``m_dry`` burnout mass [kg].

    ``throttle_during_boosters`` [-] applies to the first stage only: its thrust fraction while the
    boosters burn (default 1).
    """

    model_config = _STRICT

    name: str = Field(min_length=1)
    engine: EngineRef
    engine_count: Count = 1
    m_prop: Mass
    m_dry: Mass
    throttle_during_boosters: Throttle | None = None
    residuals: _top("residuals") = None
    """Unusable propellant left at burnout, fraction of the loaded ``m_prop`` (default: the propellant
    class's, :mod:`~jointmission.vehicles.top_stage`; for the top stage, ``top_stage.residuals`` wins)."""
    recovery: RecoverySpec | None = None
    """The stage is flown back (:class:`RecoverySpec`; not the top stage); None = expended."""
    notes: str | None = None


class FairingSpec(BaseModel):
    """Payload fairing: ``mass`` [kg], dropped at the burnout of stage ``jettison_after_stage`` (0-based)."""

    model_config = _STRICT

    mass: Mass
    jettison_after_stage: StageIndex
    notes: str | None = None


class JettisonSpec(BaseModel):
    """Another dropped item (escape tower, interstage, ...), like :class:`FairingSpec` with a name."""

    model_config = _STRICT

    name: str = Field(min_length=1)
    mass: Mass
    jettison_after_stage: StageIndex
    notes: str | None = None


class LaunchSiteSpec(BaseModel):
    """Launch site: ``latitude`` [rad after validation; bare numbers are degrees]."""

    model_config = _STRICT

    name: str | None = None
    latitude: Latitude
    notes: str | None = None


class TopStageSpec(BaseModel):
    """The top stage as flown (:mod:`jointmission.vehicles.top_stage`): ``propellants`` class and the
    values that differ from that class's defaults. Fractions are of the top stage's loaded propellant
    (``"1 %"`` or ``0.01``); masses as elsewhere; ``boiloff_per_hour`` a fraction per hour;
    ``coast_time`` a duration (bare numbers in s, ``"30 min"``)."""

    model_config = _STRICT

    propellants: Literal["hydrolox", "kerolox", "methalox", "storable", "solid"] | None = None
    residuals: _top("residuals") = None
    flight_performance_reserve: _top("flight_performance_reserve") = None
    payload_adapter: _top("payload_adapter") = None
    attitude_control_propellant: _top("attitude_control_propellant") = None
    restart_propellant: _top("restart_propellant") = None
    boiloff_per_hour: _top("boiloff_per_hour") = None
    coast_time: _top("coast_time") = None
    sources: TextList = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _kept_below_load(self) -> "TopStageSpec":
        if (self.residuals or 0.0) + (self.flight_performance_reserve or 0.0) >= 1.0:
            raise PydanticCustomError(
                "top_stage", "residuals + flight_performance_reserve must stay below 100 % of the load", {})
        return self


# --------------------------------------------------------------------------------------------------
# Published performance
# --------------------------------------------------------------------------------------------------


class OrbitTargetSpec(BaseModel):
    """Target orbit: ``perigee``, ``apogee`` altitudes [m; bare numbers km], ``inclination`` [rad].

    ``apogee`` defaults to ``perigee`` (circular); ``inclination`` defaults to the launch latitude
    (due-east launch).
    """

    model_config = _STRICT

    perigee: Altitude
    apogee: Altitude | None = None
    inclination: Inclination | None = None

    @model_validator(mode="after")
    def _apogee_above_perigee(self) -> "OrbitTargetSpec":
        if self.apogee is not None and self.apogee < self.perigee:
            raise PydanticCustomError("orbit", "apogee must be at or above perigee", {})
        return self

    def to_target(self):
        """This figure's orbit as the one :class:`~jointmission.vehicles.targets.Target` type (SI)."""
        from .targets import Target

        return Target.orbit(self.perigee, self.apogee, self.inclination)


class C3TargetSpec(BaseModel):
    """Escape target: ``c3`` [m^2/s^2; bare numbers km2/s2], optional ``inclination`` [rad] of the
    parking orbit and ``parking_altitude`` [m; bare numbers km] (default 185 km)."""

    model_config = _STRICT

    c3: C3
    inclination: Inclination | None = None
    parking_altitude: Altitude | None = None

    def to_target(self):
        """This figure's escape energy as the one :class:`~jointmission.vehicles.targets.Target` type
        (SI; no ``parking_altitude``: the default parking orbit)."""
        from .targets import Target

        return Target.c3(self.c3, self.parking_altitude, self.inclination)


def _target_ref(value: Any, handler: Callable[[Any], Any]) -> "OrbitTargetSpec | C3TargetSpec":
    """Dispatch on the ``c3`` key: a C3 target if present, an orbit target otherwise."""
    if isinstance(value, (OrbitTargetSpec, C3TargetSpec)):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "target",
            "target must be a mapping, either (perigee, apogee, inclination) or (c3, inclination), got {kind}",
            {"kind": type(value).__name__},
        )
    if "c3" in value:
        return handler(value)
    return OrbitTargetSpec.model_validate(value)


TargetRef = Annotated[C3TargetSpec, WrapValidator(_target_ref), PlainSerializer(lambda v: v.model_dump(), return_type=Any)]


class PublishedPerformance(BaseModel):
    """A published payload figure: ``target``, ``payload`` [kg], what it means, and where it is from."""

    model_config = _STRICT

    target: TargetRef
    payload: Mass
    definition: str = ""
    source: str = Field(min_length=1)
    kind: Literal["validation", "calibration", "floor", "ceiling"] = "validation"
    """How the figure is used: ``validation`` (two-sided check), ``calibration`` (a number of the
    entry was fitted to it, so it cannot validate), ``floor`` (a stated or demonstrated lower bound),
    ``ceiling`` (a provider's maximum that cannot hold together with the NASA Launch Services Program
    curve of the same vehicle under one set of stage data: the curve wins, the figure is an upper
    bound; see ``docs/validation.md``)."""
    notes: str | None = None


# --------------------------------------------------------------------------------------------------
# Vehicle
# --------------------------------------------------------------------------------------------------


class VehicleSpec(BaseModel):
    """A launch vehicle: serial ``stages`` (bottom first), optional ``boosters``, jettisoned masses,
    launch site and published performance. See the module docstring for units."""

    model_config = _STRICT

    name: str = Field(min_length=1)
    country: str | None = None
    description: str | None = None
    launch_site: LaunchSiteSpec
    sources: TextList = Field(default_factory=list)
    boosters: BoosterSpec | None = None
    stages: list[StageSpec] = Field(min_length=1, max_length=MAX_STAGES)
    fairing: FairingSpec | None = None
    other_jettisoned: list[JettisonSpec] = Field(default_factory=list)
    top_stage: TopStageSpec | None = None
    published_performance: list[PublishedPerformance] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "VehicleSpec":
        n = len(self.stages)
        items: list[tuple[str, int]] = []
        if self.fairing is not None:
            items.append(("fairing.jettison_after_stage", self.fairing.jettison_after_stage))
        items += [
            (f"other_jettisoned[{i}].jettison_after_stage", j.jettison_after_stage)
            for i, j in enumerate(self.other_jettisoned)
        ]
        for where, idx in items:
            if idx >= n:
                raise PydanticCustomError(
                    "vehicle",
                    "{where} is {idx} but the vehicle has {n} stage(s): use a 0-based index from 0 to {last}",
                    {"where": where, "idx": idx, "n": n, "last": n - 1},
                )
        if self.stages[-1].recovery is not None:
            raise PydanticCustomError(
                "vehicle", "stages[{i}].recovery: the top stage is not recovered by this model; remove it",
                {"i": n - 1})
        for i, st in enumerate(self.stages[1:], start=1):
            if st.throttle_during_boosters is not None:
                raise PydanticCustomError(
                    "vehicle",
                    "stages[{i}].throttle_during_boosters: only stages[0] burns beside the boosters; remove it",
                    {"i": i},
                )
        # one engine per name: every stage or booster flying an engine flies the same one
        seen: dict[str, tuple[str, EngineSpec]] = {}
        holders = [(f"stages[{i}]", st.engine) for i, st in enumerate(self.stages)]
        if self.boosters is not None:
            holders.append(("boosters", self.boosters.engine))
        for where, eng in holders:
            if not isinstance(eng, EngineSpec):
                continue
            first = seen.setdefault(eng.name.casefold(), (where, eng))
            if first[1] != eng:
                raise PydanticCustomError(
                    "vehicle",
                    "{where}.engine and {other}.engine are both named '{name}' but differ: an engine is one "
                    "object shared by every stage that flies it; give the variant its own name",
                    {"where": where, "other": first[0], "name": eng.name},
                )
        return self
