"""Test helper shared by every test folder: a scenario file in a temporary ``scenarios/`` tree (a
scenario may reference other files only inside the scenarios tree, so tests write there).

A uniquely named module (not ``conftest``); ``tests/`` is on ``sys.path`` through its
``conftest.py``, so any test file can ``from scenario_files import write_scenario``.
"""

from __future__ import annotations

from pathlib import Path


def write_scenario(tmp_path: Path, text: str) -> Path:
    """``tmp_path/scenarios/s.yaml`` holding ``text``."""
    d = tmp_path / "scenarios"
    d.mkdir(exist_ok=True)
    p = d / "s.yaml"
    p.write_text(text)
    return p
