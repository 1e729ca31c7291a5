"""Results folders that never mislead: which files of a folder a previous run of ours wrote.

A run's ``summary.json`` (written last) lists every file the run wrote (``"files"``) and says what
kind of run it was (``"run_kind"``: ``"single"``, ``"sweep"`` or ``"porkchop"``). Before a new run writes into a
folder, :func:`prepare_output_dir`

- accepts a folder that does not exist or is empty;
- accepts a folder holding a previous run *of the same kind*: it removes ``summary.json`` first (so
  an interrupted new run never looks complete), then exactly the files that summary lists, and
  nothing else (a file of the user's beside them is left alone);
- accepts a folder left by an interrupted run of ours (no ``summary.json``, only file names a run of
  that kind writes, or a sweep's ``manifest.json``): those files are ours and are removed (a sweep's
  chunks are handled by the sweep runner, which can also resume them);
- refuses, with :class:`ResultsFolderError`, a folder holding a run of the other kind or files that are
  not ours.

Temporary files of our atomic writes are named ``.<name>.<12 hex digits>.tmp``
(:func:`jointmission.io.atomic.atomic_path`); :func:`remove_temporaries` removes them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

__all__ = ["ResultsFolderError", "SINGLE_FILES", "PORKCHOP_FILES", "COMPARE_FILES", "prepare_output_dir",
           "check_output_dir", "remove_temporaries",
           "run_kind_of", "TEMPORARY"]

SUMMARY = "summary.json"
MANIFEST = "manifest.json"

SINGLE_FILES = frozenset({
    "results.parquet", "results.csv", "results.json", "scenario.resolved.yaml", "porkchop.nc",
    "porkchop.png", "transfer_optima.json", "mission.parquet", "mission.csv", "report.md", SUMMARY,
    "report.html", "dv_budget.png", "payload_curves.png", "mass_waterfall.png", "landed_mass.png",
    "partners.parquet", "partners.png",
})
"""Every file name a single run (``jointmission run`` without a sweep, ``jm.run``) can write."""

PORKCHOP_FILES = frozenset({"porkchop.nc", "porkchop.png", "porkchop.svg", "porkchop_optima.json", "report.html",
                            SUMMARY})
"""Every file name ``jointmission porkchop -o DIR`` can write."""

COMPARE_FILES = frozenset({"report.html", "payload_curves.png", "landed_mass.png", "payload_compare.png", SUMMARY})
"""Every file name ``jointmission compare -o DIR`` can write."""

_OURS = {"single": SINGLE_FILES, "porkchop": PORKCHOP_FILES, "compare": COMPARE_FILES}

TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
"""Name of a temporary file of :func:`jointmission.io.atomic.atomic_path`."""

_KINDS = {"single": "a single run", "sweep": "a sweep", "porkchop": "a porkchop", "compare": "a comparison"}


class ResultsFolderError(Exception):
    """The output folder holds something a run must not overwrite or mix with (a user mistake)."""


def _read_summary(out: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def run_kind_of(summary: dict[str, Any]) -> str:
    """``"single"``, ``"sweep"`` or ``"porkchop"``: the kind of run a ``summary.json`` mapping describes (summaries
    written before ``run_kind`` existed: a sweep's has a ``fingerprint``)."""
    kind = summary.get("run_kind")
    if kind in _KINDS:
        return str(kind)
    return "sweep" if "fingerprint" in summary else "single"


def _listed(summary: dict[str, Any]) -> list[str]:
    """The plain file names a summary lists (a name with a folder part, '..' or a slash is skipped:
    only files directly in the folder are ever removed; a sweep's ``chunks/`` is its runner's)."""
    names = summary.get("files")
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, str) and n and "/" not in n and "\\" not in n
            and n not in (".", "..") and not n.startswith("\0")]


def check_output_dir(out: str | Path, kind: str) -> list[Path]:
    """The files a run of ``kind`` (``"single"``, ``"sweep"`` or ``"porkchop"``) will remove from ``out`` before
    writing; raises :class:`ResultsFolderError` if it must not write there. Removes nothing."""
    out = Path(out)
    if not out.exists():
        return []
    if not out.is_dir():
        raise ResultsFolderError(f"'{out}' is not a folder; choose an output folder with -o DIR")
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        return []
    summary = _read_summary(out)
    has_manifest = MANIFEST in entries
    if summary is not None and ("files" in summary or "run_kind" in summary):  # a previous run of ours
        found = run_kind_of(summary)
        if found != kind or (kind != "sweep" and has_manifest):
            held = _KINDS["sweep"] if has_manifest and found == kind else _KINDS[found]
            raise ResultsFolderError(
                f"'{out}' holds the results of a run that is not {_KINDS[kind]} (it holds {held}: see its "
                "summary.json); write this run elsewhere with -o DIR, or empty that folder first")
        names = set(_listed(summary)) | {SUMMARY}
        names |= {n for n in entries if TEMPORARY.match(n)}
        return [out / n for n in sorted(names) if n in entries]
    if has_manifest:  # a sweep, maybe interrupted (no summary.json yet)
        if kind != "sweep":
            raise ResultsFolderError(f"'{out}' holds a sweep (manifest.json); write this run elsewhere with -o DIR")
        return []  # the sweep runner removes (or resumes) its own files
    if SUMMARY in entries:
        raise ResultsFolderError(
            f"'{out}' holds a summary.json that is not {_KINDS[kind]} of jointmission (it lists no files it "
            "wrote); write this run elsewhere with -o DIR, or empty that folder first")
    ours = _OURS.get(kind)
    theirs = [n for n in entries if n not in ours and not TEMPORARY.match(n)] if ours is not None else entries
    if theirs:
        shown = ", ".join(theirs[:3]) + (f" and {len(theirs) - 3} more" if len(theirs) > 3 else "")
        raise ResultsFolderError(
            f"'{out}' is not empty ({shown}) and holds no results of a jointmission run (no summary.json); "
            "results go into a new or empty folder, or one a previous run wrote: choose another with -o DIR")
    return [out / n for n in entries]  # an interrupted single run or porkchop of ours: only our file names


def prepare_output_dir(out: str | Path, kind: str) -> list[str]:
    """Make ``out`` ready for a run of ``kind``: create it, or remove the previous run's files (see the
    module docstring); returns the names removed. Raises :class:`ResultsFolderError`."""
    out = Path(out)
    doomed = check_output_dir(out, kind)
    out.mkdir(parents=True, exist_ok=True)
    # summary.json first: if this run is interrupted, nothing in the folder claims to be complete
    doomed.sort(key=lambda p: p.name != SUMMARY)
    removed = []
    for p in doomed:
        if p.is_symlink() or p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p.name)
    return removed


def remove_temporaries(out: str | Path) -> int:
    """Remove the temporary files of atomic writes (``.<name>.<hex>.tmp``) directly in ``out``."""
    n = 0
    d = Path(out)
    if d.is_dir():
        for p in d.iterdir():
            if TEMPORARY.match(p.name) and (p.is_file() or p.is_symlink()):
                p.unlink(missing_ok=True)
                n += 1
    return n
