"""Apollo 11 reproduction (scenarios/reference/apollo11.yaml): the mission budget with Apollo 11's
masses, Isp and flown delta-v against flown values, per phase, within 5 % (issue 4).

Sources, and what each number here was confirmed by (re-checked 2026-12-01; the NASA documents
themselves could not be opened here, so every [MR] value below was read in a public copy or
transcription of it, named with it)
-----------------------------------------------------------------------------------------------
[MR]  "Apollo 11 Mission Report", NASA MSC-00171 (Nov 1969; republished as SP-238).
  [PDS] NASA PDS EdWG, data/pds4/context_support/document/description/apollo_11_description_1.0.md
        (the report's section 1 summary text): Earth parking orbit 100.7 x 99.2 n mi; LOI-1 into
        60 x 169.7 n mi "at approximately 76 hours"; LOI-2 "four hours later" into 65.7 x 53.8 n mi;
        lunar ascent into 48.0 x 9.4 n mi.
  [AST] anipatke/Astraeus, docs/APOLLO11_SOURCES.md, sec. 5 (transcribes MR tables 7-II to 7-VII):
        LOI-1 2,917.5 ft/s, 357.5 s, into 169.7 x 60.0 n mi (Table 7-V, p. 7-11); LOI-2 into
        65.7 x 53.8 n mi (sec. 7.4.4); DOI 76.4 ft/s (Table 7-V); ascent 6,070.1 ft/s into
        48.0 x 9.4 n mi; CSI 51.5, CDH 19.9, TPI 25.3, braking 31.4 ft/s (Table 7-V); TEI 3,279.0 ft/s,
        151.4 s (Table 7-VI); TLI cutoff 02:50:03.2, LOI-1 ignition 75:49:50.4. Also: the report's
        "miles" are nautical miles (sec. 4.3 of that document).
  [PDC] a public Apollo 11 powered-descent source catalog (search index id 69695381511), quoting
        MR sec. 9.8: powered descent 756.3 s, "approximately 6775 ft/s delta-V".
  [A-I] a public Apollo 11 flight-reconstruction data module (TypeScript, search index id
        70342925116) quoting MR Table A-I (mass properties): CSM + LM 43,572.8 kg at LOI-1 ignition,
        32,675.7 kg at its cutoff, 32,162.4 kg after LOI-2; LM 15,278.6 kg at undocking,
        15,272.3 kg at DOI ignition, 15,150.7 kg at PDI ignition, 7,327.0 kg on the surface; LOI-2
        158.8 ft/s (sec. 7.4.4). Cross-check by a second, independent transcription (search index
        id 69741691505, MSC-00171 Supplement 5, Table VIII): 33,329 lb = 15,118 kg at PDI ullage,
        0.2 % from [A-I]'s 15,150.7 kg eight seconds later.
  Durations cross-checked with the NSSDC mission text (copy at doc.studenti.it): LOI 357.5 s, a
  17-s circularisation, DOI 30 s, powered descent 756.3 s.
[ABtN] R. W. Orloff, "Apollo by the Numbers", NASA SP-2000-4029: CSM-107 28,801 kg incl. 18,413 kg
  SPS propellant; LM-5 descent stage 10,334 kg incl. 8,248 kg DPS propellant, ascent stage
  4,761 kg incl. 2,353 kg APS propellant. **NOT confirmed here**: no copy of SP-2000-4029's tables
  was found. Partial corroboration only: 10,334 kg (descent stage) and 8,248 kg (descent
  propellant) appear in public notes citing Wikipedia's Lunar Module article; 28,801 kg, 18,413 kg,
  4,761 kg and 2,353 kg were found nowhere. They remain the scenario's inputs; the checks below
  compare the budget against [MR] masses instead, so an error in them shows up there.
Isp: SPS 315 s is derived, not assumed: [A-I] masses at LOI-1 ignition/cutoff with [AST]'s
  2,917.5 ft/s give 889.3 / ln(43572.8 / 32675.7) / g0 = 315.0 s. DPS 300.5 s: the LM-5 vehicle
  specific impulse predicted by the LM data book, as quoted in [A-I] (the data book was not read
  here). With the 311 s rating (the previous value, unsourced) the landed mass comes out +5.9 %
  from Table A-I, outside the 5 % tolerance; the [MR] masses and delta-v imply ~290 s delivered
  (RCS use included), so the throttled descent did not deliver the rating. APS 311 s: rating,
  unconfirmed.
Corrected on 2026-12-01 (were transcribed from memory): LOI-1 orbit 60.9 x 169.9 n mi (the crew's
  onboard readout, not the report's 60.0 x 169.7); descent delta-v 2,065 m/s (now 76.4 + 6,775 ft/s
  = 2,088 m/s); TEI 3,283.4 ft/s (now 3,279.0); rendezvous 30 m/s without the 31.4 ft/s braking
  (now 39 m/s); SPS 314 s, DPS 311 s (see above); DPS propellant consumed "7,899 kg" from SP-4029
  and the Apollo Lunar Surface Journal's "770 pounds remaining" (neither found here; replaced by
  Table A-I's mass change, which includes the LM RCS used during DOI and powered descent).

Tolerance 5 % (the issue's requirement): the budget is impulsive (Tsiolkovsky at one Isp per
engine), the RCS is not modelled, and the SP-4029 launch masses are unconfirmed inputs.
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
NMI = 1852.0

# [MR] values (see the module docstring for the copy each was read in)
LOI1_FT_S, LOI2_FT_S = 2917.5, 158.8
LOI1_PERI_NMI, LOI1_APO_NMI = 60.0, 169.7
DOI_FT_S, PDI_FT_S, ASCENT_FT_S, TEI_FT_S = 76.4, 6775.0, 6070.1, 3279.0
RENDEZVOUS_FT_S = 51.5 + 19.9 + 25.3 + 31.4  # CSI + CDH + TPI + braking
A1 = {"loi1_ign": 43_572.8, "loi1_cut": 32_675.7, "after_loi2": 32_162.4, "lm_undock": 15_278.6,
      "lm_doi": 15_272.3, "lm_surface": 7_327.0}
CREW_KG = 300.0
LM5_KG, CSM107_KG = 10_334.0 + 4_761.0, 28_801.0  # [ABtN], unconfirmed inputs


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


def test_phase_delta_v_are_the_mission_report_values(apollo):
    """The scenario flies [MR]'s delta-v (rounded to 1 m/s in the YAML)."""
    _, _, ph = apollo
    assert ph["descent and landing"]["dv_km_s"] * 1e3 == pytest.approx((DOI_FT_S + PDI_FT_S) * FT, abs=1.0)
    assert ph["ascent"]["dv_km_s"] * 1e3 == pytest.approx(ASCENT_FT_S * FT, abs=1.0)
    assert ph["rendezvous and docking"]["dv_km_s"] * 1e3 == pytest.approx(RENDEZVOUS_FT_S * FT, abs=1.0)
    assert ph["TEI"]["dv_km_s"] * 1e3 == pytest.approx(TEI_FT_S * FT, abs=1.0)


