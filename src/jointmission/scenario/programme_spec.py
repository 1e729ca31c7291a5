"""The ``programme:`` section of a scenario: the partners of a joint programme and who provides what.

::

    programme:
      partners:
        - {name: Russia, country: Russia, agency: Roscosmos, share: 50 %, currency: RUB}
        - {name: China, country: China, agency: CNSA, share: 50 %, currency: CNY}
      providers:                       # optional: overrides of the catalog defaults
        engines: {YF-79: Russia}       # by engine name
        stages: {Second stage: Russia, boosters: China}   # stage airframes by name; 'boosters'
        vehicle: China                 # integration: fairing, jettisoned hardware, payload adapter
        launch_site: China             # the site's operator
        launches: {crew: Russia}       # by concept launch name (or one partner for every launch)
        elements: {crew vehicle: Russia, descent stage: China}   # mission elements and items
      payload: {Russia: 50 %, China: 50 %}   # optional payload allocation (default: the shares)
      cost:                            # optional options of the cost model (or 'cost: false')
        year: 2024                     # US$ of this year
        missions: 10                   # development spread over them; the production series
        learning: 90 %                 # (any option of CostModel.OPTIONS: flight_rate, contractors, f1 ...)
        existing: [RD-171M, RD-180]    # engines, stages, elements charged no development

The defaults and the ledger are described in :mod:`jointmission.programme`. A provider names a
partner (an unknown name is an error with a suggestion); a component name must exist in one of the
scenario's launchers (engines, stages) or listed architectures (launches, elements). Every
provider assignment is a plain value at a path ``programme.providers.<kind>.<component>``.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..programme.partners import CostOptions, Partner, Programme, ProgrammeError, ProviderOverrides
from ._base import NonEmptyStr, _Strict, parse_field, quantity_field, suggest
from .errors import PathKey, ScenarioError, SourceContext

__all__ = ["PartnerSpec", "ProvidersSpec", "CostSpec", "ProgrammeSpec", "check_programme"]

Share = quantity_field("fraction")
"""A fraction in [0, 1]: ``50 %`` or ``0.5``."""

SHARE_TOL = 1e-6
"""Shares (and payload allocations) must sum to 1 within this tolerance [-] (they are written in
percent with a few digits)."""


class PartnerSpec(_Strict):
    """One partner: ``{name, country, share, agency?, currency?}``."""

    name: NonEmptyStr
    country: NonEmptyStr
    share: Share
    agency: str = ""
    currency: str = ""


def _one_or_map(v: Any) -> Any:
    """``launches: Russia`` is one partner for every launch (``{"*": "Russia"}``)."""
    return {"*": v} if isinstance(v, str) else v


class ProvidersSpec(_Strict):
    """``providers: {engines, stages, vehicle, launch_site, launches, elements}``: component name ->
    partner name (``vehicle``, ``launch_site``: one partner; ``launches``: a mapping or one partner)."""

    engines: dict[str, NonEmptyStr] = Field(default_factory=dict)
    stages: dict[str, NonEmptyStr] = Field(default_factory=dict)
    vehicle: NonEmptyStr | None = None
    launch_site: NonEmptyStr | None = None
    launches: Annotated[dict[str, NonEmptyStr], BeforeValidator(_one_or_map)] = Field(default_factory=dict)
    elements: dict[str, NonEmptyStr] = Field(default_factory=dict)

    def resolved(self) -> dict[str, Any]:
        """Plain data for ``scenario.resolved.yaml`` (only what is given)."""
        pv: dict[str, Any] = {}
        for kind in ("engines", "stages", "launches", "elements"):
            m = getattr(self, kind)
            if m:
                pv[kind] = m["*"] if kind == "launches" and list(m) == ["*"] else copy.deepcopy(m)
        for kind in ("vehicle", "launch_site"):
            if getattr(self, kind) is not None:
                pv[kind] = getattr(self, kind)
        return pv

    def over(self, base: ProviderOverrides) -> ProviderOverrides:
        """``base`` with this section's assignments on top (a launcher variant's division of work)."""
        return ProviderOverrides(engines={**base.engines, **self.engines}, stages={**base.stages, **self.stages},
                                 launches={**base.launches, **self.launches},
                                 elements={**base.elements, **self.elements},
                                 vehicle=self.vehicle or base.vehicle, launch_site=self.launch_site or base.launch_site)

    def assignments(self) -> list[tuple[tuple[str, ...], str]]:
        """Every assignment as ``(path under providers, partner)``."""
        out: list[tuple[tuple[str, ...], str]] = []
        for kind in ("engines", "stages", "launches", "elements"):
            for comp, p in getattr(self, kind).items():
                out.append(((kind,) if comp == "*" else (kind, comp), p))
        for kind in ("vehicle", "launch_site"):
            if getattr(self, kind) is not None:
                out.append(((kind,), getattr(self, kind)))
        return out


def _rule(path: Sequence[PathKey], text: str) -> PydanticCustomError:
    return PydanticCustomError("scenario_rule", "{text}", {"text": text, "jm_path": ("programme", *path)})


class CostSpec(_Strict):
    """``cost: {year, missions, learning, flight_rate, contractors, ..., existing}``: the options of the
    programme's cost model (any option of
    :attr:`jointmission.programme.cost_model.CostModel.OPTIONS`: US$ of ``year``, development spread
    over ``missions``, ...) and ``existing``: engines, stages and elements charged no development."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    existing: list[NonEmptyStr] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:  # the options are checked by the cost model below
        return data

    @model_validator(mode="after")
    def _check(self) -> CostSpec:
        from ..programme.cost_model import CostModel

        opts = self.options()
        try:
            CostModel.from_options(opts)
        except ValueError as exc:
            text = str(exc)
            key = next((k for k in opts if k not in CostModel.OPTIONS), None) or \
                next((k for k in opts if k in text), None)
            raise _rule(("cost",) + ((key,) if key else ()), text) from None
        return self

    def options(self) -> dict[str, Any]:
        """The cost-model options as given (a fraction written ``90 %`` as 0.9)."""
        out: dict[str, Any] = {}
        for k, v in (self.model_extra or {}).items():
            if isinstance(v, str) and v.strip().endswith("%"):
                try:
                    v = parse_field(v, "fraction")
                except PydanticCustomError as exc:
                    raise _rule(("cost", k), exc.context["text"] if exc.context else str(exc)) from None
            out[k] = v
        return out

    def to_options(self) -> CostOptions:
        """The section as :class:`~jointmission.programme.partners.CostOptions`."""
        return CostOptions(options=self.options(), existing=tuple(self.existing))


