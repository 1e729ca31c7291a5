"""Every report figure decodes as a PNG and carries its title and axis labels, with units; each
figure's content is checked against the numbers it was drawn from."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from jointmission.report.figures import FigureImage
from jointmission.report.mission_plots import landed_mass_figure, mass_waterfall_figure, waterfall_steps
from jointmission.report.run_plots import PayloadCurves, dv_budget_figure, payload_curves_figure
from jointmission.report.sweep_plots import pareto_front
from jointmission.runners.mission import MissionOutcome


def check_image(f: FigureImage, *, units: bool = True) -> Image.Image:
    """The PNG decodes (fully), is a sensible size, and the figure has a title and, on every data
    Axes, an x and a y label; with ``units``, each label names a unit in brackets or is a count."""
    assert f is not None
    im = Image.open(io.BytesIO(f.png))
    im.load()
    assert im.format == "PNG" and im.size[0] >= 600 and im.size[1] >= 250
    assert f.title.strip()
    assert f.xlabels and all(x.strip() for x in f.xlabels), f.xlabels
    assert f.ylabels and all(y.strip() for y in f.ylabels), f.ylabels
    if units:
        for lab in f.xlabels + f.ylabels:
            assert "[" in lab or "(UTC)" in lab or lab in ("target", "architecture", "step") or lab.startswith("parameter"), lab
    return im


def _row(target, **dv):
    r = {"target": target, "payload_t": 10.0}
    r.update({f"dv_{k}_km_s": v for k, v in dv.items()})
    return r


def test_dv_budget_figure_draws_each_term_and_the_required_total():
    rows = [_row("LEO", required=9.085, orbit=7.784, rotation=0.438, gravity=1.402, drag=0.036, steering=0.231,
                 back_pressure=0.070),
            _row("TLI", required=11.953, orbit=7.784, rotation=0.438, gravity=1.319, drag=0.039, steering=0.026,
                 back_pressure=0.069, departure=3.154)]
    f = dv_budget_figure(rows, "Test vehicle")
    check_image(f)
    assert f.name == "dv_budget" and "Test vehicle" in f.title
    assert f.xlabels == ("delta-v [km/s]",)
    assert dv_budget_figure([]) is None


def _curve(axis, x, payload_t, vehicle):
    from jointmission.vehicles.curve import Curve

    x = np.asarray(x, dtype=float)
    return Curve(axis=axis, values=x, payload_kg=np.asarray(payload_t) * 1e3, status=np.zeros(x.size, np.int8),
                 budget={}, liftoff_tw=np.full(x.size, 1.4), vehicle=vehicle, latitude_rad=0.5, inclination_rad=0.5,
                 parking_alt_m=185e3 if axis == "c3" else math.nan)


def test_payload_curves_figure_overlays_published_points():
    from jointmission.vehicles.published import PublishedCurve

    def pc(name, k):
        return PayloadCurves(name, _curve("c3", [-5e6, 0.0, 10e6], np.array([50.0, 45.0, 35.0]) * k, name),
                             _curve("altitude", [200e3, 1000e3], np.array([150.0, 130.0]) * k, name),
                             (PublishedCurve(name, "c3", np.array([-1.9e6]), np.array([48.6e3]), "NASA, 1973", "NASA"),)
                             if k == 1 else ())

    f = payload_curves_figure([pc("Vehicle A", 1.0), pc("Vehicle B", 0.9)])
    check_image(f)
    assert f.xlabels[0].startswith("C3 [km²/s²]") and f.xlabels[1].startswith("circular-orbit altitude [km]")
    assert f.ylabels == ("payload [t]", "payload [t]")


@pytest.mark.slow
def test_payload_curves_of_a_catalog_vehicle_carry_its_published_figures():
    import jointmission as jm
    from jointmission.report.run_plots import payload_curves

    c = payload_curves(jm.get_vehicle("Saturn V"), c3_km2_s2=[-2.0, 0.0], altitude_km=[170.0, 400.0])
    assert c.vehicle == "Saturn V" and c.c3.vehicle == "Saturn V"
    # the catalog's Apollo 17 figures: 48.6 t at C3 -1.9 km2/s2 and 141.1 t at 169-171 km
    pts = {(p.axis, round(float(p.values[0]) / (1e6 if p.axis == "c3" else 1e3), 1), float(p.payload_kg[0]) / 1e3)
           for p in c.published}
    assert ("c3", -1.9, 48.6) in pts and ("altitude", 170.0, 141.1) in pts
    assert np.all(np.diff(c.c3.payload_kg) < 0)  # payload falls with C3


def test_payload_curves_find_published_curves_by_catalog_key_not_display_name():
    """SLS Block 1B's display name ('Space Launch System Block 1B (...)') is not its catalog key; its
    Mission Planner's Guide curve (published_curves.yaml, filed under the key) is still overlaid, labelled
    with the short name; a vehicle of the scenario's own (renamed) gets none of it."""
    import dataclasses

    import jointmission as jm
    from jointmission.report.run_plots import payload_curves

    v = jm.get_vehicle("SLS Block 1B")
    c = payload_curves(v, c3_km2_s2=[0.0, 10.0], altitude_km=[200.0, 400.0])
    curves = [p for p in c.published if p.authority == "nasa_program"]
    assert len(curves) == 1 and curves[0].vehicle == c.vehicle == "Space Launch System Block 1B"
    assert curves[0].payload_kg[0] == 36739.0  # C3 0, the guide's first point
    own = payload_curves(dataclasses.replace(v, name="My heavy lifter"), c3_km2_s2=[0.0], altitude_km=[200.0])
    assert not [p for p in own.published if p.authority]


