"""The partners of a joint programme and who provides what (plain data, SI-free: shares are fractions).

A :class:`Programme` names its :class:`Partner` s (name, country, agency, agreed share of the
programme, currency) and the provider overrides of a scenario (:class:`ProviderOverrides`). A
component's provider is one partner's name; :func:`partner_for_country` finds the partner of a
catalog ``country`` text such as ``"USSR / Russia"`` or ``"Russia / China"``.

The provider of every component of a case (engines, stages, boosters, the vehicle's integration,
the launch site, each launch, each mission element) is resolved by
:func:`jointmission.programme.providers.resolve_providers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - the cost model is imported when a cost is computed
    from .cost_model import CostModel

__all__ = ["Partner", "Programme", "CostOptions", "ProviderOverrides", "ProgrammeError", "country_tokens",
           "partner_for_country", "COMPONENT_KINDS"]

COMPONENT_KINDS = ("engines", "stages", "vehicle", "launch_site", "launches", "elements")
"""The keys of ``programme.providers``: ``engines``/``stages``/``launches``/``elements`` map a
component's name to a partner (``launches`` may also be one partner for every launch);
``vehicle`` (integration: fairing and other jettisoned hardware) and ``launch_site`` are one partner."""


class ProgrammeError(ValueError):
    """A programme that cannot be resolved (an unknown partner, a component whose default provider
    is no partner). ``path`` is the field path inside the ``programme:`` section (for the scenario
    layer to name the file line); ``reason`` says what is wrong and how to fix it."""

    def __init__(self, path: tuple[str | int, ...], reason: str) -> None:
        self.path, self.reason = tuple(path), reason
        super().__init__(reason)


@dataclass(frozen=True)
class Partner:
    """One partner of the programme.

    name : how providers refer to it (``Russia``, ``CNSA``).
    country : its country as the catalog writes countries (``Russia``, ``China``); catalog
        components of that country default to this partner.
    share : agreed share of the programme [-] (a fraction; the partners' shares sum to 1).
    agency : the agency or company that signs for it (text, optional).
    currency : currency of its own accounts (ISO 4217 code, optional; costs are stated in the cost
        model's currency).
    """

    name: str
    country: str
    share: float
    agency: str = ""
    currency: str = ""


@dataclass(frozen=True)
class ProviderOverrides:
    """The scenario's provider assignments: component name -> partner name per kind.

    ``engines``: engine name (``RD-171M``); ``stages``: stage name or ``boosters``; ``launches``:
    launch name of a concept (``lander``, ``crew``) or ``"*"`` for every launch; ``elements``: a
    mission element or item name (``descent stage``, ``crew vehicle``); ``vehicle``: the
    integrating partner (fairing, other jettisoned hardware); ``launch_site``: the site's operator.
    """

    engines: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    launches: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)
    vehicle: str | None = None
    launch_site: str | None = None


@dataclass(frozen=True)
class CostOptions:
    """Options of the programme's cost model.

    options : keyword options of :meth:`jointmission.programme.cost_model.CostModel.from_options`
        (``year``, ``missions``, ``learning``, ``flight_rate``, ``contractors``, ``f1`` ...; plain
        numbers and text); ``contractors`` defaults to one per partner. existing : names of engines,
        stages and elements that exist already (no development charged).
    """

    options: dict = field(default_factory=dict)
    existing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Programme:
    """Partners, provider overrides and the payload allocation of a joint programme.

    payload_shares : partner name -> fraction of the mission's payload allocated to it (sums to 1);
        empty: the agreed shares.
    cost : options of the cost model (:class:`CostOptions`); ``None``: the ledger has no costs.
    """

    partners: tuple[Partner, ...]
    providers: ProviderOverrides = field(default_factory=ProviderOverrides)
    payload_shares: dict[str, float] = field(default_factory=dict)
    cost: CostOptions | None = field(default_factory=CostOptions)
    """The cost model's options; ``None``: no costs in the ledger."""

    def cost_model(self) -> CostModel | None:
        """The :class:`~jointmission.programme.cost_model.CostModel` of :attr:`cost` (``None`` without)."""
        if self.cost is None:
            return None
        from .cost_model import CostModel

        return CostModel.from_options({"contractors": len(self.partners), **self.cost.options})

    @property
    def names(self) -> list[str]:
        """Partner names in the order given."""
        return [p.name for p in self.partners]

    def partner(self, name: str) -> Partner:
        """The partner called ``name`` (KeyError for an unknown name)."""
        for p in self.partners:
            if p.name == name:
                return p
        raise KeyError(name)

    def payload_share(self, name: str) -> float:
        """Fraction [-] of the payload allocated to partner ``name``: the scenario's allocation,
        else its agreed share."""
        if self.payload_shares:
            return float(self.payload_shares.get(name, 0.0))
        return float(self.partner(name).share)


def country_tokens(text: str | None) -> list[str]:
    """The countries of a catalog ``country`` text, in order: ``"USSR / Russia"`` ->
    ``["USSR", "Russia"]``; ``"Europe (France)"`` -> ``["Europe (France)", "Europe", "France"]``."""
    if not text:
        return []
    out: list[str] = []
    for part in str(text).split("/"):
        part = part.strip()
        if not part:
            continue
        out.append(part)
        if "(" in part and part.endswith(")"):
            head, inner = part[:-1].split("(", 1)
            out += [head.strip(), inner.strip()]
    return out


def partner_for_country(text: str | None, programme: Programme, *, prefer: str | None = None) -> str | None:
    """The partner whose country is one of the countries of ``text``; with several, the one whose
    country is ``prefer``'s (the launch site's, for a joint vehicle), else the first listed in
    ``text``. ``None`` when no partner matches. (Two partners of one country: the first listed.)

    Matching is case-insensitive. ``"USSR / Russia"`` matches a partner of country ``Russia``.
    """
    tokens = [t.casefold() for t in country_tokens(text)]
    found: list[str] = []
    for tok in tokens:
        for p in programme.partners:
            if tok == p.country.casefold() and p.name not in found:
                found.append(p.name)
    if not found:
        return None
    if len(found) > 1 and prefer is not None:
        pref = [t.casefold() for t in country_tokens(prefer)]
        for name in found:
            if programme.partner(name).country.casefold() in pref:
                return name
    return found[0]
