"""Rocket equation, serial and parallel staging, and the vehicle phase table.

All quantities are SI floats: masses in kg, Isp in s, thrust in N, delta-v in m/s, times in s.
Every function broadcasts over leading "case" axes; per-stage quantities carry the stage index in the
last axis.

Vehicle model (:class:`Stack`)
------------------------------
A launch vehicle is ``n`` serial core stages, optionally with strap-on boosters that burn beside core
stage 0 from lift-off. The flight is split into ``n + 1`` *phases*:

- phase 0 -- boosters and core stage 0 burn together until the boosters are empty. The effective Isp
  is thrust-weighted, ``Isp_eff = (F_b + tau F_c) / (g0 (mdot_b + mdot_c))``, with the core at throttle
  ``tau``; the core burns ``mdot_c t_b`` of its own propellant; the empty boosters are then dropped.
  Without boosters phase 0 has zero delta-v and zero duration.
- phase 1 -- core stage 0 burns its remaining propellant at full thrust, then is dropped.
- phase k (k >= 2) -- core stage k-1.

A mass dropped at the burnout of a stage (fairing, escape tower, interstage) is, for the rocket
equation, part of that stage's dry mass; the domain layer adds it there.

Every phase's delta-v has the form ``c ln((A + p) / (B + p))`` in the payload ``p`` with payload-free
masses ``A > B``: decreasing and convex in ``p``; :mod:`jointmission.core.payload` solves it for
the payload that a required delta-v allows.

Sources: Tsiolkovsky rocket equation, e.g. Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed.,
eq. 4-6 (single stage) and §4.7 (multistage); parallel staging with thrust-weighted Isp: Curtis,
*Orbital Mechanics for Engineering Students*, 3rd ed., §11.6 and Wiesel, *Spaceflight Dynamics*,
§8.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .status import Status
from ..constants import G0
from ._guard import si_kernel
from ._types import ArrayLike, FloatArray

__all__ = [
    "PayloadStatus",
    "Stack",
    "exhaust_velocity",
    "tsiolkovsky",
    "mass_ratio",
    "propellant_for_delta_v",
    "stage_delta_v",
    "serial_delta_v",
    "parallel_delta_v",
    "phase_masses",
    "stack_delta_v",
    "burn_times",
]


PayloadStatus = Status
"""Status of a payload solve: the one scheme of :mod:`jointmission.core.status` (codes 0-4 here)."""


def exhaust_velocity(isp_s: ArrayLike) -> FloatArray:
    """Effective exhaust velocity [m/s] from specific impulse ``isp_s`` [s]: ``c = g0 Isp``."""
    return G0 * np.asarray(isp_s, dtype=float)


@si_kernel(isp_s="s", m0_kg="kg", mf_kg="kg")
def tsiolkovsky(isp_s: ArrayLike, m0_kg: ArrayLike, mf_kg: ArrayLike) -> FloatArray:
    """Ideal delta-v [m/s] of a burn from initial mass ``m0_kg`` [kg] to final mass ``mf_kg`` [kg].

    ``dv = g0 Isp ln(m0 / mf)`` with ``isp_s`` [s]. NaN (invalid input) where ``isp_s <= 0`` or is
    not finite, ``mf <= 0`` or ``m0 < mf``.
    """
    isp = np.asarray(isp_s, dtype=float)
    m0 = np.asarray(m0_kg, dtype=float)
    mf = np.asarray(mf_kg, dtype=float)
    ok = (isp > 0) & np.isfinite(isp) & (mf > 0) & (m0 >= mf) & np.isfinite(m0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dv = G0 * isp * np.log(m0 / mf)
    return np.where(ok, dv, np.nan)


def mass_ratio(dv_m_s: ArrayLike, isp_s: ArrayLike) -> FloatArray:
    """Mass ratio ``m0 / mf`` [-] needed for delta-v ``dv_m_s`` [m/s] at Isp ``isp_s`` [s]."""
    return np.exp(np.asarray(dv_m_s, dtype=float) / exhaust_velocity(isp_s))


def propellant_for_delta_v(dv_m_s: ArrayLike, isp_s: ArrayLike, m_final_kg: ArrayLike) -> FloatArray:
    """Propellant mass [kg] burned to give ``dv_m_s`` [m/s] to a final (burnout) mass ``m_final_kg`` [kg].

    ``m_p = mf (exp(dv / (g0 Isp)) - 1)``, Isp in s.
    """
    return np.asarray(m_final_kg, dtype=float) * np.expm1(
        np.asarray(dv_m_s, dtype=float) / exhaust_velocity(isp_s)
    )


@si_kernel(isp_s="s", m_prop_kg="kg", m_dry_kg="kg", m_above_kg="kg")
def stage_delta_v(isp_s: ArrayLike, m_prop_kg: ArrayLike, m_dry_kg: ArrayLike, m_above_kg: ArrayLike) -> FloatArray:
    """Delta-v [m/s] of one stage burning ``m_prop_kg`` with dry mass ``m_dry_kg`` under ``m_above_kg``.

    ``dv = g0 Isp ln((m_p + m_d + m_a) / (m_d + m_a))``; masses in kg, Isp in s. NaN where a mass
    is negative, the burnout mass ``m_d + m_a`` is not positive, or ``isp_s <= 0``.
    """
    m_prop = np.asarray(m_prop_kg, dtype=float)
    m_dry = np.asarray(m_dry_kg, dtype=float)
    m_above = np.asarray(m_above_kg, dtype=float)
    m_end = m_dry + m_above
    dv = tsiolkovsky(isp_s, m_end + m_prop, m_end)
    return np.where((m_prop >= 0) & (m_dry >= 0) & (m_above >= 0), dv, np.nan)


@si_kernel(isp_s="s", m_prop_kg="kg", m_dry_kg="kg", payload_kg="kg")
def serial_delta_v(isp_s: ArrayLike, m_prop_kg: ArrayLike, m_dry_kg: ArrayLike, payload_kg: ArrayLike) -> FloatArray:
    """Per-stage delta-v [m/s] of serial stages, stage index in the last axis (bottom stage first).

    Parameters
    ----------
    isp_s, m_prop_kg, m_dry_kg : array_like (..., n)
        Isp [s], usable propellant [kg] and dry (burnout, dropped) mass [kg] of each stage.
    payload_kg : array_like (...)
        Payload above the top stage [kg].

    Returns
    -------
    ndarray (..., n)
        Delta-v of each stage [m/s]; their sum is the ideal delta-v of the vehicle. NaN for a
        stage with Isp <= 0 or a negative mass (and above a negative payload).
    """
    m_prop = np.asarray(m_prop_kg, dtype=float)
    m_dry = np.asarray(m_dry_kg, dtype=float)
    stage_total = m_prop + m_dry
    # mass above stage i = payload + sum of all stages j > i (reverse cumulative sum, exclusive).
    above = np.flip(np.cumsum(np.flip(stage_total, -1), -1), -1) - stage_total
    payload = np.asarray(payload_kg, dtype=float)[..., None]
    dv = stage_delta_v(isp_s, m_prop, m_dry, above + payload)
    return np.where(payload >= 0, dv, np.nan)


class _Phases(NamedTuple):
    c: np.ndarray  # (..., n+1) effective exhaust velocity of each phase [m/s]
    m_start: np.ndarray  # (..., n+1) mass at phase start excluding payload [kg]
    m_end: np.ndarray  # (..., n+1) mass at phase end excluding payload [kg]
    duration: np.ndarray  # (..., n+1) burn duration of each phase [s]
    valid: np.ndarray  # (...) bool, inputs physical
    core_ok: np.ndarray  # (...) bool, core not depleted during the booster phase


class Stack(NamedTuple):
    """A launch vehicle as plain SI arrays: ``n`` serial core stages plus optional boosters.

    Stage fields have shape ``(..., n)`` (bottom stage first); booster fields shape ``(...)`` and are
    totals over all boosters. A vehicle without boosters has ``booster_m_prop = 0``.

    Attributes
    ----------
    isp : Isp of each core stage [s] (the domain layer chooses vacuum or trajectory-averaged).
    thrust : thrust of each core stage at full throttle [N] (consistent with ``isp``).
    m_prop : usable propellant of each core stage [kg].
    m_dry : mass dropped at each stage's burnout [kg] (structure, engines, residuals, jettisons).
    booster_isp : booster Isp [s].
    booster_thrust : total thrust of all boosters [N].
    booster_m_prop : total usable propellant of all boosters [kg].
    booster_m_dry : total dry mass of all boosters [kg].
    core_throttle : throttle fraction of core stage 0 while the boosters burn [-].
    """

    isp: np.ndarray
    thrust: np.ndarray
    m_prop: np.ndarray
    m_dry: np.ndarray
    booster_isp: np.ndarray | float = 0.0
    booster_thrust: np.ndarray | float = 0.0
    booster_m_prop: np.ndarray | float = 0.0
    booster_m_dry: np.ndarray | float = 0.0
    core_throttle: np.ndarray | float = 1.0

    @property
    def n_stages(self) -> int:
        """Number of serial core stages."""
        return np.shape(self.isp)[-1]

    def liftoff_mass(self, payload_kg: ArrayLike = 0.0) -> FloatArray:
        """Gross lift-off mass [kg] including ``payload_kg`` [kg]."""
        stages = np.sum(np.asarray(self.m_prop, dtype=float) + np.asarray(self.m_dry, dtype=float), axis=-1)
        return (
            stages
            + np.asarray(self.booster_m_prop, dtype=float)
            + np.asarray(self.booster_m_dry, dtype=float)
            + np.asarray(payload_kg, dtype=float)
        )


def _as_float_fields(stack: Stack) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Stage fields ``[isp, thrust, m_prop, m_dry]`` and booster fields ``[isp, thrust, m_prop,
    m_dry, core_throttle]`` of ``stack`` as float arrays (not yet broadcast)."""
    stage = [np.asarray(x, dtype=float) for x in (stack.isp, stack.thrust, stack.m_prop, stack.m_dry)]
    boost = [np.asarray(x, dtype=float) for x in stack[4:9]]
    return stage, boost