def _mission_row(launcher, arch, payload, delivered, propellant, boiloff, launches=1.0, status="ok"):
    return {"launcher": launcher, "architecture": arch, "window": "", "capture": "", "status": status,
            "payload_t": payload, "delivered_t": delivered, "propellant_t": propellant, "boiloff_t": boiloff,
            "launches": launches}


def test_waterfall_closes_from_launched_to_landed():
    # the flagship's moon_direct case (CN engines): 49.77 t at TLI, 24.70 t burned, 0.20 t boiled off,
    # 16.79 t landed; the rest (8.07 t) is the descent stage's dry mass
    steps = waterfall_steps(_mission_row("CN", "moon_direct", 16.794, 49.768, 24.696, 0.205))
    assert [s for s, _ in steps] == ["launched", "propellant burned", "boil-off", "hardware not landed", "payload landed"]
    assert math.isclose(sum(v for _, v in steps[:-1]), steps[-1][1], abs_tol=1e-12)
    assert steps[3][1] == pytest.approx(-8.073, abs=1e-3)
    assert waterfall_steps(_mission_row("CN", "moon_direct", None, None, None, None, status="infeasible")) is None


def _outcome():
    rows = [_mission_row("CN", "moon_direct", 16.8, 49.8, 24.7, 0.2),
            _mission_row("RU", "moon_direct", 17.5, 51.6, 25.6, 0.2),
            _mission_row("CN", "moon_lor_two_launch", 8.8, 80.1, 42.6, 0.3, 2.0),
            _mission_row("RU", "moon_lor_two_launch", None, None, None, None, status="infeasible")]
    return MissionOutcome(rows=rows, columns=list(rows[0]), launchers=["CN", "RU"], variants=[])


def test_mass_waterfall_and_landed_mass_figures():
    out = _outcome()
    f = mass_waterfall_figure(out)
    check_image(f)
    assert "CN" in f.title and len(f.xlabels) == 2  # one panel per feasible architecture of the first launcher
    g = landed_mass_figure(out)
    check_image(g)
    assert g.xlabels == ("payload landed [t]",)


def test_pareto_front_of_two_objectives():
    a = np.array([1.0, 2.0, 3.0, 2.5, np.nan, 0.5])   # maximise
    b = np.array([1.0, 2.0, 4.0, 1.5, 0.1, 0.2])      # minimise
    front = pareto_front(a, b, "max", "min")
    assert sorted(front.tolist()) == [0, 2, 3, 5]  # 1 (2, 2.0) is beaten by 3 (2.5, 1.5); NaN never on it


