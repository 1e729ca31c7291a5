"""Payload to orbit and to escape (C3) of a launch vehicle: ideal delta-v budget + ascent losses.

Budget (all in m/s)
-------------------
``dv_required = dv_orbit - dv_rotation + (gravity + drag + steering + back_pressure)
+ dv_dogleg + dv_departure + dv_finite_burn``, and the payload is the mass for which the vehicle's ideal
(vacuum-Isp) delta-v equals it (:func:`jointmission.core.payload.solve_payload`).

- **Insertion scheme.** The vehicle ascends to a *circular* orbit at the target perigee altitude,
  capped at :data:`INSERTION_ALT_MAX` = 200 km (a C3 target inserts at its parking altitude, default
  :data:`~jointmission.constants.DEFAULT_PARKING_ALT_M` = 185 km); the top stage
  then makes one tangential burn to the target
  (``v_perigee - v_circ`` for an ellipse, ``sqrt(C3 + 2 mu / r) - v_circ`` for escape). A burn of
  more than 50 m/s follows a parking-orbit coast in which the top stage loses its boil-off and
  restart propellant (:attr:`VehicleArrays.coast_loss`; the delta-v cost
  :func:`~jointmission.vehicles.top_stage.coast_penalty` is counted in ``dv_finite_burn``). That burn's finite-arc loss is ``dv phi^2 / 24``
  (:func:`jointmission.core.ascent.finite_burn_loss`). For orbit targets ``dv_orbit`` is the
  perigee speed and ``dv_departure`` is 0 (the apsis burn is part of ``dv_orbit``); for C3 targets
  ``dv_orbit`` is the parking circular speed and ``dv_departure`` the escape burn. A perigee above
  200 km is reached Hohmann-style: insertion at 200 km into an ellipse with the target apogee, then
  a perigee-raising burn at apogee (included in ``dv_orbit``, with its own finite-burn loss).
- **Earth rotation and dog-legs** (:mod:`.launch_geometry`): ``dv_rotation`` is the benefit of the
  launch azimuth for the inclination; below the site latitude the vehicle launches due east and pays
  ``dv_dogleg`` for the yaw-steered plane turn between guidance start and insertion.
- **Ascent losses** from :mod:`jointmission.core.ascent` depend on the payload (thrust-to-weight),
  so payload and losses are iterated per case (secant steps kept inside a bracket of the root of
  ``p - payload(losses(p))``, vectorized, at most 30 steps, usually 3-5) until the payload changes
  by less than 1e-6 relative. The trajectory shape is re-optimised when the payload has moved by
  more than 1 % since it was last optimised. Every decision is per case, so a case gives the same
  result alone or inside an array.
- **Reserve.** ``reserve_fraction`` (default 0) multiplies the requirement by ``1 + f`` as a
  flight-performance reserve.
- **Earth only.** ``mu`` and ``r_body`` are parameters, but the atmosphere and rotation rate of the
  ascent model are Earth's.

Details, calibration and the validation table: ``docs/method-ascent.md``.

Status codes: :class:`PerformanceStatus` (the rocket codes plus lift-off T/W < 1, bad target,
infeasible trajectory). Infeasible cases give NaN payload.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike

from ..core.status import Status
from ..constants import G0, GM_EARTH, R_EARTH
from ..constants import MAX_APOGEE_ALT_M, MIN_PERIGEE_ALT_M
from ..core.ascent import DEFAULT_COEFFICIENTS, AscentCoefficients, ascent_losses, finite_burn_loss
from ..core.payload import PreparedPayload
from ..core.rocket import PayloadStatus, Stack, phase_masses, stack_delta_v
from ..core.launch_geometry import dogleg_angle, dogleg_dv, rotation_benefit
from ..units import as_si
from .arrays import VehicleArrays, vehicle_arrays
from .targets import DEFAULT_PARKING_ALT_M, C3Target, OrbitTarget, Target
from .top_load import DEFAULT_TOP_LOAD, SLOPE_STEP, TOP_LOAD_MIN, maximise_load, with_top_load
from .top_stage import coast_penalty, coasts
from .vehicle import LaunchVehicle

__all__ = [
    "PerformanceStatus",
    "PerformanceResult",
    "VehicleArrays",
    "OrbitTarget",
    "C3Target",
    "Target",
    "vehicle_arrays",
    "payload_to_orbit",
    "payload_to_c3",
    "payload",
    "mass_in_orbit_with_top_stage",
]


PerformanceStatus = Status
"""Status of a performance case: the one scheme of :mod:`jointmission.core.status` (the payload
codes plus ``LIFTOFF_TW_BELOW_ONE``, ``INVALID_TARGET``, ``TRAJECTORY_INFEASIBLE``)."""


@dataclass(frozen=True)
class PerformanceResult:
    """Payload and delta-v budget per case (all arrays of the broadcast case shape, m/s unless noted).

    Attributes
    ----------
    payload_kg : payload [kg] (NaN unless ``status == OK``); for
        :func:`mass_in_orbit_with_top_stage`, the total mass in orbit.
    status : int8 :class:`PerformanceStatus` codes.
    dv_required : ideal delta-v the vehicle provides [m/s] (sum of the budget, times
        ``1 + reserve_fraction``).
    dv_orbit : insertion speed (perigee speed; parking circular speed for C3 targets).
    dv_rotation : Earth-rotation benefit (subtracted; negative = penalty, dog-legs).
    dv_gravity, dv_drag, dv_steering, dv_back_pressure : ascent losses.
    dv_departure : escape burn from the parking orbit (0 for orbit targets).
    dv_finite_burn : finite-arc loss of the apsis / departure burn.
    dv_dogleg : yaw-steering cost of a dog-leg when the inclination is below the launch latitude.
    dv_phases : ideal delta-v of each flight phase with this payload, shape (..., n+1) (a stage that
        drops its fairing during its burn: both segments together).
    phase_names : names of the flight phases.
    liftoff_tw : lift-off thrust-to-weight ratio with this payload [-].
    kick_deg : pitch-over angle chosen by the ascent model [deg].
    level_frac : fraction of the top stage's ascent burn flown level at the insertion altitude,
        chosen by the ascent model [-] (0: the guided climb profile runs to burnout).
    iterations : payload/loss iterations taken.
    v_separation, h_separation, gamma_separation_deg : Earth-relative speed [m/s], altitude [m] and
        flight-path angle [deg] where guidance starts: booster separation on a vehicle with boosters
        (the state a recovered booster flies back from, :func:`~.recovery.rtls_burns`), else first-stage
        burnout or the end of high dynamic pressure.
    top_load : fraction of the top stage's burnable propellant loaded for this answer [-] (1: the full
        load; chosen per case by default, ``top_load="optimal"``, see :func:`payload_to_orbit`).
    loft_m_s : loft of the trajectory shape chosen by the ascent model [m/s] (with ``kick_deg`` and
        ``level_frac``, the shape of :func:`jointmission.core.ascent.ascent_losses`).
    top_steering : the top stage's steering of that shape (0: the guided profile, 1: explicit).
    """

    payload_kg: np.ndarray
    status: np.ndarray
    dv_required: np.ndarray
    dv_orbit: np.ndarray
    dv_rotation: np.ndarray
    dv_gravity: np.ndarray
    dv_drag: np.ndarray
    dv_steering: np.ndarray
    dv_back_pressure: np.ndarray
    dv_departure: np.ndarray
    dv_finite_burn: np.ndarray
    dv_dogleg: np.ndarray
    dv_phases: np.ndarray
    phase_names: tuple[str, ...]
    liftoff_tw: np.ndarray
    kick_deg: np.ndarray
    iterations: int
    level_frac: np.ndarray | None = None
    v_separation: np.ndarray | None = None
    h_separation: np.ndarray | None = None
    gamma_separation_deg: np.ndarray | None = None
    top_load: np.ndarray | None = None
    loft_m_s: np.ndarray | None = None
    top_steering: np.ndarray | None = None

    @property
    def dv_losses(self) -> np.ndarray:
        """Sum of the four ascent losses [m/s]."""
        return self.dv_gravity + self.dv_drag + self.dv_steering + self.dv_back_pressure

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of cases with ``status == OK``."""
        return self.status == PerformanceStatus.OK


