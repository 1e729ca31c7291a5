"""The programme part of a sweep's report: landed mass against cost per tonne, and the cost split.

Reads the sweep folder only (chunk files and ``summary.json``'s ``programme`` entry, written when the
scenario has a ``programme:`` section):

- ``pareto_cost.png``: payload landed against cost per tonne landed, every case coloured by the
  first partner's cost share, the Pareto front (most landed, least cost per tonne) highlighted;
- ``cost_split.png``: cost per mission of the front's cases (or of every case, up to
  :data:`MAX_BARS`) stacked by partner, with each partner's agreed share marked and, with a cost
  Monte Carlo, the P10-P90 range and the P50 / P80 of the total;
- a Markdown section, the rows of the front as a table (:func:`cost_rows`) and the mean cost per
  tonne and cost shares per value of each categorical parameter (:func:`by_category`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .figures import FigureImage, new_figure, render, style
from .sweep_cases import SweepCases, cases_of, pareto_front, scatter_step

__all__ = ["cost_columns", "cost_figures", "cost_markdown", "cost_rows", "by_category", "percentile_rows", "MAX_BARS"]

MAX_BARS = 40
"""Most cases shown in ``cost_split.png`` (the front's cases, the cheapest per tonne first)."""

_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860")


def _rows_columns(summary: dict) -> list[str]:
    """The columns of :func:`cost_rows` (after the categorical parameters)."""
    prog = summary["programme"]
    label = prog["labels"][0]
    partners = [p["name"] for p in prog["partners"]]
    pct = [q for q in (50.0, 80.0) if q in prog.get("percentiles", [])] if prog.get("draws") else []
    cols = [f"mission_payload_t[{label}]", f"mission_cost_MUSD[{label}]", f"cost_per_t_MUSD[{label}]"]
    cols += [f"cost_per_t_MUSD_p{q:g}[{label}]" for q in pct]
    return cols + [f"{k}[{label}, {p}]" for p in partners for k in ("cost_share", "cost_balance")]


def _split_columns(summary: dict) -> list[str]:
    """The extra columns of ``cost_split.png``: each partner's cost, the total's percentiles."""
    prog = summary["programme"]
    label = prog["labels"][0]
    return ([f"cost_MUSD[{label}, {p['name']}]" for p in prog["partners"]]
            + ([f"mission_cost_MUSD_p{q:g}[{label}]" for q in (10.0, 50.0, 80.0, 90.0)]
               if prog.get("draws") and {10.0, 50.0, 80.0, 90.0} <= set(prog.get("percentiles", [])) else []))


def _percentile_columns(summary: dict) -> list[str]:
    """The columns of :func:`percentile_rows`."""
    prog = summary["programme"]
    label = prog["labels"][0]
    partners = [p["name"] for p in prog["partners"]]
    qs = list(prog.get("percentiles", []))
    names = [f"mission_cost_MUSD_p{q:g}[{label}]" for q in qs]
    names += [f"cost_MUSD_p{q:g}[{label}, {p}]" for p in partners for q in qs]
    return ([f"mission_cost_MUSD[{label}]", f"cost_MUSD[{label}, {partners[0]}]"] + names
            + [f"cost_MUSD[{label}, {p}]" for p in partners[1:]])


def cost_columns(summary: dict) -> list[str]:
    """Every per-case column the programme part of a sweep's report reads (figures and tables; empty
    without a programme): the categorical parameters, landed mass, costs, shares and balances."""
    prog = summary.get("programme")
    if not prog or not prog.get("labels"):
        return []
    label = prog["labels"][0]
    params = [p["path"] for p in summary["parameters"] if p.get("categories")]
    cols = params + _rows_columns(summary) + _split_columns(summary)
    cols += [f"cost_share[{label}, {p['name']}]" for p in prog["partners"]]
    if prog.get("draws"):
        cols += _percentile_columns(summary)
    return list(dict.fromkeys(cols))


def cost_rows(out: Path, summary: dict, cases: SweepCases | None = None) -> tuple[list[str], list[list], dict] | None:
    """The front's cases (landed mass vs cost per tonne, first variant) as ``(headers, rows, data)``:
    categorical parameters, landed mass [t], cost per mission and per tonne, P50/P80 per tonne (with a
    Monte Carlo), each partner's cost share and barter balance. ``None`` without a programme. With
    ``cases`` (the report's columns, read once) the chunks are not read and the answer is kept in
    ``cases.memo`` for the other writers."""
    if cases is not None:
        if "cost_rows" not in cases.memo:
            cases.memo["cost_rows"] = _cost_rows(out, summary, cases)
        return cases.memo["cost_rows"]
    return _cost_rows(out, summary, None)


def _cost_rows(out: Path, summary: dict, cases: SweepCases | None) -> tuple[list[str], list[list], dict] | None:
    prog = summary.get("programme")
    if not prog or not prog.get("labels"):
        return None
    label = prog["labels"][0]
    partners = [p["name"] for p in prog["partners"]]
    pct = [q for q in (50.0, 80.0) if q in prog.get("percentiles", [])] if prog.get("draws") else []
    params = [p["path"] for p in summary["parameters"] if p.get("categories")]
    cols = params + _rows_columns(summary)
    data = cases_of(out, cases, cols)
    if data is None:
        return None
    # non-dominated: more mass, less cost per tonne; by increasing mass
    front = pareto_front(data[cols[len(params)]], data[cols[len(params) + 2]], "max", "min")[::-1]
    money = prog["money"]
    heads = [_short(p) for p in params]
    heads += ["landed [t]", f"cost/mission [M {money}]", f"cost/t [M {money}]"]
    heads += [f"P{q:g} cost/t" for q in pct]
    heads += [f"{p} {w}" for p in partners for w in ("share", "balance")]
    rows = []
    for i in front:
        r: list = [str(data[c][i]) for c in params]
        r += [float(data[c][i]) for c in cols[len(params):]]
        rows.append(r)
    return heads, rows, {"data": data, "front": front, "label": label, "partners": partners, "money": money}


def _pareto_cost(out: Path, summary: dict, path: Path, cases: SweepCases | None = None) -> FigureImage | None:
    prog = summary.get("programme") or {}
    got = cost_rows(out, summary, cases)
    if got is None:
        return None
    _, _, d = got
    label, partners, money = d["label"], d["partners"], d["money"]
    mass = d["data"][f"mission_payload_t[{label}]"]
    cpt = d["data"][f"cost_per_t_MUSD[{label}]"]
    share = d["data"][f"cost_share[{label}, {partners[0]}]"]
    front = d["front"]
    ok = np.isfinite(mass) & np.isfinite(cpt)
    if not ok.any():
        return None
    dest = prog.get("destinations", {}).get(label, "destination")
    n_ok = int(ok.sum())
    shown = np.flatnonzero(ok)[::scatter_step(n_ok)]
    with style():
        fig, ax = new_figure(8.5, 5.2)
        sc = ax.scatter(mass[shown], cpt[shown], c=share[shown] * 100, cmap="viridis", vmin=0, vmax=100, s=22,
                        edgecolors="none", label="cases")
        fig.colorbar(sc, ax=ax, label=f"{partners[0]}'s share of the cost [%]")
        ax.plot(mass[front], cpt[front], "o-", color="#c44e52", mfc="none", ms=10, lw=1.4,
                label=f"Pareto front ({front.size} cases)")
        ax.set_xlabel(f"payload delivered to the {dest} per mission [t] (higher is better)")
        ax.set_ylabel(f"cost per tonne delivered [M {money}/t] (lower is better)")
        ax.set_title(f"Mass delivered vs cost per tonne, {label}")
        ax.legend(fontsize=9, loc="best")
        cap = (f"Each dot is one case (colour: {partners[0]}'s share of the cost); circled and joined: the cases no "
               f"other case beats on both mass and cost per tonne. Cost per mission in {money}: development spread "
               f"over the programme's missions, production and launch operations."
               + (f" One case in {scatter_step(n_ok)} of the {n_ok:,} is drawn (every front case is)."
                  if shown.size < n_ok else ""))
        return _save(fig, path, cap)


def _cost_split(out: Path, summary: dict, path: Path, cases: SweepCases | None = None) -> FigureImage | None:
    prog = summary.get("programme") or {}
    got = cost_rows(out, summary, cases)
    if got is None:
        return None
    _, _, d = got
    label, partners, money, data = d["label"], d["partners"], d["money"], d["data"]
    cpt = data[f"cost_per_t_MUSD[{label}]"]
    n = int(np.isfinite(cpt).sum())
    idx = d["front"] if n > MAX_BARS else np.flatnonzero(np.isfinite(cpt))
    idx = idx[np.argsort(cpt[idx], kind="stable")][:MAX_BARS]
    if idx.size == 0:
        return None
    extra = cases_of(out, cases, _split_columns(summary))
    if extra is None:
        return None
    params = [p["path"] for p in summary["parameters"] if p.get("categories")]
    short = [_short(c) for c in params]
    names = [" / ".join(str(data[c][i]) for c in params) or f"case {i}" for i in idx]
    agreed = {p["name"]: p["share"] for p in prog["partners"]}
    with style():
        fig, ax = new_figure(10.0, 2.4 + 0.24 * idx.size)
        y = np.arange(idx.size)
        left = np.zeros(idx.size)
        for k, p in enumerate(partners):
            v = extra[f"cost_MUSD[{label}, {p}]"][idx] / 1e3
            ax.barh(y, v, left=left, color=_COLOURS[k % len(_COLOURS)], label=f"{p} (agreed {agreed[p] * 100:g} %)")
            left = left + v
        acc = 0.0
        for k, p in enumerate(partners[:-1]):  # the agreed split of each case's total
            acc += agreed[p]
            ax.scatter(left * acc, y, marker="|", s=160, color="k", zorder=3,
                       label="agreed split" if k == 0 else None)
        if f"mission_cost_MUSD_p10[{label}]" in extra:
            lo, hi = extra[f"mission_cost_MUSD_p10[{label}]"][idx] / 1e3, extra[f"mission_cost_MUSD_p90[{label}]"][idx] / 1e3
            ax.hlines(y + 0.3, lo, hi, color="0.3", lw=1.2, label="P10-P90 of the total (cost relationships' uncertainty)")
            ax.scatter(extra[f"mission_cost_MUSD_p50[{label}]"][idx] / 1e3, y + 0.3, marker="o", s=14, color="0.3", label="P50")
            ax.scatter(extra[f"mission_cost_MUSD_p80[{label}]"][idx] / 1e3, y + 0.3, marker="^", s=18, color="#c44e52",
                       label="P80")
        ax.set_yticks(y, names, fontsize=7)
        if short:
            ax.set_ylabel(" / ".join(short), fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(f"cost per mission [B {money}]")
        ax.set_title(f"Cost per mission by partner ({'Pareto-front' if n > MAX_BARS else 'all'} cases, "
                     "cheapest per tonne first)")
        ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.5 / max(idx.size, 4) - 0.06), ncol=3)
        cap = ("Bars: each partner's cost per mission (the items it provides); black ticks: where the split would be at "
               "the agreed shares. A bar's colours right of its tick: that partner puts in more than agreed.")
        return _save(fig, path, cap)


