"""Porkchop figure: C3 and arrival v_inf contours over departure x arrival dates, TOF lines, optima.

Drawn on a bare :class:`matplotlib.figure.Figure` (Agg canvas; no display, no pyplot state) with
the report style (:mod:`.figures`) and written atomically (temporary name, then rename) to PNG or SVG.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np

__all__ = ["porkchop_figure", "write_porkchop_figure", "type_label", "grid_arrays", "grid_shape"]


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


def type_label(transfer_type: int) -> str:
    """``1`` -> ``"Type I"``, ``2`` -> ``"Type II"``: the wording of every table and figure."""
    return {1: "Type I", 2: "Type II"}.get(int(transfer_type), f"Type {transfer_type}")


def grid_arrays(ds: Any) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The departure and arrival dates (``datetime64`` UTC) and the variables (numpy arrays,
    ``(depart, arrive)``) of a porkchop Dataset or :class:`~jointmission.interplanetary.porkchop_grid.PorkchopGrid`."""
    from ..interplanetary.ephemeris import jd_tdb_to_utc_datetime64
    from ..interplanetary.porkchop_grid import PorkchopGrid

    if isinstance(ds, PorkchopGrid):
        return (jd_tdb_to_utc_datetime64(ds.depart_jd_tdb), jd_tdb_to_utc_datetime64(ds.arrive_jd_tdb),
                dict(ds.data))
    return ds["depart"].values, ds["arrive"].values, {k: ds[k].values for k in ds.data_vars}


def grid_shape(ds: Any) -> tuple[int, int]:
    """``(departure dates, arrival dates)`` of a porkchop Dataset or grid."""
    return tuple(ds.shape) if hasattr(ds, "to_dataset") else (ds.sizes["depart"], ds.sizes["arrive"])


