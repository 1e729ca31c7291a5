"""The whole pricing chain on catalog vehicles against published, independent programme costs.

Each vehicle is priced through the ledger's own path: the bill of materials of one flight
(:func:`jointmission.programme.bom.launcher_bom`) priced row by row by
:func:`jointmission.programme.costing.cost_rows`, i.e. what :func:`~jointmission.programme.costing.flight_cost`
returns (asserted below), with the programme's :class:`~jointmission.programme.cost_model.CostModel`
built by ``Programme.cost_model()`` from the options a scenario's ``programme.cost:`` section gives.

Tolerance: TransCost's stated accuracy as this package carries it, the 95 % interval of each
relationship's coefficient ``a`` (Vernacchia & Mathesius, IAC-18-D2.4.3 uncertainty appendix;
``cost_uncertainty.scale_range``; the median interval for relationships without one, and for operations).
All relationships are set to the low end, then to the high end, of their intervals together: the
model's envelope. Where the published figure is in then-year dollars of a spending period, the
envelope's low end is evaluated in the period's first year and its high end in its last (CPI-U).
A published figure must fall inside the envelope. Misses are strict xfails with their numbers
(docs/validation.md, "Cost chain"); no coefficient is tuned to them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from jointmission.programme import transcost as tc
from jointmission.programme import cost_uncertainty as cu
from jointmission.programme.bom import launcher_bom
from jointmission.programme.costing import cost_rows, flight_cost
from jointmission.programme.partners import CostOptions, Partner, Programme, ProviderOverrides
from jointmission.vehicles.catalog import get_vehicle

M = 1e6


def _scales(side: int) -> dict[tuple[str, str], float]:
    """Every relationship at the low (side 0) or high (side 1) end of its 95 % interval."""
    out = {}
    for cat in tc.category_names():
        for part in ("development", "production"):
            out[(cat, part)] = cu.scale_range(cat, part)[side]
    out[("operations", "operations")] = cu.scale_range("propulsion_module", "production")[side]  # median interval
    return out


def _priced(vehicle: str, options: dict, *, existing: Sequence[str] = (), side: int | None = None,
            partners: tuple[Partner, ...] = (Partner("USA", "USA", 1.0),),
            providers: ProviderOverrides = ProviderOverrides()) -> dict[str, float]:
    """One flight of a catalog vehicle through the ledger's path: development total [USD of
    options['year']], and per flight the production and operations; plus each engine row's
    production per unit. ``side`` None: nominal; 0/1: the envelope's low/high end."""
    prog = Programme(partners, providers, cost=CostOptions(dict(options), tuple(existing)))
    model = prog.cost_model()
    v = get_vehicle(vehicle)
    rows = launcher_bom(prog, v)
    n_stages = len(v.stages) + (1 if v.boosters is not None else 0)
    costs = cost_rows(prog, rows, model, existing=existing, stages_per_launch={"flight": n_stages},
                      scales=None if side is None else _scales(side))
    dev, prod, ops = (float(sum((c[k] for c in costs), np.zeros(()))) for k in range(3))
    if side is None:  # the same path as flight_cost, the ledger's launcher cost
        ref = flight_cost(prog, v, model, existing=existing)
        assert (dev, prod, ops) == pytest.approx(tuple(float(x) for x in ref), rel=1e-12)
    out = {"development_total": dev * model.missions, "production": prod, "operations": ops}
    for r, c in zip(rows, costs):
        if r.kind == "engine":
            out[f"unit:{r.name}"] = out.get(f"unit:{r.name}", 0.0) + float(c.production) / r.count
    return out


def _envelope(vehicle: str, options: dict, years: tuple[int, int], key, **kw) -> tuple[float, float, float]:
    """(low, nominal, high) of ``key(priced)``: low at years[0], nominal at the middle year, high at years[1]."""
    mid = (years[0] + years[1]) // 2
    lo = key(_priced(vehicle, {**options, "year": years[0]}, side=0, **kw))
    nom = key(_priced(vehicle, {**options, "year": mid}, **kw))
    hi = key(_priced(vehicle, {**options, "year": years[1]}, side=1, **kw))
    return lo, nom, hi


