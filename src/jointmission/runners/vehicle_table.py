"""Vectorized vehicle arrays for sweeps: one :class:`~jointmission.vehicles.performance.VehicleArrays`
row per case, built with numpy from a base vehicle and the swept parameter columns.

:meth:`jointmission.vehicles.vehicle.LaunchVehicle.to_stack`, ``phase_thrust_vac``,
``phase_pressure_loss`` and ``liftoff_thrust`` build the same arrays for one vehicle from Python
objects; here the same formulas run over arrays of cases (no Python loop over cases), so a chunk of
1e6 vehicles costs a few numpy operations. ``tests/sweeps/test_vehicle_table.py`` checks the two
agree for every sweepable field.

Parameter keys are paths inside the vehicle, as :class:`~jointmission.scenario.sweep_spec.ParamInfo`
``keys``: ``("stages", 0, "engine", "isp_vac")``, ``("boosters", "count")``, ``("fairing", "mass")``,
``("other_jettisoned", 1, "mass")``, ``("launch_site", "latitude")``. Values are SI.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import G0
from ..core.rocket import Stack
from ..vehicles.performance import VehicleArrays
from ..vehicles.vehicle import LaunchVehicle

__all__ = ["VehicleBase", "vehicle_base", "build_vehicle_arrays"]

_ENGINE_FIELDS = ("thrust_vac", "isp_vac", "thrust_sl", "isp_sl")


@dataclass(frozen=True)
class VehicleBase:
    """The scenario's vehicle as a flat table of SI values (NaN for absent optional engine data).

    Attributes
    ----------
    values : dict
        Key path (tuple) -> SI float.
    n_stages : int
    has_boosters : bool
    jettisons : tuple of (key path, after_stage)
        Where each jettisoned mass is read from and the stage whose dry mass it joins.
    """

    values: dict
    n_stages: int
    has_boosters: bool
    jettisons: tuple


def _nan(x):
    return float("nan") if x is None else float(x)


def vehicle_base(vehicle: LaunchVehicle) -> VehicleBase:
    """Flatten ``vehicle`` into a :class:`VehicleBase`."""
    v: dict = {}
    for i, s in enumerate(vehicle.stages):
        for f in _ENGINE_FIELDS:
            v[("stages", i, "engine", f)] = _nan(getattr(s.engine, f))
        v[("stages", i, "engine_count")] = float(s.engine_count)
        v[("stages", i, "m_prop")] = float(s.m_prop)
        v[("stages", i, "m_dry")] = float(s.m_dry)
    v[("stages", 0, "throttle_during_boosters")] = float(vehicle.stages[0].throttle_during_boosters)
    b = vehicle.boosters
    if b is not None:
        for f in _ENGINE_FIELDS:
            v[("boosters", "engine", f)] = _nan(getattr(b.engine, f))
        v[("boosters", "count")] = float(b.count)
        v[("boosters", "engines_per_booster")] = float(b.engines_per_booster)
        v[("boosters", "m_prop")] = float(b.m_prop_each)
        v[("boosters", "m_dry")] = float(b.m_dry_each)
    jett = []
    k_other = 0
    for j in vehicle.jettisons:
        key = ("fairing", "mass") if j.name == "fairing" and ("fairing", "mass") not in v else \
            ("other_jettisoned", k_other, "mass")
        if key[0] == "other_jettisoned":
            k_other += 1
        v[key] = float(j.mass)
        jett.append((key, int(j.after_stage)))
    v[("launch_site", "latitude")] = float(vehicle.latitude_rad)
    return VehicleBase(values=v, n_stages=vehicle.n_stages, has_boosters=b is not None, jettisons=tuple(jett))


def _engine(get, prefix):
    """Vacuum thrust, Isp, sea-level thrust, p0*A_e and validity of one engine (arrays or floats)."""
    f_vac = get(prefix + ("thrust_vac",))
    isp_vac = get(prefix + ("isp_vac",))
    f_sl = get(prefix + ("thrust_sl",))
    isp_sl = get(prefix + ("isp_sl",))
    has_fsl, has_isl = ~np.isnan(f_sl), ~np.isnan(isp_sl)
    with np.errstate(divide="ignore", invalid="ignore"):
        mdot = f_vac / (G0 * isp_vac)
        f_sea = np.where(has_fsl, f_sl, np.where(has_isl, mdot * G0 * isp_sl, f_vac))
        p_loss = np.where(has_isl, f_vac * (1.0 - isp_sl / isp_vac), np.where(has_fsl, f_vac - f_sl, 0.0))
    ok = (np.where(has_isl, isp_sl <= isp_vac * (1 + 1e-9), True)
          & np.where(has_fsl, f_sl <= f_vac * (1 + 1e-9), True))
    return f_vac, isp_vac, f_sea, p_loss, ok


def build_vehicle_arrays(base: VehicleBase, keys, values: np.ndarray) -> tuple[VehicleArrays, np.ndarray]:
    """Vehicle arrays of ``m`` cases: ``values`` (m, len(keys)) [SI] replace the base values at ``keys``.

    Returns ``(VehicleArrays with a leading case axis of length m, valid)``: ``valid`` (m,) is False
    where a case is non-physical in a way the rocket core does not itself flag (sea-level Isp or
    thrust above vacuum, a count below 1, a latitude beyond +-90 deg). Masses <= 0 and Isp <= 0 are
    flagged by :func:`jointmission.core.payload.solve_payload` as ``INVALID_INPUT``.
    """
    values = np.asarray(values, dtype=float)
    m = values.shape[0]
    cols = {tuple(k): values[:, j] for j, k in enumerate(keys)}

    def get(key):
        return cols[key] if key in cols else base.values[key]

    valid = np.ones(m, dtype=bool)
    n = base.n_stages
    thrust_vac, isp, f_sea, p_loss, m_prop, m_dry = [], [], [], [], [], []
    for i in range(n):  # loop over stages (fixed, small), not cases
        f, c, fs, pl, ok = _engine(get, ("stages", i, "engine"))
        cnt = get(("stages", i, "engine_count"))
        valid &= ok & (cnt >= 1)
        thrust_vac.append(cnt * f)
        isp.append(c)
        f_sea.append(cnt * fs)
        p_loss.append(cnt * pl)
        m_prop.append(get(("stages", i, "m_prop")))
        dry = get(("stages", i, "m_dry"))
        for key, after in base.jettisons:
            if after == i:
                dry = dry + get(key)
        m_dry.append(dry)
    def col(xs):
        if all(np.ndim(x) == 0 for x in xs):  # not swept: one row shared by every case (read-only view)
            return np.broadcast_to(np.array([float(x) for x in xs]), (m, len(xs)))
        out = np.empty((m, len(xs)), order="F")  # column-major: each stage's column is contiguous
        for k, x in enumerate(xs):  # loop over stages
            out[:, k] = x
        return out

    tau = np.broadcast_to(np.asarray(get(("stages", 0, "throttle_during_boosters")), dtype=float), (m,))
    valid &= (tau > 0) & (tau <= 1)
    if base.has_boosters:
        fb, cb, fsb, plb, okb = _engine(get, ("boosters", "engine"))
        count = get(("boosters", "count"))
        n_eng = count * get(("boosters", "engines_per_booster"))
        valid &= okb & (count >= 1) & (n_eng >= 1)
        kw = dict(booster_isp=cb, booster_thrust=n_eng * fb, booster_m_prop=count * get(("boosters", "m_prop")),
                  booster_m_dry=count * get(("boosters", "m_dry")), core_throttle=tau)
        kw = {k: np.broadcast_to(np.asarray(x, dtype=float), (m,)) for k, x in kw.items()}
        f0 = n_eng * fb + tau * thrust_vac[0]
        p0 = n_eng * plb + p_loss[0]
        lift = n_eng * fsb + tau * f_sea[0]
    else:
        kw = {}
        f0, p0, lift = 0.0, 0.0, f_sea[0]
    stack = Stack(isp=col(isp), thrust=col(thrust_vac), m_prop=col(m_prop), m_dry=col(m_dry), **kw)
    lat = np.broadcast_to(np.asarray(get(("launch_site", "latitude")), dtype=float), (m,))
    valid &= np.abs(lat) <= np.pi / 2
    va = VehicleArrays(
        stack=stack,
        phase_thrust=col([f0] + thrust_vac),
        phase_p_area=col([p0] + p_loss),
        liftoff_thrust=np.broadcast_to(np.asarray(lift, dtype=float), (m,)).copy(),
        latitude=lat.copy(),
    )
    return va, valid
