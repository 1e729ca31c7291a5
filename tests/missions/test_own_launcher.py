"""A launch flown by its own catalog launcher (``launcher:`` in a concept's launch): the tanker
launches fly Falcon Heavy whatever launcher the study trades; the budget takes that vehicle's
capability to the delivery, computed by the same vectorized launcher call."""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.missions import Margins, capability, evaluate
from jointmission.runners.mission import evaluate_mission
from jointmission.scenario import ScenarioError, load_scenario
from jointmission.vehicles.catalog import get_vehicle
from scenario_files import write_scenario

SCEN = """\
name: depot with commercial tankers
vehicle: Joint Heavy CN
mission:
  architectures: [depot]
  concepts:
    depot:
      description: cargo lander refuelled in LEO by tankers on another launcher
      destination: moon
      parameters:
        dv: {value: 5500 m/s, source: "test"}
        leo: {value: 200 km, source: test}
        n_tankers: {value: 2, integer: true, source: test}
      elements:
        lander: {type: lander, isp: 450 s, dry_mass: 8 t, dry_fraction: 8 %, propellant_type: storable}
        tanker: {type: tanker, isp: 450 s, dry_mass: 6 t, propellant: launch, propellant_type: storable}
        cargo: {type: payload}
      launches:
        main: {carries: [lander, cargo], to: {orbit: leo}, fill: true}
        tanker: {carries: [tanker], to: {orbit: leo}, count: n_tankers, launcher: LAUNCHER}
      phases:
        - {name: cargo launch, kind: launch, launches: [main], at: LEO}
        - {name: tanker launch, kind: launch, launches: [tanker], repeat: tanker, at: LEO}
        - {name: refuel, kind: propellant_transfer, from: tanker, to: lander, amount: all, repeat: tanker, drop: [tanker]}
        - {name: to the Moon, kind: burn, element: lander, dv: dv, drop: [cargo, lander], at: surface}
"""


def test_tankers_fly_their_own_launcher(tmp_path):
    s = load_scenario(write_scenario(tmp_path, SCEN.replace("LAUNCHER", "Falcon Heavy")))
    out = evaluate_mission(s)
    arch = s.mission.concept("depot")
    from jointmission.missions import from_concept

    a = from_concept(arch)
    assert a.launchers == {"tanker 1": "Falcon Heavy", "tanker 2": "Falcon Heavy"}
    leo = a.deliveries["main"]
    own, _ = capability([get_vehicle("Joint Heavy CN")], [leo])
    fh, _ = capability([get_vehicle("Falcon Heavy")], [leo])
    assert fh[0, 0] < own[0, 0]
    r = evaluate(a, {"main": own[0], "tanker 1": fh[0], "tanker 2": fh[0]})
    row = out.rows[0]
    assert row["payload_t"] == pytest.approx(r.payload_kg[0] / 1e3, rel=1e-12)
    assert f"tanker 1={fh[0, 0] / 1e3:.1f}" in row["capability_t"]


def test_unknown_launcher_is_refused_with_a_suggestion(tmp_path):
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write_scenario(tmp_path, SCEN.replace("LAUNCHER", "Falcon Hevy")))
    assert exc.value.line == 19 and "launcher" in exc.value.field and "Falcon Heavy" in str(exc.value)


def test_sweep_over_tanker_count_with_own_launcher(tmp_path):
    from jointmission.missions import from_concept
    from jointmission.runners.sweep import run_sweep

    text = SCEN.replace("LAUNCHER", "Falcon Heavy") + "sweep:\n  grid:\n    mission.parameters.n_tankers: [1, 2]\n"
    path = write_scenario(tmp_path, text)
    df = run_sweep(path, tmp_path / "o").to_pandas()
    s = load_scenario(path)
    concept = s.mission.concept("depot")
    fh, _ = capability([get_vehicle("Falcon Heavy")], [from_concept(concept).deliveries["main"]])
    for _, row in df.iterrows():
        n = int(row["mission.parameters.n_tankers"])
        a = from_concept(concept, {"n_tankers": float(n)})
        main = np.array([row["payload_t[delivery: LEO 200 km]"] * 1e3])
        caps = {"main": main, **{f"tanker {k}": fh[0] for k in range(1, n + 1)}}
        r = evaluate(a, caps)
        assert row["mission_payload_t[depot]"] == pytest.approx(r.payload_kg[0] / 1e3, rel=1e-9)
    # no delivery target is added for the tankers: Falcon Heavy's capability is a constant
    assert [c for c in df.columns if c.startswith("payload_t[")] == ["payload_t[delivery: LEO 200 km]"]


def test_launcher_as_a_categorical_sweep_axis(tmp_path):
    """mission.launcher x mission.architecture: each case's payload is the budget of that
    architecture on that catalog vehicle's capability (every launch on it)."""
    from jointmission.missions import Margins, build
    from jointmission.missions.lunar_legs import translunar_arrival
    from jointmission.runners.sweep import run_sweep

    path = write_scenario(tmp_path, """\
name: launcher trade
vehicle: Joint Heavy CN
targets: [{name: LEO, orbit: {altitude: 200 km}}]
mission:
  architectures: [moon_direct, moon_lor_two_launch]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
sweep:
  grid:
    mission.launcher: [Joint Heavy CN, Falcon Heavy, Saturn V]
    mission.architecture: [moon_direct, moon_lor_two_launch]
""")
    df = run_sweep(path, tmp_path / "o").to_pandas()
    assert len(df) == 6 and set(df["mission.launcher"]) == {"Joint Heavy CN", "Falcon Heavy", "Saturn V"}
    m = Margins(0.05, 0.15, 0.01)
    for _, row in df.iterrows():
        # a mission section flies the v_inf and transit of the -2 km2/s2 trans-lunar conic (docs/validation.md)
        vinf, transit_s = translunar_arrival(-2e6, 185e3)
        arch = build(str(row["mission.architecture"]), arrival_vinf_m_s=float(vinf), transit_days=float(transit_s) / 86400)
        v = get_vehicle(str(row["mission.launcher"]))
        caps = {ln: capability([v], [d])[0][0] for ln, d in arch.deliveries.items()}
        r = evaluate(arch, caps, margins=m)
        if r.status[0] == 0:
            assert row["mission_payload_t[mission]"] == pytest.approx(r.payload_kg[0] / 1e3, rel=1e-9)
        else:
            assert row["mission_status[mission]"] == r.status[0]
    sat = df[(df["mission.launcher"] == "Saturn V") & (df["mission.architecture"] == "moon_direct")]
    fh = df[(df["mission.launcher"] == "Falcon Heavy") & (df["mission.architecture"] == "moon_direct")]
    assert float(sat["mission_payload_t[mission]"].iloc[0]) > float(fh["mission_payload_t[mission]"].iloc[0])
