"""C3, parking altitude, DLA and circular-orbit altitude as sweep parameters (``targets[i].<field>``):
cases equal the payload model at those target values, in grid, zip and Monte Carlo sweeps; bad paths
and values name file, line and path."""

from __future__ import annotations

import math

import numpy as np
import pytest

import jointmission as jm
from jointmission.scenario import ScenarioError, load_scenario

SATURN = """\
name: target sweep
vehicle:
  catalog: Saturn V
targets:
  - name: LEO
    orbit: {altitude: 200 km}
  - name: escape
    c3: 0 km2/s2
    dla: 40 deg
"""

# The sweep solves a chunk's distinct target values in one vectorized call; the reference solves them
# in another. Both stop the payload iteration at 1e-6 relative: they agree to a few times that.
RTOL = 1e-5


def _cases(out):
    import pandas as pd

    return pd.concat([pd.read_parquet(f) for f in sorted((out / "chunks").glob("*.parquet"))]).sort_values("case")


@pytest.mark.slow
def test_grid_over_c3_and_altitude_equals_the_payload_model(scen, tmp_path):
    p = scen("""
        sweep:
          grid:
            targets[1].c3: {start: -2, stop: 10, step: 12}
            targets[0].orbit.altitude: [200 km, 1000 km]
        """, header=SATURN)
    res = jm.run_sweep(p, tmp_path / "out")
    d = _cases(res.output_dir)
    assert d["targets[1].c3"].tolist() == [-2.0, -2.0, 10.0, 10.0]
    assert d["targets[0].orbit.altitude"].tolist() == [200.0, 1000.0, 200.0, 1000.0]
    sat = jm.get_vehicle("Saturn V")
    # a sweep flies the swept vehicle's top stage fully loaded (the single run chooses the load: Saturn V
    # to LEO about 4 t more, test_sweep_runs.py)
    leo = jm.payload_to_orbit(sat, np.array([200e3, 1000e3]), top_load=1.0).payload_kg
    # DLA 40 deg from the 28.6 deg site: the escape targets fly from a 40 deg parking orbit
    esc = jm.payload_to_c3(sat, np.array([-2e6, 10e6]), inclination_rad=math.radians(40), top_load=1.0).payload_kg
    np.testing.assert_allclose(d["payload_t[LEO]"].to_numpy(), np.tile(leo, 2) / 1e3, rtol=RTOL)
    np.testing.assert_allclose(d["payload_t[escape]"].to_numpy(), np.repeat(esc, 2) / 1e3, rtol=RTOL)
    assert (d["status[escape]"] == 0).all() and (d["status[LEO]"] == 0).all()


@pytest.mark.slow
def test_zip_over_dla_and_parking_altitude(scen, tmp_path):
    p = scen("""
        sweep:
          zip:
            targets[1].dla: [10 deg, 50 deg]
            targets[1].parking.altitude: [185, 300]
        """, header=SATURN)
    d = _cases(jm.run_sweep(p, tmp_path / "out").output_dir)
    sat = jm.get_vehicle("Saturn V")
    # DLA 10 deg < 28.6 deg latitude: due east (NaN inclination); DLA 50 deg: a 50 deg parking orbit
    ref = [jm.payload_to_c3(sat, 0.0, parking_alt_m=185e3).payload_kg,
           jm.payload_to_c3(sat, 0.0, parking_alt_m=300e3, inclination_rad=math.radians(50)).payload_kg]
    np.testing.assert_allclose(d["payload_t[escape]"].to_numpy(), np.array(ref, dtype=float) / 1e3, rtol=RTOL)


def test_plan_evaluates_target_cases_exactly(scen):
    """The chunk evaluation itself (no run folder): two C3 cases of a zip, each equal to the model."""
    from jointmission.runners.sweep_plan import make_plan

    header = SATURN.replace("  - name: LEO\n    orbit: {altitude: 200 km}\n", "")
    p = scen("sweep:\n  zip:\n    targets[0].c3: [-2, 30]\n", header=header)
    plan = make_plan(load_scenario(p))
    assert plan.model.kind == "recompute" and plan.tcols == [0]
    cols = plan.evaluate(0)
    ref = jm.payload_to_c3(jm.get_vehicle("Saturn V"), np.array([-2e6, 30e6]),
                           inclination_rad=math.radians(40)).payload_kg
    np.testing.assert_allclose(cols["payload_t[escape]"], ref / 1e3, rtol=RTOL)
    assert cols["targets[0].c3"].tolist() == [-2.0, 30.0]


