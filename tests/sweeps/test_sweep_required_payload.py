"""``mission.required_payload`` as a sweep path: every architecture becomes a backward budget (the
heavy launches needed for the case's required payload), per case equal to the mission runner run
with that scalar ``required_payload``; bad values are refused at load naming file, line and path."""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.missions import BudgetStatus
from jointmission.core.status import STATUS_TEXT, Status
from jointmission.runners.mission import evaluate_mission
from jointmission.runners.sweep import run_sweep
from jointmission.runners.sweep_plan import make_plan
from jointmission.runners.sweep_eval import MissionEval
from jointmission.scenario import ScenarioError, load_scenario

MISSION = """\
name: required payload sweep test
vehicle:
  catalog: Joint Heavy CN
targets: []
mission:
  architectures: [moon_direct, moon_lor_two_launch, mars_crewed]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
  mars: {windows: [2033]}
"""

MOON = """\
name: required payload sweep errors
vehicle:
  catalog: Joint Heavy CN
targets: []
mission:
  architectures: [moon_direct]
  margins: {delta_v: 5 %}
"""

_CODE = {text: int(code) for code, text in STATUS_TEXT.items()}


def _label(r: dict) -> str:
    return r["architecture"] + (f" {r['window']}" if r["window"] else "")


def test_required_payload_grid_equals_the_mission_runner_one_by_one(scen, tmp_path):
    path = scen("""
        sweep:
          grid:
            vehicle.boosters.count: [2, 4]
            mission.required_payload: [5 t, 10 t, 20000 kg]
        """, header=MISSION)
    res = run_sweep(path, tmp_path / "o")
    df = res.to_pandas()
    assert len(df) == 6
    assert df["mission.required_payload"].tolist() == [5.0, 10.0, 20.0] * 2  # column in t
    import pyarrow.parquet as pq

    field = pq.read_schema(res.chunk_files()[0]).field("mission.required_payload")
    assert field.metadata[b"unit"] == b"t"
    compared = 0
    for _, row in df.iterrows():
        count, req_t = int(row["vehicle.boosters.count"]), float(row["mission.required_payload"])
        single = scen(f"""\
name: one
vehicle:
  catalog: Joint Heavy CN
  overrides: {{boosters.count: {count}}}
targets: []
mission:
  architectures: [moon_direct, moon_lor_two_launch, mars_crewed]
  margins: {{delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}}
  mars: {{windows: [2033]}}
  required_payload: {req_t!r} t
""", name="one.yaml", header="")
        out = evaluate_mission(load_scenario(single))
        assert out.backward
        assert {_label(r) for r in out.rows} == {"moon_direct", "moon_lor_two_launch", "mars_crewed 2033"}
        for r in out.rows:
            lab = _label(r)
            status = int(row[f"mission_status[{lab}]"])
            if r["status"] == "ok":
                assert status == 0, (lab, count, req_t)
                # backward: the payload column is the case's required payload, launches the heavy launches needed
                assert row[f"mission_payload_t[{lab}]"] == pytest.approx(r["payload_t"], rel=1e-12)
                assert row[f"mission_payload_t[{lab}]"] == pytest.approx(req_t, rel=1e-12)
                assert row[f"mission_launches[{lab}]"] == r["launches"], (lab, count, req_t)
                compared += 1
            else:
                assert status == _CODE[r["status"]], (lab, count, req_t)
                assert np.isnan(row[f"mission_launches[{lab}]"])
    assert compared >= 12  # most cases are feasible: the comparison is not vacuous
    # more payload never needs fewer launches
    for lab in ("moon_direct", "moon_lor_two_launch", "mars_crewed 2033"):
        n = df[f"mission_launches[{lab}]"].to_numpy().reshape(2, 3)
        assert np.all(np.diff(n, axis=1) >= 0)
    ds = res.dataset()
    assert ds["mission_launches_moon_direct"].dims == ("vehicle_boosters_count", "mission_required_payload")
    assert ds.coords["mission_required_payload"].values.tolist() == [5.0, 10.0, 20.0]
    import json

    # no scalar required_payload: no nominal value (null in summary.json)
    summary = json.loads((res.output_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"][1] == {"path": "mission.required_payload", "unit": "t", "nominal": None}
    from jointmission.report.sweep_plots import _markdown

    md = _markdown(summary, {})  # report.md lists the parameters with their nominal values
    assert "`vehicle.boosters.count` (nominal 4)" in md and "`mission.required_payload` (no nominal value)" in md


def test_swept_required_payload_overrides_the_scalar_and_defaults_to_it(scen):
    """With a scalar ``required_payload`` the swept values replace it per case, and it is the default
    mean / median / mode of a distribution; the case values are SI [kg]."""
    p = scen("""
        sweep:
          monte_carlo:
            samples: 2000
            seed: 7
            parameters:
              mission.required_payload: {distribution: normal, std: 1 t}
        """, header=MISSION + "  required_payload: 12 t\n")
    s = load_scenario(p)
    (prm,) = s.sweep.params
    assert (prm.keys, prm.unit, prm.scale, prm.nominal, prm.prefix) == (("required_payload",), "t", 1e3, 12e3,
                                                                      "mission")
    vals = s.sweep.case_values(0, 2000)[:, 0]
    assert abs(vals.mean() - 12e3) < 100 and abs(vals.std() - 1e3) < 100
    plan = make_plan(s)
    cols = plan.evaluate(0)
    assert np.array_equal(cols["mission.required_payload"], vals / 1e3)
    for lab in plan.mission.labels():
        np.testing.assert_allclose(cols[f"mission_payload_t[{lab}]"], vals / 1e3, rtol=1e-12)
        assert np.all(cols[f"mission_status[{lab}]"] == 0)


def test_mission_eval_flags_per_case_required_payloads_out_of_range(scen):
    """A sampled tail outside [0, 10,000 t] is that case's status PARAMETER_OUT_OF_RANGE (28, as a margin out of range), the
    other cases are budgeted as if alone; mars_crewed takes the swept value too (extra payload)."""
    p = scen("""
        sweep:
          zip:
            mission.required_payload: [5 t, 10 t]
        """, header=MISSION)
    plan = make_plan(load_scenario(p))
    ev: MissionEval = plan.mission
    cols = plan.evaluate(0)
    cap = np.stack([np.full(4, cols[f"payload_t[{n}]"][0] * 1e3) for n in plan.ts.names], axis=-1)
    req = np.array([-1.0, 5e3, 2e10, 10e3])
    out = ev.evaluate(cap, {("required_payload",): req})
    zero = ev.evaluate(cap[:1], {("required_payload",): np.zeros(1)})  # 0 t, as the scalar allows: the bare mission
    assert all(zero[f"mission_status[{lab}]"][0] == 0 for lab in ev.labels())
    assert all(zero[f"mission_payload_t[{lab}]"][0] == 0.0 for lab in ev.labels())
    for lab in ev.labels():
        st = out[f"mission_status[{lab}]"]
        assert st[0] == Status.PARAMETER_OUT_OF_RANGE == 28 and st[2] == Status.PARAMETER_OUT_OF_RANGE
        assert np.isnan(out[f"mission_launches[{lab}]"][[0, 2]]).all()
        assert out[f"mission_payload_t[{lab}]"][[1, 3]].tolist() == [5.0, 10.0]
        assert out[f"mission_launches[{lab}]"][1] == cols[f"mission_launches[{lab}]"][0]
        assert out[f"mission_launches[{lab}]"][3] == cols[f"mission_launches[{lab}]"][1]
    # not swept (and no scalar): Moon variants forward (payload landed), mars_crewed backward for 0 t
    assert ev.required_payload is None
    bare = ev.evaluate(cap[:1], {})
    assert bare["mission_status[mars_crewed 2033]"][0] == BudgetStatus.OK
    assert bare["mission_payload_t[mars_crewed 2033]"][0] == 0.0
    assert bare["mission_launches[mars_crewed 2033]"][0] <= cols["mission_launches[mars_crewed 2033]"][0]
    assert bare["mission_payload_t[moon_direct]"][0] > 10 and bare["mission_launches[moon_direct]"][0] == 1


@pytest.mark.parametrize("sweep, where, needle", [
    ("grid:\n    mission.required_payload: [-5 t, 10 t]",
     "s.yaml:10: sweep.grid.mission.required_payload:", "must be a mass of 0 to 10,000 t"),
    ("grid:\n    mission.required_payload: [-1 kg, 10 t]",
     "s.yaml:10: sweep.grid.mission.required_payload:", "got -0.001 t"),
    ("grid:\n    mission.required_payload: [5 t, 20000 t]",
     "s.yaml:10: sweep.grid.mission.required_payload:", "got 20000 t (a plausibility bound"),
    ("grid:\n    mission.required_payload: {start: 1 t, stop: 10001 t, num: 3}",
     "s.yaml:10: sweep.grid.mission.required_payload:", "0 to 10,000 t"),
    ("zip:\n    mission.required_payload: [5 t, 5 km/s]",
     "s.yaml:10: sweep.zip.mission.required_payload[1]:", "expected a mass such as '20 t' or '20000 kg'"),
    ("grid:\n    mission.required_payload: ['5 %']",
     "s.yaml:10: sweep.grid.mission.required_payload[0]:", "is not a mass"),
    ("lhs:\n    samples: 10\n    seed: 1\n    parameters:\n"
     "      mission.required_payload: {distribution: normal, std: 2 t}",
     "s.yaml:13: sweep.lhs.parameters.mission.required_payload:", "give 'mean'"),
    ("monte_carlo:\n    samples: 10\n    seed: 1\n    parameters:\n"
     "      mission.required_payload: {distribution: normal, mean: 2 t, std: 2 t}",
     "s.yaml:13: sweep.monte_carlo.parameters.mission.required_payload:", "must be a mass of 0 to 10,000 t"),
    ("grid:\n    mission.required_payloads: [5 t]",
     "s.yaml:10: sweep.grid.mission.required_payloads:", "did you mean 'mission.required_payload'"),
])
def test_bad_required_payload_values_are_refused_at_load(scen, sweep, where, needle):
    p = scen("sweep:\n  " + sweep + "\n", header=MOON)
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    msg = str(e.value)
    assert where in msg and needle in msg, msg
    assert "mission.required_payload" in msg


def test_required_payload_sweep_needs_a_mission_section(scen):
    p = scen("""
        sweep:
          grid:
            mission.required_payload: [5 t, 10 t]
        """, name="bad.yaml")
    with pytest.raises(ScenarioError, match="no 'mission:' section"):
        load_scenario(p)


def test_jointmission_check_accepts_a_required_payload_sweep(scen, capsys):
    from jointmission.cli import main

    p = scen("""
        sweep:
          lhs:
            samples: 64
            seed: 2
            parameters:
              mission.required_payload: {distribution: uniform, low: 5 t, high: 30 t}
              mission.margins.delta_v: {distribution: uniform, low: 0.02, high: 0.10}
        """, header=MISSION)
    assert main(["check", str(p)]) == 0
    assert "sweep: lhs, 64 cases" in capsys.readouterr().out
