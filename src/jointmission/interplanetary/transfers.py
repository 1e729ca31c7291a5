"""Interplanetary transfers: porkchop grids over launch and arrival windows (the optimum of a window
is :mod:`jointmission.interplanetary.optimum`; the windows themselves, read and sampled, are
:mod:`jointmission.interplanetary.windows`, whose public names this module also gives).

For every (departure date, arrival date) pair the heliocentric Lambert problem between the two
bodies' DE421 positions (Sun-centred, :mod:`jointmission.interplanetary.ephemeris`) is solved with Izzo's algorithm
(:mod:`jointmission.core.lambert`), giving the departure hyperbolic excess velocity (C3, its
declination DLA and right ascension RLA in the Earth-equatorial ICRF frame), the arrival excess
speed, and the patched-conic delta-v from a circular parking orbit and into a capture orbit
(:func:`jointmission.core.orbits.departure_dv_from_vinf`, :func:`~jointmission.core.orbits.capture_dv`).

Conventions
-----------
- Zero-revolution, prograde transfers. Type I = transfer angle below 180 deg, Type II = above (the
  angle is measured in the J2000 ecliptic, in which the Lambert problem is posed, so "prograde"
  means with the planets' motion).
- Epochs: Julian dates in TDB inside; the API accepts calendar dates (UTC) / astropy ``Time`` and
  the Dataset labels its axes with ``datetime64`` UTC coordinates (plus the exact JD TDB).
- Outputs are for people as well as programs, so each variable names its unit (``c3_km2_s2``,
  ``vinf_arrive_km_s``, ``dla_deg``, ``tof_days`` ...) and carries it in ``attrs["units"]``.
- Infeasible points (no Lambert solution, time of flight outside the requested range, arrival
  before departure) are NaN with a ``status`` code (:class:`TransferStatus`); never an exception.
- Grids are evaluated in chunks of departure rows (bounded memory) by a thread pool (numpy releases
  the GIL), so a 1000 x 1000 grid needs ~100 MB for its outputs and a few tens of MB in flight.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..core.status import Status
from . import ephemeris as eph
from ..constants import (
    AU,
    DEFAULT_PARKING_ALT_M,
    EARTH_SOI_RADIUS_M,
    GM_EARTH,
    GM_MARS,
    GM_SUN,
    GM_VENUS,
    MIN_PERIGEE_ALT_M,
    R_EARTH,
    R_MARS,
    R_VENUS,
)
from ..core.lambert import lambert
from ..core.orbits import capture_dv, departure_dv_from_vinf
from .porkchop_grid import NAMES as _NAMES, VARIABLES as _VARIABLES
from .porkchop_grid import PorkchopGrid
from .errors import TransferError
from .windows import (DAY_S, MAX_GRID_POINTS, DateWindow, _check_size, _count, _steps_days,  # noqa: F401 (re-exported)
                      check_grid_size, date_grid, window_end)

if TYPE_CHECKING:  # pragma: no cover - annotations only; xarray/astropy are imported on use
    import xarray as xr

__all__ = [
    "PLANETS",
    "TransferStatus",
    "TransferError",
    "date_grid",
    "window_end",
    "porkchop",
    "porkchop_grid",
    "PorkchopGrid",
    "evaluate_pairs",
    "arrival_window",
    "OBJECTIVES",
    "MAX_GRID_POINTS",
    "check_grid_size",
]

_DEG = 180.0 / math.pi
_ROT_C = float(np.cos(-eph.OBLIQUITY_J2000_RAD))
_ROT_S = float(np.sin(-eph.OBLIQUITY_J2000_RAD))
"""Cosine and sine of the ecliptic -> ICRF rotation about x (by minus the obliquity)."""

#: Planets a heliocentric transfer can start from or end at: name -> (GM [m^3/s^2], radius [m])
#: used for the parking-orbit departure and the capture burn.
PLANETS: dict[str, tuple[float, float]] = {
    "venus": (GM_VENUS, R_VENUS),
    "earth": (GM_EARTH, R_EARTH),
    "mars": (GM_MARS, R_MARS),
}

#: Radius [m] of each planet's sphere of influence with respect to the Sun, Laplace's a (m/M)^(2/5)
#: (Bate, Mueller & White 1971, sec. 7.4) with the J2000 semi-major axes of JPL's "Keplerian Elements
#: for Approximate Positions of the Major Planets" (Standish), Table 1: Venus 0.72333566 AU, Mars
#: 1.52371034 AU; Earth's is :data:`~jointmission.constants.EARTH_SOI_RADIUS_M` (a = 1 AU), the bound of
#: Earth-orbit targets. About 616,000, 924,600 and 577,000 km. A parking or capture orbit reaching
#: beyond it is no orbit of that planet: no delta-v is computed for it.
SOI_RADIUS_M: dict[str, float] = {
    "venus": 0.72333566 * AU * (GM_VENUS / GM_SUN) ** 0.4,
    "earth": EARTH_SOI_RADIUS_M,
    "mars": 1.52371034 * AU * (GM_MARS / GM_SUN) ** 0.4,
}

#: Objective name -> Dataset variable minimised by :func:`optima` / :func:`best_transfer`.
OBJECTIVES: dict[str, str] = {
    "c3": "c3_km2_s2",
    "vinf_arrive": "vinf_arrive_km_s",
    "dv_total": "dv_total_km_s",
    "dv_depart": "dv_depart_km_s",
}

TransferStatus = Status
"""Status of a grid point: the one scheme of :mod:`jointmission.core.status` (``OK``,
``TOF_OUT_OF_RANGE``, ``ARRIVAL_BEFORE_DEPARTURE`` or the Lambert solver's code)."""

def _planet(name: str) -> tuple[str, float, float]:
    key = str(name).strip().lower()
    if key not in PLANETS:
        raise TransferError(
            f"'{name}' is not a planet this tool can transfer between; use one of: {', '.join(PLANETS)}"
        )
    mu, radius = PLANETS[key]
    return key, mu, radius


# ------------------------------------------------------------------------------------ evaluation
def evaluate_pairs(
    origin: str,
    target: str,
    jd_depart,
    jd_arrive,
    *,
    park_alt_m: float = DEFAULT_PARKING_ALT_M,
    capture_periapsis_alt_m: float = 300e3,
    capture_apoapsis_alt_m: float | None = None,
    tof_days: tuple[float, float] | None = None,
    mu_sun: float = GM_SUN,
) -> dict[str, np.ndarray]:
    """Transfer quantities for broadcastable arrays of departure and arrival Julian dates (TDB).

    Parameters
    ----------
    origin, target : str
        Planet names (:data:`PLANETS`).
    jd_depart, jd_arrive : array_like
        Departure / arrival epochs [JD TDB]; broadcast against each other (shape ``S``).
    park_alt_m : float
        Circular parking-orbit altitude at the origin [m] for ``dv_depart`` (default
        :data:`~jointmission.constants.DEFAULT_PARKING_ALT_M`, 185 km).
    capture_periapsis_alt_m, capture_apoapsis_alt_m : float
        Capture orbit at the target [m above the equatorial radius]; apoapsis None = circular.
    tof_days : (float, float), optional
        Allowed time of flight [d]; points outside are ``TOF_OUT_OF_RANGE``.
    mu_sun : float
        Sun's GM [m^3/s^2].

    Returns
    -------
    dict of ndarray, shape ``S``
        The variables of :func:`porkchop` (units in the names) plus ``status`` (int8) and ``type``
        (int8: 1, 2, or 0 where there is no transfer).
    """
    o, mu_o, rad_o = _planet(origin)
    t, mu_t, rad_t = _planet(target)
    jd_d, jd_a = np.broadcast_arrays(np.asarray(jd_depart, float), np.asarray(jd_arrive, float))
    shape = jd_d.shape
    jd_d, jd_a = jd_d.reshape(-1), jd_a.reshape(-1)
    r1, v_o = eph.state(o, jd_d, frame="ecliptic")
    r2, v_t = eph.state(t, jd_a, frame="ecliptic")
    out = _solve(r1, v_o, r2, v_t, (jd_a - jd_d) * DAY_S, mu_sun, park_alt_m, mu_o, rad_o,
                 capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_t, rad_t, tof_days, bodies=(o, t))
    return {k: v.reshape(shape) for k, v in out.items()}


def _orbits_ok(park_alt_m, rad_o, cap_peri_m, cap_apo_m, origin: str, target: str, rad_t: float) -> bool:
    """The parking orbit (above the surface; around Earth at least :data:`MIN_PERIGEE_ALT_M`, the entry
    interface) and the capture orbit (periapsis above the surface, apoapsis not below it) exist, and
    stay inside the sphere of influence (:data:`SOI_RADIUS_M`) of the planet they belong to: the
    parking orbit of ``origin`` (radius ``rad_o`` [m]), the capture orbit of ``target`` (radius
    ``rad_t`` [m]). The planets are named (keys of :data:`PLANETS`), so the bounds hold whatever GM
    and radius a caller gives them."""
    park_min = MIN_PERIGEE_ALT_M if origin == "earth" else 0.0
    try:
        park, peri = float(park_alt_m), float(cap_peri_m)
        apo = peri if cap_apo_m is None else float(cap_apo_m)
    except (TypeError, ValueError):
        return False
    soi_o, soi_t = SOI_RADIUS_M[origin], SOI_RADIUS_M[target]
    return bool(np.isfinite(park) and park > 0.0 and park >= park_min and np.isfinite(peri) and peri > 0.0
                and np.isfinite(apo) and apo >= peri and rad_o + park <= soi_o and rad_t + apo <= soi_t)


def orbit_outside_soi(origin: str, target: str, park_alt_m: float, cap_peri_m: float,
                      cap_apo_m: float | None) -> tuple[str, str] | None:
    """``(which, reason)`` for the first of the parking orbit at ``origin`` (``which`` "park") and the
    capture orbit's periapsis / apoapsis at ``target`` ("periapsis" / "apoapsis"), altitudes [m], that
    reaches beyond its planet's sphere of influence (:data:`SOI_RADIUS_M`); ``None`` if none does."""
    checks = [("park", "the parking orbit", origin, park_alt_m), ("periapsis", "the capture orbit's periapsis",
                                                                   target, cap_peri_m)]
    if cap_apo_m is not None:
        checks.append(("apoapsis", "the capture orbit's apoapsis", target, cap_apo_m))
    for which, what, planet, alt in checks:
        top = SOI_RADIUS_M[planet] - PLANETS[planet][1]
        if float(alt) > top:
            return which, (f"{what} ({float(alt) / 1e3:,.0f} km) is outside {planet.title()}'s sphere of influence "
                           f"(at most {top / 1e3:,.0f} km altitude, {SOI_RADIUS_M[planet] / 1e3:,.0f} km from its "
                           "centre): it is no orbit of that planet; check the unit (km)")
    return None


def _solve(r1, v_o, r2, v_t, tof_s, mu_sun, park_alt_m, mu_o, rad_o, cap_peri_m, cap_apo_m, mu_t, rad_t,
           tof_days, out: dict[str, np.ndarray] | None = None, engine: str = "numpy", *,
           bodies: tuple[str, str]) -> dict[str, np.ndarray]:
    """Flat arrays in (ecliptic, SI) -> dict of flat outputs. See :func:`evaluate_pairs`.

    ``bodies``: the origin's and the target's names (keys of :data:`PLANETS`), whose bounds the
    parking and capture orbits must keep (:func:`_orbits_ok`); ``mu_*`` [m^3/s^2] and ``rad_*`` [m]
    are what the delta-v is computed with.

    ``r1``, ``v_o``, ``r2``, ``v_t`` (n, 3) [m, m/s], ``tof_s`` (n,) [s]. ``out``: the (n,) arrays
    to write into (every name of :data:`~.porkchop_grid.NAMES`; a porkchop block passes views of
    its grid rows), else new ones. ``engine``: the Lambert solver's (:func:`~jointmission.core.lambert.lambert`);
    the array solver by default, also for a few points (a window optimum's lattice, one pair): ~0.3 ms
    more per call than the compiled loop, against the ~0.45 s of CPU numba's start-up costs a process
    that needs nothing else compiled (a scenario run's ascent model loads without numba).
    """
    n = tof_s.shape[0]
    if out is None:
        out = {k: np.empty(n, dtype=np.int8 if k in ("type", "status") else float) for k in _NAMES}
    status = out["status"]
    status[:] = 0
    if not _orbits_ok(park_alt_m, rad_o, cap_peri_m, cap_apo_m, *bodies, rad_t):  # no number for an impossible orbit
        status[:] = TransferStatus.INVALID_INPUT
    status[(status == 0) & (tof_s <= 0)] = TransferStatus.ARRIVAL_BEFORE_DEPARTURE
    tof_d = np.divide(tof_s, DAY_S, out=out["tof_days"])
    if tof_days is not None:
        status[(status == 0) & ((tof_d < tof_days[0]) | (tof_d > tof_days[1]))] = TransferStatus.TOF_OUT_OF_RANGE
    ok = status == 0
    every = bool(ok.all())
    if every:
        sol = lambert(mu_sun, r1, r2, tof_s, engine=engine)
        v1, v2 = sol.v1, sol.v2
        status[:] = sol.status  # the Lambert solver's own code (one scheme)
    else:
        v1 = np.full((n, 3), np.nan)
        v2 = np.full((n, 3), np.nan)
        if ok.any():
            sol = lambert(mu_sun, r1[ok], r2[ok], tof_s[ok], engine=engine)
            v1[ok], v2[ok] = sol.v1, sol.v2
            status[ok] = sol.status
    ok = status == 0
    every = bool(ok.all())
    with np.errstate(invalid="ignore", divide="ignore"):
        # prograde transfer angle [rad] about the ecliptic +z, in (0, 2 pi)
        ax, ay, az = r1[:, 0], r1[:, 1], r1[:, 2]
        bx, by, bz = r2[:, 0], r2[:, 1], r2[:, 2]
        dot = ax * bx
        dot += ay * by
        dot += az * bz
        n1 = ax * ax
        n1 += ay * ay
        n1 += az * az
        n2 = bx * bx
        n2 += by * by
        n2 += bz * bz
        np.sqrt(n1, out=n1)
        np.sqrt(n2, out=n2)
        n1 *= n2
        dot /= n1
        np.clip(dot, -1.0, 1.0, out=dot)
        angle = np.arccos(dot, out=dot)
        back = ax * by < ay * bx  # (r1 x r2)_z < 0: the long way round
        np.subtract(2.0 * np.pi, angle, out=angle, where=back)
        np.multiply(angle, _DEG, out=out["transfer_angle_deg"])
        # departure excess velocity, ecliptic -> ICRF (a rotation about x by minus the obliquity)
        qx = v1[:, 0] - v_o[:, 0]
        ey = v1[:, 1] - v_o[:, 1]
        ez = v1[:, 2] - v_o[:, 2]
        qy = _ROT_C * ey
        qy += _ROT_S * ez
        qz = _ROT_C * ez
        ey *= _ROT_S
        qz -= ey
        vd = qx * qx
        vd += qy * qy
        vd += qz * qz
        np.sqrt(vd, out=vd)
        np.multiply(vd, vd, out=out["c3_km2_s2"])
        out["c3_km2_s2"] /= 1e6
        np.divide(vd, 1e3, out=out["vinf_depart_km_s"])
        dla = np.divide(qz, np.where(vd > 0, vd, np.nan), out=qz)
        np.clip(dla, -1.0, 1.0, out=dla)
        np.arcsin(dla, out=dla)
        np.multiply(dla, _DEG, out=out["dla_deg"])
        rla = np.arctan2(qy, qx, out=qy)
        np.mod(rla, 2.0 * np.pi, out=rla)
        np.multiply(rla, _DEG, out=out["rla_deg"])
        gx = v2[:, 0] - v_t[:, 0]
        gy = v2[:, 1] - v_t[:, 1]
        gz = v2[:, 2] - v_t[:, 2]
        va = gx * gx
        va += gy * gy
        va += gz * gz
        np.sqrt(va, out=va)
        np.divide(va, 1e3, out=out["vinf_arrive_km_s"])
        dv_d = departure_dv_from_vinf(mu_o, rad_o + park_alt_m, vd)
        dv_a = capture_dv(mu_t, va, rad_t + cap_peri_m, None if cap_apo_m is None else rad_t + cap_apo_m)
        np.divide(dv_d, 1e3, out=out["dv_depart_km_s"])
        np.divide(dv_a, 1e3, out=out["dv_arrive_km_s"])
        np.add(out["dv_depart_km_s"], out["dv_arrive_km_s"], out=out["dv_total_km_s"])
    ttype = out["type"]
    np.copyto(ttype, 1)
    ttype[angle >= np.pi] = 2
    if not every:
        bad = ~ok
        for key in _VARIABLES:
            if key not in ("tof_days", "transfer_angle_deg"):
                out[key][bad] = np.nan
        ttype[bad] = 0
    return out


def _orbits_si(park_alt_m: Any, peri_alt_m: Any, apo_alt_m: Any, mu_sun: Any) -> tuple[Any, Any, Any, Any]:
    """The parking and capture altitudes [m] and ``mu_sun`` [m^3/s^2] as SI values: astropy
    Quantities and text with a unit are converted once (:class:`~jointmission.units.UnitError` for a
    wrong dimension, naming the argument); plain numbers pass unchanged. :class:`TransferError` for a
    ``mu_sun`` that is not a positive finite number."""
    from ..units import as_si  # astropy only when a transfer is computed

    mu = as_si(mu_sun, "gm", "mu_sun")
    try:
        good = not isinstance(mu, bool) and math.isfinite(float(mu)) and float(mu) > 0.0
    except (TypeError, ValueError):
        good = False
    if not good:
        raise TransferError(f"mu_sun must be the Sun's GM, a positive number in m^3/s^2 (default {GM_SUN:.6e}), "
                            f"got {mu_sun!r}")
    return (as_si(park_alt_m, "length", "park_alt_m"), as_si(peri_alt_m, "length", "capture_periapsis_alt_m"),
            as_si(apo_alt_m, "length", "capture_apoapsis_alt_m"), mu)


def porkchop_grid(
    origin: str,
    target: str,
    depart: DateWindow,
    arrive: DateWindow,
    *,
    step_days: float = 1.0,
    arrive_step_days: float | None = None,
    park_alt_m: float = DEFAULT_PARKING_ALT_M,
    capture_periapsis_alt_m: float = 300e3,
    capture_apoapsis_alt_m: float | None = None,
    tof_days: tuple[float, float] | None = None,
    mu_sun: float = GM_SUN,
    chunk_size: int = 1 << 15,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "numpy",
) -> PorkchopGrid:
    """Porkchop grid as numpy arrays: departure dates x arrival dates -> C3, DLA, arrival v_inf, TOF,
    delta-v. The computation of :func:`porkchop`, without building the xarray Dataset (nor importing
    xarray, pandas or astropy for it): :meth:`PorkchopGrid.to_dataset` builds it when wanted.

    Parameters are those of :func:`porkchop`, plus

    engine : {"numpy", "compiled"}
        How the grid points are solved. "numpy" (default): array operations over blocks of
        ``chunk_size`` points (the Lambert array solver and the patched-conic formulas of
        :func:`evaluate_pairs`, the same code), no start-up cost. "compiled": a compiled loop per
        point (:mod:`~jointmission.interplanetary.porkchop_kernel`, numba): no per-call overhead and
        ~10-20 % less CPU on a large grid, but the first compiled grid of a process loads numba and
        the compiled code (~0.4-0.5 s of CPU). The two agree to 1e-12 relative (1e-9 deg in
        angles) with identical statuses and types.

    Returns
    -------
    PorkchopGrid
        ``(n_depart, n_arrive)`` arrays in ``.data`` (units in their names), the date axes
        ``depart_jd_tdb``, ``arrive_jd_tdb`` [JD TDB] and the settings in ``.attrs``.
    """
    if engine not in ("compiled", "numpy"):
        raise ValueError(f"engine must be 'numpy' or 'compiled', got {engine!r}")
    step_days, arrive_step_days, tof_days = _steps_days(step_days, arrive_step_days, tof_days)
    park_alt_m, capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_sun = _orbits_si(
        park_alt_m, capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_sun)
    o, _, _ = _planet(origin)
    t, _, _ = _planet(target)
    if o == t:
        raise TransferError(f"origin and target are both '{o}'")
    jd_d = date_grid(depart, step_days)
    jd_a = date_grid(arrive, arrive_step_days or step_days)
    check_grid_size(jd_d.size, jd_a.size)
    try:
        r1, v_o = eph.state(o, jd_d, frame="ecliptic")
        r2, v_t = eph.state(t, jd_a, frame="ecliptic")
    except eph.EphemerisError as exc:
        raise TransferError(str(exc)) from None
    nd, na = jd_d.size, jd_a.size
    mu_o, rad_o = PLANETS[o]
    mu_t, rad_t = PLANETS[t]
    out = {k: np.empty((nd, na), dtype=np.int8 if k in ("type", "status") else float) for k in _NAMES}
    points = int(chunk_size)
    if progress is not None:  # blocks small enough for the bar to move, large enough to stay vectorized
        points = min(points, max(4096, -(-nd * na // 20)))
    rows = max(1, points // max(na, 1))
    blocks = [(i, min(i + rows, nd)) for i in range(0, nd, rows)]
    tof_lim = None if tof_days is None else (float(tof_days[0]), float(tof_days[1]))
    if engine == "compiled":
        solve_rows = _compiled_rows(jd_d, jd_a, r1, v_o, r2, v_t, mu_sun, park_alt_m, capture_periapsis_alt_m,
                                    capture_apoapsis_alt_m, tof_lim, mu_o, rad_o, mu_t, rad_t, out, (o, t))
    else:
        from ..core._blockmem import keep_freed_blocks

        keep_freed_blocks()  # the blocks' temporaries are reused, not page-faulted in again per block

        def solve_rows(i0: int, i1: int) -> None:
            m = i1 - i0
            _solve(np.repeat(r1[i0:i1], na, axis=0), np.repeat(v_o[i0:i1], na, axis=0), np.tile(r2, (m, 1)),
                   np.tile(v_t, (m, 1)), ((jd_a[None, :] - jd_d[i0:i1, None]) * DAY_S).reshape(-1), mu_sun,
                   park_alt_m, mu_o, rad_o, capture_periapsis_alt_m, capture_apoapsis_alt_m, mu_t, rad_t, tof_lim,
                   out={k: v[i0:i1].reshape(-1) for k, v in out.items()}, engine="numpy", bodies=(o, t))

    done = [0]
    lock = threading.Lock()
    if progress is not None:
        progress(0, nd * na)

    def work(block: tuple[int, int]) -> None:
        solve_rows(*block)
        if progress is not None:
            with lock:
                done[0] += (block[1] - block[0]) * na
                progress(done[0], nd * na)

    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if n_workers <= 1 or len(blocks) == 1:
        for b in blocks:
            work(b)
    else:
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            list(pool.map(work, blocks))
    attrs = {
        "origin": o,
        "target": t,
        "ephemeris": "JPL DE421 (skyfield-data), Sun-centred",
        "lambert": "Izzo (2015), zero revolutions, prograde",
        "mu_sun_m3_s2": float(mu_sun),
        "park_alt_km": park_alt_m / 1e3,
        "capture_periapsis_alt_km": capture_periapsis_alt_m / 1e3,
        "capture_apoapsis_alt_km": (np.nan if capture_apoapsis_alt_m is None else capture_apoapsis_alt_m / 1e3),
        "step_days": float(step_days),
        "arrive_step_days": float(arrive_step_days or step_days),
    }
    for key, window, axis in (("depart_end_jd_tdb", depart, jd_d), ("arrive_end_jd_tdb", arrive, jd_a)):
        end = window_end(window)
        if end is not None and end > axis[-1] + 1e-6:  # the window's end, off the step: optima may be refined up to it
            attrs[key] = end
    return PorkchopGrid(out, jd_d, jd_a, attrs)


def _compiled_rows(jd_d, jd_a, r1, v_o, r2, v_t, mu_sun, park_alt_m, cap_peri_m, cap_apo_m, tof_lim, mu_o, rad_o,
                   mu_t, rad_t, out, bodies: tuple[str, str]) -> Callable[[int, int], None]:
    """``solve_rows(i0, i1)``: rows ``i0:i1`` of the grid by the compiled loop (numba, loaded here);
    ``bodies``: the origin's and target's names (see :func:`_solve`)."""
    from .porkchop_kernel import grid_rows

    tof_lo, tof_hi = (-np.inf, np.inf) if tof_lim is None else tof_lim
    orbits_ok = _orbits_ok(park_alt_m, rad_o, cap_peri_m, cap_apo_m, *bodies, rad_t)
    r_peri = rad_t + float(cap_peri_m) if orbits_ok else np.nan
    r_apo = r_peri if cap_apo_m is None or not orbits_ok else rad_t + float(cap_apo_m)
    r_park = rad_o + float(park_alt_m) if orbits_ok else np.nan
    fixed = (jd_d, jd_a, np.ascontiguousarray(r1), np.ascontiguousarray(v_o), np.ascontiguousarray(r2),
             np.ascontiguousarray(v_t), float(mu_sun), orbits_ok, tof_lo, tof_hi, _ROT_C, _ROT_S,
             float(mu_o), r_park, float(mu_t), r_peri, r_apo)
    outs = tuple(out[k] for k in ("c3_km2_s2", "vinf_depart_km_s", "dla_deg", "rla_deg", "vinf_arrive_km_s",
                                  "dv_depart_km_s", "dv_arrive_km_s", "dv_total_km_s", "tof_days",
                                  "transfer_angle_deg", "type", "status"))  # grid_rows' order

    def solve_rows(i0: int, i1: int) -> None:
        grid_rows(i0, i1, *fixed, *outs)

    return solve_rows


def porkchop(
    origin: str,
    target: str,
    depart: DateWindow,
    arrive: DateWindow,
    *,
    step_days: float = 1.0,
    arrive_step_days: float | None = None,
    park_alt_m: float = DEFAULT_PARKING_ALT_M,
    capture_periapsis_alt_m: float = 300e3,
    capture_apoapsis_alt_m: float | None = None,
    tof_days: tuple[float, float] | None = None,
    mu_sun: float = GM_SUN,
    chunk_size: int = 1 << 15,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "numpy",
) -> xr.Dataset:
    """Porkchop grid: departure dates x arrival dates -> C3, DLA, arrival v_inf, TOF, delta-v.

    Parameters
    ----------
    origin, target : str
        Planet names, e.g. ``"earth"``, ``"mars"`` (:data:`PLANETS`).
    depart, arrive : (date, date) or sequence of dates or ``"START:END"``
        Windows (calendar dates read as UTC, astropy ``Time``, or JD TDB numbers), sampled every
        ``step_days`` (``arrive_step_days``, default the same) [d, or an astropy time Quantity];
        or explicit epoch lists.
    park_alt_m : float
        Circular parking-orbit altitude at the origin [m] (for ``dv_depart_km_s``; default
        :data:`~jointmission.constants.DEFAULT_PARKING_ALT_M`, 185 km).
    capture_periapsis_alt_m, capture_apoapsis_alt_m : float
        Capture orbit at the target [m altitude]; apoapsis None = circular.
    tof_days : (float, float), optional
        Allowed time of flight [d, or astropy time Quantities]; other points are NaN with status
        ``TOF_OUT_OF_RANGE``.
    mu_sun : float
        Sun's GM [m^3/s^2] (default IAU 2015 nominal).
    chunk_size : int
        Grid points per evaluated block (memory bound).
    workers : int, optional
        Threads (default: up to 2, the cores of the reference machine).
    progress : callable(done_points, total_points), optional
        Called before the first block and as each block of the grid completes (the grid is then cut
        into at least ~20 blocks; every point is solved on its own, so the cut does not change a
        result).
    engine : {"numpy", "compiled"}
        How the points are solved (see :func:`porkchop_grid`; the results agree to 1e-12).

    Returns
    -------
    xarray.Dataset
        Dimensions ``depart`` and ``arrive`` (``datetime64`` UTC labels, with ``depart_jd_tdb`` and
        ``arrive_jd_tdb`` coordinates); variables of :data:`~.porkchop_grid.VARIABLES` (unit in name
        and attrs), ``type`` (1/2; 0 none) and ``status`` (:class:`TransferStatus`).
        :func:`porkchop_grid` returns the same numbers as numpy arrays without building it.

    The altitudes and ``mu_sun`` may be plain SI floats or astropy Quantities (converted once; a
    wrong dimension raises :class:`~jointmission.units.UnitError`).
    """
    return porkchop_grid(origin, target, depart, arrive, step_days=step_days, arrive_step_days=arrive_step_days,
                         park_alt_m=park_alt_m, capture_periapsis_alt_m=capture_periapsis_alt_m,
                         capture_apoapsis_alt_m=capture_apoapsis_alt_m, tof_days=tof_days, mu_sun=mu_sun,
                         chunk_size=chunk_size, workers=workers, progress=progress, engine=engine).to_dataset()


def _default_tof_days(o: str, t: str, jd: float, mu_sun: float) -> tuple[float, float]:
    """0.4x .. 1.6x the Hohmann time of flight between the bodies' current distances [d]."""
    r1 = float(np.linalg.norm(eph.position(o, jd)))
    r2 = float(np.linalg.norm(eph.position(t, jd)))
    t_h = math.pi * math.sqrt(((r1 + r2) / 2.0) ** 3 / mu_sun) / DAY_S
    return 0.4 * t_h, 1.6 * t_h


def arrival_window(origin: str, target: str, jd_depart: np.ndarray, tof_days: tuple[float, float] | None,
                   step_days: float, mu_sun: float = GM_SUN) -> tuple[np.ndarray, tuple[float, float]]:
    """Arrival epochs [JD TDB] covering departure epochs ``jd_depart`` + ``tof_days`` every
    ``step_days`` [d], and the time-of-flight range used (default: 0.4-1.6 x the Hohmann time
    between the two bodies' distances at the first departure)."""
    o, _, _ = _planet(origin)
    t, _, _ = _planet(target)
    if tof_days is None:
        tof_days = _default_tof_days(o, t, float(jd_depart[0]), mu_sun)
    if not (0 < tof_days[0] < tof_days[1]):
        raise TransferError(f"tof_days must be (min, max) with 0 < min < max, got {tof_days!r}")
    first, last = jd_depart[0] + tof_days[0], jd_depart[-1] + tof_days[1]
    if last > eph.DE421_LAST_JD:
        raise TransferError(f"arrivals up to {last - eph.DE421_LAST_JD:,.0f} d after the end of DE421 (2053-10-09) "
                            f"(departure + time of flight up to {tof_days[1]:g} d); depart earlier or allow a "
                            "shorter time of flight")
    _check_size((last - first) / step_days + 1, f"the arrival window (departure + time of flight "
                f"{tof_days[0]:g} to {tof_days[1]:g} d) sampled every {step_days:g} d has "
                f"{_count(math.floor((last - first) / step_days) + 1)} dates")
    jd_arr = np.arange(first, last + 1e-9, step_days)
    return jd_arr, (float(tof_days[0]), float(tof_days[1]))
