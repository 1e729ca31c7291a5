"""The best transfer of a launch window: the optima of a porkchop grid (per transfer type and
objective), refined below the grid step with a bounded local minimisation of the same patched-conic
evaluation (:func:`~jointmission.interplanetary.transfers.evaluate_pairs`), and
:func:`best_transfer`, which builds the grid and returns its optimum."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M, GM_SUN, MIN_PERIGEE_ALT_M
from . import ephemeris as eph
from .errors import TransferError
from .transfers import OBJECTIVES, _orbits_ok, _orbits_si, _planet, _solve, arrival_window, evaluate_pairs, porkchop_grid
from .windows import DAY_S, DateWindow, _steps_days, date_grid

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from astropy.time import Time

__all__ = ["BestTransfer", "optima", "best_transfer"]


@dataclass(frozen=True)
class BestTransfer:
    """The best transfer of a window for one objective (SI units; JD in TDB).

    Attributes: ``origin``, ``target``, ``type`` (1 or 2), ``objective``, ``depart_jd_tdb``,
    ``arrive_jd_tdb``, ``tof_s`` [s], ``c3_m2_s2`` [m^2/s^2], ``vinf_depart_m_s`` [m/s],
    ``dla_rad``, ``rla_rad`` [rad], ``vinf_arrive_m_s`` [m/s], ``dv_depart_m_s``,
    ``dv_arrive_m_s`` [m/s], ``refined`` (True when refined below the grid step).
    """

    origin: str
    target: str
    type: int
    objective: str
    depart_jd_tdb: float
    arrive_jd_tdb: float
    tof_s: float
    c3_m2_s2: float
    vinf_depart_m_s: float
    dla_rad: float
    rla_rad: float
    vinf_arrive_m_s: float
    dv_depart_m_s: float
    dv_arrive_m_s: float
    refined: bool

    @property
    def depart(self) -> Time:
        """Departure epoch as :class:`astropy.time.Time` (TDB)."""
        return eph.jd_tdb_to_time(self.depart_jd_tdb)

    @property
    def arrive(self) -> Time:
        """Arrival epoch as :class:`astropy.time.Time` (TDB)."""
        return eph.jd_tdb_to_time(self.arrive_jd_tdb)

    @property
    def tof_days(self) -> float:
        """Time of flight [d]."""
        return self.tof_s / DAY_S

    @property
    def c3_km2_s2(self) -> float:
        """C3 [km^2/s^2]."""
        return self.c3_m2_s2 / 1e6

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record with human units (dates as ISO strings in UTC)."""
        d = asdict(self)
        d.update(
            depart=str(eph.jd_tdb_to_utc_datetime64(self.depart_jd_tdb)),
            arrive=str(eph.jd_tdb_to_utc_datetime64(self.arrive_jd_tdb)),
            tof_days=self.tof_days,
            c3_km2_s2=self.c3_km2_s2,
            vinf_depart_km_s=self.vinf_depart_m_s / 1e3,
            vinf_arrive_km_s=self.vinf_arrive_m_s / 1e3,
            dla_deg=math.degrees(self.dla_rad),
            rla_deg=math.degrees(self.rla_rad),
            dv_depart_km_s=self.dv_depart_m_s / 1e3,
            dv_arrive_km_s=self.dv_arrive_m_s / 1e3,
            dv_total_km_s=(self.dv_depart_m_s + self.dv_arrive_m_s) / 1e3,
        )
        return d


def _point_kwargs(ds) -> dict[str, Any]:
    apo = ds.attrs.get("capture_apoapsis_alt_km", np.nan)
    return dict(
        park_alt_m=float(ds.attrs["park_alt_km"]) * 1e3,
        capture_periapsis_alt_m=float(ds.attrs["capture_periapsis_alt_km"]) * 1e3,
        capture_apoapsis_alt_m=None if not np.isfinite(apo) else float(apo) * 1e3,
        mu_sun=float(ds.attrs["mu_sun_m3_s2"]),
    )


_LATTICE = 9
"""Points per axis of each refinement lattice (spacing: a quarter of the half-width)."""

