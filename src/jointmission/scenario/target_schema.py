"""The scenario document without its optional sections: name, vehicle, launch site, targets, outputs.

:class:`TargetsDoc` is the part of the scenario schema that a scenario of targets alone needs (the
``jointmission payload`` command's document, a plain targets file); its models are built when this
module is imported. :class:`jointmission.scenario.schema.ScenarioDoc` adds the ``sweep``,
``transfer``, ``mission`` and ``programme`` sections, whose models (and the packages they validate
against) are imported only when a document has one of them. Quantities are read as in
:mod:`jointmission.scenario.schema` (SI floats: m, rad, m^2/s^2).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ._base import (
    DEFAULT_PARKING_ALT_M,
    C3,
    Declination,
    EarthOrbitAltitude,
    Inclination,
    Latitude,
    NonEmptyStr,
    _Strict,
    _err,
)
from ..constants import GM_EARTH, R_EARTH
from ..vehicles.top_load import TOP_LOAD_MIN, TopLoadError, parse_top_load
from ..vehicles.targets import Target

__all__ = ["LaunchSiteSpec", "OrbitSpec", "ParkingSpec", "TargetSpec", "OutputsSpec", "TargetsDoc", "MAX_TARGETS",
           "SECTIONS"]


class LaunchSiteSpec(_Strict):
    """``launch_site: {latitude: "19.6 deg", name?: "Wenchang"}`` -- overrides the vehicle's site;
    or a site of the launch-site catalog by name (``launch_site: Vostochny``, or ``{name: Vostochny}``
    without a latitude), whose latitude it takes (:mod:`jointmission.vehicles.launch_sites`)."""

    latitude: Latitude
    name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _catalog_name(cls, data: Any) -> Any:
        if isinstance(data, str) or (isinstance(data, dict) and "latitude" not in data and "name" in data):
            from ..vehicles.launch_sites import LaunchSiteError

            from ._base import launch_site_dict

            try:
                return launch_site_dict(data)
            except LaunchSiteError as exc:
                raise _err(None if isinstance(data, str) else "name", str(exc)) from None
        return data

    @model_validator(mode="after")
    def _name_fits_latitude(self) -> "LaunchSiteSpec":  # a catalog site's name at its own latitude
        from ..vehicles.launch_sites import LaunchSiteError, check_site_latitude

        try:
            check_site_latitude(self.name, math.degrees(self.latitude))
        except LaunchSiteError as exc:
            raise _err("name", str(exc)) from None
        return self


class OrbitSpec(_Strict):
    """An Earth-orbit target: ``{perigee, apogee?, inclination?}`` or ``{altitude, inclination?}``.

    Altitudes are stored in m above the equatorial radius, the inclination in rad (``None``: the
    vehicle's default, normally due east from the launch site).
    """

    perigee: EarthOrbitAltitude | None = None
    apogee: EarthOrbitAltitude | None = None
    altitude: EarthOrbitAltitude | None = None
    inclination: Inclination | None = None

    @model_validator(mode="after")
    def _shape(self) -> OrbitSpec:
        if self.altitude is not None and (self.perigee is not None or self.apogee is not None):
            raise _err("altitude", "give either 'altitude' (circular orbit) or 'perigee' (and 'apogee'), not both")
        if self.altitude is None and self.perigee is None:
            if self.apogee is not None:
                raise _err("perigee", "an orbit with 'apogee' needs a 'perigee' too")
            raise _err("perigee", "an orbit needs 'altitude' (circular) or 'perigee' (and optional 'apogee')")
        if self.apogee is not None and self.perigee is not None and self.apogee < self.perigee:
            raise _err(
                "apogee",
                f"apogee ({self.apogee / 1e3:g} km) is below perigee ({self.perigee / 1e3:g} km); "
                "swap them",
            )
        return self

    @property
    def perigee_m(self) -> float:
        """Perigee altitude [m]."""
        return float(self.altitude if self.altitude is not None else self.perigee)

    @property
    def apogee_m(self) -> float:
        """Apogee altitude [m] (equal to the perigee for a circular orbit)."""
        if self.altitude is not None:
            return float(self.altitude)
        return float(self.apogee if self.apogee is not None else self.perigee)


class ParkingSpec(_Strict):
    """Parking orbit of a C3 (escape) target: circular ``altitude`` [m], ``inclination`` [rad]."""

    altitude: EarthOrbitAltitude = DEFAULT_PARKING_ALT_M
    inclination: Inclination | None = None


def _top_load(value: Any) -> float | str:
    """``top_load``: ``optimal``, or the loaded fraction of the top stage's burnable propellant (a bare
    number such as 0.6, or '60 %') in [:data:`~jointmission.vehicles.top_load.TOP_LOAD_MIN`, 1]
    (:func:`~jointmission.vehicles.top_load.parse_top_load`)."""
    want = (f"'optimal' or the loaded fraction of the top stage's propellant, from {TOP_LOAD_MIN:g} to 1 "
            "(e.g. 0.6 or '60 %')")
    try:
        return parse_top_load(value)
    except TopLoadError as exc:
        if exc.value is None or not math.isfinite(exc.value):
            raise _err(None, f"expected {want}, got {value!r}") from None
        raise _err(None, f"{value!r} is outside {TOP_LOAD_MIN:g}..1 (a top stage holds at most its full load; "
                         f"below {TOP_LOAD_MIN:g} it hardly burns); give {want}") from None


TopLoad = Annotated[float | str, BeforeValidator(_top_load)]
"""A target's top-stage load: a fraction [-] in [TOP_LOAD_MIN, 1] or ``"optimal"``."""