class ProgrammeSpec(_Strict):
    """The ``programme:`` section (see the module docstring)."""

    partners: Annotated[list[PartnerSpec], Field(min_length=1)]
    providers: ProvidersSpec = Field(default_factory=ProvidersSpec)
    payload: dict[str, Share] = Field(default_factory=dict)
    cost: CostSpec | Literal[False] = Field(default_factory=CostSpec)

    @model_validator(mode="after")
    def _check(self) -> ProgrammeSpec:
        names = [p.name for p in self.partners]
        for i, n in enumerate(names):
            if n in names[:i]:
                raise _rule(("partners", i, "name"), f"partner '{n}' is listed twice; partner names must be unique")
        if self.cost is not False:
            from ..programme.transcost import country_key, country_names

            for i, p in enumerate(self.partners):
                try:
                    country_key(p.country)
                except ValueError:
                    raise _rule(("partners", i, "country"), f"the cost model has no productivity factor for country "
                                                            f"'{p.country}'; give one of {', '.join(country_names())} "
                                                            "(the country whose industry does the partner's work), or "
                                                            "set 'cost: false'") from None
        total = math.fsum(p.share for p in self.partners)
        if abs(total - 1.0) > SHARE_TOL:
            listed = ", ".join(f"{p.name} {p.share * 100:g} %" for p in self.partners)
            raise _rule(("partners",), f"the partners' agreed shares must sum to 100 %, they sum to "
                                       f"{total * 100:.6g} % ({listed})")
        for path, p in self.providers.assignments():
            if p not in names:
                raise _rule(("providers", *path), f"unknown partner '{p}'{suggest(p, names)}; partners: "
                                                  f"{', '.join(names)}")
        for n in self.payload:
            if n not in names:
                raise _rule(("payload", n), f"unknown partner '{n}'{suggest(n, names)}; partners: {', '.join(names)}")
        if self.payload:
            ptot = math.fsum(self.payload.values())
            if abs(ptot - 1.0) > SHARE_TOL:
                raise _rule(("payload",), f"the payload allocation must sum to 100 %, it sums to {ptot * 100:.6g} %")
        return self

    def to_programme(self) -> Programme:
        """The section as a :class:`~jointmission.programme.partners.Programme` (fractions)."""
        pv = self.providers
        return Programme(
            partners=tuple(Partner(p.name, p.country, p.share, p.agency, p.currency) for p in self.partners),
            providers=ProviderOverrides(engines=dict(pv.engines), stages=dict(pv.stages), launches=dict(pv.launches),
                                        elements=dict(pv.elements), vehicle=pv.vehicle, launch_site=pv.launch_site),
            payload_shares=dict(self.payload),
            cost=None if self.cost is False else self.cost.to_options())

    def resolved(self) -> dict[str, Any]:
        """Plain data for ``scenario.resolved.yaml`` (shares in percent)."""
        out: dict[str, Any] = {"partners": []}
        for p in self.partners:
            d: dict[str, Any] = {"name": p.name, "country": p.country, "share": f"{p.share * 100:.12g} %"}
            if p.agency:
                d["agency"] = p.agency
            if p.currency:
                d["currency"] = p.currency
            out["partners"].append(d)
        pv = self.providers.resolved()
        if pv:
            out["providers"] = pv
        if self.payload:
            out["payload"] = {k: f"{v * 100:.12g} %" for k, v in self.payload.items()}
        if self.cost is False:
            out["cost"] = False
        else:
            out["cost"] = {**copy.deepcopy(self.cost.options()),
                           **({"existing": list(self.cost.existing)} if self.cost.existing else {})}
        return out


