"""Scenario files: YAML schema, safe loading with file/line errors, and resolution of the vehicle.

Public names: :func:`load_scenario` (path -> :class:`Scenario`), :func:`parse_scenario` (dict ->
:class:`Scenario`) and :class:`ScenarioError` (a ``ValueError`` with ``file``, ``line``, ``field``).
See ``docs/scenario-format.md`` for the file format.
"""

from .errors import ScenarioError
from .loader import Scenario, load_scenario, parse_scenario, scenarios_root

__all__ = ["ScenarioError", "Scenario", "load_scenario", "parse_scenario", "scenarios_root"]
