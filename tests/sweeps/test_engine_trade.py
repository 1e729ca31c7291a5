"""Engines by reference and engine choice as a trade: a grid over which engine the core stage and the
boosters fly equals single runs of the same vehicles built by hand; a Monte Carlo over one engine's
Isp moves every stage that flies it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jointmission.runners.single import evaluate
from jointmission.runners.sweep import run_sweep
from jointmission.runners.sweep_plan import make_plan
from jointmission.scenario import load_scenario, parse_scenario
from jointmission.vehicles import get_engine, get_vehicle

TRADE = Path(__file__).resolve().parents[2] / "scenarios" / "sweeps" / "joint_heavy_engine_trade.yaml"
TARGETS = [{"name": "LEO 200 km", "orbit": {"altitude": "200 km"}},
           {"name": "TLI", "c3": "-2.0 km2/s2", "parking": {"altitude": "200 km"}}]


def _by_hand(core: str, boosters: str) -> dict:
    """Single run of Joint Heavy CN with the core and booster engines swapped by hand: the engine
    named in an override, the stage dry mass changed by the engine mass difference."""
    v = get_vehicle("Joint Heavy CN")
    s0, b = v.stages[0], v.boosters
    dry0 = s0.m_dry + s0.engine_count * (get_engine(core).mass - s0.engine.mass)
    dryb = b.m_dry + b.engines_per_booster * (get_engine(boosters).mass - b.engine.mass)
    s = parse_scenario({"name": "by hand", "targets": TARGETS, "vehicle": {"catalog": "Joint Heavy CN", "overrides": {
        "stages[0].engine": core, "stages[0].m_dry": f"{dry0!r} kg",
        "boosters.engine": boosters, "boosters.m_dry": f"{dryb!r} kg"}}})
    return {r["target"]: r for r in evaluate(s).rows}


@pytest.mark.slow  # ~6 s: six single runs
def test_engine_trade_grid_equals_vehicles_built_by_hand():
    scenario = load_scenario(TRADE)
    plan = make_plan(scenario)
    assert plan.model.kind == "recompute"
    df = plan.table(0).to_pandas()
    assert str(df["vehicle.stages[0].engine"].dtype) == "category"  # engine names, not codes
    assert len(df) == 6 and set(df["vehicle.boosters.engine"]) == {"YF-130", "RD-180", "RD-171M"}
    checked = 0
    for _, row in df.iterrows():
        one = _by_hand(row["vehicle.stages[0].engine"], row["vehicle.boosters.engine"])
        for t in ("LEO 200 km", "TLI"):
            ok = one[t]["status"] == "ok"
            assert ok == (row[f"status[{t}]"] == 0), (row["case"], t, one[t]["status"])
            if ok:  # same arrays, same per-case iteration: equal to 1e-9 relative
                assert row[f"payload_t[{t}]"] == pytest.approx(one[t]["payload_t"], rel=1e-9)
                assert row[f"dv_required_km_s[{t}]"] == pytest.approx(one[t]["dv_required_km_s"], rel=1e-9)
                checked += 1
    assert checked >= 4
    base = df[(df["vehicle.stages[0].engine"] == "YF-130") & (df["vehicle.boosters.engine"] == "YF-130")]
    assert base["payload_t[LEO 200 km]"].item() == pytest.approx(155.32, abs=0.01)  # the catalog vehicle


MC = """
name: Monte Carlo on one engine
vehicle: {catalog: Joint Heavy CN}
targets:
  - {name: LEO, orbit: {altitude: 200 km}}
sweep:
  monte_carlo:
    samples: 64
    seed: 7
    parameters:
      vehicle.engines.YF-130.isp_vac: {distribution: normal, std: 3 s}
  losses: nominal
  loss_check: 0
