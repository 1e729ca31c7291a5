"""``report.html`` of a single run (``jointmission run`` / ``jm.run(..., output_dir=...)``, with or
without ``transfer:`` and ``mission:`` sections) and of a ``jointmission porkchop`` folder.

Sections: summary, payload per target, delta-v budget (figure + table), payload curves of the
vehicle(s) with their published figures, delta-v by flight phase, the transfer window (optima +
porkchop), the mission architectures (pivot, mass waterfall, landed mass, every case, phases), the
stages, and the scenario as it ran with every default written out. Reads a
:class:`~jointmission.runners.single.RunResult` only; the figures are also written as PNG files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from .figures import FigureImage
from .html import Section, Table, render_page, write_page
from .run_figures import RunFigures, porkchop_image, vehicles_of

__all__ = ["single_sections", "write_single_html", "transfer_section", "write_porkchop_html",
           "resolved_with_defaults", "FIGURE_FILES", "vehicles_of"]

#: PNG files a single run writes beside ``report.html`` (each when the run has what it shows).
FIGURE_FILES = ("dv_budget.png", "payload_curves.png", "porkchop.png", "mass_waterfall.png", "landed_mass.png",
                "partners.png")


# ------------------------------------------------------------------------------ resolved scenario
def _deg(x: float) -> str:
    return f"{x:.4g} deg"


def resolved_with_defaults(result) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The scenario as it ran (:meth:`Scenario.resolved_dict`) with the defaults the run applied
    written in (a target's due-east inclination, a C3 target's parking orbit), and the list of those
    defaults as ``(field path, value, rule)``."""
    from ..constants import DEFAULT_PARKING_ALT_M

    d = result.scenario.resolved_dict()
    defaults: list[tuple[str, str, str]] = []
    lat = abs(result.vehicle_summary.get("latitude_deg", float("nan")))
    for i, (t, row) in enumerate(zip(d.get("targets", []), result.rows)):
        if "orbit" in t and "inclination" not in t["orbit"]:
            t["orbit"]["inclination"] = _deg(row["inclination_deg"])
            defaults.append((f"targets[{i}].orbit.inclination", t["orbit"]["inclination"],
                             f"due east from the launch site (|latitude| = {lat:.4g} deg)"))
        if "c3" in t:
            park = t.setdefault("parking", {})
            if "altitude" not in park:
                park["altitude"] = f"{DEFAULT_PARKING_ALT_M / 1e3:g} km"
                defaults.append((f"targets[{i}].parking.altitude", park["altitude"], "default parking orbit"))
            if "inclination" not in park:
                park["inclination"] = _deg(row["inclination_deg"])
                defaults.append((f"targets[{i}].parking.inclination", park["inclination"],
                                 "due east from the launch site"))
    return d, defaults


def _scenario_section(result) -> Section:
    import yaml

    from ..io.atomic import json_safe

    d, defaults = resolved_with_defaults(result)
    s = Section("scenario", "Scenario as run")
    src = result.scenario.path
    s.text(f"Source file: {src}." if src is not None else "Scenario built in Python (no file).", note=True)
    s.text("Every value the run used, the vehicle written out in full (catalog entry, engines and overrides "
           "applied). Values the scenario file did not state and the run filled in:")
    if defaults:
        s.table(Table.of(["field", "value used", "rule"], [list(x) for x in defaults]), id="defaults")
    else:
        s.text("none: the file states every value.", note=True)
    s.yaml(yaml.safe_dump(json_safe(d), sort_keys=False, allow_unicode=True, width=100))
    return s


# -------------------------------------------------------------------------------------- sections
_DV_KEYS = [("required", "required"), ("orbit", "orbit"), ("rotation", "rotation"), ("gravity", "gravity"),
            ("drag", "drag"), ("steering", "steering"), ("back_pressure", "back-pressure"), ("dogleg", "dog-leg"),
            ("departure", "departure"), ("finite_burn", "finite burn")]


