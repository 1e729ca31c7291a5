"""Terminal helpers of the command line: the user-mistake exception (exit code 2), the :mod:`rich`
console (plain, fixed width when not a terminal) and the number format of its tables.

Tables never cut a number: the console prints a table whose number columns do not all fit in its
width as several tables, each repeating the first (label) column, with the number columns at their
full width; only text (labels, status messages) wraps.
"""

from __future__ import annotations

import copy
import math
import os
import re
import sys
from typing import Any

__all__ = ["UsageError", "fit_table"]

#: A cell that is a number, a date, a count or a range of them: printed whole, never wrapped or cut.
_NUMBER = re.compile(r"^[-+]?[\d.,:/ %e+-]*\d[\d.,:/ %e+-]*$|^-$")
#: A text column may wrap down to this width (longer words fold).
_TEXT_MIN = 12
#: Narrowest table width used when the output is not a terminal, whatever ``$COLUMNS`` says.
_MIN_WIDTH = 40


class UsageError(Exception):
    """A user mistake found by the CLI itself (bad option value); exit code 2."""


def _console(stderr: bool = False):

    stream = sys.stderr if stderr else sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    width = None
    if not tty:
        try:
            width = int(os.environ.get("COLUMNS", "120"))
        except ValueError:
            width = 120
        # COLUMNS=0 or negative printed nothing at all; a few columns folded every cell: the answer
        # is never lost to a width setting
        width = 120 if width <= 0 else max(width, _MIN_WIDTH)
    return _TableConsole(file=stream, width=width, highlight=False, soft_wrap=False,
                         no_color=not tty or None, emoji=False)


def _plain(cell: Any) -> str:
    return cell.plain if hasattr(cell, "plain") else str(cell)


def _needs(column: Any) -> tuple[int, bool]:
    """(width the column needs, whether it holds only numbers) for ``column`` of a rich Table (at
    least the column's own ``min_width``)."""
    cells = [_plain(c) for c in column._cells]
    header_word = max((len(w) for w in _plain(column.header).split()), default=0)
    widest = max((len(c) for c in cells), default=0)
    if cells and all(_NUMBER.match(c.strip()) for c in cells if c.strip()):
        return max(widest, header_word, column.min_width or 0), True
    word = max((len(w) for c in cells for w in c.split()), default=0)
    return min(widest, max(header_word, min(word, _TEXT_MIN), _TEXT_MIN // 2)), False


def fit_table(table: Any, width: int) -> list[Any]:
    """``table`` as one or more rich Tables of at most ``width`` columns in which no number is cut:
    number columns are set to their full width (no wrapping); when they do not fit side by side the
    columns are shared out over several tables, each repeating the first column, titled
    "(continued)" after the first. Text columns wrap (and fold a word longer than the column)."""
    cols = list(table.columns)
    if not cols:
        return [table]
    needs = [_needs(c) for c in cols]

    def total(idx: list[int]) -> int:
        return sum(needs[i][0] for i in idx) + 3 * len(idx) + 1

    groups: list[list[int]] = [[0]]
    for j in range(1, len(cols)):
        if len(groups[-1]) > 1 and total(groups[-1] + [j]) > width:
            groups.append([0])
        groups[-1].append(j)
    out = []
    for g, idx in enumerate(groups):
        part = copy.copy(table)
        part.columns = []
        for i in idx:
            col = copy.copy(cols[i])
            need, numeric = needs[i]
            if numeric:  # fixed at the widest number (the header wraps at its spaces)
                col.width, col.min_width, col.no_wrap, col.overflow = need, None, False, "fold"
            else:
                col.min_width, col.overflow = need, "fold"
            part.columns.append(col)
        if g and table.title:
            part.title = f"{_plain(table.title)} (continued)"
        out.append(part)
    return out


def _console_class() -> type:
    from rich.console import Console
    from rich.table import Table

    class TableConsole(Console):
        """A rich Console whose tables never cut a number (:func:`fit_table`)."""

        def print(self, *objects: Any, **kwargs: Any) -> None:  # noqa: A003 - rich's name
            if not any(isinstance(o, Table) for o in objects):
                super().print(*objects, **kwargs)
                return
            for o in objects:
                for part in (fit_table(o, self.width) if isinstance(o, Table) else [o]):
                    super().print(part, **kwargs)

    return TableConsole


def _TableConsole(**kwargs: Any) -> Any:  # noqa: N802 - a class factory (rich imported on first use)
    return _console_class()(**kwargs)


def _fmt(v: Any, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return str(v)
