"""Launcher capability for mission deliveries: one vectorized payload call for all launcher
variants and all delivery targets.

Each vehicle payload call runs the ascent model, so :func:`capability` stacks every launcher variant
with the same stage count into one :class:`~jointmission.vehicles.VehicleArrays` (cases along a
leading axis) and every delivery into a second axis: one
:func:`jointmission.vehicles.payload_to_c3` call for the C3 deliveries and one
:func:`jointmission.vehicles.payload_to_orbit` call for the circular-orbit deliveries per stage
count, so each delivery gets exactly what :func:`jointmission.vehicles.payload` gives for it.

A C3 delivery with a departure declination (``Target.c3(..., dla_rad=...)``: the DLA of the Mars
transfer a mission flies) is flown from a parking orbit inclined at least ``|DLA|``
(:func:`~jointmission.vehicles.targets.parking_inclination`, per vehicle from its launch latitude):
due east when the site latitude already covers the DLA, else at ``i = |DLA|``, which costs
Earth-rotation benefit (and a dog-leg nothing). Deliveries without a DLA are flown due east.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.rocket import Stack
from ..vehicles import LaunchVehicle, VehicleArrays, payload_to_c3, payload_to_orbit, vehicle_arrays
from ..vehicles.targets import Target, parking_inclination

__all__ = ["capability", "delivery_c3"]


def delivery_c3(d: Target) -> float:
    """C3 [m^2/s^2] a delivery is flown to (circular LEO: ``-mu/r (1 - 1e-9)``; see
    :meth:`~jointmission.vehicles.targets.Target.c3_form`)."""
    return d.c3_form()[0]


def _expand(va: VehicleArrays) -> VehicleArrays:
    """Add a target axis after the vehicle axis: (V, ...) -> (V, 1, ...)."""
    st = va.stack
    per_stage = ("isp", "thrust", "m_prop", "m_dry")
    stack = Stack(*(np.asarray(getattr(st, f), dtype=float)[:, None, :] if f in per_stage
                    else np.asarray(getattr(st, f), dtype=float)[:, None] for f in Stack._fields))
    return VehicleArrays(stack, np.asarray(va.phase_thrust)[:, None, :], np.asarray(va.phase_p_area)[:, None, :],
                         np.asarray(va.liftoff_thrust)[:, None], np.asarray(va.latitude)[:, None],
                         np.broadcast_to(np.asarray(va.coast_loss, dtype=float), np.shape(va.latitude))[:, None],
                         va.column_stage)


def _inclinations(deliveries: Sequence[Target], site_lat_rad: np.ndarray) -> np.ndarray | None:
    """Parking/orbit inclination [rad] per vehicle site latitude (rows) and delivery (columns), NaN
    for due east; ``None`` when every delivery flies due east. The rule of ``payload()``: a stated
    inclination is flown, a DLA raises a due-east orbit to ``|DLA|`` above the site latitude
    (:func:`~jointmission.vehicles.targets.parking_inclination`)."""
    if all(d.dla_rad is None and d.inclination_rad is None for d in deliveries):
        return None
    inc = np.full((len(site_lat_rad), len(deliveries)), np.nan)
    for j, d in enumerate(deliveries):
        for i, lat in enumerate(site_lat_rad):
            got = parking_inclination(float(lat), d.inclination_rad, d.dla_rad)
            inc[i, j] = np.nan if got is None else float(got)
    return inc


def capability(
    vehicles: Sequence[LaunchVehicle],
    deliveries: Sequence[Target],
    *,
    latitude_rad: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Payload [kg] and status of every vehicle to every delivery, shape ``(len(vehicles),
    len(deliveries))`` (NaN + status where the vehicle cannot reach it). ``latitude_rad`` [rad]
    overrides every vehicle's launch site (due-east launch from there). A C3 delivery's
    ``dla_rad`` [rad] sets the parking inclination (see the module docstring), and so does an
    assembly orbit's (a circular orbit delivery with ``dla_rad``: inclined at |DLA| above the site
    latitude). A delivery's stated ``inclination_rad`` [rad] is flown as given."""
    nv, nd = len(vehicles), len(deliveries)
    out = np.full((nv, nd), np.nan)
    status = np.zeros((nv, nd), dtype=np.int8)
    if nv == 0 or nd == 0:
        return out, status
    is_c3 = np.array([d.kind == "c3" for d in deliveries])
    for d in deliveries:
        if d.kind != "c3" and not d.is_circular:
            raise ValueError(f"a mission delivery is a C3 or a circular orbit, got {d.label()}")
    c3 = np.array([float(d.c3_m2_s2) if k else np.nan for d, k in zip(deliveries, is_c3)])
    alt = np.array([float(d.parking_alt_m if k else d.perigee_alt_m) for d, k in zip(deliveries, is_c3)])
    groups: dict[object, list[int]] = {}
    for i, v in enumerate(vehicles):
        groups.setdefault(vehicle_arrays(v).column_stage or v.n_stages, []).append(i)
    for idx in groups.values():  # one call per stage layout and kind of delivery (usually one or two)
        va = _expand(vehicle_arrays([vehicles[i] for i in idx]))
        lat = None if latitude_rad is None else np.full((len(idx), 1), float(latitude_rad))
        inc = _inclinations(deliveries, np.broadcast_to(np.asarray(va.latitude if lat is None else lat, dtype=float),
                                                        (len(idx), 1))[:, 0])
        for cols, kind in ((np.flatnonzero(is_c3), "c3"), (np.flatnonzero(~is_c3), "orbit")):
            if cols.size == 0:
                continue
            inc_k = None if inc is None else inc[:, cols]
            with np.errstate(all="ignore"):
                if kind == "c3":
                    res = payload_to_c3(va, c3[None, cols], parking_alt_m=alt[None, cols], latitude_rad=lat,
                                        inclination_rad=inc_k)
                else:  # the orbit as payload() flies it (a high circular orbit: insertion low, then circularise)
                    res = payload_to_orbit(va, alt[None, cols], inclination_rad=inc_k, latitude_rad=lat)
            out[np.ix_(idx, cols)] = np.broadcast_to(np.asarray(res.payload_kg, dtype=float), (len(idx), cols.size))
            status[np.ix_(idx, cols)] = np.broadcast_to(np.asarray(res.status), (len(idx), cols.size))
    return out, status
