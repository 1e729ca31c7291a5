"""Concept files (docs/concepts.md) read with file:line errors: a standalone concept file
(:func:`load_concept_file`), and the ``mission.concepts: {NAME: {file: PATH}}`` references of a
scenario, inlined before the scenario is validated (:func:`inline_concept_files`).

The concept itself is read by :func:`jointmission.missions.concept_library.read_concept`; its
:class:`~jointmission.missions.concept.ConceptError` carries the key path of the problem, which is
turned here into the file's line (and the field path), so every message names file, line and the
element or phase at fault.
"""

from __future__ import annotations

import copy
import stat as _stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..missions.concept import Concept, ConceptError
from ..missions.concept_library import read_concept
from .errors import ScenarioError, SourceContext, format_path
from .yamlsafe import LineMap, is_within, load_yaml_file

__all__ = ["load_concept_file", "inline_concept_files", "concept_error", "is_concept_file"]


def is_concept_file(path: str | Path) -> bool:
    """True when ``path`` reads as a YAML mapping with a top-level ``concept`` key and no
    ``vehicle`` (a concept file, not a scenario); False for anything else (errors included: the
    scenario loader then reports them)."""
    try:
        data, _ = load_yaml_file(path, what="concept")
    except ScenarioError:
        return False
    return isinstance(data, dict) and "concept" in data and "vehicle" not in data


def concept_error(exc: ConceptError, file: Any, lines: LineMap | None, prefix: tuple = ()) -> ScenarioError:
    """A :class:`ScenarioError` at the line of ``exc.path`` (under ``prefix``) in ``file``."""
    path = prefix + exc.path
    line = lines.line(path) if lines is not None else None
    return ScenarioError(exc.reason, file=file, line=line, field=format_path(path) or None)


def load_concept_file(path: str | Path, *, name: str | None = None) -> Concept:
    """Read and check the concept file ``path``. Raises :class:`ScenarioError` naming file, line and
    the field (the element, launch or phase) at fault."""
    p = Path(path)
    data, lines = load_yaml_file(p, what="concept")
    try:
        return read_concept(data, name=name, file=str(p))
    except ConceptError as exc:
        raise concept_error(exc, p, lines) from None


def _target(ref: Any, ctx: SourceContext, where: tuple, base_dir: Path | None, root: Path | None) -> Path:
    if not isinstance(ref, str) or not ref.strip():
        raise ctx.fail(where, "a concept file reference is {file: PATH} with a path relative to the scenario file")
    if base_dir is None or root is None:
        raise ctx.fail(where, "file references need a scenario file on disk; use load_scenario(path)")
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).is_absolute() or PureWindowsPath(ref).drive \
            or ref.startswith("~") or any(ord(c) < 32 or ord(c) == 127 for c in ref) or len(ref) > 1024:
        raise ctx.fail(where, f"'{ref[:80]}' is not a relative path; concept files are referenced by a path relative "
                              f"to the scenario file, inside the scenarios tree ({root})")
    try:
        target = (base_dir / ref).resolve()
        within = is_within(target, root)
        st = target.stat() if within else None
    except FileNotFoundError:
        raise ctx.fail(where, f"concept file '{ref}' does not exist (looked for {(base_dir / ref)})") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise ctx.fail(where, f"cannot read the concept file '{ref[:80]}': {getattr(exc, 'strerror', None) or exc}") \
            from None
    if not within:
        raise ctx.fail(where, f"'{ref}' points outside the scenarios tree ({root}); concept files must live inside it")
    if not _stat.S_ISREG(st.st_mode):
        raise ctx.fail(where, f"concept file '{ref}' is not a regular file")
    return target


def inline_concept_files(data: Any, ctx: SourceContext, base_dir: Path | None, root: Path | None) -> Any:
    """``data`` with every ``mission.concepts.NAME: {file: PATH}`` replaced by the file's content,
    after checking that file (errors at the concept file's line). Other data is returned as is."""
    if not isinstance(data, dict) or not isinstance(data.get("mission"), dict):
        return data
    concepts = data["mission"].get("concepts")
    if not isinstance(concepts, dict) or not any(isinstance(v, dict) and "file" in v for v in concepts.values()):
        return data
    out = copy.copy(data)
    out["mission"] = dict(data["mission"])
    out["mission"]["concepts"] = dict(concepts)
    for name, entry in concepts.items():
        if not (isinstance(entry, dict) and "file" in entry):
            continue
        where = ("mission", "concepts", name, "file")
        if set(entry) != {"file"}:
            extra = sorted(set(entry) - {"file"})[0]
            raise ctx.fail(("mission", "concepts", name, extra), f"a concept file reference is {{file: PATH}} alone; "
                                                                 f"'{extra}' belongs in the concept file")
        target = _target(entry["file"], ctx, where, base_dir, root)
        raw, lines = load_yaml_file(target, what="concept")
        if not isinstance(raw, dict):
            raise ScenarioError("a concept file is a YAML mapping (concept, elements, launches, phases)", file=target,
                                line=1)
        try:
            read_concept(raw, name=str(name))
        except ConceptError as exc:
            raise concept_error(exc, target, lines) from None
        out["mission"]["concepts"][name] = raw
    return out
