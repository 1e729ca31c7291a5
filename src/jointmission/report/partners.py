"""The partners' ledger of a run (a scenario's ``programme:`` section) as text: the compact console
table (:mod:`rich`), the ``report.md`` section and the ``report.html`` section. Reads the rows of a
:class:`~jointmission.runners.mission.MissionOutcome` only (``partner_rows``; columns
:data:`jointmission.runners.mission.PARTNER_COLUMNS`).
"""

from __future__ import annotations

import math
from typing import Any

from ..runners.mission import MissionOutcome

__all__ = ["ledger_rows", "print_ledger", "ledger_markdown", "ledger_section", "cost_per_tonne", "LEDGER_VIEW"]

#: The ledger columns a report shows: (row key, header, digits; -1: a fraction shown in percent).
LEDGER_VIEW: list[tuple[str, str, int]] = [
    ("hardware_t", "hardware [t]", 1),
    ("engines", "engines", 0),
    ("engines_t", "engines [t]", 1),
    ("propellant_t", "propellant [t]", 0),
    ("launches", "launches", 0),
    ("impulse_share", "impulse", -1),
    ("dv_share", "delta-v", -1),
    ("payload_t", "payload [t]", 2),
    ("hardware_share", "hardware share", -1),
    ("cost_MUSD", "cost [MUSD]", 0),
    ("cost_share", "cost share", -1),
    ("agreed_share", "agreed", -1),
    ("mass_balance", "balance (mass)", -2),
    ("cost_balance", "balance (cost)", -2),
]


def _cell(v: Any, digits: int) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    if digits == -1:
        return f"{v * 100:.0f} %"
    if digits == -2:
        return f"{v * 100:+.0f} %"
    return f"{v:,.{digits}f}"


def ledger_rows(outcome: MissionOutcome, *, feasible_only: bool = True) -> list[dict[str, Any]]:
    """The ledger rows of ``outcome`` (of feasible cases only, by default)."""
    return [r for r in outcome.partner_rows if not feasible_only or r["status"] == "ok"]


def _case(r: dict[str, Any]) -> str:
    return f"{r['variant']} / {r['launcher']}"


def print_ledger(outcome: MissionOutcome, console: Any) -> None:
    """Print the compact ledger with :mod:`rich`: per feasible case and partner, the hardware
    supplied [t], the cost of its contributions per mission [MUSD] and its barter balance (cost share
    minus agreed share; the hardware share without costs). The full ledger is in ``report.md`` and
    ``partners.parquet``."""
    from rich.table import Table

    rows = ledger_rows(outcome)
    if not rows:
        return
    costed = any(isinstance(r.get("cost_MUSD"), float) and math.isfinite(r["cost_MUSD"]) for r in rows)
    partners = list(dict.fromkeys(r["partner"] for r in rows))
    shares = {r["partner"]: r["agreed_share"] for r in rows}
    agreed = ", ".join(f"{p} {_cell(shares[p], -1)}" for p in partners)
    money = next((r["money"] for r in rows if r.get("money")), "")
    what = (f"hardware supplied (t), cost per mission (M{money}) and barter balance (cost share - agreed share"
            if costed else "hardware supplied (t) and barter balance (hardware share - agreed share")
    t = Table(title=f"Partners' ledger: {what}; agreed: {agreed})", title_justify="left")
    t.add_column("case")
    t.add_column("partner", no_wrap=True)
    cols = [("hardware_t", "hw (t)", 1)] + ([("cost_MUSD", "cost (M$)", 0)] if costed else []) + \
        [("cost_balance" if costed else "mass_balance", "balance", -2)]
    for _, h, _ in cols:
        t.add_column(h, justify="right")
    last = None
    for r in rows:
        case = _case(r)
        t.add_row("" if case == last else case, r["partner"], *[_cell(r.get(c), d) for c, _, d in cols])
        last = case
    console.print(t)


def _definition(money: str = "") -> str:
    cost = (f" Cost: development (spread over the programme's missions), production and launch operations per "
            f"mission, TransCost relationships, million {money} (each partner's work years at its productivity "
            "factor, valued at the U.S. work-year rate)." if money else "")
    return ("Hardware: dry mass supplied (launcher airframes, engines, fairing; mission elements with their dry-mass "
            "growth), launcher hardware once per launch. Impulse and delta-v: the launcher stages' (credited to the "
            "engine supplier) and the in-space burns' (to the element's provider)." + cost + " Balance: the "
            "partner's share of the hardware (mass) or of the cost minus its agreed share (> 0: it puts in more "
            "than agreed).")


def _money(outcome: MissionOutcome) -> str:
    return next((r["money"] for r in outcome.partner_rows if r.get("money")), "")


