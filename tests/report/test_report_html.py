"""report.html of a single run with a mission section, of a porkchop and of a sweep: the sections
that fit the run, every figure embedded and decodable with its title and axis labels, nothing
loaded from outside the page, the scenario as run with its defaults written out; the template is
package data; the CLI and ``jm.run(..., output_dir=...)`` write the same page."""

from __future__ import annotations

import json
from importlib.resources import files as package_files

import pytest
from report_helpers import decode_image, external_references, read_page

import jointmission as jm

SMALL = """\
name: Report test - Long March 5, two targets and a direct Moon landing
description: A small scenario for the report tests.
vehicle:
  catalog: Long March 5
targets:
  - name: LEO 200 km
    orbit: {altitude: 200 km}
  - name: TLI
    c3: -2 km2/s2
mission:
  architectures: [moon_direct]
"""


def test_template_is_package_data():
    t = package_files("jointmission.report").joinpath("templates", "report.html.j2")
    assert t.is_file() and "<!DOCTYPE html>" in t.read_text(encoding="utf-8")


def check_figures(page, expected: set[str]) -> None:
    ids = {f["id"] for f in page.figures}
    assert expected <= ids, expected - ids
    for f in page.figures:
        im = decode_image(f["src"])
        assert im.size[0] >= 600, f["id"]
        assert f["title"].strip() and f["xlabel"].strip() and f["ylabel"].strip(), f


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("small")
    path = d / "small.yaml"
    path.write_text(SMALL)
    out = d / "out"
    result = jm.run(path, output_dir=out)
    return result, out


@pytest.mark.slow
def test_single_run_report_html(small_run):
    result, out = small_run
    page = read_page(out / "report.html")
    assert page.run_kind == "single"
    assert page.sections == ["summary", "payload", "dv-budget", "payload-curves", "mission", "stages", "scenario",
                             "method"]
    check_figures(page, {"fig-dv_budget", "fig-payload_curves", "fig-mass_waterfall", "fig-landed_mass"})
    assert external_references(page) == [] and "script" not in page.tags
    # the payloads of the tables are the run's numbers
    for r in result.rows:
        assert f"{r['payload_t']:,.2f}" in page.text
    # every default is written out: the targets' due-east inclination and the C3 target's parking orbit
    lat = abs(result.vehicle_summary["latitude_deg"])
    assert "targets[0].orbit.inclination" in page.text and f"{lat:.4g} deg" in page.text
    assert "targets[1].parking.altitude" in page.text and "185 km" in page.text
    # the figures are also files, listed in summary.json with report.html
    listed = set(json.loads((out / "summary.json").read_text())["files"])
    assert {"report.html", "dv_budget.png", "payload_curves.png", "mass_waterfall.png", "landed_mass.png"} <= listed
    assert set(result.files) >= {"report.html", "dv_budget.png"}
    md = (out / "report.md").read_text()
    assert "![dv budget](dv_budget.png)" in md and "![mass waterfall](mass_waterfall.png)" in md


@pytest.mark.slow
def test_cli_run_writes_the_same_page(small_run, tmp_path):
    from jointmission.cli import main

    _, api_out = small_run
    out = tmp_path / "cli"
    assert main(["run", str(api_out.parent / "small.yaml"), "-o", str(out)]) == 0
    a, b = read_page(api_out / "report.html"), read_page(out / "report.html")
    assert a.sections == b.sections and [f["id"] for f in a.figures] == [f["id"] for f in b.figures]


@pytest.mark.slow
def test_porkchop_report_html(tmp_path):
    from jointmission.cli import main

    out = tmp_path / "pc"
    assert main(["porkchop", "--from", "earth", "--to", "mars", "--depart", "2033-02-01:2033-07-15",
                 "--arrive", "2033-09-01:2034-05-31", "--step", "8d", "-o", str(out)]) == 0
    page = read_page(out / "report.html")
    assert page.run_kind == "porkchop" and page.sections == ["transfer", "request"]
    check_figures(page, {"fig-porkchop"})
    assert "Type I" in page.text and "Type II" in page.text and "Type 1" not in page.text
    assert "objective: c3" in page.text and "park_alt_km: 185" in page.text  # the defaults of the request
    assert external_references(page) == []


MC = """\
name: Report test - Monte Carlo
vehicle:
  catalog: Long March 5
targets:
  - name: LEO
    orbit: {altitude: 200 km}
sweep:
  monte_carlo:
    samples: 400
    seed: 7
    parameters:
      vehicle.stages[1].engine.isp_vac: {distribution: normal, std: 3 s}
      vehicle.stages[1].m_dry: {distribution: triangular, low: 4.6 t, high: 5.8 t}
  losses: interpolate
"""


@pytest.mark.slow
def test_monte_carlo_report_html_marks_the_nominal(tmp_path):
    from jointmission.cli import main

    src = tmp_path / "mc.yaml"
    src.write_text(MC)
    out = tmp_path / "mc"
    assert main(["run", str(src), "-o", str(out)]) == 0
    page = read_page(out / "report.html")
    assert page.run_kind == "sweep"
    assert page.sections[:3] == ["summary", "statistics", "sensitivity"] and "scenario" in page.sections
    check_figures(page, {"fig-hist_leo", "fig-tornado_leo"})
    # the nominal payload is the scenario's own vehicle (no parameter moved), evaluated once
    plain = tmp_path / "plain.yaml"
    plain.write_text(MC.split("sweep:")[0])
    nominal = jm.run(plain).payload_t("LEO")
    assert f"{nominal:,.2f}" in page.text
    hist = next(f for f in page.figures if f["id"] == "fig-hist_leo")
    assert "payload [t], LEO" in hist["xlabel"] and "[%]" in hist["ylabel"]
    tornado = next(f for f in page.figures if f["id"] == "fig-tornado_leo")
    assert "nominal" in tornado["xlabel"] and "[t]" in tornado["xlabel"]
    assert "report.html" in json.loads((out / "summary.json").read_text())["files"]
    assert external_references(page) == []
