"""io.datasets.numpy_dataset: the Dataset xarray's plain constructor makes, built without the dask
probes that import dask.array (~0.3 s of a fresh porkchop() or payload_curve() call)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import xarray as xr

from jointmission.io.datasets import numpy_dataset


def _entries():
    rng = np.random.default_rng(3)
    t = np.array(["2031-01-01T00:00:00", "2031-01-02T12:00:05", "2031-01-04T00:00:00"], dtype="datetime64[s]")
    data = {"f": (("t", "x"), rng.normal(size=(3, 4)), {"units": "m/s"}),
            "i8": (("t", "x"), rng.integers(-5, 5, size=(3, 4)).astype(np.int8), {"long_name": "codes"}),
            "b": ("x", np.array([True, False, True, True]), {}),
            "s": ("t", np.array(["ok", "no", "ok"], dtype=object), {}),
            "when": ("x", t[[0, 1, 2, 0]], {}),  # datetimes as data: through the plain constructor
            "masked": ("x", np.ma.masked_array([1.0, 2.0, 3.0, 4.0], mask=[0, 1, 0, 0]), {}),
            "listed": ("x", [1, 2, 3, 4], {})}
    coords = {"t": ("t", t, {"long_name": "date"}), "x": ("x", np.array([0.5, 1.5, 2.5, 3.5]), {"units": "km"}),
              "jd": ("t", np.array([1.0, 2.5, 4.0]), {"units": "d"})}
    return data, coords, {"source": "test", "n": 3}


def test_same_dataset_as_the_plain_constructor():
    data, coords, attrs = _entries()
    ds = numpy_dataset(data, coords, attrs)
    plain = xr.Dataset(data, coords=coords, attrs=attrs)
    assert ds.identical(plain) and list(ds.variables) == list(plain.variables)
    for k in plain.variables:
        a, b = ds.variables[k], plain.variables[k]
        assert type(a) is type(b) and type(a._data) is type(b._data), k
        assert a.dtype == b.dtype and a.encoding == b.encoding and a.attrs == b.attrs, k
    for k in plain.indexes:
        assert type(ds.indexes[k]) is type(plain.indexes[k]) and ds.indexes[k].dtype == plain.indexes[k].dtype
    assert np.shares_memory(ds["f"].values, data["f"][1])  # shared, not copied
    assert ds["when"].dtype == plain["when"].dtype and np.isnan(ds["masked"].values[1])


def test_payload_curve_dataset_is_the_plain_constructors():
    from jointmission.vehicles import catalog
    from jointmission.vehicles.curve import _AXIS_ATTRS, compute_curve, curve_dataset

    curve = compute_curve(catalog.get_vehicle("Saturn V"), c3_m2_s2=np.array([-2.0, 10.0, 400.0]) * 1e6)
    ds = curve_dataset(curve)
    assert set(ds["status_text"].values) >= {"ok"} and len(set(ds["status_text"].values)) == 2
    plain = xr.Dataset({k: (ds[k].dims, ds[k].values, dict(ds[k].attrs)) for k in ds.data_vars},
                       coords={"c3": ("c3", curve.values, dict(_AXIS_ATTRS["c3"]))}, attrs=dict(ds.attrs))
    assert ds.identical(plain)
    for k in plain.variables:
        assert ds[k].dtype == plain[k].dtype and type(ds.variables[k]._data) is type(plain.variables[k]._data), k


def test_a_fresh_process_builds_it_without_importing_dask():
    """dask is installed (the Dask sweep backend): the plain constructor would import it."""
    code = ("import sys, numpy as np\nfrom jointmission.io.datasets import numpy_dataset\n"
            "t = np.arange('2031-01-01', '2031-01-11', dtype='datetime64[D]').astype('datetime64[s]')\n"
            "ds = numpy_dataset({'c3': (('t', 'x'), np.ones((10, 3)), {}), 's': ('x', np.array(['a', 'b', 'c'], "
            "dtype=object), {}), 'k': ('x', np.arange(3, dtype=np.int8), {})}, {'t': ('t', t, {}), "
            "'x': ('x', np.arange(3.0), {})})\n"
            "assert float(ds['c3'].values.sum()) == 30.0\n"
            "import importlib.util; assert importlib.util.find_spec('dask') is not None\n"
            "print(sorted(m for m in ('xarray', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['xarray']"
