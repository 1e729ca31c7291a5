"""Load a scenario file into a validated :class:`Scenario`; every error names file, line and field.

Steps: safe YAML with line numbers (:mod:`.yamlsafe`) -> the document schema (:mod:`.schema`) ->
the vehicle: a catalog entry (engines resolved with
:func:`jointmission.vehicles.catalog.resolve_vehicle_dict`) or a vehicle file inside the scenarios tree
or an inline mapping -> ``overrides`` applied by path -> the launch-site override -> validation as a
:class:`jointmission.vehicles.spec.VehicleSpec`.

Bare numbers in a scenario file are read in the scenario defaults: masses (``m_prop``, ``m_dry``,
``mass``, ``payload``) in t and thrusts (``thrust_sl``, ``thrust_vac``) in kN; the loader writes
them as ``"<n> t"`` / ``"<n> kN"`` before the vehicle schema (whose own bare-number defaults are kg
and N) sees them. Catalog values are never reinterpreted.
"""

from __future__ import annotations

import copy
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from ..vehicles import catalog as _catalog
from ..vehicles.spec import VehicleSpec
from .errors import PathKey, ScenarioError, format_path
from .schema import (
    CatalogVehicleRef,
    FileVehicleRef,
    OutputsSpec,
    ScenarioDoc,
    TargetSpec,
    suggest,
    unknown_key_message,
)
from .yamlsafe import LineMap, is_within, load_yaml_file

__all__ = ["Scenario", "load_scenario", "parse_scenario", "scenarios_root", "parse_override_path",
           "MASS_KEYS", "THRUST_KEYS"]

MASS_KEYS = frozenset({"m_prop", "m_dry", "mass", "payload"})
"""Vehicle keys whose bare numbers mean tonnes in a scenario file."""

THRUST_KEYS = frozenset({"thrust_sl", "thrust_vac"})
"""Vehicle keys whose bare numbers mean kN in a scenario file."""


# ------------------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Scenario:
    """A validated scenario, ready for :func:`jointmission.runners.single.run`.

    Attributes
    ----------
    name, description : str
        From the file.
    vehicle : VehicleSpec
        The validated vehicle (SI floats), with overrides and the launch-site override applied.
    vehicle_dict : dict
        The same vehicle as a catalog-format mapping (units as written, engines resolved), which is
        what ``scenario.resolved.yaml`` records.
    vehicle_origin : str
        ``"catalog"``, ``"file"`` or ``"inline"``.
    catalog_name : str | None
        Catalog key when ``vehicle_origin == "catalog"``.
    vehicle_file : Path | None
        The included vehicle file when ``vehicle_origin == "file"``.
    overrides : dict
        Override path -> value, as written.
    targets : tuple[TargetSpec, ...]
        Targets, SI floats (altitudes m, angles rad, C3 m^2/s^2).
    outputs : OutputsSpec
        Which table formats to write.
    path : Path | None
        The scenario file (``None`` when built from a dict).
    """

    name: str
    description: str | None
    vehicle: VehicleSpec
    vehicle_dict: dict
    vehicle_origin: str
    catalog_name: str | None
    vehicle_file: Path | None
    overrides: dict
    targets: tuple[TargetSpec, ...]
    outputs: OutputsSpec
    path: Path | None = None
    _raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def launch_latitude_rad(self) -> float:
        """Geodetic latitude of the launch site [rad] (scenario override, else the vehicle's)."""
        return float(self.vehicle.launch_site.latitude)

    @property
    def launch_site_name(self) -> str | None:
        """Launch-site name, if known."""
        return self.vehicle.launch_site.name

    @property
    def vehicle_label(self) -> str:
        """Human label: the vehicle name plus its origin, e.g. ``Saturn V (catalog, 2 overrides)``."""
        bits = [self.vehicle_origin]
        if self.overrides:
            bits.append(f"{len(self.overrides)} override{'s' if len(self.overrides) != 1 else ''}")
        return f"{self.vehicle.name} ({', '.join(bits)})"

    def resolved_dict(self) -> dict:
        """The scenario as it ran, as plain data for ``scenario.resolved.yaml``.

        The vehicle is written inline (catalog entry + engines + overrides + site), targets with
        explicit units, so the file loads again with :func:`load_scenario` and gives the same result.
        """
        targets = []
        for t in self.targets:
            if t.orbit is not None:
                o = t.orbit
                orbit: dict[str, Any] = (
                    {"altitude": _km(o.altitude)} if o.altitude is not None
                    else {"perigee": _km(o.perigee_m), "apogee": _km(o.apogee_m)}
                )
                if o.inclination is not None:
                    orbit["inclination"] = _deg(o.inclination)
                targets.append({"name": t.name, "orbit": orbit})
            else:
                entry: dict[str, Any] = {"name": t.name, "c3": f"{t.c3 / 1e6:.12g} km2/s2"}
                if t.parking is not None:
                    park: dict[str, Any] = {"altitude": _km(t.parking.altitude)}
                    if t.parking.inclination is not None:
                        park["inclination"] = _deg(t.parking.inclination)
                    entry["parking"] = park
                targets.append(entry)
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        out["vehicle"] = copy.deepcopy(self.vehicle_dict)
        out["targets"] = targets
        out["outputs"] = {"formats": list(self.outputs.formats)}
        return out

    def provenance(self) -> dict[str, Any]:
        """Where the vehicle came from: origin, catalog key, vehicle file, overrides, source file."""
        prov: dict[str, Any] = {"vehicle_origin": self.vehicle_origin}
        if self.catalog_name:
            prov["catalog"] = self.catalog_name
        if self.vehicle_file:
            prov["vehicle_file"] = str(self.vehicle_file)
        if self.overrides:
            prov["overrides"] = copy.deepcopy(self.overrides)
        if self.path is not None:
            prov["source"] = str(self.path)
        return prov


