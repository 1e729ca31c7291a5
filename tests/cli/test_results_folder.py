"""Results folders never mislead: a second run into one folder leaves only its own files (and the
user's files untouched), a folder holding something else is refused, and a run killed while writing
its report leaves nothing that claims to be complete."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import SCENARIOS, invoke

from jointmission.io.results_dir import ResultsFolderError, check_output_dir, prepare_output_dir

MOON = SCENARIOS / "moon" / "joint_heavy_moon_trade.yaml"
MARS = SCENARIOS / "mars" / "joint_heavy_mars_2031.yaml"
SATURN = SCENARIOS / "reference" / "saturn_v.yaml"


def _listed(out) -> set[str]:
    return set(json.loads((out / "summary.json").read_text())["files"])


@pytest.mark.slow
def test_scenario_b_after_a_leaves_only_b_files_and_the_users(tmp_path):
    out = tmp_path / "o"
    r = invoke("run", MOON, "-o", out)
    assert r.code == 0, r.err
    a_files = _listed(out)
    assert "mission.parquet" in a_files and a_files == {p.name for p in out.iterdir()}
    (out / "my_notes.txt").write_text("mine")  # not ours: must survive
    r = invoke("run", SATURN, "-o", out)
    assert r.code == 0, r.err
    b_files = _listed(out)
    assert "mission.parquet" not in b_files
    assert {p.name for p in out.iterdir()} == b_files | {"my_notes.txt"}
    assert (out / "my_notes.txt").read_text() == "mine"
    assert json.loads((out / "summary.json").read_text())["scenario"] != "moon"


@pytest.mark.slow
def test_transfer_run_lists_its_porkchop_figure_before_the_summary(tmp_path):
    out = tmp_path / "o"
    r = invoke("run", MARS, "-o", out)
    assert r.code == 0, r.err
    listed = _listed(out)
    assert "porkchop.png" in listed and listed == {p.name for p in out.iterdir()}
    assert (out / "summary.json").stat().st_mtime_ns >= (out / "porkchop.png").stat().st_mtime_ns
    r = invoke("run", SATURN, "-o", out)  # the porkchop files go with the previous run
    assert r.code == 0, r.err
    assert not (out / "porkchop.png").exists() and not (out / "porkchop.nc").exists()


def test_quick_a_then_b_with_python_api(tmp_path):
    """The same with small hand-made scenarios (fast): B's formats differ from A's."""
    from jointmission.report.folder import run

    d = tmp_path / "scenarios"
    d.mkdir()
    a, b = d / "a.yaml", d / "b.yaml"
    a.write_text("name: a\nvehicle: Energia\noutputs: {formats: [parquet, csv, json]}\n"
                 "targets: [{name: LEO, orbit: {altitude: 200}}]\n")
    b.write_text("name: b\nvehicle: Energia\noutputs: {formats: [csv]}\ntargets: [{name: LEO, orbit: {altitude: 300}}]\n")
    out = tmp_path / "o"
    run(a, output_dir=out)
    assert (out / "results.json").exists() and (out / "results.parquet").exists()
    (out / "keep.me").write_text("x")
    run(b, output_dir=out)
    names = {p.name for p in out.iterdir()}
    assert names == _listed(out) | {"keep.me"}
    assert "results.json" not in names and "results.parquet" not in names
    assert json.loads((out / "summary.json").read_text())["run_kind"] == "single"


def test_kill_during_report_writing_leaves_no_complete_run(tmp_path, monkeypatch):
    from jointmission.report import folder
    from jointmission.report.folder import run

    d = tmp_path / "scenarios"
    d.mkdir()
    a = d / "a.yaml"
    a.write_text("name: a\nvehicle: Energia\ntargets: [{name: LEO, orbit: {altitude: 200}}]\n")
    out = tmp_path / "o"
    run(a, output_dir=out)
    old = (out / "summary.json").read_text()

    class Killed(BaseException):  # like SIGTERM turned into an exception, or a KeyboardInterrupt
        pass

    def dies(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(folder, "markdown_report", dies)
    with pytest.raises(Killed):
        run(a, output_dir=out)
    names = {p.name for p in out.iterdir()}
    assert "summary.json" not in names and old  # nothing claims completeness
    assert "report.md" not in names  # the previous run's report went with its summary
    assert not [n for n in names if n.endswith(".tmp")]
    monkeypatch.undo()
    run(a, output_dir=out)  # an interrupted run of ours is recognised and replaced
    assert {p.name for p in out.iterdir()} == _listed(out)


def test_hard_kill_mid_report_then_rerun(tmp_path):
    """A real SIGKILL while report.md is being written: no summary.json, and the rerun succeeds."""
    import signal
    import subprocess
    import sys
    import textwrap

    d = tmp_path / "scenarios"
    d.mkdir()
    a = d / "a.yaml"
    a.write_text("name: a\nvehicle: Energia\ntargets: [{name: LEO, orbit: {altitude: 200}}]\n")
    out = tmp_path / "o"
    assert invoke("run", a, "-o", out).code == 0
    child = textwrap.dedent(f"""
        import os, sys
        from jointmission.report import folder
        def dies(*args, **kwargs):
            os.kill(os.getpid(), {int(signal.SIGKILL)})
        folder.markdown_report = dies
        from jointmission.cli import main
        sys.exit(main(["run", {str(a)!r}, "-o", {str(out)!r}]))
    """)
    p = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert p.returncode == -signal.SIGKILL, p.stderr
    assert not (out / "summary.json").exists() and not (out / "report.md").exists()
    r = invoke("run", a, "-o", out)
    assert r.code == 0, r.err
    assert {x.name for x in out.iterdir()} == _listed(out)


@pytest.mark.parametrize("setup, kind, needle", [
    ({"data.csv": "x"}, "single", "is not empty (data.csv)"),
    ({"summary.json": "[1]"}, "single", "not a single run of jointmission"),
    ({"summary.json": json.dumps({"run_kind": "sweep", "files": ["summary.json"]})}, "single",
     "not a single run (it holds a sweep"),
    ({"summary.json": json.dumps({"run_kind": "single", "files": ["summary.json"]})}, "sweep",
     "not a sweep (it holds a single run"),
    ({"manifest.json": "{}"}, "single", "holds a sweep (manifest.json)"),
    ({"results.csv": "x", "notes.txt": "y"}, "single", "is not empty (notes.txt)"),
    ({"summary.json": json.dumps({"run_kind": "porkchop", "files": ["summary.json"]})}, "single",
     "not a single run (it holds a porkchop"),
    ({"summary.json": json.dumps({"run_kind": "single", "files": ["summary.json"]})}, "porkchop",
     "not a porkchop (it holds a single run"),
    ({"porkchop.nc": "x", "results.csv": "y"}, "porkchop", "is not empty (results.csv)"),
    ({"manifest.json": "{}"}, "porkchop", "holds a sweep (manifest.json)"),
])
def test_folders_that_are_not_ours_are_refused(tmp_path, setup, kind, needle):
    for name, text in setup.items():
        (tmp_path / name).write_text(text)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ResultsFolderError) as exc:
        prepare_output_dir(tmp_path, kind)
    assert needle in str(exc.value)
    assert sorted(os.listdir(tmp_path)) == before


def test_only_listed_plain_names_are_removed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x").write_text("keep")
    (tmp_path / "keep.txt").write_text("keep")
    (tmp_path / "report.md").write_text("old")
    (tmp_path / ".report.md.0123456789ab.tmp").write_text("old temp")
    (tmp_path / "summary.json").write_text(json.dumps(
        {"run_kind": "single", "files": ["report.md", "../keep.txt", "sub/x", "sub", "/etc/passwd", "summary.json"]}))
    assert [p.name for p in check_output_dir(tmp_path, "single")][0] == ".report.md.0123456789ab.tmp"
    removed = prepare_output_dir(tmp_path, "single")
    assert removed[0] == "summary.json"
    assert sorted(os.listdir(tmp_path)) == ["keep.txt", "sub"] and (tmp_path / "sub" / "x").exists()


_SWEEP = """
name: {name}
vehicle: Joint Heavy CN
targets: [{{name: {target}, orbit: {{altitude: 200}}}}]
sweep:
  grid:
    vehicle.boosters.count: [2, 4]
  losses: nominal
