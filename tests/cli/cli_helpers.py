"""Helpers for the CLI tests: run ``jointmission`` in-process and capture its output.

A uniquely named module (not ``conftest``) so test files can import it without clashing with the
other ``conftest.py`` files of the suite.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
SHIPPED = sorted(
    [*SCENARIOS.glob("*.yaml"), *SCENARIOS.glob("reference/*.yaml"), *SCENARIOS.glob("examples/*.yaml")]
)


@dataclass
class CliRun:
    """Exit code and captured text of one in-process ``jointmission`` call."""

    code: int
    out: str
    err: str


def invoke(*argv: str | Path) -> CliRun:
    """Run ``jointmission *argv`` in-process (stdout/stderr captured, so not a TTY)."""
    from jointmission.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return CliRun(code, out.getvalue(), err.getvalue())


def run_to(path: Path, out_dir: Path) -> CliRun:
    """``jointmission run PATH -o OUT_DIR`` (a top-level function, so worker processes can call it)."""
    return invoke("run", path, "-o", out_dir)