def _as_arrays(vehicle: LaunchVehicle | VehicleArrays) -> tuple[VehicleArrays, tuple[str, ...]]:
    if isinstance(vehicle, VehicleArrays):
        cs = getattr(vehicle, "column_stage", ())
        n = max(cs) + 1 if cs else np.shape(vehicle.stack.isp)[-1]
        return vehicle, ("booster phase",) + tuple(f"stage {k + 1}" for k in range(n))
    if isinstance(vehicle, LaunchVehicle):
        return vehicle_arrays(vehicle), vehicle.phase_names
    raise TypeError(f"expected a LaunchVehicle or VehicleArrays, got {type(vehicle).__name__}")


_SHAPE_GAIN_TOL = 1.0
"""[m/s] A fresh trajectory-shape optimisation that lowers the kept shape's loss by more than this
counts as an improvement: the case is iterated on with the new shape before it may converge."""

_VERIFY_TOL = 1e-3
"""[-] A case converges only at a payload within this fraction of one where a fresh shape search
found nothing better."""


@dataclass
class _Problem:
    """The inputs of one payload/loss solve, broadcast to the case ``shape`` (per-phase arrays with a
    trailing phase axis), SI: the vehicle's phases, the target geometry (insertion radius and
    speeds, the top stage's burns, Earth rotation and dog-leg) and the fixed part of the budget."""

    st: Stack
    shape: tuple
    c: np.ndarray
    ms: np.ndarray
    me: np.ndarray
    thrust: np.ndarray
    p_area: np.ndarray
    valid_t: np.ndarray
    """The target is inside the model (else INVALID_TARGET; its numbers are placeholders)."""
    h_safe: np.ndarray
    r_p: np.ndarray
    v_c: np.ndarray
    v_t: np.ndarray
    dv_burn: np.ndarray
    dv2: np.ndarray
    r2: np.ndarray
    dv_rot: np.ndarray
    v_inplane: np.ndarray
    d_inc: np.ndarray
    v_ins: np.ndarray
    """Speed at (parking-orbit) insertion, where a dog-leg turn must be done."""
    fixed_payload: np.ndarray | None
    mu: float
    r_body: float
    coeffs: AscentCoefficients
    reserve_fraction: float
    coast: np.ndarray | bool = False
    """The last burn follows a parking-orbit coast (escape and transfer-orbit targets)."""
    coast_loss: np.ndarray | float = 0.0
    """Mass the top stage loses in that coast [kg] (:attr:`VehicleArrays.coast_loss`)."""
    prepared: PreparedPayload | None = None
    """The payload solve of this vehicle, prepared at the first :meth:`payload_for`."""
    switch_phase: int | None = None
    """Phase at whose start guidance may take over (:func:`~jointmission.core.ascent.march`); None: the
    ascent model's rule (booster separation, else the second phase after the booster phase)."""

    @property
    def dv_fixed(self) -> np.ndarray:
        """The loss-free part of the requirement [m/s]."""
        return self.v_c - self.dv_rot + self.dv_burn + self.dv2

    def losses_for(self, p, kick, loft, level=None, mask=None, top=None):
        """Ascent losses with payload ``p`` (or mass in orbit ``p`` in fixed-payload mode), and the
        top stage's finite-burn losses [m/s]."""
        shape, ms, me, c = self.shape, self.ms, self.me, self.c
        thrust, p_area, mu, r_body = self.thrust, self.p_area, self.mu, self.r_body
        c_top, f_top = c[..., -1], thrust[..., -1]
        fixed_payload = self.fixed_payload
        if fixed_payload is None:
            m_s = ms + p[..., None]
            m_e = me + p[..., None]
            m_final = m_e[..., -1]
        else:
            m_s = ms + fixed_payload[..., None]
            m_e = (me + fixed_payload[..., None]).copy()
            m_final = p
        # Mass at parking insertion, before the apsis/departure burn of the top stage. If the lower
        # stages alone overshoot the parking speed, the top stage starts the burn at its ignition
        # mass and burns only the rest (the overshoot is flown as a direct ascent).
        m_top0 = m_s[..., -1]
        # second (apoapsis) burn last: mass before it, its burn time and arc loss
        dv2 = self.dv2
        m_mid = np.minimum(m_final * np.exp(dv2 / c_top), m_top0)
        fb2 = finite_burn_loss(c_top * np.log(m_mid / m_final), (m_mid - m_final) * c_top / f_top, self.r2, mu)
        m_mid = np.minimum(m_final * np.exp((dv2 + fb2) / c_top), m_top0)
        m_park = np.minimum(m_mid * np.exp(self.dv_burn / c_top), m_top0)
        t_burn = (m_park - m_mid) * c_top / f_top
        fb = finite_burn_loss(c_top * np.log(m_park / m_mid), t_burn, self.r_p, mu)
        m_park = np.minimum(m_mid * np.exp((self.dv_burn + fb) / c_top), m_top0)
        fb = fb + fb2
        # top stage as flown: boil-off and restart propellant lost in the parking-orbit coast before
        # the last burn (a mass drop between the burns, .top_stage.coast_penalty)
        fb = fb + np.where(self.coast, coast_penalty(c_top, m_park, self.coast_loss), 0.0)
        m_e = m_e.copy()
        m_e[..., -1] = np.maximum(m_park, m_e[..., -1])
        kw = dict(mu=mu, r_body=r_body, coeffs=self.coeffs, switch_phase=self.switch_phase)
        if mask is None or mask.all():
            res = ascent_losses(
                thrust, c, m_s, m_e, p_area, self.h_safe, self.v_inplane,
                kick_deg=kick, loft_m_s=loft, level_frac=level, top_steering=top, **kw,
            )
            return res, fb
        # only the cases in ``mask`` (a shape optimisation costs ~100 marches: skip the others)
        sub = lambda x: np.broadcast_to(x, shape + np.shape(x)[len(shape):])[mask]  # noqa: E731
        part = ascent_losses(
            sub(thrust), sub(c), sub(m_s), sub(m_e), sub(p_area), sub(self.h_safe), sub(self.v_inplane), **kw,
        )
        fields = []
        for a in part:
            full = np.zeros(shape, bool) if a.dtype == bool else np.full(shape, np.nan)
            full[mask] = a
            fields.append(full)
        return type(part)(*fields), fb

    def payload_for(self, dv_req):
        """Payload [kg] (or mass in orbit in fixed-payload mode) and status for the requirement
        ``dv_req`` [m/s]."""
        st, fixed_payload = self.st, self.fixed_payload
        if fixed_payload is None:
            if self.prepared is None or self.prepared.shape != np.shape(dv_req):
                self.prepared = PreparedPayload(st, np.shape(dv_req))  # the phase table once per problem
            sol = self.prepared(dv_req)
            return sol.payload, sol.status
        # mass in orbit: lower phases fully burned with the fixed payload; top stage partially.
        c_top = self.c[..., -1]
        dv = stack_delta_v(st, fixed_payload)
        dv_lower = np.sum(dv[..., :-1], axis=-1)
        m_top0 = self.ms[..., -1] + fixed_payload
        m_orbit = m_top0 * np.exp(-(dv_req - dv_lower) / c_top)
        m_orbit = np.minimum(m_orbit, m_top0)
        status = np.where(np.isfinite(m_orbit) & (m_orbit >= self.me[..., -1] + fixed_payload), 0, PayloadStatus.INSUFFICIENT_DV).astype(np.int8)
        return np.where(status == 0, m_orbit, np.nan), status

    def required(self, res, fb):
        """The requirement [m/s] with losses ``res`` and finite-burn losses ``fb``, and its dog-leg part."""
        dv_dog = dogleg_dv(res.v_switch + self.v_inplane, self.v_ins, self.d_inc)
        return (self.dv_fixed + res.total + fb + dv_dog) * (1.0 + self.reserve_fraction), dv_dog