def _km(m: float) -> str:
    return f"{m / 1e3:.12g} km"


def _deg(rad: float) -> str:
    import math

    return f"{math.degrees(rad):.12g} deg"


# ---------------------------------------------------------------------------------- entry points
def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve the scenario file at ``path``.

    Raises
    ------
    ScenarioError
        For anything wrong with the file or what it references, naming file, line and field.
    """
    p = Path(path)
    data, lines = load_yaml_file(p)
    return _build(data, lines, file=p, base_dir=p.resolve().parent, root=scenarios_root(p))


def parse_scenario(data: dict, *, source: str | None = None, base_dir: str | Path | None = None) -> Scenario:
    """Validate a scenario given as plain data (as if read from YAML). ``source`` names it in errors.

    ``vehicle: {file: ...}`` references resolve against ``base_dir`` (and must stay inside the
    scenarios tree containing it); without ``base_dir`` they are refused.
    """
    lines = LineMap()
    base = Path(base_dir).resolve() if base_dir is not None else None
    root = scenarios_root(base / "scenario.yaml") if base is not None else None
    return _build(data, lines, file=source or "<scenario>", base_dir=base, root=root, has_lines=False)


def scenarios_root(scenario_file: str | Path) -> Path:
    """Root of the scenarios tree of ``scenario_file``: its nearest ancestor directory named
    ``scenarios``, else the file's own directory. Included files must stay inside it."""
    parent = Path(scenario_file).resolve().parent
    for anc in (parent, *parent.parents):
        if anc.name == "scenarios":
            return anc
    return parent


# ------------------------------------------------------------------------------------ the builder
class _Ctx:
    def __init__(self, file, lines: LineMap, has_lines: bool) -> None:
        self.file, self.lines, self.has_lines = file, lines, has_lines

    def line(self, path: Sequence[PathKey]) -> int | None:
        return self.lines.line(path) if self.has_lines else None

    def fail(self, path: Sequence[PathKey], reason: str) -> ScenarioError:
        return ScenarioError(reason, file=self.file, line=self.line(path), field=format_path(path) or None)


