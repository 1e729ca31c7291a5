"""The programme layer's data files (``programme/data/*.yaml``): read once, cached, and checked that
every number says where it comes from.

A data file has a ``references`` table (key -> full citation) and sections whose numbers sit next to
a ``source:`` key naming one of those references (or ``derived`` for a value this package computes
from other sourced values, with ``where:`` saying how).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from ..io.packaged_yaml import load_packaged

__all__ = ["load", "missing_sources", "DATA_FILES"]

DATA_FILES: tuple[str, ...] = ("transcost", "money", "prices")


@functools.cache
def _read(name: str) -> dict[str, Any]:
    text = resources.files("jointmission.programme").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")
    data = load_packaged(text)
    if not isinstance(data, dict):  # pragma: no cover - a broken package
        raise ValueError(f"programme/data/{name}.yaml: expected a mapping at the top level")
    return data


def load(name: str) -> dict[str, Any]:
    """The parsed data file ``programme/data/<name>.yaml`` (cached; treat it as read-only).

    Parameters
    ----------
    name : str
        File stem, one of :data:`DATA_FILES`.

    Returns
    -------
    dict
        The YAML document.
    """
    if name not in DATA_FILES:
        raise ValueError(f"unknown programme data file {name!r}; known: {', '.join(DATA_FILES)}")
    return _read(name)


def _has_number(node: Any) -> bool:
    if isinstance(node, bool):
        return False
    if isinstance(node, (int, float)):
        return True
    if isinstance(node, list):
        return any(_has_number(v) for v in node)
    return False


def missing_sources(data: dict[str, Any]) -> list[str]:
    """Paths of the mappings in ``data`` that hold a number but no valid ``source:``.

    A mapping is sourced when it, or one of its enclosing mappings, has ``source:`` naming a key of
    ``data["references"]`` (or ``derived``). The ``references`` table itself is exempt.

    Parameters
    ----------
    data : dict
        A parsed programme data file.

    Returns
    -------
    list of str
        Dotted paths of unsourced mappings (empty when the file is fully sourced).
    """
    refs = set(data.get("references", {})) | {"derived"}
    bad: list[str] = []

    def walk(node: Any, path: str, sourced: bool) -> None:
        if isinstance(node, dict):
            src = node.get("source")
            if src is not None and src not in refs:
                bad.append(f"{path}.source ({src!r} is not a reference)")
            here = sourced or src in refs
            if not here and any(_has_number(v) for v in node.values()):
                bad.append(path or "<top>")
            for key, value in node.items():
                if isinstance(value, dict):
                    walk(value, f"{path}.{key}" if path else str(key), here)

    walk({k: v for k, v in data.items() if k != "references"}, "", False)
    return bad
