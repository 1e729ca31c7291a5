"""Validated input schema of engines and launch vehicles (catalog YAML and user scenario files).

The models mirror the catalog files ``vehicles/data/engines.yaml`` and ``vehicles.yaml`` key for key
(no aliases), so a pydantic error ``loc`` such as ``("stages", 1, "m_dry")`` is also the YAML path of
the offending value. Physical fields accept a number (in the field's default unit, listed below) or a
string with a unit (``"120 t"``, ``"7904 kN"``, ``"311 s"``, ``"28.5 deg"``); they are converted once,
with :func:`jointmission.units.to_si`, and stored as SI floats.
The field types are defined in :mod:`jointmission.vehicles.spec_types`, the published performance
figures and their targets (:class:`PublishedPerformance`, :class:`OrbitTargetSpec`,
:class:`C3TargetSpec`) in :mod:`jointmission.vehicles.target_spec`; all are importable from here.

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
time (jettison_time)      s            s
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
    Field,
    PlainSerializer,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..constants import G0
from .fields import MAX_STAGES, engine_consistent
from .jettison import booster_drop_message, burn_window, drop_time_message

# the shared field types live in .spec_types and the published-performance models in .target_spec;
# the names are re-exported here, where the package and users import them from
from .spec_types import (  # noqa: F401  (re-exported)
    _STRICT,
    C3,
    Altitude,
    Duration,
    Count,
    Inclination,
    Isp,
    Latitude,
    Mass,
    MassNonneg,
    Speed,
    StageIndex,
    TextList,
    Throttle,
    Thrust,
    _top,
)
from .target_spec import C3TargetSpec, OrbitTargetSpec, PublishedPerformance, TargetRef  # noqa: F401

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
    engines each. ``jettison_time`` [s after lift-off] drops them after their burnout (default: at it).
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
    jettison_time: Duration | None = None
    """Time [s] after lift-off at which the spent boosters are jettisoned (bare numbers in s). Default
    (None): at their burnout. A later time keeps their burnout mass on core stage 0 from their burnout
    until then, as flight timelines state it (solids are often separated some seconds after burnout,
    once the dynamic pressure has fallen); it must fall after their burnout and before stage 0's."""
    sources: TextList = Field(default_factory=list)
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


def _one_jettison_event(item: "FairingSpec | JettisonSpec") -> None:
    """Exactly one way of saying when an item drops: at a stage's burnout (``jettison_after_stage``)
    or at a time into a stage's burn (``jettison_in_stage`` with ``jettison_time``)."""
    timed = item.jettison_in_stage is not None or item.jettison_time is not None
    if item.jettison_after_stage is not None and timed:
        raise PydanticCustomError(
            "jettison", "give either jettison_after_stage (dropped at that stage's burnout) or "
            "jettison_in_stage with jettison_time (dropped during that stage's burn), not both", {})
    if not timed and item.jettison_after_stage is None:
        raise PydanticCustomError(
            "jettison", "say when it drops: jettison_after_stage (a 0-based stage index such as 0, dropped at "
            "that stage's burnout) or jettison_in_stage with jettison_time (such as 1 and '32 s')", {})
    if timed and (item.jettison_in_stage is None or item.jettison_time is None):
        missing = "jettison_time (such as '32 s')" if item.jettison_time is None else "jettison_in_stage (such as 1)"
        raise PydanticCustomError(
            "jettison", "jettison_in_stage and jettison_time go together: add {missing}", {"missing": missing})


class FairingSpec(BaseModel):
    """Payload fairing: ``mass`` [kg], dropped either at the burnout of stage ``jettison_after_stage``
    (0-based) or ``jettison_time`` [s] after the ignition of stage ``jettison_in_stage`` (stage 0 ignites
    at lift-off), i.e. during that stage's burn, where flight timelines put it."""

    model_config = _STRICT

    mass: Mass
    jettison_after_stage: StageIndex | None = None
    jettison_in_stage: StageIndex | None = None
    jettison_time: Duration | None = None
    """Time [s] from the ignition of stage ``jettison_in_stage`` to the drop (bare numbers in s)."""
    sources: TextList = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _one_event(self) -> "FairingSpec":
        _one_jettison_event(self)
        return self


class JettisonSpec(BaseModel):
    """Another dropped item (escape tower, interstage, ...), like :class:`FairingSpec` with a name."""

    model_config = _STRICT

    name: str = Field(min_length=1)
    mass: Mass
    jettison_after_stage: StageIndex | None = None
    jettison_in_stage: StageIndex | None = None
    jettison_time: Duration | None = None
    sources: TextList = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _one_event(self) -> "JettisonSpec":
        _one_jettison_event(self)
        return self


