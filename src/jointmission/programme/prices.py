"""Published prices of purchased items (launch services, exported engines), in a stated currency-year.

Read from ``programme/data/prices.yaml``, where each price has its year, currency and source. A
price is used instead of the cost-estimating relationships for an item that a partner buys
("price mode"): see :meth:`jointmission.programme.cost_model.CostModel.item_cost`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .datafiles import load
from .money import Money, convert

__all__ = ["PublishedPrice", "price_names", "published_price", "unit_price"]


@dataclass(frozen=True)
class PublishedPrice:
    """One published price: ``amount`` for ``units`` items, in ``currency`` of ``year``."""

    key: str
    item: str
    kind: str
    amount: float
    units: int
    currency: str
    year: int
    citation: str
    where: str

    @property
    def unit_amount(self) -> float:
        """Price of one item [currency units of ``year``]."""
        return self.amount / self.units


def price_names() -> list[str]:
    """Keys of the published prices (``falcon_9``, ``rs_25``...).

    Returns
    -------
    list of str
        Price keys.
    """
    return list(load("prices")["prices"])


def _norm(name: str) -> str:
    return str(name).strip().lower().replace("-", "_").replace(" ", "_")


def published_price(name: str) -> PublishedPrice:
    """The published price ``name`` with its source.

    Parameters
    ----------
    name : str
        A key of :func:`price_names`; case, spaces and hyphens are ignored (``"Falcon 9"``, ``"RS-25"``).

    Returns
    -------
    PublishedPrice
        Amount, units, currency, year and citation.
    """
    data = load("prices")
    key = _norm(name)
    if key not in data["prices"]:
        close = difflib.get_close_matches(key, list(data["prices"]), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"no published price {name!r}{hint}; known: {', '.join(data['prices'])}")
    raw = data["prices"][key]
    return PublishedPrice(key=key, item=str(raw["item"]), kind=str(raw["kind"]), amount=float(raw["amount"]),
                          units=int(raw["units"]), currency=str(raw["currency"]), year=int(raw["year"]),
                          citation=" ".join(str(data["references"][raw["source"]]["citation"]).split()),
                          where=str(raw["where"]))


def unit_price(name: str, money: Money = Money()) -> float:
    """Price of one item of ``name`` in ``money`` (CPI-U escalation from the published year).

    Parameters
    ----------
    name : str
        A key of :func:`price_names`.
    money : Money
        Currency and year of the result (default US$ 2024).

    Returns
    -------
    float
        Unit price [currency units of ``money.year``].
    """
    p = published_price(name)
    return float(convert(p.unit_amount, Money(p.currency, p.year), money))
