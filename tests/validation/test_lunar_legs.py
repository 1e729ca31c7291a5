"""Lunar legs against a published directional lunar delta-v table, within the table's own reserve.

[T4] Acta Astronautica 177 (2020) 351-372, doi:10.1016/j.actaastro.2020.07.032, Table 4 "Summary
of delta-V requirements" (open access: https://pmc.ncbi.nlm.nih.gov/articles/PMC7385728/table/tbl4):

    From            To                ΔV km/s   days   Reference
    LEO (407 km)    TLI               3.276     <1     Mueller (2012)*
    TLI             Lunar surface     2.900     5      Copernicus
    TLI             LLO (100 km)      0.952     5      Mueller (2012)*
    TLI             NRHO              0.450     5      DAC2
    NRHO            LLO (100 km)      0.740     <1     DAC2
    LLO (100 km)    Lunar surface     2.180     <1     Mueller (2012)*
    RPOD            Any               0.045     <1     DAC2
    LLO 2.5° plane change             0.071     0      Calculated
    Lunar surface   LLO (100 km)      1.968     <1     Mueller (2012)*
    LLO (100 km)    TEI               1.256     <1     Mueller (2012)*
    LLO (100 km)    NRHO              0.850     <1     DAC2
    NRHO            TEI               0.450     <1     DAC2
    * Includes 5 % reserve.

Each row is compared at the transfer its value belongs to. The Copernicus row (TLI -> surface, 5 d)
and the TLI row at a 4.5-day transfer (a first-order conic from 407 km that just reaches the Moon's
distance takes 4.98 d; LRO and Artemis I flew ~4.5 d). The Mueller LOI row (0.952 km/s) is not the
LOI of a 4-5 day transfer (-9.2 % there; a three-body integration needs 815-817 m/s for 4-5 days):
it is the LOI of the trajectory its companion TLI row injects into (three-body +4.7 %,
tests/validation/test_lunar_legs_threebody.py), an Apollo-class transfer; the Mueller TLI and LOI
rows are therefore compared together at Apollo 11's flown 3.04-day coast (an independent duration).

A second table, at its own stated conditions: [F12] Mathematical Problems in Engineering 2012,
971983, doi:10.1155/2012/971983, Table 8 (LEO 463 km, LMO 200 km; direct optimal transfers of 4.571
and 4.769 d), see the last test.

Tolerance: the table's stated reserve, 5 %. Our values are nominal (the mission budget adds its own
delta-v margin), so a starred row is compared with its nominal value, table / 1.05, and passes if
within 5 % of it. Rows without a stated reserve (DAC2, Copernicus) are held to the same 5 %.

Apollo 11 (MSC-00171): translunar coast 3.04 d (TLI cutoff 02:50:03 to LOI-1 ignition 75:49:50,
Tables 7-II/7-V); LOI-1 2,917.5 ft/s into 60.0 x 169.7 n mi gives v_inf = 1.117 km/s
(missions.yaml lunar.arrival_vinf_m_s, as transcribed in tests/validation/test_apollo11.py).
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from jointmission.missions import lunar_legs as L

RESERVE = 0.05  # [T4]'s stated reserve, used as the tolerance
DAY = 86400.0
TRANSIT_D = 4.5  # [d], see the module docstring


def _nominal(table_km_s: float, starred: bool) -> float:
    return table_km_s * 1e3 / (1.0 + RESERVE) if starred else table_km_s * 1e3


def _c3_for_transit(days: float, park_alt_m: float) -> float:
    """TLI C3 [m^2/s^2] whose trans-lunar conic reaches the Moon's distance in ``days``."""
    from jointmission.constants import GM_EARTH, R_EARTH
    from jointmission.missions.elements import phase_value

    c3_min = -2.0 * GM_EARTH / (R_EARTH + park_alt_m + phase_value("lunar", "moon_distance_km") * 1e3)  # apogee at D
    return brentq(lambda c3: float(L.translunar_arrival(c3, park_alt_m)[1]) / DAY - days, c3_min * (1 - 1e-9), 5e6,
                  xtol=1.0)


@pytest.mark.parametrize("frm,to", [k for k in L.leg_table()])
def test_every_sourced_leg_is_within_the_tables_reserve(frm, to):
    row = L.leg_table()[(frm, to)]
    nominal = _nominal(row["table_km_s"], row["table_reserve"])
    assert L.leg_dv(frm, to) == pytest.approx(nominal, rel=RESERVE)
    assert L.leg_source(frm, to)  # every default names its source


