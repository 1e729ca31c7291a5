"""Figures and the Markdown report of a finished sweep (reads the sweep folder only).

:func:`write_sweep_report` writes, beside the results, each figure atomically:

- ``tornado_<target>.png``: bars spanning the payload of each parameter at its low and at its high
  value around the nominal payload (linear fit over all cases; low/high = grid range, or 10th/90th
  percentile of a distribution), largest swing on top, units in the labels;
- ``hist_<target>.png``: payload histogram and cumulative distribution with the nominal payload and the
  5th/50th/95th percentiles marked (sampled sweeps);
- ``grid_<target>.png``: payload against the last grid axis, one line per value of the first
  (grid sweeps with one or two axes);
- ``pareto.png``: objective scatter of the cases with the Pareto front; swept margins
  (``mission.margins.*``) are held at or above their nominal value on the front;
- ``report.md`` and ``report.html`` (:mod:`.sweep_html`): what was swept, the loss model and its
  measured error, statistics, sensitivity, and the figures.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
import numpy as np

from ..runners.analysis import slug
from ..io.atomic import atomic_write_text
from .figures import FigureImage, new_figure, render, style
from .sweep_cases import SweepCases, cases_of, pareto_front, scatter_step

__all__ = ["write_sweep_report", "report_columns"]


def _save(fig, path: Path, caption: str = "") -> FigureImage:
    img = render(fig, path.stem, caption)
    img.write(path.parent)
    return img


def _unit(summary: dict, path: str) -> str:
    for p in summary.get("parameters", []):
        if p["path"] == path:
            return p.get("unit") or ""
    return ""


def tornado_bars(entry: dict, summary: dict, nominal: float | None) -> tuple[float, str, list[dict]]:
    """The bars of a tornado: the centre (the nominal payload [t], or the mean when there is none), its
    name, and per parameter (smallest swing first) ``parameter``, ``low``/``high`` (the parameter's
    values, margins in %), ``unit``, ``at_low``/``at_high`` (payload [t] of the linear fit with the
    parameter at that value and the others at nominal: ``centre + slope x (value - nominal value)``)
    and ``src``."""
    sens = [s for s in entry.get("sensitivity", []) if s.get("swing") is not None and math.isfinite(s["swing"])]
    noms = {p["path"]: p.get("nominal") for p in summary.get("parameters", [])}
    has_nominal = nominal is not None and math.isfinite(nominal)
    centre = float(nominal) if has_nominal else float(entry.get("mean") or 0.0)
    bars = []
    for s in sorted(sens, key=lambda s: abs(s["swing"])):
        slope, pn = s.get("slope_per_unit"), noms.get(s["parameter"])
        if slope is None or pn is None or not math.isfinite(slope):  # no nominal value: centre the swing
            at_low, at_high = centre - s["swing"] / 2, centre + s["swing"] / 2
        else:
            at_low, at_high = centre + slope * (s["low"] - pn), centre + slope * (s["high"] - pn)
        unit, lo, hi = _unit(summary, s["parameter"]), s["low"], s["high"]
        if s["parameter"].startswith(_MARGIN_PREFIX) and not unit:  # a margin is a fraction: show it in %
            lo, hi, unit = lo * 100, hi * 100, "%"
        bars.append({"parameter": s["parameter"], "low": lo, "high": hi, "unit": unit, "at_low": at_low,
                     "at_high": at_high, "src": s.get("src"), "swing": s["swing"]})
    return centre, "nominal" if has_nominal else "mean", bars


def _tornado(entry: dict, target: str, path: Path, summary: dict, nominal: float | None) -> FigureImage | None:
    """Bars spanning the payload of each parameter's low and high value around the nominal payload
    (:func:`tornado_bars`), largest swing on top, units in the labels."""
    centre, centre_name, bars = tornado_bars(entry, summary, nominal)
    if not bars:
        return None
    with style():
        fig, ax = new_figure(9.5, 0.62 * len(bars) + 2.0)
        y = np.arange(len(bars))
        labels = []
        for yi, b in zip(y, bars):
            ax.barh(yi, b["at_low"] - centre, left=centre, color="#c44e52", height=0.6,
                    label="parameter at its low value" if yi == 0 else None)
            ax.barh(yi, b["at_high"] - centre, left=centre, color="#4c72b0", height=0.6,
                    label="parameter at its high value" if yi == 0 else None)
            for val in (b["at_low"], b["at_high"]):
                ax.text(val, yi, f" {val:,.2f} ", va="center", ha="left" if val >= centre else "right", fontsize=9)
            src = b["src"]
            labels.append(f"{b['parameter']}\n{_num(b['low'])} to {_num(b['high'])} {b['unit']}".rstrip()
                          + (f"  (SRC {src:+.2f})" if src is not None and math.isfinite(src) else ""))
        ax.axvline(centre, color="k", lw=1.2)
        ax.set_yticks(y, labels, fontsize=9)
        span = max(abs(b["swing"]) for b in bars) or 1.0
        ax.set_xlim(centre - 0.9 * span, centre + 0.9 * span)
        ax.set_xlabel(f"payload [t], {target} ({centre_name} {centre:,.2f} t at the black line)")
        ax.set_ylabel("parameter (low to high)")
        r2 = entry.get("linear_fit_r2")
        ax.set_title(f"Sensitivity (tornado): {target}" + (f", linear fit R² = {r2:.3f}" if r2 is not None else ""))
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right", fontsize=9)
        return _save(fig, path, "Each bar spans the payload with that parameter at its low and at its high value "
                                "(grid range, or 10th to 90th percentile of its distribution), the others at nominal; "
                                "from the linear fit over all cases.")


def _num(v: float) -> str:
    return f"{v:.4g}"


def _value(v) -> str:
    """An axis value for a legend: a number as ``:g``, a category (an engine name) as it is."""
    return f"{v:g}" if isinstance(v, (int, float, np.number)) else str(v)


def _column(target: str) -> str:
    """The per-case column of a summary target (a scenario target or ``mission: <variant>``)."""
    return f"mission_payload_t[{target[9:]}]" if target.startswith("mission: ") else f"payload_t[{target}]"


def _distribution(out: Path, entry: dict, target: str, path: Path, nominal: float | None,
                  cases: SweepCases | None = None) -> FigureImage | None:
    """Histogram and cumulative distribution of the feasible cases' payload, with the nominal payload
    and the 5th / 50th / 95th percentiles marked."""
    h = entry.get("histogram")
    if not h or sum(h["counts"]) == 0:
        return None
    cases = cases_of(out, cases, [_column(target)])
    vals = None if cases is None else np.sort(cases[_column(target)][np.isfinite(cases[_column(target)])])
    pct = entry.get("percentiles", {})
    with style():
        fig, (a1, a2) = new_figure(11.0, 4.4, 1, 2)
        a1.stairs(h["counts"], np.asarray(h["edges"]), fill=True, alpha=0.6, color="#4c72b0")
        a1.set_ylabel("cases per bin")
        a1.set_title("Histogram")
        if vals is not None and vals.size:
            q = np.linspace(0.0, 1.0, min(vals.size, 2001))
            a2.plot(np.quantile(vals, q), q * 100.0, color="#4c72b0", lw=2)
        a2.set_ylabel("cases with less payload [%]")
        a2.set_ylim(0, 100)
        a2.set_title("Cumulative distribution")
        for ax in (a1, a2):
            for key, ls in (("p5", ":"), ("p50", "--"), ("p95", ":")):
                if key in pct:
                    ax.axvline(pct[key], color="0.3", ls=ls, lw=1)
                    ax.text(pct[key], 0.98, f" {key}", transform=ax.get_xaxis_transform(), fontsize=9, va="top")
            if nominal is not None and math.isfinite(nominal):
                ax.axvline(nominal, color="#c44e52", lw=2, label=f"nominal {nominal:,.2f} t")
            ax.set_xlabel(f"payload [t], {target}")
        if nominal is not None and math.isfinite(nominal):
            a2.legend(loc="lower right")
            if vals is not None and vals.size:
                below = float(np.searchsorted(vals, nominal)) / vals.size * 100
                a2.text(0.02, 0.9, f"{below:.0f} % of cases below nominal", transform=a2.transAxes, fontsize=10)
        fig.suptitle(f"{target}: {entry['ok']:,} of {entry['cases']:,} cases feasible; mean {entry['mean']:.2f} t, "
                     f"sd {entry['std']:.2f} t")
        return _save(fig, path, "Red: the nominal scenario (every parameter at its stated value); dotted: 5th and "
                                "95th percentiles; dashed: median.")


def _grid(out: Path, summary: dict, target: str, path: Path) -> FigureImage | None:
    if summary["kind"] != "grid" or len(summary["shape"]) > 2 or not (out / "results.nc").exists():
        return None
    import xarray as xr

    col = _column(target)
    with xr.open_dataset(out / "results.nc") as ds:
        if slug(col) not in ds:
            return None
        da = ds[slug(col)].load()
    dims = list(da.dims)
    with style():
        fig, ax = new_figure(8, 4.6)
        x = da[dims[-1]]
        ls = "none" if x.dtype.kind in "OUS" else "-"  # categories (engine names): points, no line between them
        if len(dims) == 1:
            ax.plot(x, da.values, marker="o", ls=ls)
        else:
            for i, v in enumerate(da[dims[0]].values):
                ax.plot(x, da.values[i], marker="o", ls=ls,
                        label=f"{da[dims[0]].attrs.get('long_name', dims[0])} = {_value(v)}")
            ax.legend(fontsize=9)
        unit = x.attrs.get("units", "")
        ax.set_xlabel(f"{x.attrs.get('long_name', dims[-1])}" + (f" [{unit}]" if unit else ""))
        ax.set_ylabel(f"payload [t], {target}")
        ax.set_title(f"{target} over the grid")
        return _save(fig, path, "One line per value of the first grid axis.")


_MARGIN_PREFIX = "mission.margins."

_SENSE = {"max": "higher is better", "min": "lower is better"}


def objective_label(column: str, sense: str | None = None) -> str:
    """An axis label for a per-case column: ``payload_t[LEO]`` -> ``payload [t], LEO``,
    ``mission_payload_t[moon_direct]`` -> ``payload landed [t], moon_direct``, ``liftoff_mass_t`` ->
    ``lift-off mass [t]``; a unit suffix ``_t``/``_km_s``/``_s`` becomes the bracket; with ``sense``
    (``max``/``min``) the better direction is said."""
    import re

    m = re.fullmatch(r"(cost_per_t_MUSD|mission_cost_MUSD|cost_MUSD|[a-z_]+?)(?:_(t|km_s|km2_s2|s|kg|m_s))?(?:\[(.*)\])?",
                     column)
    if m is None:
        text = column
    else:
        name, unit, what = m.groups()
        words = {"mission_payload": "payload landed", "liftoff_mass": "lift-off mass", "payload": "payload",
                 "mission_launches": "heavy launches", "dv_required": "delta-v required",
                 "mission_cost_MUSD": "cost per mission [M US$]", "cost_per_t_MUSD": "cost per tonne [M US$/t]",
                 "cost_MUSD": "partner's cost per mission [M US$]", "cost_share": "cost share",
                 "cost_balance": "barter balance in cost"}.get(name, name.replace("_", " "))
        units = {"km_s": "km/s", "km2_s2": "km²/s²", "m_s": "m/s"}
        text = words + (f" [{units.get(unit, unit)}]" if unit else "") + (f", {what}" if what else "")
    return text + (f" ({_SENSE[sense]})" if sense in _SENSE else "")


def _front_columns(summary: dict) -> list[str]:
    """The columns of :func:`front_at_nominal_margins`: the first two objectives, the swept margins."""
    info = summary.get("pareto")
    if not info:
        return []
    margins = [p for p in summary.get("parameters", []) if p["path"].startswith(_MARGIN_PREFIX) and p.get("nominal") is not None]
    return [o[0] for o in info["objectives"]][:2] + [p["path"] for p in margins]


def front_at_nominal_margins(out: Path, summary: dict, cases: SweepCases | None = None) -> dict | None:
    """The sweep's cases in its first two objectives and their Pareto front over the cases whose swept
    margins (``mission.margins.*``) are at or above nominal: ``{"objectives", "senses", "a", "b",
    "allowed", "front", "margins"}`` (``None`` without objectives or case files). Margins are a design
    rule, not a design choice: a front over all cases would buy payload by dropping them."""
    info = summary.get("pareto")
    if not info:
        return None
    objs = [o[0] for o in info["objectives"]]
    senses = [o[1] for o in info["objectives"]]
    margins = [p for p in summary.get("parameters", []) if p["path"].startswith(_MARGIN_PREFIX) and p.get("nominal") is not None]
    cases = cases_of(out, cases, objs[:2] + [p["path"] for p in margins])
    if cases is None:
        return None
    a, b = cases[objs[0]], cases[objs[1]]
    allowed = np.ones(a.shape, dtype=bool)
    for p in margins:
        allowed &= cases[p["path"]] >= p["nominal"] - 1e-12
    front = pareto_front(np.where(allowed, a, np.nan), np.where(allowed, b, np.nan), senses[0], senses[1])
    return {"objectives": objs, "senses": senses, "a": a, "b": b, "allowed": allowed, "front": front,
            "margins": margins}


def _pareto(out: Path, summary: dict, path: Path, cases: SweepCases | None = None) -> FigureImage | None:
    """Objective scatter and the Pareto front of :func:`front_at_nominal_margins`; cases below the
    nominal margins are shown apart and never on the front."""
    got = front_at_nominal_margins(out, summary, cases)
    if got is None or got["front"].size == 0:  # no case feasible in both objectives: no front to draw
        return None
    objs, senses, a, b = got["objectives"], got["senses"], got["a"], got["b"]
    allowed, front, margins = got["allowed"], got["front"], got["margins"]
    step = scatter_step(a.size)
    with style():
        fig, ax = new_figure(8.5, 5.2)
        ax.scatter(a[allowed][::step], b[allowed][::step], s=6, c="0.6", label="cases")
        if margins and (~allowed).any():
            ax.scatter(a[~allowed][::step], b[~allowed][::step], s=10, facecolors="none", edgecolors="#dd8452",
                       linewidths=0.6, label="margins below nominal (not a design option)")
        ax.plot(a[front], b[front], "o-", color="#c44e52", ms=5,
                label=f"Pareto front ({front.size} cases)" + (" at nominal or larger margins" if margins else ""))
        ax.set_xlabel(objective_label(objs[0], senses[0]))
        ax.set_ylabel(objective_label(objs[1], senses[1]))
        ax.set_title("Pareto front" + (f" over {len(objs)} objectives, shown in the first two" if len(objs) > 2 else
                                       f": {objective_label(objs[0])} vs {objective_label(objs[1])}"))
        ax.legend(fontsize=9)
        cap = ("Margins (" + ", ".join(f"{p['path'][len(_MARGIN_PREFIX):]} nominal {p['nominal'] * 100:g} %"
                                       for p in margins) + ") are held at or above nominal on the front: lowering a "
               "margin is not a design option.") if margins else "Red: the cases no other case beats on both objectives."
        return _save(fig, path, cap)


def nominal_payloads(out: Path, summary: dict) -> dict[str, float]:
    """Payload [t] of each summary target for the nominal scenario (every swept parameter at its stated
    value): the folder's ``scenario.resolved.yaml`` evaluated once (a single run, ~1-3 s). Targets
    that cannot be evaluated are left out (the figures then centre on the mean)."""
    from ..runners.single import evaluate
    from ..scenario import ScenarioError, load_scenario

    path = out / "scenario.resolved.yaml"
    if not path.is_file():
        return {}
    try:
        result = evaluate(load_scenario(path))
    except (ScenarioError, ValueError, OSError):
        return {}
    out_: dict[str, float] = {r["target"]: r["payload_t"] for r in result.rows if r["payload_t"] is not None}
    if result.mission is not None:
        first = result.mission.launchers[0] if result.mission.launchers else None
        for r in result.mission.rows:
            if r["launcher"] != first or r.get("payload_t") is None:
                continue
            label = r["architecture"] + (f" {r['window']}" if r["window"] else "") + (
                f" ({r['capture']})" if r["capture"] and r["architecture"] == "mars_cargo" else "")
            out_.setdefault(f"mission: {label}", r["payload_t"])
            out_.setdefault(f"mission: {r['architecture']}", r["payload_t"])
    return {k: v for k, v in out_.items() if k in summary["targets"]}


def report_columns(summary: dict) -> list[str]:
    """Every per-case column a sweep's report reads from the chunk files (each once): the payload of
    each feasible target (histograms of sampled sweeps), the Pareto objectives and swept margins,
    and the programme's costs (:func:`jointmission.report.sweep_cost.cost_columns`)."""
    cols: list[str] = []
    if summary["kind"] in ("monte_carlo", "lhs"):
        cols += [_column(t) for t, e in summary["targets"].items() if e.get("ok", 0) and e.get("histogram")]
    cols += _front_columns(summary)
    if summary.get("programme"):
        from .sweep_cost import cost_columns

        cols += cost_columns(summary)
    return list(dict.fromkeys(cols))


