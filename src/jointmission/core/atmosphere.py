"""US Standard Atmosphere 1976: density, pressure, temperature and speed of sound over arrays.

Pure numpy on SI floats (geometric altitude in m). Used by the ascent-loss model
(:mod:`jointmission.core.ascent`, through a log-interpolated table built from :func:`us1976`) and by
the planar ascent integrator (:mod:`jointmission.core.trajectory`).

Source: *U.S. Standard Atmosphere, 1976*, NOAA/NASA/USAF, NOAA-S/T 76-1562.
"""

from __future__ import annotations

import numpy as np

from ..constants import G0

__all__ = ["P0", "us1976"]

P0: float = 101_325.0
"""Sea-level standard pressure [Pa] (US Standard Atmosphere 1976)."""

_R_STAR = 8.31432  # universal gas constant as defined by the 1976 standard [J/(mol K)]
_M0 = 28.9644e-3  # sea-level mean molar mass of air [kg/mol]
_R0_GEOPOT = 6_356_766.0  # effective Earth radius for geopotential altitude [m]
_GAMMA_AIR = 1.4
_GMR = G0 * _M0 / _R_STAR  # hydrostatic constant [K/m] (34.1632 K/km)

# Layers 0-6 of the 1976 standard below 86 km: base geopotential altitude [m] and molecular-scale
# temperature gradient [K/m] (1976 standard, Table 4).
_HB = np.array([0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0, 84_852.0])
_LB = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])


def _layer_bases():
    """Base temperature [K] and pressure [Pa] of each layer from the defining equations."""
    tb = [288.15]
    pb = [P0]
    for i in range(len(_LB)):
        dh = _HB[i + 1] - _HB[i]
        t_top = tb[i] + _LB[i] * dh
        if _LB[i] == 0.0:
            p_top = pb[i] * np.exp(-_GMR * dh / tb[i])
        else:
            p_top = pb[i] * (tb[i] / t_top) ** (_GMR / _LB[i])
        tb.append(t_top)
        pb.append(p_top)
    return np.array(tb), np.array(pb)


_TB, _PB = _layer_bases()  # 8 entries: layer bases 0..6 and the 86 km top

# Ratio of molar mass to its sea-level value, M / M0, between 80 and 86 km geometric altitude
# (1976 standard, Table 8); converts molecular-scale to kinetic temperature T = T_M M / M0.
_MR_Z = np.arange(80_000.0, 86_001.0, 500.0)
_MR = np.array(
    [1.0, 0.999996, 0.999989, 0.999971, 0.999941, 0.999909, 0.999870, 0.999829, 0.999786,
     0.999741, 0.999694, 0.999641, 0.999579]
)

# Above 86 km: published 1976 values (geometric altitude) joined by log-linear interpolation of
# pressure and density (piecewise exponential, local scale heights 5-80 km); the 86 km node is
# taken from the layered model so the two parts meet continuously. Above the last node the last
# scale height continues. Temperature (kinetic) is interpolated linearly and only feeds the speed
# of sound, which does not matter there (no drag to speak of).
_UP_Z = np.array([86.0, 90.0, 100.0, 110.0, 120.0, 150.0, 200.0, 300.0, 500.0, 1000.0]) * 1e3
_UP_P = np.array([np.nan, 1.8359e-1, 3.2011e-2, 7.1042e-3, 2.5382e-3, 4.5422e-4, 8.4736e-5,
                  8.7704e-6, 3.0236e-7, 7.5138e-9])
_UP_RHO = np.array([np.nan, 3.416e-6, 5.604e-7, 9.708e-8, 2.222e-8, 2.076e-9, 2.541e-10,
                    1.916e-11, 5.215e-13, 3.561e-15])
