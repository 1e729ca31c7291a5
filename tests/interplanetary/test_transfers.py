"""Porkchop grids and best transfers: published cases, an independent solver, the SSB pitfall.

Published numbers:
- Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., Example 8.8 (Earth 1996-11-07 ->
  Mars 1997-09-12): |v_inf| = 3.1651 km/s at departure, 2.8852 km/s at arrival. Curtis uses the
  analytic mean-element planet positions of his Table 8.1 / Algorithm 8.1, we use DE421, so the
  positions differ by up to ~1e-4 relative; the issue's tolerance is 1 %.
- NASA/JPL, Mars 2020 Perseverance Rover Launch Press Kit (July 2020): launch 2020-07-30 11:50 UTC,
  landing 2021-02-18, launch energy C3 = 14.49 km^2/s^2. A planet-centre to planet-centre Lambert
  arc ignores the aim-point bias and trajectory-correction manoeuvres, so we ask 2 %.
- Minimum C3 of the 2026, 2028/29, 2031 and 2033 Earth->Mars windows: the published mission-design
  tables (NASA/TM-2010-216764) were not available offline here, so these are checked, as the issue
  allows, against an independent computation with the same ephemeris: lamberthub's implementation
  of Gooding's (1990) Lambert method, a different algorithm from Izzo's, evaluated on a fine grid
  around our optimum (tolerance 2 % as in the issue; the agreement seen is ~1e-5).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from jointmission.interplanetary import ephemeris as eph
from jointmission.interplanetary import optimum as opt
from jointmission.interplanetary import transfers as tr
from jointmission.constants import GM_SUN

WINDOWS = {
    # departure window, arrival window (wide enough for Type I and Type II)
    "2026": (("2026-09-01", "2027-01-15"), ("2027-05-01", "2028-01-31")),
    "2028/29": (("2028-10-01", "2029-02-28"), ("2029-06-01", "2030-01-31")),
    "2031": (("2030-12-01", "2031-05-15"), ("2031-07-01", "2032-03-31")),
    "2033": (("2033-02-01", "2033-07-15"), ("2033-09-01", "2034-05-31")),
}


@pytest.fixture(scope="module")
def window_optima():
    out = {}
    for name, (dep, arr) in WINDOWS.items():
        ds = tr.porkchop("earth", "mars", dep, arr, step_days=4.0)
        out[name] = (ds, opt.optima(ds, "c3"))
    return out


def test_curtis_example_8_8():
    r = tr.evaluate_pairs("earth", "mars", eph.to_jd_tdb("1996-11-07"), eph.to_jd_tdb("1997-09-12"))
    assert int(r["status"]) == 0 and int(r["type"]) == 2
    assert float(r["vinf_depart_km_s"]) == pytest.approx(3.1651, rel=0.01)
    assert float(r["vinf_arrive_km_s"]) == pytest.approx(2.8852, rel=0.01)
    assert float(r["tof_days"]) == pytest.approx(309.0, abs=1e-3)


def test_mars2020_launch_c3():
    r = tr.evaluate_pairs("earth", "mars", eph.to_jd_tdb("2020-07-30T11:50"), eph.to_jd_tdb("2021-02-18T20:55"))
    assert float(r["c3_km2_s2"]) == pytest.approx(14.49, rel=0.02)


def _gooding_c3(jd_d: float, jd_a: float) -> tuple[float, float]:
    from lamberthub import gooding1990

    r1, v1p = eph.state("earth", jd_d, frame="ecliptic")
    r2, _ = eph.state("mars", jd_a, frame="ecliptic")
    tof = (jd_a - jd_d) * 86400.0
    cross_z = r1[0] * r2[1] - r1[1] * r2[0]
    v1, _ = gooding1990(GM_SUN / 1e9, r1 / 1e3, r2 / 1e3, tof, M=0, prograde=True, low_path=True,
                        maxiter=50, atol=1e-12, rtol=1e-12)
    ttype = 1 if cross_z >= 0 else 2
    return float(np.sum((v1 - v1p / 1e3) ** 2)), ttype


def _sin_angle(jd_d: float, jd_a: float) -> float:
    """|sin| of the Earth -> Mars transfer angle (heliocentric positions at the two dates)."""
    r1, _ = eph.state("earth", jd_d, frame="ecliptic")
    r2, _ = eph.state("mars", jd_a, frame="ecliptic")
    return float(np.linalg.norm(np.cross(r1, r2)) / (np.linalg.norm(r1) * np.linalg.norm(r2)))


@pytest.mark.parametrize("window", list(WINDOWS))
def test_window_minimum_c3_matches_independent_solver(window, window_optima):
    ds, best = window_optima[window]
    assert {b.type for b in best} == {1, 2}
    for b in best:
        assert b.refined
        grid_min = float(ds["c3_km2_s2"].where(ds["type"] == b.type).min())
        assert b.c3_km2_s2 <= grid_min + 1e-12
        assert 7.0 < b.c3_km2_s2 < 20.0  # every Mars window 2026-2033 has a minimum C3 in this band
        # independent: Gooding's method on a 0.5-day grid (+-2 d) around our optimum, same type
        d = np.arange(-2.0, 2.01, 0.5)
        vals = []
        for dd in d:
            for da in d:
                if _sin_angle(b.depart_jd_tdb + dd, b.arrive_jd_tdb + da) < 1e-7:
                    continue  # on the 180-degree boundary gooding1990 fails (see below); the grid's others do
                c3, t = _gooding_c3(b.depart_jd_tdb + dd, b.arrive_jd_tdb + da)
                if t == b.type:
                    vals.append(c3)
        indep_min = min(vals)
        # ours is refined below 0.5 d, so it may only be lower than the independent grid minimum
        assert b.c3_km2_s2 == pytest.approx(indep_min, rel=0.02)
        assert b.c3_km2_s2 <= indep_min * (1 + 1e-9)
        # and at our exact point Gooding gives our C3 -- unless the point sits on the 180-degree
        # boundary. The 2026 Type I minimum does: C3 falls towards the boundary, and the optimiser
        # ends within sin(angle) ~ 5e-9 of it. There lamberthub's gooding1990 takes the transfer
        # angle as arccos(r1.r2 / (|r1||r2|)), which is NaN once that ratio rounds below -1
        # (UnboundLocalError). So both solvers are compared 1e-3 d away in arrival time, on the
        # optimum's side (sin(angle) ~ 1e-5, Mars moves ~9e-6 rad in 1e-3 d); ours may not be above.
        if _sin_angle(b.depart_jd_tdb, b.arrive_jd_tdb) > 1e-7:
            c3_here, _ = _gooding_c3(b.depart_jd_tdb, b.arrive_jd_tdb)
            assert c3_here == pytest.approx(b.c3_km2_s2, rel=1e-7)
        else:
            near = [(b.arrive_jd_tdb + da, *_gooding_c3(b.depart_jd_tdb, b.arrive_jd_tdb + da)) for da in (-1e-3, 1e-3)]
            jd_a, c3_near, _ = next(x for x in near if x[2] == b.type)
            ours = tr.evaluate_pairs("earth", "mars", b.depart_jd_tdb, jd_a)
            assert int(ours["type"]) == b.type
            assert float(ours["c3_km2_s2"]) == pytest.approx(c3_near, rel=1e-7)
            assert b.c3_km2_s2 <= c3_near * (1 + 1e-9)


def _nelder_mead_optimum(ds, b, var="c3_km2_s2"):
    """The previous refinement: scipy's bounded Nelder-Mead, one evaluate_pairs call per point."""
    from scipy.optimize import minimize

    step = float(ds.attrs["step_days"])
    jd_d, jd_a = ds["depart_jd_tdb"].values, ds["arrive_jd_tdb"].values
    masked = np.where((ds["type"].values == b.type) & np.isfinite(ds[var].values), ds[var].values, np.inf)
    i, j = np.unravel_index(int(np.argmin(masked)), masked.shape)
    x0 = np.array([jd_d[i], jd_a[j]])

    def f(x):
        r = tr.evaluate_pairs("earth", "mars", x[0], x[1])
        return float(r[var]) if int(r["type"]) == b.type and np.isfinite(r[var]) else 1e12

    bounds = [(max(x0[0] - step, jd_d.min()), min(x0[0] + step, jd_d.max())),
              (max(x0[1] - step, jd_a.min()), min(x0[1] + step, jd_a.max()))]
    sol = minimize(f, x0, method="Nelder-Mead", bounds=bounds,
                   options={"xatol": 1e-4, "fatol": 1e-10, "maxiter": 400,
                            "initial_simplex": [x0, x0 + [step / 2, 0], x0 + [0, step / 2]]})
    return sol.x, sol.fun


