"""Rocket engine domain object (SI attributes), built from a validated :class:`EngineSpec`."""

from __future__ import annotations

from dataclasses import dataclass

from ..constants import G0
from .spec import EngineSpec

__all__ = ["Engine", "P_SEA_LEVEL"]

P_SEA_LEVEL: float = 101_325.0
"""Standard sea-level pressure [Pa] (ISO 2533 / US Standard Atmosphere 1976) at which ``thrust_sl``
and ``isp_sl`` are quoted."""


@dataclass(frozen=True)
class Engine:
    """One rocket engine, SI units.

    Attributes
    ----------
    name : str
    thrust_vac : float
        Vacuum thrust at full throttle [N].
    isp_vac : float
        Vacuum specific impulse [s].
    thrust_sl, isp_sl : float or None
        Sea-level thrust [N] and Isp [s]; None for vacuum-only (upper-stage) engines.
    mass : float or None
        Engine dry mass [kg] (informational; stage dry masses already include engines).
    min_throttle : float or None
        Minimum throttle fraction [-].
    sources : tuple of str
        Where the numbers come from.
    """

    name: str
    thrust_vac: float
    isp_vac: float
    thrust_sl: float | None = None
    isp_sl: float | None = None
    mass: float | None = None
    min_throttle: float | None = None
    propellants: str | None = None
    cycle: str | None = None
    country: str | None = None
    manufacturer: str | None = None
    sources: tuple[str, ...] = ()
    notes: str | None = None

    @classmethod
    def from_spec(cls, spec: EngineSpec) -> "Engine":
        """Build from a validated :class:`~jointmission.vehicles.spec.EngineSpec`."""
        props = spec.propellants
        if isinstance(props, list):
            props = "/".join(props)
        return cls(
            name=spec.name,
            thrust_vac=spec.thrust_vac,
            isp_vac=spec.isp_vac,
            thrust_sl=spec.thrust_sl,
            isp_sl=spec.isp_sl,
            mass=spec.mass,
            min_throttle=spec.min_throttle,
            propellants=props,
            cycle=spec.cycle,
            country=spec.country,
            manufacturer=spec.manufacturer,
            sources=tuple(spec.sources),
            notes=spec.notes,
        )

    @property
    def mass_flow(self) -> float:
        """Propellant mass flow at full throttle [kg/s], ``F_vac / (g0 Isp_vac)`` (independent of
        ambient pressure)."""
        return self.thrust_vac / (G0 * self.isp_vac)

    @property
    def sea_level_thrust(self) -> float:
        """Sea-level thrust [N]: ``thrust_sl`` if given, else ``mdot g0 isp_sl``, else ``thrust_vac``
        (a vacuum engine: the caller should not light it at sea level)."""
        if self.thrust_sl is not None:
            return self.thrust_sl
        if self.isp_sl is not None:
            return self.mass_flow * G0 * self.isp_sl
        return self.thrust_vac

    @property
    def pressure_thrust_loss(self) -> float:
        """Thrust lost to ambient back-pressure at sea level, ``p0 A_e = F_vac - F_sl`` [N].

        Taken from the Isp ratio when ``isp_sl`` is known (``F_vac (1 - Isp_sl/Isp_vac)``, which is
        consistent with the vacuum mass flow), else from ``thrust_sl``; 0 for vacuum-only engines.
        At ambient pressure ``p`` the thrust is ``F_vac - (p/p0) p0 A_e``.
        """
        if self.isp_sl is not None:
            return self.thrust_vac * (1.0 - self.isp_sl / self.isp_vac)
        if self.thrust_sl is not None:
            return self.thrust_vac - self.thrust_sl
        return 0.0

    @property
    def has_sea_level_data(self) -> bool:
        """True if sea-level thrust or Isp is known (the engine can be lit at lift-off)."""
        return self.thrust_sl is not None or self.isp_sl is not None
