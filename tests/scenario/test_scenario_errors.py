"""Every class of bad scenario file gives a ScenarioError naming the right file, line and field."""

from __future__ import annotations

import textwrap
import tracemalloc

import pytest

from jointmission.scenario import ScenarioError, load_scenario
from jointmission.scenario.yamlsafe import MAX_BYTES

GOOD_TARGETS = """\
targets:
  - name: LEO
    orbit: {altitude: 200 km}
"""


def block(text: str) -> str:
    """Dedent a triple-quoted YAML block so it can be joined with GOOD_TARGETS."""
    return textwrap.dedent(text).lstrip("\n")


def _err(path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert "\n" not in str(err), "one paragraph"
    assert err.file is not None and err.file.endswith(path.name)
    assert str(err).startswith(err.file)
    return err


def test_unknown_top_level_key_suggests(write):
    p = write("name: x\nvehicle: Saturn V\ntargts:\n  - name: LEO\n")
    err = _err(p)
    assert (err.line, err.field) == (3, "targts")
    assert "unknown key 'targts'" in err.reason
    assert "did you mean 'targets'" in err.reason
    assert "allowed keys here: name, description, vehicle" in err.reason
    assert str(err).startswith(f"{err.file}:3: targts: ")


def test_unknown_nested_key(write):
    p = write("""
        name: x
        vehicle: Saturn V
        targets:
          - name: LEO
            orbit:
              perigee: 200 km
              apogey: 300 km
        """)
    err = _err(p)
    assert (err.line, err.field) == (7, "targets[0].orbit.apogey")
    assert "did you mean 'apogee'" in err.reason


def test_unknown_key_in_inline_vehicle(write):
    p = write(block("""
        name: x
        vehicle:
          name: V
          launch_site: {latitude: 28.5}
          stages:
            - name: S1
              engine: RD-180
              m_prop: 300 t
              m_dri: 20 t
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (9, "vehicle.stages[0].m_dri")
    assert "did you mean 'm_dry'" in err.reason


def test_wrong_type(write):
    p = write("name: x\nvehicle: Saturn V\ntargets: LEO\n")
    err = _err(p)
    assert (err.line, err.field) == (3, "targets")
    assert "expected a list" in err.reason


def test_wrong_type_count(write):
    p = write(block("""
        name: x
        vehicle:
          catalog: Saturn V
          overrides:
            "stages[0].engine_count": five
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (5, "vehicle.stages[0].engine_count")
    assert "positive integer" in err.reason


def test_negative_mass_inline(write):
    p = write(block("""
        name: x
        vehicle:
          name: V
          launch_site: {latitude: 28.5}
          stages:
            - name: S1
              engine: RD-180
              m_prop: 300 t
              m_dry: 20 t
            - name: S2
              engine: RL10C-3
              m_prop: 20 t
              m_dry: -3 t
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (13, "vehicle.stages[1].m_dry")
    assert "must be a positive mass such as '12 t', got '-3 t'" in err.reason
    assert str(err) == f"{err.file}:13: vehicle.stages[1].m_dry: {err.reason}"


def test_negative_mass_override_points_at_override_line(write):
    p = write(block("""
        name: x
        vehicle:
          catalog: Joint Heavy CN
          overrides:
            "stages[0].m_prop": 1200 t
            "stages[1].m_dry": -3
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (6, "vehicle.stages[1].m_dry")
    assert "positive mass" in err.reason and "'-3 t'" in err.reason  # bare number = tonnes
    assert "override" in err.reason


def test_missing_field(write):
    p = write("name: x\nvehicle: Saturn V\n")
    err = _err(p)
    assert err.field == "targets" and err.line == 1
    assert "required key 'targets' is missing" in err.reason


def test_missing_target_name(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - orbit: {altitude: 200}\n")
    err = _err(p)
    assert (err.line, err.field) == (4, "targets[0].name")
    assert "missing" in err.reason


def test_missing_vehicle_stage_mass(write):
    p = write(block("""
        name: x
        vehicle:
          name: V
          launch_site: {latitude: 28.5}
          stages:
            - name: S1
              engine: RD-180
              m_prop: 300 t
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (6, "vehicle.stages[0].m_dry")


def test_malformed_yaml_reports_parser_position(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - name: LEO\n    orbit: {altitude: 200\n")
    err = _err(p)
    assert err.line is not None and err.line >= 5
    assert err.column is not None
    assert "malformed YAML" in err.reason


def test_malformed_yaml_indentation(write):
    p = write("name: x\n  vehicle: Saturn V\n")
    err = _err(p)
    assert err.line == 2 and "malformed YAML" in err.reason


def test_binary_file(write):
    p = write(bytes(range(256)) * 4, name="blob.yaml")
    err = _err(p)
    assert "binary" in err.reason


def test_non_utf8_file(write):
    p = write("name: caf\xe9\n".encode("latin-1"), name="latin.yaml")
    err = _err(p)
    assert "UTF-8" in err.reason and err.line == 1


def test_not_a_mapping(write):
    err = _err(write("- name: x\n- name: y\n"))
    assert "must be a YAML mapping" in err.reason


def test_empty_file(write):
    err = _err(write("# nothing here\n"))
    assert "empty" in err.reason


def test_file_too_large(write):
    p = write("name: x\n" + "#" * (MAX_BYTES + 10) + "\n")
    err = _err(p)
    assert "1 MiB" in err.reason


def test_missing_file(scen_dir):
    err = _err(scen_dir / "nope.yaml")
    assert "not found" in err.reason


def test_alias_bomb_is_refused_small(write):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    p = write("\n".join(lines) + "\n", name="lol.yaml")
    tracemalloc.start()
    err = _err(p)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 2**20
    assert err.line == 1
    assert "anchors" in err.reason or "aliases" in err.reason


def test_alias_without_anchor_use_is_refused(write):
    err = _err(write("name: &n x\nvehicle: Saturn V\n"))
    assert err.line == 1 and "anchors" in err.reason


def test_merge_key_refused(write):
    err = _err(write("name: x\n<<: {vehicle: Saturn V}\n"))
    assert err.line == 2 and "merge" in err.reason


def test_python_tag_refused(write):
    err = _err(write("name: !!python/object/apply:os.system ['echo hi']\n"))
    assert err.line == 1 and "tag" in err.reason


def test_duplicate_key_refused(write):
    err = _err(write("name: x\nname: y\n"))
    assert err.line == 2 and "duplicate key 'name'" in err.reason


def test_nan_altitude(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - name: LEO\n    orbit: {altitude: .nan}\n")
    err = _err(p)
    assert (err.line, err.field) == (5, "targets[0].orbit.altitude")
    assert "finite" in err.reason


def test_override_of_a_shared_engine_is_blamed_where_the_engine_also_flies(write):
    # Falcon Heavy's boosters and center core fly one engine: a sea-level thrust above the vacuum one,
    # set on stages[0], is wrong on the boosters too. The error points at the override's line, not at the
    # catalog line with "this value comes from catalog vehicle" (the value is the user's, not the catalog's)
    p = write(block("""
        name: x
        vehicle:
          catalog: Falcon Heavy
          overrides:
            "stages[0].engine.thrust_sl": 2000 kN
        """) + GOOD_TARGETS)
    err = _err(p)
    assert err.line == 5
    assert "2,000 kN" in err.reason and "set by override 'stages[0].engine.thrust_sl'" in err.reason
    assert "comes from catalog" not in err.reason


@pytest.mark.parametrize("value, words", [
    ("no", "a boolean (False): YAML reads an unquoted yes/no/on/off/true/false as a boolean; put the text in "
           "quotes, e.g. \"no\""),
    ("2031", "a number (2031): put the text in quotes, e.g. \"2031\""),
])
def test_name_that_yaml_reads_as_a_boolean_or_number_says_to_quote_it(write, value, words):
    # Norway's code 'NO' or a year as a target name: YAML 1.1 reads them as False / 2031. The message
    # said "expected text, got a boolean (False) False" (the value twice, and no way out)
    p = write(f"name: x\nvehicle: Saturn V\ntargets: [{{name: {value}, orbit: {{altitude: 200}}}}]\n")
    err = _err(p)
    assert (err.line, err.field) == (3, "targets[0].name")
    assert err.reason == f"expected text, got {words}"


@pytest.mark.parametrize("value", ["3.9", '"3.9"', "'3.9'", '" 3.9 "'])
def test_quoted_bare_number_means_the_same_unit_as_the_number(write, value):
    # `"stages[1].m_dry": "3.9"` was read as 3.9 kg (the SI default of the unit parser), the bare 3.9 as
    # 3.9 t: quoting a number changed the payload by ~4 t (Falcon Heavy LEO 56.3 -> 60.2 t), silently
    from jointmission.units import to_si

    p = write(f"name: x\nvehicle:\n  catalog: Falcon Heavy\n  overrides: {{\"stages[1].m_dry\": {value}, "
              f"\"stages[1].engine.thrust_vac\": {value.replace('3.9', '981')}}}\n" + GOOD_TARGETS)
    st = load_scenario(p).vehicle.stages[1]
    assert to_si(st.m_dry, "mass", "kg") == pytest.approx(3900.0)
    assert to_si(st.engine.thrust_vac, "force", "N") == pytest.approx(981e3)


def test_quoted_bare_number_in_an_inline_vehicle_is_tonnes(write):
    from jointmission.units import to_si

    p = write(block("""
        name: x
        vehicle:
          name: X
          launch_site: {name: K, latitude: 28.6 deg}
          stages:
            - name: S1
              engine: {name: E1, thrust_vac: "1500", isp_vac: 300 s}
              m_prop: "100"
              m_dry: "8"
        """) + GOOD_TARGETS)
    st = load_scenario(p).vehicle.stages[0]
    assert to_si(st.m_prop, "mass", "kg") == pytest.approx(100e3) and to_si(st.m_dry, "mass", "kg") == pytest.approx(8e3)
    assert to_si(st.engine.thrust_vac, "force", "N") == pytest.approx(1500e3)


def test_bare_coast_time_is_minutes_in_an_override_as_in_a_sweep(write):
    # the registry's scenario unit of coast_time is min (a sweep axis `vehicle.top_stage.coast_time: [30]`
    # is 30 min), but the override `top_stage.coast_time: 30` was read as 30 s: 60x apart
    from jointmission.scenario.sweep_spec import SWEEPABLE_FIELDS

    assert SWEEPABLE_FIELDS["coast_time"][1] == "min"
    p = write("name: x\nvehicle:\n  catalog: Falcon Heavy\n  overrides: {top_stage.coast_time: 30}\n" + GOOD_TARGETS)
    assert load_scenario(p).vehicle.top_stage.coast_time == pytest.approx(1800.0)


def test_nan_mass_override(write):
    p = write(block("""
        name: x
        vehicle:
          catalog: Saturn V
          overrides: {"stages[2].m_prop": .nan}
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (4, "vehicle.stages[2].m_prop")
    assert "finite" in err.reason


def test_inf_isp(write):
    p = write(block("""
        name: x
        vehicle:
          catalog: Saturn V
          overrides:
            "stages[0].engine.isp_vac": .inf
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (5, "vehicle.stages[0].engine.isp_vac")


def test_zero_isp(write):
    p = write(block("""
        name: x
        vehicle:
          catalog: Saturn V
          overrides:
            "stages[0].engine.isp_vac": 0 s
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (5, "vehicle.stages[0].engine.isp_vac")
    assert "positive" in err.reason


def test_unknown_catalog_vehicle(write):
    p = write("name: x\nvehicle:\n  catalog: Saturn 5\n" + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (3, "vehicle.catalog")
    assert "unknown catalog vehicle 'Saturn 5'" in err.reason
    assert "Saturn V" in err.reason


def test_unknown_catalog_engine_inline(write):
    p = write(block("""
        name: x
        vehicle:
          name: V
          launch_site: {latitude: 28.5}
          stages:
            - name: S1
              engine: RD-18O
              m_prop: 300 t
              m_dry: 20 t
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (7, "vehicle.stages[0].engine")
    assert "RD-180" in err.reason


def test_bad_unit_for_mass(write):
    p = write(block("""
        name: x
        vehicle:
          catalog: Saturn V
          overrides:
            "stages[1].m_prop": 3 parsecs
        """) + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (5, "vehicle.stages[1].m_prop")
    assert "parsecs" in err.reason


def test_wrong_dimension_for_altitude(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - name: LEO\n    orbit: {altitude: 200 kg}\n")
    err = _err(p)
    assert (err.line, err.field) == (5, "targets[0].orbit.altitude")


def test_bad_override_paths(write):
    cases = {
        '"stages[9].m_prop": 1': "out of range",
        '"boosters.count": 2': "no 'boosters'",
        '"stages[0]..m_prop": 1': "empty part",
        '"stages[0].m_porp": 1 t': "did you mean 'm_prop'",
    }
    for entry, expect in cases.items():
        p = write(f"name: x\nvehicle:\n  catalog: Saturn V\n  overrides:\n    {entry}\n" + GOOD_TARGETS)
        err = _err(p)
        assert err.line == 5, entry
        assert expect in err.reason, (entry, err.reason)


def test_apogee_below_perigee(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - name: T\n    orbit: {perigee: 400, apogee: 200}\n")
    err = _err(p)
    assert (err.line, err.field) == (5, "targets[0].orbit.apogee")


def test_target_without_orbit_or_c3(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - name: T\n")
    err = _err(p)
    assert err.line == 4 and "orbit" in err.reason and "c3" in err.reason


def test_duplicate_target_names(write):
    p = write("name: x\nvehicle: Saturn V\ntargets:\n  - name: T\n    c3: 0\n  - name: T\n    c3: 1\n")
    err = _err(p)
    assert (err.line, err.field) == (6, "targets[1].name")


def test_bad_output_format(write):
    p = write("name: x\nvehicle: Saturn V\n" + GOOD_TARGETS + "outputs:\n  formats: [parqet]\n")
    err = _err(p)
    assert (err.line, err.field) == (7, "outputs.formats[0]")
    assert "did you mean 'parquet'" in err.reason


def test_latitude_out_of_range(write):
    p = write("name: x\nvehicle: Saturn V\nlaunch_site: {latitude: 95 deg}\n" + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (3, "launch_site.latitude")


# ------------------------------------------------------------------------------- file references
VEHICLE_FILE = """\
name: Small
launch_site: {latitude: 28.5}
stages:
  - name: S1
    engine: RD-180
    m_prop: 300
    m_dry: 20
"""


def test_file_reference_escaping_tree(write, scen_dir):
    (scen_dir.parent / "outside.yaml").write_text(VEHICLE_FILE)
    p = write("name: x\nvehicle:\n  file: ../outside.yaml\n" + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (3, "vehicle.file")
    assert "outside the scenarios tree" in err.reason


def test_file_reference_escaping_from_subdir(write, scen_dir):
    (scen_dir.parent / "outside.yaml").write_text(VEHICLE_FILE)
    p = write("name: x\nvehicle:\n  file: ../../outside.yaml\n" + GOOD_TARGETS, name="sub/s.yaml")
    err = _err(p)
    assert "outside the scenarios tree" in err.reason


def test_file_reference_absolute(write, scen_dir):
    inside = scen_dir / "v.yaml"
    inside.write_text(VEHICLE_FILE)
    p = write(f"name: x\nvehicle:\n  file: {inside}\n" + GOOD_TARGETS)
    err = _err(p)
    assert err.line == 3 and "absolute path" in err.reason


def test_file_reference_symlink_out(write, scen_dir):
    outside = scen_dir.parent / "outside.yaml"
    outside.write_text(VEHICLE_FILE)
    (scen_dir / "link.yaml").symlink_to(outside)
    p = write("name: x\nvehicle:\n  file: link.yaml\n" + GOOD_TARGETS)
    err = _err(p)
    assert "outside the scenarios tree" in err.reason


def test_file_reference_error_names_included_file(write):
    write(VEHICLE_FILE.replace("m_dry: 20", "m_dry: -20"), name="vehicles/v.yaml")
    p = write("name: x\nvehicle:\n  file: vehicles/v.yaml\n" + GOOD_TARGETS)
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    err = info.value
    assert err.file.endswith("v.yaml") and "vehicles" in err.file
    assert (err.line, err.field) == (7, "vehicle.stages[0].m_dry")


def test_file_reference_ok(write):
    write(VEHICLE_FILE, name="vehicles/v.yaml")
    s = load_scenario(write("name: x\nvehicle:\n  file: vehicles/v.yaml\n" + GOOD_TARGETS))
    assert s.vehicle_origin == "file"
    assert s.vehicle.stages[0].m_dry == pytest.approx(20e3)  # bare number = tonnes


def test_catalog_origin_error_names_catalog(write, monkeypatch):
    from jointmission.vehicles import catalog

    real = catalog.vehicle_raw

    def broken(name):
        raw = real(name)
        raw["stages"][0]["m_dry"] = "-1 t"
        return raw

    monkeypatch.setattr(catalog, "vehicle_raw", broken)
    p = write("name: x\nvehicle:\n  catalog: Saturn V\n" + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (3, "vehicle.stages[0].m_dry")
    assert "catalog vehicle 'Saturn V'" in err.reason and "vehicles.yaml" in err.reason


def test_first_problem_in_file_order_across_vehicle_and_document(write):
    # The vehicle section is validated separately from the rest of the document; a misspelt key in
    # the vehicle (line 4) must not be hidden behind a later document problem (empty targets, line 5).
    p = write("name: x\nvehicle:\n  catalog: Saturn V\n  overides: {}\ntargets: []\n")
    err = _err(p)
    assert (err.line, err.field) == (4, "vehicle.overides")
    assert "did you mean 'overrides'" in err.reason
    # ... and a document problem before the vehicle still comes first.
    p = write("name: [x]\nvehicle:\n  catalog: Saturn V\n  overides: {}\n" + GOOD_TARGETS)
    assert _err(p).line == 1


# ------------------------------------------------- mission: section limits (hostile testing, 2026-12-01)
MISSION = "name: x\nvehicle: Joint Heavy CN\nmission:\n"


@pytest.mark.parametrize("body, expected", [
    ("elements: {lunar_descent_stage: {residual: 99.9 %}}", 0.999),
    ("elements: {lunar_descent_stage: {residual: 99.99 %}}", 0.9999),
    ("elements: {lunar_descent_stage: {residual: 0.999}}", 0.999),
    ("margins: {propellant_reserve: 97.9 %}", 0.979),  # + the stages' own 1-2 % residuals: < 100 %
])
def test_kept_propellant_just_below_100_percent_is_accepted(write, body, expected):
    # '99.9 %' parses to 0.9990000000000001 and was refused by an inclusive 0.999 bound ("must be a
    # fraction between 0 and 0.999 ..., got '99.9 %'"); any value below 100 % is physical
    m = load_scenario(write(MISSION + "  architectures: [moon_direct]\n  " + body + "\n")).mission
    got = m.elements["lunar_descent_stage"].residual if "residual" in body else m.margins.propellant_reserve
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("body, line, field, words", [
    ("  architectures: [moon_direct]\n  elements:\n    lunar_descent_stage: {residual: 100 %}\n", 6,
     "mission.elements.lunar_descent_stage.residual", "must be a fraction of at least 0 % and below 100 %"),
    ("  architectures: [moon_direct]\n  margins: {propellant_reserve: 1.5}\n", 5,
     "mission.margins.propellant_reserve", "below 100 %"),
    # residual + reserve >= 100 %: the element would burn nothing (the budget returned 'negative load')
    ("  architectures: [moon_direct]\n  margins: {propellant_reserve: 99.5 %}\n", 5,
     "mission.margins.propellant_reserve", "residual 1 % + reserve 99.5 % of its load) must stay below 100 %"),
    ("  architectures: [moon_direct]\n  elements:\n    lunar_descent_stage: {residual: 99.9 %}\n"
     "  margins: {propellant_reserve: 1 %}\n", 6, "mission.elements.lunar_descent_stage.residual",
     "'lunar_descent_stage' (residual 99.9 % + reserve 1 %"),
])
def test_kept_propellant_of_100_percent_or_more_is_refused(write, body, line, field, words):
    err = _err(write(MISSION + body))
    assert (err.line, err.field) == (line, field), str(err)
    assert words in err.reason, err.reason


def test_required_payload_has_a_plausibility_bound(write):
    # 1e9 t was accepted and budgeted (2.3e9 t landed by 47 million launches)
    err = _err(write(MISSION + "  architectures: [moon_direct]\n  required_payload: 1e9 t\n"))
    assert (err.line, err.field) == (5, "mission.required_payload")
    assert "at most 10,000 t" in err.reason and "heaviest payload ever put in orbit" in err.reason
    assert "got '1e9 t'" in err.reason
    s = load_scenario(write(MISSION + "  architectures: [moon_direct]\n  required_payload: 10000 t\n"))
    assert s.mission.required_payload == pytest.approx(1e7)


@pytest.mark.parametrize("mars, field, words", [
    # mars_crewed has no lander: terminal_descent_dv changed nothing in its results (was accepted)
    ("{terminal_descent_dv: 5000 m/s}", "terminal_descent_dv", "mars_crewed models no lander"),
    ("{landed_fraction: 40 %}", "landed_fraction", "mars_crewed models no lander"),
    ("{heatshield_fraction: 10 %}", "heatshield_fraction", "mars_crewed models no lander"),
    ("{capture: [aerocapture]}", "capture", "mars_crewed always captures propulsively"),
])
def test_mars_fields_that_only_mars_cargo_uses_are_refused_for_mars_crewed(write, mars, field, words):
    err = _err(write(MISSION + f"  architectures: [mars_crewed]\n  mars: {mars}\n"))
    assert (err.line, err.field) == (5, f"mission.mars.{field}")
    assert "applies to the mars_cargo architecture only" in err.reason and words in err.reason
    # with mars_cargo listed too the field is used (by mars_cargo) and accepted
    s = load_scenario(write(MISSION + f"  architectures: [mars_cargo, mars_crewed]\n  mars: {mars}\n"))
    assert field in s.mission.mars.model_fields_set


def test_mars_section_without_a_mars_architecture_is_refused(write):
    err = _err(write(MISSION + "  architectures: [moon_direct]\n  mars: {cruise: 200 d}\n"))
    assert (err.line, err.field) == (5, "mission.mars.cruise")
    assert "no Mars architecture is listed" in err.reason


@pytest.mark.parametrize("archs, key, users", [
    # an override of an element no listed architecture is built from changed nothing (was accepted)
    ("[moon_direct]", "earth_departure_stage", "moon_eor_two_launch, mars_crewed"),
    ("[moon_lor_two_launch, moon_nrho]", "mars_descent_stage", "mars_cargo"),
    ("[mars_cargo]", "crew_vehicle", "moon_lor_single"),
])
def test_element_overrides_that_no_listed_architecture_uses_are_refused(write, archs, key, users):
    err = _err(write(MISSION + f"  architectures: {archs}\n  elements:\n    {key}: {{isp: 450 s}}\n"))
    assert (err.line, err.field) == (6, f"mission.elements.{key}"), str(err)
    assert f"'elements.{key}' has no effect" in err.reason and users in err.reason, err.reason
    # an element the architecture is built from is accepted
    s = load_scenario(write(MISSION + "  architectures: [moon_direct]\n  elements:\n    lunar_descent_stage: {isp: 450 s}\n"))
    assert "lunar_descent_stage" in s.mission.elements


def test_elements_used_matches_what_each_architecture_reads():
    from jointmission.missions.architectures import elements_used

    assert elements_used("moon_direct") == {"lunar_descent_stage"}
    assert elements_used("moon_eor_two_launch") == {"crew_vehicle", "earth_departure_stage", "lunar_ascent_stage",
                                                    "lunar_descent_stage"}
    assert elements_used("mars_cargo") == {"mars_capture_stage", "mars_descent_stage"}
    assert elements_used("mars_crewed") == {"earth_departure_stage", "mars_capture_stage"}


FAIRING_VEHICLE = """
    name: x
    vehicle:
      name: V
      launch_site: {latitude: 28.5}
      stages:
        - name: S1
          engine: RD-180
          m_prop: 300 t
          m_dry: 20 t
      fairing:
        mass: 2 t
        jettison_in_stage: 0
        jettison_time: %s
    """


def test_fairing_jettison_time_not_a_time(write):
    p = write(block(FAIRING_VEHICLE % "-5 s") + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (13, "vehicle.fairing.jettison_time")
    assert "positive time such as '205 s'" in err.reason


def test_fairing_jettison_time_after_burnout(write):
    p = write(block(FAIRING_VEHICLE % "900 s") + GOOD_TARGETS)
    err = _err(p)
    assert (err.line, err.field) == (2, "vehicle")  # a rule across the vehicle's fields: the vehicle's line
    assert "fairing.jettison_time is 900.0 s but stage 0 burns for" in err.reason


BOOSTER_VEHICLE = """
    name: x
    vehicle:
      name: V
      launch_site: {latitude: 28.5}
      boosters:
        count: 5
        engine: AJ-60A
        m_prop: 42.63 t
        m_dry: 4.067 t
        jettison_time: %s
      stages:
        - name: S1
          engine: RD-180
          m_prop: 284 t
          m_dry: 21 t
          throttle_during_boosters: 0.61
    """


@pytest.mark.parametrize("value, reason", [
    ("-5 s", "positive time such as '205 s'"),
    ("110 kg", "time"),
    ("60 s", "boosters.jettison_time is 60.0 s but the boosters burn until"),
    ("400 s", "boosters.jettison_time is 400.0 s but stage 0, which carries the spent boosters until then, burns out"),
])
def test_booster_jettison_time_errors_name_its_line(write, value, reason):
    """A bad boosters.jettison_time, a unit or a time outside the window from their burnout to stage 0's
    (a rule across fields, reported at the field itself): file, line and field of the value."""
    err = _err(write(block(BOOSTER_VEHICLE % value) + GOOD_TARGETS))
    assert (err.line, err.field) == (10, "vehicle.boosters.jettison_time"), str(err)
    assert reason in err.reason, err.reason


@pytest.mark.parametrize("arg", [{"name": "x", "vehicle": "Saturn V"}, 42, None])
def test_load_scenario_says_what_it_takes(arg):
    """``jm.load_scenario({...})`` raised pathlib's "expected str, bytes or os.PathLike object, not dict"."""
    import jointmission as jm

    with pytest.raises(TypeError, match=r"load_scenario takes the path of a scenario file.*parse_scenario"):
        jm.load_scenario(arg)


def test_an_exponent_without_a_sign_is_a_number(tmp_path):
    """YAML 1.1 (PyYAML) reads ``1e4`` and ``2.5e1`` as text (its floats need a dot and a signed
    exponent, ``1.0e+4``); YAML 1.2 and every user read them as numbers. ``samples: 1e4`` was refused
    with "unable to parse string as an integer". Unquoted, they are numbers now; quoted, text."""
    from jointmission.scenario.yamlsafe import load_yaml_text

    data, _ = load_yaml_text("a: 1e4\nb: 2.5e1\nc: -1E3\nd: '1e4'\ne: 1e4 t\nf: .5e2\ng: 1_000e0\n", "x.yaml")
    assert data == {"a": 1e4, "b": 25.0, "c": -1e3, "d": "1e4", "e": "1e4 t", "f": 50.0, "g": 1000.0}
    p = tmp_path / "mc.yaml"
    p.write_text("name: s\nvehicle: Falcon 9\ntargets: [{name: LEO, orbit: {altitude: 200 km}}]\nsweep:\n"
                 "  monte_carlo:\n    samples: 1e4\n    seed: 1\n    parameters:\n"
                 "      vehicle.stages[1].m_prop: {distribution: normal, std: 1 t}\n", encoding="utf-8")
    assert load_scenario(p).sweep.n_cases == 10_000
    g = tmp_path / "grid.yaml"
    g.write_text("name: s\nvehicle: Falcon 9\ntargets: [{name: LEO, orbit: {altitude: 200 km}}]\nsweep:\n"
                 "  grid:\n    vehicle.stages[1].m_prop: {start: 100 t, stop: 110 t, num: 1e3}\n", encoding="utf-8")
    assert load_scenario(g).sweep.n_cases == 1_000