# --- Saturn V ------------------------------------------------------------------------------------
# NASA, Jan 1969 run-out estimate of the Apollo programme, as reported to Congress and quoted in
# Wikipedia "Apollo program", section "Program cost" (copy: https://www.liquisearch.com/apollo_program/program_cost):
# "Saturn V launch vehicles: $6,871.1 million" and "Launch vehicle engine development: $854.2 million"
# (then-year dollars; 15 Saturn V were procured). The comparable figure is the Saturn V line (development
# and production of the vehicle) up to that line plus all engine development (F-1 and J-2 are most, not all,
# of it): 6,871-7,725 M$, spent 1962-1973 (the bulk 1964-1970: the envelope's years).
SATURN_V_PROGRAMME_MUSD = (6871.1, 6871.1 + 854.2)
# R. E. Bilstein, Stages to Saturn, NASA SP-4206 (1980), Appendix A "Average R&D costs for one Saturn I, IB
# and V launch vehicle" (copy of the NASA History Series text:
# https://american-spacecraft.org/documents/sp-4206/appendix-a.html): "Saturn V Total Production Costs-$113.1M"
# per vehicle: S-IC 21.3, S-II 26.2, S-IVB 17.3, IU 13.7, GSE 11.5, engines 23.1 (M$, then-year), production
# of the flight hardware with modifications and spares, excluding development, launch and propellants.
# Comparable: 113.1 less the ground support equipment = 101.6 M$ (the IU flies in the catalog's S-IVB dry mass).
SATURN_V_UNIT_MUSD = 113.1 - 11.5
SATURN_V_OPTIONS = {"missions": 15}  # 15 vehicles built; development spread over them


def test_saturn_v_programme_cost_within_the_stated_accuracy():
    lo, nom, hi = _envelope("Saturn V", SATURN_V_OPTIONS, (1964, 1970),
                            lambda p: (p["development_total"] + 15 * p["production"]) / M)
    pub_lo, pub_hi = SATURN_V_PROGRAMME_MUSD
    assert lo <= pub_hi and pub_lo <= hi, (lo, nom, hi)
    # point estimate (1967 dollars) vs the middle of the published range: +28 % (model 9,346 M$)
    assert nom / (0.5 * (pub_lo + pub_hi)) - 1.0 == pytest.approx(0.28, abs=0.03)


@pytest.mark.xfail(strict=True, reason="Saturn V production per vehicle: model 168 M$ (1967), envelope "
                   "124-308 M$ (1964-1970) vs NASA SP-4206 101.6 M$: the CPI-escalated Work-Year is too dear in 1967")
def test_saturn_v_production_per_vehicle_within_the_stated_accuracy():
    lo, nom, hi = _envelope("Saturn V", SATURN_V_OPTIONS, (1964, 1970), lambda p: p["production"] / M)
    assert nom / SATURN_V_UNIT_MUSD - 1.0 == pytest.approx(0.65, abs=0.05)  # the miss, recorded
    assert lo <= SATURN_V_UNIT_MUSD <= hi


# The Work-Year of 1967 that TransCost's own S-II data imply: the batch of five S-II stages of 1967 took
# 4,437 WYr (TransCost reference data, tests/programme/test_cost_historical.py) and NASA paid 26.2 M$ per
# S-II (SP-4206, above): 29.5 k$ per WYr, where the 2018 value carried back with the CPI-U gives 48.9 k$.
S2_WORK_YEAR_1967_USD = 26.2e6 / (4437 / 5)


def test_saturn_v_with_the_work_year_its_s2_data_imply():
    """Given as the U.S. Work-Year of 1967 (``work_year_rates``, what a user with a yearly Work-Year
    figure does), the S-II-implied value puts the production of the whole vehicle (S-IC, S-IVB, IU and
    engines too, three quarters of the 101.6 M$) on NASA's figure; development + 15 vehicles then falls
    below the published range, inside the envelope: one Work-Year value for 1967 does not fix both.
    Tolerance: the envelope (module docstring), all at 1967; the point values are recorded."""
    opts = {**SATURN_V_OPTIONS, "year": 1967, "work_year_rates": {"USA": S2_WORK_YEAR_1967_USD}}
    lo, nom, hi = (_priced("Saturn V", opts, side=side) for side in (0, None, 1))
    assert lo["production"] / M <= SATURN_V_UNIT_MUSD <= hi["production"] / M
    assert nom["production"] / M / SATURN_V_UNIT_MUSD - 1.0 == pytest.approx(-0.003, abs=0.02)  # 101.3 M$

    def total(p: dict[str, float]) -> float:
        return (p["development_total"] + 15 * p["production"]) / M

    pub_lo, pub_hi = SATURN_V_PROGRAMME_MUSD
    assert total(lo) <= pub_hi and pub_lo <= total(hi)
    assert total(nom) / (0.5 * (pub_lo + pub_hi)) - 1.0 == pytest.approx(-0.23, abs=0.03)  # 5,647 M$


