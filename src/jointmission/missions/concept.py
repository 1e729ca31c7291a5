"""Mission concepts as data: the concept format (docs/concepts.md) read from plain data into a
:class:`Concept`, its values and expressions, and the library of shipped concepts.

A concept names its ``parameters`` (each with a value and its source), its ``elements`` (stages,
landers, crew vehicles, depots, tankers with their mass model; crew, cargo, capsules, habitats;
the payload; aeroshells sized as a fraction of the entering stack), its ``launches`` (what each
carries, where it delivers it, how many times) and its ``phases`` in order, with optional
``choices`` (categorical alternatives such as the capture method). :mod:`.concept_build` turns a
concept plus parameter values into an :class:`~.architectures.Architecture`; :mod:`.concept_check`
checks the flow (launched before used, dropped once, transfers from a tank that holds propellant,
loops that close).

Every problem is a :class:`ConceptError` carrying the path of the offending key (``("phases", 3,
"element")``); the scenario layer turns that path into the file's line. Values are SI floats
inside; in a file they are quantities with units (``2040 m/s``), parameter names, expressions over
parameter names and plain numbers (``transit + nrho_extra_transit``, ``1 - landed_fraction``), or
for a delta-v a computed leg (``{leg: lunar_capture, vinf: arrival_vinf, altitude: llo_altitude}``,
:mod:`.legs`); those values, the parameters and :class:`ConceptError` are read by
:mod:`.concept_values`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from .concept_values import (_IDENT, ConceptError, LegValue, Param, Path_, Value, _parse_dv, _parse_param,
                             did_you_mean, parse_value)
from .elements import PROPELLANTS, mission_data

__all__ = [
    "ConceptError", "Value", "LegValue", "Param", "ElementDef", "LaunchDef", "PhaseDef", "ChoiceDef", "Concept",
    "parse_concept", "choice_combinations", "did_you_mean",
    "PROPULSIVE_TYPES", "ITEM_TYPES", "PHASE_KINDS", "BUDGET_KIND",
]

# ------------------------------------------------------------------------------------ the vocabulary
PROPULSIVE_TYPES = ("stage", "lander", "crew_vehicle", "service_module", "depot", "tanker")
"""Element types with propellant tanks (and an engine when they have an Isp)."""
ITEM_TYPES = ("crew", "cargo", "capsule", "habitat", "item")
"""Element types of fixed mass without propellant."""
_HARDWARE_DEFAULT = {"crew": False, "cargo": False, "capsule": True, "habitat": True, "item": True}
ELEMENT_TYPES = PROPULSIVE_TYPES + ITEM_TYPES + ("payload", "aeroshell")

PHASE_KINDS = ("launch", "burn", "return", "rendezvous", "coast", "loiter", "stay", "transfer", "dock", "undock",
               "jettison", "propellant_transfer", "aero", "entry")
BUDGET_KIND = {"launch": "launch", "burn": "burn", "return": "burn", "rendezvous": "rendezvous", "coast": "coast",
               "loiter": "loiter", "stay": "loiter", "transfer": "transfer", "dock": "transfer",
               "undock": "transfer", "jettison": "transfer", "propellant_transfer": "propellant", "aero": "aero",
               "entry": "entry"}
"""Concept phase kind -> the :class:`~.budget.Phase` kind the budget flies."""

_COMMON_PHASE_KEYS = ("name", "kind", "at", "stack", "drop", "days", "source", "repeat", "description")
_PHASE_KEYS = {
    "launch": ("launches",), "burn": ("element", "dv"), "return": ("element", "dv"), "rendezvous": ("element", "dv"),
    "coast": (), "loiter": (), "stay": (), "transfer": (), "dock": (), "undock": (), "jettison": (),
    "propellant_transfer": ("from", "to", "amount", "loss"), "aero": ("sized_item",), "entry": (),
}
_PROP_KEYS = ("type", "from", "isp", "dry_mass", "dry_fraction", "propellant", "capacity", "propellant_type",
              "boiloff_per_day", "residual", "reusable", "description", "source")
_ITEM_KEYS = ("type", "mass", "hardware", "description", "source")
_PAYLOAD_KEYS = ("type", "description", "source")
_SHELL_KEYS = ("type", "fraction", "hardware", "description", "source")
_TOP_KEYS = ("concept", "description", "destination", "crewed", "parameters", "elements", "launches", "phases",
             "choices", "notes", "source")

ELEMENT_FIELD_KINDS = {"isp": "element_isp", "dry_mass": "mass_nonneg", "dry_fraction": "fraction",
                       "propellant": "mass_nonneg", "capacity": "element_mass", "boiloff_per_day": "fraction",
                       "residual": "fraction_open", "mass": "mass_nonneg", "fraction": "fraction"}
"""Numeric element field -> kind key of :data:`jointmission.fields.KINDS` (unit of a bare number, range)."""
PHASE_FIELD_KINDS = {"dv": "speed_m_s", "days": "duration_d", "amount": "mass_nonneg", "loss": "fraction"}
"""Numeric phase field -> kind key of :data:`jointmission.fields.KINDS`."""
LAUNCH_FIELD_KINDS = {"c3": "c3", "parking_altitude": "earth_orbit_altitude", "orbit": "earth_orbit_altitude"}

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_ ()+.,'/-]{0,63}")


# ------------------------------------------------------------------------------- elements, launches
@dataclass(frozen=True)
class ElementDef:
    """An element as written: ``type``, ``library`` (the generic element it starts from, ``from:``),
    numeric ``fields`` (field -> :class:`Value`), ``load`` (``"sized"``, ``"launch"`` or ``None``
    when ``fields['propellant']`` fixes it), ``propellant_type``, ``hardware``, ``reusable``."""

    name: str
    type: str
    path: Path_
    library: str | None = None
    fields: dict[str, Value] = field(default_factory=dict)
    load: str | None = "sized"
    propellant_type: str | None = None
    hardware: bool = False
    reusable: bool = False
    description: str = ""

    @property
    def propulsive(self) -> bool:
        return self.type in PROPULSIVE_TYPES

    @property
    def can_burn(self) -> bool:
        if not self.propulsive:
            return False
        if "isp" in self.fields:
            return True
        return self.library is not None and "isp_s" in mission_data()["elements"][self.library]


def _check_keys(d: dict, allowed: tuple, path: Path_, what: str) -> None:
    for k in d:
        if k not in allowed:
            raise ConceptError(path + (k,), f"'{k}' is not a field of {what}{did_you_mean(k, allowed)}; its fields: "
                                            f"{', '.join(allowed)}")


def _parse_element(name: Any, raw: Any, path: Path_, params: dict[str, Param]) -> ElementDef:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ConceptError(path, f"element name {name!r} must start with a letter (letters, digits, spaces, _ - ( ) "
                                 "allowed, at most 64 characters)")
    if not isinstance(raw, dict):
        raise ConceptError(path, f"element '{name}' must be a mapping such as {{type: stage, from: "
                                 "lunar_descent_stage}")
    lib_keys = mission_data()["elements"]
    typ = raw.get("type", "stage" if ("from" in raw or "isp" in raw) else None)
    if typ is None:
        raise ConceptError(path, f"element '{name}' needs a 'type': one of {', '.join(ELEMENT_TYPES)}")
    if typ not in ELEMENT_TYPES:
        raise ConceptError(path + ("type",), f"unknown element type '{typ}'{did_you_mean(typ, ELEMENT_TYPES)}; "
                                             f"types: {', '.join(ELEMENT_TYPES)}")
    allowed = _PROP_KEYS if typ in PROPULSIVE_TYPES else _ITEM_KEYS if typ in ITEM_TYPES else \
        _PAYLOAD_KEYS if typ == "payload" else _SHELL_KEYS
    _check_keys(raw, allowed, path, f"a {typ} element")
    fields: dict[str, Value] = {}
    load: str | None = None
    library = raw.get("from")
    if library is not None and library not in lib_keys:
        raise ConceptError(path + ("from",), f"'{library}' is not a generic element of the mission data file"
                                             f"{did_you_mean(library, lib_keys)}; known: {', '.join(lib_keys)}")
    for k, v in raw.items():
        if k in ELEMENT_FIELD_KINDS and not (k == "propellant" and v in ("sized", "launch")):
            fields[k] = parse_value(v, ELEMENT_FIELD_KINDS[k], path + (k,), params)
    ptype = raw.get("propellant_type")
    if ptype is not None and ptype not in PROPELLANTS:
        raise ConceptError(path + ("propellant_type",), f"unknown propellant '{ptype}'"
                                                        f"{did_you_mean(ptype, PROPELLANTS)}; known: {', '.join(PROPELLANTS)}")
    if typ in PROPULSIVE_TYPES:
        p = raw.get("propellant", "sized")
        load = p if p in ("sized", "launch") else None
        if library is None and "dry_mass" not in raw:
            raise ConceptError(path, f"element '{name}' needs 'dry_mass' (or 'from: GENERIC_ELEMENT' to start from "
                                     f"one of {', '.join(lib_keys)})")
    if typ in ITEM_TYPES and "mass" not in raw:
        raise ConceptError(path, f"element '{name}' ({typ}) needs its 'mass'")
    if typ == "aeroshell" and "fraction" not in raw:
        raise ConceptError(path, f"aeroshell '{name}' needs 'fraction': its mass as a fraction of the stack that "
                                 "enters (e.g. 15 %)")
    for flag in ("reusable", "hardware"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise ConceptError(path + (flag,), f"'{flag}' is true or false, got {raw[flag]!r}")
    hardware = raw.get("hardware", _HARDWARE_DEFAULT.get(typ, typ == "aeroshell"))
    return ElementDef(name, typ, path, library, fields, load, ptype, bool(hardware), bool(raw.get("reusable", False)),
                      str(raw.get("description", "")))


@dataclass(frozen=True)
class LaunchDef:
    """A launch as written: ``carries`` (element names), ``to`` (``{"c3": Value, "parking_altitude":
    Value}`` or ``{"orbit": Value}``), ``fill`` (may be filled to the launcher's capability in a
    forward budget), ``count`` (a :class:`Value`, or ``None`` for one launch), ``launcher`` (a catalog
    vehicle that flies this launch whatever launcher the study trades; ``None``: the traded one)."""

    name: str
    path: Path_
    carries: tuple[str, ...]
    to: dict[str, Value]
    fill: bool = False
    count: Value | None = None
    launcher: str | None = None


def _parse_launch(name: Any, raw: Any, path: Path_, params: dict[str, Param], elements: dict) -> LaunchDef:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ConceptError(path, f"launch name {name!r} must start with a letter")
    if not isinstance(raw, dict):
        raise ConceptError(path, "a launch is {carries: [ELEMENTS], to: {c3: C3} or {orbit: ALTITUDE}, fill: true}")
    _check_keys(raw, ("carries", "to", "fill", "count", "launcher", "description", "source"), path, "a launch")
    carries = raw.get("carries")
    if isinstance(carries, str):
        carries = [carries]
    if not isinstance(carries, list) or not carries:
        raise ConceptError(path + ("carries",) if "carries" in raw else path,
                           f"launch '{name}' must list what it 'carries' (element names)")
    for i, c in enumerate(carries):
        if c not in elements:
            raise ConceptError(path + ("carries", i), f"'{c}' is not an element of this concept"
                                                      f"{did_you_mean(c, elements)}")
    to = raw.get("to")
    if not isinstance(to, dict) or not (set(to) in ({"c3"}, {"c3", "parking_altitude"}, {"orbit"})):
        raise ConceptError(path + ("to",) if "to" in raw else path,
                           "'to' is where the launcher delivers: {c3: C3, parking_altitude: ALTITUDE} or "
                           "{orbit: ALTITUDE} (circular)")
    tv = {k: parse_value(v, LAUNCH_FIELD_KINDS[k], path + ("to", k), params) for k, v in to.items()}
    fill = raw.get("fill", False)
    if not isinstance(fill, bool):
        raise ConceptError(path + ("fill",), f"'fill' is true or false, got {fill!r}")
    count = None
    if "count" in raw:
        c = raw["count"]
        if isinstance(c, bool) or not isinstance(c, (int, str)):
            raise ConceptError(path + ("count",), "'count' is a whole number or a count parameter")
        if isinstance(c, int):
            if not 0 <= c <= 1000:
                raise ConceptError(path + ("count",), f"'count' must be from 0 to 1000, got {c}")
            count = Value(str(c), const=float(c))
        else:
            if c not in params or not params[c].integer:
                raise ConceptError(path + ("count",), f"'{c}' is not a count parameter (integer: true) of this "
                                                      f"concept{did_you_mean(c, [p for p in params if params[p].integer])}")
            count = Value(c, expr=ast.parse(c, mode="eval"), names=(c,))
    launcher = None
    if "launcher" in raw:
        from ..vehicles.catalog import CatalogError, default_catalog

        ref = raw["launcher"]
        if not isinstance(ref, str) or not ref.strip():
            raise ConceptError(path + ("launcher",), "'launcher' is the name of a catalog vehicle")
        try:
            launcher = default_catalog().vehicle_key(ref)
        except CatalogError as exc:
            raise ConceptError(path + ("launcher",), str(exc)) from None
        if fill:
            raise ConceptError(path + ("fill",), f"launch '{name}' flies its own launcher '{launcher}'; 'fill' marks "
                                                 "the launches of the launcher being traded")
    return LaunchDef(name, path, tuple(carries), tv, fill, count, launcher)


# -------------------------------------------------------------------------------------------- phases
@dataclass(frozen=True)
class PhaseDef:
    """A phase as written (names not yet expanded for repeated launches): ``kind`` (a concept kind,
    :data:`PHASE_KINDS`), ``element`` (burns) or ``source_el`` / ``target_el`` (propellant
    transfers), ``dv``, ``days``, ``amount`` (a :class:`Value`, ``"all"`` or ``"fill"``), ``loss``,
    ``stack``, ``drop``, ``launches``, ``sized_item``, ``at`` (the place after the phase), ``repeat``
    (a counted launch: one copy of the phase per launch), ``source``."""

    name: str
    kind: str
    path: Path_
    element: str | None = None
    dv: Value | LegValue | None = None
    days: Value | None = None
    amount: Value | str | None = None
    loss: Value | None = None
    source_el: str | None = None
    target_el: str | None = None
    stack: tuple[str, ...] | None = None
    drop: tuple[str, ...] = ()
    launches: tuple[str, ...] = ()
    sized_item: str | None = None
    at: str | None = None
    repeat: str | None = None
    source: str = ""


def _names(raw: Any, path: Path_, what: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ConceptError(path, f"'{what}' is a list of names")
    return tuple(raw)


def _parse_phase(raw: Any, path: Path_, params: dict[str, Param]) -> PhaseDef:
    if not isinstance(raw, dict):
        raise ConceptError(path, "a phase is a mapping {name: ..., kind: ..., ...}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConceptError(path, "every phase needs a 'name'")
    kind = raw.get("kind")
    if kind not in PHASE_KINDS:
        raise ConceptError(path + ("kind",) if "kind" in raw else path,
                           f"phase '{name}': " + (f"unknown kind '{kind}'{did_you_mean(kind, PHASE_KINDS)}; "
                                                  if kind is not None else "needs a 'kind'; ")
                           + f"kinds: {', '.join(PHASE_KINDS)}")
    allowed = _COMMON_PHASE_KEYS + _PHASE_KEYS[kind]
    for k in raw:
        if k not in allowed:
            raise ConceptError(path + (k,), f"phase '{name}': '{k}' is not a field of a {kind} phase"
                                            f"{did_you_mean(k, allowed)}; its fields: {', '.join(allowed)}")
    kw: dict[str, Any] = {}
    if kind in ("burn", "return", "rendezvous"):
        if "element" not in raw:
            raise ConceptError(path, f"phase '{name}': a {kind} names the 'element' that burns")
        if "dv" not in raw:
            raise ConceptError(path, f"phase '{name}': a {kind} needs its 'dv' (a speed such as '2040 m/s', a parameter, "
                                     "or {leg: ...})")
        kw["element"] = raw["element"]
        kw["dv"] = _parse_dv(raw["dv"], path + ("dv",), params)
    if kind == "propellant_transfer":
        for k in ("from", "to", "amount"):
            if k not in raw:
                raise ConceptError(path, f"phase '{name}': a propellant transfer needs '{k}' (from: TANK, to: TANK, "
                                         "amount: MASS | all | fill)")
        kw["source_el"], kw["target_el"] = raw["from"], raw["to"]
        a = raw["amount"]
        kw["amount"] = a if a in ("all", "fill") else parse_value(a, "mass_nonneg", path + ("amount",), params)
        if "loss" in raw:
            kw["loss"] = parse_value(raw["loss"], "fraction", path + ("loss",), params)
    if kind == "launch":
        if "launches" not in raw:
            raise ConceptError(path, f"phase '{name}': a launch phase lists the 'launches' that fly in it")
        kw["launches"] = _names(raw["launches"], path + ("launches",), "launches")
    if kind == "aero":
        if "sized_item" not in raw:
            raise ConceptError(path, f"phase '{name}': an aero phase names its 'sized_item' (an aeroshell element)")
        kw["sized_item"] = raw["sized_item"]
    if "days" in raw:
        kw["days"] = parse_value(raw["days"], "duration_d", path + ("days",), params)
    if "stack" in raw:
        kw["stack"] = _names(raw["stack"], path + ("stack",), "stack")
    if "drop" in raw:
        kw["drop"] = _names(raw["drop"], path + ("drop",), "drop")
    for k in ("at", "repeat", "source"):
        if k in raw:
            if not isinstance(raw[k], str):
                raise ConceptError(path + (k,), f"'{k}' is a text")
            kw[k] = raw[k]
    return PhaseDef(name, kind, path, **kw)


@dataclass(frozen=True)
class ChoiceDef:
    """A categorical alternative: ``options`` name -> (extra elements, phases) spliced in where the
    phase list says ``{choice: NAME}``; ``default`` the option used unless one is chosen."""

    name: str
    default: str
    options: dict[str, tuple[dict[str, ElementDef], tuple[PhaseDef, ...]]]
    path: Path_


@dataclass(frozen=True)
class Concept:
    """A parsed concept (see the module docstring); ``phases`` holds :class:`PhaseDef` s and
    ``("choice", name)`` placeholders."""

    name: str
    description: str
    destination: str
    crewed: bool
    parameters: dict[str, Param]
    elements: dict[str, ElementDef]
    launches: dict[str, LaunchDef]
    phases: tuple
    choices: dict[str, ChoiceDef]
    file: str | None = None

    def phase_sequence(self, choice: dict[str, str] | None = None) -> list[PhaseDef]:
        """The phases with every choice replaced by the chosen (default) option's phases."""
        choice = choice or {}
        out: list[PhaseDef] = []
        for p in self.phases:
            if isinstance(p, tuple):
                c = self.choices[p[1]]
                out.extend(c.options[choice.get(c.name, c.default)][1])
            else:
                out.append(p)
        return out

    def element_defs(self, choice: dict[str, str] | None = None) -> dict[str, ElementDef]:
        """The elements, with those of the chosen options of every choice (in file order)."""
        choice = choice or {}
        out = dict(self.elements)
        for c in self.choices.values():
            out.update(c.options[choice.get(c.name, c.default)][0])
        return out


