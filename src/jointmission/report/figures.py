"""What every figure of a report shares: one text style, a bare matplotlib Figure, and the rendered
image with its title and axis labels (what ``report.html`` embeds and the tests read back).

Figures are drawn on :class:`matplotlib.figure.Figure` objects (no pyplot, no global state, the
user's backend untouched); ``savefig`` renders with Agg. Text sizes are set here once so that a
figure shown at the report's width (about 900 px) has labels of at least ~12 px.
"""

from __future__ import annotations

import base64
import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["FigureImage", "STYLE", "style", "new_figure", "render", "DPI"]

DPI = 110
"""Resolution of the PNGs [dots per inch]; a 9 in wide figure is 990 px."""

PNG_COMPRESS_LEVEL = 3
"""zlib level of the PNGs (0-9; Pillow's default is 6). The pixels are the same at every level; on a
run's report figures level 3 encodes ~30 % faster than 6 (about 60 ms CPU of a flagship run's six
figures) for files 0-9 % larger."""

STYLE: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9.5,
    "figure.titlesize": 13,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
"""matplotlib settings of every report figure (sizes in points)."""


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Draw inside this context to use :data:`STYLE` (restores the caller's settings after)."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        yield


def new_figure(width_in: float, height_in: float, nrows: int = 1, ncols: int = 1, **kw: Any):
    """A bare :class:`~matplotlib.figure.Figure` (``width_in`` x ``height_in`` inches) and its Axes
    (one Axes, or an array for ``nrows``/``ncols`` > 1). Call inside :func:`style`."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    return fig, fig.subplots(nrows, ncols, squeeze=True, **kw)


@dataclass(frozen=True)
class FigureImage:
    """A rendered figure: its name (the PNG's stem), title and axis labels as drawn, the PNG bytes
    and a one-sentence caption that says how to read it."""

    name: str
    title: str
    xlabels: tuple[str, ...]
    ylabels: tuple[str, ...]
    png: bytes
    caption: str = ""

    @property
    def data_uri(self) -> str:
        """The PNG as a ``data:image/png;base64,...`` URI (the report embeds it: no external file)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def write(self, folder: str | Path) -> Path:
        """Write ``<folder>/<name>.png`` atomically; returns its path."""
        from ..io.atomic import atomic_path

        path = Path(folder) / f"{self.name}.png"
        with atomic_path(path) as tmp:
            Path(tmp).write_bytes(self.png)
        return path


def render(fig, name: str, caption: str = "") -> FigureImage:
    """Render ``fig`` to PNG and record its title (suptitle, else the first Axes' title) and the
    x/y labels of every Axes that draws data (colorbars excluded)."""
    axes = [a for a in fig.axes if a.get_label() != "<colorbar>"]
    sup = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    title = sup or next((a.get_title() for a in axes if a.get_title()), "")
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return FigureImage(name=name, title=title, xlabels=tuple(a.get_xlabel() for a in axes),
                       ylabels=tuple(a.get_ylabel() for a in axes), png=buf.getvalue(), caption=caption)
