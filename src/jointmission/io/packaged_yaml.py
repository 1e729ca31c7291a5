"""Read the package's own YAML data files with libyaml where PyYAML has it.

PyYAML's pure-Python parser takes ~3 ms per kB; libyaml's (``yaml.CSafeLoader``) builds the same
Python data about 8x faster. A run reads ~70 kB of packaged data (cost relationships, mission
elements, the shipped concepts, launch sites): ~0.15 s CPU saved per process. Only the package's
own files are read this way; a user's file goes through :mod:`jointmission.scenario.yamlsafe`,
whose error messages quote lines and fields. Both are safe loaders: nothing in a file constructs
Python objects. ``tests/test_packaged_yaml.py`` checks both parsers give the same data for every
packaged file.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

__all__ = ["load_packaged", "FAST_SAFE_LOADER"]

FAST_SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader, or PyYAML's own where PyYAML was built without libyaml."""


def load_packaged(stream: str | bytes | IO[str]) -> Any:
    """Parse a packaged YAML data file's text (or open file) with :data:`FAST_SAFE_LOADER`: the data
    :func:`yaml.safe_load` returns (plain dicts, lists, strings, numbers, dates)."""
    return yaml.load(stream, Loader=FAST_SAFE_LOADER)
