"""Mass of a Mars aeroshell as a function of the arrival speed (a published heat-load scaling).

A fixed heat-shield fraction makes a 5.5 km/s arrival as cheap as a 3.5 km/s one. Here the
heat-shield mass fraction follows the integrated heat load the aeroshell absorbs:

1. **Speed at the entry interface** from the arrival excess speed (energy, patched conic):
   ``v_e = sqrt(v_inf^2 + 2 GM_Mars / (R_Mars + h_EI))`` with ``h_EI`` = :data:`ENTRY_INTERFACE_ALT_M`.
2. **Heat load vs speed.** For a ballistic entry in an exponential atmosphere (Allen & Eggers,
   NACA Report 1381, 1958: ``V = V_e exp(-rho H / (2 beta sin gamma))``) with the Sutton-Graves
   stagnation-point convective heating ``q = k sqrt(rho / r_n) V^3`` (Sutton & Graves, NASA TR
   R-376, 1971; ``k`` = 1.9027e-4 kg^0.5/m for the Mars CO2 atmosphere), the integral of ``q`` over
   the entry is closed-form: ``Q = k V_e^2 sqrt(pi H beta / (r_n sin gamma))`` -- the heat load
   grows as the square of the entry speed at fixed vehicle (beta, r_n) and flight-path angle.
   :func:`stagnation_heat_load` gives it; tests integrate the trajectory numerically as a check.
3. **Heat-shield mass fraction vs heat load:** the fit of flown entry probes by Laub & Venkatapathy,
   "Thermal protection system technology and facility needs for demanding future planetary
   missions", Proc. Int. Workshop on Planetary Probe Atmospheric Entry and Descent Trajectory
   Analysis and Science, ESA SP-544 (2004), pp. 239-247: heat-shield mass fraction [%] =
   ``0.091 Q^0.51575`` with ``Q`` the total heat load [J/cm^2]
   (:func:`laub_venkatapathy_fraction`).

Together, at a fixed vehicle and corridor: ``f(v_inf) = f_ref (v_e / v_e,ref)^(2 x 0.51575)``
(:func:`heatshield_fraction`). The reference is the mission data's aerocapture fraction (15 %,
``missions.yaml``) at :data:`REFERENCE_VINF_M_S`, the arrival speed with which the DRA 5.0 cargo
lander check (40 t landed from 114 t) was calibrated; so the model is unchanged there and scales
with the physics away from it.

Limits: convective heating only (radiative heating of CO2 grows faster above ~7 km/s entry speed,
so the fraction is optimistic there); the V^2 law drops gravity and curvature: a numerical entry
gives an exponent of 2.04 at a 20-degree entry and 2.18 at 14 degrees (tests/validation/
test_entry_scaling.py), so for shallow entries the fraction is a few per cent low at 7 km/s; aerocapture exits the atmosphere after the pass, and the
model charges it the full-entry heat load (conservative). Entry from orbit after a capture does
not depend on the arrival speed and keeps its fraction.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..constants import GM_MARS, R_MARS

__all__ = [
    "ENTRY_INTERFACE_ALT_M",
    "SUTTON_GRAVES_K_MARS",
    "LV_COEFF",
    "LV_EXPONENT",
    "REFERENCE_VINF_M_S",
    "entry_speed",
    "stagnation_heat_load",
    "laub_venkatapathy_fraction",
    "heatshield_fraction",
]

ENTRY_INTERFACE_ALT_M = 125e3
"""Mars entry interface [m above the equatorial radius]: ASSUMED 125 km, the altitude at which the
Mars landers' entry states are quoted (MSL: 3,522.2 km radius, Braun & Manning, J. Spacecr.
Rockets 44(2), 2007; not re-read)."""

SUTTON_GRAVES_K_MARS = 1.9027e-4
"""Sutton-Graves stagnation-point heating constant for Mars (CO2/N2) [kg^0.5/m]: ``q [W/m^2] = k
sqrt(rho / r_n) V^3`` (Sutton & Graves, NASA TR R-376, 1971)."""

LV_COEFF = 0.091
"""Laub & Venkatapathy (ESA SP-544, 2004) fit: heat-shield mass fraction [%] = 0.091 Q^0.51575, Q in J/cm^2."""

LV_EXPONENT = 0.51575
"""Exponent of the Laub & Venkatapathy heat-shield mass fraction fit [-]."""

REFERENCE_VINF_M_S = 4000.0
"""Arrival excess speed [m/s] at which the mission data's aerocapture fraction holds (the DRA 5.0
cargo check of tests/validation/test_mars_cargo.py is made there). ASSUMED."""


def entry_speed(vinf_m_s: Any, interface_alt_m: Any = ENTRY_INTERFACE_ALT_M) -> np.ndarray:
    """Inertial speed [m/s] at the Mars entry interface ``interface_alt_m`` [m] of a hyperbolic
    approach with excess speed ``vinf_m_s`` [m/s] (energy equation)."""
    v = np.asarray(vinf_m_s, dtype=float)
    return np.sqrt(v * v + 2.0 * GM_MARS / (R_MARS + np.asarray(interface_alt_m, dtype=float)))


def stagnation_heat_load(entry_speed_m_s: Any, ballistic_coeff_kg_m2: Any, nose_radius_m: Any,
                         flight_path_deg: Any, scale_height_m: Any = 11.1e3,
                         k: float = SUTTON_GRAVES_K_MARS) -> np.ndarray:
    """Stagnation-point convective heat load [J/m^2] of a ballistic entry (Allen-Eggers velocity
    history x Sutton-Graves heating): ``k V_e^2 sqrt(pi H beta / (r_n sin gamma))`` with entry
    speed [m/s], ballistic coefficient ``beta`` [kg/m^2], nose radius ``r_n`` [m], entry
    flight-path angle [deg below the horizon, > 0] and atmospheric scale height ``H`` [m] (11.1 km
    for Mars, NASA Mars fact sheet)."""
    v = np.asarray(entry_speed_m_s, dtype=float)
    s = np.sin(np.radians(np.asarray(flight_path_deg, dtype=float)))
    return k * v * v * np.sqrt(np.pi * np.asarray(scale_height_m, dtype=float) * np.asarray(ballistic_coeff_kg_m2, dtype=float)
                               / (np.asarray(nose_radius_m, dtype=float) * s))


def laub_venkatapathy_fraction(heat_load_j_cm2: Any) -> np.ndarray:
    """Heat-shield mass fraction [-] of the entry mass for a total heat load [J/cm^2] (Laub &
    Venkatapathy 2004 fit of flown probes: 0.091 Q^0.51575 percent)."""
    return LV_COEFF * np.asarray(heat_load_j_cm2, dtype=float) ** LV_EXPONENT / 100.0


def heatshield_fraction(vinf_m_s: Any, reference_fraction: Any,
                        reference_vinf_m_s: Any = REFERENCE_VINF_M_S) -> np.ndarray:
    """Heat-shield mass fraction [-] for an arrival excess speed ``vinf_m_s`` [m/s], scaled from
    ``reference_fraction`` at ``reference_vinf_m_s`` [m/s] at a fixed vehicle and corridor:
    ``f_ref (v_e / v_e,ref)^(2 x 0.51575)`` (heat load ~ V_e^2, fraction ~ Q^0.51575). Broadcasts."""
    ratio = entry_speed(vinf_m_s) / entry_speed(reference_vinf_m_s)
    return np.asarray(reference_fraction, dtype=float) * ratio ** (2.0 * LV_EXPONENT)
