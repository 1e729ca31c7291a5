"""Chunk files and the manifest of a sweep run: atomic, verifiable, resumable.

Layout of a sweep output folder::

    manifest.json            run identity + one entry per completed chunk (rows, bytes, sha256)
    chunks/chunk-000000.parquet, chunk-000001.parquet, ...

A chunk is serialised to Parquet in memory, hashed (SHA-256), written to a temporary name in
``chunks/``, fsync'ed and renamed (:func:`os.replace`); only then is it entered in the manifest
(itself replaced atomically). A chunk file that is not in the manifest -- the run was killed
between the rename and the manifest update -- is not trusted: it is recomputed. On resume each
manifest entry is verified (size and SHA-256 of the file) before it is skipped; a mismatch means
the chunk is recomputed. Temporary files left by a killed run are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .atomic import atomic_write_text, json_safe

__all__ = ["MANIFEST", "CHUNK_DIR", "chunk_path", "write_chunk_bytes", "load_manifest", "save_manifest",
           "verify_chunk", "clean_temporaries", "file_sha256"]

MANIFEST = "manifest.json"
CHUNK_DIR = "chunks"


def chunk_path(out_dir: str | Path, c: int) -> Path:
    """Path of chunk ``c``'s Parquet file."""
    return Path(out_dir) / CHUNK_DIR / f"chunk-{c:06d}.parquet"


def write_chunk_bytes(out_dir: str | Path, c: int, data) -> dict[str, Any]:
    """Write chunk ``c`` (bytes or any buffer, e.g. a pyarrow Buffer) atomically; return its manifest
    entry ``{file, bytes, sha256}``."""
    data = memoryview(data)
    final = chunk_path(out_dir, c)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".{final.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"file": f"{CHUNK_DIR}/{final.name}", "bytes": data.nbytes, "sha256": hashlib.sha256(data).hexdigest()}


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, read in 8 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(8 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_chunk(out_dir: str | Path, entry: dict[str, Any]) -> bool:
    """True if the chunk file of manifest ``entry`` exists with the recorded size and SHA-256."""
    p = Path(out_dir) / entry["file"]
    try:
        if p.stat().st_size != entry["bytes"]:
            return False
    except OSError:
        return False
    return file_sha256(p) == entry["sha256"]


def clean_temporaries(out_dir: str | Path) -> int:
    """Remove the temporary files a killed run left: chunk files (``chunks/.chunk-*.tmp``) and those of
    the atomic writes in the folder itself (``.sample.parquet.<hex>.tmp``, ``.summary.json.<hex>.tmp``,
    ...); return how many."""
    from .results_dir import remove_temporaries

    n = remove_temporaries(out_dir)
    d = Path(out_dir) / CHUNK_DIR
    if d.is_dir():
        for p in d.glob(".chunk-*.tmp"):
            p.unlink(missing_ok=True)
            n += 1
    return n


def load_manifest(out_dir: str | Path) -> dict[str, Any] | None:
    """The manifest of ``out_dir``, or ``None`` if there is none (or it is unreadable)."""
    p = Path(out_dir) / MANIFEST
    try:
        man = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return man if isinstance(man, dict) else None  # not a manifest (hand-edited, another tool's file)


def save_manifest(out_dir: str | Path, manifest: dict[str, Any]) -> None:
    """Replace the manifest atomically."""
    atomic_write_text(Path(out_dir) / MANIFEST, json.dumps(json_safe(manifest), indent=1, sort_keys=True) + "\n")
