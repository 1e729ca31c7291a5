"""The lunar orbit insertion of the trans-lunar conic against a three-body integration, and which
transfer the published LOI row of [T4] belongs to.

[T4] Acta Astronautica 177 (2020) 351-372, doi:10.1016/j.actaastro.2020.07.032, Table 4 (open access:
https://pmc.ncbi.nlm.nih.gov/articles/PMC7385728/table/tbl4): "LEO (407 km) -> TLI 3.276 km/s" and
"TLI -> LLO (100 km) 0.952 km/s", both Mueller (2012), "* Includes 5 % reserve", with "5" days
printed in the transfer column of the LOI row.

Reference physics, independent of the product: the planar circular restricted three-body problem
(Earth + Moon on circular orbits about their barycentre, rotating frame; Szebehely, *Theory of
Orbits*, 1967, ch. 1; Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., sec. 2.12),
integrated from a tangential injection at perigee of a 407 km circular parking orbit. The
injection longitude is solved so the trajectory's first periselene is 100 km above the mean lunar
radius; LOI = periselene speed relative to the Moon (non-rotating frame) minus the circular speed
there.

Measured (rtol 1e-10):
- C3 = -1.90 km^2/s^2: transfers of 4.07 d and 4.90 d with LOI 816.5 and 814.8 m/s;
- C3 = -1.185 km^2/s^2, the energy of [T4]'s own TLI row (3,120 m/s nominal from 407 km): a 2.70-d
  transfer with LOI 949.3 m/s, +4.7 % above the LOI row's 907 m/s nominal (with its
  reserve the row is 952 m/s).
So the 0.952 km/s row is the LOI of the transfer that its companion TLI row injects into (an
Apollo-class ~2.7-3 day transfer), within the table's 5 % reserve; no 4-5 day transfer has it
(those need 815-817 m/s: the row is 11 % above them). Tolerances are the table's reserve (5 %) where a table row
is compared, and 5 % for the first-order conic against the three-body reference (its stated limit:
the Moon's pull is patched in at the Moon's distance, not integrated).

These integrations take ~10 s: marked slow.
"""

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from jointmission.constants import GM_EARTH, GM_MOON, R_EARTH, R_MOON
from jointmission.missions import lunar_legs as L
from jointmission.missions.elements import phase_value

pytestmark = pytest.mark.slow

RESERVE = 0.05          # [T4] "Includes 5 % reserve"
DAY = 86400.0
PARK = 407e3            # [T4] LEO (407 km)
LLO = 100e3             # [T4] LLO (100 km)
D = phase_value("lunar", "moon_distance_km") * 1e3
MU = GM_MOON / (GM_EARTH + GM_MOON)
N = np.sqrt((GM_EARTH + GM_MOON) / D**3)
XE, XM = -MU * D, (1.0 - MU) * D


def _rhs(t, y):
    x, yy, vx, vy = y
    r1 = np.hypot(x - XE, yy)
    r2 = np.hypot(x - XM, yy)
    ax = 2 * N * vy + N * N * x - GM_EARTH * (x - XE) / r1**3 - GM_MOON * (x - XM) / r2**3
    ay = -2 * N * vx + N * N * yy - GM_EARTH * yy / r1**3 - GM_MOON * yy / r2**3
    return [vx, vy, ax, ay]


def _periselene(c3, theta, park=PARK):
    """First close periselene (< 30,000 km) of the CR3BP trajectory injected tangentially at perigee
    of a circular parking orbit at longitude ``theta`` [rad] (rotating frame, from the Earth-Moon
    line): (time [s], radius [m], speed relative to the Moon [m/s]); radius 0 if it hits the Moon,
    None if it never comes close."""
    r0 = R_EARTH + park
    v0 = np.sqrt(c3 + 2 * GM_EARTH / r0)
    px, py = XE + r0 * np.cos(theta), r0 * np.sin(theta)
    vx, vy = -v0 * np.sin(theta) + N * py, v0 * np.cos(theta) - N * (px - XE) - N * XE  # v_rot = v_in - w x r

    def peri(t, y):
        return (y[0] - XM) * y[2] + y[1] * y[3]
    peri.direction = 1

    def close(t, y):
        return np.hypot(y[0] - XM, y[1]) - 30e6
    close.direction = 1      # leaving the Moon's vicinity after a close pass ends the search

    def crash(t, y):
        return np.hypot(y[0] - XM, y[1]) - R_MOON
    crash.terminal = True
    sol = solve_ivp(_rhs, (0, 8 * DAY), [px, py, vx, vy], events=[peri, close, crash], rtol=1e-10, atol=1e-6)
    for t, y in zip(sol.t_events[0], sol.y_events[0]):
        r = np.hypot(y[0] - XM, y[1])
        if r < 30e6:
            dx, dy = y[0] - XM, y[1]     # speed relative to the Moon in a non-rotating frame: v + w x r
            return t, r, np.hypot(y[2] - N * dy, y[3] + N * dx)
    if len(sol.t_events[2]):
        return sol.t_events[2][0], 0.0, np.nan   # hit the Moon: periselene below its surface
    return None


