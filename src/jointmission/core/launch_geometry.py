"""Launch geometry: Earth-rotation benefit for a launch azimuth, and dog-legs.

Launch azimuth from ``sin(Az) = cos(i) / cos(lat)``; the vehicle must supply the Earth-relative
velocity ``|v_c e_Az - v_E e_east|`` with ``v_E = omega R cos(lat)``, so the rotation benefit is
``v_c - sqrt(v_c^2 + v_E^2 - 2 v_c v_E sin(Az))`` (= ``v_E`` due east, a small penalty for polar and
retrograde orbits). If ``i < lat`` (or ``i > 180 deg - lat``) no azimuth reaches the orbit: the
vehicle launches due east (west) and turns its plane by :func:`dogleg_angle` with yaw steering, at
the cost :func:`dogleg_dv`. Details: ``docs/method-ascent.md`` §1. Speeds in m/s, angles in rad.
"""

from __future__ import annotations

import numpy as np

from ..constants import OMEGA_EARTH, R_EARTH
from .orbits import combined_plane_change

__all__ = ["rotation_benefit", "dogleg_angle", "dogleg_dv"]


def _inclination(lat, inclination_rad):
    """Inclination [rad] with ``None`` / NaN meaning due east from latitude ``lat`` (``i = |lat|``)."""
    if inclination_rad is None:
        return np.abs(lat)
    inc = np.asarray(inclination_rad, dtype=float)
    return np.where(np.isnan(inc), np.abs(lat), inc)


def rotation_benefit(v_orbit_m_s, latitude_rad, inclination_rad=None, omega=OMEGA_EARTH, r_body=R_EARTH):
    """Earth-rotation benefit [m/s] and the in-plane rotation speed [m/s] (see the module docstring).

    Parameters
    ----------
    v_orbit_m_s : array_like
        Inertial speed at insertion [m/s].
    latitude_rad : array_like
        Launch latitude [rad].
    inclination_rad : array_like or None
        Orbit inclination [rad]; None (or NaN) for a due-east launch (``i = |lat|``).
    omega, r_body : float
        Rotation rate [rad/s] and equatorial radius [m].

    Returns
    -------
    benefit, v_in_plane : ndarray
        ``v_c - |v_c e - v_E e_east|`` [m/s] and ``v_E cos(psi)`` [m/s], ``psi`` the angle between
        the insertion heading and east.
    """
    v = np.asarray(v_orbit_m_s, dtype=float)
    lat = np.asarray(latitude_rad, dtype=float)
    v_e = omega * r_body * np.cos(lat)
    inc = _inclination(lat, inclination_rad)
    cos_lat = np.maximum(np.cos(lat), 1e-12)
    s = np.cos(inc) / cos_lat  # sin(Az) for a direct launch
    # psi: angle between the insertion heading and due east; a dog-leg (|s| > 1) launches due east
    # (s > 1) or due west (s < -1) and pays for the plane turn separately (dogleg_angle, dv_dogleg).
    psi = np.arccos(np.clip(np.abs(s), 0.0, 1.0))
    retro = s < 0  # westward component
    cos_psi = np.where(retro, -np.cos(psi), np.cos(psi))
    need = np.sqrt(np.maximum(v * v + v_e * v_e - 2.0 * v * v_e * cos_psi, 0.0))
    return v - need, v_e * cos_psi


def dogleg_angle(latitude_rad, inclination_rad=None):
    """Plane turn [rad] a launch from ``latitude_rad`` [rad] needs to reach ``inclination_rad`` [rad].

    Zero where the orbit is reachable directly (``|lat| <= i <= 180 deg - |lat|``; ``None`` or NaN
    means due east), else ``|lat| - i`` or ``i - (180 deg - |lat|)``.
    """
    lat = np.abs(np.asarray(latitude_rad, dtype=float))
    inc = _inclination(lat, inclination_rad)
    return np.maximum(np.maximum(lat - inc, inc - (np.pi - lat)), 0.0)


def dogleg_dv(v_start_m_s, v_insertion_m_s, delta_i_rad):
    """Yaw-steering cost [m/s] of turning the plane by ``delta_i_rad`` [rad] between the speed
    ``v_start_m_s`` [m/s] (start of guided flight) and ``v_insertion_m_s`` [m/s] (insertion).

    ``sqrt(v_s^2 + v_i^2 - 2 v_s v_i cos(di)) - (v_i - v_s)``: the vector velocity change of a burn in
    one fixed direction, less the in-plane gain it replaces (see the module docstring). 0 for
    ``di = 0``; a lower bound on a flown dog-leg (gravity and rotation during the turn ignored).
    """
    vs = np.maximum(np.asarray(v_start_m_s, dtype=float), 0.0)
    vi = np.asarray(v_insertion_m_s, dtype=float)
    di = np.asarray(delta_i_rad, dtype=float)
    return combined_plane_change(vs, vi, di) - (vi - vs)