def mission_components(mission: Any) -> tuple[list[str], list[str]]:
    """Launch names and element names (every option's and choice's elements) of the architectures of
    a scenario's mission section (``None``: none), in first-seen order, each once."""
    launches: list[str] = []
    elements: list[str] = []
    if mission is not None:
        for a in mission.architectures:
            c = mission.concept(a)
            launches += [ln for ln in c.launches if ln not in launches]
            for opts in mission.options(a):
                elements += [e for e in c.element_defs(opts) if e not in elements]
            for ch in c.choices.values():
                for els, _ in ch.options.values():
                    elements += [e for e in els if e not in elements]
    return launches, elements


def _components(vehicles: Sequence[Any], mission: Any) -> dict[str, list[str]]:
    """Component names the scenario has, per provider kind: engine and stage names of its launchers
    (and of the catalog launchers its concepts name), launch and element names of its architectures."""
    engines: list[str] = []
    stages: list[str] = []
    for v in vehicles:
        for e in v.engines:
            if e not in engines:
                engines.append(e)
        parts = ([v.boosters.name, "boosters"] if v.boosters is not None else []) + [s.name for s in v.stages]
        stages += [s for s in parts if s not in stages]
    launches, elements = mission_components(mission)
    return {"engines": engines, "stages": stages, "launches": launches, "elements": elements}


def check_programme(spec: ProgrammeSpec, vehicles: Sequence[Any], mission: Any,
                    ctx: SourceContext) -> tuple[Programme, tuple[Programme, ...]]:
    """Check ``spec`` against the scenario's launchers ``vehicles``
    (:class:`~jointmission.vehicles.vehicle.LaunchVehicle`, including the catalog launchers its
    concepts name) and its ``mission`` section: every provider names an existing component, and
    every component without one has a default partner; the same for each launcher variant's own
    ``providers``. Returns the :class:`~jointmission.programme.partners.Programme` and one per
    ``mission.launchers`` entry (with its ``providers`` on top; empty without launchers). Raises
    :class:`ScenarioError` at the line. ``vehicles`` lists the mission launchers first, in order."""
    from ..programme.providers import vehicle_providers

    base = ("programme",)
    if mission is None:
        raise ctx.fail(base, "a 'programme:' section needs a 'mission:' section: the ledger is kept per mission "
                             "case (architecture x launcher); add one, or remove 'programme:'")
    comps = _components(vehicles, mission)
    _check_components(spec.providers, comps, (*base, "providers"), ctx)
    if spec.cost is not False:
        known = [*comps["engines"], *comps["stages"], *comps["elements"]]
        for i, name in enumerate(spec.cost.existing):
            if name not in known:
                raise ctx.fail((*base, "cost", "existing", i),
                               f"'{name}' is no engine, stage or element of the scenario{suggest(name, known)}")
    prog = spec.to_programme()
    names = prog.names
    variants = []
    for i, lz in enumerate(mission.launchers or []):
        if lz.providers is None:
            variants.append(prog)
            continue
        where = ("mission", "launchers", i, "providers")
        for path, p in lz.providers.assignments():
            if p not in names:
                raise ctx.fail((*where, *path), f"unknown partner '{p}'{suggest(p, names)}; partners: {', '.join(names)}")
        _check_components(lz.providers, comps, where, ctx)
        variants.append(dataclasses.replace(prog, providers=lz.providers.over(prog.providers)))
    try:  # every launcher's components have a provider (elements follow their launch: always one)
        for k, v in enumerate(vehicles):
            vehicle_providers(variants[k] if k < len(variants) else prog, v)
    except ProgrammeError as exc:
        raise _located(exc, ctx) from None
    return prog, tuple(variants)


def _check_components(providers: ProvidersSpec, comps: dict[str, list[str]], where: tuple[PathKey, ...],
                      ctx: SourceContext) -> None:
    """Every assignment of ``providers`` names an existing component (errors under ``where``)."""
    for path, _ in providers.assignments():
        if len(path) == 2:
            kind, name = path
            if name not in comps[kind]:
                words = {"engines": "engine of the scenario's launchers", "stages": "stage of the scenario's launchers",
                         "launches": "launch of the listed architectures",
                         "elements": "element of the listed architectures"}[kind]
                known = comps[kind]
                raise ctx.fail((*where, kind, name),
                               f"'{name}' is no {words}{suggest(name, known)}; known: {', '.join(known) or '(none)'}")


def _located(exc: ProgrammeError, ctx: SourceContext) -> ScenarioError:
    path: tuple[PathKey, ...] = ("programme", *exc.path)
    return ctx.fail(path, exc.reason)
