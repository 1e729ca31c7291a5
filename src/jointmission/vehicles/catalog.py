"""The packaged engine and launch-vehicle catalog (``vehicles/data/engines.yaml``, ``vehicles.yaml``).

Files are read with :func:`yaml.safe_load` through :mod:`importlib.resources` once, then cached.
Raw accessors return deep copies (callers may mutate them, e.g. to apply scenario overrides);
:func:`resolve_vehicle_dict` replaces engine names by full engine mappings so that override paths
such as ``stages[0].engine.isp_vac`` work; :func:`get_engine` / :func:`get_vehicle` return validated
domain objects. Names match case-insensitively; an unknown name raises :class:`CatalogError` listing
the closest names.

This module holds the one engine resolver, :func:`resolve_engine` (a catalog name, an inline
:class:`EngineSpec`, a mapping or an :class:`Engine` -> an :class:`Engine`), and
:func:`build_vehicle`, which builds a :class:`~jointmission.vehicles.vehicle.LaunchVehicle` from a
spec with it.
"""

from __future__ import annotations

import copy
import difflib
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..io.packaged_yaml import load_packaged
from .engine import Engine
from .spec import EngineSpec, VehicleSpec
from .vehicle import LaunchVehicle

__all__ = [
    "CatalogError",
    "Catalog",
    "engine_names",
    "vehicle_names",
    "engine_raw",
    "vehicle_raw",
    "resolve_vehicle_dict",
    "resolve_engine",
    "build_vehicle",
    "get_engine",
    "get_vehicle",
    "get_vehicle_spec",
    "load_catalog_from",
    "default_catalog",
]


class CatalogError(ValueError):
    """An unknown catalog name, or a malformed catalog file. The message lists close matches."""


@dataclass(frozen=True)
class Catalog:
    """Raw catalog contents: ``engines`` and ``vehicles`` mappings of name -> raw YAML dict."""

    engines: Mapping[str, dict]
    vehicles: Mapping[str, dict]
    origin: str = "<memory>"

    # -- lookups -----------------------------------------------------------------------------
    def _find(self, table: Mapping[str, dict], name: str, what: str) -> str:
        if not isinstance(name, str):
            raise CatalogError(f"{what} name must be a string, got {type(name).__name__}")
        if name in table:
            return name
        folded = {k.casefold(): k for k in table}
        key = folded.get(name.strip().casefold())
        if key is not None:
            return key
        # Also accept the entry's own `name` field (it may differ from the key).
        for k, v in table.items():
            if isinstance(v, dict) and str(v.get("name", "")).casefold() == name.strip().casefold():
                return k
        close = difflib.get_close_matches(name, list(table), n=5, cutoff=0.4)
        close += [k for k in table if name.strip().casefold() in k.casefold() and k not in close]
        hint = f"did you mean {', '.join(repr(c) for c in close[:5])}? " if close else ""
        raise CatalogError(
            f"unknown {what} {name!r}; {hint}known {what}s: {', '.join(sorted(table))}"
        )

    def engine_key(self, name: str) -> str:
        """Catalog key of engine ``name`` (case-insensitive). Raises :class:`CatalogError`."""
        return self._find(self.engines, name, "engine")

    def vehicle_key(self, name: str) -> str:
        """Catalog key of vehicle ``name`` (case-insensitive). Raises :class:`CatalogError`."""
        return self._find(self.vehicles, name, "vehicle")

    def resolve_vehicle_dict(self, raw: dict) -> dict:
        """Deep copy of ``raw`` with every engine name in ``stages`` / ``boosters`` replaced by the
        catalog engine mapping (see :func:`resolve_vehicle_dict`)."""
        if not isinstance(raw, dict):
            raise CatalogError(f"a vehicle must be a mapping, got {type(raw).__name__}")
        out = copy.deepcopy(raw)
        holders: list[tuple[str, Any]] = []
        stages = out.get("stages")
        if isinstance(stages, list):
            holders += [(f"stages[{i}]", st) for i, st in enumerate(stages)]
        if isinstance(out.get("boosters"), dict):
            holders.append(("boosters", out["boosters"]))
        for where, holder in holders:
            if isinstance(holder, dict) and isinstance(holder.get("engine"), str):
                try:
                    key = self.engine_key(holder["engine"])
                except CatalogError as exc:
                    raise CatalogError(f"{where}.engine: {exc}") from None
                holder["engine"] = copy.deepcopy(self.engines[key])
        return out

    def get_engine(self, name: str) -> Engine:
        """Validated :class:`Engine` for catalog engine ``name``."""
        key = self.engine_key(name)
        return Engine.from_spec(EngineSpec.model_validate(self.engines[key]))

    def get_vehicle_spec(self, name: str) -> VehicleSpec:
        """Validated :class:`VehicleSpec` of catalog vehicle ``name`` with engines resolved."""
        key = self.vehicle_key(name)
        return VehicleSpec.model_validate(self.resolve_vehicle_dict(self.vehicles[key]))

    def get_vehicle(self, name: str) -> LaunchVehicle:
        """Validated :class:`~jointmission.vehicles.vehicle.LaunchVehicle` for catalog vehicle ``name``."""
        return build_vehicle(self.get_vehicle_spec(name), self)


