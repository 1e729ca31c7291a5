"""Mars cargo lander: the landing chain (aerocapture heat shield, entry system, terminal descent
stage) against a published Mars cargo case, within 10 % (issue 4).

Source actually read (2026-12-01)
---------------------------------
[MP]  Marspedia, "Mars design reference mission" (revision 136718, 10 Nov 2020; earlier revisions
      identical on this point), section "Basic parameters, version 5", summarising NASA's Design
      Reference Architecture 5.0 (2009) and its Addendum 2 (2014): "40 tonnes cargo to surface.
      Inflatable aeroshell, one 114 tonnes vehicle or 2x 89 tonnes vehicles"; "7 to 11 launches,
      110 to 140 tonnes at LEO per launch. 10m x 30m shrouds".
[NTR] Borowski et al., "Nuclear thermal rocket/vehicle characteristics and sensitivity trades for
      NASA's Mars Design Reference Architecture (DRA) 5.0 study" (NTRS 20120012928), abstract as
      reproduced by paperexplained.cn:
      "The cargo payload elements aerocapture (AC) into Mars orbit and are enclosed within a large
      triconic[-]shaped aeroshell which functions as payload shroud during launch, then as an aerobrake
      and thermal protection system during Mars orbit capture and subsequent entry, descent and
      landing (EDL) on Mars." (architecture only; no masses.)
NOT read here: NASA-SP-2009-566 and its Addenda (only title pages and abstracts were in the stored
corpora), the DRA 5.0 EDL Systems Analysis report (Dwyer Cianciolo et al., NASA/TM-2010-216720;
abstract only), MSL's EDL mass breakdown. The individual fractions (aeroshell share, descent
propellant) are therefore NOT validated here, only the end-to-end ratio.

The case and how the model is set to it
---------------------------------------
- Mass: 114 t is read as the lander's mass on arrival at Mars, aeroshell included (the DRA cargo
  lander is delivered to Mars by a separate transfer stage and aerocaptures in its own aeroshell,
  [NTR]); so the budget starts at 114 t with no cruise (``cruise_days=0``: no boil-off before the
  mass quoted) and no design margins (the DRA figures are a point design with its own allowances).
- Architecture: one aeroshell does the aerocapture and the entry ([NTR]). The model drops a heat
  shield (15 % of the arrival mass) after aerocapture and the entry system (45 % of the rest) before
  the terminal descent; nothing is propelled in between, so this is exactly one aeroshell of
  1 - 0.85 x 0.55 = 53.25 % of the arrival mass (checked below against that single-aeroshell form).
- Terminal descent: the data file's LOX/CH4 stage (Isp 369 s, 5 t + 15 % of the load) and 600 m/s.
  These and the two fractions are the model's ASSUMED defaults (missions.yaml), not [MP]'s; [MP]
  gives only the end points.

Result: 38.7 t landed vs 40 t published, -3.2 % (tolerance 10 %, the issue's). Not tested: [MP]'s
"2x 89 tonnes vehicles" variant, whose payload split cannot be read from the summary (the model lands
29.1 t from 89 t: +46 % if each of the two carries 20 t, -27 % if each carries 40 t).
Limits: one published point at 114 t; the flagship lander (~40 t at the window's C3) is a third of
that, where the fixed 5 t of the descent stage weighs three times more; unvalidated there.
"""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.missions import BudgetStatus, build, forward

DRA_ARRIVAL_KG = 114e3
DRA_LANDED_KG = 40e3


def _dra_case(**params):
    arch = build("mars_cargo", capture="aerocapture", cruise_days=0.0, **params)
    return forward(arch.mission, DRA_ARRIVAL_KG)


def test_dra5_cargo_lander_lands_40_t_from_114_t_within_10_percent():
    r = _dra_case()
    assert r.status == BudgetStatus.OK
    assert float(r.payload_kg) == pytest.approx(DRA_LANDED_KG, rel=0.10)
    # the chain as modelled: aeroshell 53.25 % of the arrival mass, descent propellant ~8.1 t
    table = {row["phase"]: row for row in r.phase_table()}
    dropped = table["aerocapture"]["dropped_t"] + table["entry and parachutes"]["dropped_t"]
    assert dropped * 1e3 == pytest.approx(DRA_ARRIVAL_KG * (1 - 0.85 * 0.55), rel=1e-9)
    assert 6e3 < table["terminal descent and landing"]["propellant_t"] * 1e3 < 10e3


def test_one_aeroshell_for_aerocapture_and_entry_is_the_same_budget():
    """[NTR]'s architecture (one aeroshell for capture and EDL) is the model's two drops combined."""
    two = _dra_case()
    one = _dra_case(heatshield_fraction=0.0, landed_fraction=0.85 * 0.55)
    assert one.status == BudgetStatus.OK
    np.testing.assert_allclose(one.payload_kg, two.payload_kg, rtol=1e-12)
