"""DE421 ephemeris: frames, centres, epochs, errors, and a cross-check against an independent theory.

The independent implementation is astropy's ``builtin`` ephemeris: ERFA ``epv00`` (Earth, Sun; a
VSOP2000-derived series, stated accuracy ~5 km, worst 13 km, against DE405 over 1900-2100),
``moon98`` (Moon, Meeus ch. 47 / ELP2000-82, ~ 10 arcsec) and ``plan94`` (planets, Simon et al.
1994, ~ 1e-4 rad at worst for Mars over 1900-2100). Tolerances below are those stated accuracies
with a small margin, so a wrong centre (SSB instead of Sun: up to 1.5 million km), frame (ecliptic
vs equatorial: 23.4 deg) or unit (km vs m, km/day vs km/s) would fail by orders of magnitude.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import get_body_barycentric_posvel, solar_system_ephemeris
from astropy.time import Time

from jointmission.interplanetary import ephemeris as eph

# 1900..2049 in 400 epochs (DE421 spans 1899-07-29 .. 2053-10-09)
JD = np.linspace(2415100.5, 2469000.5, 400)


def _astropy_helio(body: str, center: str = "sun"):
    t = Time(JD, format="jd", scale="tdb")
    with solar_system_ephemeris.set("builtin"):
        pb, vb = get_body_barycentric_posvel(body, t)
        pc, vc = get_body_barycentric_posvel(center, t)
    return (pb - pc).xyz.to_value(u.m).T, (vb - vc).xyz.to_value(u.m / u.s).T


@pytest.mark.parametrize(
    "body, center, pos_tol_km, vel_tol_m_s",
    [
        ("earth", "sun", 15.0, 0.01),      # epv00: 4.6 km typical, 13.4 km worst vs DE405
        ("moon", "earth", 40.0, 0.2),      # moon98 (Meeus/ELP2000-82 truncated): 32 km seen
        ("mars", "sun", 40_000.0, 8.0),    # plan94: ~1.2e-4 rad worst for Mars
        ("venus", "sun", 6_000.0, 3.0),    # plan94
    ],
)
def test_state_matches_erfa_theories(body, center, pos_tol_km, vel_tol_m_s):
    r, v = eph.state(body, JD, center=center)
    r_ref, v_ref = _astropy_helio(body, center)
    assert r.shape == (JD.size, 3) and v.shape == (JD.size, 3)
    assert np.max(np.linalg.norm(r - r_ref, axis=-1)) < pos_tol_km * 1e3
    assert np.max(np.linalg.norm(v - v_ref, axis=-1)) < vel_tol_m_s


def test_heliocentric_not_barycentric():
    """The pitfall named in issue 3: Sun-centred states differ from SSB-centred ones by the Sun's
    barycentric offset (0.1-2 solar radii, ~1e5-1.5e6 km), which is what a heliocentric Lambert
    problem with the Sun's GM must not include."""
    r_helio = eph.position("mars", JD)
    r_bary = eph.position("mars", JD, center="ssb")
    offset = np.linalg.norm(r_bary - r_helio, axis=-1)
    np.testing.assert_allclose(r_bary - r_helio, eph.position("sun", JD, center="ssb"), rtol=0, atol=1e-3)
    assert 5e7 < offset.max() < 2.2e9  # m: up to ~2.2 solar radii around 1900-2050


def test_shapes_broadcast_and_scalar():
    grid = JD[:12].reshape(3, 4)
    r, v = eph.state("mars", grid)
    assert r.shape == (3, 4, 3)
    r0, v0 = eph.state("mars", float(grid[1, 2]))
    assert r0.shape == (3,)
    np.testing.assert_array_equal(r0, r[1, 2])


def test_ecliptic_frame_rotation():
    """Earth's heliocentric orbit lies in the ecliptic: its J2000-ecliptic z is < 3e-4 of |r| (the
    EMB wobble, ~3e-6, and the ecliptic's precession, 47 arcsec per century), while in ICRF z is ~ sin(23.44 deg) |r|."""
    r_ecl = eph.position("earth", JD, frame="ecliptic")
    r_icrf = eph.position("earth", JD)
    assert np.max(np.abs(r_ecl[:, 2]) / np.linalg.norm(r_ecl, axis=-1)) < 3e-4
    assert np.max(np.abs(r_icrf[:, 2]) / np.linalg.norm(r_icrf, axis=-1)) > 0.39
    np.testing.assert_allclose(eph.ecliptic_to_icrf(r_ecl), r_icrf, rtol=0, atol=1e-3)


def test_moon_distance_range():
    """Perigee/apogee of the Moon: 356,400-406,700 km (e.g. Meeus, Astronomical Algorithms, ch. 50)."""
    d = np.linalg.norm(eph.position("moon", np.linspace(2460000.5, 2460400.5, 4000), center="earth"), axis=-1)
    assert 356_000e3 < d.min() < 370_000e3 and 404_000e3 < d.max() < 407_000e3