def test_legs_have_directions():
    assert L.leg_dv("llo", "nrho") == 850.0 and L.leg_dv("nrho", "llo") == 740.0
    with pytest.raises(KeyError, match=r"reverse leg llo->tei exists"):
        L.leg_dv("tei", "llo")
    with pytest.raises(KeyError, match=r"did you mean llo->surface"):
        L.leg_dv("lo", "surface")


def test_tei_is_the_general_budget_not_apollo_11():
    """Apollo 11's flown TEI (999 m/s, MSC-00171 Table 7-VI) is one in-plane case; the default is
    [T4]'s any-time budget, and the flown value lies outside its reserve (-16 %)."""
    assert L.leg_dv("llo", "tei") == pytest.approx(_nominal(1.256, True), rel=1e-3)
    assert abs(999.0 / _nominal(1.256, True) - 1.0) > RESERVE


def test_tli_from_407_km():
    c3 = _c3_for_transit(TRANSIT_D, 407e3)
    assert float(L.tli_dv(c3, 407e3)) == pytest.approx(_nominal(3.276, True), rel=RESERVE)


def test_lunar_plane_change_2_5_deg_in_llo():
    """[T4] 'LLO 2.5 deg plane change 0.071 km/s (calculated)'; ours 71.27 m/s: the table rounds to 1 m/s."""
    assert float(L.lunar_plane_change_dv(2.5)) == pytest.approx(71.0, abs=1.0)


def test_tli_to_surface():
    """[T4] TLI -> lunar surface 2.900 km/s (Copernicus, 5 d): LOI from the arrival v_inf + descent."""
    c3 = _c3_for_transit(TRANSIT_D, 407e3)
    vinf, _ = L.translunar_arrival(c3, 407e3)
    total = float(L.loi_dv(vinf)) + L.leg_dv("llo", "surface")
    assert total == pytest.approx(2900.0, rel=RESERVE)


def test_loi_alone_is_below_the_tables_mueller_row_outside_its_reserve():
    """Documented gap: the coplanar patched-conic LOI of a 4.5-day transfer is 824 m/s, 9 %
    below Mueller's 0.952 km/s / 1.05 = 907 m/s (outside the 5 % reserve: that row belongs to an
    Apollo-class transfer, see test_mueller_rows_are_one_apollo_class_transfer). Pinned so a change
    of the model shows."""
    c3 = _c3_for_transit(TRANSIT_D, 407e3)
    vinf, _ = L.translunar_arrival(c3, 407e3)
    gap = float(L.loi_dv(vinf)) / _nominal(0.952, True) - 1.0
    assert -0.12 < gap < -RESERVE


def test_loi_equals_the_tables_own_copernicus_split():
    """Why the LOI row differs: [T4] is not self-consistent. Its Copernicus TLI -> surface 2.900 km/s
    minus its LLO -> surface 2.180 / 1.05 = 2,076 m/s leaves 824 m/s for LOI on a 5-day transfer,
    Mueller's LOI row 907 m/s nominal. Our coplanar 4.5-day LOI equals the table's own Copernicus
    split within its 5 % reserve (it is within 0.1 %)."""
    c3 = _c3_for_transit(TRANSIT_D, 407e3)
    vinf, _ = L.translunar_arrival(c3, 407e3)
    implied = 2900.0 - _nominal(2.180, True)
    assert float(L.loi_dv(vinf)) == pytest.approx(implied, rel=RESERVE)


def test_mueller_rows_are_one_apollo_class_transfer():
    """[T4]'s two Mueller rows of the way out, LEO (407 km) -> TLI 3,120 m/s and TLI -> LLO 907 m/s
    (nominal), compared at an Apollo-class transfer whose duration is not taken from the table: Apollo
    11's flown translunar coast, 3.04 d (MSC-00171 Tables 7-II/7-V). Both within the table's 5 %
    reserve (measured TLI -0.6 %, LOI +1.0 %). Why this transfer and not the 5 d printed beside the
    LOI row: that row is the LOI of the trajectory its companion TLI row injects into (a three-body
    integration gives +4.7 % at the TLI row's own C3, and no 4-5 day transfer needs more than 820 m/s;
    tests/validation/test_lunar_legs_threebody.py)."""
    c3 = _c3_for_transit(3.04, 407e3)
    vinf, _ = L.translunar_arrival(c3, 407e3)
    tli, loi = float(L.tli_dv(c3, 407e3)), float(L.loi_dv(vinf))
    assert tli == pytest.approx(_nominal(3.276, True), rel=RESERVE)
    assert loi == pytest.approx(_nominal(0.952, True), rel=RESERVE)
    assert tli / _nominal(3.276, True) - 1.0 == pytest.approx(-0.006, abs=0.002)
    assert loi / _nominal(0.952, True) - 1.0 == pytest.approx(0.010, abs=0.002)