def _build(data: Any, lines: LineMap, *, file, base_dir: Path | None, root: Path | None,
           has_lines: bool = True) -> Scenario:
    ctx = _Ctx(file, lines, has_lines)
    if not isinstance(data, dict):
        raise ctx.fail(
            (),
            f"a scenario file must be a YAML mapping with keys name, vehicle, targets; "
            f"got {_kind(data)}",
        )
    try:
        doc = ScenarioDoc.model_validate(data)
    except ValidationError as exc:
        err = _from_validation(exc, data, lambda p: (ctx.file, ctx.line(p)), ScenarioDoc)
        # The vehicle section is checked on its own below; report whichever problem comes first in
        # the file, so a typo in the vehicle is not hidden behind a later problem (or vice versa).
        first = _vehicle_error(data.get("vehicle"), data, ctx, base_dir, root) if "vehicle" in data else None
        if first is not None and first.file == err.file and (first.line or 0) < (err.line or 0):
            err = first
        raise err from None

    vehicle_dict, locate, origin, cat_key, vfile, overrides = _resolve_vehicle(doc.vehicle, data, ctx, base_dir, root)

    # Launch-site override: the scenario's site replaces the vehicle's (latitude, optional name).
    if doc.launch_site is not None:
        vehicle_dict["launch_site"] = dict(data["launch_site"])  # latitude (+ name)

    try:
        spec = VehicleSpec.model_validate(vehicle_dict)
    except ValidationError as exc:
        raise _from_validation(exc, vehicle_dict, locate, VehicleSpec, prefix=("vehicle",)) from None

    return Scenario(
        name=doc.name,
        description=doc.description,
        vehicle=spec,
        vehicle_dict=vehicle_dict,
        vehicle_origin=origin,
        catalog_name=cat_key,
        vehicle_file=vfile,
        overrides=overrides,
        targets=tuple(doc.targets),
        outputs=doc.outputs,
        path=Path(file) if has_lines else None,
        _raw=data,
    )


def _vehicle_error(value: Any, data: dict, ctx: _Ctx, base_dir: Path | None,
                   root: Path | None) -> ScenarioError | None:
    """The first problem of the ``vehicle`` section alone, or ``None`` if it is valid."""
    try:
        vehicle_dict, locate, *_ = _resolve_vehicle(value, data, ctx, base_dir, root)
        VehicleSpec.model_validate(vehicle_dict)
    except ScenarioError as exc:
        return exc
    except ValidationError as exc:
        return _from_validation(exc, vehicle_dict, locate, VehicleSpec, prefix=("vehicle",))
    return None


Locate = Callable[[Sequence[PathKey]], tuple[Any, int | None, str]]
"""Field path (inside the validated data) -> (file, line, note appended to the message)."""


