"""Lambert's problem over arrays of problems: Izzo's algorithm, zero and multi-revolution.

Given two position vectors ``r1``, ``r2`` [m] about a body of gravitational parameter ``mu``
[m^3/s^2] and a time of flight ``tof`` [s], find the velocities ``v1``, ``v2`` [m/s] of the conic
arc that goes from ``r1`` to ``r2`` in ``tof``, with ``revs`` complete revolutions in between.

Every input broadcasts against the others (cases along the leading axes, 3-vectors in the last
axis); a single problem is a 0-d case. The solver never loops in Python over problems: each step
is a numpy operation on the array of problems still iterating (a compacted active subset), and
each problem stops on its own convergence test.

Method (D. Izzo 2015, "Revisiting Lambert's problem", CMDA 121:1-15; equation numbers refer to
that paper)
-----------------------------------------------------------------------------------------------
With chord ``c = |r2 - r1|``, semi-perimeter ``s = (|r1| + |r2| + c) / 2`` and
``lambda^2 = 1 - c / s`` (sign: + for the short way, - for the long way), the non-dimensional
time of flight ``T = sqrt(2 mu / s^3) tof`` is a function of one variable ``x`` (eq. 18,
Lancaster-Blanchard):

    T(x) = [ (psi + M pi) / sqrt|1 - x^2| - x + lambda y ] / (1 - x^2),
    y = sqrt(1 - lambda^2 (1 - x^2)),
    cos psi = x y + lambda (1 - x^2),  sin psi = (y - x lambda) sqrt(1 - x^2)   (x < 1)
    sinh psi = (y - x lambda) sqrt(x^2 - 1)                                    (x > 1)

``x < 1`` is an ellipse, ``x = 1`` a parabola, ``x > 1`` a hyperbola. Near the parabola this form
cancels; there (``|S| < 0.05``, ``M = 0``) Battin's series is used instead (eq. 20):
``T = (eta^3 Q + 4 lambda eta) / 2`` with ``eta = y - lambda x``, ``S = (1 - lambda - x eta) / 2``,
``Q = 4/3 2F1(3, 1; 5/2; S)``. Both forms were checked against 40-digit ``decimal`` evaluations
(relative error <= 2e-14 for ``|S| >= 0.05`` with the direct form, series elsewhere). ``eta`` and
``y`` are evaluated in cancellation-free forms (``y^2 = (1 - lambda^2) + lambda^2 x^2``,
``eta = (1 - lambda^2) / (y + lambda x)`` when ``lambda x > 0``), which keeps nearly collinear
short-arc problems (``lambda -> 1``) accurate.

The root of ``T(x) = T*`` is found by Householder iterations (quartic; derivatives eq. 22) from
the paper's initial guesses (eqs. 30-31; for ``M = 0`` with the corrected middle branch of
poliastro issue #1362, ``x0 = 2^(log(T/T0) / log(T1/T0)) - 1``). For ``M > 0`` two solutions
exist when ``T >= T_min(M)``; ``low_path=True`` takes the larger of the two initial guesses (the
right branch, as poliastro/boinor/lamberthub do). ``T_min(M)`` is found, only where it can
decide feasibility (``M = floor(T / pi)`` and ``T < T(x=0)``), by Halley iterations on
``dT/dx = 0`` from ``x = 0`` with ``T`` re-evaluated every step, as in the paper and in pykep.
(poliastro 0.17, boinor 0.20 and lamberthub 1.0 hold ``T`` fixed at its value at the start
point, which over-estimates ``T_min`` and reports "no solution" for some feasible problems just
above the true minimum; see ``docs/method-lambert.md``.)

Velocities follow from eq. (23): with ``gamma = sqrt(mu s / 2)``, ``rho = (|r1| - |r2|) / c``,
``sigma = sqrt(1 - rho^2)``, the radial and tangential components at both ends.

Near 180 degrees (``lambda -> 0``) ``lambda`` is evaluated as ``|w| / (2 s sqrt(|r1| |r2|))``,
``w = |r2| r1 + |r1| r2`` (``1 - c / s`` cancels there), and the tangential directions
``h x r`` are normalised by their own length (the rounded ``h = r1 x r2`` is ``eps / sin``
off perpendicular to ``r1``, ``r2``); see ``docs/method-lambert.md``.

Conventions
-----------
* "Prograde" means the transfer's angular momentum has a non-negative z component (the
  poliastro/pykep convention): ``prograde=True`` takes the short way when ``(r1 x r2)_z >= 0``
  and the long way otherwise.
* Statuses (``LambertStatus``): ``OK``; ``NO_SOLUTION`` (``tof`` below the minimum for ``revs``
  revolutions); ``NOT_CONVERGED``; ``DEGENERATE`` (zero or near-zero radius,
  ``min(|r1|, |r2|) <= 1e-6 max(|r1|, |r2|)``, or ``r1``, ``r2`` collinear: 0 or 180 degrees
  apart, where the transfer plane is undefined; threshold ``|r1 x r2| <= 1e-10 |r1| |r2|``); ``INVALID`` (non-finite input, ``tof <= 0``, ``mu <= 0``
  or ``revs < 0``). Velocities are NaN wherever ``status != OK``.

Sources
-------
- [Izzo] D. Izzo, "Revisiting Lambert's problem", Celest. Mech. Dyn. Astron. 121 (2015) 1-15.
- [Battin] R. H. Battin, *An Introduction to the Mathematics and Methods of Astrodynamics*,
  revised ed., AIAA 1999, Ch. 7 (hypergeometric form of the time of flight).
- poliastro ``core/iod.py`` (J. L. Cano Rodriguez et al.) and pykep ``lambert_problem.cpp``
  (D. Izzo), the reference implementations of the same algorithm.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from .status import Status
from ._guard import mu_first, si_kernel
from ._types import ArrayLike
# the array engine (engine="numpy"); _t_min and _tof_derivs stay reachable here for callers of
# the private helpers (tests)
from ._lambert_array import _solve_block, _t_min, _tof_derivs  # noqa: F401

__all__ = ["LambertSolution", "LambertStatus", "lambert"]


LambertStatus = Status
"""Status of a Lambert problem: the one scheme of :mod:`jointmission.core.status` (``OK``;
``NO_SOLUTION``: ``tof`` below the minimum for ``revs``; ``NOT_CONVERGED``; ``DEGENERATE``: a
radius ``<= 1e-6`` of the other or collinear radii; ``INVALID_INPUT``: non-finite input,
``tof <= 0``, ``mu <= 0`` or ``revs < 0``)."""


class LambertSolution(NamedTuple):
    """Result of :func:`lambert`.

    Attributes
    ----------
    v1 : ndarray (..., 3)
        Velocity at ``r1`` on the transfer arc [m/s]; NaN where ``status != OK``.
    v2 : ndarray (..., 3)
        Velocity at ``r2`` [m/s]; NaN where ``status != OK``.
    status : ndarray (...) int8
        :class:`LambertStatus` codes.
    iterations : ndarray (...) int8
        Householder iterations taken by each problem (0 where none was started).
    """

    v1: np.ndarray
    v2: np.ndarray
    status: np.ndarray
    iterations: np.ndarray


_CHUNK = 32768
"""Problems per block: the ~30 float64 temporaries of a block stay in the L2/L3 cache."""

SMALL_BATCH = 4096
"""Largest batch ``engine="auto"`` gives the compiled loop (above it, the array solver: its ~0.3 ms
fixed cost is then below ~20 % of the batch, and no process pays numba's start-up for one
large call)."""


_KERNEL = None


def _kernel():
    """The compiled solver module, imported on first use (numba loads only when a Lambert
    problem is solved, not with the package)."""
    global _KERNEL
    if _KERNEL is None:
        from . import lambert_kernel

        _KERNEL = lambert_kernel
    return _KERNEL


def _flat_vec(a, shape, size):
    """(..., 3) input as (size, 3), or (1, 3) when it is one vector for all cases."""
    if a.size == 3:
        return a.reshape(1, 3)
    return np.ascontiguousarray(np.broadcast_to(a, shape + (3,)).reshape(size, 3))


def _readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (no copy)."""
    v = a.view()
    v.flags.writeable = False
    return v