def phase_masses(stack: Stack) -> _Phases:
    """Payload-free phase table of a :class:`Stack` (see the module docstring).

    Returns a named tuple with ``c`` (..., n+1) exhaust velocity [m/s], ``m_start`` and ``m_end``
    (..., n+1) masses at the start and end of each phase *excluding payload* [kg], ``duration``
    (..., n+1) [s], and flags ``valid`` and ``core_ok`` (...).
    """
    stage, boost = _as_float_fields(stack)
    stage_fields = np.broadcast_arrays(*stage)
    booster_fields = np.broadcast_arrays(*boost)
    n = stage_fields[0].shape[-1]
    cases = np.broadcast_shapes(stage_fields[0].shape[:-1], booster_fields[0].shape)
    isp, thrust, m_prop, m_dry = (np.broadcast_to(x, cases + (n,)) for x in stage_fields)
    b_isp, b_thrust, b_prop, b_dry, tau = (np.broadcast_to(x, cases) for x in booster_fields)

    has_b = b_prop > 0
    valid = (
        np.all((isp > 0) & (thrust > 0) & (m_prop > 0) & (m_dry > 0), axis=-1)
        & np.all(np.isfinite(isp) & np.isfinite(thrust) & np.isfinite(m_prop) & np.isfinite(m_dry), axis=-1)
        & (b_prop >= 0)
        & (b_dry >= 0)
        & np.where(has_b, (b_isp > 0) & (b_thrust > 0) & (tau >= 0) & (tau <= 1), True)
        & np.isfinite(b_prop + b_dry + np.where(has_b, b_isp + b_thrust + tau, 0.0))
    )

    c_stage = G0 * isp
    mdot = np.where(valid[..., None], thrust / np.where(c_stage > 0, c_stage, 1.0), 1.0)
    burn = m_prop / mdot  # full-throttle burn time of each core stage

    stage_total = m_prop + m_dry
    above = np.flip(np.cumsum(np.flip(stage_total, -1), -1), -1) - stage_total  # excl. payload

    # Booster phase.
    c_b = G0 * b_isp
    mdot_b = np.where(has_b & valid, b_thrust / np.where(c_b > 0, c_b, 1.0), 1.0)
    t_b = np.where(has_b, b_prop / mdot_b, 0.0)
    mdot_c0 = tau * mdot[..., 0]
    core_burned = mdot_c0 * t_b
    core_ok = core_burned < m_prop[..., 0]
    core_burned = np.minimum(core_burned, m_prop[..., 0])
    c_eff = np.where(
        has_b,
        (b_thrust + tau * thrust[..., 0]) / np.where(has_b, mdot_b + mdot_c0, 1.0),
        c_stage[..., 0],
    )
    m0 = stage_total[..., 0] + above[..., 0] + b_prop + b_dry
    m_end0 = m0 - b_prop - core_burned

    m_start1 = m_end0 - b_dry
    m_end1 = m_start1 - (m_prop[..., 0] - core_burned)
    t_1 = (m_prop[..., 0] - core_burned) / mdot[..., 0]

    m_start_up = stage_total[..., 1:] + above[..., 1:]
    m_end_up = m_start_up - m_prop[..., 1:]

    c = np.concatenate([c_eff[..., None], c_stage], axis=-1)
    m_start = np.concatenate([m0[..., None], m_start1[..., None], m_start_up], axis=-1)
    m_end = np.concatenate([m_end0[..., None], m_end1[..., None], m_end_up], axis=-1)
    duration = np.concatenate([t_b[..., None], t_1[..., None], burn[..., 1:]], axis=-1)
    return _Phases(c, m_start, m_end, duration, valid, core_ok)