def _resolve_vehicle(value: Any, data: dict, ctx: _Ctx, base_dir: Path | None, root: Path | None):
    """Return (vehicle_dict, locate, origin, catalog_key, vehicle_file, overrides)."""
    vpath: tuple[PathKey, ...] = ("vehicle",)
    if isinstance(value, str):  # shorthand: vehicle: "Saturn V"
        value = {"catalog": value}
    if not isinstance(value, dict):
        raise ctx.fail(vpath, f"vehicle must be a catalog reference {{catalog: <name>}}, a file reference "
                              f"{{file: <path>}} or an inline vehicle mapping; got {_kind(value)}")

    if "catalog" in value or "file" in value:
        model = CatalogVehicleRef if "catalog" in value else FileVehicleRef
        try:
            ref = model.model_validate(value)
        except ValidationError as exc:
            raise _from_validation(exc, value, lambda p: (ctx.file, ctx.line(vpath + tuple(p))), model,
                                   prefix=vpath) from None
        overrides = dict(ref.overrides)
        if isinstance(ref, CatalogVehicleRef):
            try:
                key = _catalog.default_catalog().vehicle_key(ref.catalog)
                raw = _catalog.vehicle_raw(key)
            except _catalog.CatalogError as exc:
                raise ctx.fail(vpath + ("catalog",), _catalog_msg(str(exc))) from None
            vehicle_dict = _resolve_engines_located(raw, lambda p, msg: ctx.fail(
                vpath + ("catalog",), f"catalog vehicle '{key}': {format_path(p)}: {msg}"))

            def base_locate(p: Sequence[PathKey]) -> tuple[Any, int | None, str]:
                note = (f" (this value comes from catalog vehicle '{key}' in {_CATALOG_FILE}; change it "
                        f"with an override such as '{format_path(p)}: ...')") if p else \
                    f" (in catalog vehicle '{key}', {_CATALOG_FILE})"
                return ctx.file, ctx.line(vpath + ("catalog",)), note

            origin, vfile = "catalog", None
        else:
            key = None
            vfile, inc_data, inc_lines = _load_included(ref.file, ctx, base_dir, root)
            _scale_bare_numbers(inc_data)
            vehicle_dict = inc_data

            def base_locate(p: Sequence[PathKey]) -> tuple[Any, int | None, str]:
                return vfile, inc_lines.line(p), ""

            vehicle_dict = _resolve_engines_located(vehicle_dict, lambda p, msg: ScenarioError(
                msg, file=vfile, line=inc_lines.line(p), field=format_path(("vehicle",) + tuple(p))))
            origin = "file"

        applied = _apply_overrides(vehicle_dict, overrides, ctx)
        locate = _override_locator(applied, base_locate, ctx)
        return vehicle_dict, locate, origin, key, vfile, overrides

    # Inline vehicle mapping.
    vehicle_dict = copy.deepcopy(value)
    _scale_bare_numbers(vehicle_dict)
    vehicle_dict = _resolve_engines_located(vehicle_dict, lambda p, msg: ctx.fail(vpath + tuple(p), msg))

    def inline_locate(p: Sequence[PathKey]) -> tuple[Any, int | None, str]:
        return ctx.file, ctx.line(vpath + tuple(p)), ""

    return vehicle_dict, inline_locate, "inline", None, None, {}


_CATALOG_FILE = "jointmission/vehicles/data/vehicles.yaml"


def _catalog_msg(text: str) -> str:
    return text.replace("unknown vehicle", "unknown catalog vehicle", 1)


def _engine_holders(d: dict) -> list[tuple[tuple[PathKey, ...], dict]]:
    holders: list[tuple[tuple[PathKey, ...], dict]] = []
    if isinstance(d.get("stages"), list):
        holders += [(("stages", i), st) for i, st in enumerate(d["stages"]) if isinstance(st, dict)]
    if isinstance(d.get("boosters"), dict):
        holders.append((("boosters",), d["boosters"]))
    return holders


def _resolve_engines_located(d: dict, fail: Callable[[tuple, str], ScenarioError]) -> dict:
    """Replace engine names by catalog engine mappings; an unknown name fails at its own path."""
    cat = _catalog.default_catalog()
    for path, holder in _engine_holders(d):
        eng = holder.get("engine")
        if isinstance(eng, str):
            try:
                cat.engine_key(eng)
            except _catalog.CatalogError as exc:
                raise fail(path + ("engine",), str(exc).replace("unknown engine", "unknown catalog engine", 1)) from None
    try:
        return _catalog.resolve_vehicle_dict(d)
    except _catalog.CatalogError as exc:  # pragma: no cover - names checked above
        raise fail((), str(exc)) from None