class TargetSpec(_Strict):
    """One target: ``{name, orbit: {...}}`` or ``{name, c3: "-2 km2/s2", parking?: {...}, dla?: "28 deg"}``
    (``dla``: declination of the departure asymptote; the parking orbit is inclined at least ``|dla|``);
    either kind may add ``top_load: optimal`` or a fraction (an offloaded top stage)."""

    name: NonEmptyStr
    orbit: OrbitSpec | None = None
    c3: C3 | None = None
    parking: ParkingSpec | None = None
    dla: Declination | None = None
    top_load: TopLoad | None = None
    """Loaded fraction of the top stage's burnable propellant for this target [-], or ``"optimal"``
    (the load that maximises the payload); ``None``: the full load."""

    @model_validator(mode="after")
    def _one_kind(self) -> TargetSpec:
        if self.orbit is not None and self.c3 is not None:
            raise _err("c3", "a target has either 'orbit' or 'c3', not both; split it into two targets")
        if self.orbit is None and self.c3 is None:
            raise _err(None, "a target needs 'orbit: {perigee: ..., apogee: ...}' or 'c3: <km2/s2>'")
        if self.parking is not None and self.c3 is None:
            raise _err("parking", "'parking' only applies to a 'c3' target")
        if self.dla is not None and self.c3 is None:
            raise _err("dla", "'dla' (declination of the departure asymptote) only applies to a 'c3' target")
        inc = self.parking.inclination if self.parking is not None else None
        if self.dla is not None and inc is not None and min(inc, math.pi - inc) < abs(self.dla) - 1e-12:
            raise _err("dla", f"a parking orbit inclined {math.degrees(inc):g} deg cannot hold a departure asymptote "
                              f"of declination {math.degrees(self.dla):g} deg: give a parking inclination of at least "
                              f"|dla| = {abs(math.degrees(self.dla)):g} deg, or drop it (the inclination then "
                              "follows the launch site and the DLA)")
        if self.c3 is not None:
            park = self.parking.altitude if self.parking is not None else DEFAULT_PARKING_ALT_M
            floor = -GM_EARTH / (R_EARTH + park)  # C3 of the circular parking orbit itself
            if self.c3 < floor:
                raise _err("c3", f"C3 {self.c3 / 1e6:.6g} km2/s2 is below the energy of its {park / 1e3:g} km "
                                 f"circular parking orbit ({floor / 1e6:.4g} km2/s2 = -GM/r): such a target is "
                                 "not reached by a burn from that parking orbit; give a C3 of at least "
                                 f"{math.ceil(floor / 1e5) / 10:g} km2/s2, or describe the orbit with 'orbit:'")
        return self

    @property
    def kind(self) -> Literal["orbit", "c3"]:
        """``"orbit"`` or ``"c3"``."""
        return "orbit" if self.orbit is not None else "c3"

    def to_target(self) -> Target:
        """This entry as the one target type, :class:`jointmission.vehicles.targets.Target` (SI;
        a C3 target without ``parking`` flies from :data:`DEFAULT_PARKING_ALT_M`)."""
        if self.orbit is not None:
            return Target.orbit(self.orbit.perigee_m, self.orbit.apogee_m, self.orbit.inclination, name=self.name)
        park = self.parking if self.parking is not None else ParkingSpec()
        return Target.c3(float(self.c3), park.altitude, park.inclination, name=self.name,
                         dla_rad=None if self.dla is None else float(self.dla))


