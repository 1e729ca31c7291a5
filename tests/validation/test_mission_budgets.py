"""Mission budgets against published numbers.

1. Lunar delta-v budget LEO -> TLI -> LLO -> surface. Published: the Earth-Moon branch of the
   "delta-v map of the Solar System" reproduced in Wikipedia's "Delta-v budget" article (after
   Ferreira; values also encoded in public trajectory tools, e.g. the i.imgur.com/SqdzxzF map):
   LEO -> lunar transfer 3.26 km/s, lunar transfer -> low lunar orbit 0.68 km/s, low lunar orbit ->
   surface 1.73 km/s, total 5.67 km/s. Ours: core.orbits departure (200 km parking, C3 -2 km2/s2 =
   minimum-energy transfer to the Moon's distance), capture from the data file's arrival v_inf
   (0.9 km/s) into 100 km LLO, and the ideal landing from 100 km. Tolerance 3 % (issue) on the total
   and on the landing leg; the map splits the first two legs differently (its transfer figure sits
   above a minimum-energy TLI and its capture below a 3-4 day arrival), so those two legs are only
   checked to 25 % and their sum to 3 %.
2. Mars cargo to the 2033 window: CALT's published Long March 9 (2016) capability of 44 t on an
   Earth-Mars transfer (SpaceNews 2018-06, Long Lehao, CALT; catalog entry 'Long March 9 (2016)'),
   against jointmission's delivery to the minimum-C3 transfer of the 2033 window found by
   missions.mars_window (DE421 + Lambert), one vectorized launcher call. Tolerance 10 % (issue):
   CALT does not state the C3 behind its 44 t (Mars windows need 8-12 km2/s2). This checks the
   delivery to the window only; the landing chain is checked in test_mars_cargo.py (DRA 5.0).
"""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.constants import GM_MOON, R_MOON
from jointmission.missions import capability, mars_window
from jointmission.vehicles import Target
from jointmission.missions.phases import earth_departure_dv, ideal_landing_dv, lunar_capture_dv
from jointmission.vehicles import get_vehicle

MAP = {"tli": 3260.0, "loi": 680.0, "landing": 1730.0}


def test_lunar_delta_v_budget_within_3_percent():
    tli = earth_departure_dv(-2.0e6, 200e3)
    loi = lunar_capture_dv(900.0, 100e3)
    land = ideal_landing_dv(GM_MOON, R_MOON, 100e3)
    total = tli + loi + land
    assert total == pytest.approx(sum(MAP.values()), rel=0.03)
    assert land == pytest.approx(MAP["landing"], rel=0.03)
    assert tli + loi == pytest.approx(MAP["tli"] + MAP["loi"], rel=0.03)
    assert tli == pytest.approx(MAP["tli"], rel=0.25) and loi == pytest.approx(MAP["loi"], rel=0.25)


def test_mars_cargo_2033_within_10_percent_of_calt():
    w = mars_window(2033)
    cap, status = capability([get_vehicle("Long March 9 (2016)")], [Target.c3(w.c3_m2_s2, 200e3)])
    assert status[0, 0] == 0
    assert 7e6 < w.c3_m2_s2 < 10e6
    assert float(cap[0, 0]) == pytest.approx(44e3, rel=0.10)
    assert np.isfinite(cap).all()
