"""Porkchop figure: C3 and arrival v_inf contours over departure x arrival dates, TOF lines, optima.

Drawn on a bare :class:`matplotlib.figure.Figure` (Agg canvas; no display, no pyplot state) and
written atomically (temporary name, then rename) to PNG or SVG.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import numpy as np

__all__ = ["porkchop_figure", "write_porkchop_figure"]


def _levels(values: np.ndarray, n: int = 12) -> np.ndarray:
    """Contour levels from the minimum upward, denser near the minimum (nice-ish numbers)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.array([])
    lo = float(finite.min())
    hi = float(np.percentile(finite, 60))
    if not hi > lo:
        return np.array([lo])
    span = hi - lo
    raw = lo + span * (np.linspace(0.0, 1.0, n + 1)[1:] ** 1.6)
    step = 10 ** math.floor(math.log10(span / n)) if span > 0 else 1.0
    return np.unique(np.round(raw / step) * step)


def porkchop_figure(ds, best: Sequence = (), *, title: str | None = None):
    """A matplotlib Figure of a porkchop Dataset (from :func:`jointmission.interplanetary.transfers.porkchop`).

    Solid contours: departure C3 [km^2/s^2] (labelled); dashed: arrival v_inf [km/s]; dotted grey:
    time of flight [d]; markers: the :class:`~jointmission.interplanetary.optimum.BestTransfer` items in ``best``.
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from ..interplanetary.ephemeris import jd_tdb_to_utc_datetime64

    dep = ds["depart"].values
    arr = ds["arrive"].values
    c3 = ds["c3_km2_s2"].values.T  # (arrive, depart) for contour(x=dep, y=arr)
    vinf = ds["vinf_arrive_km_s"].values.T
    tof = ds["tof_days"].values.T
    fig = Figure(figsize=(9.5, 7.0), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    x = dep.astype("datetime64[s]").astype("O")
    y = arr.astype("datetime64[s]").astype("O")
    X, Y = np.meshgrid(mdates.date2num(x), mdates.date2num(y))
    handles, labels = [], []
    contours = min(c3.shape) >= 2  # contour() needs a 2 x 2 grid at least (a 1-day window has one column)
    if not contours and np.isfinite(c3).any():
        sc = ax.scatter(X.ravel(), Y.ravel(), c=c3.ravel(), cmap="viridis", s=12)
        fig.colorbar(sc, ax=ax, label="C3 [km²/s²]")
    lv = _levels(c3) if contours else np.array([])
    if lv.size:
        cs = ax.contour(X, Y, np.ma.masked_invalid(c3), levels=lv, cmap="viridis", linewidths=1.2)
        ax.clabel(cs, fmt="%g", fontsize=7)
        handles.append(Line2D([], [], color="tab:green", lw=1.2))
        labels.append("C3 [km²/s²]")
    lv_v = _levels(vinf, 8) if contours else np.array([])
    if lv_v.size:
        cv = ax.contour(X, Y, np.ma.masked_invalid(vinf), levels=lv_v, colors="tab:red", linewidths=0.8,
                        linestyles="dashed")
        ax.clabel(cv, fmt="%g", fontsize=6)
        handles.append(Line2D([], [], color="tab:red", lw=0.8, ls="--"))
        labels.append("arrival v∞ [km/s]")
    tmin, tmax = np.nanmin(tof), np.nanmax(tof)
    if contours and np.isfinite(tmin) and tmax > max(tmin, 0):
        step = 50.0 if tmax - tmin > 150 else 10.0
        tl = np.arange(math.ceil(max(tmin, 1) / step) * step, tmax, step)
        if tl.size:
            ct = ax.contour(X, Y, tof, levels=tl, colors="0.55", linewidths=0.6, linestyles="dotted")
            ax.clabel(ct, fmt="%d d", fontsize=6)
            handles.append(Line2D([], [], color="0.55", lw=0.6, ls=":"))
            labels.append("time of flight [d]")
    for b, marker in zip(best, ("o", "s", "^", "D")):
        bx = mdates.date2num(jd_tdb_to_utc_datetime64(b.depart_jd_tdb).astype("O"))
        by = mdates.date2num(jd_tdb_to_utc_datetime64(b.arrive_jd_tdb).astype("O"))
        (h,) = ax.plot([bx], [by], marker=marker, color="black", ms=7, ls="none", mfc="gold")
        handles.append(h)
        labels.append(f"Type {b.type} optimum: C3 {b.c3_km2_s2:.2f}, v∞ {b.vinf_arrive_m_s / 1e3:.2f} km/s, "
                      f"{b.tof_days:.0f} d")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(mdates.AutoDateLocator())
        axis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    ax.set_xlabel("departure date (UTC)")
    ax.set_ylabel("arrival date (UTC)")
    ax.grid(alpha=0.25)
    origin, target = ds.attrs.get("origin", "?").title(), ds.attrs.get("target", "?").title()
    ax.set_title(title or f"{origin} → {target} porkchop (DE421, Lambert/Izzo)")
    if handles:
        ax.legend(handles, labels, loc="upper left", fontsize=7, framealpha=0.85)
    fig.tight_layout()
    return fig


def write_porkchop_figure(ds, path: str | Path, best: Sequence = (), *, title: str | None = None) -> Path:
    """Draw :func:`porkchop_figure` and write it to ``path`` (``.png`` or ``.svg``) atomically."""
    from ..io.atomic import atomic_path

    path = Path(path)
    fig = porkchop_figure(ds, best, title=title)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png")
    return path
