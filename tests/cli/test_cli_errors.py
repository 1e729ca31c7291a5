"""User mistakes give exit code 2 and one paragraph on stderr naming file and line, no traceback."""

from __future__ import annotations

import re

import pytest
from cli_helpers import SCENARIOS, invoke

TARGETS = "targets:\n  - name: LEO\n    orbit: {altitude: 200 km}\n"
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi")
)

BAD_FILES = {
    "unknown_key": ("name: x\nvehicle: Saturn V\ntargts: []\n", 3),
    "wrong_type": ("name: x\nvehicle: Saturn V\ntargets: 5\n", 3),
    "negative_mass": ("name: x\nvehicle:\n  catalog: Saturn V\n  overrides:\n    'stages[1].m_dry': -3 t\n" + TARGETS, 5),
    "missing_field": ("name: x\nvehicle: Saturn V\ntargets:\n  - orbit: {altitude: 200}\n", 4),
    "malformed": ("name: x\nvehicle: [Saturn V\n", 3),
    "alias_bomb": (BOMB, 1),
    "escape": ("name: x\nvehicle:\n  file: ../../etc/passwd\n" + TARGETS, 3),
    "nan": ("name: x\nvehicle: Saturn V\ntargets:\n  - name: A\n    c3: .nan\n", 5),
    "unknown_vehicle": ("name: x\nvehicle:\n  catalog: Saturn VI\n" + TARGETS, 3),
    "bad_unit": ("name: x\nvehicle:\n  catalog: Saturn V\n  overrides:\n    'stages[0].m_prop': 3 parsecs\n" + TARGETS, 5),
    "not_mapping": ("- 1\n- 2\n", 1),
}


def _one_paragraph_error(r, filename: str | None = None, line: int | None = None) -> str:
    assert r.code == 2
    assert "Traceback" not in r.err and "Traceback" not in r.out
    text = r.err.strip()
    assert text and "\n" not in text, f"one paragraph expected, got: {r.err!r}"
    if filename is not None:
        m = re.search(re.escape(filename) + r":(\d+)", text)
        assert m, text
        if line is not None:
            assert int(m.group(1)) == line, text
    return text


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file(case, command, tmp_path):
    text, line = BAD_FILES[case]
    d = tmp_path / "scenarios"
    d.mkdir()
    path = d / f"{case}.yaml"
    path.write_text(text)
    r = invoke(command, path, "-o", tmp_path / "out") if command == "run" else invoke(command, path)
    _one_paragraph_error(r, f"{case}.yaml", line)
    assert not (tmp_path / "out").exists(), "no output written for a bad scenario"


def test_binary_file(tmp_path):
    path = tmp_path / "blob.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    msg = _one_paragraph_error(invoke("check", path), "blob.yaml")
    assert "binary" in msg


def test_missing_file(tmp_path):
    msg = _one_paragraph_error(invoke("run", tmp_path / "nope.yaml"))
    assert "nope.yaml" in msg and "not found" in msg


def test_output_dir_is_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    msg = _one_paragraph_error(invoke("run", SCENARIOS / "reference" / "energia.yaml", "-o", blocker))
    assert f"'{blocker}' is not a folder" in msg


def test_usage_errors_exit_2():
    for argv in (["run"], ["frobnicate"], ["payload", "Saturn V", "--bogus"], []):
        r = invoke(*argv)
        assert r.code == 2, argv
        assert "Traceback" not in r.err


@pytest.mark.parametrize("spec", ["200 x 35786", "200x35786,27", "200 km X 35786 km", "200 × 35786"])
def test_payload_ellipse_written_with_an_x_says_to_use_a_dash(spec):
    """'200 x 35,786 km' is how the tables label an ellipse; typed as --orbit it was 'unknown unit
    x35786' / 'a space is read as a multiplication'. The error now says how to write it."""
    msg = _one_paragraph_error(invoke("payload", "Falcon Heavy", "--orbit", spec))
    assert f"--orbit '{spec}': write an ellipse as PERI-APO with a dash" in msg and "-35786" in msg
