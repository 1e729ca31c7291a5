"""The partners' ledger of a run (a scenario's ``programme:`` section) as text: the compact console
table (:mod:`rich`), the ``report.md`` section and the ``report.html`` section. Reads the rows of a
:class:`~jointmission.runners.mission.MissionOutcome` only (``partner_rows``; columns
:data:`jointmission.runners.mission.PARTNER_COLUMNS`).
"""

from __future__ import annotations

import math
from typing import Any

from ..runners.mission import MissionOutcome

__all__ = ["ledger_rows", "print_ledger", "ledger_markdown", "ledger_section", "LEDGER_VIEW"]

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
    ("agreed_share", "agreed", -1),
    ("mass_balance", "balance (mass)", -2),
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
    """Print the compact ledger with :mod:`rich`: one row per feasible case, per partner the
    hardware supplied [t] and the barter balance (hardware share minus agreed share). The full
    ledger is in ``report.md`` and ``partners.parquet``."""
    from rich.table import Table

    rows = ledger_rows(outcome)
    if not rows:
        return
    partners = list(dict.fromkeys(r["partner"] for r in rows))
    shares = {r["partner"]: r["agreed_share"] for r in rows}
    agreed = ", ".join(f"{p} {_cell(shares[p], -1)}" for p in partners)
    t = Table(title=f"Partners' ledger: hardware supplied (t) and barter balance (hardware share - agreed "
                    f"share; agreed: {agreed})", title_justify="left")
    t.add_column("case")
    for p in partners:
        t.add_column(f"{p} (t)", justify="right")
        t.add_column(f"{p} balance", justify="right")
    by_case: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        by_case.setdefault(_case(r), {})[r["partner"]] = r
    for case, per in by_case.items():
        cells = []
        for p in partners:
            r = per.get(p, {})
            cells += [_cell(r.get("hardware_t"), 1), _cell(r.get("mass_balance"), -2)]
        t.add_row(case, *cells)
    console.print(t)


def _definition() -> str:
    return ("Hardware: dry mass supplied (launcher airframes, engines, fairing; mission elements with their dry-mass "
            "growth), launcher hardware once per launch. Impulse and delta-v: the launcher stages' (credited to the "
            "engine supplier) and the in-space burns' (to the element's provider). Balance: the partner's share of "
            "the hardware minus its agreed share (> 0: it puts in more than agreed).")


def ledger_markdown(outcome: MissionOutcome) -> list[str]:
    """Markdown lines of the ledger section of ``report.md`` (empty without a programme)."""
    rows = ledger_rows(outcome)
    if not outcome.partner_rows:
        return []
    head = ["case", "partner"] + [h for _, h, _ in LEDGER_VIEW]
    lines = ["## Partners' ledger", "", _definition(), ""]
    if not rows:
        return lines + ["No feasible case: nothing to share.", ""]
    lines += ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        cells = [_case(r), r["partner"]] + [_cell(r.get(c), d) for c, _, d in LEDGER_VIEW]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return lines + ["", "Every case and column (units in the column metadata): `partners.parquet`.", ""]


def ledger_section(outcome: MissionOutcome) -> Any:
    """The ``report.html`` section of the ledger (``None`` without a programme)."""
    from .html import Section, Table

    if not outcome.partner_rows:
        return None
    s = Section("partners", "Partners' ledger")
    s.text(_definition())
    rows = ledger_rows(outcome)
    if not rows:
        s.text("No feasible case: nothing to share.")
        return s
    head = ["case", "partner"] + [h for _, h, _ in LEDGER_VIEW]
    body = [[_case(r), r["partner"]] + [_cell(r.get(c), d) for c, _, d in LEDGER_VIEW] for r in rows]
    s.table(Table(head, body, set(range(2, len(head))), caption="Per feasible case and partner; every column in "
                                                                "partners.parquet"))
    return s