def _short(path: str) -> str:
    """A parameter path as a bar label says it: ``programme.providers.elements.crew vehicle`` -> ``crew vehicle``,
    ``programme.providers.launches.crew`` -> ``crew launch``, ``mission.launcher`` -> ``launcher``."""
    parts = path.split(".")
    if path.startswith("programme.providers.launches"):
        return (parts[3] + " launch") if len(parts) > 3 else "launches"
    return parts[-1]


def _save(fig, path: Path, caption: str) -> FigureImage:
    img = render(fig, path.stem, caption)
    img.write(path.parent)
    return img


def cost_figures(out: Path, summary: dict, cases: SweepCases | None = None) -> dict[str, FigureImage]:
    """Draw ``pareto_cost.png`` and ``cost_split.png`` into ``out`` (a sweep with a programme), from
    ``cases`` (the report's columns) or, without it, from the chunks read once here."""
    if cases is None:
        cases = SweepCases.read(out, cost_columns(summary))
    figs: dict[str, FigureImage] = {}
    for name, fn in (("pareto_cost.png", _pareto_cost), ("cost_split.png", _cost_split)):
        got = fn(out, summary, out / name, cases)
        if got is not None:
            figs[name] = got
    return figs


def _fmt(v) -> str:
    if isinstance(v, str):
        return v
    if v is None or not np.isfinite(v):
        return "-"
    return f"{v:,.3g}" if abs(v) < 1 else f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


