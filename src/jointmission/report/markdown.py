"""A human-readable Markdown report of a run (``report.md`` in the output folder).

The report is for a program manager or a reviewer: what vehicle, from where, what it delivers to
each target, and the delta-v budget behind each number, with units in every header. It is rendered
from :class:`~jointmission.runners.single.RunResult` only (no recomputation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..runners.single import target_text

if TYPE_CHECKING:  # pragma: no cover
    from ..runners.single import RunResult

__all__ = ["markdown_report"]


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def markdown_report(result: RunResult, figures: Sequence[str] = ()) -> str:
    """Render ``result`` as a Markdown document (str). Masses in t, delta-v in km/s; ``figures``: PNG
    file names beside it, shown in a Figures section (``report.html`` holds the same report as one
    self-contained page)."""
    sc, vs = result.scenario, result.vehicle_summary
    lines = [f"# {sc.name}", ""]
    if sc.description:
        lines += [sc.description.strip(), ""]
    lines += [
        f"- Vehicle: **{vs['name']}** ({vs.get('origin', 'inline')}"
        + (f", catalog entry '{vs['catalog']}'" if vs.get("catalog") else "")
        + ")",
        f"- Launch site: {vs['launch_site'] + ' at ' if vs.get('launch_site') else ''}{vs['latitude_deg']:.2f} deg latitude",
        f"- Lift-off mass {vs['liftoff_mass_t']:,.0f} t (without payload), lift-off thrust "
        f"{vs['liftoff_thrust_kN']:,.0f} kN, T/W {vs['liftoff_t_w']:.2f}",
    ]
    if vs.get("overrides"):
        lines.append("- Overrides: " + ", ".join(f"`{k} = {v}`" for k, v in vs["overrides"].items()))
    lines += ["", "## Payload", ""]
    lines += _table(
        ["target", "orbit / C3", "payload [t]", "status", "lift-off T/W"],
        [
            [_fmt(r["target"]), target_text(r), _fmt(r["payload_t"]), _fmt(r["status"]), _fmt(r["liftoff_tw"])]
            for r in result.rows
        ],
    )
    lines += [
        "",
        "## Delta-v budget [km/s]",
        "",
        "required = orbit - rotation + gravity + drag + steering + back-pressure + dog-leg + departure + finite burn",
        "",
    ]
    keys = ["required", "orbit", "rotation", "gravity", "drag", "steering", "back_pressure", "dogleg", "departure", "finite_burn"]
    lines += _table(
        ["target"] + [k.replace("_", "-") for k in keys],
        [[_fmt(r["target"])] + [_fmt(r.get(f"dv_{k}_km_s"), 3) for k in keys] for r in result.rows],
    )
    phase_cols = result.columns[len(result.columns) - len(result.phase_names):]
    lines += ["", "## Delta-v by flight phase [km/s]", ""]
    lines += _table(
        ["target"] + list(result.phase_names),
        [[_fmt(r["target"])] + [_fmt(r.get(c), 3) for c in phase_cols] for r in result.rows],
    )
    if result.transfer is not None:
        lines += ["", *_transfer_lines(result.transfer)]
    if result.mission is not None:
        from .mission import mission_markdown  # report/mission.py

        lines += ["", *mission_markdown(result.mission)]
        from .partners import ledger_markdown

        lines += ledger_markdown(result.mission)
    lines += ["", "## Stages", ""]
    stage_rows = vs.get("stage_table", [])
    lines += _table(
        ["stage", "engine", "count", "thrust vac [kN]", "Isp vac [s]", "propellant [t]", "dry [t]", "burn [s]"],
        [
            [
                _fmt(s.get("stage")),
                _fmt(s.get("engine")),
                _fmt(s.get("count"), 0),
                _fmt(s.get("thrust_vac_kN"), 0),
                _fmt(s.get("isp_vac_s"), 1),
                _fmt(s.get("m_prop_t"), 1),
                _fmt(s.get("m_dry_t"), 1),
                _fmt(s.get("burn_time_s"), 0),
            ]
            for s in stage_rows
        ],
    )
    if figures:
        lines += ["", "## Figures", "", "The same report with every figure and the scenario as run: report.html.", ""]
        for name in figures:
            lines += [f"![{name[:-4].replace('_', ' ')}]({name})", ""]
        lines.pop()
    lines += [
        "",
        "## Method",
        "",
        "Payload solves the rocket equation over all flight phases (boosters beside the core, then each",
        "stage) for the ideal delta-v required; ascent losses come from the reduced-order trajectory",
        "model in `core/ascent.py` (docs/method-ascent.md). Catalog sources: docs/catalog-sources.md.",
        "",
        f"Run at {result.timestamp} with jointmission {result.versions.get('jointmission', '?')}, "
        f"numpy {result.versions.get('numpy', '?')}, Python {result.versions.get('python', '?')}.",
        "",
    ]
    return "\n".join(lines)


def _transfer_lines(tr) -> list[str]:
    """Markdown section for a scenario's ``transfer:`` optima."""
    a = tr.grid.attrs
    n_dep, n_arr = tr.grid.shape
    lines = [f"## Transfer {a['origin'].title()} -> {a['target'].title()}", "",
             f"Porkchop grid {n_dep} x {n_arr} (JPL DE421, Izzo Lambert, "
             f"step {a['step_days']:g} d), optima refined below the step. Parking orbit {a['park_alt_km']:g} km; "
             "figure: porkchop.png, grid: porkchop.nc.", ""]
    from .porkchop_plot import type_label

    rows = [[type_label(r["type"]), r["depart"][:10], r["arrive"][:10], _fmt(r["tof_days"], 1), _fmt(r["c3_km2_s2"], 3),
             _fmt(r["dla_deg"], 1), _fmt(r["vinf_arrive_km_s"], 3), _fmt(r["dv_total_km_s"], 3),
             _fmt(r.get("vehicle_target"))] for r in tr.rows()]
    return lines + _table(["type", "depart (UTC)", "arrive (UTC)", "TOF [d]", "C3 [km2/s2]", "DLA [deg]",
                           "arrival v_inf [km/s]", "dv total [km/s]", "vehicle target"], rows)
