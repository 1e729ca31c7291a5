"""The ``mission:`` section of a scenario: Moon/Mars architectures flown by one or more launchers.

::

    mission:
      architectures: [moon_direct, moon_lor_two_launch, moon_eor_two_launch]
      launchers:                       # optional; default: the scenario's vehicle
        - {name: "CN, 4 boosters", catalog: Joint Heavy CN}
        - {name: "RU, 2 boosters", catalog: Joint Heavy RU, overrides: {boosters.count: 2}}
      margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
      required_payload: 10 t           # optional: backward budget (launches needed for this payload)
      parameters: {arrival_vinf: 0.9 km/s, surface_stay: 7 d, tli_c3: -2 km2/s2}
      mars: {windows: [2031, 2033], capture: [aerocapture, propulsive], window_source: transfers}
      elements:
        lunar_descent_stage: {isp: 450 s, dry_mass: 3 t, dry_fraction: 15 %}   # a generic element, or
        descent stage: {isp: 450 s}                                            # an element by name
      phases:
        descent and landing: {dv: 2100 m/s}
      choices: {capture: [aerocapture, propulsive]}
      concepts:                        # architectures defined here (format: docs/concepts.md)
        my_depot: {file: ../concepts/my_depot.yaml}     # or the concept inline

``architectures`` names shipped concepts (``scenarios/concepts/``) or those of ``concepts``.

Quantities follow the scenario conventions (bare numbers in the default unit of each field; or a
string with a unit). Launcher entries are resolved like the ``vehicle:`` section (catalog entry +
overrides by path) by :func:`resolve_launchers`, with errors at the launcher's own line.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from ..missions.architectures import ARCHITECTURES, MARS_ARCHITECTURES, MOON_ARCHITECTURES
from ..missions.concept import Concept, ConceptError, did_you_mean
from ..missions.concept_library import library_concept, library_names, read_concept
from ..missions.elements import ELEMENT_KEYS
from ..vehicles.spec import VehicleSpec
from .errors import PathKey, ScenarioError, SourceContext, format_path
from .programme_spec import ProvidersSpec
from ..constants import DEFAULT_PARKING_ALT_M
from ..fields import MAX_REQUIRED_PAYLOAD_KG, REQUIRED_PAYLOAD_WHY  # noqa: F401  (re-exported)
from ._base import MAX_C3_M2_S2, EarthOrbitAltitude, NonEmptyStr, _err, _Strict, launch_site_dict, quantity_field

__all__ = ["MissionSpec", "LauncherSpec", "MarginsSpec", "MissionParameters", "MarsSpec", "ElementSpec",
           "PhaseOverride", "resolve_launchers"]

# Quantity fields of the mission: section, each a kind of the one registry (jointmission.fields.KINDS:
# unit of a bare number, physical range, message words).
Fraction = quantity_field("fraction")
"""Fraction in [0, 1] (margins, dry fraction, boil-off per day); a bare number is a fraction, '5 %'."""
Fraction0 = quantity_field("fraction_open")
"""Propellant kept in an element (residual, reserve): in [0, 1), below 100 % or nothing is burned."""
Mass = quantity_field("element_mass")
"""Positive mass [kg] (bare number in t)."""
MassNonNeg = quantity_field("mass_nonneg")
"""Non-negative mass [kg] (bare number in t)."""
RequiredPayload = quantity_field("required_payload")
"""Required payload [kg] in [0, :data:`MAX_REQUIRED_PAYLOAD_KG`] (bare number in t)."""
Speed = quantity_field("speed_m_s")
"""Non-negative speed / delta-v [m/s] (bare number in m/s)."""
PosSpeed = quantity_field("speed_km_s")
"""Non-negative speed (arrival v_inf) [m/s] (bare number in km/s)."""
Days = quantity_field("duration_d")
"""Non-negative duration [s] (bare number in d)."""
Km = quantity_field("lunar_orbit_altitude")
"""Positive (lunar-orbit) altitude [m] (bare number in km)."""
C3q = quantity_field("c3")
"""C3 [m^2/s^2], at most :data:`MAX_C3_M2_S2` (bare number in km^2/s^2)."""
Isp = quantity_field("element_isp")
"""Positive specific impulse of a mission element [s]."""


def _listify(v: Any) -> Any:
    return [v] if isinstance(v, str | int) else v


class MarginsSpec(_Strict):
    """``margins: {delta_v, dry_mass_growth, propellant_reserve}`` as fractions ("5 %")."""

    delta_v: Fraction = 0.0
    dry_mass_growth: Fraction = 0.0
    propellant_reserve: Fraction0 = 0.0


class LauncherSpec(_Strict):
    """One launcher variant: ``{name, catalog?, overrides?, providers?}`` (catalog default: the
    scenario's; ``providers``: the division of work of this variant, on top of
    ``programme.providers``, see :mod:`.programme_spec`)."""

    name: NonEmptyStr
    catalog: NonEmptyStr | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)
    providers: ProvidersSpec | None = None


class MissionParameters(_Strict):
    """Phase parameters overriding the concepts' values: the classic names below (typed), or any
    parameter of a listed concept (checked and converted by :class:`MissionSpec` with the unit the
    concept wrote its value in)."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:  # other names are concept parameters, checked by MissionSpec
        return data

    tli_c3: C3q | None = None
    parking_altitude: EarthOrbitAltitude | None = None
    arrival_vinf: PosSpeed | None = None
    llo_altitude: Km | None = None
    descent_dv: Speed | None = None
    ascent_dv: Speed | None = None
    rendezvous_dv: Speed | None = None
    tei_dv: Speed | None = None
    nrho_insertion_dv: Speed | None = None
    nrho_llo_dv: Speed | None = None
    nrho_departure_dv: Speed | None = None
    transit: Days | None = None
    surface_stay: Days | None = None
    lunar_orbit_wait: Days | None = None
    leo_loiter: Days | None = None
    crew: MassNonNeg | None = None

    def as_params(self) -> dict[str, float]:
        """Keyword parameters of :func:`jointmission.missions.architectures.build` (SI)."""
        names = {"tli_c3": "tli_c3_m2_s2", "parking_altitude": "parking_alt_m", "arrival_vinf": "arrival_vinf_m_s",
                 "llo_altitude": "llo_altitude_m", "descent_dv": "descent_dv_m_s", "ascent_dv": "ascent_dv_m_s",
                 "rendezvous_dv": "rendezvous_dv_m_s", "tei_dv": "tei_dv_m_s",
                 "nrho_insertion_dv": "nrho_insertion_dv_m_s", "nrho_llo_dv": "nrho_llo_dv_m_s",
                 "nrho_departure_dv": "nrho_departure_dv_m_s", "transit": "transit_days",
                 "surface_stay": "surface_days", "lunar_orbit_wait": "lunar_orbit_wait_days",
                 "leo_loiter": "leo_loiter_days", "crew": "crew_kg"}
        out: dict[str, float] = {}
        for k, v in self.model_dump().items():
            if v is None or k not in names:
                continue
            out[names[k]] = v / 86400.0 if k in ("transit", "surface_stay", "lunar_orbit_wait", "leo_loiter") else v
        return out

    def extra(self) -> dict[str, Any]:
        """The parameters given under names that are not classic ones (as written)."""
        return dict(self.model_extra or {})