def sweep_figures(out: Path, summary: dict, nominal: dict[str, float],
                  cases: SweepCases | None = None) -> dict[str, FigureImage]:
    """Draw (and write as PNG into ``out``) every figure of a finished sweep; ``{file name: image}``.
    The per-case values come from ``cases`` (the report's columns, :func:`report_columns`, read once);
    without it they are read here, once."""
    if cases is None:
        cases = SweepCases.read(out, report_columns(summary))
    figs: dict[str, FigureImage] = {}
    sampled = summary["kind"] in ("monte_carlo", "lhs")
    for target, entry in summary["targets"].items():
        if entry.get("ok", 0) == 0:
            continue
        s = slug(target)
        nom = nominal.get(target)
        for name, fn in ((f"hist_{s}.png", lambda p: _distribution(out, entry, target, p, nom, cases) if sampled else None),
                         (f"tornado_{s}.png", lambda p: _tornado(entry, target, p, summary, nom)),
                         (f"grid_{s}.png", lambda p: _grid(out, summary, target, p))):
            got = fn(out / name)
            if got is not None:
                figs[name] = got
    got = _pareto(out, summary, out / "pareto.png", cases)
    if got is not None:
        figs["pareto.png"] = got
    if summary.get("programme"):
        from .sweep_cost import cost_figures

        figs.update(cost_figures(out, summary, cases))
    return figs