_UP_T = np.array([186.87, 186.87, 195.08, 240.0, 360.0, 634.39, 854.56, 976.01, 999.24, 1000.0])
_UP_P[0] = _PB[-1]
_UP_RHO[0] = _PB[-1] * _M0 / (_R_STAR * _TB[-1])
_UP_LOGP = np.log(_UP_P)
_UP_LOGRHO = np.log(_UP_RHO)
_UP_SLOPE_P = (_UP_LOGP[-1] - _UP_LOGP[-2]) / (_UP_Z[-1] - _UP_Z[-2])
_UP_SLOPE_RHO = (_UP_LOGRHO[-1] - _UP_LOGRHO[-2]) / (_UP_Z[-1] - _UP_Z[-2])


def us1976(h_m):
    """US Standard Atmosphere 1976 at geometric altitude ``h_m`` [m] (array_like, any shape).

    Returns ``(rho, p, T, a)``: density [kg/m^3], pressure [Pa], kinetic temperature [K] and speed of
    sound [m/s], each of the shape of ``h_m``.

    Below 86 km the seven defining layers are evaluated exactly (geopotential altitude
    ``H = r0 z / (r0 + z)``, ``r0 = 6 356 766 m``; linear molecular-scale temperature in ``H``;
    hydrostatic pressure; ``rho = p M0 / (R* T_M)``; ``a = sqrt(1.4 R* T_M / M0)``), which reproduces
    the standard's tables to their printed 5 digits. Above 86 km pressure and density are
    interpolated log-linearly between published 1976 table values (exponential with a local scale
    height) up to 1000 km and extrapolated exponentially above. Altitudes below -5 km (the
    standard's lower limit) are clamped to -5 km.

    Source: *U.S. Standard Atmosphere, 1976*, NOAA/NASA/USAF, NOAA-S/T 76-1562 (U.S. Government
    Printing Office, Washington D.C., 1976), Tables 1, 4 and 8 and the equations of Part 1.
    """
    z = np.maximum(np.asarray(h_m, dtype=float), -5000.0)
    high = z > _UP_Z[0]
    any_high = bool(np.any(high))
    all_high = bool(np.all(high))
    # Each branch is evaluated only if some altitude needs it; elementwise results do not depend on
    # which other elements share the array.
    if not all_high:
        zl = np.minimum(z, _UP_Z[0])
        H = _R0_GEOPOT * zl / (_R0_GEOPOT + zl)
        i = np.clip(np.searchsorted(_HB, H, side="right") - 1, 0, len(_LB) - 1)
        hb, lb, tb, pb = _HB[i], _LB[i], _TB[i], _PB[i]
        tm = tb + lb * (H - hb)
        iso = lb == 0.0
        p_grad = pb * np.exp(_GMR / np.where(iso, 1.0, lb) * np.log(tb / tm))
        p_iso = pb * np.exp(-_GMR * (H - hb) / tb)
        p_low = np.where(iso, p_iso, p_grad)
        rho_low = p_low * _M0 / (_R_STAR * tm)
        t_low = tm * np.interp(zl, _MR_Z, _MR)
    if any_high:
        zc = np.minimum(z, _UP_Z[-1])
        above = np.maximum(z - _UP_Z[-1], 0.0)
        p_high = np.exp(np.interp(zc, _UP_Z, _UP_LOGP) + _UP_SLOPE_P * above)
        rho_high = np.exp(np.interp(zc, _UP_Z, _UP_LOGRHO) + _UP_SLOPE_RHO * above)
        t_high = np.interp(zc, _UP_Z, _UP_T)
    if all_high:
        p, rho, t_kin, t_snd = p_high, rho_high, t_high, t_high
    elif not any_high:
        p, rho, t_kin, t_snd = p_low, rho_low, t_low, tm
    else:
        p = np.where(high, p_high, p_low)
        rho = np.where(high, rho_high, rho_low)
        t_kin = np.where(high, t_high, t_low)
        t_snd = np.where(high, t_high, tm)
    a = np.sqrt(_GAMMA_AIR * _R_STAR / _M0 * t_snd)
    return rho, p, t_kin, a