def _mapping(raw: Any, path: Path_, what: str, required: bool = True) -> dict:
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict) or (required and not raw):
        raise ConceptError(path, f"'{path[-1]}' must be a mapping of {what}")
    return raw


def parse_concept(data: Any, *, name: str | None = None, file: str | None = None) -> Concept:
    """Read a concept from plain data (a YAML document). ``name``: the name it must carry (a library
    file's stem). Raises :class:`ConceptError`. The flow is checked by
    :func:`jointmission.missions.concept_library.read_concept`."""
    if not isinstance(data, dict):
        raise ConceptError((), "a concept file is a mapping with keys concept, description, elements, launches, phases")
    for k in data:
        if k not in _TOP_KEYS:
            raise ConceptError((k,), f"'{k}' is not a key of a concept{did_you_mean(k, _TOP_KEYS)}; keys: "
                                     f"{', '.join(_TOP_KEYS)}")
    cname = data.get("concept")
    if not isinstance(cname, str) or not _IDENT.fullmatch(cname):
        raise ConceptError(("concept",) if "concept" in data else (),
                           "a concept needs 'concept: NAME' (letters, digits and '_')")
    if name is not None and cname != name:
        raise ConceptError(("concept",), f"the concept in file '{name}.yaml' must be named '{name}', not '{cname}'")
    for k in ("elements", "launches", "phases"):
        if k not in data:
            raise ConceptError((), f"concept '{cname}' needs '{k}'")
    params = {}
    for pname, raw in _mapping(data.get("parameters"), ("parameters",), "parameters", required=False).items():
        params[pname] = _parse_param(pname, raw, ("parameters", pname))
    elements: dict[str, ElementDef] = {}
    for ename, raw in _mapping(data["elements"], ("elements",), "elements").items():
        elements[ename] = _parse_element(ename, raw, ("elements", ename), params)
    choices: dict[str, ChoiceDef] = {}
    for chname, raw in _mapping(data.get("choices"), ("choices",), "choices", required=False).items():
        cpath = ("choices", chname)
        if not isinstance(raw, dict) or "options" not in raw or not isinstance(raw["options"], dict) or not raw["options"]:
            raise ConceptError(cpath, f"choice '{chname}' is {{default: OPTION, options: {{OPTION: {{elements: ..., "
                                      "phases: [...]}}}}")
        _check_keys(raw, ("default", "options", "description"), cpath, "a choice")
        opts = {}
        for oname, o in raw["options"].items():
            opath = cpath + ("options", oname)
            if not isinstance(o, dict):
                raise ConceptError(opath, f"option '{oname}' is a mapping {{elements: ..., phases: [...]}}")
            _check_keys(o, ("elements", "phases", "description"), opath, "a choice option")
            oels = {}
            for ename, eraw in _mapping(o.get("elements"), opath + ("elements",), "elements", required=False).items():
                if ename in elements:
                    raise ConceptError(opath + ("elements", ename), f"element '{ename}' is already defined at the top")
                oels[ename] = _parse_element(ename, eraw, opath + ("elements", ename), params)
            ophases = o.get("phases", [])
            if not isinstance(ophases, list):
                raise ConceptError(opath + ("phases",), "'phases' is a list")
            opts[oname] = (oels, tuple(_parse_phase(p, opath + ("phases", i), params) for i, p in enumerate(ophases)))
        default = raw.get("default", next(iter(opts)))
        if default not in opts:
            raise ConceptError(cpath + ("default",), f"'{default}' is not an option of choice '{chname}'"
                                                     f"{did_you_mean(default, opts)}")
        choices[chname] = ChoiceDef(chname, default, opts, cpath)
    all_elements = dict(elements)
    for c in choices.values():
        for els, _ in c.options.values():
            all_elements.update(els)
    launches = {}
    for lname, raw in _mapping(data["launches"], ("launches",), "launches").items():
        launches[lname] = _parse_launch(lname, raw, ("launches", lname), params, all_elements)
    if not isinstance(data["phases"], list) or not data["phases"]:
        raise ConceptError(("phases",), "'phases' is the list of the mission's phases in order")
    phases: list = []
    for i, raw in enumerate(data["phases"]):
        if isinstance(raw, dict) and "choice" in raw:
            if set(raw) != {"choice"} or raw["choice"] not in choices:
                raise ConceptError(("phases", i), f"{{choice: NAME}} names a choice of this concept"
                                                  f"{did_you_mean(raw.get('choice'), choices)}")
            phases.append(("choice", raw["choice"]))
        else:
            phases.append(_parse_phase(raw, ("phases", i), params))
    crewed = data.get("crewed", False)
    if not isinstance(crewed, bool):
        raise ConceptError(("crewed",), f"'crewed' is true or false, got {crewed!r}")
    concept = Concept(cname, str(data.get("description", "")), str(data.get("destination", "")), crewed, params,
                      elements, launches, tuple(phases), choices, file)
    return concept


def choice_combinations(concept: Concept) -> list[dict[str, str]]:
    """Every combination of the options of the concept's choices (``[{}]`` without choices)."""
    combos: list[dict[str, str]] = [{}]
    for c in concept.choices.values():
        combos = [dict(d, **{c.name: o}) for d in combos for o in c.options]
    return combos
