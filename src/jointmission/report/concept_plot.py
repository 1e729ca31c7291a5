"""The phase chart of a mission concept: what flies in each phase, what waits, what is dropped,
where (docs/concepts.md shows one per shipped concept, made by ``docs/make_concept_figures.py``).

Columns are the phases in order (a repeated launch shown with its default count), rows the
elements. A dark cell: the element flies in that phase (it is in the phase's stack); a light cell:
it is present but waits (it still boils off); a ring: it burns (or gives propellant); an x: it is
dropped at the end of the phase; a triangle: it joins with its launch. Above each column, the place
the stack is in after the phase (the concept's ``at:``). Drawn on a bare
:class:`matplotlib.figure.Figure` (no pyplot state).
"""

from __future__ import annotations

from typing import Any

from ..missions.concept import Concept
from ..missions.concept_check import expand

__all__ = ["concept_figure", "phase_grid"]

_TYPE_COLOUR = {"stage": "#1f77b4", "lander": "#2ca02c", "crew_vehicle": "#9467bd", "service_module": "#9467bd",
                "depot": "#8c564b", "tanker": "#e377c2", "crew": "#d62728", "cargo": "#ff7f0e", "capsule": "#7f7f7f",
                "habitat": "#bcbd22", "item": "#7f7f7f", "payload": "#ff7f0e", "aeroshell": "#17becf"}


def phase_grid(concept: Concept, choice: dict[str, str] | None = None) -> dict[str, Any]:
    """The chart's content: ``phases`` (names), ``kinds``, ``places`` (after each phase, ``""``
    when unchanged), ``elements`` (names), ``types``, and per element a list over phases of
    ``"fly"``, ``"wait"`` or ``""`` (``state``), plus the sets of (element, phase index) that burn
    (``burns``), are dropped (``drops``) or arrive (``arrivals``)."""
    plan = expand(concept, choice)
    els = list(plan.elements)
    present: set[str] = set()
    state = {e: [] for e in els}
    burns, drops, arrivals = set(), set(), set()
    places = []
    for j, ph in enumerate(plan.phases):
        for m in plan.arrive.get(j, ()):
            present.add(m)
            arrivals.add((m, j))
        stack = [m for m in (ph.stack if ph.stack is not None else els) if m in present]
        for e in els:
            state[e].append("fly" if e in stack else "wait" if e in present else "")
        for x in (ph.element, ph.source_el):
            if x is not None:
                burns.add((x, j))
        for d in ph.drop:
            drops.add((d, j))
            present.discard(d)
        places.append(ph.at or "")
    return {"phases": [p.name for p in plan.phases], "kinds": [p.kind for p in plan.phases], "places": places,
            "elements": els, "types": [plan.elements[e].type for e in els], "state": state, "burns": burns,
            "drops": drops, "arrivals": arrivals}


def concept_figure(concept: Concept, choice: dict[str, str] | None = None, title: str | None = None) -> Any:
    """A :class:`matplotlib.figure.Figure` of the concept's phases (see the module docstring)."""
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    g = phase_grid(concept, choice)
    n_ph, n_el = len(g["phases"]), len(g["elements"])
    width, height = max(7.5, 0.62 * n_ph + 3.0), 0.45 * n_el + 3.5  # inches
    left, right, bottom, top = 2.4, 0.5, 2.25, 1.0  # margins in inches: labels below, places above
    fig = Figure(figsize=(width, height), dpi=110)
    ax = fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height))
    for i, e in enumerate(g["elements"]):
        y = n_el - 1 - i
        colour = _TYPE_COLOUR.get(g["types"][i], "#333333")
        for j, s in enumerate(g["state"][e]):
            if not s:
                continue
            alpha = 0.9 if s == "fly" else 0.25
            ax.add_patch(Rectangle((j + 0.06, y + 0.18), 0.88, 0.64, facecolor=to_rgba(colour, alpha),
                                   edgecolor="none"))
            if (e, j) in g["burns"]:
                ax.plot(j + 0.5, y + 0.5, marker="o", markersize=8, markerfacecolor="white",
                        markeredgecolor="black", markeredgewidth=1.2)
            if (e, j) in g["drops"]:
                ax.plot(j + 0.92, y + 0.5, marker="x", markersize=9, color="black", markeredgewidth=2.0)
            if (e, j) in g["arrivals"]:
                ax.plot(j + 0.1, y + 0.5, marker=">", markersize=7, color="black")
    ax.set_xlim(0, n_ph)
    ax.set_ylim(0, n_el)
    ax.set_yticks([n_el - 1 - i + 0.5 for i in range(n_el)])
    ax.set_yticklabels([f"{e} ({t})" for e, t in zip(g["elements"], g["types"])], fontsize=8)
    ax.set_xticks([j + 0.5 for j in range(n_ph)])
    ax.set_xticklabels([f"{p} [{k}]" for p, k in zip(g["phases"], g["kinds"])], rotation=55, ha="right",
                       fontsize=7.5)
    for j in range(1, n_ph):
        ax.axvline(j, color="#dddddd", linewidth=0.6, zorder=0)
    last = None
    for j, place in enumerate(g["places"]):
        if place and place != last:
            ax.text(j + 0.5, n_el + 0.15, place, rotation=40, ha="left", va="bottom", fontsize=7.5, color="#444444")
            last = place
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    opts = ", ".join(f"{k}: {v}" for k, v in (choice or {}).items())
    fig.suptitle(title or f"{concept.name}: {concept.description}" + (f" ({opts})" if opts else ""), fontsize=10,
                 x=0.02, y=1 - 0.08 / height, ha="left", va="top")
    fig.text(0.01, 0.01, "dark = flies in the phase   light = present, waiting   o = burns / gives propellant   "
                         "x = dropped   > = launched", fontsize=7, color="#444444")
    return fig