@pytest.mark.parametrize("window", ["2026", "2031"])
def test_lattice_refinement_matches_nelder_mead(window, window_optima):
    """The vectorized refinement (both types in one evaluation per lattice round) against the
    one-point-at-a-time Nelder-Mead it replaced. Tolerance: C3 not above Nelder-Mead's by more
    than 1e-6 relative, epochs within 1e-3 d. Measured over the four windows, grid steps 1 and
    4 d and three objectives: equal or lower (by up to 6e-13) everywhere except the 2026 Type I
    minimum, which lies on the 180-degree boundary (C3 still falling there): +1.8e-7 (C3),
    +4.7e-7 (arrival v_inf), epochs 7e-5 d apart."""
    ds, best = window_optima[window]
    for b in best:
        x, fun = _nelder_mead_optimum(ds, b)
        assert b.c3_km2_s2 <= fun * (1 + 1e-6)
        assert abs(b.depart_jd_tdb - x[0]) < 1e-3 and abs(b.arrive_jd_tdb - x[1]) < 1e-3


def test_barycentric_positions_would_shift_the_window_minimum(window_optima):
    """The pitfall of issue 3: with SSB-centred planet states and the Sun's GM, the 2031 Type II
    minimum C3 moves by more than 1 %; our porkchop is Sun-centred and so reproduces the
    Sun-centred computation exactly."""
    ds, best = window_optima["2031"]
    b = [x for x in best if x.type == 2][0]
    jd_d = b.depart_jd_tdb + np.arange(-20, 20.1, 1.0)
    jd_a = b.arrive_jd_tdb + np.arange(-20, 20.1, 1.0)
    D, A = np.meshgrid(jd_d, jd_a, indexing="ij")

    def c3_min(center: str) -> float:
        r1, v1 = eph.state("earth", D.ravel(), center=center, frame="ecliptic")
        r2, v2 = eph.state("mars", A.ravel(), center=center, frame="ecliptic")
        res = tr._solve(r1, v1, r2, v2, (A - D).ravel() * 86400.0, GM_SUN, 200e3, *tr.PLANETS["earth"],
                        300e3, None, *tr.PLANETS["mars"], None, bodies=("earth", "mars"))
        return float(np.nanmin(np.where(res["type"] == 2, res["c3_km2_s2"], np.nan)))

    helio, bary = c3_min("sun"), c3_min("ssb")
    assert helio == pytest.approx(b.c3_km2_s2, rel=1e-3)
    assert abs(bary - helio) / helio > 0.01


