"""Recovery of a booster or core stage: the propellant it keeps for its own burns after separation.

A stage that is flown back (a Falcon booster returning to the launch site, a core landing on a drone
ship) cannot burn its whole load on ascent. After separation it flies its own burns -- boost-back
(return to launch site only), entry and landing -- and the propellant for them rides up with it and
leaves with it at separation. Its landing hardware (legs, grid fins) adds to its dry mass.

The reserve is sized by the rocket equation on the stage's own burnout mass, from a **delta-v budget**
of those burns (:class:`Recovery`): with ``m_land`` the mass that touches down (dry mass including the
hardware and the unusable residuals), the boost-back and entry burns flown high in the atmosphere at
the vacuum exhaust velocity ``c_vac`` and the landing burn at the sea-level one ``c_sl``,

    m_sep = m_land exp(dv_landing / c_sl) exp((dv_boostback + dv_entry) / c_vac)

and the reserve ``m_sep - m_land`` (:func:`recovery_reserve`) moves from the stage's ascent propellant
to its burnout mass (:func:`jointmission.vehicles.arrays.build_vehicle_arrays`). The payload solver then
flies the stage with what is left: the stage separates lighter-loaded and slower, and carries the
reserve and the hardware to separation. The budget of each recovered element and its sources are in
its catalog entry (``recovery:`` of a stage or of the boosters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Recovery", "recovery_reserve"]


@dataclass(frozen=True)
class Recovery:
    """The burns a recovered stage flies after separation and the hardware it carries, SI.

    Attributes
    ----------
    mode : str
        ``rtls`` (return to launch site: boost-back, entry, landing) or ``droneship`` (landing down
        range: entry and landing).
    boostback, entry, landing : float
        Delta-v of each burn [m/s] (boost-back 0 for a drone-ship landing).
    hardware : float
        Landing legs, grid fins and their systems added to the stage's dry mass [kg].
    """

    mode: str = "droneship"
    boostback: float = 0.0
    entry: float = 0.0
    landing: float = 0.0
    hardware: float = 0.0

    @property
    def dv_high(self) -> float:
        """Delta-v of the burns flown high in the atmosphere (boost-back + entry) [m/s]."""
        return self.boostback + self.entry

    @property
    def dv_total(self) -> float:
        """The whole recovery budget [m/s]."""
        return self.boostback + self.entry + self.landing


def recovery_reserve(m_land_kg: ArrayLike, dv_high_m_s: ArrayLike, dv_landing_m_s: ArrayLike,
                     c_vac_m_s: ArrayLike, c_sl_m_s: ArrayLike) -> NDArray[np.float64]:
    """Propellant [kg] a stage of touch-down mass ``m_land_kg`` [kg] keeps for boost-back + entry
    burns of ``dv_high_m_s`` [m/s] at exhaust velocity ``c_vac_m_s`` [m/s] and a landing burn of
    ``dv_landing_m_s`` [m/s] at ``c_sl_m_s`` [m/s] (the rocket equation, burns in that order).
    Zero where both budgets are zero; broadcasts."""
    m = np.asarray(m_land_kg, dtype=float)
    ratio = np.exp(np.asarray(dv_landing_m_s, dtype=float) / np.asarray(c_sl_m_s, dtype=float)
                   + np.asarray(dv_high_m_s, dtype=float) / np.asarray(c_vac_m_s, dtype=float))
    return m * (ratio - 1.0)
