"""Hostile concept files as a table: each wrong concept gives exit code 2 and one paragraph naming
the concept file, the line and the element, launch or phase at fault (``jointmission check
CONCEPT.yaml``, and the same file referenced from a scenario's ``mission.concepts``)."""

from __future__ import annotations

import pytest
from cli_helpers import invoke

GOOD = """\
concept: depot_test
description: a lander refuelled in LEO by tankers
destination: moon
parameters:
  dv: {value: 3000 m/s, source: test}
  leo: {value: 200 km, source: test}
  n_tankers: {value: 2, integer: true, source: test}
elements:
  lander: {type: lander, isp: 450 s, dry_mass: 5 t}
  tanker: {type: tanker, isp: 450 s, dry_mass: 2 t, propellant: launch}
  cargo: {type: payload}
launches:
  main: {carries: [lander, cargo], to: {orbit: leo}, fill: true}
  tanker: {carries: [tanker], to: {orbit: leo}, count: n_tankers}
phases:
  - {name: cargo launch, kind: launch, launches: [main], at: LEO}
  - {name: tanker launch, kind: launch, launches: [tanker], repeat: tanker, at: LEO}
  - {name: refuel, kind: propellant_transfer, from: tanker, to: lander, amount: all, repeat: tanker, drop: [tanker]}
  - {name: departure, kind: burn, element: lander, dv: dv, drop: [cargo, lander], at: away}
"""

