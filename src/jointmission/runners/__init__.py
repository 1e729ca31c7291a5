"""Evaluate scenarios: single runs (:mod:`.single`), mission architectures (:mod:`.mission`),
transfer windows (:mod:`.transfer`) and chunked, resumable sweeps (:mod:`.sweep`, local or Dask).

Writing a single run's output folder (tables, report, figures) is :mod:`jointmission.report.folder`.
"""

from .single import RunResult, evaluate
from .sweep import SweepError, SweepResult, load_sweep, run_sweep

__all__ = ["RunResult", "evaluate", "run_sweep", "load_sweep", "SweepResult", "SweepError"]
