"""Hostile inputs as a table: (scenario file or command line, exit code, message fragments).

Every user mistake exits with code 2 and one paragraph on stderr, never a traceback; a message about
a scenario file names the file, the line and the field. Impossible inputs (an orbit inside the
atmosphere or beyond Earth's sphere of influence, a negative parking altitude, a capture apoapsis below
its periapsis) are refused, or in the Python API give an invalid status and NaN, never a number.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import invoke

BIG = "9" * 400  # an integer beyond the float range
HUGE = "9" * 5000  # beyond Python's int-parsing limit
ORBIT = "targets: [{name: a, orbit: {altitude: 200}}]\n"
HEAD = "name: h\nvehicle: Saturn V\n"
TRANSFER = "transfer: {from: earth, to: mars, depart: '2031-01-01:2031-02-01', "
INLINE = """name: h
vehicle:
  name: X
  launch_site: {latitude: 28.5 deg}
  stages:
    - name: s1
      engine: {name: E1, thrust_vac: 1000 kN, isp_vac: %s, isp_sl: %s}
      engine_count: 1
      m_prop: 100 t
      m_dry: 10 t
""" + ORBIT

_MISSION = "name: h\nvehicle: Joint Heavy CN\nmission:\n  architectures: [moon_direct]\n"

# id: (file text or bytes, line, field or None, fragments)
_SAMPLED = HEAD + ORBIT + "sweep:\n  monte_carlo:\n    samples: 10\n    seed: 1\n    parameters:\n      vehicle.stages[1].m_prop: "
FILES = {
    # a sampled parameter written without its 'distribution:' key, or with an unknown one (pydantic's own
    # words were "Unable to extract tag using discriminator 'distribution'")
    "sampled_without_distribution_key": (_SAMPLED + "{normal: [100 t, 5 t]}\n", 9,
                                         "sweep.monte_carlo.parameters.vehicle.stages[1].m_prop",
                                         ["needs the key 'distribution'", "normal (std, mean?), uniform (low, high), "
                                          "triangular (low, high, mode?) or lognormal (sigma, median?)",
                                          "write 'distribution: normal' and its parameters by name"]),
    "sampled_unknown_distribution": (_SAMPLED + "{distribution: Normal, std: 5 t}\n", 9,
                                     "sweep.monte_carlo.parameters.vehicle.stages[1].m_prop.distribution",
                                     ["must be one of 'normal', 'uniform', 'triangular', 'lognormal'", "got 'Normal'",
                                      "did you mean 'normal'"]),
    # a trans-lunar injection whose conic turns back before the Moon's distance (384,400 km): the run said
    # "infeasible: the launcher cannot reach the delivery target" while the launcher lifted 58 t to that C3
    "mission_tli_short_of_the_moon": (_MISSION + "  parameters: {tli_c3: -10 km2/s2}\n", 5, "mission.parameters.tli_c3",
                                      ["C3 -10 km2/s2", "does not reach the Moon", "at least -2.039 km2/s2",
                                       "185 km parking orbit"]),
    "mission_tli_from_a_high_parking_orbit": (_MISSION + "  parameters: {tli_c3: -2 km2/s2, parking_altitude: 20000 km}\n",
                                              5, "mission.parameters.tli_c3",
                                              ["does not reach the Moon", "20,000 km parking orbit", "-1.94"]),
    "orbit_below_atmosphere": (HEAD + "targets: [{name: a, orbit: {altitude: 50 km}}]\n", 3,
                               "targets[0].orbit.altitude", ["between 120 km and", "got '50 km'", "entry interface"]),
    "perigee_below_atmosphere": (HEAD + "targets: [{name: a, orbit: {perigee: 90, apogee: 400}}]\n", 3,
                                 "targets[0].orbit.perigee", ["below 120 km"]),
    "apogee_one_light_year": (HEAD + "targets: [{name: a, orbit: {perigee: 200, apogee: 1 lyr}}]\n", 3,
                              "targets[0].orbit.apogee", ["sphere of influence", "C3 target"]),
    "negative_parking": (HEAD + "targets: [{name: a, c3: 10, parking: {altitude: -5 km}}]\n", 3,
                         "targets[0].parking.altitude", ["got '-5 km'"]),
    "transfer_negative_parking": (HEAD + TRANSFER + "parking: {altitude: -100 km}}\n", 3,
                                  "transfer.parking.altitude", ["between 120 km"]),
    "transfer_capture_apo_below_peri": (HEAD + TRANSFER + "capture: {periapsis: 300 km, apoapsis: 200 km}}\n", 3,
                                        "transfer.capture.apoapsis", ["below periapsis"]),
    "mission_parking_in_atmosphere": ("name: h\nvehicle: Joint Heavy CN\nmission:\n  architectures: [moon_direct]\n"
                                      "  parameters: {parking_altitude: 50}\n", 5, "mission.parameters.parking_altitude",
                                      ["between 120 km", "entry interface"]),
    "int_overflow_target": (HEAD + f"targets: [{{name: a, c3: {BIG}}}]\n", 3, "targets[0].c3",
                            ["400 digits", "beyond the range of a floating-point number"]),
    "int_overflow_override": ("name: h\nvehicle:\n  catalog: Saturn V\n  overrides: {'stages[0].m_prop': " + BIG
                              + "}\n" + ORBIT, 4, "vehicle.overrides.stages[0].m_prop", ["400 digits"]),
    "int_too_long_to_read": ("name: h\nvehicle:\n  catalog: Saturn V\n  overrides: {'stages[0].m_prop': -" + HUGE
                             + "}\n" + ORBIT, 4, "vehicle.overrides.stages[0].m_prop", ["5,001 characters"]),
    "control_character": (b"name: h\x07\nvehicle: Saturn V\n" + ORBIT.encode(), 1, None,
                          ["control character U+0007"]),
    "escape_character_in_a_value": (HEAD.encode() + b"targets: [{name: a\x1b, orbit: {altitude: 200}}]\n", 3, None,
                                    ["control character U+001B"]),
    "nul_byte": (HEAD.encode() + b"targets: [{name: a\x00}]\n", 3, None, ["binary file", "NUL"]),
    "vehicle_file_6000_chars": ("name: h\nvehicle: {file: " + "a" * 5995 + ".yaml}\n" + ORBIT, 2, "vehicle.file",
                                ["6,000 characters long", "at most 1024"]),
    "vehicle_file_is_a_directory": ("name: h\nvehicle: {file: vehicles}\n" + ORBIT, 2, "vehicle.file",
                                    ["'vehicles' is a directory"]),
    "too_many_targets": (HEAD + "targets:\n" + "".join(f"  - {{name: t{i}, orbit: {{altitude: {200 + i}}}}}\n"
                                                        for i in range(101)), 3, "targets", ["101 targets", "at most 100"]),
    "isp_sl_above_isp_vac": (INLINE % ("300 s", "320 s"), 7, "vehicle.stages[0].engine",
                             ["isp_sl (320.0 s) must not exceed isp_vac (300.0 s)"]),
    "isp_not_finite": (INLINE % (".nan", "280 s"), 7, "vehicle.stages[0].engine.isp_vac", ["got nan"]),
    # units: exactly one number then one unit; no logarithmic units
    "space_inside_a_number": ("name: h\nvehicle:\n  catalog: Saturn V\n  overrides: {'stages[0].m_prop': '1 500 t'}\n"
                              + ORBIT, 4, "vehicle.stages[0].m_prop", ["'1 500 t'", "not 1 500"]),
    "two_numbers_in_an_altitude": (HEAD + "targets: [{name: a, orbit: {altitude: '200 2 km'}}]\n", 3,
                                   "targets[0].orbit.altitude", ["exactly one number followed by one unit"]),
    "logarithmic_unit": (HEAD + "targets: [{name: a, orbit: {altitude: 200 dex(km)}}]\n", 3,
                         "targets[0].orbit.altitude", ["logarithmic or non-linear unit"]),
    # counts, Isp and masses beyond any real vehicle
    "a_billion_boosters": ("name: h\nvehicle:\n  catalog: Energia\n  overrides: {boosters.count: 1000000000}\n"
                           + ORBIT, 4, "vehicle.boosters.count", ["from 1 to 12", "got 1000000000"]),
    "negative_isp": ("name: h\nvehicle:\n  catalog: Saturn V\n  overrides: {'stages[0].engine.isp_vac': -300 s}\n"
                     + ORBIT, 4, "vehicle.stages[0].engine.isp_vac", ["positive specific impulse", "got '-300 s'"]),
    "negative_mass": ("name: h\nvehicle:\n  catalog: Saturn V\n  overrides: {'stages[0].m_prop': -3 t}\n"
                      + ORBIT, 4, "vehicle.stages[0].m_prop", ["positive mass", "got '-3 t'"]),
    # a C3 below the circular parking orbit's own energy (-GM/r: -60.73 km2/s2 at 185 km)
    "c3_below_parking_orbit_energy": (HEAD + "targets:\n  - {name: a, c3: -1e6}\n", 4, "targets[0].c3",
                                      ["C3 -1e+06 km2/s2 is below the energy of its 185 km circular parking orbit",
                                       "-60.73 km2/s2", "at least -60.7 km2/s2"]),
    # above 1,000 km2/s2 (v_inf 31.6 km/s; the highest flown, New Horizons, was 157.7): a typing error
    "c3_beyond_any_launch": (HEAD + "targets:\n  - {name: a, c3: 1e12}\n", 4, "targets[0].c3",
                             ["at most 1,000 km2/s2"]),
    "c3_below_its_parking_orbit": (HEAD + "targets:\n  - {name: a, c3: -59 km2/s2, parking: {altitude: 400}}\n", 4,
                                   "targets[0].c3", ["400 km circular parking orbit", "-58.81 km2/s2"]),
    # control characters written as escapes in quoted strings (the reader sees only '\\', 'a', ...)
    "bell_escape_in_a_name": (HEAD + 'targets:\n  - {name: "\\a", orbit: {altitude: 200}}\n', 4,
                              "targets[0].name", ["control character (U+0007", "quoted string"]),
    "nul_escape_in_a_name": (HEAD + 'targets:\n  - {name: "a\\x00", orbit: {altitude: 200}}\n', 4,
                             "targets[0].name", ["NUL character (U+0000"]),
    "terminal_escape_in_the_scenario_name": ('name: "\\e[2J"\nvehicle: Saturn V\n' + ORBIT, 1, "name",
                                             ["escape character (U+001B"]),
    "line_break_in_a_name": (HEAD + 'targets:\n  - {name: "a\\nb", orbit: {altitude: 200}}\n', 4,
                             "targets[0].name", ["line break (U+000A", "only in 'description'"]),
    "tab_in_a_unit": (HEAD + 'targets:\n  - {name: a, orbit: {altitude: "200\\tkm"}}\n', 4,
                      "targets[0].orbit.altitude", ["a tab (U+0009"]),
    "c1_control_in_a_key": (HEAD + 'targets:\n  - {name: a, orbit: {altitude: 200}, "\\x9b": 1}\n', 4,
                            "targets[0]", ["text key", "U+009B"]),
    "unknown_catalog_launch_site": ("name: h\nvehicle: Joint Heavy CN\nlaunch_site: Vostochnyy\n" + ORBIT, 3,
                                    "launch_site", ["unknown launch site 'Vostochnyy'", "did you mean 'Vostochny'?"]),
    # categorical trade axes of a sweep: launch site, number of tanker launches, capture method
    "unknown_launch_site_on_a_sweep_axis": (_MISSION + "sweep:\n  grid:\n    mission.launch_site: [Wenchang, Vostochnyy]\n",
                                            7, "sweep.grid.mission.launch_site[1]",
                                            ["unknown launch site 'Vostochnyy'", "did you mean 'Vostochny'?"]),
    "launch_site_axis_that_is_a_number": (_MISSION + "sweep:\n  zip:\n    mission.launch_site: [19.6, 51.9]\n",
                                          7, "sweep.zip.mission.launch_site[0]", ["a catalog name such as 'Wenchang'"]),
    "tanker_count_that_leaves_the_depot_empty": (
        _MISSION.replace("[moon_direct]", "[moon_depot_cargo]") + "sweep:\n  zip:\n    mission.parameters.n_tankers: [2, 0]\n",
        7, "sweep.zip.mission.parameters.n_tankers[1]", ["0 does not fly architecture 'moon_depot_cargo'",
                                                         "empty tank 'depot'"]),
    "capture_axis_without_a_mars_architecture": (_MISSION + "sweep:\n  grid:\n    mission.mars.capture: [propulsive]\n",
                                                 7, "sweep.grid.mission.mars.capture",
                                                 ["no listed architecture has a choice 'capture'"]),
}


def _scenario(tmp_path: Path, content: str | bytes) -> Path:
    d = tmp_path / "scenarios"
    (d / "vehicles").mkdir(parents=True, exist_ok=True)
    p = d / "s.yaml"
    p.write_bytes(content.encode() if isinstance(content, str) else content)
    return p


def _user_error(r, *fragments: str) -> str:
    assert r.code == 2, (r.code, r.out[-500:], r.err[-2000:])
    assert "Traceback" not in r.err and "Traceback" not in r.out, r.err
    text = r.err.strip()
    assert text and "\n" not in text, f"one paragraph expected: {r.err!r}"
    assert not re.search(r"\{[a-z_]+(![rsa])?(:[^}]*)?\}", text), f"unfilled placeholder: {text}"
    for f in fragments:
        assert f in text, (f, text)
    return text


@pytest.mark.parametrize("case", sorted(FILES))
def test_hostile_scenario_file(case, tmp_path):
    content, line, field, fragments = FILES[case]
    p = _scenario(tmp_path, content)
    for command in ("check", "run"):
        args = (command, p) if command == "check" else (command, p, "-o", tmp_path / "out")
        text = _user_error(invoke(*args), *fragments)
        assert re.search(rf"s\.yaml:{line}\b", text), text  # file and line
        if field is not None:
            assert f": {field}: " in text, text  # field path
        assert not (tmp_path / "out").exists() or not (tmp_path / "out" / "summary.json").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_scenario_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "s.yaml"
    os.mkfifo(fifo)
    _user_error(invoke("check", fifo), "s.yaml", "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_vehicle_file_is_refused(tmp_path):
    p = _scenario(tmp_path, "name: h\nvehicle: {file: vehicles/v.yaml}\n" + ORBIT)
    os.mkfifo(p.parent / "vehicles" / "v.yaml")
    _user_error(invoke("check", p), "s.yaml:2", "vehicle.file", "not a regular file")


_SWEEP = "name: s\nvehicle: Joint Heavy CN\n" + ORBIT + "sweep:\n  grid:\n    vehicle.boosters.count: [2, 4]\n  losses: nominal\n"

# (argv, exit code, fragments); "{sweep}" is a sweep scenario file, "{out}" a fresh folder
COMMANDS = [
    (["payload", "Saturn V", "--orbit", "50"], 2, ["--orbit", "between 120 km", "entry interface"]),
    (["payload", "Saturn V", "--orbit", "200-1 lyr"], 2, ["--orbit", "sphere of influence"]),
    (["payload", "Saturn V", "--orbit", "1e400"], 2, ["--orbit"]),
    (["payload", "Saturn V", "--orbit", "1 500 km"], 2, ["--orbit '1 500 km'", "not 1 500"]),
    (["payload", "Saturn V", "--orbit", "200 dex(km)"], 2, ["logarithmic"]),
    (["payload", "Saturn V", "--orbit", "0.0123456789123 Mm"], 2, ["got '0.0123456789123 Mm'"]),  # as typed
    (["payload", "Saturn V", "--c3", "-2", "--parking", "-5"], 2, ["between 120 km"]),
    (["payload", "Saturn V", "--c3", "-1e6"], 2, ["--c3: C3 -1e+06 km2/s2 is below the energy of its 185 km"]),
    (["payload", "Saturn V", "--c3", "-59", "--parking", "400 km"], 2, ["--c3", "400 km circular parking orbit"]),
    (["payload", "Saturn V", "--c3", "-60.7", "--json"], 0, ['"status": "ok"']),  # just above: a value
    (["payload", "Saturn V", "--c3", "-2 km2/s2", "--json"], 0, ['"status": "ok"']),
    (["payload", "Saturn V", "--c3", "2000"], 2, ["--c3", "at most 1,000 km2/s2"]),
    # the parking altitude's own option is named (it said "--c3: must be an altitude ...")
    (["payload", "Saturn V", "--c3", "0", "--parking", "50"], 2, ["--parking: must be an altitude", "got '50'"]),
    # a catalog site by name, as a scenario's launch_site takes it; a misspelt one with the close match
    (["payload", "Falcon 9", "--orbit", "200", "--site-lat", "Baikonur", "--json"], 0, ['"latitude_deg": 45.92']),
    (["payload", "Falcon 9", "--orbit", "200", "--site-lat", "Baikonr"], 2, ["--site-lat", "did you mean 'Baikonur'"]),
    (["porkchop", "--from", "earth", "--to", "mars", "--depart", "2031-01-01:2031-01-05", "--arrive",
      "2031-08-01:2031-08-05", "--park", "-100", "--no-write"], 2, ["--park", "positive"]),
    (["porkchop", "--from", "earth", "--to", "mars", "--depart", "2031-01-01:2031-01-05", "--arrive",
      "2031-08-01:2031-08-05", "--park", "50", "--no-write"], 2, ["--park '50'", "at least 120 km"]),
    (["porkchop", "--from", "earth", "--to", "mars", "--depart", "2031-01-01:2031-01-05", "--arrive",
      "2031-08-01:2031-08-05", "--capture", "300,200", "--no-write"], 2, ["apoapsis >= periapsis"]),
    (["run", "{sweep}", "-o", "{out}", "--dask", "tls://10.0.0.5:8786"], 2, ["tls://", "tcp://HOST:PORT"]),
    (["run", "{sweep}", "-o", "{out}", "--dask", "tcp://nohost"], 2, ["port number"]),
    (["run", "{sweep}", "-o", "{out}", "--dask", "local:x"], 2, ["local:N"]),
]


@pytest.mark.parametrize("argv, code, fragments", COMMANDS, ids=[" ".join(c[0])[:60] for c in COMMANDS])
def test_hostile_command_line(argv, code, fragments, tmp_path):
    sweep = _scenario(tmp_path, _SWEEP)
    out = tmp_path / "out"
    args = [a.replace("{sweep}", str(sweep)).replace("{out}", str(out)) for a in argv]
    r = invoke(*args)
    if code == 2:
        _user_error(r, *fragments)
    else:
        assert r.code == code and "Traceback" not in r.err, r.err
        for f in fragments:
            assert f in r.out, r.out
    assert not (out / "manifest.json").exists()


def test_free_text_may_hold_tabs_and_line_breaks(tmp_path):
    p = _scenario(tmp_path, 'name: h\ndescription: "a\\tb\\nc"\nvehicle: Saturn V\n' + ORBIT)
    r = invoke("check", p)
    assert r.code == 0, r.err
    p = _scenario(tmp_path, 'name: h\ndescription: "a\\x07"\nvehicle: Saturn V\n' + ORBIT)
    _user_error(invoke("check", p), "s.yaml:2", ": description: ", "U+0007")


def test_output_folder_with_someone_elses_files_is_refused(tmp_path):
    p = _scenario(tmp_path, HEAD + ORBIT)
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("mine")
    _user_error(invoke("run", p, "-o", out), "is not empty (thesis.tex)", "-o DIR")
    assert sorted(os.listdir(out)) == ["thesis.tex"]
    sweep = _scenario(tmp_path, _SWEEP)
    _user_error(invoke("run", sweep, "-o", out), "is not empty (thesis.tex)")
    assert sorted(os.listdir(out)) == ["thesis.tex"]


# ------------------------------------------------------------------------------ the Python API
@pytest.fixture(scope="module")
def saturn():
    from jointmission.vehicles import catalog

    return catalog.get_vehicle("Saturn V")


@pytest.mark.parametrize("kwargs", [
    {"perigee_alt_m": 50e3},
    {"perigee_alt_m": -10e3},
    {"perigee_alt_m": 200e3, "apogee_alt_m": 9.4607e15},  # one light-year
    {"perigee_alt_m": 1e9},  # beyond the sphere of influence
], ids=["50km", "negative", "light-year", "1e6km"])
def test_api_impossible_orbit_is_an_invalid_target_not_a_payload(saturn, kwargs):
    import jointmission as jm
    from jointmission.core.status import Status

    r = jm.payload_to_orbit(saturn, **kwargs)
    assert math.isnan(float(r.payload_kg)) and int(r.status) == Status.INVALID_TARGET
    assert math.isnan(float(r.dv_required))


def test_api_impossible_parking_orbit_is_an_invalid_target(saturn):
    import jointmission as jm
    from jointmission.core.status import Status

    r = jm.payload_to_c3(saturn, [0.0, 0.0], parking_alt_m=np.array([-5e3, 185e3]))
    assert int(r.status[0]) == Status.INVALID_TARGET and math.isnan(float(r.payload_kg[0]))
    assert int(r.status[1]) == Status.OK and float(r.payload_kg[1]) > 0


@pytest.mark.parametrize("kwargs", [{"park_alt_m": -100e3}, {"park_alt_m": 50e3},
                                    {"capture_periapsis_alt_m": 300e3, "capture_apoapsis_alt_m": 200e3},
                                    {"capture_periapsis_alt_m": -1.0}],
                         ids=["negative-park", "park-in-atmosphere", "capture-apo-below-peri", "capture-negative"])
def test_api_porkchop_impossible_orbits_give_status_and_nan(kwargs):
    import jointmission as jm
    from jointmission.core.status import Status
    from jointmission.interplanetary.transfers import TransferError

    ds = jm.porkchop("earth", "mars", "2031-01-01:2031-01-11", "2031-08-01:2031-08-11", step_days=5, **kwargs)
    assert (ds["status"].values == Status.INVALID_INPUT).all()
    for v in ("c3_km2_s2", "dv_depart_km_s", "dv_arrive_km_s", "dv_total_km_s"):
        assert np.isnan(ds[v].values).all(), v
    with pytest.raises(TransferError, match="impossible orbits"):
        jm.best_transfer("earth", "mars", "2031-01-01:2031-01-11", **kwargs)


def test_api_porkchop_valid_orbits_still_ok():
    import jointmission as jm

    ds = jm.porkchop("earth", "mars", "2031-01-01:2031-01-11", "2031-08-01:2031-08-11", step_days=5)
    assert (ds["status"].values == 0).any()


@pytest.mark.parametrize("flags, fragment", [(["--chunk-size", "0"], "--chunk-size"), (["--dask", "local:0"], "local:N"),
                                             (["--resume"], "apply to scenarios with a 'sweep:' section")])
def test_a_refused_run_leaves_no_output_folder_behind(flags, fragment, tmp_path):
    """A run refused for a bad option (a chunk size of 0, no Dask workers, --resume without a sweep)
    made its output folder first and left it behind, empty; a folder that was there before stays."""
    scenario = _scenario(tmp_path, _SWEEP if flags[0] != "--resume" else HEAD + ORBIT)
    out = tmp_path / "new" / "out"
    _user_error(invoke("run", scenario, "-o", out, *flags), fragment)
    assert not out.exists() and not out.parent.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    _user_error(invoke("run", scenario, "-o", kept, *flags), fragment)
    assert kept.is_dir()


def test_one_mistake_is_counted_once(tmp_path):
    """``programme.cost`` is a mapping or ``false``: a bad learning factor also failed the ``false``
    alternative, and the message said "(1 more problem after this one)" for a file with one mistake."""
    p = _scenario(tmp_path, "name: p\nvehicle: Joint Heavy CN\nmission:\n  architectures: [moon_lor_two_launch]\n"
                            "programme:\n  partners:\n    - {name: Russia, country: Russia, share: 50 %}\n"
                            "    - {name: China, country: China, share: 50 %}\n  cost: {missions: 10, learning: 1.5}\n")
    text = _user_error(invoke("check", p), "programme.cost.learning", "(0, 1]")
    assert "more problem" not in text, text
