"""The ``vehicle:`` section of a scenario: a catalog entry, a vehicle file inside the scenarios tree
or an inline mapping, with ``overrides`` applied by path; errors located in the right file and line.

Bare numbers in a scenario file are read in the scenario defaults: masses (``m_prop``, ``m_dry``,
``mass``, ``payload``) in t and thrusts (``thrust_sl``, ``thrust_vac``) in kN; they are written as
``"<n> t"`` / ``"<n> kN"`` before the vehicle schema (whose own bare-number defaults are kg and N)
sees them. Catalog values are never reinterpreted.
"""

from __future__ import annotations

import copy
import math
import re
import stat as _stat
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import ValidationError

from ..units import UnitError, to_si
from ..vehicles import catalog as _catalog
from ..vehicles.fields import FIELDS
from ..vehicles.spec import VehicleSpec
from .errors import PathKey, ScenarioError, SourceContext, format_path
from ._base import CatalogVehicleRef, FileVehicleRef, unknown_key_message
from .validation_errors import allowed_keys, scenario_error_from, kind_of
from .yamlsafe import is_within, load_yaml_file

__all__ = ["MASS_KEYS", "THRUST_KEYS", "parse_override_path", "resolve_vehicle", "vehicle_error"]

MASS_KEYS = frozenset({k for k, f in FIELDS.items() if f.scenario_unit == "t"} | {"payload"})
"""Vehicle keys whose bare numbers mean tonnes in a scenario file (the registry's scenario unit, and
the published ``payload``)."""

THRUST_KEYS = frozenset(k for k, f in FIELDS.items() if f.scenario_unit == "kN")
"""Vehicle keys whose bare numbers mean kN in a scenario file."""

_BARE_UNIT: dict[str, str] = {**{k: "t" for k in MASS_KEYS}, **{k: "kN" for k in THRUST_KEYS},
                              **{k: f.scenario_unit for k, f in FIELDS.items()
                                 if f.scenario_unit and f.scenario_unit != f.spec_unit}}
"""Vehicle key -> the unit of a bare number under it in a scenario file, wherever the registry's
scenario unit differs from the SI one (masses t, thrusts kN, ``coast_time`` min): the unit a sweep
axis of that field reads bare numbers in, so an override and a sweep value mean the same."""


def vehicle_error(value: Any, data: dict, ctx: SourceContext, base_dir: Path | None,
                   root: Path | None) -> ScenarioError | None:
    """The first problem of the ``vehicle`` section alone, or ``None`` if it is valid."""
    try:
        vehicle_dict, locate, *_ = resolve_vehicle(value, data, ctx, base_dir, root)
        VehicleSpec.model_validate(vehicle_dict)
    except ScenarioError as exc:
        return exc
    except ValidationError as exc:
        return scenario_error_from(exc, vehicle_dict, locate, VehicleSpec, prefix=("vehicle",))
    return None


Locate = Callable[[Sequence[PathKey]], tuple[Any, int | None, str]]
"""Field path (inside the validated data) -> (file, line, note appended to the message)."""