def test_loi_delta_v(apollo):
    """One capture burn into a 100 km circle from the arrival v_inf vs LOI-1 + LOI-2 as flown
    (937.7 m/s). v_inf is derived from LOI-1 alone: a burn at the 60.0 n mi pericynthion into the
    60.0 x 169.7 n mi ellipse ([MR] Table 7-V; altitudes taken above R_MOON, the report's reference
    radius differs by ~1 km). Model 932.5 m/s, -0.6 %."""
    rp, ra = R_MOON + LOI1_PERI_NMI * NMI, R_MOON + LOI1_APO_NMI * NMI
    v_ell = math.sqrt(GM_MOON * (2 / rp - 2 / (rp + ra)))
    v_hyp = v_ell + LOI1_FT_S * FT
    vinf = math.sqrt(v_hyp**2 - 2 * GM_MOON / rp)
    assert vinf == pytest.approx(1117.0, abs=1.0)  # the scenario's arrival_vinf: 1.117 km/s
    flown = (LOI1_FT_S + LOI2_FT_S) * FT
    assert lunar_capture_dv(vinf, 100e3) == pytest.approx(flown, rel=0.05)
    _, _, ph = apollo
    assert ph["LOI (crew vehicle engine)"]["dv_km_s"] * 1e3 == pytest.approx(flown, rel=0.05)


def test_lunar_orbit_mass_and_sps_propellant(apollo):
    """CSM + LM after LOI vs [A-I]: 32,162.4 kg after LOI-2 (model 32,680 kg, +1.6 %); SPS used for
    LOI-1 + LOI-2: 43,572.8 - 32,162.4 = 11,410.4 kg (model 11,516 kg, +0.9 %; the flown figure
    includes the little RCS used between the burns)."""
    _, _, ph = apollo
    loi = ph["LOI (crew vehicle engine)"]
    assert loi["mass_after_t"] * 1e3 == pytest.approx(A1["after_loi2"], rel=0.05)
    assert loi["propellant_t"] * 1e3 == pytest.approx(A1["loi1_ign"] - A1["after_loi2"], rel=0.05)


def test_descent_propellant_and_landed_mass(apollo):
    """LM descent vs [A-I]: mass at undocking 15,278.6 kg (model 15,395 kg = LM-5 [ABtN] + 300 kg
    crew, +0.8 %); DOI + powered descent consumed 15,272.3 - 7,327.0 = 7,945.3 kg (DPS plus the LM RCS
    used meanwhile; model DPS 7,815 kg, -1.6 %); LM on the surface 7,327.0 kg (model 7,580 kg,
    +3.4 %)."""
    _, _, ph = apollo
    d = ph["descent and landing"]
    assert d["mass_before_t"] * 1e3 == pytest.approx(A1["lm_undock"], rel=0.05)
    used = d["propellant_t"] * 1e3
    assert used == pytest.approx(A1["lm_doi"] - A1["lm_surface"], rel=0.05)
    landed_model = (d["mass_before_t"] - d["propellant_t"]) * 1e3
    assert landed_model == pytest.approx(A1["lm_surface"], rel=0.05)


def test_lm_mass_at_undocking_and_csm_waits(apollo):
    _, _, ph = apollo
    # the LM flies down with its own loads + the crew; the CSM does not take part
    assert ph["descent and landing"]["mass_before_t"] * 1e3 == pytest.approx(LM5_KG + CREW_KG, rel=1e-9)
    # the CSM waited in orbit: its TEI stack is CSM-107 minus the LOI propellant, plus the crew back
    loi = ph["LOI (crew vehicle engine)"]["propellant_t"] * 1e3
    assert ph["TEI"]["mass_before_t"] * 1e3 == pytest.approx(CSM107_KG - loi + CREW_KG, rel=1e-9)
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
    assert need == pytest.approx((CSM107_KG + LM5_KG + CREW_KG) / 1e3, rel=1e-9)
    assert need < cap < 1.2 * need and np.isfinite(cap)
