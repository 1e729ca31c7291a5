"""Delta-v of mission phases: from the two-body kernels of :mod:`jointmission.core.orbits` where
the geometry defines it, else a sourced value (``missions/data/missions.yaml``).

All functions take and return SI floats or arrays (m, m/s, m^2/s^2) and broadcast.

- Earth departure (TLI, TMI) from a circular parking orbit to a C3:
  :func:`~jointmission.core.orbits.departure_dv` (tangential burn, Curtis 3rd ed. sec. 8.4).
- Capture at the Moon or Mars from a hyperbolic excess speed into a circular orbit or an ellipse:
  :func:`~jointmission.core.orbits.capture_dv` (burn at periapsis, Curtis sec. 8.5).
- Descent, ascent, rendezvous, NRHO transfers, trans-Earth injection: sourced values (those phases
  include gravity losses and operational reserves that no impulsive kernel gives).
- Mars windows: C3 and arrival v_inf of the best transfer of a departure window, from
  :func:`jointmission.interplanetary.optimum.best_transfer` (ephemeris + Lambert) when available, else the
  tabulated values in :data:`MARS_WINDOWS` (see :func:`mars_window`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M, GM_EARTH, GM_MARS, GM_MOON, R_EARTH, R_MARS, R_MOON
from ..core.orbits import capture_dv, circular_speed, departure_dv, vis_viva
from .elements import phase_value

__all__ = [
    "PhaseKind",
    "earth_departure_dv",
    "lunar_capture_dv",
    "ideal_landing_dv",
    "mars_capture_dv",
    "MarsWindow",
    "MARS_WINDOWS",
    "mars_window",
    "tabulated_mars_window",
    "mars_transfer_at",
]


class PhaseKind(str, Enum):
    """Phase kinds of :class:`jointmission.missions.budget.Phase`."""

    LAUNCH = "launch"
    LOITER = "loiter"
    BURN = "burn"
    COAST = "coast"
    AERO = "aero"
    RENDEZVOUS = "rendezvous"
    TRANSFER = "transfer"
    ENTRY = "entry"


def earth_departure_dv(c3_m2_s2, parking_alt_m=DEFAULT_PARKING_ALT_M):
    """Delta-v [m/s] from a circular Earth parking orbit at ``parking_alt_m`` [m] to C3 [m^2/s^2]
    (TLI at C3 ~ -2e6, TMI at C3 ~ 8e6 to 16e6)."""
    return departure_dv(GM_EARTH, R_EARTH + np.asarray(parking_alt_m, dtype=float), c3_m2_s2)


def lunar_capture_dv(vinf_m_s, periapsis_alt_m=100e3, apoapsis_alt_m=None):
    """Lunar orbit insertion [m/s] from a Moon-relative hyperbolic excess speed ``vinf_m_s`` [m/s]
    into a circular orbit at ``periapsis_alt_m`` (or an ellipse up to ``apoapsis_alt_m``) [m]."""
    rp = R_MOON + np.asarray(periapsis_alt_m, dtype=float)
    ra = None if apoapsis_alt_m is None else R_MOON + np.asarray(apoapsis_alt_m, dtype=float)
    return capture_dv(GM_MOON, vinf_m_s, rp, ra)


def ideal_landing_dv(mu, r_body, orbit_alt_m):
    """Impulsive delta-v [m/s] from a circular orbit at ``orbit_alt_m`` [m] to rest on the surface of
    an airless body (``mu`` [m^3/s^2], radius ``r_body`` [m]): a retro burn onto an ellipse grazing
    the surface, then cancelling the periapsis speed. No gravity loss, no hover: the floor of a
    landing budget (the Moon from 100 km: ~1.70 km/s)."""
    r = r_body + np.asarray(orbit_alt_m, dtype=float)
    a = 0.5 * (r + r_body)
    return (circular_speed(mu, r) - vis_viva(mu, r, a)) + vis_viva(mu, r_body, a)


def mars_capture_dv(vinf_m_s, periapsis_alt_m=None, apoapsis_alt_m=None):
    """Mars orbit insertion [m/s] from ``vinf_m_s`` [m/s]; default the DRA 5.0 250 km x 1-sol
    ellipse (``missions.yaml``)."""
    hp = phase_value("mars", "parking_altitude_km") * 1e3 if periapsis_alt_m is None else periapsis_alt_m
    ha = phase_value("mars", "capture_apoapsis_km") * 1e3 if apoapsis_alt_m is None else apoapsis_alt_m
    return capture_dv(GM_MARS, vinf_m_s, R_MARS + np.asarray(hp, dtype=float), R_MARS + np.asarray(ha, dtype=float))


@dataclass(frozen=True)
class MarsWindow:
    """Best Earth -> Mars transfer of a window (SI): ``c3_m2_s2``, ``vinf_arrive_m_s``,
    ``tof_s``, ``depart`` (ISO date), ``source`` (``"transfers"`` or the table's reference),
    ``dla_rad`` (declination of the departure asymptote; NaN for the table),
    ``transfer_angle_deg`` (heliocentric transfer angle [deg]; NaN for the table), ``on_ridge``
    (within :data:`~jointmission.interplanetary.selection.RIDGE_TOL_DEG` of 180 deg), ``objective``
    (what chose it), ``on_edge`` (on an edge of the window searched: the optimum is clipped,
    :func:`~jointmission.interplanetary.selection.edge_flag`)."""

    year: int
    c3_m2_s2: float
    vinf_arrive_m_s: float
    tof_s: float
    depart: str
    source: str
    dla_rad: float = float("nan")
    transfer_angle_deg: float = float("nan")
    on_ridge: bool = False
    objective: str = "c3"
    on_edge: bool = False


_DAY = 86400.0

MARS_WINDOWS: dict[int, dict] = {
    # Minimum-C3 Earth -> Mars ballistic transfer per opportunity, APPROXIMATE values (rounded to
    # 0.5 km2/s2 and 0.5 km/s) of the kind tabulated in Burke, Falck & McGuire, "Interplanetary
    # Mission Design Handbook: Earth-to-Mars Mission Opportunities 2026 to 2045", NASA/TM-2010-216764
    # (2010). They were NOT transcribed from the handbook's tables in this code base: they are the
    # fallback when jointmission.interplanetary.transfers is unavailable and a coarse (15 %) cross-check of it;
    # replace them with the handbook's numbers when a copy is at hand.
    # "window": the departure dates searched. Each window holds its least-C3, least-delta-v and
    # least-v_inf optima (DE421 + Lambert, 4-day grid) at least 40 days inside its edges:
    # 2031: 2031-02-22 / 2030-12-25 / 2030-12-14; 2033: 2033-04-28 / 04-17 / 04-20
    # (tests/missions/test_window_edges.py).
    2031: {"c3_km2_s2": 8.5, "vinf_arrive_km_s": 5.0, "tof_days": 310.0, "depart": "2031-02-20",
           "window": ("2030-11-01", "2031-04-30")},
    2033: {"c3_km2_s2": 8.0, "vinf_arrive_km_s": 4.5, "tof_days": 280.0, "depart": "2033-04-25",
           "window": ("2033-03-01", "2033-06-30")},
}
"""Tabulated Earth -> Mars windows (km^2/s^2, km/s, days), the fallback and cross-check."""

_TABLE_SOURCE = "approximate table (cf. NASA/TM-2010-216764), see MARS_WINDOWS"


def tabulated_mars_window(year: int) -> MarsWindow:
    """The tabulated minimum-C3 transfer of the ``year`` Earth -> Mars opportunity."""
    if year not in MARS_WINDOWS:
        raise KeyError(f"no tabulated Mars window for {year}; tabulated: {sorted(MARS_WINDOWS)}")
    w = MARS_WINDOWS[year]
    return MarsWindow(year, w["c3_km2_s2"] * 1e6, w["vinf_arrive_km_s"] * 1e3, w["tof_days"] * _DAY,
                      w["depart"], _TABLE_SOURCE)


def mars_window(year: int, *, source: str = "transfers", step_days: float = 4.0, objective: str = "c3") -> MarsWindow:
    """C3 and arrival v_inf of the best Earth -> Mars transfer of ``year``'s window.

    ``objective`` (with ``source="transfers"``) is what the transfer minimises: ``"c3"`` (least
    launch energy), ``"dv_total"`` (least departure from the 185 km parking orbit + capture into the
    250 km x 1 sol orbit of ``missions.yaml`` [m/s]) or ``"vinf_arrive"`` (least arrival speed).
    The table holds least-C3 transfers only.

    ``source="transfers"`` (default) computes it with :func:`jointmission.interplanetary.optimum.best_transfer`
    (DE421 ephemeris + Lambert) over the window of :data:`MARS_WINDOWS`; ``"table"`` returns the
    tabulated values. This is the one switch between the two.
    """
    if source == "table":
        return tabulated_mars_window(year)
    if source != "transfers":
        raise ValueError(f"source must be 'transfers' or 'table', got {source!r}")
    if year not in MARS_WINDOWS:
        raise KeyError(f"no Mars window defined for {year}; defined: {sorted(MARS_WINDOWS)}")
    from ..interplanetary.optimum import best_transfer  # lazy: the ephemeris load costs ~0.5 s
    from ..interplanetary.selection import edge_flag, ridge_flag
    from ..interplanetary.transfers import arrival_window, date_grid, evaluate_pairs

    if objective not in ("c3", "dv_total", "vinf_arrive"):
        raise ValueError(f"objective must be 'c3', 'dv_total' or 'vinf_arrive', got {objective!r}")
    b = best_transfer("earth", "mars", MARS_WINDOWS[year]["window"], step_days=step_days, objective=objective,
                      capture_periapsis_alt_m=phase_value("mars", "parking_altitude_km") * 1e3,
                      capture_apoapsis_alt_m=phase_value("mars", "capture_apoapsis_km") * 1e3)
    angle = float(evaluate_pairs("earth", "mars", b.depart_jd_tdb, b.arrive_jd_tdb)["transfer_angle_deg"])
    jd_d = date_grid(MARS_WINDOWS[year]["window"], step_days)  # the grid best_transfer searched
    jd_a, tof = arrival_window("earth", "mars", jd_d, None, step_days)
    return MarsWindow(year, float(b.c3_m2_s2), float(b.vinf_arrive_m_s), float(b.tof_s),
                      str(b.to_dict()["depart"])[:10], "jointmission.interplanetary.optimum.best_transfer (DE421 + Lambert)",
                      float(b.dla_rad), angle, bool(ridge_flag(angle)), objective,
                      edge_flag(b.depart_jd_tdb, b.arrive_jd_tdb, jd_d, jd_a, tof))


def mars_transfer_at(year: int, depart_jd_tdb: float, arrive_jd_tdb: float, *, objective: str = "given") -> MarsWindow:
    """The Earth -> Mars transfer between two dates (Julian dates, TDB) as a :class:`MarsWindow`
    of ``year`` (DE421 + Lambert, :func:`~jointmission.interplanetary.transfers.evaluate_pairs`;
    the capture orbit of ``missions.yaml``), with its transfer angle [deg] and ridge flag."""
    from ..interplanetary import ephemeris as eph
    from ..interplanetary.selection import ridge_flag
    from ..interplanetary.transfers import evaluate_pairs

    r = {k: float(v) for k, v in evaluate_pairs(
        "earth", "mars", float(depart_jd_tdb), float(arrive_jd_tdb),
        capture_periapsis_alt_m=phase_value("mars", "parking_altitude_km") * 1e3,
        capture_apoapsis_alt_m=phase_value("mars", "capture_apoapsis_km") * 1e3).items()}
    return MarsWindow(year, r["c3_km2_s2"] * 1e6, r["vinf_arrive_km_s"] * 1e3, r["tof_days"] * _DAY,
                      str(eph.jd_tdb_to_time(float(depart_jd_tdb)).iso)[:10], "DE421 + Lambert at given dates",
                      float(np.radians(r["dla_deg"])), r["transfer_angle_deg"], bool(ridge_flag(r["transfer_angle_deg"])),
                      objective)
