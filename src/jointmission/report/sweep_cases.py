"""The per-case values of a sweep's results, read back from its chunk files for the report, and the
Pareto front of two of them.

A sweep's report reads the chunk files once: :class:`SweepCases` reads the union of the columns every
figure and table needs (:func:`jointmission.report.sweep_plots.report_columns`), only those, and the
writers take their columns from it (:meth:`SweepCases.get`). :func:`read_cases` reads one set of
columns for a caller on its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["SweepCases", "read_cases", "pareto_front", "MAX_SCATTER", "scatter_step"]


def _chunk_files(out: Path) -> list[Path]:
    return sorted((out / "chunks").glob("chunk-*.parquet"))


def _as_array(col) -> np.ndarray:
    """One chunk's column as numpy: numeric as float, categorical (dictionary) as an object array of
    strings (each category's string shared by its cases)."""
    import pyarrow as pa

    if pa.types.is_dictionary(col.type):
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if col.null_count == 0:
            names = np.asarray(col.dictionary.to_pylist() + [None], dtype=object)[:-1]
            return names[col.indices.to_numpy(zero_copy_only=False).astype(np.intp, copy=False)]
        return np.asarray(col.to_pylist(), dtype=object)
    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=float)


def _read(files: list[Path], columns: list[str]) -> dict[str, np.ndarray] | None:
    import pyarrow.parquet as pq

    try:
        tables = [pq.read_table(f, columns=columns) for f in files]
    except (OSError, KeyError, ValueError):
        return None
    return {c: np.concatenate([_as_array(t.column(c)) for t in tables]) for c in columns}


def read_cases(out: Path, columns: list[str]) -> dict[str, np.ndarray] | None:
    """Every case's values of ``columns`` from a sweep folder's chunk files: numeric columns as float
    arrays, categorical (dictionary) columns as object arrays of strings; ``None`` when the folder has
    no chunks or a column is missing or unreadable."""
    files = _chunk_files(out)
    if not files:
        return None
    return _read(files, list(columns))


class SweepCases:
    """The columns a sweep's report needs, read from its chunk files once (:meth:`read`) and handed to
    every figure and table writer. ``data`` maps a column to its per-case values (as
    :func:`read_cases`); ``memo`` keeps results several writers share (the cost table's front)."""

    def __init__(self, data: dict[str, np.ndarray] | None) -> None:
        self.data = data
        self.memo: dict = {}

    @classmethod
    def read(cls, out: Path, columns: list[str]) -> "SweepCases":
        """Read ``columns`` (those the chunk files have; duplicates once) from the folder ``out``'s
        chunk files, one pass over the files; no chunks or unreadable files leave ``data`` ``None``."""
        import pyarrow.parquet as pq

        files = _chunk_files(out)
        if not files:
            return cls(None)
        try:
            have = set(pq.read_schema(files[0]).names)
        except (OSError, ValueError):
            return cls(None)
        return cls(_read(files, [c for c in dict.fromkeys(columns) if c in have]))

    def get(self, columns: list[str]) -> dict[str, np.ndarray] | None:
        """The per-case values of ``columns`` (as :func:`read_cases`: ``None`` when one is missing)."""
        if self.data is None or any(c not in self.data for c in columns):
            return None
        return {c: self.data[c] for c in columns}


def cases_of(out: Path, cases: SweepCases | None, columns: list[str]) -> dict[str, np.ndarray] | None:
    """``columns`` from ``cases`` when the report read them already, else read from ``out``'s chunks."""
    return read_cases(out, columns) if cases is None else cases.get(columns)


MAX_SCATTER = 20000
"""Most cases a sweep scatter figure draws: beyond it every ``scatter_step``-th case is drawn (a million
dots cost matplotlib ~10 s and show nothing more than twenty thousand); Pareto-front cases are always drawn."""


def scatter_step(n: int) -> int:
    """Stride over ``n`` cases that draws at most about :data:`MAX_SCATTER` of them (1 up to twice that)."""
    return max(1, int(n) // MAX_SCATTER)


def pareto_front(a: np.ndarray, b: np.ndarray, sense_a: str, sense_b: str) -> np.ndarray:
    """Indices of the non-dominated points of two objectives (``"max"``/``"min"`` each), ordered by
    the first objective; NaN points are never on the front."""
    sa = 1.0 if sense_a == "min" else -1.0
    sb = 1.0 if sense_b == "min" else -1.0
    ok = np.flatnonzero(np.isfinite(a) & np.isfinite(b))
    order = ok[np.lexsort((sb * b[ok], sa * a[ok]))]
    v = sb * b[order]
    # a point is on the front when it beats (strictly) the best second objective of every point before it
    best_before = np.concatenate(([np.inf], np.minimum.accumulate(v)[:-1])) if v.size else v
    return np.asarray(order[v < best_before], dtype=int)
