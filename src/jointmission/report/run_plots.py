"""Figures of a single run's launcher results: the delta-v budget per target and the payload curves
(payload against C3 and against circular-orbit altitude) of one or several vehicles, with the
published figures of catalog vehicles overlaid.

Each function returns a :class:`~jointmission.report.figures.FigureImage` (or ``None`` when the
run has nothing to draw); masses in t, delta-v in km/s, C3 in km^2/s^2, altitudes in km.
"""

from __future__ import annotations

import math
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
    """Payload curves of one vehicle: payload [t] against C3 [km^2/s^2] (from a 185 km parking orbit
    unless stated) and against circular-orbit altitude [km], both due east from the launch site, and
    the vehicle's published figures as (x, payload t, label) points."""

    vehicle: str
    c3_km2_s2: np.ndarray
    payload_c3_t: np.ndarray
    altitude_km: np.ndarray
    payload_alt_t: np.ndarray
    published_c3: tuple[tuple[float, float, str], ...] = ()
    published_alt: tuple[tuple[float, float, str], ...] = ()


def payload_curves(vehicle, name: str | None = None, *, c3_km2_s2: Sequence[float] | None = None,
                   altitude_km: Sequence[float] | None = None, latitude_rad: float | None = None) -> PayloadCurves:
    """Compute the payload curves of ``vehicle`` (a :class:`~jointmission.vehicles.vehicle.LaunchVehicle`)
    over ``c3_km2_s2`` (default -5 to 40 km^2/s^2) and ``altitude_km`` (default 200 to 2,000 km), and
    collect its published figures (circular orbits and C3 targets; elliptical orbits such as GTO do
    not sit on either axis and are left out). Two vectorized payload solves (~0.5 s each)."""
    from ..constants import DEFAULT_PARKING_ALT_M
    from ..vehicles import performance as perf
    from ..vehicles.targets import Target

    c3 = np.asarray(c3_km2_s2 if c3_km2_s2 is not None else np.linspace(-5.0, 40.0, 16), dtype=float)
    alt = np.asarray(altitude_km if altitude_km is not None else np.linspace(200.0, 2000.0, 16), dtype=float)
    lat = vehicle.latitude_rad if latitude_rad is None else latitude_rad
    with np.errstate(all="ignore"):
        rc = perf.payload(vehicle, Target.c3(c3 * 1e6, np.full(c3.shape, DEFAULT_PARKING_ALT_M), np.full(c3.shape, np.nan)),
                          latitude_rad=lat)
        ra = perf.payload(vehicle, Target.orbit(alt * 1e3, alt * 1e3, np.full(alt.shape, np.nan)), latitude_rad=lat)
    pub_c3, pub_alt = [], []
    for p in getattr(vehicle, "published", ()) or ():
        t = p.target
        if hasattr(t, "c3"):
            pub_c3.append((t.c3 / 1e6, p.payload / 1e3, _pub_label(p)))
        elif abs(t.perigee - t.apogee) < 0.02 * max(t.perigee, 1.0) + 2e3:
            inc = f" @ {math.degrees(t.inclination):.1f} deg" if getattr(t, "inclination", None) is not None else ""
            pub_alt.append((0.5 * (t.perigee + t.apogee) / 1e3, p.payload / 1e3, _pub_label(p) + inc))
    return PayloadCurves(vehicle=name or vehicle.name, c3_km2_s2=c3,
                         payload_c3_t=np.asarray(rc.payload_kg, dtype=float) / 1e3, altitude_km=alt,
                         payload_alt_t=np.asarray(ra.payload_kg, dtype=float) / 1e3,
                         published_c3=tuple(pub_c3), published_alt=tuple(pub_alt))


def _pub_label(p) -> str:
    kind = getattr(p, "kind", "") or ""
    return f"published {p.payload / 1e3:,.1f} t" + (f" ({kind})" if kind and kind != "validation" else "")


_MARKERS = ("o", "s", "^", "D", "v", "P")


def payload_curves_figure(curves: Sequence[PayloadCurves], title: str = "Payload curves") -> FigureImage | None:
    """Two panels: payload [t] against C3 [km^2/s^2] and against circular-orbit altitude [km], one
    line per vehicle, published figures as open markers in the vehicle's colour."""
    curves = [c for c in curves if np.isfinite(c.payload_c3_t).any() or np.isfinite(c.payload_alt_t).any()]
    if not curves:
        return None
    with style():
        fig, (a1, a2) = new_figure(11.0, 4.8, 1, 2)
        for i, c in enumerate(curves):
            colour = f"C{i % 10}"
            a1.plot(c.c3_km2_s2, c.payload_c3_t, "-", color=colour, lw=2, label=c.vehicle)
            a2.plot(c.altitude_km, c.payload_alt_t, "-", color=colour, lw=2, label=c.vehicle)
            for ax, pts in ((a1, c.published_c3), (a2, c.published_alt)):
                for x, p, lab in pts:
                    ax.plot([x], [p], _MARKERS[i % len(_MARKERS)], mfc="none", mec=colour, ms=9, mew=1.8,
                            label=f"{c.vehicle}: {lab}")
        a1.set_xlabel("C3 [km²/s²] (from a 185 km parking orbit)")
        a1.set_ylabel("payload [t]")
        a1.set_title("Payload vs escape energy C3")
        a2.set_xlabel("circular-orbit altitude [km] (due east)")
        a2.set_ylabel("payload [t]")
        a2.set_title("Payload vs orbit altitude")
        for ax in (a1, a2):
            ax.set_ylim(bottom=0)
        handles, labels = [], []
        for ax in (a1, a2):
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="outside lower center", ncols=min(2, len(labels)), frameon=False)
        fig.suptitle(title)
        return render(fig, "payload_curves", "Lines: the model; open markers: the published figures of "
                                             "catalog vehicles (each on its own definition, see the catalog).")
