"""Figures and the Markdown report of a finished sweep (reads the sweep folder only).

:func:`write_sweep_report` writes, beside the results, each figure atomically:

- ``tornado_<target>.png``: payload swing of each parameter from its low to its high value
  (linear fit over all cases; low/high = grid range, or 10th/90th percentile of a distribution),
  bars sorted by magnitude, with the SRC and Spearman coefficients as labels;
- ``hist_<target>.png``: payload histogram with the 5th/50th/95th percentiles (sampled sweeps);
- ``grid_<target>.png``: payload against the last grid axis, one line per value of the first
  (grid sweeps with one or two axes);
- ``pareto.png``: objective scatter of an evenly spaced sample of cases with the Pareto front;
- ``report.md``: what was swept, the loss model and its measured error, statistics, sensitivity,
  and the figures.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
import numpy as np

from ..runners.analysis import slug
from ..io.atomic import atomic_path, atomic_write_text

__all__ = ["write_sweep_report"]


def _figure(width: float, height: float):
    """A bare :class:`matplotlib.figure.Figure` and its one Axes: no pyplot, no global state, the
    user's backend untouched (``savefig`` renders with Agg whatever the backend is)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def _save(fig, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    return path


def _tornado(entry: dict, target: str, path: Path) -> Path | None:
    sens = [s for s in entry.get("sensitivity", []) if s.get("swing") is not None and math.isfinite(s["swing"])]
    if not sens:
        return None
    sens = sens[::-1]  # largest on top
    fig, ax = _figure(8, 0.5 * len(sens) + 1.6)
    y = np.arange(len(sens))
    sw = np.array([s["swing"] for s in sens])
    ax.barh(y, sw, color=["tab:blue" if v >= 0 else "tab:red" for v in sw])
    ax.axvline(0.0, color="k", lw=0.8)
    labels = []
    for s in sens:
        rho = s.get("spearman")
        src = s.get("src")  # None for a parameter that does not vary (a one-value grid axis)
        labels.append(f"{s['parameter']}\n{_num(s['low'])} -> {_num(s['high'])}  (SRC "
                      + (f"{src:+.2f}" if src is not None and math.isfinite(src) else "-")
                      + (f", rho {rho:+.2f})" if rho is not None else ")"))
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(f"payload change [t], {target}")
    r2 = entry.get("linear_fit_r2")
    ax.set_title(f"Sensitivity (tornado): {target}" + (f"  -- linear fit R^2 = {r2:.3f}" if r2 is not None else ""),
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, path)


def _num(v: float) -> str:
    return f"{v:.4g}"


def _value(v) -> str:
    """An axis value for a legend: a number as ``:g``, a category (an engine name) as it is."""
    return f"{v:g}" if isinstance(v, (int, float, np.number)) else str(v)


def _hist(entry: dict, target: str, path: Path) -> Path | None:
    h = entry.get("histogram")
    if not h or sum(h["counts"]) == 0:
        return None
    edges = np.asarray(h["edges"])
    fig, ax = _figure(7, 4)
    ax.stairs(h["counts"], edges, fill=True, alpha=0.6)
    pct = entry.get("percentiles", {})
    for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
        if key in pct:
            ax.axvline(pct[key], color="k", ls=style, lw=1)
            ax.text(pct[key], ax.get_ylim()[1] * 0.95, f" {key}", fontsize=8, va="top")
    ax.set_xlabel(f"payload [t], {target}")
    ax.set_ylabel("cases")
    ax.set_title(f"{target}: {entry['ok']:,} of {entry['cases']:,} cases feasible; mean {entry['mean']:.2f} t, "
                 f"sd {entry['std']:.2f} t", fontsize=10)
    return _save(fig, path)


def _grid(out: Path, summary: dict, target: str, path: Path) -> Path | None:
    if summary["kind"] != "grid" or len(summary["shape"]) > 2 or not (out / "results.nc").exists():
        return None
    import xarray as xr

    # summary targets are scenario targets or 'mission: <variant>' (column mission_payload_t[<variant>])
    col = f"mission_payload_t[{target[9:]}]" if target.startswith("mission: ") else f"payload_t[{target}]"
    with xr.open_dataset(out / "results.nc") as ds:
        if slug(col) not in ds:
            return None
        da = ds[slug(col)].load()
    dims = list(da.dims)
    fig, ax = _figure(7, 4.2)
    x = da[dims[-1]]
    ls = "none" if x.dtype.kind in "OUS" else "-"  # categories (engine names): points, no line between them
    if len(dims) == 1:
        ax.plot(x, da.values, marker="o", ls=ls)
    else:
        for i, v in enumerate(da[dims[0]].values):
            ax.plot(x, da.values[i], marker="o", ls=ls,
                    label=f"{da[dims[0]].attrs.get('long_name', dims[0])} = {_value(v)}")
        ax.legend(fontsize=8)
    unit = x.attrs.get("units", "")
    ax.set_xlabel(f"{x.attrs.get('long_name', dims[-1])}" + (f" [{unit}]" if unit else ""))
    ax.set_ylabel(f"payload [t], {target}")
    ax.grid(alpha=0.3)
    ax.set_title(summary["scenario"], fontsize=10)
    return _save(fig, path)


def _pareto(out: Path, summary: dict, path: Path) -> Path | None:
    info = summary.get("pareto")
    if not info or not (out / "pareto.parquet").exists():
        return None
    import pandas as pd

    objs = [o[0] for o in info["objectives"]]
    front = pd.read_parquet(out / "pareto.parquet")
    sample = pd.read_parquet(out / "sample.parquet", columns=objs)
    fig, ax = _figure(7, 4.5)
    ax.scatter(sample[objs[0]], sample[objs[1]], s=4, c="0.7", label=f"cases (sample of {len(sample):,})")
    f = front.sort_values(objs[0])
    ax.plot(f[objs[0]], f[objs[1]], "o-", color="tab:red", ms=4, label=f"Pareto front ({len(front):,} cases)")
    ax.set_xlabel(f"{objs[0]} ({info['objectives'][0][1]})")
    ax.set_ylabel(f"{objs[1]} ({info['objectives'][1][1]})")
    if len(objs) > 2:
        ax.set_title(f"front over {len(objs)} objectives, shown in the first two", fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, path)


def write_sweep_report(output_dir: str | Path, summary: dict | None = None) -> dict[str, Path]:
    """Write the figures and ``report.md`` of the sweep in ``output_dir``; returns ``{name: path}``.

    ``summary`` is the sweep's summary (as :func:`jointmission.runners.sweep.run_sweep` passes it,
    before writing ``summary.json``); without it, the folder's ``summary.json`` is read."""
    out = Path(output_dir)
    if summary is None:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    files: dict[str, Path] = {}
    for target, entry in summary["targets"].items():
        if entry.get("ok", 0) == 0:
            continue
        s = slug(target)
        for name, fn in ((f"tornado_{s}.png", lambda p: _tornado(entry, target, p)),
                         (f"grid_{s}.png", lambda p: _grid(out, summary, target, p)),
                         (f"hist_{s}.png", lambda p: _hist(entry, target, p) if summary["kind"] in ("monte_carlo", "lhs") else None)):
            got = fn(out / name)
            if got is not None:
                files[name] = got
    got = _pareto(out, summary, out / "pareto.png")
    if got is not None:
        files["pareto.png"] = got
    files["report.md"] = atomic_write_text(out / "report.md", _markdown(summary, files))
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


def _markdown(summary: dict, files: dict[str, Path]) -> str:
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
                  + ", ".join(f"{c} ({s})" for c, s in pi["objectives"]) + " in `pareto.parquet`.", ""]
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