def test_dataset_layout_units_and_status():
    ds = tr.porkchop("earth", "mars", ("2026-10-01", "2026-10-21"), ("2026-10-11", "2027-09-01"),
                     step_days=10.0, tof_days=(100.0, 300.0))
    assert ds["c3_km2_s2"].dims == ("depart", "arrive")
    assert ds.sizes["depart"] == 3
    assert ds["c3_km2_s2"].attrs["units"] == "km2/s2" and ds["dla_deg"].attrs["units"] == "deg"
    assert str(ds["depart"].values[0])[:19] == "2026-10-01T00:00:00"  # UTC labels as typed
    status, c3, tof = ds["status"].values, ds["c3_km2_s2"].values, ds["tof_days"].values
    assert np.all(status[tof <= 0] == tr.TransferStatus.ARRIVAL_BEFORE_DEPARTURE)
    assert np.all(status[(tof > 0) & (tof < 100)] == tr.TransferStatus.TOF_OUT_OF_RANGE)
    # no silent NaN: every NaN has a non-zero status and every OK point is finite
    assert np.all(np.isnan(c3) == (status != 0))
    assert np.all(np.isfinite(ds["dv_total_km_s"].values[status == 0]))


@pytest.mark.parametrize("engine", ["compiled", "numpy"])
def test_chunked_threaded_grid_equals_single_block(engine):
    args = ("earth", "mars", ("2028-10-01", "2028-12-30"), ("2029-06-01", "2029-12-31"))
    a = tr.porkchop(*args, step_days=3.0, chunk_size=1 << 20, workers=1, engine=engine)
    b = tr.porkchop(*args, step_days=3.0, chunk_size=150, workers=2, engine=engine)
    for k in ("c3_km2_s2", "vinf_arrive_km_s", "dla_deg", "status", "type"):
        np.testing.assert_array_equal(a[k].values, b[k].values)