def write_sweep_report(output_dir: str | Path, summary: dict | None = None) -> dict[str, Path]:
    """Write the figures, ``report.md`` and ``report.html`` of the sweep in ``output_dir``; returns
    ``{name: path}``.

    ``summary`` is the sweep's summary (as :func:`jointmission.runners.sweep.run_sweep` passes it,
    before writing ``summary.json``); without it, the folder's ``summary.json`` is read. The chunk
    files are read once, only the columns the figures and tables need (:func:`report_columns`)."""
    from .sweep_html import write_sweep_html

    out = Path(output_dir)
    if summary is None:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    nominal = nominal_payloads(out, summary)
    cases = SweepCases.read(out, report_columns(summary))
    figs = sweep_figures(out, summary, nominal, cases)
    files: dict[str, Path] = {name: out / name for name in figs}
    files["report.md"] = atomic_write_text(out / "report.md", _markdown(summary, files, out, cases))
    files["report.html"] = write_sweep_html(out, summary, figs, nominal, cases)
    return files


def _param_text(p: dict) -> str:
    """A swept parameter as report.md lists it, with its nominal value (a categorical one, an engine
    choice, with its categories); a parameter without one
    (``nominal`` null: a swept ``mission.required_payload`` of a mission with no scalar one) reads
    "no nominal value"."""
    if p.get("categories"):
        return f"`{p['path']}` (categorical: {', '.join(p['categories'])})"
    if p.get("nominal") is None:
        return f"`{p['path']}` (no nominal value)"
    return f"`{p['path']}` (nominal {p['nominal']:.6g} {p['unit']})".replace(" )", ")")


