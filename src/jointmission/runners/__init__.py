"""Evaluate scenarios: single runs (:mod:`.single`), mission architectures (:mod:`.mission`),
transfer windows (:mod:`.transfer`) and chunked, resumable sweeps (:mod:`.sweep`, local or Dask).

Writing a single run's output folder (tables, report, figures) is :mod:`jointmission.report.folder`.
"""

from typing import TYPE_CHECKING, Any

from .single import RunResult, evaluate

if TYPE_CHECKING:  # pragma: no cover - what type checkers see of the lazy sweep names below
    from .sweep import SweepError, SweepResult, load_sweep, run_sweep

__all__ = ["RunResult", "evaluate", "run_sweep", "load_sweep", "SweepResult", "SweepError"]

_SWEEP_NAMES = ("run_sweep", "load_sweep", "SweepResult", "SweepError")


def __getattr__(name: str) -> Any:
    """The sweep names, imported from :mod:`.sweep` on first use (a single run does not load the
    sweep machinery)."""
    if name in _SWEEP_NAMES:
        from . import sweep

        return getattr(sweep, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
