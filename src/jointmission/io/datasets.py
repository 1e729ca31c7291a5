"""Build an :class:`xarray.Dataset` from numpy arrays without xarray's dask probes.

``xr.Dataset({"c3": (dims, array, attrs)}, coords=...)`` asks, for every array, whether it is a dask
array (``isinstance(data, array_type("dask"))``, and ``is_dask_collection`` when it builds an index),
and to answer, xarray imports ``dask.array`` when dask is installed (~0.3 s CPU in a fresh process;
dask is installed here, for the Dask sweep backend) -- for a dataset that holds only numpy arrays.
:func:`numpy_dataset` hands xarray ready :class:`xarray.Variable` objects made on its fast path
(numeric and boolean arrays, and object arrays of Python strings, need none of the constructor's
conversions) and the dimension
coordinates as :class:`pandas.Index` objects (what xarray would build from them), so that no probe
runs. The Dataset is the one the plain constructor makes (a test holds them identical); arrays of
any other kind (datetimes as data, strings of fixed width, masked arrays, other array types) go
through the plain constructor unchanged. xarray's operations on the Dataset (``min``, ``isel``, ...)
may still import dask when first called; reading its arrays (``ds[name].values``) does not.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

__all__ = ["numpy_dataset"]

#: numpy kinds a Variable can take as it is: bool, integers, floats, complex (and object arrays
#: holding only ``str``: xarray converts other objects, e.g. datetimes, to datetime64).
_AS_IS = frozenset("biufc")
#: kinds a dimension coordinate can take as a pandas Index as it is (datetime64 of s/ms/us/ns).
_INDEX = frozenset("iuf")
_INDEX_TIME_UNITS = frozenset({"s", "ms", "us", "ns"})

Entry = tuple[Any, Any, Mapping[str, Any]]
"""``(dims, array, attrs)``, as in the plain constructor's tuple form."""


def _plain_ndarray(data: Any) -> bool:
    return type(data) is np.ndarray


def _variable(name: Hashable, entry: Entry, *, coord: bool) -> Any:
    """An :class:`xarray.Variable` for ``entry``, or ``entry`` itself where xarray must convert it."""
    import pandas as pd
    import xarray as xr

    dims, data, attrs = entry
    dims = (dims,) if isinstance(dims, str) else tuple(dims)
    if not _plain_ndarray(data):
        return entry
    kind = data.dtype.kind
    if coord and dims == (name,) and data.ndim == 1:  # a dimension coordinate: it becomes an index
        time_ok = kind == "M" and np.datetime_data(data.dtype)[0] in _INDEX_TIME_UNITS
        if kind in _INDEX or time_ok:
            return xr.Variable(dims, pd.Index(data), dict(attrs), fastpath=True)
        return entry
    if kind in _AS_IS or (kind == "O" and all(type(x) is str for x in data.flat)):
        return xr.Variable(dims, data, dict(attrs), fastpath=True)
    return entry


def numpy_dataset(data_vars: Mapping[Hashable, Entry], coords: Mapping[Hashable, Entry] | None = None,
                  attrs: Mapping[str, Any] | None = None) -> Any:
    """``xr.Dataset(data_vars, coords=coords, attrs=attrs)`` for ``(dims, array, attrs)`` entries,
    the same Dataset, built without importing dask where the arrays are plain numpy arrays.

    Parameters
    ----------
    data_vars, coords : mapping of name -> (dims, numpy array, attrs)
        As in :class:`xarray.Dataset`'s tuple form; arrays in any unit (units belong in ``attrs``).
        Arrays are shared, not copied.
    attrs : mapping, optional
        The Dataset's attributes.

    Returns
    -------
    xarray.Dataset
    """
    import xarray as xr

    return xr.Dataset({k: _variable(k, e, coord=False) for k, e in data_vars.items()},
                      coords={k: _variable(k, e, coord=True) for k, e in (coords or {}).items()},
                      attrs=dict(attrs or {}))