def porkchop_figure(ds, best: Sequence = (), *, title: str | None = None):
    """A matplotlib Figure of a porkchop Dataset (from :func:`jointmission.interplanetary.transfers.porkchop`)
    or :class:`~jointmission.interplanetary.porkchop_grid.PorkchopGrid` (the same numbers).

    Filled contours with a colour bar: departure C3 [km^2/s^2] (up to the 60th percentile of the
    grid; higher values white); dashed red: arrival v_inf [km/s]; dash-dot blue: departure
    declination DLA [deg]; dotted grey: time of flight [d]; markers: the Type I / Type II optima
    (:class:`~jointmission.interplanetary.optimum.BestTransfer` items in ``best``).
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    from ..interplanetary.ephemeris import jd_tdb_to_utc_datetime64
    from .figures import new_figure, style

    dep, arr, values = grid_arrays(ds)
    c3 = values["c3_km2_s2"].T  # (arrive, depart) for contour(x=dep, y=arr)
    vinf = values["vinf_arrive_km_s"].T
    tof = values["tof_days"].T
    dla = values["dla_deg"].T if "dla_deg" in values else np.full_like(c3, np.nan)
    with style():
        fig, ax = new_figure(10.0, 8.2)
        x = dep.astype("datetime64[s]").astype("O")
        y = arr.astype("datetime64[s]").astype("O")
        X, Y = np.meshgrid(mdates.date2num(x), mdates.date2num(y))
        handles, labels = [], []
        contours = min(c3.shape) >= 2  # contour() needs a 2 x 2 grid at least (a 1-day window has one column)
        if not contours and np.isfinite(c3).any():
            sc = ax.scatter(X.ravel(), Y.ravel(), c=c3.ravel(), cmap="viridis_r", s=14)
            fig.colorbar(sc, ax=ax, label="departure C3 [km²/s²]")
        lv = _levels(c3) if contours else np.array([])
        if lv.size >= 2:
            floor = float(np.nanmin(c3))  # the band around the minimum is filled too
            fill = np.concatenate([[math.floor(floor) if floor < lv[0] else lv[0] - 1.0], lv])
            cf = ax.contourf(X, Y, np.ma.masked_invalid(c3), levels=fill, cmap="viridis_r", alpha=0.75)
            cl = ax.contour(X, Y, np.ma.masked_invalid(c3), levels=lv, colors="k", linewidths=0.4)
            ax.clabel(cl, lv[::2], fmt="%g", fontsize=9)
            cb = fig.colorbar(cf, ax=ax, pad=0.015, shrink=0.9)
            cb.set_label("departure C3 [km²/s²]")
        lv_v = _levels(vinf, 6) if contours else np.array([])
        if lv_v.size:
            cv = ax.contour(X, Y, np.ma.masked_invalid(vinf), levels=lv_v, colors="tab:red", linewidths=1.1,
                            linestyles="dashed")
            ax.clabel(cv, fmt="%g", fontsize=9)
            handles.append(Line2D([], [], color="tab:red", lw=1.1, ls="--"))
            labels.append("arrival v∞ [km/s]")
        if contours and np.isfinite(dla).any():
            lv_d = np.arange(-60.0, 61.0, 15.0)
            cd = ax.contour(X, Y, np.ma.masked_invalid(np.where(np.isfinite(c3) & (c3 <= (lv[-1] if lv.size else np.inf)),
                                                                dla, np.nan)),
                            levels=lv_d, colors="tab:blue", linewidths=0.9, linestyles="dashdot")
            ax.clabel(cd, fmt="%+g°", fontsize=9)
            handles.append(Line2D([], [], color="tab:blue", lw=0.9, ls="-."))
            labels.append("departure declination DLA [deg]")
        tmin, tmax = np.nanmin(tof), np.nanmax(tof)
        if contours and np.isfinite(tmin) and tmax > max(tmin, 0):
            step = 50.0 if tmax - tmin > 150 else 10.0
            tl = np.arange(math.ceil(max(tmin, 1) / step) * step, tmax, step)
            if tl.size:
                ct = ax.contour(X, Y, tof, levels=tl, colors="0.35", linewidths=0.7, linestyles="dotted")
                ax.clabel(ct, fmt="%d d", fontsize=8.5)
                handles.append(Line2D([], [], color="0.35", lw=0.7, ls=":"))
                labels.append("time of flight [d]")
        for b, marker in zip(best, ("o", "s", "^", "D")):
            bx = mdates.date2num(jd_tdb_to_utc_datetime64(b.depart_jd_tdb).astype("O"))
            by = mdates.date2num(jd_tdb_to_utc_datetime64(b.arrive_jd_tdb).astype("O"))
            (h,) = ax.plot([bx], [by], marker=marker, color="black", ms=10, ls="none", mfc="gold", mew=1.5)
            handles.append(h)
            dla_txt = f", DLA {math.degrees(b.dla_rad):+.1f}°" if math.isfinite(getattr(b, "dla_rad", math.nan)) else ""
            labels.append(f"{type_label(b.type)} optimum: C3 {b.c3_km2_s2:.2f} km²/s²{dla_txt}, "
                          f"v∞ {b.vinf_arrive_m_s / 1e3:.2f} km/s, {b.tof_days:.0f} d")
        for put, grid, axis in ((ax.set_xlim, X, ax.xaxis), (ax.set_ylim, Y, ax.yaxis)):
            lo, hi = float(np.min(grid)), float(np.max(grid))  # the grid's dates, at least +-1 day
            pad = max(0.02 * (hi - lo), 1.0 if hi - lo < 2.0 else 0.0)
            put(lo - pad, hi + pad)
            # ticks on whole days where the axis spans a few days (the labels are dates)
            axis.set_major_locator(mdates.DayLocator() if hi - lo < 4.0 else mdates.AutoDateLocator(maxticks=8))
            axis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        for lab in ax.get_xticklabels():
            lab.set_rotation(30)
            lab.set_horizontalalignment("right")
        ax.set_xlabel("departure date (UTC)")
        ax.set_ylabel("arrival date (UTC)")
        ax.grid(alpha=0.25)
        origin, target = ds.attrs.get("origin", "?").title(), ds.attrs.get("target", "?").title()
        ax.set_title(title or f"{origin} → {target} porkchop (DE421, Lambert/Izzo)")
        if handles:
            fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return fig


def write_porkchop_figure(ds, path: str | Path, best: Sequence = (), *, title: str | None = None) -> Path:
    """Draw :func:`porkchop_figure` and write it to ``path`` (``.png`` or ``.svg``) atomically."""
    from ..io.atomic import atomic_path

    path = Path(path)
    from .figures import DPI, style

    fig = porkchop_figure(ds, best, title=title)
    with style(), atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png", dpi=DPI)
    return path
