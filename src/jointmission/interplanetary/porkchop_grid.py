"""A porkchop grid as numpy arrays (:class:`PorkchopGrid`), and its xarray Dataset on request.

:func:`jointmission.interplanetary.transfers.porkchop_grid` returns this object: the computed
variables as ``(n_depart, n_arrive)`` numpy arrays, the two date axes as Julian dates (TDB) and the
settings the grid was computed with. Nothing here imports xarray, pandas or astropy until
:meth:`PorkchopGrid.to_dataset` is called (``transfers.porkchop`` calls it), so a program that only
needs the numbers -- a window optimum, a mission's transfer choice -- never pays their import
(~0.5-1 s in a fresh process).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.status import Status
from . import ephemeris as eph

if TYPE_CHECKING:  # pragma: no cover - annotations only
    import xarray as xr

__all__ = ["PorkchopGrid", "VARIABLES", "TRANSFER_CODES"]

VARIABLES: dict[str, tuple[str, str]] = {
    "c3_km2_s2": ("km2/s2", "departure characteristic energy C3 = |v_inf|^2"),
    "vinf_depart_km_s": ("km/s", "departure hyperbolic excess speed"),
    "dla_deg": ("deg", "declination of the departure asymptote (Earth equator / ICRF)"),
    "rla_deg": ("deg", "right ascension of the departure asymptote (ICRF)"),
    "vinf_arrive_km_s": ("km/s", "arrival hyperbolic excess speed"),
    "dv_depart_km_s": ("km/s", "departure burn from the circular parking orbit"),
    "dv_arrive_km_s": ("km/s", "capture burn at periapsis into the capture orbit"),
    "dv_total_km_s": ("km/s", "dv_depart + dv_arrive"),
    "tof_days": ("d", "time of flight"),
    "transfer_angle_deg": ("deg", "heliocentric transfer angle (ecliptic, prograde)"),
}
"""Float variables of a grid: name -> (unit, description). With ``type`` and ``status`` (int8)."""

NAMES: tuple[str, ...] = tuple(VARIABLES) + ("type", "status")
"""Every variable of a grid, in Dataset order."""

TRANSFER_CODES = (Status.OK, Status.TOF_OUT_OF_RANGE, Status.ARRIVAL_BEFORE_DEPARTURE, Status.NO_SOLUTION,
                  Status.NOT_CONVERGED, Status.DEGENERATE, Status.INVALID_INPUT)
"""The status codes a transfer grid point can carry."""

_EPOCH_2000_S = np.datetime64("2000-01-01T00:00:00", "s").astype(np.int64)
"""2000-01-01 00:00 UTC in seconds of the datetime64 epoch: the reference of the NetCDF date axes."""


@dataclass
class PorkchopGrid:
    """A porkchop grid: departure dates x arrival dates, numpy arrays in the units of their names.

    Attributes
    ----------
    data : dict of str -> ndarray, shape (n_depart, n_arrive)
        The variables of :data:`VARIABLES` (float64: ``c3_km2_s2`` [km^2/s^2], ``vinf_depart_km_s``
        [km/s], ``dla_deg`` [deg] ...), ``type`` (int8: 1, 2; 0 none) and ``status`` (int8,
        :class:`~jointmission.core.status.Status`).
    depart_jd_tdb, arrive_jd_tdb : ndarray
        The date axes [JD TDB].
    attrs : dict
        ``origin``, ``target``, ``mu_sun_m3_s2``, ``park_alt_km``, ``capture_periapsis_alt_km``,
        ``capture_apoapsis_alt_km`` (NaN: circular), ``step_days``, ``arrive_step_days``, and the
        ephemeris and Lambert method used -- the attributes of the Dataset.

    ``grid["c3_km2_s2"]`` (and ``grid["depart_jd_tdb"]``) return the arrays, so code written for the
    Dataset's ``np.asarray(ds[name])`` reads either.
    """

    data: dict[str, np.ndarray]
    depart_jd_tdb: np.ndarray
    arrive_jd_tdb: np.ndarray
    attrs: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        """The variable (or date axis, ``depart_jd_tdb`` / ``arrive_jd_tdb`` [JD TDB]) ``name``."""
        if name in ("depart_jd_tdb", "arrive_jd_tdb"):
            return getattr(self, name)
        return self.data[name]

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_depart, n_arrive)``."""
        return (self.depart_jd_tdb.size, self.arrive_jd_tdb.size)

    def to_dataset(self) -> xr.Dataset:
        """The grid as an :class:`xarray.Dataset` (what :func:`~.transfers.porkchop` returns).

        Dimensions ``depart`` and ``arrive`` labelled with ``datetime64`` UTC dates (with
        ``depart_jd_tdb`` / ``arrive_jd_tdb`` coordinates); each variable carries its unit in
        ``attrs["units"]``. The arrays are shared, not copied.
        """
        from ..io.datasets import numpy_dataset  # the same Dataset as xr.Dataset, without importing dask

        data_vars = {}
        for k in NAMES:
            attrs = ({"units": VARIABLES[k][0], "long_name": VARIABLES[k][1]} if k in VARIABLES
                     else {"long_name": self._int_long_name(k)})
            data_vars[k] = (("depart", "arrive"), self.data[k], attrs)
        jd_d, jd_a = self.depart_jd_tdb, self.arrive_jd_tdb
        ds = numpy_dataset(
            data_vars,
            coords={
                "depart": ("depart", eph.jd_tdb_to_utc_datetime64(jd_d), {"long_name": "departure date (UTC)"}),
                "arrive": ("arrive", eph.jd_tdb_to_utc_datetime64(jd_a), {"long_name": "arrival date (UTC)"}),
                "depart_jd_tdb": ("depart", jd_d, {"units": "d", "long_name": "departure Julian date (TDB)"}),
                "arrive_jd_tdb": ("arrive", jd_a, {"units": "d", "long_name": "arrival Julian date (TDB)"}),
            },
            attrs=dict(self.attrs),
        )
        for c in ("depart", "arrive"):  # NetCDF3 (scipy) has no int64: store dates as float days
            ds[c].encoding.update(units="days since 2000-01-01 00:00:00", dtype="float64")
        return ds

    def write_netcdf(self, path: str | os.PathLike[str]) -> None:
        """Write the grid as NetCDF3 (64-bit offset) to ``path``: the bytes of
        ``self.to_dataset().to_netcdf(path, engine="scipy")`` (the same variables, units and CF
        encoding: dates as float days since 2000-01-01 UTC, NaN fill values), without building
        the Dataset (no xarray, pandas or dask import). Not atomic: write to a temporary name."""
        from ..io.netcdf import write_netcdf3_arrays

        fill = {"_FillValue": np.float64(np.nan)}
        coords = "arrive_jd_tdb depart_jd_tdb"
        variables = []
        for k in NAMES:
            attrs: dict[str, Any] = ({"units": VARIABLES[k][0], "long_name": VARIABLES[k][1]} if k in VARIABLES
                                     else {"long_name": self._int_long_name(k)})
            attrs["coordinates"] = coords
            if self.data[k].dtype.kind == "f":
                attrs.update(fill)
            variables.append((k, ("depart", "arrive"), self.data[k], attrs))
        for c, jd, what in (("depart", self.depart_jd_tdb, "departure"), ("arrive", self.arrive_jd_tdb, "arrival")):
            utc = eph.jd_tdb_to_utc_datetime64(jd).astype("datetime64[s]").astype(np.int64)
            days = (utc - _EPOCH_2000_S) / 86400.0  # exact seconds / 86400: xarray's encoding, to the bit
            variables.append((c, (c,), days, {"long_name": f"{what} date (UTC)", "units": "days since 2000-01-01",
                                              "calendar": "proleptic_gregorian", **fill}))
        for c, jd, what in (("depart", self.depart_jd_tdb, "departure"), ("arrive", self.arrive_jd_tdb, "arrival")):
            variables.append((f"{c}_jd_tdb", (c,), np.asarray(jd, dtype=float),
                              {"units": "d", "long_name": f"{what} Julian date (TDB)", **fill}))
        write_netcdf3_arrays(path, [("depart", self.shape[0]), ("arrive", self.shape[1])], variables, self.attrs)

    @staticmethod
    def _int_long_name(k: str) -> str:
        if k == "type":
            return "transfer type: 1 (< 180 deg), 2 (> 180 deg), 0 none"
        return "status code (jointmission.core.status): " + "; ".join(
            f"{s.value} {s.name.lower()}" for s in TRANSFER_CODES)
