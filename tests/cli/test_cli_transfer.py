"""CLI: ``jointmission porkchop`` and a scenario with a ``transfer:`` section, end to end."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import xarray as xr
from cli_helpers import SCENARIOS, invoke


def test_porkchop_command_writes_grid_figure_and_optima(tmp_path):
    out = tmp_path / "pc"
    r = invoke("porkchop", "--from", "earth", "--to", "mars", "--depart", "2033-02-01:2033-07-15",
               "--arrive", "2033-09-01:2034-05-31", "--step", "5d", "-o", out)
    assert r.code == 0, r.err
    assert "Type I " in r.out and "Type II " in r.out and r.err == ""  # the wording of the figure and report
    assert sorted(p.name for p in out.iterdir()) == ["porkchop.nc", "porkchop.png", "porkchop_optima.json",
                                                     "report.html", "summary.json"]
    ds = xr.load_dataset(out / "porkchop.nc", engine="scipy")
    assert ds["c3_km2_s2"].dims == ("depart", "arrive") and ds.sizes["depart"] == 33
    assert str(ds["depart"].values[0])[:10] == "2033-02-01"
    opt = json.loads((out / "porkchop_optima.json").read_text())["optima"]
    assert [o["type"] for o in opt] == [1, 2]
    assert all(7.0 < o["c3_km2_s2"] < 12.0 for o in opt)
    assert (out / "porkchop.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_porkchop_json_mode_prints_only_json(tmp_path):
    r = invoke("porkchop", "--from", "earth", "--to", "mars", "--depart", "2028-11-01:2028-12-15",
               "--arrive", "2029-06-01:2029-11-01", "--step", "5d", "--json", "--figure", "svg",
               "--objective", "dv_total", "--capture", "250,33000", "-o", tmp_path / "j")
    assert r.code == 0, r.err
    assert sorted(p.name for p in (tmp_path / "j").iterdir()) == ["porkchop.nc", "porkchop.svg", "porkchop_optima.json",
                                                                  "report.html", "summary.json"]
    assert (tmp_path / "j" / "porkchop.svg").read_text().lstrip().startswith("<?xml")
    data = json.loads(r.out)
    assert data["origin"] == "earth" and all(o["objective"] == "dv_total" for o in data["optima"])


@pytest.mark.parametrize(
    "args, words",
    [
        (["--to", "pluto"], "not a planet"),
        (["--depart", "2031-05-01:2031-01-01"], "swap the two dates"),
        (["--step", "5 kg"], "--step"),
        (["--capture", "300,200"], "apoapsis >= periapsis"),
        (["--arrive", "2060-01-01:2061-01-01"], "outside DE421"),
        # the option with the bad window is named (the dates alone said neither which, nor where)
        (["--depart", "2031-05-01:2031-01-01"], "--depart"),
        (["--depart", "2031-13-01:2031-04-01"], "--depart '2031-13-01:2031-04-01': cannot read '2031-13-01' as a date"),
        (["--arrive", "2031-08-01"], "--arrive"),
        # every arrival before every departure: no transfer exists (it wrote an all-NaN porkchop, exit 0)
        (["--arrive", "2030-07-01:2030-12-31"], "--arrive '2030-07-01:2030-12-31': the arrival window ends"),
        # orbits outside the planet's sphere of influence (a unit slip: metres read as km) gave confident
        # delta-v numbers (the capture 'burn' then approaches v_inf)
        (["--capture", "33000000"], "--capture '33000000': the capture orbit's periapsis (33,000,000 km) is "
                                    "outside Mars's sphere of influence"),
        (["--capture", "300,800000"], "apoapsis (800,000 km) is outside Mars's sphere of influence"),
        (["--park", "1e6"], "--park '1e6': the parking orbit (1,000,000 km) is outside Earth's sphere"),
    ],
)
def test_porkchop_user_mistakes_exit_2_without_traceback(args, words, tmp_path):
    base = {"--from": "earth", "--to": "mars", "--depart": "2031-01-01:2031-04-01",
            "--arrive": "2031-08-01:2032-01-01", "--step": "10d", "-o": str(tmp_path / "x")}
    for k, v in zip(args[::2], args[1::2]):
        base[k] = v
    r = invoke("porkchop", *[x for kv in base.items() for x in kv])
    assert r.code == 2
    assert words in r.err and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_mars_window_scenario_runs_and_adds_transfer_targets(tmp_path):
    out = tmp_path / "m31"
    r = invoke("run", SCENARIOS / "mars" / "joint_heavy_mars_2031.yaml", "-o", out)
    assert r.code == 0, r.err
    for name in ("porkchop.nc", "porkchop.png", "transfer_optima.json", "results.parquet", "summary.json"):
        assert (out / name).exists(), name
    rows = {row["target"]: row for row in pq.read_table(out / "results.parquet").to_pylist()}
    t1, t2 = rows["Mars 2031 Type I (min C3)"], rows["Mars 2031 Type II (min C3)"]
    leo, tli = rows["LEO 200 km"]["payload_t"], rows["TLI"]["payload_t"]
    # Mars C3 (8-9 km2/s2) is above TLI (-2): less payload than TLI, far less than LEO, and the
    # lower-C3 Type II transfer carries more than Type I
    assert 0 < t1["payload_t"] < t2["payload_t"] < tli < leo
    assert 7.5 < t2["c3_km2_s2"] < t1["c3_km2_s2"] < 10.0
    # Type I's departure asymptote is declined 34 deg, above Wenchang's 19.6 deg: its parking orbit
    # must be inclined at least that much
    assert t1["inclination_deg"] == pytest.approx(34.35, abs=0.1)
    assert t2["inclination_deg"] == pytest.approx(19.6, abs=0.05)
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["transfer_optima"]) == 2
    assert "## Transfer Earth -> Mars" in (out / "report.md").read_text()


def test_transfer_window_whose_best_c3_no_launcher_reaches_runs_and_says_infeasible(tmp_path):
    """Arrivals 0-40 days after departure: the best Earth -> Mars transfer of these windows needs a C3
    of ~2,800 km2/s2, above the 1,000 km2/s2 a scenario's own C3 may have. The optimum is computed, not
    typed, so it is no unit slip: the run completes (porkchop written), the optimum's target is flown
    and comes back infeasible, never a traceback (it crashed with a pydantic ValidationError, exit 1)."""
    src = tmp_path / "short.yaml"
    src.write_text("name: short transfer\nvehicle: Falcon Heavy\ntransfer:\n  from: earth\n  to: mars\n"
                   "  depart: 2031-01-01:2031-02-01\n  arrive: 2031-02-01:2031-02-10\n  step: 4 d\n")
    out = tmp_path / "out"
    r = invoke("run", src, "-o", out)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    rows = pq.read_table(out / "results.parquet").to_pylist()
    assert len(rows) == 1 and rows[0]["target"] == "Mars 2031 Type I (min C3)"
    assert rows[0]["c3_km2_s2"] > 1000.0
    assert rows[0]["payload_t"] is None and rows[0]["status"].startswith("infeasible")
    assert (out / "summary.json").exists() and (out / "porkchop.nc").exists()
    # the resolved scenario runs again (the optimum is recomputed from its transfer: section)
    assert invoke("check", out / "scenario.resolved.yaml").code == 0