# --- SLS -----------------------------------------------------------------------------------------
# SLS development through Artemis I: NASA's agency baseline commitment, $11.8 billion (2.7 formulation +
# 9.1 development and implementation), spent FY2012-FY2022, as reported by the GAO's 2023 audit of the SLS programme (summary:
# https://citylife.capetown/haw/technology/nasas-mighty-sls-megarocket-for-artemis-moonshots-unaffordable-for-sustained-exploration-audit-finds/373868/)
# and The Planetary Society, "Cost of the Space Launch System and Orion" (https://www.planetary.org/space-policy/cost-of-sls-and-orion).
# It covers only the first launch's work. Comparable: the development of what was new for SLS Block 1, the
# core stage airframe. The RS-25D flew as Shuttle engines, the ICPS is the Delta IV upper stage with its
# RL10B-2, and the five-segment booster was developed as the Ares I first stage before 2011 (outside the
# 11.8 B accounting): all listed as existing.
SLS_DEVELOPMENT_MUSD = 11.8e3
SLS_EXISTING = ("RS-25D (SSME) at 109 % RPL", "RL10B-2", "ICPS",
                "SLS five-segment solid rocket booster (pseudo-engine, burn-averaged)", "boosters")


def test_sls_block1_development_within_the_stated_accuracy():
    lo, nom, hi = _envelope("SLS Block 1", {"missions": 4}, (2012, 2022),
                            lambda p: p["development_total"] / M, existing=SLS_EXISTING)
    assert lo <= SLS_DEVELOPMENT_MUSD <= hi, (lo, nom, hi)
    assert nom / SLS_DEVELOPMENT_MUSD - 1.0 == pytest.approx(0.63, abs=0.04)  # model 19.3 B$ (2017): +63 %


# SLS production: NASA OIG, audit of the move of SLS production to a fixed-price contract, as reported by the
# Orlando Sentinel (https://www.rawstory.com/audit-calls-nasas-goal-to-reduce-artemis-rocket-costs-highly-unrealistic-threat-to-deep-space-exploration):
# "the costs to produce one SLS rocket through its proposed fixed-cost contract will still top $2.5 billion"
# (a floor; the contract is for the Block 1B vehicles of Artemis IV onwards; recent dollars, taken as 2024:
# a year either way moves the model 3 %, not the verdict). Comparable: the
# model's production per vehicle (hardware, engines included, learning over 10 vehicles), no development.
SLS_PRODUCTION_FLOOR_MUSD = 2.5e3


@pytest.mark.xfail(strict=True, reason="SLS Block 1B production per vehicle: model 1.36 B$ (2024), envelope "
                   "high 1.79 B$ vs NASA OIG > 2.5 B$ per rocket: TransCost's production relationships miss SLS")
def test_sls_block1b_production_within_the_stated_accuracy():
    hi = _priced("SLS Block 1B", {"missions": 10, "year": 2024}, side=1)["production"] / M
    nom = _priced("SLS Block 1B", {"missions": 10, "year": 2024})["production"] / M
    assert nom / SLS_PRODUCTION_FLOOR_MUSD - 1.0 == pytest.approx(-0.46, abs=0.03)  # the miss, recorded
    assert hi >= SLS_PRODUCTION_FLOOR_MUSD


