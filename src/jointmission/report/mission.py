"""Mission-architecture tables for people: the programme-manager pivot (architecture x launcher),
launcher capabilities, Mars windows used and reasons for '-' cells, printed with :mod:`rich` or written
as Markdown for ``report.md``. Reads a :class:`~jointmission.runners.mission.MissionOutcome` only.
"""

from __future__ import annotations

import math

from ..runners.mission import MissionOutcome

__all__ = ["pivot", "print_mission", "mission_markdown", "variant_label", "mars_transfers"]


def mars_transfers(outcome: MissionOutcome) -> list[tuple[str, dict]]:
    """The distinct Mars transfers flown, each ``(who, record)``: ``who`` names the window and, when
    the objective chose per launcher and concept (``most_landed``), the variants and launchers that
    fly it; ``record`` is the variant record (C3, DLA, v_inf, TOF, transfer angle, ridge flag)."""
    groups: dict[tuple, list] = {}
    for v in outcome.variants:
        if "c3_km2_s2" not in v:
            continue
        key = (v["window"], str(v["depart"])[:10], round(v["c3_km2_s2"], 4), round(v["vinf_arrive_km_s"], 4))
        groups.setdefault(key, []).append(v)
    out = []
    for (window, *_), vs in groups.items():
        who = window
        if any("launcher" in v for v in vs):
            names = sorted({f"{v['architecture']}{' ' + v['capture'] if v['capture'] else ''} / {v['launcher']}"
                            for v in vs})
            who = f"{window} ({'; '.join(names)})"
        out.append((who, vs[0]))
    return out


# ------------------------------------------------------------------------------------ rendering
_SHORT = {
    "moon_direct": "Moon: direct landing (cargo)",
    "moon_lor_single": "Moon: LOR, single launch (Apollo-style)",
    "moon_lor_two_launch": "Moon: LOR, lander + crew ship",
    "moon_eor_two_launch": "Moon: EOR, departure stage + stack",
    "moon_nrho": "Moon: NRHO-staged",
    "mars_cargo": "Mars cargo lander",
    "mars_crewed": "Mars crewed round trip",
}


def variant_label(r: dict) -> str:
    """The row's architecture in words, with its window and chosen options (the variant label
    after the architecture's own name), e.g. ``Mars cargo lander 2031 (aerocapture)``."""
    s = _SHORT.get(r["architecture"], r["architecture"])
    variant = r.get("variant")
    if variant is not None:
        return s + variant[len(r["architecture"]):]
    if r["window"]:
        s += f" {r['window']}"
    if r["capture"] and r["architecture"] == "mars_cargo":
        s += f" ({r['capture']})"
    return s


def _backward_only(r: dict) -> bool:
    """A concept without a launch to fill (budgeted backward: the mass it needs)."""
    return bool(r.get("backward_only", r["architecture"] == "mars_crewed"))


def _cell(r: dict, backward: bool) -> str:
    if r["status"] != "ok":
        return "-"
    if _backward_only(r) or backward:
        return f"{r['delivered_t']:,.0f} t / {r['launches']:.0f}"
    return f"{r['payload_t']:,.1f}"


def pivot(outcome: MissionOutcome) -> tuple[list[str], list[list[str]]]:
    """Program-manager view: one row per architecture variant, one column per launcher; forward
    cells are the payload landed [t] (the launches column is the same for every launcher), backward
    cells 'delivered t / launches'."""
    header = ["architecture", "launches"] + outcome.launchers
    order: list[str] = []
    cells: dict[str, dict[str, str]] = {}
    launches: dict[str, str] = {}
    for r in outcome.rows:
        lab = variant_label(r)
        if lab not in cells:
            order.append(lab)
            cells[lab] = {}
            launches[lab] = "-"
        cells[lab][r["launcher"]] = _cell(r, outcome.backward)
        if r["status"] == "ok" and not (outcome.backward or _backward_only(r)):
            launches[lab] = f"{r['launches']:.0f}"
        elif _backward_only(r) or outcome.backward:
            launches[lab] = "see cells"
    return header, [[lab, launches[lab]] + [cells[lab].get(n, "-") for n in outcome.launchers] for lab in order]


def _reasons(outcome: MissionOutcome) -> list[str]:
    seen: dict[str, list[str]] = {}
    for r in outcome.rows:
        if r["status"] != "ok":
            seen.setdefault(r["status"], []).append(f"{r['architecture']}{' ' + r['window'] if r['window'] else ''} / {r['launcher']}")
    return [f"'-' {k}: {', '.join(v[:4])}{' ...' if len(v) > 4 else ''}" for k, v in seen.items()]


