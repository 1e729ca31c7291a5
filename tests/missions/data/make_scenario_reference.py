"""Writes scenario_reference.json: the mission tables of the shipped scenarios with a ``mission:``
section as they were when the built-in architectures were Python builders (commit 87418e1), with
the launcher capability of every delivery and the Mars window of every variant, so the test can
re-run the budgets from the same inputs whatever later changes to the launcher model do.

Run once against the code being replaced:  PYTHONPATH=src python tests/missions/data/make_scenario_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

from jointmission.runners.mission import evaluate_mission
from jointmission.scenario import loader

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ["scenarios/moon/joint_heavy_moon_trade.yaml", "scenarios/mars/joint_heavy_mars_cargo.yaml",
             "scenarios/reference/apollo11.yaml", "scenarios/joint_heavy_lift.yaml"]


def main() -> None:
    out = {}
    for rel in SCENARIOS:
        sc = loader.load_scenario(ROOT / rel)
        res = evaluate_mission(sc)
        out[rel] = {"rows": res.rows, "capabilities_t": res.capabilities, "variants": res.variants,
                    "launchers": res.launchers, "margins": res.margins, "backward": res.backward}
    path = Path(__file__).with_name("scenario_reference.json")
    path.write_text(json.dumps({"generated_by": "make_scenario_reference.py at commit 87418e1", "scenarios": out},
                               indent=1, default=str))
    print(f"{len(out)} scenarios -> {path}")


if __name__ == "__main__":
    main()
