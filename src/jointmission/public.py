"""The public (``jointmission.*``) versions of the core kernels: SI floats or astropy Quantities.

Each function here is the kernel of :mod:`jointmission.core` of the same name (same signature,
same docstring, same results) that also accepts astropy Quantities: a Quantity argument is
converted once to its SI unit (``7000 * u.km`` -> 7e6 m) and a Quantity of the wrong dimension
raises :class:`~jointmission.units.UnitError` naming the argument and the expected unit. Plain
floats and arrays are taken in SI units, as by the kernels. The kernels themselves refuse
Quantities with a ``TypeError`` (an ``np.asarray`` would strip the unit silently).

:func:`payload_curve` is the one function here that wraps no kernel: the payload of a vehicle over a
swept C3 or altitude as an xarray Dataset (imports the vehicle layer on first call only).

``solve_lambert`` is :func:`jointmission.core.lambert.lambert`; like ``propagate`` it takes ``mu``
first (the old ``(r1, r2, tof, mu)`` order still works, with a ``DeprecationWarning``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import xarray as xr
    from numpy.typing import ArrayLike

    from .vehicles.vehicle import LaunchVehicle

from .core import kepler as _kepler
from .core import lambert as _lambert
from .core import orbits as _orbits
from .core import rocket as _rocket
from .core._guard import mu_first
from .units import accepts_quantities, as_si

__all__ = [
    "vis_viva",
    "circular_speed",
    "escape_speed",
    "orbital_period",
    "c3_from_vinf",
    "vinf_from_c3",
    "periapsis_speed_hyperbolic",
    "hohmann",
    "bielliptic",
    "plane_change",
    "combined_plane_change",
    "hohmann_with_plane_change",
    "departure_dv",
    "departure_dv_from_vinf",
    "capture_dv",
    "tsiolkovsky",
    "stage_delta_v",
    "serial_delta_v",
    "parallel_delta_v",
    "stack_delta_v",
    "propagate",
    "solve_lambert",
]
# ``payload_curve`` (below) is public too (``jm.payload_curve``), but it is no kernel wrapper: it is
# kept out of ``__all__``, which lists the wrappers of core kernels (same signature and docstring).

_STACK_KINDS = {
    "isp": "isp",
    "thrust": "force",
    "m_prop": "mass",
    "m_dry": "mass",
    "booster_isp": "isp",
    "booster_thrust": "force",
    "booster_m_prop": "mass",
    "booster_m_dry": "mass",
    "core_throttle": "dimensionless",
}


def _stack_to_si(stack: Any, name: str) -> Any:
    """A :class:`~jointmission.core.rocket.Stack` whose Quantity fields are converted to SI."""
    if not isinstance(stack, _rocket.Stack):
        return stack
    fields = {f: as_si(getattr(stack, f), k, f"{name}.{f}") for f, k in _STACK_KINDS.items()}
    return stack._replace(**fields)


_GM, _L, _V, _C3, _ANG = "gm", "length", "speed", "c3", "angle"

vis_viva = accepts_quantities(mu=_GM, r=_L, a=_L)(_orbits.vis_viva)
circular_speed = accepts_quantities(mu=_GM, r=_L)(_orbits.circular_speed)
escape_speed = accepts_quantities(mu=_GM, r=_L)(_orbits.escape_speed)
orbital_period = accepts_quantities(mu=_GM, a=_L)(_orbits.orbital_period)
c3_from_vinf = accepts_quantities(v_inf=_V)(_orbits.c3_from_vinf)
vinf_from_c3 = accepts_quantities(c3=_C3)(_orbits.vinf_from_c3)
periapsis_speed_hyperbolic = accepts_quantities(mu=_GM, v_inf=_V, r_p=_L)(
    _orbits.periapsis_speed_hyperbolic
)
hohmann = accepts_quantities(mu=_GM, r1=_L, r2=_L)(_orbits.hohmann)
bielliptic = accepts_quantities(mu=_GM, r1=_L, r2=_L, rb=_L)(_orbits.bielliptic)
plane_change = accepts_quantities(v=_V, delta_i=_ANG)(_orbits.plane_change)
combined_plane_change = accepts_quantities(v1=_V, v2=_V, delta_i=_ANG)(_orbits.combined_plane_change)
hohmann_with_plane_change = accepts_quantities(
    mu=_GM, r1=_L, r2=_L, delta_i=_ANG, split="dimensionless"
)(_orbits.hohmann_with_plane_change)
departure_dv = accepts_quantities(mu=_GM, r_park=_L, c3=_C3)(_orbits.departure_dv)
departure_dv_from_vinf = accepts_quantities(mu=_GM, r_park=_L, v_inf=_V)(
    _orbits.departure_dv_from_vinf
)
capture_dv = accepts_quantities(mu=_GM, v_inf=_V, r_periapsis=_L, apoapsis_radius=_L)(
    _orbits.capture_dv
)

tsiolkovsky = accepts_quantities(isp_s="isp", m0_kg="mass", mf_kg="mass")(_rocket.tsiolkovsky)
stage_delta_v = accepts_quantities(
    isp_s="isp", m_prop_kg="mass", m_dry_kg="mass", m_above_kg="mass"
)(_rocket.stage_delta_v)
serial_delta_v = accepts_quantities(
    isp_s="isp", m_prop_kg="mass", m_dry_kg="mass", payload_kg="mass"
)(_rocket.serial_delta_v)
parallel_delta_v = accepts_quantities(
    booster_isp_s="isp",
    booster_thrust_n="force",
    booster_m_prop_kg="mass",
    booster_m_dry_kg="mass",
    core_isp_s="isp",
    core_thrust_n="force",
    core_m_prop_kg="mass",
    core_m_dry_kg="mass",
    m_above_kg="mass",
    core_throttle="dimensionless",
)(_rocket.parallel_delta_v)
stack_delta_v = accepts_quantities(stack=_stack_to_si, payload_kg="mass")(_rocket.stack_delta_v)

# mu first; the deprecated (r, v/r2, t, mu) order is recognised before the Quantity conversion
propagate = mu_first(accepts_quantities(mu=_GM, r0=_L, v0=_V, dt="time")(_kepler.propagate))
solve_lambert = mu_first(accepts_quantities(mu=_GM, r1=_L, r2=_L, tof="time")(_lambert.lambert))
solve_lambert.__name__ = solve_lambert.__qualname__ = "solve_lambert"


@accepts_quantities(c3=_C3, altitude=_L, inclination=_ANG, parking_altitude=_L, dla=_ANG, latitude=_ANG)
def payload_curve(
    vehicle: str | LaunchVehicle,
    *,
    c3: ArrayLike | None = None,
    altitude: ArrayLike | None = None,
    inclination: float | None = None,
    parking_altitude: float | None = None,
    dla: float | None = None,
    latitude: float | None = None,
    reserve_fraction: float = 0.0,
    top_load: float | str = "optimal",
) -> xr.Dataset:
    """Payload curve of a launch vehicle over C3 or circular-orbit altitude, as an xarray Dataset.

    Give exactly one swept axis; every point is solved in one vectorized call of the payload model
    (:func:`jointmission.vehicles.performance.payload_to_c3` / ``payload_to_orbit``, same results as
    point-by-point calls to the solver's tolerance, 1e-6 relative).

    Parameters
    ----------
    vehicle : str or LaunchVehicle
        Catalog name (``"Falcon Heavy"``, case-insensitive) or a vehicle object.
    c3 : array_like, optional
        Characteristic energies [m^2/s^2] (1-d or scalar): a C3 curve, flown from a circular
        parking orbit.
    altitude : array_like, optional
        Circular-orbit altitudes above the equatorial radius [m] (1-d or scalar): an orbit curve.
    inclination : float, optional
        Orbit (altitude curve) or parking-orbit (C3 curve) inclination [rad]; default due east.
    parking_altitude : float, optional
        Parking-orbit altitude of a C3 curve [m]; default :data:`~jointmission.constants.DEFAULT_PARKING_ALT_M`.
    dla : float, optional
        Declination of the departure asymptote of a C3 curve [rad]: the parking orbit is inclined
        at least ``|dla|`` (due east when the launch latitude already is; see
        :func:`jointmission.vehicles.targets.parking_inclination`).
    latitude : float, optional
        Launch latitude [rad]; default the vehicle's launch site.
    reserve_fraction : float, str or Quantity
        Flight-performance reserve as a fraction of the required ideal delta-v [-] in [0, 1) (default
        0): ``0.01``, ``"1 %"`` or ``1 * u.percent``; ValueError outside [0, 1).
    top_load : float, str or Quantity
        ``"optimal"`` (the default; any case): per point, the load of the top stage's burnable
        propellant that maximises the payload (the full load unless a partly filled top stage carries
        more); the variable ``top_load`` holds it. A fraction [-] from 0.2 to 1 fixes the load (``1``
        or ``1.0``: the full load, and no ``top_load`` variable): a number, text as in a scenario file
        (``"0.6"``, ``"60 %"``) or a dimensionless Quantity (``60 * u.percent``). A bool is refused
        (TypeError).

    Returns
    -------
    xarray.Dataset
        One dimension, ``c3`` [m^2/s^2] or ``altitude`` [m] (coordinate with ``units`` attrs), and
        the variables ``payload`` [kg] (NaN where ``status`` != 0), ``status`` (int8
        :class:`~jointmission.core.status.Status` codes), ``status_text``, the delta-v budget
        ``dv_required``, ``dv_orbit``, ``dv_rotation``, ``dv_departure`` and the loss terms
        ``dv_gravity``, ``dv_drag``, ``dv_steering``, ``dv_back_pressure``, ``dv_finite_burn``,
        ``dv_dogleg`` and their sum ``dv_losses`` [m/s], ``liftoff_tw`` [-]. Attributes: ``vehicle``,
        ``latitude_rad``, ``inclination_rad`` (flown), ``parking_alt_m`` and ``dla_rad`` (C3 curves).
        Points outside the field limits (C3 above 1000 km^2/s^2, an altitude below 120 km or beyond
        Earth's sphere of influence) have status ``INVALID_TARGET``.

    Raises
    ------
    ValueError
        Both or neither of ``c3`` / ``altitude``; a 2-d axis; more than
        :data:`~jointmission.vehicles.curve.MAX_CURVE_POINTS` points; an inclination below ``|dla|``;
        ``dla``/``parking_altitude`` with an altitude curve.
    CatalogError
        Unknown vehicle name.
    """
    from .vehicles.catalog import get_vehicle
    from .vehicles.curve import compute_curve, curve_dataset

    veh = get_vehicle(vehicle) if isinstance(vehicle, str) else vehicle
    curve = compute_curve(veh, c3_m2_s2=c3, altitude_m=altitude, inclination_rad=inclination,
                          parking_alt_m=parking_altitude, dla_rad=dla, latitude_rad=latitude,
                          reserve_fraction=reserve_fraction, top_load=top_load)
    return curve_dataset(curve)