def _flat(a, shape, size):
    """Per-case input as (size,), or 0-d when it is one value for all cases."""
    if a.size == 1:
        return a.reshape(())
    return np.broadcast_to(a, shape).reshape(size)


@mu_first
@si_kernel(public="solve_lambert", mu="m^3/s^2", r1="m", r2="m", tof="s", revs="", prograde="", low_path="")
def lambert(
    mu: ArrayLike,
    r1: ArrayLike,
    r2: ArrayLike,
    tof: ArrayLike,
    *,
    revs: ArrayLike = 0,
    prograde: ArrayLike = True,
    low_path: ArrayLike = True,
    workers: int | None = 1,
    chunk_size: int = _CHUNK,
    xtol: float = 1e-9,
    max_iter: int = 35,
    engine: str = "auto",
) -> LambertSolution:
    """Solve Lambert's problem for arrays of problems with Izzo's algorithm.

    Finds the velocities of the conic arc from ``r1`` to ``r2`` in ``tof`` with ``revs``
    complete revolutions. All inputs broadcast against each other (cases along the leading axes;
    3-vectors in the last axis of ``r1``, ``r2``). Inputs are processed in blocks of
    ``chunk_size`` problems, so working memory is bounded (about 40 float64 values per problem
    of a block, plus the outputs); with ``workers > 1`` the blocks are evaluated by a thread pool
    (numpy releases the GIL in its loops).

    The argument order is ``mu`` first, as every kernel (``hohmann(mu, r1, r2)``); the old order
    ``lambert(r1, r2, tof, mu)`` still works with a ``DeprecationWarning`` (recognised by ``r1``
    ending in an axis of length 3; pass a per-case ``mu`` array whose last axis is 3 by keyword).

    Parameters
    ----------
    mu : array_like (...)
        Gravitational parameter of the central body [m^3/s^2], > 0.
    r1, r2 : array_like (..., 3)
        Initial and final position vectors [m].
    tof : array_like (...)
        Time of flight [s], > 0.
    revs : array_like of int (...), optional
        Number of complete revolutions ``M >= 0`` (default 0).
    prograde : array_like of bool (...), optional
        True (default): the transfer's angular momentum has ``h_z >= 0``; False: ``h_z < 0``.
    low_path : array_like of bool (...), optional
        For ``revs > 0``, which of the two solutions: True (default) the one from the larger
        initial guess (right branch, ``x > x(T_min)``), False the other. Ignored for ``revs = 0``.
    workers : int or None, optional
        Threads evaluating blocks (default 1; None: ``os.cpu_count()``).
    chunk_size : int, optional
        Problems per block (default 32768).
    xtol : float, optional
        Convergence test on the Householder step: ``|dx| <= xtol (1 + |x|)`` (default 1e-9).
        In the quartic phase the iteration stops earlier, at a step below ``1e-6 (1 + |x|)``
        that is 1000x smaller than the previous one (the accepted iterate is then converged to
        rounding: velocities to ~1e-15 relative where the problem is well conditioned).
    max_iter : int, optional
        Householder iteration cap (default 35, as poliastro); problems still moving get
        ``NOT_CONVERGED``.
    engine : {"auto", "compiled", "numpy"}, optional
        "compiled": a compiled loop over the problems (:mod:`jointmission.core.lambert_kernel`,
        numba): microseconds for one problem, no temporaries, 1-2x the array solver's rate on
        large batches; the first compiled solve of a process loads numba and the compiled code
        (~0.4-0.6 s of CPU, once). "numpy": the same algorithm as array operations on all
        problems of a block (the reference the compiled loop is tested against; same velocities
        to 1e-12, ~0.3 ms fixed cost per call, no start-up). "auto" (default): compiled up to
        :data:`SMALL_BATCH` problems, numpy above (a one-off large batch never waits for the
        compiled code to load; many small calls get the microsecond path).

    Returns
    -------
    LambertSolution
        ``v1``, ``v2`` (..., 3) [m/s], NaN where ``status != OK``; ``status`` (...) int8
        :class:`LambertStatus` codes; ``iterations`` (...) int8 Householder steps.

    Raises
    ------
    ValueError
        If ``r1``/``r2`` do not end in an axis of length 3, ``revs`` is not a whole number,
        ``workers``/``chunk_size``/``max_iter`` are not positive, ``engine`` is unknown, or the
        shapes do not broadcast.
    TypeError
        If an argument is an astropy Quantity (SI floats only; ``jointmission.solve_lambert``
        converts Quantities).

    References
    ----------
    D. Izzo, "Revisiting Lambert's problem", CMDA 121 (2015) 1-15; see the module docstring.
    """
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    tof = np.asarray(tof, dtype=float)
    mu = np.asarray(mu, dtype=float)
    revs = np.asarray(revs)
    if revs.dtype.kind not in "iu":
        if revs.dtype.kind != "f" or not np.all(revs == np.round(revs)):
            raise ValueError("revs must be whole numbers of revolutions")
        revs = revs.astype(np.int64)
    prograde = np.asarray(prograde, dtype=bool)
    low_path = np.asarray(low_path, dtype=bool)
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1 or chunk_size < 1 or not 1 <= max_iter <= 127:
        raise ValueError("workers and chunk_size must be >= 1 and max_iter in 1..127")
    if engine not in ("auto", "compiled", "numpy"):
        raise ValueError(f"engine must be 'auto', 'compiled' or 'numpy', got {engine!r}")
    for name, v in (("r1", r1), ("r2", r2)):
        if v.ndim == 0 or v.shape[-1] != 3:
            raise ValueError(f"{name} must have 3 components in its last axis, got shape {v.shape}")
    shape = np.broadcast_shapes(
        r1.shape[:-1], r2.shape[:-1], tof.shape, mu.shape, revs.shape, prograde.shape, low_path.shape
    )
    size = math.prod(shape)
    r1f = _flat_vec(r1, shape, size)
    r2f = _flat_vec(r2, shape, size)
    per_case = [_flat(a, shape, size) for a in (tof, mu, revs, prograde, low_path)]

    v1 = np.empty((size, 3))
    v2 = np.empty((size, 3))
    status = np.empty(size, dtype=np.int8)
    iters = np.empty(size, dtype=np.int8)

    if engine == "compiled" or (engine == "auto" and size <= SMALL_BATCH):
        kernel = _kernel().solve_into
        xtol, max_iter = float(xtol), int(max_iter)
        # one compiled signature: C-contiguous float64 / int64 / bool arrays, 1-element for shared,
        # all read-only views (numba types a read-only array apart from a writable one: a broadcast
        # input next to a fresh one would compile another of 2^7 variants, seconds each)
        r1f, r2f = _readonly(np.ascontiguousarray(r1f)), _readonly(np.ascontiguousarray(r2f))
        per_case = [_readonly(np.ascontiguousarray(a.reshape(1) if a.ndim == 0 else a, dtype=d))
                    for a, d in zip(per_case, (np.float64, np.float64, np.int64, np.bool_, np.bool_))]

        def block(lo):
            hi = min(lo + chunk_size, size)
            sl = slice(lo, hi)
            args = [a if a.shape[0] == 1 else a[sl] for a in (r1f, r2f)]
            args += [a if a.shape[0] == 1 else a[sl] for a in per_case]
            kernel(*args, xtol, max_iter, v1[sl], v2[sl], status[sl], iters[sl])
    else:
        def block(lo):
            hi = min(lo + chunk_size, size)
            sl = slice(lo, hi)
            args = [a if a.shape[0] == 1 else a[sl] for a in (r1f, r2f)]
            args += [a if a.ndim == 0 else a[sl] for a in per_case]
            _solve_block(*args, xtol, max_iter, v1[sl], v2[sl], status[sl], iters[sl])

    starts = range(0, size, chunk_size)
    if workers == 1 or len(starts) < 2:
        for lo in starts:
            block(lo)
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
            for _ in pool.map(block, starts):
                pass
    return LambertSolution(
        v1.reshape(shape + (3,)),
        v2.reshape(shape + (3,)),
        status.reshape(shape)[()],
        iters.reshape(shape)[()],
    )
