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
