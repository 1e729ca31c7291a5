"""The per-case values of a sweep's results, read back from its chunk files for the report, and the
Pareto front of two of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def read_cases(out: Path, columns: list[str]) -> dict[str, np.ndarray] | None:
    """Every case's values of ``columns`` from a sweep folder's chunk files: numeric columns as float
    arrays, categorical (dictionary) columns as object arrays of strings; ``None`` when the folder has
    no chunks or a column is missing or unreadable."""
    import pyarrow.parquet as pq

    files = sorted((out / "chunks").glob("chunk-*.parquet"))
    if not files:
        return None
    try:
        tables = [pq.read_table(f, columns=columns) for f in files]
    except (OSError, KeyError, ValueError):
        return None
    got: dict[str, np.ndarray] = {}
    for c in columns:
        parts = [t.column(c).to_pylist() if str(t.schema.field(c).type).startswith("dictionary")
                 else t.column(c).to_numpy(zero_copy_only=False) for t in tables]
        arr = np.concatenate([np.asarray(p, dtype=object if isinstance(p, list) else float) for p in parts])
        got[c] = arr
    return got


def pareto_front(a: np.ndarray, b: np.ndarray, sense_a: str, sense_b: str) -> np.ndarray:
    """Indices of the non-dominated points of two objectives (``"max"``/``"min"`` each), ordered by
    the first objective; NaN points are never on the front."""
    sa = 1.0 if sense_a == "min" else -1.0
    sb = 1.0 if sense_b == "min" else -1.0
    ok = np.flatnonzero(np.isfinite(a) & np.isfinite(b))
    order = ok[np.lexsort((sb * b[ok], sa * a[ok]))]
    front, best = [], np.inf
    for i in order:
        if sb * b[i] < best:
            front.append(i)
            best = sb * b[i]
    return np.asarray(front, dtype=int)
