"""Apollo 11 reproduction (scenarios/reference/apollo11.yaml): the mission budget with Apollo 11's
masses, Isp and flown delta-v against flown values, per phase, within 5 %.

Sources
-------
[ABtN] R. W. Orloff, "Apollo by the Numbers", NASA SP-2000-4029, Apollo 11 tables: CSM-107 28,801 kg
       incl. 18,413 kg SPS propellant; LM-5 descent stage 10,334 kg incl. 8,248 kg DPS propellant,
       ascent stage 4,761 kg incl. 2,353 kg APS propellant; DPS propellant consumed to touchdown
       7,899 kg (consistent with the Apollo Lunar Surface Journal's "about 770 pounds of fuel
       remaining" at touchdown: 8,248 kg - 349 kg).
[MR]   "Apollo 11 Mission Report", NASA MSC-00171 (1969), Table 7-II: LOI-1 2,917.5 ft/s into a
       60.9 x 169.9 n mi (113 x 315 km) orbit, LOI-2 158.8 ft/s (circularisation to ~100 km);
       DOI + powered descent ~2,065 m/s.

Tolerance 5 % (the issue's requirement): the budget is impulsive (Tsiolkovsky at the DPS's rated
311 s; the throttled DPS ran at a lower Isp, and RCS propellant is not modelled), so a few percent
of difference is expected.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from jointmission.constants import GM_MOON, R_MOON
from jointmission.missions.phases import lunar_capture_dv
from jointmission.runners.mission import evaluate_mission
from jointmission.scenario import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "reference" / "apollo11.yaml"
FT = 0.3048


@pytest.fixture(scope="module")
def apollo():
    sc = load_scenario(SCENARIO)
    out = evaluate_mission(sc)
    (name, rows), = out.phase_tables.items()
    return sc, out, {r["phase"]: r for r in rows}


def test_mission_closes_with_the_flown_propellant_loads(apollo):
    _, out, _ = apollo
    (row,) = out.rows
    assert row["status"] == "ok"  # no stage runs dry with Apollo 11's loads and flown delta-v


def test_loi_delta_v(apollo):
    """One capture burn into a 100 km circle from the arrival v_inf vs LOI-1 + LOI-2 as flown.
    v_inf is derived here from LOI-1 alone (burn at 113 km periapsis into a 113 x 315 km ellipse)."""
    rp, ra = R_MOON + 113e3, R_MOON + 315e3
    v_ell = math.sqrt(GM_MOON * (2 / rp - 2 / (rp + ra)))
    v_hyp = v_ell + 2917.5 * FT
    vinf = math.sqrt(v_hyp**2 - 2 * GM_MOON / rp)
    assert vinf == pytest.approx(1120.0, rel=0.02)  # the scenario's arrival_vinf: 1.12 km/s
    flown = (2917.5 + 158.8) * FT
    assert lunar_capture_dv(vinf, 100e3) == pytest.approx(flown, rel=0.05)
    _, _, ph = apollo
    assert ph["LOI (crew vehicle engine)"]["dv_km_s"] * 1e3 == pytest.approx(flown, rel=0.05)


def test_descent_propellant_and_landed_mass(apollo):
    _, _, ph = apollo
    d = ph["descent and landing"]
    used = d["propellant_t"] * 1e3
    assert used == pytest.approx(7899.0, rel=0.05)  # [ABtN]
    # landed LM (both stages + crew) at touchdown: flown = LM-5 + 300 kg crew - DPS consumed
    landed_model = (d["mass_before_t"] - d["propellant_t"]) * 1e3
    landed_flown = 15_095.0 + 300.0 - 7_899.0
    assert landed_model == pytest.approx(landed_flown, rel=0.05)


def test_lm_mass_at_undocking_and_csm_waits(apollo):
    _, _, ph = apollo
    # the LM flies down with its own loads + the crew; the CSM does not take part
    assert ph["descent and landing"]["mass_before_t"] * 1e3 == pytest.approx(10_334 + 4_761 + 300, rel=1e-9)
    # the CSM waited in orbit: its TEI stack is CSM-107 minus the LOI propellant, plus the crew back
    loi = ph["LOI (crew vehicle engine)"]["propellant_t"] * 1e3
    assert ph["TEI"]["mass_before_t"] * 1e3 == pytest.approx(28_801 - loi + 300, rel=1e-9)
    # SPS use (LOI + TEI) fits in the 18,413 kg loaded; the lower bound guards against a forgotten burn
    sps = loi + ph["TEI"]["propellant_t"] * 1e3
    assert 0.80 * 18_413 < sps < 18_413


def test_saturn_v_capability_covers_apollo_11(apollo):
    sc, out, _ = apollo
    (row,) = out.rows
    need = row["delivered_t"]
    cap = float(row["capability_t"].split("=")[1])
    # 44.2 t (CSM + LM + crew) vs the catalog Saturn V's modelled TLI capability (Apollo 17
    # configuration, published 48.6 t): the Apollo 11 stack fits with a few tonnes to spare.
    assert need == pytest.approx((28_801 + 15_095 + 300) / 1e3, rel=1e-9)
    assert need < cap < 1.2 * need and np.isfinite(cap)