MAX_TARGETS = 100
"""Most targets one scenario may list (bounded work: each is a full ascent solve)."""


class OutputsSpec(_Strict):
    """``outputs: {formats: [parquet, csv, json]}`` -- which result tables a run writes."""

    formats: list[Literal["parquet", "csv", "json"]] = Field(default_factory=lambda: ["parquet", "csv"])


SECTIONS = ("sweep", "transfer", "mission", "programme")
"""The optional sections of a scenario document that :class:`TargetsDoc` does not hold."""


class TargetsDoc(_Strict):
    """The scenario document without its optional sections (:data:`SECTIONS`): what a scenario of
    targets alone is validated with. :class:`jointmission.scenario.schema.ScenarioDoc` is this plus
    the sections. ``vehicle`` is checked by the loader (catalog/file/inline forms)."""

    name: NonEmptyStr
    description: str | None = None
    vehicle: Any
    launch_site: LaunchSiteSpec | None = None
    targets: list[TargetSpec] = Field(default_factory=list)
    outputs: OutputsSpec = Field(default_factory=OutputsSpec)

    @field_validator("targets", mode="before")
    @classmethod
    def _few_targets(cls, value: Any) -> Any:
        if isinstance(value, list) and len(value) > MAX_TARGETS:
            raise _err(None, f"{len(value):,} targets; a scenario holds at most {MAX_TARGETS} (each is a full "
                             "ascent solve); split them over several scenarios, or sweep a parameter with a "
                             "'sweep:' section")
        return value

    @model_validator(mode="after")
    def _unique_targets(self) -> TargetsDoc:
        if not self.targets and getattr(self, "transfer", None) is None and getattr(self, "mission", None) is None:
            raise _err("targets", "required key 'targets' is missing (or empty): give a list of targets "
                                  "(orbits / C3 values), or a 'transfer:' or 'mission:' section")
        seen: dict[str, int] = {}
        for i, t in enumerate(self.targets):
            if t.name in seen:
                raise PydanticCustomError(
                    "scenario_rule", "{text}",
                    {"text": f"target name '{t.name}' is used twice (also targets[{seen[t.name]}]); "
                             "names must be unique", "jm_path": ("targets", i, "name")},
                )
            seen[t.name] = i
            if t.top_load is not None and getattr(self, "sweep", None) is not None:
                raise PydanticCustomError(
                    "scenario_rule", "{text}",
                    {"text": "'top_load' is not available in a scenario with a 'sweep:' section (a sweep's "
                             "payloads come from a fitted loss model of the fully loaded vehicle); drop "
                             "top_load here, or run the target without the sweep", "jm_path": ("targets", i, "top_load")},
                )
        return self
