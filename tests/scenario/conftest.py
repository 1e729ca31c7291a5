"""Fixtures for scenario-loader tests: write YAML files inside a temporary ``scenarios/`` tree."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def scen_dir(tmp_path: Path) -> Path:
    """A temporary ``.../scenarios`` directory (the root of the scenarios tree)."""
    d = tmp_path / "scenarios"
    d.mkdir()
    return d


@pytest.fixture
def write(scen_dir: Path):
    """``write(text, name="s.yaml")`` -> path of a dedented file written under ``scen_dir``."""

    def _write(text: str | bytes, name: str = "s.yaml") -> Path:
        p = scen_dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    return _write
