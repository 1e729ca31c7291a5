"""The documentation works: the site builds with warnings as errors (tutorial notebooks executed,
API reference rendered from the docstrings, the validation table generated from the test data), and
every ```python / ```bash block of README.md and docs/ runs.

Both are slow (minutes): they run in the full test command, not in ``-m "not slow"``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docs_codeblocks import ROOT, RUN_LANGS, blocks, doc_files

_IGNORE = shutil.ignore_patterns(".git", ".venv", "results", "site", ".cache", "__pycache__", "*.egg-info",
                                 ".pytest_cache", ".hypothesis", ".mypy_cache", "build", "dist")

_DRIVER = r'''
import json, subprocess, sys, traceback


def main():  # guarded: worker processes that re-import this script (Dask, multiprocessing) run nothing
    blocks = json.load(open(sys.argv[1], encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    for b in blocks:
        print(f"--- {b['where']} ({b['lang']})", flush=True)
        if b["lang"] == "python":
            try:
                exec(compile(b["code"], b["where"], "exec"), namespace)
            except BaseException:
                traceback.print_exc()
                print(f"FAILED: {b['where']}", flush=True)
                sys.exit(1)
        else:
            rc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", b["code"]]).returncode
            if rc != 0:
                print(f"FAILED: {b['where']} (exit code {rc})", flush=True)
                sys.exit(1)


if __name__ == "__main__":
    main()
'''


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["MPLBACKEND"] = "Agg"
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def _runnable_files() -> list:
    return [pytest.param(p, id=p.relative_to(ROOT).as_posix())
            for p in doc_files() if any(b.lang in RUN_LANGS and not b.skip for b in blocks(p))]


@pytest.mark.slow
@pytest.mark.parametrize("path", _runnable_files())
def test_code_blocks_run(path: Path, tmp_path: Path):
    """The page's python and bash blocks, in page order, in a fresh copy of the repository (python
    blocks share one namespace, like a reader's session; each bash block runs with ``-e``)."""
    work = tmp_path / "repo"
    shutil.copytree(ROOT, work, ignore=_IGNORE, symlinks=True)
    todo = [{"where": b.where, "lang": b.lang, "code": b.code} for b in blocks(path)
            if b.lang in RUN_LANGS and not b.skip]
    spec = tmp_path / "blocks.json"
    spec.write_text(json.dumps(todo), encoding="utf-8")
    driver = tmp_path / "driver.py"
    driver.write_text(_DRIVER, encoding="utf-8")
    r = subprocess.run([sys.executable, str(driver), str(spec)], cwd=work, env=_env(), capture_output=True,
                       text=True, timeout=1500)
    assert r.returncode == 0, (r.stdout[-6000:] + "\n" + r.stderr[-6000:])


@pytest.mark.slow
def test_docs_site_builds_strict(tmp_path: Path):
    """``mkdocs build --strict``: any warning (broken link or anchor, docstring the API reference
    cannot parse, a notebook cell that raises) fails the build."""
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                        "-d", str(site)], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=1500)
    assert r.returncode == 0, r.stdout[-6000:] + "\n" + r.stderr[-6000:]
    for nb in ("launcher-trade", "moon-architecture-sweep"):
        html = (site / "tutorials" / nb / "index.html").read_text(encoding="utf-8")
        assert html.count("data:image/png;base64") >= 1, f"{nb}: executed notebook has no figure"
    core = (site / "reference" / "api" / "core" / "index.html").read_text(encoding="utf-8")
    assert 'id="jointmission.core.rocket.tsiolkovsky"' in core
    val = (site / "validation-payloads" / "index.html").read_text(encoding="utf-8")
    assert "Saturn V" in val and (site / "validation-payloads.png").stat().st_size > 10_000
    for page in ("guide/install", "guide/first-run", "guide/writing-a-scenario", "guide/sweeps",
                 "guide/dask-cluster", "scenario-format", "validation"):
        assert (site / page / "index.html").is_file(), page