def _loi_to_llo(c3, theta_deg_bracket):
    """(transit [d], LOI [m/s]) of the transfer whose first periselene is 100 km above the Moon."""
    def miss(th):
        got = _periselene(c3, th)
        return (got[1] if got else 1e9) - (R_MOON + LLO)
    th = brentq(miss, *np.radians(theta_deg_bracket), xtol=1e-10)
    t, r, v = _periselene(c3, th)
    assert r == pytest.approx(R_MOON + LLO, abs=100.0)
    return t / DAY, v - np.sqrt(GM_MOON / r)


def _first_order_loi_at(days):
    from jointmission.constants import GM_EARTH as mu
    c3_min = -2.0 * mu / (R_EARTH + PARK + D)
    c3 = brentq(lambda c: float(L.translunar_arrival(c, PARK)[1]) / DAY - days, c3_min * (1 - 1e-9), 5e6, xtol=1.0)
    return float(L.loi_dv(L.translunar_arrival(c3, PARK)[0]))


def test_four_to_five_day_transfers_need_820_m_s_not_the_tables_907():
    """C3 -1.90 km^2/s^2 from 407 km: the 4.07-day and 4.90-day transfers insert into 100 km LLO with
    816.5 and 814.8 m/s (three-body). The first-order conic at the same transit times: within 5 %
    (measured +2.0 % / +0.7 %). [T4]'s 907 m/s nominal LOI row is 11 % above both: it is not the
    LOI of a 4-5 day transfer, whatever its transfer column says."""
    for bracket, days_expected in (((237.5, 238.5), 4.07), ((247.0, 248.0), 4.90)):
        days, loi = _loi_to_llo(-1.90e6, bracket)
        assert days == pytest.approx(days_expected, abs=0.02)
        assert 805.0 < loi < 825.0
        assert _first_order_loi_at(days) == pytest.approx(loi, rel=0.05)
        assert 952.0 / 1.05 / loi - 1.0 > 0.10


def test_the_tables_loi_row_is_the_loi_of_its_own_tli_row():
    """[T4]'s TLI row, 3.276 km/s incl. 5 % = 3,120 m/s nominal from 407 km, injects at C3 = -1.185
    km^2/s^2; that trajectory (three-body) reaches 100 km periselene after 2.70 d and its LOI, 949 m/s,
    is within the table's 5 % reserve of the LOI row's 907 m/s nominal (measured +4.7 %; the row
    with its reserve is 952 m/s). The first-order conic at the same C3 gives 989 m/s, +9.0 % on the
    row (it overstates v_inf at these energies: +4.1 % on the three-body LOI, inside its stated 5 %
    limit); at the same transit time it gives 981 m/s (+3.3 % on the three-body LOI)."""
    c3 = (3276.0 / 1.05 + np.sqrt(GM_EARTH / (R_EARTH + PARK))) ** 2 - 2 * GM_EARTH / (R_EARTH + PARK)
    assert c3 == pytest.approx(-1.185e6, rel=0.001)
    days, loi = _loi_to_llo(c3, (224.8, 225.6))
    assert days == pytest.approx(2.70, abs=0.03)
    nominal = 952.0 / 1.05
    assert loi == pytest.approx(nominal, rel=RESERVE)
    first_order = float(L.loi_dv(L.translunar_arrival(c3, PARK)[0]))
    assert first_order == pytest.approx(loi, rel=0.05)
    assert _first_order_loi_at(days) == pytest.approx(loi, rel=0.05)