# --- Falcon 9 ------------------------------------------------------------------------------------
# NASA Associate Deputy Administrator for Policy, "Falcon 9 Launch Vehicle NAFCOM Cost Estimates" (Aug 2011)
# and NASA, Commercial Market Assessment for Crew and Cargo Systems, Appendix B (2011)
# (http://www.parabolicarc.com/2011/05/31/nasa-analysis-falcon-9-cheaper-traditional-approach/; the 2011 report:
# https://docplayer.net/amp/13120413-Falcon-9-launch-vehicle-nafcom-cost-estimates-august-2011-nasa-associate-deputy-administrator-for-policy.html):
# "SpaceX has publicly indicated that the development cost for Falcon 9 launch vehicle was approximately
# $300 million ... approximately $90 million was spent developing the Falcon 1 ... total of $390 million.
# NASA has verified these costs." (FY2010 dollars; spent 2005-2010). Comparable: the model's development of
# the vehicle and its two engines, commercial development (f11 = 0.5): 300-390 M$.
FALCON_9_DEVELOPMENT_MUSD = (300.0, 390.0)


@pytest.mark.xfail(strict=True, reason="Falcon 9 development: model 8.1 B$ (2007, f11 0.5), envelope "
                   "4.5-15 B$ vs 0.30-0.39 B$ (NASA-verified SpaceX figure): TransCost's data are government programmes")
def test_falcon_9_development_within_the_stated_accuracy():
    lo, nom, hi = _envelope("Falcon 9", {"missions": 10, "f11": 0.5}, (2005, 2010),
                            lambda p: p["development_total"] / M)
    assert nom / FALCON_9_DEVELOPMENT_MUSD[1] - 1.0 == pytest.approx(19.9, abs=1.0)  # the miss, recorded
    assert lo <= FALCON_9_DEVELOPMENT_MUSD[1]


# --- RD-180 ----------------------------------------------------------------------------------------
# The 1997 contract for 101 RD-180 engines "was estimated at about $1 billion" (a report of an Energomash
# delivery, http://news.whatreallyhappened.com/content/russia-delivers-3-more-rd-180-space-rocket-engines-us;
# "almost $1 bln", Russia Business Today, https://russiabusinesstoday.com/manufacturing/u-s-to-continue-reliance-on-russian-engines-for-space-travel/):
# about 9.9 M$ per engine (1997 dollars). A price holds the seller's margin, so the production cost is at most
# that. Comparable: the model's production per RD-180 over a series of 101, built in Russia (f8 2.11), the
# Work-Year valued at the U.S. rate (the model's US-equivalent view).
RD180_UNIT_MUSD = 1000.0 / 101
RU_ENGINES = dict(partners=(Partner("USA", "USA", 0.5), Partner("Russia", "Russia", 0.5)),
                  providers=ProviderOverrides(engines={"RD-180": "Russia"}))


@pytest.mark.xfail(strict=True, reason="RD-180 unit production, US-equivalent: model 58.5 M$ (1997), envelope "
                   "low 44 M$ vs 9.9 M$ paid (1997 contract): Russian work valued at U.S. rates x f8 2.11")
def test_rd180_unit_cost_us_equivalent_within_the_stated_accuracy():
    lo = _priced("Atlas V 401", {"missions": 101, "year": 1997}, side=0, **RU_ENGINES)["unit:RD-180"] / M
    nom = _priced("Atlas V 401", {"missions": 101, "year": 1997}, **RU_ENGINES)["unit:RD-180"] / M
    assert nom / RD180_UNIT_MUSD - 1.0 == pytest.approx(4.9, abs=0.3)  # the miss, recorded
    assert lo <= RD180_UNIT_MUSD


def test_national_view_prices_russian_work_at_its_own_rate():
    """``work_year_rates`` (the national view) rescales exactly the Russian rows; the RD-180 price then
    bounds the Russian Work-Year: if Energomash sold at cost or above, r = price / US-equivalent cost."""
    us = _priced("Atlas V 401", {"missions": 101, "year": 1997}, **RU_ENGINES)
    wyr_us = Programme(RU_ENGINES["partners"], cost=CostOptions({"year": 1997})).cost_model().work_year
    r = RD180_UNIT_MUSD * M / us["unit:RD-180"]
    national = _priced("Atlas V 401", {"missions": 101, "year": 1997, "work_year_rates": {"russia": r * wyr_us}},
                       **RU_ENGINES)
    assert national["unit:RD-180"] == pytest.approx(RD180_UNIT_MUSD * M, rel=1e-12)
    assert national["unit:RL10C-1"] == pytest.approx(us["unit:RL10C-1"], rel=1e-12)  # U.S. work unchanged
    assert r == pytest.approx(0.17, abs=0.01)
