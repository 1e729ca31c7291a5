"""A vehicle's own ``launch_site`` (inline in a scenario, or in a vehicle file) may name a site of the
launch-site catalog, as a scenario's top-level ``launch_site`` may: ``launch_site: Baikonur`` or
``{name: Baikonur}`` takes that site's latitude (45.920 deg, ``vehicles/data/launch_sites.yaml``); a
misspelt name is refused naming file, line and field, with the close match."""

from __future__ import annotations

from cli_helpers import invoke

VEHICLE = """name: site test
vehicle:
  name: Example lifter
  launch_site: %s
  stages:
    - name: First stage
      engine: RD-180
      engine_count: 2
      m_prop: 480 t
      m_dry: 36 t
    - name: Upper stage
      engine: {name: Example vacuum engine, thrust_vac: 1100 kN, isp_vac: 452 s}
      engine_count: 1
      m_prop: 110 t
      m_dry: 12 t
targets:
  - name: LEO 300 km
    orbit: {altitude: 300 km}
"""


def _run(tmp_path, site: str, tag: str) -> tuple[str, str]:
    f = tmp_path / f"{tag}.yaml"
    f.write_text(VEHICLE % site, encoding="utf-8")
    c = invoke("check", f)
    assert c.code == 0, c.err
    r = invoke("run", f, "-o", tmp_path / tag)
    assert r.code == 0, r.err
    return (tmp_path / tag / "results.csv").read_text(encoding="utf-8"), (tmp_path / tag / "report.md").read_text(
        encoding="utf-8")


def test_an_inline_vehicle_launches_from_a_catalog_site_by_name(tmp_path):
    by_latitude, _ = _run(tmp_path, "{name: Baikonur, latitude: 45.920 deg}", "lat")
    assert ",45.92," in by_latitude  # due east from 45.92 deg: the site's latitude was flown
    for site, tag in (("Baikonur", "name"), ("{name: baikonur}", "mapping"), ("Tyuratam", "alias")):
        table, report = _run(tmp_path, site, tag)
        assert table == by_latitude, site
        assert "Launch site: Baikonur at 45.92 deg latitude" in report


def test_a_misspelt_site_in_an_inline_vehicle_names_file_line_and_field(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(VEHICLE % "Baikonr", encoding="utf-8")
    for cmd in ("check", "run"):
        r = invoke(cmd, f) if cmd == "check" else invoke(cmd, f, "-o", tmp_path / "out")
        assert r.code == 2 and "Traceback" not in r.err
        assert "bad.yaml:4: vehicle.launch_site" in r.err and "did you mean 'Baikonur'" in r.err, r.err
    assert not (tmp_path / "out").exists()


def test_a_catalog_site_name_with_another_latitude_is_refused(tmp_path):
    """A launch site written with a catalog site's name and a latitude more than 0.5 deg from the
    catalog's names one site and flies from another: refused at its line, saying how to take the site
    (every shipped vehicle and scenario names its catalog site within 0.1 deg)."""
    g = tmp_path / "inline.yaml"
    g.write_text(VEHICLE % "{name: Baikonur, latitude: 28.5 deg}", encoding="utf-8")
    r = invoke("check", g)
    assert r.code == 2 and "inline.yaml:4: vehicle.launch_site" in r.err, r.err
    assert "45.92 deg" in r.err and "28.5 deg" in r.err and "launch_site: Baikonur" in r.err
    h = tmp_path / "close.yaml"
    h.write_text(VEHICLE % "{name: Baikonur, latitude: 45.9 deg}", encoding="utf-8")
    assert invoke("check", h).code == 0
    top = tmp_path / "top.yaml"  # the scenario's own launch_site, at its line
    top.write_text("name: t\nvehicle: Falcon 9\nlaunch_site: {name: Vostochny, latitude: 28.5 deg}\n"
                   "targets: [{name: a, orbit: {altitude: 200 km}}]\n", encoding="utf-8")
    r = invoke("check", top)
    assert r.code == 2 and "top.yaml:3: launch_site.name" in r.err and "51.88 deg" in r.err, r.err


def _report(tmp_path, tag: str, overrides: str) -> tuple[str, str]:
    f = tmp_path / f"{tag}.yaml"
    f.write_text(f"name: r\nvehicle:\n  catalog: Falcon 9\n  overrides: {overrides}\n"
                 "targets: [{name: a, orbit: {altitude: 200 km}}]\n", encoding="utf-8")
    r = invoke("run", f, "-o", tmp_path / tag)
    assert r.code == 0, r.err
    return ((tmp_path / tag / "report.md").read_text(encoding="utf-8"),
            (tmp_path / tag / "results.csv").read_text(encoding="utf-8"))


def test_a_site_override_moves_name_and_latitude_together(tmp_path):
    """``overrides: {launch_site.name: Baikonur}`` renamed Falcon 9's site and kept its 28.5 deg (the
    report read "Launch site: Baikonur at 28.50 deg latitude", the payload was Cape Canaveral's): the
    latitude now follows the catalog site, as ``launch_site: Baikonur`` does. An override of the
    latitude alone (the documented way to move a vehicle) drops the old site's name instead of
    reporting "CCSFS SLC-40 at 45.92 deg"; and a site without a name no longer reads "None"."""
    named, table = _report(tmp_path, "name", "{launch_site.name: Baikonur}")
    site, site_table = _report(tmp_path, "site", "{launch_site: Baikonur}")
    assert "Launch site: Baikonur at 45.92 deg latitude" in named and table == site_table
    moved, _ = _report(tmp_path, "lat", "{launch_site.latitude: 45.92 deg}")
    assert "- Launch site: 45.92 deg latitude" in moved and "SLC-40" not in moved and "None" not in moved
