"""The public (``jointmission.*``) versions of the core kernels: SI floats or astropy Quantities.

Each function here is the kernel of :mod:`jointmission.core` of the same name (same signature,
same docstring, same results) that also accepts astropy Quantities: a Quantity argument is
converted once to its SI unit (``7000 * u.km`` -> 7e6 m) and a Quantity of the wrong dimension
raises :class:`~jointmission.units.UnitError` naming the argument and the expected unit. Plain
floats and arrays are taken in SI units, as by the kernels. The kernels themselves refuse
Quantities with a ``TypeError`` (an ``np.asarray`` would strip the unit silently).

``solve_lambert`` is :func:`jointmission.core.lambert.lambert`; like ``propagate`` it takes ``mu``
first (the old ``(r1, r2, tof, mu)`` order still works, with a ``DeprecationWarning``).
"""

from __future__ import annotations

from typing import Any

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