def resolve_vehicle(value: Any, data: dict, ctx: SourceContext, base_dir: Path | None, root: Path | None):
    """Return (vehicle_dict, locate, origin, catalog_key, vehicle_file, overrides)."""
    vpath: tuple[PathKey, ...] = ("vehicle",)
    if isinstance(value, str):  # shorthand: vehicle: "Saturn V"
        value = {"catalog": value}
    if not isinstance(value, dict):
        raise ctx.fail(vpath, f"vehicle must be a catalog reference {{catalog: <name>}}, a file reference "
                              f"{{file: <path>}} or an inline vehicle mapping; got {kind_of(value)}")

    if "catalog" in value or "file" in value:
        model = CatalogVehicleRef if "catalog" in value else FileVehicleRef
        try:
            ref = model.model_validate(value)
        except ValidationError as exc:
            raise scenario_error_from(exc, value, lambda p: (ctx.file, ctx.line(vpath + tuple(p))), model,
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


MAX_REF_CHARS = 1024
"""Longest ``vehicle.file`` path accepted (characters)."""


def _load_included(ref: str, ctx: SourceContext, base_dir: Path | None, root: Path | None):
    """Load ``vehicle: {file: ref}``: a relative path that stays inside the scenarios tree."""
    field_path = ("vehicle", "file")
    if base_dir is None or root is None:
        raise ctx.fail(field_path, "file references need a scenario file on disk; use load_scenario(path)")
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).is_absolute() or PureWindowsPath(ref).drive \
            or ref.startswith("~"):
        raise ctx.fail(field_path, f"'{ref}' is an absolute path; vehicle files are referenced by a path "
                                   f"relative to the scenario file, inside the scenarios tree ({root})")
    if len(ref) > MAX_REF_CHARS or any(len(part) > 255 for part in PurePosixPath(ref).parts):
        raise ctx.fail(field_path, f"the vehicle file path is {len(ref):,} characters long; a path of at most "
                                   f"{MAX_REF_CHARS} characters (255 per folder or file name) is expected, such as "
                                   "'vehicles/my_rocket.yaml'")
    if any(ord(c) < 32 or ord(c) == 127 for c in ref):
        raise ctx.fail(field_path, "the vehicle file path contains control characters; write a plain relative "
                                   "path such as 'vehicles/my_rocket.yaml'")
    try:
        target = (base_dir / ref).resolve()
        within = is_within(target, root)
        st = target.stat() if within else None
    except FileNotFoundError:
        raise ctx.fail(field_path, f"vehicle file '{ref}' does not exist (looked for {target})") from None
    except (OSError, RuntimeError, ValueError) as exc:  # name too long, symlink loop, permissions
        why = getattr(exc, "strerror", None) or str(exc)
        raise ctx.fail(field_path, f"cannot read the vehicle file '{ref[:80]}': {why}") from None
    if not within:
        raise ctx.fail(field_path, f"'{ref}' points outside the scenarios tree ({root}); vehicle files "
                                   "must live inside it (no '..' escapes or symlinks out)")
    if _stat.S_ISDIR(st.st_mode):
        raise ctx.fail(field_path, f"vehicle file '{ref}' is a directory (at {target}); give the path of a YAML "
                                   "vehicle file inside it")
    if not _stat.S_ISREG(st.st_mode):
        raise ctx.fail(field_path, f"vehicle file '{ref}' is not a regular file (a pipe, socket or device at "
                                   f"{target}); give the path of a YAML vehicle file")
    inc_data, inc_lines = load_yaml_file(target, what="vehicle")
    if not isinstance(inc_data, dict):
        raise ScenarioError(f"a vehicle file must be a YAML mapping (catalog vehicle format); got {kind_of(inc_data)}",
                            file=target, line=1)
    return target, inc_data, inc_lines


def _scale_bare_numbers(node: Any, key: str | None = None) -> Any:
    """In place: bare numbers under mass keys -> ``"<n> t"``, under thrust keys -> ``"<n> kN"`` (every key of
    :data:`_BARE_UNIT`: its scenario unit)."""
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if _is_number(v) and k in _BARE_UNIT:
                node[k] = f"{_number_text(v)} {_BARE_UNIT[k]}"
            else:
                _scale_bare_numbers(v, k)
    elif isinstance(node, list):
        for v in node:
            _scale_bare_numbers(v, key)
    return node


_BARE_NUMBER = re.compile(r"\s*[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?\s*")
"""Text that is a number alone (``"3.9"``, ``" 100 "``): a quoted bare number, read in the field's unit."""


def _number_text(v: Any) -> str:
    """A bare number (or its quoted text) as text for a quantity string: ``3.9`` / ``"3.9"`` -> ``3.9``."""
    return v.strip() if isinstance(v, str) else repr(v)


def _is_number(v: Any) -> bool:
    """A finite number, or text that is one (a quoted bare number means the field's default unit, as
    the number does: ``m_dry: "3.9"`` is 3.9 t, not 3.9 kg)."""
    import math

    if isinstance(v, str) and _BARE_NUMBER.fullmatch(v):
        return True
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:  # an integer beyond the float range (refused with its line by the loader)
        return False


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


def _apply_overrides(vehicle: dict, overrides: dict[str, Any], ctx: SourceContext) -> list[tuple[tuple[PathKey, ...], tuple]]:
    """Apply ``overrides`` to ``vehicle`` in place; return (vehicle path, scenario path) per entry."""
    applied = []
    engine_edits: list[tuple[dict, str, Any, tuple]] = []
    before = _engines_and_counts(vehicle)
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
            value = f"{_number_text(value)} {_BARE_UNIT[last]}" if last in _BARE_UNIT else value
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
            if len(tokens) >= 2 and tokens[-2] == "engine" and last != "name" and isinstance(cur, dict):
                engine_edits.append((cur, last, value, where))
        applied.append((tokens, where))
    _site_follows(vehicle, {tuple(t) for t, _ in applied})
    # An engine is one object shared by every stage and booster that flies it: a change to
    # "stages[0].engine.isp_vac" is a change to that engine, wherever it flies.
    # An error in a copy the edit reached (the boosters' engine) points at the override's line too.
    for edited, key, value, where in engine_edits:
        for path, holder in _engine_holders(vehicle):
            eng = holder.get("engine")
            if isinstance(eng, dict) and eng is not edited and eng.get("name") == edited.get("name"):
                eng[key] = copy.deepcopy(value)
                applied.append((path + ("engine", key), where))
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
    _engine_mass_follows(vehicle, before, applied, ctx)
    return applied


