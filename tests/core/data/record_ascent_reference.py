"""Record the ascent model's answers for the kernel-equivalence test (tests/core/test_ascent_kernel.py).

Run once with the implementation being replaced (numpy march, commit 87418e1):

    PYTHONPATH=src python tests/core/data/record_ascent_reference.py

For every catalog vehicle and five targets it captures the two kinds of call the payload solver
makes to :func:`jointmission.core.ascent.ascent_losses` -- the first one (trajectory shape
optimised: pitch-over, loft, level flight) and the last one (shape given) -- with their inputs
(SI arrays) and outputs, and writes ``ascent_reference.json`` beside this script. The inputs are
stored, not rebuilt from the catalog, so the test checks the ascent model alone, whatever later
changes to vehicle data or to the top-stage budget do to the payloads.

When the ascent model itself changes (the march or the shape search), keep the stored inputs and
recompute every output with the numpy reference (``march_reference`` and the array shape search):

    PYTHONPATH=src python tests/core/data/record_ascent_reference.py --outputs-from-reference
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

import jointmission.vehicles.performance as perf
from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit
from jointmission.vehicles.catalog import vehicle_names

TARGETS = {
    "LEO 185 km": lambda v: payload_to_orbit(v, 185e3),
    "ISS 400 km 51.6 deg": lambda v: payload_to_orbit(v, 400e3, inclination_rad=np.deg2rad(51.6)),
    "GTO 185 x 35786 km": lambda v: payload_to_orbit(v, 185e3, 35786e3, np.deg2rad(27.0)),
    "C3 0": lambda v: payload_to_c3(v, 0.0),
    "C3 30 km2/s2": lambda v: payload_to_c3(v, 30e6),
}
INPUTS = ("thrust", "c", "m_start", "m_end", "p_area", "h_target", "v_rot")


def main() -> None:
    calls: list[dict] = []
    original = perf.ascent_losses

    def spy(thrust, c, m_start, m_end, p_area, h_target, v_rot, **kw):
        res = original(thrust, c, m_start, m_end, p_area, h_target, v_rot, **kw)
        calls.append({
            "inputs": {k: np.asarray(a, dtype=float).tolist() for k, a in zip(INPUTS, (thrust, c, m_start, m_end, p_area, h_target, v_rot))},
            "shape": {k: (None if kw.get(k) is None else np.asarray(kw[k], dtype=float).tolist())
                      for k in ("kick_deg", "loft_m_s", "level_frac")},
            "outputs": {k: np.asarray(v).tolist() for k, v in res._asdict().items()},
        })
        return res

    perf.ascent_losses = spy
    records = []
    try:
        for name in vehicle_names():
            v = get_vehicle(name)
            for target, solve in TARGETS.items():
                calls.clear()
                r = solve(v)
                first = next(c for c in calls if c["shape"]["kick_deg"] is None)
                records.append({"vehicle": name, "target": target, "payload_kg": float(r.payload_kg),
                                "optimised": first, "final": calls[-1]})
    finally:
        perf.ascent_losses = original
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    out = Path(__file__).with_name("ascent_reference.json")
    out.write_text(json.dumps({"recorded_with_commit": commit, "records": records}))
    print(f"{len(records)} records -> {out}")


def outputs_from_reference() -> None:
    """Recompute the outputs of every stored call from its stored inputs with the numpy reference
    march and the array shape search (the compiled march switched out), inputs unchanged."""
    import jointmission.core.ascent as ascent_mod
    from jointmission.core.ascent_reference import march_reference

    out = Path(__file__).with_name("ascent_reference.json")
    data = json.loads(out.read_text())
    arr = lambda x: None if x is None else np.asarray(x, dtype=float)  # noqa: E731
    saved = ascent_mod.march
    ascent_mod.march = march_reference
    try:
        for rec in data["records"]:
            for kind in ("optimised", "final"):
                call = rec[kind]
                i, shape = call["inputs"], call["shape"]
                res = ascent_mod.ascent_losses(*(arr(i[k]) for k in INPUTS), kick_deg=arr(shape["kick_deg"]),
                                               loft_m_s=arr(shape["loft_m_s"]), level_frac=arr(shape["level_frac"]),
                                               top_steering=0)
                call["outputs"] = {k: np.asarray(v).tolist() for k, v in res._asdict().items()
                                   if k in call["outputs"]}
    finally:
        ascent_mod.march = saved
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    data["outputs_recomputed_with_commit"] = commit
    out.write_text(json.dumps(data))
    print(f"{len(data['records'])} records: outputs recomputed with the numpy reference -> {out}")


if __name__ == "__main__":
    if "--outputs-from-reference" in sys.argv[1:]:
        outputs_from_reference()
    else:
        main()
