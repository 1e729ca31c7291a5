"""Sweeps over a joint programme: provider assignments and cost options as axes, the cost and the
partners' split per case, cost percentiles from the cost relationships' uncertainty, and the Pareto
front of landed mass against cost per tonne."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jointmission.runners.sweep import run_sweep
from jointmission.scenario import ScenarioError, load_scenario
from sweep_tables import chunk_table, write_scenario

SHIPPED = Path(__file__).resolve().parents[2] / "scenarios" / "sweeps" / "joint_moon_division_of_work.yaml"

HEAD = """\
name: division of work
vehicle:
  catalog: Joint Heavy CN
targets: []
mission:
  architectures: [moon_lor_two_launch]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
programme:
  partners:
    - {name: Russia, country: Russia, share: 50 %}
    - {name: China, country: China, share: 50 %}
"""

SMALL = HEAD + """\
sweep:
  grid:
    mission.launcher: [Joint Heavy CN, Joint Heavy RU]
    programme.providers.elements.crew vehicle: [China, Russia]
    programme.providers.launches.crew: [China, Russia]
  cost_uncertainty: {draws: 64, seed: 7}
  chunk_size: 3
"""

LABEL = "moon_lor_two_launch"


def _table(out: Path):
    return chunk_table(out).to_pandas()


# ------------------------------------------------------------------------------------ validation
@pytest.mark.parametrize("axis, words", [
    ("programme.providers.elements.crew vehicle: [China, Rusia]", ["unknown partner 'Rusia'", "did you mean 'Russia'"]),
    ("programme.providers.elements.crew vehicel: [China, Russia]",
     ["'crew vehicel' is no element or item name", "did you mean 'crew vehicle'"]),
    ("programme.providers.engines.YF-310: [China, Russia]", ["'YF-310' is no engine name", "did you mean 'YF-130'"]),
    ("programme.providers.stage.Second stage: [China, Russia]", ["unknown provider kind 'stage'",
                                                                  "did you mean 'stages'"]),
    ("programme.cost.learnin: [0.85, 0.9]", ["not a sweepable cost option", "programme.cost.learning"]),
    ("programme.cost.learning: [0.85, 1.2]", ["'programme.cost.learning' must be from 0.5 to 1", "got 1.2"]),
    ("programme.cost.missions: [0, 10]", ["is a count"]),
    ("programme.cost.work_year.Chnia: [100000, 200000]", ["unknown partner 'Chnia'", "did you mean 'China'"]),
])
def test_bad_programme_axes_name_file_line_and_path(tmp_path, axis, words):
    path = write_scenario(tmp_path, HEAD + f"sweep:\n  grid:\n    {axis}\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = str(exc.value)
    line = HEAD.count("\n") + 3  # the axis' line in the file
    assert f"s.yaml:{line}" in text and "sweep.grid" in text, text
    for w in words:
        assert w in text, text


def test_programme_axes_need_a_programme_and_a_grid(tmp_path):
    no_prog = HEAD.split("programme:")[0] + "sweep:\n  grid:\n    programme.providers.launches.crew: [China]\n"
    with pytest.raises(ScenarioError, match="no 'programme:' section"):
        load_scenario(write_scenario(tmp_path, no_prog))
    sampled = HEAD + ("sweep:\n  monte_carlo:\n    samples: 4\n    seed: 1\n    parameters:\n"
                      "      programme.providers.launches.crew: {distribution: uniform, low: 0, high: 1}\n")
    with pytest.raises(ScenarioError, match="categorical trade axis"):
        load_scenario(write_scenario(tmp_path, sampled))
    mc = HEAD.split("programme:")[0] + ("sweep:\n  grid:\n    mission.margins.delta_v: [5 %]\n"
                                        "  cost_uncertainty: {draws: 10, seed: 1}\n")
    with pytest.raises(ScenarioError, match="cost percentiles need a 'programme:' section"):
        load_scenario(write_scenario(tmp_path, mc))


def test_cost_options_sample_with_distributions(tmp_path):
    """A cost option is a number: Monte Carlo over the learning factor, every case priced with its value."""
    text = HEAD + ("sweep:\n  monte_carlo:\n    samples: 6\n    seed: 5\n    parameters:\n"
                   "      programme.cost.learning: {distribution: uniform, low: 0.8, high: 0.95}\n")
    out = run_sweep(write_scenario(tmp_path, text), tmp_path / "o").output_dir
    d = _table(out)
    lr = d["programme.cost.learning"].to_numpy()
    cost = d[f"mission_cost_MUSD[{LABEL}]"].to_numpy()
    assert np.all((lr >= 0.8) & (lr <= 0.95))
    # a steeper learning curve (smaller factor) makes the series cheaper: cost rises with the factor
    order = np.argsort(lr)
    assert np.all(np.diff(cost[order]) > 0), (lr[order], cost[order])


# ------------------------------------------------------------------------------------ a run
@pytest.fixture(scope="module")
def small(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prog")
    path = write_scenario(tmp, SMALL)
    return path, run_sweep(path, tmp / "local")


def test_programme_columns_close_and_follow_the_assignments(small):
    _, res = small
    d = _table(res.output_dir)
    assert len(d) == 8
    cost = d[f"mission_cost_MUSD[{LABEL}]"]
    parts = d[f"cost_MUSD[{LABEL}, Russia]"] + d[f"cost_MUSD[{LABEL}, China]"]
    np.testing.assert_allclose(parts, cost, rtol=1e-12)  # the partners' costs add up to the case's
    np.testing.assert_allclose(d[f"cost_share[{LABEL}, Russia]"] + d[f"cost_share[{LABEL}, China]"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(d[f"cost_balance[{LABEL}, Russia]"], d[f"cost_share[{LABEL}, Russia]"] - 0.5,
                               atol=1e-15)
    np.testing.assert_allclose(d[f"cost_per_t_MUSD[{LABEL}]"], cost / d[f"mission_payload_t[{LABEL}]"], rtol=1e-12)
    # handing Russia the crew vehicle moves cost to Russia, never changes the mass landed
    key = ["mission.launcher", "programme.providers.launches.crew"]
    for _, g in d.groupby(key, observed=True):
        g = g.set_index("programme.providers.elements.crew vehicle")
        assert g.loc["Russia", f"cost_share[{LABEL}, Russia]"] > g.loc["China", f"cost_share[{LABEL}, Russia]"]
        assert g.loc["Russia", f"mission_payload_t[{LABEL}]"] == g.loc["China", f"mission_payload_t[{LABEL}]"]
    # all-Chinese launcher, crew vehicle and crew launch: China pays every item
    allcn = d[(d["mission.launcher"] == "Joint Heavy CN") & (d["programme.providers.elements.crew vehicle"] == "China")
              & (d["programme.providers.launches.crew"] == "China")]
    assert float(allcn[f"cost_share[{LABEL}, Russia]"].iloc[0]) == 0.0
    # Russian engines on the launcher: Russia's share is positive whatever else
    assert (d[d["mission.launcher"] == "Joint Heavy RU"][f"cost_share[{LABEL}, Russia]"] > 0.1).all()


def test_programme_column_units_in_metadata(small):
    import pyarrow.parquet as pq

    _, res = small
    f = sorted((res.output_dir / "chunks").glob("chunk-*.parquet"))[0]
    schema = pq.read_schema(f)
    unit = lambda c: schema.field(c).metadata[b"unit"].decode()  # noqa: E731
    assert unit(f"mission_cost_MUSD[{LABEL}]") == "M USD 2024"
    assert unit(f"cost_per_t_MUSD[{LABEL}]") == "M USD 2024/t"
    assert unit(f"mission_cost_MUSD_p80[{LABEL}]") == "M USD 2024"
    assert unit(f"cost_share[{LABEL}, China]") == ""
    import xarray as xr

    with xr.open_dataset(res.output_dir / "results.nc") as ds:  # the grid's cube carries them too
        v = ds["cost_share_moon_lor_two_launch_china"]
        assert v.dims == ("mission_launcher", "programme_providers_elements_crew_vehicle",
                          "programme_providers_launches_crew")
        assert ds["cost_per_t_musd_moon_lor_two_launch"].attrs["units"] == "M USD 2024/t"


def test_default_objectives_are_landed_mass_and_cost_per_tonne(small):
    """Without sweep.objectives a programme sweep's Pareto front is landed mass (max) against cost per
    tonne (min); the front in pareto.parquet is the hand-computed one."""
    _, res = small
    s = res.summary
    assert s["pareto"]["objectives"] == [[f"mission_payload_t[{LABEL}]", "max"], [f"cost_per_t_MUSD[{LABEL}]", "min"]]
    d = _table(res.output_dir)
    m, c = d[f"mission_payload_t[{LABEL}]"].to_numpy(), d[f"cost_per_t_MUSD[{LABEL}]"].to_numpy()
    dominated = [any((m[j] >= m[i]) and (c[j] <= c[i]) and ((m[j] > m[i]) or (c[j] < c[i])) for j in range(len(m)))
                 for i in range(len(m))]
    want = set(d["case"][~np.array(dominated)])
    assert set(res.pareto()["case"]) == want
    assert s["programme"]["money"] == "USD 2024" and s["programme"]["destinations"] == {LABEL: "lunar surface"}


def test_pareto_front_of_a_hand_checked_table():
    """Five cases (landed t, cost per t): (8, 3), (9, 4), (9, 3.5), (10, 5), (7, 2). (9, 4) is beaten by
    (9, 3.5) (same mass, cheaper); the other four trade mass against cost, so they are the front."""
    from jointmission.report.sweep_cases import pareto_front
    from jointmission.runners.analysis import pareto_mask

    def _front(mass, cost):  # the cost report's front: more mass, less cost per tonne, by increasing mass
        return pareto_front(mass, cost, "max", "min")[::-1]

    mass = np.array([8.0, 9.0, 9.0, 10.0, 7.0])
    cpt = np.array([3.0, 4.0, 3.5, 5.0, 2.0])
    mask = pareto_mask(np.column_stack([mass, -cpt]))  # objectives to maximise
    assert mask.tolist() == [True, False, True, True, True]
    assert _front(mass, cpt).tolist() == [4, 0, 2, 3]  # by increasing mass
    # a NaN case (infeasible) is never on the front
    assert 1 not in _front(np.append(mass, np.nan), np.append(cpt, 0.1)).tolist()


# ------------------------------------------------------------------------------------ cost Monte Carlo
def test_cost_percentiles_reproduce_with_the_seed_and_order(small, tmp_path):
    path, res = small
    d = _table(res.output_dir)
    p = [d[f"mission_cost_MUSD_p{q}[{LABEL}]"].to_numpy() for q in (10, 50, 70, 80, 90)]
    assert all(np.all(a < b) for a, b in zip(p[:-1], p[1:]))  # P10 < P50 < P70 < P80 < P90 per case
    again = run_sweep(path, tmp_path / "again")
    assert chunk_table(again.output_dir).equals(chunk_table(res.output_dir))  # same seed: identical table
    other = write_scenario(tmp_path, SMALL.replace("seed: 7", "seed: 8"))
    d8 = _table(run_sweep(other, tmp_path / "seed8").output_dir)
    assert not np.allclose(d8[f"mission_cost_MUSD_p50[{LABEL}]"], d[f"mission_cost_MUSD_p50[{LABEL}]"])
    np.testing.assert_array_equal(d8[f"mission_cost_MUSD[{LABEL}]"], d[f"mission_cost_MUSD[{LABEL}]"])  # the nominal is not drawn


def _tri_median(lo: float, mode: float, hi: float) -> float:
    """Median of triangular(lo, mode, hi) (closed form)."""
    if mode >= (lo + hi) / 2:
        return lo + np.sqrt((hi - lo) * (mode - lo) / 2)
    return hi - np.sqrt((hi - lo) * (hi - mode) / 2)


def test_cost_percentiles_converge_to_the_analytic_median():
    """One relationship: the development cost of one engine is linear in its multiplier, so its P50
    over the run's draws must equal the nominal cost times the median of the multiplier's triangular
    distribution (cost_uncertainty.scale_range: the sourced 95 % interval of the coefficient a, mode 1).
    Tolerance: 4 standard errors of a sample median, 1 / (2 f(median) sqrt(N)) with f the triangular
    density at the median; N = 20,000 draws gives about 0.6 %."""
    from jointmission.programme import cost_uncertainty as cu
    from jointmission.programme.cost_model import CostModel
    from jointmission.runners.sweep_programme import ProgrammeEval

    n = 20_000
    ev = ProgrammeEval(programme=None, model=CostModel(), params=(), pcols=[], vcols=[], mcols=[], vehicle_spec=None,
                       spec=None, labels=[], destinations={}, draws=n, seed=11, percentiles=(50.0,))
    cat = "engine_turbopump_kerosene"
    s = ev.scales()[(cat, "development")]
    model = CostModel()
    nominal = float(model.item_cost(cat, 9300.0, 4, country="Russia").development)
    drawn = model.item_cost(cat, 9300.0, 4, country="Russia", dev_scale=s).development
    lo, hi, sourced = cu.scale_range(cat, "development")
    assert sourced
    med = _tri_median(lo, 1.0, hi)
    f = 2 * (med - lo) / ((hi - lo) * (1.0 - lo)) if med <= 1.0 else 2 * (hi - med) / ((hi - lo) * (hi - 1.0))
    se = 1.0 / (2 * f * np.sqrt(n))
    assert abs(np.percentile(drawn, 50) / nominal - med) < 4 * se, (np.percentile(drawn, 50) / nominal, med, se)
    # the draws are the same for every chunk and backend: a function of (seed, draws) only
    again = ProgrammeEval(**{**ev.__dict__, "_scales": None}).scales()[(cat, "development")]
    np.testing.assert_array_equal(again, s)


def test_case_percentiles_converge_with_the_number_of_draws(tmp_path):
    """A whole case (launcher, stages, engines, lander, crew vehicle, launches): its P50 and P80 from
    500 draws and from 8,000 draws agree within 4 standard errors of the 500-draw estimate (the
    sample standard deviation x 1.25 / sqrt(500) for the median, x 1.4 / sqrt(500) for P80; about
    2 % here), and the nominal (every multiplier at its mode, 1) lies below the median."""
    text = HEAD + ("sweep:\n  grid:\n    programme.providers.launches.crew: [China]\n"
                   "  cost_uncertainty: {draws: DRAWS, seed: 3}\n")
    got = {}
    for n in (500, 8000):
        out = run_sweep(write_scenario(tmp_path, text.replace("DRAWS", str(n))), tmp_path / f"n{n}").output_dir
        got[n] = _table(out).iloc[0]
    a, b = got[500], got[8000]
    spread = (b[f"mission_cost_MUSD_p90[{LABEL}]"] - b[f"mission_cost_MUSD_p10[{LABEL}]"]) / 2.563  # sd of a normal with that P10-P90
    for q, k in ((50, 1.25), (80, 1.4)):
        assert abs(a[f"mission_cost_MUSD_p{q}[{LABEL}]"] - b[f"mission_cost_MUSD_p{q}[{LABEL}]"]) < 4 * k * spread / np.sqrt(500)
    # every multiplier's mode is 1 and its interval reaches further up than down (e.g. 0.70-1.40 for
    # engine development), so the case's median lies above its nominal cost
    assert b[f"mission_cost_MUSD[{LABEL}]"] < b[f"mission_cost_MUSD_p50[{LABEL}]"] < b[f"mission_cost_MUSD_p90[{LABEL}]"]


# ------------------------------------------------------------------------------------ identity
@pytest.mark.slow
def test_provider_sweep_identical_locally_and_on_dask(small, tmp_path):
    """The sweep over provider assignments (x the launcher, with cost percentiles) on ``--dask local:2``
    gives the local table and summary."""
    from jointmission.runners.dask_backend import open_client

    path, local = small
    client, cluster = open_client("local:2")
    try:
        dist = run_sweep(path, tmp_path / "dask", dask=client)
    finally:
        client.close()
        cluster.close()
    assert dist.summary["timing"]["backend"].startswith("dask (2 workers")
    assert chunk_table(local.output_dir).num_rows == 8
    assert chunk_table(local.output_dir).equals(chunk_table(dist.output_dir))
    s_local = json.loads(json.dumps(local.summary))
    s_dask = json.loads((dist.output_dir / "summary.json").read_text())
    for s in (s_local, s_dask):
        s.pop("timing"), s.pop("files")
    assert s_local == json.loads(json.dumps(s_dask))


def test_killed_provider_sweep_resumes_bit_identical(small, tmp_path):
    """Stopped after one chunk (as a killed run leaves it), a corrupted chunk on disk, then resumed:
    the table equals the uninterrupted run's, bit for bit."""
    from jointmission.io.chunks import load_manifest

    path, full = small
    out = tmp_path / "part"
    part = run_sweep(path, out, stop_after=2)
    assert not part.summary["complete"]
    man = load_manifest(out)
    f = out / man["chunks"]["1"]["file"]
    f.write_bytes(f.read_bytes()[:-10] + b"0123456789")  # a corrupted chunk is recomputed, not trusted
    done = run_sweep(path, out, resume=True)
    assert done.summary["timing"]["chunks_computed_now"] == 2  # chunks 1 and 2 of 0..2
    assert chunk_table(out).equals(chunk_table(full.output_dir))


