"""Every YAML data file the package ships parses to the same data with libyaml
(``io.packaged_yaml.load_packaged``, what the package reads them with) as with PyYAML's own
``yaml.safe_load``: the fast parser is a speed choice, never a change of data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import jointmission
from jointmission.io.packaged_yaml import FAST_SAFE_LOADER, load_packaged
from jointmission.missions.concept_library import _library_dir

_PKG = Path(jointmission.__file__).resolve().parent
FILES = sorted({*_PKG.glob("*/data/**/*.yaml"), *_library_dir().glob("*.yaml")})


def test_there_are_packaged_files() -> None:
    names = {p.name for p in FILES}
    assert {"transcost.yaml", "missions.yaml", "lunar_legs.yaml", "launch_sites.yaml", "vehicles.yaml"} <= names
    assert len(FILES) >= 15


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_libyaml_and_pyyaml_read_the_same_data(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_packaged(text) == yaml.safe_load(text)


def test_the_fast_loader_is_a_safe_loader() -> None:
    assert issubclass(FAST_SAFE_LOADER, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    with pytest.raises(yaml.constructor.ConstructorError):
        load_packaged("!!python/object/apply:os.system ['true']")
