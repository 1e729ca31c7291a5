"""Catalog loading and lookups: a small temporary catalog, and the packaged one."""

import textwrap

import numpy as np
import pytest

from jointmission.vehicles import catalog as cat_mod
from jointmission.vehicles.catalog import (
    build_vehicle,
    CatalogError,
    engine_names,
    get_engine,
    get_vehicle,
    load_catalog_from,
    resolve_vehicle_dict,
    vehicle_names,
    vehicle_raw,
)
from jointmission.vehicles.spec import VehicleSpec
from jointmission.vehicles.vehicle import LaunchVehicle

ENGINES = """
Alpha:
  name: Alpha
  country: X
  manufacturer: Y
  propellants: LOX/RP-1
  cycle: gas generator
  thrust_sl: "900 kN"
  thrust_vac: "1000 kN"
  isp_sl: "280 s"
  isp_vac: "310 s"
  sources: ["test fixture"]
Beta Vac:
  name: Beta Vac
  country: X
  manufacturer: Y
  propellants: LOX/LH2
  cycle: expander
  thrust_vac: "100 kN"
  isp_vac: "450 s"
  sources: ["test fixture"]
"""

VEHICLES = """
Test Rocket:
  name: Test Rocket
  country: X
  description: fixture
  launch_site: {name: Pad, latitude: "28.5 deg"}
  sources: ["test fixture"]
  stages:
    - {name: S1, engine: Alpha, engine_count: 5, m_prop: "300 t", m_dry: "20 t"}
    - {name: S2, engine: beta vac, engine_count: 1, m_prop: "30 t", m_dry: "3 t"}
  fairing: {mass: "1 t", jettison_after_stage: 0}
  published_performance:
    - target: {perigee: "200 km", apogee: "200 km", inclination: "28.5 deg"}
      payload: "10 t"
      definition: fixture
      source: fixture
"""


@pytest.fixture()
def small_catalog(tmp_path):
    pe, pv = tmp_path / "engines.yaml", tmp_path / "vehicles.yaml"
    pe.write_text(textwrap.dedent(ENGINES))
    pv.write_text(textwrap.dedent(VEHICLES))
    return load_catalog_from(pe, pv)


def test_lookup_is_case_insensitive_and_resolves_engines(small_catalog):
    v = small_catalog.get_vehicle("test rocket")
    assert isinstance(v, LaunchVehicle)
    assert v.stages[1].engine.name == "Beta Vac"
    assert v.stages[0].thrust_vac == pytest.approx(5e6)


def test_unknown_names_list_close_matches(small_catalog):
    with pytest.raises(CatalogError, match="Test Rocket"):
        small_catalog.get_vehicle("Test Rockit")
    with pytest.raises(CatalogError, match="Alpha"):
        small_catalog.get_engine("Alpah")


def test_resolve_makes_override_paths_work(small_catalog):
    raw = small_catalog.vehicles["Test Rocket"]
    res = small_catalog.resolve_vehicle_dict(raw)
    assert res["stages"][0]["engine"]["isp_vac"] == "310 s"
    res["stages"][0]["engine"]["isp_vac"] = "320 s"  # a scenario override
    spec = VehicleSpec.model_validate(res)
    assert spec.stages[0].engine.isp_vac == 320.0
    assert raw["stages"][0]["engine"] == "Alpha"  # the catalog itself is untouched


def test_resolve_unknown_engine_says_where(small_catalog):
    raw = {"name": "x", "stages": [{"name": "s", "engine": "Gamma"}]}
    with pytest.raises(CatalogError, match=r"stages\[0\]\.engine: unknown engine 'Gamma'.*Alpha"):
        small_catalog.resolve_vehicle_dict(raw)


def test_from_spec_with_engine_mapping(small_catalog):
    spec = VehicleSpec.model_validate(small_catalog.vehicles["Test Rocket"])
    engines = {k: small_catalog.get_engine(k) for k in small_catalog.engines}
    v = build_vehicle(spec, engines)
    assert v.stages[1].engine.isp_vac == 450.0
    with pytest.raises(CatalogError, match="unknown engine"):
        build_vehicle(spec, {"Alpha": engines["Alpha"]})
    with pytest.raises(ValueError, match="needs a catalog"):  # names need the catalog's resolver
        LaunchVehicle.from_spec(spec)


# ---- the packaged catalog -------------------------------------------------------------------


def test_packaged_catalog_loads_every_entry():
    assert "Saturn V" in vehicle_names() and "RS-25D" in engine_names()
    for name in engine_names():
        e = get_engine(name)
        assert e.sources, f"engine {name} has no source"
    for name in vehicle_names():
        v = get_vehicle(name)
        assert v.sources, f"vehicle {name} has no source"
        assert v.liftoff_thrust_to_weight() > 1.0, name
        for p in v.published:
            assert p.source


def test_packaged_lookups_are_copies_and_case_insensitive():
    a = vehicle_raw("saturn v")
    a["stages"][0]["m_prop"] = "1 t"
    assert vehicle_raw("Saturn V")["stages"][0]["m_prop"] != "1 t"
    res = resolve_vehicle_dict(vehicle_raw("Saturn V"))
    assert isinstance(res["stages"][0]["engine"], dict)
    with pytest.raises(CatalogError, match="Saturn V"):
        get_vehicle("Saturn 5")


def test_cache_is_reused():
    assert cat_mod.default_catalog() is cat_mod.default_catalog()
    assert np.isfinite(get_engine("F-1").mass_flow)


def test_packaged_yaml_files_read_the_same_with_libyaml_and_pyyaml():
    """The packaged catalog and published-curve files are read with libyaml's safe loader for speed;
    PyYAML's pure-Python safe loader gives the same data for each of them."""
    from importlib import resources

    import yaml

    from jointmission.io.packaged_yaml import FAST_SAFE_LOADER as _FAST_SAFE_LOADER

    data = resources.files("jointmission.vehicles") / "data"
    for name in ("engines.yaml", "vehicles.yaml", "published_curves.yaml"):
        text = (data / name).read_text(encoding="utf-8")
        assert yaml.load(text, Loader=_FAST_SAFE_LOADER) == yaml.safe_load(text), name