def _load_included(ref: str, ctx: _Ctx, base_dir: Path | None, root: Path | None):
    """Load ``vehicle: {file: ref}``: a relative path that stays inside the scenarios tree."""
    field_path = ("vehicle", "file")
    if base_dir is None or root is None:
        raise ctx.fail(field_path, "file references need a scenario file on disk; use load_scenario(path)")
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).is_absolute() or PureWindowsPath(ref).drive \
            or ref.startswith("~"):
        raise ctx.fail(field_path, f"'{ref}' is an absolute path; vehicle files are referenced by a path "
                                   f"relative to the scenario file, inside the scenarios tree ({root})")
    target = (base_dir / ref).resolve()
    if not is_within(target, root):
        raise ctx.fail(field_path, f"'{ref}' points outside the scenarios tree ({root}); vehicle files "
                                   "must live inside it (no '..' escapes or symlinks out)")
    if not target.is_file():
        raise ctx.fail(field_path, f"vehicle file '{ref}' does not exist (looked for {target})")
    inc_data, inc_lines = load_yaml_file(target, what="vehicle")
    if not isinstance(inc_data, dict):
        raise ScenarioError(f"a vehicle file must be a YAML mapping (catalog vehicle format); got {_kind(inc_data)}",
                            file=target, line=1)
    return target, inc_data, inc_lines


def _scale_bare_numbers(node: Any, key: str | None = None) -> Any:
    """In place: bare numbers under mass keys -> ``"<n> t"``, under thrust keys -> ``"<n> kN"``."""
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if _is_number(v) and k in MASS_KEYS:
                node[k] = f"{v!r} t"
            elif _is_number(v) and k in THRUST_KEYS:
                node[k] = f"{v!r} kN"
            else:
                _scale_bare_numbers(v, k)
    elif isinstance(node, list):
        for v in node:
            _scale_bare_numbers(v, key)
    return node


def _is_number(v: Any) -> bool:
    import math

    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


# --------------------------------------------------------------------------------------- overrides
_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|(\.)")


def parse_override_path(text: str) -> tuple[PathKey, ...]:
    """``"stages[1].engine.isp_vac"`` -> ``("stages", 1, "engine", "isp_vac")``.

    Raises ``ValueError`` with a hint for anything else (empty parts, negative indices, spaces).
    """
    out: list[PathKey] = []
    pos, expect_name = 0, True
    s = text.strip()
    if not s:
        raise ValueError("empty override path")
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m:
            raise ValueError(f"cannot read override path '{text}' at '{s[pos:]}'; write paths like "
                             "'stages[1].m_prop' or 'boosters.count'")
        name, idx, dot = m.groups()
        if name is not None:
            if not expect_name:
                raise ValueError(f"override path '{text}': missing '.' before '{name}'")
            out.append(name)
            expect_name = False
        elif idx is not None:
            if expect_name:
                raise ValueError(f"override path '{text}': an index must follow a key, as in 'stages[1]'")
            out.append(int(idx))
        else:
            if expect_name:
                raise ValueError(f"override path '{text}': empty part between dots")
            expect_name = True
        pos = m.end()
    if expect_name:
        raise ValueError(f"override path '{text}' ends with '.'")
    return tuple(out)


