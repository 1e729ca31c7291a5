"""porkchop / best_transfer accept astropy Quantities for their orbits and GM (converted once), and
refuse a wrong dimension by name instead of reading a number in the wrong unit."""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest

import jointmission as jm
from jointmission.units import UnitError

WINDOW = ("2031-01-01", "2031-05-15")


def test_best_transfer_quantity_altitudes_equal_si_floats():
    q = jm.best_transfer("earth", "mars", WINDOW, step_days=4.0, park_alt_m=200 * u.km,
                         capture_periapsis_alt_m=0.3 * u.Mm)
    f = jm.best_transfer("earth", "mars", WINDOW, step_days=4.0, park_alt_m=200e3, capture_periapsis_alt_m=300e3)
    assert q.dv_depart_m_s == f.dv_depart_m_s and q.dv_arrive_m_s == f.dv_arrive_m_s


def test_porkchop_quantity_parking_altitude_equals_si_float():
    kw = dict(step_days=20.0)
    q = jm.porkchop("earth", "mars", WINDOW, ("2031-08-01", "2032-01-31"), park_alt_m=185 * u.km, **kw)
    f = jm.porkchop("earth", "mars", WINDOW, ("2031-08-01", "2032-01-31"), park_alt_m=185e3, **kw)
    np.testing.assert_array_equal(q["dv_depart_km_s"].values, f["dv_depart_km_s"].values)


@pytest.mark.parametrize("kwargs, name", [({"park_alt_m": 200 * u.s}, "park_alt_m"),
                                          ({"mu_sun": 1.3e20 * u.m**2 / u.s**2}, "mu_sun")])
def test_wrong_dimension_is_refused_by_name(kwargs, name):
    with pytest.raises(UnitError, match=name):
        jm.best_transfer("earth", "mars", WINDOW, step_days=4.0, **kwargs)


def test_porkchop_steps_and_time_of_flight_take_time_quantities():
    """``step_days=5 * u.day`` (or hours, or a ``tof_days`` pair of Quantities) is what a user of the
    Quantity API writes; it raised a bare TypeError ('only dimensionless scalar quantities can be
    converted to Python scalars'). A time Quantity is converted to days; a plain number stays days."""
    arrive = ("2031-08-01", "2032-01-31")
    f = jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=20.0, arrive_step_days=10.0,
                         tof_days=(150.0, 300.0))
    q = jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=20 * u.day, arrive_step_days=240 * u.h,
                         tof_days=(150 * u.day, 300 * u.day))
    np.testing.assert_array_equal(q.data["c3_km2_s2"], f.data["c3_km2_s2"])
    assert q.attrs["step_days"] == 20.0
    b = jm.best_transfer("earth", "mars", WINDOW, step_days=4 * u.day)
    assert b.c3_m2_s2 == jm.best_transfer("earth", "mars", WINDOW, step_days=4.0).c3_m2_s2
    with pytest.raises(UnitError, match="step_days"):
        jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=5 * u.km)


def test_orbits_beyond_the_sphere_of_influence_give_no_numbers():
    """A capture periapsis beyond Mars's sphere of influence (~577,000 km) is no capture orbit: every
    grid point is INVALID_INPUT (NaN), and best_transfer refuses it, as for a periapsis below the surface."""
    from jointmission.core.status import Status
    from jointmission.interplanetary.transfers import SOI_RADIUS_M, TransferError

    # Laplace's a (m/M)^(2/5); Curtis, Orbital Mechanics for Engineering Students, Table A.2:
    # Venus 616,000 km, Earth 925,000 km, Mars 577,000 km (to 1 %: the semi-major axes used differ slightly)
    for planet, km in (("venus", 616e3), ("earth", 925e3), ("mars", 577e3)):
        assert SOI_RADIUS_M[planet] / 1e3 == pytest.approx(km, rel=0.01)
    g = jm.porkchop_grid("earth", "mars", WINDOW, ("2031-08-01", "2032-01-31"), step_days=30.0,
                         capture_periapsis_alt_m=600_000e3)
    assert (g.data["status"] == Status.INVALID_INPUT).all() and np.isnan(g.data["dv_arrive_km_s"]).all()
    with pytest.raises(TransferError, match="capture"):
        jm.best_transfer("earth", "mars", WINDOW, step_days=4.0, capture_periapsis_alt_m=600_000e3)
    ok = jm.porkchop_grid("earth", "mars", WINDOW, ("2031-08-01", "2032-01-31"), step_days=30.0,
                          capture_periapsis_alt_m=500_000e3)
    assert (ok.data["status"] == 0).any()


