"""The ``programme:`` section end to end: a run writes ``partners.parquet`` (one row per case x
partner, units in the column metadata) and shows the ledger; bad partners and providers are user
errors (exit 2, one paragraph naming file, line and field, no traceback, nothing written)."""

from __future__ import annotations

import math

import pyarrow.parquet as pq
import pytest
from cli_helpers import SCENARIOS, invoke

from jointmission.scenario import ScenarioError, load_scenario

BASE = """name: programme test
vehicle:
  catalog: Joint Heavy RU
mission:
  architectures: [moon_direct, moon_lor_two_launch]
  launchers:
    - {name: RU, catalog: Joint Heavy RU}
    - {name: CN, catalog: Joint Heavy CN}
programme:
  partners:
    - {name: Russia, country: Russia, agency: Roscosmos, share: 40 %}
    - {name: China, country: China, agency: CNSA, share: 60 %}
  providers:
    engines: {YF-79: Russia}
    elements: {crew vehicle: Russia}
"""


def _write(tmp_path, text: str):
    d = tmp_path / "scenarios"
    d.mkdir(exist_ok=True)
    p = d / "prog.yaml"
    p.write_text(text)
    return p


def test_run_writes_the_partners_table(tmp_path):
    path = _write(tmp_path, BASE)
    out = tmp_path / "out"
    r = invoke("run", path, "-o", out)
    assert r.code == 0, r.err
    assert "Partners' ledger" in r.out
    table = pq.read_table(out / "partners.parquet")
    rows = table.to_pylist()
    assert len(rows) == 2 * 2 * 2  # (architectures x launchers) x partners
    assert table.schema.field("hardware_t").metadata[b"unit"] == b"t"
    assert table.schema.field("impulse_MN_s").metadata[b"unit"] == b"MN s"
    assert table.schema.field("mass_balance").metadata[b"description"]
    ok = [r for r in rows if r["status"] == "ok"]
    assert ok
    for case in {(r["variant"], r["launcher"]) for r in ok}:
        rr = [r for r in ok if (r["variant"], r["launcher"]) == case]
        assert [r["partner"] for r in rr] == ["Russia", "China"]
        assert math.isclose(sum(r["mass_balance"] for r in rr), 0.0, abs_tol=1e-12)
        assert math.isclose(sum(r["impulse_share"] for r in rr), 1.0, rel_tol=1e-12)
        ru = rr[0]
        # Russia supplies the four YF-79 of every launch (by override) and, on the RU launcher, its engines
        per_launch = {"moon_direct": 1, "moon_lor_two_launch": 2}[case[0]]
        assert ru["engines"] == per_launch * (4 + (26 if case[1] == "RU" else 0))
        assert ru["launches"] == 0 and rr[1]["launches"] == per_launch  # Wenchang: China launches
        assert math.isclose(ru["payload_t"] / rr[1]["payload_t"], 40 / 60, rel_tol=1e-12)
        # costs: the partners' costs make the case's, the cost balances sum to zero
        assert all(r["money"] == "USD 2024" and r["cost_MUSD"] > 0 for r in rr)
        assert math.isclose(sum(r["cost_MUSD"] for r in rr), rr[0]["mission_cost_MUSD"], rel_tol=1e-12)
        assert math.isclose(sum(r["cost_balance"] for r in rr), 0.0, abs_tol=1e-12)
        assert math.isclose(rr[0]["cost_per_t_MUSD"], rr[0]["mission_cost_MUSD"] / rr[0]["mission_payload_t"],
                            rel_tol=1e-12)
    report = (out / "report.md").read_text()
    assert "## Partners' ledger" in report and "balance (mass)" in report and "balance (cost)" in report
    assert "### Cost per tonne delivered (MUSD 2024)" in report and "per t to C3 -2.00 km2/s2" in report
    assert table.schema.field("cost_MUSD").metadata[b"unit"] == b"MUSD"
    assert "partners.parquet" in (out / "summary.json").read_text()
    assert "partners.png" in (out / "summary.json").read_text() and "partners.png" in report
    assert (out / "partners.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "id=\"partners\"" in (out / "report.html").read_text()
    # the resolved scenario keeps the programme and loads again with the same one
    again = load_scenario(out / "scenario.resolved.yaml")
    assert again.programme == load_scenario(path).programme


BAD = {
    "unknown partner": (BASE.replace("{YF-79: Russia}", "{YF-79: Rusia}"), 14,
                        "programme.providers.engines.YF-79", "did you mean 'Russia'"),
    "shares": (BASE.replace("share: 60 %", "share: 50 %"), 10, "programme.partners", "sum to 100 %"),
    "no component": (BASE.replace("{YF-79: Russia}", "{YF-80: Russia}"), 14, "programme.providers.engines.YF-80",
                     "did you mean 'YF-90'"),
    "no element": (BASE.replace("{crew vehicle: Russia}", "{crew vehicel: Russia}"), 15,
                   "programme.providers.elements.crew vehicel", "did you mean 'crew vehicle'"),
    "payload allocation": (BASE + "  payload: {Russia: 30 %, China: 30 %}\n", 16, "programme.payload", "100 %"),
    "duplicate partner": (BASE.replace("name: China", "name: Russia"), 12, "programme.partners[1].name", "twice"),
    "no partner for an engine": (BASE.replace("name: China, country: China", "name: ESA, country: Europe"), 14,
                                 "programme.providers.engines.YF-130", "comes from China, which no partner"),
    "no cost factor": (BASE.replace("country: China", "country: Japan"), 12, "programme.partners[1].country",
                       "no productivity factor for country 'Japan'"),
    "existing": (BASE + "  cost: {existing: [RD-171]}\n", 16, "programme.cost.existing[0]", "did you mean 'RD-171M'"),
    "cost year": (BASE + "  cost: {year: 1850}\n", 16, "programme.cost.year", "1850"),
    "cost option": (BASE + "  cost: {learnin: 90 %}\n", 16, "programme.cost.learnin", "did you mean 'learning'"),
    "launcher providers": (BASE.replace("{name: CN, catalog: Joint Heavy CN}",
                                        "{name: CN, catalog: Joint Heavy CN, providers: {vehicle: Rusia}}"), 8,
                           "mission.launchers[1].providers.vehicle", "did you mean 'Russia'"),
    "no mission": ("name: x\nvehicle: Joint Heavy CN\ntargets:\n  - {name: LEO, orbit: {altitude: 200 km}}\n"
                   + BASE[BASE.index("programme:"):], 5, "programme", "mission"),
    "unknown key": (BASE.replace("agency: CNSA,", "agncy: CNSA,"), 12, "programme.partners[1].agncy",
                    "did you mean 'agency'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_programme(case, tmp_path):
    text, line, field, words = BAD[case]
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as ei:
        load_scenario(path)
    err = ei.value
    assert (err.line, err.field) == (line, field), str(err)
    assert words in err.reason, str(err)
    out = tmp_path / "out"
    r = invoke("run", path, "-o", out)
    assert r.code == 2 and "Traceback" not in r.err + r.out
    assert f"prog.yaml:{line}: {field}: " in r.err and "\n" not in r.err.strip()
    assert not out.exists(), "nothing written for a bad scenario"


def test_flagship_has_the_ledger(shipped_runs):
    """The flagship compares all-Chinese, Russian engines on the Chinese airframe and the hybrid,
    and writes the ledger of every case for Russia and China."""
    run, out_dir = shipped_runs[SCENARIOS / "joint_heavy_lift.yaml"]
    rows = pq.read_table(out_dir / "partners.parquet").to_pylist()
    assert {r["launcher"] for r in rows} == {"CN engines", "RU engines", "hybrid"}
    assert {r["partner"] for r in rows} == {"Russia", "China"}
    ok = [r for r in rows if r["status"] == "ok" and r["architecture"] == "moon_direct"]
    eng = {(r["launcher"], r["partner"]): r["engines"] for r in ok}
    # per launch: CN 4x2 booster + 4 core + 2 + 4 YF-79 = 18 Chinese; RU 4x5 RD-191 + 3 RD-171M + 3 RD-0120
    # Russian and 4 YF-79 Chinese; hybrid 4x2 RD-180 Russian, 4 YF-130 + 2 YF-90 + 4 YF-79 Chinese
    assert eng == {("CN engines", "Russia"): 0, ("CN engines", "China"): 18, ("RU engines", "Russia"): 26,
                   ("RU engines", "China"): 4, ("hybrid", "Russia"): 8, ("hybrid", "China"): 10}
    assert "Partners' ledger" in run.out
    assert "## Partners' ledger" in (out_dir / "report.md").read_text()
    # engines in production are charged no development: the RU variant's Russian engines only production
    ru = [r for r in ok if r["launcher"] == "RU engines" and r["partner"] == "Russia"][0]
    assert ru["cost_MUSD"] > 0 and ru["development_MUSD"] > 0  # RD-0120 is developed again
    cn = [r for r in ok if r["launcher"] == "CN engines" and r["partner"] == "Russia"][0]
    assert cn["cost_MUSD"] == 0.0 and cn["cost_balance"] == -0.5