@pytest.fixture(scope="module")
def small_porkchop():
    import jointmission as jm
    from jointmission.interplanetary.optimum import optima

    ds = jm.porkchop("earth", "mars", ("2033-02-01", "2033-07-15"), ("2033-09-01", "2034-05-31"), step_days=8.0)
    return ds, optima(ds, "c3")


def test_porkchop_figure_has_colorbar_dla_and_type_wording(small_porkchop):
    from jointmission.report.figures import render
    from jointmission.report.porkchop_plot import porkchop_figure

    ds, best = small_porkchop
    fig = porkchop_figure(ds, best)
    cbars = [a for a in fig.axes if a.get_label() == "<colorbar>"]
    assert len(cbars) == 1 and "C3 [km²/s²]" in cbars[0].get_ylabel()
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "Type I optimum" in legend and "Type II optimum" in legend and "Type 1" not in legend
    assert "DLA [deg]" in legend
    ax = fig.axes[0]
    assert min(t.get_fontsize() for t in ax.texts) >= 8  # contour labels (were 6 pt)
    assert min(t.get_fontsize() for t in ax.get_xticklabels()) >= 9
    f = render(fig, "porkchop")
    im = check_image(f)
    assert f.xlabels[0] == "departure date (UTC)" and f.ylabels[0] == "arrival date (UTC)"
    assert im.size[0] >= 1000


def test_pareto_front_keeps_margins_at_or_above_nominal(tmp_path):
    # a made-up sweep: payload rises as the delta-v margin falls; a front over every case would pick
    # the 0 % margin cases; the report's front keeps the nominal 5 % (or more)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from jointmission.report.sweep_plots import _pareto, front_at_nominal_margins

    boosters = np.repeat([2.0, 4.0, 6.0], 3)
    margin = np.tile([0.0, 0.05, 0.10], 3)
    payload = 5.0 * boosters * (1.0 - 2.0 * margin)
    liftoff = 1000.0 + 500.0 * boosters
    (tmp_path / "chunks").mkdir()
    pq.write_table(pa.table({"mission_payload_t[moon_direct]": payload, "liftoff_mass_t": liftoff,
                             "mission.margins.delta_v": margin}), tmp_path / "chunks" / "chunk-000000.parquet")
    summary = {"pareto": {"objectives": [["mission_payload_t[moon_direct]", "max"], ["liftoff_mass_t", "min"]],
                          "size": 3},
               "parameters": [{"path": "mission.margins.delta_v", "unit": "", "nominal": 0.05},
                              {"path": "vehicle.boosters.count", "unit": "", "nominal": 4.0}]}
    got = front_at_nominal_margins(tmp_path, summary)
    assert sorted(margin[got["front"]].tolist()) == [0.05, 0.05, 0.05]
    unrestricted = pareto_front(payload, liftoff, "max", "min")
    assert 0.0 in margin[unrestricted]  # what the rule prevents
    check_image(_pareto(tmp_path, summary, tmp_path / "pareto.png"), units=False)


