"""Lunar legs, each in its own direction, and the legs the trans-lunar trajectory defines.

Two kinds of lunar delta-v:

- **Computed from the geometry** (SI floats or arrays, broadcast):

  * :func:`translunar_arrival`: the trans-lunar conic of a TLI of characteristic energy ``C3``
    from a circular parking orbit (burn at perigee, in the Moon's orbital plane) reaches the
    Moon's distance with a speed and flight-path angle; minus the Moon's circular velocity it is the
    arrival excess speed ``v_inf``; Kepler's equation gives the transit time. (The Moon's gravity
    is patched in at its distance, not at its sphere of influence: a first-order patched conic,
    Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971, ch. 7; Curtis, *Orbital
    Mechanics for Engineering Students*, 3rd ed., sec. 8.)
  * :func:`loi_dv`: the lunar orbit insertion at periselene of the arrival hyperbola into a circular
    orbit (or an ellipse), :func:`jointmission.core.orbits.capture_dv`.
  * :func:`lunar_plane_change_dv`: a plane change on a circular lunar orbit, ``2 v sin(di / 2)``.
  * :func:`tli_dv`: the TLI burn itself, :func:`jointmission.core.orbits.departure_dv`.

- **Sourced legs** between named states (``tli``, ``llo``, ``nrho``, ``surface``, ``tei`` and
  ``rendezvous -> docking``), one value per direction with its source, from
  ``missions/data/lunar_legs.yaml`` (:func:`leg_dv`, :func:`leg_source`, :data:`LEG_NAMES`). LLO -> NRHO
  (850 m/s) is not NRHO -> LLO (740 m/s). The trans-Earth injection from LLO is a general
  any-time-return budget (1,196 m/s nominal), not Apollo 11's best-case 999 m/s.

Every leg is checked against one published directional table within that table's own 5 % reserve
(tests/validation/test_lunar_legs.py; docs/validation.md).
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M, GM_EARTH, GM_MOON, R_EARTH, R_MOON
from ..core.orbits import capture_dv, circular_speed, departure_dv, plane_change
from ..io.packaged_yaml import load_packaged
from .elements import phase_value

__all__ = [
    "LEG_NAMES",
    "LEG_STATES",
    "LLO_ALT_M",
    "leg_dv",
    "leg_source",
    "leg_table",
    "translunar_arrival",
    "min_tli_c3",
    "tli_dv",
    "loi_dv",
    "lunar_plane_change_dv",
]

_DATA = Path(__file__).with_name("data") / "lunar_legs.yaml"

LLO_ALT_M = 100e3
"""Low lunar orbit altitude [m] of the sourced legs (100 km circular, as in the checked table)."""


@cache
def _load() -> dict[str, Any]:
    with open(_DATA, encoding="utf-8") as fh:
        d = load_packaged(fh)
    return {"reserve": float(d["table_reserve"]),
            "legs": {(leg["from"], leg["to"]): leg for leg in d["legs"]}}


def leg_table() -> dict[tuple[str, str], dict[str, Any]]:
    """Every sourced leg: ``(from, to)`` -> ``{dv_m_s, table_km_s, table_reserve, source}`` (a copy)."""
    return {k: dict(v) for k, v in _load()["legs"].items()}


LEG_NAMES: tuple[str, ...] = tuple(f"{a}->{b}" for a, b in leg_table())
"""The sourced legs as ``"from->to"`` names."""

LEG_STATES: tuple[str, ...] = tuple(sorted({s for k in leg_table() for s in k}))
"""The named states legs join."""


def _key(frm: str, to: str) -> tuple[str, str]:
    legs = _load()["legs"]
    key = (str(frm).strip().lower(), str(to).strip().lower())
    if key in legs:
        return key
    name = f"{key[0]}->{key[1]}"
    hint = ""
    if (key[1], key[0]) in legs:
        hint = f" (the reverse leg {key[1]}->{key[0]} exists: legs are one-way)"
    else:
        close = difflib.get_close_matches(name, LEG_NAMES, n=1)
        if close:
            hint = f" (did you mean {close[0]}?)"
    raise KeyError(f"no lunar leg {name}{hint}; legs: {', '.join(LEG_NAMES)}")


def leg_dv(frm: str, to: str) -> float:
    """Nominal delta-v [m/s] (no reserve) of the one-way leg ``frm -> to`` (e.g. ``leg_dv('llo',
    'nrho')`` -> 850.0). Raises ``KeyError`` naming the legs (and the reverse one) if unknown."""
    return float(_load()["legs"][_key(frm, to)]["dv_m_s"])


def leg_source(frm: str, to: str) -> str:
    """Where the value of the leg ``frm -> to`` comes from."""
    return str(_load()["legs"][_key(frm, to)]["source"]).strip()


def _moon_distance_m() -> float:
    return phase_value("lunar", "moon_distance_km") * 1e3


def translunar_arrival(tli_c3_m2_s2: Any, parking_alt_m: Any = DEFAULT_PARKING_ALT_M) -> tuple[np.ndarray, np.ndarray]:
    """Arrival excess speed at the Moon [m/s] and transit time [s] of the trans-lunar conic of a TLI
    to ``tli_c3_m2_s2`` [m^2/s^2] from a circular parking orbit at ``parking_alt_m`` [m].

    The conic starts at perigee (tangential burn) in the Moon's orbital plane; at the Moon's mean
    distance ``D`` its velocity (radial ``v_r``, transverse ``h / D``) minus the Moon's circular
    velocity ``sqrt(mu_E / D)`` is ``v_inf``. Transit = time from perigee to ``D`` (Kepler's equation,
    elliptic or hyperbolic). NaN where the conic does not reach ``D``. Broadcasts.
    """
    c3 = np.asarray(tli_c3_m2_s2, dtype=float)
    rp = R_EARTH + np.asarray(parking_alt_m, dtype=float)
    D = _moon_distance_m()
    mu = GM_EARTH
    vp = np.sqrt(c3 + 2.0 * mu / rp)
    h = rp * vp
    with np.errstate(invalid="ignore", divide="ignore"):
        v2 = c3 + 2.0 * mu / D
        vt = h / D
        vr = np.sqrt(v2 - vt * vt)                      # NaN where the conic turns back before D
        vinf = np.hypot(vt - np.sqrt(mu / D), vr)
        e = rp * vp * vp / mu - 1.0
        a = -mu / c3                                      # < 0 for a hyperbola
        ell = e < 1.0
        # elliptic: cos E = (1 - D / a) / e ; hyperbolic: cosh F = (1 + D / |a|) / e
        cosE = np.where(ell, (1.0 - D / a) / e, np.nan)
        E = np.arccos(np.clip(cosE, -1.0, 1.0))
        t_ell = (E - e * np.sin(E)) * np.sqrt(np.abs(a) ** 3 / mu)
        coshF = np.where(~ell, (1.0 + D / np.abs(a)) / e, np.nan)
        F = np.arccosh(np.maximum(coshF, 1.0))
        t_hyp = (e * np.sinh(F) - F) * np.sqrt(np.abs(a) ** 3 / mu)
        t = np.where(ell, t_ell, t_hyp)
        reach = np.isfinite(vr)
    return np.where(reach, vinf, np.nan), np.where(reach, t, np.nan)


def min_tli_c3(parking_alt_m: Any = DEFAULT_PARKING_ALT_M) -> Any:
    """The least TLI C3 [m^2/s^2] whose conic from a circular parking orbit at ``parking_alt_m`` [m]
    reaches the Moon's mean distance ``D``: the ellipse of perigee ``r_p`` and apogee ``D``,
    ``C3 = -2 mu_E / (r_p + D)`` (about -2.04 km^2/s^2 from 185 km). Below it
    :func:`translunar_arrival` is NaN: the conic turns back before the Moon. Broadcasts."""
    rp = R_EARTH + np.asarray(parking_alt_m, dtype=float)
    return -2.0 * GM_EARTH / (rp + _moon_distance_m())


def tli_dv(tli_c3_m2_s2: Any, parking_alt_m: Any = DEFAULT_PARKING_ALT_M) -> np.ndarray:
    """TLI burn [m/s] from a circular Earth parking orbit at ``parking_alt_m`` [m] to C3 [m^2/s^2]."""
    return np.asarray(departure_dv(GM_EARTH, R_EARTH + np.asarray(parking_alt_m, dtype=float), tli_c3_m2_s2))


def loi_dv(vinf_m_s: Any, periselene_alt_m: Any = LLO_ALT_M, aposelene_alt_m: Any = None) -> np.ndarray:
    """Lunar orbit insertion [m/s] at periselene ``periselene_alt_m`` [m] of the arrival hyperbola
    with excess speed ``vinf_m_s`` [m/s], into a circular orbit (or an ellipse up to
    ``aposelene_alt_m`` [m])."""
    rp = R_MOON + np.asarray(periselene_alt_m, dtype=float)
    ra = None if aposelene_alt_m is None else R_MOON + np.asarray(aposelene_alt_m, dtype=float)
    return np.asarray(capture_dv(GM_MOON, vinf_m_s, rp, ra))


def lunar_plane_change_dv(delta_i_deg: Any, orbit_alt_m: Any = LLO_ALT_M) -> np.ndarray:
    """Plane change [m/s] of ``delta_i_deg`` [deg] on a circular lunar orbit at ``orbit_alt_m`` [m]:
    ``2 v_c sin(di / 2)``."""
    v = circular_speed(GM_MOON, R_MOON + np.asarray(orbit_alt_m, dtype=float))
    return np.asarray(plane_change(v, np.radians(np.asarray(delta_i_deg, dtype=float))))
