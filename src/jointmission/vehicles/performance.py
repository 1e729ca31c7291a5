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

import inspect
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..constants import GM_EARTH, R_EARTH
from ..constants import MAX_APOGEE_ALT_M, MIN_PERIGEE_ALT_M
from ..core.ascent import DEFAULT_COEFFICIENTS, AscentCoefficients
from ..units import as_si
from .arrays import VehicleArrays, vehicle_arrays
from .targets import DEFAULT_PARKING_ALT_M, C3Target, OrbitTarget, Target
from .top_load import DEFAULT_TOP_LOAD, SLOPE_STEP, TOP_LOAD_MIN, maximise_load, with_top_load
from .vehicle import LaunchVehicle
from .performance_result import PerformanceResult, PerformanceStatus
from .payload_solve import build_problem, newton_cases, solve_full_load
from .arguments import earth_body, reserve_arg, top_load_arg

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
    "top_load_arg",
    "reserve_arg",
]


def _as_arrays(vehicle: LaunchVehicle | VehicleArrays | str) -> tuple[VehicleArrays, tuple[str, ...]]:
    if isinstance(vehicle, str):  # a catalog name, as payload_curve takes it
        from .catalog import get_vehicle

        vehicle = get_vehicle(vehicle)
    if isinstance(vehicle, VehicleArrays):
        cs = getattr(vehicle, "column_stage", ())
        n = max(cs) + 1 if cs else np.shape(vehicle.stack.isp)[-1]
        return vehicle, ("booster phase",) + tuple(f"stage {k + 1}" for k in range(n))
    if isinstance(vehicle, LaunchVehicle):
        return vehicle_arrays(vehicle), vehicle.phase_names
    raise TypeError(f"expected a LaunchVehicle, VehicleArrays or catalog name, got {type(vehicle).__name__}")


_SOLVE_DEFAULTS = {k: p.default for k, p in inspect.signature(solve_full_load).parameters.items()
                   if k in ("rtol", "max_iter", "valid_target", "dv_second", "r_second", "reserve_fraction")}
"""The keyword defaults of :func:`.payload_solve.solve_full_load` that a partial-load solve reads (read
from its signature, so the two cannot drift apart)."""


