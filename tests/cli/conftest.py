"""Fixtures for CLI tests (helpers live in ``cli_helpers``)."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from cli_helpers import SHIPPED, CliRun, run_to


@pytest.fixture(scope="session")
def shipped_runs(tmp_path_factory) -> dict[Path, tuple[CliRun, Path]]:
    """``jointmission run`` on every shipped scenario, once per session: path -> (run, output dir).

    The runs are spread over two worker processes (the machine has two cores); each worker calls
    ``jointmission.cli.main`` in-process, exactly as the tests' own ``invoke`` does.
    """
    base = tmp_path_factory.mktemp("runs")
    outs = {p: base / p.parent.name / p.stem for p in SHIPPED}
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {p: pool.submit(run_to, p, outs[p]) for p in SHIPPED}
        return {p: (f.result(), outs[p]) for p, f in futures.items()}
