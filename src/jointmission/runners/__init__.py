"""Evaluate scenarios and write their results.

:func:`run` (scenario or path -> :class:`RunResult`, optionally writing an output folder) and
:func:`write_results` (atomic writes of Parquet / CSV / JSON / resolved YAML); :func:`run_sweep`
(a scenario's ``sweep:`` section: chunked, resumable, local or Dask) and :func:`load_sweep`.
"""

from .results import write_results
from .single import RunResult, evaluate, run
from .sweep import SweepError, SweepResult, load_sweep, run_sweep

__all__ = ["RunResult", "evaluate", "run", "write_results", "run_sweep", "load_sweep", "SweepResult", "SweepError"]
