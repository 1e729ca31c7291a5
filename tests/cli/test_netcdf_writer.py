"""``io.netcdf.write_netcdf3`` writes the bytes ``Dataset.to_netcdf(engine="scipy")`` writes (the
porkchop grid of ``jointmission porkchop`` / ``jointmission run``), without importing dask.distributed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from jointmission.interplanetary.transfers import porkchop
from jointmission.io.netcdf import write_netcdf3


def _same_bytes(ds: xr.Dataset, tmp_path: Path) -> None:
    ref, ours = tmp_path / "ref.nc", tmp_path / "ours.nc"
    ds.to_netcdf(ref, engine="scipy")
    write_netcdf3(ds, ours)
    assert ours.read_bytes() == ref.read_bytes()
    back = xr.load_dataset(ours, engine="scipy")
    for name in ds.data_vars:
        np.testing.assert_array_equal(back[name].values, ds[name].values)


def test_porkchop_grid_file_is_byte_identical(tmp_path):
    ds = porkchop("earth", "mars", ("2026-10-01", "2026-12-01"), ("2027-07-01", "2027-10-01"), step_days=10.0)
    _same_bytes(ds, tmp_path)


def test_nan_int8_datetime_and_attrs_are_byte_identical(tmp_path):
    t = pd.date_range("2030-01-01", periods=4, freq="2D").values.astype("datetime64[s]")
    ds = xr.Dataset(
        {"c3": (("d", "a"), np.array([[1.5, np.nan, 3.0], [4.0, 5.0, np.inf]] * 2), {"units": "km2/s2"}),
         "status": (("d", "a"), np.arange(12, dtype=np.int8).reshape(4, 3), {"long_name": "code"})},
        coords={"d": t, "jd": ("d", np.arange(4.0)), "a": [1.0, 2.0, 3.0]},
        attrs={"origin": "earth", "mu": 1.3e20, "step": 2.0},
    )
    _same_bytes(ds, tmp_path)


def test_writer_does_not_import_dask_distributed(tmp_path):
    code = textwrap.dedent(f"""
        import sys, numpy as np, xarray as xr
        from jointmission.io.netcdf import write_netcdf3
        write_netcdf3(xr.Dataset({{"x": ("n", np.arange(3.0))}}), {str(tmp_path / "x.nc")!r})
        print("distributed" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_grid_writes_the_bytes_of_its_dataset(tmp_path):
    """``PorkchopGrid.write_netcdf`` (no xarray) == ``to_dataset().to_netcdf(engine="scipy")``, byte for
    byte: a capture orbit (finite apoapsis attribute), a circular one (NaN attribute), one departure date."""
    from jointmission.interplanetary.transfers import porkchop_grid

    cases = [dict(depart=("2030-12-01", "2031-02-15"), arrive=("2031-07-01", "2032-01-31"), step_days=5.0,
                  park_alt_m=200e3, capture_periapsis_alt_m=250e3, capture_apoapsis_alt_m=33000e3),
             dict(depart=("2026-10-01", "2026-12-01"), arrive=("2027-07-01", "2027-10-01"), step_days=10.0),
             dict(depart=["2026-11-08"], arrive=("2027-07-01", "2027-10-01"), step_days=7.0)]
    for i, kw in enumerate(cases):
        g = porkchop_grid("earth", "mars", kw.pop("depart"), kw.pop("arrive"), **kw)
        ref, ours = tmp_path / f"ref{i}.nc", tmp_path / f"ours{i}.nc"
        g.to_dataset().to_netcdf(ref, engine="scipy")
        g.write_netcdf(ours)
        assert ours.read_bytes() == ref.read_bytes(), kw


def test_grid_writer_imports_no_xarray_dask_or_scipy_io(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from jointmission.interplanetary.transfers import porkchop_grid
        porkchop_grid("earth", "mars", ("2026-10-01", "2026-11-01"), ("2027-07-01", "2027-08-01"),
                      step_days=10.0).write_netcdf({str(tmp_path / "g.nc")!r})
        print(sorted(m for m in ("xarray", "dask", "pandas", "scipy.io") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_array_writer_matches_scipys_netcdf_file(tmp_path):
    """``io.netcdf.write_netcdf3_arrays`` against SciPy's writer making the same calls (xarray's scipy
    store): every NetCDF3 numeric type, padding with default and own fill values, text and number
    attributes, a 0-d variable, shapes that SciPy reorders."""
    from scipy.io import netcdf_file

    from jointmission.io.netcdf import write_netcdf3_arrays

    rng = np.random.default_rng(3)
    dims = [("x", 5), ("y", 3), ("z", 7)]
    variables = [
        ("f8", ("x", "y"), rng.normal(size=(5, 3)), {"units": "km", "_FillValue": np.float64(np.nan)}),
        ("i1", ("z",), np.arange(7, dtype=np.int8), {"long_name": "codes"}),
        ("i1_fill", ("x",), np.arange(5, dtype=np.int8), {"_FillValue": np.int8(-1)}),
        ("i2", ("y",), np.array([1, -2, 3], dtype=np.int16), {}),
        ("i4", ("x",), np.arange(5, dtype=np.int32), {"scale": np.array([1.5, 2.5])}),
        ("f4", ("z", "y"), rng.normal(size=(7, 3)).astype(np.float32), {"n": np.int32(4)}),
        ("scalar", (), np.array(2.5), {}),
    ]
    attrs = {"origin": "earth", "mu": 1.3e20, "note": "é ü", "count": np.int64(3)}
    ref = tmp_path / "ref.nc"
    f = netcdf_file(str(ref), mode="w", mmap=None, version=2)
    for k, v in attrs.items():
        setattr(f, k, v.encode("utf-8") if isinstance(v, str) else np.atleast_1d(np.asarray(v, dtype=np.int32
                                                                                               if k == "count" else None)))
    for name, n in dims:
        f.createDimension(name, n)
    for name, vdims, data, vattrs in variables:
        var = f.createVariable(name, data.dtype, list(vdims))
        for k, v in vattrs.items():
            setattr(var, k, v.encode("utf-8") if isinstance(v, str) else np.atleast_1d(v))
        var[...] = data
    f.close()
    ours = tmp_path / "ours.nc"
    write_netcdf3_arrays(ours, dims, variables, attrs)
    assert ours.read_bytes() == ref.read_bytes()
