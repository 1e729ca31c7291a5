"""The figure of the partners' ledger: per feasible case, each partner's share of the hardware mass
and of the cost, stacked to 100 %, against the agreed shares. Reads the rows of a
:class:`~jointmission.runners.mission.MissionOutcome` only (``partner_rows``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .figures import FigureImage, new_figure, render, style

__all__ = ["partners_figure"]


def _finite(x: Any) -> bool:
    return isinstance(x, float | int) and math.isfinite(float(x))


def partners_figure(outcome: Any) -> FigureImage | None:
    """Stacked horizontal bars, one per feasible case: each partner's hardware share (left panel)
    and cost share (right panel, when costs are computed), with the agreed shares as dashed lines.
    ``None`` without a programme or a feasible case."""
    rows = [r for r in outcome.partner_rows if r["status"] == "ok"]
    if not rows:
        return None
    partners = list(dict.fromkeys(r["partner"] for r in rows))
    agreed = {r["partner"]: r["agreed_share"] for r in rows}
    cases = list(dict.fromkeys(f"{r['variant']} / {r['launcher']}" for r in rows))
    by = {(f"{r['variant']} / {r['launcher']}", r["partner"]): r for r in rows}
    panels = [("hardware_share", "share of the hardware mass")]
    if any(_finite(r.get("cost_share")) for r in rows):
        panels.append(("cost_share", f"share of the cost ({next(r['money'] for r in rows if r.get('money'))})"))
    with style():
        fig, axes = new_figure(5.2 * len(panels) + 3.5, 1.6 + 0.34 * len(cases), 1, len(panels), sharey=True)
        axes = np.atleast_1d(axes)
        y = np.arange(len(cases))[::-1].astype(float)
        for ax, (key, label) in zip(axes, panels):
            left = np.zeros(len(cases))
            for j, p in enumerate(partners):
                vals = np.array([float(by[(c, p)][key]) if (c, p) in by and _finite(by[(c, p)][key]) else 0.0
                                 for c in cases]) * 100.0
                ax.barh(y, vals, left=left, height=0.7, color=f"C{j % 10}", label=p)
                for yy, lo, v in zip(y, left, vals):
                    if v >= 8.0:
                        ax.text(lo + v / 2, yy, f"{v:.0f} %", ha="center", va="center", fontsize=8, color="white")
                left += vals
            edge = 0.0
            for p in partners[:-1]:
                edge += agreed[p] * 100.0
                ax.axvline(edge, color="0.15", linestyle="--", linewidth=1.2)
            ax.set_xlim(0, 100)
            ax.set_xlabel(f"{label} [%]")
            ax.grid(axis="y", visible=False)
        axes[0].set_yticks(y, cases)
        axes[0].set_ylabel("case (architecture / launcher)")
        fig.suptitle("Who puts in what: each partner's share per case; dashed: the agreed shares")
        handles, labels = axes[0].get_legend_handles_labels()  # one entry per partner (both panels share them)
        fig.legend(handles, labels, title="partner", loc="outside lower center", ncols=min(6, len(partners)),
                   frameon=False)
        return render(fig, "partners", "Bars: each partner's share of the case's hardware dry mass and of its "
                                       "cost; the dashed lines mark the agreed shares. A bar reaching past its "
                                       "line means the partner puts in more than agreed.")
