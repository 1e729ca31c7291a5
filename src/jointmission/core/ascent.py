"""Ascent-loss model: gravity, drag, steering and back-pressure losses of a launch to orbit.

SI float64 arrays; every function broadcasts over leading case axes, per-phase quantities carry
the phase index in the last axis (phase 0 = booster phase, phase k >= 1 = core stage k-1, as in
:mod:`jointmission.core.rocket`). The march's time loop is compiled (numba,
:mod:`jointmission.core._ascent_kernel`, one trajectory per case);
:func:`jointmission.core.ascent_reference.march_reference` is the same march in numpy over all
cases at once, kept as its tested reference.

The model in brief
------------------
A reduced-order planar point-mass ascent over a spherical rotating Earth, integrated on a fixed
number of steps per flight phase (midpoint rule), vectorized over all cases at once:

1. **Thrust and mass** come from the stack: vacuum thrust ``F`` and exhaust velocity ``c`` per
   phase, mass falling linearly at ``mdot = F / c``. The atmosphere removes ``p(h) A_e`` of thrust,
   counted as the *back-pressure loss* (``p0 A_e = F_vac - F_sl`` per phase, an input).
2. **Atmospheric flight is a gravity turn**: vertical rise to ``kick_speed`` (Earth-relative), an
   instantaneous pitch-over by ``delta``, then zero angle of attack (thrust along the
   Earth-relative velocity). Drag ``D = q C_D(M) A`` with the drag area from a *size-scaled
   ballistic coefficient* ``beta = m0 / (C_D0 A) = beta_ref (m0 / 1000 t)^(1/3)`` (geometric
   similarity: area ~ mass^(2/3)) and a normalised transonic drag-rise curve ``C_D(M)/C_D0``.
   Atmosphere: US Standard Atmosphere 1976 (log-interpolated table).
3. **Upper-stage flight is guided** from booster separation (vehicles with boosters) or first-stage
   burnout (without) -- but not while the dynamic pressure exceeds ``q_switch`` -- to burnout. The
   radial velocity follows ``v_r(tau) = v_r1 (1 - tau) + A tau (1 - tau) + B tau (1 - tau)(1 - 2 tau)``,
   ``tau`` the fraction of the remaining burn time ``T``; ``A = 6 (dh / T - v_r1 / 2)`` is fixed in
   closed form so that the altitude gained is exactly ``dh = h_target - h1`` and ``v_r = 0`` at
   burnout, and the *loft* ``B`` (climb early, sink late, same ``dh``) is a free shape. The thrust
   pitch ``theta`` follows from the radial equation
   ``sin(theta) = (dv_r/dt + g - u^2/r + D_r/m) / a_T`` (``u`` the inertial horizontal speed: the
   centrifugal relief of a fast upper stage; not enforced downwards above circular speed); what the
   engine cannot supply (``|sin theta| > 1``) is charged as extra steering loss. Optionally (behind a
   weak top stage, ``explicit_top_tw``) the search also tries **explicit top-stage steering**: the profile ends
   at the top stage's ignition, which then flies the linear tangent law ``tan(theta) = A + B t``, its two
   constants shot once per burn for the target altitude with zero radial speed (see :func:`march`'s
   ``top_steering``).
4. **Losses** are the terms of the Earth-relative speed equation
   ``dV/dt = a_T cos(theta - gamma) - D/m - g sin(gamma)``: gravity ``int g sin(gamma) dt``, drag
   ``int D/m dt``, steering ``int a_T (1 - cos(theta - gamma)) dt``, back-pressure
   ``int p A_e / m cos(theta - gamma) dt``.
5. **The trajectory shape is optimised per case**: the march runs for a grid of pitch-over angles
   at once (an extra array axis), refines around the best one (finer grid, then a parabola in
   ``log(delta)``), then does the same for the loft ``B``; the least total loss wins. A lofted first
   stage helps a low-thrust upper stage, a flat one suits a high-thrust one; the model finds this
   itself, no per-vehicle number is tuned.

Global coefficients (:class:`AscentCoefficients`): ``beta_ref`` (drag level, set from Saturn V's
published 40 m/s drag loss), ``kick_speed`` and ``q_switch`` (trajectory-shape conventions, weak
influence); calibration and validation are in ``docs/method-ascent.md``. Everything else is physics.

Sources: equations of planar flight over a spherical rotating Earth, e.g. Wiesel, *Spaceflight
Dynamics*, 2nd ed., ch. 8 (launch vehicle trajectories) and Curtis, *Orbital Mechanics for
Engineering Students*, 3rd ed., §11.3 (gravity turn); US Standard Atmosphere 1976 (NOAA-S/T 76-1562);
loss breakdowns for comparison: NASASpaceFlight forum compilation (gravity/drag, Saturn V
1534/40 m/s) after Humble, Henry & Larson, *Space Propulsion Analysis and Design* (1995).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..constants import GM_EARTH, R_EARTH
from . import _threads
from ._ascent_layout import OUT_FIELDS, SHAPE_ROUNDS
from ._shape_search import first_kick, loft_edge, merge, refined_argmin, searches, second_basin
from .atmosphere import _R0_GEOPOT, P0, us1976

__all__ = [
    "AscentCoefficients",
    "DEFAULT_COEFFICIENTS",
    "AscentLosses",
    "atmosphere",
    "drag_coefficient_ratio",
    "ascent_losses",
    "march",
    "finite_burn_loss",
    "P0",
]


# Nodes of the fast log-linear atmosphere table: geometric altitude [m] and the US Standard
# Atmosphere 1976 values there, taken from :func:`jointmission.core.atmosphere.us1976`. Below 86 km the
# nodes are the standard's layer bases (geopotential 11, 20, 32, 47, 51, 71 km converted to geometric
# altitude, plus 5 km), above it a few table points. Log-linear interpolation between them is within
# a few percent of the standard below 100 km, which is all the ascent needs, at a third of the cost.
_H_GEOPOT = np.array([0, 5, 11, 20, 32, 47, 51, 71], dtype=float) * 1e3
_ATM_H = np.concatenate([
    _R0_GEOPOT * _H_GEOPOT / (_R0_GEOPOT - _H_GEOPOT),
    np.array([86, 100, 150, 200], dtype=float) * 1e3,
])
_rho, _p, _ATM_T, _ = us1976(_ATM_H)
_ATM_LOG_P, _ATM_LOG_RHO = np.log(_p), np.log(_rho)
_GAMMA_AIR, _R_AIR = 1.4, 287.053

# Normalised drag coefficient C_D(M) / C_D(M < 0.6) of a slender launch vehicle: transonic rise to a
# peak near M 1.1-1.2, then the supersonic decay (shape after Sutton & Biblarz fig. 4-? class curves
# and e.g. Saturn V / Titan wind-tunnel data in NASA TN D-5867; only the shape is used, the level is
# in beta_ref).
_CD_MACH = np.array([0.0, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0])
_CD_RATIO = np.array([1.0, 1.0, 1.1, 1.5, 1.6, 1.45, 1.25, 1.0, 0.85, 0.8])


class AscentCoefficients(NamedTuple):
    """Global coefficients of the ascent model (the same for every vehicle).

    Attributes
    ----------
    beta_ref : float
        Lift-off ballistic coefficient ``m0 / (C_D0 A)`` of a 1000 t vehicle [kg/m^2]; other sizes
        scale as ``(m0 / 1000 t)^(1/3)``.
    kick_speed : float
        Earth-relative speed at which the vertical rise ends and the pitch-over is made [m/s].
    q_switch : float
        Dynamic pressure [Pa] below which the guided (free-pitch) law may start; until then the
        vehicle flies the zero-angle-of-attack gravity turn (booster separation happens at 0.5-2 kPa;
        the bound only stops the free-pitch law from exploiting flat, low trajectories).
    kick_grid_deg : tuple of float
        Pitch-over angles tried [deg] (the best is kept and refined).
    loft_grid_m_s : tuple of float
        Loft shapes of the guided profile tried [m/s] (after the pitch-over is chosen).
    n_steps_atm : int
        Integration steps per atmospheric (gravity-turn) phase.
    n_steps_upper : int
        Integration steps per guided (upper-stage) phase.
    explicit_top_tw : float
        Top-stage ignition thrust-to-weight [-] below which the shape search also tries explicit
        top-stage steering (:func:`march`'s ``top_steering``); 0 (default): the guided profile only.
        An option under evaluation: at 0.3, with the full top-stage load, it lifts SLS Block 1B to LEO
        from 52.2 to 66.0 t, but beyond a payload its burn cannot reach the target from the ignition
        states the profile gives it, and payload is not monotonic in orbit altitude for SLS Block 1/1B
        and Delta IV Heavy (docs/method-ascent.md).
    """

    beta_ref: float = 69_000.0
    kick_speed: float = 60.0
    q_switch: float = 5000.0
    kick_grid_deg: tuple = (0.12, 0.2, 0.3, 0.45, 0.65, 0.9, 1.25, 1.7, 2.3, 3.1, 4.2, 5.6, 7.5, 10.0)
    loft_grid_m_s: tuple = (-1500.0, -800.0, -400.0, 0.0, 400.0, 800.0, 1400.0, 2000.0, 3000.0)
    n_steps_atm: int = 24
    n_steps_upper: int = 8
    level_grid: tuple = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
    n_steps_level: int = 4
    explicit_top_tw: float = 0.0


DEFAULT_COEFFICIENTS = AscentCoefficients()


class AscentLosses(NamedTuple):
    """Result of :func:`ascent_losses` (arrays of the case shape).

    Attributes
    ----------
    gravity, drag, steering, back_pressure : ndarray
        Loss terms [m/s].
    total : ndarray
        Sum of the four [m/s].
    kick_deg : ndarray
        Pitch-over angle used [deg].
    loft_m_s : ndarray
        Loft shape of the guided profile used [m/s] (see :func:`march`).
    h_switch, v_switch, gamma_switch_deg : ndarray
        Altitude [m], Earth-relative speed [m/s] and flight-path angle [deg] when guidance starts.
    max_q : ndarray
        Maximum dynamic pressure [Pa].
    feasible : ndarray of bool
        False where every pitch-over crashed or the vehicle could not climb.
    top_steering : ndarray
        The top stage's steering: 0 the guided radial-velocity profile, 1 explicit steering.
    """

    gravity: np.ndarray
    drag: np.ndarray
    steering: np.ndarray
    back_pressure: np.ndarray
    total: np.ndarray
    kick_deg: np.ndarray
    loft_m_s: np.ndarray
    level_frac: np.ndarray
    h_switch: np.ndarray
    v_switch: np.ndarray
    gamma_switch_deg: np.ndarray
    max_q: np.ndarray
    feasible: np.ndarray
    top_steering: np.ndarray | float = 0.0
    """1 where the top stage flies explicit steering (:func:`march`'s ``top_steering``), else 0."""


def atmosphere(h_m):
    """US Standard Atmosphere 1976, log-interpolated: pressure [Pa], density [kg/m^3], speed of
    sound [m/s] at geometric altitude ``h_m`` [m] (clipped to 0 below ground; above 200 km the
    density and pressure decay with a 40 km scale height)."""
    h = np.maximum(np.asarray(h_m, dtype=float), 0.0)
    above = np.maximum(h - _ATM_H[-1], 0.0) / 40e3
    p = np.exp(np.interp(h, _ATM_H, _ATM_LOG_P) - above)
    rho = np.exp(np.interp(h, _ATM_H, _ATM_LOG_RHO) - above)
    t = np.interp(np.minimum(h, 86e3), _ATM_H, _ATM_T)
    return p, rho, np.sqrt(_GAMMA_AIR * _R_AIR * t)


def drag_coefficient_ratio(mach):
    """Normalised drag coefficient ``C_D(M) / C_D(subsonic)`` [-] at Mach number ``mach``."""
    return np.interp(np.asarray(mach, dtype=float), _CD_MACH, _CD_RATIO)


def finite_burn_loss(dv_m_s, burn_time_s, r_m, mu=GM_EARTH):
    """Finite-burn loss [m/s] of a tangential apsis burn ``dv_m_s`` [m/s] of ``burn_time_s`` [s]
    at radius ``r_m`` [m].

    The burn sweeps an arc ``phi = n t`` (``n = sqrt(mu / r^3)``, the circular orbit rate) centred
    on the apsis; with a fixed thrust direction the mean cosine over the arc is
    ``1 - phi^2 / 24``, so the loss is ``dv phi^2 / 24`` (an upper bound: steering along the velocity
    does slightly better). Adequate while ``phi`` is below ~1 rad.
    """
    n = np.sqrt(mu / np.asarray(r_m, dtype=float) ** 3)
    phi = n * np.asarray(burn_time_s, dtype=float)
    return np.asarray(dv_m_s, dtype=float) * phi**2 / 24.0


def _switch_time(dur, switch_phase=None):
    """Time [s] after lift-off at which guidance starts; ``dur`` has the phase axis first.

    Default rule: at booster separation (start of phase 1) when there are boosters, else at the
    burnout of the first core stage (start of phase 2); a single-stage vehicle without boosters
    switches at 40 % of its burn. ``switch_phase`` forces the start of that phase.
    """
    start = np.cumsum(dur, axis=0) - dur  # start time of each phase
    total = np.sum(dur, axis=0)
    if switch_phase is not None:
        t_sw = start[switch_phase]
    else:
        t_sw = np.where(dur[0] > 0, start[1], start[2] if dur.shape[0] > 2 else 0.0)
    return np.where(t_sw > 0, t_sw, 0.4 * total)


_KERNEL = None



def _kernel():
    """The compiled march and shape search, loaded on first use: from the native library when one
    can be had (:mod:`jointmission.core._ascent_native`: no numba in the process), else numba's
    dispatcher (:mod:`jointmission.core._ascent_kernel`: compiled, or loaded from numba's cache).
    Both run the same compiled code."""
    global _KERNEL
    if _KERNEL is None:
        from . import _ascent_native

        _KERNEL = _ascent_native.load()
        if _KERNEL is None:
            from . import _ascent_kernel

            _KERNEL = _ascent_kernel
    return _KERNEL


_ATM_TABLE = np.zeros((5, _ATM_H.size))
_ATM_TABLE[0], _ATM_TABLE[1], _ATM_TABLE[2], _ATM_TABLE[3] = _ATM_H, _ATM_LOG_P, _ATM_LOG_RHO, _ATM_T
_ATM_TABLE[4, 0] = _GAMMA_AIR * _R_AIR
_CD_TABLE = np.stack([_CD_MACH, _CD_RATIO])


def _packed(per_phase, per_case, shape, switch_phase) -> tuple[np.ndarray, np.ndarray, int]:
    """The compiled kernels' inputs: fresh C-contiguous float64 copies broadcast to ``shape`` (one
    compiled signature for every call), ``per_phase`` arrays (..., P) as (k, n, P), ``per_case``
    arrays as (m, n), and the switch phase index (-1: the last-but-one phase's end)."""
    n_ph = np.shape(per_phase[0])[-1]
    if switch_phase is None and n_ph < 2:
        raise ValueError("march: a single-phase vehicle needs switch_phase")
    sp = -1 if switch_phase is None else int(switch_phase) % n_ph
    n = math.prod(shape)
    phases = np.empty((len(per_phase),) + shape + (n_ph,))
    for j, a in enumerate(per_phase):
        phases[j] = a
    cases = np.empty((len(per_case),) + shape)
    for j, a in enumerate(per_case):
        cases[j] = a
    return phases.reshape(len(per_phase), n, n_ph), cases.reshape(len(per_case), n), sp


def _model_args(mu, r_body, coeffs) -> tuple:
    """The model constants both compiled kernels take after the switch phase, in their order."""
    return (float(mu), float(r_body), float(coeffs.beta_ref), float(coeffs.kick_speed), float(coeffs.q_switch),
            int(coeffs.n_steps_atm), int(coeffs.n_steps_upper), int(coeffs.n_steps_level), float(P0),
            _ATM_TABLE, _CD_TABLE)


def march(
    thrust,
    c,
    m_start,
    m_end,
    p_area,
    h_target,
    v_rot,
    kick_deg,
    loft_m_s=0.0,
    level_frac=0.0,
    top_steering=0,
    *,
    switch_phase: int | None = None,
    mu: float = GM_EARTH,
    r_body: float = R_EARTH,
    coeffs: AscentCoefficients = DEFAULT_COEFFICIENTS,
) -> dict:
    """Integrate one ascent per case for a given pitch-over angle; return the loss terms.

    Compiled (numba) time loop, one trajectory per case; the numpy formulation
    :func:`jointmission.core.ascent_reference.march_reference` is its reference (equal to rounding, see the tests).

    Parameters
    ----------
    thrust, c, m_start, m_end, p_area : array_like (..., P)
        Per phase: vacuum thrust [N], exhaust velocity [m/s], mass at start and end including
        payload [kg], and sea-level pressure-thrust loss ``p0 A_e`` [N]. A phase with
        ``m_start == m_end`` has zero duration.
    h_target : array_like (...)
        Altitude at burnout [m].
    v_rot : array_like (...)
        In-plane Earth-rotation speed at the launch site [m/s] (``omega R cos(lat) sin(Az)``).
    kick_deg : array_like (...)
        Pitch-over angle [deg].
    loft_m_s : array_like (...)
        Loft shape ``B`` [m/s] of the guided radial-velocity profile: the term
        ``B tau (1 - tau) (1 - 2 tau)`` climbs early and descends late (``B > 0``) without changing
        the altitude gained.
    level_frac : array_like (...)
        Fraction [-] of the top stage's burn flown level at the target altitude (clipped to 0-0.95).
    top_steering : array_like (...)
        0: the guided profile runs to the top stage's burnout (or its level flight); 1: **explicit
        top-stage steering** -- the profile ends at the top stage's ignition at the target altitude
        with the radial speed ``loft_m_s`` [m/s] (the free ignition state; no loft term), and the
        top stage flies the linear tangent law ``tan(theta) = A + B t`` (as Powered Explicit Guidance)
        with ``A``, ``B`` shot once at its ignition (Newton on the burn integrated in vacuum) to reach the
        target altitude with zero radial speed at the end of its ascent burn; its motion is integrated
        in ``TOP_SUBSTEPS`` times more steps, and what it misses (radial speed; altitude as
        ``g dh / v_c``) is charged as steering loss, or, above ``SHOOT_MISS_MAX`` (10 m/s), makes the
        trajectory infeasible (``crashed``).
    switch_phase : int, optional
        Index of the phase at whose start the guided (upper-stage) law takes over; default: booster
        separation if there are boosters, else first-stage burnout (see :func:`_switch_time`).
    mu, r_body : float
        Gravitational parameter [m^3/s^2] and radius [m] of the body.
    coeffs : AscentCoefficients

    Returns
    -------
    dict of ndarray (...)
        ``gravity``, ``drag``, ``steering``, ``back_pressure`` [m/s], ``crashed`` (bool),
        ``h_switch`` [m], ``v_switch`` [m/s], ``gamma_switch`` [rad], ``max_q`` [Pa],
        ``h_end`` [m], ``v_end`` (Earth-relative speed at burnout) [m/s].
    """
    per_phase = [np.asarray(a, dtype=float) for a in (thrust, c, m_start, m_end, p_area)]
    per_case = [np.asarray(a, dtype=float) for a in (h_target, v_rot, kick_deg, loft_m_s, level_frac, top_steering)]
    shape = np.broadcast_shapes(*(a.shape[:-1] for a in per_phase), *(a.shape for a in per_case))
    phases, cases, sp = _packed(per_phase, per_case, shape, switch_phase)
    cases[2] = np.deg2rad(cases[2])
    out = np.empty((11, cases.shape[1]))
    k, model = _kernel(), _model_args(mu, r_body, coeffs)

    def block(lo, hi):
        part = out if hi - lo == out.shape[1] else np.empty((11, hi - lo))
        k.march_cases(*phases[:, lo:hi], *cases[:, lo:hi], sp, *model, part)
        if part is not out:
            out[:, lo:hi] = part

    _threads.split(block, cases.shape[1], min_block=_MARCH_BLOCK)
    res = dict(zip(OUT_FIELDS, out.reshape((11,) + shape)))
    res["crashed"] = res["crashed"] != 0.0
    return res


_MARCH_COMPILED = march

_MARCH_BLOCK = 16
"""Fewest cases per thread in one :func:`march` call (a march takes a few microseconds; a block on a
thread costs tens)."""


def _optimised(args, h_t, vrot, shape, switch_phase, mu, r_body, coeffs, top=0.0, restart=None) -> AscentLosses:
    """:func:`ascent_losses` with the pitch-over, loft and level flight all searched, by the
    compiled search (:func:`jointmission.core._ascent_kernel.optimise_cases`; ``restart`` given, the
    first search's pitch-over [deg] of each case: its second start,
    :func:`~jointmission.core._ascent_kernel.restart_cases`), for ``args`` (thrust, c, m_start,
    m_end, p_area: (..., P)), ``h_t`` and ``vrot`` broadcast to ``shape``."""
    phases, cases, sp = _packed(args, (h_t, vrot, top), shape, switch_phase)
    n = cases.shape[1]
    log_kicks = np.log(np.asarray(coeffs.kick_grid_deg, dtype=float))
    found = np.empty((3, n))
    if restart is not None:
        found[0] = np.broadcast_to(restart, shape).reshape(n)
    out = np.empty((11, n))
    k, model = _kernel(), _model_args(mu, r_body, coeffs)
    search = k.optimise_cases if restart is None else k.restart_cases
    grids = (log_kicks, np.exp(log_kicks), np.linspace(0.0, 1.0, 7), np.asarray(coeffs.loft_grid_m_s, dtype=float),
             np.asarray(coeffs.level_grid, dtype=float))

    def block(lo, hi):  # each case's search is its own: blocks on threads give the same numbers
        whole = hi - lo == n
        f_part, o_part = (found, out) if whole else (found[:, lo:hi].copy(), np.empty((11, hi - lo)))
        search(*phases[:, lo:hi], *cases[:, lo:hi], sp, *model, *grids, f_part, o_part)
        if not whole:
            found[:, lo:hi], out[:, lo:hi] = f_part, o_part

    _threads.split(block, n)
    res = dict(zip(OUT_FIELDS, out.reshape((11,) + shape)))
    crashed = res["crashed"] != 0.0
    total = res["gravity"] + res["drag"] + res["steering"] + res["back_pressure"]
    found = found.reshape((3,) + shape)
    return AscentLosses(
        gravity=res["gravity"],
        drag=res["drag"],
        steering=res["steering"],
        back_pressure=res["back_pressure"],
        total=total,
        kick_deg=found[0].copy(),
        loft_m_s=found[1].copy(),
        level_frac=found[2].copy(),
        h_switch=res["h_switch"],
        v_switch=res["v_switch"],
        gamma_switch_deg=np.rad2deg(res["gamma_switch"]),
        max_q=res["max_q"],
        feasible=~crashed & np.isfinite(total),
        top_steering=np.broadcast_to(np.asarray(top, dtype=float), shape).copy(),
    )


def _second_basin_compiled(first: AscentLosses, args, h_t, vrot, shape, switch_phase, mu, r_body, coeffs,
                           top) -> AscentLosses:
    """:func:`~._shape_search.second_basin` by the compiled search
    (:func:`jointmission.core._ascent_kernel.restart_cases`: the same scan and rounds, its scan resuming
    each pitch-over's ascent where guidance starts instead of flying it from lift-off again)."""
    edge = loft_edge(first, shape, coeffs)
    if not edge.any():
        return first
    sub = tuple(np.broadcast_to(a, shape + a.shape[-1:])[edge] for a in args)  # (n_edge, P)
    other = _optimised(sub, np.broadcast_to(h_t, shape)[edge], np.broadcast_to(vrot, shape)[edge], sub[0].shape[:-1],
                       switch_phase, mu, r_body, coeffs, np.broadcast_to(np.asarray(top, dtype=float), shape)[edge],
                       restart=first_kick(first, shape, edge))
    return merge(first, other, edge, shape)


_TOP_IGNITION_VR_GRID = tuple(float(v) for v in range(-400, 1801, 200))
"""Radial speeds at the top stage's ignition [m/s] tried by the explicit top-stage steering search (its
loft coordinate; the profile's loft grid is too coarse there: the best ignition radial speed lies near
400-800 m/s for SLS Block 1B, and the parabola through the profile grid's 0 / 400 / 800 m/s missed it by
~90 m/s of loss for some targets)."""


def _explicit_candidates(args, shape, tw_max: float) -> np.ndarray:
    """Cases (bool, ``shape``) whose top stage's ignition thrust-to-weight is below ``tw_max`` [-]
    (``args``: thrust, c, m_start, m_end, p_area (..., P), P > 1)."""
    thrust, m_start = args[0], args[2]
    if thrust.shape[-1] < 2 or not tw_max > 0:
        return np.zeros(shape, bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        tw = thrust[..., -1] / (m_start[..., -1] * 9.80665)
    return np.broadcast_to(tw < tw_max, shape)


def ascent_losses(
    thrust,
    c,
    m_start,
    m_end,
    p_area,
    h_target,
    v_rot,
    *,
    switch_phase: int | None = None,
    kick_deg=None,
    loft_m_s=None,
    level_frac=None,
    top_steering=None,
    mu: float = GM_EARTH,
    r_body: float = R_EARTH,
    coeffs: AscentCoefficients = DEFAULT_COEFFICIENTS,
) -> AscentLosses:
    """Ascent losses [m/s] per case, with the pitch-over optimised (or given).

    Parameters are those of :func:`march`; ``kick_deg`` [deg] fixes the pitch-over (array of the
    case shape); ``None`` optimises it per case over ``coeffs.kick_grid_deg`` (all candidates in
    one vectorized march along an extra axis), then refines it with a parabola in ``log(delta)``.
    With all three shape parameters free the same search runs as one compiled call
    (:func:`jointmission.core._ascent_kernel.optimise_cases`, equal to this array search).
    ``top_steering`` (0 or 1, see :func:`march`) fixes the top stage's steering; ``None`` with the
    whole shape free searches the guided profile and, where the top stage's ignition thrust-to-weight
    is below ``coeffs.explicit_top_tw`` (default 0: nowhere), explicit top-stage steering too, and
    keeps the one with less loss (``None`` with a shape given: the profile).

    Returns
    -------
    AscentLosses
    """
    args = tuple(np.asarray(a, dtype=float) for a in (thrust, c, m_start, m_end, p_area))
    h_t = np.asarray(h_target, dtype=float)
    vrot = np.asarray(v_rot, dtype=float)
    shape = np.broadcast_shapes(h_t.shape, vrot.shape, *(a.shape[:-1] for a in args))
    free = kick_deg is None and loft_m_s is None and level_frac is None
    if not (free and top_steering is None):
        return _ascent_losses(args, h_t, vrot, switch_phase, kick_deg, loft_m_s, level_frac,
                              0.0 if top_steering is None else top_steering, mu, r_body, coeffs)
    first = _ascent_losses(args, h_t, vrot, switch_phase, None, None, None, 0.0, mu, r_body, coeffs)
    cand = _explicit_candidates(args, shape, coeffs.explicit_top_tw)
    if not cand.any():
        return first
    sub = tuple(np.broadcast_to(a, shape + a.shape[-1:])[cand] for a in args)
    other = _ascent_losses(sub, np.broadcast_to(h_t, shape)[cand], np.broadcast_to(vrot, shape)[cand], switch_phase,
                           None, None, None, 1.0, mu, r_body, coeffs._replace(loft_grid_m_s=_TOP_IGNITION_VR_GRID))
    return merge(first, other, cand, shape)


def _ascent_losses(args, h_t, vrot, switch_phase, kick_deg, loft_m_s, level_frac, top, mu, r_body,
                   coeffs) -> AscentLosses:
    """:func:`ascent_losses` with the top stage's steering ``top`` given."""
    kw = dict(switch_phase=switch_phase, mu=mu, r_body=r_body, coeffs=coeffs, top_steering=top)
    shape = np.broadcast_shapes(h_t.shape, vrot.shape, *(a.shape[:-1] for a in args))
    h_t, vrot = np.broadcast_to(h_t, shape), np.broadcast_to(vrot, shape)
    scan, best_kick, best_loft_level, lgrid, vgrid = searches(march, args, h_t, vrot, kw, coeffs)
    if kick_deg is None and loft_m_s is None and level_frac is None and march is _MARCH_COMPILED:
        # the whole shape search in one compiled call (the array search below is the same
        # search; a march substituted for the compiled one, e.g. the numpy reference, flies it)
        first = _optimised(args, h_t, vrot, shape, switch_phase, mu, r_body, coeffs, top)
        return _second_basin_compiled(first, args, h_t, vrot, shape, switch_phase, mu, r_body, coeffs, top)
    # first pitch-over pass: loft 0, or for explicit top-stage steering the middle of its ignition
    # radial-speed grid (as the compiled search)
    loft0 = lgrid[lgrid.size // 2] if np.any(np.asarray(top) != 0.0) else 0.0
    loft = np.full(shape, loft0) if loft_m_s is None else np.asarray(loft_m_s, dtype=float)
    level = np.zeros(shape) if level_frac is None else np.asarray(level_frac, dtype=float)
    if kick_deg is None:
        kick = best_kick(np.broadcast_to(loft, shape), np.broadcast_to(level, shape))
    else:
        kick = np.asarray(kick_deg, dtype=float)
    if loft_m_s is None and level_frac is None:
        loft, level = best_loft_level(kick)
        for rnd in range(1, SHAPE_ROUNDS if kick_deg is None else 1):
            # Further coordinate-descent rounds: pitch-over and loft interact (a lofted upper stage
            # favours another pitch-over); one pass can stop in the wrong basin, which made the
            # payload of low-T/W top stages non-monotonic in altitude.
            kick = best_kick(np.broadcast_to(loft, shape), np.broadcast_to(level, shape), None if rnd < 2 else kick)
            loft = refined_argmin(lgrid, scan(np.asarray(kick)[..., None], lgrid, np.asarray(level)[..., None]))
            level = refined_argmin(vgrid, scan(np.asarray(kick)[..., None], np.asarray(loft)[..., None], vgrid))
    elif loft_m_s is None:
        loft = refined_argmin(lgrid, scan(np.asarray(kick)[..., None], lgrid, np.asarray(level)[..., None]))
    elif level_frac is None:
        level = refined_argmin(vgrid, scan(np.asarray(kick)[..., None], np.asarray(loft)[..., None], vgrid))

    res = march(*args, h_t, vrot, kick, loft, level, **kw)
    total = res["gravity"] + res["drag"] + res["steering"] + res["back_pressure"]
    feasible = ~res["crashed"] & np.isfinite(total)
    out = AscentLosses(
        gravity=res["gravity"],
        drag=res["drag"],
        steering=res["steering"],
        back_pressure=res["back_pressure"],
        total=total,
        kick_deg=np.broadcast_to(kick, total.shape).copy(),
        loft_m_s=np.broadcast_to(loft, total.shape).copy(),
        level_frac=np.broadcast_to(level, total.shape).copy(),
        h_switch=res["h_switch"],
        v_switch=res["v_switch"],
        gamma_switch_deg=np.rad2deg(res["gamma_switch"]),
        max_q=res["max_q"],
        feasible=feasible,
        top_steering=np.broadcast_to(np.asarray(top, dtype=float), total.shape).copy(),
    )
    if kick_deg is None and loft_m_s is None and level_frac is None:
        out = second_basin(march, out, args, h_t, vrot, shape, kw, coeffs)
    return out