@si_kernel(stack={"isp": "s", "thrust": "N", "m_prop": "kg", "m_dry": "kg", "booster_isp": "s", "booster_thrust": "N", "booster_m_prop": "kg", "booster_m_dry": "kg", "core_throttle": ""}, payload_kg="kg")
def stack_delta_v(stack: Stack, payload_kg: ArrayLike) -> FloatArray:
    """Ideal delta-v of each flight phase [m/s], shape ``(..., n + 1)``, for ``payload_kg`` [kg].

    Phase 0 is the booster phase (0 m/s without boosters); phase k >= 1 is core stage k-1. The sum
    over the last axis is the vehicle's ideal delta-v. NaN for invalid vehicles.
    """
    ph = phase_masses(stack)
    p = np.asarray(payload_kg, dtype=float)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        dv = ph.c * np.log((ph.m_start + p) / (ph.m_end + p))
    ok = (ph.valid & ph.core_ok & (p[..., 0] >= 0))[..., None]
    return np.where(ok, dv, np.nan)


@si_kernel(
    booster_isp_s="s",
    booster_thrust_n="N",
    booster_m_prop_kg="kg",
    booster_m_dry_kg="kg",
    core_isp_s="s",
    core_thrust_n="N",
    core_m_prop_kg="kg",
    core_m_dry_kg="kg",
    m_above_kg="kg",
    core_throttle="",
)
def parallel_delta_v(
    booster_isp_s: ArrayLike,
    booster_thrust_n: ArrayLike,
    booster_m_prop_kg: ArrayLike,
    booster_m_dry_kg: ArrayLike,
    core_isp_s: ArrayLike,
    core_thrust_n: ArrayLike,
    core_m_prop_kg: ArrayLike,
    core_m_dry_kg: ArrayLike,
    m_above_kg: ArrayLike,
    core_throttle: ArrayLike = 1.0,
) -> tuple[FloatArray, FloatArray]:
    """Delta-v [m/s] of a booster + core first stage: returns ``(dv_booster_phase, dv_core_phase)``.

    Boosters (totals over all boosters: Isp [s], thrust [N], propellant [kg], dry [kg]) burn beside
    the core (Isp [s], thrust [N], propellant [kg], dry [kg]) at throttle ``core_throttle`` [-]; the
    thrust-weighted effective Isp applies while both burn; the core burns its remaining propellant
    alone after the booster dry mass is dropped. ``m_above_kg`` [kg] is everything above the core.
    NaN where the core would run dry before the boosters.
    """
    stack = Stack(
        isp=np.asarray(core_isp_s, dtype=float)[..., None],
        thrust=np.asarray(core_thrust_n, dtype=float)[..., None],
        m_prop=np.asarray(core_m_prop_kg, dtype=float)[..., None],
        m_dry=np.asarray(core_m_dry_kg, dtype=float)[..., None],
        booster_isp=booster_isp_s,
        booster_thrust=booster_thrust_n,
        booster_m_prop=booster_m_prop_kg,
        booster_m_dry=booster_m_dry_kg,
        core_throttle=core_throttle,
    )
    dv = stack_delta_v(stack, m_above_kg)
    return dv[..., 0], dv[..., 1]


def burn_times(stack: Stack) -> FloatArray:
    """Burn duration of each flight phase [s], shape ``(..., n + 1)`` (phase 0 = booster phase)."""
    return phase_masses(stack).duration