def _problem(va: VehicleArrays, h_park, v_target, inclination, latitude, *, is_c3: bool, mu: float,
             r_body: float, coeffs: AscentCoefficients, fixed_payload, valid_target, dv_second, r_second,
             reserve_fraction: float) -> _Problem:
    """Broadcast the vehicle and target of a solve and derive the target geometry."""
    st = va.stack
    ph = phase_masses(st)
    lat = va.latitude if latitude is None else np.asarray(latitude, dtype=float)
    h_park = np.asarray(h_park, dtype=float)
    v_target = np.asarray(v_target, dtype=float)
    shape = np.broadcast_shapes(ph.c.shape[:-1], h_park.shape, v_target.shape, np.shape(lat),
                                np.shape(inclination) if inclination is not None else (),
                                np.shape(fixed_payload) if fixed_payload is not None else ())
    n_ph = ph.c.shape[-1]
    bc = lambda x: np.broadcast_to(x, shape)  # noqa: E731
    bcp = lambda x: np.broadcast_to(x, shape + (n_ph,))  # noqa: E731
    h_park, v_target, lat = bc(h_park), bc(v_target), bc(lat)

    valid_t = np.isfinite(h_park) & (h_park > 0) & np.isfinite(v_target)
    if valid_target is not None:
        valid_t &= bc(valid_target)
    inc = None if inclination is None else bc(np.asarray(inclination, dtype=float))
    if inc is not None:
        valid_t &= (np.isnan(inc)) | ((inc >= 0) & (inc <= np.pi))
    h_safe = np.where(valid_t, h_park, 200e3)
    r_p = r_body + h_safe
    v_c = np.sqrt(mu / r_p)
    v_t = np.where(valid_t, np.maximum(v_target, v_c), v_c)
    dv_rot, v_inplane = rotation_benefit(v_c, lat, inc, r_body=r_body)
    # the turn starts at guidance start: Earth-relative v_switch + the launch site's eastward speed
    return _Problem(
        st=st, shape=shape, c=bcp(ph.c), ms=bcp(ph.m_start), me=bcp(ph.m_end),
        thrust=bcp(va.phase_thrust), p_area=bcp(va.phase_p_area), valid_t=valid_t, h_safe=h_safe, r_p=r_p,
        v_c=v_c, v_t=v_t, dv_burn=v_t - v_c, dv2=np.where(valid_t, bc(np.asarray(dv_second, dtype=float)), 0.0),
        r2=r_p if r_second is None else np.where(valid_t, bc(np.asarray(r_second, dtype=float)), r_p),
        dv_rot=dv_rot, v_inplane=v_inplane, d_inc=dogleg_angle(lat, inc), v_ins=v_c if is_c3 else v_t,
        fixed_payload=None if fixed_payload is None else bc(np.asarray(fixed_payload, dtype=float)),
        mu=mu, r_body=r_body, coeffs=coeffs, reserve_fraction=reserve_fraction,
        coast=coasts(v_t - v_c), coast_loss=bc(np.asarray(getattr(va, "coast_loss", 0.0), dtype=float)),
        switch_phase=_switch_phase(va),
    )


