"""Validated input of published performance figures: the target of a figure (an orbit or an escape
energy) and :class:`PublishedPerformance`, the ``published_performance`` entries of a catalog vehicle.

Fields are converted to SI as in :mod:`jointmission.vehicles.spec` (bare altitudes in km, C3 in
km2/s2, inclinations in deg, masses in kg).
"""

from __future__ import annotations

from typing import Annotated, Any, Callable, Literal

from pydantic import BaseModel, Field, PlainSerializer, WrapValidator, model_validator
from pydantic_core import PydanticCustomError

from .spec_types import _STRICT, C3, Altitude, Inclination, Mass

__all__ = ["OrbitTargetSpec", "C3TargetSpec", "PublishedPerformance"]


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
