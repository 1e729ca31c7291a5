"""Record the payload answers the speed work is held to (``payload_reference.json``).

Run from the repository root with the revision to record on the path, e.g.::

    git archive a778a7d src | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base/src python tests/vehicles/data/record_payload_reference.py a778a7d

For every catalog vehicle it stores the vehicle's arrays (:class:`VehicleArrays`, the solver's
input, so later catalog-data changes do not move the record) and the payload [kg] and status of
the targets in :data:`TARGETS`. ``tests/vehicles/test_payload_reference.py`` solves the same
arrays and compares. Re-record (and say why in the commit) only when the payload model changes
on purpose; a speed change must not need it. ``--answers-only REVISION`` re-solves the stored arrays
and replaces only the answers.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

from jointmission.vehicles import get_vehicle
from jointmission.vehicles.arrays import vehicle_arrays
from jointmission.vehicles.catalog import vehicle_names
from jointmission.vehicles.performance import payload_to_c3, payload_to_orbit

OUT = Path(__file__).with_name("payload_reference.json")

TARGETS = {
    # name: (kind, arguments in SI)
    "LEO 185 km, due east": ("orbit", {"perigee_alt_m": 185e3}),
    "400 km at 51.6 deg": ("orbit", {"perigee_alt_m": 400e3, "inclination_rad": float(np.radians(51.6))}),
    "GTO 185 x 35786 km at 27 deg": ("orbit", {"perigee_alt_m": 185e3, "apogee_alt_m": 35786e3,
                                               "inclination_rad": float(np.radians(27.0))}),
    "circular 200, 400, 800, 1500 km, due east": ("orbit", {"perigee_alt_m": [200e3, 400e3, 800e3, 1500e3]}),
    "C3 -2 to 100 km2/s2": ("c3", {"c3_m2_s2": [-2e6, 0.0, 5e6, 10e6, 15e6, 20e6, 30e6, 40e6, 60e6, 80e6, 100e6]}),
}


def _plain(x):
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return {k: (list(v) if k == "column_stage" else _plain(v)) for k, v in x._asdict().items()}
    return np.asarray(x, dtype=float).tolist()


def solve(va, kind: str, kw: dict):
    """The answer for one target of :data:`TARGETS` (the call the test repeats)."""
    kw = dict(kw)
    if kind == "orbit":
        return payload_to_orbit(va, np.asarray(kw.pop("perigee_alt_m")), **kw)
    return payload_to_c3(va, np.asarray(kw.pop("c3_m2_s2")), **kw)


def main() -> None:
    records = []
    for name in vehicle_names():
        va = vehicle_arrays(get_vehicle(name))
        answers = {}
        for tname, (kind, kw) in TARGETS.items():
            r = solve(va, kind, kw)
            answers[tname] = {"payload_kg": np.atleast_1d(r.payload_kg).tolist(),
                              "status": np.atleast_1d(r.status).astype(int).tolist()}
        records.append({"vehicle": name, "arrays": _plain(va), "answers": answers})
        print(name, {k: [round(x) if x == x else None for x in v["payload_kg"]] for k, v in answers.items()})
    OUT.write_text(json.dumps({"revision": sys.argv[1] if len(sys.argv) > 1 else "?", "targets": list(TARGETS),
                               "records": records}, indent=1) + "\n")


def answers_from_stored_arrays() -> None:
    """Re-solve every record's stored vehicle arrays and replace its answers, arrays unchanged (a deliberate
    change of the payload model; catalog data changes since the recording stay out of the record):
    ``python tests/vehicles/data/record_payload_reference.py --answers-only REVISION``."""
    spec = importlib.util.spec_from_file_location("test_payload_reference", Path(__file__).parents[1] / "test_payload_reference.py")
    test = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(test)
    data = json.loads(OUT.read_text())
    for rec in data["records"]:
        va = test._arrays(rec["arrays"])
        for tname, (kind, kw) in TARGETS.items():
            r = solve(va, kind, kw)
            rec["answers"][tname] = {"payload_kg": np.atleast_1d(r.payload_kg).tolist(),
                                     "status": np.atleast_1d(r.status).astype(int).tolist()}
        print(rec["vehicle"], {k: [round(x) if x == x else None for x in v["payload_kg"]] for k, v in rec["answers"].items()})
    data["revision"] = f"{data.get('revision', '?')}; answers re-solved at {sys.argv[-1]}"
    OUT.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    if "--answers-only" in sys.argv[1:]:
        answers_from_stored_arrays()
    else:
        main()