def _switch_phase(va: VehicleArrays) -> int | None:
    """Where guidance may start when stage 0 is flown in segments (a drop during its burn) on a vehicle
    without boosters: at stage 0's burnout, the start of the phase after its segments, as without the
    split (the ascent model's own rule would start it at the drop). None otherwise (the model's rule)."""
    cs = getattr(va, "column_stage", ())
    n0 = sum(1 for s in cs if s == 0)
    if n0 < 2 or np.any(np.asarray(va.stack.booster_m_prop) > 0):
        return None
    return 1 + n0


@dataclass
class _Iterated:
    """Where the payload/loss iteration stopped: payload ``p``, the trajectory shape, per-case
    ``converged`` / ``narrow`` (accepted on a bracket narrower than the tolerance) flags."""

    p: np.ndarray
    kick: np.ndarray
    loft: np.ndarray
    level: np.ndarray
    top: np.ndarray
    converged: np.ndarray
    narrow: np.ndarray
    iterations: int


def _iterate(pb: _Problem, rtol: float, max_iter: int, p_guess=None) -> _Iterated:
    """Secant iteration (kept inside a bracket) on ``r(p) = payload(losses(p)) - p``, re-optimising
    the trajectory shape where the payload has moved. ``p_guess`` [kg]: a first payload to try where
    it is finite and positive (e.g. a neighbouring solve's answer), else the 1.7 km/s guess."""
    shape, me, fixed_payload = pb.shape, pb.me, pb.fixed_payload
    # Initial guess: a typical 1.7 km/s of losses.
    p, stat = pb.payload_for(pb.dv_fixed + 1700.0)
    p = np.where(np.isfinite(p), p, 0.0 if fixed_payload is None else me[..., -1] + fixed_payload)
    if p_guess is not None:
        g = np.broadcast_to(np.asarray(p_guess, dtype=float), shape)
        p = np.where(np.isfinite(g) & (g > 0), g, p)
    kick = loft = level = top = None
    floor = me[..., -1] + fixed_payload if fixed_payload is not None else np.zeros(shape)
    lo, hi = floor.copy(), np.full(shape, np.inf)
    p_opt = np.full(shape, np.nan)
    p_prev = r_prev = None
    iterations = 0
    converged = np.zeros(shape, bool)
    narrow = np.zeros(shape, bool)
    done = np.zeros(shape, bool)  # converged and verified: the case keeps its payload and shape from then on
    p_ver = np.full(shape, np.nan)  # payload where a fresh shape optimisation found nothing better
    for it in range(max_iter):
        iterations = it + 1
        # Optimise the trajectory shape (pitch-over, loft, level flight) whenever the payload has
        # moved by more than 1 % since the last optimisation, and once more at the payload a case
        # converges to (``verified``); the total loss is stationary in the shape, so a shape from a
        # nearby payload changes the losses only to second order -- except near a loss cliff (two
        # trajectory families), where only a fresh optimisation tells. A fresh shape replaces the
        # kept one only where it flies with less loss (any flyable shape is a valid trajectory).
        stale = ~(np.abs(p - p_opt) <= 0.01 * (np.abs(p_opt) + 1.0)) & np.isfinite(p)
        verified = np.abs(p - p_ver) <= _VERIFY_TOL * (np.abs(p_ver) + 1.0)
        need = np.broadcast_to(it == 0, shape) | stale | (converged & ~verified)
        if kick is None:
            res, fb = pb.losses_for(p, None, None)
            need = np.ones(shape, bool)
            improved = np.zeros(shape, bool)
        else:
            res, fb = pb.losses_for(p, kick, loft, level, top=top)
            need = need | ~res.feasible
            improved = np.zeros(shape, bool)
            if need.any():
                res_o, fb_o = pb.losses_for(p, None, None, mask=need)
                better = need & res_o.feasible & (~res.feasible | (res_o.total < res.total))
                improved = better & ~(res.total - res_o.total <= _SHAPE_GAIN_TOL)
                res = type(res)(*(np.where(better, a, b) for a, b in zip(res_o, res)))
                fb = np.where(better, fb_o, fb)
                # an upper bound found with a worse shape may no longer hold: widen it a little
                # (a loss gain of a few m/s moves the root by well under 1 %)
                hi = np.where(better, hi + 0.01 * (np.abs(hi) + 1.0), hi)
        p_opt = np.where(need, p, p_opt)
        p_ver = np.where(need & ~improved, p, np.where(improved, np.nan, p_ver))
        verified = np.abs(p - p_ver) <= _VERIFY_TOL * (np.abs(p_ver) + 1.0)
        kick, loft, level, top = res.kick_deg, res.loft_m_s, res.level_frac, res.top_steering
        dv_req, _ = pb.required(res, fb)
        p_new, stat = pb.payload_for(dv_req)
        good = np.isfinite(p_new)
        r = np.where(good, p_new - p, 0.0)
        # bracket of the root of r(p) = payload(losses(p)) - p: r > 0 below it, r < 0 above it
        lo = np.where(good & (r >= 0), np.maximum(lo, p), lo)
        hi = np.where(~good | (r < 0), np.minimum(hi, p), hi)
        converged = good & (np.abs(r) <= rtol * (np.abs(p_new) + 1.0))
        # a jump in the losses (two trajectory shapes) can leave no exact root: accept a bracket
        # narrower than the tolerance, on its feasible (lower) side
        narrow = np.isfinite(hi) & (hi - lo <= rtol * (np.abs(lo) + 1.0)) & (lo > floor)
        converged |= narrow
        p_new = np.where(narrow & ~good, lo, p_new)
        hopeless = ~good & (p <= floor)  # no payload even at the lightest guess
        done |= converged & verified
        if np.all(done | hopeless):
            p = np.where(narrow, lo, np.where(good, p_new, p))
            break
        # secant step on r(p), kept inside the bracket (bisection when it leaves it)
        step = p_new
        if p_prev is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = (r - r_prev) / (p - p_prev)
                sec = p - r / slope
            use = np.isfinite(sec) & (np.abs(p - p_prev) > 0) & good & np.isfinite(r_prev)
            step = np.where(use, sec, p_new)
        inside = (step > lo) & (step < hi)
        mid = np.where(np.isfinite(hi), 0.5 * (lo + hi), np.maximum(2.0 * lo, lo + 1000.0))
        step = np.where(inside, step, mid)
        # no solution here and none known below: try the lightest case (smallest losses) next
        step = np.where(~good & (lo <= floor), floor, step)
        p_prev, r_prev = p, np.where(good, r, np.nan)
        # a finished case stays where it finished (it gives the same answer alone or among others)
        p = np.where(done, p, np.maximum(step, floor))
    return _Iterated(p, kick, loft, level, top, converged, narrow, iterations)


