"""The window's transfer chosen by objective (interplanetary/selection.py).

Cross-check: the least-C3 choice (grid + local zoom) agrees with the independent refinement of
interplanetary/optimum.py (scipy Nelder-Mead) to 1e-4 relative in C3 (both refine below a 4-day grid
step; 1e-4 is ~ 0.001 km2/s2, well below what a mission result resolves).
"""

import numpy as np
import pytest

from jointmission.interplanetary.optimum import best_transfer
from jointmission.interplanetary.selection import RIDGE_TOL_DEG, choose_transfer, grid_merit, ridge_flag
from jointmission.interplanetary.transfers import GM_SUN, TransferError, arrival_window, date_grid, porkchop

WINDOW = ("2031-01-01", "2031-04-30")
CAPTURE = dict(capture_periapsis_alt_m=250e3, capture_apoapsis_alt_m=33793e3)  # DRA 5.0 250 km x 1 sol


@pytest.fixture(scope="module")
def grid():
    jd = date_grid(WINDOW, 4.0)
    ja, tof = arrival_window("earth", "mars", jd, None, 4.0, GM_SUN)
    return porkchop("earth", "mars", jd, ja, step_days=4.0, tof_days=tof, **CAPTURE), tof


def test_least_c3_agrees_with_the_optimum_module(grid):
    ds, tof = grid
    mine = choose_transfer(ds, "c3", tof_days=tof)
    ref = best_transfer("earth", "mars", WINDOW, step_days=4.0, objective="c3", **CAPTURE)
    assert mine.c3_m2_s2 == pytest.approx(ref.c3_m2_s2, rel=1e-4)
    assert mine.vinf_arrive_m_s == pytest.approx(ref.vinf_arrive_m_s, rel=1e-3)


def test_2031_least_c3_arrives_fast_and_least_total_dv_does_not(grid):
    """The case of the 2031 window: least C3 (8.17 km2/s2) arrives at 5.52 km/s after 320 d; least
    departure + capture delta-v departs at 10.26 km2/s2 and arrives at 3.56 km/s after 283 d."""
    ds, tof = grid
    c3 = choose_transfer(ds, "c3", tof_days=tof)
    dv = choose_transfer(ds, "dv_total", tof_days=tof)
    assert c3.vinf_arrive_m_s == pytest.approx(5524.0, rel=2e-3)
    assert c3.cruise_days == pytest.approx(320.2, abs=1.0)
    assert dv.vinf_arrive_m_s == pytest.approx(3556.0, rel=2e-3)
    assert dv.cruise_days == pytest.approx(283.0, abs=1.0)
    # each objective wins on its own measure
    assert c3.c3_m2_s2 < dv.c3_m2_s2
    assert dv.dv_depart_m_s + dv.dv_arrive_m_s < c3.dv_depart_m_s + c3.dv_arrive_m_s
    assert dv.merit == pytest.approx((dv.dv_depart_m_s + dv.dv_arrive_m_s) / 1e3, rel=1e-9)


def test_score_objective_equals_the_named_one_for_the_same_measure(grid):
    ds, tof = grid
    by_name = choose_transfer(ds, "c3", tof_days=tof)
    by_score = choose_transfer(ds, "score", score=lambda c3, vinf, t: -c3, tof_days=tof)
    assert by_score.c3_m2_s2 == pytest.approx(by_name.c3_m2_s2, rel=1e-12)
    assert by_score.merit == pytest.approx(-by_name.c3_m2_s2, rel=1e-12)


def test_ridge_flag_and_avoidance(grid):
    ds, tof = grid
    assert ridge_flag([175.0, 180.0 - RIDGE_TOL_DEG, 184.0, 190.0, 170.0]).tolist() == [True, True, True, False, False]
    ang = ds["transfer_angle_deg"].values
    near = ridge_flag(ang) & (ds["type"].values > 0)
    assert near.any()  # the 2031 grid crosses the ridge
    # a score peaked on the feasible point nearest 180 deg picks it, flagged on_ridge
    dist = np.where(ds["type"].values > 0, np.abs(ang - 180.0), np.inf)
    i, j = np.unravel_index(int(np.argmin(dist)), dist.shape)
    c3_0, v_0 = ds["c3_km2_s2"].values[i, j] * 1e6, ds["vinf_arrive_km_s"].values[i, j] * 1e3
    peaked = lambda c3, vinf, t: -np.abs(c3 / c3_0 - 1.0) - np.abs(vinf / v_0 - 1.0)  # noqa: E731
    on = choose_transfer(ds, "score", score=peaked, refine=False)
    assert on.on_ridge and abs(on.transfer_angle_deg - 180.0) == pytest.approx(dist[i, j], abs=1e-9)
    # avoid_ridge: the best point off the ridge, as a masked argmin by hand
    off = choose_transfer(ds, "c3", refine=False, avoid_ridge=True)
    c3 = np.where(near | (ds["type"].values == 0), np.inf, ds["c3_km2_s2"].values)
    assert not off.on_ridge and off.c3_m2_s2 / 1e6 == pytest.approx(np.min(c3), rel=1e-12)


def test_bad_objective_and_missing_score(grid):
    ds, _ = grid
    with pytest.raises(TransferError, match="unknown objective 'mass'"):
        choose_transfer(ds, "mass")
    with pytest.raises(TransferError, match="needs a score"):
        choose_transfer(ds, "score")
    with pytest.raises(TransferError, match="no feasible transfer"):
        choose_transfer(ds, "score", score=lambda c3, vinf, t: np.full(np.shape(c3), np.nan))


def test_grid_merit_marks_no_transfer_as_minus_inf():
    vals = {"type": np.array([1, 0, 2]), "c3_km2_s2": np.array([9.0, np.nan, 8.0])}
    assert grid_merit(vals, "c3").tolist() == [-9.0, -np.inf, -8.0]