def _parse(text: str, origin: str, fast: bool = False) -> dict:
    """Top-level mapping of name -> entry of one catalog file's ``text``; ``fast``: the packaged
    files, read with libyaml (:func:`~jointmission.io.packaged_yaml.load_packaged`, ~6 ms instead of
    ~60 ms; a user's file is read by PyYAML, whose messages the errors quote)."""
    data = load_packaged(text) if fast else yaml.safe_load(text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogError(f"{origin}: expected a mapping of name -> entry at top level")
    for k, v in data.items():
        if not isinstance(v, dict):
            raise CatalogError(f"{origin}: entry {k!r} must be a mapping, got {type(v).__name__}")
    return {str(k): v for k, v in data.items()}


def load_catalog_from(path_engines: str | Path, path_vehicles: str | Path) -> Catalog:
    """Load a catalog from two YAML files (used by tests and by users with their own catalog).

    Parameters
    ----------
    path_engines, path_vehicles : path-like
        Files in the format of the packaged ``engines.yaml`` / ``vehicles.yaml``.
    """
    pe, pv = Path(path_engines), Path(path_vehicles)
    return Catalog(
        engines=_parse(pe.read_text(encoding="utf-8"), str(pe)),
        vehicles=_parse(pv.read_text(encoding="utf-8"), str(pv)),
        origin=f"{pe}, {pv}",
    )


_lock = threading.Lock()
_default: Catalog | None = None


def default_catalog() -> Catalog:
    """The packaged catalog, loaded once (thread-safe) and cached."""
    global _default
    with _lock:
        if _default is None:
            data = resources.files("jointmission.vehicles") / "data"
            texts = {}
            for fname in ("engines.yaml", "vehicles.yaml"):
                f = data / fname
                texts[fname] = f.read_text(encoding="utf-8") if f.is_file() else ""
            _default = Catalog(
                engines=_parse(texts["engines.yaml"], "engines.yaml", fast=True),
                vehicles=_parse(texts["vehicles.yaml"], "vehicles.yaml", fast=True),
                origin="jointmission/vehicles/data",
            )
        return _default


def _reset_cache() -> None:
    """Forget the cached packaged catalog (tests)."""
    global _default
    with _lock:
        _default = None


def engine_names() -> list[str]:
    """Names (keys) of the packaged catalog's engines, sorted."""
    return sorted(default_catalog().engines)


def vehicle_names() -> list[str]:
    """Names (keys) of the packaged catalog's launch vehicles, sorted."""
    return sorted(default_catalog().vehicles)


def engine_raw(name: str) -> dict:
    """Deep copy of the raw YAML mapping of engine ``name`` (case-insensitive)."""
    cat = default_catalog()
    return copy.deepcopy(cat.engines[cat.engine_key(name)])


def vehicle_raw(name: str) -> dict:
    """Deep copy of the raw YAML mapping of vehicle ``name`` (case-insensitive), engines unresolved."""
    cat = default_catalog()
    return copy.deepcopy(cat.vehicles[cat.vehicle_key(name)])


def resolve_vehicle_dict(raw: dict, catalog: Catalog | None = None) -> dict:
    """Replace engine names in ``raw["stages"][i]["engine"]`` and ``raw["boosters"]["engine"]`` by the
    full catalog engine mapping (deep copies), so that override paths like
    ``stages[0].engine.isp_vac`` apply to the result. Inline engine mappings are left as they are.

    Raises
    ------
    CatalogError
        If an engine name is unknown; the message says where and lists close matches.
    """
    return (catalog or default_catalog()).resolve_vehicle_dict(raw)


def resolve_engine(ref: Any, engines: Mapping[str, Any] | Catalog | None = None, where: str = "") -> Engine:
    """The one engine resolver: ``ref`` (a catalog engine name, an :class:`EngineSpec`, a raw
    mapping of engine fields or an :class:`Engine`) -> :class:`Engine`.

    Parameters
    ----------
    ref : str, EngineSpec, Mapping or Engine
    engines : Catalog or Mapping, optional
        Where names are looked up (case-insensitively): a :class:`Catalog` or a mapping name ->
        :class:`Engine` / :class:`EngineSpec` / raw dict; default the packaged catalog.
    where : str
        Prefix of error messages (``"stages[1]"``).

    Raises
    ------
    CatalogError
        For an unknown name, listing close matches.
    """
    prefix = f"{where}.engine: " if where else ""
    if isinstance(ref, Engine):
        return ref
    if isinstance(ref, EngineSpec):
        return Engine.from_spec(ref)
    if isinstance(ref, Mapping):
        return Engine.from_spec(EngineSpec.model_validate(dict(ref)))
    if engines is None or isinstance(engines, Catalog):
        cat = engines or default_catalog()
        try:
            return cat.get_engine(ref)
        except CatalogError as exc:
            raise CatalogError(f"{prefix}{exc}") from None
    table = {str(k).casefold(): v for k, v in engines.items()}
    if str(ref).casefold() not in table:
        close = difflib.get_close_matches(str(ref), [str(k) for k in engines], n=5, cutoff=0.4)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise CatalogError(f"{prefix}unknown engine {ref!r}{hint}")
    return resolve_engine(table[str(ref).casefold()], None, where)


def build_vehicle(spec: VehicleSpec, engines: Mapping[str, Any] | Catalog | None = None) -> LaunchVehicle:
    """:class:`~jointmission.vehicles.vehicle.LaunchVehicle` from a validated spec, engine names
    resolved by :func:`resolve_engine` in ``engines`` (default the packaged catalog); every use of an
    engine shares one :class:`Engine` object.

    Raises
    ------
    CatalogError
        For an unknown engine name (the message says where).
    """
    return LaunchVehicle.from_spec(spec, lambda ref, where: resolve_engine(ref, engines, where))


def get_engine(name: str) -> Engine:
    """Validated :class:`Engine` from the packaged catalog (case-insensitive name)."""
    return default_catalog().get_engine(name)


def get_vehicle_spec(name: str) -> VehicleSpec:
    """Validated :class:`VehicleSpec` (engines resolved) from the packaged catalog."""
    return default_catalog().get_vehicle_spec(name)


def get_vehicle(name: str) -> LaunchVehicle:
    """Validated :class:`~jointmission.vehicles.vehicle.LaunchVehicle` from the packaged catalog
    (case-insensitive name). Raises :class:`CatalogError` for unknown names, listing close ones."""
    return default_catalog().get_vehicle(name)