class LaunchSiteSpec(BaseModel):
    """Launch site: ``latitude`` [rad after validation; bare numbers are degrees], or a site of the
    launch-site catalog by name (``launch_site: Baikonur``, or ``{name: Baikonur}`` without a
    latitude), whose name and latitude it takes (:func:`~jointmission.vehicles.launch_sites.site_mapping`).
    A catalog site's name with a latitude more than 0.5 deg from the catalog's is refused
    (:func:`~jointmission.vehicles.launch_sites.check_site_latitude`)."""

    model_config = _STRICT

    name: str | None = None
    latitude: Latitude
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _catalog_site(cls, data: Any) -> Any:
        from .launch_sites import LaunchSiteError, site_mapping

        if not isinstance(data, (dict, str, LaunchSiteSpec)):
            raise PydanticCustomError("launch_site", "a launch site is a catalog site's name (Baikonur, Wenchang, ...) or "
                                      "a mapping with its latitude, {name: ..., latitude: 45.9 deg}", {})
        try:
            return site_mapping(data)
        except LaunchSiteError as exc:
            raise PydanticCustomError("launch_site", str(exc), {}) from None

    @model_validator(mode="after")
    def _name_fits_latitude(self) -> "LaunchSiteSpec":
        from .launch_sites import LaunchSiteError, check_site_latitude

        try:
            check_site_latitude(self.name, math.degrees(self.latitude))
        except LaunchSiteError as exc:
            raise PydanticCustomError("launch_site", str(exc), {}) from None
        return self


class TopStageSpec(BaseModel):
    """The top stage as flown (:mod:`jointmission.vehicles.top_stage`): ``propellants`` class and the
    values that differ from that class's defaults. Fractions are of the top stage's loaded propellant
    (``"1 %"`` or ``0.01``); masses as elsewhere; ``boiloff_per_hour`` a fraction per hour;
    ``coast_time`` a duration (``"30 min"``; bare numbers in s here, in min in a scenario file)."""

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


def _mdot(engine: Any, count: int) -> float | None:
    """Propellant mass flow [kg/s] of ``count`` inline engines at full thrust (None for an engine name)."""
    return count * engine.thrust_vac / (G0 * engine.isp_vac) if isinstance(engine, EngineSpec) else None


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
        dropped = ([("fairing", self.fairing)] if self.fairing is not None else []) + [
            (f"other_jettisoned[{i}]", j) for i, j in enumerate(self.other_jettisoned)]
        for where, j in dropped:
            if j.jettison_after_stage is not None:
                items.append((f"{where}.jettison_after_stage", j.jettison_after_stage))
            else:
                items.append((f"{where}.jettison_in_stage", j.jettison_in_stage))
        for where, idx in items:
            if idx >= n:
                raise PydanticCustomError(
                    "vehicle",
                    "{where} is {idx} but the vehicle has {n} stage(s): use a 0-based index from 0 to {last}",
                    {"where": where, "idx": idx, "n": n, "last": n - 1},
                )
        for where, j in dropped:
            if j.jettison_time is not None and j.jettison_in_stage < n:
                self._check_drop_time(where, j.jettison_in_stage, j.jettison_time)
        if self.boosters is not None and self.boosters.jettison_time is not None:
            self._check_booster_drop(self.boosters.jettison_time)
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

    def _check_drop_time(self, where: str, k: int, t: float) -> None:
        """An item dropped ``t`` [s] into the burn of stage ``k`` must drop inside that burn (checked when
        the engines are given inline; with catalog engine names the vehicle builder checks it)."""
        st = self.stages[k]
        mdot = _mdot(st.engine, st.engine_count)
        t_b, tau = 0.0, 1.0
        if k == 0 and self.boosters is not None:
            b_mdot = _mdot(self.boosters.engine, self.boosters.count * self.boosters.engines_per_booster)
            if b_mdot is None:
                return
            t_b = self.boosters.count * self.boosters.m_prop / b_mdot
            tau = st.throttle_during_boosters if st.throttle_during_boosters is not None else 1.0
        if mdot is None:
            return
        lo, hi = burn_window(st.m_prop, mdot, t_b, tau)
        if not lo < t < hi:
            raise PydanticCustomError("vehicle", "{text}", {"text": drop_time_message(where, k, t, lo, hi)})

    def _check_booster_drop(self, t: float) -> None:
        """The boosters' ``jettison_time`` ``t`` [s after lift-off] must fall after their burnout and before
        the burnout of stage 0, which carries them until then (checked when the engines are given inline;
        with catalog engine names the vehicle builder checks it). The error names the field's own path."""
        b, st = self.boosters, self.stages[0]
        b_mdot = _mdot(b.engine, b.count * b.engines_per_booster)
        mdot = _mdot(st.engine, st.engine_count)
        if b_mdot is None or mdot is None:
            return
        t_b = b.count * b.m_prop / b_mdot
        tau = st.throttle_during_boosters if st.throttle_during_boosters is not None else 1.0
        lo, hi = burn_window(st.m_prop, mdot, t_b, tau)
        if not lo < t < hi:
            raise PydanticCustomError("vehicle", "{text}", {"text": booster_drop_message(t, lo, hi),
                                                            "jm_path": ("boosters", "jettison_time")})