def _margin_text(outcome: MissionOutcome) -> str:
    m = outcome.margins
    return (f"margins: delta-v +{m['delta_v'] * 100:.0f} %, dry-mass growth +{m['dry_mass_growth'] * 100:.0f} %, "
            f"propellant reserve {m['propellant_reserve'] * 100:.0f} %")


def print_mission(outcome: MissionOutcome, console) -> None:
    """Print the mission tables with :mod:`rich`: the pivot, the Mars windows used, reasons."""
    from rich.table import Table

    title = ("Launches needed: mass delivered (t) / heavy launches" if outcome.backward else
             "Payload landed on the surface per mission (t)")
    header, body = pivot(outcome)
    t = Table(title=f"{title}; {_margin_text(outcome)}", title_justify="left")
    for i, h in enumerate(header):
        t.add_column(h, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for row in body:
        t.add_row(*row)
    console.print(t)
    if outcome.capabilities:
        ct = Table(title="Launcher capability (t)", title_justify="left")
        ct.add_column("delivery", no_wrap=True)
        for n in outcome.launchers:
            ct.add_column(n, justify="right")
        for lab, vals in outcome.capabilities.items():
            ct.add_row(lab, *["-" if v is None else f"{v:,.1f}" for v in vals])
        console.print(ct)
    for who, v in mars_transfers(outcome):
        console.print(_transfer_line(who, v))
    for line in _reasons(outcome):
        console.print(line)


def _transfer_line(who: str, v: dict) -> str:
    dla = f", DLA {v['dla_deg']:+.1f} deg" if math.isfinite(v["dla_deg"]) else ""
    ang = v.get("transfer_angle_deg", float("nan"))
    ridge = (f", transfer angle {ang:.1f} deg" + (" ON THE 180-DEG RIDGE (delta-v unreliable)" if v.get("on_ridge") else "")
             if math.isfinite(ang) else "")
    if v.get("on_edge"):
        ridge += " WARNING: ON AN EDGE OF THE DATES SEARCHED (optimum clipped; widen the window)"
    return (f"Mars {who} window: depart {v['depart']}, C3 {v['c3_km2_s2']:.2f} km2/s2{dla}, "
            f"arrival v_inf {v['vinf_arrive_km_s']:.2f} km/s, {v['tof_days']:.0f} d{ridge} ({v['window_source']})")


def mission_markdown(outcome: MissionOutcome) -> list[str]:
    """Markdown lines for ``report.md``: pivot, full table, one phase table per architecture."""
    def table(header, rows):
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return out + ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]

    def f(v, d=2):
        return "-" if v is None else (f"{v:,.{d}f}" if isinstance(v, float) else str(v))

    lines = ["## Mission architectures", "", _margin_text(outcome) + ".", ""]
    header, body = pivot(outcome)
    lines += table(header, body) + [""]
    lines += [f"- {x}" for x in _reasons(outcome)] + [""]
    if outcome.capabilities:
        lines += ["Launcher capability [t]:", ""]
        lines += table(["delivery"] + outcome.launchers,
                       [[lab] + [f(v, 1) for v in vals] for lab, vals in outcome.capabilities.items()]) + [""]
    lines += [f"- {_transfer_line(who, v)}" for who, v in mars_transfers(outcome)]
    lines += [""] if mars_transfers(outcome) else []
    cols = ["launcher", "architecture", "window", "capture", "payload_t", "launches", "delivered_t", "dv_km_s",
            "propellant_t", "boiloff_t", "unused_t", "tof_days", "dla_deg", "on_ridge", "on_edge", "status"]
    lines += ["### All cases", ""]
    lines += table(cols, [[f(r.get(c)) for c in cols] for r in outcome.rows]) + [""]
    for name, rows in outcome.phase_tables.items():
        lines += [f"### Phases: {name}", ""]
        pc = ["phase", "element", "dv_km_s", "mass_before_t", "propellant_t", "boiloff_t", "dropped_t", "mass_after_t"]
        lines += table(["phase", "element", "dv [km/s]", "stack before [t]", "propellant [t]", "boil-off [t]",
                        "dropped [t]", "stack after [t]"],
                       [[f(r[c], 3) if isinstance(r[c], float) else f(r[c]) for c in pc] for r in rows]) + [""]
    return lines
