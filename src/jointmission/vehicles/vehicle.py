"""Launch-vehicle domain objects: :class:`Stage`, :class:`Boosters`, :class:`LaunchVehicle`.

Built from validated specs (:class:`~jointmission.vehicles.spec.VehicleSpec`), SI attributes only.
An :class:`~.engine.Engine` is one object shared by every stage and booster that flies it
(:attr:`LaunchVehicle.engines`). The array form of :mod:`jointmission.core.rocket` comes from the one
builder, :mod:`jointmission.vehicles.arrays` (:meth:`LaunchVehicle.to_stack` and the other array
methods delegate to it).

Which Isp and thrust go into the rocket equation
------------------------------------------------
Every phase uses the **vacuum** thrust and Isp. The propellant mass flow ``F_vac / (g0 Isp_vac)`` does
not depend on ambient pressure, so burn times and phase masses are exact; what the atmosphere takes
away is the pressure thrust ``p_a(h) A_e``, which :mod:`jointmission.core.ascent` counts as a separate
*back-pressure loss* ``int p_a A_e / m dt`` along the modelled ascent (``p0 A_e = F_vac - F_sl`` from
:attr:`Engine.pressure_thrust_loss`). This keeps the stack independent of the trajectory (no
"trajectory-averaged Isp" to guess per vehicle) and puts every atmospheric effect in one place, the
loss model, where it scales with the trajectory and is visible in the loss breakdown.

Spent strap-on boosters drop at their burnout, or at a later ``jettison_time`` (s after lift-off): then
core stage 0 carries their burnout mass until that time, a drop during its burn like the fairing's below.

Jettisoned masses (fairing, escape tower, interstages) are dropped either at a stage's burnout
(``jettison_after_stage``, 0-based: added to that stage's dry mass) or at a time into a stage's burn
(``jettison_in_stage`` and ``jettison_time``, as flight timelines state it: a fairing leaves when the
free-molecular heating has fallen below the payload's limit, typically 1135 W/m^2, which happens
during the second-stage burn or late in a core stage's burn). A drop during a burn splits that stage
into two segments of the rocket equation, the first burning the propellant used until the drop
(:func:`jointmission.vehicles.arrays.build_vehicle_arrays`); results are still reported per stage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import G0
from ..core.rocket import Stack, burn_times
from .arrays import VehicleArrays, vehicle_arrays
from .engine import Engine
from .fields import FIELDS
from .jettison import booster_drop_message, burn_window, drop_time_message
from .recovery import Recovery
from .spec import EngineSpec, VehicleSpec
from .target_spec import PublishedPerformance
from .top_stage import CLASS_DEFAULTS, TopStage, propellant_class

__all__ = ["Stage", "Boosters", "Jettison", "LaunchVehicle"]


def _recovery(spec: Any) -> Recovery | None:
    """:class:`Recovery` of a :class:`~.spec.RecoverySpec` (None stays None)."""
    if spec is None:
        return None
    return Recovery(mode=spec.mode, boostback=spec.boostback, entry=spec.entry, landing=spec.landing,
                    hardware=spec.hardware)


@dataclass(frozen=True)
class Stage:
    """A serial core stage, SI units.

    Attributes
    ----------
    name : str
    engine : Engine
    engine_count : int
    m_prop : float
        Usable propellant [kg].
    m_dry : float
        Burnout mass of the stage itself [kg] (structure, engines, residuals), excluding jettisons.
    throttle_during_boosters : float
        Thrust fraction while boosters burn [-] (stage 0 only; 1 otherwise).
    residuals : float
        Unusable fraction of ``m_prop`` left at burnout [-] (dropped with the stage; for the top stage
        :attr:`LaunchVehicle.top_stage` holds it instead).
    recovery : Recovery or None
        The stage is flown back after separation (:mod:`~.recovery`); None = expended.
    """

    name: str
    engine: Engine
    engine_count: int
    m_prop: float
    m_dry: float
    throttle_during_boosters: float = 1.0
    residuals: float = 0.0
    recovery: Recovery | None = None

    def __post_init__(self) -> None:
        _check_counts(self, ("engine_count",))

    @property
    def thrust_vac(self) -> float:
        """Total vacuum thrust [N]."""
        return self.engine_count * self.engine.thrust_vac

    @property
    def thrust_sl(self) -> float:
        """Total sea-level thrust [N] (see :attr:`Engine.sea_level_thrust`)."""
        return self.engine_count * self.engine.sea_level_thrust

    @property
    def isp_vac(self) -> float:
        """Vacuum Isp [s]."""
        return self.engine.isp_vac

    @property
    def mass_flow(self) -> float:
        """Propellant mass flow at full throttle [kg/s]."""
        return self.engine_count * self.engine.mass_flow

    @property
    def pressure_thrust_loss(self) -> float:
        """``p0 A_e`` summed over the engines [N]: thrust lost at sea-level ambient pressure."""
        return self.engine_count * self.engine.pressure_thrust_loss

    @property
    def burn_time(self) -> float:
        """Full-throttle burn time [s], ``m_prop / mdot``."""
        return self.m_prop / self.mass_flow


def _check_counts(obj: Any, names: tuple[str, ...]) -> None:
    """Refuse a count outside its physical range (:data:`~.fields.FIELDS`), also for objects built
    directly in Python rather than from a validated spec."""
    for n in names:
        kind = FIELDS[n]
        if not kind.ok(getattr(obj, n)):
            raise ValueError(f"{type(obj).__name__}.{n} must be {kind.range_text()}, got {getattr(obj, n)!r}")


@dataclass(frozen=True)
class Boosters:
    """Identical strap-on boosters. ``m_prop`` / ``m_dry`` are **per booster** [kg], as in the spec;
    :attr:`m_prop_total` / :attr:`m_dry_total` are the totals over all boosters."""

    count: int
    engine: Engine
    engines_per_booster: int
    m_prop: float
    m_dry: float
    name: str = "boosters"
    residuals: float = 0.0
    """Unusable fraction of each booster's ``m_prop`` left at burnout [-]."""
    recovery: Recovery | None = None
    """Each booster is flown back after separation (:mod:`~.recovery`); None = expended."""
    jettison_time: float | None = None
    """Time [s] after lift-off at which the spent boosters drop; None: at their burnout. Until then core
    stage 0 carries their burnout mass (:func:`~.arrays.build_vehicle_arrays` splits its burn there)."""

    def __post_init__(self) -> None:
        _check_counts(self, ("count", "engines_per_booster"))

    @property
    def n_engines(self) -> int:
        """Total number of booster engines."""
        return self.count * self.engines_per_booster

    @property
    def m_prop_total(self) -> float:
        """Propellant of all boosters [kg]."""
        return self.count * self.m_prop

    @property
    def m_dry_total(self) -> float:
        """Dry mass of all boosters [kg]."""
        return self.count * self.m_dry

    @property
    def thrust_vac(self) -> float:
        """Total vacuum thrust of all boosters [N]."""
        return self.n_engines * self.engine.thrust_vac

    @property
    def thrust_sl(self) -> float:
        """Total sea-level thrust of all boosters [N]."""
        return self.n_engines * self.engine.sea_level_thrust

    @property
    def mass_flow(self) -> float:
        """Total propellant mass flow [kg/s]."""
        return self.n_engines * self.engine.mass_flow

    @property
    def pressure_thrust_loss(self) -> float:
        """``p0 A_e`` summed over all booster engines [N]."""
        return self.n_engines * self.engine.pressure_thrust_loss

    @property
    def burn_time(self) -> float:
        """Burn time [s]."""
        return self.m_prop_total / self.mass_flow


