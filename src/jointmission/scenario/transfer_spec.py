"""The ``transfer:`` section of a scenario: an interplanetary launch window to evaluate.

::

    transfer:
      from: earth
      to: mars
      depart: 2031-01-01:2031-05-15        # or {start: 2031-01-01, end: 2031-05-15}
      arrive: 2031-07-01:2032-03-31        # optional; default: depart + tof range
      tof: [120 d, 450 d]                  # optional allowed time of flight
      step: 2 d                            # grid step before refinement (default 2 d)
      parking: {altitude: 200 km}          # circular parking orbit at departure (default 185 km)
      capture: {periapsis: 300 km, apoapsis: 33000 km}   # capture orbit (apoapsis optional)
      objective: c3                        # c3 | vinf_arrive | dv_total | dv_depart
      payload: true                        # add the optimum C3 of each type as vehicle targets

A run computes the porkchop grid, its Type I and Type II optima, and (with ``payload: true``)
the vehicle's payload to each optimum's C3 from a parking orbit inclined at least at the
departure asymptote's declination (a launch site cannot reach a |DLA| above the parking orbit's
inclination without a plane change).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..interplanetary.ephemeris import DE421_FIRST_JD, DE421_LAST_JD, EphemerisError, to_jd_tdb
from ..interplanetary.transfers import PLANETS
from ..interplanetary.windows import WINDOW_PATTERN
from ._base import DEFAULT_PARKING_ALT_M, Altitude, EarthOrbitAltitude, _err, _Strict, parse_field, suggest

__all__ = ["TransferSpec", "WindowSpec", "TransferParkingSpec", "CaptureSpec", "DEFAULT_TRANSFER_STEP_DAYS",
           "check_target_names"]

DEFAULT_TRANSFER_STEP_DAYS = 2.0


def _date_text(value: Any) -> str:
    """A date as ISO text, checked readable; PydanticCustomError otherwise."""
    if isinstance(value, _dt.datetime | _dt.date):
        value = value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("date", "{text}", {"text": f"must be a date such as '2031-01-15', got {value!r}"})
    try:
        jd = float(to_jd_tdb(value.strip()))
    except EphemerisError:
        raise PydanticCustomError("date", "{text}", {"text": f"must be a date such as '2031-01-15', got '{value}'"}) from None
    if not DE421_FIRST_JD + 1 <= jd <= DE421_LAST_JD - 1:
        raise PydanticCustomError("date", "{text}", {"text": f"'{value}' is outside the DE421 ephemeris "
                                                             "(1899-07-30 to 2053-10-08); choose a date inside it"})
    return value.strip()


DateText = Annotated[str, BeforeValidator(_date_text)]

#: Names of the targets a ``transfer:`` section adds (runners/transfer.py), e.g. ``Mars 2031 Type II (min C3)``.
GENERATED_NAME = re.compile(r"^(Venus|Earth|Mars) \d{4} Type (I|II) \(min .*\)$")


def check_target_names(spec: TransferSpec | None, data: dict, ctx: Any) -> None:
    """Refuse a ``targets`` name that the transfer section's own targets (``payload: true``) may take:
    two rows or result columns with one name would be ambiguous (a sweep cannot even store them)."""
    if spec is None or not spec.payload:
        return
    for i, t in enumerate(data.get("targets") or []):
        name = t.get("name") if isinstance(t, dict) else None
        if isinstance(name, str) and GENERATED_NAME.match(name):
            raise ctx.fail(("targets", i, "name"),
                           f"target name '{name}' is reserved for the targets the 'transfer:' section adds "
                           "(its Type I / Type II optima); rename this target")


class WindowSpec(_Strict):
    """A date window ``{start, end}`` (UTC calendar dates); also written ``"START:END"``."""

    start: DateText
    end: DateText

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            m = WINDOW_PATTERN.match(data)
            if not m:
                raise PydanticCustomError(
                    "window", "{text}",
                    {"text": f"must be a date window such as '2031-01-01:2031-05-15' or "
                             f"{{start: 2031-01-01, end: 2031-05-15}}, got '{data}'"})
            return {"start": m.group(1), "end": m.group(2)}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> WindowSpec:
        if float(to_jd_tdb(self.end)) < float(to_jd_tdb(self.start)):
            raise _err("end", f"the window ends ({self.end}) before it starts ({self.start}); swap them")
        return self

    def as_tuple(self) -> tuple[str, str]:
        """``(start, end)`` as ISO text."""
        return (self.start, self.end)


class TransferParkingSpec(_Strict):
    """Circular parking orbit at departure: ``{altitude}`` [m]."""

    altitude: EarthOrbitAltitude = DEFAULT_PARKING_ALT_M


class CaptureSpec(_Strict):
    """Capture orbit at arrival: ``{periapsis, apoapsis?}`` altitudes [m]; circular without apoapsis."""

    periapsis: Altitude = 300e3
    apoapsis: Altitude | None = None

    @model_validator(mode="after")
    def _order(self) -> CaptureSpec:
        if self.apoapsis is not None and self.apoapsis < self.periapsis:
            raise _err("apoapsis", f"apoapsis ({self.apoapsis / 1e3:g} km) is below periapsis "
                                   f"({self.periapsis / 1e3:g} km); swap them")
        return self


def _days(value: Any) -> float:
    """A positive time [d] (registry kind ``time_step_d``; bare number in d)."""
    return parse_field(value, "time_step_d") / 86400.0


Days = Annotated[float, BeforeValidator(_days)]


class TransferSpec(_Strict):
    """The ``transfer:`` section (see the module docstring). Times are stored in days."""

    origin: str = Field(alias="from")
    target: str = Field(alias="to")
    depart: WindowSpec
    arrive: WindowSpec | None = None
    tof: Annotated[list[Days], Field(min_length=2, max_length=2)] | None = None
    step: Days = DEFAULT_TRANSFER_STEP_DAYS
    parking: TransferParkingSpec = Field(default_factory=TransferParkingSpec)
    capture: CaptureSpec = Field(default_factory=CaptureSpec)
    objective: Literal["c3", "vinf_arrive", "dv_total", "dv_depart"] = "c3"  # transfers.OBJECTIVES
    payload: bool = True

    @field_validator("origin", "target", mode="before")
    @classmethod
    def _planet(cls, value: Any) -> str:
        key = str(value).strip().lower() if isinstance(value, str) else value
        if key not in PLANETS:
            raise PydanticCustomError(
                "planet", "{text}",
                {"text": f"must be one of {', '.join(PLANETS)}, got {value!r}"
                         + (suggest(str(value), list(PLANETS)) if isinstance(value, str) else "")})
        return key

    @model_validator(mode="after")
    def _checks(self) -> TransferSpec:
        if self.origin == self.target:
            raise _err("to", f"'from' and 'to' are both '{self.origin}'")
        if self.tof is not None and not self.tof[0] < self.tof[1]:
            raise _err("tof", f"tof must be [min, max] with min < max, got {self.tof[0]:g} d, {self.tof[1]:g} d")
        if not self.step <= 60.0:
            raise _err("step", f"step must be at most 60 d (got {self.step:g} d); a window is sampled on this grid")
        if self.arrive is not None:
            d0 = float(to_jd_tdb(self.depart.start))
            a1 = float(to_jd_tdb(self.arrive.end))
            if a1 <= d0:
                raise _err("arrive", "the arrival window ends before the departure window starts")
        from ..interplanetary.transfers import orbit_outside_soi

        bad = orbit_outside_soi(self.origin, self.target, self.parking.altitude, self.capture.periapsis,
                                self.capture.apoapsis)
        if bad is not None:
            path = ("transfer", "parking", "altitude") if bad[0] == "park" else ("transfer", "capture", bad[0])
            raise PydanticCustomError("scenario_rule", "{text}", {"text": bad[1], "jm_path": path})
        self._check_grid()
        return self

    def _check_grid(self) -> None:
        """The grid a run computes must lie inside DE421 and have a bounded size (refused here, at the
        field to change, rather than half-way through a run)."""
        from ..interplanetary.transfers import TransferError, arrival_window, check_grid_size, date_grid

        field = "step"
        try:
            jd_dep = date_grid(self.depart.as_tuple(), self.step)
            if self.arrive is not None:
                jd_arr = date_grid(self.arrive.as_tuple(), self.step)
            else:
                field = "tof" if self.tof is not None else "depart"
                jd_arr, _ = arrival_window(self.origin, self.target, jd_dep, self.tof_days, self.step)
                field = "step"
            check_grid_size(jd_dep.size, jd_arr.size)
        except TransferError as exc:
            raise _err(field, str(exc)) from None

    @property
    def tof_days(self) -> tuple[float, float] | None:
        """Allowed time of flight [d], or ``None``."""
        return None if self.tof is None else (float(self.tof[0]), float(self.tof[1]))

    def resolved(self) -> dict[str, Any]:
        """Plain data with explicit units, for ``scenario.resolved.yaml``."""
        out: dict[str, Any] = {"from": self.origin, "to": self.target,
                               "depart": {"start": self.depart.start, "end": self.depart.end}}
        if self.arrive is not None:
            out["arrive"] = {"start": self.arrive.start, "end": self.arrive.end}
        if self.tof is not None:
            out["tof"] = [f"{self.tof[0]:.12g} d", f"{self.tof[1]:.12g} d"]
        out["step"] = f"{self.step:.12g} d"
        out["parking"] = {"altitude": f"{self.parking.altitude / 1e3:.12g} km"}
        cap: dict[str, Any] = {"periapsis": f"{self.capture.periapsis / 1e3:.12g} km"}
        if self.capture.apoapsis is not None:
            cap["apoapsis"] = f"{self.capture.apoapsis / 1e3:.12g} km"
        out["capture"] = cap
        out["objective"] = self.objective
        out["payload"] = self.payload
        return out
