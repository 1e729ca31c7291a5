"""Errors of the runners that are the user's to fix (reported by the CLI without a traceback)."""

from __future__ import annotations

__all__ = ["SweepError"]


class SweepError(ValueError):
    """A user-level problem with a sweep run (output folder holds another sweep, bad option)."""
