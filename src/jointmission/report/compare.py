"""Several scenarios side by side (``jointmission compare A.yaml B.yaml ... -o DIR``): one
``report.html`` that asks each scenario the same questions -- payload per target, the delta-v
required, the payload curves of every vehicle overlaid, the transfer optima, the payload landed per
architecture and launcher -- and the scenarios as run.

Each scenario is evaluated as a single run (:func:`jointmission.runners.single.evaluate`; a
``sweep:`` section is not run: its nominal scenario is compared). Files: ``report.html``,
``payload_compare.png``, ``payload_curves.png``, ``landed_mass.png`` (when a scenario has a
``mission:`` section) and ``summary.json`` (written last), with the results-folder rules of every run
(:mod:`jointmission.io.results_dir`, run kind ``"compare"``).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .figures import FigureImage, new_figure, render, style
from .html import Section, Table, render_page, write_page

__all__ = ["Compared", "compare", "write_compare", "payload_compare_figure"]


@dataclass
class Compared:
    """The runs of a comparison: ``labels`` (one short name per scenario: its file stem, made
    unique) and ``results`` (:class:`~jointmission.runners.single.RunResult`, same order)."""

    labels: list[str]
    results: list[Any]


def compare(scenarios: Sequence[Any]) -> Compared:
    """Evaluate each scenario (a :class:`~jointmission.scenario.Scenario` or a path to a scenario
    file; files are loaded first, so a bad file fails before any evaluation)."""
    from ..runners.single import evaluate
    from ..scenario import Scenario, load_scenario

    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    labels: list[str] = []
    for i, s in enumerate(loaded):
        base = Path(s.path).stem if s.path is not None else f"scenario {i + 1}"
        lab, k = base, 2
        while lab in labels:
            lab, k = f"{base} ({k})", k + 1
        labels.append(lab)
    return Compared(labels, [evaluate(s) for s in loaded])


def payload_compare_figure(c: Compared) -> FigureImage | None:
    """Grouped horizontal bars: payload [t] to each target (the union of the scenarios' targets),
    one bar per scenario; a target a scenario does not have, or cannot reach, is written as such."""
    targets = list(dict.fromkeys(r["target"] for res in c.results for r in res.rows))
    if not targets:
        return None
    values = [{r["target"]: r["payload_t"] for r in res.rows} for res in c.results]
    n = len(c.labels)
    vmax = max([v for d in values for v in d.values() if v is not None] or [1.0])
    with style():
        fig, ax = new_figure(10.0, 1.4 + len(targets) * (0.3 * n + 0.35))
        h = 0.8 / n
        y0 = np.arange(len(targets))[::-1].astype(float)
        for j, (lab, d) in enumerate(zip(c.labels, values)):
            ys = y0 + 0.4 - h * (j + 0.5)
            vals = [d.get(t) for t in targets]
            ax.barh(ys, [v or 0.0 for v in vals], height=h * 0.92, color=f"C{j % 10}", label=lab)
            for yy, t, v in zip(ys, targets, vals):
                txt = f"{v:,.1f}" if v is not None else ("not a target" if t not in d else "infeasible")
                ax.text((v or 0.0) + 0.01 * vmax, yy, txt, va="center", fontsize=9)
        ax.set_yticks(y0, targets)
        ax.set_xlim(0, vmax * 1.15)
        ax.set_xlabel("payload [t]")
        ax.set_ylabel("target")
        ax.grid(axis="y", visible=False)
        ax.set_title("Payload per target, scenario by scenario")
        ax.legend(title="scenario", loc="lower right")
        return render(fig, "payload_compare", "Same targets, one bar per scenario.")


def _curves(c: Compared) -> FigureImage | None:
    from .run_html import vehicles_of
    from .run_plots import payload_curves, payload_curves_figure

    seen: set[str] = set()
    curves = []
    for res in c.results:
        for name, v in vehicles_of(res):
            if v.name not in seen:
                seen.add(v.name)
                curves.append(payload_curves(v, name))
    return payload_curves_figure(curves, "Payload curves of every vehicle compared")


def _merged_mission(c: Compared):
    """One :class:`~jointmission.runners.mission.MissionOutcome` holding every scenario's mission rows:
    a launcher that flies the same architecture with the same result in two scenarios is shown once;
    otherwise its name carries the scenario's label (``CN engines, joint_heavy_lift_ru``)."""
    from ..runners.mission import MissionOutcome
    from .mission import variant_label

    rows, launchers, seen = [], [], {}
    backward = False
    for lab, res in zip(c.labels, c.results):
        m = res.mission
        if m is None:
            continue
        backward = backward or m.backward
        for r in m.rows:
            key = (r["launcher"], variant_label(r))
            val = r.get("payload_t") if not m.backward else r.get("launches")
            if key in seen and (seen[key] == val or (seen[key] is not None and val is not None
                                                     and math.isclose(seen[key], val, rel_tol=1e-9))):
                continue
            name = r["launcher"] if key not in seen else f"{r['launcher']}, {lab}"
            seen.setdefault(key, val)
            rows.append({**r, "launcher": name})
            if name not in launchers:
                launchers.append(name)
    if not rows:
        return None
    return MissionOutcome(rows=rows, columns=list(rows[0]), launchers=launchers, variants=[], backward=backward)


def compare_sections(c: Compared) -> tuple[list[Section], dict[str, FigureImage]]:
    """The sections of the comparison page and its figures (by PNG name stem)."""
    from ..runners.single import target_text
    from .mission import pivot
    from .mission_plots import landed_mass_figure
    from .porkchop_plot import type_label
    from .run_html import resolved_with_defaults

    figs: dict[str, FigureImage | None] = {"payload_compare": payload_compare_figure(c), "payload_curves": _curves(c)}
    merged = _merged_mission(c)
    if merged is not None:
        figs["landed_mass"] = landed_mass_figure(merged, "Payload landed per architecture and launcher, all scenarios")

    s0 = Section("scenarios", "Scenarios compared")
    s0.table(Table.of(["scenario", "name", "vehicle", "launch site", "lift-off mass [t]", "lift-off T/W", "source file"],
                      [[lab, r.scenario.name, r.scenario.catalog_name or r.vehicle.name,
                        f"{r.vehicle_summary.get('launch_site') or '-'} ({r.vehicle_summary['latitude_deg']:.1f} deg)",
                        r.vehicle_summary["liftoff_mass_t"], r.vehicle_summary["liftoff_t_w"],
                        str(r.scenario.path) if r.scenario.path is not None else "-"]
                       for lab, r in zip(c.labels, c.results)], [0, 0, 0, 0, 0, 2, 0]))
    sp = Section("payload", "Payload per target")
    targets = list(dict.fromkeys(r["target"] for res in c.results for r in res.rows))
    by = [{r["target"]: r for r in res.rows} for res in c.results]
    sp.table(Table.of(["target", "orbit / C3 (first scenario that has it)"] + [f"{lab} [t]" for lab in c.labels],
                      [[t, next(target_text(d[t]) for d in by if t in d)]
                       + [d[t]["payload_t"] if t in d else None for d in by] for t in targets]))
    if len(c.results) >= 2:
        base = c.labels[0]
        sp.text(f"Differences are read against {base}:", note=True)
        def diff(d: dict, t: str) -> str:
            if t in d and t in by[0] and d[t]["payload_t"] is not None and by[0][t]["payload_t"] is not None:
                return f"{d[t]['payload_t'] - by[0][t]['payload_t']:+,.2f}"
            return "-"

        sp.table(Table(["target"] + [f"{lab} - {base} [t]" for lab in c.labels[1:]],
                       [[t] + [diff(d, t) for d in by[1:]] for t in targets], set(range(1, len(c.labels)))))
    sp.figure(figs["payload_compare"])
    sd = Section("dv-budget", "Delta-v required")
    sd.table(Table.of(["target"] + [f"{lab} [km/s]" for lab in c.labels],
                      [[t] + [d[t].get("dv_required_km_s") if t in d else None for d in by] for t in targets], 3))
    sd.table(Table.of(["target"] + [f"{lab} [km/s]" for lab in c.labels],
                      [[t] + [(d[t].get("dv_gravity_km_s") or 0.0) + (d[t].get("dv_drag_km_s") or 0.0)
                              + (d[t].get("dv_steering_km_s") or 0.0) + (d[t].get("dv_back_pressure_km_s") or 0.0)
                              if t in d else None for d in by] for t in targets], 3,
                      caption="Ascent losses (gravity + drag + steering + back-pressure) [km/s]"))
    sections = [s0, sp, sd]
    if figs["payload_curves"] is not None:
        sections.append(Section("payload-curves", "Payload curves").figure(figs["payload_curves"]))
    tr_rows = []
    for lab, res in zip(c.labels, c.results):
        if res.transfer is not None:
            for b in res.transfer.best:
                d = b.to_dict()
                tr_rows.append([lab, type_label(b.type), d["depart"][:10], d["arrive"][:10], d["tof_days"],
                                d["c3_km2_s2"], d["dla_deg"], d["vinf_arrive_km_s"]])
    if tr_rows:
        st = Section("transfer", "Transfer windows")
        st.table(Table.of(["scenario", "type", "depart (UTC)", "arrive (UTC)", "TOF [d]", "C3 [km²/s²]", "DLA [deg]",
                           "arrival v∞ [km/s]"], tr_rows, [0, 0, 0, 0, 1, 2, 1, 2]))
        sections.append(st)
    if merged is not None:
        sm = Section("mission", "Mission architectures")
        header, body = pivot(merged)
        what = "mass delivered [t] / heavy launches" if merged.backward else "payload landed on the surface [t]"
        sm.table(Table(header, body, set(range(1, len(header))), caption=f"Cells: {what}, per launcher"))
        sm.figure(figs.get("landed_mass"))
        for lab, res in zip(c.labels, c.results):
            if res.mission is not None:
                m = res.mission.margins
                sm.text(f"{lab}: margins delta-v +{m['delta_v'] * 100:.0f} %, dry-mass growth "
                        f"+{m['dry_mass_growth'] * 100:.0f} %, propellant reserve {m['propellant_reserve'] * 100:.0f} %.",
                        note=True)
        sections.append(sm)
    ss = Section("scenario", "Scenarios as run")
    import yaml

    from ..io.atomic import json_safe

    for lab, res in zip(c.labels, c.results):
        d, defaults = resolved_with_defaults(res)
        ss.h3(lab)
        if defaults:
            ss.table(Table.of(["field", "value used", "rule"], [list(x) for x in defaults],
                              caption="Values the file did not state and the run filled in"))
        ss.yaml(yaml.safe_dump(json_safe(d), sort_keys=False, allow_unicode=True, width=100))
    sections.append(ss)
    return sections, {k: v for k, v in figs.items() if v is not None}


def write_compare(c: Compared, out: str | Path) -> dict[str, Path]:
    """Write the comparison into ``out`` (results-folder rules of run kind ``"compare"``): the figures,
    ``report.html`` and, last, ``summary.json``; returns ``{name: path}``."""
    from ..io.atomic import atomic_write_text, json_safe
    from ..io.results_dir import prepare_output_dir

    out = Path(out)
    sections, figs = compare_sections(c)
    prepare_output_dir(out, "compare")
    files: dict[str, Path] = {f"{name}.png": f.write(out) for name, f in figs.items()}
    ts = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    html = render_page(title="Comparison: " + " vs ".join(c.labels), run_kind="compare", timestamp=ts,
                       subtitle=f"{len(c.labels)} scenarios, each evaluated as a single run",
                       sections=sections, versions=c.results[0].versions if c.results else None)
    files["report.html"] = write_page(out / "report.html", html)
    summary = {"run_kind": "compare", "timestamp": ts,
               "scenarios": [{"label": lab, "name": r.scenario.name,
                              "source": str(r.scenario.path) if r.scenario.path is not None else None,
                              "payloads_t": {x["target"]: x["payload_t"] for x in r.rows}}
                             for lab, r in zip(c.labels, c.results)],
               "files": sorted(files) + ["summary.json"]}
    files["summary.json"] = atomic_write_text(out / "summary.json",
                                              json.dumps(json_safe(summary), indent=2, allow_nan=False) + "\n")
    return files
