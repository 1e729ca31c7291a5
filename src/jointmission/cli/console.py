"""Terminal helpers of the command line: the user-mistake exception (exit code 2), the :mod:`rich`
console (plain, fixed width when not a terminal) and the number format of its tables."""

from __future__ import annotations

import math
import os
import sys
from typing import Any

__all__ = ["UsageError"]


class UsageError(Exception):
    """A user mistake found by the CLI itself (bad option value); exit code 2."""


def _console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    width = None
    if not tty:
        try:
            width = int(os.environ.get("COLUMNS", "120"))
        except ValueError:
            width = 120
    return Console(file=stream, width=width, highlight=False, soft_wrap=False,
                   no_color=not tty or None, emoji=False)


def _fmt(v: Any, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return str(v)
