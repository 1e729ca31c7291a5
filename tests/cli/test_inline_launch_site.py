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
