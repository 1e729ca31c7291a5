"""The programme cost model: TransCost efforts and published prices turned into money per mission.

:class:`CostModel` holds the options a trade study varies (currency and year, the number of
missions over which development is spread and production runs, learning factor, TransCost factors,
the country whose productivity applies) and prices one bill-of-materials item or one launch at a
time, over arrays of cases:

>>> model = CostModel(currency="USD", year=2024, missions=10)
>>> cost = model.item_cost("engine_turbopump_kerosene", 9300.0, units_per_mission=4, country="Russia")
>>> float(cost.total) > 0
True

Costs are in ``model.money`` (``model.money.label`` reads e.g. ``"USD 2024"``). Development is
charged once per programme and spread over ``missions``; production is the average over the whole
series of units (``units_per_mission * missions``, learning curve included); operations are per
launch times launches per mission.

The productivity factor f8 of a country multiplies its Work-Years; every Work-Year is then valued at
the U.S. Work-Year value of ``money.yaml``. The result is therefore the cost of the work priced at
U.S. rates (TransCost's reference), the common yardstick two partners can compare; it is not what a
partner pays in its own currency.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import transcost as tc
from . import transcost_ops as tco
from .datafiles import load
from .learning import average_cost_factor, cumulative_cost_factor
from .money import Money, work_year_value
from .prices import published_price, unit_price

__all__ = ["ItemCost", "CostModel"]


class ItemCost(NamedTuple):
    """Cost of one item or launch per mission [model currency], as arrays over cases."""

    development: np.ndarray
    """Non-recurring cost spread over the programme's missions (development total / missions)."""
    production: np.ndarray
    """Recurring hardware cost per mission (series average, learning included)."""
    operations: np.ndarray
    """Launch and mission operations per mission (0 for a hardware item)."""

    @property
    def total(self) -> np.ndarray:
        """development + production + operations per mission [model currency]."""
        return self.development + self.production + self.operations

    def __add__(self, other: object) -> ItemCost:
        """Element-wise sum of two costs (a tuple would concatenate): ``sum(costs)`` adds items."""
        if not isinstance(other, ItemCost):
            return NotImplemented
        return ItemCost(self.development + other.development, self.production + other.production,
                        self.operations + other.operations)

    def __radd__(self, other: object) -> ItemCost:
        """``0 + cost`` is ``cost``, so the built-in ``sum`` works."""
        if isinstance(other, (int, float)) and other == 0:
            return self
        return NotImplemented


def _default_f9() -> float:
    return float(load("transcost")["factors"]["f9"]["default"])


def _arr(value: ArrayLike) -> np.ndarray:
    return np.asarray(value, dtype=float)


def _whole(value: ArrayLike, name: str, minimum: float) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(v)) or np.any(v < minimum) or np.any(v != np.round(v)):
        raise ValueError(f"{name} must be a whole number >= {minimum:g}, got {value!r}")
    return v


_NUMERIC = re.compile(r"\s*[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*")


def _numeric_text(value: Any) -> Any:
    """Text that is a plain number (YAML 1.1 reads ``1e3`` and a quoted ``'12'`` as text) as that
    number; anything else unchanged (for the option's own check)."""
    if isinstance(value, str) and _NUMERIC.fullmatch(value):
        number = float(value.replace("_", ""))
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return value


