"""Figures of a scenario's ``mission:`` section: the mass waterfall of each architecture (what is
launched, burned, boiled off, left as hardware and landed) and the payload landed per architecture
and launcher. Reads a :class:`~jointmission.runners.mission.MissionOutcome` only (its rows carry
the per-phase sums: ``delivered_t``, ``propellant_t``, ``boiloff_t``, ``payload_t``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .figures import FigureImage, new_figure, render, style
from .mission import variant_label

__all__ = ["waterfall_steps", "mass_waterfall_figure", "landed_mass_figure"]


def _f(x: Any) -> float:
    return float(x) if x is not None and math.isfinite(float(x)) else math.nan


def waterfall_steps(row: dict[str, Any]) -> list[tuple[str, float]] | None:
    """The mass waterfall of one mission row [t]: launched (delivered by the launches), minus the
    in-space propellant burned, minus the boil-off, minus the hardware that is not payload (stages,
    aeroshells, crew ship: dropped on the way or returned), equals the payload landed. ``None`` for
    an infeasible row. The hardware step is what closes the sum; a negative one (inconsistent input)
    is returned as it is, to be seen."""
    launched, burned, boiled, landed = (_f(row.get(k)) for k in ("delivered_t", "propellant_t", "boiloff_t", "payload_t"))
    if row.get("status") != "ok" or not all(math.isfinite(v) for v in (launched, landed)):
        return None
    burned = 0.0 if not math.isfinite(burned) else burned
    boiled = 0.0 if not math.isfinite(boiled) else boiled
    hardware = launched - burned - boiled - landed
    return [("launched", launched), ("propellant burned", -burned), ("boil-off", -boiled),
            ("hardware not landed", -hardware), ("payload landed", landed)]


_COLOURS = {"launched": "#4c72b0", "propellant burned": "#dd8452", "boil-off": "#8172b3",
            "hardware not landed": "#937860", "payload landed": "#55a868"}


def mass_waterfall_figure(outcome, launcher: str | None = None) -> FigureImage | None:
    """One panel per architecture variant: the waterfall of :func:`waterfall_steps` for ``launcher``
    (default: the first launcher with a feasible case), masses in t written on the bars."""
    names = list(outcome.launchers)
    if launcher is None:
        launcher = next((n for n in names if any(r["launcher"] == n and r["status"] == "ok" for r in outcome.rows)), None)
    rows = [r for r in outcome.rows if r["launcher"] == launcher and waterfall_steps(r) is not None]
    if not rows:
        return None
    ncols = min(3, len(rows))
    nrows = math.ceil(len(rows) / ncols)
    with style():
        fig, axes = new_figure(max(4.0 * ncols, 7.5), 3.6 * nrows + 0.5, nrows, ncols)
        axes = np.atleast_1d(axes).ravel()
        for ax, r in zip(axes, rows):
            steps = waterfall_steps(r)
            level, x = 0.0, np.arange(len(steps))
            top = steps[0][1]
            for i, (lab, v) in enumerate(steps):
                if i in (0, len(steps) - 1):
                    bottom, h = 0.0, v
                else:
                    bottom, h = level + v, -v
                ax.bar(i, h, bottom=bottom, color=_COLOURS[lab], width=0.7)
                ax.text(i, bottom + h + 0.02 * top, f"{abs(v):,.1f}", ha="center", va="bottom", fontsize=9)
                level = v if i == 0 else level + v
            ax.set_xticks(x, ["launched", "burned", "boil-off", "hardware", "landed"], rotation=30, ha="right")
            ax.set_ylim(0, top * 1.14)
            ax.set_ylabel("mass [t]")
            ax.set_xlabel("step")
            ax.grid(axis="x", visible=False)
            ax.set_title(variant_label(r), fontsize=10.5)
        for ax in axes[len(rows):]:
            ax.set_visible(False)
        fig.suptitle(f"Mass waterfall per architecture, {_short(launcher)}: launched to landed")
        return render(fig, "mass_waterfall",
                      "Launched = mass the launches deliver; burned = in-space propellant; hardware = stages, "
                      "aeroshells and crew ship that are dropped or return; landed = payload on the surface.")


def _short(name: str) -> str:
    """A launcher's name up to its first bracket (``Long March 5 (CZ-5, ...)`` -> ``Long March 5``)."""
    return name.split(" (")[0] if " (" in name and not name.startswith("(") else name


def landed_mass_figure(outcome, title: str = "Payload landed per architecture and launcher") -> FigureImage | None:
    """Grouped horizontal bars: one group per architecture variant, one bar per launcher: payload
    landed [t] (forward budgets) with the launches per mission written beside it, or, for a required
    payload (backward budgets), the heavy launches needed. Infeasible cells are written as such."""
    rows = [r for r in outcome.rows if r["architecture"] != "mars_crewed" or outcome.backward]
    if not rows:
        return None
    labels = list(dict.fromkeys(variant_label(r) for r in rows))
    launchers = list(outcome.launchers)
    value = (lambda r: _f(r.get("launches"))) if outcome.backward else (lambda r: _f(r.get("payload_t")))
    cell = {(variant_label(r), r["launcher"]): r for r in rows}
    with style():
        fig, ax = new_figure(9.5, 2.2 + 0.36 * len(labels) * len(launchers) + 0.5 * len(labels))
        h = 0.8 / max(len(launchers), 1)
        y0 = np.arange(len(labels))[::-1].astype(float)
        vmax = max([value(r) for r in rows if math.isfinite(value(r))] or [1.0])
        for j, ln in enumerate(launchers):
            ys = y0 + 0.4 - h * (j + 0.5)
            vals = [value(cell[(lab, ln)]) if (lab, ln) in cell else math.nan for lab in labels]
            ax.barh(ys, np.nan_to_num(vals), height=h * 0.92, color=f"C{j % 10}", label=_short(ln))
            for yy, lab, v in zip(ys, labels, vals):
                r = cell.get((lab, ln))
                if r is None or not math.isfinite(v):
                    ax.text(0.01 * vmax, yy, "infeasible", va="center", fontsize=9, color="0.3")
                    continue
                extra = "" if outcome.backward else (f"  ({r['launches']:.0f} launch{'es' if r['launches'] != 1 else ''})"
                                                     if r.get("launches") else "")
                ax.text(v + 0.01 * vmax, yy, f"{v:,.1f}{extra}", va="center", fontsize=9)
        ax.set_yticks(y0, labels)
        ax.set_xlim(0, vmax * 1.3)
        ax.set_xlabel("heavy launches needed per mission" if outcome.backward else "payload landed [t]")
        ax.set_ylabel("architecture")
        ax.grid(axis="y", visible=False)
        ax.set_title(title)
        fig.legend(title="launcher", loc="outside lower center", ncols=min(4, len(launchers)), frameon=False)
        return render(fig, "landed_mass", "Each bar: one launcher flying one architecture; in brackets the "
                                          "heavy launches that architecture needs.")