"""


def test_sweep_b_after_sweep_a_leaves_only_b_files_and_lists_its_report(tmp_path):
    d = tmp_path / "scenarios"
    d.mkdir()
    a, b = d / "a.yaml", d / "b.yaml"
    a.write_text(_SWEEP.format(name="a", target="LEO"))
    b.write_text(_SWEEP.format(name="b", target="Low"))
    out = tmp_path / "o"
    r = invoke("run", a, "-o", out)
    assert r.code == 0, r.err
    listed = _listed(out)
    assert {"report.md", "tornado_leo.png", "summary.json"} <= listed  # figures and report listed
    (out / "mine.txt").write_text("mine")
    r = invoke("run", b, "-o", out)
    assert r.code == 0, r.err
    names = {p.name for p in out.iterdir()}
    assert "tornado_leo.png" not in names and "tornado_low.png" in names
    assert names == {n.rstrip("/") for n in _listed(out)} | {"mine.txt"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run_kind"] == "sweep" and summary["scenario"] == "b"


def test_resume_removes_the_analysis_temporaries(tmp_path):
    from jointmission.runners.sweep import run_sweep

    d = tmp_path / "scenarios"
    d.mkdir()
    a = d / "a.yaml"
    a.write_text(_SWEEP.format(name="a", target="LEO"))
    out = tmp_path / "o"
    part = run_sweep(a, out, chunk_size=1, stop_after=1)
    assert not part.summary["complete"]
    # what a run killed during its analysis leaves (atomic_path temporaries)
    for n in (".sample.parquet.0123456789ab.tmp", ".summary.json.ba9876543210.tmp", ".results.nc.00ff00ff00ff.tmp"):
        (out / n).write_bytes(b"partial")
    (out / "chunks" / ".chunk-000001.parquet.99.tmp").write_bytes(b"partial")
    done = run_sweep(a, out, chunk_size=1, resume=True)
    assert done.summary["n_chunks"] == 2
    left = [p.name for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert left == []


_PORKCHOP = ("porkchop", "--from", "earth", "--to", "mars", "--depart", "2031-01-01:2031-01-11",
             "--arrive", "2031-08-01:2031-08-11", "--step", "5 d")


def test_porkchop_then_porkchop_leaves_only_the_second_ones_files(tmp_path):
    out = tmp_path / "o"
    r = invoke(*_PORKCHOP, "--figure", "both", "-o", out)
    assert r.code == 0, r.err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run_kind"] == "porkchop" and summary["origin"] == "earth" and summary["target"] == "mars"
    assert _listed(out) == {"porkchop.nc", "porkchop.png", "porkchop.svg", "porkchop_optima.json", "report.html",
                            "summary.json"}
    assert _listed(out) == {p.name for p in out.iterdir()}
    last = (out / "summary.json").stat().st_mtime_ns
    assert all(last >= (out / n).stat().st_mtime_ns for n in _listed(out))  # written last
    (out / "mine.txt").write_text("mine")  # not ours: must survive
    r = invoke(*_PORKCHOP, "--figure", "svg", "-o", out)
    assert r.code == 0, r.err
    assert {p.name for p in out.iterdir()} == _listed(out) | {"mine.txt"}
    assert not (out / "porkchop.png").exists() and (out / "mine.txt").read_text() == "mine"


def test_porkchop_into_a_run_folder_is_refused_and_run_into_a_porkchop_folder_too(tmp_path):
    d = tmp_path / "scenarios"
    d.mkdir()
    a = d / "a.yaml"
    a.write_text("name: a\nvehicle: Energia\ntargets: [{name: LEO, orbit: {altitude: 200}}]\n")
    run_dir, pk_dir = tmp_path / "run", tmp_path / "pk"
    assert invoke("run", a, "-o", run_dir).code == 0
    before = sorted(os.listdir(run_dir))
    r = invoke(*_PORKCHOP, "-o", run_dir)
    assert r.code == 2 and "Traceback" not in r.err
    assert "not a porkchop (it holds a single run" in r.err and "-o DIR" in r.err
    assert sorted(os.listdir(run_dir)) == before
    assert invoke(*_PORKCHOP, "-o", pk_dir).code == 0
    before = sorted(os.listdir(pk_dir))
    r = invoke("run", a, "-o", pk_dir)
    assert r.code == 2 and "not a single run (it holds a porkchop" in r.err, r.err
    assert sorted(os.listdir(pk_dir)) == before
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "thesis.tex").write_text("x")
    r = invoke(*_PORKCHOP, "-o", tmp_path / "theirs")
    assert r.code == 2 and "is not empty (thesis.tex)" in r.err, r.err
    assert os.listdir(tmp_path / "theirs") == ["thesis.tex"]


def test_porkchop_killed_while_drawing_its_figure_leaves_no_summary(tmp_path, monkeypatch):
    from jointmission.cli import porkchop as pk

    out = tmp_path / "o"
    assert invoke(*_PORKCHOP, "-o", out).code == 0

    class Killed(BaseException):
        pass

    def dies(*a, **k):
        raise Killed()

    monkeypatch.setattr(pk, "write_porkchop_figure", dies)
    with pytest.raises(Killed):
        invoke(*_PORKCHOP, "-o", out)
    names = {p.name for p in out.iterdir()}
    assert "summary.json" not in names and "porkchop.png" not in names
    assert not [n for n in names if n.endswith(".tmp")]

    def fails(*a, **k):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(pk, "write_porkchop_figure", fails)
    with pytest.raises(RuntimeError):
        invoke(*_PORKCHOP, "-o", out)
    assert not (out / "summary.json").exists()
    monkeypatch.undo()
    r = invoke(*_PORKCHOP, "-o", out)  # an interrupted porkchop of ours is recognised and replaced
    assert r.code == 0, r.err
    assert {p.name for p in out.iterdir()} == _listed(out)


def test_porkchop_default_folder_with_foreign_files_is_refused_before_the_grid(tmp_path, monkeypatch):
    """Without -o the porkchop writes into results/porkchop_FROM_TO/; a default folder holding
    someone else's files is refused before the (possibly long) grid computation, like -o DIR."""
    from jointmission.cli import porkchop as pk

    monkeypatch.chdir(tmp_path)
    theirs = tmp_path / "results" / "porkchop_earth_mars"
    theirs.mkdir(parents=True)
    (theirs / "thesis.tex").write_text("x")

    def no_grid(*a, **k):
        raise AssertionError("the grid was computed before the output folder was checked")

    monkeypatch.setattr(pk, "porkchop_grid", no_grid)
    argv = list(_PORKCHOP)
    argv[argv.index("earth")] = " Earth "  # named as the grid names it: trimmed, lower case
    r = invoke(*argv)
    assert r.code == 2 and "Traceback" not in r.err, r.err
    assert "porkchop_earth_mars" in r.err and "is not empty (thesis.tex)" in r.err, r.err
    assert os.listdir(theirs) == ["thesis.tex"]
    assert pk.default_output_dir(" Earth ", "MARS") == Path("results") / "porkchop_earth_mars"


