"""The porkchop grid's inner loop, compiled (numba): one pass per grid point, written in place.

For each (departure row, arrival column) of a block of rows: the time of flight and its checks, the
heliocentric Lambert problem (:func:`jointmission.core.lambert_kernel.solve_one`), then the
patched-conic quantities of :func:`jointmission.interplanetary.transfers.evaluate_pairs` (C3, DLA,
RLA, arrival v_inf, departure and capture delta-v, transfer angle, type, status), written straight
into the rows of the grid's output arrays. No temporaries: a 1000 x 1000 grid allocates its ten
outputs once and nothing per block (the array version faulted in ~40 fresh blocks of memory per
65 536 points). The GIL is released, so row blocks run on threads.

The formulas are those of the array path, in the same order of operations (the array path,
``transfers._solve``, stays the one :func:`evaluate_pairs` and the window optimum use;
``tests/interplanetary/test_transfers.py`` holds the grid to it point for point):

* ``v_inf,dep = v1 - v_origin`` rotated from the J2000 ecliptic to ICRF about x by the obliquity
  (:func:`~jointmission.interplanetary.ephemeris.ecliptic_to_icrf`); ``C3 = |v_inf|^2``,
  ``DLA = asin(v_z / |v_inf|)``, ``RLA = atan2(v_y, v_x)`` in [0, 2 pi);
* departure from the circular parking orbit of radius ``r`` (``w = mu / r``):
  ``|C3 + w| / (sqrt(C3 + 2 w) + sqrt(w))`` (:func:`jointmission.core.orbits.departure_dv`);
* capture at periapsis ``r_p`` into apoapsis ``r_a``: ``(v_inf^2 + e) / (sqrt(v_inf^2 + 2 mu / r_p)
  + sqrt(2 mu / r_p - e))``, ``e = 2 mu / (r_p + r_a)`` (:func:`jointmission.core.orbits.capture_dv`);
* the prograde transfer angle about the ecliptic +z: ``acos(r1.r2 / |r1||r2|)``, or ``2 pi`` minus
  it where ``(r1 x r2)_z < 0``; Type I below 180 deg, Type II above.
"""

from __future__ import annotations

import math

import numpy as np

from ..core._numba import jit as _jit  # numba without SciPy's import on the start-up path
from ..core.lambert_kernel import OK, solve_one
from ..core.status import Status

__all__ = ["grid_rows"]

_ARRIVAL_BEFORE_DEPARTURE = int(Status.ARRIVAL_BEFORE_DEPARTURE)
_TOF_OUT_OF_RANGE = int(Status.TOF_OUT_OF_RANGE)
_INVALID = int(Status.INVALID_INPUT)
_DAY_S = 86400.0


@_jit
def grid_rows(i0, i1, jd_d, jd_a, r1, v_o, r2, v_t, mu_sun, orbits_ok, tof_lo, tof_hi, rot_c, rot_s,
              mu_o, r_park, mu_t, r_peri, r_apo,
              c3, vinf_dep, dla, rla, vinf_arr, dv_dep, dv_arr, dv_tot, tof_days, angle_deg, ttype, status):
    """Fill rows ``i0:i1`` of the (n_depart, n_arrive) outputs (units of their names: km^2/s^2,
    km/s, deg, d; ``ttype``, ``status`` int8).

    ``jd_d`` (n_depart,), ``jd_a`` (n_arrive,) [JD TDB]; ``r1``, ``v_o`` (n_depart, 3) and ``r2``,
    ``v_t`` (n_arrive, 3) ecliptic states [m, m/s]; ``tof_lo``, ``tof_hi`` the allowed time of
    flight [d] (-inf, inf for none); ``orbits_ok`` False marks every point ``INVALID_INPUT``;
    ``rot_c``, ``rot_s`` the cosine and sine of the ecliptic -> ICRF rotation angle about x (minus
    the obliquity); ``r_park``, ``r_peri``, ``r_apo`` radii [m].
    """
    nan = np.nan
    na = jd_a.shape[0]
    w = mu_o / r_park
    sw = math.sqrt(w)
    e_term = 2.0 * mu_t / (r_peri + r_apo)
    v2mu = 2.0 * mu_t / r_peri
    v_cap = math.sqrt(v2mu - e_term)
    deg = 180.0 / math.pi
    two_pi = 2.0 * math.pi
    for i in range(i0, i1):
        ax, ay, az = r1[i, 0], r1[i, 1], r1[i, 2]
        n1 = math.sqrt(ax * ax + ay * ay + az * az)
        for j in range(na):
            bx, by, bz = r2[j, 0], r2[j, 1], r2[j, 2]
            tof_s = (jd_a[j] - jd_d[i]) * _DAY_S
            td = tof_s / _DAY_S
            tof_days[i, j] = td
            # prograde transfer angle about the ecliptic +z
            n2 = math.sqrt(bx * bx + by * by + bz * bz)
            cosang = (ax * bx + ay * by + az * bz) / (n1 * n2)
            ang = math.acos(min(max(cosang, -1.0), 1.0))
            if ax * by - ay * bx < 0.0:
                ang = two_pi - ang
            angle_deg[i, j] = ang * deg
            if not orbits_ok:
                st = _INVALID
            elif tof_s <= 0.0:
                st = _ARRIVAL_BEFORE_DEPARTURE
            elif td < tof_lo or td > tof_hi:
                st = _TOF_OUT_OF_RANGE
            else:
                res = solve_one(ax, ay, az, bx, by, bz, tof_s, mu_sun, 0, True, True, 1e-9, 35)
                st = res[6]
            status[i, j] = st
            if st != OK:
                c3[i, j] = nan
                vinf_dep[i, j] = nan
                dla[i, j] = nan
                rla[i, j] = nan
                vinf_arr[i, j] = nan
                dv_dep[i, j] = nan
                dv_arr[i, j] = nan
                dv_tot[i, j] = nan
                ttype[i, j] = 0
                continue
            # departure excess velocity, ecliptic -> ICRF (rotation about x by -obliquity)
            ex = res[0] - v_o[i, 0]
            ey = res[1] - v_o[i, 1]
            ez = res[2] - v_o[i, 2]
            qx = ex
            qy = rot_c * ey + rot_s * ez
            qz = -rot_s * ey + rot_c * ez
            vd = math.sqrt(qx * qx + qy * qy + qz * qz)
            cc = vd * vd
            gx = res[3] - v_t[j, 0]
            gy = res[4] - v_t[j, 1]
            gz = res[5] - v_t[j, 2]
            va = math.sqrt(gx * gx + gy * gy + gz * gz)
            c3[i, j] = cc / 1e6
            vinf_dep[i, j] = vd / 1e3
            dla[i, j] = math.asin(min(max(qz / vd, -1.0), 1.0)) * deg if vd > 0.0 else nan
            rla[i, j] = (math.atan2(qy, qx) % two_pi) * deg
            vinf_arr[i, j] = va / 1e3
            ddep = abs(cc + w) / (math.sqrt(cc + 2.0 * w) + sw) / 1e3
            va2 = va * va
            darr = (va2 + e_term) / (math.sqrt(va2 + v2mu) + v_cap) / 1e3
            dv_dep[i, j] = ddep
            dv_arr[i, j] = darr
            dv_tot[i, j] = ddep + darr
            ttype[i, j] = 1 if ang < math.pi else 2