def test_monte_carlo_over_c3_resolves_and_flags_values_outside_the_range(scen):
    p = scen("""
        sweep:
          monte_carlo:
            samples: 4
            seed: 3
            parameters:
              targets[1].c3: {distribution: normal, mean: 10 km2/s2, std: 2}
        """, header=SATURN)
    sc = load_scenario(p)
    (param,) = sc.sweep.params
    assert param.prefix == "targets" and param.keys == (1, "c3") and param.unit == "km2/s2"
    values = sc.sweep.case_values(0, 4)[:, 0]
    assert np.all(np.abs(values / 1e6 - 10) < 10)
    # the per-case check of the target evaluator: out-of-range draws are flagged, not flown
    from jointmission.runners.sweep_eval import target_sweep
    from jointmission.vehicles.targets import target_set

    ts = target_set([t.to_target() for t in sc.targets], latitude_rad=math.radians(28.6))
    tsw = target_sweep(sc.sweep.params, [t.to_target() for t in sc.targets], ts.n)
    per_case, bad = tsw.apply(ts, np.array([[5e6], [2000e6]]), np.radians([28.6, 28.6]))
    assert per_case.c3[:, 1].tolist() == [5e6, 2000e6] and per_case.c3[0, 0] != per_case.c3[0, 0]  # NaN: orbit
    assert bad[:, 1].tolist() == [False, True] and not bad[:, 0].any()
    assert per_case.inclination[:, 1] == pytest.approx(np.radians([40, 40]))  # the DLA rule, per case
    _, bad_lat = tsw.apply(ts, np.array([[5e6]]), np.radians([45.0]))
    assert np.isnan(tsw.apply(ts, np.array([[5e6]]), np.radians([45.0]))[0].inclination[0, 1])  # due east


@pytest.mark.parametrize("sweep, field, words", [
    ("targets[5].c3: [1, 2]", "sweep.grid.targets[5].c3", "out of range; the scenario's targets are [0] 'LEO'"),
    ("targets[0].c3: [1, 2]", "sweep.grid.targets[0].c3", "is an orbit target"),
    ("targets[1].orbit.altitude: [200, 300]", "sweep.grid.targets[1].orbit.altitude", "is a C3 target"),
    ("targets[1].apogee: [1, 2]", "sweep.grid.targets[1].apogee", "not a sweepable target parameter"),
    ("targets.escape.c3: [1, 2]", "sweep.grid.targets.escape.c3", "targets[<index>].<field>"),
    ("targets[1].c3: [10, 1100]", "sweep.grid.targets[1].c3", "at most 1,000 km2/s2"),
    ("targets[1].c3: [-70, 1]", "sweep.grid.targets[1].c3", "energy of its circular parking orbit"),
    ("targets[0].orbit.altitude: [100, 200]", "sweep.grid.targets[0].orbit.altitude", "between 120 and"),
    ("targets[1].dla: [10 deg, 95 deg]", "sweep.grid.targets[1].dla", "between -90 and 90 deg"),
    ("targets[1].c3: [1 km, 2]", "sweep.grid.targets[1].c3[0]", "km"),
])
def test_bad_target_paths_and_values_name_file_line_and_path(scen, sweep, field, words):
    p = scen(f"sweep:\n  grid:\n    {sweep}\n", name="bad.yaml", header=SATURN)
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    err = e.value
    assert err.file.endswith("bad.yaml") and err.line == 12, str(err)
    assert err.field == field, str(err)
    assert words in err.reason, str(err)


def test_target_sweeps_are_solved_exactly(scen):
    p = scen("sweep:\n  grid:\n    targets[1].c3: [1, 2]\n  losses: interpolate\n", name="bad.yaml", header=SATURN)
    with pytest.raises(ScenarioError, match="solved exactly") as e:
        load_scenario(p)
    assert e.value.field == "sweep.losses"


def test_dla_beyond_a_stated_parking_inclination_is_refused(scen):
    header = SATURN.replace("    dla: 40 deg\n", "    parking: {inclination: 30 deg}\n")
    p = scen("sweep:\n  grid:\n    targets[1].dla: [10 deg, 35 deg]\n", name="bad.yaml", header=header)
    with pytest.raises(ScenarioError, match="at most 30 deg in magnitude"):
        load_scenario(p)
