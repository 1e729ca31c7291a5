"""TransCost (Koelle) cost-estimating relationships, factors and per-launch operations effort.

Every coefficient is read from ``programme/data/transcost.yaml``, where each value names its source.
All results are efforts in Work-Years [WYr] (turn them into money with :mod:`.money`). Functions
broadcast over numpy arrays (cases along any axes).

Development of an element: ``H = a * M**x * f1 * f2 * f3 * f8 (* f10 * f11)`` [WYr], ``M`` the
element's reference dry mass [kg]; a programme multiplies the sum over its elements by
``f0 = 1.04**N`` (systems engineering and integration, ``N`` stages or major elements), ``f6``
(schedule) and ``f7 = n**0.2`` (``n`` parallel prime contractors).

Production: first unit ``F = a * M**x * f8 * f10 * f11`` [WYr]; unit ``i`` costs ``F * i**(ln p/ln 2)``
(:mod:`.learning`); a vehicle multiplies the sum over its elements by ``f0_prod**N * f9``.

Operations per launch are :mod:`.transcost_ops`; the relationships' stated uncertainty for Monte
Carlo draws is :mod:`.cost_uncertainty`.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from .datafiles import load
from .learning import cumulative_cost_factor

__all__ = [
    "Relationship", "Category", "category_names", "category", "development_effort", "first_unit_effort",
    "production_effort", "factor_range", "propellant_class", "engine_category", "stage_category", "f0_development",
    "f0_production", "f2_turbopump_engine", "f7_parallel_contractors", "country_f8", "country_key", "country_names",
    "Part",
]

Part = Literal["development", "production"]
_DEV_FACTORS = ("f1", "f2", "f3", "f8", "f10", "f11")


@dataclass(frozen=True)
class Relationship:
    """One cost-estimating relationship ``a * M**x`` [WYr] with ``M`` in kg, and its sourced range."""

    a: float
    x: float
    a_range: tuple[float, float] | None
    x_range: tuple[float, float] | None
    factors: tuple[str, ...]
    where: str

    def effort(self, mass_kg: ArrayLike) -> np.ndarray:
        """``a * M**x`` [WYr] for reference dry mass ``mass_kg`` [kg] (no factors applied)."""
        m = np.asarray(mass_kg, dtype=float)
        if np.any(m < 0) or np.any(np.isnan(m)):
            raise ValueError(f"mass_kg must be >= 0, got {mass_kg!r}")
        return self.a * m ** self.x


@dataclass(frozen=True)
class Category:
    """A TransCost element category (engine, stage, vehicle...) with its two relationships."""

    name: str
    description: str
    development: Relationship
    production: Relationship


def _relationship(raw: dict[str, Any], default_factors: tuple[str, ...]) -> Relationship:
    ar = raw.get("a_range")
    xr = raw.get("x_range")
    return Relationship(a=float(raw["a"]), x=float(raw["x"]),
                        a_range=(float(ar[0]), float(ar[1])) if ar else None,
                        x_range=(float(xr[0]), float(xr[1])) if xr else None,
                        factors=tuple(raw.get("factors", default_factors)), where=str(raw["where"]).strip())


@functools.cache
def _categories() -> dict[str, Category]:
    out = {}
    for name, raw in load("transcost")["cers"].items():
        out[name] = Category(name=name, description=str(raw["description"]).strip(),
                             development=_relationship(raw["development"], ("f1", "f2", "f3", "f8")),
                             production=_relationship(raw["production"], ("f8", "f10", "f11")))
    return out


def category_names() -> list[str]:
    """Names of the TransCost categories in ``transcost.yaml`` (e.g. ``engine_turbopump_lh2``).

    Returns
    -------
    list of str
        Category names.
    """
    return list(_categories())


def category(name: str) -> Category:
    """The category ``name`` with its development and production relationships.

    Parameters
    ----------
    name : str
        A name from :func:`category_names`.

    Returns
    -------
    Category
        The relationships and their sources.
    """
    cats = _categories()
    if name not in cats:
        close = difflib.get_close_matches(str(name), list(cats), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown cost category {name!r}{hint}; known: {', '.join(cats)}")
    return cats[name]


def _factor_product(rel: Relationship, where: str, **factors: ArrayLike) -> np.ndarray:
    out = np.asarray(1.0)
    for key, value in factors.items():
        v = np.asarray(value, dtype=float)
        if key in rel.factors:
            out = out * v
        elif np.any(v != 1.0):
            raise ValueError(f"{where}: factor {key} does not apply to this category "
                             f"(its factors: {', '.join(rel.factors)})")
    return out


def development_effort(category_name: str, mass_kg: ArrayLike, *, f1: ArrayLike = 1.0, f2: ArrayLike = 1.0,
                       f3: ArrayLike = 1.0, f8: ArrayLike = 1.0, f10: ArrayLike = 1.0, f11: ArrayLike = 1.0,
                       scale: ArrayLike = 1.0) -> np.ndarray:
    """Development effort of one element, ``a * M**x`` times the factors its category takes.

    Parameters
    ----------
    category_name : str
        TransCost category (:func:`category_names`).
    mass_kg : array_like
        Reference dry mass of the element [kg].
    f1, f2, f3, f8, f10, f11 : array_like, optional
        TransCost factors [-] (development standard, technical quality, team experience, country
        productivity, past experience, commercial development); a factor the category does not take
        must stay 1.
    scale : array_like, optional
        Multiplier on the relationship (e.g. a Monte Carlo draw from :func:`sample_scale`) [-].

    Returns
    -------
    ndarray
        Development effort [WYr], without the programme factors f0, f6, f7.
    """
    rel = category(category_name).development
    k = _factor_product(rel, f"development of {category_name}", f1=f1, f2=f2, f3=f3, f8=f8, f10=f10, f11=f11)
    return rel.effort(mass_kg) * k * np.asarray(scale, dtype=float)


def first_unit_effort(category_name: str, mass_kg: ArrayLike, *, f8: ArrayLike = 1.0, f10: ArrayLike = 1.0,
                      f11: ArrayLike = 1.0, scale: ArrayLike = 1.0) -> np.ndarray:
    """Theoretical first unit production effort ``a * M**x * f8 * f10 * f11``.

    Parameters
    ----------
    category_name : str
        TransCost category.
    mass_kg : array_like
        Reference dry mass of one unit [kg].
    f8, f10, f11 : array_like, optional
        Country productivity, past experience and commercial development factors [-].
    scale : array_like, optional
        Multiplier on the relationship (Monte Carlo draw) [-].

    Returns
    -------
    ndarray
        First unit effort [WYr].
    """
    rel = category(category_name).production
    return rel.effort(mass_kg) * np.asarray(f8, float) * np.asarray(f10, float) * np.asarray(f11, float) \
        * np.asarray(scale, dtype=float)


def production_effort(category_name: str, mass_kg: ArrayLike, n_units: ArrayLike, *, learning: ArrayLike = 0.9,
                      first_unit: ArrayLike = 1, f8: ArrayLike = 1.0, f10: ArrayLike = 1.0, f11: ArrayLike = 1.0,
                      scale: ArrayLike = 1.0) -> np.ndarray:
    """Cumulative production effort of a batch of ``n_units`` units (not the average, not one unit).

    Units ``first_unit .. first_unit + n_units - 1`` of the series, each ``F * i**(ln p / ln 2)``.

    Parameters
    ----------
    category_name : str
        TransCost category.
    mass_kg : array_like
        Reference dry mass of one unit [kg].
    n_units : array_like
        Units in the batch, whole, ``>= 0`` [-].
    learning : array_like, optional
        Learning factor ``p`` in (0, 1] [-] (default 0.9).
    first_unit : array_like, optional
        Series number of the batch's first unit [-] (default 1).
    f8, f10, f11, scale : array_like, optional
        As for :func:`first_unit_effort`.

    Returns
    -------
    ndarray
        Effort of the whole batch [WYr].
    """
    tfu = first_unit_effort(category_name, mass_kg, f8=f8, f10=f10, f11=f11, scale=scale)
    return tfu * cumulative_cost_factor(n_units, learning, first_unit=first_unit)


def _factor(name: str) -> dict[str, Any]:
    return load("transcost")["factors"][name]


def factor_range(name: str) -> tuple[float, float]:
    """TransCost's stated range of a factor (for sweeps and Monte Carlo), e.g. ``f1`` -> (0.4, 1.4).

    Parameters
    ----------
    name : str
        ``f0_production``, ``f1``, ``f3``, ``f6``, ``f9``, ``f10``, ``f11`` or ``learning``.

    Returns
    -------
    tuple of float
        ``(low, high)`` [-].
    """
    factors = load("transcost")["factors"]
    if name not in factors or "range" not in factors[name]:
        with_range = [k for k, v in factors.items() if "range" in v]
        raise ValueError(f"no stated range for factor {name!r}; factors with one: {', '.join(with_range)}")
    low, high = factors[name]["range"]
    return float(low), float(high)


def propellant_class(propellants: str) -> str:
    """Propellant class (``hydrolox``, ``kerolox``, ``methalox``, ``storable``, ``solid``) of a
    catalog propellant string such as ``LOX/RP-1`` or ``solid (HTPB)``.

    Parameters
    ----------
    propellants : str
        Propellant combination or class.

    Returns
    -------
    str
        The class.
    """
    aliases = load("transcost")["propellant_classes"]["aliases"]
    key = str(propellants).strip().lower()
    if key not in aliases:
        raise ValueError(f"no cost category for propellants {propellants!r}; known: {', '.join(aliases)}")
    return str(aliases[key])


def engine_category(propellants: str, cycle: str | None = None) -> str:
    """The category that prices an engine: turbopump engine of its propellant class, pressure-fed
    engine when ``cycle`` says so, solid motor for a solid.

    Parameters
    ----------
    propellants : str
        Catalog propellants (``LOX/LH2``, ``LOX/RP-1``...) or class.
    cycle : str, optional
        Catalog cycle; ``pressure-fed`` selects the pressure-fed relationship.

    Returns
    -------
    str
        Category name.
    """
    cls = propellant_class(propellants)
    if cycle is not None and "pressure" in cycle.lower() and cls != "solid":
        return "engine_pressure_fed"
    return str(load("transcost")["propellant_classes"]["engine"][cls])


def stage_category(propellants: str, *, reusable: bool = False, booster: bool = False) -> str:
    """The category that prices a stage's structure and systems (engines priced separately).

    Parameters
    ----------
    propellants : str
        Catalog propellants or class.
    reusable : bool, optional
        A recovered and reflown stage.
    booster : bool, optional
        A strap-on booster (a solid one uses the large solid booster relationship).

    Returns
    -------
    str
        Category name.
    """
    cls = propellant_class(propellants)
    table = load("transcost")["propellant_classes"]
    if cls == "solid":
        if reusable:
            raise ValueError("TransCost has no relationship for a reusable solid stage")
        return "solid_booster" if booster else "solid_stage"
    return str(table["reusable_stage" if reusable else "stage"][cls])


def f0_development(n_elements: ArrayLike) -> np.ndarray:
    """Systems engineering and integration factor of development, ``1.04**N``.

    Parameters
    ----------
    n_elements : array_like
        Number of stages or major system elements ``N`` [-].

    Returns
    -------
    ndarray
        ``f0`` [-].
    """
    return float(_factor("f0_development")["base"]) ** np.asarray(n_elements, dtype=float)


def f0_production(n_elements: ArrayLike, base: ArrayLike | None = None) -> np.ndarray:
    """System management, integration and checkout factor of production, ``f0**N`` (f0 = 1.025).

    Parameters
    ----------
    n_elements : array_like
        Number of stages or major elements ``N`` [-].
    base : array_like, optional
        Per-element factor [-] (default the data file's 1.025; TransCost range 1.02-1.03).

    Returns
    -------
    ndarray
        ``f0**N`` [-].
    """
    b = float(_factor("f0_production")["base"]) if base is None else np.asarray(base, dtype=float)
    return np.asarray(b, dtype=float) ** np.asarray(n_elements, dtype=float)


def f2_turbopump_engine(qualification_firings: ArrayLike) -> np.ndarray:
    """Technical quality factor of a turbopump engine from its qualification firings, ``0.026 (ln N_Q)^2``.

    Parameters
    ----------
    qualification_firings : array_like
        Number of qualification test firings ``N_Q`` (``> 1``) [-].

    Returns
    -------
    ndarray
        ``f2`` [-].
    """
    n = np.asarray(qualification_firings, dtype=float)
    if np.any(n <= 1):
        raise ValueError(f"qualification_firings must be > 1, got {qualification_firings!r}")
    return float(_factor("f2_turbopump_engine")["coefficient"]) * np.log(n) ** 2


def f7_parallel_contractors(n_contractors: ArrayLike) -> np.ndarray:
    """Cost growth for ``n`` parallel (co-prime) contractors, ``n**0.2``.

    Parameters
    ----------
    n_contractors : array_like
        Number of parallel prime contractors (``>= 1``) [-].

    Returns
    -------
    ndarray
        ``f7`` [-] (1 for a single prime contractor).
    """
    n = np.asarray(n_contractors, dtype=float)
    if np.any(n < 1):
        raise ValueError(f"n_contractors must be >= 1, got {n_contractors!r}")
    return n ** float(_factor("f7")["exponent"])


@functools.cache
def _f8_aliases() -> dict[str, str]:
    out = {}
    for key, raw in load("transcost")["f8"].items():
        for alias in [key, *raw.get("aliases", [])]:
            out[str(alias).strip().lower()] = key
    return out


def country_names() -> list[str]:
    """Countries (regions) with a sourced TransCost productivity factor f8.

    Returns
    -------
    list of str
        Keys of the ``f8`` table (``usa``, ``europe``, ``russia``, ``china``...).
    """
    return list(load("transcost")["f8"])


def country_key(country: str) -> str:
    """The ``f8`` table key of a country or region name (``"USSR / Russia"`` -> ``"russia"``).

    Parameters
    ----------
    country : str
        Country or region as written in the catalog or a scenario.

    Returns
    -------
    str
        Key of the ``f8`` table.
    """
    key = _f8_aliases().get(str(country).strip().lower())
    if key is None:
        raise ValueError(f"no TransCost productivity factor f8 for country {country!r}; "
                         f"known: {', '.join(country_names())} (name the partner that does the work)")
    return key


def country_f8(country: str) -> float:
    """TransCost productivity correction f8 for work done in ``country`` (USA = 1).

    Parameters
    ----------
    country : str
        A country or region; the catalog's spellings are accepted (``Russia``, ``USSR / Russia``,
        ``China``, ``USA``, ``Europe (France)``...). A joint entry such as ``China / Russia`` is
        ambiguous and refused: name the partner that does the work.

    Returns
    -------
    float
        f8 [-].
    """
    return float(load("transcost")["f8"][country_key(country)]["value"])
