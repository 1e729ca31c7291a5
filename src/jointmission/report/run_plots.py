"""Figures of a single run's launcher results: the delta-v budget per target and the payload curves
(payload against C3 and against circular-orbit altitude) of one or several vehicles, with the
published figures of catalog vehicles overlaid.

Each function returns a :class:`~jointmission.report.figures.FigureImage` (or ``None`` when the
run has nothing to draw); masses in t, delta-v in km/s, C3 in km^2/s^2, altitudes in km.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .figures import FigureImage, new_figure, render, style

__all__ = ["dv_budget_figure", "PayloadCurves", "payload_curves", "payload_curves_figure", "BUDGET_TERMS"]

#: Delta-v terms drawn end to end (key of the result row without ``_km_s``, legend text, colour).
BUDGET_TERMS: tuple[tuple[str, str, str], ...] = (
    ("dv_orbit", "orbit (speed at insertion)", "#4c72b0"),
    ("dv_gravity", "gravity loss", "#dd8452"),
    ("dv_drag", "drag loss", "#c44e52"),
    ("dv_steering", "steering loss", "#8172b3"),
    ("dv_back_pressure", "back-pressure loss", "#937860"),
    ("dv_dogleg", "dog-leg (plane change)", "#da8bc3"),
    ("dv_departure", "departure burn (C3)", "#55a868"),
    ("dv_finite_burn", "finite-burn loss", "#8c8c8c"),
)


def _v(row: dict, key: str) -> float:
    x = row.get(f"{key}_km_s")
    return float(x) if x is not None and math.isfinite(float(x)) else 0.0


def dv_budget_figure(rows: Sequence[dict[str, Any]], vehicle: str = "") -> FigureImage | None:
    """Horizontal bars, one per target: the delta-v terms [km/s] laid end to end, the Earth-rotation
    benefit drawn hatched at the end (it is subtracted) and the required total marked and written."""
    rows = [r for r in rows if r.get("dv_required_km_s") is not None]
    if not rows:
        return None
    with style():
        fig, ax = new_figure(9.0, 1.0 + 0.55 * len(rows) + 1.0)
        y = np.arange(len(rows))[::-1]
        left = np.zeros(len(rows))
        for key, label, colour in BUDGET_TERMS:
            w = np.array([_v(r, key) for r in rows])
            if not np.any(w > 0):
                continue
            ax.barh(y, w, left=left, color=colour, label=label, height=0.62, edgecolor="white", linewidth=0.5)
            left += w
        rot = np.array([_v(r, "dv_rotation") for r in rows])
        ax.barh(y, -rot, left=left, color="none", edgecolor="black", hatch="///", height=0.62, linewidth=0.6,
                label="Earth rotation (subtracted)")
        req = np.array([_v(r, "dv_required") for r in rows])
        ax.plot(req, y, "kd", ms=7, label="required total")
        for yi, total, lft in zip(y, req, left):
            ax.text(max(total, lft) + 0.08, yi, f"{total:.2f} km/s", va="center", fontsize=10)
        ax.set_yticks(y, [r["target"] for r in rows])
        ax.set_xlim(0, float(np.max(np.maximum(req, left))) * 1.16)
        ax.set_xlabel("delta-v [km/s]")
        ax.set_ylabel("target")
        ax.grid(axis="y", visible=False)
        ax.set_title("Delta-v budget per target" + (f": {vehicle}" if vehicle else ""))
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        return render(fig, "dv_budget", "Each bar adds the ideal delta-v terms the vehicle supplies; the "
                                        "hatched end is the Earth-rotation benefit, subtracted from the total "
                                        "(diamond).")


@dataclass(frozen=True)
class PayloadCurves:
    """Payload curves of one vehicle (:class:`~jointmission.vehicles.curve.Curve`, both labelled with
    the vehicle's short name): ``c3`` (payload against C3 from the default parking orbit) and
    ``altitude`` (against circular-orbit altitude), both due east from the launch site, and the
    vehicle's published figures as :class:`~jointmission.vehicles.published.PublishedCurve` points."""

    vehicle: str
    c3: Any
    altitude: Any
    published: tuple = ()


def _published_points(vehicle, name: str) -> list:
    """The vehicle's published figures that sit on a curve's axis (circular orbits and C3 targets;
    an elliptical orbit such as GTO sits on neither), as one-point :class:`PublishedCurve` each."""
    from ..vehicles.published import PublishedCurve

    out = []
    for p in getattr(vehicle, "published", ()) or ():
        t = p.target
        short = re.split(r"[,;(]", p.source or "catalog")[0].strip()[:40]
        if hasattr(t, "c3"):
            out.append(PublishedCurve(name, "c3", np.array([t.c3]), np.array([p.payload]), p.source or "", short))
        elif abs(t.perigee - t.apogee) < 0.02 * max(t.perigee, 1.0) + 2e3:
            out.append(PublishedCurve(name, "altitude", np.array([0.5 * (t.perigee + t.apogee)]), np.array([p.payload]),
                                      p.source or "", short))
    return out


def _catalog_key(vehicle) -> str | None:
    """The packaged catalog's key (``"SLS Block 1"``) of the entry whose full name is ``vehicle``'s
    (``"Space Launch System Block 1 (Artemis I configuration)"``), or None for a vehicle of the
    scenario's own: the published curves are filed under catalog keys."""
    from ..vehicles.catalog import default_catalog

    for key, raw in default_catalog().vehicles.items():
        if isinstance(raw, dict) and raw.get("name") == vehicle.name:
            return key
    return None


def payload_curves(vehicle, name: str | None = None, *, c3_km2_s2: Sequence[float] | None = None,
                   altitude_km: Sequence[float] | None = None) -> PayloadCurves:
    """Compute the payload curves of ``vehicle`` (a :class:`~jointmission.vehicles.vehicle.LaunchVehicle`)
    with :func:`jointmission.vehicles.curve.compute_curve` over ``c3_km2_s2`` (default -5 to 40 km^2/s^2)
    and ``altitude_km`` (default 200 to 2,000 km), and collect its published figures (the catalog
    entry's, and its published curves). ``name`` (default: the vehicle's name up to its first bracket)
    labels them. Two vectorized payload solves."""
    from dataclasses import replace

    from ..vehicles.curve import compute_curve
    from ..vehicles.published import published_curves

    short = name or vehicle.name.split(" (")[0]
    c3 = np.asarray(c3_km2_s2 if c3_km2_s2 is not None else np.linspace(-5.0, 40.0, 16), dtype=float)
    alt = np.asarray(altitude_km if altitude_km is not None else np.linspace(200.0, 2000.0, 16), dtype=float)
    cc = replace(compute_curve(vehicle, c3_m2_s2=c3 * 1e6), vehicle=short)
    ca = replace(compute_curve(vehicle, altitude_m=alt * 1e3), vehicle=short)
    key = _catalog_key(vehicle) or short
    pub = _published_points(vehicle, short) + list(published_curves(key, as_name=short))
    return PayloadCurves(short, cc, ca, tuple(pub))


def payload_curves_figure(curves: Sequence[PayloadCurves], title: str = "Payload curves") -> FigureImage | None:
    """Two panels drawn with :func:`jointmission.report.curve_plot.draw_payload_curves`: payload [t]
    against C3 [km^2/s^2] and against circular-orbit altitude [km], one line per vehicle, published
    figures as open markers in the vehicle's colour; one legend below both."""
    from .curve_plot import draw_payload_curves

    curves = [c for c in curves if np.isfinite(c.c3.payload_kg).any() or np.isfinite(c.altitude.payload_kg).any()]
    if not curves:
        return None
    published = [p for c in curves for p in c.published]
    with style():
        fig, (a1, a2) = new_figure(11.0, 5.0, 1, 2)
        draw_payload_curves(a1, [c.c3 for c in curves], published)
        draw_payload_curves(a2, [c.altitude for c in curves], published)
        a1.set_xlabel(f"C3 [km²/s²] (from a {curves[0].c3.parking_alt_m / 1e3:g} km parking orbit)")
        a1.set_title("Payload vs escape energy C3")
        a2.set_xlabel("circular-orbit altitude [km] (due east)")
        a2.set_title("Payload vs orbit altitude")
        handles, labels = [], []
        for ax in (a1, a2):
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
            if ax.get_legend() is not None:
                ax.get_legend().remove()
        wide = max(len(lab) for lab in labels) > 55  # two such columns overflow the 11-inch figure
        fig.legend(handles, labels, loc="outside lower center", ncols=1 if wide else min(2, len(labels)),
                   frameon=False)
        fig.suptitle(title)
        return render(fig, "payload_curves", "Lines: the model; open markers: the published figures of "
                                             "catalog vehicles (each on its own definition, see the catalog).")
