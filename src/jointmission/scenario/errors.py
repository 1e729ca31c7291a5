"""The one error type a user sees for a bad scenario file: :class:`ScenarioError`.

Every message names the file, the line (when one is known) and the field path, then says what is
wrong and how to fix it, in one paragraph::

    scenarios/x.yaml:14: vehicle.stages[1].m_dry: must be a positive mass such as '12 t', got '-3 t'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


__all__ = ["ScenarioError", "format_path", "display_path"]

PathKey = str | int


class LineMap:
    """Field path -> 1-based line of the key (mapping entries) or item (sequence entries).

    :meth:`line` falls back to the nearest ancestor that has a line, so a missing key points at its
    parent mapping.
    """

    def __init__(self) -> None:
        self._lines: dict[tuple[PathKey, ...], int] = {(): 1}

    def set(self, path: tuple[PathKey, ...], line: int) -> None:
        """Record that ``path`` starts on ``line`` (1-based)."""
        self._lines[path] = line

    def exact(self, path: Sequence[PathKey]) -> int | None:
        """Line of exactly ``path``, or ``None`` if the file has no such entry."""
        return self._lines.get(tuple(path))

    def line(self, path: Sequence[PathKey]) -> int:
        """Line of ``path`` or of its nearest ancestor present in the file (the root is line 1)."""
        p = tuple(path)
        while p not in self._lines:
            p = p[:-1]
        return self._lines[p]

    def shifted(self, prefix: tuple[PathKey, ...]) -> LineMap:
        """A copy whose paths are prefixed by ``prefix`` (for a file included at ``prefix``)."""
        out = LineMap()
        out._lines = {prefix + k: v for k, v in self._lines.items()}
        return out
"""One element of a field path: a mapping key (str) or a list index (int)."""


def format_path(path: Sequence[PathKey]) -> str:
    """Dotted field path of a key/index sequence: ``("vehicle", "stages", 1, "m_dry")`` ->
    ``"vehicle.stages[1].m_dry"``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out


def display_path(path: str | Path | None) -> str:
    """A file path as shown in messages: relative to the working directory when inside it."""
    if path is None:
        return "<scenario>"
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class ScenarioError(ValueError):
    """A scenario (or a file it includes) is not valid. A user-input error, never a bug.

    Attributes
    ----------
    file : str | None
        The file at fault as given/displayed (``None`` for scenarios built from a dict).
    line : int | None
        1-based line in ``file`` (``None`` when the problem has no single line, e.g. an empty file).
    field : str | None
        Dotted field path such as ``vehicle.stages[1].m_dry`` (``None`` for file-level problems).
    reason : str
        What is wrong and how to fix it, without the location prefix.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        column: int | None = None,
    ) -> None:
        self.file = display_path(file) if file is not None else None
        self.line = line
        self.column = column
        self.field = field or None
        self.reason = " ".join(str(reason).split())  # one paragraph, whatever the source said
        super().__init__(self._compose())

    def _compose(self) -> str:
        loc = self.file or "<scenario>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        parts = [loc]
        if self.field:
            parts.append(self.field)
        parts.append(self.reason)
        return ": ".join(parts)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self._compose()


class SourceContext:
    """Where a scenario's values came from (file and YAML line map): builds located errors."""

    def __init__(self, file, lines: LineMap, has_lines: bool) -> None:
        self.file, self.lines, self.has_lines = file, lines, has_lines

    def line(self, path: Sequence[PathKey]) -> int | None:
        return self.lines.line(path) if self.has_lines else None

    def fail(self, path: Sequence[PathKey], reason: str) -> ScenarioError:
        return ScenarioError(reason, file=self.file, line=self.line(path), field=format_path(path) or None)