def _summary_section(result) -> Section:
    vs = result.vehicle_summary
    s = Section("summary", "Summary")
    facts = [("vehicle", result.scenario.catalog_name or vs["name"]),
             ("launch site", f"{vs.get('launch_site') or '-'} ({vs['latitude_deg']:.1f} deg)"),
             ("lift-off mass (no payload)", f"{vs['liftoff_mass_t']:,.0f} t"),
             ("lift-off thrust-to-weight", f"{vs['liftoff_t_w']:.2f}")]
    for r in result.rows[:6]:
        facts.append((f"payload, {r['target']}", "-" if r["payload_t"] is None else f"{r['payload_t']:,.1f} t"))
    if result.mission is not None:
        ok = [r for r in result.mission.rows if r["status"] == "ok" and r.get("payload_t") is not None
              and r["architecture"] != "mars_crewed" and not result.mission.backward]
        if ok:
            from .mission import variant_label

            best = max(ok, key=lambda r: r["payload_t"])
            facts.append(("most landed (mission)", f"{best['payload_t']:,.1f} t: {variant_label(best)}, {best['launcher']}"))
    s.facts(facts)
    vs_over = vs.get("overrides")
    if vs_over:
        s.text("Overrides of the catalog entry: " + ", ".join(f"{k} = {v}" for k, v in vs_over.items()) + ".")
    return s


def _payload_section(result) -> Section:
    from ..runners.single import target_text  # here, not at module level: a porkchop folder's report needs none of it

    s = Section("payload", "Payload per target")
    load = "top_load" in result.columns  # a target sets its top stage's load
    s.table(Table.of(["target", "orbit / C3", "payload [t]", *(["top-stage load"] if load else []), "status",
                      "lift-off T/W"],
                     [[r["target"], target_text(r), r["payload_t"], *([r.get("top_load")] if load else []),
                       r["status"], r["liftoff_tw"]] for r in result.rows]))
    return s


def _budget_section(result, fig: FigureImage | None) -> Section:
    s = Section("dv-budget", "Delta-v budget")
    s.figure(fig)
    s.text("required = orbit - rotation + gravity + drag + steering + back-pressure + dog-leg + departure + "
           "finite burn; all in km/s.", note=True)
    s.table(Table.of(["target"] + [lab for _, lab in _DV_KEYS],
                     [[r["target"]] + [r.get(f"dv_{k}_km_s") for k, _ in _DV_KEYS] for r in result.rows], 3,
                     caption="Delta-v terms [km/s]"))
    if result.phase_names:
        cols = result.columns[len(result.columns) - len(result.phase_names):]
        s.h3("Delta-v by flight phase [km/s]")
        s.table(Table.of(["target"] + list(result.phase_names),
                         [[r["target"]] + [r.get(c) for c in cols] for r in result.rows], 3))
    return s


def _stages_section(result) -> Section:
    s = Section("stages", "Vehicle and stages")
    rows = result.vehicle_summary.get("stage_table", [])
    s.table(Table.of(["stage", "engine", "count", "thrust vac [kN]", "Isp vac [s]", "propellant [t]", "dry [t]",
                      "jettisoned [t]", "burn [s]"],
                     [[x.get("stage"), x.get("engine"), x.get("count"), x.get("thrust_vac_kN"), x.get("isp_vac_s"),
                       x.get("m_prop_t"), x.get("m_dry_t"), x.get("jettison_t"), x.get("burn_time_s")] for x in rows],
                     [0, 0, 0, 0, 1, 1, 1, 1, 0]))
    return s


