"""``report.html`` of a finished sweep (grid, zip, Monte Carlo, Latin hypercube): what was swept, the
payload statistics with the nominal payload, the distributions, the sensitivity (tornado), the grid
lines, the payload by category, the Pareto front, the loss-model check and the scenario as run.
Reads the sweep's summary and the figures :mod:`.sweep_plots` drew; nothing is recomputed.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..runners.analysis import slug
from .figures import FigureImage
from .html import Section, Table, render_page, write_page
from .sweep_cases import SweepCases

__all__ = ["sweep_sections", "write_sweep_html"]


def _param_row(p: dict) -> list:
    if p.get("categories"):
        return [p["path"], "categorical", ", ".join(p["categories"]), "-"]
    nom = p.get("nominal")
    return [p["path"], p.get("unit") or "-", "-", "-" if nom is None else f"{nom:.6g}"]


def sweep_sections(out: Path, summary: dict, figs: dict[str, FigureImage],
                   nominal: dict[str, float], cases: SweepCases | None = None) -> list[Section]:
    """The sections of a sweep's page (the programme's tables from ``cases``, the report's columns
    read once, or without it from the chunks)."""
    lm = summary["loss_model"]
    s0 = Section("summary", "Summary")
    s0.facts([("kind", summary["kind"].replace("_", " ")), ("cases", f"{summary['n_cases']:,}"),
              ("parameters", str(len(summary["parameters"]))),
              ("chunks", f"{summary['n_chunks']} of up to {summary['chunk_size']:,}"),
              ("ascent losses", lm["kind"] + (f" ({lm['designs']} full solves)" if lm["kind"] == "interpolate" else ""))]
             + ([("top stage", "the swept vehicle's, fully loaded (a sweep does not choose the load; a single run does)")]
                if summary.get("top_load") == 1.0 else [])
             + ([("seed", str(summary["seed"]))] if summary.get("seed") is not None else []))
    s0.h3("Swept parameters")
    s0.table(Table.of(["parameter", "unit", "categories", "nominal"], [_param_row(p) for p in summary["parameters"]], 4))

    st = Section("statistics", "Payload statistics")
    rows = []
    for t, e in summary["targets"].items():
        p = e.get("percentiles") or {}
        rows.append([t, nominal.get(t), f"{e.get('ok', 0):,} / {e['cases']:,}", e.get("mean") if e.get("ok") else None,
                     e.get("std") if e.get("ok") else None, e.get("min") if e.get("ok") else None, p.get("p5"),
                     p.get("p50"), p.get("p95"), e.get("max") if e.get("ok") else None])
    st.table(Table.of(["target", "nominal [t]", "feasible", "mean [t]", "sd [t]", "min [t]", "p5 [t]", "p50 [t]",
                       "p95 [t]", "max [t]"], rows))
    st.text("Cases by status code (0 = ok; the status-codes page of the documentation lists the others): "
            + "; ".join(f"{t}: " + ", ".join(f"code {k}: {v:,}" for k, v in e["status_counts"].items())
                        for t, e in summary["targets"].items()) + ".", note=True)
    for name, f in figs.items():
        if name.startswith("hist_"):
            st.figure(f)
    for name, f in figs.items():
        if name.startswith("grid_"):
            st.figure(f)

    se = Section("sensitivity", "Sensitivity")
    se.text("Low/high: the grid range, or the 10th to 90th percentile of a distribution. Swing: payload change of the "
            "linear fit from low to high; SRC: standardized regression coefficient; rho: Spearman rank correlation.")
    for t, e in summary["targets"].items():
        if not e.get("sensitivity"):
            continue
        r2 = e.get("linear_fit_r2")
        se.h3(f"{t}" + (f" (linear fit R² = {r2:.3f})" if r2 is not None else ""))
        units = {p["path"]: p.get("unit") or "" for p in summary["parameters"]}
        se.table(Table.of(["parameter", "unit", "low", "high", "swing [t]", "SRC", "rho"],
                          [[s["parameter"], units.get(s["parameter"], ""), s["low"], s["high"], s["swing"],
                            s.get("src") if s.get("src") is None or math.isfinite(s["src"]) else None, s.get("spearman")]
                           for s in e["sensitivity"]], [0, 0, 4, 4, 3, 3, 3]))
        se.figure(figs.get(f"tornado_{slug(t)}.png"))
    cats = [(t, p, c) for t, e in summary["targets"].items() for p, c in (e.get("by_category") or {}).items()]
    if cats:
        se.h3("Payload by category [t]")
        se.table(Table.of(["target", "parameter", "category", "feasible", "mean [t]", "min [t]", "max [t]"],
                          [[t, p, c["value"], f"{c['ok']:,} / {c['cases']:,}", c["mean"], c["min"], c["max"]]
                           for t, p, cs in cats for c in cs]))

    sections = [s0, st, se]
    if summary.get("pareto"):
        pi = summary["pareto"]
        sp = Section("pareto", "Pareto front")
        sp.text(f"{pi['size']:,} non-dominated cases over all cases for "
                + ", ".join(f"{c} ({s})" for c, s in pi["objectives"]) + " in pareto.parquet"
                + (" (no case is feasible in these objectives: no front, no figure)." if not pi["size"] else "."))
        margins = [p["path"] for p in summary["parameters"] if p["path"].startswith("mission.margins.")]
        if margins:
            sp.text("The margins (" + ", ".join(margins) + ") are swept here to show what they cost, not as design "
                    "choices: the figure's front keeps every margin at or above its nominal value, so it never "
                    "buys payload by dropping a margin. The file's front is over all cases, lower margins included.")
        sp.figure(figs.get("pareto.png"))
        sections.append(sp)
    if summary.get("programme"):
        sections.append(_programme_section(out, summary, figs, cases))
    chk = lm.get("check")
    if chk:
        sl = Section("loss-model", "Loss-model check")
        sl.text(f"Against the full ascent model on {len(chk['cases'])} cases spread over the sweep.")
        sl.table(Table.of(["target", "compared", "max rel. error", "mean rel. error", "max abs. error [t]",
                           "status disagreements"],
                          [[t, c["compared"], None if c["max_rel_error"] is None else f"{c['max_rel_error']:.1e}",
                            None if c["mean_rel_error"] is None else f"{c['mean_rel_error']:.1e}", c["max_abs_error_t"],
                            c["status_disagree"]] for t, c in chk["targets"].items()], 3))
        sections.append(sl)
    sc = Section("scenario", "Scenario as run")
    resolved = out / "scenario.resolved.yaml"
    if resolved.is_file():
        sc.text("The scenario with the vehicle written out in full (catalog entry, engines and overrides applied); the "
                "nominal column above evaluates it with every parameter at its stated value.")
        sc.yaml(resolved.read_text(encoding="utf-8"))
    tm = summary["timing"]
    sc.text(f"Timing: shared part {tm['shared_seconds']:.2f} s, chunks {tm['chunks_seconds']:.2f} s ({tm['backend']}), "
            f"analysis {tm['analysis_seconds']:.2f} s. Per-case results: chunks/chunk-*.parquet (manifest.json); "
            "evenly spaced sample: sample.parquet; summary: summary.json.", note=True)
    sections.append(sc)
    return sections


def write_sweep_html(out: Path, summary: dict, figs: dict[str, FigureImage], nominal: dict[str, float],
                     cases: SweepCases | None = None) -> Path:
    """Write ``report.html`` of the sweep in ``out`` (tables from ``cases``, the report's columns read
    once, when given); returns its path."""
    html = render_page(title=f"Sweep: {summary['scenario']}", description=(summary.get("description") or "").strip(),
                       run_kind="sweep", subtitle=f"{summary['kind'].replace('_', ' ')} sweep, {summary['n_cases']:,} cases",
                       sections=sweep_sections(out, summary, figs, nominal, cases))
    return write_page(out / "report.html", html)


def _programme_section(out: Path, summary: dict, figs: dict[str, FigureImage],
                       cases: SweepCases | None = None) -> Section:
    """The page's 'Programme' section: what costs are, the Pareto front of mass vs cost per tonne with
    each partner's share and balance, and the two cost figures."""
    from .sweep_cost import by_category, cost_columns, cost_markdown, cost_rows, percentile_rows

    prog = summary["programme"]
    if cases is None:
        cases = SweepCases.read(out, cost_columns(summary))
    sp = Section("programme", "Programme: cost and division of work")
    text = cost_markdown(out, summary, cases)
    sp.text(text[2] if len(text) > 2 else "")
    got = cost_rows(out, summary, cases)
    if got is not None:
        heads, rows, _ = got
        sp.h3("Pareto front: mass delivered vs cost per tonne")
        sp.table(Table.of(heads, rows, 3))
    sp.figure(figs.get("pareto_cost.png"))
    pct = percentile_rows(out, summary, cases)
    if pct is not None:
        sp.h3("Cost percentiles of the front's cases (cost relationships' uncertainty)")
        sp.table(Table.of(pct[0], pct[1], 3))
    cat = by_category(out, summary, cases)
    if cat is not None:
        sp.h3("By category: mean over the other parameters' values")
        sp.table(Table.of(cat[0], cat[1], 3))
    sp.figure(figs.get("cost_split.png"))
    del prog
    return sp