@pytest.mark.parametrize("kwargs", [{}, dict(tof_days=(150.0, 320.0), capture_apoapsis_alt_m=33_000e3, park_alt_m=400e3),
                                    dict(park_alt_m=-1.0)])
def test_grid_equals_pointwise_evaluation(kwargs):
    """The grid (array engine, the default: blocks of grid rows) against evaluate_pairs (the same
    array path on the pairs) at every point: every variable, statuses and types identical; values
    within 1e-12 relative (angles 1e-9 deg absolute: acos amplifies the last-bit difference of the
    dot product near 0/180 deg)."""
    ds = tr.porkchop("earth", "mars", ("2033-01-01", "2033-07-01"), ("2033-06-01", "2034-06-01"), step_days=5.0,
                     **kwargs)
    ref = tr.evaluate_pairs("earth", "mars", ds["depart_jd_tdb"].values[:, None], ds["arrive_jd_tdb"].values[None, :],
                            **kwargs)
    assert len(ref) == len(ds.data_vars)
    for k, want in ref.items():
        got = ds[k].values
        if want.dtype.kind != "f":
            np.testing.assert_array_equal(got, want)
        elif k in ("dla_deg", "rla_deg", "transfer_angle_deg"):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    status = ds["status"].values
    if "park_alt_m" in kwargs and kwargs["park_alt_m"] < 0:
        assert np.all(status == tr.TransferStatus.INVALID_INPUT)
    else:
        assert (status == 0).sum() > 500 and (status == tr.TransferStatus.ARRIVAL_BEFORE_DEPARTURE).sum() > 10


@pytest.mark.parametrize("kwargs", [{}, dict(tof_days=(150.0, 320.0), capture_apoapsis_alt_m=33_000e3, park_alt_m=400e3),
                                    dict(park_alt_m=-1.0)])
def test_array_and_compiled_grid_engines_agree(kwargs):
    """The array engine (Lambert array solver + the patched-conic formulas of evaluate_pairs, the
    default) against the compiled loop on a 2031 grid with Type I and II
    transfers, the 180-degree ridge and (second case) points outside the time-of-flight range:
    statuses and types identical; values within 1e-12 relative; angles within 1e-9 deg (DLA near 0
    and the transfer angle near 0/180 deg amplify the Lambert solvers' ~1e-14 velocity difference,
    see test_compiled_loop_matches_array_solver). Measured on a 1000 x 1000 2026 grid: C3 1.2e-14,
    DLA 4e-12 deg."""
    args = ("earth", "mars", ("2030-11-01", "2031-05-15"), ("2031-07-01", "2032-03-31"))
    a = tr.porkchop_grid(*args, step_days=3.0, engine="numpy", **kwargs)
    b = tr.porkchop_grid(*args, step_days=3.0, engine="compiled", **kwargs)
    assert a.shape == b.shape and a.shape[0] * a.shape[1] > 4000
    for k, want in b.data.items():
        got = a[k]
        if want.dtype.kind != "f":
            np.testing.assert_array_equal(got, want)
        elif k in ("dla_deg", "rla_deg", "transfer_angle_deg"):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    if kwargs.get("park_alt_m", 1.0) > 0:
        assert (b["status"] == 0).sum() > 2000 and {1, 2} <= set(np.unique(b["type"]).tolist())
    if "tof_days" in kwargs:
        assert (b["status"] == tr.TransferStatus.TOF_OUT_OF_RANGE).sum() > 500


