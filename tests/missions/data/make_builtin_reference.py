"""Writes builtin_reference.json: results of the seven built-in architectures as they were when
they were Python builders (commit 87418e1), the reference the data-defined concepts must reproduce
to 1e-9 relative (tests/missions/test_concept_equivalence.py).

Cases: every architecture (mars_cargo with both capture modes) x parameter sets (defaults, and one
set overriding every phase parameter and element field the architecture reads) x margins (none,
5 %/15 %/1 %) x forward (three launcher capabilities, one not finite) and backward (required
payloads 0, 10 t, 25 t). Recorded: payload, status, launches, binding launch, delivered mass per
launch, sums over phases of delta-v, propellant and boil-off, and the phase table of each case.

Run once against the code being replaced:  PYTHONPATH=src python tests/missions/data/make_builtin_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from jointmission.missions import ARCHITECTURES, Margins, build, evaluate

OVERRIDES = {
    "tli_c3_m2_s2": -1.8e6, "parking_alt_m": 250e3, "arrival_vinf_m_s": 1000.0, "llo_altitude_m": 110e3,
    "descent_dv_m_s": 2100.0, "ascent_dv_m_s": 1900.0, "rendezvous_dv_m_s": 40.0, "tei_dv_m_s": 1050.0,
    "nrho_insertion_dv_m_s": 430.0, "nrho_llo_dv_m_s": 750.0, "nrho_departure_dv_m_s": 470.0,
    "transit_days": 4.0, "surface_days": 10.0, "lunar_orbit_wait_days": 5.0, "leo_loiter_days": 8.0,
    "crew_kg": 400.0,
}
MARS_OVERRIDES = {"tmi_c3_m2_s2": 10.5e6, "arrival_vinf_m_s": 3500.0, "parking_alt_m": 250e3,
                  "landed_fraction": 0.5, "heatshield_fraction": 0.12, "cruise_days": 250.0,
                  "terminal_descent_dv_m_s": 650.0, "leo_loiter_days": 6.0}
ELEMENTS = {
    "earth_departure_stage": {"isp_s": 455.0, "dry_kg": 4500.0, "dry_fraction": 0.11, "residual_fraction": 0.015},
    "lunar_descent_stage": {"isp_s": 450.0, "dry_kg": 2700.0, "dry_fraction": 0.14, "boiloff_per_day": 0.002},
    "lunar_ascent_stage": {"isp_s": 325.0, "dry_kg": 2900.0, "dry_fraction": 0.09},
    "crew_vehicle": {"isp_s": 318.0, "dry_kg": 12000.0, "dry_fraction": 0.07, "residual_fraction": 0.03},
    "mars_descent_stage": {"isp_s": 372.0, "dry_kg": 5200.0, "dry_fraction": 0.14, "propellant": "lox_lh2"},
    "mars_capture_stage": {"isp_s": 365.0, "dry_kg": 3100.0, "dry_fraction": 0.13},
}
OLD_SETTINGS = {"arrival_vinf_m_s": 900.0, "transit_days": 3.5, "tei_dv_m_s": 1000.0, "nrho_llo_dv_m_s": 730.0,
                "llo_nrho_dv": 730.0}
"""Phase settings of the Python builders, pinned: the concepts' defaults now follow the transfers
(Acta Astronautica 177 (2020) Table 4 trans-Earth injection 1,196 m/s and one-way NRHO legs 740/850 m/s
in the concept files; arrival v_inf and transit from the trans-lunar conic in the mission runner).
Then NRHO <-> LLO was one value both ways: ``llo_nrho_dv`` follows ``nrho_llo_dv_m_s``."""
MARS_OLD_SETTINGS = {"cruise_days": 200.0, "heatshield_fraction": 0.15}
"""Mars: fixed 200-day cruise and 15 % heat shield (the runner now takes the chosen transfer's TOF
and scales the heat shield with arrival speed); the least-C3 window is the stored C3/v_inf."""
CAPS = {"c3": [25e3, 60e3, float("nan")], "orbit": [90e3, 150e3, 210e3]}
MARS_CAPS = {"c3": [30e3, 55e3, float("nan")], "orbit": [90e3, 150e3, 210e3]}
MARGINS = {"none": (0.0, 0.0, 0.0), "flagship": (0.05, 0.15, 0.01)}
REQUIRED = [0.0, 10e3, 25e3]


def _f(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def _record(arch, res) -> dict:
    n = np.shape(res.payload_kg)[0]
    out = {
        "payload_kg": [_f(x) for x in res.payload_kg], "status": [int(s) for s in res.status],
        "launches": [_f(x) for x in res.launches], "binding": [str(b) for b in res.binding],
        "launch_mass_kg": {ln: [_f(x) for x in np.broadcast_to(v, (n,))] for ln, v in res.launch_mass_kg.items()},
        "phase_sum": {k: [_f(x) for x in res.phase_sum(k)] for k in ("dv_m_s", "propellant_kg", "boiloff_all_kg")},
        "phase_tables": [res.phase_table(j) if int(res.status[j]) == 0 else None for j in range(n)],
        "deliveries": {ln: [d.kind, _f(d.c3_form()[0]), _f(d.c3_form()[1])] for ln, d in arch.deliveries.items()},
        "fillable": list(arch.fillable),
    }
    return out


def cases():
    for name in ARCHITECTURES:
        captures = ["aerocapture", "propulsive"] if name == "mars_cargo" else [None]
        for capture in captures:
            for pname in ("default", "overrides"):
                params: dict = {}
                if capture:
                    params["capture"] = capture
                if pname == "overrides":
                    params.update(MARS_OVERRIDES if name.startswith("mars") else OVERRIDES)
                    params["elements"] = ELEMENTS
                if name.startswith("mars") and pname == "default":
                    params.update({"tmi_c3_m2_s2": 9.0e6, "arrival_vinf_m_s": 4.0e3, **MARS_OLD_SETTINGS})
                if not name.startswith("mars"):
                    params = {**OLD_SETTINGS, **params}
                    params["llo_nrho_dv"] = params.get("nrho_llo_dv_m_s", OLD_SETTINGS["llo_nrho_dv"])
                yield name, capture, pname, params


def main() -> None:
    out = []
    for name, capture, pname, params in cases():
        arch = build(name, **params)
        caps_src = MARS_CAPS if name.startswith("mars") else CAPS
        caps = {ln: np.array(caps_src[d.kind]) for ln, d in arch.deliveries.items()}
        for mname, m in MARGINS.items():
            margins = Margins(*m)
            runs = []
            if arch.fillable:
                runs.append(("forward", None))
            runs += [("backward", r) for r in REQUIRED]
            for direction, req in runs:
                res = evaluate(arch, caps, margins=margins, required_payload_kg=req)
                out.append({"architecture": name, "capture": capture, "parameters": pname, "margins": m,
                            "direction": direction, "required_payload_kg": req,
                            "capability_kg": {ln: [_f(x) for x in c] for ln, c in caps.items()},
                            "result": _record(arch, res)})
    path = Path(__file__).with_name("builtin_reference.json")
    params = {"overrides": OVERRIDES, "mars_overrides": MARS_OVERRIDES, "elements": ELEMENTS}
    path.write_text(json.dumps({"generated_by": "make_builtin_reference.py at commit 87418e1",
                                "parameter_sets": params, "cases": out}, separators=(",", ":")))
    print(f"{len(out)} cases -> {path}")


if __name__ == "__main__":
    main()
