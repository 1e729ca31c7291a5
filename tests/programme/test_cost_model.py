"""CostModel: per-mission item and launch costs, their pieces, and invariants (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jointmission.programme import transcost as tc
from jointmission.programme import transcost_ops as tco
from jointmission.programme import cost_uncertainty as cu
from jointmission.programme.cost_model import CostModel
from jointmission.programme.learning import cumulative_cost_factor
from jointmission.programme.money import Money, work_year_value
from jointmission.programme.prices import unit_price

CATEGORIES = tc.category_names()


def test_item_cost_is_the_transcost_pieces_in_money():
    model = CostModel(year=2024, missions=10, integration_elements=2, contractors=2, f9=1.07)
    cost = model.item_cost("engine_turbopump_kerosene", 9300.0, units_per_mission=4, country="Russia")
    wyr = work_year_value(Money("USD", 2024))
    dev = float(tc.development_effort("engine_turbopump_kerosene", 9300.0, f8=2.11)) * 1.04 ** 2 * 2 ** 0.2
    assert float(cost.development) == pytest.approx(dev * wyr / 10, rel=1e-12)
    prod = float(tc.first_unit_effort("engine_turbopump_kerosene", 9300.0, f8=2.11)
                 * cumulative_cost_factor(40, 0.9)) / 10 * 1.025 ** 2 * 1.07
    assert float(cost.production) == pytest.approx(prod * wyr, rel=1e-12)
    assert float(cost.operations) == 0.0
    assert float(cost.total) == pytest.approx(float(cost.development + cost.production))
    assert model.money.label == "USD 2024"


def test_existing_item_and_purchased_item():
    model = CostModel(missions=5)
    built = model.item_cost("engine_turbopump_lh2", 3500.0, 4, develop=False)
    assert float(built.development) == 0.0 and float(built.production) > 0
    bought = model.item_cost("engine_turbopump_lh2", 3500.0, 4, price="RS-25")
    assert float(bought.development) == 0.0
    assert float(bought.production) == pytest.approx(4 * unit_price("rs_25", model.money))


def test_country_work_year_rate_replaces_the_us_value_for_that_country_only():
    base = CostModel()
    cheap = CostModel(work_year_rates={"Russia": 100e3})
    ru, cn = "Russia", "China"
    ratio = float(cheap.item_cost("stage_expendable_storable", 20e3, country=ru).total
                  / base.item_cost("stage_expendable_storable", 20e3, country=ru).total)
    assert ratio == pytest.approx(100e3 / base.work_year)
    assert float(cheap.item_cost("stage_expendable_storable", 20e3, country=cn).total) == pytest.approx(
        float(base.item_cost("stage_expendable_storable", 20e3, country=cn).total))


def test_launch_cost_pieces_and_price_mode():
    model = CostModel(flight_rate=7, missions=9, learning=0.9, country="Europe")
    c = model.launch_cost(777e3, 4, sum_q=1.6, fv=0.9, fc=0.85, provider="large_agency")
    # Ariane 5 operations example (ground 169 WYr, mission 6.3 WYr, f8 = 0.86) plus the indirect table
    expected = 169 + 6.3 + float(tco.indirect_operations_effort(7))
    assert float(c.operations) / model.work_year == pytest.approx(expected, abs=1.0)
    two = model.launch_cost(777e3, 4, sum_q=1.6, fv=0.9, fc=0.85, launches_per_mission=2)
    assert float(two.operations) < 2 * float(c.operations)  # learning over twice as many launches
    bought = model.launch_cost(0.0, 2, price="Falcon 9", launches_per_mission=3)
    assert float(bought.operations) == pytest.approx(3 * unit_price("falcon_9", model.money))


def test_propellant_cost_with_losses():
    model = CostModel()
    c0 = model.launch_cost(500e3, 2)
    c1 = model.launch_cost(500e3, 2, propellant_kg={"lox": 100e3, "lh2": 20e3})
    extra = (100e3 * 8.1019e-7 * 1.6 + 20e3 * 2.7623e-5 * 1.85) * model.work_year
    assert float(c1.operations - c0.operations) == pytest.approx(extra)


def test_vectorised_over_cases():
    model = CostModel()
    mass = np.linspace(1e3, 5e4, 7)
    units = np.array([[1], [2], [4]])
    c = model.item_cost("stage_expendable_lh2", mass, units)
    assert c.development.shape == c.production.shape == c.operations.shape == (3, 7)
    assert np.all(np.diff(c.production, axis=0) > 0)


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="known:"):
        CostModel().item_cost("engine_ion", 100.0)
    with pytest.raises(ValueError, match="f2 does not apply"):
        CostModel().item_cost("crewed_space_system", 1e4, f2=1.2)
    with pytest.raises(ValueError, match="Japan"):
        CostModel(country="Japan")
    with pytest.raises(ValueError, match="missions"):
        CostModel(missions=0)


@given(cat=st.sampled_from(CATEGORIES), m1=st.floats(10.0, 2e5), m2=st.floats(10.0, 2e5),
       units=st.integers(1, 8), missions=st.integers(1, 50), country=st.sampled_from(tc.country_names()))
def test_cost_grows_with_mass(cat, m1, m2, units, missions, country):
    lo, hi = sorted((m1, m2))
    model = CostModel(missions=missions, country=country)
    a = model.item_cost(cat, lo, units)
    b = model.item_cost(cat, hi, units)
    assert float(b.development) >= float(a.development) and float(b.production) >= float(a.production)


@given(cat=st.sampled_from(CATEGORIES), mass=st.floats(10.0, 2e5), units=st.integers(1, 8),
       missions=st.integers(1, 40), p=st.floats(0.7, 1.0))
def test_more_missions_spread_development_and_cheapen_units(cat, mass, units, missions, p):
    few = CostModel(missions=missions, learning=p).item_cost(cat, mass, units)
    many = CostModel(missions=missions + 1, learning=p).item_cost(cat, mass, units)
    # development total is fixed: per mission falls as 1/missions
    assert float(many.development) * (missions + 1) == pytest.approx(float(few.development) * missions, rel=1e-12)
    # average production per mission does not rise with a longer series
    assert float(many.production) <= float(few.production) * (1 + 1e-12)


def test_monte_carlo_scales_follow_the_stated_range():
    rng = np.random.default_rng(1)
    s = cu.sample_scale("engine_turbopump_lh2", "development", 20000, rng)
    lo, hi, sourced = cu.scale_range("engine_turbopump_lh2", "development")
    assert sourced and s.min() >= lo and s.max() <= hi
    assert np.mean(s) == pytest.approx((lo + 1 + hi) / 3, rel=0.01)  # triangular mean
    cost = CostModel().item_cost("engine_turbopump_lh2", 3000.0, dev_scale=s)
    assert cost.development.shape == (20000,)


def test_options_are_the_fields_and_are_validated():
    import dataclasses

    assert set(CostModel.OPTIONS) == {f.name for f in dataclasses.fields(CostModel)}
    with pytest.raises(ValueError, match="f1 must be a positive number"):
        CostModel(f1=0.0)
    with pytest.raises(ValueError, match="contractors"):
        CostModel(contractors=0)
    assert dataclasses.replace(CostModel(), learning=0.85).learning == 0.85


def test_sample_scales_for_a_bill_of_materials():
    rng = np.random.default_rng(3)
    draws = cu.sample_scales(["engine_turbopump_kerosene", "stage_expendable_lh2", "engine_turbopump_kerosene"],
                             500, rng)
    assert set(draws) == {(c, p) for c in ("engine_turbopump_kerosene", "stage_expendable_lh2")
                          for p in ("development", "production")}
    assert all(d.shape == (500,) for d in draws.values())
    ops = cu.sample_operations_scale(500, rng)
    lo, hi, sourced = cu.scale_range("crewed_capsule", "development")  # the same unpublished interval
    assert not sourced and ops.min() >= lo and ops.max() <= hi


@given(m0=st.floats(1e4, 5e6), n=st.integers(1, 4), r1=st.floats(3.0, 30.0), r2=st.floats(3.0, 30.0))
def test_operations_per_launch_fall_with_launch_rate(m0, n, r1, r2):
    lo, hi = sorted((r1, r2))
    slow = CostModel(flight_rate=lo).launch_cost(m0, n, recovered_mass_kg=20e3)
    fast = CostModel(flight_rate=hi).launch_cost(m0, n, recovered_mass_kg=20e3)
    assert float(fast.operations) <= float(slow.operations) * (1 + 1e-12)


def test_costs_add_element_wise():
    model = CostModel()
    a = model.item_cost("engine_turbopump_lh2", np.array([1000.0, 2000.0]))
    b = model.launch_cost(np.array([5e5, 6e5]), 2, propellant_kg={"RP-1": 1e5, "O2": 3e5})
    s = sum([a, b])
    np.testing.assert_allclose(s.total, a.total + b.total)
    np.testing.assert_allclose(s.operations, b.operations)
    with pytest.raises(ValueError, match="no sourced price for propellant 'UDMH'"):
        model.launch_cost(5e5, 2, propellant_kg={"UDMH": 1e4})


def test_fees_are_added_per_launch():
    model = CostModel()
    base = model.launch_cost(5e5, 2, launches_per_mission=2)
    with_fees = model.launch_cost(5e5, 2, launches_per_mission=2, fees=np.array([0.0, 1.5e6]))
    np.testing.assert_allclose(with_fees.operations - base.operations, [0.0, 3.0e6])


def test_from_options_validates_and_names_the_field():
    model = CostModel.from_options({"year": 2020, "missions": 12, "learning": 0.85, "country": "China",
                                    "work_year_rates": {"China": 90e3}})
    assert (model.year, model.missions, model.learning, model.country) == (2020, 12.0, 0.85, "China")
    with pytest.raises(ValueError, match="unknown cost option 'learnin' \\(did you mean 'learning'\\?\\)"):
        CostModel.from_options({"learnin": 0.9})
    with pytest.raises(ValueError, match="cost option year must be a whole number"):
        CostModel.from_options({"year": 2020.5})
    with pytest.raises(ValueError, match="cost option f1 must be a number"):
        CostModel.from_options({"f1": "high"})
    with pytest.raises(ValueError, match="learning must be in"):
        CostModel.from_options({"learning": 1.5})


def test_cost_model_reproduces_the_ariane5_example_end_to_end():
    """TransCost 8.2 Ariane 5 example through the public model (see test_cost_transcost_examples):
    development 40,379 WYr (f0 = 1.04^3, source rounding 5 WYr), first vehicle 1,183 WYr (f0 = 1.025^4,
    f9 = 1.07, two boosters; 1 WYr), each element at its country's f8 (Europe 0.86, the Aestus 0.77)."""
    model = CostModel(missions=1, integration_elements=3, production_elements=4, f9=1.07, learning=0.9,
                      country="Europe")
    items = [("solid_booster", 39300, 2, 1.1, 1.0, 0.9, None), ("stage_expendable_lh2", 13610, 1, 1.1, 1.16, 0.85, None),
             ("engine_turbopump_lh2", 1685, 1, 1.1, 0.79, 0.9, None),
             ("stage_expendable_storable", 2500, 1, 0.9, 1.09, 0.9, None),
             ("engine_pressure_fed", 119, 1, 0.8, 1.0, 0.8, "France")]
    total = sum(model.item_cost(cat, m, n, f1=f1, f2=f2, f3=f3, country=country)
                for cat, m, n, f1, f2, f3, country in items)
    # the booster pair's development is charged once (one booster type): the example's 5,025 WYr
    assert float(total.development) / model.work_year == pytest.approx(40379, abs=5.0)
    assert float(total.production) / model.work_year == pytest.approx(1183, abs=1.0)


def test_from_options_reads_numbers_written_as_yaml_reads_them():
    """YAML 1.1 reads ``1e3`` and ``2.5e1`` (an exponent without a sign) and quoted ``'12'`` as text: the
    cost options said "must be a number, got '1e3'". Numeric text is its number, as in every other
    field of a scenario file; other text is still refused."""
    a = CostModel.from_options({"missions": "1e3", "learning": "0.85", "f1": "1.1", "year": "2020"})
    b = CostModel.from_options({"missions": 1000, "learning": 0.85, "f1": 1.1, "year": 2020})
    assert (a.missions, a.learning, a.f1, a.year) == (b.missions, b.learning, b.f1, b.year)
    with pytest.raises(ValueError, match="cost option f1 must be a number"):
        CostModel.from_options({"f1": "1.1 t"})
    with pytest.raises(ValueError, match="cost option missions must be a number"):
        CostModel.from_options({"missions": True})
