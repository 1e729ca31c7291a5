"""Every categorical trade axis of a sweep -- architecture, launcher (catalog name), engine choice,
launch site, capture method, Mars window, number of tanker launches -- on a grid AND on a zip: the
result table holds the axis as category names, ``results.nc`` (grids) has it as a dimension whose
coordinates are those names, ``summary.json`` lists its categories and summarises the mission
payload per category, the grid figure of the mission output is drawn over it, and the axis changes
the result (cases of different categories differ; a zip case repeated gives the same row).

The launch-site axis against the vehicle model flown directly: each case's payload to LEO and to a
C3 with a departure declination equals :func:`jointmission.vehicles.payload` from that site's
latitude (the DLA resolved with it, :meth:`~jointmission.vehicles.targets.Target.for_latitude`) to
1e-9 relative (same ascent model, same solver; only summation order may differ).
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pyarrow as pa
import pytest

from jointmission.runners.sweep import run_sweep
from jointmission.scenario import ScenarioError, load_scenario
from sweep_tables import chunk_table, write_scenario

MOON = "vehicle: Joint Heavy CN\nmission:\n  architectures: [moon_direct, moon_nrho]\n"
MARS = ("vehicle: Joint Heavy CN\nmission:\n  architectures: [mars_cargo]\n"
        "  mars: {windows: [2031, 2033], window_source: table, capture: [aerocapture, propulsive]}\n")
DEPOT = "vehicle: Joint Heavy CN\nmission:\n  architectures: [moon_depot_cargo]\n"

# (axis path, mission section, two categories as written, the names the results show)
AXES = [
    ("mission.architecture", MOON, ["moon_direct", "moon_nrho"], ["moon_direct", "moon_nrho"]),
    ("mission.launcher", MOON.replace("[moon_direct, moon_nrho]", "[moon_direct]"),
     ["Falcon Heavy", "saturn v"], ["Falcon Heavy", "Saturn V"]),
    ("vehicle.boosters.engine", MOON.replace("[moon_direct, moon_nrho]", "[moon_direct]"),
     ["YF-130", "RD-171M"], ["YF-130", "RD-171M"]),
    ("mission.launch_site", MOON.replace("[moon_direct, moon_nrho]", "[moon_direct]"),
     ["Wenchang", "vostochny"], ["Wenchang", "Vostochny"]),
    ("mission.choices.capture", MARS.replace("windows: [2031, 2033]", "windows: [2031]"),
     ["aerocapture", "propulsive"], ["aerocapture", "propulsive"]),
    ("mission.mars.capture", MARS.replace("windows: [2031, 2033]", "windows: [2031]"),
     ["aerocapture", "propulsive"], ["aerocapture", "propulsive"]),
    ("mission.mars.window", MARS.replace(", capture: [aerocapture, propulsive]", ""), [2031, 2033], ["2031", "2033"]),
    ("mission.parameters.n_tankers", DEPOT, [1, 3], ["1", "3"]),
]


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()


def _yaml_list(values) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


@pytest.mark.parametrize("kind", ["grid", "zip"])
@pytest.mark.parametrize("path, section, values, names", AXES, ids=[a[0] for a in AXES])
def test_categorical_axis_on_grid_and_zip(tmp_path, path, section, values, names, kind):
    from jointmission.report.sweep_plots import write_sweep_report

    vals = values if kind == "grid" else [values[0], values[1], values[0]]  # a zip may repeat a category
    text = f"name: axis {path}\n{section}sweep:\n  {kind}:\n    {path}: {_yaml_list(vals)}\n"
    res = run_sweep(write_scenario(tmp_path, text), tmp_path / "o", report=write_sweep_report if kind == "grid" else None)
    t = chunk_table(res.output_dir)
    col = t.column(path)
    assert pa.types.is_dictionary(col.type)  # category names, not codes
    shown = [names[values.index(v)] for v in vals]
    assert col.to_pylist() == shown
    mission = [c for c in t.column_names if c.startswith("mission_payload_t[")]
    assert len(mission) == 1  # the axis is a dimension of one mission column, not a column per category
    pay = np.array(t.column(mission[0]).to_pylist(), dtype=float)
    assert np.isfinite(pay).all() and pay[0] != pay[1]  # the axis changes the result
    if kind == "zip":
        assert pay[2] == pay[0]
    s = json.loads((res.output_dir / "summary.json").read_text())
    p = next(x for x in s["parameters"] if x["path"] == path)
    assert p["categories"] == names
    label = mission[0][len("mission_payload_t["):-1]
    by = s["targets"][f"mission: {label}"]["by_category"][path]
    assert [b["value"] for b in by] == names
    assert [b["mean"] for b in by] == pytest.approx([pay[0], pay[1]], rel=1e-12)
    if kind == "grid":
        ds = res.dataset()
        da = ds[_slug(mission[0])]
        assert da.dims == (_slug(path),) and list(da[_slug(path)].values) == names
        fig = res.output_dir / f"grid_{_slug('mission: ' + label)}.png"
        assert fig.is_file() and fig.stat().st_size > 10_000


def test_launch_site_axis_equals_the_vehicle_flown_from_that_latitude(tmp_path):
    from jointmission.vehicles import C3Target, OrbitTarget, get_vehicle, payload
    from jointmission.vehicles.launch_sites import launch_site

    text = ("name: sites\nvehicle: Joint Heavy CN\n"
            "targets:\n  - {name: LEO, orbit: {altitude: 200 km}}\n  - {name: Mars, c3: 10 km2/s2, dla: 30 deg}\n"
            "sweep:\n  zip:\n    mission.launch_site: [Wenchang, Vostochny, Kourou]\n"
            "mission:\n  architectures: [moon_direct]\n")
    df = run_sweep(write_scenario(tmp_path, text), tmp_path / "o").to_pandas()
    veh = get_vehicle("Joint Heavy CN")
    mars = C3Target(10e6, dla_rad=math.radians(30.0))
    got = {}
    for _, row in df.iterrows():
        lat = launch_site(str(row["mission.launch_site"])).latitude_rad
        for name, tgt in (("LEO", OrbitTarget(200e3)), ("Mars", mars.for_latitude(lat))):
            ref = payload(veh, tgt, latitude_rad=lat)
            assert row[f"payload_t[{name}]"] == pytest.approx(float(ref.payload_kg) / 1e3, rel=1e-9), (name, lat)
        got[str(row["mission.launch_site"])] = row
    # a due-east LEO gains from a low latitude; a DLA of 30 deg costs Wenchang and Kourou (parking
    # orbit at 30 deg) but not Vostochny (51.9 deg holds it due east)
    assert got["Kourou ELA-3"]["payload_t[LEO]"] > got["Wenchang"]["payload_t[LEO]"] > got["Vostochny"]["payload_t[LEO]"]
    assert got["Wenchang"]["mission_payload_t[moon_direct]"] > got["Vostochny"]["mission_payload_t[moon_direct]"]


@pytest.mark.parametrize("axis, words", [
    ("mission.launch_site: [Wenchang, Vostochnyy]", "did you mean 'Vostochny'"),
    ("mission.launch_site: [Wenchang, wenchang]", "distinct values"),
    ("mission.launch_site: [Wenchang, 19.6]", "a launch site is a catalog name"),
    ("mission.mars.captur: [aerocapture]", "mission.mars.capture"),
])
def test_bad_categorical_axes(tmp_path, axis, words):
    text = f"name: bad\n{MARS}sweep:\n  grid:\n    {axis}\n"
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write_scenario(tmp_path, text))
    assert exc.value.line == 8 and words in str(exc.value), str(exc.value)


def test_launch_site_axis_and_a_latitude_path_conflict(tmp_path):
    text = (f"name: bad\n{MOON}sweep:\n  grid:\n    mission.launch_site: [Wenchang, Vostochny]\n"
            "    vehicle.launch_site.latitude: [20 deg, 30 deg]\n")
    with pytest.raises(ScenarioError, match="both set the launch latitude"):
        load_scenario(write_scenario(tmp_path, text))
    text = (f"name: bad\n{MARS}sweep:\n  grid:\n    mission.mars.capture: [aerocapture]\n"
            "    mission.choices.capture: [propulsive]\n")
    with pytest.raises(ScenarioError, match="name the same trade axis"):
        load_scenario(write_scenario(tmp_path, text))


@pytest.mark.slow
def test_launch_site_sweep_identical_locally_and_on_dask(tmp_path):
    """A sweep over the launch site (x the number of tanker launches of the depot concept, x the
    launcher axis flying every launch on a catalog vehicle) gives the same table locally and on
    ``--dask local:2``."""
    from jointmission.runners.dask_backend import open_client

    text = ("name: site trade\nvehicle: Joint Heavy CN\n"
            "mission:\n  architectures: [moon_depot_cargo, moon_direct]\n"
            "sweep:\n  grid:\n    mission.launch_site: [Wenchang, Baikonur, Kourou]\n"
            "    mission.architecture: [moon_depot_cargo, moon_direct]\n"
            "    mission.launcher: [Joint Heavy CN, Falcon Heavy]\n  chunk_size: 4\n")
    path = write_scenario(tmp_path, text)
    local = run_sweep(path, tmp_path / "local")
    client, cluster = open_client("local:2")
    try:
        dist = run_sweep(path, tmp_path / "dask", dask=client)
    finally:
        client.close()
        cluster.close()
    assert dist.summary["timing"]["backend"].startswith("dask (2 workers")
    t_local, t_dask = chunk_table(local.output_dir), chunk_table(dist.output_dir)
    assert t_local.num_rows == 12 and t_local.equals(t_dask)
    d = t_local.to_pandas()
    pay = d.pivot_table(index=["mission.architecture", "mission.launcher"], columns="mission.launch_site",
                        values="mission_payload_t[mission]", observed=True)
    # every launch from Kourou (5.2 deg) lifts more than from Baikonur (45.9 deg), so more lands
    assert (pay["Kourou ELA-3"] > pay["Baikonur"]).all(), pay


@pytest.mark.parametrize("written", ["Kourou", "{name: guiana space centre}"])
def test_scenario_launch_site_by_catalog_name(tmp_path, written):
    """``launch_site: NAME`` (or ``{name: NAME}``) takes the catalog site's name and latitude, as the
    sweep axis does; the same latitude written out gives the same vehicle."""
    from jointmission.vehicles.launch_sites import launch_site

    s = load_scenario(write_scenario(tmp_path, f"name: s\nvehicle: Joint Heavy CN\nlaunch_site: {written}\n"
                                       "targets: [{name: LEO, orbit: {altitude: 200 km}}]\n"))
    site = launch_site("Kourou ELA-3")
    assert s.launch_site_name == "Kourou ELA-3"
    assert s.launch_latitude_rad == pytest.approx(site.latitude_rad, rel=1e-15)
    assert site.latitude_deg == pytest.approx(5.239, abs=1e-12)  # the catalog's (Wikipedia ELA-3) value


def test_catalog_vehicles_fly_from_catalog_sites():
    """Every catalog vehicle's launch site that the site catalog knows has the catalog's latitude to
    0.1 deg (vehicles.yaml writes one decimal; Baikonur's pads span 45.6-46.0 deg)."""
    from jointmission.vehicles import get_vehicle_spec, vehicle_names
    from jointmission.vehicles.launch_sites import LaunchSiteError, launch_site

    known = 0
    for name in vehicle_names():
        spec = get_vehicle_spec(name)
        site_name = spec.launch_site.name or ""
        for key in (site_name, site_name.split(",")[0]):
            try:
                site = launch_site(key)
            except LaunchSiteError:
                continue
            assert abs(math.degrees(spec.launch_site.latitude) - site.latitude_deg) <= 0.1, (name, site_name)
            known += 1
            break
    assert known >= 8