@dataclass(frozen=True)
class CostModel:
    """Options of the programme cost model (every field has a TransCost meaning; see docs/cost-model.md).

    Attributes
    ----------
    currency, year : str, int
        Currency and year of every cost returned (US$ only; CPI-U escalation).
    missions : float
        Missions of the programme: development is spread over them and the production series is
        ``units_per_mission * missions`` long.
    learning : float
        Learning factor ``p`` of series production and of the launch campaign (0.9 default).
    country : str
        Country whose productivity factor f8 applies when an item does not name one.
    flight_rate : float
        Launches per year, for the operations relationships (TransCost states them for >= 3).
    f1, f3, f6, f10, f11 : float
        TransCost development standard, team experience, schedule, past-experience and commercial
        factors applied to every item (per-item f1, f2, f3 override in :meth:`item_cost`).
    contractors : int
        Parallel prime contractors (f7 = n**0.2); a joint programme with one prime per partner has 2.
    integration_elements : float
        ``N`` of the integration factors f0 = 1.04**N (development) and 1.025**N (production): the
        programme's stages or major elements. 0 leaves integration out.
    production_elements : float or None
        ``N`` of the production factor only, where it differs (TransCost's Ariane 5 example counts 3
        elements for development and 4 for production); None: ``integration_elements``.
    f9 : float
        Subcontractor factor on production (TransCost's Ariane 5 example: 1.07).
    work_year_rates : mapping of str to float
        Value of one Work-Year of a country in the model's money, where the analyst has one
        (``{"russia": 120e3}``); countries not named are priced at the U.S. Work-Year value.
    """

    currency: str = "USD"
    year: int = 2024
    missions: float = 10.0
    learning: float = 0.9
    country: str = "usa"
    flight_rate: float = 4.0
    f1: float = 1.0
    f3: float = 1.0
    f6: float = 1.0
    f10: float = 1.0
    f11: float = 1.0
    contractors: int = 1
    integration_elements: float = 0.0
    production_elements: float | None = None
    f9: float = field(default_factory=_default_f9)
    work_year_rates: Mapping[str, float] = field(default_factory=dict)

    #: The options a scenario or a sweep axis may set (the fields of the model).
    OPTIONS: ClassVar[tuple[str, ...]] = ("currency", "year", "missions", "learning", "country", "flight_rate", "f1",
                                          "f3", "f6", "f10", "f11", "contractors", "integration_elements",
                                          "production_elements", "f9", "work_year_rates")

    def __post_init__(self) -> None:
        Money(self.currency, self.year)  # validates currency and year
        _whole(self.missions, "missions", 1)
        for name in ("f1", "f3", "f6", "f9", "f10", "f11"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        _whole(self.contractors, "contractors", 1)
        if not (np.isfinite(self.integration_elements) and self.integration_elements >= 0):
            raise ValueError(f"integration_elements must be >= 0, got {self.integration_elements!r}")
        if self.production_elements is not None and not (np.isfinite(self.production_elements)
                                                         and self.production_elements >= 0):
            raise ValueError(f"production_elements must be >= 0, got {self.production_elements!r}")
        tc.country_f8(self.country)
        if not 0.0 < self.learning <= 1.0:
            raise ValueError(f"learning must be in (0, 1], got {self.learning!r}")
        if not self.flight_rate > 0:
            raise ValueError(f"flight_rate must be > 0 launches per year, got {self.flight_rate!r}")
        for name, rate in self.work_year_rates.items():
            tc.country_f8(name)
            if not rate > 0:
                raise ValueError(f"work_year_rates[{name!r}] must be > 0, got {rate!r}")

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> CostModel:
        """A model from a mapping of options (a scenario's ``programme.cost:`` section, sweep axes).

        Parameters
        ----------
        options : mapping
            Keys of :attr:`OPTIONS`; values as plain YAML numbers and strings.

        Returns
        -------
        CostModel
            The validated model.

        Raises
        ------
        ValueError
            Naming the unknown option (with the closest known one) or the option with a bad value.
        """
        unknown = [k for k in options if k not in cls.OPTIONS]
        if unknown:
            close = difflib.get_close_matches(str(unknown[0]), cls.OPTIONS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown cost option {unknown[0]!r}{hint}; options: {', '.join(cls.OPTIONS)}")
        kwargs: dict[str, Any] = {}
        for key, value in options.items():
            if key not in ("currency", "country", "work_year_rates", "production_elements"):
                value = _numeric_text(value)
            if key in ("year", "contractors"):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
                    raise ValueError(f"cost option {key} must be a whole number, got {value!r}")
                kwargs[key] = int(value)
            elif key in ("currency", "country"):
                if not isinstance(value, str):
                    raise ValueError(f"cost option {key} must be text, got {value!r}")
                kwargs[key] = value
            elif key == "production_elements" and value is None:
                kwargs[key] = None
            elif key == "work_year_rates":
                if not isinstance(value, Mapping):
                    raise ValueError(f"cost option work_year_rates must map country -> value, got {value!r}")
                kwargs[key] = {str(k): float(v) for k, v in value.items()}
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ValueError(f"cost option {key} must be a number, got {value!r}")
                kwargs[key] = float(value)
        return cls(**kwargs)

    @property
    def money(self) -> Money:
        """Currency and year of the model's costs."""
        return Money(self.currency, self.year)

    @property
    def work_year(self) -> float:
        """Value of one Work-Year in the model's money [currency units]."""
        return work_year_value(self.money)

    def _work_year_of(self, country: str | None) -> float:
        key = tc.country_key(self.country if country is None else country)
        for name, rate in self.work_year_rates.items():
            if tc.country_key(name) == key:
                return float(rate)
        return self.work_year

    def item_cost(self, category: str, dry_mass_kg: ArrayLike, units_per_mission: ArrayLike = 1, *,
                  country: str | None = None, missions: ArrayLike | None = None, develop: ArrayLike = True,
                  f1: ArrayLike | None = None, f2: ArrayLike = 1.0, f3: ArrayLike | None = None,
                  learning: ArrayLike | None = None, price: str | None = None,
                  dev_scale: ArrayLike = 1.0, prod_scale: ArrayLike = 1.0) -> ItemCost:
        """Cost per mission of one bill-of-materials item (an engine type, a stage, a vehicle...).

        Parameters
        ----------
        category : str
            TransCost category (:func:`jointmission.programme.transcost.category_names`), e.g.
            ``engine_turbopump_kerosene``, ``stage_expendable_lh2``, ``crewed_capsule``.
        dry_mass_kg : array_like
            Reference dry mass of one unit [kg].
        units_per_mission : array_like, optional
            Units flown (consumed) per mission, whole [-] (engines: count per mission).
        country : str, optional
            Country that develops and builds the item (its f8); default the model's country.
        missions : array_like, optional
            Missions over which this item's development is spread and its series runs (default the
            model's ``missions``).
        develop : array_like of bool, optional
            False when the item already exists (no development charged), e.g. an engine in service.
        f1, f2, f3 : array_like, optional
            Development standard, technical quality and team experience of this item [-] (default
            the model's f1 and f3, and f2 = 1).
        learning : array_like, optional
            Learning factor of this item's series (default the model's).
        price : str, optional
            Key of a published price (:func:`jointmission.programme.prices.price_names`): the item
            is bought at that unit price, no development is charged.
        dev_scale, prod_scale : array_like, optional
            Multipliers on the development and production relationships (Monte Carlo draws from
            :func:`jointmission.programme.cost_uncertainty.sample_scale`) [-].

        Returns
        -------
        ItemCost
            ``(development, production, operations)`` per mission [model currency]; operations are 0.
        """
        m = _whole(self.missions if missions is None else missions, "missions", 1)
        u = _whole(units_per_mission, "units_per_mission", 0)
        zero = np.zeros(np.broadcast_shapes(np.shape(dry_mass_kg), u.shape, m.shape))
        if price is not None:
            published_price(price)
            return ItemCost(zero, _arr(zero + unit_price(price, self.money) * u), zero)
        f8 = tc.country_f8(self.country if country is None else country)
        rel = tc.category(category).development
        item = {"f1": self.f1 if f1 is None else f1, "f2": f2, "f3": self.f3 if f3 is None else f3}
        # an item's own factors must apply to its category (an error otherwise); the model-wide ones
        # (f8 of the country, f10, f11) apply where the category takes them
        dev_factors = {k: v for k, v in item.items() if k in rel.factors or np.any(np.asarray(v) != 1.0)}
        dev_factors.update({k: v for k, v in {"f8": f8, "f10": self.f10, "f11": self.f11}.items()
                            if k in rel.factors})
        dev_wyr = tc.development_effort(category, dry_mass_kg, scale=dev_scale, **dev_factors)
        dev_wyr = dev_wyr * tc.f0_development(self.integration_elements) * self.f6 \
            * tc.f7_parallel_contractors(self.contractors)
        dev_wyr = np.where(np.asarray(develop, dtype=bool), dev_wyr, 0.0)
        p = self.learning if learning is None else learning
        tfu = tc.first_unit_effort(category, dry_mass_kg, f8=f8, f10=self.f10, f11=self.f11, scale=prod_scale)
        series = cumulative_cost_factor(u * m, p)
        n_prod = self.integration_elements if self.production_elements is None else self.production_elements
        prod_wyr = tfu * series / m * tc.f0_production(n_prod) * self.f9
        wyr = self._work_year_of(country)
        return ItemCost(_arr(zero + dev_wyr / m * wyr), _arr(zero + prod_wyr * wyr), zero)

    def launch_cost(self, liftoff_mass_kg: ArrayLike, n_stages: ArrayLike, *,
                    propellant_kg: Mapping[str, ArrayLike] | None = None, sum_q: ArrayLike | None = None,
                    fv: ArrayLike = 1.0, fc: ArrayLike = 1.0, recovered_mass_kg: ArrayLike = 0.0,
                    crew: ArrayLike = 0, days_in_orbit: ArrayLike = 0.0, provider: str = "large_agency",
                    country: str | None = None, launches_per_mission: ArrayLike = 1,
                    missions: ArrayLike | None = None, price: str | None = None,
                    fees: ArrayLike = 0.0, ops_scale: ArrayLike = 1.0) -> ItemCost:
        """Operations cost per mission of the launches of one vehicle (TransCost direct and indirect
        operations), or their published price.

        Parameters
        ----------
        liftoff_mass_kg : array_like
            Gross lift-off mass [kg].
        n_stages : array_like
            Stages or major vehicle elements [-].
        propellant_kg : mapping of str to array_like, optional
            Propellant loaded per launch by kind (``lox``, ``lh2``, ``kerosene``, ``mmh``, ``n2o4``) [kg].
        sum_q : array_like, optional
            Sum of the stages' complexity factors Q_N [-] (default 0.4 per stage, TransCost's
            expendable liquid stage).
        fv, fc : array_like, optional
            Vehicle type and assembly mode factors [-].
        recovered_mass_kg : array_like, optional
            Mass recovered at sea per launch [kg] (0: none).
        crew, days_in_orbit : array_like, optional
            Crew members and days in orbit of a crewed flight.
        provider : str, optional
            Indirect operations provider type (``large_agency``, ``medium``, ``lean_commercial``).
        country : str, optional
            Country that operates the launches (f8); default the model's.
        launches_per_mission : array_like, optional
            Launches of this vehicle per mission (e.g. tanker flights) [-].
        missions : array_like, optional
            Missions of the campaign (the learning of operations runs over all its launches).
        price : str, optional
            Key of a published launch price: the launches are bought at that price instead.
        fees : array_like, optional
            Launch site fees and insurance per launch, which TransCost leaves to the site's and
            insurer's schedules [model currency] (default 0; not added to a bought launch).
        ops_scale : array_like, optional
            Multiplier on the direct operations relationships (Monte Carlo) [-].

        Returns
        -------
        ItemCost
            ``(0, 0, operations)`` per mission [model currency].
        """
        m = _whole(self.missions if missions is None else missions, "missions", 1)
        n_launch = _whole(launches_per_mission, "launches_per_mission", 0)
        shape = np.broadcast_shapes(np.shape(liftoff_mass_kg), np.shape(n_stages), n_launch.shape, m.shape)
        zero = np.zeros(shape)
        if price is not None:
            return ItemCost(zero, zero, _arr(zero + unit_price(price, self.money) * n_launch))
        f8 = tc.country_f8(self.country if country is None else country)
        f4 = average_cost_factor(np.maximum(n_launch * m, 1.0), self.learning)
        rate = self.flight_rate
        q = 0.4 * np.asarray(n_stages, dtype=float) if sum_q is None else sum_q
        direct = (tco.ground_operations_effort(liftoff_mass_kg, rate, n_stages, fv=fv, fc=fc, f4=f4, f8=f8,
                                              f11=self.f11)
                  + tco.mission_operations_effort(q, rate, f4=f4, f8=f8, crew=crew, days_in_orbit=days_in_orbit,
                                                 f11=self.f11)
                  + tco.recovery_effort(recovered_mass_kg, rate, f8=f8, f11=self.f11)) * np.asarray(ops_scale, float)
        props = sum((tco.propellant_effort(mass, kind) for kind, mass in (propellant_kg or {}).items()),
                    start=np.zeros(()))
        indirect = tco.indirect_operations_effort(rate, provider)
        per_launch = (direct + props + indirect) * self._work_year_of(country) + np.asarray(fees, dtype=float)
        return ItemCost(zero, zero, _arr(zero + per_launch * n_launch))