def _site_follows(vehicle: dict, paths: set[tuple]) -> None:
    """A launch site moves as one: an override of ``launch_site.name`` alone to a catalog site takes that
    site's latitude (as ``launch_site: NAME`` does); an override of ``launch_site.latitude`` alone drops a
    catalog site's name it no longer matches (more than
    :data:`~jointmission.vehicles.launch_sites.SITE_LATITUDE_TOL_DEG`), so no report names one site at
    another's latitude."""
    from ..units import UnitError, to_si
    from ..vehicles.launch_sites import LaunchSiteError, check_site_latitude, site_mapping

    site = vehicle.get("launch_site")
    if not isinstance(site, dict):
        return
    name, lat = ("launch_site", "name") in paths, ("launch_site", "latitude") in paths
    if name and not lat:
        try:
            vehicle["launch_site"] = site_mapping({k: v for k, v in site.items() if k != "latitude"})
        except LaunchSiteError:
            pass  # not a catalog name: a label of the vehicle's own latitude
    elif lat and not name and site.get("name") is not None:
        try:
            check_site_latitude(site["name"], math.degrees(to_si(site.get("latitude"), "angle", "deg")))
        except LaunchSiteError:
            site.pop("name")
        except UnitError:
            pass  # the schema reports the latitude at its override's line


def _engine_mass_of(eng: Any) -> float | None:
    """Engine mass [kg] of a resolved engine mapping (None if not given or not readable)."""
    try:
        return to_si(eng["mass"], "mass", "kg") if isinstance(eng, dict) and eng.get("mass") is not None else None
    except UnitError:
        return None


def _engines_and_counts(vehicle: dict) -> dict[tuple, tuple[Any, float | None, Any]]:
    """Holder path -> (engine name, engine mass [kg], engine count) of every stage and the boosters."""
    out = {}
    for path, holder in _engine_holders(vehicle):
        eng = holder.get("engine")
        name = eng.get("name") if isinstance(eng, dict) else eng
        count = holder.get("engines_per_booster" if path == ("boosters",) else "engine_count", 1)
        out[path] = (name, _engine_mass_of(eng), count)
    return out


def _engine_mass_follows(vehicle: dict, before: dict, applied: list, ctx: SourceContext) -> None:
    """An override that changes a stage's (the boosters') engine or engine count changes its dry
    mass by the engine mass difference, as a sweep does, unless the same overrides set ``m_dry``."""
    set_paths = {tuple(t) for t, _ in applied}
    for path, (name, mass, count) in _engines_and_counts(vehicle).items():
        old = before.get(path)
        dry_path = path + ("m_dry",)
        if old is None or (old[0] == name and old[2] == count) or \
                any(t == dry_path[:len(t)] for t in set_paths):  # m_dry (or its whole holder) set as written
            continue
        holder = vehicle["boosters"] if path == ("boosters",) else vehicle["stages"][path[1]]
        where = next((w for t, w in applied if tuple(t[:len(path)]) == path), ("vehicle",))
        if mass is None or old[1] is None:
            raise ctx.fail(where, f"'{format_path(path)}': the engine change needs both engines' masses to move the "
                                  f"dry mass (engine mass difference); give the engines a 'mass' or set "
                                  f"'{format_path(path + ('m_dry',))}' too")
        try:
            dry = to_si(holder["m_dry"], "mass", "kg")
            n_new, n_old = float(count), float(old[2])
        except (UnitError, KeyError, TypeError, ValueError):
            continue  # the schema reports the bad value with its line
        holder["m_dry"] = f"{dry + n_new * mass - n_old * old[1]!r} kg"


def _step(cur: Any, tok: PathKey, so_far: tuple, text: str, ctx: SourceContext, where: tuple) -> Any:
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
        allowed = allowed_keys(VehicleSpec, so_far[:-1])
        if tok in allowed:
            reason = (f"override path '{text}': this vehicle has no '{format_path(so_far)}'; override the "
                      f"whole '{format_path(so_far)}' mapping instead")
        else:
            reason = f"override path '{text}': {unknown_key_message(str(tok), sorted(cur) or allowed)}"
        raise ctx.fail(where, reason)
    return cur[tok]


def _override_locator(applied: list[tuple[tuple, tuple]], base: Locate, ctx: SourceContext) -> Locate:
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