def _apply_overrides(vehicle: dict, overrides: dict[str, Any], ctx: _Ctx) -> list[tuple[tuple[PathKey, ...], tuple]]:
    """Apply ``overrides`` to ``vehicle`` in place; return (vehicle path, scenario path) per entry."""
    applied = []
    for text, value in overrides.items():
        where: tuple[PathKey, ...] = ("vehicle", "overrides", text)
        try:
            tokens = parse_override_path(text)
        except ValueError as exc:
            raise ctx.fail(where, str(exc)) from None
        cur: Any = vehicle
        for depth, tok in enumerate(tokens[:-1]):
            cur = _step(cur, tok, tokens[: depth + 1], text, ctx, where)
        last = tokens[-1]
        value = copy.deepcopy(value)
        if isinstance(last, str) and _is_number(value):
            value = f"{value!r} t" if last in MASS_KEYS else f"{value!r} kN" if last in THRUST_KEYS else value
        else:
            _scale_bare_numbers(value)
        if isinstance(last, int):
            if not isinstance(cur, list) or last >= len(cur):
                n = len(cur) if isinstance(cur, list) else 0
                raise ctx.fail(where, f"override path '{text}': index {last} is out of range "
                                      f"(there are {n} entries, indices 0 to {n - 1})")
            cur[last] = value
        else:
            if not isinstance(cur, dict):
                raise ctx.fail(where, f"override path '{text}': '{format_path(tokens[:-1])}' is not a mapping")
            cur[last] = value
        applied.append((tokens, where))
    # Engine names set by overrides (e.g. "stages[1].engine": "RL10C-3") become full mappings.
    for path, holder in _engine_holders(vehicle):
        if isinstance(holder.get("engine"), str):
            try:
                _catalog.default_catalog().engine_key(holder["engine"])
            except _catalog.CatalogError as exc:
                hit = [w for t, w in applied if tuple(t[: len(path) + 1]) == path + ("engine",)[: len(t) - len(path)]]
                raise ctx.fail(hit[0] if hit else ("vehicle",), str(exc)) from None
    resolved = _catalog.resolve_vehicle_dict(vehicle)
    vehicle.clear()
    vehicle.update(resolved)
    return applied


def _step(cur: Any, tok: PathKey, so_far: tuple, text: str, ctx: _Ctx, where: tuple) -> Any:
    if isinstance(tok, int):
        if not isinstance(cur, list):
            raise ctx.fail(where, f"override path '{text}': '{format_path(so_far[:-1])}' is not a list")
        if tok >= len(cur):
            raise ctx.fail(where, f"override path '{text}': index {tok} is out of range (the vehicle has "
                                  f"{len(cur)} {format_path(so_far[:-1])} entries, indices 0 to {len(cur) - 1})")
        return cur[tok]
    if not isinstance(cur, dict):
        raise ctx.fail(where, f"override path '{text}': '{format_path(so_far[:-1])}' is not a mapping")
    if tok not in cur or cur[tok] is None:
        allowed = _allowed_keys(VehicleSpec, so_far[:-1])
        if tok in allowed:
            reason = (f"override path '{text}': this vehicle has no '{format_path(so_far)}'; override the "
                      f"whole '{format_path(so_far)}' mapping instead")
        else:
            reason = f"override path '{text}': {unknown_key_message(str(tok), sorted(cur) or allowed)}"
        raise ctx.fail(where, reason)
    return cur[tok]


def _override_locator(applied: list[tuple[tuple, tuple]], base: Locate, ctx: _Ctx) -> Locate:
    """Errors under (or above) an overridden path point at that override's line, others at ``base``."""

    def locate(p: Sequence[PathKey]) -> tuple[Any, int | None, str]:
        p = tuple(p)
        best = None
        for tokens, where in applied:
            n = min(len(tokens), len(p))
            if tuple(tokens[:n]) == p[:n] and (best is None or len(tokens) > len(best[0])):
                best = (tokens, where)
        if best is not None:
            return ctx.file, ctx.line(best[1]), f" (set by override '{best[1][-1]}')"
        return base(p)

    return locate


# ------------------------------------------------------------------------ pydantic error -> message
def _from_validation(exc: ValidationError, data: Any, locate: Callable, model: type[BaseModel] | None,
                     prefix: tuple[PathKey, ...] = ()) -> ScenarioError:
    """Turn the first (in file order) pydantic error into a one-paragraph :class:`ScenarioError`."""
    errors = exc.errors(include_url=False)
    described = [(err, *_describe(err, data, model)) for err in errors]
    # A key that is both "missing" and present under a misspelt name: report the misspelling only.
    unknown_parents = {path[:-1] for err, path, _ in described if err["type"] in ("extra_forbidden", "unknown_key")}
    found = []
    for err, path, reason in described:
        if err["type"] == "missing" and path[:-1] in unknown_parents:
            continue
        file, line, note = (*locate(path), "")[:3]
        found.append((line if line is not None else 0, file, path, reason + note))
    found.sort(key=lambda t: t[0])
    line, file, path, reason = found[0]
    if len(found) > 1:
        reason += f" ({len(found) - 1} more problem{'s' if len(found) > 2 else ''} after this one)"
    return ScenarioError(reason, file=file, line=line or None, field=format_path(prefix + tuple(path)) or None)


