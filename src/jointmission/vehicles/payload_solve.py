"""The payload/ascent-loss iteration behind :mod:`.performance`: one problem per case (the vehicle's
phases, the target geometry and the fixed part of the delta-v budget), secant steps on the payload
with the trajectory shape re-searched as the payload moves, and the per-case result. Private to the
:mod:`jointmission.vehicles` package; the method is described in :mod:`.performance`."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..constants import G0
from ..core.ascent import AscentCoefficients, ascent_losses, finite_burn_loss
from ..core.payload import PreparedPayload
from ..core.rocket import PayloadStatus, Stack, phase_masses, stack_delta_v
from ..core.launch_geometry import dogleg_angle, dogleg_dv, rotation_benefit
from .arrays import VehicleArrays
from .top_stage import coast_penalty, coasts
from .performance_result import PerformanceResult, PerformanceStatus


_SHAPE_GAIN_TOL = 1.0
"""[m/s] A fresh trajectory-shape optimisation that lowers the kept shape's loss by more than this
counts as an improvement: the case is iterated on with the new shape before it may converge."""

_VERIFY_TOL = 1e-3
"""[-] A case converges only at a payload within this fraction of one where a fresh shape search
found nothing better."""

_NEWTON_DP = 1e-3
"""[-] Relative payload step of the residual's slope in the Newton step after a shape search."""

NEWTON_TOP_TW: float = 0.6
"""[-] Top stages whose thrust-to-weight at ignition without payload (fully loaded) is at least this
are solved with Newton steps (:func:`_iterate`). Lower: the catalog's small hydrogen upper stages
(Centaur, DCSS, ICPS, EUS, the Ariane 6 upper stage: 0.31-0.49), whose trajectory-shape search has two
basins (``core.ascent``) and finds the better one only from some payloads; their iteration keeps its
secant path. Higher: 0.75-1.35 (Saturn V's S-IVB 0.84, Falcon 9's second stage 1.14)."""


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
        with np.errstate(over="ignore"):  # a finite-burn loss of a stage too weak to burn: exp -> inf -> capped
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


def build_problem(va: VehicleArrays, h_park, v_target, inclination, latitude, *, is_c3: bool, mu: float,
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
    valid_t &= np.isfinite(lat) & (np.abs(lat) <= 0.5 * np.pi)  # a launch latitude on the globe
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
    verified: np.ndarray
    """The case converged within _VERIFY_TOL of a shape search that found nothing better."""


def _iterate(pb: _Problem, rtol: float, max_iter: int, p_guess=None, newton=None, verify: bool = True) -> _Iterated:
    """Secant iteration (kept inside a bracket) on ``r(p) = payload(losses(p)) - p``, re-optimising
    the trajectory shape where the payload has moved. ``p_guess`` [kg]: a first payload to try where
    it is finite and positive (e.g. a neighbouring solve's answer), else the 1.7 km/s guess.

    ``newton`` (bool of the case shape; ``None``: :func:`newton_cases` of the problem's own top stage):
    cases whose step after each shape search is a Newton step -- the searched shape is optimal, so the
    losses are stationary in it and the residual's slope at that fixed shape (one more march) is the
    slope of the residual with the shape re-optimised -- and where a search's gain over the kept shape
    asks for another search only if the kept shape was searched within 1 % of the payload (a shape from
    further away is expected to lose a little there). ``verify=False``: those cases stop at the first
    payload they converge to after the shape search at the first guess (no further search; the
    returned ``verified`` tells which ones need none), for a caller that verifies later only the
    answer it keeps."""
    shape, me, fixed_payload = pb.shape, pb.me, pb.fixed_payload
    fast = np.zeros(shape, bool)
    if fixed_payload is None:
        fast = np.broadcast_to(newton_cases(pb) if newton is None else np.asarray(newton, dtype=bool), shape)
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
        need = np.broadcast_to(it == 0, shape) | np.where(fast & (not verify), False, stale | (converged & ~verified))
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
                improved &= ~(fast & stale)
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
        done |= converged & (verified | (fast & (not verify)))
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
        nwt = fast & need & good & ~converged
        if nwt.any():
            # a Newton step where the shape was just searched
            dp = _NEWTON_DP * (np.abs(p) + 1.0)
            p_s = np.where(nwt, p + dp, p)
            res_s, fb_s = pb.losses_for(p_s, kick, loft, level, top=top)
            r_s = pb.payload_for(pb.required(res_s, fb_s)[0])[0] - p_s
            with np.errstate(divide="ignore", invalid="ignore"):
                d_r = (r_s - r) / dp
                nt = p - r / d_r
            step = np.where(nwt & res_s.feasible & np.isfinite(nt) & (d_r < 0), nt, step)
        inside = (step > lo) & (step < hi)
        mid = np.where(np.isfinite(hi), 0.5 * (lo + hi), np.maximum(2.0 * lo, lo + 1000.0))
        step = np.where(inside, step, mid)
        # no solution here and none known below: try the lightest case (smallest losses) next
        step = np.where(~good & (lo <= floor), floor, step)
        p_prev, r_prev = p, np.where(good, r, np.nan)
        # a finished case stays where it finished (it gives the same answer alone or among others)
        p = np.where(done, p, np.maximum(step, floor))
    verified = np.abs(p - p_ver) <= _VERIFY_TOL * (np.abs(p_ver) + 1.0)
    return _Iterated(p, kick, loft, level, top, converged, narrow, iterations, verified | ~fast)


def newton_cases(pb: _Problem) -> np.ndarray:
    """Cases (bool, of the case shape) whose top stage's thrust-to-weight at ignition without payload
    is at least :data:`NEWTON_TOP_TW` (the load ``pb`` carries)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        tw = pb.thrust[..., -1] / (G0 * pb.ms[..., -1])
    return np.broadcast_to(tw >= NEWTON_TOP_TW, pb.shape)


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


def solve_full_load(
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
    p_guess=None,
    newton=None,
    verified_out: np.ndarray | None = None,
) -> PerformanceResult:
    """Shared payload/loss iteration. With ``fixed_payload`` the unknown is the mass in orbit
    (payload + top-stage dry mass + its remaining propellant) instead of the payload. Steps: the
    broadcast problem (:func:`build_problem`), the iteration (:func:`_iterate`), the final budget and
    statuses (:func:`_final`). The top stage flies the load ``va`` carries (a partial load is applied
    by :func:`~.top_load.with_top_load` before this call). ``p_guess`` and ``newton``: see
    :func:`_iterate`. ``verified_out`` (bool, of the case shape): given, the Newton cases stop at their
    first converged payload (``_iterate(verify=False)``) and it receives which cases are verified."""
    pb = build_problem(va, h_park, v_target, inclination, latitude, is_c3=is_c3, mu=mu, r_body=r_body, coeffs=coeffs,
                  fixed_payload=fixed_payload, valid_target=valid_target, dv_second=dv_second, r_second=r_second,
                  reserve_fraction=reserve_fraction)
    it = _iterate(pb, rtol, max_iter, p_guess, newton, verify=verified_out is None)
    if verified_out is not None:
        verified_out[...] = it.verified
    out = _final(pb, it, va, names, is_c3=is_c3, rtol=rtol)
    return replace(out, top_load=np.ones(pb.shape))
