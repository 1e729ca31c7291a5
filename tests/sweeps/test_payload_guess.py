"""The ``interpolate`` loss model's payload guess (where each case's payload solve starts) moves
only the solver's start: a sweep chunk with the guess equals the same chunk solved from p = 0
(statuses identical, payloads within the solver's 1e-12 of p + B_top), and a guess whose fit is too
poor to save evaluations is not used, with the reason recorded."""

from __future__ import annotations

import numpy as np

import jointmission.runners.loss_model as loss_model
from jointmission.runners.sweep_plan import make_plan
from jointmission.scenario import load_scenario


SWEEP = """
    sweep:
      monte_carlo:
        samples: 40000
        seed: 5
        parameters:
          vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 6 s}
          vehicle.boosters.m_dry: {distribution: triangular, low: 70 t, high: 95 t}
          vehicle.stages[2].m_dry: {distribution: triangular, low: 22 t, high: 32 t}
          mission.margins.delta_v: {distribution: uniform, low: 0.02, high: 0.10}
      losses: interpolate
      loss_check: 0
      chunk_size: 40000
    """


def test_guess_changes_only_where_the_solve_starts(moon_scen):
    plan = make_plan(load_scenario(moon_scen(SWEEP)), 40_000)
    info = plan.model.info["payload_guess"]
    assert info["used"], info
    assert max(info["fit_rms_relative"]) <= loss_model.GUESS_MAX_RMS
    with_guess = plan.evaluate(0)
    coef, plan.model.guess_coef = plan.model.guess_coef, None
    from_zero = plan.evaluate(0)
    plan.model.guess_coef = coef
    names = [k for k in from_zero if k.startswith(("payload_t[", "mission_payload_t["))]
    assert len(names) == 3  # LEO, the TLI delivery, the landed payload
    for k in from_zero:
        if k in names:
            a, b = with_guess[k], from_zero[k]
            assert np.array_equal(np.isnan(a), np.isnan(b)), k
            ok = ~np.isnan(b)
            assert ok.mean() > 0.99
            # 1e-12 of p + B_top (B_top ~ 27 t, p ~ 10-130 t): within 2e-12 of the payload itself
            np.testing.assert_allclose(a[ok], b[ok], rtol=2e-12, atol=0, err_msg=k)
        else:
            assert np.array_equal(with_guess[k], from_zero[k], equal_nan=True), k


def test_poor_guess_is_not_used_and_says_why(moon_scen, monkeypatch):
    monkeypatch.setattr(loss_model, "GUESS_MAX_RMS", 1e-9)
    plan = make_plan(load_scenario(moon_scen(SWEEP)), 40_000)
    info = plan.model.info["payload_guess"]
    assert plan.model.guess_coef is None
    assert not info["used"] and "solves start at p = 0" in info["reason"]
    dv, guess = plan.model.dv_and_guess(plan.sweep.case_values(0, 10)[:, plan.vcols])
    assert guess is None and dv.shape == (10, 2)