def _markdown(summary: dict, files: dict[str, Path], out: Path | None = None, cases: SweepCases | None = None) -> str:
    lines = [f"# Sweep: {summary['scenario']}", ""]
    if summary.get("description"):
        lines += [summary["description"].strip(), ""]
    lines += [f"- kind: **{summary['kind']}**, {summary['n_cases']:,} cases"
              + (f", seed {summary['seed']}" if summary.get("seed") is not None else "")
              + f", {summary['n_chunks']} chunk(s) of up to {summary['chunk_size']:,}",
              "- parameters: " + ", ".join(_param_text(p) for p in summary["parameters"])]
    lm = summary["loss_model"]
    lines.append(f"- ascent losses: **{lm['kind']}** (requested: {lm.get('requested')})"
                 + (f", fitted on {lm['designs']} full solves" if lm["kind"] == "interpolate" else ""))
    if summary.get("top_load") == 1.0:
        lines.append("- top stage: the swept vehicle's is fully loaded in every case (a sweep does not choose the "
                     "load; a single run and `jointmission payload` do, and can answer more for a heavy payload "
                     "to a low orbit)")
    chk = lm.get("check")
    if chk:
        lines += ["", "Loss-model check against the full ascent model "
                      f"({len(chk['cases'])} cases spread over the sweep):", "",
                  "| target | compared | max rel. error | mean rel. error | max abs. error [t] | status disagreements |",
                  "|---|---:|---:|---:|---:|---:|"]
        for t, c in chk["targets"].items():
            fmt = lambda v, f: "-" if v is None else format(v, f)  # noqa: E731
            lines.append(f"| {t} | {c['compared']} | {fmt(c['max_rel_error'], '.1e')} | {fmt(c['mean_rel_error'], '.1e')} "
                         f"| {fmt(c['max_abs_error_t'], '.3f')} | {c['status_disagree']} |")
    tm = summary["timing"]
    lines += ["", f"Timing: shared part {tm['shared_seconds']:.2f} s, chunks {tm['chunks_seconds']:.2f} s "
                  f"({tm['backend']}), analysis {tm['analysis_seconds']:.2f} s.", "", "## Payload statistics [t]", "",
              "| target | feasible | mean | sd | min | p5 | p50 | p95 | max |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t, e in summary["targets"].items():
        if e.get("ok"):
            p = e["percentiles"]
            lines.append(f"| {t} | {e['ok']:,} / {e['cases']:,} | {e['mean']:.2f} | {e['std']:.2f} | {e['min']:.2f} "
                         f"| {p['p5']:.2f} | {p['p50']:.2f} | {p['p95']:.2f} | {e['max']:.2f} |")
        else:
            lines.append(f"| {t} | 0 / {e['cases']:,} | - | - | - | - | - | - | - |")
    lines += ["", "Status codes (0 = ok; see `PerformanceStatus`): "
              + "; ".join(f"{t}: {e['status_counts']}" for t, e in summary["targets"].items()), ""]
    lines += ["## Sensitivity", "",
              "Swing = payload change of the linear fit from the parameter's low to high value; SRC = standardized "
              "regression coefficient; rho = Spearman rank correlation.", ""]
    cat_params = [p["path"] for p in summary["parameters"] if p.get("categories")]
    if cat_params:
        lines.append("Categorical parameters (" + ", ".join(f"`{p}`" for p in cat_params) + ") are not in the linear "
                     "fit, the correlations or the tornado; see the payload by category below.")
        lines.append("")
    for t, e in summary["targets"].items():
        if not e.get("sensitivity"):
            continue
        lines += [f"### {t} (linear fit R^2 = {e.get('linear_fit_r2') or float('nan'):.3f})", "",
                  "| parameter | low | high | swing [t] | SRC | rho |", "|---|---:|---:|---:|---:|---:|"]
        for s in e["sensitivity"]:
            rho = "-" if s.get("spearman") is None else f"{s['spearman']:+.3f}"
            src = "-" if s.get("src") is None or not math.isfinite(s["src"]) else f"{s['src']:+.3f}"
            lines.append(f"| `{s['parameter']}` | {s['low']:.6g} | {s['high']:.6g} | {s['swing']:+.3f} | {src} | {rho} |")
        lines.append("")
    lines += _by_category_md(summary)
    if summary.get("pareto"):
        pi = summary["pareto"]
        lines += ["## Pareto front", "", f"{pi['size']:,} non-dominated cases for "
                  + ", ".join(f"{c} ({s})" for c, s in pi["objectives"]) + " in `pareto.parquet`"
                  + (" (no case is feasible in these objectives: no front, no figure)." if not pi["size"] else "."), ""]
    if summary.get("programme") and out is not None:
        from .sweep_cost import cost_markdown

        lines += cost_markdown(out, summary, cases)
    figs = [n for n in files if n.endswith(".png")]
    if figs:
        lines += ["## Figures", ""] + [f"![{n}]({n})" for n in figs] + [""]
    lines += ["## Files", "", "Per-case results: `chunks/chunk-*.parquet` (listed with SHA-256 in `manifest.json`)"
              + ("; grid cube: `results.nc` (NetCDF, one dimension per parameter)" if "results.nc" in summary["files"] else "")
              + "; evenly spaced sample: `sample.parquet`; this summary: `summary.json`.", ""]
    return "\n".join(lines)


def _by_category_md(summary: dict) -> list[str]:
    """The 'payload by category' section: for each categorical parameter and output, the feasible
    cases and the mean/min/max payload of each category over all the other parameters' values."""
    rows = [(t, p, cats) for t, e in summary["targets"].items() for p, cats in (e.get("by_category") or {}).items()]
    if not rows:
        return []
    lines = ["## Payload by category [t]", "",
             "Each category of a categorical parameter over all values of the other parameters (feasible cases only).",
             ""]
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    for p in dict.fromkeys(p for _, p, _ in rows):
        lines += [f"### `{p}`", "", "| target | category | feasible | mean | min | max |", "|---|---|---:|---:|---:|---:|"]
        for t, q, cats in rows:
            if q == p:
                lines += [f"| {t} | {c['value']} | {c['ok']:,} / {c['cases']:,} | {fmt(c['mean'])} | {fmt(c['min'])} "
                          f"| {fmt(c['max'])} |" for c in cats]
        lines.append("")
    return lines