def _final(pb: _Problem, it: _Iterated, va: VehicleArrays, names: tuple[str, ...], *, is_c3: bool,
           rtol: float) -> PerformanceResult:
    """The budget at the converged payload (terms consistent with the payload) and the statuses."""
    shape, st, p, narrow, fixed_payload = pb.shape, pb.st, it.p, it.narrow, pb.fixed_payload
    valid_t = pb.valid_t
    res, fb = pb.losses_for(np.where(np.isfinite(p), p, 0.0), it.kick, it.loft, it.level, top=it.top)
    dv_req, dv_dog = pb.required(res, fb)
    p_fin, stat = pb.payload_for(dv_req)
    p_fin = np.where(narrow & np.isfinite(p), p, p_fin)  # at a jump keep the feasible side
    stat = np.where(narrow & np.isfinite(p), 0, stat)
    status = stat.astype(np.int8).copy()
    status[(status == 0) & ~it.converged & ~(np.abs(p_fin - p) <= rtol * 10 * (np.abs(p_fin) + 1.0))] = PerformanceStatus.NOT_CONVERGED
    status[(status == 0) & ~res.feasible] = PerformanceStatus.TRAJECTORY_INFEASIBLE
    payload_for_tw = np.where(np.isfinite(p_fin), p_fin, 0.0) if fixed_payload is None else fixed_payload
    m_lift = st.liftoff_mass(payload_for_tw)
    tw = np.broadcast_to(va.liftoff_thrust, shape) / (G0 * m_lift)
    # thrust-to-weight below 1 (with the payload found, or with none when no payload was found): the
    # vehicle does not lift off, whatever the ascent solve made of it
    status[((status == 0) | ~np.isfinite(p_fin)) & (tw < 1.0)] = PerformanceStatus.LIFTOFF_TW_BELOW_ONE
    status[~valid_t] = PerformanceStatus.INVALID_TARGET
    ok = status == 0
    p_out = np.where(ok, p_fin, np.nan)
    dv_ph = stack_delta_v(st, np.where(ok, p_out, 0.0) if fixed_payload is None else fixed_payload)
    dv_ph = va.per_stage(dv_ph)  # a stage split by a drop during its burn: its segments summed
    nan = lambda x: np.where(valid_t, x, np.nan)  # noqa: E731
    # the ascent terms mean something only for a flown ascent (a result, or one short of delta-v);
    # for a vehicle that does not lift off or a failed solve they are NaN, never an absurd number
    flown = valid_t & ((status == 0) | (status == PerformanceStatus.INSUFFICIENT_DV))
    ascent = lambda x: np.where(flown, x, np.nan)  # noqa: E731
    zero = np.zeros(shape)
    return PerformanceResult(
        payload_kg=p_out,
        status=status,
        dv_required=ascent(dv_req),
        dv_orbit=nan(pb.v_c if is_c3 else pb.v_t + pb.dv2),
        dv_rotation=nan(pb.dv_rot),
        dv_gravity=ascent(res.gravity),
        dv_drag=ascent(res.drag),
        dv_steering=ascent(res.steering),
        dv_back_pressure=ascent(res.back_pressure),
        dv_departure=nan(pb.dv_burn if is_c3 else zero),
        dv_finite_burn=ascent(fb),
        dv_dogleg=ascent(dv_dog),
        dv_phases=np.broadcast_to(dv_ph, shape + (np.shape(dv_ph)[-1],)).copy(),
        phase_names=names,
        liftoff_tw=tw,
        kick_deg=res.kick_deg,
        level_frac=res.level_frac,
        iterations=it.iterations,
        v_separation=ascent(res.v_switch),
        h_separation=ascent(res.h_switch),
        gamma_separation_deg=ascent(res.gamma_switch_deg),
        loft_m_s=res.loft_m_s,
        top_steering=res.top_steering,
    )


