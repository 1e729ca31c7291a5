"""The one registry of field kinds: every number a user writes (in a catalog entry, a scenario file,
an override, a sweep axis or a Monte Carlo draw) is of one :class:`FieldKind` of :data:`KINDS`.

Each :class:`FieldKind` says

- how text is converted (the :func:`jointmission.units.to_si` kind; the default unit of a bare
  number in the catalog / Python API (``spec_unit``, SI) and in a scenario file
  (``scenario_unit``, also the display unit of sweep result columns));
- its physical range [SI] (``lo``/``hi``, each open or closed), checked by the vehicle spec validation
  (:mod:`jointmission.vehicles.spec`), by the scenario schema (:func:`jointmission.scenario._base.quantity_field`),
  by sweep resolution (:mod:`jointmission.scenario.sweep_resolve`) and, for swept values, per case by
  the array builder (:mod:`jointmission.vehicles.arrays`, which flags a case outside the range as
  invalid input);
- the words of its messages (``noun``, ``example``, ``rule``, ``why_low``/``why_high``).

Three maps name the kinds where they are used:

- :data:`FIELDS`: vehicle field name (the last key of its path) -> kind;
- :data:`MISSION_SWEEP_KINDS`: sweepable path inside ``mission:`` -> kind key;
- the scenario schema's quantity types (:mod:`jointmission.scenario._base`,
  :mod:`jointmission.scenario.mission_spec`) each name a key of :data:`KINDS`.

This module is pure data and small helpers (imports only :mod:`jointmission.constants`, ``math`` and
numpy), so every layer may read it.

Cross-field rules (:func:`engine_consistent`): an engine's sea-level Isp and thrust do not exceed the
vacuum ones (the nozzle loses ``p_a A_e`` at ambient pressure, it never gains).

Ranges and why
--------------
- **Counts** are bounded by what any real vehicle flies, with room to spare: at most
  :data:`MAX_BOOSTERS` = 12 strap-on boosters (Titan/Ariane/Delta/Long March fly 2-4, Soyuz 4,
  Energia 4), :data:`MAX_ENGINES` = 40 engines per stage or per booster (Super Heavy 33, N1 30)
  and :data:`MAX_STAGES` = 6 serial stages (Scout and Minotaur IV fly 4-5). A count beyond these is a
  typing error (``1e9`` boosters), not a design.
- **Vehicle Isp** in (0, :data:`MAX_ISP_S` = 1000] s: the best chemical engines reach ~465 s (RL10B-2,
  LOX/LH2) and the theoretical tripropellant limit is ~550 s; 1000 s leaves room for nuclear-thermal
  studies (NERVA XE ~840 s design Isp) while refusing an Isp typed in m/s or in the wrong field
  (3000 "s"). Electric propulsion is outside this launch-vehicle model. (A mission element's Isp,
  ``element_isp``, is only positive.)
- **Masses and thrusts** positive and finite; **throttle** fractions in (0, 1]; **latitude** in
  [-90, 90] deg; **inclination** in [0, 180] deg.
- **Earth-orbit altitudes** from :data:`~jointmission.constants.MIN_PERIGEE_ALT_M` (120 km) to
  :data:`~jointmission.constants.MAX_APOGEE_ALT_M` (Earth's sphere of influence).
- **C3** at most :data:`MAX_C3_M2_S2` (1000 km^2/s^2); **required payload** in [0,
  :data:`MAX_REQUIRED_PAYLOAD_KG`] (10,000 t); both plausibility bounds against unit slips.
- **Mission fractions** (margins, dry fractions, boil-off) in [0, 1]; propellant kept unburned
  (reserve, residual) in [0, 1).
- **Top stage as flown** (:mod:`jointmission.vehicles.top_stage`): residuals and flight-performance
  reserve are fractions of the top stage's loaded propellant in [0, 1); adapter, attitude-control and
  restart propellant masses are non-negative; boil-off in [0, 1] per hour; the parking-orbit coast from
  0 to one day (longer coasts are outside a short-coast boil-off rate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .constants import EARTH_SOI_RADIUS_M, MAX_APOGEE_ALT_M, MIN_PERIGEE_ALT_M

__all__ = [
    "FieldKind",
    "KINDS",
    "FIELDS",
    "ENGINE_FIELDS",
    "MISSION_SWEEP_KINDS",
    "TARGET_SWEEP_KINDS",
    "MAX_BOOSTERS",
    "MAX_ENGINES",
    "MAX_STAGES",
    "MAX_ISP_S",
    "MAX_C3_M2_S2",
    "MAX_REQUIRED_PAYLOAD_KG",
    "REQUIRED_PAYLOAD_WHY",
    "engine_consistent",
    "out_of_range",
    "field_kind",
    "kind",
]

MAX_BOOSTERS = 12
"""Most strap-on boosters of a vehicle (see the module docstring)."""
MAX_ENGINES = 40
"""Most engines of one stage, or of one booster."""
MAX_STAGES = 6
"""Most serial core stages of a vehicle."""
MAX_ISP_S = 1000.0
"""Highest specific impulse [s] accepted for a vehicle engine (chemical and nuclear-thermal engines)."""
MAX_C3_M2_S2 = 1000e6
"""Highest C3 accepted [m^2/s^2] (1000 km^2/s^2, v_inf 31.6 km/s): the highest flown are New Horizons
(157.7 km^2/s^2, NASA New Horizons launch press kit, January 2006) and Parker Solar Probe (~154); a C3
above this is a typing error (a value in m^2/s^2 given as km^2/s^2), not a launcher target."""
MAX_REQUIRED_PAYLOAD_KG = 1.0e7
"""Plausibility bound of ``required_payload`` [kg]: 10,000 t, ~70x the heaviest payload ever launched
(Skylab with its Saturn V second stage, ~140 t to LEO) and ~24x the whole ISS (~420 t, assembled in
some 40 flights). A larger value is taken to be a unit slip (kg written as t)."""
REQUIRED_PAYLOAD_WHY = ("a plausibility bound, ~70 times the heaviest payload ever put in orbit "
                        "(~140 t, Saturn V); a bare number is in t, write kg as e.g. '25000 kg'")
"""Why a ``required_payload`` above :data:`MAX_REQUIRED_PAYLOAD_KG` is refused (scalar and swept)."""


@dataclass(frozen=True)
class FieldKind:
    """What a field is: unit conversion, physical range, integer or not, and the words of its messages.

    Attributes
    ----------
    si_kind : str
        :func:`jointmission.units.to_si` kind (``mass``, ``force``, ``isp``, ``angle``, ``length``,
        ``speed``, ``time``, ``c3``, ``dimensionless``).
    spec_unit, scenario_unit : str
        Default unit of a bare number in the catalog / Python API (SI) and in a scenario file (the
        latter is also the display unit of sweep result columns). ``""`` for fractions and counts.
    lo, hi : float
        Physical range [SI]; ``lo_open`` / ``hi_open`` say whether an end is excluded (``-inf`` /
        ``inf``: unbounded).
    integer : bool
        A count (whole numbers only).
    noun, example : str
        For messages: ``"booster count"``, ``"4"``; ``"altitude"``, ``"200 km"``.
    rule : str
        How scenario-file messages say a lower bound of 0: ``"positive"`` / ``"nonnegative"`` ("a
        positive mass", "a non-negative mass of at most 10,000 t"); ``""`` states ``lo``/``hi`` as
        numbers ("an inclination between 0 deg and 180 deg").
    why_low, why_high : str
        Appended to the message of a value below ``lo`` / above ``hi`` (why a plausibility bound exists).
    """

    si_kind: str
    spec_unit: str
    scenario_unit: str
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    noun: str = "value"
    example: str = ""
    rule: str = ""
    why_low: str = ""
    why_high: str = ""

    def ok(self, values) -> np.ndarray:
        """Boolean mask: ``values`` [SI] finite, inside the range (and whole numbers for counts)."""
        v = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            good = np.isfinite(v)
            good &= (v > self.lo) if self.lo_open else (v >= self.lo)
            good &= (v < self.hi) if self.hi_open else (v <= self.hi)
            if self.integer:
                good &= v == np.round(v)
        return good

    def range_text(self, scale: float = 1.0, unit: str = "") -> str:
        """The range in words, values divided by ``scale`` and followed by ``unit``:
        ``"a whole number from 1 to 12"``, ``"positive and finite"``, ``"in (0, 1000] s"``."""
        u = f" {unit}" if unit else ""
        if self.integer:
            return f"a whole number from {self.lo:g} to {self.hi:g}"
        if math.isinf(self.hi) and self.lo == 0 and self.lo_open:
            return "positive and finite"
        lo_b, hi_b = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
        return f"in {lo_b}{self.lo / scale:g}, {self.hi / scale:g}{hi_b}{u}"


_INF = math.inf

def out_of_range(entries) -> Any:
    """Cases where any of ``entries`` -- ``(value, kind)`` pairs, ``value`` [SI] a scalar or an array
    broadcastable to the case shape, ``kind`` a :class:`FieldKind` -- is not a value its kind accepts
    (:meth:`FieldKind.ok`): the scalar ``np.False_`` / ``np.True_`` when that holds for every case,
    else a boolean array. An array whose minimum and maximum are accepted (a NaN makes them NaN) holds
    only accepted values (not so for counts, which are tested whole), so the per-case test runs only
    where some value is not: two reductions per array on a million cases that are all fine."""
    bad = np.False_
    for v, fk in entries:
        if isinstance(v, np.ndarray):
            if v.size and (fk.integer or not (fk.ok(v.min()) and fk.ok(v.max()))):
                bad = bad | ~fk.ok(v)
        elif not fk.ok(v):
            bad = np.True_
    return bad


KINDS: dict[str, FieldKind] = {
    # ---- vehicle kinds (catalog, vehicle file, overrides, vehicle.* sweep paths)
    "mass": FieldKind("mass", "kg", "t", 0.0, _INF, lo_open=True, noun="mass", example="12 t", rule="positive"),
    "thrust": FieldKind("force", "N", "kN", 0.0, _INF, lo_open=True, noun="thrust", example="900 kN",
                        rule="positive"),
    "isp": FieldKind("isp", "s", "s", 0.0, MAX_ISP_S, lo_open=True, noun="specific impulse", example="311 s"),
    "booster_count": FieldKind("dimensionless", "", "", 1, MAX_BOOSTERS, integer=True, noun="booster count",
                               example="4"),
    "engine_count": FieldKind("dimensionless", "", "", 1, MAX_ENGINES, integer=True, noun="engine count",
                              example="9"),
    "engines_per_booster": FieldKind("dimensionless", "", "", 1, MAX_ENGINES, integer=True,
                                     noun="engines per booster", example="2"),
    "throttle": FieldKind("dimensionless", "", "", 0.0, 1.0, lo_open=True, noun="fraction", example="0.7"),
    "latitude": FieldKind("angle", "deg", "deg", -math.pi / 2, math.pi / 2, noun="latitude", example="28.5 deg"),
    # ---- scenario kinds (targets, transfer, mission: section)
    "altitude": FieldKind("length", "m", "km", 0.0, _INF, lo_open=True, noun="altitude", example="200 km",
                          rule="positive"),
    "earth_orbit_altitude": FieldKind(
        "length", "m", "km", MIN_PERIGEE_ALT_M, MAX_APOGEE_ALT_M, noun="altitude", example="200 km",
        why_low=f"below {MIN_PERIGEE_ALT_M / 1e3:g} km an orbit is inside the atmosphere's entry interface and "
                "decays within a revolution or a few days",
        why_high=f"beyond Earth's sphere of influence, {EARTH_SOI_RADIUS_M / 1e3:,.0f} km from its centre; a "
                 "target that leaves Earth is a C3 target",
    ),
    "lunar_orbit_altitude": FieldKind("length", "m", "km", 0.0, _INF, lo_open=True, noun="altitude",
                                      example="100 km", rule="positive"),
    "inclination": FieldKind("angle", "rad", "deg", 0.0, math.pi, noun="inclination", example="28.5 deg"),
    "declination": FieldKind("angle", "rad", "deg", -math.pi / 2, math.pi / 2, noun="declination",
                             example="-20 deg"),
    "site_latitude": FieldKind("angle", "rad", "deg", -math.pi / 2, math.pi / 2, noun="latitude",
                               example="28.6 deg"),
    "c3": FieldKind("c3", "m2/s2", "km2/s2", -_INF, MAX_C3_M2_S2, noun="C3", example="-2.0 km2/s2"),
    "fraction": FieldKind("dimensionless", "", "", 0.0, 1.0, noun="fraction", example="5 %"),
    # propellant kept in an element (residual, reserve): below 100 % of the load, or nothing is burned.
    # (An inclusive 0.999 bound refused '99.9 %', which parses to 0.9990000000000001.)
    "fraction_open": FieldKind("dimensionless", "", "", 0.0, 1.0, hi_open=True, noun="fraction", example="1 %"),
    "element_mass": FieldKind("mass", "kg", "t", 0.0, _INF, lo_open=True, noun="mass", example="10 t",
                              rule="positive"),
    "mass_nonneg": FieldKind("mass", "kg", "t", 0.0, _INF, noun="mass", example="10 t", rule="nonnegative"),
    "required_payload": FieldKind("mass", "kg", "t", 0.0, MAX_REQUIRED_PAYLOAD_KG, noun="mass", example="10 t",
                                  rule="nonnegative", why_high=REQUIRED_PAYLOAD_WHY),
    "speed_m_s": FieldKind("speed", "m/s", "m/s", 0.0, _INF, noun="speed", example="900 m/s", rule="nonnegative"),
    "speed_km_s": FieldKind("speed", "m/s", "km/s", 0.0, _INF, noun="speed", example="0.9 km/s",
                            rule="nonnegative"),
    "duration_d": FieldKind("time", "s", "d", 0.0, _INF, noun="duration", example="7 d", rule="nonnegative"),
    "time_step_d": FieldKind("time", "s", "d", 0.0, _INF, lo_open=True, noun="time", example="2 d",
                             rule="positive"),
    "element_isp": FieldKind("isp", "s", "s", 0.0, _INF, lo_open=True, noun="Isp", example="450 s",
                             rule="positive"),
    # ---- top stage as flown (vehicle ``top_stage:`` section)
    "coast_time": FieldKind("time", "s", "min", 0.0, 86400.0, noun="coast time", example="30 min",
                            why_high="a parking-orbit coast of more than a day is outside the top-stage model "
                                     "(the boil-off rate is a short-coast figure)"),
    "rate_per_hour": FieldKind("dimensionless", "", "", 0.0, 1.0, noun="fraction per hour", example="0.5 %"),
}
"""Kind key -> :class:`FieldKind`: the one registry of field kinds (vehicle and scenario)."""

FIELDS: dict[str, FieldKind] = {
    "m_prop": KINDS["mass"],
    "m_dry": KINDS["mass"],
    "mass": KINDS["mass"],
    "thrust_vac": KINDS["thrust"],
    "thrust_sl": KINDS["thrust"],
    "isp_vac": KINDS["isp"],
    "isp_sl": KINDS["isp"],
    "count": KINDS["booster_count"],
    "engine_count": KINDS["engine_count"],
    "engines_per_booster": KINDS["engines_per_booster"],
    "throttle_during_boosters": KINDS["throttle"],
    "min_throttle": KINDS["throttle"],
    "latitude": KINDS["latitude"],
    # top stage as flown (see :mod:`jointmission.vehicles.top_stage`)
    "residuals": KINDS["fraction_open"],
    "flight_performance_reserve": KINDS["fraction_open"],
    "payload_adapter": KINDS["mass_nonneg"],
    "attitude_control_propellant": KINDS["mass_nonneg"],
    "restart_propellant": KINDS["mass_nonneg"],
    "boiloff_per_hour": KINDS["rate_per_hour"],
    "coast_time": KINDS["coast_time"],
}
"""Vehicle field name (the last key of its path) -> :class:`FieldKind` (an entry of :data:`KINDS`)."""

ENGINE_FIELDS = ("thrust_vac", "isp_vac", "thrust_sl", "isp_sl", "mass")
"""Numeric engine fields an engine-level path (``vehicle.engines.<name>.<field>``) may name."""

MISSION_SWEEP_KINDS: dict[tuple, str] = {
    ("margins", "delta_v"): "fraction",
    ("margins", "dry_mass_growth"): "fraction",
    ("margins", "propellant_reserve"): "fraction_open",
    ("required_payload",): "required_payload",
}
"""Sweepable path inside ``mission:`` (keys) -> kind key of :data:`KINDS` (the same kind as the
scalar field of :class:`jointmission.scenario.mission_spec.MissionSpec`)."""

TARGET_SWEEP_KINDS: dict[tuple, tuple[str, str]] = {
    ("c3",): ("c3", "c3"),
    ("dla",): ("declination", "c3"),
    ("parking", "altitude"): ("earth_orbit_altitude", "c3"),
    ("orbit", "altitude"): ("earth_orbit_altitude", "orbit"),
}
"""Sweepable path inside one scenario target (``targets[i].<keys>``) -> (kind key of :data:`KINDS`, the
target kind it applies to): the C3, the departure declination and the parking altitude of a C3 target,
the altitude of a circular orbit target -- the same kinds as the scalar fields of the scenario schema."""

_REL = 1e-9  # sea-level values may equal vacuum ones (a pressure-compensated nozzle) up to rounding


def kind(key: str) -> FieldKind:
    """The :class:`FieldKind` registered under ``key`` in :data:`KINDS`. Raises KeyError."""
    return KINDS[key]


def field_kind(name: str) -> FieldKind:
    """The :class:`FieldKind` of vehicle field ``name``. Raises KeyError for a non-numeric field."""
    return FIELDS[name]


def engine_consistent(isp_vac, isp_sl, thrust_vac, thrust_sl) -> np.ndarray:
    """Cross-field rule of an engine (broadcasts; NaN = not given): ``isp_sl <= isp_vac`` and
    ``thrust_sl <= thrust_vac`` [s, N], each up to 1e-9 relative. Returns a boolean mask."""
    isp_vac, isp_sl, thrust_vac, thrust_sl = (np.asarray(x, dtype=float) for x in (isp_vac, isp_sl, thrust_vac,
                                                                                  thrust_sl))
    with np.errstate(invalid="ignore"):
        return (np.isnan(isp_sl) | (isp_sl <= isp_vac * (1 + _REL))) & \
            (np.isnan(thrust_sl) | (thrust_sl <= thrust_vac * (1 + _REL)))