L_PHASE1 = 16  # line of the first phase in GOOD (1-based)


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# id: (concept text, line, field prefix, fragments naming the element or phase and the fix)
TABLE = {
    "used_before_launch": (
        _edit("  - {name: cargo launch, kind: launch, launches: [main], at: LEO}\n",
              "  - {name: early burn, kind: burn, element: lander, dv: 10 m/s}\n"
              "  - {name: cargo launch, kind: launch, launches: [main], at: LEO}\n"),
        L_PHASE1, "phases[0]", ["phase 'early burn'", "'lander'", "before it is launched"]),
    "used_after_drop": (
        GOOD + "  - {name: second burn, kind: burn, element: lander, dv: 10 m/s}\n",
        L_PHASE1 + 4, "phases[4]", ["phase 'second burn'", "'lander'", "after it is dropped", "'departure'"]),
    "transfer_from_unknown_tank": (
        _edit("from: tanker, to: lander", "from: tankr, to: lander"),
        L_PHASE1 + 2, "phases[2].from", ["phase 'refuel", "unknown tank 'tankr'", "did you mean 'tanker'"]),
    "transfer_from_empty_tank": (
        _edit("propellant: launch}", "propellant: 0 t}"),
        L_PHASE1 + 2, "phases[2].from", ["phase 'refuel 1'", "empty tank 'tanker 1'", "load is 0"]),
    "transfer_twice_from_emptied_tank": (
        _edit("amount: all, repeat: tanker, drop: [tanker]}", "amount: all, repeat: tanker}\n"
              "  - {name: again, kind: propellant_transfer, from: tanker, to: lander, amount: 1 t, repeat: tanker}"),
        L_PHASE1 + 3, "phases[3].from", ["phase 'again 1'", "empty tank", "gave all its propellant in phase 'refuel 1'"]),
    "transfer_from_crew": (
        _edit("  cargo: {type: payload}\n", "  cargo: {type: payload}\n  crew: {type: crew, mass: 300 kg}\n")
        .replace("carries: [lander, cargo]", "carries: [lander, cargo, crew]")
        .replace("from: tanker, to: lander, amount: all, repeat: tanker, drop: [tanker]",
                 "from: crew, to: lander, amount: 1 t"),
        L_PHASE1 + 3, "phases[2].from", ["phase 'refuel'", "'crew' (crew) has no propellant tank"]),
    "nothing_to_fly": (
        GOOD + "  - {name: coast home, kind: coast, days: 3 d}\n",
        L_PHASE1 + 4, "phases[4]", ["phase 'coast home' has nothing to fly"]),
    "loop_never_closes": (
        _edit("  lander: {type: lander, isp: 450 s, dry_mass: 5 t}",
              "  lander: {type: lander, isp: 450 s, dry_mass: 5 t, reusable: true}")
        .replace("drop: [cargo, lander], at: away}", "drop: [cargo], at: away}"),
        9, "elements.lander.reusable", ["reusable element 'lander'", "loop never closes", "starts at 'LEO'",
                                        "ends at 'away'"]),
    "burn_by_unknown_element": (
        _edit("element: lander, dv: dv", "element: landr, dv: dv"),
        L_PHASE1 + 3, "phases[3].element", ["phase 'departure'", "'landr'", "did you mean 'lander'"]),
    "burn_by_tank_without_engine": (
        _edit("  tanker: {type: tanker, isp: 450 s, dry_mass: 2 t, propellant: launch}",
              "  tanker: {type: tanker, dry_mass: 2 t, propellant: launch}")
        .replace("  - {name: refuel,", "  - {name: push, kind: burn, element: tanker, dv: 5 m/s, repeat: tanker}\n"
                                       "  - {name: refuel,"),
        L_PHASE1 + 2, "phases[2].element", ["phase 'push 1'", "'tanker 1' (tanker) has no engine"]),
    "unknown_phase_kind": (
        _edit("kind: burn, element: lander", "kind: brun, element: lander"),
        L_PHASE1 + 3, "phases[3].kind", ["phase 'departure'", "unknown kind 'brun'", "did you mean 'burn'"]),
    "unknown_leg": (
        _edit("dv: dv, drop", "dv: {leg: lunar_captur, vinf: 1 km/s}, drop"),
        L_PHASE1 + 3, "phases[3].dv.leg", ["unknown leg 'lunar_captur'", "did you mean 'lunar_capture'"]),
    "unknown_parameter_in_expression": (
        _edit("dv: dv, drop", "dv: dv + trimm, drop"),
        L_PHASE1 + 3, "phases[3].dv", ["'trimm' is not a parameter"]),
    "parameter_without_source": (
        _edit("  dv: {value: 3000 m/s, source: test}", "  dv: {value: 3000 m/s}"),
        5, "parameters.dv", ["parameter 'dv' needs a 'source'"]),
    "element_never_launched": (
        _edit("  cargo: {type: payload}\n", "  cargo: {type: payload}\n  spare: {type: item, mass: 1 t}\n"),
        12, "elements.spare", ["element 'spare' is never launched"]),
    "launch_never_flies": (
        _edit("  - {name: tanker launch, kind: launch, launches: [tanker], repeat: tanker, at: LEO}\n", "")
        .replace("  - {name: refuel, kind: propellant_transfer, from: tanker, to: lander, amount: all, repeat: tanker, "
                 "drop: [tanker]}\n", ""),
        14, "launches.tanker", ["launch 'tanker 1' never flies"]),
    "tanker_used_before_its_launch": (
        _edit("  - {name: tanker launch, kind: launch, launches: [tanker], repeat: tanker, at: LEO}\n", ""),
        L_PHASE1 + 1, "phases[1].from", ["phase 'refuel 1'", "'tanker 1' is used before it is launched"]),
    "two_payloads": (
        _edit("  cargo: {type: payload}\n", "  cargo: {type: payload}\n  more: {type: payload}\n")
        .replace("carries: [lander, cargo]", "carries: [lander, cargo, more]"),
        12, "elements.more", ["exactly one element of type 'payload'"]),
    "repeat_of_single_launch": (
        _edit("repeat: tanker, at: LEO}", "repeat: main, at: LEO}"),
        L_PHASE1 + 1, "phases[1].repeat", ["phase 'tanker launch'", "names a launch with a 'count'"]),
    "negative_isp": (
        _edit("isp: 450 s, dry_mass: 5 t", "isp: -450 s, dry_mass: 5 t"),
        9, "elements.lander.isp", ["positive"]),
    "carried_twice": (
        _edit("carries: [tanker], to", "carries: [tanker, lander], to"),
        14, "launches.tanker.carries[1]", ["element 'lander' is carried by launches 'main' and 'tanker'"]),
    "unknown_generic_element": (
        _edit("  lander: {type: lander, isp: 450 s, dry_mass: 5 t}", "  lander: {type: lander, from: lunar_decent_stage}"),
        9, "elements.lander.from", ["did you mean 'lunar_descent_stage'"]),
    "unknown_launcher": (
        _edit("count: n_tankers}", "count: n_tankers, launcher: Falcon Hevy}"),
        14, "launches.tanker.launcher", ["unknown", "Falcon Heavy"]),
    "aeroshell_never_sized": (
        _edit("  cargo: {type: payload}\n", "  cargo: {type: payload}\n  shell: {type: aeroshell, fraction: 10 %}\n")
        .replace("carries: [lander, cargo]", "carries: [lander, cargo, shell]"),
        12, "elements.shell", ["aeroshell 'shell' is never sized"]),
}


