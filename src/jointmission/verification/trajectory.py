"""Vectorized planar point-mass ascent integrator (calibration and check of the closed-form loss model).

Pure numpy on SI float64 arrays. Every case (vehicle x payload x guidance parameters...) is
integrated at the same time: the state is a ``(components, cases)`` array advanced by a fixed-step
classical Runge-Kutta scheme (RK4); each case carries its own flight-phase index, time in phase and
step length, so phase boundaries and the end of the vertical rise fall exactly on step boundaries.
The only Python loops are over time steps (and over the few flight phases in the time-to-go
estimate).

Model (full equations and their sources in ``docs/method-trajectory.md``)
------------------------------------------------------------------------
- Planar flight over a spherical, non-rotating (inertial) Earth in polar coordinates
  ``(r, theta, v_r, v_theta)`` with inverse-square gravity ``g = mu / r^2``. Earth rotation enters only
  as the initial eastward (in-plane) inertial velocity ``v_initial_east_m_s`` = ``omega R cos(lat)``
  (times ``sin(azimuth)`` for a non-easterly launch) and as the rotation of the atmosphere: the air
  turns rigidly with the in-plane rate ``Omega = v_initial_east / R``, so drag acts on the velocity
  relative to it, ``w = (v_r, v_theta - Omega r)``.
- Atmosphere: US Standard Atmosphere 1976 (:func:`us1976`).
- Thrust and mass flow per phase exactly as :func:`jointmission.core.rocket.phase_masses`: the
  stack's ``thrust`` and ``isp`` are read as *vacuum* values; the delivered thrust is
  ``F_vac - p(h) A_e`` with the nozzle exit area ``A_e`` of the phase (see :func:`exit_area` and
  :func:`phase_exit_areas`), while the mass flow ``F_vac / (g0 Isp_vac)`` is fixed, so the Isp falls
  with back-pressure.
- Drag ``D = 1/2 rho |w|^2 C_D(M) A_ref``, ``A_ref = pi d^2 / 4``; :func:`drag_coefficient`.
- Guidance: vertical rise for ``vertical_time_s``; then the thrust is tilted by ``kick_angle_rad`` from
  the vertical until the Earth-relative velocity has turned down to it, after which it follows the
  Earth-relative velocity (gravity turn, zero angle of attack). From the start of phase
  ``guided_from_phase`` (default: booster separation, or first-stage burnout without boosters) the
  thrust is steered either by a closed-loop *explicit radial guidance* (``steering="explicit"``,
  the default; aims at ``target_altitude_m`` with zero radial speed) or by an open-loop
  *linear-tangent* law ``tan(psi) = tan(psi0) - k (t - t_guide)`` (``steering="linear_tangent"``).
  With ``cutoff=True`` the engines stop when the specific orbital energy reaches that of the
  circular orbit at the target altitude.
- Losses are integrated with the state (same RK4 weights) in two bookkeepings, each an *exact*
  identity of the equations of motion:

  Earth-relative speed ``W = |w|`` (the conventional split)::

      W_f = dv_ideal - gravity_loss - drag_loss - steering_loss - back_pressure_loss
      gravity_loss       = int (g - Omega^2 r) sin(gamma_rel) dt
      drag_loss          = int D / m dt
      steering_loss      = int (T / m) (1 - cos(alpha_rel)) dt
      back_pressure_loss = int p A_e / m dt

  inertial speed ``V``::

      V_f - V_0 = dv_ideal - gravity_loss_inertial - drag_loss_inertial
                  - steering_loss_inertial - back_pressure_loss
      gravity_loss_inertial  = int g sin(gamma) dt
      drag_loss_inertial     = int (D / m) cos(angle between w and V) dt
      steering_loss_inertial = int (T / m) (1 - cos(alpha)) dt

  with ``dv_ideal = sum_k c_k ln(m_start,k / m_end,k)`` over the propellant actually burned and
  ``alpha`` the angle between thrust and the (Earth-relative or inertial) velocity.

Sources: equations of planar flight, e.g. Wiesel, *Spaceflight Dynamics*, 2nd ed., ch. 8 and Curtis,
*Orbital Mechanics for Engineering Students*, 3rd ed., §11.3 (gravity turn); atmosphere: *U.S.
Standard Atmosphere, 1976*, NOAA/NASA/USAF, NOAA-S/T 76-1562 (U.S. GPO, Washington D.C., 1976);
explicit radial guidance: the radial channel of the explicit ("E") guidance family, e.g. Cherry,
"A general, explicit, optimizing guidance law for rocket-propelled spaceflight", AIAA 64-638 (1964);
linear-tangent steering: Bryson & Ho, *Applied Optimal Control* (1975), §2.7.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.status import Status
from ..constants import GM_EARTH, R_EARTH
from ..core.atmosphere import P0, us1976
from ..core.rocket import Stack, phase_masses

__all__ = [
    "P0",
    "us1976",
    "drag_coefficient",
    "exit_area",
    "phase_exit_areas",
    "AscentStatus",
    "AscentResult",
    "simulate_ascent",
    "best_along",
]

# --------------------------------------------------------------------------------------------------
# Aerodynamics and propulsion helpers
# --------------------------------------------------------------------------------------------------
# Generic drag coefficient of a slender launch vehicle versus Mach number (zero angle of attack,
# power-on, referenced to the body cross-section). A GENERIC ASSUMPTION, not a specific vehicle's
# data: subsonic 0.30, transonic rise to a 0.58 plateau at Mach 1.1-1.3, supersonic decay to 0.25 at
# Mach 5 and 0.22 hypersonic -- the shape and level of published slender-launcher curves (e.g. the
# Saturn V / Titan class axial-force coefficients shown in launch-vehicle design texts).
_CD_MACH = np.array([0.0, 0.5, 0.8, 0.95, 1.1, 1.3, 1.6, 2.0, 3.0, 5.0, 10.0])
_CD_VAL = np.array([0.30, 0.30, 0.33, 0.45, 0.58, 0.58, 0.51, 0.43, 0.33, 0.25, 0.22])


def drag_coefficient(mach):
    """Generic slender-launcher drag coefficient ``C_D`` [-] at Mach number ``mach`` [-].

    Piecewise linear in Mach through the table above (a documented generic assumption), constant
    beyond its ends.
    """
    return np.interp(np.asarray(mach, dtype=float), _CD_MACH, _CD_VAL)


def exit_area(thrust_vac_n, thrust_sl_n, p0_pa: float = P0):
    """Nozzle exit area [m^2] implied by vacuum and sea-level thrust [N]: ``(F_vac - F_sl) / p0``."""
    return (np.asarray(thrust_vac_n, dtype=float) - np.asarray(thrust_sl_n, dtype=float)) / p0_pa


def phase_exit_areas(stage_exit_area_m2, booster_exit_area_m2=0.0):
    """Exit area per flight phase [m^2], shape ``(..., n + 1)``, from per-stage areas ``(..., n)``.

    Phase 0 (boosters and core stage 0 together) gets the sum of the boosters' and core stage 0's
    areas -- the back-pressure force ``p A_e`` does not scale with the core's throttle; phase
    ``k >= 1`` gets stage ``k - 1``'s area. Areas are totals over all engines of a stage [m^2].
    """
    st = np.asarray(stage_exit_area_m2, dtype=float)
    b = np.asarray(booster_exit_area_m2, dtype=float)
    shape = np.broadcast_shapes(st.shape[:-1], b.shape)
    st = np.broadcast_to(st, shape + st.shape[-1:])
    ph0 = np.broadcast_to(b, shape) + st[..., 0]
    return np.concatenate([ph0[..., None], st], axis=-1)


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------
AscentStatus = Status
"""Status of a simulated ascent: the one scheme of :mod:`jointmission.core.status` (``OK``,
``BURNOUT``, ``CRASHED``, ``INVALID_INPUT``, ``CORE_DEPLETED``)."""


class AscentResult(NamedTuple):
    """Result of :func:`simulate_ascent`; every field is an array of the broadcast case shape.

    Attributes
    ----------
    status : int8 :class:`AscentStatus` codes.
    cutoff : bool, the engines were cut off at the target energy.
    time : time of cutoff / burnout / crash after lift-off [s].
    altitude : final altitude above the spherical Earth [m].
    speed : final inertial speed [m/s].
    speed_rel : final Earth-relative (air-relative) speed [m/s].
    flight_path_angle : final inertial flight-path angle [rad] (above local horizontal).
    flight_path_angle_rel : final Earth-relative flight-path angle [rad].
    downrange : surface arc from the launch site to the sub-vehicle point [m].
    mass : final mass including payload [kg].
    apoapsis_altitude, periapsis_altitude : of the osculating orbit at the end [m] (NaN if not bound).
    ideal_dv : ``sum_k c_k ln(m_start,k / m_end,k)`` over the propellant actually burned [m/s].
    gravity_loss, drag_loss, steering_loss, back_pressure_loss : Earth-relative-speed bookkeeping
        [m/s]; ``speed_rel = ideal_dv - (their sum)`` (module docstring).
    gravity_loss_inertial, drag_loss_inertial, steering_loss_inertial : inertial-speed bookkeeping
        [m/s]; ``speed - v_initial = ideal_dv - (their sum) - back_pressure_loss``.
    max_q : largest dynamic pressure at a step boundary [Pa].
    h_switch, v_switch, gamma_switch : altitude [m], Earth-relative speed [m/s] and flight-path angle
        [rad] when the upper-stage guidance took over (NaN if it never did).
    phase : index of the flight phase at the end (``n + 1`` after the last phase burned out).
    """

    status: np.ndarray
    cutoff: np.ndarray
    time: np.ndarray
    altitude: np.ndarray
    speed: np.ndarray
    speed_rel: np.ndarray
    flight_path_angle: np.ndarray
    flight_path_angle_rel: np.ndarray
    downrange: np.ndarray
    mass: np.ndarray
    apoapsis_altitude: np.ndarray
    periapsis_altitude: np.ndarray
    ideal_dv: np.ndarray
    gravity_loss: np.ndarray
    drag_loss: np.ndarray
    steering_loss: np.ndarray
    back_pressure_loss: np.ndarray
    gravity_loss_inertial: np.ndarray
    drag_loss_inertial: np.ndarray
    steering_loss_inertial: np.ndarray
    max_q: np.ndarray
    h_switch: np.ndarray
    v_switch: np.ndarray
    gamma_switch: np.ndarray
    phase: np.ndarray

    @property
    def total_loss(self):
        """Sum of the four Earth-relative loss terms [m/s]."""
        return self.gravity_loss + self.drag_loss + self.steering_loss + self.back_pressure_loss


# --------------------------------------------------------------------------------------------------
# Integrator
# --------------------------------------------------------------------------------------------------
_VERTICAL, _TURN, _EXPLICIT, _LINTAN = 0, 1, 2, 3
_NS = 11  # r, theta, v_r, v_theta, 4 Earth-relative losses, 3 inertial losses


def _derivative(y, t, tau, P, mu, r_body):
    """Time derivative of the state ``y`` (11, m) at times ``t`` / time-in-phase ``tau`` (m,).

    ``P`` holds the per-case quantities of the current step (phase data, guidance memory).
    Returns ``(dy, q)`` with ``q`` the dynamic pressure [Pa].
    """
    r, vr, vt = y[0], y[2], y[3]
    m = P["m0"] - P["mdot"] * tau
    inv_r = 1.0 / r
    g = mu * inv_r * inv_r
    rho, p, _, a_snd = us1976(r - r_body)
    om = P["omega"]
    wr = vr
    wt = vt - om * r
    W = np.hypot(wr, wt)
    V = np.hypot(vr, vt)
    q = 0.5 * rho * W * W
    kd = q * drag_coefficient(W / a_snd) * P["area"] / m  # D / m  [m/s^2]
    thrust = P["F"] - p * P["Ae"]
    aT = thrust / m

    # thrust direction: sine/cosine of the pitch angle psi above the local horizontal
    mode = P["mode"]
    w_ok = W > 0.0
    Ws = np.where(w_ok, W, 1.0)
    gam_rel = np.arctan2(wr, wt)
    psi_turn = np.minimum(P["psi_kick"], gam_rel)
    s_exp = np.clip((P["A"] + P["B"] * (t - P["tref"]) + g - vt * vt * inv_r) / aT, -1.0, 1.0)
    psi_lt = np.arctan(P["lt_tan0"] - P["lt_rate"] * (t - P["tref"]))
    psi = np.where(mode == _TURN, psi_turn, np.where(mode == _LINTAN, psi_lt, 0.5 * np.pi))
    s = np.where(mode == _EXPLICIT, s_exp, np.sin(psi))
    c = np.where(mode == _EXPLICIT, np.sqrt(1.0 - s_exp * s_exp), np.cos(psi))
    c = np.where(mode == _VERTICAL, 0.0, c)

    drag_w = kd / Ws  # drag acceleration per unit relative velocity [1/s]
    dy = np.empty_like(y)
    dy[0] = vr
    dy[1] = vt * inv_r
    dy[2] = vt * vt * inv_r - g + aT * s - drag_w * wr
    dy[3] = -vr * vt * inv_r + aT * c - drag_w * wt

    # loss integrands; where a speed is zero its direction is taken along the thrust (the limit)
    sg_rel = np.where(w_ok, wr / Ws, s)
    cg_rel = np.where(w_ok, wt / Ws, c)
    v_ok = V > 0.0
    Vs = np.where(v_ok, V, 1.0)
    sg = np.where(v_ok, vr / Vs, s)
    cg = np.where(v_ok, vt / Vs, c)
    dy[4] = (g - om * om * r) * sg_rel
    dy[5] = kd
    dy[6] = aT * (1.0 - (s * sg_rel + c * cg_rel))
    dy[7] = p * P["Ae"] / m
    dy[8] = g * sg
    dy[9] = kd * (sg_rel * sg + cg_rel * cg)
    dy[10] = aT * (1.0 - (s * sg + c * cg))
    return dy, q


def _rk4(y, t, tau, h, P, mu, r_body):
    """One classical Runge-Kutta step of per-case length ``h`` (m,)."""
    h2 = 0.5 * h
    k1, q = _derivative(y, t, tau, P, mu, r_body)
    k2, _ = _derivative(y + h2 * k1, t + h2, tau + h2, P, mu, r_body)
    k3, _ = _derivative(y + h2 * k2, t + h2, tau + h2, P, mu, r_body)
    k4, _ = _derivative(y + h * k3, t + h, tau + h, P, mu, r_body)
    return y + (h / 6.0) * (k1 + 2.0 * (k2 + k3) + k4), q


def _sub(P, idx):
    return {k: v[idx] for k, v in P.items()}


def _flat(x, shape, tail=()):
    size = int(np.prod(shape, dtype=np.int64))
    return np.ascontiguousarray(np.broadcast_to(x, shape + tail)).reshape((size,) + tail)


def simulate_ascent(
    stack: Stack,
    payload_kg,
    *,
    exit_area_m2,
    diameter_m,
    v_initial_east_m_s,
    kick_angle_rad,
    vertical_time_s=10.0,
    target_altitude_m=185e3,
    cutoff: bool = True,
    guided_from_phase=None,
    steering: str = "explicit",
    lt_pitch0_rad=0.0,
    lt_rate_per_s=0.0,
    guidance_freeze_s: float = 10.0,
    dt: float = 0.5,
    mu_m3_s2: float = GM_EARTH,
    radius_m: float = R_EARTH,
) -> AscentResult:
    """Integrate planar ascents for every case at once and return the loss breakdown.

    All array arguments broadcast together (cases on the leading axes); ``stack`` fields follow
    :class:`jointmission.core.rocket.Stack` (stage index last), with ``thrust`` and ``isp`` read as
    **vacuum** values.

    Parameters
    ----------
    stack : Stack
        Vehicle: serial core stages + optional boosters (vacuum thrust [N], vacuum Isp [s], masses
        [kg]). Phases and masses are exactly those of :func:`~jointmission.core.rocket.phase_masses`.
    payload_kg : array_like (...)
        Payload above the top stage [kg].
    exit_area_m2 : array_like (..., n + 1)
        Total nozzle exit area of each flight phase [m^2] (phase 0 = boosters + core stage 0; see
        :func:`phase_exit_areas` and :func:`exit_area`). Thrust is ``F_vac - p(h) A_e``.
    diameter_m : array_like (...)
        Reference diameter for drag [m]; ``A_ref = pi d^2 / 4`` (use an equivalent diameter that
        includes strap-on boosters). 0 switches drag off.
    v_initial_east_m_s : array_like (...)
        In-plane inertial speed of the launch site [m/s], ``omega R cos(lat)`` for an eastward launch
        (times ``sin(azimuth)`` otherwise). Also sets the atmosphere's rotation rate.
    kick_angle_rad : array_like (...)
        Pitch-over angle from the vertical at the end of the vertical rise [rad] (> 0).
    vertical_time_s : array_like (...)
        Duration of the vertical rise after lift-off [s] (> 0; ``inf`` = never pitch over).
    target_altitude_m : array_like (...)
        Target circular-orbit altitude [m]: aim point of the explicit guidance and, with ``cutoff``,
        the orbit whose specific energy ``-mu / (2 (R + h))`` stops the engines.
    cutoff : bool
        Stop at the target orbital energy (the remaining propellant stays on board, ``mass`` reports
        it). ``False``: burn every phase to depletion.
    guided_from_phase : array_like of int (...), optional
        First phase flown by the upper-stage guidance; default 1 (booster separation) for vehicles
        with boosters and 2 (first core stage burnout) otherwise. Phases before it fly the gravity
        turn. A value ``>= n + 1`` means gravity turn to the end.
    steering : {"explicit", "linear_tangent"}
        Upper-stage law. ``"explicit"``: each step (guidance cycle = ``dt``) the commanded radial
        acceleration ``a_r(t) = A + B (t - t_k)`` is recomputed so that altitude and radial speed
        reach ``target_altitude_m`` and 0 at the time to go ``T`` (``A = 6 dr / T^2 - 4 v_r / T``,
        ``B = 6 v_r / T^2 - 12 dr / T^3``), with ``T`` from the rocket equation over the remaining
        phases for the speed still missing; the thrust pitch follows from
        ``sin(psi) = (a_r + g - v_theta^2 / r) / (T/m)``. The coefficients are frozen when
        ``T < guidance_freeze_s``. ``"linear_tangent"``: open loop,
        ``tan(psi) = tan(lt_pitch0_rad) - lt_rate_per_s (t - t_guide)``.
    lt_pitch0_rad, lt_rate_per_s : array_like (...)
        Linear-tangent parameters: pitch above the local horizontal at guidance start [rad] and the
        rate of its tangent [1/s].
    guidance_freeze_s : float
        Time to go below which the explicit guidance coefficients are held [s].
    dt : float
        Integration step [s] (and guidance cycle). Steps are shortened to end exactly at phase
        boundaries and at the end of the vertical rise; the cutoff is located by a secant iteration
        on the last step's length.
    mu_m3_s2, radius_m : float
        Gravitational parameter [m^3/s^2] and radius [m] of the spherical planet.

    Returns
    -------
    AscentResult
        Arrays of the broadcast case shape; see :class:`AscentResult`.
    """
    if steering not in ("explicit", "linear_tangent"):
        raise ValueError(f"steering must be 'explicit' or 'linear_tangent', not {steering!r}")
    if not dt > 0:
        raise ValueError("dt must be > 0")
    mu = float(mu_m3_s2)
    rb = float(radius_m)
    ph = phase_masses(stack)
    nph = ph.c.shape[-1]
    n = nph - 1

    pay = np.asarray(payload_kg, dtype=float)
    ae = np.asarray(exit_area_m2, dtype=float)
    if ae.ndim == 0 or ae.shape[-1] != nph:
        raise ValueError(f"exit_area_m2 needs a last axis of length n + 1 = {nph} (one per phase)")
    scal = {
        "diam": np.asarray(diameter_m, dtype=float),
        "vrot": np.asarray(v_initial_east_m_s, dtype=float),
        "kick": np.asarray(kick_angle_rad, dtype=float),
        "tv": np.asarray(vertical_time_s, dtype=float),
        "htgt": np.asarray(target_altitude_m, dtype=float),
        "lt0": np.asarray(lt_pitch0_rad, dtype=float),
        "ltr": np.asarray(lt_rate_per_s, dtype=float),
    }
    b_thrust = np.asarray(stack.booster_thrust, dtype=float)
    tau_c = np.asarray(stack.core_throttle, dtype=float)
    thrust = np.asarray(stack.thrust, dtype=float)
    gfp = None if guided_from_phase is None else np.asarray(guided_from_phase)
    shape = np.broadcast_shapes(
        ph.c.shape[:-1], pay.shape, ae.shape[:-1], b_thrust.shape, tau_c.shape,
        thrust.shape[:-1], *(x.shape for x in scal.values()), () if gfp is None else gfp.shape,
    )
    N = int(np.prod(shape, dtype=np.int64))

    # per-phase tables (N, nph)
    thrust_b = np.broadcast_to(thrust, shape + (n,))
    F_tab = np.concatenate(
        [(np.broadcast_to(b_thrust, shape) + np.broadcast_to(tau_c, shape) * thrust_b[..., 0])[..., None],
         thrust_b], axis=-1,
    ).reshape(N, nph)
    c_tab = _flat(ph.c, shape, (nph,))
    m0_tab = _flat(ph.m_start, shape, (nph,))
    m1_tab = _flat(ph.m_end, shape, (nph,))
    dur_tab = _flat(ph.duration, shape, (nph,))
    ae_tab = _flat(ae, shape, (nph,))
    with np.errstate(divide="ignore", invalid="ignore"):
        mdot_tab = np.where(c_tab > 0, F_tab / c_tab, 0.0)
    valid = _flat(ph.valid, shape)
    core_ok = _flat(ph.core_ok, shape)
    p = _flat(pay, shape)
    sc = {k: _flat(v, shape) for k, v in scal.items()}
    if gfp is None:
        gfrom = np.where(dur_tab[:, 0] > 0, 1, 2)
    else:
        gfrom = _flat(gfp, shape).astype(np.int64)

    ok_in = (
        valid
        & (p >= 0)
        & np.isfinite(p)
        & np.all(np.isfinite(ae_tab) & (ae_tab >= 0), axis=-1)
        & np.isfinite(sc["diam"]) & (sc["diam"] >= 0)
        & np.isfinite(sc["vrot"])
        & np.isfinite(sc["kick"])
        & (sc["tv"] > 0)
        & np.isfinite(sc["htgt"]) & (sc["htgt"] > 0)
        & np.isfinite(sc["lt0"]) & np.isfinite(sc["ltr"])
    )
    status = np.zeros(N, dtype=np.int8)
    status[~ok_in] = AscentStatus.INVALID_INPUT
    status[ok_in & ~core_ok] = AscentStatus.CORE_DEPLETED
    done = status != 0

    omega = sc["vrot"] / rb
    r_t = rb + sc["htgt"]
    e_t = -mu / (2.0 * r_t)
    ar = np.arange(N)
    P = {
        "omega": omega,
        "area": 0.25 * np.pi * sc["diam"] ** 2,
        "psi_kick": 0.5 * np.pi - sc["kick"],
        "lt_tan0": np.tan(sc["lt0"]),
        "lt_rate": sc["ltr"],
        "A": np.zeros(N),
        "B": np.zeros(N),
        "tref": np.zeros(N),
    }
    guided_mode = _EXPLICIT if steering == "explicit" else _LINTAN

    y = np.zeros((_NS, N))
    y[0] = rb
    y[3] = omega * rb  # the same float operations as in the relative velocity: w = 0 exactly at t = 0
    v0 = np.abs(y[3])
    t = np.zeros(N)
    tau = np.zeros(N)
    phase = np.zeros(N, dtype=np.int64)
    cut = np.zeros(N, dtype=bool)
    ginit = np.zeros(N, dtype=bool)
    max_q = np.zeros(N)
    h_sw = np.full(N, np.nan)
    v_sw = np.full(N, np.nan)
    g_sw = np.full(N, np.nan)

    t_total = np.where(done, 0.0, np.nansum(np.where(np.isfinite(dur_tab), dur_tab, 0.0), axis=-1))
    max_steps = int(np.ceil(np.max(t_total, initial=0.0) / dt)) + 2 * nph + 10

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(max_steps):
            # skip phases of zero duration (no boosters) and finish burned-out cases
            for _k in range(nph):
                k = np.minimum(phase, nph - 1)
                skip = ~done & (phase < nph) & (dur_tab[ar, k] - tau <= 0.0)
                if not skip.any():
                    break
                phase = np.where(skip, phase + 1, phase)
                tau = np.where(skip, 0.0, tau)
            out = ~done & (phase >= nph)
            status[out] = AscentStatus.BURNOUT if cutoff else AscentStatus.OK
            done |= out
            act = ~done
            if not act.any():
                break

            k = np.minimum(phase, nph - 1)
            P["F"] = F_tab[ar, k]
            P["mdot"] = mdot_tab[ar, k]
            P["m0"] = m0_tab[ar, k] + p
            P["Ae"] = ae_tab[ar, k]
            rem = dur_tab[ar, k] - tau
            vert = t < sc["tv"]
            h = np.where(vert, np.minimum(dt, sc["tv"] - t), dt)
            ends = rem <= h
            h = np.where(ends, rem, h)
            h = np.where(act, h, 0.0)
            guided = k >= gfrom
            mode = np.where(guided, guided_mode, np.where(vert, _VERTICAL, _TURN))
            P["mode"] = mode

            # guidance (re)initialisation at step start
            first = act & guided & ~ginit
            if first.any():
                wr, wt = y[2], y[3] - omega * y[0]
                h_sw = np.where(first, y[0] - rb, h_sw)
                v_sw = np.where(first, np.hypot(wr, wt), v_sw)
                g_sw = np.where(first, np.arctan2(wr, wt), g_sw)
                P["tref"] = np.where(first, t, P["tref"])
                ginit = ginit | first
            if guided_mode == _EXPLICIT and (act & guided).any():
                m_now = P["m0"] - P["mdot"] * tau
                tgo = _time_to_go(y, m_now, phase, tau, p, r_t, mu, c_tab, mdot_tab, m0_tab, dur_tab)
                upd = act & guided & (first | (tgo > guidance_freeze_s))
                tg = np.where(upd, np.maximum(tgo, 1e-3), 1.0)
                dr = r_t - y[0]
                vr = y[2]
                P["A"] = np.where(upd, 6.0 * dr / tg**2 - 4.0 * vr / tg, P["A"])
                P["B"] = np.where(upd, 6.0 * vr / tg**2 - 12.0 * dr / tg**3, P["B"])
                P["tref"] = np.where(upd, t, P["tref"])

            y_new, q = _rk4(y, t, tau, h, P, mu, rb)
            max_q = np.where(act, np.maximum(max_q, q), max_q)
            t_new = np.where(vert & (sc["tv"] - t <= h), sc["tv"], t + h)
            tau_new = tau + h

            # engine cutoff at the target orbital energy: secant search on the step length
            if cutoff:
                e_new = 0.5 * (y_new[2] ** 2 + y_new[3] ** 2) - mu / y_new[0]
                cross = act & (e_new >= e_t)
                if cross.any():
                    idx = np.flatnonzero(cross)
                    Ps = _sub(P, idx)
                    ys, ts, taus = y[:, idx], t[idx], tau[idx]
                    et = e_t[idx]
                    e_old = 0.5 * (ys[2] ** 2 + ys[3] ** 2) - mu / ys[0]
                    ha, fa = np.zeros(idx.size), e_old - et
                    hb, fb = h[idx], e_new[idx] - et
                    yb = y_new[:, idx]
                    for _it in range(6):
                        den = fb - fa
                        hc = np.where(den != 0.0, hb - fb * (hb - ha) / den, hb)
                        hc = np.clip(hc, 0.0, h[idx])
                        yc, _ = _rk4(ys, ts, taus, hc, Ps, mu, rb)
                        fc = 0.5 * (yc[2] ** 2 + yc[3] ** 2) - mu / yc[0] - et
                        ha, fa, hb, fb, yb = hb, fb, hc, fc, yc
                    y_new[:, idx] = yb
                    t_new[idx] = ts + hb
                    tau_new[idx] = taus + hb
                    ends[idx] = False
                    cut[idx] = True

            y = np.where(act, y_new, y)
            t = np.where(act, t_new, t)
            tau = np.where(act, tau_new, tau)
            new_phase = act & ends
            phase = np.where(new_phase, phase + 1, phase)
            tau = np.where(new_phase, 0.0, tau)
            status[act & cut] = AscentStatus.OK
            crashed = act & ~cut & (y[0] < rb)
            status[crashed] = AscentStatus.CRASHED
            done = done | (act & cut) | crashed

        if (~done).any():  # cannot happen: every step advances time by a positive amount
            raise RuntimeError("ascent integration did not finish within the step budget")
    return _finish(y, t, tau, phase, status, cut, p, c_tab, m0_tab, m1_tab, mdot_tab, omega, v0,
                   max_q, h_sw, v_sw, g_sw, mu, rb, shape)


def _time_to_go(y, m_now, phase, tau, p, r_t, mu, c_tab, mdot_tab, m0_tab, dur_tab):
    """Burn time [s] for the speed still missing, by the rocket equation over the remaining phases.

    The missing speed is ``hypot(v_circ(r_t) - v_theta, v_r)``; if the remaining phases cannot give
    it, the time to depletion.
    """
    nph = c_tab.shape[1]
    dv_left = np.hypot(np.sqrt(mu / r_t) - y[3], y[2])
    t_go = np.zeros_like(dv_left)
    for j in range(nph):
        cur = phase == j
        use = (phase <= j) & (dv_left > 0.0)
        mdot, c = mdot_tab[:, j], c_tab[:, j]
        m_a = np.where(cur, m_now, m0_tab[:, j] + p)
        dur = np.where(cur, dur_tab[:, j] - tau, dur_tab[:, j])
        m_b = m_a - mdot * dur
        use &= (dur > 0.0) & (mdot > 0.0)
        dv_j = c * np.log(m_a / m_b)
        enough = dv_left <= dv_j
        t_j = np.where(enough, m_a / mdot * -np.expm1(-dv_left / c), dur)
        t_go = t_go + np.where(use, t_j, 0.0)
        dv_left = np.where(use, np.where(enough, 0.0, dv_left - dv_j), dv_left)
    return t_go


def _finish(y, t, tau, phase, status, cut, p, c_tab, m0_tab, m1_tab, mdot_tab, omega, v0, max_q,
            h_sw, v_sw, g_sw, mu, rb, shape):
    """Assemble the :class:`AscentResult` from the final state."""
    N, nph = c_tab.shape
    ar = np.arange(N)
    k = np.minimum(phase, nph - 1)
    burning = phase < nph
    m_fin = np.where(burning, m0_tab[ar, k] + p - mdot_tab[ar, k] * tau, m1_tab[ar, nph - 1] + p)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        j = np.arange(nph)[None, :]
        dv_full = c_tab * np.log((m0_tab + p[:, None]) / (m1_tab + p[:, None]))
        dv_full = np.where(j < phase[:, None], dv_full, 0.0)
        dv_cur = np.where(burning, c_tab[ar, k] * np.log((m0_tab[ar, k] + p) / m_fin), 0.0)
        ideal = np.sum(dv_full, axis=-1) + dv_cur

        r, th, vr, vt = y[0], y[1], y[2], y[3]
        wr, wt = vr, vt - omega * r
        V = np.hypot(vr, vt)
        energy = 0.5 * V * V - mu / r
        hmom = r * vt
        sma = -mu / (2.0 * energy)
        ecc = np.sqrt(np.maximum(1.0 + 2.0 * energy * hmom * hmom / (mu * mu), 0.0))
        bound = energy < 0
        apo = np.where(bound, sma * (1.0 + ecc) - rb, np.nan)
        peri = np.where(bound, sma * (1.0 - ecc) - rb, np.nan)
        fields = dict(
            status=status,
            cutoff=cut,
            time=t,
            altitude=r - rb,
            speed=V,
            speed_rel=np.hypot(wr, wt),
            flight_path_angle=np.arctan2(vr, vt),
            flight_path_angle_rel=np.arctan2(wr, wt),
            downrange=rb * th,
            mass=m_fin,
            apoapsis_altitude=apo,
            periapsis_altitude=peri,
            ideal_dv=ideal,
            gravity_loss=y[4],
            drag_loss=y[5],
            steering_loss=y[6],
            back_pressure_loss=y[7],
            gravity_loss_inertial=y[8],
            drag_loss_inertial=y[9],
            steering_loss_inertial=y[10],
            max_q=max_q,
            h_switch=h_sw,
            v_switch=v_sw,
            gamma_switch=g_sw,
            phase=phase,
        )
    bad = (status == AscentStatus.INVALID_INPUT) | (status == AscentStatus.CORE_DEPLETED)
    out = {}
    for name, val in fields.items():
        val = np.asarray(val)
        if val.dtype.kind == "f":
            val = np.where(bad, np.nan, val)
        out[name] = val.reshape(shape)
    return AscentResult(**out)


def best_along(result: AscentResult, axis: int = -1, *, target_altitude_m, altitude_tol_m=2000.0,
               fpa_tol_rad=np.deg2rad(0.5)):
    """Pick, along ``axis`` (e.g. a grid of kick angles), the case that reaches the target best.

    Among cases that reached the cutoff (``status == OK`` and ``cutoff``) within ``altitude_tol_m``
    [m] of ``target_altitude_m`` [m] and with ``|flight_path_angle| <= fpa_tol_rad`` [rad], the one
    with the largest final mass (most propellant left) wins; if none qualifies, the one with the
    largest final orbital energy proxy (speed) among cases not crashed. Returns
    ``(best: AscentResult reduced over axis, index: int array, found: bool array)``.
    """
    ax = axis % np.ndim(result.status)
    h_t = np.asarray(target_altitude_m, dtype=float)
    if h_t.ndim:  # one target per reduced case: give it the searched axis
        h_t = np.expand_dims(h_t, ax)
    good = (
        (result.status == AscentStatus.OK)
        & result.cutoff
        & (np.abs(result.altitude - h_t) <= altitude_tol_m)
        & (np.abs(result.flight_path_angle) <= fpa_tol_rad)
    )
    alive = (result.status == AscentStatus.OK) | (result.status == AscentStatus.BURNOUT)
    score = np.where(good, result.mass, -np.inf)
    fallback = np.where(alive, result.speed, -np.inf)
    found = np.any(good, axis=ax)
    idx = np.where(found, np.argmax(score, axis=ax), np.argmax(fallback, axis=ax))
    take = lambda a: np.take_along_axis(np.asarray(a), np.expand_dims(idx, ax), axis=ax).squeeze(ax)  # noqa: E731
    return AscentResult(*(take(f) for f in result)), idx, found
