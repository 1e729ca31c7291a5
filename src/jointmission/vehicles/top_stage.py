"""The top stage as flown: what a launch vehicle's last stage carries besides its structure and
usable propellant, and what it loses in a parking-orbit coast.

A catalog stage lists its *loaded* propellant ``m_prop`` and its empty (burnout) mass ``m_dry``. A
real top stage cannot turn all of that load into payload delta-v:

- **Unusable residuals** (``residuals``, fraction of the loaded propellant): propellant trapped in
  lines, sumps and tank bottoms, and the mixture-ratio bias left at cutoff.
- **Flight-performance reserve** (``flight_performance_reserve``, fraction of the loaded propellant):
  propellant held back so that the stage reaches its target with a stated probability despite
  dispersions in thrust, Isp, masses and winds. This is how launch providers and NASA state it: as a
  propellant reserve of the top stage, sized to a probability of commanded shutdown (General
  Dynamics/Astronautics report AY62-0015A, *Flight Performance Reserve for Atlas/Centaur Missions*,
  1964, "also referred to as propellant reserve ... three-sigma"; Hanson & Pinson, *Calculating
  Launch-Vehicle Flight Performance Reserve*, J. Spacecraft and Rockets 49(2), 2012, NTRS 20110015707:
  "the amount of extra propellant ... necessary to reach orbit with a high probability of success").
- **Payload adapter and separation system** (``payload_adapter``, kg): stays on the stage; published
  curves give the *separated* spacecraft mass.
- **Attitude-control and settling propellant** (``attitude_control_propellant``, kg): carried by the
  stage (hydrazine, cold gas) and not burned by the main engine.

Residuals, reserve, adapter and attitude-control propellant ride to the end of the flight: they are
added to the top stage's burnout mass and the residual and reserve fractions are taken out of its
burnable propellant (:func:`flown_masses`).

For targets that **coast in a parking orbit** before the last burn (escape and transfer-orbit targets),
the stage also loses mass during the coast without making delta-v:

- **Boil-off** (``boiloff_per_hour``, fraction of the loaded propellant per hour) over ``coast_time``;
- **Restart** propellant (``restart_propellant``, kg): engine chill-down, settling burn, start transient.

That coast loss is a mass drop between the two burns of the top stage: with ``m1`` the mass at the
start of the coast and ``d`` the loss, the stage's delta-v is ``c ln(m0/m1) + c ln((m1 - d)/mf)``, i.e.
the uninterrupted burn's delta-v minus ``c ln(m1 / (m1 - d))`` (:func:`coast_penalty`), exact for the
rocket equation.

Assumptions per propellant class
--------------------------------
Where a vehicle's catalog entry gives no value, the default of its top stage's propellant class is
used (:data:`CLASS_DEFAULTS`). The reasoning of each number is in ``docs/method-rocket.md`` ("The top
stage as flown"); in short:

- residuals 1 % of the load for every liquid class (order of the trapped propellant of flown upper
  stages; solid motors 0.5 %, the sliver left in the case);
- flight-performance reserve 1 % of the load for liquids (a three-sigma reserve of a few tens of m/s
  on the 4-6 km/s an upper stage gives is 0.5-1.5 % of its propellant), 0 for solids (no cutoff);
- boil-off per hour during the coast: hydrolox 0.2 %, methalox 0.05 %, kerolox 0.02 % (LOX only),
  storable and solid 0;
- restart propellant, as seconds of the stage's full-thrust mass flow (chill-down bleed, settling and
  the start transient): hydrolox 1.5 s, methalox 1 s, kerolox 0.5 s, storable 0.25 s, solid 0 (no
  restart);
- attitude-control propellant 100 kg for liquids, 50 kg for solids; payload adapter 0 unless given.
- coast time 30 min (a quarter to half an orbit in a 185 km parking orbit, the usual coast to the
  departure point; the actual coast depends on the departure asymptote).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["PropellantClass", "TopStage", "CLASS_DEFAULTS", "TOP_STAGE_FIELDS", "flown_masses", "coast_penalty",
           "coasts", "propellant_class"]

PropellantClass = Literal["hydrolox", "kerolox", "methalox", "storable", "solid"]

TOP_STAGE_FIELDS = ("residuals", "flight_performance_reserve", "payload_adapter", "attitude_control_propellant",
                    "restart_propellant", "boiloff_per_hour", "coast_time")
"""The numeric fields of a top stage (each registered in :data:`jointmission.fields.FIELDS`)."""


@dataclass(frozen=True)
class _ClassDefault:
    residuals: float
    flight_performance_reserve: float
    boiloff_per_hour: float
    restart_s: float
    acs_kg: float


CLASS_DEFAULTS: dict[str, _ClassDefault] = {
    "hydrolox": _ClassDefault(0.01, 0.01, 0.002, 1.5, 100.0),
    "methalox": _ClassDefault(0.01, 0.01, 0.0005, 1.0, 100.0),
    "kerolox": _ClassDefault(0.01, 0.01, 0.0002, 0.5, 100.0),
    "storable": _ClassDefault(0.01, 0.01, 0.0, 0.25, 100.0),
    "solid": _ClassDefault(0.005, 0.0, 0.0, 0.0, 50.0),
}
"""Propellant class -> assumed residual and reserve fractions of the load, boil-off [fraction of the
load per hour], restart propellant [seconds of the top stage's full-thrust mass flow] and
attitude-control propellant [kg]. See the module docstring and ``docs/method-rocket.md``."""

DEFAULT_COAST_S = 1800.0
"""Assumed parking-orbit coast before the departure / transfer burn [s] (30 min)."""

COAST_THRESHOLD_M_S = 50.0
"""A last burn larger than this [m/s] after parking-orbit insertion is flown after a coast (escape and
transfer-orbit targets); smaller trims (a near-circular orbit) are flown in the insertion burn."""


@dataclass(frozen=True)
class TopStage:
    """The top stage as flown, SI (fractions of the loaded propellant, kg, s).

    Attributes
    ----------
    propellants : str
        Propellant class (``hydrolox``, ``kerolox``, ``methalox``, ``storable``, ``solid``).
    residuals, flight_performance_reserve : float
        Unusable and reserved fractions of the loaded propellant [-].
    payload_adapter, attitude_control_propellant, restart_propellant : float
        Masses [kg].
    boiloff_per_hour : float
        Fraction of the loaded propellant boiled off per hour of coast [1/h].
    coast_time : float
        Parking-orbit coast before the last burn [s].
    """

    propellants: str = "kerolox"
    residuals: float = 0.0
    flight_performance_reserve: float = 0.0
    payload_adapter: float = 0.0
    attitude_control_propellant: float = 0.0
    restart_propellant: float = 0.0
    boiloff_per_hour: float = 0.0
    coast_time: float = 0.0

    @classmethod
    def for_class(cls, propellants: str, m_prop_kg: float, mass_flow_kg_s: float = 0.0,
                  **given: float | None) -> "TopStage":
        """The top stage of class ``propellants`` with loaded propellant ``m_prop_kg`` [kg] and
        full-thrust mass flow ``mass_flow_kg_s`` [kg/s]: the values in ``given`` (None = not given)
        and the class defaults for the rest."""
        if propellants not in CLASS_DEFAULTS:
            raise ValueError(f"unknown propellant class {propellants!r}; expected one of {', '.join(CLASS_DEFAULTS)}")
        d = CLASS_DEFAULTS[propellants]
        defaults = dict(
            residuals=d.residuals,
            flight_performance_reserve=d.flight_performance_reserve,
            payload_adapter=0.0,
            attitude_control_propellant=d.acs_kg,
            restart_propellant=d.restart_s * mass_flow_kg_s,
            boiloff_per_hour=d.boiloff_per_hour,
            coast_time=DEFAULT_COAST_S,
        )
        vals = {k: (float(given[k]) if given.get(k) is not None else v) for k, v in defaults.items()}
        if vals["residuals"] + vals["flight_performance_reserve"] >= 1.0:
            raise ValueError("top stage: residuals + flight_performance_reserve must stay below 100 % of the load")
        return cls(propellants=propellants, **vals)

    def coast_loss(self, m_prop_kg: float) -> float:
        """Mass lost in the parking-orbit coast [kg]: boil-off of the load ``m_prop_kg`` [kg] over
        :attr:`coast_time` plus the restart propellant."""
        return self.boiloff_per_hour * m_prop_kg * self.coast_time / 3600.0 + self.restart_propellant


def propellant_class(propellants: str | list[str] | None) -> str:
    """Propellant class of an engine's ``propellants`` text (``"LOX/LH2"`` -> ``hydrolox``,
    ``"LOX/RP-1"`` -> ``kerolox``, ``"LOX/CH4"`` -> ``methalox``, ``"solid ..."`` -> ``solid``, NTO/UDMH
    or hydrazine families -> ``storable``). Raises ValueError when the text names none of them."""
    text = " ".join(propellants) if isinstance(propellants, list) else (propellants or "")
    t = text.casefold()
    for keys, cls in ((("lh2", "hydrogen"), "hydrolox"), (("ch4", "methane", "lng"), "methalox"),
                      (("rp-1", "kerosene", "rg-1", "t-1", "syntin"), "kerolox"), (("solid", "htpb", "pban"), "solid"),
                      (("udmh", "nto", "n2o4", "mmh", "hydrazine", "aerozine", "irfna"), "storable")):
        if any(k in t for k in keys):
            return cls
    raise ValueError(f"cannot tell the propellant class of {text!r}: give top_stage.propellants "
                     f"({', '.join(CLASS_DEFAULTS)})")


def flown_masses(m_prop: ArrayLike, m_dry: ArrayLike, residuals: ArrayLike, reserve: ArrayLike,
                 adapter: ArrayLike, acs: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Burnable propellant and burnout mass [kg] of a top stage loaded with ``m_prop`` [kg] and empty
    mass ``m_dry`` [kg]: residual and reserve fractions [-] move from the propellant to the burnout
    mass, the adapter and attitude-control propellant [kg] add to the burnout mass (broadcasts)."""
    m_prop = np.asarray(m_prop, dtype=float)
    kept = m_prop * (np.asarray(residuals, dtype=float) + np.asarray(reserve, dtype=float))
    return m_prop - kept, np.asarray(m_dry, dtype=float) + kept + np.asarray(adapter, dtype=float) + \
        np.asarray(acs, dtype=float)


def coast_penalty(c_m_s: ArrayLike, m_coast_kg: ArrayLike, loss_kg: ArrayLike) -> NDArray[np.float64]:
    """Delta-v [m/s] a stage of exhaust velocity ``c_m_s`` [m/s] loses when ``loss_kg`` [kg] leave it
    without thrust at mass ``m_coast_kg`` [kg] (start of the coast): ``c ln(m1 / (m1 - d))``. Exact for
    the rocket equation; NaN where the loss is not below the mass."""
    m1 = np.asarray(m_coast_kg, dtype=float)
    d = np.asarray(loss_kg, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(c_m_s, dtype=float) * np.log(m1 / (m1 - d))
    return np.where((d >= 0) & (d < m1), out, np.nan)


def coasts(dv_last_burn_m_s: ArrayLike) -> NDArray[np.bool_]:
    """Whether a target whose last burn after parking-orbit insertion is ``dv_last_burn_m_s`` [m/s]
    is flown with a coast (see :data:`COAST_THRESHOLD_M_S`)."""
    return np.asarray(dv_last_burn_m_s, dtype=float) > COAST_THRESHOLD_M_S


