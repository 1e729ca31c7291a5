"""The Mars cargo mission on the transfer its objective chooses (missions/mars_transfer.py).

The 2031 window with the joint heavy launcher (Joint Heavy CN, scenario margins 5 % / 15 % / 1 %):
the least-C3 transfer (8.17 km2/s2) arrives at 5.52 km/s and a propulsive capture then leaves no
cargo; the least-total-delta-v transfer of the same window (3.56 km/s) lands ~ 1.7 t; choosing by
landed mass lands at least as much (the objective it maximises). Cruise = the chosen time of flight.
"""

import numpy as np
import pytest

from jointmission.missions import Margins
from jointmission.missions.mars_transfer import choose_mars_transfer, landed_mass
from jointmission.vehicles.catalog import get_vehicle

M = Margins(0.05, 0.15, 0.01)


@pytest.fixture(scope="module")
def cn():
    return get_vehicle("Joint Heavy CN")


@pytest.mark.slow
def test_2031_propulsive_capture_needs_the_objective_not_least_c3(cn):
    w = ("2031-01-01", "2031-04-30")
    c3 = choose_mars_transfer(cn, w, objective="c3", capture="propulsive", margins=M)
    dv = choose_mars_transfer(cn, w, objective="dv_total", capture="propulsive", margins=M)
    lm = choose_mars_transfer(cn, w, objective="landed_mass", capture="propulsive", margins=M)
    assert np.isnan(c3.landed_kg) and c3.transfer.vinf_arrive_m_s > 5500.0
    assert 1.0e3 < dv.landed_kg < 2.5e3
    assert lm.landed_kg >= dv.landed_kg * (1 - 1e-6)
    assert dv.cruise_days == pytest.approx(dv.transfer.tof_s / 86400.0) and 270 < dv.cruise_days < 300
    assert not lm.transfer.on_ridge


def test_landed_mass_is_vectorized_and_falls_with_arrival_speed_and_cruise(cn):
    cap = np.full(4, 60e3)
    vinf = np.array([3000.0, 4000.0, 5000.0, 4000.0])
    tof = np.array([200.0, 200.0, 200.0, 320.0]) * 86400.0
    m = landed_mass(cn, 9e6, vinf, tof, capture="propulsive", margins=M, capability_kg=cap)
    one = [float(landed_mass(cn, 9e6, v, t, capture="propulsive", margins=M, capability_kg=60e3))
           for v, t in zip(vinf, tof)]
    np.testing.assert_allclose(m, one, rtol=1e-12)
    assert m[0] > m[1] > m[2] and m[3] < m[1]  # faster arrival, longer cruise (boil-off): less landed