def _solve(
    va: VehicleArrays,
    names: tuple[str, ...],
    h_park,
    v_target,
    inclination,
    latitude,
    *,
    is_c3: bool,
    mu: float,
    r_body: float,
    coeffs: AscentCoefficients,
    fixed_payload=None,
    rtol: float = 1e-6,
    max_iter: int = 60,
    valid_target=None,
    dv_second=0.0,
    r_second=None,
    reserve_fraction: float = 0.0,
    top_load: float | str = 1.0,
    p_guess=None,
) -> PerformanceResult:
    """Shared payload/loss iteration. With ``fixed_payload`` the unknown is the mass in orbit
    (payload + top-stage dry mass + its remaining propellant) instead of the payload. Steps: the
    broadcast problem (:func:`_problem`), the iteration (:func:`_iterate`), the final budget and
    statuses (:func:`_final`). ``top_load``: see :func:`_top_load_solve`."""
    if not (isinstance(top_load, (int, float)) and float(top_load) == 1.0):
        return _top_load_solve(va, names, h_park, v_target, inclination, latitude, top_load, is_c3=is_c3,
                               mu=mu, r_body=r_body, coeffs=coeffs, rtol=rtol, max_iter=max_iter,
                               valid_target=valid_target, dv_second=dv_second, r_second=r_second,
                               reserve_fraction=reserve_fraction)
    pb = _problem(va, h_park, v_target, inclination, latitude, is_c3=is_c3, mu=mu, r_body=r_body, coeffs=coeffs,
                  fixed_payload=fixed_payload, valid_target=valid_target, dv_second=dv_second, r_second=r_second,
                  reserve_fraction=reserve_fraction)
    out = _final(pb, _iterate(pb, rtol, max_iter, p_guess), va, names, is_c3=is_c3, rtol=rtol)
    return replace(out, top_load=np.ones(pb.shape))


def _top_load_solve(va: VehicleArrays, names: tuple[str, ...], h_park, v_target, inclination, latitude,
                    top_load: float | str, **kw: Any) -> PerformanceResult:
    """The payload solve with the top stage loaded with the fraction ``top_load`` [-] of its burnable
    propellant (a number in [:data:`~.top_load.TOP_LOAD_MIN`, 1]), or with the load that maximises
    the payload per case (``"optimal"``, :func:`~.top_load.maximise_load`)."""
    if isinstance(top_load, str):
        if top_load != "optimal":
            raise ValueError(f"top_load must be a fraction in [{TOP_LOAD_MIN}, 1] or 'optimal', got {top_load!r}")
        pkw = {k: kw[k] for k in ("is_c3", "mu", "r_body", "coeffs", "reserve_fraction")}
        targets = dict(h_park=h_park, v_target=v_target, inclination=inclination, latitude=latitude,
                       valid_target=kw["valid_target"], dv_second=kw["dv_second"], r_second=kw["r_second"])
        shape = _problem(va, h_park, v_target, inclination, latitude, fixed_payload=None,
                         **{k: targets[k] for k in ("valid_target", "dv_second", "r_second")}, **pkw).shape

        def cases(mask):
            if mask is None:
                return va, targets
            return _take_cases(va, shape, mask), {k: None if x is None else np.broadcast_to(np.asarray(x), shape)[mask]
                                                  for k, x in targets.items()}

        def solve(load, guess, mask):
            v, t = cases(mask)
            return _solve(with_top_load(v, load), names, t["h_park"], t["v_target"], t["inclination"], t["latitude"],
                          p_guess=guess, **{k: x for k, x in kw.items() if k not in ("valid_target", "dv_second",
                                                                                         "r_second")},
                          valid_target=t["valid_target"], dv_second=t["dv_second"], r_second=t["r_second"])

        def slope(load, res, mask):
            v, t = cases(mask)
            return _load_slope(v, t, load, res, pkw)

        return maximise_load(solve, slope, shape)
    f = float(top_load)
    if not TOP_LOAD_MIN <= f <= 1.0:
        raise ValueError(f"top_load must be a fraction in [{TOP_LOAD_MIN}, 1] or 'optimal', got {top_load!r}")
    out = _solve(with_top_load(va, f), names, h_park, v_target, inclination, latitude, **kw)
    return replace(out, top_load=np.full(np.shape(out.payload_kg), f))


def _take_cases(va: VehicleArrays, shape: tuple, mask: np.ndarray) -> VehicleArrays:
    """The vehicle arrays of the cases in ``mask`` (bool of the case ``shape``), as a 1-D case axis."""
    per_phase = lambda x: np.broadcast_to(np.asarray(x, dtype=float), shape + np.shape(x)[-1:])[mask]  # noqa: E731
    per_case = lambda x: np.broadcast_to(np.asarray(x, dtype=float), shape)[mask]  # noqa: E731
    st = va.stack
    stack = st._replace(**{k: (per_phase if k in ("isp", "thrust", "m_prop", "m_dry") else per_case)(getattr(st, k))
                           for k in st._fields})
    return va._replace(stack=stack, phase_thrust=per_phase(va.phase_thrust), phase_p_area=per_phase(va.phase_p_area),
                       liftoff_thrust=per_case(va.liftoff_thrust), latitude=per_case(va.latitude),
                       coast_loss=per_case(va.coast_loss))


_SLOPE_DP = 1e-3
"""Relative payload step [-] of the payload derivative in :func:`_load_slope`."""


