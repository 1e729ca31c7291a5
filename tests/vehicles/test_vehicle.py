"""Domain objects: masses, thrust, the stack and the stage table."""

import numpy as np
import pytest

from jointmission.constants import G0
from jointmission.core.rocket import burn_times, phase_masses
from jointmission.vehicles import get_vehicle


@pytest.mark.parametrize("name", ["Saturn V", "Falcon Heavy", "SLS Block 1", "Angara A5"])
def test_stack_masses_match_liftoff_mass(name):
    v = get_vehicle(name)
    st = v.to_stack()
    expected = sum(s.m_prop + s.m_dry for s in v.stages) + sum(j.mass for j in v.jettisons)
    # the top stage as flown carries a payload adapter and attitude-control propellant besides its stage mass
    expected += v.top_stage.payload_adapter + v.top_stage.attitude_control_propellant
    if v.boosters:
        expected += v.boosters.m_prop_total + v.boosters.m_dry_total  # m_prop / m_dry: per booster
    assert float(st.liftoff_mass(0.0)) == pytest.approx(expected)
    assert float(v.liftoff_mass(1000.0)) == pytest.approx(expected + 1000.0)
    ph = phase_masses(st)
    assert ph.m_start[0] == pytest.approx(expected)


def test_jettisons_go_into_the_dry_mass_of_their_stage():
    v = get_vehicle("Saturn V")
    st = v.to_stack()
    # + the S-IC's residuals (kept in the stage, dropped with it)
    assert st.m_dry[0] == pytest.approx(v.stages[0].m_dry + 5.2e3 + 4.2e3 + v.stages[0].residuals * v.stages[0].m_prop)
    # the top stage's burnout mass also holds what it flies with (.top_stage): residuals, reserve, ACS
    ts = v.top_stage
    held = v.stages[2].m_prop * (ts.residuals + ts.flight_performance_reserve)
    assert st.m_dry[2] == pytest.approx(v.stages[2].m_dry + held + ts.payload_adapter
                                        + ts.attitude_control_propellant)


def test_vacuum_isp_and_thrust_in_stack_and_mass_flow_consistent():
    v = get_vehicle("Falcon Heavy")
    st = v.to_stack()
    assert st.isp[0] == v.stages[0].engine.isp_vac
    # burn time of the side boosters from the vacuum mass flow
    mdot = v.boosters.thrust_vac / (G0 * v.boosters.engine.isp_vac)
    # the boosters burn their load less the residuals they keep
    assert burn_times(st)[0] == pytest.approx(v.boosters.m_prop_total * (1 - v.boosters.residuals) / mdot)


def test_liftoff_thrust_to_weight_uses_sea_level_thrust():
    v = get_vehicle("Saturn V")
    tw = v.liftoff_thrust_to_weight()
    assert tw == pytest.approx(5 * 6.77e6 / (G0 * v.liftoff_mass()))
    assert 1.1 < tw < 1.3
    assert v.liftoff_thrust_to_weight(1e5) < tw


def test_stage_table_rows():
    rows = get_vehicle("Falcon Heavy").stage_table()
    assert [r["stage"] for r in rows][1:] == ["Center core", "Second stage"]
    assert rows[0]["count"] == 18
    assert rows[2]["thrust_sl_kN"] is None  # vacuum engine
    assert all(r["burn_time_s"] > 0 for r in rows)


def test_pressure_thrust_loss_from_isp_ratio():
    e = get_vehicle("Saturn V").stages[0].engine
    assert e.pressure_thrust_loss == pytest.approx(e.thrust_vac * (1 - 263 / 304))
    assert get_vehicle("Saturn V").stages[1].engine.pressure_thrust_loss == 0.0
    assert np.all(get_vehicle("Falcon Heavy").phase_pressure_loss()[:2] > 0)
