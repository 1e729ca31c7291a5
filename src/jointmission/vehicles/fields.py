"""The one registry of vehicle field kinds: unit, physical range and cross-field rules.

Every number a vehicle is made of (in a catalog entry, a scenario file, an override, a sweep axis or
a Monte Carlo draw) is one of the fields of :data:`FIELDS`. Each :class:`FieldKind` says

- how text is converted (the :func:`jointmission.units.to_si` kind; the default unit of a bare
  number in the catalog / Python API (``spec_unit``, SI) and in a scenario file
  (``scenario_unit``, also the display unit of sweep result columns));
- its physical range, checked by the spec validation (:mod:`.spec`), by sweep resolution
  (:mod:`jointmission.scenario.sweep_resolve`) and, for swept values, per case by the array builder
  (:mod:`.arrays`, which flags a case outside the range as invalid input).

Cross-field rules (:func:`engine_consistent`): an engine's sea-level Isp and thrust do not exceed the
vacuum ones (the nozzle loses ``p_a A_e`` at ambient pressure, it never gains).

Ranges and why
--------------
- **Counts** are bounded by what any real vehicle flies, with room to spare: at most
  :data:`MAX_BOOSTERS` = 12 strap-on boosters (Titan/Ariane/Delta/Long March fly 2-4, Soyuz 4,
  Energia 4), :data:`MAX_ENGINES` = 40 engines per stage or per booster (Super Heavy 33, N1 30)
  and :data:`MAX_STAGES` = 6 serial stages (Scout and Minotaur IV fly 4-5). A count beyond these is a
  typing error (``1e9`` boosters), not a design.
- **Isp** in (0, :data:`MAX_ISP_S` = 1000] s: the best chemical engines reach ~465 s (RL10B-2,
  LOX/LH2) and the theoretical tripropellant limit is ~550 s; 1000 s leaves room for nuclear-thermal
  studies (NERVA XE ~840 s design Isp) while refusing an Isp typed in m/s or in the wrong field
  (3000 "s"). Electric propulsion is outside this launch-vehicle model.
- **Masses and thrusts** positive and finite; **fractions** (throttle) in (0, 1]; **latitude** in
  [-90, 90] deg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FieldKind",
    "FIELDS",
    "ENGINE_FIELDS",
    "MAX_BOOSTERS",
    "MAX_ENGINES",
    "MAX_STAGES",
    "MAX_ISP_S",
    "engine_consistent",
    "field_kind",
]

MAX_BOOSTERS = 12
"""Most strap-on boosters of a vehicle (see the module docstring)."""
MAX_ENGINES = 40
"""Most engines of one stage, or of one booster."""
MAX_STAGES = 6
"""Most serial core stages of a vehicle."""
MAX_ISP_S = 1000.0
"""Highest specific impulse [s] accepted (chemical and nuclear-thermal engines)."""


@dataclass(frozen=True)
class FieldKind:
    """What a vehicle field is: unit conversion, physical range, integer or not.

    Attributes
    ----------
    si_kind : str
        :func:`jointmission.units.to_si` kind (``mass``, ``force``, ``isp``, ``angle``, ``dimensionless``).
    spec_unit, scenario_unit : str
        Default unit of a bare number in the catalog / Python API and in a scenario file (the latter
        is also the display unit of sweep result columns).
    lo, hi : float
        Physical range [SI]; ``lo_open`` / ``hi_open`` say whether an end is excluded.
    integer : bool
        A count (whole numbers only).
    noun, example : str
        For messages: ``"boosters count"``, ``"4"``.
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


_MASS = FieldKind("mass", "kg", "t", 0.0, math.inf, lo_open=True, noun="mass", example="12 t")
_THRUST = FieldKind("force", "N", "kN", 0.0, math.inf, lo_open=True, noun="thrust", example="900 kN")
_ISP = FieldKind("isp", "s", "s", 0.0, MAX_ISP_S, lo_open=True, noun="specific impulse", example="311 s")
_FRACTION = FieldKind("dimensionless", "", "", 0.0, 1.0, lo_open=True, noun="fraction", example="0.7")

FIELDS: dict[str, FieldKind] = {
    "m_prop": _MASS,
    "m_dry": _MASS,
    "mass": _MASS,
    "thrust_vac": _THRUST,
    "thrust_sl": _THRUST,
    "isp_vac": _ISP,
    "isp_sl": _ISP,
    "count": FieldKind("dimensionless", "", "", 1, MAX_BOOSTERS, integer=True, noun="booster count", example="4"),
    "engine_count": FieldKind("dimensionless", "", "", 1, MAX_ENGINES, integer=True, noun="engine count",
                              example="9"),
    "engines_per_booster": FieldKind("dimensionless", "", "", 1, MAX_ENGINES, integer=True,
                                     noun="engines per booster", example="2"),
    "throttle_during_boosters": _FRACTION,
    "min_throttle": _FRACTION,
    "latitude": FieldKind("angle", "deg", "deg", -math.pi / 2, math.pi / 2, noun="latitude", example="28.5 deg"),
}
"""Vehicle field name (the last key of its path) -> :class:`FieldKind`."""

ENGINE_FIELDS = ("thrust_vac", "isp_vac", "thrust_sl", "isp_sl", "mass")
"""Numeric engine fields an engine-level path (``vehicle.engines.<name>.<field>``) may name."""

_REL = 1e-9  # sea-level values may equal vacuum ones (a pressure-compensated nozzle) up to rounding


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
