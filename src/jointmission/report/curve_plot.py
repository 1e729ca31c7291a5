"""The payload-curve figure: payload [t] against C3 [km^2/s^2] or circular-orbit altitude [km], one
line per vehicle (model), published points overlaid as markers in the same colour.

A bare :class:`matplotlib.figure.Figure` (no pyplot, no global state, the user's backend untouched):
:func:`draw_payload_curves` draws into a given Axes (for composite figures and reports),
:func:`payload_curve_figure` returns a new Figure, :func:`write_payload_curve_figure` saves it as a
PNG atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..io.atomic import atomic_path
from ..vehicles.curve import Curve
from ..vehicles.published import PublishedCurve

__all__ = ["draw_payload_curves", "payload_curve_figure", "write_payload_curve_figure"]

_X = {"c3": (1e6, "C3 [km$^2$/s$^2$]"), "altitude": (1e3, "circular-orbit altitude [km]")}


def draw_payload_curves(ax: Any, curves: Sequence[Curve], published: Sequence[PublishedCurve] = (), *,
                        names: bool = True) -> None:
    """Draw model ``curves`` (all of one axis kind) as lines and ``published`` points as markers
    (matched to a curve's colour by vehicle name; only those inside the curves' range) into the
    matplotlib Axes ``ax``. Payload in t,
    C3 in km^2/s^2, altitude in km; infeasible points (NaN payload) leave gaps. ``names=False``
    leaves the vehicle's name out of the legend's labels (one vehicle, named in the title)."""
    if not curves:
        raise ValueError("no curve to draw")
    axis = curves[0].axis
    if any(c.axis != axis for c in curves):
        raise ValueError("curves of one figure share one axis (all C3 or all altitude)")
    scale, xlabel = _X[axis]
    colours: dict[str, Any] = {}
    for c in curves:
        tl = getattr(c, "top_load", None)
        fin = tl[np.isfinite(tl)] if tl is not None else None
        load = ("" if fin is None or not fin.size else
                f", top stage loaded {fin[0]:.0%}" if np.ptp(fin) < 1e-9 else
                f", top stage loaded {fin.min():.0%}-{fin.max():.0%}")
        (line,) = ax.plot(c.values / scale, c.payload_kg / 1e3, lw=1.8, label=f"{c.vehicle} (model{load})" if names else f"model{load}")
        colours[c.vehicle] = line.get_color()
        if np.isfinite(c.payload_kg).sum() == 1:  # a single point shows as a marker
            line.set_marker("o")
    lo = min(float(np.min(c.values)) for c in curves)
    hi = max(float(np.max(c.values)) for c in curves)
    for p in published:
        inside = (p.values >= lo - 1e-9 * abs(lo)) & (p.values <= hi + 1e-9 * abs(hi))  # the curves' range only
        if p.axis != axis or not inside.any():
            continue
        colour = colours.get(p.vehicle)
        ax.plot(p.values[inside] / scale, p.payload_kg[inside] / 1e3, ls="none", marker="o", ms=5, mfc="white", mew=1.5,
                color=colour if colour is not None else "black", label=f"{p.vehicle} (published: {p.short_source})" if names else f"published: {p.short_source}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("payload [t]")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")


def payload_curve_figure(curves: Sequence[Curve], published: Sequence[PublishedCurve] = (), *,
                         title: str | None = None) -> Any:
    """A new :class:`matplotlib.figure.Figure` with :func:`draw_payload_curves`; the title defaults to
    the vehicle and the flown (parking-)orbit. One vehicle: the legend inside the axes, its labels
    without the vehicle's name (the title has it); several: the legend below the axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.8), layout="constrained")
    ax = fig.subplots()
    one = len({c.vehicle for c in curves}) == 1 and all(p.vehicle == curves[0].vehicle for p in published)
    draw_payload_curves(ax, curves, published, names=not one)
    if not one:  # vehicle names make long labels: one column below the axes, clear of the lines
        handles, labels = ax.get_legend_handles_labels()
        ax.get_legend().remove()
        fig.legend(handles, labels, loc="outside lower center", fontsize=8, frameon=False)
    if title is None:
        c = curves[0]
        what = "payload to C3" if c.axis == "c3" else "payload to circular orbit"
        orbit = (f"parking {c.parking_alt_m / 1e3:,.0f} km" if c.axis == "c3" else "") + \
            f"{', ' if c.axis == 'c3' else ''}i = {np.degrees(c.inclination_rad):.1f} deg"
        if c.axis == "c3" and np.isfinite(c.dla_rad):
            orbit += f", DLA {np.degrees(c.dla_rad):.1f} deg"
        who = c.vehicle if len(curves) == 1 else f"{len(curves)} vehicles"
        same = all(np.isclose(k.inclination_rad, c.inclination_rad) and
                   (c.axis != "c3" or np.isclose(k.parking_alt_m, c.parking_alt_m)) for k in curves)
        title = f"{who}: {what} ({orbit})" if same else f"{who}: {what} (each from its own launch site)"
    ax.set_title(title, fontsize=10)
    return fig


def write_payload_curve_figure(curves: Sequence[Curve], path: str | Path, published: Sequence[PublishedCurve] = (),
                               *, title: str | None = None) -> Path:
    """Save :func:`payload_curve_figure` as a PNG at ``path`` atomically; returns the path."""
    fig = payload_curve_figure(curves, published, title=title)
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    return path