@dataclass(frozen=True)
class Jettison:
    """A mass [kg] dropped at the burnout of stage ``after_stage`` (0-based), or, with ``time`` [s]
    given, ``time`` after the ignition of stage ``after_stage`` (during its burn; stage 0 ignites at
    lift-off). ``path`` is where the mass lives in the vehicle spec (``("fairing", "mass")``,
    ``("other_jettisoned", k, "mass")``), the parameter path a sweep varies."""

    name: str
    mass: float
    after_stage: int
    path: tuple = ()
    time: float | None = None
    """None: dropped at the burnout of ``after_stage``; else seconds after its ignition."""


EngineResolver = Callable[[Any, str], Engine]
"""``resolve(ref, where) -> Engine``: turns an engine reference of a spec (a catalog name) into an
:class:`Engine`; ``where`` (``"stages[1]"``) is for messages. The one resolver is
:func:`jointmission.vehicles.catalog.resolve_engine` (``build_vehicle`` passes it)."""


@dataclass(frozen=True)
class LaunchVehicle:
    """A launch vehicle: serial core ``stages`` (bottom first), optional strap-on ``boosters``.

    Attributes
    ----------
    name : str
    stages : tuple of Stage
    boosters : Boosters or None
    jettisons : tuple of Jettison
        Fairing and other dropped items, each with its spec path.
    latitude_rad : float
        Launch-site geodetic latitude [rad].
    launch_site : str or None
    published : tuple of PublishedPerformance
        Published payload figures with their definitions and sources.
    sources : tuple of str
    top_stage : TopStage
        The top stage as flown (residuals, reserve, adapter, attitude control, coast losses). A
        vehicle built in Python without one flies a bare top stage (all zero); one built from a spec
        gets its propellant class's defaults for what the spec does not give.
    """

    name: str
    stages: tuple[Stage, ...]
    boosters: Boosters | None = None
    jettisons: tuple[Jettison, ...] = ()
    latitude_rad: float = 0.0
    launch_site: str | None = None
    country: str | None = None
    description: str | None = None
    published: tuple[PublishedPerformance, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str | None = field(default=None, repr=False)
    top_stage: TopStage = field(default_factory=TopStage)

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_spec(cls, spec: VehicleSpec, resolve: EngineResolver | None = None) -> "LaunchVehicle":
        """Build from a validated :class:`VehicleSpec`; every stage and booster flying an engine of
        the same name gets the same :class:`Engine` object.

        Parameters
        ----------
        spec : VehicleSpec
        resolve : callable, optional
            ``resolve(name, where) -> Engine`` for engine *names* in the spec. Inline engines need
            none; for a spec with catalog names use
            :func:`jointmission.vehicles.catalog.build_vehicle`, which passes the catalog's resolver.

        Raises
        ------
        ValueError
            For an engine name without a ``resolve``; the resolver's error for an unknown name.
        """
        shared: dict[str, Engine] = {}

        def engine(ref: Any, where: str) -> Engine:
            if isinstance(ref, Engine):
                e = ref
            elif isinstance(ref, EngineSpec):
                e = Engine.from_spec(ref)
            elif resolve is None:
                raise ValueError(f"{where}.engine: the engine name {ref!r} needs a catalog; build the vehicle "
                                 "with jointmission.vehicles.build_vehicle(spec)")
            else:
                e = resolve(ref, where)
            return shared.setdefault(e.name, e)

        stages = []
        for i, st in enumerate(spec.stages):
            stages.append(
                Stage(
                    name=st.name,
                    engine=engine(st.engine, f"stages[{i}]"),
                    engine_count=st.engine_count,
                    m_prop=st.m_prop,
                    m_dry=st.m_dry,
                    throttle_during_boosters=(
                        st.throttle_during_boosters if st.throttle_during_boosters is not None else 1.0
                    ),
                    recovery=_recovery(st.recovery),
                )
            )
        boosters = None
        if spec.boosters is not None:
            b = spec.boosters
            boosters = Boosters(
                count=b.count,
                engine=engine(b.engine, "boosters"),
                engines_per_booster=b.engines_per_booster,
                m_prop=b.m_prop,
                m_dry=b.m_dry,
                name=b.name or "boosters",
                recovery=_recovery(b.recovery),
                jettison_time=b.jettison_time,
            )
        def dropped(name: str, j: Any, path: tuple) -> Jettison:
            if j.jettison_after_stage is not None:
                return Jettison(name, j.mass, j.jettison_after_stage, path)
            return Jettison(name, j.mass, j.jettison_in_stage, path, time=j.jettison_time)

        jettisons = []
        if spec.fairing is not None:
            jettisons.append(dropped("fairing", spec.fairing, ("fairing", "mass")))
        jettisons += [dropped(j.name, j, ("other_jettisoned", k, "mass")) for k, j in enumerate(spec.other_jettisoned)]
        for j in jettisons:  # a drop during a burn must fall inside it
            if j.time is not None:
                st = stages[j.after_stage]
                t_b = boosters.m_prop_total / boosters.mass_flow if (boosters and j.after_stage == 0) else 0.0
                lo, hi = burn_window(st.m_prop, st.mass_flow, t_b, st.throttle_during_boosters if t_b else 1.0)
                if not lo < j.time < hi:
                    where = "fairing" if j.path[0] == "fairing" else f"other_jettisoned[{j.path[1]}]"
                    raise ValueError(drop_time_message(where, j.after_stage, j.time, lo, hi))
        if boosters is not None and boosters.jettison_time is not None:  # after their burnout, before stage 0's
            st = stages[0]
            lo, hi = burn_window(st.m_prop, st.mass_flow, boosters.burn_time, st.throttle_during_boosters)
            if not lo < boosters.jettison_time < hi:
                raise ValueError(booster_drop_message(boosters.jettison_time, lo, hi))
        def residual(given: float | None, eng: Engine) -> float:
            if given is not None:
                return float(given)
            try:
                return CLASS_DEFAULTS[propellant_class(eng.propellants)].residuals
            except ValueError:
                return CLASS_DEFAULTS["storable"].residuals

        stages = [dataclasses.replace(s, residuals=residual(st.residuals, s.engine))
                  for s, st in zip(stages, spec.stages)]
        if boosters is not None:
            boosters = dataclasses.replace(boosters, residuals=residual(spec.boosters.residuals, boosters.engine))
        ts = spec.top_stage
        top = stages[-1]
        if ts is not None and ts.propellants is not None:
            cls_name = ts.propellants
        else:
            try:
                cls_name = propellant_class(top.engine.propellants)
            except ValueError:  # an inline engine naming no propellants: no boil-off assumed
                cls_name = "storable"
        given = {} if ts is None else {f: getattr(ts, f) for f in (
            "residuals", "flight_performance_reserve", "payload_adapter", "attitude_control_propellant",
            "restart_propellant", "boiloff_per_hour", "coast_time")}
        if given.get("residuals") is None and spec.stages[-1].residuals is not None:
            given["residuals"] = spec.stages[-1].residuals
        return cls(
            top_stage=TopStage.for_class(cls_name, top.m_prop, top.mass_flow, **given),
            name=spec.name,
            stages=tuple(stages),
            boosters=boosters,
            jettisons=tuple(jettisons),
            latitude_rad=spec.launch_site.latitude,
            launch_site=spec.launch_site.name,
            country=spec.country,
            description=spec.description,
            published=tuple(spec.published_performance),
            sources=tuple(spec.sources),
            notes=spec.notes,
        )

    # -- engines and masses ------------------------------------------------------------------
    @property
    def engines(self) -> dict[str, Engine]:
        """The vehicle's engines by name, each once (core stages bottom first, then the boosters'):
        the objects the stages and boosters share."""
        out: dict[str, Engine] = {}
        for e in [s.engine for s in self.stages] + ([self.boosters.engine] if self.boosters else []):
            out.setdefault(e.name, e)
        return out

    @property
    def n_stages(self) -> int:
        """Number of serial core stages."""
        return len(self.stages)

    @property
    def phase_names(self) -> tuple[str, ...]:
        """Names of the ``n + 1`` flight phases of :mod:`jointmission.core.rocket` (phase 0 is the
        booster phase, phase k >= 1 core stage k-1)."""
        first = f"{self.boosters.name} + {self.stages[0].name}" if self.boosters else "boosters (none)"
        return (first,) + tuple(s.name for s in self.stages)

    def jettisoned_after(self, k: int) -> float:
        """Mass [kg] of fairing and other items dropped at the burnout of stage ``k``."""
        return float(sum(j.mass for j in self.jettisons if j.after_stage == k and j.time is None))

    def jettisoned_during(self, k: int) -> float:
        """Mass [kg] of fairing and other items dropped during the burn of stage ``k`` (at a time)."""
        return float(sum(j.mass for j in self.jettisons if j.after_stage == k and j.time is not None))

    def liftoff_mass(self, payload_kg: ArrayLike = 0.0) -> NDArray[np.float64]:
        """Gross lift-off mass [kg] with ``payload_kg`` [kg] (broadcasts)."""
        return self.to_stack().liftoff_mass(payload_kg)

    def arrays(self) -> VehicleArrays:
        """The vehicle as :class:`~jointmission.vehicles.arrays.VehicleArrays` (0-d case shape),
        from the one builder :func:`jointmission.vehicles.arrays.vehicle_arrays`."""
        return vehicle_arrays(self)

    def liftoff_thrust(self) -> float:
        """Sea-level thrust at lift-off [N]: boosters plus core stage 0 at its booster-phase throttle."""
        return float(self.arrays().liftoff_thrust)

    def liftoff_thrust_to_weight(self, payload_kg: ArrayLike = 0.0) -> NDArray[np.float64]:
        """Lift-off thrust-to-weight ratio [-] (sea-level thrust over ``g0`` times lift-off mass)."""
        return self.liftoff_thrust() / (G0 * self.liftoff_mass(payload_kg))

    # -- array forms (all from the one builder, vehicles/arrays.py) -------------------------
    def to_stack(self) -> Stack:
        """The vehicle as a :class:`jointmission.core.rocket.Stack` of SI arrays: vacuum thrust and
        Isp for every stage and the boosters (the atmospheric back-pressure is a loss term of
        :mod:`jointmission.core.ascent`; see the module docstring); jettisoned masses are added to the
        dry mass of the stage after which they drop."""
        return self.arrays().stack

    def phase_thrust_vac(self) -> np.ndarray:
        """Vacuum thrust of each flight phase [N], shape ``(n + 1,)`` (phase 0: boosters + throttled
        core; 0 without boosters)."""
        return self.arrays().phase_thrust

    def phase_pressure_loss(self) -> np.ndarray:
        """``p0 A_e`` of the engines burning in each phase [N], shape ``(n + 1,)`` (the nozzle exit
        area does not change with throttle, so phase 0 counts the whole core stage)."""
        return self.arrays().phase_p_area

    def stage_table(self, payload_kg: float = 0.0) -> list[dict[str, Any]]:
        """Rows for display, boosters first: name, engine, engine count, thrust (SL/vac) [kN],
        Isp (SL/vac) [s], propellant and dry mass [t], jettisoned mass [t], burn time [s].

        Column names carry their units. Burn times are the actual ones: stage 0 burns at its booster
        throttle while the boosters burn.
        """
        t = self.arrays().per_stage(burn_times(self.to_stack()))
        rows = []
        if self.boosters is not None:
            b = self.boosters
            rows.append(
                dict(
                    stage=b.name,
                    engine=b.engine.name,
                    count=b.n_engines,
                    thrust_sl_kN=b.thrust_sl / 1e3,
                    thrust_vac_kN=b.thrust_vac / 1e3,
                    isp_sl_s=b.engine.isp_sl,
                    isp_vac_s=b.engine.isp_vac,
                    m_prop_t=b.m_prop_total / 1e3,
                    m_dry_t=b.m_dry_total / 1e3,
                    jettison_t=0.0,
                    burn_time_s=float(t[0]),
                )
            )
        for k, s in enumerate(self.stages):
            rows.append(
                dict(
                    stage=s.name,
                    engine=s.engine.name,
                    count=s.engine_count,
                    thrust_sl_kN=s.thrust_sl / 1e3 if s.engine.has_sea_level_data else None,
                    thrust_vac_kN=s.thrust_vac / 1e3,
                    isp_sl_s=s.engine.isp_sl,
                    isp_vac_s=s.isp_vac,
                    m_prop_t=s.m_prop / 1e3,
                    m_dry_t=s.m_dry / 1e3,
                    jettison_t=(self.jettisoned_after(k) + self.jettisoned_during(k)) / 1e3,
                    burn_time_s=float(t[0] + t[1]) if k == 0 else float(t[k + 1]),
                )
            )
        return rows