def _load_slope(va: VehicleArrays, t: dict, load, res: PerformanceResult, pkw: dict) -> np.ndarray:
    """Derivative of the payload with respect to the top stage's load [kg per unit load] at the
    answer ``res`` (of the vehicle ``va`` with its top stage loaded with ``load`` [-], targets ``t``).

    The trajectory shape of ``res`` is kept: it is optimal at ``load``, so the losses are stationary
    in it and the derivative at a fixed shape is the derivative of the optimised payload (to first
    order). With ``g(p, f) = payload(requirement(p, f)) - p`` (zero at the answer), ``dP/df =
    -g_f / g_p``: ``g_f`` by a central difference of :data:`~.top_load.SLOPE_STEP` in the load,
    ``g_p`` by a step of :data:`_SLOPE_DP` of the payload, the four ascents in one march. NaN where
    ``res`` has no payload or a perturbed ascent fails."""
    f = np.asarray(load, dtype=float)
    p = np.asarray(res.payload_kg, dtype=float)
    d = SLOPE_STEP
    loads = np.stack(np.broadcast_arrays(f - d, f + d, f, f))
    pb = _problem(with_top_load(va, loads), t["h_park"], t["v_target"], t["inclination"], t["latitude"],
                  fixed_payload=None, valid_target=t["valid_target"], dv_second=t["dv_second"],
                  r_second=t["r_second"], **pkw)
    p0 = np.where(np.isfinite(p), p, 0.0)
    p4 = np.broadcast_to(np.stack(np.broadcast_arrays(p0, p0, p0, p0 * (1.0 + _SLOPE_DP))), pb.shape)
    out, fb = pb.losses_for(p4, res.kick_deg, res.loft_m_s, res.level_frac, top=res.top_steering)
    dv_req, _ = pb.required(out, fb)
    p_new, _ = pb.payload_for(dv_req)
    g = np.where(out.feasible, p_new - p4, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        g_p = (g[3] - g[2]) / (_SLOPE_DP * p0)
        g_f = (g[1] - g[0]) / (2.0 * d)
        s = -g_f / g_p
    return np.where(np.isfinite(p) & (g_p < 0) & np.isfinite(s), s, np.nan)


INSERTION_ALT_MAX: float = 200e3
"""Highest insertion altitude [m] flown by direct ascent. Orbits with a higher perigee are reached
by inserting at this altitude into an ellipse with the target apogee and raising the perigee at
apogee (a Hohmann-type two-burn scheme, both burns by the top stage), as real vehicles do."""


def _earth_orbit_ok(perigee_alt_m, apogee_alt_m, r_body):
    """Around Earth (``r_body`` is :data:`R_EARTH`): perigee at least :data:`MIN_PERIGEE_ALT_M` (an
    orbit below the entry interface decays at once) and apogee inside Earth's sphere of influence
    (:data:`MAX_APOGEE_ALT_M`); elsewhere no limit. An orbit outside these is an invalid target."""
    if r_body != R_EARTH:
        return True
    return (np.asarray(perigee_alt_m) >= MIN_PERIGEE_ALT_M) & (np.asarray(apogee_alt_m) <= MAX_APOGEE_ALT_M)


def _insertion(perigee_alt_m, apogee_alt_m, mu, r_body):
    """Insertion scheme of an orbit target: returns insertion altitude [m], speed at insertion
    [m/s], apoapsis-burn delta-v [m/s], its radius [m] and a validity mask."""
    hp = np.asarray(perigee_alt_m, dtype=float)
    ha = hp if apogee_alt_m is None else np.asarray(apogee_alt_m, dtype=float)
    valid = np.isfinite(ha) & np.isfinite(hp) & (ha >= hp - 1e-6) & (hp > 0) & _earth_orbit_ok(hp, ha, r_body)
    ha = np.maximum(ha, hp)
    h_i = np.minimum(hp, INSERTION_ALT_MAX)
    r_i, rp, ra = r_body + h_i, r_body + hp, r_body + ha
    with np.errstate(invalid="ignore", divide="ignore"):
        v_i = np.sqrt(mu * (2.0 / r_i - 2.0 / (r_i + ra)))  # perigee speed of (r_i, ra) ellipse
        v_tr_a = np.sqrt(mu * (2.0 / ra - 2.0 / (r_i + ra)))  # its apogee speed
        v_tg_a = np.sqrt(mu * (2.0 / ra - 2.0 / (rp + ra)))  # target orbit speed at apogee
    dv2 = np.where(hp > h_i, v_tg_a - v_tr_a, 0.0)
    return h_i, v_i, dv2, ra, valid


def _check_inc(inclination_rad):
    return None if inclination_rad is None else np.asarray(inclination_rad, dtype=float)


def payload_to_orbit(
    vehicle: LaunchVehicle | VehicleArrays,
    perigee_alt_m: ArrayLike,
    apogee_alt_m: ArrayLike | None = None,
    inclination_rad: ArrayLike | None = None,
    *,
    latitude_rad: ArrayLike | None = None,
    mu: float = GM_EARTH,
    r_body: float = R_EARTH,
    coeffs: AscentCoefficients = DEFAULT_COEFFICIENTS,
    reserve_fraction: float = 0.0,
    top_load: float | str = DEFAULT_TOP_LOAD,
) -> PerformanceResult:
    """Payload [kg] to an orbit, broadcasting over array arguments.

    Parameters
    ----------
    vehicle : LaunchVehicle or VehicleArrays
    perigee_alt_m : array_like
        Perigee altitude [m] (insertion altitude).
    apogee_alt_m : array_like, optional
        Apogee altitude [m]; default circular.
    inclination_rad : array_like, optional
        Inclination [rad]; default (or NaN) the launch latitude, i.e. a due-east launch.
    latitude_rad : array_like, optional
        Launch latitude [rad]; default the vehicle's launch site.
    mu, r_body : float
        Gravitational parameter [m^3/s^2] and radius [m].
    coeffs : AscentCoefficients
        Ascent-model coefficients (defaults are the calibrated global ones).
    reserve_fraction : float
        Flight-performance reserve as a fraction of the required ideal delta-v [-] (default 0: the
        model predicts the nominal capability; user's guides typically hold back ~0.5-1 %).
    top_load : float or "optimal"
        ``"optimal"`` (the default): the load of the top stage's burnable propellant that maximises
        the payload, per case -- the full load unless a partly filled top stage carries more (a heavy
        payload to a low orbit behind a low-thrust upper stage; :mod:`jointmission.vehicles.top_load`).
        A fraction [-] in [:data:`~jointmission.vehicles.top_load.TOP_LOAD_MIN`, 1] fixes the load
        (``1.0``: the full load). The result's ``top_load`` holds the load used.

    Notes
    -----
    Every altitude, angle and ``mu``/``r_body`` may be a plain SI float or array, or an astropy
    Quantity (converted once; a wrong dimension raises :class:`~jointmission.units.UnitError`).

    Returns
    -------
    PerformanceResult
    """
    # astropy Quantities are accepted and converted once (UnitError for a wrong dimension)
    perigee_alt_m, apogee_alt_m = as_si(perigee_alt_m, "length", "perigee_alt_m"), as_si(apogee_alt_m, "length", "apogee_alt_m")
    inclination_rad, latitude_rad = as_si(inclination_rad, "angle", "inclination_rad"), as_si(latitude_rad, "angle", "latitude_rad")
    mu, r_body = as_si(mu, "gm", "mu"), as_si(r_body, "length", "r_body")
    va, names = _as_arrays(vehicle)
    h_i, v_i, dv2, r2, valid = _insertion(perigee_alt_m, apogee_alt_m, mu, r_body)
    return _solve(va, names, h_i, v_i, _check_inc(inclination_rad), latitude_rad, is_c3=False,
                  mu=mu, r_body=r_body, coeffs=coeffs, valid_target=valid, dv_second=dv2, r_second=r2,
                  reserve_fraction=reserve_fraction, top_load=top_load)


def payload_to_c3(
    vehicle: LaunchVehicle | VehicleArrays,
    c3_m2_s2: ArrayLike,
    *,
    parking_alt_m: ArrayLike = DEFAULT_PARKING_ALT_M,
    inclination_rad: ArrayLike | None = None,
    latitude_rad: ArrayLike | None = None,
    mu: float = GM_EARTH,
    r_body: float = R_EARTH,
    coeffs: AscentCoefficients = DEFAULT_COEFFICIENTS,
    reserve_fraction: float = 0.0,
    top_load: float | str = DEFAULT_TOP_LOAD,
) -> PerformanceResult:
    """Payload [kg] injected to characteristic energy ``c3_m2_s2`` [m^2/s^2] (broadcasts).

    The vehicle ascends to a circular parking orbit at ``parking_alt_m`` [m] (inclination
    ``inclination_rad`` [rad], default due east) and the top stage burns
    ``sqrt(C3 + 2 mu / r) - v_circ`` tangentially (see the module docstring). Other arguments as
    :func:`payload_to_orbit` (``top_load="optimal"`` chooses the top stage's load for the whole
    flight, parking-orbit ascent and departure burn). Every quantity may be a plain SI float or array,
    or an astropy Quantity (converted once; a wrong dimension raises
    :class:`~jointmission.units.UnitError`).
    """
    # astropy Quantities are accepted and converted once (UnitError for a wrong dimension)
    c3_m2_s2, parking_alt_m = as_si(c3_m2_s2, "c3", "c3_m2_s2"), as_si(parking_alt_m, "length", "parking_alt_m")
    inclination_rad, latitude_rad = as_si(inclination_rad, "angle", "inclination_rad"), as_si(latitude_rad, "angle", "latitude_rad")
    mu, r_body = as_si(mu, "gm", "mu"), as_si(r_body, "length", "r_body")
    va, names = _as_arrays(vehicle)
    c3 = np.asarray(c3_m2_s2, dtype=float)
    hp = np.asarray(parking_alt_m, dtype=float)
    rp = r_body + hp
    with np.errstate(invalid="ignore"):
        v_hyp = np.sqrt(c3 + 2.0 * mu / rp)
    valid = np.isfinite(v_hyp) & (c3 > -mu / rp) & _earth_orbit_ok(hp, hp, r_body)  # at least circular speed
    return _solve(va, names, hp, v_hyp, _check_inc(inclination_rad), latitude_rad, is_c3=True,
                  mu=mu, r_body=r_body, coeffs=coeffs, valid_target=valid,
                  reserve_fraction=reserve_fraction, top_load=top_load)


def payload(vehicle: LaunchVehicle | VehicleArrays, target: Target, **kwargs: Any) -> PerformanceResult:
    """Payload for a :class:`~jointmission.vehicles.targets.Target` (an orbit or a C3 target;
    fields may be arrays, in SI). A C3 target's (or an assembly orbit's) DLA [rad] sets the parking inclination from the launch
    latitude (``latitude_rad`` keyword, default the vehicle's site; see
    :meth:`~jointmission.vehicles.targets.Target.for_latitude`). Keyword arguments as
    :func:`payload_to_orbit` (they accept astropy Quantities)."""
    if not isinstance(target, Target):
        raise TypeError(f"target must be a Target (OrbitTarget(...) or C3Target(...)), got {type(target).__name__}")
    if target.dla_rad is not None:
        # the departure declination sets the parking (or assembly-orbit) inclination from this latitude
        lat = as_si(kwargs.get("latitude_rad"), "angle", "latitude_rad")
        target = target.for_latitude(_as_arrays(vehicle)[0].latitude if lat is None else lat)
    if target.kind == "orbit":
        return payload_to_orbit(vehicle, target.perigee_alt_m, target.apogee_alt_m, target.inclination_rad, **kwargs)
    return payload_to_c3(vehicle, target.c3_m2_s2, parking_alt_m=target.parking_alt_m,
                         inclination_rad=target.inclination_rad, **kwargs)


def mass_in_orbit_with_top_stage(
    vehicle,
    payload_kg,
    perigee_alt_m,
    apogee_alt_m=None,
    inclination_rad=None,
    *,
    latitude_rad=None,
    mu: float = GM_EARTH,
    r_body: float = R_EARTH,
    coeffs: AscentCoefficients = DEFAULT_COEFFICIENTS,
    reserve_fraction: float = 0.0,
) -> PerformanceResult:
    """Total mass [kg] reaching orbit when the top stage burns only part of its propellant.

    Used for figures such as Saturn V's "141 t to LEO", which count the spacecraft, the S-IVB, its
    instrument unit and the propellant kept for trans-lunar injection. The lower stages burn out
    as usual with ``payload_kg`` [kg] on top; the top stage burns just enough to reach the orbit.
    ``payload_kg`` of the returned result is the mass in orbit = payload + top-stage dry mass
    (with jettisons dropped after it) + remaining propellant; status ``INSUFFICIENT_DV`` if the
    top stage would need more propellant than it has. Other arguments as :func:`payload_to_orbit`.
    """
    va, names = _as_arrays(vehicle)
    h_i, v_i, dv2, r2, valid = _insertion(perigee_alt_m, apogee_alt_m, mu, r_body)
    return _solve(va, names, h_i, v_i, _check_inc(inclination_rad), latitude_rad, is_c3=False,
                  mu=mu, r_body=r_body, coeffs=coeffs, fixed_payload=payload_kg, valid_target=valid,
                  dv_second=dv2, r_second=r2, reserve_fraction=reserve_fraction)
