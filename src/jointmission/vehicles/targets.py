"""Where a launch vehicle is asked to go: THE target type and the one parking-orbit default.

One type, two variants (``Target.kind``):

- ``"orbit"``: an Earth orbit with perigee and apogee altitudes [m] (apogee ``None``: circular) and
  an inclination [rad] (``None``: due east from the launch site);
- ``"c3"``: an escape (or high-energy) departure with characteristic energy ``c3_m2_s2``
  [m^2/s^2], burned from a circular parking orbit at ``parking_alt_m`` [m] (default
  :data:`DEFAULT_PARKING_ALT_M`, 185 km) inclined at ``inclination_rad`` [rad] (``None``: due east),
  optionally with the declination of the departure asymptote ``dla_rad`` [rad] (DLA).

DLA and the parking orbit (:func:`parking_inclination`): the outgoing asymptote lies in the parking
orbit's plane, and a plane of inclination ``i`` holds only directions of declination ``|d| <= i``
(prograde; ``180 deg - i`` retrograde). A C3 target with a DLA is therefore flown from a parking
orbit inclined at least ``|DLA|``: due east when the launch latitude already gives that
(``|lat| >= |DLA|``), else at ``i = |DLA|``, which costs Earth-rotation benefit through the launch
azimuth (the ordinary inclination handling of the payload model). An explicit inclination below
``|DLA|`` is refused. Details and limits: ``docs/method-ascent.md`` ("Departure declination").

Scenario targets, ``jointmission payload --orbit/--c3``, mission deliveries (a launch's content to
TLI, TMI or a circular LEO) and sweeps all build :class:`Target` objects; :func:`target_set` turns a
list of them into the arrays the vectorized payload solver takes. ``OrbitTarget(...)`` and
``C3Target(...)`` are constructors of the one type, kept as the names users write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..constants import DEFAULT_PARKING_ALT_M, GM_EARTH, R_EARTH
from ..units import as_si

__all__ = [
    "DEFAULT_PARKING_ALT_M",
    "Target",
    "TargetKind",
    "OrbitTarget",
    "C3Target",
    "TargetSet",
    "target_set",
    "parking_inclination",
]

TargetKind = Literal["orbit", "c3"]

_QUANTITY_FIELDS = (("perigee_alt_m", "length"), ("apogee_alt_m", "length"), ("c3_m2_s2", "c3"),
                    ("parking_alt_m", "length"), ("inclination_rad", "angle"), ("dla_rad", "angle"))
"""The fields of a :class:`Target` that may be given as astropy Quantities, and their kinds."""

_CIRCULAR_EPS = 1e-9
"""A circular orbit as a C3 target: C3 a hair above ``-mu/r`` (the C3 solver needs ``c3 > -mu/r``)."""


@dataclass(frozen=True)
class Target:
    """A payload target: an orbit (``kind="orbit"``) or an escape energy (``kind="c3"``).

    Build it with :meth:`orbit` / :meth:`c3` (or the aliases :func:`OrbitTarget`,
    :func:`C3Target`). Fields may be numpy arrays (one call for many targets of one kind).

    Attributes
    ----------
    kind : ``"orbit"`` or ``"c3"``.
    perigee_alt_m, apogee_alt_m : orbit altitudes [m] (orbit targets; apogee ``None`` = circular).
    c3_m2_s2 : characteristic energy [m^2/s^2] (C3 targets).
    parking_alt_m : circular parking-orbit altitude [m] the escape burn starts from (C3 targets;
        default :data:`DEFAULT_PARKING_ALT_M`).
    inclination_rad : orbit (or parking-orbit) inclination [rad]; ``None`` or NaN: due east.
    dla_rad : declination of the departure asymptote [rad] (C3 targets; ``None``: not constrained).
        The parking orbit flown is inclined at least ``|DLA|`` (see :meth:`for_latitude`). On a
        circular orbit target: the orbit is an assembly orbit a stack later departs from on that
        asymptote, so it too is inclined at least ``|DLA|``.
    name : label for tables (optional).
    """

    kind: TargetKind
    perigee_alt_m: Any = None
    apogee_alt_m: Any = None
    c3_m2_s2: Any = None
    parking_alt_m: Any = DEFAULT_PARKING_ALT_M
    inclination_rad: Any = None
    name: str = ""
    dla_rad: Any = None

    def __post_init__(self) -> None:
        if self.kind not in ("orbit", "c3"):
            raise ValueError(f"Target kind must be 'orbit' or 'c3', got {self.kind!r}")
        for field, kind in _QUANTITY_FIELDS:  # astropy Quantities and "200 km" -> SI once (UnitError naming the field)
            value = getattr(self, field)
            if hasattr(value, "unit") or isinstance(value, (str, bool, np.bool_)):
                object.__setattr__(self, field, as_si(value, kind, field))
        if self.kind == "orbit" and self.perigee_alt_m is None:
            raise ValueError("an orbit target needs perigee_alt_m [m]")
        if self.kind == "c3" and self.c3_m2_s2 is None:
            raise ValueError("a C3 target needs c3_m2_s2 [m^2/s^2]")
        if self.dla_rad is not None and self.kind != "c3" and not self.is_circular:
            raise ValueError("dla_rad (departure declination) applies to a C3 target or a circular assembly orbit only")
        if self.dla_rad is not None and not np.all(np.abs(np.asarray(self.dla_rad, dtype=float)) <= np.pi / 2):
            raise ValueError(f"dla_rad must be in [-pi/2, pi/2] rad (a declination), got {self.dla_rad!r}")

    @classmethod
    def orbit(cls, perigee_alt_m: ArrayLike, apogee_alt_m: ArrayLike | None = None, inclination_rad: ArrayLike | None = None, *,
              name: str = "", dla_rad: float | None = None) -> Target:
        """Orbit target: perigee / apogee altitudes [m] (apogee default circular), inclination [rad];
        ``dla_rad`` [rad] (circular orbits): the declination of the departure asymptote a stack
        assembled there will fly (the orbit is then inclined at least ``|DLA|``)."""
        return cls("orbit", perigee_alt_m=perigee_alt_m, apogee_alt_m=apogee_alt_m,
                   inclination_rad=inclination_rad, name=name, dla_rad=dla_rad)

    @classmethod
    def c3(cls, c3_m2_s2: ArrayLike, parking_alt_m: ArrayLike | None = DEFAULT_PARKING_ALT_M, inclination_rad: ArrayLike | None = None,
           *, name: str = "", dla_rad: float | None = None) -> Target:
        """Escape target: C3 [m^2/s^2] from a circular parking orbit at ``parking_alt_m`` [m],
        optionally with the departure declination ``dla_rad`` [rad]."""
        return cls("c3", c3_m2_s2=c3_m2_s2,
                   parking_alt_m=DEFAULT_PARKING_ALT_M if parking_alt_m is None else parking_alt_m,
                   inclination_rad=inclination_rad, name=name, dla_rad=dla_rad)

    def for_latitude(self, latitude_rad: float) -> Target:
        """This target as flown from launch latitude ``latitude_rad`` [rad]: a C3 target's (or an
        assembly orbit's) DLA becomes its (parking) inclination (:func:`parking_inclination`; the result has ``dla_rad``
        ``None``); any other target is returned unchanged. ``ValueError`` for a stated inclination
        below ``|DLA|``."""
        if self.dla_rad is None:
            return self
        inc = parking_inclination(latitude_rad, self.inclination_rad, self.dla_rad)
        if self.kind == "orbit":
            return Target("orbit", perigee_alt_m=self.perigee_alt_m, apogee_alt_m=self.apogee_alt_m,
                          inclination_rad=inc, name=self.name)
        return Target("c3", c3_m2_s2=self.c3_m2_s2, parking_alt_m=self.parking_alt_m, inclination_rad=inc,
                      name=self.name)

    @property
    def is_circular(self) -> bool:
        """True for a circular orbit target (apogee ``None`` or equal to the perigee)."""
        return self.kind == "orbit" and (self.apogee_alt_m is None
                                         or bool(np.all(np.asarray(self.apogee_alt_m) == self.perigee_alt_m)))

    def c3_form(self) -> tuple[float, float]:
        """``(C3 [m^2/s^2], parking altitude [m])`` that the C3 solver flies for this target: itself
        for a C3 target; for a circular orbit at ``h`` the circle's energy ``-mu/(R+h) (1 - 1e-9)``
        from a parking orbit at ``h`` (the departure burn is then zero). ``ValueError`` for an
        elliptical orbit."""
        if self.kind == "c3":
            return float(self.c3_m2_s2), float(self.parking_alt_m)
        if not self.is_circular:
            raise ValueError("an elliptical orbit target has no C3 form")
        h = float(self.perigee_alt_m)
        return -GM_EARTH / (R_EARTH + h) * (1.0 - _CIRCULAR_EPS), h

    @property
    def key(self) -> tuple:
        """Hashable identity to the mm (and 1e-3 m^2/s^2): equal targets, one payload solve."""
        def r(x):
            return None if x is None else round(float(x), 3)
        return (self.kind, r(self.perigee_alt_m), r(self.apogee_alt_m), r(self.c3_m2_s2),
                r(self.parking_alt_m) if self.kind == "c3" else None, r(self.inclination_rad),
                *((r(self.dla_rad),) if self.dla_rad is not None else ()))

    def label(self) -> str:
        """Short text: ``"LEO 185 km"``, ``"200 x 35,786 km"``, ``"C3 -2.00 km2/s2"``."""
        if self.kind == "c3":
            return f"C3 {float(self.c3_m2_s2) / 1e6:+.2f} km2/s2"
        per = float(self.perigee_alt_m) / 1e3
        if self.is_circular:
            return f"{'LEO ' if per < 2000 else 'circular '}{per:.0f} km"
        return f"{per:,.0f} x {float(self.apogee_alt_m) / 1e3:,.0f} km"


def OrbitTarget(perigee_alt_m: ArrayLike, apogee_alt_m: ArrayLike | None = None,  # noqa: N802
                inclination_rad: ArrayLike | None = None, *, name: str = "") -> Target:
    """Orbit :class:`Target`: perigee / apogee altitudes [m] (apogee default circular), inclination
    [rad] (``None``: due east). Same as :meth:`Target.orbit`."""
    return Target.orbit(perigee_alt_m, apogee_alt_m, inclination_rad, name=name)


def C3Target(c3_m2_s2: ArrayLike, parking_alt_m: ArrayLike | None = DEFAULT_PARKING_ALT_M,  # noqa: N802
             inclination_rad: ArrayLike | None = None, *, name: str = "", dla_rad: float | None = None) -> Target:
    """C3 :class:`Target`: C3 [m^2/s^2] from a circular parking orbit at ``parking_alt_m`` [m]
    (default :data:`DEFAULT_PARKING_ALT_M`), inclination [rad] (``None``: due east), departure
    declination ``dla_rad`` [rad] (``None``: unconstrained). Same as :meth:`Target.c3`."""
    return Target.c3(c3_m2_s2, parking_alt_m, inclination_rad, name=name, dla_rad=dla_rad)


def parking_inclination(latitude_rad: float, inclination_rad: float | None, dla_rad: float | None) -> float | None:
    """Parking-orbit inclination [rad] to fly for a departure declination ``dla_rad`` [rad] from
    launch latitude ``latitude_rad`` [rad]; ``None`` means due east (``i = |lat|``).

    The asymptote lies in the parking plane, and a plane of inclination ``i`` contains directions
    of declination up to ``i`` only (``180 deg - i`` for a retrograde plane): the orbit needs
    ``min(i, 180 deg - i) >= |DLA|``. Rules: no DLA -> ``inclination_rad`` unchanged; a stated
    inclination is kept if it satisfies that, else ``ValueError``; no inclination -> due east
    (``None``) when ``|lat| >= |DLA|``, else ``|DLA|`` (the lowest inclination that holds the
    asymptote: the least loss of Earth-rotation benefit)."""
    if dla_rad is None or (isinstance(dla_rad, float) and math.isnan(dla_rad)):
        return inclination_rad
    need = abs(float(dla_rad))
    if need > math.pi / 2 + 1e-12:
        raise ValueError(f"a departure declination is in [-90, 90] deg, got {math.degrees(float(dla_rad)):g} deg")
    if inclination_rad is not None and not math.isnan(float(inclination_rad)):
        inc = float(inclination_rad)
        if min(inc, math.pi - inc) < need - 1e-12:
            raise ValueError(f"a parking orbit inclined {math.degrees(inc):g} deg cannot hold a departure asymptote "
                             f"of declination {math.degrees(float(dla_rad)):g} deg: the inclination must be at least "
                             f"|DLA| = {math.degrees(need):g} deg (and at most {180 - math.degrees(need):g} deg)")
        return inc
    return None if abs(float(latitude_rad)) >= need else need


@dataclass(frozen=True)
class TargetSet:
    """Scalar targets as arrays (SI), in order, for the vectorized payload solver.

    ``kind`` 0 orbit / 1 C3; ``perigee``, ``apogee`` [m] (NaN for C3 targets); ``c3`` [m^2/s^2] and
    ``parking`` [m] (NaN for orbit targets); ``inclination`` [rad] (NaN: due east)."""

    names: tuple[str, ...]
    kind: np.ndarray
    perigee: np.ndarray
    apogee: np.ndarray
    c3: np.ndarray
    parking: np.ndarray
    inclination: np.ndarray

    @property
    def n(self) -> int:
        """Number of targets."""
        return len(self.names)

    def __add__(self, other: TargetSet) -> TargetSet:
        """Both sets' targets, this one's first."""
        return TargetSet(self.names + other.names,
                         *(np.concatenate([getattr(self, f), getattr(other, f)])
                           for f in ("kind", "perigee", "apogee", "c3", "parking", "inclination")))


def _as_target(t) -> Target:
    return t if isinstance(t, Target) else t.to_target()


def target_set(targets: Sequence[Any], latitude_rad: float | None = None) -> TargetSet:
    """:class:`TargetSet` of scalar :class:`Target` objects (or of objects with a ``to_target()``
    method, such as scenario target entries), in order. A C3 target with a DLA is flown from launch
    latitude ``latitude_rad`` [rad] (:meth:`Target.for_latitude`); without a latitude such a
    target is a ``ValueError``."""
    nan = math.nan
    rows, names = [], []
    for t in map(_as_target, targets):
        if t.dla_rad is not None:
            if latitude_rad is None:
                raise ValueError(f"target {t.name!r} states a DLA: give the launch latitude to resolve its parking "
                                 "inclination")
            t = t.for_latitude(latitude_rad)
        inc = nan if t.inclination_rad is None else float(t.inclination_rad)
        if t.kind == "orbit":
            per = float(t.perigee_alt_m)
            apo = per if t.apogee_alt_m is None else float(t.apogee_alt_m)
            rows.append((0, per, apo, nan, nan, inc))
        else:
            rows.append((1, nan, nan, float(t.c3_m2_s2), float(t.parking_alt_m), inc))
        names.append(t.name)
    a = np.array(rows, dtype=float).reshape(-1, 6)
    return TargetSet(tuple(names), a[:, 0].astype(np.int8), a[:, 1], a[:, 2], a[:, 3], a[:, 4], a[:, 5])