_XTOL_DAYS = 1e-7
"""The refinement stops when the lattice half-width is below this in both epochs [d] (~1 s)."""

_FTOL = 1e-12
"""A move that lowers the objective by less than this (relative) counts as no progress."""

_MAX_ROUNDS = 200
"""Cap on refinement rounds (a half-width halves at every round without progress: ~2 x 17 rounds)."""


def _refine(origin: str, target: str, var: str, x0: np.ndarray, f0: np.ndarray, ttypes: np.ndarray,
            half: np.ndarray, lo: np.ndarray, hi: np.ndarray, kw: dict[str, Any],
            tof_days: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``var`` of each of ``K`` transfer types around its grid optimum, all together.

    A shrinking-lattice pattern search: each round evaluates a ``_LATTICE x _LATTICE`` lattice of
    (departure, arrival) epochs centred on every current best point (``x0`` (K, 2) [JD], half-widths
    ``half`` (K, 2) [d], clipped to ``lo``/``hi`` (K, 2)) in one patched-conic evaluation
    (``transfers._solve``, what :func:`evaluate_pairs` computes; ephemeris states at the lattice's
    distinct epochs only) and
    moves to the lowest point of the same type (infeasible points count as +inf). The half-width is
    halved only in a round that made no progress (the centre is still the best, to ``_FTOL``), the
    rule of pattern search (compass search; Kolda, Lewis & Torczon, SIAM Review 45 (2003) 385): a
    minimum in the interior is then within one lattice spacing of the centre, and a minimum on the
    Type I / Type II boundary (the 180-degree transfer, where C3 often still falls) is followed
    along the boundary at full step before the lattice shrinks. Returns ``(x, f)``.
    """
    g = np.linspace(-1.0, 1.0, _LATTICE)
    x, f, half = x0.astype(float).copy(), f0.astype(float).copy(), half.astype(float).copy()
    n = x.shape[0]
    rows = np.arange(n)
    o, mu_o, rad_o = _planet(origin)
    t, mu_t, rad_t = _planet(target)
    # lattice point p = i * G + j pairs departure i with arrival j of the same problem
    base = (rows * _LATTICE)[:, None, None]
    i_d = np.broadcast_to(base + np.arange(_LATTICE)[None, :, None], (n, _LATTICE, _LATTICE)).reshape(-1)
    i_a = np.broadcast_to(base + np.arange(_LATTICE)[None, None, :], (n, _LATTICE, _LATTICE)).reshape(-1)
    for _ in range(_MAX_ROUNDS):
        if np.all(half <= _XTOL_DAYS):
            break
        d = np.clip(x[:, :1] + half[:, :1] * g, lo[:, :1], hi[:, :1]).reshape(-1)  # (n * G,)
        a = np.clip(x[:, 1:] + half[:, 1:] * g, lo[:, 1:], hi[:, 1:]).reshape(-1)
        # states at the G distinct epochs of each axis only (G^2 pairs share them)
        r1, v1 = eph.state(o, d, frame="ecliptic")
        r2, v2 = eph.state(t, a, frame="ecliptic")
        res = _solve(r1[i_d], v1[i_d], r2[i_a], v2[i_a], (a[i_a] - d[i_d]) * DAY_S, kw["mu_sun"], kw["park_alt_m"],
                     mu_o, rad_o, kw["capture_periapsis_alt_m"], kw["capture_apoapsis_alt_m"], mu_t, rad_t, tof_days,
                     bodies=(o, t))
        val = res[var].reshape(n, -1)
        val = np.where((res["type"].reshape(n, -1) == ttypes[:, None]) & np.isfinite(val), val, np.inf)
        k = np.argmin(val, axis=1)
        best = val[rows, k]
        move = best < f
        gain = move & (best < f - _FTOL * np.abs(f))
        pd, pa = i_d.reshape(n, -1)[rows, k], i_a.reshape(n, -1)[rows, k]
        x[move, 0], x[move, 1], f[move] = d[pd][move], a[pa][move], best[move]
        half[~gain] *= 0.5
    return x, f


def optima(ds, objective: str = "c3", *, refine: bool = True,
           tof_days: tuple[float, float] | None = None) -> list[BestTransfer]:
    """Best Type I and Type II transfer of a porkchop grid for ``objective`` (a Dataset from
    :func:`~.transfers.porkchop` or a :class:`~.porkchop_grid.PorkchopGrid` from
    :func:`~.transfers.porkchop_grid`).

    The grid minimum of each type is refined below the grid step by a shrinking-lattice pattern
    search (:func:`_refine`) over continuous (departure, arrival) epochs within one grid step of it,
    keeping the transfer type (and ``tof_days`` if given), to ~1e-5 d; both types are refined
    together, one vectorized evaluation per lattice round. The search stays inside the windows: from
    the first date sampled to the window's end (the grid's ``depart_end_jd_tdb`` /
    ``arrive_end_jd_tdb`` attributes where a window ends between two steps, else the last date
    sampled). Returns 0-2 :class:`BestTransfer`, Type I first.
    """
    if objective not in OBJECTIVES:
        raise TransferError(f"unknown objective '{objective}'; use one of: {', '.join(OBJECTIVES)}")
    var = OBJECTIVES[objective]
    values = np.asarray(ds[var])
    types = np.asarray(ds["type"])
    jd_d = np.asarray(ds["depart_jd_tdb"])
    jd_a = np.asarray(ds["arrive_jd_tdb"])
    step_d = float(ds.attrs.get("step_days", 1.0))
    step_a = float(ds.attrs.get("arrive_step_days", step_d))
    kw = _point_kwargs(ds)
    origin, target = ds.attrs["origin"], ds.attrs["target"]
    start = []  # (type, x0, grid value)
    for ttype in (1, 2):
        masked = np.where((types == ttype) & np.isfinite(values), values, np.inf)
        if not np.isfinite(masked).any():
            continue
        i, j = np.unravel_index(int(np.argmin(masked)), masked.shape)
        start.append((ttype, np.array([jd_d[i], jd_a[j]]), float(masked[i, j])))
    if not start:
        return []
    ttypes = np.array([s[0] for s in start])
    x = np.array([s[1] for s in start])
    refined = np.zeros(len(start), dtype=bool)
    if refine:
        # stay inside the user's windows (a refined optimum outside their dates is not theirs): from the first
        # date sampled to the window's end, which may lie up to a step past the last date sampled
        end_d = max(jd_d.max(), float(ds.attrs.get("depart_end_jd_tdb", jd_d.max())))
        end_a = max(jd_a.max(), float(ds.attrs.get("arrive_end_jd_tdb", jd_a.max())))
        lo = np.maximum(x - [step_d, step_a], [max(eph.DE421_FIRST_JD, jd_d.min()), max(eph.DE421_FIRST_JD, jd_a.min())])
        hi = np.minimum(x + [step_d, step_a], [min(eph.DE421_LAST_JD, end_d), min(eph.DE421_LAST_JD, end_a)])
        f0 = np.array([s[2] for s in start])
        x, f = _refine(origin, target, var, x, f0, ttypes, np.tile([step_d, step_a], (len(start), 1)), lo, hi, kw,
                       tof_days)
        refined = f <= f0
    res = evaluate_pairs(origin, target, x[:, 0], x[:, 1], tof_days=tof_days, **kw)
    found: list[BestTransfer] = []
    for n, ttype in enumerate(ttypes):
        r = {k: float(v[n]) for k, v in res.items()}
        found.append(BestTransfer(
            origin=origin, target=target, type=int(ttype), objective=objective,
            depart_jd_tdb=float(x[n, 0]), arrive_jd_tdb=float(x[n, 1]), tof_s=r["tof_days"] * DAY_S,
            c3_m2_s2=r["c3_km2_s2"] * 1e6, vinf_depart_m_s=r["vinf_depart_km_s"] * 1e3,
            dla_rad=math.radians(r["dla_deg"]), rla_rad=math.radians(r["rla_deg"]),
            vinf_arrive_m_s=r["vinf_arrive_km_s"] * 1e3,
            dv_depart_m_s=r["dv_depart_km_s"] * 1e3, dv_arrive_m_s=r["dv_arrive_km_s"] * 1e3,
            refined=bool(refined[n]),
        ))
    return found


def best_transfer(
    origin: str,
    target: str,
    depart: DateWindow,
    arrive: DateWindow | None = None,
    *,
    tof_days: tuple[float, float] | None = None,
    step_days: float = 2.0,
    objective: str = "c3",
    transfer_type: Literal["any", 1, 2] = "any",
    park_alt_m: float = DEFAULT_PARKING_ALT_M,
    capture_periapsis_alt_m: float = 300e3,
    capture_apoapsis_alt_m: float | None = None,
    mu_sun: float = GM_SUN,
) -> BestTransfer:
    """The best transfer of a launch window: porkchop on a grid, then refined below the step.

    Parameters
    ----------
    origin, target : str
        Planet names (:data:`PLANETS`).
    depart : (date, date) or "START:END"
        Departure window.
    arrive : (date, date), optional
        Arrival window; by default departure window + ``tof_days``.
    tof_days : (float, float), optional
        Allowed time of flight [d]; default 0.4-1.6 x the Hohmann time between the two bodies.
    step_days : float
        Grid step [d] before refinement. Both also take astropy time Quantities.
    objective : {"c3", "vinf_arrive", "dv_total", "dv_depart"}
        Quantity minimised.
    transfer_type : "any", 1 or 2
        Restrict to Type I or Type II.
    park_alt_m, capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_sun
        As in :func:`porkchop` [m, m^3/s^2]; plain SI floats or astropy Quantities.

    Returns
    -------
    BestTransfer
        SI attributes ``c3_m2_s2``, ``vinf_depart_m_s``, ``vinf_arrive_m_s``, ``dla_rad``,
        ``tof_s``, epochs ``depart``/``arrive`` (astropy Time) ...

    Raises
    ------
    TransferError
        Bad input, or no transfer at all in the window.
    """
    if isinstance(transfer_type, bool) or transfer_type not in ("any", 1, 2, "1", "2"):
        raise TransferError(f"transfer_type must be 'any', 1 or 2 (Type I: less than 180 deg of transfer angle, "
                            f"Type II: more), got {transfer_type!r}")
    step_days, _, tof_days = _steps_days(step_days, None, tof_days)
    park_alt_m, capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_sun = _orbits_si(
        park_alt_m, capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_sun)
    o, mu_o, rad_o = _planet(origin)
    t, mu_t, rad_t = _planet(target)
    if not _orbits_ok(park_alt_m, rad_o, capture_periapsis_alt_m, capture_apoapsis_alt_m, o, t, rad_t):
        floor = f"at least {MIN_PERIGEE_ALT_M / 1e3:g} km at Earth" if o == "earth" else "above the surface"
        raise TransferError(
            f"no transfer for impossible orbits: the parking altitude (park_alt_m={park_alt_m!r}) must be {floor}, "
            f"the capture periapsis (capture_periapsis_alt_m={capture_periapsis_alt_m!r}) above the surface and "
            f"the capture apoapsis (capture_apoapsis_alt_m={capture_apoapsis_alt_m!r}) not below the periapsis, "
            "each inside its planet's sphere of influence")
    jd_dep = date_grid(depart, step_days)
    if arrive is None:
        jd_arr, tof_days = arrival_window(o, t, jd_dep, tof_days, step_days, mu_sun)
    else:
        jd_arr = date_grid(arrive, step_days)
    ds = porkchop_grid(o, t, depart, jd_arr if arrive is None else arrive, step_days=step_days, park_alt_m=park_alt_m,
                       capture_periapsis_alt_m=capture_periapsis_alt_m,
                       capture_apoapsis_alt_m=capture_apoapsis_alt_m, tof_days=tof_days, mu_sun=mu_sun)
    best = optima(ds, objective, tof_days=tof_days)
    if transfer_type != "any":
        best = [b for b in best if b.type == int(transfer_type)]
    if not best:
        raise TransferError(f"no {origin} -> {target} transfer in the window with tof {tof_days} d")
    return min(best, key=lambda b: b.to_dict()[OBJECTIVES[objective]])
