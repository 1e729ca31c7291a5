"""Helpers for the sweep tests: a scenario file in a temporary ``scenarios/`` tree (``write_scenario``,
the shared helper of ``tests/scenario_files.py``), and a finished sweep's results table read back
from its chunk files in manifest order.

A uniquely named module (not ``conftest``) so the test files of this folder can import it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from jointmission.io.chunks import load_manifest
from scenario_files import write_scenario  # noqa: F401  (re-exported: the shared helper of tests/)


def chunk_table(out: Path) -> pa.Table:
    """Every case of the sweep in ``out``, its chunk files concatenated in chunk order."""
    man = load_manifest(out)
    return pa.concat_tables([pq.read_table(out / man["chunks"][str(c)]["file"]) for c in range(man["n_chunks"])])
