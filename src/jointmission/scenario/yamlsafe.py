"""Safe YAML reading with line numbers, for scenario files and the files they include.

:func:`load_yaml_file` returns plain Python data (dicts, lists, str, int, float, bool, None) plus a
:class:`LineMap` from field paths to 1-based line numbers, so every later error can name its line.

What is refused, each with a :class:`~jointmission.scenario.errors.ScenarioError` naming file and line:

- files over :data:`MAX_BYTES` (checked before reading), binary files (NUL bytes), non-UTF-8 text;
- malformed YAML (the parser's line and column), several documents in one file;
- anchors and aliases (``&a`` / ``*a``) and merge keys (``<<``): refused at the first anchor or alias
  *event*, during composition, before anything is expanded -- so a "billion laughs" alias bomb costs
  a few microseconds and no memory;
- nesting deeper than :data:`MAX_DEPTH`;
- tags other than the plain core schema (``!!python/object``, custom ``!tags``, ``!!binary``, ...);
- non-scalar or duplicate mapping keys (YAML itself would silently keep the last duplicate);
- control characters in any text value or key *after* YAML parsing, i.e. also those written as
  escapes in a quoted string (``name: "\\a"``, ``"\\x00"``, ``"\\e[2J"``): C0 controls U+0000-U+001F,
  DEL U+007F and C1 controls U+0080-U+009F. Tab and line feed are allowed only in free text
  (``description``, ``notes``, ``source``, e.g. a ``|`` block); everywhere else (names, units, dates,
  keys) they are refused too.
  Such characters can rewrite a terminal or a report and never belong in a name or a quantity.

Only :class:`yaml.SafeLoader` machinery is used: nothing in a file can construct Python objects.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import LineMap, PathKey, ScenarioError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "LineMap", "load_yaml_file", "load_yaml_text", "is_within"]

MAX_BYTES = 1 << 20
"""Largest scenario (or included) file accepted, in bytes (1 MiB)."""

MAX_DEPTH = 48
"""Deepest nesting of mappings/sequences accepted."""

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = _TAG + "timestamp"

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Control characters refused in any text value or key (C0, DEL, C1)."""
_CONTROL_IN_FREE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The same, minus tab and line feed: what a ``description`` may not hold."""
_FREE_TEXT = frozenset({"description", "notes", "source"})
"""Keys whose text is free prose (tabs and line breaks allowed)."""


def _check_text(text: str, node: Node, path: tuple[PathKey, ...], file: str | Path, what: str) -> None:
    """Refuse a control character in ``text`` (a parsed scalar value or key) with file, line and field."""
    from .errors import format_path

    free = bool(path) and path[-1] in _FREE_TEXT and what == "value"
    m = (_CONTROL_IN_FREE_TEXT if free else _CONTROL).search(text)
    if m is None:
        return
    code = ord(m.group())
    name = {0x09: "a tab", 0x0A: "a line break", 0x0D: "a carriage return", 0x00: "a NUL character",
            0x1B: "an escape character"}.get(code, "a control character")
    allowed = " (tabs and line breaks are allowed only in 'description', 'notes' and 'source')" if code in (0x09, 0x0A) else ""
    raise _fail(file, node.start_mark,
                f"the text {what} holds {name} (U+{code:04X}, e.g. written as an escape in a quoted string); "
                f"remove it: names, units, dates and keys are plain printable text{allowed}",
                format_path(path))


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, reason: str) -> None:
        super().__init__(reason)
        self.mark = mark
        self.reason = reason


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors, aliases and deep nesting *before* building nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D401 - PyYAML hook
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"YAML aliases ('*{event.anchor}') are not allowed in scenario files (they can "
                "expand exponentially, the 'billion laughs' attack); write the values out in full",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                event.start_mark,
                f"YAML anchors ('&{anchor}') are not allowed in scenario files; write the values "
                "out in full",
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _fail(file: str | Path, mark: yaml.Mark | None, reason: str, field: str | None = None) -> ScenarioError:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return ScenarioError(reason, file=file, line=line, column=column, field=field)


def load_yaml_text(text: str, file: str | Path) -> tuple[Any, LineMap]:
    """Parse one YAML document from ``text`` into plain data and a :class:`LineMap`.

    ``file`` is only used in error messages. Raises :class:`ScenarioError` for every refusal listed
    in the module docstring.
    """
    try:  # the reader checks every character up front: control characters are refused here
        loader = _GuardedLoader(text)
    except yaml.YAMLError as exc:
        raise _reader_error(file, text, exc) from None
    try:
        try:
            node = loader.get_single_node()
        except _Refused as exc:
            raise _fail(file, exc.mark, exc.reason) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            reason = f"malformed YAML: {exc.problem or exc.context}"
            if exc.context and exc.problem:
                where = ""
                if exc.context_mark is not None and exc.problem_mark is not None and (
                    exc.context_mark.line != exc.problem_mark.line
                ):
                    where = f" started on line {exc.context_mark.line + 1}"
                reason += f" ({exc.context}{where})"
            if "expected a single document" in reason:
                reason = "the file holds several YAML documents ('---'); a scenario is one document"
            raise _fail(file, mark, reason) from None
        except yaml.YAMLError as exc:  # reader errors: control characters etc.
            raise _reader_error(file, text, exc) from None
        except RecursionError:  # pragma: no cover - MAX_DEPTH stops this first
            raise ScenarioError("nesting is too deep", file=file) from None
        if node is None:
            raise ScenarioError("the file is empty; a scenario is a YAML mapping", file=file, line=1)
        lines = LineMap()
        data = _to_python(node, (), lines, loader, file)
        return data, lines
    finally:
        loader.dispose()


def _reader_error(file: str | Path, text: str, exc: yaml.YAMLError) -> ScenarioError:
    """A control character (or another character YAML refuses) as a message with its line and column."""
    pos = getattr(exc, "position", None)
    char = getattr(exc, "character", None)
    if isinstance(pos, int) and 0 <= pos <= len(text):
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        what = f"character U+{ord(char):04X}" if isinstance(char, str) and char else (
            f"character U+{char:04X}" if isinstance(char, int) else "a character")
        return ScenarioError(f"the file contains a control {what} that YAML does not allow; remove it "
                             "(scenario files are plain text)", file=file, line=line, column=column)
    return ScenarioError(f"not a readable YAML file: {' '.join(str(exc).split())}", file=file)


_UNSIGNED_EXPONENT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)[eE][0-9]+")
"""A plain scalar such as ``1e4`` or ``2.5e1``: YAML 1.1 resolves it as text (its floats need a dot and a
signed exponent, ``1.0e+4``), YAML 1.2 as a number; it is read as the number."""


def _to_python(node: Node, path: tuple[PathKey, ...], lines: LineMap, loader: yaml.SafeLoader, file):
    from .errors import format_path

    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            raise _fail(file, node.start_mark, f"YAML tag '{node.tag}' is not allowed", format_path(path))
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _fail(file, key_node.start_mark, "mapping keys must be plain text", format_path(path))
            if key_node.tag == _TAG + "merge":
                raise _fail(
                    file, key_node.start_mark,
                    "YAML merge keys ('<<') are not allowed in scenario files; write the keys out",
                    format_path(path),
                )
            if key_node.tag not in _SCALAR_TAGS:
                raise _fail(file, key_node.start_mark, f"YAML tag '{key_node.tag}' is not allowed",
                            format_path(path))
            key = str(key_node.value)
            _check_text(key, key_node, path, file, "key")
            sub = path + (key,)
            if key in out:
                raise _fail(
                    file, key_node.start_mark,
                    f"duplicate key '{key}' (first on line {lines.exact(sub)}); keep only one",
                    format_path(path),
                )
            lines.set(sub, key_node.start_mark.line + 1)
            out[key] = _to_python(value_node, sub, lines, loader, file)
        return out
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            raise _fail(file, node.start_mark, f"YAML tag '{node.tag}' is not allowed", format_path(path))
        items = []
        for i, item in enumerate(node.value):
            sub = path + (i,)
            lines.set(sub, item.start_mark.line + 1)
            items.append(_to_python(item, sub, lines, loader, file))
        return items
    assert isinstance(node, ScalarNode)
    if node.tag == _TIMESTAMP:
        return str(node.value)  # dates stay text; fields that want dates parse them
    if node.tag not in _SCALAR_TAGS:
        raise _fail(
            file, node.start_mark,
            f"YAML tag '{node.tag}' is not allowed; scenario files hold plain text, numbers, "
            "booleans, lists and mappings only",
            format_path(path),
        )
    if node.tag == _TAG + "str" and node.style is None and _UNSIGNED_EXPONENT.fullmatch(node.value):
        return float(node.value.replace("_", ""))  # 1e4: a number in YAML 1.2 and to every reader
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError:  # e.g. an integer of more than 4,300 digits (Python's int-parsing limit)
        raise _fail(file, node.start_mark, f"the number '{str(node.value)[:20]}...' ({len(str(node.value)):,} "
                    "characters) cannot be read; write a number such as 1.5e6", format_path(path)) from None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sys.float_info.max:
        digits = len(str(abs(value)))
        raise _fail(file, node.start_mark, f"the integer {str(value)[:12]}... has {digits:,} digits, beyond the "
                    "range of a floating-point number (about 1.8e308); write a realistic value", format_path(path))
    if isinstance(value, str):
        _check_text(value, node, path, file, "value")
    return value


def load_yaml_file(path: str | Path, *, what: str = "scenario") -> tuple[Any, LineMap]:
    """Read and parse a YAML file safely; returns ``(data, LineMap)``.

    The size is checked before reading (at most :data:`MAX_BYTES`), binary and non-UTF-8 files are
    refused, and then :func:`load_yaml_text` applies. ``what`` names the file's role in messages.
    """
    p = Path(path)
    try:  # os.stat before opening: opening a FIFO would block until a writer comes
        st = os.stat(p)
    except FileNotFoundError:
        raise ScenarioError(f"{what} file not found", file=p) from None
    except (OSError, ValueError) as exc:  # name too long, NUL in the name, permissions
        raise ScenarioError(f"cannot read the {what} file: {getattr(exc, 'strerror', None) or exc}", file=p) from None
    if stat.S_ISDIR(st.st_mode):
        raise ScenarioError(f"is a directory, not a {what} file", file=p)
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError(f"is not a regular file (a pipe, socket or device); a {what} file is a YAML text "
                            "file on disk", file=p)
    if st.st_size > MAX_BYTES:
        raise ScenarioError(
            f"the {what} file is {st.st_size / 2**20:.1f} MiB; files over 1 MiB are refused", file=p
        )
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read the {what} file: {exc.strerror or exc}", file=p) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError(f"the {what} file is over 1 MiB; such files are refused", file=p)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ScenarioError(
            f"this is a binary file, not a YAML {what} file (it contains NUL bytes)", file=p, line=line
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not a UTF-8 text file (invalid byte 0x{raw[exc.start]:02x}); a {what} file must be "
            "YAML text",
            file=p, line=line,
        ) from None
    return load_yaml_text(text, p)


def is_within(child: Path, root: Path) -> bool:
    """True if ``child`` is ``root`` or inside it (both resolved, symlinks followed)."""
    try:
        child.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False

