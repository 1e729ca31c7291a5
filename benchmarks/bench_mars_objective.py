"""Benchmark: the cost of choosing the Mars transfer by most landed mass, against least C3, in one run.

Run:  python benchmarks/bench_mars_objective.py [--rounds 3]

For each shipped scenario with a Mars mission (the flagship, one window / one capture / two launchers;
the Mars trade, two windows / two captures / two concepts / two launchers), the mission section is
evaluated (``runners.mission.evaluate_mission``) with ``mission.mars.objective`` ``least_c3`` and
``most_landed`` alternately in this process after one warm-up of each (ephemeris, compiled kernels):
CPU seconds of each, best over ``--rounds``, and the difference and ratio. The whole budget of every
porkchop point is one vectorized call per variant and launcher; the extra cost is the launcher table
(one solve of about 66 targets per launcher) and the exact solve of the finalists.
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path

import yaml

from jointmission.runners.mission import evaluate_mission
from jointmission.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ["scenarios/joint_heavy_lift.yaml", "scenarios/mars/joint_heavy_mars_cargo.yaml"]


def _scenario(rel: str, objective: str, tmp: Path):
    raw = copy.deepcopy(yaml.safe_load((ROOT / rel).read_text()))
    raw["mission"].setdefault("mars", {})["objective"] = objective
    p = tmp / f"{Path(rel).stem}_{objective}.yaml"
    p.write_text(yaml.safe_dump(raw))
    return load_scenario(p)


def _cpu(sc) -> float:
    t = time.process_time()
    evaluate_mission(sc)
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for rel in SCENARIOS:
            scs = {o: _scenario(rel, o, tmp) for o in ("least_c3", "most_landed")}
            for sc in scs.values():
                _cpu(sc)  # warm-up
            best = {o: min(_cpu(sc) for _ in range(args.rounds)) for o, sc in scs.items()}
            a, b = best["least_c3"], best["most_landed"]
            print(f"{rel}: least_c3 {a:.2f} s CPU, most_landed {b:.2f} s CPU, +{b - a:.2f} s, ratio {b / a:.2f}")


if __name__ == "__main__":
    main()