class MarsSpec(_Strict):
    """``mars: {windows, window_source, capture, landed_fraction, heatshield_fraction, cruise,
    terminal_descent_dv}``."""

    windows: Annotated[list[Literal[2031, 2033]], BeforeValidator(_listify), Field(min_length=1)] = Field(
        default_factory=lambda: [2031, 2033])
    window_source: Literal["transfers", "table"] = "transfers"
    objective: Literal["least_c3", "least_dv", "least_vinf", "most_landed"] = "most_landed"
    """Which transfer of a window is flown: ``most_landed`` (default: per launcher and concept, the
    transfer on which the mission lands most -- or, for a required payload, needs the fewest
    launches; jointmission.runners.mars_choice), least C3, least departure + capture delta-v, least
    arrival speed. The launcher capability charges each transfer's departure declination (DLA)
    from the launch site. The cruise lasts the chosen transfer's time of flight and the
    aerocapture heat shield is scaled to its arrival speed unless ``cruise`` /
    ``heatshield_fraction`` are given. ``window_source: table`` flies the tabulated least-C3
    transfer whatever the objective."""
    capture: Annotated[list[Literal["aerocapture", "propulsive"]], BeforeValidator(_listify),
                       Field(min_length=1)] = Field(default_factory=lambda: ["aerocapture"])
    landed_fraction: Fraction | None = None
    heatshield_fraction: Fraction | None = None
    cruise: Days | None = None
    terminal_descent_dv: Speed | None = None

    def as_params(self) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.landed_fraction is not None:
            out["landed_fraction"] = self.landed_fraction
        if self.heatshield_fraction is not None:
            out["heatshield_fraction"] = self.heatshield_fraction
        if self.cruise is not None:
            out["cruise_days"] = self.cruise / 86400.0
        if self.terminal_descent_dv is not None:
            out["terminal_descent_dv_m_s"] = self.terminal_descent_dv
        return out


