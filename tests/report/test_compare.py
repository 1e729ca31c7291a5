"""``jointmission compare A.yaml B.yaml ... -o DIR`` writes DIR/report.html with the scenarios side by
side; user mistakes exit 2 before anything is evaluated or written."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from report_helpers import SCENARIOS, decode_image, external_references, read_page


def _invoke(*argv):
    from jointmission.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def test_compare_needs_two_files(tmp_path):
    code, _, err = _invoke("compare", SCENARIOS / "joint_heavy_lift.yaml", "-o", tmp_path / "c")
    assert code == 2 and "two or more scenario files" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_compare_bad_file_names_it_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nvehicle:\n  catalog: Joint Heavy CN\ntargets:\n  - name: LEO\n    orbit: {altitude: -5 km}\n")
    code, _, err = _invoke("compare", SCENARIOS / "joint_heavy_lift.yaml", bad, "-o", tmp_path / "c")
    assert code == 2 and "bad.yaml:6: targets[0]" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_compare_refuses_a_folder_of_another_run(tmp_path):
    out = tmp_path / "c"
    out.mkdir()
    (out / "summary.json").write_text(json.dumps({"run_kind": "single", "files": ["summary.json"]}))
    code, _, err = _invoke("compare", SCENARIOS / "reference" / "saturn_v.yaml",
                           SCENARIOS / "reference" / "long_march_5.yaml", "-o", out)
    assert code == 2 and "not a comparison" in err


@pytest.mark.slow
def test_compare_flagship_cn_and_ru(tmp_path):
    out = tmp_path / "cmp"
    code, stdout, err = _invoke("compare", SCENARIOS / "joint_heavy_lift.yaml", SCENARIOS / "joint_heavy_lift_ru.yaml",
                                "-o", out)
    assert code == 0, err
    page = read_page(out / "report.html")
    assert page.run_kind == "compare"
    assert page.sections == ["scenarios", "payload", "dv-budget", "payload-curves", "transfer", "mission", "scenario"]
    ids = {f["id"] for f in page.figures}
    assert {"fig-payload_compare", "fig-payload_curves", "fig-landed_mass"} <= ids
    for f in page.figures:
        decode_image(f["src"])
        assert f["title"] and f["xlabel"] and f["ylabel"]
    assert external_references(page) == []
    # both scenarios' payloads side by side, as each scenario's own run gives them
    import jointmission as jm

    for name in ("joint_heavy_lift", "joint_heavy_lift_ru"):
        assert f"{name} [t]" in page.text
    ru = jm.run(SCENARIOS / "joint_heavy_lift_ru.yaml")
    assert f"{ru.payload_t('LEO 200 km'):,.2f}" in page.text
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run_kind"] == "compare" and [s["label"] for s in summary["scenarios"]] == ["joint_heavy_lift",
                                                                                                "joint_heavy_lift_ru"]
    assert sorted(p.name for p in out.iterdir()) == sorted(summary["files"])
    assert "joint_heavy_lift_ru" in stdout


def test_compare_says_a_sweep_is_compared_at_its_nominal_case(tmp_path):
    """A scenario with a ``sweep:`` section is compared at its nominal vehicle (the sweep is not run):
    its column looked like the sweep's answer. The terminal says which file and what was compared."""
    sweep = tmp_path / "grid.yaml"
    sweep.write_text("name: g\nvehicle: Falcon 9\ntargets: [{name: LEO, orbit: {altitude: 200 km}}]\n"
                     "sweep:\n  grid:\n    vehicle.stages[1].m_prop: [100 t, 110 t]\n", encoding="utf-8")
    code, stdout, err = _invoke("compare", SCENARIOS / "reference" / "falcon_9.yaml", sweep, "-o", tmp_path / "c")
    assert code == 0, err
    text = " ".join(stdout.split())
    assert "grid: its 'sweep:' section is not run here" in text and "nominal" in text and "jointmission run" in text
