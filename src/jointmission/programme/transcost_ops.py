"""TransCost (Koelle) operations effort per launch: pre-launch ground operations, launch/flight/mission
operations (plus the crewed term), sea recovery, propellants (with boil-off and transfer losses), and
the indirect operations cost per launch of a launch-service organisation.

Coefficients from ``programme/data/transcost.yaml`` (``operations``), each with its source. Results
are efforts in Work-Years [WYr] per launch (money: :mod:`.money`); functions broadcast over arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .datafiles import load

__all__ = ["ground_operations_effort", "mission_operations_effort", "recovery_effort", "indirect_operations_effort",
           "propellant_effort", "propellant_names"]


def _ops(name: str) -> dict[str, Any]:
    return load("transcost")["operations"][name]


def ground_operations_effort(liftoff_mass_kg: ArrayLike, launch_rate: ArrayLike, n_stages: ArrayLike, *,
                             fv: ArrayLike = 1.0, fc: ArrayLike = 1.0, f4: ArrayLike = 1.0, f8: ArrayLike = 1.0,
                             f11: ArrayLike = 1.0) -> np.ndarray:
    """Pre-launch ground operations effort per launch, ``8 M0**0.67 L**-0.9 N**0.7 fv fc f4 f8 f11``.

    TransCost states the relationship for 3 or more launches per year.

    Parameters
    ----------
    liftoff_mass_kg : array_like
        Gross lift-off mass ``M0`` [kg] (TransCost writes it in Mg).
    launch_rate : array_like
        Launches per year ``L`` [1/yr].
    n_stages : array_like
        Stages or major vehicle elements ``N`` [-].
    fv, fc : array_like, optional
        Vehicle type and assembly/integration mode factors [-] (``transcost.yaml`` operations.fv/fc).
    f4 : array_like, optional
        Learning factor of the launch campaign (average over the launches considered) [-].
    f8, f11 : array_like, optional
        Country productivity and commercial factors [-].

    Returns
    -------
    ndarray
        Effort per launch [WYr].
    """
    c = _ops("ground")
    m0 = np.asarray(liftoff_mass_kg, dtype=float) / 1000.0
    return (c["a"] * m0 ** c["x_mass"] * np.asarray(launch_rate, float) ** c["x_rate"]
            * np.asarray(n_stages, float) ** c["x_stages"] * np.asarray(fv, float) * np.asarray(fc, float)
            * np.asarray(f4, float) * np.asarray(f8, float) * np.asarray(f11, float))


def mission_operations_effort(sum_q: ArrayLike, launch_rate: ArrayLike, *, f4: ArrayLike = 1.0,
                              f8: ArrayLike = 1.0, crew: ArrayLike = 0, days_in_orbit: ArrayLike = 0.0,
                              f11: ArrayLike = 1.0) -> np.ndarray:
    """Launch, flight and mission operations effort per launch, ``20 sum(Q_N) L**-0.65 f4 f8``,
    plus ``75 T**0.5 N_a**0.5 L**-0.8 f4 f8 f11`` for a crewed flight.

    Parameters
    ----------
    sum_q : array_like
        Sum of the vehicle complexity factors Q_N of the vehicle's stages [-] (operations.q_n).
    launch_rate : array_like
        Launches per year [1/yr].
    f4, f8 : array_like, optional
        Campaign learning factor and country productivity [-].
    crew : array_like, optional
        Crew members ``N_a`` (0 for an uncrewed flight) [-].
    days_in_orbit : array_like, optional
        Crewed mission duration ``T`` [day].
    f11 : array_like, optional
        Commercial factor of the crewed term [-].

    Returns
    -------
    ndarray
        Effort per launch [WYr].
    """
    c, cc = _ops("mission"), _ops("mission_crewed")
    rate = np.asarray(launch_rate, dtype=float)
    base = c["a"] * np.asarray(sum_q, float) * rate ** c["x_rate"] * np.asarray(f4, float) * np.asarray(f8, float)
    crewed = (cc["a"] * np.asarray(days_in_orbit, float) ** cc["x_days"] * np.asarray(crew, float) ** cc["x_crew"]
              * rate ** cc["x_rate"] * np.asarray(f4, float) * np.asarray(f8, float) * np.asarray(f11, float))
    return base + crewed


def recovery_effort(recovered_mass_kg: ArrayLike, launch_rate: ArrayLike, *, f8: ArrayLike = 1.0,
                    f11: ArrayLike = 1.0) -> np.ndarray:
    """Sea recovery effort per launch for a stage or booster, ``1.5/L (7 L**0.7 + M**0.83) f8 f11``.

    Parameters
    ----------
    recovered_mass_kg : array_like
        Recovered mass ``M`` [kg] (TransCost writes it in Mg); 0 means nothing is recovered.
    launch_rate : array_like
        Launches per year [1/yr].
    f8, f11 : array_like, optional
        Country productivity and commercial factors [-].

    Returns
    -------
    ndarray
        Effort per launch [WYr] (0 where the recovered mass is 0).
    """
    c = _ops("recovery")
    m = np.asarray(recovered_mass_kg, dtype=float) / 1000.0
    rate = np.asarray(launch_rate, dtype=float)
    eff = c["a"] / rate * (c["b"] * rate ** c["x_rate"] + m ** c["x_mass"]) * np.asarray(f8, float) \
        * np.asarray(f11, float)
    return np.where(m > 0, eff, 0.0)


def indirect_operations_effort(launch_rate: ArrayLike, provider: str = "large_agency") -> np.ndarray:
    """Indirect operations cost per launch (administration, technical support, launch site) [WYr].

    Interpolated in TransCost's table over 1-12 launches per year (held at the ends outside it).

    Parameters
    ----------
    launch_rate : array_like
        Launches per year [1/yr].
    provider : str, optional
        ``large_agency``, ``medium`` or ``lean_commercial`` (TransCost's provider types A, B, C).

    Returns
    -------
    ndarray
        Effort per launch [WYr].
    """
    c = _ops("indirect")
    if provider not in ("large_agency", "medium", "lean_commercial"):
        raise ValueError(f"provider must be large_agency, medium or lean_commercial, got {provider!r}")
    return np.interp(np.asarray(launch_rate, dtype=float), c["launch_rate"], c[provider])


def propellant_names() -> list[str]:
    """Propellants with a sourced price (``lox``, ``lh2``, ``kerosene``, ``mmh``, ``n2o4``).

    Returns
    -------
    list of str
        Propellant keys.
    """
    return list(_ops("propellant")["wyr_per_kg"])


def propellant_effort(mass_kg: ArrayLike, propellant: str, *, include_losses: bool = True) -> np.ndarray:
    """Cost of a propellant load in WYr, with TransCost's boil-off and transfer losses.

    Parameters
    ----------
    mass_kg : array_like
        Mass loaded in the vehicle's tanks [kg].
    propellant : str
        A key of :func:`propellant_names` or a usual spelling (``RP-1``, ``O2``, ``hydrogen``...).
    include_losses : bool, optional
        Multiply by mass purchased / mass loaded (1.6 for LOX, 1.85 for LH2) (default True).

    Returns
    -------
    ndarray
        Effort [WYr].
    """
    prices = _ops("propellant")["wyr_per_kg"]
    aliases = {k: v for k, v in _ops("propellant_aliases").items() if k not in ("source", "where")}
    key = aliases.get(str(propellant).strip().lower())
    if key is None:
        raise ValueError(f"no sourced price for propellant {propellant!r}; known: {', '.join(aliases)}")
    loss = float(_ops("propellant_losses")[key]) if include_losses else 1.0
    return np.asarray(mass_kg, dtype=float) * float(prices[key]) * loss
