"""The package imports light: heavy libraries load only when a function needs them (PEP 562 façade)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("astropy", "pydantic", "scipy", "yaml", "pyarrow", "xarray", "matplotlib", "dask", "pandas", "rich")


def _loaded_after(code: str) -> list[str]:
    probe = (f"{code}\nimport sys, json\n"
             f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_jointmission_loads_no_heavy_library():
    assert _loaded_after("import jointmission") == []


def test_core_kernels_load_no_heavy_library():
    mods = ("rocket", "payload", "orbits", "kepler", "lambert", "ascent", "atmosphere", "launch_geometry")
    assert _loaded_after("\n".join(f"import jointmission.core.{m}" for m in mods)) == []


def test_version_command_loads_no_heavy_library():
    code = ("import contextlib, io\nfrom jointmission.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--version'])")
    assert _loaded_after(code) == []


def test_every_public_name_resolves():
    import jointmission as jm

    missing = [n for n in jm.__all__ if getattr(jm, n, None) is None]
    assert missing == []
    assert set(jm.__all__) <= set(dir(jm))
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        jm.not_a_name  # noqa: B018


def test_run_is_the_function_even_after_the_runners_package_is_imported():
    """``jm.run`` stays the function: the evaluation package is ``runners``, not ``run``."""
    import jointmission as jm
    import jointmission.runners  # noqa: F401

    assert callable(jm.run) and jm.run.__module__ == "jointmission.report.folder"


def test_payload_command_loads_only_what_it_uses():
    """``jointmission payload`` parses units (astropy), validates the targets (pydantic), reads the
    catalog (yaml) and prints a table (rich): no table, array, plotting or cluster library."""
    code = ("import contextlib, io\nfrom jointmission.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['payload', 'Saturn V', '--orbit', '185,28.5']) == 0")
    loaded = _loaded_after(code)
    assert not {"pyarrow", "xarray", "matplotlib", "dask", "pandas", "scipy"} & set(loaded), loaded


def test_targets_only_scenario_loads_no_section_schema():
    """A scenario of targets alone (the payload command's document) is validated without the
    models of the optional sections (sweep, transfer, mission, programme) or the packages they
    check against; a file with a mission section still loads them."""
    sections = ("jointmission.scenario.mission_spec", "jointmission.scenario.sweep_spec",
                "jointmission.scenario.transfer_spec", "jointmission.scenario.programme_spec",
                "jointmission.missions", "jointmission.programme", "jointmission.interplanetary")
    code = ("import contextlib, io, json, sys\nfrom jointmission.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['payload', 'Saturn V', '--orbit', '185,28.5', '--c3', '10']) == 0\n"
            f"print(json.dumps(sorted(m for m in {sections!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("module", ["jointmission", "jointmission.cli"])
def test_python_dash_m_runs_the_command_line(module):
    out = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    from jointmission import __version__

    assert __version__ in out.stdout
