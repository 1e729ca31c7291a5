"""Atomic file writing: a file is either the previous complete one or the new complete one.

Every file is written to a temporary name in the same folder, flushed and fsync'ed, then moved into
place with :func:`os.replace` (atomic on POSIX and Windows); temporary files are removed on errors.
Used by every writer of the project (result folders, sweep chunks and manifests, reports, figures).
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["atomic_path", "atomic_write_text", "write_with", "json_safe"]


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


def write_with(final: Path, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp)`` on a temporary path beside ``final`` and move it onto ``final`` atomically."""
    with atomic_path(final) as tmp:
        writer(tmp)
    return final
