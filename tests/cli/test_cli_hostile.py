"""CLI: a careless user against the transfer, mission and sweep features.

Each test asserts the exit code, the message (one paragraph on stderr naming file, line and field for
scenario files) and that no result file is left half-written. Found by hostile testing on 2026-12-01.
"""

from __future__ import annotations

import json
import os
import textwrap
import warnings
from pathlib import Path

import pytest
from cli_helpers import invoke

PORKCHOP = ("porkchop", "--from", "earth", "--to", "mars")


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    d = tmp_path / "scenarios"
    d.mkdir(exist_ok=True)
    p = d / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def _user_error(r, *needles: str) -> None:
    assert r.code == 2, (r.code, r.err[-2000:])
    assert "Traceback" not in r.err and r.err.count("\n") == 1, r.err
    for n in needles:
        assert n in r.err, r.err


# ------------------------------------------------------------------------------------ porkchop
def test_porkchop_single_point_grid_writes_every_file(tmp_path):
    # a 1 x 1 grid (start == end) made matplotlib's contour() raise after porkchop.nc was written
    out = tmp_path / "pc"
    with warnings.catch_warnings():  # matplotlib's date ticks once warned on a one-date axis (printed to the user)
        warnings.simplefilter("error", UserWarning)
        r = invoke(*PORKCHOP, "--depart", "2031-01-01:2031-01-01", "--arrive", "2031-08-01:2031-08-01", "-o", out)
    assert r.code == 0, r.err
    assert sorted(p.name for p in out.iterdir()) == ["porkchop.nc", "porkchop.png", "porkchop_optima.json",
                                                     "report.html", "summary.json"]
    assert (out / "porkchop.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    opt = json.loads((out / "porkchop_optima.json").read_text())["optima"]
    assert opt and all(o["depart"].startswith("2031-01-01") for o in opt)  # refined inside the window


@pytest.mark.parametrize("step, needle", [("0.0001d", "at most 4,000,000 points"),
                                          ("1e-300 d", "3.1e+301 dates")])
def test_porkchop_grid_too_large_is_refused_before_allocating(tmp_path, step, needle):
    # was: numpy MemoryError (84 GiB) / "Maximum allowed size exceeded" with a traceback
    out = tmp_path / "big"
    r = invoke(*PORKCHOP, "--depart", "2031-01-01:2031-02-01", "--arrive", "2031-08-01:2031-09-01",
               "--step", step, "-o", out)
    _user_error(r, "jointmission porkchop: error:", needle, "use a larger step")
    assert not out.exists()


def test_porkchop_output_file_is_a_folder_names_it(tmp_path):
    out = tmp_path / "pc"
    (out / "porkchop_optima.json").mkdir(parents=True)
    r = invoke(*PORKCHOP, "--depart", "2031-01-01:2031-01-01", "--arrive", "2031-08-01:2031-08-01", "-o", out)
    _user_error(r, f"cannot write results to '{out / 'porkchop_optima.json'}'", "Is a directory")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------ transfer: in a scenario
_TRANSFER = """
name: t
vehicle: Joint Heavy CN
{targets}
transfer:
  from: earth
  to: mars
  depart: {depart}
{extra}
"""


def _transfer(tmp_path, depart="2031-01-01:2031-02-01", extra="", targets=""):
    return _write(tmp_path, _TRANSFER.format(depart=depart, extra=textwrap.indent(extra, "  "), targets=targets))


@pytest.mark.parametrize("depart, extra, where, needle", [
    # 31 d x 0.001 d grid: a 84 GiB allocation (MemoryError traceback) in the run
    ("2031-01-01:2031-02-01", "step: 0.001 d", "s.yaml:8: transfer.step:", "at most 4,000,000 points"),
    # default arrival window (departure + tof) past the end of DE421: TransferError traceback in the run
    ("2053-10-01:2053-10-06", "", "s.yaml:7: transfer.depart:", "after the end of DE421"),
    # a 1e9-day time of flight: 8.5 GB of memory, then a traceback
    ("2031-01-01:2031-02-01", "tof: [1 d, 1e9 d]", "s.yaml:8: transfer.tof:", "after the end of DE421"),
])
def test_transfer_grid_problems_are_refused_at_load(tmp_path, depart, extra, where, needle):
    p = _transfer(tmp_path, depart, extra)
    out = tmp_path / "out"
    r = invoke("run", p, "-o", out)
    _user_error(r, where, needle)
    assert not out.exists()


def test_transfer_target_name_taken_by_the_transfer_is_refused(tmp_path):
    # two rows named alike in a single run; a pyarrow traceback in a sweep
    p = _transfer(tmp_path, targets="targets:\n  - {name: Mars 2031 Type I (min C3), orbit: {altitude: 200}}")
    _user_error(invoke("check", p), "s.yaml:4: targets[0].name:", "reserved", "transfer:")


def test_transfer_one_day_window_with_step_larger_than_window(tmp_path):
    # one departure date: the porkchop figure raised after summary.json was written (exit 1); the
    # refined optimum also left the window (it moved up to one step away from the only grid date)
    p = _transfer(tmp_path, "2031-01-01:2031-01-01", "step: 60 d\npayload: false")
    out = tmp_path / "out"
    r = invoke("run", p, "-o", out)
    assert r.code == 0, r.err
    assert {"porkchop.png", "porkchop.nc", "transfer_optima.json", "summary.json"} <= {x.name for x in out.iterdir()}
    opt = json.loads((out / "transfer_optima.json").read_text())
    assert opt and all(o["depart"].startswith("2031-01-01") for o in opt)


# ------------------------------------------------------------------------------------ sweeps
_SWEEP = """
name: s
vehicle: Joint Heavy CN
{body}
sweep:
  grid:
    vehicle.boosters.count: [2, 4]
  losses: nominal
"""


@pytest.mark.parametrize("body, where, needle", [
    ("targets:\n  - {name: LEO 200, orbit: {altitude: 200}}\n  - {name: LEO-200, orbit: {altitude: 300}}",
     "s.yaml:5: targets[1].name:", "same name 'leo_200'"),  # was: one silently overwrote the other in results.nc
    ("targets:\n  - {name: 'delivery: C3 -2.00 km2/s2', c3: -2}\nmission: {architectures: [moon_direct]}",
     "s.yaml:4: targets[0].name:", "reserved"),  # was: pyarrow traceback (duplicate column)
    ("mission:\n  architectures: [moon_direct]\n  launchers: [{name: a}]",
     "s.yaml:5: mission.launchers:", "not mission.launchers"),  # were silently ignored by the sweep
    ("transfer: {from: earth, to: mars, depart: '2031-01-01:2031-02-01', payload: false}",
     "s.yaml:4: sweep:", "nothing to fly"),  # was found after the porkchop, without file or line
])
def test_sweep_target_problems_are_refused_at_load(tmp_path, body, where, needle):
    p = _write(tmp_path, _SWEEP.format(body=body))
    _user_error(invoke("check", p), where, needle)


_MISSION_SWEEP = """
name: s
vehicle: Joint Heavy CN
mission: {{architectures: [moon_direct]}}
sweep:
  grid:
{axes}
"""


@pytest.mark.parametrize("axes, where, needle", [
    # was: "expected a list, got a mapping (1 more problem after this one)" (both union branches failed)
    ("    vehicle.stages[0].m_prop: {start: 1000, stop: 1200, num: 0}",
     "s.yaml:6: sweep.grid.vehicle.stages[0].m_prop.num:", "a whole number from 1 to 10,000,000"),
    ("    vehicle.stages[0].m_prop: {start: 1000, stop: 1200, num: 2.5}",
     "s.yaml:6: sweep.grid.vehicle.stages[0].m_prop.num:", "got 2.5"),
    ("    vehicle.stages[0].m_prop: 1000",
     "s.yaml:6: sweep.grid.vehicle.stages[0].m_prop:", "expected a list, got a number (1000)"),
    # '99.9 %' was refused by an inclusive 0.999 bound (it parses to 0.9990000000000001); 100 % is refused
    ("    mission.margins.propellant_reserve: ['0 %', '99.9 %', '100 %']",
     "s.yaml:6: sweep.grid.mission.margins.propellant_reserve:", "at least 0 % and below 100 %"),
    # 1e14 cases were accepted; the run's identity listed both 1e7-value axes in JSON (5.4 GB of memory)
    ("    vehicle.stages[0].m_prop: {start: 1000, stop: 1200, num: 10000000}\n"
     "    vehicle.stages[1].m_prop: {start: 200, stop: 300, num: 10000000}",
     "s.yaml:5: sweep.grid:", "at most 10,000,000,000 cases"),
    ("    mission.margins.delta_v: ['5 m/s']",  # was: "... cannot be converted to ; write it like '1.5'"
     "s.yaml:6: sweep.grid.mission.margins.delta_v[0]:", "expected a fraction such as '5 %'"),
])
def test_sweep_grid_problems_are_refused_at_load(tmp_path, axes, where, needle):
    p = _write(tmp_path, _MISSION_SWEEP.format(axes=axes))
    _user_error(invoke("check", p), where, needle)


def test_sweep_objective_may_name_a_transfer_target(tmp_path):
    # the docs say a sweep flies the transfer's optimum targets; naming one as an objective was refused
    p = _write(tmp_path, _SWEEP.format(body="transfer: {from: earth, to: mars, depart: '2031-01-01:2031-02-01'}")
               + '  objectives: {"payload_t[Mars 2031 Type I (min C3)]": max, liftoff_mass_t: min}\n')
    r = invoke("check", p)
    assert r.code == 0 and r.out.startswith("OK: s:"), r.err


def test_grid_sweep_with_mission_writes_its_report(tmp_path):
    # a 1- or 2-axis grid with a mission: KeyError in the grid figure after summary.json (exit 1, no report.md)
    p = _write(tmp_path, _SWEEP.format(body="mission: {architectures: [moon_direct]}"))
    out = tmp_path / "out"
    r = invoke("run", p, "-o", out)
    assert r.code == 0, r.err
    names = {x.name for x in out.iterdir()}
    assert {"report.md", "summary.json", "grid_mission_moon_direct.png"} <= names


def test_sweep_output_folder_conflicts_are_user_errors(tmp_path):
    p = _write(tmp_path, _SWEEP.format(body="targets: [{name: LEO, orbit: {altitude: 200}}]"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "chunks").write_text("not a folder")  # was: FileExistsError traceback; not a file of ours: refused
    _user_error(invoke("run", p, "-o", out), f"'{out}' is not empty (chunks)", "no summary.json")
    assert not (out / "summary.json").exists()
    (out / "chunks").unlink()
    (out / "manifest.json").write_text("[1, 2]")  # not a manifest: was AttributeError with --resume
    r = invoke("run", p, "-o", out, "--resume")
    assert r.code == 0, r.err
    assert json.loads((out / "manifest.json").read_text())["complete"] is True
    r = invoke("run", p, "-o", out, "--resume", "--chunk-size", "1")
    from jointmission.runners.sweep_plan import MIN_CHUNK  # the default chunk of a 2-case sweep

    _user_error(r, "holds a different sweep", f"--chunk-size {MIN_CHUNK}")


@pytest.mark.parametrize("option, needle", [
    (("--chunk-size", "5000000"), "at most 2,000,000"),  # a 5e6-case chunk peaked at 3 GB
    (("--dask", "local:1000"), "more worker processes add memory"),  # 1000 worker processes were started
])
def test_sweep_options_that_would_exhaust_memory_are_refused(tmp_path, option, needle):
    p = _write(tmp_path, _SWEEP.format(body="targets: [{name: LEO, orbit: {altitude: 200}}]"))
    out = tmp_path / "out"
    _user_error(invoke("run", p, "-o", out, *option), needle)
    assert not (out / "manifest.json").exists()


def test_sweep_and_single_run_do_not_overwrite_each_others_folder(tmp_path):
    sweep = _write(tmp_path, _SWEEP.format(body="targets: [{name: LEO, orbit: {altitude: 200}}]"))
    single = _write(tmp_path, "name: one\nvehicle: Joint Heavy CN\ntargets: [{name: LEO, orbit: {altitude: 200}}]\n",
                    "one.yaml")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "summary.json").write_text('{"scenario": "one"}')  # a single run's folder: the sweep deleted this file
    _user_error(invoke("run", sweep, "-o", a), "not a sweep")
    assert (a / "summary.json").read_text() == '{"scenario": "one"}' and sorted(os.listdir(a)) == ["summary.json"]
    (b / "manifest.json").write_text("{}")  # a sweep's folder: the single run replaced its summary/report
    _user_error(invoke("run", single, "-o", b), "holds a sweep")
    assert sorted(os.listdir(b)) == ["manifest.json"]


def test_grid_axis_with_one_value_draws_its_tornado(tmp_path):
    # a parameter that does not vary has SRC None: the tornado figure raised TypeError after summary.json
    p = _write(tmp_path, "name: s\nvehicle: Joint Heavy CN\ntargets: [{name: LEO, orbit: {altitude: 200}}]\n"
                         "sweep:\n  grid:\n    vehicle.boosters.count: [4]\n"
                         "    vehicle.stages[0].m_prop: [1150, 1172.9, 1190]\n  losses: nominal\n")
    out = tmp_path / "out"
    r = invoke("run", p, "-o", out)
    assert r.code == 0, r.err
    assert {"tornado_leo.png", "report.md", "summary.json"} <= {x.name for x in out.iterdir()}


def test_grid_axis_with_repeated_values_is_refused(tmp_path):
    # results.nc got one coordinate twice (then the tornado crash above)
    p = _write(tmp_path, _SWEEP.format(body="targets: [{name: LEO, orbit: {altitude: 200}}]").replace("[2, 4]", "[2, 2]"))
    _user_error(invoke("check", p), "s.yaml:6: sweep.grid.vehicle.boosters.count:", "distinct values")


def test_sweep_reserve_just_below_100_percent_is_accepted(tmp_path):
    p = _write(tmp_path, _MISSION_SWEEP.format(axes="    mission.margins.propellant_reserve: ['0 %', '99.9 %']"))
    r = invoke("check", p)
    assert r.code == 0 and "sweep: grid, 2 cases" in r.out, r.err


# ------------------------------------------------------------------------------------ payload
@pytest.mark.parametrize("options, needle", [
    # repeated targets: "option: target name 'orbit 185' is used twice (also targets[0]); names must be unique"
    (("--orbit", "185", "--orbit", "185"), "--orbit '185' is given twice; give each target once"),
    (("--orbit", "185", "--orbit", "185 km"), "--orbit '185 km' asks for the same target as --orbit '185'"),
    (("--c3", "-1.9", "--c3", "-1.90"), "--c3 '-1.90' asks for the same target as --c3 '-1.9'"),
    # was: "--orbit: must be a inclination between 0 deg and 180 deg such as '28.5 deg', got '200 deg'"
    (("--orbit", "200,200"), "--orbit '200,200': the inclination (after the comma) must be between 0 and 180 deg, "
                             "got 200 deg"),
    (("--orbit", "200,-5"), "got -5 deg"),
    # --parking without --c3 was silently ignored; a second --parking silently replaced the first
    (("--orbit", "185", "--parking", "300"), "--parking '300' applies to --c3 targets"),
    (("--c3", "0", "--parking", "300", "--parking", "400"), "--parking is given 2 times ('300', '400'); give it once"),
])
def test_payload_option_mistakes_are_named(options, needle):
    _user_error(invoke("payload", "Saturn V", *options), "jointmission payload: error:", needle)


def test_payload_accepts_one_parking_with_c3_and_the_same_orbit_with_and_without_inclination():
    r = invoke("payload", "Saturn V", "--orbit", "185", "--orbit", "185,30", "--c3", "-1.9", "--parking", "300",
               "--json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)["results"]
    assert [x["target"] for x in rows] == ["orbit 185", "orbit 185,30", "C3 -1.9"]
    assert rows[2]["parking_km"] == pytest.approx(300.0)


# ------------------------------------------------------------------------------------ check
@pytest.mark.parametrize("extra, words", [
    ("", "transfer earth -> mars (departures 2031-01-01 to 2031-02-01): payload to its Type I and Type II "
         "optimum C3"),
    ("payload: false", "transfer earth -> mars (departures 2031-01-01 to 2031-02-01): porkchop only (payload: false)"),
])
def test_check_says_what_a_transfer_only_file_computes(tmp_path, extra, words):
    # was: "OK: t: vehicle Joint Heavy CN, 0 targets"
    r = invoke("check", _transfer(tmp_path, extra=extra))
    assert r.code == 0, r.err
    assert r.out == f"OK: t: vehicle Joint Heavy CN, {words}\n"


def test_check_counts_own_targets_plus_the_transfer_and_the_mission(tmp_path):
    p = _transfer(tmp_path, targets="targets:\n  - {name: LEO, orbit: {altitude: 200}}",
                  extra="objective: dv_total")
    r = invoke("check", p)
    assert r.out == ("OK: t: vehicle Joint Heavy CN, 1 target + transfer earth -> mars (departures 2031-01-01 to "
                     "2031-02-01, best by dv_total): payload to its Type I and Type II optimum C3\n"), r.err
    p = _write(tmp_path, "name: m\nvehicle: Joint Heavy CN\nmission: {architectures: [moon_direct]}\n", "m.yaml")
    assert invoke("check", p).out == "OK: m: vehicle Joint Heavy CN, mission: 1 architecture x 1 launcher\n"


# ------------------------------------------------------------------------------------ SIGTERM
_TERM_CHILD = """
import os, sys, time
real_fsync = os.fsync

def slow_fsync(fd):  # hold the run inside the first chunk's write (its .tmp file exists now)
    if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") and "/chunks/" in os.readlink(f"/proc/self/fd/{fd}"):
        print("WRITING", flush=True)
        time.sleep(60)
    real_fsync(fd)

os.fsync = slow_fsync
from jointmission.cli import main
sys.exit(main(["run", sys.argv[1], "-o", sys.argv[2]]))
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_sigterm_during_a_sweep_leaves_no_temporary_chunk_file(tmp_path):
    # SIGTERM killed Python without unwinding: chunks/.chunk-000000.parquet.<pid>.tmp stayed behind
    import signal
    import subprocess
    import sys
    import time

    p = _write(tmp_path, _SWEEP.format(body="targets: [{name: LEO, orbit: {altitude: 200}}]"))
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-c", _TERM_CHILD, str(p), str(out)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        line = ""
        while "WRITING" not in line and time.monotonic() < deadline and child.poll() is None:
            line = child.stdout.readline()
        assert "WRITING" in line, child.stderr.read() if child.poll() is not None else "timeout"
        assert [x.name for x in (out / "chunks").iterdir() if x.name.endswith(".tmp")]  # the window is open
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 143, err
    assert err.strip().splitlines()[-1] == "jointmission: terminated (SIGTERM) (a sweep continues with --resume)"
    assert "Traceback" not in err, err
    assert not [x.name for x in out.rglob("*.tmp")]
    assert json.loads((out / "manifest.json").read_text())["complete"] is False
