"""Regenerate the model-vs-published payload-vs-C3 figures and error table of docs/validation.md.

    PYTHONPATH=src python docs/scripts/validation_figures.py [--out docs/figures]

For every catalog vehicle with a published curve (``vehicles/data/published_curves.yaml``) it writes
``validation_c3_<vehicle>.png`` (model curve from C3 -2 to 100 km2/s2, published points, the +-10 %
band) and prints the point-by-point error table in Markdown. The model answers as the library does by
default, with the top stage's load chosen by the payload solve (``top_load="optimal"``); where the
answer with the full load (``top_load=1.0``) differs from it by more than :data:`OPTION_SHOWN`
somewhere on the curve, the figure draws that dashed and the table gets its columns.
Figures are bare matplotlib ``Figure`` objects (no pyplot state), as in ``jointmission.report``.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit, vehicle_names
from jointmission.vehicles.published import published_curves


OPTION_SHOWN = 0.005
"""Relative difference between the full-load (``top_load=1.0``) and the default curve above which the
figure and the table show both."""


def slug(name: str) -> str:
    """File-name form of a vehicle name."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def figure(curve, c3_grid, model_kg, full_kg=None) -> Figure:
    """Model curve, +-10 % band and published points of one vehicle; the curve with the top stage fully
    loaded, dashed, when ``full_kg`` is given."""
    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.add_subplot(1, 1, 1)
    x = c3_grid / 1e6
    ok = np.isfinite(model_kg)
    ax.plot(x[ok], model_kg[ok] / 1e3, color="C0", lw=2, label="jointmission model")
    ax.fill_between(x[ok], 0.9 * model_kg[ok] / 1e3, 1.1 * model_kg[ok] / 1e3, color="C0", alpha=0.15,
                    label="model +-10 %")
    if full_kg is not None:
        ok2 = np.isfinite(full_kg)
        ax.plot(x[ok2], full_kg[ok2] / 1e3, color="C2", lw=1.5, ls="--",
                label="model, top stage fully loaded (top_load=1)")
    ax.plot(curve.values / 1e6, curve.payload_kg / 1e3, "o", color="C3", ms=5, label=curve.short_source)
    ax.axvline(60, color="0.5", ls=":", lw=1)
    ax.text(61, ax.get_ylim()[1] * 0.92, "asserted up to C3 60", fontsize=8, color="0.4")
    ax.set_xlabel("C3 [km$^2$/s$^2$]")
    ax.set_ylabel("separated payload [t]")
    ax.set_title(f"{curve.vehicle}: payload vs C3")
    ax.set_xlim(-2, 100)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def main() -> None:
    """Write the figures and print the Markdown tables."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="docs/figures")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    grid = np.arange(-2.0, 100.1, 2.0) * 1e6
    names = set(vehicle_names())
    for curve in published_curves():
        if curve.vehicle not in names:
            continue
        v = get_vehicle(curve.vehicle)
        model = payload_to_c3(v, grid).payload_kg
        at = payload_to_c3(v, curve.values)
        full = payload_to_c3(v, grid, top_load=1.0).payload_kg
        with np.errstate(invalid="ignore"):
            shown = bool(np.nanmax(np.abs(full / model - 1.0)) > OPTION_SHOWN)
        full_at = payload_to_c3(v, curve.values, top_load=1.0) if shown else None
        leo = payload_to_orbit(v, 200e3)
        path = out / f"validation_c3_{slug(curve.vehicle)}.png"
        figure(curve, grid, model, full if shown else None).savefig(path, dpi=100, bbox_inches="tight")
        print(f"\n### {curve.vehicle} ({curve.short_source})\n\n![{curve.vehicle}](figures/{path.name})\n")
        print(f"Model LEO (200 km circular, due east): {float(leo.payload_kg) / 1e3:.2f} t "
              f"(top-stage load {float(leo.top_load):.2f}).\n")

        def err(m, p):
            return "n/a" if not np.isfinite(m) else f"{100 * (m / p - 1):+.1f} % ({m - p:+.0f} kg)"

        def mass(m):
            return "none" if not np.isfinite(m) else f"{m:.0f}"

        if shown:
            print("| C3 [km2/s2] | published [kg] | model [kg] | top-stage load | error | model, full load [kg] "
                  "| error |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            for c3, p, m, f, mf in zip(curve.values / 1e6, curve.payload_kg, at.payload_kg, at.top_load,
                                       full_at.payload_kg):
                print(f"| {c3:g} | {p:.0f} | {mass(m)} | {f:.2f} | {err(m, p)} | {mass(mf)} | {err(mf, p)} |")
            continue
        print("| C3 [km2/s2] | published [kg] | model [kg] | error |")
        print("|---:|---:|---:|---:|")
        for c3, p, m in zip(curve.values / 1e6, curve.payload_kg, at.payload_kg):
            print(f"| {c3:g} | {p:.0f} | {mass(m)} | {err(m, p)} |")

if __name__ == "__main__":
    main()
