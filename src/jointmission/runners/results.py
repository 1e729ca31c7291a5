"""Write run results into an output folder, atomically.

Every file is written to a temporary name in the same folder, flushed and fsync'ed, then moved into
place with :func:`os.replace` (atomic on POSIX and Windows). A run killed half-way leaves either the
previous complete file or the new complete file, never a truncated one; temporary files are removed
on errors. ``summary.json`` is written last, so its presence marks a complete run.

Files
-----
``results.parquet``
    The results table (pyarrow); each column's unit and meaning in its field metadata
    (``unit``, ``description``), the scenario name and versions in the schema metadata.
``results.csv``
    The same table as CSV (units are in the column names: ``payload_t``, ``dv_orbit_km_s``).
``results.json``
    The same table as a JSON list of row records (only if ``json`` is in ``outputs.formats``).
``scenario.resolved.yaml``
    The scenario as it ran: vehicle written out in full with engines and overrides applied. It
    loads again with :func:`jointmission.scenario.load_scenario`.
``report.md``
    A human-readable Markdown report: vehicle, payload per target, delta-v budget, stages.
``summary.json``
    Scenario name, vehicle summary and stage table, targets, payloads, versions and a UTC timestamp.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # pragma: no cover
    from .single import RunResult

__all__ = ["atomic_path", "atomic_write_text", "write_results", "json_safe"]


@contextlib.contextmanager
def atomic_path(final: str | Path) -> Iterator[Path]:
    """Context manager yielding a temporary path beside ``final``; on success the temporary file is
    fsync'ed and renamed onto ``final`` (:func:`os.replace`), on error it is deleted.

    Use with writers that want a path: ``with atomic_path(p) as tmp: pq.write_table(t, tmp)``.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    # Like tempfile.mkstemp, but with the usual 0o666 & ~umask permissions of a new file.
    while True:
        tmp = final.parent / f".{final.name}.{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(final.parent)


def _fsync_dir(path: Path) -> None:
    """Persist the rename itself (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def atomic_write_text(final: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``final`` atomically; returns ``final`` as a Path."""
    with atomic_path(final) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(final)


def json_safe(value: Any) -> Any:
    """Recursively replace NaN/inf floats by ``None`` and numpy scalars by Python ones, for JSON."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def _write_with(final: Path, writer: Callable[[Path], None]) -> Path:
    with atomic_path(final) as tmp:
        writer(tmp)
    return final


def write_results(result: RunResult, output_dir: str | Path) -> dict[str, Path]:
    """Write ``result`` into ``output_dir`` (created if needed); returns ``{kind: path}``.

    Table formats follow ``scenario.outputs.formats`` (``parquet``, ``csv``, ``json``);
    ``scenario.resolved.yaml`` and ``summary.json`` are always written, ``summary.json`` last.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    formats = list(result.scenario.outputs.formats)
    files: dict[str, Path] = {}
    table = result.table
    if "parquet" in formats:
        files["parquet"] = _write_with(out / "results.parquet", lambda p: pq.write_table(table, p))
    if "csv" in formats:
        files["csv"] = _write_with(out / "results.csv", lambda p: pacsv.write_csv(table, p))
    if "json" in formats:
        files["json"] = atomic_write_text(
            out / "results.json", json.dumps(json_safe(result.rows), indent=2, allow_nan=False) + "\n"
        )
    header = (
        f"# Resolved scenario '{result.scenario.name}' as run by jointmission {result.versions['jointmission']}\n"
        f"# at {result.timestamp}. Provenance: {json.dumps(json_safe(result.scenario.provenance()))}\n"
        "# This file loads again with `jointmission check` / `jointmission run`.\n"
    )
    files["resolved"] = atomic_write_text(
        out / "scenario.resolved.yaml",
        header + yaml.safe_dump(json_safe(result.scenario.resolved_dict()), sort_keys=False,
                                allow_unicode=True, width=100),
    )
    if result.transfer is not None:  # porkchop grid (NetCDF) + optima; the figure is drawn by report/
        tr = result.transfer
        files["porkchop"] = _write_with(out / "porkchop.nc", lambda p: tr.ds.to_netcdf(p, engine="scipy"))
        files["transfer_optima"] = atomic_write_text(
            out / "transfer_optima.json", json.dumps(json_safe(tr.rows()), indent=2, allow_nan=False) + "\n"
        )
    if result.mission is not None:  # mission architectures table (units in column names and metadata)
        mt = result.mission.table()
        files["mission_parquet"] = _write_with(out / "mission.parquet", lambda p: pq.write_table(mt, p))
        files["mission_csv"] = _write_with(out / "mission.csv", lambda p: pacsv.write_csv(mt, p))
    from .report_md import markdown_report

    files["report"] = atomic_write_text(out / "report.md", markdown_report(result))
    summary = result.summary()
    summary["files"] = sorted(p.name for p in files.values()) + ["summary.json"]
    files["summary"] = atomic_write_text(
        out / "summary.json", json.dumps(json_safe(summary), indent=2, allow_nan=False) + "\n"
    )
    return files
