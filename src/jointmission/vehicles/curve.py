"""Payload curves: the payload of one vehicle over a swept target parameter (C3 or circular-orbit
altitude), the way launch-services performance charts are drawn.

:func:`compute_curve` solves every point of the axis in one vectorized call of
:func:`jointmission.vehicles.performance.payload_to_c3` / ``payload_to_orbit`` and returns a
:class:`Curve` of plain numpy arrays (SI); :func:`curve_dataset` turns it into an
:class:`xarray.Dataset` over the swept axis (what ``jm.payload_curve`` returns). Points outside the
field limits of the one registry (:data:`jointmission.fields.KINDS`: C3 at most 1000 km^2/s^2,
Earth-orbit altitude 120 km to the sphere of influence) are ``INVALID_TARGET`` points, not
exceptions.

A C3 curve may state the departure declination (DLA) of its asymptote: the parking orbit is then
inclined at least ``|DLA|`` (:func:`jointmission.vehicles.targets.parking_inclination`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M
from ..core.status import Status, status_legend, status_text
from ..fields import KINDS
from .published import CurveAxis
from .targets import parking_inclination
from .vehicle import LaunchVehicle

__all__ = ["Curve", "CurveAxis", "compute_curve", "curve_dataset", "LOSS_TERMS", "MAX_CURVE_POINTS"]

MAX_CURVE_POINTS = 2000
"""Most points of one curve: a performance chart needs tens to hundreds; more is a typing error
(a step in the wrong unit) that would run for minutes."""

LOSS_TERMS: tuple[str, ...] = ("dv_gravity", "dv_drag", "dv_steering", "dv_back_pressure", "dv_finite_burn",
                               "dv_dogleg")
"""Delta-v loss terms of a curve point [m/s] (the ascent losses, the top stage's finite-burn arc and
the dog-leg turn), as in :class:`jointmission.vehicles.performance.PerformanceResult`."""

_BUDGET = ("dv_required", "dv_orbit", "dv_rotation", "dv_departure") + LOSS_TERMS


@dataclass(frozen=True)
class Curve:
    """One payload curve, SI arrays over the swept axis (length ``n``).

    Attributes
    ----------
    axis : ``"c3"`` (values in m^2/s^2) or ``"altitude"`` (circular-orbit altitude, m).
    values : the swept values [SI].
    payload_kg : payload [kg]; NaN where ``status`` is not OK.
    status : int8 :class:`~jointmission.core.status.Status` codes.
    budget : delta-v terms [m/s] by name (``dv_required``, ``dv_orbit``, ``dv_rotation``,
        ``dv_departure`` and :data:`LOSS_TERMS`).
    liftoff_tw : lift-off thrust-to-weight with the point's payload [-].
    vehicle : the vehicle's name.
    latitude_rad : launch latitude [rad].
    inclination_rad : (parking-)orbit inclination flown [rad] (after the DLA rule; the due-east value
        ``|latitude|`` when none is needed).
    parking_alt_m : parking-orbit altitude [m] (C3 curves; NaN for altitude curves).
    dla_rad : departure declination [rad] (C3 curves; NaN when not given).
    top_load : loaded fraction of the top stage's burnable propellant per point [-] (None: the full
        load, not asked for; see :func:`~jointmission.vehicles.performance.payload_to_orbit`).
    """

    axis: CurveAxis
    values: np.ndarray
    payload_kg: np.ndarray
    status: np.ndarray
    budget: dict[str, np.ndarray]
    liftoff_tw: np.ndarray
    vehicle: str
    latitude_rad: float
    inclination_rad: float
    parking_alt_m: float = math.nan
    dla_rad: float = math.nan
    top_load: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.values.size)

    @property
    def losses(self) -> np.ndarray:
        """Sum of :data:`LOSS_TERMS` [m/s] per point."""
        return np.sum([self.budget[k] for k in LOSS_TERMS], axis=0)


def _as_vector(x: Any, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim > 1:
        raise ValueError(f"{name}: a curve sweeps one axis; give a scalar or a 1-d array, got shape {a.shape}")
    a = a.reshape(-1)
    if a.size == 0:
        raise ValueError(f"{name}: a curve needs at least one value")
    if a.size > MAX_CURVE_POINTS:
        raise ValueError(f"{name}: {a.size:,} points; a curve has at most {MAX_CURVE_POINTS:,} points")
    return a


def compute_curve(
    vehicle: LaunchVehicle,
    *,
    c3_m2_s2: Any = None,
    altitude_m: Any = None,
    inclination_rad: float | None = None,
    parking_alt_m: float | None = None,
    dla_rad: float | None = None,
    latitude_rad: float | None = None,
    reserve_fraction: float = 0.0,
    top_load: float | str = "optimal",
) -> Curve:
    """Payload of ``vehicle`` over C3 values ``c3_m2_s2`` [m^2/s^2] or circular-orbit altitudes
    ``altitude_m`` [m] (exactly one of them; a scalar is a one-point curve), SI in and out.

    ``inclination_rad`` [rad] is the orbit (altitude curves) or parking-orbit (C3 curves)
    inclination, default due east; ``parking_alt_m`` [m] the parking altitude of a C3 curve
    (default :data:`DEFAULT_PARKING_ALT_M`); ``dla_rad`` [rad] the departure declination of a C3
    curve (the parking orbit is inclined at least ``|DLA|``); ``latitude_rad`` [rad] the launch
    latitude (default the vehicle's); ``reserve_fraction`` [-] and ``top_load`` (a fraction of the top
    stage's propellant -- a number, ``"60 %"``, a dimensionless Quantity -- or ``"optimal"``, the default;
    a bool is a TypeError) as :func:`~jointmission.vehicles.performance.payload_to_orbit`. All points are solved in one
    vectorized call. Raises ``ValueError`` for a malformed request (both or neither axis, a 2-d axis,
    more than :data:`MAX_CURVE_POINTS` points, an inclination below ``|DLA|``)."""
    from . import performance as perf
    from .arguments import top_load_arg

    top_load = top_load_arg(top_load)  # "60 %", "Optimal" as in a scenario file; a bool is refused
    if (c3_m2_s2 is None) == (altitude_m is None):
        raise ValueError("give exactly one swept axis: c3 (a C3 curve) or altitude (a circular-orbit curve)")
    if not isinstance(vehicle, LaunchVehicle):
        raise TypeError(f"vehicle must be a LaunchVehicle or a catalog name, got {type(vehicle).__name__}")
    lat = float(vehicle.latitude_rad if latitude_rad is None else latitude_rad)
    is_c3 = c3_m2_s2 is not None
    if not is_c3 and (dla_rad is not None or parking_alt_m is not None):
        raise ValueError("dla and parking_altitude apply to a C3 curve (the parking orbit of the escape burn); "
                         "an altitude curve flies its orbit directly")
    inc = None if inclination_rad is None or math.isnan(float(inclination_rad)) else float(inclination_rad)
    dla = None if dla_rad is None or math.isnan(float(dla_rad)) else float(dla_rad)
    if is_c3:
        inc = parking_inclination(lat, inc, dla)
    flown_inc = abs(lat) if inc is None else inc
    with np.errstate(all="ignore"):
        if is_c3:
            x = _as_vector(c3_m2_s2, "c3")
            park = float(DEFAULT_PARKING_ALT_M if parking_alt_m is None else parking_alt_m)
            res = perf.payload_to_c3(vehicle, x, parking_alt_m=park, inclination_rad=inc, latitude_rad=lat,
                                     reserve_fraction=reserve_fraction, top_load=top_load)
            inside = KINDS["c3"].ok(x) & bool(KINDS["earth_orbit_altitude"].ok(park))
        else:
            x = _as_vector(altitude_m, "altitude")
            park = math.nan
            res = perf.payload_to_orbit(vehicle, x, None, inc, latitude_rad=lat, reserve_fraction=reserve_fraction,
                                        top_load=top_load)
            inside = KINDS["earth_orbit_altitude"].ok(x)
    n = x.size
    bc = lambda a: np.array(np.broadcast_to(np.asarray(a, dtype=float), (n,)))  # noqa: E731
    status = np.array(np.broadcast_to(np.asarray(res.status, dtype=np.int8), (n,)))
    status[~inside] = Status.INVALID_TARGET
    ok = status == Status.OK
    budget = {k: np.where(inside, bc(getattr(res, k)), np.nan) for k in _BUDGET}
    return Curve(axis="c3" if is_c3 else "altitude", values=x, payload_kg=np.where(ok, bc(res.payload_kg), np.nan),
                 status=status, budget=budget, liftoff_tw=np.where(inside, bc(res.liftoff_tw), np.nan),
                 vehicle=vehicle.name, latitude_rad=lat, inclination_rad=float(flown_inc), parking_alt_m=park,
                 dla_rad=math.nan if dla is None else dla,
                 top_load=None if isinstance(top_load, (int, float)) and float(top_load) == 1.0
                 else np.where(ok, bc(res.top_load), np.nan))


_AXIS_ATTRS = {
    "c3": {"units": "m2/s2", "long_name": "characteristic energy C3"},
    "altitude": {"units": "m", "long_name": "circular-orbit altitude above the equatorial radius"},
}
_VAR_ATTRS = {
    "dv_required": "ideal delta-v the vehicle supplies: orbit - rotation + losses + departure",
    "dv_orbit": "orbital speed at insertion (parking circular speed for C3 targets)",
    "dv_rotation": "Earth-rotation benefit, subtracted (negative = penalty)",
    "dv_departure": "departure burn from the parking orbit (C3 targets)",
    "dv_gravity": "gravity loss",
    "dv_drag": "drag loss",
    "dv_steering": "steering loss",
    "dv_back_pressure": "atmospheric back-pressure (nozzle) loss",
    "dv_finite_burn": "finite-arc loss of the apsis / departure burn",
    "dv_dogleg": "yaw-steering (dog-leg) cost",
}


def curve_dataset(curve: Curve):
    """The curve as an :class:`xarray.Dataset` with one dimension named after the axis (``c3`` in
    m^2/s^2 or ``altitude`` in m): ``payload`` [kg], ``status`` (int8 codes, text in the attrs),
    ``status_text``, every delta-v term [m/s], ``dv_losses`` [m/s] and ``liftoff_tw`` [-]; the
    vehicle, latitude, inclination, parking altitude and DLA in the attributes (SI)."""
    from ..io.datasets import numpy_dataset  # the same Dataset as xr.Dataset, without importing dask

    dim = curve.axis
    data: dict[str, Any] = {
        "payload": (dim, curve.payload_kg, {"units": "kg", "long_name": "payload mass (NaN where status is not 0)"}),
        "status": (dim, curve.status, {"long_name": "status code (0 = ok)",
                                       "codes": status_legend()}),
        "status_text": (dim, np.array([status_text(int(s)) for s in curve.status], dtype=object), {}),
        "liftoff_tw": (dim, curve.liftoff_tw, {"units": "1", "long_name": "lift-off thrust-to-weight ratio"}),
        "dv_losses": (dim, curve.losses, {"units": "m/s", "long_name": "sum of " + ", ".join(LOSS_TERMS)}),
    }
    for k, desc in _VAR_ATTRS.items():
        data[k] = (dim, curve.budget[k], {"units": "m/s", "long_name": desc})
    if curve.top_load is not None:
        data["top_load"] = (dim, curve.top_load, {"units": "1", "long_name": "loaded fraction of the top stage's propellant"})
    attrs = {"vehicle": curve.vehicle, "latitude_rad": curve.latitude_rad, "inclination_rad": curve.inclination_rad,
             "target_kind": "c3" if dim == "c3" else "orbit"}
    if dim == "c3":
        attrs["parking_alt_m"] = curve.parking_alt_m
        if not math.isnan(curve.dla_rad):
            attrs["dla_rad"] = curve.dla_rad
    return numpy_dataset(data, coords={dim: (dim, curve.values, dict(_AXIS_ATTRS[dim]))}, attrs=attrs)