def test_every_file_a_single_run_can_write_is_known_to_the_folder_rules(tmp_path):
    """A run with a ``programme:`` section writes partners.parquet and partners.png. An interrupted run
    leaves such files without a summary.json; the folder rules must recognise them as a run's, or the
    next run into the folder is refused ('not empty (partners.parquet) and holds no results'), although
    the docs promise that the next run replaces an interrupted one."""
    from jointmission.io.results_dir import SINGLE_FILES
    from jointmission.report.run_html import FIGURE_FILES

    assert set(FIGURE_FILES) <= SINGLE_FILES
    out = tmp_path / "o"
    out.mkdir()
    left = ["results.parquet", "mission.parquet", "partners.parquet", "partners.png", "porkchop.nc"]
    for name in left:  # what a programme run interrupted while drawing its figures leaves
        (out / name).write_bytes(b"x")
    assert sorted(prepare_output_dir(out, "single")) == sorted(left)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("sweep", [False, True])
def test_output_path_that_is_a_file_is_refused_as_not_a_folder(tmp_path, sweep):
    """``-o results.csv`` (a file): the message says what is wrong ('is not a folder'), as porkchop and
    compare say, not the operating system's 'File exists'; the file is untouched."""
    d = tmp_path / "scenarios"
    d.mkdir()
    a = d / "a.yaml"
    text = "name: a\nvehicle: Energia\ntargets: [{name: LEO, orbit: {altitude: 200}}]\n"
    a.write_text(text + ("sweep:\n  grid:\n    vehicle.stages[0].m_dry: [80 t, 90 t]\n" if sweep else ""))
    f = tmp_path / "results.csv"
    f.write_text("mine\n")
    r = invoke("run", a, "-o", f)
    assert r.code == 2 and "Traceback" not in r.err
    assert f"'{f}' is not a folder; choose an output folder with -o DIR" in r.err
    assert f.read_text() == "mine\n"