# ------------------------------------------------------------------------------------ shipped
def test_shipped_division_of_work_scenario_loads():
    s = load_scenario(SHIPPED)
    paths = [p.path for p in s.sweep.params]
    assert "mission.launcher" in paths and sum(p.startswith("programme.providers.") for p in paths) == 4
    assert s.sweep.n_cases == 32 and s.sweep.cost_draws > 0


@pytest.mark.slow
def test_shipped_division_of_work_cli_end_to_end(tmp_path):
    """``jointmission run`` on the shipped trade: exit 0, the programme figures and report section;
    the Russian-engine launcher lands more per mission, the all-Chinese one is cheapest per tonne."""
    from jointmission.cli import main

    out = tmp_path / "dow"
    assert main(["run", str(SHIPPED), "-o", str(out)]) == 0
    for name in ("pareto_cost.png", "cost_split.png", "report.md", "report.html", "pareto.parquet"):
        assert (out / name).is_file(), name
    md = (out / "report.md").read_text()
    assert "## Programme: cost and division of work" in md and "P80 cost/t" in md and "By category" in md
    assert "Cost per mission of the front's cases" in md
    d = _table(out)
    lab = "moon_lor_two_launch"
    by = d.groupby("mission.launcher", observed=True)
    assert by[f"mission_payload_t[{lab}]"].mean()["Joint Heavy RU"] > by[f"mission_payload_t[{lab}]"].mean()["Joint Heavy CN"]
    cheapest = d.loc[d[f"cost_per_t_MUSD[{lab}]"].idxmin()]
    assert cheapest["mission.launcher"] == "Joint Heavy CN"


