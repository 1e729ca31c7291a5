"""The seven classic architectures, now concept files (scenarios/concepts/), equal the Python
builders they replaced to 1e-9 relative on every stored case.

The reference values were computed by the builders themselves (commit 87418e1) and stored before
the change (tests/missions/data/builtin_reference.json: 124 evaluate cases -- every architecture and
capture mode x the sourced defaults and a set overriding every phase parameter and element field x
no margins and 5 %/15 %/1 % x forward and backward for 0, 10 and 25 t; scenario_reference.json: the
mission tables of the four shipped mission scenarios with the launcher capabilities and Mars windows
they were computed from). The concepts' defaults have since moved to the transfer-following phase
models (docs/validation.md); these tests pin the builders' settings explicitly (OLD_SETTINGS and
MARS_OLD_SETTINGS in make_builtin_reference.py: arrival v_inf 900 m/s, transit 3.5 d, TEI 1,000 m/s,
NRHO <-> LLO one value both ways; Mars cruise 200 d, heat shield 15 %, the least-C3 window). Tolerance 1e-9 relative (of the value, or of 1 kg / 1 m/s for values near
zero): the same operations in the same order give identical results; the tolerance only allows a
different summation order of a launch's members.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from jointmission.missions import Margins, build, evaluate

DATA = Path(__file__).with_name("data")
RTOL = 1e-9
REF = json.loads((DATA / "builtin_reference.json").read_text())
SCEN = json.loads((DATA / "scenario_reference.json").read_text())


def _refmod():
    spec = importlib.util.spec_from_file_location("make_builtin_reference", DATA / "make_builtin_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_REFMOD = _refmod()


def _params():
    return {(n, c, p): params for n, c, p, params in _REFMOD.cases()}


PARAMS = _params()
_OLD_MOON = _REFMOD.OLD_SETTINGS
_OLD_MARS = _REFMOD.MARS_OLD_SETTINGS


def _close(new, ref, what: str, floor: float = 1.0) -> None:
    new = np.broadcast_to(np.asarray(new, dtype=float), (len(ref),))
    for a, b in zip(new, ref):
        if b is None:
            assert not np.isfinite(a), (what, a)
        else:
            assert abs(a - b) <= RTOL * max(abs(b), floor), (what, a, b)


def _case_id(c) -> str:
    req = "" if c["required_payload_kg"] is None else f" {c['required_payload_kg'] / 1e3:g} t"
    return f"{c['architecture']} {c['capture'] or ''} {c['parameters']} {c['margins']} {c['direction']}{req}"


def _relabelled(ref: dict, caps: dict, required_payload_kg) -> dict:
    """The stored result with the one labelling change made since it was computed: a backward case
    for a required payload of 0 whose launcher cannot reach its delivery (NaN capability) was OK
    (payload 0, launches NaN); it is LAUNCHER_INFEASIBLE (24) with a NaN payload, as forward. Every
    number the builders computed is compared unchanged."""
    if required_payload_kg != 0:
        return ref
    bad = ~np.all([np.isfinite(c) & (c > 0) for c in caps.values()], axis=0)
    status = [24 if b and s == 0 else s for s, b in zip(ref["status"], bad)]
    payload = [None if b and s == 0 else p for p, s, b in zip(ref["payload_kg"], ref["status"], bad)]
    return {**ref, "status": status, "payload_kg": payload}


@pytest.mark.parametrize("case", REF["cases"], ids=_case_id)
def test_concept_equals_python_builder(case):
    params = PARAMS[(case["architecture"], case["capture"], case["parameters"])]
    arch = build(case["architecture"], **params)
    ref = case["result"]
    assert {ln: [d.kind, d.c3_form()[0], d.c3_form()[1]] for ln, d in arch.deliveries.items()} == ref["deliveries"]
    assert list(arch.fillable) == ref["fillable"]
    caps = {ln: np.array([np.nan if x is None else x for x in v]) for ln, v in case["capability_kg"].items()}
    res = evaluate(arch, caps, margins=Margins(*case["margins"]), required_payload_kg=case["required_payload_kg"])
    ref = _relabelled(ref, caps, case["required_payload_kg"])
    assert [int(s) for s in res.status] == ref["status"]
    _close(res.payload_kg, ref["payload_kg"], "payload")
    assert [None if not np.isfinite(x) else float(x) for x in res.launches] == ref["launches"]
    assert [str(b) for b in res.binding] == ref["binding"]
    assert list(res.launch_mass_kg) == list(ref["launch_mass_kg"])
    for ln, v in ref["launch_mass_kg"].items():
        _close(res.launch_mass_kg[ln], v, f"launch {ln}")
    for k, v in ref["phase_sum"].items():
        _close(res.phase_sum(k), v, k)
    for j, table in enumerate(ref["phase_tables"]):
        if table is None:
            continue
        new = res.phase_table(j)
        assert [(r["phase"], r["kind"], r["element"]) for r in new] == [(r["phase"], r["kind"], r["element"]) for r in table]
        for a, b in zip(new, table):
            for k in ("dv_km_s", "mass_before_t", "mass_after_t", "propellant_t", "boiloff_t", "dropped_t"):
                assert abs(a[k] - b[k]) <= RTOL * max(abs(b[k]), 1e-3), (a["phase"], k, a[k], b[k])


def test_reference_covers_feasible_and_infeasible_cases():
    """The stored cases are not all easy ones: OK, payload <= 0 and launcher-infeasible cases."""
    seen = {s for c in REF["cases"] for s in c["result"]["status"]}
    assert {0, 21, 24} <= seen, seen
    assert len(REF["cases"]) == 124


@pytest.mark.parametrize("rel", sorted(SCEN["scenarios"]))
def test_shipped_mission_scenarios_equal_the_stored_tables(rel):
    """The mission tables of the shipped scenarios, re-budgeted from the stored launcher
    capabilities and Mars windows (the launcher model may change; the budgets may not)."""
    from jointmission.scenario import load_scenario

    root = Path(__file__).resolve().parents[2]
    ref = SCEN["scenarios"][rel]
    spec = load_scenario(root / rel).mission
    params = spec.params()
    m = spec.margins
    margins = Margins(m.delta_v, m.dry_mass_growth, m.propellant_reserve)
    caps_t = ref["capabilities_t"]
    n_launchers = len(ref["launchers"])
    rows = iter(ref["rows"])
    for v in ref["variants"]:
        # today's defaults follow the transfers; the stored tables were made with the old settings, pinned here
        p = {**(_OLD_MARS if v["window"] else _OLD_MOON), **params}
        p.setdefault("llo_nrho_dv", p.get("nrho_llo_dv_m_s", _OLD_MOON["llo_nrho_dv"]))
        if v["window"]:
            p.update(tmi_c3_m2_s2=v["c3_km2_s2"] * 1e6, arrival_vinf_m_s=v["vinf_arrive_km_s"] * 1e3)
        if v["architecture"] == "mars_cargo":
            p["capture"] = v["capture"]
        arch = build(v["architecture"], **p)
        caps = {ln: np.array([np.nan if x is None else x * 1e3 for x in caps_t[d.label()]])
                for ln, d in arch.deliveries.items()}
        req = spec.required_payload if spec.required_payload is not None else (
            0.0 if arch.name == "mars_crewed" else None)
        res = evaluate(arch, caps, margins=margins, required_payload_kg=req)
        for j in range(n_launchers):
            row = next(rows)
            assert row["architecture"] == v["architecture"] and row["window"] == v["window"]
            ok = int(res.status[j]) == 0
            assert ok == (row["status"] == "ok"), (row, int(res.status[j]))
            if ok:
                assert abs(res.payload_kg[j] / 1e3 - row["payload_t"]) <= RTOL * max(abs(row["payload_t"]), 1e-3), row
                assert float(res.launches[j]) == row["launches"]
                delivered = sum(float(x[j]) for x in res.launch_mass_kg.values()) / 1e3
                assert abs(delivered - row["delivered_t"]) <= RTOL * row["delivered_t"]
