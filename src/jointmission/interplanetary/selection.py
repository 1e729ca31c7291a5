"""The transfer of a launch window chosen by the mission's objective, not by least C3 alone.

A porkchop grid (:func:`~jointmission.interplanetary.transfers.porkchop`) holds every (departure,
arrival) pair of a window. The transfer a mission flies is the best one *for that mission*:

- ``"c3"``: least departure energy (most mass the launcher throws) -- the classic choice;
- ``"dv_total"``: least departure + arrival delta-v (``dv_depart + dv_arrive`` of the grid: a
  propulsive capture is part of the bill);
- ``"vinf_arrive"``: least arrival excess speed (lightest aeroshell, gentlest entry);
- ``"score"``: most of a mission score, a vectorized callable ``score(c3_m2_s2, vinf_arrive_m_s,
  tof_s)`` (or ``score(c3_m2_s2, vinf_arrive_m_s, tof_s, dla_rad=...)`` when the launcher's
  capability depends on the departure declination) evaluated on every grid point -- e.g. the cargo landed on Mars by a launcher and a lander
  for that C3, arrival speed and cruise time (:mod:`jointmission.missions.mars_transfer`).

In 2031 the least-C3 transfer (8.2 km^2/s^2) arrives at 5.5 km/s, while the least-total-delta-v
transfer of the same window departs at 10.7 km^2/s^2 and arrives at 3.5 km/s: the objective decides
the transfer, and the cruise time (320 d vs 283 d) follows from it.

The grid optimum is refined by zooming twice on a local 11 x 11 grid of
:func:`~jointmission.interplanetary.transfers.evaluate_pairs` (one grid step around the optimum,
then a fifth of it), all points of a zoom in one vectorized call, keeping the transfer type.

**The 180-degree ridge.** Where the heliocentric transfer angle is close to 180 deg the transfer
plane is undefined: the Lambert solution turns steeply out of the ecliptic and its C3 and arrival
speed change fast with the dates (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th
ed., sec. 7.6; Burke, Falck & McGuire, NASA/TM-2010-216764, sec. 2: the ridge splitting Type I from
Type II in every porkchop). A chosen transfer within :data:`RIDGE_TOL_DEG` of 180 deg is flagged
(``on_ridge``): its numbers are sensitive to the exact dates and to the planets' inclinations, and a
broken-plane manoeuvre may be needed in practice.

**The window's edges.** A transfer chosen on the first or last departure (or arrival) date of the
grid, or at a bound of the allowed time of flight, is flagged (``on_edge``): the optimum was clipped
by the dates searched and the true one lies outside them -- widen the window rather than trust it.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .errors import TransferError
from .transfers import evaluate_pairs
from .windows import DAY_S

__all__ = ["RIDGE_TOL_DEG", "EDGE_TOL_DAYS", "SELECTION_OBJECTIVES", "Score", "ChosenTransfer", "ridge_flag",
           "edge_flag", "grid_merit", "choose_transfer"]

RIDGE_TOL_DEG = 5.0
"""Transfers whose heliocentric angle is within this many degrees of 180 are flagged ``on_ridge``."""

EDGE_TOL_DAYS = 0.05
"""A transfer within this many days of a departure/arrival edge of its grid, or of a time-of-flight
bound, is flagged ``on_edge`` (the refinement's last zoom steps by 0.04 grid steps: 0.16 d at 4 d)."""

SELECTION_OBJECTIVES: dict[str, str | None] = {
    "c3": "c3_km2_s2",
    "dv_total": "dv_total_km_s",
    "vinf_arrive": "vinf_arrive_km_s",
    "score": None,
}
"""Objective name -> the grid variable minimised (``None``: the user's score, maximised)."""

Score = Callable[..., np.ndarray]
"""``score(c3_m2_s2, vinf_arrive_m_s, tof_s) -> merit`` (larger is better; NaN = infeasible); a
score with a ``dla_rad`` parameter also gets the departure declination [rad] of every point."""


def _wants_dla(score: Score) -> bool:
    try:
        return "dla_rad" in inspect.signature(score).parameters
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class ChosenTransfer:
    """The transfer a mission flies (SI; JD in TDB).

    ``objective``, ``type`` (1/2), ``depart_jd_tdb``, ``arrive_jd_tdb``, ``tof_s`` [s],
    ``c3_m2_s2`` [m^2/s^2], ``vinf_depart_m_s``, ``vinf_arrive_m_s`` [m/s], ``dla_rad`` [rad],
    ``dv_depart_m_s``, ``dv_arrive_m_s`` [m/s], ``transfer_angle_deg`` [deg], ``on_ridge`` (within
    :data:`RIDGE_TOL_DEG` of 180 deg), ``merit`` (the objective's value: the minimised variable in
    its grid unit, or the score), ``on_edge`` (on an edge of the dates searched: :func:`edge_flag`).
    """

    objective: str
    type: int
    depart_jd_tdb: float
    arrive_jd_tdb: float
    tof_s: float
    c3_m2_s2: float
    vinf_depart_m_s: float
    vinf_arrive_m_s: float
    dla_rad: float
    dv_depart_m_s: float
    dv_arrive_m_s: float
    transfer_angle_deg: float
    on_ridge: bool
    merit: float
    on_edge: bool = False

    @property
    def cruise_days(self) -> float:
        """Time of flight [d]: the cruise the mission's boil-off and consumables see."""
        return self.tof_s / DAY_S

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (SI fields plus ``cruise_days``, ``c3_km2_s2``, ``vinf_arrive_km_s``)."""
        d = asdict(self)
        d.update(cruise_days=self.cruise_days, c3_km2_s2=self.c3_m2_s2 / 1e6,
                 vinf_arrive_km_s=self.vinf_arrive_m_s / 1e3)
        return d


def ridge_flag(transfer_angle_deg: Any, tol_deg: float = RIDGE_TOL_DEG) -> np.ndarray:
    """True where a heliocentric transfer angle [deg] lies within ``tol_deg`` [deg] of 180 deg."""
    return np.abs(np.asarray(transfer_angle_deg, dtype=float) - 180.0) <= tol_deg


def edge_flag(depart_jd_tdb: float, arrive_jd_tdb: float, jd_depart: Any, jd_arrive: Any,
              tof_days: tuple[float, float] | None = None, tol_days: float = EDGE_TOL_DAYS) -> bool:
    """True when a transfer (departure, arrival [JD TDB]) lies within ``tol_days`` [d] of the first or
    last date of the departure grid ``jd_depart`` or arrival grid ``jd_arrive`` [JD TDB], or its time
    of flight within ``tol_days`` of a bound of ``tof_days`` [d]: an optimum clipped by the window."""
    jd_d, jd_a = np.asarray(jd_depart, dtype=float), np.asarray(jd_arrive, dtype=float)
    near = [abs(depart_jd_tdb - jd_d.min()), abs(depart_jd_tdb - jd_d.max()),
            abs(arrive_jd_tdb - jd_a.min()), abs(arrive_jd_tdb - jd_a.max())]
    if tof_days is not None:
        tof = arrive_jd_tdb - depart_jd_tdb
        near += [abs(tof - float(tof_days[0])), abs(tof - float(tof_days[1]))]
    return bool(min(near) <= tol_days)


def grid_merit(values: dict[str, np.ndarray], objective: str, score: Score | None = None) -> np.ndarray:
    """Merit (larger is better, ``-inf`` where there is no transfer) of every point of a grid.

    ``values`` holds the porkchop variables (``c3_km2_s2``, ``vinf_arrive_km_s``, ``tof_days``, the
    objective's variable, ``type`` and, for a score taking ``dla_rad``, ``dla_deg``) as arrays of
    one shape; ``objective`` one of
    :data:`SELECTION_OBJECTIVES`; ``score`` the callable for ``"score"``.
    """
    if objective not in SELECTION_OBJECTIVES:
        raise TransferError(f"unknown objective '{objective}'; use one of: {', '.join(SELECTION_OBJECTIVES)}")
    ok = np.asarray(values["type"]) > 0
    if objective == "score":
        if score is None:
            raise TransferError("objective 'score' needs a score(c3_m2_s2, vinf_arrive_m_s, tof_s) callable")
        kw = {"dla_rad": np.radians(np.asarray(values["dla_deg"], dtype=float))} if _wants_dla(score) else {}
        with np.errstate(invalid="ignore"):
            merit = np.asarray(score(np.asarray(values["c3_km2_s2"]) * 1e6,
                                     np.asarray(values["vinf_arrive_km_s"]) * 1e3,
                                     np.asarray(values["tof_days"]) * DAY_S, **kw), dtype=float)
        merit = np.broadcast_to(merit, ok.shape)
    else:
        merit = -np.asarray(values[SELECTION_OBJECTIVES[objective]], dtype=float)
    return np.where(ok & np.isfinite(merit), merit, -np.inf)


def _orbit_kwargs(ds) -> dict[str, Any]:
    apo = float(ds.attrs.get("capture_apoapsis_alt_km", np.nan))
    return dict(park_alt_m=float(ds.attrs["park_alt_km"]) * 1e3,
                capture_periapsis_alt_m=float(ds.attrs["capture_periapsis_alt_km"]) * 1e3,
                capture_apoapsis_alt_m=None if not math.isfinite(apo) else apo * 1e3,
                mu_sun=float(ds.attrs["mu_sun_m3_s2"]))


def choose_transfer(ds: Any, objective: str = "dv_total", *, score: Score | None = None, refine: bool = True,
                    tof_days: tuple[float, float] | None = None, avoid_ridge: bool = False,
                    ridge_tol_deg: float = RIDGE_TOL_DEG) -> ChosenTransfer:
    """The transfer of a porkchop grid ``ds`` that is best for ``objective``.

    Parameters
    ----------
    ds : xarray.Dataset or PorkchopGrid
        A grid from :func:`~jointmission.interplanetary.transfers.porkchop` or
        :func:`~jointmission.interplanetary.transfers.porkchop_grid`.
    objective : {"c3", "dv_total", "vinf_arrive", "score"}
        What the mission needs (see the module docstring).
    score : callable, optional
        For ``objective="score"``: ``score(c3_m2_s2, vinf_arrive_m_s, tof_s)`` over arrays, larger
        is better (e.g. landed mass [kg]); NaN where the mission is infeasible.
    refine : bool
        Zoom on a local grid around the grid optimum (same transfer type, same window).
    tof_days : (float, float), optional
        Allowed time of flight [d] for the refinement (as the grid's).
    avoid_ridge : bool
        Leave out points within ``ridge_tol_deg`` [deg] of the 180-degree ridge.

    Returns
    -------
    ChosenTransfer

    Raises
    ------
    TransferError
        Unknown objective, or no feasible transfer on the grid.
    """
    names = ("c3_km2_s2", "vinf_arrive_km_s", "tof_days", "type", "transfer_angle_deg", "dla_deg")
    var = SELECTION_OBJECTIVES.get(objective)
    grid = {k: np.asarray(ds[k]) for k in names + ((var,) if var else ())}
    merit = grid_merit(grid, objective, score)
    if avoid_ridge:
        merit = np.where(ridge_flag(grid["transfer_angle_deg"], ridge_tol_deg), -np.inf, merit)
    if not np.isfinite(merit).any():
        raise TransferError(f"no feasible transfer on the grid for objective '{objective}'")
    i, j = np.unravel_index(int(np.argmax(merit)), merit.shape)
    jd_d, jd_a = np.asarray(ds["depart_jd_tdb"]), np.asarray(ds["arrive_jd_tdb"])
    x = (float(jd_d[i]), float(jd_a[j]))
    ttype = int(grid["type"][i, j])
    kw = _orbit_kwargs(ds)
    origin, target = ds.attrs["origin"], ds.attrs["target"]
    if refine:
        half = (float(ds.attrs.get("step_days", 1.0)), float(ds.attrs.get("arrive_step_days", 1.0)))
        lo = (float(jd_d.min()), float(jd_a.min()))
        hi = (float(jd_d.max()), float(jd_a.max()))
        best = float(merit[i, j])
        for shrink in (1.0, 0.2):
            sd = np.clip(x[0] + np.linspace(-half[0], half[0], 11) * shrink, lo[0], hi[0])
            sa = np.clip(x[1] + np.linspace(-half[1], half[1], 11) * shrink, lo[1], hi[1])
            res = evaluate_pairs(origin, target, sd[:, None], sa[None, :], tof_days=tof_days, **kw)
            m = grid_merit(res, objective, score)
            m = np.where(res["type"] == ttype, m, -np.inf)
            if avoid_ridge:
                m = np.where(ridge_flag(res["transfer_angle_deg"], ridge_tol_deg), -np.inf, m)
            k, l_ = np.unravel_index(int(np.argmax(m)), m.shape)
            if m[k, l_] > best:
                best, x = float(m[k, l_]), (float(sd[k]), float(sa[l_]))
    r = {k: float(v) for k, v in evaluate_pairs(origin, target, x[0], x[1], tof_days=tof_days, **kw).items()}
    merit_val = float(grid_merit({k: np.asarray(v) for k, v in r.items()}, objective, score))
    return ChosenTransfer(
        objective=objective, type=int(r["type"]), depart_jd_tdb=x[0], arrive_jd_tdb=x[1],
        tof_s=r["tof_days"] * DAY_S, c3_m2_s2=r["c3_km2_s2"] * 1e6, vinf_depart_m_s=r["vinf_depart_km_s"] * 1e3,
        vinf_arrive_m_s=r["vinf_arrive_km_s"] * 1e3, dla_rad=math.radians(r["dla_deg"]),
        dv_depart_m_s=r["dv_depart_km_s"] * 1e3, dv_arrive_m_s=r["dv_arrive_km_s"] * 1e3,
        transfer_angle_deg=r["transfer_angle_deg"], on_ridge=bool(ridge_flag(r["transfer_angle_deg"], ridge_tol_deg)),
        merit=merit_val if var is None else -merit_val,
        on_edge=edge_flag(x[0], x[1], jd_d, jd_a, tof_days),
    )
