"""The Mars departure windows searched hold their optima, and an optimum clipped by a window's
edge is flagged (``on_edge``) rather than returned silently.

Physics reference: the window optima lie where the Earth -> Mars porkchop of Burke, Falck &
McGuire, "Interplanetary Mission Design Handbook: Earth-to-Mars Mission Opportunities 2026 to
2045", NASA/TM-2010-216764 (2010), puts them: least C3 in mid/late February 2031 and late April
2033 (the handbook's 2031 and 2033 minimum-C3 departures, to within the 15 % / ~2-week coarseness
of ``MARS_WINDOWS``' tabulated row). The least-delta-v and least-v_inf optima of 2031 depart in
December 2030, before the old 2031-01-01 start of the window (DE421 + Lambert, this code).
"""

import numpy as np
import pytest

from jointmission.interplanetary.selection import choose_transfer, edge_flag
from jointmission.missions import phases
from jointmission.missions.mars_transfer import window_grid
from jointmission.missions.phases import MARS_WINDOWS, mars_window
from jointmission.report.mission import _transfer_line

MARGIN_DAYS = 20.0
"""Each named optimum must lie at least this far inside its window (the 4-day grid plus the
refinement's one-step reach is 8 d: 20 d leaves room for a changed ephemeris or capture orbit)."""


@pytest.mark.parametrize("year", sorted(MARS_WINDOWS))
def test_every_window_holds_its_named_optima_inside(year):
    from jointmission.interplanetary.transfers import date_grid

    jd = date_grid(MARS_WINDOWS[year]["window"], 1.0)
    for objective in ("c3", "dv_total", "vinf_arrive"):
        w = mars_window(year, objective=objective)
        dep = float(date_grid((w.depart, w.depart), 1.0)[0])
        assert not w.on_edge, (year, objective, w.depart)
        assert jd.min() + MARGIN_DAYS <= dep <= jd.max() - MARGIN_DAYS, (year, objective, w.depart)


def test_2031_least_delta_v_departs_in_december_2030():
    # the optimum the old window (from 2031-01-01) clipped: total 5.047 km/s vs 5.070 clipped
    w = mars_window(2031, objective="dv_total")
    assert w.depart.startswith("2030-12-2")
    assert 10.4e6 < w.c3_m2_s2 < 11.0e6 and 3.4e3 < w.vinf_arrive_m_s < 3.56e3


def test_a_narrow_window_flags_its_clipped_optimum(monkeypatch):
    ds, tof = window_grid(("2031-01-01", "2031-02-15"), 4.0)
    t = choose_transfer(ds, "dv_total", tof_days=tof)
    assert t.on_edge and t.to_dict()["on_edge"]
    assert t.depart_jd_tdb == pytest.approx(float(ds["depart_jd_tdb"].values.min()), abs=1e-9)
    # the same objective over the shipped window is inside it and not flagged
    wide, tof_w = window_grid(2031, 4.0)
    u = choose_transfer(wide, "dv_total", tof_days=tof_w)
    assert not u.on_edge and u.depart_jd_tdb > float(wide["depart_jd_tdb"].values.min()) + MARGIN_DAYS
    assert u.dv_depart_m_s + u.dv_arrive_m_s < t.dv_depart_m_s + t.dv_arrive_m_s
    # the named optimum of a narrowed MARS_WINDOWS entry is flagged too, and the report says so
    narrow = dict(MARS_WINDOWS)
    narrow[2031] = dict(MARS_WINDOWS[2031], window=("2031-01-01", "2031-02-15"))
    monkeypatch.setattr(phases, "MARS_WINDOWS", narrow)
    w = mars_window(2031, objective="dv_total")
    assert w.on_edge and w.depart == "2031-01-01"
    line = _transfer_line("2031", {"depart": w.depart, "c3_km2_s2": w.c3_m2_s2 / 1e6, "dla_deg": 16.0,
                                   "vinf_arrive_km_s": 3.5, "tof_days": 280.0, "transfer_angle_deg": 150.0,
                                   "on_ridge": False, "on_edge": True, "window_source": "test"})
    assert "EDGE OF THE DATES SEARCHED" in line


def test_edge_flag_by_hand():
    jd_d, jd_a = np.arange(100.0, 141.0, 4.0), np.arange(250.0, 519.0, 4.0)
    assert edge_flag(100.0, 380.0, jd_d, jd_a)          # first departure
    assert edge_flag(140.0, 380.0, jd_d, jd_a)          # last departure
    assert edge_flag(120.0, 518.0, jd_d, jd_a)          # last arrival
    assert edge_flag(120.0, 420.0, jd_d, jd_a, (150.0, 300.0))  # tof 300 = its bound
    assert not edge_flag(120.0, 380.0, jd_d, jd_a, (150.0, 300.0))
    assert not edge_flag(100.1, 380.0, jd_d, jd_a)      # 0.1 d inside: a refined interior optimum


def test_a_clipped_transfer_is_flagged_in_the_mission_rows_table_and_report(tmp_path, monkeypatch):
    import textwrap

    import jointmission.runners.mission as rm
    from jointmission.report.mission import mission_markdown
    from jointmission.scenario import load_scenario

    narrow = dict(MARS_WINDOWS)
    narrow[2031] = dict(MARS_WINDOWS[2031], window=("2031-01-01", "2031-02-15"))
    monkeypatch.setattr(phases, "MARS_WINDOWS", narrow)
    p = tmp_path / "m.yaml"
    p.write_text("name: t\nvehicle: {catalog: Joint Heavy CN}\nmission:\n" + textwrap.indent(textwrap.dedent("""\
        architectures: [mars_cargo]
        margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
        mars: {windows: [2031], capture: [propulsive], objective: least_dv}
        """), "  "))
    out = rm.evaluate_mission(load_scenario(p))
    assert [r["on_edge"] for r in out.rows] == ["yes"] and out.rows[0]["depart"] == "2031-01-01"
    assert out.table().column("on_edge").to_pylist() == ["yes"]
    assert any("EDGE OF THE DATES SEARCHED" in line for line in mission_markdown(out))
    monkeypatch.setattr(phases, "MARS_WINDOWS", MARS_WINDOWS)
    out = rm.evaluate_mission(load_scenario(p))
    assert [r["on_edge"] for r in out.rows] == ["no"] and out.rows[0]["depart"] == "2030-12-25"
