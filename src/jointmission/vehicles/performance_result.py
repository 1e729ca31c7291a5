"""The answer of a payload solve (:class:`PerformanceResult`) and its status codes
(:data:`PerformanceStatus`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.status import Status

__all__ = ["PerformanceStatus", "PerformanceResult"]


PerformanceStatus = Status
"""Status of a performance case: the one scheme of :mod:`jointmission.core.status` (the payload
codes plus ``LIFTOFF_TW_BELOW_ONE``, ``INVALID_TARGET``, ``TRAJECTORY_INFEASIBLE``)."""


@dataclass(frozen=True)
class PerformanceResult:
    """Payload and delta-v budget per case (all arrays of the broadcast case shape, m/s unless noted).

    Attributes
    ----------
    payload_kg : payload [kg] (NaN unless ``status == OK``); for
        :func:`mass_in_orbit_with_top_stage`, the total mass in orbit.
    status : int8 :class:`PerformanceStatus` codes.
    dv_required : ideal delta-v the vehicle provides [m/s] (sum of the budget, times
        ``1 + reserve_fraction``).
    dv_orbit : insertion speed (perigee speed; parking circular speed for C3 targets).
    dv_rotation : Earth-rotation benefit (subtracted; negative = penalty, dog-legs).
    dv_gravity, dv_drag, dv_steering, dv_back_pressure : ascent losses.
    dv_departure : escape burn from the parking orbit (0 for orbit targets).
    dv_finite_burn : finite-arc loss of the apsis / departure burn.
    dv_dogleg : yaw-steering cost of a dog-leg when the inclination is below the launch latitude.
    dv_phases : ideal delta-v of each flight phase with this payload, shape (..., n+1) (a stage that
        drops its fairing during its burn: both segments together).
    phase_names : names of the flight phases.
    liftoff_tw : lift-off thrust-to-weight ratio with this payload [-].
    kick_deg : pitch-over angle chosen by the ascent model [deg].
    level_frac : fraction of the top stage's ascent burn flown level at the insertion altitude,
        chosen by the ascent model [-] (0: the guided climb profile runs to burnout).
    iterations : payload/loss iterations taken.
    v_separation, h_separation, gamma_separation_deg : Earth-relative speed [m/s], altitude [m] and
        flight-path angle [deg] where guidance starts: booster separation on a vehicle with boosters
        (the state a recovered booster flies back from, :func:`~.recovery.rtls_burns`), else first-stage
        burnout or the end of high dynamic pressure.
    top_load : fraction of the top stage's burnable propellant loaded for this answer [-] (1: the full
        load; chosen per case by default, ``top_load="optimal"``, see :func:`payload_to_orbit`).
    loft_m_s : loft of the trajectory shape chosen by the ascent model [m/s] (with ``kick_deg`` and
        ``level_frac``, the shape of :func:`jointmission.core.ascent.ascent_losses`).
    top_steering : the top stage's steering of that shape (0: the guided profile, 1: explicit).
    """

    payload_kg: np.ndarray
    status: np.ndarray
    dv_required: np.ndarray
    dv_orbit: np.ndarray
    dv_rotation: np.ndarray
    dv_gravity: np.ndarray
    dv_drag: np.ndarray
    dv_steering: np.ndarray
    dv_back_pressure: np.ndarray
    dv_departure: np.ndarray
    dv_finite_burn: np.ndarray
    dv_dogleg: np.ndarray
    dv_phases: np.ndarray
    phase_names: tuple[str, ...]
    liftoff_tw: np.ndarray
    kick_deg: np.ndarray
    iterations: int
    level_frac: np.ndarray | None = None
    v_separation: np.ndarray | None = None
    h_separation: np.ndarray | None = None
    gamma_separation_deg: np.ndarray | None = None
    top_load: np.ndarray | None = None
    loft_m_s: np.ndarray | None = None
    top_steering: np.ndarray | None = None

    @property
    def dv_losses(self) -> np.ndarray:
        """Sum of the four ascent losses [m/s]."""
        return self.dv_gravity + self.dv_drag + self.dv_steering + self.dv_back_pressure

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of cases with ``status == OK``."""
        return self.status == PerformanceStatus.OK