def test_apollo_11_arrival_speed_from_its_transit_time():
    """A 3.04-day trans-lunar conic arrives at the v_inf back-computed from Apollo 11's flown LOI-1
    (1.117 km/s) within 5 % (the first-order patched conic ignores the Moon's pull inside its sphere
    of influence and the free-return shape)."""
    c3 = _c3_for_transit(3.04, 185e3)
    vinf, _ = L.translunar_arrival(c3, 185e3)
    assert float(vinf) == pytest.approx(1117.0, rel=0.05)


def test_translunar_arrival_energy_and_angular_momentum():
    """Independent of the closed form: propagate the conic numerically from perigee to the Moon's
    distance and compare speed relative to the Moon and elapsed time (1e-6 relative)."""
    from scipy.integrate import solve_ivp

    from jointmission.constants import GM_EARTH, R_EARTH
    from jointmission.missions.elements import phase_value

    c3, park = -1.8e6, 185e3
    rp = R_EARTH + park
    vp = np.sqrt(c3 + 2 * GM_EARTH / rp)
    D = phase_value("lunar", "moon_distance_km") * 1e3

    def f(t, y):
        r = np.hypot(y[0], y[1])
        return [y[2], y[3], -GM_EARTH * y[0] / r**3, -GM_EARTH * y[1] / r**3]

    def hit(t, y):
        return np.hypot(y[0], y[1]) - D
    hit.terminal = True
    sol = solve_ivp(f, (0, 20 * DAY), [rp, 0, 0, vp], events=hit, rtol=1e-12, atol=1e-6)
    t_hit = sol.t_events[0][0]
    x, y, vx, vy = sol.y_events[0][0]
    u = np.array([x, y]) / D
    vmoon = np.sqrt(GM_EARTH / D) * np.array([-u[1], u[0]])  # circular, prograde
    vinf_num = np.hypot(vx - vmoon[0], vy - vmoon[1])
    vinf, t = L.translunar_arrival(c3, park)
    assert float(vinf) == pytest.approx(vinf_num, rel=1e-6)
    assert float(t) == pytest.approx(t_hit, rel=1e-6)


def test_translunar_arrival_broadcasts_and_flags_conics_that_fall_short():
    vinf, t = L.translunar_arrival(np.array([-2.3e6, -2.0e6, 1.0e6]))
    assert np.isnan(vinf[0]) and np.isnan(t[0])
    assert np.all(np.isfinite(vinf[1:])) and vinf[2] > vinf[1] and t[2] < t[1]


@pytest.mark.parametrize("days,tli_km_s,loi_km_s", [(4.571, 3.0658, 0.7976), (4.769, 3.0686, 0.8002)])
def test_direct_transfers_of_a_second_published_table_at_their_own_conditions(days, tli_km_s, loi_km_s):
    """[F12] da Silva Fernandes & Marinho, "Optimal two-impulse trajectories with moderate flight time
    for Earth-Moon missions", Mathematical Problems in Engineering 2012, 971983,
    doi:10.1155/2012/971983, Table 8 (https://www.hindawi.com/journals/mpe/2012/971983/tab8/): LEO
    463 km, circular LMO 200 km; the direct (shortest) optimal transfers, counterclockwise 4.571 d
    with TLI 3.0658 and LOI 0.7976 km/s, clockwise 4.769 d with 3.0686 and 0.8002 km/s. The
    first-order conic of the same transit time from 463 km, with the LOI into 200 km: TLI +0.05 % /
    -0.05 %, LOI +1.4 % / +0.8 %. [F12] states no reserve; tolerance 3 %, the first-order conic's
    measured distance from a three-body integration at 4-5 day transfers (+0.7 to +2.0 %,
    tests/validation/test_lunar_legs_threebody.py)."""
    c3 = _c3_for_transit(days, 463e3)
    vinf, _ = L.translunar_arrival(c3, 463e3)
    assert float(L.tli_dv(c3, 463e3)) == pytest.approx(tli_km_s * 1e3, rel=0.03)
    assert float(L.loi_dv(vinf, 200e3)) == pytest.approx(loi_km_s * 1e3, rel=0.03)
