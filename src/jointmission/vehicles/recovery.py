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

The return-to-launch-site burns follow from the state at separation (:func:`rtls_burns`): after a flip
the stage burns back at a constant pitch until its vacuum-ballistic impact point lies just beyond the
landing site (the least delta-v over the pitch), falls to the entry-burn altitude and brakes there to
the speed at which Falcon 9 boosters end their entry burns. The profile's constants
(:class:`ReturnProfile`) are the flown ones of Falcon 9 (:data:`FALCON9_RTLS`); from the separation
states of five Falcon 9 return-to-launch-site flights the boost-back + entry comes within -4.3 to +6.6 %
of the flown burns (``tests/validation/test_recovery_budget.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import GM_EARTH, R_EARTH

__all__ = ["Recovery", "recovery_reserve", "ReturnProfile", "FALCON9_RTLS", "ReturnBurns", "rtls_burns",
           "entry_burn"]


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


@dataclass(frozen=True)
class ReturnProfile:
    """How a booster flies back to its launch site after separation, SI (the flown constants of a vehicle family).

    Attributes
    ----------
    flip_s : float
        Coast from separation to the start of the boost-back burn (the flip) [s].
    accel_m_s2 : float
        Thrust acceleration of the boost-back and entry burns [m/s^2] (constant over the burn).
    impact_beyond_site_m : float
        The boost-back ends when the vacuum-ballistic impact point lies this far beyond the landing
        site [m] (drag in the descent then shortens the flight to the site).
    entry_altitude_m : float
        Altitude at which the entry burn starts [m].
    entry_end_speed_m_s : float
        Earth-relative speed at which the entry burn ends [m/s].
    """

    flip_s: float
    accel_m_s2: float
    impact_beyond_site_m: float
    entry_altitude_m: float
    entry_end_speed_m_s: float


FALCON9_RTLS = ReturnProfile(flip_s=14.5, accel_m_s2=35.1, impact_beyond_site_m=7.7e3, entry_altitude_m=53.3e3,
                             entry_end_speed_m_s=774.0)
"""Falcon 9 return to launch site as flown: the medians of six webcast-telemetry records (NROL-76, SAOCOM 1A,
CRS-11, CRS-12, X-37B OTV-5, Zuma; shahar603/Telemetry-Data, ``<flight>/JSON/stage1 raw.json`` and
``events.json``): separation (MECO + 2 s) to boost-back start 12-17 s (median 14.5 s); boost-back
acceleration (burn delta-v over its duration) 24-39 m/s^2 (median 35.1 m/s^2); vacuum impact point after
the boost-back 2-20 km beyond the site (median 7.7 km); entry burn from 49-66 km (median 53.3 km) down to
590-960 m/s (median 774 m/s). The reduction is described in ``tests/validation/test_recovery_budget.py``."""


@dataclass(frozen=True)
class ReturnBurns:
    """The return-to-launch-site burns of :func:`rtls_burns`, SI.

    Attributes
    ----------
    boostback : float
        Boost-back delta-v [m/s] (the least over the burn's pitch).
    pitch_deg : float
        Pitch of the boost-back thrust above the horizontal, pointing back to the site [deg].
    return_speed : float
        Horizontal speed towards the site after the boost-back [m/s].
    entry_start_speed : float
        Speed at the entry-burn altitude [m/s].
    entry : float
        Entry-burn delta-v [m/s] (:func:`entry_burn`).
    """

    boostback: float
    pitch_deg: float
    return_speed: float
    entry_start_speed: float
    entry: float


def entry_burn(start_speed_m_s: float, end_speed_m_s: float, sin_descent: float, accel_m_s2: float,
               g_m_s2: float = 9.7) -> float:
    """Delta-v [m/s] of a retrograde burn at thrust acceleration ``accel_m_s2`` [m/s^2] that slows a stage
    falling at ``sin_descent`` (sine of its flight-path angle below the horizontal) from
    ``start_speed_m_s`` to ``end_speed_m_s`` [m/s] against gravity ``g_m_s2`` [m/s^2] (drag neglected: it
    is below 0.5 m/s^2 where entry burns start). 0 when the stage arrives slower than the end speed."""
    dspeed = max(start_speed_m_s - end_speed_m_s, 0.0)
    net = accel_m_s2 - g_m_s2 * sin_descent
    if net <= 0.0:
        raise ValueError(f"entry burn: thrust acceleration {accel_m_s2} m/s^2 cannot brake against gravity")
    return accel_m_s2 * dspeed / net


def _g(h_m: float) -> float:
    return GM_EARTH / (R_EARTH + h_m) ** 2


def rtls_burns(downrange_m: float, altitude_m: float, speed_m_s: float, flight_path_deg: float,
               profile: ReturnProfile = FALCON9_RTLS) -> ReturnBurns:
    """Boost-back and entry burns [m/s] of a booster separating ``downrange_m`` [m] from its landing site
    at ``altitude_m`` [m] with Earth-relative ``speed_m_s`` [m/s] climbing at ``flight_path_deg`` [deg].

    Planar flight over a flat Earth with gravity at the mean altitude of the return (curvature and
    rotation change the flown burns by under 1 %). After ``profile.flip_s`` of coast the stage burns
    at constant thrust acceleration and pitch ``theta`` above the horizontal (thrust pointing back) until
    its vacuum-ballistic impact point is ``profile.impact_beyond_site_m`` beyond the site; ``theta`` is
    chosen for the least delta-v (a booster separating slowly upwards spends part of the burn buying
    time). It then falls ballistically to ``profile.entry_altitude_m`` and brakes to
    ``profile.entry_end_speed_m_s`` (:func:`entry_burn`)."""
    from scipy.optimize import brentq, minimize_scalar  # scipy only here: a payload answer does not load it

    gam = math.radians(flight_path_deg)
    u0, w0 = speed_m_s * math.cos(gam), speed_m_s * math.sin(gam)
    gf = _g(altitude_m + 30e3)
    a, tf = profile.accel_m_s2, profile.flip_s
    x1, h1, w1 = downrange_m + u0 * tf, altitude_m + w0 * tf - 0.5 * gf * tf**2, w0 - gf * tf
    x_ip = -profile.impact_beyond_site_m

    def after(dv: float, th: float) -> tuple[float, float, float, float]:
        t = dv / a
        ax, ay = -a * math.cos(th), a * math.sin(th) - gf
        return x1 + u0 * t + 0.5 * ax * t**2, h1 + w1 * t + 0.5 * ay * t**2, u0 + ax * t, w1 + ay * t

    def miss(dv: float, th: float) -> float:
        x2, h2, u2, w2 = after(dv, th)
        if h2 <= 0.0:
            return math.nan
        return x2 + u2 * (w2 + math.sqrt(w2**2 + 2.0 * gf * h2)) / gf - x_ip

    def dv_at(th: float) -> float:
        grid = np.linspace(1.0, 8000.0, 400)
        f = [miss(d, th) for d in grid]
        for i in range(len(grid) - 1):
            if f[i] > 0.0 >= f[i + 1]:  # nan compares False: a burn that ends below ground is no root
                return float(brentq(miss, grid[i], grid[i + 1], args=(th,), xtol=1e-3))
        return math.inf

    def burns(th: float) -> tuple[float, float, float, float]:
        bb = dv_at(th)
        if not math.isfinite(bb):
            return math.inf, math.inf, math.nan, math.nan
        _, h2, u2, w2 = after(bb, th)
        he = min(profile.entry_altitude_m, h2)
        w_e = -math.sqrt(w2**2 + 2.0 * gf * (h2 - he))
        v_e = math.hypot(u2, w_e)
        return bb, entry_burn(v_e, profile.entry_end_speed_m_s, -w_e / v_e, a, _g(he)), -u2, v_e

    best = minimize_scalar(lambda th: sum(burns(th)[:2]), bounds=(-0.6, 1.2), method="bounded",
                           options={"xatol": 1e-4})
    bb, entry, u_ret, v_e = burns(float(best.x))
    if not math.isfinite(bb):
        raise ValueError("rtls_burns: no boost-back brings this booster back to its site")
    return ReturnBurns(boostback=bb, pitch_deg=math.degrees(float(best.x)), return_speed=u_ret,
                       entry_start_speed=v_e, entry=entry)
