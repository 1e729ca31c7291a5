"""Write NetCDF3 files (64-bit offset, SciPy's writer): an :class:`xarray.Dataset` held in memory, or
plain numpy arrays with their attributes, without xarray.

``Dataset.to_netcdf`` asks dask which scheduler is active before every write (to choose file locks
for chunked arrays) and so imports ``dask.distributed`` (tornado, msgpack, ~200 modules: ~0.12 s CPU
on the first write of a process) even for a dataset of numpy arrays. :func:`write_netcdf3` hands the
dataset to the same xarray store (:class:`xarray.backends.ScipyDataStore`, no lock: one writer, one
file) with the same CF encoding (:meth:`xarray.Dataset.dump_to_store`); a dataset with dask-backed
(chunked) variables goes through ``to_netcdf`` as before.

:func:`write_netcdf3_arrays` writes variables that are already CF-encoded (numeric numpy arrays,
attributes of text and numbers) in the classic format (Unidata's "NetCDF Classic Format
Specification", CDF-2), byte for byte as SciPy's ``netcdf_file`` writes them for the calls xarray's
store makes -- so a caller that encodes as xarray does gets the same file without importing xarray
(building any xarray object imports ``dask.array`` when dask is installed, ~0.3 s CPU in a fresh
process) or ``scipy.io`` (~0.1 s).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["write_netcdf3", "write_netcdf3_arrays"]


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


def _attr(value: Any) -> Any:
    """An attribute value as xarray's NetCDF3 encoder stores it: text as UTF-8 bytes, numbers as
    1-d arrays."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    a = np.atleast_1d(np.asarray(value))
    if a.dtype.kind in "iub" and a.dtype != np.int8:  # NetCDF3 has no 64-bit or unsigned integers
        cast = a.astype(np.int32 if a.dtype.kind != "b" else np.int8)
        if not np.array_equal(cast, a):
            raise ValueError(f"attribute value {value!r} does not fit a NetCDF3 int32")
        a = cast
    if a.ndim > 1:
        raise ValueError("NetCDF attributes must be 1-dimensional")
    return a


_NC_TYPES = {("b", 1): 1, ("h", 2): 3, ("i", 4): 4, ("f", 4): 5, ("d", 8): 6}
"""NetCDF3 type codes of the numpy kinds a classic file holds (NC_BYTE, NC_SHORT, NC_INT, NC_FLOAT,
NC_DOUBLE; NC_CHAR = 2 for text)."""

_DEFAULT_FILL = {1: b"\x81", 3: b"\x80\x01", 4: b"\x80\x00\x00\x01", 5: b"\x7c\xf0\x00\x00",
                 6: b"\x47\x9e\x00\x00\x00\x00\x00\x00"}
"""The NetCDF default fill value of each numeric type, big-endian (pads a variable to 4 bytes)."""


def _nc_type(dtype: np.dtype) -> int:
    try:
        return _NC_TYPES[dtype.char if dtype.char != "l" else "i", dtype.itemsize]
    except KeyError:
        raise ValueError(f"NetCDF3 holds int8/16/32 and float32/64 values, not {dtype}") from None


class _Header:
    """The big-endian header fields of a classic (CDF-2, 64-bit offset) NetCDF file."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def int(self, n: int) -> None:
        self.parts.append(int(n).to_bytes(4, "big", signed=True))

    def name(self, s: str) -> None:
        b = s.encode("latin1")
        self.int(len(b))
        self.parts.append(b + b"\x00" * (-len(b) % 4))

    def attrs(self, attrs: Mapping[str, Any]) -> None:
        if not attrs:
            self.parts.append(b"\x00" * 8)  # ABSENT
            return
        self.int(12)  # NC_ATTRIBUTE
        self.int(len(attrs))
        for k, v in attrs.items():
            self.name(k)
            v = _attr(v)
            if isinstance(v, bytes):
                self.int(2)  # NC_CHAR
                raw = v
                self.int(len(raw))
            else:
                self.int(_nc_type(v.dtype))
                raw = v.astype(v.dtype.newbyteorder(">")).tobytes()
                self.int(v.size)
            self.parts.append(raw + b"\x00" * (-len(raw) % 4))

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.parts)


def write_netcdf3_arrays(path: str | os.PathLike[str], dims: Sequence[tuple[str, int]],
                         variables: Sequence[tuple[str, Sequence[str], np.ndarray, Mapping[str, Any]]],
                         attrs: Mapping[str, Any]) -> None:
    """Write a NetCDF3 file (64-bit offset) of numpy arrays: ``dims`` ``(name, length)`` in order,
    ``variables`` ``(name, dimension names, array, attributes)`` in the order xarray would store
    them (arrays of a NetCDF3 type: float64, float32, int32, int16, int8; attributes in the order
    given, ``_FillValue`` included where wanted), global ``attrs`` (text or numbers). Units: whatever
    the attributes say. The bytes are those SciPy's ``netcdf_file`` writes for the same calls (what
    ``to_netcdf(engine="scipy")`` makes): header, then each variable's big-endian values padded to
    4 bytes with its fill value, variables ordered by shape (largest first, stable) as SciPy does.
    Written here (~60 lines) because importing ``scipy.io`` costs ~0.1 s. Not atomic: write to a
    temporary name (:func:`~jointmission.io.atomic.write_with`)."""
    dim_ids = {name: i for i, (name, _) in enumerate(dims)}
    lengths = dict(dims)
    vs = []
    for name, vdims, data, vattrs in variables:
        data = np.asarray(data)
        shape = tuple(lengths[d] for d in vdims)
        if data.shape != shape:
            raise ValueError(f"variable {name!r}: shape {data.shape}, dimensions {tuple(vdims)} say {shape}")
        vs.append((name, tuple(vdims), data, dict(vattrs), _nc_type(data.dtype)))
    vs.sort(key=lambda v: tuple(lengths[d] for d in v[1]), reverse=True)  # SciPy's order: by shape, stable
    head = _Header()
    head.parts.append(b"CDF\x02")
    head.int(0)  # numrecs: no record dimension
    if dims:
        head.int(10)  # NC_DIMENSION
        head.int(len(dims))
        for name, n in dims:
            head.name(name)
            head.int(n)
    else:
        head.parts.append(b"\x00" * 8)
    head.attrs(attrs)
    blocks, begins = [], []
    if vs:
        head.int(11)  # NC_VARIABLE
        head.int(len(vs))
    else:
        head.parts.append(b"\x00" * 8)
    for name, vdims, data, vattrs, nct in vs:
        head.name(name)
        head.int(len(vdims))
        for d in vdims:
            head.int(dim_ids[d])
        head.attrs(vattrs)
        head.int(nct)
        raw = data.astype(data.dtype.newbyteorder(">")).tobytes()
        pad = -len(raw) % 4
        if pad:
            fill = _DEFAULT_FILL[nct]
            if "_FillValue" in vattrs:
                own = np.array(vattrs["_FillValue"], dtype=data.dtype.newbyteorder(">")).tobytes()
                fill = own if len(own) == data.dtype.itemsize else fill
            raw += fill * (pad // len(fill))
        head.int(len(raw))  # vsize
        begins.append(len(head.parts))
        head.parts.append(b"")  # begin: set below, once the header's size is known
        blocks.append(raw)
    offset = head.size + 8 * len(begins)
    for i, raw in zip(begins, blocks):
        head.parts[i] = offset.to_bytes(8, "big", signed=True)
        offset += len(raw)
    with open(path, "wb") as fh:
        fh.write(b"".join(head.parts))
        for raw in blocks:
            fh.write(raw)