def test_a_step_longer_than_the_window_still_searches_the_whole_window():
    """Departures 2031-01-01..02-01 sampled every 400 d held one date, the start, and the optimum could
    not leave it: 'best' Type I C3 25.75 km2/s2 on 01-01 -> 08-01, where the window's best is 8.97
    (01-27 -> 08-05, found with a 2 d step). A window shorter than the step is sampled at both ends, so
    the refinement searches all of it (within 1e-3 km2/s2 of the fine grid's optimum)."""
    from jointmission.interplanetary.optimum import optima

    dep, arr = ("2031-01-01", "2031-02-01"), ("2031-08-01", "2031-09-01")
    fine = optima(jm.porkchop_grid("earth", "mars", dep, arr, step_days=2.0))
    coarse_grid = jm.porkchop_grid("earth", "mars", dep, arr, step_days=400.0)
    assert coarse_grid.shape == (2, 2)
    coarse = optima(coarse_grid)
    t1 = [b for b in coarse if b.type == 1][0]
    assert t1.c3_m2_s2 / 1e6 == pytest.approx(fine[0].c3_m2_s2 / 1e6, abs=1e-3)
    assert jm.porkchop_grid("earth", "mars", ("2031-01-01", "2031-01-01"), arr, step_days=400.0).shape == (1, 2)


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_the_sphere_of_influence_bound_follows_the_planet_not_its_gm(monkeypatch, engine):
    """A caller who gives a planet another GM or radius (here DE440's GM of the Mars system,
    42,828.375816 km^3/s^2, Park et al. 2021, AJ 161:105, instead of DE421's 42,828.3, and Earth's mean
    radius 6,371 km) keeps the planet's bounds: a capture periapsis 600,000 km above Mars (beyond its
    ~577,000 km sphere of influence) and an Earth parking orbit 50 km up (below the 80 km entry
    interface) are still no orbits. The bounds were looked up by the GM float (and Earth by its
    radius), so these gave numbers."""
    from jointmission.core.status import Status
    from jointmission.interplanetary import transfers

    monkeypatch.setitem(transfers.PLANETS, "mars", (4.2828375816e13, transfers.PLANETS["mars"][1]))
    arrive = ("2031-08-01", "2032-01-31")
    g = jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=30.0, capture_periapsis_alt_m=600_000e3,
                         engine=engine)
    assert (g.data["status"] == Status.INVALID_INPUT).all() and np.isnan(g.data["dv_arrive_km_s"]).all()
    ok = jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=30.0, capture_periapsis_alt_m=500_000e3,
                          engine=engine)
    assert (ok.data["status"] == 0).any()  # inside the sphere of influence: numbers, with the new GM
    with pytest.raises(transfers.TransferError, match="capture"):
        jm.best_transfer("earth", "mars", WINDOW, step_days=4.0, capture_periapsis_alt_m=600_000e3)
    monkeypatch.setitem(transfers.PLANETS, "earth", (transfers.PLANETS["earth"][0], 6371.0e3))
    low = jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=30.0, park_alt_m=50e3, engine=engine)
    assert (low.data["status"] == Status.INVALID_INPUT).all()
    pairs = transfers.evaluate_pairs("earth", "mars", 2462900.5, 2463100.5, capture_periapsis_alt_m=600_000e3)
    assert pairs["status"] == Status.INVALID_INPUT and np.isnan(pairs["dv_arrive_km_s"])


@pytest.mark.parametrize("kwargs, words", [
    ({"tof_days": (300.0, 100.0)}, "tof_days"),   # grid: every point TOF_OUT_OF_RANGE, silently
    ({"tof_days": (float("nan"), 300.0)}, "tof_days"),  # grid: the NaN bound ignored
    ({"tof_days": (100.0, 200.0, 300.0)}, "tof_days"),  # grid: read as (100, 200)
    ({"tof_days": 200.0}, "tof_days"),  # TypeError: 'float' object is not iterable
    ({"mu_sun": 0.0}, "mu_sun"),  # best_transfer: ZeroDivisionError
    ({"mu_sun": -1.3e20}, "mu_sun"),  # best_transfer: math domain error
])
def test_a_malformed_time_of_flight_or_sun_gm_is_refused_by_name(kwargs, words):
    from jointmission.interplanetary.transfers import TransferError

    arrive = ("2031-08-01", "2031-10-01")
    with pytest.raises(TransferError, match=words):
        jm.porkchop_grid("earth", "mars", WINDOW, arrive, step_days=20.0, **kwargs)
    with pytest.raises(TransferError, match=words):
        jm.best_transfer("earth", "mars", WINDOW, step_days=5.0, **kwargs)


@pytest.mark.parametrize("bad", [3, "I", "II", 0, None])
def test_an_unknown_transfer_type_is_refused(bad):
    """``transfer_type=3`` said "no transfer in the window", ``"I"`` raised int()'s ValueError."""
    from jointmission.interplanetary.transfers import TransferError

    with pytest.raises(TransferError, match=r"transfer_type must be 'any', 1 or 2"):
        jm.best_transfer("earth", "mars", WINDOW, step_days=5.0, transfer_type=bad)


def test_a_window_of_years_or_of_three_dates_is_refused_clearly():
    """``(2031, 2032)`` is read as Julian dates (4707 BC) and was refused as "epoch NaT is outside
    DE421"; a (start, end) tuple of three dates silently used the first and the last."""
    from jointmission.interplanetary.transfers import TransferError

    with pytest.raises(TransferError, match=r"JD 2031 .*a year alone is no date.*'2031-01-01'"):
        jm.best_transfer("earth", "mars", (2031, 2032), step_days=5.0)
    with pytest.raises(TransferError, match=r"\(start, end\).*3 dates"):
        jm.porkchop_grid("earth", "mars", ("2031-01-01", "2031-02-01", "2031-03-01"), ("2031-08-01", "2031-10-01"))
    assert jm.porkchop_grid("earth", "mars", ["2031-01-01", "2031-02-01", "2031-03-01"],
                            ("2031-08-01", "2031-10-01"), step_days=20.0).shape == (3, 4)  # a list: the epochs
