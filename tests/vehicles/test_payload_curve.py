"""``jm.payload_curve``: an xarray Dataset over C3 or altitude that equals point-by-point payload
calls, accepts astropy Quantities, and flags points outside the field limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

import jointmission as jm
from jointmission.core.status import Status

# The payload iteration stops at 1e-6 relative change (vehicles.performance, rtol); a point solved
# alone or inside an array may stop on either side of the root, so the two agree to a few times that.
POINTWISE_RTOL = 1e-5


@pytest.fixture(scope="module")
def saturn():
    return jm.get_vehicle("Saturn V")


@pytest.fixture(scope="module")
def c3_curve(saturn):
    return jm.payload_curve(saturn, c3=np.array([-2.0, 10.0, 40.0]) * 1e6)


def test_c3_curve_equals_point_by_point_calls(saturn, c3_curve):
    for c3, payload in zip(c3_curve.c3.values, c3_curve.payload.values):
        one = jm.payload_to_c3(saturn, float(c3))
        assert payload == pytest.approx(float(one.payload_kg), rel=POINTWISE_RTOL)


def test_altitude_curve_equals_point_by_point_calls(saturn):
    alts = np.array([200e3, 1000e3])
    ds = jm.payload_curve("Saturn V", altitude=alts, inclination=math.radians(32.5))
    for h, payload, drag in zip(alts, ds.payload.values, ds.dv_drag.values):
        one = jm.payload_to_orbit(saturn, h, inclination_rad=math.radians(32.5))
        assert payload == pytest.approx(float(one.payload_kg), rel=POINTWISE_RTOL)
        assert drag == pytest.approx(float(one.dv_drag), rel=1e-3, abs=0.5)  # m/s, at the converged payload
    assert ds.attrs["inclination_rad"] == pytest.approx(math.radians(32.5))


def test_dataset_shape_units_and_loss_terms(c3_curve):
    ds = c3_curve
    assert ds.payload.dims == ("c3",) and ds.sizes["c3"] == 3
    assert ds.payload.attrs["units"] == "kg" and ds.c3.attrs["units"] == "m2/s2"
    assert ds.status.dtype == np.int8 and (ds.status.values == Status.OK).all()
    for k in ("dv_gravity", "dv_drag", "dv_steering", "dv_back_pressure", "dv_finite_burn", "dv_dogleg",
              "dv_losses", "dv_required"):
        assert ds[k].attrs["units"] == "m/s"
    total = sum(ds[k] for k in ("dv_gravity", "dv_drag", "dv_steering", "dv_back_pressure", "dv_finite_burn",
                                "dv_dogleg"))
    np.testing.assert_allclose(ds.dv_losses.values, total.values)
    assert np.all(np.diff(ds.payload.values) < 0)  # payload falls with energy


def test_quantities_are_converted_once(c3_curve):
    u = pytest.importorskip("astropy.units")
    ds = jm.payload_curve("Saturn V", c3=[-2.0, 10.0, 40.0] * u.km**2 / u.s**2, parking_altitude=185 * u.km)
    np.testing.assert_allclose(ds.payload.values, c3_curve.payload.values, rtol=1e-12)
    with pytest.raises(jm.UnitError, match="c3"):
        jm.payload_curve("Saturn V", c3=[1.0] * u.km)


def test_points_outside_the_field_limits_are_invalid_targets():
    ds = jm.payload_curve("Falcon Heavy", altitude=[100e3, 300e3])  # 100 km: below the 120 km limit
    assert ds.status.values.tolist() == [Status.INVALID_TARGET, Status.OK]
    assert np.isnan(ds.payload.values[0]) and ds.payload.values[1] > 0
    assert ds.status_text.values[0] == jm.core.status.status_text(Status.INVALID_TARGET)


@pytest.mark.parametrize("kwargs, match", [
    ({}, "exactly one swept axis"),
    ({"c3": [0.0], "altitude": [200e3]}, "exactly one swept axis"),
    ({"c3": np.zeros((2, 2))}, "1-d"),
    ({"c3": np.zeros(5000)}, "at most"),
    ({"altitude": [200e3], "dla": 0.3}, "C3 curve"),
    ({"c3": [0.0], "dla": math.radians(40), "inclination": math.radians(30)}, "at least"),
])
def test_malformed_requests_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        jm.payload_curve("Saturn V", **kwargs)


def test_curve_figure_overlays_published_points_in_the_curve_colour(tmp_path):
    """Two vehicles on one C3 figure, published points as markers in their vehicle's colour (the
    figure API the reports use); written atomically as a PNG."""
    from jointmission.report.curve_plot import payload_curve_figure, write_payload_curve_figure
    from jointmission.vehicles.curve import compute_curve
    from jointmission.vehicles.published import PublishedCurve

    c3 = np.array([0.0, 20e6, 40e6])
    curves = [compute_curve(jm.get_vehicle(n), c3_m2_s2=c3) for n in ("Saturn V", "Falcon Heavy")]
    pub = PublishedCurve(vehicle=curves[1].vehicle, axis="c3", values=np.array([10e6]),
                         payload_kg=np.array([12e3]), source="test overlay, not data")
    fig = payload_curve_figure(curves, [pub])
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3 and lines[2].get_color() == lines[1].get_color()
    np.testing.assert_allclose(lines[0].get_xdata(), [0, 20, 40])  # km2/s2
    np.testing.assert_allclose(lines[2].get_ydata(), [12.0])  # t
    texts = [t.get_text() for t in fig.legends[0].get_texts()]  # two vehicles: the legend below the axes
    assert texts[2].startswith(curves[1].vehicle) and "published: test overlay" in texts[2]
    one = payload_curve_figure(curves[1:], [pub])  # one vehicle: named in the title, not in each label
    assert [t.get_text() for t in one.axes[0].get_legend().get_texts()] == [
        "model, top stage loaded 100%" if curves[1].top_load is not None else "model", f"published: {pub.short_source}"]
    assert one.axes[0].get_title().startswith(curves[1].vehicle)
    path = write_payload_curve_figure(curves, tmp_path / "c.png", [pub])
    assert path.stat().st_size > 10_000 and not list(tmp_path.glob(".*.tmp"))