def by_category(out: Path, summary: dict, cases: SweepCases | None = None) -> tuple[list[str], list[list]] | None:
    """For each categorical parameter and each of its values: the cases, the mean cost per tonne and
    each partner's mean cost share over the other parameters' values (first variant, feasible cases)."""
    prog = summary.get("programme")
    if not prog or not prog.get("labels"):
        return None
    label = prog["labels"][0]
    partners = [p["name"] for p in prog["partners"]]
    params = [p["path"] for p in summary["parameters"] if p.get("categories")]
    if not params:
        return None
    cols = params + [f"cost_per_t_MUSD[{label}]"] + [f"cost_share[{label}, {p}]" for p in partners]
    data = cases_of(out, cases, cols)
    if data is None:
        return None
    ok = np.isfinite(data[f"cost_per_t_MUSD[{label}]"])
    rows = []
    for c in params:
        for v in dict.fromkeys(data[c]):
            sel = ok & (data[c] == v)
            if not sel.any():
                continue
            rows.append([_short(c), str(v), int(sel.sum()), float(np.mean(data[f"cost_per_t_MUSD[{label}]"][sel]))]
                        + [float(np.mean(data[f"cost_share[{label}, {p}]"][sel])) for p in partners])
    heads = ["parameter", "value", "cases", f"mean cost/t [M {prog['money']}]"] + [f"{p} mean share" for p in partners]
    return heads, rows