def test_porkchop_grid_is_the_dataset_without_xarray():
    """porkchop_grid returns the numbers of porkchop as numpy arrays, without importing xarray,
    pandas, astropy or numba (a fresh process: the numbers of a porkchop, and its window optimum,
    need none of them); its to_dataset() is porkchop's Dataset, shared arrays, same attributes."""
    import subprocess
    import sys

    code = ("import sys, numpy as np\nfrom jointmission.interplanetary import transfers as tr\n"
            "from jointmission.interplanetary.optimum import optima\n"
            "g = tr.porkchop_grid('earth', 'mars', 2461284.5 + np.arange(0.0, 120.0, 2.0), 2461557.5 + np.arange(90.0))\n"
            "assert g.shape == (60, 90) and (g['status'] == 0).all()\n"
            "assert len(optima(g, 'c3')) == 2\n"
            "print(sorted(m for m in ('xarray', 'pandas', 'astropy', 'dask', 'numba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    args = ("earth", "mars", ("2031-01-01", "2031-01-20"), ("2031-08-01", "2031-10-15"))
    g = tr.porkchop_grid(*args, step_days=1.0)
    ds = tr.porkchop(*args, step_days=1.0)
    for k in ds.data_vars:
        np.testing.assert_array_equal(ds[k].values, g[k])
    np.testing.assert_array_equal(ds["depart_jd_tdb"].values, g.depart_jd_tdb)
    assert ds.attrs == g.attrs
    with pytest.raises(ValueError, match="engine"):
        tr.porkchop_grid(*args, engine="fortran")


def test_porkchop_dataset_is_the_plain_constructors_without_importing_dask():
    """to_dataset builds its Variables on xarray's fast path (dates as pandas indexes) so that
    xarray's duck-array probes do not import dask (~0.3 s of a fresh porkchop() call): the Dataset
    must be the one xarray's plain constructor makes from the same arrays -- identical values, dims,
    coordinates, attributes, dtypes, encodings, index types and shared memory -- and a fresh process
    that calls porkchop() must not have imported dask (it is installed: the Dask sweep backend)."""
    import subprocess
    import sys

    import xarray as xr

    from jointmission.interplanetary.porkchop_grid import NAMES

    g = tr.porkchop_grid("earth", "mars", ("2031-01-01", "2031-01-20"), ("2031-08-01", "2031-10-15"),
                         step_days=2.0, tof_days=(200.0, 260.0))
    ds = g.to_dataset()
    plain = xr.Dataset(
        {k: (("depart", "arrive"), g.data[k], dict(ds[k].attrs)) for k in NAMES},
        coords={"depart": ("depart", eph.jd_tdb_to_utc_datetime64(g.depart_jd_tdb), dict(ds["depart"].attrs)),
                "arrive": ("arrive", eph.jd_tdb_to_utc_datetime64(g.arrive_jd_tdb), dict(ds["arrive"].attrs)),
                "depart_jd_tdb": ("depart", g.depart_jd_tdb, dict(ds["depart_jd_tdb"].attrs)),
                "arrive_jd_tdb": ("arrive", g.arrive_jd_tdb, dict(ds["arrive_jd_tdb"].attrs))},
        attrs=dict(g.attrs))
    for c in ("depart", "arrive"):
        plain[c].encoding.update(units="days since 2000-01-01 00:00:00", dtype="float64")
    assert ds.identical(plain) and list(ds.variables) == list(plain.variables)
    assert (ds["status"] != 0).any() and (ds["status"] == 0).any()
    for k in plain.variables:
        a, b = ds.variables[k], plain.variables[k]
        assert type(a) is type(b) and type(a._data) is type(b._data), k
        assert a.dtype == b.dtype and a.encoding == b.encoding, k
    for k in plain.indexes:
        assert type(ds.indexes[k]) is type(plain.indexes[k]) and ds.indexes[k].dtype == plain.indexes[k].dtype
        assert ds.indexes[k].equals(plain.indexes[k])
    assert np.shares_memory(ds["c3_km2_s2"].values, g.data["c3_km2_s2"])

    code = ("import sys, numpy as np\nfrom jointmission.interplanetary import transfers as tr\n"
            "ds = tr.porkchop('earth', 'mars', 2461284.5 + np.arange(0.0, 20.0, 2.0), 2461557.5 + np.arange(30.0))\n"
            "assert ds.sizes == {'depart': 10, 'arrive': 30}\n"
            "print(sorted(m for m in ('xarray', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['xarray']"


def test_departure_dv_and_capture_follow_patched_conics():
    """dv_depart = sqrt(v_inf^2 + 2 mu / r) - sqrt(mu / r) from the default 185 km circular orbit (Curtis
    eq. 8.42); a looser capture orbit (250 x 33,000 km) costs less than a 300 km circular one."""
    from jointmission.constants import GM_EARTH, R_EARTH

    jd_d, jd_a = eph.to_jd_tdb("2031-02-10"), eph.to_jd_tdb("2031-12-20")
    circ = tr.evaluate_pairs("earth", "mars", jd_d, jd_a)
    ell = tr.evaluate_pairs("earth", "mars", jd_d, jd_a, capture_periapsis_alt_m=250e3,
                            capture_apoapsis_alt_m=33_000e3)
    v = float(circ["vinf_depart_km_s"]) * 1e3
    r = R_EARTH + 185e3  # DEFAULT_PARKING_ALT_M
    assert float(circ["dv_depart_km_s"]) * 1e3 == pytest.approx(np.sqrt(v**2 + 2 * GM_EARTH / r) - np.sqrt(GM_EARTH / r),
                                                                rel=1e-12)
    assert float(ell["dv_arrive_km_s"]) < float(circ["dv_arrive_km_s"])


def test_best_transfer_matches_optima_and_types():
    best = opt.best_transfer("earth", "mars", ("2026-09-15", "2027-01-01"), step_days=4.0)
    t2 = opt.best_transfer("earth", "mars", ("2026-09-15", "2027-01-01"), step_days=4.0, transfer_type=2)
    t1 = opt.best_transfer("earth", "mars", ("2026-09-15", "2027-01-01"), step_days=4.0, transfer_type=1)
    assert best.c3_m2_s2 == min(t1.c3_m2_s2, t2.c3_m2_s2)
    assert t1.type == 1 and t2.type == 2
    assert t1.tof_days < t2.tof_days
    assert 0 < best.dla_rad < np.pi / 2 or -np.pi / 2 < best.dla_rad <= 0
    assert best.depart.scale == "tdb"
    d = best.to_dict()
    json.dumps(d)
    assert d["c3_km2_s2"] == pytest.approx(best.c3_m2_s2 / 1e6)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(origin="earth", target="pluto"), "not a planet"),
        (dict(origin="earth", target="earth"), "both 'earth'"),
        (dict(depart=("2026-12-01", "2026-10-01")), "ends before it starts"),
        (dict(depart="next year"), "not a date window"),
        (dict(arrive=("2051-01-01", "2060-01-01")), "outside DE421"),
        (dict(step_days=0.0), "positive number of days"),
    ],
)
def test_bad_requests_raise_transfer_error(kwargs, words):
    args = dict(origin="earth", target="mars", depart=("2026-10-01", "2026-11-01"),
                arrive=("2027-06-01", "2027-09-01"), step_days=10.0)
    args.update(kwargs)
    with pytest.raises(tr.TransferError, match=words):
        tr.porkchop(args.pop("origin"), args.pop("target"), args.pop("depart"), args.pop("arrive"), **args)