def _solve(va: VehicleArrays, names: tuple[str, ...], h_park, v_target, inclination, latitude, *,
           top_load: float | str = 1.0, fixed_payload=None, p_guess=None, **kw: Any) -> PerformanceResult:
    """The payload solve (:func:`.payload_solve.solve_full_load`) with the top stage's load: the full
    load (``top_load`` 1), a fraction [-] or ``"optimal"`` (:func:`_top_load_solve`)."""
    if not (isinstance(top_load, (int, float)) and float(top_load) == 1.0):
        kw = {**_SOLVE_DEFAULTS, **kw}
        return _top_load_solve(va, names, h_park, v_target, inclination, latitude, top_load, **kw)
    return solve_full_load(va, names, h_park, v_target, inclination, latitude, fixed_payload=fixed_payload,
                           p_guess=p_guess, **kw)


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
        pb = build_problem(va, h_park, v_target, inclination, latitude, fixed_payload=None,
                           **{k: targets[k] for k in ("valid_target", "dv_second", "r_second")}, **pkw)
        shape = pb.shape
        # the iteration's step rule follows the fully loaded top stage at every load (a vehicle keeps it)
        newton = newton_cases(pb)

        def cases(mask):
            if mask is None:
                return va, targets
            return _take_cases(va, shape, mask), {k: None if x is None else np.broadcast_to(np.asarray(x), shape)[mask]
                                                  for k, x in targets.items()}

        def solve(load, guess, mask, verified=None):
            v, t = cases(mask)
            return _solve(with_top_load(v, load), names, t["h_park"], t["v_target"], t["inclination"], t["latitude"],
                          p_guess=guess, newton=newton if mask is None else newton[mask], verified_out=verified,
                          **{k: x for k, x in kw.items() if k not in ("valid_target", "dv_second", "r_second")},
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
    pb = build_problem(with_top_load(va, loads), t["h_park"], t["v_target"], t["inclination"], t["latitude"],
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
    vehicle: LaunchVehicle | VehicleArrays | str,
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
    vehicle : LaunchVehicle, VehicleArrays or str
        The vehicle, or its catalog name (:func:`jointmission.vehicle_names`).
    perigee_alt_m : array_like
        Perigee altitude [m] (insertion altitude).
    apogee_alt_m : array_like, optional
        Apogee altitude [m]; default circular.
    inclination_rad : array_like, optional
        Inclination [rad]; default (or NaN) the launch latitude, i.e. a due-east launch.
    latitude_rad : array_like, optional
        Launch latitude [rad]; default the vehicle's launch site.
    mu, r_body : float
        Gravitational parameter [m^3/s^2] and radius [m]: Earth's (the defaults; the ascent model's
        atmosphere and rotation are Earth's, so another body's values raise ``ValueError``,
        :func:`earth_body`).
    coeffs : AscentCoefficients
        Ascent-model coefficients (defaults are the calibrated global ones).
    reserve_fraction : float, str or Quantity
        Flight-performance reserve as a fraction of the required ideal delta-v [-] in [0, 1) (default
        0: the model predicts the nominal capability; user's guides typically hold back ~0.5-1 %);
        ``0.01``, ``"1 %"`` or ``1 * u.percent`` (:func:`reserve_arg`; ValueError outside [0, 1)).
    top_load : float, str or Quantity
        ``"optimal"`` (the default; any case): the load of the top stage's burnable propellant that
        maximises the payload, per case -- the full load unless a partly filled top stage carries more
        (a heavy payload to a low orbit behind a low-thrust upper stage; :mod:`jointmission.vehicles.top_load`).
        A fraction [-] in [:data:`~jointmission.vehicles.top_load.TOP_LOAD_MIN`, 1] fixes the load
        (``1`` or ``1.0``: the full load): a number, text as in a scenario file (``"0.6"``,
        ``"60 %"``) or a dimensionless Quantity (``60 * u.percent``); :func:`top_load_arg` reads it.
        A bool raises TypeError, anything else out of range ValueError. The result's ``top_load``
        holds the load used.

    Notes
    -----
    Every altitude, angle and ``mu``/``r_body`` may be a plain SI float or array, or an astropy
    Quantity (converted once; a wrong dimension raises :class:`~jointmission.units.UnitError`).

    Returns
    -------
    PerformanceResult
    """
    top_load = top_load_arg(top_load)  # one parser for every entry point; refused before any work
    reserve_fraction = reserve_arg(reserve_fraction)
    # astropy Quantities are accepted and converted once (UnitError for a wrong dimension)
    perigee_alt_m, apogee_alt_m = as_si(perigee_alt_m, "length", "perigee_alt_m"), as_si(apogee_alt_m, "length", "apogee_alt_m")
    inclination_rad, latitude_rad = as_si(inclination_rad, "angle", "inclination_rad"), as_si(latitude_rad, "angle", "latitude_rad")
    mu, r_body = earth_body(mu, r_body)
    va, names = _as_arrays(vehicle)
    h_i, v_i, dv2, r2, valid = _insertion(perigee_alt_m, apogee_alt_m, mu, r_body)
    return _solve(va, names, h_i, v_i, _check_inc(inclination_rad), latitude_rad, is_c3=False,
                  mu=mu, r_body=r_body, coeffs=coeffs, valid_target=valid, dv_second=dv2, r_second=r2,
                  reserve_fraction=reserve_fraction, top_load=top_load)


def payload_to_c3(
    vehicle: LaunchVehicle | VehicleArrays | str,
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
    top_load = top_load_arg(top_load)  # one parser for every entry point; refused before any work
    reserve_fraction = reserve_arg(reserve_fraction)
    # astropy Quantities are accepted and converted once (UnitError for a wrong dimension)
    c3_m2_s2, parking_alt_m = as_si(c3_m2_s2, "c3", "c3_m2_s2"), as_si(parking_alt_m, "length", "parking_alt_m")
    inclination_rad, latitude_rad = as_si(inclination_rad, "angle", "inclination_rad"), as_si(latitude_rad, "angle", "latitude_rad")
    mu, r_body = earth_body(mu, r_body)
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


def payload(vehicle: LaunchVehicle | VehicleArrays | str, target: Target, **kwargs: Any) -> PerformanceResult:
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
    reserve_fraction = reserve_arg(reserve_fraction)
    mu, r_body = earth_body(mu, r_body)
    va, names = _as_arrays(vehicle)
    h_i, v_i, dv2, r2, valid = _insertion(perigee_alt_m, apogee_alt_m, mu, r_body)
    return _solve(va, names, h_i, v_i, _check_inc(inclination_rad), latitude_rad, is_c3=False,
                  mu=mu, r_body=r_body, coeffs=coeffs, fixed_payload=payload_kg, valid_target=valid,
                  dv_second=dv2, r_second=r2, reserve_fraction=reserve_fraction)
