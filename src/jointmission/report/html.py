"""The HTML page of a report (``report.html``): a Jinja2 template shipped with the package
(``report/templates/report.html.j2``) filled with sections of text, tables, figures and YAML.

Every run kind builds a list of :class:`Section` (see :mod:`.run_html`, :mod:`.sweep_html`,
:mod:`.compare`) and calls :func:`render_page`; the page is self-contained (inline CSS, figures as
``data:`` URIs, no script, no external reference) and autoescaped. Numbers are formatted here, once,
with their unit in the column header.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .figures import FigureImage

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = ["Table", "Section", "render_page", "write_page", "fmt", "environment"]


def fmt(value: Any, digits: int = 2) -> str:
    """A table cell: ``None``/NaN -> ``-``, a float with ``digits`` decimals and thousands separators,
    anything else as text."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:,d}"
    if isinstance(value, float):
        return "-" if not math.isfinite(value) else f"{value:,.{digits}f}"
    return str(value)


@dataclass
class Table:
    """A table for the page: ``header`` (units in brackets), ``rows`` of already formatted cells,
    ``numeric`` the indices of right-aligned columns, an optional ``caption``."""

    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)
    caption: str = ""

    @classmethod
    def of(cls, header: Sequence[str], rows: Sequence[Sequence[Any]], digits: Sequence[int] | int = 2,
           caption: str = "") -> Table:
        """Format ``rows`` (numbers with ``digits`` decimals, per column or for all); columns whose
        cells are all numbers (or missing) are right-aligned."""
        n = len(header)
        dg = [digits] * n if isinstance(digits, int) else list(digits)
        numeric = {j for j in range(n)
                   if rows and all(r[j] is None or (isinstance(r[j], (int, float)) and not isinstance(r[j], bool))
                                   for r in rows)}
        return cls(list(header), [[fmt(c, dg[j]) for j, c in enumerate(r)] for r in rows], numeric, caption)


@dataclass
class Section:
    """One section of the page (``id`` is its anchor); blocks are added with the methods below."""

    id: str
    title: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def text(self, text: str, note: bool = False) -> Section:
        self.blocks.append({"kind": "text", "text": text, "note": note})
        return self

    def h3(self, text: str, id: str | None = None) -> Section:
        self.blocks.append({"kind": "h3", "text": text, "id": id})
        return self

    def items(self, items: Sequence[str]) -> Section:
        if items:
            self.blocks.append({"kind": "list", "items": list(items)})
        return self

    def facts(self, pairs: Sequence[tuple[str, str]]) -> Section:
        self.blocks.append({"kind": "facts", "items": list(pairs)})
        return self

    def table(self, table: Table, id: str | None = None) -> Section:
        self.blocks.append({"kind": "table", "table": table, "id": id})
        return self

    def figure(self, figure: FigureImage | None) -> Section:
        if figure is not None:
            self.blocks.append({"kind": "figure", "figure": figure})
        return self

    def yaml(self, text: str) -> Section:
        self.blocks.append({"kind": "yaml", "text": text})
        return self

    @property
    def figures(self) -> list[FigureImage]:
        return [b["figure"] for b in self.blocks if b["kind"] == "figure"]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (package data; autoescape on; an undefined
    name in a template is an error)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("jointmission.report", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jointmission")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def render_page(*, title: str, sections: Sequence[Section], run_kind: str, description: str = "",
                subtitle: str = "", timestamp: str | None = None, versions: dict[str, str] | None = None) -> str:
    """Render the report page (str, HTML5). ``run_kind`` is one of ``single``, ``sweep``,
    ``porkchop``, ``compare`` (written in a ``<meta name="run-kind">``)."""
    sections = [s for s in sections if s.blocks]
    ts = timestamp or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    vers = ", ".join(f"{k} {v}" for k, v in (versions or {}).items() if k != "jointmission")
    return environment().get_template("report.html.j2").render(
        title=title, description=description, subtitle=subtitle, run_kind=run_kind,
        toc=[(s.id, s.title) for s in sections], sections=sections,
        version=(versions or {}).get("jointmission") or _version(), timestamp=ts, versions=vers)


def write_page(path: str | Path, html: str) -> Path:
    """Write ``html`` to ``path`` atomically (temporary name, then rename); returns the path."""
    from ..io.atomic import atomic_write_text

    return atomic_write_text(Path(path), html)
