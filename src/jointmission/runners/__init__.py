"""Evaluate scenarios: single runs (:mod:`.single`), mission architectures (:mod:`.mission`),
transfer windows (:mod:`.transfer`) and chunked, resumable sweeps (:mod:`.sweep`, local or Dask).

Writing a single run's output folder (tables, report, figures) is :mod:`jointmission.report.folder`.
"""

from typing import Any

from .single import RunResult, evaluate

__all__ = ["RunResult", "evaluate", "run_sweep", "load_sweep", "SweepResult", "SweepError"]

_SWEEP_NAMES = ("run_sweep", "load_sweep", "SweepResult", "SweepError")


def __getattr__(name: str) -> Any:
    """The sweep names, imported from :mod:`.sweep` on first use (a single run does not load the
    sweep machinery)."""
    if name in _SWEEP_NAMES:
        from . import sweep

        return getattr(sweep, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