def test_launch_site_axis_moves_the_default_launch_provider(tmp_path):
    """Without a launch assignment, a launch is provided by the partner operating its site: flying
    from Baikonur hands Russia the launches (and the elements they carry) that Wenchang gives China."""
    text = HEAD + "sweep:\n  grid:\n    mission.launch_site: [Wenchang, Baikonur]\n"
    d = _table(run_sweep(write_scenario(tmp_path, text), tmp_path / "o").output_dir).set_index("mission.launch_site")
    share = d[f"cost_share[{LABEL}, Russia]"]
    assert share["Baikonur"] > share["Wenchang"] + 0.1, share


def test_objectives_select_a_partners_cost_share(tmp_path):
    """sweep.objectives may name any programme column: landed mass (max) against Russia's cost share
    (min) gives the front of those two, checked against the cases by hand; an unknown partner column is
    refused with the result columns listed."""
    text = HEAD + ("sweep:\n  grid:\n    mission.launcher: [Joint Heavy CN, Joint Heavy RU]\n"
                   "    programme.providers.elements.crew vehicle: [China, Russia]\n"
                   "  objectives:\n"
                   "    mission_payload_t[moon_lor_two_launch]: max\n"
                   "    cost_share[moon_lor_two_launch, Russia]: min\n")
    res = run_sweep(write_scenario(tmp_path, text), tmp_path / "o")
    d = _table(res.output_dir)
    m, c = d[f"mission_payload_t[{LABEL}]"].to_numpy(), d[f"cost_share[{LABEL}, Russia]"].to_numpy()
    keep = [not any(m[j] >= m[i] and c[j] <= c[i] and (m[j] > m[i] or c[j] < c[i]) for j in range(len(m)))
            for i in range(len(m))]
    assert set(res.pareto()["case"]) == set(d["case"][np.array(keep)])
    assert res.summary["pareto"]["objectives"][1] == [f"cost_share[{LABEL}, Russia]", "min"]
    from jointmission.runners.sweep import SweepError

    bad = write_scenario(tmp_path, text.replace(", Russia]: min", ", Rusia]: min"))
    with pytest.raises(SweepError, match=r"unknown column 'cost_share\[moon_lor_two_launch, Rusia\]'"):
        run_sweep(bad, tmp_path / "bad")


