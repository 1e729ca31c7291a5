"""mission.* sweep paths: the sweep's mission payload equals the mission runner's for the same case."""

from __future__ import annotations

import pytest

from jointmission.runners.mission import evaluate_mission
from jointmission.runners.sweep import run_sweep
from jointmission.scenario import ScenarioError, load_scenario

MISSION = """\
name: moon sweep test
vehicle:
  catalog: Joint Heavy CN
targets: []
mission:
  architectures: [moon_direct, moon_lor_two_launch]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
"""


def test_mission_margin_sweep_equals_mission_runner(scen, tmp_path):
    path = scen("""
        sweep:
          grid:
            vehicle.boosters.count: [2, 4]
            mission.margins.delta_v: [2 %, 8 %]
            mission.margins.dry_mass_growth: [0.1, 0.2]
        """, header=MISSION)
    res = run_sweep(path, tmp_path / "o")
    df = res.to_pandas()
    assert res.summary["loss_model"]["kind"] == "recompute"
    for _, row in df.iterrows():
        count, dv, dry = (int(row["vehicle.boosters.count"]), float(row["mission.margins.delta_v"]),
                          float(row["mission.margins.dry_mass_growth"]))
        single = scen(f"""\
name: one
vehicle:
  catalog: Joint Heavy CN
  overrides: {{boosters.count: {count}}}
targets: []
mission:
  architectures: [moon_direct, moon_lor_two_launch]
  margins: {{delta_v: {dv!r}, dry_mass_growth: {dry!r}, propellant_reserve: 1 %}}
""", name="one.yaml", header="")
        out = evaluate_mission(load_scenario(single))
        for r in out.rows:
            col = f"mission_payload_t[{r['architecture']}]"
            if r["status"] == "ok":
                # a case solved among the sweep's others or alone: the payload solver stops within 1e-6
                # on either side of its root, along a different path for a vector of cases, so the two
                # agree to a few 1e-6 (as test_performance_properties' vectorized == scalar, 4e-6)
                assert row[col] == pytest.approx(r["payload_t"], rel=4e-6)
            else:
                assert row[f"mission_status[{r['architecture']}]"] != 0
    ds = res.dataset()
    assert ds["mission_payload_t_moon_direct"].dims == ("vehicle_boosters_count", "mission_margins_delta_v",
                                                         "mission_margins_dry_mass_growth")
    tgt = res.summary["targets"]["mission: moon_direct"]
    top = {s["parameter"] for s in tgt["sensitivity"][:1]}
    assert top == {"vehicle.boosters.count"}


def test_mission_paths_need_a_mission_section(scen):
    p = scen("""
        sweep:
          grid:
            mission.margins.delta_v: [2 %, 8 %]
        """, name="bad.yaml")
    with pytest.raises(ScenarioError, match="no 'mission:' section"):
        load_scenario(p)
    p = scen("""
        sweep:
          grid:
            mission.margins.boiloff: [2 %, 8 %]
        """, name="bad2.yaml", header=MISSION)
    with pytest.raises(ScenarioError, match="not a sweepable mission parameter"):
        load_scenario(p)
