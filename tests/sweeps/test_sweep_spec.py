"""The ``sweep:`` section: parsing, units, lazy case generation, located errors (file:line:path)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from jointmission.scenario import ScenarioError, load_scenario
from jointmission.scenario.sweep_spec import RNG_BLOCK


def test_grid_lists_and_ranges_with_units(scen):
    s = load_scenario(scen("""
        sweep:
          grid:
            vehicle.boosters.count: [2, 4]
            vehicle.stages[0].engine.isp_vac: {start: 320 s, stop: 330 s, step: 5 s}
            vehicle.stages[1].m_dry: {start: 55, stop: 65000 kg, num: 3}
        """))
    sw = s.sweep
    assert sw.kind == "grid" and sw.shape == (2, 3, 3) and sw.n_cases == 18
    np.testing.assert_allclose(sw.axes[1], [320, 325, 330])
    np.testing.assert_allclose(sw.axes[2], [55e3, 60e3, 65e3])  # bare number = t, like overrides
    v = sw.case_values(0, 18)
    assert v.shape == (18, 3)
    # first path slowest, last fastest (C order), and any slice equals the same rows of the whole
    np.testing.assert_allclose(v[:4, 2], [55e3, 60e3, 65e3, 55e3])
    np.testing.assert_allclose(sw.case_values(5, 11), v[5:11])
    assert [p.nominal for p in sw.params] == [4.0, pytest.approx(333.5), pytest.approx(60.1e3)]


def test_zip_and_unequal_lengths(scen):
    s = load_scenario(scen("""
        sweep:
          zip:
            vehicle.stages[1].m_prop: [300 t, 340 t]
            vehicle.stages[1].m_dry: [30, 36]
        """))
    np.testing.assert_allclose(s.sweep.case_values(0, 2), [[300e3, 30e3], [340e3, 36e3]])
    with pytest.raises(ScenarioError) as e:
        load_scenario(scen("""
            sweep:
              zip:
                vehicle.stages[1].m_prop: [300 t, 340 t]
                vehicle.stages[1].m_dry: [30]
            """, name="bad.yaml"))
    assert e.value.line == 12 and "equal lengths" in e.value.reason
    assert e.value.field == "sweep.zip.vehicle.stages[1].m_dry"


def test_monte_carlo_independent_of_chunking_and_reproducible(scen):
    s = load_scenario(scen("""
        sweep:
          monte_carlo:
            samples: 150000
            seed: 7
            parameters:
              vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 3 s}
              vehicle.stages[1].m_dry: {distribution: triangular, low: 58 t, high: 66 t}
              vehicle.stages[2].m_dry: {distribution: uniform, low: 24 t, high: 28 t}
              vehicle.boosters.m_dry: {distribution: lognormal, sigma: 0.05}
        """))
    sw = s.sweep
    whole = sw.case_values(0, sw.n_cases)
    # any split (across generation blocks too) gives the same rows
    for lo, hi in [(0, 1), (RNG_BLOCK - 3, RNG_BLOCK + 5), (100_000, 150_000)]:
        np.testing.assert_array_equal(sw.case_values(lo, hi), whole[lo:hi])
    assert np.array_equal(load_scenario(s.path).sweep.case_values(10, 20), whole[10:20])
    isp, m1, m2, mb = whole.T
    assert isp.mean() == pytest.approx(333.5, abs=0.05) and isp.std() == pytest.approx(3.0, rel=0.02)
    assert m1.min() >= 58e3 and m1.max() <= 66e3 and m2.min() >= 24e3 and m2.max() <= 28e3
    # triangular mode defaults to the catalog value (60.1 t): KS test against scipy's distribution
    c = (60.1e3 - 58e3) / 8e3
    assert stats.kstest(m1, stats.triang(c, loc=58e3, scale=8e3).cdf).pvalue > 1e-3
    assert np.median(mb) == pytest.approx(78.3e3, rel=2e-3)
    assert np.log(mb).std() == pytest.approx(0.05, rel=0.02)


def test_lhs_is_a_latin_hypercube(scen):
    s = load_scenario(scen("""
        sweep:
          lhs:
            samples: 200
            seed: 3
            parameters:
              vehicle.stages[0].engine.isp_vac: {distribution: uniform, low: 320 s, high: 340 s}
              vehicle.stages[2].m_dry: {distribution: uniform, low: 24 t, high: 28 t}
        """))
    v = s.sweep.case_values(0, 200)
    for j, (lo, hi) in enumerate([(320, 340), (24e3, 28e3)]):
        strata = np.floor((v[:, j] - lo) / (hi - lo) * 200).astype(int)
        assert sorted(strata) == list(range(200))  # exactly one sample per stratum


@pytest.mark.parametrize("sweep, line, field, words", [
    ("""
     sweep:
       grid:
         vehicle.stages[0].engine.isp_vacuum: [300, 310]
     """, 11, "sweep.grid.vehicle.stages[0].engine.isp_vacuum", "did you mean 'isp_vac'"),
    ("""
     sweep:
       grid:
         vehicle.stages[5].m_dry: [30, 40]
     """, 11, "sweep.grid.vehicle.stages[5].m_dry", "index 5 is out of range"),
    ("""
     sweep:
       grid:
         vehicle.name: [a, b]
     """, 11, "sweep.grid.vehicle.name", "not a sweepable number"),
    ("""
     sweep:
       grid:
         rocket.stages[0].m_dry: [30, 40]
     """, 11, "sweep.grid.rocket.stages[0].m_dry", "unknown parameter path"),
    ("""
     sweep:
       grid:
         vehicle.stages[0].engine.isp_vac: [311 s, 320 km]
     """, 11, "sweep.grid.vehicle.stages[0].engine.isp_vac[1]", "cannot be converted"),
    ("""
     sweep:
       grid:
         vehicle.stages[1].m_dry: [30, -4]
     """, 11, "sweep.grid.vehicle.stages[1].m_dry", "must be positive"),
    ("""
     sweep:
       grid:
         vehicle.boosters.count: [2, 2.5]
     """, 11, "sweep.grid.vehicle.boosters.count[1]", "integers"),
    ("""
     sweep:
       monte_carlo:
         samples: 10
         seed: 1
         parameters:
           vehicle.boosters.count: {distribution: normal, std: 1}
     """, 14, "sweep.monte_carlo.parameters.vehicle.boosters.count", "grid' or 'zip'"),
    ("""
     sweep:
       monte_carlo:
         samples: 10
         seed: 1
         parameters:
           vehicle.stages[0].m_dry: {distribution: gaussian, std: 1}
     """, 14, "sweep.monte_carlo.parameters.vehicle.stages[0].m_dry.distribution", "normal"),
    ("""
     sweep:
       monte_carlo:
         samples: 10
         seed: 1
         parameters:
           vehicle.stages[0].m_dry: {distribution: normal, sdev: 1}
     """, 14, "sweep.monte_carlo.parameters.vehicle.stages[0].m_dry.sdev", "unknown key 'sdev'"),
    ("""
     sweep:
       grid:
         vehicle.stages[0].m_dry: [100, 120]
       lhs: {samples: 3, seed: 1, parameters: {"vehicle.stages[0].m_dry": {distribution: uniform, low: 1, high: 2}}}
     """, 12, "sweep.lhs", "exactly one of grid"),
    ("""
     sweep:
       grid:
         vehicle.stages[0].m_dry: [100, 120]
       objectives: {"payload_t[LEO]": max, mass: min}
     """, 12, "sweep.objectives.mass", "unknown objective column"),
    ("""
     sweep:
       grid:
         mission.margins.dv: [0.05, 0.1]
     """, 11, "sweep.grid.mission.margins.dv", "no 'mission:' section"),
])
def test_bad_sweeps_name_file_line_and_path(scen, sweep, line, field, words):
    p = scen(sweep, name="bad.yaml")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    err = e.value
    assert err.file.endswith("bad.yaml") and err.line == line, str(err)
    assert err.field == field, str(err)
    assert words in err.reason, str(err)


def test_cli_check_and_run_exit_2_on_bad_sweep(scen, tmp_path, capsys):
    from jointmission.cli import main

    p = scen("""
        sweep:
          grid:
            vehicle.stages[0].engine.isp_vacuum: [300, 310]
        """, name="bad.yaml")
    for argv in (["check", str(p)], ["run", str(p), "-o", str(tmp_path / "out")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "bad.yaml:11: sweep.grid.vehicle.stages[0].engine.isp_vacuum:" in err
        assert "Traceback" not in err
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_shipped_sweep_scenarios_load():
    from pathlib import Path

    files = sorted((Path(__file__).resolve().parents[2] / "scenarios" / "sweeps").glob("*.yaml"))
    assert len(files) >= 2
    for f in files:
        assert load_scenario(f).sweep is not None


def test_cli_sweep_options_are_checked(scen, tmp_path, capsys):
    from pathlib import Path

    from jointmission.cli import main

    sweep = scen("""
        sweep:
          grid:
            vehicle.stages[2].m_dry: [24, 26]
        """)
    assert main(["run", str(sweep), "--no-write"]) == 2
    assert "drop --no-write" in capsys.readouterr().err
    plain = Path(__file__).resolve().parents[2] / "scenarios" / "joint_heavy_lift.yaml"
    assert main(["run", str(plain), "-o", str(tmp_path / "p"), "--resume"]) == 2
    assert "apply to scenarios with a 'sweep:' section" in capsys.readouterr().err
    assert main(["run", str(sweep), "-o", str(tmp_path / "s"), "--dask", "tcp:/nowhere"]) == 2
    assert "expected 'local:N'" in capsys.readouterr().err
