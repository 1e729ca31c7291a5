"""Evaluate scenarios and write their results.

:func:`run` (scenario or path -> :class:`RunResult`, optionally writing an output folder) and
:func:`write_results` (atomic writes of Parquet / CSV / JSON / resolved YAML).
"""

from .results import write_results
from .single import RunResult, evaluate, run

__all__ = ["RunResult", "evaluate", "run", "write_results"]