def transfer_section(ds, best: Sequence, figure: FigureImage | None, *, objective: str = "c3") -> Section:
    """The transfer-window section: the grid, the Type I / Type II optima table and the porkchop."""
    from .porkchop_plot import grid_shape, type_label

    a = ds.attrs
    n_dep, n_arr = grid_shape(ds)
    s = Section("transfer", f"Transfer window {a.get('origin', '?').title()} → {a.get('target', '?').title()}")
    s.text(f"Porkchop grid {n_dep} departure x {n_arr} arrival dates (JPL DE421, "
           f"Izzo Lambert, step {a.get('step_days', float('nan')):g} d); optima by {objective}, refined below the step. "
           f"Parking orbit {a.get('park_alt_km', float('nan')):g} km.")
    rows = []
    for b in best:
        d = b.to_dict()
        rows.append([type_label(b.type), d["depart"][:10], d["arrive"][:10], d["tof_days"], d["c3_km2_s2"],
                     d["dla_deg"], d["vinf_arrive_km_s"], d["dv_depart_km_s"], d["dv_arrive_km_s"], d["dv_total_km_s"]])
    if rows:
        s.table(Table.of(["type", "depart (UTC)", "arrive (UTC)", "TOF [d]", "C3 [km²/s²]", "DLA [deg]",
                          "arrival v∞ [km/s]", "dv depart [km/s]", "dv arrive [km/s]", "dv total [km/s]"],
                         rows, [0, 0, 0, 1, 2, 1, 2, 2, 2, 2]))
    else:
        s.text("No transfer found in the window: every grid point is infeasible (see 'status' in the grid file).")
    s.figure(figure)
    return s


def _mission_section(outcome, figures: dict[str, FigureImage | None]) -> Section:
    from .mission import _margin_text, _reasons, pivot

    s = Section("mission", "Mission architectures")
    s.text(_margin_text(outcome) + ".")
    header, body = pivot(outcome)
    what = ("mass delivered [t] / heavy launches" if outcome.backward else "payload landed on the surface [t]")
    s.table(Table(header, body, set(range(1, len(header))), caption=f"Cells: {what}, per launcher"))
    s.items(_reasons(outcome))
    s.figure(figures.get("landed_mass"))
    s.figure(figures.get("mass_waterfall"))
    if outcome.capabilities:
        s.h3("Launcher capability [t]")
        s.table(Table.of(["delivery"] + list(outcome.launchers),
                         [[lab] + list(vals) for lab, vals in outcome.capabilities.items()], 1))
    from .mission import mars_transfers

    wins = mars_transfers(outcome)
    if wins:
        s.h3("Mars transfers flown")
        s.table(Table.of(["window", "depart (UTC)", "C3 [km²/s²]", "DLA [deg]", "arrival v∞ [km/s]", "TOF [d]",
                          "transfer angle [deg]", "on 180° ridge", "on window edge", "source"],
                         [[w, str(v["depart"])[:10], v["c3_km2_s2"], v["dla_deg"], v["vinf_arrive_km_s"], v["tof_days"],
                           v.get("transfer_angle_deg"), "yes" if v.get("on_ridge") else "no",
                           "YES (clipped)" if v.get("on_edge") else "no",
                           v["window_source"]] for w, v in wins], [0, 0, 2, 1, 2, 0, 1, 0, 0, 0]))
    cols = [("launcher", "launcher"), ("architecture", "architecture"), ("window", "window"), ("capture", "capture"),
            ("payload_t", "payload [t]"), ("launches", "launches"), ("delivered_t", "launched [t]"),
            ("dv_km_s", "in-space dv [km/s]"), ("propellant_t", "propellant [t]"), ("boiloff_t", "boil-off [t]"),
            ("unused_t", "unused propellant [t]"), ("status", "status")]
    s.h3("Every case")
    s.table(Table.of([h for _, h in cols], [[r.get(c) for c, _ in cols] for r in outcome.rows],
                     [0, 0, 0, 0, 2, 0, 2, 3, 2, 2, 2, 0]))
    for name, rows in outcome.phase_tables.items():
        s.h3(f"Phases: {name}")
        pc = [("phase", "phase"), ("element", "element"), ("dv_km_s", "dv [km/s]"), ("mass_before_t", "stack before [t]"),
              ("propellant_t", "propellant [t]"), ("boiloff_t", "boil-off [t]"), ("dropped_t", "dropped [t]"),
              ("mass_after_t", "stack after [t]")]
        s.table(Table.of([h for _, h in pc], [[r.get(c) for c, _ in pc] for r in rows], [0, 0, 3, 2, 2, 2, 2, 2]))
    return s