def test_pareto_figure_is_not_drawn_when_no_case_is_feasible(tmp_path):
    """Every case infeasible (payload NaN, e.g. a C3 out of reach): there is no front, and an empty
    scatter on axes from -0.04 to 0.04 says nothing; no pareto.png is drawn (the report says 0 cases)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from jointmission.report.sweep_plots import _pareto

    (tmp_path / "chunks").mkdir()
    pq.write_table(pa.table({"payload_t[C]": [np.nan, np.nan], "liftoff_mass_t": [1400.0, 1401.0]}),
                   tmp_path / "chunks" / "chunk-000000.parquet")
    summary = {"pareto": {"objectives": [["payload_t[C]", "max"], ["liftoff_mass_t", "min"]], "size": 0},
               "parameters": [{"path": "vehicle.stages[1].m_dry", "unit": "t", "nominal": 3.9}]}
    assert _pareto(tmp_path, summary, tmp_path / "pareto.png") is None
    assert not (tmp_path / "pareto.png").exists()


def _mc_folder(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(1)
    payload = rng.normal(150.0, 3.0, 5000)
    (tmp_path / "chunks").mkdir()
    pq.write_table(pa.table({"payload_t[LEO]": payload}), tmp_path / "chunks" / "chunk-000000.parquet")
    counts, edges = np.histogram(payload, bins=40)
    entry = {"cases": 5000, "ok": 5000, "mean": float(payload.mean()), "std": float(payload.std()),
             "percentiles": {k: float(np.percentile(payload, q)) for k, q in (("p5", 5), ("p50", 50), ("p95", 95))},
             "histogram": {"counts": counts.tolist(), "edges": edges.tolist()},
             "sensitivity": [{"parameter": "vehicle.stages[1].engine.isp_vac", "low": 449.0, "high": 457.0,
                              "swing": 3.2, "slope_per_unit": 0.4, "src": 0.6, "spearman": 0.6},
                             {"parameter": "mission.margins.delta_v", "low": 0.0, "high": 0.1,
                              "swing": -2.0, "slope_per_unit": -20.0, "src": -0.3, "spearman": -0.3}],
             "linear_fit_r2": 0.99}
    summary = {"parameters": [{"path": "vehicle.stages[1].engine.isp_vac", "unit": "s", "nominal": 453.0},
                              {"path": "mission.margins.delta_v", "unit": "", "nominal": 0.05}]}
    return entry, summary


def test_distribution_figure_marks_the_nominal(tmp_path):
    from jointmission.report.sweep_plots import _distribution

    entry, _ = _mc_folder(tmp_path)
    f = _distribution(tmp_path, entry, "LEO", tmp_path / "hist_leo.png", nominal=152.0)
    check_image(f, units=False)
    assert f.xlabels == ("payload [t], LEO", "payload [t], LEO")
    assert f.ylabels == ("cases per bin", "cases with less payload [%]")
    assert (tmp_path / "hist_leo.png").is_file()


def test_tornado_spans_low_to_high_around_the_nominal_with_units(tmp_path):
    from jointmission.report.sweep_plots import _tornado

    entry, summary = _mc_folder(tmp_path)
    f = _tornado(entry, "LEO", tmp_path / "tornado_leo.png", summary, nominal=150.5)
    check_image(f)
    assert "nominal 150.50 t" in f.xlabels[0] and "[t]" in f.xlabels[0]
    # the bars: nominal + slope x (value - nominal value): 150.5 + 0.4 x (449 - 453) = 148.9 to 152.1;
    # the margin, a fraction, in %: 150.5 - 20 x (0 - 0.05) = 151.5 at 0 %, 149.5 at 10 %
    from jointmission.report.sweep_plots import tornado_bars

    centre, name, bars = tornado_bars(entry, summary, 150.5)
    assert (centre, name) == (150.5, "nominal")
    isp, margin = bars[1], bars[0]  # largest swing last (drawn on top)
    assert isp["parameter"].endswith("isp_vac") and isp["unit"] == "s"
    assert isp["at_low"] == pytest.approx(148.9) and isp["at_high"] == pytest.approx(152.1)
    assert (margin["low"], margin["high"], margin["unit"]) == (0.0, 10.0, "%")
    assert margin["at_low"] == pytest.approx(151.5) and margin["at_high"] == pytest.approx(149.5)
    assert tornado_bars(entry, summary, None)[:2] == (pytest.approx(entry["mean"]), "mean")


def test_objective_labels_name_the_unit_and_the_direction():
    from jointmission.report.sweep_plots import objective_label

    assert objective_label("payload_t[LEO 200 km]", "max") == "payload [t], LEO 200 km (higher is better)"
    assert objective_label("liftoff_mass_t", "min") == "lift-off mass [t] (lower is better)"
    assert objective_label("mission_payload_t[moon_direct]") == "payload landed [t], moon_direct"
