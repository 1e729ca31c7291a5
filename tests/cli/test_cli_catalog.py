"""``jointmission vehicles`` and ``jointmission payload``."""

from __future__ import annotations

import json
import math

from cli_helpers import invoke

from jointmission.vehicles import catalog


def test_vehicles_lists_every_catalog_name():
    r = invoke("vehicles")
    assert r.code == 0, r.err
    for name in catalog.vehicle_names():
        assert name in r.out
    assert "published LEO" in r.out and "\x1b[" not in r.out


def test_vehicles_json():
    r = invoke("vehicles", "--json")
    rows = json.loads(r.out)
    assert [row["name"] for row in rows] == catalog.vehicle_names()
    assert all(row["liftoff_mass_t"] > 100 for row in rows)


def test_engines_listed():
    r = invoke("vehicles", "--engines")
    assert r.code == 0, r.err
    for name in catalog.engine_names():
        assert name in r.out
    rows = json.loads(invoke("vehicles", "--engines", "--json").out)
    assert {row["name"] for row in rows} == set(catalog.engine_names())


def test_payload_text():
    # Saturn V: Energia's core as top stage, with 2 % of its 704 t load held back as residuals and
    # reserve, no longer reaches C3 -1.9 (it never flew there without an upper stage)
    r = invoke("payload", "saturn v", "--orbit", "185", "--orbit", "400,51.6", "--c3", "-1.9")
    assert r.code == 0, r.err
    assert "Saturn V" in r.out
    assert "185 km" in r.out and "400 km @ 51.6 deg" in r.out and "C3 -1.90" in r.out
    assert r.out.count(" ok") >= 3


def test_payload_json():
    r = invoke("payload", "Falcon Heavy", "--orbit", "200 km,28.6 deg", "--orbit", "185-35786,27",
               "--c3", "12 km2/s2", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["vehicle"] == "Falcon Heavy"
    rows = data["results"]
    assert [row["kind"] for row in rows] == ["orbit", "orbit", "c3"]
    assert rows[1]["apogee_km"] == 35786 and rows[1]["inclination_deg"] == 27
    for row in rows:
        assert row["status"] == "ok"
        assert math.isfinite(row["payload_t"]) and row["payload_t"] > 0
    assert rows[0]["payload_t"] > rows[1]["payload_t"] > rows[2]["payload_t"]


def test_payload_site_latitude():
    lo = json.loads(invoke("payload", "Energia", "--orbit", "200", "--json", "--site-lat", "5").out)
    hi = json.loads(invoke("payload", "Energia", "--orbit", "200", "--json", "--site-lat", "45").out)
    assert lo["latitude_deg"] == 5 and hi["latitude_deg"] == 45
    assert lo["results"][0]["payload_t"] > hi["results"][0]["payload_t"]


def _usage_error(*argv) -> str:
    r = invoke(*argv)
    assert r.code == 2, (argv, r.out, r.err)
    assert "Traceback" not in r.err and "\n" not in r.err.strip()
    return r.err


def test_payload_unknown_vehicle():
    err = _usage_error("payload", "Saturn 5", "--orbit", "200")
    assert "unknown catalog vehicle 'Saturn 5'" in err and "Saturn V" in err


def test_payload_bad_units_and_values():
    assert "parsecs" in _usage_error("payload", "Saturn V", "--orbit", "3 parsecs")
    assert "--c3" in _usage_error("payload", "Saturn V", "--c3", "12 km")
    assert "--site-lat" in _usage_error("payload", "Saturn V", "--orbit", "200", "--site-lat", "95")
    assert "--orbit" in _usage_error("payload", "Saturn V", "--orbit", "-200")
    assert "at least one target" in _usage_error("payload", "Saturn V")