def test_a_sweep_case_costs_what_the_single_run_ledger_says(tmp_path):
    """The sweep prices a case as the single run's ledger (partners.parquet) does: a one-case sweep
    assigning the crew launch to Russia against the single run with that assignment in the scenario.
    Tolerance 1e-5: the sweep's launcher payload is its own full solve (agreeing with the single run's
    capability within the payload iteration's 2e-6), and the masses priced follow the payload."""
    from jointmission.runners.mission import evaluate_mission

    swept = load_scenario(write_scenario(tmp_path, HEAD + "sweep:\n  grid:\n    programme.providers.launches.crew: [Russia]\n"))
    d = _table(run_sweep(swept, tmp_path / "o").output_dir).iloc[0]
    single = load_scenario(write_scenario(tmp_path, HEAD + "  providers: {launches: {crew: Russia}}\n"))
    rows = {r["partner"]: r for r in evaluate_mission(single).partner_rows}
    for p in ("Russia", "China"):
        assert d[f"cost_MUSD[{LABEL}, {p}]"] == pytest.approx(rows[p]["cost_MUSD"], rel=1e-5)
        assert d[f"cost_share[{LABEL}, {p}]"] == pytest.approx(rows[p]["cost_share"], rel=1e-5)
    assert d[f"cost_per_t_MUSD[{LABEL}]"] == pytest.approx(rows["Russia"]["cost_per_t_MUSD"], rel=1e-5)


