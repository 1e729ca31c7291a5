"""Reading a concept (parse + flow check for every option of every choice) and the library of
shipped concepts (``scenarios/concepts/*.yaml``, installed as package data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..io.packaged_yaml import load_packaged
from .concept import Concept, choice_combinations, did_you_mean, parse_concept
from .concept_check import check_flow

__all__ = ["read_concept", "library_names", "library_path", "library_concept"]


def read_concept(data: Any, *, name: str | None = None, file: str | None = None) -> Concept:
    """:func:`~.concept.parse_concept` then :func:`~.concept_check.check_flow` for every combination
    of options. Raises :class:`~.concept.ConceptError`."""
    concept = parse_concept(data, name=name, file=file)
    for combo in choice_combinations(concept):
        check_flow(concept, combo)
    return concept


@cache
def _library_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for cand in (here / "_examples" / "concepts", here.parent.parent / "scenarios" / "concepts"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("the concept library (scenarios/concepts) is not installed")  # pragma: no cover


def library_names() -> tuple[str, ...]:
    """Names of the shipped concepts (``scenarios/concepts/*.yaml``), sorted."""
    return tuple(sorted(p.stem for p in _library_dir().glob("*.yaml")))


def library_path(name: str) -> Path:
    """The file of the shipped concept ``name``. Raises ``KeyError`` (with a suggestion)."""
    p = _library_dir() / f"{name}.yaml"
    if not p.is_file():
        raise KeyError(f"unknown concept '{name}'{did_you_mean(name, library_names())}; shipped: "
                       f"{', '.join(library_names())}")
    return p


@cache
def library_concept(name: str) -> Concept:
    """The shipped concept ``name``, parsed (and cached). Raises ``KeyError`` for an unknown name."""
    path = library_path(name)
    with open(path, encoding="utf-8") as fh:
        data = load_packaged(fh)
    return read_concept(data, name=name, file=str(path))