class ElementSpec(_Strict):
    """Override of a generic element: ``{isp, dry_mass, dry_fraction, propellant, capacity,
    boiloff_per_day, residual}`` (``propellant`` fixes the load; otherwise it is sized)."""

    isp: Isp | None = None
    dry_mass: MassNonNeg | None = None
    dry_fraction: Fraction | None = None
    propellant: Mass | None = None
    capacity: Mass | None = None
    boiloff_per_day: Fraction | None = None
    residual: Fraction0 | None = None

    def as_overrides(self) -> dict[str, float]:
        names = {"isp": "isp_s", "dry_mass": "dry_kg", "dry_fraction": "dry_fraction", "propellant": "propellant_kg",
                 "capacity": "capacity_kg", "boiloff_per_day": "boiloff_per_day", "residual": "residual_fraction"}
        return {names[k]: v for k, v in self.model_dump().items() if v is not None}


class PhaseOverride(_Strict):
    """Override of one phase of the listed concepts: ``{dv, days, amount, loss}``."""

    dv: Speed | None = None
    days: Days | None = None
    amount: MassNonNeg | None = None
    loss: Fraction | None = None

    def as_overrides(self) -> dict[str, float]:
        """SI values (days in s) by phase field."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


def _concept_rule(path: tuple, text: str) -> PydanticCustomError:
    return PydanticCustomError("scenario_rule", "{text}", {"text": text, "jm_path": path})


class MissionSpec(_Strict):
    """The ``mission:`` section (see the module docstring)."""

    architectures: Annotated[list[NonEmptyStr], BeforeValidator(_listify), Field(min_length=1)]
    launchers: list[LauncherSpec] | None = None
    margins: MarginsSpec = Field(default_factory=MarginsSpec)
    required_payload: RequiredPayload | None = None
    parameters: MissionParameters = Field(default_factory=MissionParameters)
    mars: MarsSpec = Field(default_factory=MarsSpec)
    elements: dict[str, ElementSpec] = Field(default_factory=dict)
    phases: dict[str, PhaseOverride] = Field(default_factory=dict)
    choices: dict[str, Annotated[list[NonEmptyStr], BeforeValidator(_listify), Field(min_length=1)]] = Field(
        default_factory=dict)
    concepts: dict[str, dict[str, Any]] = Field(default_factory=dict)
    _parsed: dict[str, Concept] = PrivateAttr(default_factory=dict)
    _extra: dict[str, float] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> MissionSpec:
        self._read_concepts()
        seen: set[str] = set()
        known = [*library_names(), *self.concepts]
        for i, a in enumerate(self.architectures):
            if a in seen:
                raise _err("architectures", f"architecture '{a}' is listed twice")
            if a not in known:
                raise _concept_rule(("mission", "architectures", i),
                                    f"unknown architecture '{a}'{did_you_mean(a, known)}; shipped concepts: "
                                    f"{', '.join(library_names())}" + (f"; defined here: {', '.join(self.concepts)}"
                                                                       if self.concepts else ""))
            seen.add(a)
        self._check_parameters()
        self._check_translunar()
        self._check_phase_overrides()
        self._check_choices()
        names = [lz.name for lz in self.launchers or []]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise _err("launchers", f"launcher names must be unique; '{sorted(dup)[0]}' is used twice")
        if self.launchers is not None and not self.launchers:
            raise _err("launchers", "give at least one launcher, or leave 'launchers' out to use the scenario's vehicle")
        self._check_mars_fields()
        self._check_elements_used()
        self._check_kept_propellant()
        return self

    def _read_concepts(self) -> None:
        """Parse and check the concepts defined in this section (errors at their line)."""
        for name, raw in self.concepts.items():
            if name in library_names():
                raise _concept_rule(("mission", "concepts", name), f"'{name}' is the name of a shipped concept; "
                                                                   "give yours another name")
            data = dict(raw)
            data.setdefault("concept", name)
            try:
                self._parsed[name] = read_concept(data, name=name)
            except ConceptError as exc:
                raise _concept_rule(("mission", "concepts", name, *exc.path), exc.reason) from None

    def concept(self, name: str) -> Concept:
        """The :class:`~jointmission.missions.concept.Concept` of a listed architecture."""
        return self._parsed[name] if name in self._parsed else library_concept(name)

    def _defs(self, name: str) -> dict:
        c = self.concept(name)
        defs = dict(c.elements)
        for ch in c.choices.values():
            for els, _ in ch.options.values():
                defs.update(els)
        return defs

    def _check_parameters(self) -> None:
        """Parameters under names that are not classic ones must be parameters of a listed concept;
        their values are converted with the unit the concept wrote (a bare number)."""
        extra = self.parameters.extra()
        if not extra:
            return
        params = {}
        for a in self.architectures:
            for n, prm in self.concept(a).parameters.items():
                params.setdefault(n, prm)
        classic = list(MissionParameters.model_fields)
        for key, raw in extra.items():
            path = ("mission", "parameters", key)
            if key not in params:
                raise _concept_rule(path, f"'{key}' is not a parameter of the listed architectures"
                                          f"{did_you_mean(key, [*classic, *params])}; their parameters: "
                                          f"{', '.join(sorted(set(classic) | set(params)))}")
            try:
                self._extra[key] = params[key].convert(raw)
            except ValueError as exc:
                raise _concept_rule(path, str(exc)) from None

    def _check_translunar(self) -> None:
        """The trans-lunar injection of every listed concept with a ``tli_c3`` reaches the Moon: its
        conic from the parking orbit (the mission's ``tli_c3`` / ``parking_altitude``, else the
        concept's) climbs to the Moon's mean distance (:func:`~jointmission.missions.lunar_legs.min_tli_c3`).
        Below that C3 there is no arrival and no capture burn, and the run reported the launcher as
        unable to reach the target."""
        from ..missions.lunar_legs import min_tli_c3

        given = self.parameters
        for a in self.architectures:
            prm = self.concept(a).parameters
            if "tli_c3" not in prm or (given.tli_c3 is None and given.parking_altitude is None):
                continue
            c3 = given.tli_c3 if given.tli_c3 is not None else float(prm["tli_c3"].value)
            park = given.parking_altitude if given.parking_altitude is not None else (
                float(prm["parking_altitude"].value) if "parking_altitude" in prm else DEFAULT_PARKING_ALT_M)
            floor = float(min_tli_c3(park))
            if c3 < floor:
                key = "tli_c3" if given.tli_c3 is not None else "parking_altitude"
                raise _concept_rule(("mission", "parameters", key), (
                    f"a trans-lunar injection to C3 {c3 / 1e6:.4g} km2/s2 from a {park / 1e3:,.0f} km parking orbit "
                    f"does not reach the Moon (its conic turns back before the Moon's mean distance), so "
                    f"'{a}' has no lunar arrival: give a tli_c3 of at least {math.ceil(floor / 1e3) / 1e3:.4g} "
                    "km2/s2 from that parking orbit (about -2 km2/s2 is a 3-5 day transfer)"))

    def _check_phase_overrides(self) -> None:
        names = {p.name for a in self.architectures for ch in self._choice_sets(a)
                 for p in self.concept(a).phase_sequence(ch)}
        for key in self.phases:
            if key not in names:
                raise _concept_rule(("mission", "phases", key), f"no listed architecture has a phase '{key}'"
                                                                f"{did_you_mean(key, names)}")

    def _choice_sets(self, a: str) -> list[dict[str, str]]:
        from ..missions.concept import choice_combinations

        return choice_combinations(self.concept(a))

    def _check_choices(self) -> None:
        for key, options in self.choices.items():
            owners = [a for a in self.architectures if key in self.concept(a).choices]
            if not owners:
                allc = sorted({c for a in self.architectures for c in self.concept(a).choices})
                raise _concept_rule(("mission", "choices", key), f"no listed architecture has a choice '{key}'"
                                                                 f"{did_you_mean(key, allc)}"
                                                                 + (f"; choices: {', '.join(allc)}" if allc else ""))
            for i, o in enumerate(options):
                opts = self.concept(owners[0]).choices[key].options
                if o not in opts:
                    raise _concept_rule(("mission", "choices", key, i), f"'{o}' is not an option of choice '{key}'"
                                                                        f"{did_you_mean(o, opts)}; options: {', '.join(opts)}")

    def options(self, a: str) -> list[dict[str, str]]:
        """The option combinations to evaluate for architecture ``a``: ``mission.choices`` (and
        ``mars.capture`` for a ``capture`` choice), else each choice's default."""
        c = self.concept(a)
        combos: list[dict[str, str]] = [{}]
        for name, ch in c.choices.items():
            if name in self.choices:
                opts = list(self.choices[name])
            elif name == "capture" and c.destination == "mars":
                opts = list(self.mars.capture)
            else:
                opts = [ch.default]
            combos = [dict(d, **{name: o}) for d in combos for o in opts]
        return combos

    def _check_elements_used(self) -> None:
        """Refuse ``elements:`` entries that no listed architecture is built from (they would be
        silently ignored)."""
        if not self.elements:
            return
        used: set[str] = set()
        for a in self.architectures:
            defs = self._defs(a)
            used |= {e.library for e in defs.values() if e.library} | set(defs)
        for key in self.elements:
            if key not in used:
                users = [a for a in (*ARCHITECTURES, *(n for n in library_names() if n not in ARCHITECTURES))
                         if key in self._library_defs(a)]
                if key not in ELEMENT_KEYS and not users:
                    raise PydanticCustomError("scenario_rule", "{text}", {
                        "text": f"'elements.{key}' is neither an element of the listed architectures nor a generic "
                                f"element{did_you_mean(key, sorted(used | set(ELEMENT_KEYS)))}; generic elements: "
                                f"{', '.join(ELEMENT_KEYS)}",
                        "jm_path": ("mission", "elements", key)})
                raise PydanticCustomError("scenario_rule", "{text}", {
                    "text": f"'elements.{key}' has no effect: none of the listed architectures "
                            f"({', '.join(self.architectures)}) uses a {key.replace('_', ' ')} (used by "
                            f"{', '.join(users)}); remove it or list such an architecture",
                    "jm_path": ("mission", "elements", key)})

    def _library_defs(self, a: str) -> set[str]:
        c = library_concept(a)
        defs = dict(c.elements)
        for ch in c.choices.values():
            for els, _ in ch.options.values():
                defs.update(els)
        return {e.library for e in defs.values() if e.library} | set(defs)

    def _check_mars_fields(self) -> None:
        """Refuse ``mars:`` fields that no listed architecture uses (they would be silently ignored).

        ``mars_crewed`` is a round trip without a lander model (docs/method-missions.md: no ascent
        vehicle, "stay at Mars" is a loiter in Mars orbit, capture always propulsive), so the entry,
        descent and landing fields (``landed_fraction``, ``heatshield_fraction``,
        ``terminal_descent_dv``) and ``capture`` apply to ``mars_cargo`` only."""
        given = [k for k in MarsSpec.model_fields if k in self.mars.model_fields_set]
        if not given:
            return
        if not self.mars_list:
            raise PydanticCustomError("scenario_rule", "{text}", {
                "text": f"'mars.{given[0]}' has no effect: no Mars architecture is listed (add mars_cargo or "
                        "mars_crewed to 'architectures', or remove the 'mars:' section)",
                "jm_path": ("mission", "mars", given[0])})
        uses = {"terminal_descent_dv": "terminal_descent_dv", "landed_fraction": "landed_fraction",
                "heatshield_fraction": "heatshield_fraction"}
        for k in ("terminal_descent_dv", "landed_fraction", "heatshield_fraction", "capture"):
            used = any(("capture" in self.concept(a).choices) if k == "capture" else
                       (uses[k] in self.concept(a).parameters) for a in self.mars_list)
            if k in given and not used:
                what = ("mars_crewed always captures propulsively" if k == "capture" else
                        "mars_crewed models no lander (no entry, descent or ascent vehicle; the crew's "
                        "surface stay is a loiter of the stack in Mars orbit)")
                raise PydanticCustomError("scenario_rule", "{text}", {
                    "text": f"'mars.{k}' applies to the mars_cargo architecture only, and it is not listed: "
                            f"{what}; add mars_cargo to 'architectures' or remove '{k}'",
                    "jm_path": ("mission", "mars", k)})

    def _check_kept_propellant(self) -> None:
        """Residual + reserve of each element must stay below 100 % of its load (else it burns nothing)."""
        from ..missions.elements import mission_data

        reserve = self.margins.propellant_reserve
        data = mission_data()["elements"]
        for key in [k for k in self.elements if k not in ELEMENT_KEYS]:
            spec = self.elements[key]
            if spec.residual is not None and spec.residual + reserve >= 1.0:
                raise PydanticCustomError("scenario_rule", "{text}", {
                    "text": f"the propellant kept unburned in '{key}' (residual {spec.residual * 100:g} % + reserve "
                            f"{reserve * 100:g} % of its load) must stay below 100 %, or the element burns nothing",
                    "jm_path": ("mission", "elements", key, "residual")})
        for key in ELEMENT_KEYS:
            spec = self.elements.get(key)
            residual = spec.residual if spec is not None and spec.residual is not None else \
                float(data[key].get("residual_fraction", 0.0))
            if residual + reserve >= 1.0:
                path = ("mission", "elements", key, "residual") if spec is not None and spec.residual is not None \
                    else ("mission", "margins", "propellant_reserve")
                raise PydanticCustomError("scenario_rule", "{text}", {
                    "text": f"the propellant kept unburned in '{key}' (residual {residual * 100:g} % + reserve "
                            f"{reserve * 100:g} % of its load) must stay below 100 %, or the element burns nothing; "
                            "lower the residual or the propellant_reserve margin",
                    "jm_path": path})

    @property
    def moon(self) -> list[str]:
        return [a for a in self.architectures if self.concept(a).destination == "moon"]

    @property
    def mars_list(self) -> list[str]:
        return [a for a in self.architectures if self.concept(a).destination == "mars"]

    def params(self) -> dict[str, Any]:
        """Build parameters for :func:`jointmission.missions.build` (elements included)."""
        p: dict[str, Any] = dict(self.parameters.as_params())
        p.update(self.mars.as_params())
        p.update(self._extra)
        if self.elements:
            p["elements"] = {k: v.as_overrides() for k, v in self.elements.items()}
        if self.phases:
            p["phases"] = {k: v.as_overrides() for k, v in self.phases.items()}
        return p

    def params_si(self) -> dict[str, Any]:
        """The parameter values this section sets, by concept parameter name [SI] (classic names
        translated: ``transit_days`` -> ``transit`` in s)."""
        from ..missions.architectures import _OLD_PARAMS

        out: dict[str, Any] = {}
        for k, v in self.params().items():
            if k in ("elements", "phases"):
                continue
            name, factor = _OLD_PARAMS.get(k, (k, 1.0))
            out[name] = v * factor
        return out

    def resolved(self) -> dict[str, Any]:
        """Plain data for ``scenario.resolved.yaml`` (SI values with units)."""
        out: dict[str, Any] = {"architectures": list(self.architectures)}
        if self.launchers is not None:
            out["launchers"] = [{"name": lz.name, **({"catalog": lz.catalog} if lz.catalog else {}),
                                 **({"overrides": copy.deepcopy(lz.overrides)} if lz.overrides else {}),
                                 **({"providers": lz.providers.resolved()} if lz.providers is not None else {})}
                                for lz in self.launchers]
        m = self.margins
        out["margins"] = {"delta_v": f"{m.delta_v * 100:.12g} %", "dry_mass_growth": f"{m.dry_mass_growth * 100:.12g} %",
                          "propellant_reserve": f"{m.propellant_reserve * 100:.12g} %"}
        if self.required_payload is not None:
            out["required_payload"] = f"{self.required_payload / 1e3:.12g} t"
        units = {"tli_c3": (1e6, "km2/s2"), "parking_altitude": (1e3, "km"), "arrival_vinf": (1.0, "m/s"),
                 "llo_altitude": (1e3, "km"), "crew": (1.0, "kg")}
        params = {}
        for k in MissionParameters.model_fields:  # the classic names; concept parameters follow as written
            v = getattr(self.parameters, k)
            if v is None:
                continue
            if k in ("transit", "surface_stay", "lunar_orbit_wait", "leo_loiter"):
                params[k] = f"{v / 86400.0:.12g} d"
            else:
                s, unit = units.get(k, (1.0, "m/s"))
                params[k] = f"{v / s:.12g} {unit}"
        params.update({k: copy.deepcopy(v) for k, v in self.parameters.extra().items()})
        if params:
            out["parameters"] = params
        if self.phases:
            units_ph = {"dv": (1.0, "m/s"), "days": (86400.0, "d"), "amount": (1e3, "t"), "loss": (0.01, "%")}
            out["phases"] = {name: {k: f"{v / units_ph[k][0]:.12g} {units_ph[k][1]}" for k, v in o.as_overrides().items()}
                             for name, o in self.phases.items()}
        if self.choices:
            out["choices"] = {k: list(v) for k, v in self.choices.items()}
        if self.concepts:
            out["concepts"] = copy.deepcopy(self.concepts)
        # only what the listed architectures use (a file that reloads this must pass _check_mars_fields)
        mars: dict[str, Any] = {"windows": list(self.mars.windows), "window_source": self.mars.window_source}
        if "objective" in self.mars.model_fields_set:
            mars["objective"] = self.mars.objective
        if any("capture" in self.concept(a).choices for a in self.mars_list):
            mars["capture"] = list(self.mars.capture)
        for k in ("landed_fraction", "heatshield_fraction"):
            v = getattr(self.mars, k)
            if v is not None:
                mars[k] = f"{v * 100:.12g} %"
        if self.mars.cruise is not None:
            mars["cruise"] = f"{self.mars.cruise / 86400.0:.12g} d"
        if self.mars.terminal_descent_dv is not None:
            mars["terminal_descent_dv"] = f"{self.mars.terminal_descent_dv:.12g} m/s"
        if self.mars_list:
            out["mars"] = mars
        if self.elements:
            el = {}
            for key, spec in self.elements.items():
                d = {}
                for k, v in spec.model_dump().items():
                    if v is None:
                        continue
                    if k in ("dry_mass", "propellant", "capacity"):
                        d[k] = f"{v / 1e3:.12g} t"
                    elif k == "isp":
                        d[k] = f"{v:.12g} s"
                    else:
                        d[k] = f"{v * 100:.12g} %"
                el[key] = d
            out["elements"] = el
        return out


class _LauncherContext(SourceContext):
    """Maps ``vehicle...`` paths of the vehicle resolver onto ``mission.launchers[i]...``."""

    def __init__(self, base: SourceContext, index: int) -> None:
        super().__init__(base.file, base.lines, base.has_lines)
        self.prefix: tuple[PathKey, ...] = ("mission", "launchers", index)

    def _map(self, path: Sequence[PathKey]) -> tuple[PathKey, ...]:
        p = tuple(path)
        return self.prefix + p[1:] if p[:1] == ("vehicle",) else p

    def line(self, path: Sequence[PathKey]) -> int | None:
        return super().line(self._map(path))

    def fail(self, path: Sequence[PathKey], reason: str) -> ScenarioError:
        p = self._map(path)
        return ScenarioError(reason, file=self.file, line=super().line(p), field=format_path(p) or None)


def resolve_launchers(spec: MissionSpec | None, data: dict, ctx: SourceContext, base_dir: Path | None,
                      root: Path | None, base_vehicle_dict: dict, base_catalog: str | None) -> list[tuple[str, VehicleSpec]]:
    """Resolve ``mission.launchers`` into validated vehicle specs ``[(name, VehicleSpec)]`` (empty
    when there is no mission or no launchers list). A launcher without ``catalog`` starts from the
    scenario's resolved vehicle."""
    from .validation_errors import scenario_error_from
    from .vehicle_ref import _apply_overrides, _override_locator, resolve_vehicle

    if spec is None or not spec.launchers:
        return []
    out: list[tuple[str, VehicleSpec]] = []
    for i, lz in enumerate(spec.launchers):
        lctx = _LauncherContext(ctx, i)
        if lz.catalog is not None:
            vdict, locate, *_ = resolve_vehicle({"catalog": lz.catalog, "overrides": dict(lz.overrides)},
                                                data, lctx, base_dir, root)
        else:
            vdict = copy.deepcopy(base_vehicle_dict)
            applied = _apply_overrides(vdict, dict(lz.overrides), lctx)
            locate = _override_locator(applied, lambda p: (lctx.file, lctx.line(("vehicle",)), ""), lctx)
        if data.get("launch_site") is not None:
            vdict["launch_site"] = launch_site_dict(data["launch_site"])
        try:
            out.append((lz.name, VehicleSpec.model_validate(vdict)))
        except ValidationError as exc:
            raise scenario_error_from(exc, vdict, locate, VehicleSpec,
                                      prefix=("mission", "launchers", i)) from None
    return out
