"""The ```python and ```bash blocks of README.md and docs/: found, and run the way a reader would.

A block that cannot run anywhere but where the reader is (a SLURM cluster, the test command
itself) is preceded by one line ``<!-- not run: REASON -->``; every other block runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_LANGS = ("python", "bash")
_FENCE = re.compile(r"^(?P<indent> *)(?P<ticks>`{3,})(?P<lang>[\w+-]*)\s*$")
_SKIP = re.compile(r"^\s*<!--\s*not run:\s*(?P<reason>.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block: its file (relative to the repository), first code line, language,
    code (dedented) and the reason it is not run ('' when it runs)."""

    file: str
    line: int
    lang: str
    code: str
    skip: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def doc_files() -> list[Path]:
    """README.md and every Markdown page of docs/ (not the site's build hooks)."""
    pages = [p for p in sorted((ROOT / "docs").rglob("*.md")) if "_site_hooks" not in p.parts]
    return [ROOT / "README.md", *pages]


def blocks(path: Path) -> list[Block]:
    """Every fenced block of ``path`` in order (all languages; see :data:`RUN_LANGS`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rel = path.relative_to(ROOT).as_posix()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, lang = len(m["indent"]), m["ticks"], m["lang"]
        prev = lines[i - 1] if i > 0 else ""
        skip = _SKIP.match(prev)
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^ {{0,{indent}}}{ticks}\s*$", lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j])
            j += 1
        if j == len(lines):
            raise ValueError(f"{rel}:{i + 1}: code block never closed")
        reason = (skip["reason"] or "?") if skip else ""
        out.append(Block(rel, i + 2, lang, "\n".join(body) + "\n", reason))
        i = j + 1
    return out


def skip_markers(path: Path) -> list[tuple[int, str]]:
    """(line, reason) of every ``<!-- not run: ... -->`` marker in ``path``."""
    return [(n, m["reason"]) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if (m := _SKIP.match(line))]