def cost_per_tonne(outcome: MissionOutcome) -> tuple[list[list[Any]], list[str], list[list[Any]]]:
    """Cost per tonne delivered: rows ``[case, destination, mission cost, payload, cost per t]`` per
    feasible case, and the per-launcher table ``(header, rows)``: one flight's cost and its cost per
    tonne of capability to each delivery (LEO, TLI, ...). Empty without costs."""
    cases, seen = [], set()
    for r in ledger_rows(outcome):
        key = _case(r)
        if key in seen or not (isinstance(r.get("mission_cost_MUSD"), float) and math.isfinite(r["mission_cost_MUSD"])):
            continue
        seen.add(key)
        dest = {"moon": "lunar surface", "mars": "Mars surface"}.get(r.get("destination", ""), r.get("destination", ""))
        if r["architecture"] == "mars_crewed":
            dest = "Mars (crew round trip)"
        cases.append([key, dest, r["mission_cost_MUSD"], r["mission_payload_t"], r["cost_per_t_MUSD"]])
    lc = outcome.launcher_costs
    if not lc:
        return cases, [], []
    labels = list(next(iter(lc.values()))["per_t_MUSD"])
    header = ["launcher", "one flight [MUSD]"] + [f"per t to {lab} [MUSD/t]" for lab in labels]
    rows = [[name, v["flight_MUSD"]] + [v["per_t_MUSD"].get(lab) for lab in labels] for name, v in lc.items()]
    return cases, header, rows


def ledger_markdown(outcome: MissionOutcome) -> list[str]:
    """Markdown lines of the ledger section of ``report.md`` (empty without a programme)."""
    rows = ledger_rows(outcome)
    if not outcome.partner_rows:
        return []
    money = _money(outcome)
    head = ["case", "partner"] + [h for _, h, _ in LEDGER_VIEW]
    lines = ["## Partners' ledger", "", _definition(money), ""]
    if not rows:
        return lines + ["No feasible case: nothing to share.", ""]

    def table(header: list[str], body: list[list[str]]) -> list[str]:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return out + ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in body]

    lines += table(head, [[_case(r), r["partner"]] + [_cell(r.get(c), d) for c, _, d in LEDGER_VIEW] for r in rows])
    lines += ["", "Every case and column (units in the column metadata): `partners.parquet`.", ""]
    cases, lhead, lrows = cost_per_tonne(outcome)
    if cases:
        lines += [f"### Cost per tonne delivered (M{money})", ""]
        lines += table(["case", "payload to", "cost per mission [MUSD]", "payload [t]", "cost per t [MUSD/t]"],
                       [[c[0], c[1], _cell(c[2], 0), _cell(c[3], 2), _cell(c[4], 0)] for c in cases]) + [""]
    if lrows:
        lines += [f"One flight of each launcher (its engines, airframes and launch operations; development spread "
                  f"over the programme's flights) and its cost per tonne of capability, M{money}:", ""]
        lines += table(lhead, [[r[0]] + [_cell(x, 0) for x in r[1:]] for r in lrows]) + [""]
    return lines


def ledger_section(outcome: MissionOutcome, figure: Any = None) -> Any:
    """The ``report.html`` section of the ledger (``None`` without a programme), with the ledger's
    ``figure`` (:func:`jointmission.report.partners_plot.partners_figure`) when given."""
    from .html import Section, Table

    if not outcome.partner_rows:
        return None
    s = Section("partners", "Partners' ledger")
    money = _money(outcome)
    s.text(_definition(money))
    rows = ledger_rows(outcome)
    if not rows:
        s.text("No feasible case: nothing to share.")
        return s
    head = ["case", "partner"] + [h for _, h, _ in LEDGER_VIEW]
    body = [[_case(r), r["partner"]] + [_cell(r.get(c), d) for c, _, d in LEDGER_VIEW] for r in rows]
    s.figure(figure)
    s.table(Table(head, body, set(range(2, len(head))), caption="Per feasible case and partner; every column in "
                                                                "partners.parquet"))
    cases, lhead, lrows = cost_per_tonne(outcome)
    if cases:
        s.h3(f"Cost per tonne delivered (M{money})")
        s.table(Table(["case", "payload to", "cost per mission [MUSD]", "payload [t]", "cost per t [MUSD/t]"],
                      [[c[0], c[1], _cell(c[2], 0), _cell(c[3], 2), _cell(c[4], 0)] for c in cases], {2, 3, 4}))
    if lrows:
        s.table(Table(lhead, [[r[0]] + [_cell(x, 0) for x in r[1:]] for r in lrows], set(range(1, len(lhead))),
                      caption="One flight of each launcher (engines, airframes, launch operations; development "
                              "spread over the programme's flights) and its cost per tonne of capability"))
    return s