def _describe(err: dict, data: Any, model: type[BaseModel] | None) -> tuple[tuple[PathKey, ...], str]:
    etype = err["type"]
    loc = err["loc"]
    ctx = err.get("ctx") or {}
    # Drop union/function tags: keep only loc elements that exist in the input data.
    path: list[PathKey] = []
    cur = data
    for i, el in enumerate(loc):
        if isinstance(cur, dict) and isinstance(el, str) and el in cur:
            path.append(el)
            cur = cur[el]
        elif isinstance(cur, list) and isinstance(el, int) and not isinstance(el, bool) and 0 <= el < len(cur):
            path.append(el)
            cur = cur[el]
        elif i == len(loc) - 1 and etype in ("missing", "extra_forbidden"):
            path.append(el)
    if "jm_path" in ctx:
        path = list(ctx["jm_path"])
    elif "jm_key" in ctx:
        path.append(ctx["jm_key"])
    elif "jm_field" in ctx:
        path.append(ctx["jm_field"])
    last = path[-1] if path else None
    value = err.get("input")

    if etype == "missing":
        reason = f"required key '{last}' is missing"
        if last == "launch_site":
            reason += " (give it in the vehicle, or as a top-level 'launch_site: {latitude: ...}')"
    elif etype == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1]) if model is not None else []
        reason = unknown_key_message(str(last), allowed)
    elif etype in ("model_type", "dict_type", "model_attributes_type"):
        reason = f"expected a mapping of keys, got {_kind(value)}"
    elif etype == "list_type":
        reason = f"expected a list, got {_kind(value)}"
    elif etype == "string_type":
        reason = f"expected text, got {_kind(value)} {_short(value)}"
    elif etype == "too_short":
        reason = "needs at least one entry"
    elif etype == "literal_error":
        expected = ctx.get("expected", "")
        reason = f"must be one of {expected}, got {_short(value)}"
        if isinstance(value, str):
            reason += suggest(value, re.findall(r"'([^']*)'", expected))
    elif etype == "string_too_short":
        reason = "must not be empty"
    else:
        reason = err["msg"]
        if reason.startswith("Value error, "):
            reason = reason[len("Value error, "):]
        if isinstance(last, str) and reason.startswith(f"{last} must "):
            reason = reason[len(last) + 1:]
        if "got" not in reason and _short(value) not in reason and not isinstance(value, (dict, list)):
            reason += f", got {_short(value)}"
    return tuple(path), reason


def _short(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_short(value)})"
    return type(value).__name__


def _flatten(ann: Any) -> list[Any]:
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(ann)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [t for a in typing.get_args(ann) for t in _flatten(a)]
    return [ann]


def _allowed_keys(model: type[BaseModel] | None, path: Sequence[PathKey]) -> list[str]:
    """Keys allowed at ``path`` inside ``model`` (best effort over Optional/Union/list fields)."""
    types: list[Any] = [model] if model is not None else []
    for el in path:
        nxt: list[Any] = []
        for t in types:
            if isinstance(el, int):
                if typing.get_origin(t) in (list, tuple):
                    nxt += _flatten(typing.get_args(t)[0])
            elif isinstance(t, type) and issubclass(t, BaseModel) and el in t.model_fields:
                nxt += _flatten(t.model_fields[el].annotation)
        types = nxt
    keys: list[str] = []
    for t in types:
        if isinstance(t, type) and issubclass(t, BaseModel):
            keys += [k for k in t.model_fields if k not in keys]
    return keys