@pytest.mark.filterwarnings("ignore:.*dubious year")  # astropy's own Time() on a future UTC date, below
def test_to_jd_tdb_forms():
    j = float(eph.to_jd_tdb("2031-01-15"))
    # 2031-01-15 00:00 UTC = JD 2462881.5 UTC; TDB - UTC = 32.184 s + 37 s (leap seconds) = 69.184 s
    assert j == pytest.approx(2462881.5 + 69.184 / 86400, abs=1e-7)
    assert float(eph.to_jd_tdb(np.datetime64("2031-01-15"))) == pytest.approx(j, abs=1e-9)
    assert float(eph.to_jd_tdb(Time("2031-01-15", scale="utc"))) == pytest.approx(j, abs=1e-9)
    np.testing.assert_allclose(eph.to_jd_tdb(["2031-01-15", "2031-01-16T12:00"]), [j, j + 1.5], atol=1e-9)
    assert float(eph.to_jd_tdb(2462881.5)) == 2462881.5  # numbers are JD TDB already
    assert str(eph.jd_tdb_to_datetime64(2451545.0)) == "2000-01-01T12:00:00"


def test_utc_tdb_at_the_j2000_epoch():
    # J2000.0 is 2000-01-01 12:00 TT = 11:58:55.816 UTC: TT - TAI = 32.184 s (IAU 1991) and
    # TAI - UTC = 32 s from 1999-01-01 to 2005-12-31 (IERS Bulletin C 16 / C 30); TDB - TT there is
    # -0.1 ms (Fairhead & Bretagnon 1990 series; < 1.7 ms always), so 1 ms of tolerance.
    assert float(eph.to_jd_tdb("2000-01-01T11:58:55.816")) == pytest.approx(2451545.0, abs=1e-3 / 86400)
    assert str(eph.jd_tdb_to_utc_datetime64(2451545.0)) == "2000-01-01T11:58:56"  # 55.816 s rounded


@pytest.mark.filterwarnings("ignore:.*dubious year")
def test_utc_conversions_equal_astropy_time():
    """Dates and labels go through ERFA directly; astropy's Time (the same ERFA chain, with its own
    leap-second table) must give the same numbers: JD TDB to 1e-11 d (1 us; the float64 spacing of a JD
    is 40 us, so in practice bit for bit) and UTC labels rounded to the second identical, 1950-2060,
    across every leap second since 1972."""
    rng = np.random.default_rng(7)
    lo, hi = np.datetime64("1950-01-01", "ns").astype("int64"), np.datetime64("2060-01-01", "ns").astype("int64")
    utc = rng.integers(lo, hi, 20_000).astype("datetime64[ns]")
    ours = eph.to_jd_tdb(utc)
    ref = Time(utc, scale="utc").tdb
    np.testing.assert_allclose(ours, ref.jd1 + ref.jd2, rtol=0, atol=1e-11)
    strings = [str(d)[:19] for d in utc[:200]]
    np.testing.assert_allclose(eph.to_jd_tdb(strings), Time(strings, scale="utc").tdb.jd, rtol=0, atol=1e-11)
    jd = rng.uniform(2433282.5, 2473459.5, 20_000)
    labels = eph.jd_tdb_to_utc_datetime64(jd)
    ns = np.asarray(Time(jd, format="jd", scale="tdb").utc.datetime64).astype("datetime64[ns]").astype("int64")
    np.testing.assert_array_equal(labels, ((ns + 500_000_000) // 1_000_000_000).astype("datetime64[s]"))
    assert labels.shape == jd.shape and eph.jd_tdb_to_utc_datetime64(jd.reshape(100, 200)).shape == (100, 200)


def test_date_forms_numpy_cannot_read_go_to_astropy():
    # a leap second and a day-of-year date: astropy reads them; a year alone is refused, not read as 1 January
    assert float(eph.to_jd_tdb("2016-12-31T23:59:60")) == pytest.approx(
        float(eph.to_jd_tdb("2017-01-01T00:00:00")) - 1 / 86400, abs=1e-9)
    assert float(eph.to_jd_tdb("2031:015")) == pytest.approx(float(eph.to_jd_tdb("2031-01-15")), abs=1e-9)
    with pytest.raises(eph.EphemerisError, match="cannot read '2031' as a date"):
        eph.to_jd_tdb("2031")


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: eph.state("vulcan", 2451545.0), "unknown body 'vulcan'"),
        (lambda: eph.state("mars", 2451545.0, center="phobos"), "unknown body 'phobos'"),
        (lambda: eph.state("mars", 2451545.0, frame="galactic"), "unknown frame"),
        (lambda: eph.state("mars", eph.to_jd_tdb("2060-01-01")), "outside DE421"),
        (lambda: eph.state("mars", np.nan), "finite"),
        (lambda: eph.to_jd_tdb("2031-13-45"), "cannot read '2031-13-45' as a date"),
    ],
)
def test_errors_are_clear(call, words):
    with pytest.raises(eph.EphemerisError, match=words):
        call()
