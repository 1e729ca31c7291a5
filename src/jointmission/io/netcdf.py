"""Write an :class:`xarray.Dataset` held in memory as a NetCDF3 file (64-bit offset, scipy's writer):
the bytes of ``ds.to_netcdf(path, engine="scipy")`` without its dask scheduler probe.

``Dataset.to_netcdf`` asks dask which scheduler is active before every write (to choose file locks
for chunked arrays) and so imports ``dask.distributed`` (tornado, msgpack, ~200 modules: ~0.12 s CPU
on the first write of a process) even for a dataset of numpy arrays. This writer hands the dataset
to the same xarray store (:class:`xarray.backends.ScipyDataStore`, no lock: one writer, one file)
with the same CF encoding (:meth:`xarray.Dataset.dump_to_store`); a dataset with dask-backed
(chunked) variables goes through ``to_netcdf`` as before.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["write_netcdf3"]


def write_netcdf3(ds: Any, path: str | os.PathLike[str]) -> None:
    """Write ``ds`` (an :class:`xarray.Dataset`) to ``path`` as NetCDF3 (64-bit offset), byte for
    byte what ``ds.to_netcdf(path, engine="scipy")`` writes. Units: as stored in ``ds`` (its
    variables' ``units`` attributes); datetimes CF-encoded by xarray as in ``to_netcdf``."""
    if any(v.chunks is not None for v in ds.variables.values()):
        ds.to_netcdf(path, engine="scipy")
        return
    from xarray.backends import ScipyDataStore

    store = ScipyDataStore(os.fspath(path), mode="w", lock=False)
    try:
        ds.dump_to_store(store)
    finally:
        store.close()
