"""Helpers for the report tests: read a report.html back (sections, figures, every reference) and
decode its embedded images; find or install headless Chromium.

A uniquely named module (not ``conftest``) so test files can import it without clashing.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"


@dataclass
class Page:
    """What a report.html holds: section ids, figures (attributes of each ``<figure>`` and the
    ``src`` of its image), every URL-bearing attribute value, and the tags used."""

    sections: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    tags: set[str] = field(default_factory=set)
    run_kind: str = ""
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._figure: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.page.tags.add(tag)
        for k in ("src", "href", "data", "action", "poster", "srcset", "formaction"):
            if k in a and a[k] is not None:
                self.page.references.append((tag, k, a[k]))
        if tag == "section" and a.get("id"):
            self.page.sections.append(a["id"])
        if tag == "meta" and a.get("name") == "run-kind":
            self.page.run_kind = a.get("content", "")
        if tag == "figure":
            self._figure = {"id": a.get("id", ""), "title": a.get("data-title", ""),
                            "xlabel": a.get("data-xlabel", ""), "ylabel": a.get("data-ylabel", ""), "src": None}
            self.page.figures.append(self._figure)
        if tag == "img" and self._figure is not None:
            self._figure["src"] = a.get("src")

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None

    def handle_data(self, data):
        self._text.append(data)


def read_page(path: Path) -> Page:
    """Parse ``path`` (a report.html)."""
    r = _Reader()
    r.feed(Path(path).read_text(encoding="utf-8"))
    r.close()
    r.page.text = "".join(r._text)
    return r.page


def decode_image(src: str):
    """Decode a ``data:image/png;base64,...`` URI with Pillow (fully loaded, so a truncated image
    fails); returns the PIL image."""
    from PIL import Image

    assert src.startswith("data:image/png;base64,"), src[:40]
    im = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1], validate=True)))
    im.load()
    return im


def external_references(page: Page) -> list[tuple[str, str, str]]:
    """References that would load something from outside the page (anything but an in-page anchor
    or a data: URI)."""
    return [(t, k, v) for t, k, v in page.references if not (v.startswith("#") or v.startswith("data:"))]


def find_chromium() -> tuple[str | None, str | None, str]:
    """``(chromium, chromedriver, why)``: the browser and driver paths, installing the Debian
    packages ``chromium`` and ``chromium-driver`` with apt-get when they are missing and we are root
    with apt; ``why`` says what is missing when a path is None."""
    def paths():
        return (shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver"))

    chrome, driver = paths()
    if chrome and driver:
        return chrome, driver, ""
    if os.name == "posix" and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        proc = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"],
                              capture_output=True, text=True, env=env, timeout=900)
        if proc.returncode != 0:  # the package lists may be missing: update once and retry
            subprocess.run(["apt-get", "update"], capture_output=True, text=True, env=env, timeout=900)
            proc = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium",
                                   "chromium-driver"], capture_output=True, text=True, env=env, timeout=900)
        chrome, driver = paths()
        if chrome and driver:
            return chrome, driver, ""
        return chrome, driver, f"apt-get install chromium chromium-driver failed: {proc.stderr.strip()[-300:]}"
    return chrome, driver, ("headless Chromium is not installed (Debian packages 'chromium' and 'chromium-driver') "
                            "and cannot be installed here (needs root and apt-get)")