"""


@pytest.mark.parametrize("path", ["vehicle.engines.YF-130.isp_vac", "vehicle.stages[0].engine.isp_vac",
                                  "vehicle.boosters.engine.isp_vac"])
def test_monte_carlo_over_one_engine_moves_every_stage_that_flies_it(tmp_path, path):
    from jointmission.vehicles.arrays import build_vehicle_arrays

    f = tmp_path / "scenarios" / "mc.yaml"
    f.parent.mkdir()
    f.write_text(MC.replace("vehicle.engines.YF-130.isp_vac", path))
    plan = make_plan(load_scenario(f))
    assert plan.keys == [("engines", "YF-130", "isp_vac")]  # every path names the one engine
    values = plan.sweep.case_values(0, 64)
    va, valid = build_vehicle_arrays(plan.base, plan.keys, values[:, plan.vcols])
    assert valid.all() and np.std(values[:, 0]) > 1.0
    np.testing.assert_array_equal(va.stack.isp[:, 0], values[:, 0])  # core stage
    np.testing.assert_array_equal(va.stack.booster_isp, values[:, 0])  # boosters: the same draw
    np.testing.assert_array_equal(va.stack.isp[:, 1], 453.0)  # YF-90 untouched


def test_two_paths_to_one_engine_are_refused(tmp_path):
    from jointmission.scenario.errors import ScenarioError

    f = tmp_path / "scenarios" / "mc.yaml"
    f.parent.mkdir()
    f.write_text(MC.replace("      vehicle.engines.YF-130.isp_vac: {distribution: normal, std: 3 s}\n",
                            "      vehicle.boosters.engine.isp_vac: {distribution: normal, std: 3 s}\n"
                            "      vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 3 s}\n"))
    with pytest.raises(ScenarioError, match="both set isp_vac of engine 'YF-130'"):
        load_scenario(f)


@pytest.mark.parametrize("axis, message", [
    ("vehicle.boosters.count: [2, 1000000000]", "from 1 to 12"),
    ("vehicle.stages[0].engine_count: [4, 41]", "from 1 to 40"),
    ("vehicle.engines.YF-90.isp_vac: [453 s, 3000 s]", "in (0, 1000] s"),
    ("vehicle.stages[0].engine: [YF-130, RS-25X]", "unknown catalog engine"),
    ("vehicle.engines.F-1.isp_vac: [300 s]", "flies no engine 'F-1'"),
])
def test_absurd_sweep_values_are_refused(tmp_path, axis, message):
    from jointmission.scenario.errors import ScenarioError

    f = tmp_path / "scenarios" / "g.yaml"
    f.parent.mkdir()
    f.write_text("name: g\nvehicle: {catalog: Joint Heavy CN}\ntargets:\n  - {name: LEO, orbit: {altitude: 200 km}}\n"
                 f"sweep:\n  grid:\n    {axis}\n")
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]")):
        load_scenario(f)


@pytest.mark.slow
def test_engine_trade_run_writes_engine_names(tmp_path):
    res = run_sweep(TRADE, tmp_path / "out")
    ds = res.dataset()
    assert list(ds["vehicle_stages_0_engine"].values) == ["YF-130", "RD-171M"]
    assert str(res.to_pandas()["vehicle.boosters.engine"].dtype) == "category"


def test_override_of_engine_or_count_moves_the_dry_mass_like_a_sweep():
    """Third stage 4 -> 6 YF-79 by override: +2 engine masses, as the sweep case (before, the thrust
    came with no mass); an m_dry given in the same overrides is used as written."""
    def vehicle(overrides):
        return parse_scenario({"name": "x", "targets": TARGETS[:1],
                               "vehicle": {"catalog": "Joint Heavy CN", "overrides": overrides}}).vehicle
    base, six = vehicle({}), vehicle({"stages[2].engine_count": 6})
    m_yf79 = get_engine("YF-79").mass
    assert six.stages[2].m_dry - base.stages[2].m_dry == pytest.approx(2 * m_yf79, rel=1e-12)
    swapped = vehicle({"stages[0].engine": "RD-171M"})
    assert swapped.stages[0].m_dry - base.stages[0].m_dry == pytest.approx(4 * (9300.0 - get_engine("YF-130").mass))
    assert vehicle({"stages[2].engine_count": 6, "stages[2].m_dry": "30 t"}).stages[2].m_dry == 30e3


def test_engine_path_by_catalog_key_whose_name_differs(tmp_path):
    """Energia's core flies 'RD-0120 (11D122)' (catalog key RD-0120): both names reach the engine."""
    f = tmp_path / "scenarios" / "e.yaml"
    f.parent.mkdir()
    f.write_text("name: e\nvehicle: {catalog: Energia}\ntargets:\n  - {name: LEO, orbit: {altitude: 200 km}}\n"
                 "sweep:\n  grid:\n    vehicle.engines.RD-0120.isp_vac: [450 s, 455 s]\n")
    p = load_scenario(f).sweep.params[0]
    assert p.keys == ("engines", "RD-0120 (11D122)", "isp_vac") and p.unit == "s"


def test_engine_trade_analysis_reports_categories_not_slopes(tmp_path):
    """The engine trade's summary and report: no sensitivity, correlation or tornado for an engine
    choice (a slope against an engine code means nothing); instead the payload per engine, equal to
    the per-case table grouped by engine name."""
    import json

    import pandas as pd

    from jointmission.report.sweep_plots import write_sweep_report

    out = tmp_path / "et"
    run_sweep(load_scenario(TRADE), out, report=write_sweep_report)
    summary = json.loads((out / "summary.json").read_text())
    engines = ["vehicle.stages[0].engine", "vehicle.boosters.engine"]
    assert [p.get("categories") for p in summary["parameters"]] == [["YF-130", "RD-171M"],
                                                                    ["YF-130", "RD-180", "RD-171M"]]
    assert all(p["nominal"] is None for p in summary["parameters"])  # no engine code as a number
    df = pd.read_parquet(out / "sample.parquet")
    assert len(df) == 6
    for t in ("LEO 200 km", "TLI"):
        e = summary["targets"][t]
        assert e["sensitivity"] == [] and e["linear_fit_r2"] is None
        for p in engines:
            for row in e["by_category"][p]:
                sel = df[df[p] == row["value"]]
                ok = sel[sel[f"status[{t}]"] == 0][f"payload_t[{t}]"]
                assert (row["cases"], row["ok"]) == (len(sel), len(ok))
                if len(ok):
                    assert row["mean"] == pytest.approx(ok.mean(), rel=1e-12)
                    assert (row["min"], row["max"]) == (pytest.approx(ok.min()), pytest.approx(ok.max()))
                else:
                    assert row["mean"] is None
        core = {r["value"]: r for r in e["by_category"][engines[0]]}
        if t == "LEO 200 km":  # the catalog vehicle (YF-130 everywhere) is one of the YF-130 core cases
            assert core["YF-130"]["min"] <= 155.32 <= core["YF-130"]["max"]
    report = (out / "report.md").read_text()
    assert "## Payload by category" in report and "| LEO 200 km | RD-171M |" in report
    assert "| `vehicle.stages[0].engine` |" not in report  # no row in a sensitivity table
    assert "(categorical: YF-130, RD-171M)" in report
    assert not list(out.glob("tornado_*.png")) and (out / "grid_leo_200_km.png").exists()
