"""The Mars transfer a mission flies, chosen by its objective (``mission.mars.objective``), with the
launcher capability charged the transfer's departure declination (DLA), and the 180-degree ridge
flagged in the results.

Physics references:
- DLA: the parking orbit is inclined at least |DLA| (NASA LSP, https://elvperf.ksc.nasa.gov,
  "declination of the launch asymptote"; the rotation-benefit loss is checked by hand in
  tests/vehicles/test_dla.py). The mission capability must equal ``payload()`` of the same target:
  two code paths of one model, 1e-9 relative.
- The 2031 example is the issue's: the least-C3 transfer arrives at 5.52 km/s (DE421 + Lambert;
  tests/missions/test_phase_defaults.py::test_mars_window_by_objective) and a propulsive capture
  then lands nothing; the least-total-delta-v transfer lands ~2 t.
- The ridge: near a 180-degree transfer angle the transfer plane is undefined and C3 changes fast
  with the dates (Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., sec. 7.6;
  Burke, Falck & McGuire, NASA/TM-2010-216764, sec. 2).
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

from jointmission.missions import Margins, capability
from jointmission.missions.mars_transfer import landed_mass, launcher_table
from jointmission.vehicles.catalog import get_vehicle
from jointmission.vehicles.performance import payload
from jointmission.vehicles.targets import Target

WENCHANG = math.radians(19.6)


@pytest.fixture(scope="module")
def cn():
    return get_vehicle("Joint Heavy CN")


def test_mission_capability_charges_the_dla(cn):
    ts = [Target.c3(10e6), Target.c3(10e6, dla_rad=math.radians(15.0)), Target.c3(10e6, dla_rad=math.radians(-50.5))]
    cap, status = capability([cn], ts)
    assert (status == 0).all()
    # below the site latitude (19.6 deg) the due-east parking orbit holds the asymptote: no charge
    assert cap[0, 1] == cap[0, 0]
    # above it: the parking orbit is inclined 50.5 deg, the same as payload() flies (1e-9: one model)
    ref = float(payload(cn, Target.c3(10e6, dla_rad=math.radians(-50.5))).payload_kg)
    assert cap[0, 2] == pytest.approx(ref, rel=1e-9)
    assert cap[0, 2] < cap[0, 0] - 1000.0  # ~ 1.3 t of Earth-rotation benefit lost from Wenchang
    # a launch-site override moves the kink: from 55 deg N the 50.5 deg DLA is free again
    cap55, _ = capability([cn], ts, latitude_rad=math.radians(55.0))
    assert cap55[0, 2] == cap55[0, 0]


def test_launcher_table_interpolates_within_three_hundredths_of_a_percent(cn):
    """The table the transfer search interpolates in (6 C3 x 5 |DLA| nodes, one of them the site
    latitude and solved as node 0's due-east orbit; cubic in C3; flat in |DLA| up to the latitude,
    a cubic spline above it) against exact solves at random points. Tolerance 0.03 %: measured
    0.016 % at worst here (the earlier 11 x 6 table, linear in |DLA|: 0.073 % on these points, 0.16 %
    on 40 points with |DLA| up to 71 deg, with 2.6x the solves); the chosen transfer is re-solved exactly afterwards, so this only bounds how far from
    the best a choice can be."""
    table, _ = launcher_table([cn], 7.7e6, math.radians(60.0), c3_span_m2_s2=32e6)
    assert np.any(np.isclose(table.dla_rad, WENCHANG)) and table.payload_kg.shape == (1, 6, 5)
    # at and below the latitude the due-east orbit holds the asymptote: the same solve
    np.testing.assert_array_equal(table.payload_kg[0, :, 0], table.payload_kg[0, :, 1])
    rng = np.random.default_rng(7)
    c3 = rng.uniform(7.7e6, 39.7e6, 24)
    dla = rng.uniform(-1.04, 1.04, 24)
    exact, _ = capability([cn], [Target.c3(c, dla_rad=d) for c, d in zip(c3, dla)])
    approx = table.payload(0, c3, dla)
    np.testing.assert_allclose(approx, exact[0], rtol=3e-4)
    assert np.isnan(table.payload(0, 50e6, 0.0))  # outside the table: NaN, never extrapolated
    assert np.isnan(table.payload(0, 20e6, 1.2))


def test_most_landed_2031_flagship_values_hold():
    """The flagship launchers' cargo landed on Mars in 2031 with the ``most_landed`` transfer, for
    both capture modes, against the values before the launcher table was made coarser (6 x 5 nodes
    instead of 11 x 6, cubic in |DLA|) and the porkchop got its array engine: aerocapture 8.664 t
    (CN) / 9.147 t (RU) on the least-C3 transfer, propulsive 1.773 t / 2.076 t on the
    least-delta-v one. The finalists are re-budgeted with exact launcher solves, so the table only
    decides whether the grid's own candidate wins; tolerance 1e-5 relative: the launcher solve
    converges to 1e-6, and its answers move by up to ~5e-6 when the payload iteration reaches the same
    root by other steps (its trajectory-shape searches then run at slightly different payloads; measured
    here 1.2e-6 with Newton steps for the joint designs). The numbers are those of the current ascent
    model (re-derived when its shape search was resolved further: +0.003 to +0.018 %, same transfers)."""
    import tempfile
    from pathlib import Path

    from jointmission.runners.mission import evaluate_mission

    with tempfile.TemporaryDirectory() as d:
        out = evaluate_mission(_scenario(Path(d), "most_landed"))
    got = {(r["launcher"], r["capture"]): r for r in out.rows}
    want = {("CN", "aerocapture"): 8.664463667742115, ("RU", "aerocapture"): 9.147631622807204,
            ("CN", "propulsive"): 1.773110657526775, ("RU", "propulsive"): 2.0763137962783684}
    for k, t in want.items():
        assert got[k]["payload_t"] == pytest.approx(t, rel=1e-5), (k, got[k]["payload_t"])
    assert got[("CN", "aerocapture")]["c3_km2_s2"] == pytest.approx(8.7544, abs=1e-3)
    assert got[("CN", "propulsive")]["c3_km2_s2"] == pytest.approx(10.7315, abs=1e-3)


def _scenario(tmp_path, objective: str, windows: str = "[2031]"):
    from jointmission.scenario import load_scenario

    p = tmp_path / f"m_{objective}.yaml"
    p.write_text("name: t\nvehicle: {catalog: Joint Heavy CN}\nmission:\n" + textwrap.indent(textwrap.dedent(f"""\
        architectures: [mars_cargo]
        launchers:
          - {{name: CN, catalog: Joint Heavy CN}}
          - {{name: RU, catalog: Joint Heavy RU}}
        margins: {{delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}}
        mars: {{windows: {windows}, capture: [propulsive, aerocapture], objective: {objective}}}
        """), "  "))
    return load_scenario(p)


@pytest.mark.slow
def test_most_landed_2031_and_2033_lands_at_least_every_named_objective(tmp_path):
    from jointmission.runners.mission import evaluate_mission

    runs = {o: evaluate_mission(_scenario(tmp_path, o, "[2031, 2033]")) for o in ("least_c3", "least_dv", "most_landed")}
    key = lambda r: (r["launcher"], r["window"], r["capture"])  # noqa: E731
    by = {o: {key(r): r for r in out.rows} for o, out in runs.items()}
    c3p = by["least_c3"][("CN", "2031", "propulsive")]
    dvp = by["least_dv"][("CN", "2031", "propulsive")]
    # the case: least C3 arrives at 5.52 km/s, a propulsive capture lands nothing ...
    assert c3p["vinf_arrive_km_s"] == pytest.approx(5.52, abs=0.01) and c3p["payload_t"] is None
    # ... while the least-delta-v transfer of the window lands ~2 t (1.68 t CN, 1.98 t RU)
    assert 1.4 < dvp["payload_t"] < 2.3 and 1.7 < by["least_dv"][("RU", "2031", "propulsive")]["payload_t"] < 2.5
    vehicles = {"CN": get_vehicle("Joint Heavy CN"), "RU": get_vehicle("Joint Heavy RU")}
    m = Margins(0.05, 0.15, 0.01)
    for k, r in by["most_landed"].items():
        others = [by[o][k]["payload_t"] for o in ("least_c3", "least_dv")]
        best = max([x for x in others if x is not None], default=0.0)
        # the named optima are finalists, re-budgeted exactly: never worse than either (1e-9: same solve)
        assert r["payload_t"] is not None and r["payload_t"] >= best * (1 - 1e-9), (k, r["payload_t"], others)
        # an independent budget of the chosen transfer (mars_transfer.landed_mass: its own build and
        # launcher solve with the DLA) gives the same landed mass; 1e-6: DLA/C3 printed-to-row rounding
        lm = landed_mass(vehicles[k[0]], r["c3_km2_s2"] * 1e6, r["vinf_arrive_km_s"] * 1e3, r["tof_days"] * 86400.0,
                         capture=k[2], margins=m, dla_rad=math.radians(r["dla_deg"]))
        assert float(lm) / 1e3 == pytest.approx(r["payload_t"], rel=1e-6)
        assert r["on_ridge"] == "no"
    # 2033 propulsive: the best transfer departs far above Wenchang (DLA ~ -50 deg) and is charged for it
    r33 = by["most_landed"][("CN", "2033", "propulsive")]
    assert abs(r33["dla_deg"]) > 40 and r33["payload_t"] > by["least_c3"][("CN", "2033", "propulsive")]["payload_t"]


def test_a_transfer_on_the_ridge_is_flagged_in_the_table_and_files(tmp_path, monkeypatch):
    """A real Earth -> Mars pair of the 2031 grid at a 179.3-degree transfer angle: flagged
    ``on_ridge`` in the mission rows, the results table and the report line; and its C3 is indeed
    unreliable -- one day later in arrival it changes by more than 30 %, while at the least-C3
    transfer a day changes it by less than 1 %."""
    import jointmission.runners.mission as rm
    import jointmission.runners.mission_variants as rv
    from jointmission.missions import mars_window
    from jointmission.missions.phases import mars_transfer_at
    from jointmission.report.mission import mission_markdown

    jd_d, jd_a = 2462975.5008007395, 2463270.6940684863  # the grid cell nearest 180 deg (step 4 d)
    ridge = mars_transfer_at(2031, jd_d, jd_a)
    assert ridge.on_ridge and abs(ridge.transfer_angle_deg - 180.0) < 1.0
    later = mars_transfer_at(2031, jd_d, jd_a + 1.0)
    assert abs(later.c3_m2_s2 / ridge.c3_m2_s2 - 1) > 0.3
    best = mars_window(2031, source="transfers")
    assert not best.on_ridge
    monkeypatch.setattr(rv, "mars_window", lambda year, **kw: ridge)  # where the variants read the window
    out = rm.evaluate_mission(_scenario(tmp_path, "least_c3"))
    assert {r["on_ridge"] for r in out.rows} == {"yes"}
    tab = out.table()
    assert tab.column("on_ridge").to_pylist() == ["yes"] * len(out.rows)
    assert tab.schema.field("transfer_angle_deg").metadata[b"unit"] == b"deg"
    assert any("ON THE 180-DEG RIDGE" in line for line in mission_markdown(out))


def test_least_c3_transfer_is_not_on_the_ridge_and_a_day_moves_it_little():
    from astropy.time import Time

    from jointmission.missions import mars_window
    from jointmission.missions.phases import mars_transfer_at

    w = mars_window(2031)
    assert not w.on_ridge and abs(w.transfer_angle_deg - 180.0) > 5.0
    d = Time(w.depart, scale="tdb").jd  # the optimum's day (to the day: C3 is flat there)
    a = d + w.tof_s / 86400.0
    c0, c1 = mars_transfer_at(2031, d, a).c3_m2_s2, mars_transfer_at(2031, d, a + 1.0).c3_m2_s2
    assert abs(c0 / w.c3_m2_s2 - 1) < 0.01 and abs(c1 / c0 - 1) < 0.01


@pytest.mark.slow
def test_a_sweep_flies_the_transfer_the_run_chooses_and_charges_its_dla(tmp_path):
    """A sweep with the default ``most_landed`` objective flies the transfer a run chooses for the
    scenario's launcher (2033, propulsive capture: DLA ~ -50 deg from Wenchang), and its delivery
    capability charges the DLA: below the due-east capability by more than 5 % (exact: 36.8 vs
    39.5 t), and within 1 % of the exact DLA solve (the sweep's ascent-loss model is a fit)."""
    from jointmission.runners.mission import evaluate_mission
    from jointmission.runners.sweep import run_sweep
    from jointmission.scenario import load_scenario

    d = tmp_path / "scenarios"
    d.mkdir()
    body = ("name: mars sweep\nvehicle: Joint Heavy CN\nmission:\n  architectures: [mars_cargo]\n"
            "  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}\n"
            "  mars: {windows: [2033], capture: [propulsive]}\n")
    (d / "run.yaml").write_text(body)
    (d / "sweep.yaml").write_text(body + "sweep:\n  grid:\n    mission.elements.mars_descent_stage.isp: [360 s, 380 s]\n")
    row = evaluate_mission(load_scenario(d / "run.yaml")).rows[0]
    assert row["dla_deg"] < -40
    df = run_sweep(d / "sweep.yaml", tmp_path / "o").to_pandas()
    col = f"payload_t[delivery: C3 {row['c3_km2_s2']:+.2f} km2/s2]"
    assert col in df.columns, [c for c in df.columns if c.startswith("payload_t[")]
    cn = get_vehicle("Joint Heavy CN")
    exact, _ = capability([cn], [Target.c3(row["c3_km2_s2"] * 1e6, dla_rad=math.radians(row["dla_deg"])),
                                 Target.c3(row["c3_km2_s2"] * 1e6)])
    got = df[col].to_numpy() * 1e3
    np.testing.assert_allclose(got, exact[0, 0], rtol=1e-2)
    assert (got < exact[0, 1] * 0.95).all()
    # with a categorical capture axis (the variants of each axis value): the same choice per capture
    (d / "axis.yaml").write_text(body.replace("capture: [propulsive]", "capture: [propulsive, aerocapture]")
                                 + "sweep:\n  grid:\n    mission.choices.capture: [propulsive, aerocapture]\n")
    (d / "run2.yaml").write_text(body.replace("capture: [propulsive]", "capture: [propulsive, aerocapture]"))
    rows = evaluate_mission(load_scenario(d / "run2.yaml")).rows
    dfa = run_sweep(d / "axis.yaml", tmp_path / "o2").to_pandas()
    for r in rows:
        sel = dfa[dfa["mission.choices.capture"] == r["capture"]]
        assert len(sel) == 1
        assert f"payload_t[delivery: C3 {r['c3_km2_s2']:+.2f} km2/s2]" in dfa.columns
        pcol = [c for c in dfa.columns if c.startswith("mission_payload_t")]
        assert len(pcol) == 1, list(dfa.columns)
        assert float(sel[pcol[0]].iloc[0]) == pytest.approx(r["payload_t"], rel=1e-2)
