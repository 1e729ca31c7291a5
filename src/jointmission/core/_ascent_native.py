"""The compiled ascent march and shape search from the native library (:mod:`._native`), without
numba in the process: the same two functions as :mod:`jointmission.core._ascent_kernel`
(``march_cases``, ``optimise_cases``, ``restart_cases``, same arguments), called through ctypes on their C entry
points (:func:`jointmission.core._ascent_kernel.c_entry_points`, the same compiled cores).

:func:`load` returns None where no native library can be had (no C compiler, no writable cache
folder, ``JOINTMISSION_NATIVE=0``); :mod:`jointmission.core.ascent` then uses numba's dispatcher.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np

from . import _native
from ._ascent_layout import N_CHECKPOINTS, NCK

__all__ = ["NativeAscent", "load"]

_HERE = Path(__file__).resolve().parent
_SOURCES = [_HERE / "_ascent_kernel.py", _HERE / "_ascent_layout.py", _HERE / "_numba.py", _HERE / "_native.py", Path(__file__).resolve()]


def _entry_points() -> dict:
    from . import _ascent_kernel

    return _ascent_kernel.c_entry_points()


def _ptr(a: np.ndarray) -> int:
    return a.ctypes.data


def _f64(a) -> np.ndarray:
    """A C-contiguous float64 array of ``a`` (no copy when it is one already)."""
    return np.ascontiguousarray(a, dtype=np.float64)


class NativeAscent:
    """``march_cases`` and ``optimise_cases`` of :mod:`._ascent_kernel` on the native library
    ``lib``; arguments, units and outputs as there (arrays are read as C-contiguous float64; the
    output arrays ``shape`` and ``out`` must be C-contiguous float64 and are written in place)."""

    def __init__(self, lib: ctypes.CDLL):
        self._march = lib.jm_march
        self._march.restype = None
        self._march.argtypes = [ctypes.c_void_p] * 18
        self._opt = lib.jm_optimise
        self._opt.restype = None
        self._opt.argtypes = [ctypes.c_void_p] * 27

    @staticmethod
    def _pars(ff, atm, cd, switch_phase, mu, rr, beta_ref, kick_speed, q_switch, n_atm, n_upper, n_steps_level, p0,
              sizes=(0, 0, 0, 0, 0)):
        n, n_ph = ff.shape
        ipar = np.array([n, n_ph, atm.shape[1], cd.shape[1], switch_phase, n_atm, n_upper, n_steps_level, *sizes],
                        dtype=np.int64)
        fpar = np.array([mu, rr, beta_ref, kick_speed, q_switch, p0], dtype=np.float64)
        return ipar, fpar

    @staticmethod
    def _check_out(*arrays: np.ndarray) -> None:
        for a in arrays:
            if a.dtype != np.float64 or not a.flags.c_contiguous or not a.flags.writeable:
                raise ValueError("output arrays must be writeable C-contiguous float64")

    def march_cases(self, ff, cc, m0, m1, pa, h_t, vrot, delta, loft, lev, top, switch_phase, mu, rr, beta_ref, kick_speed,
                    q_switch, n_atm, n_upper, n_steps_level, p0, atm, cd, out) -> None:
        """See :func:`jointmission.core._ascent_kernel.march_cases`."""
        ph = [_f64(a) for a in (ff, cc, m0, m1, pa)]
        cs = [_f64(a) for a in (h_t, vrot, delta, loft, lev, top)]
        atm, cd = _f64(atm), _f64(cd)
        n, n_ph = ph[0].shape
        if any(a.shape != (n, n_ph) for a in ph) or any(a.shape != (n,) for a in cs) or out.shape != (11, n):
            raise ValueError("march_cases: inconsistent shapes")
        self._check_out(out)
        ipar, fpar = self._pars(ph[0], atm, cd, switch_phase, mu, rr, beta_ref, kick_speed, q_switch, n_atm, n_upper,
                                n_steps_level, p0)
        mdot, dur = np.empty(n_ph), np.empty(n_ph)
        self._march(*(_ptr(a) for a in ph), *(_ptr(a) for a in cs), _ptr(fpar), _ptr(ipar), _ptr(atm), _ptr(cd),
                    _ptr(mdot), _ptr(dur), _ptr(out))

    def optimise_cases(self, ff, cc, m0, m1, pa, h_t, vrot, top, switch_phase, mu, rr, beta_ref, kick_speed, q_switch,
                       n_atm, n_upper, n_steps_level, p0, atm, cd, log_kicks, kicks, lin, lgrid, vgrid, shape,
                       out, restart=0) -> None:
        """See :func:`jointmission.core._ascent_kernel.optimise_cases` (``restart`` 1:
        :func:`~jointmission.core._ascent_kernel.restart_cases`)."""
        ph = [_f64(a) for a in (ff, cc, m0, m1, pa)]
        cs = [_f64(a) for a in (h_t, vrot, top)]
        grids = [_f64(a) for a in (log_kicks, kicks, lin, lgrid, vgrid)]
        atm, cd = _f64(atm), _f64(cd)
        n, n_ph = ph[0].shape
        nk, nf, nl, nv = (a.shape[0] for a in (grids[0], grids[2], grids[3], grids[4]))
        if (any(a.shape != (n, n_ph) for a in ph) or any(a.shape != (n,) for a in cs) or grids[1].shape != (nk,)
                or out.shape != (11, n) or shape.shape != (3, n)):
            raise ValueError("optimise_cases: inconsistent shapes")
        self._check_out(out, shape)
        ipar, fpar = self._pars(ph[0], atm, cd, switch_phase, mu, rr, beta_ref, kick_speed, q_switch, n_atm, n_upper,
                                n_steps_level, p0, (nk, nf, nl, nv, restart))
        w = max(nk, nf, nl * nv)
        scratch = [np.empty(n_ph), np.empty(n_ph), np.empty((11, w)), np.empty(w), np.empty(nf), np.empty(nl),
                   np.empty(nv), np.empty((N_CHECKPOINTS, NCK))]
        self._opt(*(_ptr(a) for a in ph), *(_ptr(a) for a in cs), _ptr(fpar), _ptr(ipar), _ptr(atm), _ptr(cd),
                  *(_ptr(a) for a in grids), _ptr(shape), _ptr(out), *(_ptr(a) for a in scratch))

    def restart_cases(self, *args) -> None:
        """See :func:`jointmission.core._ascent_kernel.restart_cases`."""
        self.optimise_cases(*args, restart=1)


def load() -> NativeAscent | None:
    """The native ascent kernels (built on first need, see :mod:`._native`), or None."""
    lib = _native.library("ascent", _HERE, _SOURCES, _entry_points)
    return None if lib is None else NativeAscent(lib)
