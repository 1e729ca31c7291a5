"""The scenario `mission:` section: valid documents and errors that name file, line and field."""

from __future__ import annotations

import io
import textwrap

import numpy as np
import pytest

from jointmission.scenario import ScenarioError, load_scenario


def _write(tmp_path, body: str):
    d = tmp_path / "scenarios"
    d.mkdir(exist_ok=True)
    p = d / "m.yaml"
    p.write_text(textwrap.dedent(body))
    return p


BASE = """\
name: t
vehicle: {catalog: Joint Heavy CN}
mission:
"""


def test_valid_section_without_targets(tmp_path):
    p = _write(tmp_path, BASE + """\
  architectures: moon_direct
  launchers:
    - {name: two boosters, overrides: {boosters.count: 2}}
    - {name: RU, catalog: Joint Heavy RU}
  margins: {delta_v: 5 %, dry_mass_growth: 0.15}
  parameters: {surface_stay: 3 d, arrival_vinf: 0.85}
  elements:
    lunar_descent_stage: {isp: 445 s, dry_fraction: 12 %}
""")
    s = load_scenario(p)
    assert s.targets == ()
    assert s.mission.architectures == ["moon_direct"]
    assert [n for n, _ in s.mission_launchers] == ["two boosters", "RU"]
    assert s.mission_launchers[0][1].boosters.count == 2
    assert s.mission.margins.delta_v == pytest.approx(0.05)
    assert s.mission.params()["arrival_vinf_m_s"] == pytest.approx(850.0)
    assert s.mission.params()["elements"]["lunar_descent_stage"] == {"isp_s": 445.0, "dry_fraction": pytest.approx(0.12)}
    assert s.resolved_dict()["mission"]["launchers"][0]["overrides"] == {"boosters.count": 2}


@pytest.mark.parametrize("body, line, field, words", [
    ("  architectures: [moon_dirct]\n", 4, "mission.architectures[0]", "moon_direct"),
    ("  architectures: [moon_direct]\n  margins: {delta_v: -5 %}\n", 5, "mission.margins.delta_v", "fraction"),
    ("  architectures: [moon_direct]\n  launchers:\n    - {name: x, catalog: No Such Rocket}\n", 6,
     "mission.launchers[0].catalog", "unknown catalog vehicle"),
    ("  architectures: [moon_direct]\n  launchers:\n    - {name: x, overrides: {'stages[7].m_prop': 3}}\n", 6,
     "mission.launchers[0].overrides", "out of range"),
    ("  architectures: [moon_direct]\n  elements: {warp_drive: {isp: 9 s}}\n", 5, "mission.elements", "warp_drive"),
    ("  architectures: [mars_cargo]\n  mars: {windows: [2035]}\n", 5, "mission.mars.windows[0]", "2031"),
    ("  architectures: [moon_direct]\n  parameters: {surface_stay: 3 kg}\n", 5, "mission.parameters.surface_stay", ""),
])
def test_errors_name_file_line_and_field(tmp_path, body, line, field, words):
    p = _write(tmp_path, BASE + body)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    e = exc.value
    assert e.file.endswith("m.yaml")
    assert e.line == line, str(e)
    assert e.field is not None and e.field.startswith(field), str(e)
    assert words in str(e)


def test_backward_budget_through_the_runner(tmp_path):
    """required_payload turns every architecture into a backward budget: mass per launch and heavy
    launches needed; the table cells read 'delivered t / launches'."""
    from rich.console import Console

    from jointmission.report.mission import print_mission
    from jointmission.runners.mission import evaluate_mission

    p = _write(tmp_path, BASE + """\
  architectures: [moon_direct, moon_lor_two_launch]
  required_payload: 30 t
""")
    out = evaluate_mission(load_scenario(p))
    assert out.backward
    direct = next(r for r in out.rows if r["architecture"] == "moon_direct")
    assert direct["status"] == "ok" and direct["payload_t"] == 30.0
    cap = float(direct["capability_t"].split("=")[1])
    assert direct["launches"] == np.ceil(direct["delivered_t"] / cap) >= 2  # 30 t landed needs > one TLI launch
    con = Console(file=io.StringIO(), width=160)
    print_mission(out, con)
    assert "Launches needed" in con.file.getvalue()


def test_pivot_rows_name_every_variant(tmp_path):
    """Each option of a defined concept's choice is its own row of the programme-manager table; the
    classic labels are unchanged (Mars windows, mars_cargo's capture, mars_crewed backward)."""
    from jointmission.report.mission import pivot
    from jointmission.runners.mission import evaluate_mission

    p = _write(tmp_path, BASE + """\
  architectures: [trim_test, mars_cargo, mars_crewed]
  mars: {windows: [2031], window_source: table, capture: [aerocapture, propulsive]}
  choices: {trim: [none, trim burn]}
  concepts:
    trim_test:
      destination: moon
      parameters: {tli_c3: {value: -2 km2/s2, source: test}}
      elements:
        stage: {type: stage, isp: 450 s, dry_mass: 3 t, dry_fraction: 10 %}
        cargo: {type: payload}
      launches:
        launch: {carries: [stage, cargo], to: {c3: tli_c3}, fill: true}
      choices:
        trim: {default: none, options: {none: {phases: []}, trim burn: {phases: [{name: trim, kind: burn, element: stage, dv: 200 m/s}]}}}
      phases:
        - {name: TLI, kind: launch, launches: [launch]}
        - {choice: trim}
        - {name: landing, kind: burn, element: stage, dv: 2900 m/s, drop: [stage, cargo]}
""")
    out = evaluate_mission(load_scenario(p))
    _, rows = pivot(out)
    labels = [r[0] for r in rows]
    assert labels == ["trim_test (none)", "trim_test (trim burn)", "Mars cargo lander 2031 (aerocapture)",
                      "Mars cargo lander 2031 (propulsive)", "Mars crewed round trip 2031"]
    none, trim = (float(r[2]) for r in rows[:2])
    assert trim < none  # the extra burn costs payload
    assert rows[-1][1] == "see cells" and " / " in rows[-1][2]  # backward: delivered mass / launches


def test_concept_parameter_round_trips_through_the_resolved_scenario(tmp_path):
    """A concept's own parameter under `mission.parameters` (moon_nrho's `llo_nrho_dv`, written with a unit)
    is kept as written in `scenario.resolved.yaml`, which loads again to the same value, and the classic
    parameters beside it keep their units."""
    import yaml

    p = _write(tmp_path, BASE + """\
  architectures: moon_nrho
  parameters: {surface_stay: 3 d, llo_nrho_dv: 730 m/s}
""")
    s = load_scenario(p)
    params = s.resolved_dict()["mission"]["parameters"]
    assert params == {"surface_stay": "3 d", "llo_nrho_dv": "730 m/s"}
    again = _write(tmp_path, yaml.safe_dump(s.resolved_dict(), sort_keys=False))
    r = load_scenario(again)
    assert r.mission.params() == s.mission.params()
    assert r.mission.params()["llo_nrho_dv"] == pytest.approx(730.0)
