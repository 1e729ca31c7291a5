"""Money: Work-Years to a currency of a stated year, and amounts moved between years.

TransCost counts cost in Work-Years (WYr), free of inflation and exchange rates. One WYr is valued
at the figure of ``programme/data/money.yaml`` (US$ of its base year) and carried to any other year
with the U.S. BLS CPI-U annual averages of the same file. Every amount this module returns is in
US dollars of the year asked for; other currencies are refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .datafiles import load

__all__ = ["Money", "SUPPORTED_CURRENCIES", "price_index", "inflation_factor", "convert", "work_year_value",
           "work_years_to_money"]

SUPPORTED_CURRENCIES: tuple[str, ...] = ("USD",)


@dataclass(frozen=True)
class Money:
    """A currency and the year its amounts are expressed in (e.g. ``Money("USD", 2024)``)."""

    currency: str = "USD"
    year: int = 2024

    def __post_init__(self) -> None:
        _check_currency(self.currency)
        _index_value(self.year)

    @property
    def label(self) -> str:
        """Short label for tables and axes, e.g. ``"USD 2024"``."""
        return f"{self.currency} {self.year}"


def _check_currency(currency: str) -> None:
    if currency not in SUPPORTED_CURRENCIES:
        raise ValueError(f"currency {currency!r} is not supported; supported: {', '.join(SUPPORTED_CURRENCIES)} "
                         "(amounts are escalated with the U.S. CPI-U)")


def _table() -> dict[int, float]:
    return {int(k): float(v) for k, v in load("money")["cpi_u"]["values"].items()}


def _index_value(year: int) -> float:
    table = _table()
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or int(year) not in table:
        raise ValueError(f"year {year!r} has no CPI-U annual average in programme/data/money.yaml "
                         f"(covers {min(table)}-{max(table)})")
    return table[int(year)]


def price_index(year: int) -> float:
    """CPI-U annual average of ``year`` (1982-84 = 100), from the BLS table in ``money.yaml``.

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    float
        Index value [-].
    """
    return _index_value(year)


def inflation_factor(from_year: int, to_year: int) -> float:
    """Factor that turns an amount of ``from_year`` dollars into ``to_year`` dollars (CPI-U ratio).

    Parameters
    ----------
    from_year, to_year : int
        Calendar years.

    Returns
    -------
    float
        ``CPI(to_year) / CPI(from_year)`` [-].
    """
    return _index_value(to_year) / _index_value(from_year)


def convert(amount: ArrayLike, frm: Money, to: Money) -> np.ndarray:
    """An amount of money of one currency-year in another (same currency, CPI-U escalation).

    Parameters
    ----------
    amount : array_like
        Amount in ``frm`` [currency units of ``frm.year``].
    frm, to : Money
        Currency and year of the input and of the result.

    Returns
    -------
    ndarray
        Amount in ``to`` [currency units of ``to.year``].
    """
    if frm.currency != to.currency:
        raise ValueError(f"no exchange rate between {frm.currency} and {to.currency}")
    return np.asarray(amount, dtype=float) * inflation_factor(frm.year, to.year)


def work_year_value(money: Money = Money()) -> float:
    """Value of one TransCost Work-Year in ``money``.

    Parameters
    ----------
    money : Money
        Currency and year of the result (default US$ 2024).

    Returns
    -------
    float
        One WYr [currency units of ``money.year``].
    """
    wyr = load("money")["work_year"]
    base = Money(str(wyr["currency"]), int(wyr["year"]))
    return float(convert(float(wyr["value"]), base, money))


def work_years_to_money(work_years: ArrayLike, money: Money = Money()) -> np.ndarray:
    """Work-Years to money of a stated currency and year.

    Parameters
    ----------
    work_years : array_like
        Effort [WYr].
    money : Money
        Currency and year of the result (default US$ 2024).

    Returns
    -------
    ndarray
        Cost [currency units of ``money.year``].
    """
    return np.asarray(work_years, dtype=float) * work_year_value(money)
