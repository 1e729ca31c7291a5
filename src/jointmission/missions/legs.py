"""Delta-v computed by code for a concept's phase: the named *legs* a concept file may use instead
of a number (``dv: {leg: lunar_capture, vinf: arrival_vinf, altitude: llo_altitude}``).

Each :class:`Leg` names its arguments, the field kind of each (:data:`jointmission.fields.KINDS`,
which says the unit of a bare number and the physical range), the defaults of the optional ones,
and the function that computes the delta-v [m/s] from SI arguments (floats or per-case arrays,
broadcast). Adding a leg = adding an entry to :data:`LEGS`; the concept loader checks a phase's
arguments against it (unknown or missing argument names are file:line errors), and
:func:`leg_dv` makes the delta-v NaN (``INVALID_INPUT`` in the budget) in the cases where an
argument is outside its kind's range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M
from ..fields import KINDS, out_of_range
from .lunar_legs import leg_dv as lunar_leg_dv
from .lunar_legs import leg_source as lunar_leg_source
from .lunar_legs import loi_dv, lunar_plane_change_dv, translunar_arrival
from .phases import earth_departure_dv, lunar_capture_dv, mars_capture_dv

__all__ = ["Leg", "LEGS", "leg_dv"]


@dataclass(frozen=True)
class Leg:
    """A computed delta-v: ``fn(**kwargs)`` [m/s]; ``args`` argument name -> field kind key;
    ``defaults`` the SI default of each optional argument (``None`` = the function's own default);
    ``source`` what the number rests on (shown in the phase table's source column)."""

    fn: Callable[..., Any]
    args: dict[str, str]
    required: tuple[str, ...]
    source: str
    defaults: dict[str, Any] = field(default_factory=dict)


def _earth_departure(c3, parking_altitude=DEFAULT_PARKING_ALT_M):
    return earth_departure_dv(c3, parking_altitude)


def _lunar_capture(vinf, altitude, apoapsis=None):
    return lunar_capture_dv(vinf, altitude, apoapsis)


def _mars_capture(vinf, periapsis=None, apoapsis=None):
    return mars_capture_dv(vinf, periapsis, apoapsis)


LEGS: dict[str, Leg] = {
    "earth_departure": Leg(
        _earth_departure, {"c3": "c3", "parking_altitude": "earth_orbit_altitude"}, ("c3",),
        "core.orbits.departure_dv (circular Earth parking orbit -> C3, tangential burn; Curtis sec. 8.4)"),
    "lunar_capture": Leg(
        _lunar_capture, {"vinf": "speed_km_s", "altitude": "lunar_orbit_altitude",
                         "apoapsis": "lunar_orbit_altitude"}, ("vinf", "altitude"),
        "core.orbits.capture_dv (Moon, v_inf -> circular LLO)"),
    "mars_capture": Leg(
        _mars_capture, {"vinf": "speed_km_s", "periapsis": "altitude", "apoapsis": "altitude"}, ("vinf",),
        "core.orbits.capture_dv (Mars, 250 km x 1 sol)"),
}
"""Leg name -> :class:`Leg`."""


def leg_dv(name: str, **args: Any) -> Any:
    """Delta-v [m/s] of leg ``name`` for SI arguments ``args`` (floats or per-case arrays): NaN in
    the cases where an argument is not a finite number inside its kind's range (a lunar orbit below
    the surface, a negative arrival speed), so the budget reports them as ``INVALID_INPUT``; the
    check is two reductions per array argument where every case is in range."""
    leg = LEGS[name]
    dv = leg.fn(**args)
    bad = out_of_range([(a if isinstance(a, np.ndarray) else float(a), KINDS[leg.args[k]]) for k, a in args.items()])
    if not np.any(bad):
        return dv
    return np.where(bad, np.nan, dv)


# ----------------------------------------------------------------- lunar legs per direction
def _translunar_capture(c3, altitude, parking_altitude=DEFAULT_PARKING_ALT_M):
    vinf, _ = translunar_arrival(c3, parking_altitude)
    return loi_dv(vinf, altitude)


def _lunar_plane_change(angle, altitude):
    return lunar_plane_change_dv(np.degrees(angle), altitude)


def _fixed_leg(frm: str, to: str) -> Leg:
    return Leg(lambda: lunar_leg_dv(frm, to), {}, (), lunar_leg_source(frm, to))


LEGS["translunar_capture"] = Leg(
    _translunar_capture, {"c3": "c3", "altitude": "lunar_orbit_altitude", "parking_altitude": "earth_orbit_altitude"},
    ("c3", "altitude"),
    "missions.lunar_legs: LOI at periselene from the arrival v_inf of the trans-lunar conic of the TLI C3 (patched conic)")
LEGS["lunar_plane_change"] = Leg(
    _lunar_plane_change, {"angle": "inclination", "altitude": "lunar_orbit_altitude"}, ("angle", "altitude"),
    "core.orbits.plane_change on a circular lunar orbit, 2 v sin(di/2)")
for _frm, _to in (("tli", "nrho"), ("nrho", "llo"), ("llo", "nrho"), ("nrho", "tei"), ("llo", "tei"),
                  ("llo", "surface"), ("surface", "llo"), ("rendezvous", "docking")):
    LEGS[f"{_frm}_to_{_to}"] = _fixed_leg(_frm, _to)
"""Directional lunar legs (``llo_to_nrho`` is not ``nrho_to_llo``): :mod:`.lunar_legs`, each with its source."""
