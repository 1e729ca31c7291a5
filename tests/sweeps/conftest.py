"""Fixtures for the sweep tests: scenario files in a temporary ``scenarios/`` tree."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

HEADER = """\
name: sweep test
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO
    orbit: {altitude: 200 km}
  - name: TLI
    c3: -2 km2/s2
"""

MOON_HEADER = """\
name: sweep test (moon_direct)
vehicle:
  catalog: Joint Heavy CN
targets:
  - name: LEO
    orbit: {altitude: 200 km}
mission:
  architectures: [moon_direct]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
"""


@pytest.fixture
def scen(tmp_path: Path):
    """``scen(sweep_yaml, name="s.yaml", header=HEADER)`` -> path of a scenario with that sweep."""
    d = tmp_path / "scenarios"
    d.mkdir(exist_ok=True)

    def _write(sweep: str, name: str = "s.yaml", header: str = HEADER) -> Path:
        p = d / name
        p.write_text(header + textwrap.dedent(sweep).lstrip("\n"), encoding="utf-8")
        return p

    return _write


@pytest.fixture
def moon_scen(scen):
    """``moon_scen(sweep_yaml)``: as :func:`scen`, with :data:`MOON_HEADER` (one LEO target and the
    ``moon_direct`` architecture)."""
    return lambda sweep, name="s.yaml": scen(sweep, name=name, header=MOON_HEADER)