@pytest.mark.parametrize("case", sorted(TABLE))
def test_hostile_concept_file(tmp_path, case):
    text, line, field, fragments = TABLE[case]
    d = tmp_path / "scenarios" / "concepts"
    d.mkdir(parents=True)
    f = d / "depot_test.yaml"
    f.write_text(text)
    r = invoke("check", f)
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.err and r.out == ""
    msg = r.err.strip()
    assert f"depot_test.yaml:{line}: {field}" in msg, msg
    for frag in fragments:
        assert frag in msg, (frag, msg)
    # the same file referenced from a scenario: the same file, line and words
    scen = tmp_path / "scenarios" / "s.yaml"
    scen.write_text("name: s\nvehicle: Joint Heavy CN\nmission:\n  architectures: [depot_test]\n"
                    "  concepts:\n    depot_test: {file: concepts/depot_test.yaml}\n")
    r2 = invoke("check", scen)
    assert r2.code == 2 and f"depot_test.yaml:{line}: {field}" in r2.err, r2.err


def test_good_concept_file_checks_and_runs_from_a_scenario(tmp_path):
    d = tmp_path / "scenarios" / "concepts"
    d.mkdir(parents=True)
    f = d / "depot_test.yaml"
    f.write_text(GOOD)
    r = invoke("check", f)
    assert r.code == 0 and "OK: concept depot_test: 3 elements, 2 launches, 4 phases" in r.out, r.out + r.err
    scen = tmp_path / "scenarios" / "s.yaml"
    scen.write_text("name: s\nvehicle: Joint Heavy CN\nmission:\n  architectures: [depot_test, moon_direct]\n"
                    "  parameters: {n_tankers: 3}\n"
                    "  concepts:\n    depot_test: {file: concepts/depot_test.yaml}\n")
    r = invoke("check", scen)
    assert r.code == 0 and "mission: 2 architectures" in r.out, r.out + r.err


def test_inline_concept_error_names_the_scenario_line(tmp_path):
    scen = tmp_path / "scenarios" / "s.yaml"
    scen.parent.mkdir()
    body = "\n".join("      " + ln for ln in GOOD.replace("element: lander, dv: dv", "element: landr, dv: dv")
                     .splitlines() if not ln.startswith("concept:"))
    scen.write_text("name: s\nvehicle: Joint Heavy CN\nmission:\n  architectures: [my_depot]\n  concepts:\n"
                    "    my_depot:\n" + body + "\n")
    r = invoke("check", scen)
    assert r.code == 2
    assert "s.yaml:24: mission.concepts.my_depot.phases[3].element" in r.err and "did you mean 'lander'" in r.err, r.err
