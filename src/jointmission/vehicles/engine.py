"""Rocket engine domain object (SI attributes), built from a validated :class:`EngineSpec`, and
the engine formulas on arrays (:func:`engine_arrays`) that every vehicle -> arrays path uses.

An :class:`Engine` is one object shared by every stage and booster that flies it (see
:class:`jointmission.vehicles.vehicle.LaunchVehicle`): a change to it changes every use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..constants import G0
from .fields import engine_consistent
from .spec import EngineSpec

__all__ = ["Engine", "EngineArrays", "engine_arrays", "P_SEA_LEVEL"]


class EngineArrays(NamedTuple):
    """One engine's derived quantities (arrays broadcast over cases).

    Attributes
    ----------
    thrust_vac : vacuum thrust [N].
    isp_vac : vacuum Isp [s].
    thrust_sea : sea-level thrust [N] (see :attr:`Engine.sea_level_thrust`).
    p_area : ``p0 A_e``, the thrust lost at sea-level ambient pressure [N].
    consistent : sea-level Isp / thrust not above vacuum (:func:`~.fields.engine_consistent`).
    """

    thrust_vac: np.ndarray
    isp_vac: np.ndarray
    thrust_sea: np.ndarray
    p_area: np.ndarray
    consistent: np.ndarray


def engine_arrays(thrust_vac, isp_vac, thrust_sl, isp_sl) -> EngineArrays:
    """Sea-level thrust and ``p0 A_e`` of an engine from its data (NaN where a sea-level value is
    not given) [N, s]; broadcasts. The one place these formulas are written.

    - Sea-level thrust: ``thrust_sl`` if given, else ``mdot g0 isp_sl`` with the vacuum mass flow
      ``mdot = F_vac / (g0 Isp_vac)``, else ``thrust_vac`` (a vacuum engine, not lit at sea level).
    - ``p0 A_e = F_vac (1 - Isp_sl / Isp_vac)`` when ``isp_sl`` is known (consistent with the
      vacuum mass flow), else ``F_vac - F_sl``, else 0.
    """
    f_vac, isp, f_sl, i_sl = (np.asarray(x, dtype=float) for x in (thrust_vac, isp_vac, thrust_sl, isp_sl))
    has_fsl, has_isl = ~np.isnan(f_sl), ~np.isnan(i_sl)
    with np.errstate(divide="ignore", invalid="ignore"):
        mdot = f_vac / (G0 * isp)
        f_sea = np.where(has_fsl, f_sl, np.where(has_isl, mdot * G0 * i_sl, f_vac))
        p_area = np.where(has_isl, f_vac * (1.0 - i_sl / isp), np.where(has_fsl, f_vac - f_sl, 0.0))
    return EngineArrays(f_vac, isp, f_sea, p_area, engine_consistent(isp, i_sl, f_vac, f_sl))


def _nan(x: float | None) -> float:
    return math.nan if x is None else float(x)

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
        Engine dry mass [kg]. Stage dry masses include their engines; when a trade changes an engine
        or an engine count, the stage's dry mass changes by the engine mass difference.
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
        return float(self.arrays().thrust_sea)

    @property
    def pressure_thrust_loss(self) -> float:
        """Thrust lost to ambient back-pressure at sea level, ``p0 A_e = F_vac - F_sl`` [N].

        Taken from the Isp ratio when ``isp_sl`` is known (``F_vac (1 - Isp_sl/Isp_vac)``, which is
        consistent with the vacuum mass flow), else from ``thrust_sl``; 0 for vacuum-only engines.
        At ambient pressure ``p`` the thrust is ``F_vac - (p/p0) p0 A_e``.
        """
        return float(self.arrays().p_area)

    def arrays(self) -> EngineArrays:
        """This engine's :class:`EngineArrays` (0-d), from :func:`engine_arrays`."""
        return engine_arrays(self.thrust_vac, self.isp_vac, _nan(self.thrust_sl), _nan(self.isp_sl))

    @property
    def has_sea_level_data(self) -> bool:
        """True if sea-level thrust or Isp is known (the engine can be lit at lift-off)."""
        return self.thrust_sl is not None or self.isp_sl is not None
