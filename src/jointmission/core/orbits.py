"""Vectorized two-body orbit kernels: vis-viva, impulsive transfers, plane changes, C3.

Every function works on float64 SI arrays (m, m/s, s, m^3/s^2, m^2/s^2, rad) and broadcasts its
arguments against each other with the usual numpy rules; a scalar call is a 0-d case. Results have
the broadcast shape; as with numpy ufuncs, a 0-d result is returned as a ``numpy.float64`` scalar
(a ``float`` subclass) and anything larger as a ``numpy.ndarray``. Multi-output functions return
:class:`typing.NamedTuple` instances whose fields follow the same rule.

Infeasible or non-physical cases (non-positive ``mu`` or radius, a speed that vis-viva cannot
reach, an apoapsis below the periapsis, ...) give NaN in the affected elements; no warning is
emitted and nothing is raised. ``ValueError`` is raised only for programmer errors such as an
unknown ``split`` option, and ``TypeError`` for an astropy Quantity argument: these kernels take SI
floats only (the Quantity-aware versions are in :mod:`jointmission.public`, ``jointmission.hohmann``
etc.).

Impulsive burns between coplanar, tangential apsides are evaluated in a cancellation-free form
(``sqrt(x) - sqrt(y) = (x - y) / (sqrt(x) + sqrt(y))``), so nearly equal orbits give small
delta-v values with full relative precision, and identical orbits give exactly zero.

Sources
-------
- [Vallado] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.,
  Microcosm Press, 2013: Ch. 1 (vis-viva / energy integral, circular and escape speed, Kepler's
  third law); Ch. 6, coplanar transfers (Hohmann and bi-elliptic, Algorithms 36-37, Examples 6-1
  and 6-2) and non-coplanar transfers (inclination-only and combined plane changes, minimum
  combined plane change, Example 6-7).
- [Curtis] H. D. Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed.,
  Butterworth-Heinemann, 2014: Ch. 2 (energy equation, circular and escape speed, period),
  Ch. 6 (Hohmann and bi-elliptic transfers, plane-change maneuvers), Ch. 8 (planetary departure,
  Example 8.3; planetary arrival and capture, including the optimal capture periapsis).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._guard import si_kernel
from ._types import ArrayLike, FloatOrArray

__all__ = [
    "BiellipticResult",
    "HohmannPlaneChangeResult",
    "HohmannResult",
    "bielliptic",
    "c3_from_vinf",
    "capture_dv",
    "circular_speed",
    "combined_plane_change",
    "departure_dv",
    "departure_dv_from_vinf",
    "escape_speed",
    "hohmann",
    "hohmann_with_plane_change",
    "orbital_period",
    "periapsis_speed_hyperbolic",
    "plane_change",
    "vinf_from_c3",
    "vis_viva",
]


class HohmannResult(NamedTuple):
    """Two-impulse Hohmann transfer between coplanar circular orbits.

    Attributes
    ----------
    dv1 : float or ndarray
        Magnitude of the first burn (at ``r1``) [m/s].
    dv2 : float or ndarray
        Magnitude of the second burn (at ``r2``) [m/s].
    dv_total : float or ndarray
        ``dv1 + dv2`` [m/s].
    tof : float or ndarray
        Time of flight, half the period of the transfer ellipse [s].
    """

    dv1: np.ndarray
    dv2: np.ndarray
    dv_total: np.ndarray
    tof: np.ndarray


class BiellipticResult(NamedTuple):
    """Three-impulse bi-elliptic transfer between coplanar circular orbits.

    Attributes
    ----------
    dv1 : float or ndarray
        Magnitude of the burn at ``r1`` onto the first ellipse [m/s].
    dv2 : float or ndarray
        Magnitude of the burn at the intermediate radius ``rb`` [m/s].
    dv3 : float or ndarray
        Magnitude of the circularization burn at ``r2`` [m/s].
    dv_total : float or ndarray
        ``dv1 + dv2 + dv3`` [m/s].
    tof : float or ndarray
        Time of flight, the sum of the two half-ellipse times [s].
    """

    dv1: np.ndarray
    dv2: np.ndarray
    dv3: np.ndarray
    dv_total: np.ndarray
    tof: np.ndarray


class HohmannPlaneChangeResult(NamedTuple):
    """Hohmann transfer with an inclination change shared between its two burns.

    Attributes
    ----------
    dv1 : float or ndarray
        Magnitude of the first burn (at ``r1``), including ``split * delta_i`` of plane change
        [m/s].
    dv2 : float or ndarray
        Magnitude of the second burn (at ``r2``), including ``(1 - split) * delta_i`` [m/s].
    dv_total : float or ndarray
        ``dv1 + dv2`` [m/s].
    tof : float or ndarray
        Time of flight, half the period of the transfer ellipse [s].
    split : float or ndarray
        Fraction of the inclination change done at the first burn [-], in [0, 1].
    """

    dv1: np.ndarray
    dv2: np.ndarray
    dv_total: np.ndarray
    tof: np.ndarray
    split: np.ndarray


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _f(x) -> np.ndarray:
    """Input as a float64 array (no copy when already one)."""
    return np.asarray(x, dtype=float)


def _out(x):
    """Result as numpy does it: an ndarray, or a float64 scalar for a 0-d result."""
    return np.asarray(x, dtype=float)[()]


def _pos(x: np.ndarray) -> np.ndarray:
    """``x`` where ``x > 0``, NaN elsewhere (also NaN stays NaN)."""
    return np.where(x > 0.0, x, np.nan)


def _nonneg(x: np.ndarray) -> np.ndarray:
    """``x`` where ``x >= 0``, NaN elsewhere."""
    return np.where(x >= 0.0, x, np.nan)


def _coplanar_burn(v_ref: np.ndarray, r_here: np.ndarray, r_other: np.ndarray) -> np.ndarray:
    """|v_ellipse - v_ref| at radius ``r_here`` for an ellipse with apsides r_here, r_other.

    ``v_ref`` is the circular speed at ``r_here``; the ellipse speed there is
    ``v_ref * sqrt(2 r_other / (r_here + r_other))`` (vis-viva), and the difference is written
    without cancellation as ``v_ref * |r_other - r_here| / (r_here + r_other) / (1 + sqrt(...))``.
    """
    s = r_here + r_other
    return v_ref * np.abs(r_other - r_here) / s / (1.0 + np.sqrt(2.0 * r_other / s))


def _chord(v1: np.ndarray, v2: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """|v1 - v2| for vectors of magnitude v1, v2 at ``angle``: law of cosines, no cancellation.

    ``v1^2 + v2^2 - 2 v1 v2 cos(a) = (v1 - v2)^2 + 4 v1 v2 sin^2(a / 2)``.
    """
    return np.sqrt((v1 - v2) ** 2 + 4.0 * v1 * v2 * np.sin(0.5 * angle) ** 2)


# --------------------------------------------------------------------------------------------
# speeds, period, C3
# --------------------------------------------------------------------------------------------


@si_kernel(mu="m^3/s^2", r="m", a="m")
def vis_viva(mu: ArrayLike, r: ArrayLike, a: ArrayLike) -> FloatOrArray:
    """Speed on a conic orbit from the vis-viva equation.

    ``v = sqrt(mu * (2 / r - 1 / a))``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter of the central body [m^3/s^2], > 0.
    r : array_like
        Distance from the central body [m], > 0.
    a : array_like
        Semi-major axis [m]: > 0 for an ellipse, < 0 for a hyperbola, ``inf`` for a parabola.

    Returns
    -------
    float or ndarray
        Speed [m/s]. NaN where ``mu <= 0``, ``r <= 0``, ``a == 0``, or the radius cannot be
        reached with that energy (``0 < a < r / 2``).

    References
    ----------
    Vallado, 4th ed., Ch. 1 (energy integral); Curtis, 3rd ed., Ch. 2 (energy equation).
    """
    mu, r, a = _pos(_f(mu)), _pos(_f(r)), _f(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_a = np.where(a == 0.0, np.nan, 1.0 / a)  # 1/inf == 0: parabola
        v = np.sqrt(mu * (2.0 / r - inv_a))
    return _out(v)


@si_kernel(mu="m^3/s^2", r="m")
def circular_speed(mu: ArrayLike, r: ArrayLike) -> FloatOrArray:
    """Speed on a circular orbit, ``sqrt(mu / r)``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r : array_like
        Orbit radius [m], > 0.

    Returns
    -------
    float or ndarray
        Circular speed [m/s]; NaN where ``mu <= 0`` or ``r <= 0``.

    References
    ----------
    Curtis, 3rd ed., Ch. 2 (circular orbits); Vallado, 4th ed., Ch. 1.
    """
    mu, r = _pos(_f(mu)), _pos(_f(r))
    return _out(np.sqrt(mu / r))


@si_kernel(mu="m^3/s^2", r="m")
def escape_speed(mu: ArrayLike, r: ArrayLike) -> FloatOrArray:
    """Parabolic (escape) speed at radius ``r``, ``sqrt(2 mu / r)``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r : array_like
        Radius [m], > 0.

    Returns
    -------
    float or ndarray
        Escape speed [m/s]; NaN where ``mu <= 0`` or ``r <= 0``.

    References
    ----------
    Curtis, 3rd ed., Ch. 2 (parabolic trajectories); Vallado, 4th ed., Ch. 1.
    """
    mu, r = _pos(_f(mu)), _pos(_f(r))
    return _out(np.sqrt(2.0 * mu / r))


@si_kernel(mu="m^3/s^2", a="m")
def orbital_period(mu: ArrayLike, a: ArrayLike) -> FloatOrArray:
    """Period of an elliptic orbit, ``2 pi sqrt(a^3 / mu)``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    a : array_like
        Semi-major axis [m], > 0. ``a = inf`` gives ``inf`` (the parabolic limit).

    Returns
    -------
    float or ndarray
        Period [s]; NaN where ``mu <= 0`` or ``a <= 0`` (hyperbolas have no period).

    References
    ----------
    Curtis, 3rd ed., Ch. 2 (elliptical orbits); Vallado, 4th ed., Ch. 1 (Kepler's third law).
    """
    mu, a = _pos(_f(mu)), _pos(_f(a))
    return _out(2.0 * np.pi * np.sqrt(a**3 / mu))


@si_kernel(v_inf="m/s")
def c3_from_vinf(v_inf: ArrayLike) -> FloatOrArray:
    """Characteristic energy from the hyperbolic excess speed, ``C3 = v_inf^2``.

    Parameters
    ----------
    v_inf : array_like
        Hyperbolic excess speed [m/s], >= 0.

    Returns
    -------
    float or ndarray
        C3 [m^2/s^2]; NaN where ``v_inf < 0``.

    References
    ----------
    Vallado, 4th ed., Ch. 12 (interplanetary mission analysis: C3 = v_inf^2, twice the specific
    energy); Curtis, 3rd ed., Ch. 8 (hyperbolic excess speed, v_inf^2 = mu / |a|).
    """
    return _out(_nonneg(_f(v_inf)) ** 2)


@si_kernel(c3="m^2/s^2")
def vinf_from_c3(c3: ArrayLike) -> FloatOrArray:
    """Hyperbolic excess speed from the characteristic energy, ``v_inf = sqrt(C3)``.

    Parameters
    ----------
    c3 : array_like
        Characteristic energy [m^2/s^2]. Negative values (bound orbits) are valid elsewhere in
        this module (see :func:`departure_dv`) but have no excess speed.

    Returns
    -------
    float or ndarray
        v_inf [m/s]; NaN where ``c3 < 0``.

    References
    ----------
    Vallado, 4th ed., Ch. 12 (C3 = v_inf^2).
    """
    return _out(np.sqrt(_nonneg(_f(c3))))


@si_kernel(mu="m^3/s^2", v_inf="m/s", r_p="m")
def periapsis_speed_hyperbolic(mu: ArrayLike, v_inf: ArrayLike, r_p: ArrayLike) -> FloatOrArray:
    """Periapsis speed of a hyperbola with excess speed ``v_inf``: ``sqrt(v_inf^2 + 2 mu / r_p)``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    v_inf : array_like
        Hyperbolic excess speed [m/s], >= 0 (0 gives the parabolic, escape speed).
    r_p : array_like
        Periapsis radius [m], > 0.

    Returns
    -------
    float or ndarray
        Periapsis speed [m/s]; NaN for non-physical input.

    References
    ----------
    Curtis, 3rd ed., Ch. 8 (departure hyperbola: energy equation at periapsis); equivalently
    vis-viva with ``a = -mu / v_inf^2`` (Vallado, 4th ed., Ch. 1).
    """
    mu, v_inf, r_p = _pos(_f(mu)), _nonneg(_f(v_inf)), _pos(_f(r_p))
    return _out(np.sqrt(v_inf**2 + 2.0 * mu / r_p))


# --------------------------------------------------------------------------------------------
# coplanar transfers
# --------------------------------------------------------------------------------------------


def _hohmann_parts(mu, r1, r2):
    """Speeds of a Hohmann transfer: (v_c1, v_t1, v_t2, v_c2, dv1, dv2, tof), all arrays."""
    mu, r1, r2 = _pos(_f(mu)), _pos(_f(r1)), _pos(_f(r2))
    s = r1 + r2
    vc1 = np.sqrt(mu / r1)
    vc2 = np.sqrt(mu / r2)
    vt1 = vc1 * np.sqrt(2.0 * r2 / s)  # transfer-ellipse speed at r1 (vis-viva)
    vt2 = vc2 * np.sqrt(2.0 * r1 / s)  # transfer-ellipse speed at r2
    dv1 = _coplanar_burn(vc1, r1, r2)
    dv2 = _coplanar_burn(vc2, r2, r1)
    tof = np.pi * np.sqrt((0.5 * s) ** 3 / mu)
    return vc1, vt1, vt2, vc2, dv1, dv2, tof


@si_kernel(mu="m^3/s^2", r1="m", r2="m")
def hohmann(mu: ArrayLike, r1: ArrayLike, r2: ArrayLike) -> HohmannResult:
    """Hohmann transfer between coplanar circular orbits of radii ``r1`` and ``r2``.

    The transfer ellipse has apsides ``r1`` and ``r2`` (semi-major axis ``(r1 + r2) / 2``).
    Both raising (``r2 > r1``) and lowering (``r2 < r1``) transfers are handled; burn
    magnitudes are always >= 0 and ``r1 == r2`` gives zero burns.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r1 : array_like
        Initial circular-orbit radius [m], > 0.
    r2 : array_like
        Final circular-orbit radius [m], > 0.

    Returns
    -------
    HohmannResult
        ``dv1, dv2, dv_total`` [m/s] and ``tof`` [s]. NaN for non-positive ``mu`` or radii.

    References
    ----------
    Vallado, 4th ed., Ch. 6, Algorithm 36 and Example 6-1; Curtis, 3rd ed., Ch. 6 (Hohmann).
    """
    _, _, _, _, dv1, dv2, tof = _hohmann_parts(mu, r1, r2)
    return HohmannResult(_out(dv1), _out(dv2), _out(dv1 + dv2), _out(tof))


@si_kernel(mu="m^3/s^2", r1="m", r2="m", rb="m")
def bielliptic(mu: ArrayLike, r1: ArrayLike, r2: ArrayLike, rb: ArrayLike) -> BiellipticResult:
    """Bi-elliptic transfer from circular radius ``r1`` to ``r2`` through the apsis ``rb``.

    The first ellipse has apsides ``r1`` and ``rb``, the second ``rb`` and ``r2``. The usual
    case is ``rb >= max(r1, r2)``, but every ``rb > 0`` describes a realizable three-burn
    tangential transfer and is evaluated (burn magnitudes are >= 0). With ``rb == r2`` the
    transfer is the Hohmann transfer (``dv3 == 0``).

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r1 : array_like
        Initial circular-orbit radius [m], > 0.
    r2 : array_like
        Final circular-orbit radius [m], > 0.
    rb : array_like
        Intermediate apsis radius [m], > 0.

    Returns
    -------
    BiellipticResult
        ``dv1, dv2, dv3, dv_total`` [m/s] and ``tof`` [s]. NaN for non-positive input.

    References
    ----------
    Vallado, 4th ed., Ch. 6, Algorithm 37 and Example 6-2; Curtis, 3rd ed., Ch. 6 (bi-elliptic).
    """
    mu, r1, r2, rb = _pos(_f(mu)), _pos(_f(r1)), _pos(_f(r2)), _pos(_f(rb))
    s1 = r1 + rb
    s2 = r2 + rb
    dv1 = _coplanar_burn(np.sqrt(mu / r1), r1, rb)
    dv3 = _coplanar_burn(np.sqrt(mu / r2), r2, rb)
    # At rb: speeds sqrt(2 mu / rb) * sqrt(r1 / s1) and sqrt(2 mu / rb) * sqrt(r2 / s2);
    # their difference without cancellation, x - y = (x^2 - y^2) / (x + y), where
    # r2 / s2 - r1 / s1 = rb (r2 - r1) / (s1 s2).
    x = np.sqrt(r2 / s2)
    y = np.sqrt(r1 / s1)
    dv2 = np.sqrt(2.0 * mu / rb) * (rb * np.abs(r2 - r1) / (s1 * s2)) / (x + y)
    tof = np.pi * (np.sqrt((0.5 * s1) ** 3 / mu) + np.sqrt((0.5 * s2) ** 3 / mu))
    return BiellipticResult(_out(dv1), _out(dv2), _out(dv3), _out(dv1 + dv2 + dv3), _out(tof))


# --------------------------------------------------------------------------------------------
# plane changes
# --------------------------------------------------------------------------------------------


@si_kernel(v="m/s", delta_i="rad")
def plane_change(v: ArrayLike, delta_i: ArrayLike) -> FloatOrArray:
    """Delta-v of a pure plane change at constant speed, ``2 v sin(|delta_i| / 2)``.

    Parameters
    ----------
    v : array_like
        Speed at the burn, unchanged by it [m/s], >= 0. (For a non-circular orbit pass the
        horizontal component ``v cos(flight-path angle)``.)
    delta_i : array_like
        Plane-change angle [rad]; its magnitude must be <= pi.

    Returns
    -------
    float or ndarray
        Delta-v [m/s]; NaN where ``v < 0`` or ``|delta_i| > pi``.

    References
    ----------
    Vallado, 4th ed., Ch. 6 (inclination-only change, circular orbit); Curtis, 3rd ed., Ch. 6
    (plane change maneuvers, the law-of-cosines burn with equal speeds).
    """
    v, di = _nonneg(_f(v)), _f(delta_i)
    di = np.where(np.abs(di) <= np.pi, np.abs(di), np.nan)
    return _out(2.0 * v * np.sin(0.5 * di))


@si_kernel(v1="m/s", v2="m/s", delta_i="rad")
def combined_plane_change(v1: ArrayLike, v2: ArrayLike, delta_i: ArrayLike) -> FloatOrArray:
    """Delta-v of a burn that changes speed ``v1 -> v2`` and turns the velocity by ``delta_i``.

    Law of cosines, ``sqrt(v1^2 + v2^2 - 2 v1 v2 cos(delta_i))``, evaluated as
    ``sqrt((v1 - v2)^2 + 4 v1 v2 sin^2(delta_i / 2))`` (no cancellation for small angles).

    Parameters
    ----------
    v1 : array_like
        Speed before the burn [m/s], >= 0.
    v2 : array_like
        Speed after the burn [m/s], >= 0.
    delta_i : array_like
        Angle between the two velocity vectors [rad], ``|delta_i| <= pi``.

    Returns
    -------
    float or ndarray
        Delta-v [m/s]; NaN for negative speeds or ``|delta_i| > pi``.

    References
    ----------
    Vallado, 4th ed., Ch. 6 (combined changes to inclination and speed); Curtis, 3rd ed., Ch. 6
    (plane change maneuvers).
    """
    v1, v2, di = _nonneg(_f(v1)), _nonneg(_f(v2)), _f(delta_i)
    di = np.where(np.abs(di) <= np.pi, np.abs(di), np.nan)
    return _out(_chord(v1, v2, di))


def _split_cost(s, vc1, vt1, vt2, vc2, di):
    """Total delta-v of a Hohmann transfer with fraction ``s`` of ``di`` at the first burn."""
    return _chord(vc1, vt1, s * di) + _chord(vt2, vc2, (1.0 - s) * di)


def _split_slope(s, vc1, vt1, vt2, vc2, di):
    """d(total)/ds of :func:`_split_cost` (analytic).

    d|chord|/dangle = v1 v2 sin(angle) / chord; where the chord is 0 (equal speeds, zero angle)
    the one-sided limit ``sqrt(v1 v2)`` is used.
    """
    a1 = s * di
    a2 = (1.0 - s) * di
    g1 = _chord(vc1, vt1, a1)
    g2 = _chord(vt2, vc2, a2)
    p1 = vc1 * vt1
    p2 = vt2 * vc2
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = np.where(g1 > 0.0, p1 * np.sin(a1) / g1, np.sqrt(p1))
        d2 = np.where(g2 > 0.0, p2 * np.sin(a2) / g2, np.sqrt(p2))
    return di * (d1 - d2)


_SPLIT_GRID = 32  # coarse scan of the split before the bracketed root solve


#: Plane change [rad] below which the optimal split is undefined (flat cost) and returned as 0.
_SPLIT_UNDEFINED_RAD = 1e-7


def _optimal_split(vc1, vt1, vt2, vc2, di):
    """Fraction of ``di`` at burn 1 minimizing the total delta-v, for arrays of cases.

    A coarse scan over ``s = j / 32`` (a loop over the 33 grid points, vectorized over cases)
    locates the best grid point; the stationary point next to it is then solved to machine
    precision with scipy's vectorized bracketing root finder (Chandrupatla) on the analytic
    derivative. The final answer is whichever of the grid point and the refined point is cheaper,
    so endpoint minima (e.g. ``r1 == r2``, where the cost is concave in ``s``) are kept.
    """
    shape = np.broadcast_shapes(vc1.shape, vt1.shape, vt2.shape, vc2.shape, di.shape)
    vc1, vt1, vt2, vc2, di = (np.broadcast_to(x, shape) for x in (vc1, vt1, vt2, vc2, di))
    args = (vc1, vt1, vt2, vc2, di)
    n = _SPLIT_GRID
    best_cost = np.full(shape, np.inf)
    best_j = np.zeros(shape, dtype=np.int64)
    for j in range(n + 1):  # loop over grid points, not over cases
        c = _split_cost(j / n, *args)
        better = c < best_cost
        best_cost = np.where(better, c, best_cost)
        best_j = np.where(better, j, best_j)
    s_best = best_j / n
    s_lo = np.maximum(best_j - 1, 0) / n
    s_hi = np.minimum(best_j + 1, n) / n
    d_mid = _split_slope(s_best, *args)
    # The minimum is left of the grid point where the slope there is positive, else right.
    left = d_mid > 0.0
    xl = np.where(left, s_lo, s_best)
    xr = np.where(left, s_best, s_hi)
    d_l = _split_slope(xl, *args)
    d_r = _split_slope(xr, *args)
    valid = (xl < xr) & (d_l < 0.0) & (d_r > 0.0) & np.isfinite(best_cost)
    if np.any(valid):
        # Elements without a valid bracket get a harmless one and are discarded below.
        from scipy.optimize import elementwise as _elementwise  # here: scipy costs ~0.3 s to import

        res = _elementwise.find_root(
            _split_slope,
            (np.where(valid, xl, 0.0), np.where(valid, xr, 1.0)),
            args=tuple(np.where(valid, x, 1.0) for x in args),
        )
        s_root = np.where(valid & res.success, res.x, s_best)
        cost_root = _split_cost(s_root, *args)
        s_opt = np.where(cost_root < best_cost, s_root, s_best)
    else:
        s_opt = s_best
    # Below _SPLIT_UNDEFINED_RAD the total delta-v of any split differs by under ~v * di (< 1 mm/s
    # for orbital speeds), so the minimiser is floating-point noise: return the defined split 0.
    s_opt = np.where(np.abs(di) < _SPLIT_UNDEFINED_RAD, 0.0, s_opt)
    return np.where(np.isfinite(best_cost), s_opt, np.nan)


@si_kernel(mu="m^3/s^2", r1="m", r2="m", delta_i="rad", split="")
def hohmann_with_plane_change(
    mu: ArrayLike, r1: ArrayLike, r2: ArrayLike, delta_i: ArrayLike, split: ArrayLike | None = None
) -> HohmannPlaneChangeResult:
    """Hohmann transfer between circular orbits whose planes differ by ``delta_i``.

    Each burn is a combined maneuver (law of cosines) that does part of the plane change:
    ``dv1 = |v_c1 -> v_t1 turned by split * delta_i|``,
    ``dv2 = |v_t2 -> v_c2 turned by (1 - split) * delta_i|``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r1 : array_like
        Initial circular-orbit radius [m], > 0.
    r2 : array_like
        Final circular-orbit radius [m], > 0.
    delta_i : array_like
        Angle between the two orbit planes [rad], ``|delta_i| <= pi`` (sign ignored).
    split : None, "optimal" or array_like, optional
        How the plane change is shared between the burns:

        - ``None`` (default): all of it at the apoapsis burn of the transfer ellipse, where the
          speed is lowest: burn 2 when ``r2 >= r1``, burn 1 when ``r2 < r1``.
        - ``"optimal"``: the fraction at burn 1 that minimizes ``dv_total``, solved per case
          (coarse scan plus a vectorized bracketed root solve of the analytic derivative, to
          machine precision). Below a plane change of 1e-7 rad the split is undefined (every split
          costs the same to < 1 mm/s) and 0 is returned.
        - array_like in [0, 1]: the fraction at burn 1, given per case; NaN outside [0, 1].

    Returns
    -------
    HohmannPlaneChangeResult
        ``dv1, dv2, dv_total`` [m/s], ``tof`` [s] and ``split`` [-] (fraction of the plane change
        at burn 1). NaN for non-physical input.

    Raises
    ------
    ValueError
        If ``split`` is a string other than ``"optimal"``.

    References
    ----------
    Vallado, 4th ed., Ch. 6 (minimum combined plane change, Example 6-7: LEO to GEO with
    28.5 deg); Curtis, 3rd ed., Ch. 6 (plane change maneuvers).
    """
    vc1, vt1, vt2, vc2, _, _, tof = _hohmann_parts(mu, r1, r2)
    di = _f(delta_i)
    di = np.where(np.abs(di) <= np.pi, np.abs(di), np.nan)
    if split is None:
        r1a, r2a = _f(r1), _f(r2)
        s = np.where(r2a >= r1a, 0.0, 1.0)
        s = np.where(np.isnan(r1a) | np.isnan(r2a), np.nan, s)
    elif isinstance(split, str):
        if split != "optimal":
            raise ValueError(
                f"split must be None, 'optimal' or an array of fractions, got {split!r}"
            )
        s = _optimal_split(vc1, vt1, vt2, vc2, di)
    else:
        s = _f(split)
        s = np.where((s >= 0.0) & (s <= 1.0), s, np.nan)
    dv1 = _chord(vc1, vt1, s * di)
    dv2 = _chord(vt2, vc2, (1.0 - s) * di)
    shape = np.broadcast_shapes(dv1.shape, dv2.shape, tof.shape)
    s = np.broadcast_to(s, shape)
    s = np.where(np.isnan(dv1) | np.isnan(dv2), np.nan, s)
    return HohmannPlaneChangeResult(
        _out(np.broadcast_to(dv1, shape)),
        _out(np.broadcast_to(dv2, shape)),
        _out(np.broadcast_to(dv1 + dv2, shape)),
        _out(np.broadcast_to(tof, shape)),
        _out(s),
    )


# --------------------------------------------------------------------------------------------
# hyperbolic departure and capture
# --------------------------------------------------------------------------------------------


@si_kernel(mu="m^3/s^2", r_park="m", c3="m^2/s^2")
def departure_dv(mu: ArrayLike, r_park: ArrayLike, c3: ArrayLike) -> FloatOrArray:
    """Delta-v from a circular parking orbit to a conic of characteristic energy ``c3``.

    The burn is tangential at the parking radius: ``|sqrt(c3 + 2 mu / r) - sqrt(mu / r)|``,
    evaluated as ``|c3 + mu / r| / (sqrt(c3 + 2 mu / r) + sqrt(mu / r))``. Negative ``c3`` is
    allowed (an elliptic, escape-like target such as trans-lunar injection, C3 ~ -2 km^2/s^2);
    for ``-2 mu / r < c3 < -mu / r`` the target ellipse has its apoapsis at ``r_park`` and the
    burn is retrograde (magnitude returned).

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r_park : array_like
        Parking-orbit radius [m], > 0.
    c3 : array_like
        Characteristic energy of the target conic, ``v_inf^2 = -mu / a`` [m^2/s^2].

    Returns
    -------
    float or ndarray
        Delta-v [m/s]; NaN where ``c3 < -2 mu / r_park`` (that orbit cannot reach ``r_park``)
        or for non-physical input.

    References
    ----------
    Curtis, 3rd ed., Ch. 8 (planetary departure, Example 8.3); Vallado, 4th ed., Ch. 12 (C3 and
    the hyperbolic excess speed).
    """
    mu, r, c3 = _pos(_f(mu)), _pos(_f(r_park)), _f(c3)
    w = mu / r
    with np.errstate(invalid="ignore"):
        vp = np.sqrt(c3 + 2.0 * w)  # NaN where c3 < -2 mu / r
        dv = np.abs(c3 + w) / (vp + np.sqrt(w))
    return _out(dv)


@si_kernel(mu="m^3/s^2", r_park="m", v_inf="m/s")
def departure_dv_from_vinf(mu: ArrayLike, r_park: ArrayLike, v_inf: ArrayLike) -> FloatOrArray:
    """Delta-v from a circular parking orbit to a hyperbola with excess speed ``v_inf``.

    ``sqrt(v_inf^2 + 2 mu / r) - sqrt(mu / r)``; equal to ``departure_dv(mu, r, v_inf**2)``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter [m^3/s^2], > 0.
    r_park : array_like
        Parking-orbit radius [m], > 0.
    v_inf : array_like
        Hyperbolic excess speed [m/s], >= 0.

    Returns
    -------
    float or ndarray
        Delta-v [m/s]; NaN where ``v_inf < 0`` or for non-physical input.

    References
    ----------
    Curtis, 3rd ed., Ch. 8 (planetary departure, Example 8.3).
    """
    v_inf = _nonneg(_f(v_inf))
    return departure_dv(mu, r_park, v_inf**2)


@si_kernel(mu="m^3/s^2", v_inf="m/s", r_periapsis="m", apoapsis_radius="m")
def capture_dv(
    mu: ArrayLike, v_inf: ArrayLike, r_periapsis: ArrayLike, apoapsis_radius: ArrayLike | None = None
) -> FloatOrArray:
    """Delta-v at periapsis of an arrival hyperbola to capture into a closed orbit.

    The capture orbit shares the periapsis ``r_p``: circular when ``apoapsis_radius`` is None
    (or equal to ``r_p``), otherwise elliptic with apoapsis ``r_a`` (``inf`` gives parabolic
    capture, i.e. zero energy). With ``a_cap = (r_p + r_a) / 2``:
    ``dv = sqrt(v_inf^2 + 2 mu / r_p) - sqrt(mu (2 / r_p - 1 / a_cap))``, evaluated as
    ``(v_inf^2 + 2 mu / (r_p + r_a)) / (sum of the two speeds)``.

    Parameters
    ----------
    mu : array_like
        Gravitational parameter of the arrival body [m^3/s^2], > 0.
    v_inf : array_like
        Hyperbolic excess speed on arrival [m/s], >= 0.
    r_periapsis : array_like
        Periapsis radius of the hyperbola and of the capture orbit [m], > 0.
    apoapsis_radius : None or array_like, optional
        Apoapsis radius of the capture ellipse [m]; None means a circular orbit.

    Returns
    -------
    float or ndarray
        Delta-v [m/s] (>= 0); NaN where ``apoapsis_radius < r_periapsis`` or for non-physical
        input.

    References
    ----------
    Curtis, 3rd ed., Ch. 8 (planetary arrival: the capture burn at periapsis, and the optimal
    periapsis of a capture ellipse); Vallado, 4th ed., Ch. 12.
    """
    mu, v_inf, r_p = _pos(_f(mu)), _nonneg(_f(v_inf)), _pos(_f(r_periapsis))
    r_a = r_p if apoapsis_radius is None else _f(apoapsis_radius)
    r_a = np.where(r_a >= r_p, r_a, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        # 2 mu / (r_p + r_a) is 0 for r_a = inf (parabolic capture).
        e_term = 2.0 * mu / (r_p + r_a)
        v_hyp = np.sqrt(v_inf**2 + 2.0 * mu / r_p)
        v_cap = np.sqrt(2.0 * mu / r_p - e_term)
        dv = (v_inf**2 + e_term) / (v_hyp + v_cap)
    return _out(dv)