def _method_section(result, files: Sequence[str]) -> Section:
    s = Section("method", "Method and files")
    s.text("Payload solves the rocket equation over all flight phases (boosters beside the core, then each stage) "
           "for the ideal delta-v required; ascent losses come from the reduced-order trajectory model "
           "(method notes: ascent). Catalog figures and their sources: the catalog-sources page of the documentation.")
    if files:
        s.text("Files of this run beside this page: " + ", ".join(sorted(files)) + ".", note=True)
    return s


def single_sections(result, *, curves: bool = True,
                    figures: RunFigures | None = None) -> tuple[list[Section], dict[str, FigureImage]]:
    """The sections of a single run's page and the figures drawn for it (by PNG name stem).
    ``figures``: the run's figures already started (:class:`~.run_figures.RunFigures`, which
    ``curves`` then does not change); by default they are started here."""
    if figures is None:
        figures = RunFigures(result, curves=curves)
    try:
        figs = figures.images()
    finally:
        figures.close()
    sections = [_summary_section(result)]
    if result.rows:
        sections += [_payload_section(result), _budget_section(result, figs["dv_budget"])]
    if figs.get("payload_curves") is not None:
        sections.append(Section("payload-curves", "Payload curves").figure(figs["payload_curves"]))
    if result.transfer is not None:
        sections.append(transfer_section(result.transfer.grid, result.transfer.best, figs.get("porkchop"),
                                         objective=result.scenario.transfer.objective))
    if result.mission is not None:
        sections.append(_mission_section(result.mission, figs))
        from .partners import ledger_section

        ledger = ledger_section(result.mission, figs.get("partners"))
        if ledger is not None:
            sections.append(ledger)
    sections += [_stages_section(result), _scenario_section(result)]
    return sections, {k: v for k, v in figs.items() if v is not None}


def write_single_html(result, out: str | Path, files: Sequence[str] = (), *,
                      figures: RunFigures | None = None) -> dict[str, Path]:
    """Write the figures (:data:`FIGURE_FILES`) and ``report.html`` of ``result`` into ``out``;
    returns ``{name: path}``. ``files``: the names of the run's other files (listed in the page);
    ``figures``: its figures already started (:class:`~.run_figures.RunFigures`)."""
    out = Path(out)
    sections, figs = single_sections(result, figures=figures)
    written: dict[str, Path] = {}
    for name, f in figs.items():
        if f"{name}.png" in FIGURE_FILES:
            written[f"{name}.png"] = f.write(out)
    names = list(files) + list(written) + ["report.html", "summary.json"]
    sections.append(_method_section(result, names))
    sc = result.scenario
    html = render_page(title=sc.name, description=(sc.description or "").strip(), run_kind="single",
                       subtitle=f"Single run: {len(result.rows)} target(s)"
                                + (", transfer window" if result.transfer is not None else "")
                                + (f", {len(result.mission.rows)} mission cases" if result.mission is not None else ""),
                       sections=sections, timestamp=result.timestamp, versions=result.versions)
    written["report.html"] = write_page(out / "report.html", html)
    return written


def write_porkchop_html(out: str | Path, ds, best: Sequence, request: dict[str, Any]) -> Path:
    """Write ``report.html`` of a ``jointmission porkchop`` folder: the request with every default
    (``request``: what ``summary.json`` records), the optima table and the porkchop."""
    import yaml

    from ..io.atomic import json_safe

    a = ds.attrs
    sec = transfer_section(ds, best, porkchop_image(ds, best), objective=str(request.get("objective", "c3")))
    req = Section("request", "Request as run")
    req.text("Every option of the command, defaults included:")
    req.yaml(yaml.safe_dump(json_safe({k: v for k, v in request.items() if k not in ("optima", "files")}),
                            sort_keys=False, allow_unicode=True, width=100))
    html = render_page(title=f"Porkchop {a.get('origin', '?').title()} → {a.get('target', '?').title()}",
                       run_kind="porkchop", subtitle=f"{ds.sizes['depart'] * ds.sizes['arrive']:,} Lambert solutions",
                       sections=[sec, req], timestamp=request.get("timestamp"),
                       versions=request.get("versions") if isinstance(request.get("versions"), dict) else None)
    return write_page(Path(out) / "report.html", html)