def test_shipped_division_of_work_runs_on_a_few_cases(tmp_path):
    """The shipped trade itself (its vehicle, mission, programme and cost draws), cut to two cases on its
    launcher axis and 16 draws so it runs in seconds: every programme column is filled and the
    partners' costs add up."""
    import yaml

    doc = yaml.safe_load(SHIPPED.read_text())
    grid = doc["sweep"]["grid"]
    doc["sweep"]["grid"] = {k: (v if k == "mission.launcher" else v[:1]) for k, v in grid.items()}
    doc["sweep"]["cost_uncertainty"]["draws"] = 16
    res = run_sweep(write_scenario(tmp_path, yaml.safe_dump(doc, sort_keys=False)), tmp_path / "o")
    d = _table(res.output_dir)
    assert len(d) == 2 and set(d["mission.launcher"]) == {"Joint Heavy CN", "Joint Heavy RU"}
    prog = [c for c in d.columns if c.startswith(("cost_", "mission_cost_"))]
    assert len(prog) == 2 + 3 * 2 + 5 * (2 + 2)  # per case, per partner, and the 5 percentiles
    assert np.isfinite(d[prog].to_numpy()).all()
    np.testing.assert_allclose(d[f"cost_MUSD[{LABEL}, Russia]"] + d[f"cost_MUSD[{LABEL}, China]"],
                               d[f"mission_cost_MUSD[{LABEL}]"], rtol=1e-12)
