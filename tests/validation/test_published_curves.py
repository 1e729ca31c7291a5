"""Model payload vs published payload-vs-C3 curves, point by point.

Published points: ``src/jointmission/vehicles/data/published_curves.yaml`` (each curve with its
source). The curves of authority ``nasa_lsp`` are the NASA Launch Services Program performance
website's (https://elvperf.ksc.nasa.gov/Pages/Query.aspx), as transcribed in public mission-design codes
(the file names them: a "MERLOT" launcher table citing elvperf; athulpg007/AMAT launcher-data, Girija et
al., JOSS 6(67) 3710, 2021). NASA LSP is the authority over provider (marketing) figures: where a
provider's LEO/GTO figure cannot hold together with the LSP curve under one set of stage data, the
catalog marks that figure ``kind: ceiling`` (``test_reference_payloads.py``) and this test holds the
model to the LSP curve.

Tolerance: every published point from C3 -2 to 60 km2/s2 within 10 %, or within 0.3 t where the
published payload is below 3 t (there 10 % is below the transcription scatter of the digitised curves,
1-2 % of the curve's top value, plus the model's own ~0.1 t resolution of the top stage's
as-flown masses). Beyond C3 60 the errors are reported in ``docs/validation.md`` (figure and table by
``docs/scripts/validation_figures.py``), not asserted.

Vehicles whose curve the model does NOT reproduce within the bound (:data:`KNOWN_GAPS`) are named, with
their numbers, in ``docs/validation.md``; for them the test asserts the direction of the gap (the model
is optimistic at every point), so that a change in either direction shows.

Secondary curves (origin not stated by the transcription; two transcriptions differ by 4-9 %) are
asserted within 15 %.
"""

from __future__ import annotations

import numpy as np
import pytest

from jointmission.vehicles import get_vehicle, payload_to_c3, vehicle_names
from jointmission.vehicles.published import published_curves

C3_MIN, C3_MAX = -2e6, 60e6
TOL_REL, TOL_ABS, SMALL = 0.10, 300.0, 3000.0
TOL_SECONDARY = 0.15
KNOWN_GAPS = {
    "Atlas V 551": "model 14-23 % high from C3 0 to 60 (docs/validation.md)",
    "Falcon Heavy (recovery)": "recovery propellant derived, not published; model 66 % high at C3 0",
}

CURVES = [c for c in published_curves() if c.vehicle in set(vehicle_names())]


def _model(curve):
    sel = (curve.c3_m2_s2 >= C3_MIN) & (curve.c3_m2_s2 <= C3_MAX)
    res = payload_to_c3(get_vehicle(curve.vehicle), curve.c3_m2_s2[sel])
    return curve.c3_m2_s2[sel], curve.payload_kg[sel], res


def test_every_nasa_lsp_curve_names_a_catalog_vehicle():
    lsp = [c for c in published_curves() if c.authority == "nasa_lsp"]
    assert len(lsp) >= 5
    missing = [c.vehicle for c in lsp if c.vehicle not in set(vehicle_names())]
    assert not missing, missing


@pytest.mark.slow
@pytest.mark.parametrize("curve", CURVES, ids=[c.vehicle for c in CURVES])
def test_model_against_published_curve(curve):
    c3, pub, res = _model(curve)
    assert c3.size >= 4, "a curve needs points between C3 -2 and 60"
    assert np.all(res.status == 0), f"{curve.vehicle}: status {res.status}"
    pred = res.payload_kg
    err = pred / pub - 1.0
    table = "\n".join(f"  C3 {x / 1e6:5.1f}: published {p:8.0f} kg, model {m:8.0f} kg ({100 * e:+6.1f} %)"
                      for x, p, m, e in zip(c3, pub, pred, err))
    where = f"{curve.vehicle} vs {curve.label} [{curve.source}]\n{table}"
    if curve.authority == "secondary":
        assert np.all(np.abs(err) <= TOL_SECONDARY), where
    elif curve.vehicle in KNOWN_GAPS:
        assert np.all(pred > pub), "the documented gap changed direction: " + where
    else:
        ok = (np.abs(err) <= TOL_REL) | ((pub < SMALL) & (np.abs(pred - pub) <= TOL_ABS))
        assert np.all(ok), where
