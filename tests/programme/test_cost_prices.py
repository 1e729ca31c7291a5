"""Published prices: unit price from the published contract value, escalated to the model year."""

from __future__ import annotations

import pytest

from jointmission.programme.money import Money, inflation_factor
from jointmission.programme.prices import price_names, published_price, unit_price


def test_rs25_unit_price_is_the_contract_over_its_engines():
    # NASA, 1 May 2020: US$1.79 billion for 18 RS-25 engines
    p = published_price("RS-25")
    assert (p.units, p.year, p.currency) == (18, 2020, "USD")
    assert unit_price("rs_25", Money("USD", 2020)) == pytest.approx(1.79e9 / 18)
    assert unit_price("rs_25", Money("USD", 2024)) == pytest.approx(1.79e9 / 18 * inflation_factor(2020, 2024))


def test_falcon_prices_and_citations():
    assert unit_price("Falcon 9", Money("USD", 2018)) == pytest.approx(62e6)
    assert unit_price("Falcon Heavy", Money("USD", 2018)) == pytest.approx(90e6)
    for name in price_names():
        assert "http" in published_price(name).citation


def test_unknown_price_suggests_a_name():
    with pytest.raises(ValueError, match="did you mean 'falcon_9'"):
        published_price("falcon9")


def test_russian_and_chinese_launch_prices():
    # SpaceNews 2015: Proton ~US$65 M; SpaceNews 2013: Long March ~US$70 M
    assert unit_price("Proton-M", Money("USD", 2015)) == pytest.approx(65e6)
    assert unit_price("Long March 3B", Money("USD", 2013)) == pytest.approx(70e6)
    assert published_price("long_march_3b").kind == "launch"
