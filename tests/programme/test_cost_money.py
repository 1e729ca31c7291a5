"""Money: the CPI-U table against the percent changes BLS publishes, and WYr -> dollars.

Source: U.S. Bureau of Labor Statistics, CPI-U, U.S. city average, all items, 1982-84 = 100, historical
table https://www.bls.gov/cpi/tables/supplemental-files/historical-cpi-u-202412.pdf, column
"Percent change, Annual avg." (published to one decimal: the tolerance is that rounding, 0.05 points).
The WYr value is lvreuse's 0.3674 M$ per WYr in 2018 dollars (strategy_cost_models.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.programme.money import Money, convert, inflation_factor, price_index, work_year_value, \
    work_years_to_money

# year: published annual-average percent change of the CPI-U over the previous year
PUBLISHED_CHANGE = {1980: 13.5, 1990: 5.4, 2000: 3.4, 2009: -0.4, 2013: 1.5, 2018: 2.4, 2019: 1.8, 2020: 1.2,
                    2021: 4.7, 2022: 8.0, 2023: 4.1, 2024: 2.9}


@pytest.mark.parametrize("year", sorted(PUBLISHED_CHANGE))
def test_index_reproduces_published_annual_changes(year):
    change = 100.0 * (inflation_factor(year - 1, year) - 1.0)
    assert change == pytest.approx(PUBLISHED_CHANGE[year], abs=0.05)


def test_conversion_is_the_index_ratio_and_round_trips():
    amount = np.array([1.0, 62e6])
    out = convert(amount, Money("USD", 2018), Money("USD", 2024))
    np.testing.assert_allclose(out, amount * price_index(2024) / price_index(2018))
    np.testing.assert_allclose(convert(out, Money("USD", 2024), Money("USD", 2018)), amount)


def test_work_year_value():
    assert work_year_value(Money("USD", 2018)) == pytest.approx(367_400.0)
    assert float(work_years_to_money(2.0, Money("USD", 2018))) == pytest.approx(734_800.0)
    assert work_year_value(Money("USD", 2024)) == pytest.approx(367_400.0 * 313.689 / 251.107)


def test_unknown_currency_and_year_are_refused():
    with pytest.raises(ValueError, match="currency 'EUR' is not supported"):
        Money("EUR", 2020)
    with pytest.raises(ValueError, match="no CPI-U annual average"):
        Money("USD", 1850)
