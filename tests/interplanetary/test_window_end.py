"""The best transfer of a window whose end falls between two grid steps: the refinement may go up
to the window's end (not past it), so a better transfer inside the user's dates is not missed."""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.interplanetary import ephemeris as eph
from jointmission.interplanetary.optimum import best_transfer, optima
from jointmission.interplanetary.transfers import date_grid, evaluate_pairs, porkchop_grid, window_end

DEPART = ("2031-01-01", "2031-02-01")  # 31 d: with a 2 d step the last date sampled is 01-31
ARRIVE = ("2031-08-01", "2031-09-01")  # likewise 08-31


def test_the_window_end_is_kept_where_it_falls_off_the_step():
    g = porkchop_grid("earth", "mars", DEPART, ARRIVE, step_days=2.0)
    assert g.arrive_jd_tdb[-1] == pytest.approx(eph.to_jd_tdb("2031-08-31"))
    assert g.attrs["arrive_end_jd_tdb"] == pytest.approx(eph.to_jd_tdb("2031-09-01"))
    assert g.attrs["depart_end_jd_tdb"] == pytest.approx(eph.to_jd_tdb("2031-02-01"))
    on_step = porkchop_grid("earth", "mars", ("2031-01-01", "2031-01-31"), ("2031-08-01", "2031-08-31"), step_days=2.0)
    assert "depart_end_jd_tdb" not in on_step.attrs and "arrive_end_jd_tdb" not in on_step.attrs
    explicit = porkchop_grid("earth", "mars", date_grid(DEPART, 2.0), date_grid(ARRIVE, 2.0), step_days=2.0)
    assert "arrive_end_jd_tdb" not in explicit.attrs  # explicit epochs: the dates are the window
    assert window_end(np.array([2462868.5, 2462870.5])) is None
    assert window_end("2031-01-01:2031-02-01") == pytest.approx(eph.to_jd_tdb("2031-02-01"))


def test_the_type_ii_optimum_at_the_window_end_is_found():
    """Earth -> Mars 2031, Type II, arrival window 08-01..09-01: C3 falls towards the window's end.
    The optimum sits at the arrival window's last day, 09-01, one day past the last date of a 2 d
    grid; the independent evaluation at those dates (DE421 + Lambert, evaluate_pairs) is the
    reference, to 1e-6 km2/s2 (the refinement's date tolerance, ~1e-5 d, moves C3 by far less)."""
    b = best_transfer("earth", "mars", DEPART, ARRIVE, step_days=2.0, transfer_type=2)
    end = eph.to_jd_tdb("2031-09-01")
    assert b.arrive_jd_tdb == pytest.approx(end, abs=1e-4) and b.arrive_jd_tdb <= end + 1e-9
    ref = evaluate_pairs("earth", "mars", b.depart_jd_tdb, end)
    assert int(ref["type"]) == 2
    assert b.c3_m2_s2 / 1e6 == pytest.approx(float(ref["c3_km2_s2"]), abs=1e-4)
    # the best transfer on the grid's own dates (08-31 at the latest) is ~4.4 km2/s2 worse
    g = porkchop_grid("earth", "mars", date_grid(DEPART, 2.0), date_grid(ARRIVE, 2.0), step_days=2.0)
    grid_only = [o for o in optima(g) if o.type == 2][0]
    assert grid_only.c3_m2_s2 - b.c3_m2_s2 > 4.0e6
    assert grid_only.arrive_jd_tdb <= eph.to_jd_tdb("2031-08-31") + 1e-6


def test_the_refinement_never_leaves_the_window():
    for o in optima(porkchop_grid("earth", "mars", DEPART, ARRIVE, step_days=2.0)):
        assert eph.to_jd_tdb("2031-01-01") - 1e-9 <= o.depart_jd_tdb <= eph.to_jd_tdb("2031-02-01") + 1e-9
        assert eph.to_jd_tdb("2031-08-01") - 1e-9 <= o.arrive_jd_tdb <= eph.to_jd_tdb("2031-09-01") + 1e-9


@pytest.mark.parametrize("window, step, n", [(("2031-08-01", "2031-08-31"), 2.0, 16), (("2026-09-01", "2027-01-31"), 1.0, 153),
                                             (("2031-01-01", "2031-02-01"), 2.0, 16)])
def test_a_window_of_whole_steps_keeps_its_last_date(window, step, n):
    """08-01..08-31 is 15 steps of 2 d in UTC but ~8e-9 d short of them in TDB (the periodic TDB - TT
    term differs between the two dates): the grid still ends on 08-31 (16 dates, not 15)."""
    jd = date_grid(window, step)
    assert jd.size == n
    assert np.all(np.diff(jd) == pytest.approx(step))
    end = eph.to_jd_tdb(window[1])
    assert jd[-1] <= end + 1e-6 and end - jd[-1] < step
