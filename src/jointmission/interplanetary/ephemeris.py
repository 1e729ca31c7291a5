"""Planet, Moon and Sun state vectors over arrays of epochs, from JPL DE421, offline.

The ephemeris file is ``de421.bsp`` shipped inside the ``skyfield-data`` package and read with
``jplephem``; nothing is downloaded at run time. DE421 (Folkner, Williams & Boggs 2008, JPL IOM
343R-08-003) covers 1899-07-29 to 2053-10-09 TDB.

Conventions
-----------
- Epochs inside this module are Julian dates in TDB (float64 arrays of any shape). Calendar dates,
  :class:`astropy.time.Time` objects and ``numpy.datetime64`` are converted once, at the edge, by
  :func:`to_jd_tdb` (strings and datetimes are read as UTC).
- Positions are in m and velocities in m/s, in the ICRF (equatorial J2000) frame, or in the mean
  ecliptic and equinox of J2000 with ``frame="ecliptic"`` (obliquity 84381.406 arcsec, IAU 2006).
- ``center="sun"`` (the default) gives **heliocentric** states: the Sun's own barycentric state is
  subtracted. A heliocentric Lambert problem uses the Sun's GM, so its positions must be
  Sun-centred; mixing solar-system-barycentre positions with the Sun's GM shifts the minimum C3 of
  a Mars window by several percent (the Sun moves up to ~1.5 million km around the barycentre).

Bodies: ``sun``, ``mercury``, ``venus``, ``earth``, ``moon``, ``emb`` (Earth-Moon barycentre),
``mars``, ``jupiter``, ``saturn``, ``uranus``, ``neptune``, ``pluto`` (the outer planets are their
system barycentres, as in DE421), ``ssb`` (the solar-system barycentre).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import numpy as np

__all__ = [
    "BODIES",
    "check_epochs",
    "DE421_FIRST_JD",
    "DE421_LAST_JD",
    "EphemerisError",
    "OBLIQUITY_J2000_RAD",
    "de421_path",
    "icrf_to_ecliptic",
    "ecliptic_to_icrf",
    "position",
    "state",
    "to_jd_tdb",
    "jd_tdb_to_time",
    "jd_tdb_to_datetime64",
    "jd_tdb_to_utc_datetime64",
]

DAY_S = 86400.0
KM = 1000.0

#: Obliquity of the ecliptic at J2000 [rad] (IAU 2006 precession, 84381.406 arcsec).
OBLIQUITY_J2000_RAD = np.deg2rad(84381.406 / 3600.0)

#: SPK segment chains from the solar-system barycentre (0) to each body (NAIF ids, DE421 layout).
_CHAINS: dict[str, tuple[tuple[int, int], ...]] = {
    "ssb": (),
    "sun": ((0, 10),),
    "mercury": ((0, 1), (1, 199)),
    "venus": ((0, 2), (2, 299)),
    "emb": ((0, 3),),
    "earth": ((0, 3), (3, 399)),
    "moon": ((0, 3), (3, 301)),
    "mars": ((0, 4), (4, 499)),
    "jupiter": ((0, 5),),
    "saturn": ((0, 6),),
    "uranus": ((0, 7),),
    "neptune": ((0, 8),),
    "pluto": ((0, 9),),
}

#: Names accepted by :func:`state` (lower case; a few aliases are also accepted).
BODIES: tuple[str, ...] = tuple(_CHAINS)

_ALIASES = {"earth-moon barycenter": "emb", "earth-moon barycentre": "emb", "luna": "moon",
            "solar system barycenter": "ssb", "solar system barycentre": "ssb", "sol": "sun"}

#: First and last Julian date (TDB) covered by DE421.
DE421_FIRST_JD = 2414864.5
DE421_LAST_JD = 2471184.5


class EphemerisError(ValueError):
    """Unknown body, epoch outside the ephemeris, or an epoch that cannot be read."""


def de421_path() -> str:
    """Path of the DE421 SPK file shipped in the ``skyfield-data`` package."""
    try:
        import skyfield_data
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise EphemerisError("the 'skyfield-data' package (which ships DE421) is not installed") from exc
    path = os.path.join(os.path.dirname(skyfield_data.__file__), "data", "de421.bsp")
    if not os.path.exists(path):  # pragma: no cover - a broken install
        raise EphemerisError(f"DE421 not found at {path}; reinstall 'skyfield-data'")
    return path


@cache
def _kernel():
    from jplephem.spk import SPK

    return SPK.open(de421_path())


def _body(name: str) -> str:
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in _CHAINS:
        raise EphemerisError(f"unknown body '{name}'; known bodies: {', '.join(BODIES)}")
    return key


def check_epochs(jd: np.ndarray) -> None:
    """Raise :class:`EphemerisError` unless every Julian date ``jd`` [TDB] is finite and inside DE421
    (the message names the first epoch outside, as a calendar date or a number)."""
    _check_range(np.asarray(jd, dtype=float))


def _check_range(jd: np.ndarray) -> None:
    if jd.size == 0:
        return
    if not np.all(np.isfinite(jd)):
        raise EphemerisError("epochs must be finite Julian dates (TDB)")
    lo, hi = float(jd.min()), float(jd.max())
    if lo < DE421_FIRST_JD or hi > DE421_LAST_JD:
        raise EphemerisError(f"epoch {_epoch_text(lo if lo < DE421_FIRST_JD else hi)} is outside DE421 "
                             "(1899-07-29 to 2053-10-09 TDB); choose dates inside that span")


def _epoch_text(jd: float) -> str:
    """A Julian date [TDB] for a message: its calendar date, else (beyond numpy's calendar) the number,
    with a word where it looks like a year typed as a number (JD 2031 is in 4707 BC)."""
    with np.errstate(invalid="ignore", over="ignore"):
        day = str(jd_tdb_to_datetime64(np.array([jd]))[0])[:10]
    if day != "NaT" and 1 <= abs(jd) < 1e7 and not (1000 <= jd <= 3000):
        return day
    text = f"JD {jd:g}"
    if 1000 <= jd <= 3000 and float(jd).is_integer():
        text += f" (a Julian date: {jd:g} is read as a day number, not a year; a year alone is no date, write '{jd:g}-01-01')"
    return text


def _ssb_state(body: str, jd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric state in km and km/day, shape (3, N) for a flat ``jd``."""
    r = np.zeros((3, jd.size))
    v = np.zeros((3, jd.size))
    kernel = _kernel()
    for pair in _CHAINS[body]:
        p, dp = kernel[pair].compute_and_differentiate(jd)
        r += np.reshape(p, (3, -1))
        v += np.reshape(dp, (3, -1))
    return r, v


def state(body: str, jd_tdb, center: str = "sun", frame: str = "icrf") -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity of ``body`` relative to ``center`` at Julian dates ``jd_tdb``.

    Parameters
    ----------
    body, center : str
        Body names (see :data:`BODIES`), e.g. ``"mars"`` relative to ``"sun"`` (heliocentric) or
        ``"moon"`` relative to ``"earth"`` (geocentric).
    jd_tdb : array_like
        Julian dates in the TDB time scale, any shape ``S`` (use :func:`to_jd_tdb` for calendar
        dates).
    frame : {"icrf", "ecliptic"}
        ICRF (equatorial J2000) or the mean ecliptic and equinox of J2000.

    Returns
    -------
    r, v : ndarray, shape ``S + (3,)``
        Position [m] and velocity [m/s].

    Raises
    ------
    EphemerisError
        Unknown body or frame, or an epoch outside DE421.
    """
    b, c = _body(body), _body(center)
    jd = np.asarray(jd_tdb, dtype=float)
    shape = jd.shape
    flat = jd.reshape(-1)
    _check_range(flat)
    r, v = _ssb_state(b, flat)
    if c != "ssb":
        rc, vc = _ssb_state(c, flat)
        r -= rc
        v -= vc
    r = (r.T * KM).reshape(shape + (3,))
    v = (v.T * (KM / DAY_S)).reshape(shape + (3,))
    if frame == "ecliptic":
        return icrf_to_ecliptic(r), icrf_to_ecliptic(v)
    if frame != "icrf":
        raise EphemerisError(f"unknown frame '{frame}'; use 'icrf' or 'ecliptic'")
    return r, v


def position(body: str, jd_tdb, center: str = "sun", frame: str = "icrf") -> np.ndarray:
    """Position [m] of ``body`` relative to ``center``; see :func:`state`."""
    return state(body, jd_tdb, center, frame)[0]


def _rot_x(vec: np.ndarray, angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    x, y, z = vec[..., 0], vec[..., 1], vec[..., 2]
    return np.stack([x, c * y + s * z, -s * y + c * z], axis=-1)


def icrf_to_ecliptic(vec) -> np.ndarray:
    """Rotate vectors (..., 3) from ICRF (equatorial J2000) to the J2000 mean ecliptic (any unit)."""
    return _rot_x(np.asarray(vec, dtype=float), OBLIQUITY_J2000_RAD)


def ecliptic_to_icrf(vec) -> np.ndarray:
    """Rotate vectors (..., 3) from the J2000 mean ecliptic to ICRF (any unit)."""
    return _rot_x(np.asarray(vec, dtype=float), -OBLIQUITY_J2000_RAD)


# ----------------------------------------------------------------------------------- time at the edge
_J2000_JD = 2451545.0
_DT64_J2000_TDB = np.datetime64("2000-01-01T12:00:00", "ns")


def _utc_dt64_to_jd_tdb(dt64: np.ndarray) -> np.ndarray:
    """UTC ``numpy.datetime64`` -> JD TDB (float64), with ERFA's own leap-second table.

    The same chain as :class:`astropy.time.Time` (``dtf2d`` -> ``utctai`` -> ``taitt`` -> ``tttdb``
    with a geocentric ``dtdb``), without importing ``astropy.time`` (~0.2 s of a fresh process).
    """
    import erfa

    ns = dt64.astype("datetime64[ns]")
    days = ns.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("int64") // 12 + 1970
    month = months.astype("int64") % 12 + 1
    day = (days - months).astype("int64") + 1
    sod_ns = (ns - days).astype("int64")  # nanoseconds into the UTC day
    hour, rem = np.divmod(sod_ns, 3_600_000_000_000)
    minute, rem = np.divmod(rem, 60_000_000_000)
    u1, u2 = erfa.dtf2d("UTC", year, month, day, hour, minute, rem / 1e9)
    tai1, tai2 = erfa.utctai(u1, u2)
    tt1, tt2 = erfa.taitt(tai1, tai2)
    ut = np.mod(np.mod(u1 - 0.5, 1.0) + u2, 1.0)  # UT as a fraction of the day (TDB-TT's diurnal term)
    tdb1, tdb2 = erfa.tttdb(tt1, tt2, erfa.dtdb(tt1, tt2, ut, 0.0, 0.0, 0.0))
    return np.asarray(tdb1 + tdb2, dtype=float)


def _as_datetime64(value: Any, arr: np.ndarray) -> np.ndarray | None:
    """ISO date strings / datetimes as ``datetime64[ns]``, or None where numpy cannot read them all."""
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[ns]")
    if arr.dtype.kind not in "UO":
        return None
    try:
        parsed = np.asarray(arr, dtype="datetime64")
    except (ValueError, TypeError, OverflowError):
        return None
    if np.datetime_data(parsed.dtype)[0] in ("Y", "M"):
        return None  # a year or a month is not a date: astropy decides
    return parsed.astype("datetime64[ns]")


def to_jd_tdb(value: Any) -> np.ndarray:
    """Convert epochs to Julian dates in TDB (float64 array).

    Accepts an :class:`astropy.time.Time` (any scale), ISO strings such as ``"2031-01-15"`` or
    ``"2031-01-15T06:00"`` and :class:`datetime.datetime` (read as UTC), ``numpy.datetime64``
    (read as UTC), or numbers (taken as JD TDB already). Lists and arrays of these too.

    Raises
    ------
    EphemerisError
        If a value cannot be read as a date.
    """
    import warnings

    from erfa import ErfaWarning

    t = None
    if type(value).__name__ == "Time" and type(value).__module__.startswith("astropy.time"):
        t = value
    else:
        arr = np.asarray(value)
        if arr.dtype.kind in "iuf":
            return arr.astype(float)
        if arr.size == 0:
            return np.zeros(arr.shape)
        dt64 = _as_datetime64(value, arr)
        if dt64 is not None and not np.isnat(dt64).any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ErfaWarning)  # "dubious year": future leap seconds
                return _utc_dt64_to_jd_tdb(dt64)
    from astropy.time import Time  # other date forms (and Time objects) go through astropy

    if t is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ErfaWarning)
                t = Time(value if arr.ndim == 0 else arr.tolist(), scale="utc")
        except (ValueError, TypeError):
            raise EphemerisError(f"cannot read {_unreadable(value, arr)!r} as a date; write it like "
                                 "'2031-01-15'") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        tdb = t.tdb
    return np.asarray(tdb.jd1 + tdb.jd2, dtype=float)


def _unreadable(value: Any, arr: np.ndarray) -> Any:
    """The first item of ``value`` (a list or array ``arr`` of dates) that astropy cannot read as a
    date, or ``value`` itself: what an error message should quote."""
    from astropy.time import Time

    for item in (arr.ravel().tolist() if arr.ndim > 0 else []):
        try:
            Time(item, scale="utc")
        except (ValueError, TypeError):
            return item
    return value


def jd_tdb_to_time(jd_tdb):
    """Julian dates (TDB) -> :class:`astropy.time.Time` in the TDB scale."""
    from astropy.time import Time

    return Time(np.asarray(jd_tdb, dtype=float), format="jd", scale="tdb")


def jd_tdb_to_datetime64(jd_tdb) -> np.ndarray:
    """Julian dates (TDB) -> ``numpy.datetime64[s]`` labels (TDB, not UTC: ~69 s apart in 2030)."""
    jd = np.asarray(jd_tdb, dtype=float)
    ns = np.round((jd - _J2000_JD) * DAY_S * 1e9)
    return (_DT64_J2000_TDB + ns.astype("int64").astype("timedelta64[ns]")).astype("datetime64[s]")


def jd_tdb_to_utc_datetime64(jd_tdb) -> np.ndarray:
    """Julian dates (TDB) -> ``numpy.datetime64[s]`` in UTC (rounded to the second): the calendar
    dates users type.

    The chain of :class:`astropy.time.Time`'s ``.utc`` (``tdbtt`` with a geocentric ``dtdb``,
    ``tttai``, ``taiutc``, ``d2dtf``) called on ERFA directly, with ERFA's leap-second table.
    """
    import warnings

    import erfa

    jd = np.asarray(jd_tdb, dtype=float)
    if jd.size == 0:
        return np.zeros(jd.shape, dtype="datetime64[s]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        j1 = np.round(jd)
        j2 = jd - j1
        a1, a2 = erfa.tttai(j1, j2)  # TDB read as TT for the diurnal term's UT, as astropy does
        a1, a2 = erfa.taiutc(a1, a2)
        ut = np.mod(np.mod(a1 - 0.5, 1.0) + a2, 1.0)
        tt1, tt2 = erfa.tdbtt(j1, j2, erfa.dtdb(j1, j2, ut, 0.0, 0.0, 0.0))
        tai1, tai2 = erfa.tttai(tt1, tt2)
        u1, u2 = erfa.taiutc(tai1, tai2)
        iy, im, iday, ihmsf = erfa.d2dtf("UTC", 0, u1, u2)  # rounded to the nearest second
    months = ((iy.astype("int64") - 1970) * 12 + im - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (iday.astype("int64") - 1).astype("timedelta64[D]")
    sec = ihmsf["h"].astype("int64") * 3600 + ihmsf["m"].astype("int64") * 60 + ihmsf["s"].astype("int64")
    return (days.astype("datetime64[s]") + sec.astype("timedelta64[s]")).reshape(jd.shape)