def percentile_rows(out: Path, summary: dict, cases: SweepCases | None = None) -> tuple[list[str], list[list]] | None:
    """Cost percentiles per mission of the Pareto front's cases, in total and per partner [M]
    (``None`` without a cost Monte Carlo)."""
    prog = summary.get("programme")
    got = cost_rows(out, summary, cases)
    if not prog or not prog.get("draws") or got is None:
        return None
    _, _, d = got
    label, partners, front = d["label"], d["partners"], d["front"]
    qs = [q for q in prog["percentiles"]]
    params = [p["path"] for p in summary["parameters"] if p.get("categories")]
    data = cases_of(out, cases, params + _percentile_columns(summary))
    if data is None:
        return None
    rows = []
    for i in front:
        case = " / ".join(str(data[c][i]) for c in params) or f"case {i}"
        rows.append([case, "all", float(data[f"mission_cost_MUSD[{label}]"][i])]
                    + [float(data[f"mission_cost_MUSD_p{q:g}[{label}]"][i]) for q in qs])
        for p in partners:
            rows.append([case, p, float(data[f"cost_MUSD[{label}, {p}]"][i])]
                        + [float(data[f"cost_MUSD_p{q:g}[{label}, {p}]"][i]) for q in qs])
    return ["case", "partner", f"nominal [M {prog['money']}]"] + [f"P{q:g}" for q in qs], rows


def cost_markdown(out: Path, summary: dict, cases: SweepCases | None = None) -> list[str]:
    """The report.md section of a sweep's programme (empty without one), from ``cases`` (the report's
    columns) or, without it, from the chunks read once here."""
    prog = summary.get("programme")
    if not prog:
        return []
    if cases is None:
        cases = SweepCases.read(out, cost_columns(summary))
    got = cost_rows(out, summary, cases)
    lines = ["## Programme: cost and division of work", "",
             f"Costs per mission in {prog['money']} (TransCost relationships per provider country; development spread "
             f"over {prog['missions']:g} missions, production with learning, launch operations). Partners: "
             + ", ".join(f"{p['name']} (agreed {p['share'] * 100:g} %)" for p in prog["partners"]) + ". "
             + "Cost per tonne: per tonne delivered to the "
             + ", ".join(f"{d} ({lab})" for lab, d in prog.get("destinations", {}).items()) + "."]
    if prog.get("draws"):
        lines[-1] += (f" Cost percentiles from {prog['draws']:,} draws (seed {prog['seed']}) of the cost relationships' "
                      "stated uncertainty, the same draws for every case.")
    if got is not None:
        heads, rows, _ = got
        lines += ["", "Pareto front of mass delivered against cost per tonne (balance: cost share minus agreed share):", "",
                  "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(_fmt(v) for v in r) + " |" for r in rows]
    pct = percentile_rows(out, summary, cases)
    if pct is not None:
        heads, rows = pct
        lines += ["", "Cost per mission of the front's cases over the draws of the cost relationships (nominal: every "
                      "multiplier at its mode, 1):", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(_fmt(v) for v in r) + " |" for r in rows]
    cat = by_category(out, summary, cases)
    if cat is not None:
        heads, rows = cat
        lines += ["", "By category: each value of a categorical parameter over all values of the others "
                      "(feasible cases):", "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(_fmt(v) if not isinstance(v, int) else str(v) for v in r) + " |" for r in rows]
    return lines + [""]
