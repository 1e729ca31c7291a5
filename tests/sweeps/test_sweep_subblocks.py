"""A chunk is evaluated in sub-blocks (``SweepPlan.evaluate``, ``runners.sweep_plan.SUB_BLOCK`` cases cut at
the generation blocks): the joined columns must equal one evaluation of the whole chunk."""

from __future__ import annotations

import numpy as np

from jointmission.runners.sweep_plan import SUB_BLOCK, make_plan
from jointmission.scenario import load_scenario


def test_sub_blocked_chunk_equals_one_evaluation_of_the_chunk(moon_scen):
    p = moon_scen("""
        sweep:
          monte_carlo:
            samples: 300000
            seed: 3
            parameters:
              vehicle.stages[0].engine.isp_vac: {distribution: normal, std: 3.3 s}
              vehicle.stages[2].m_dry: {distribution: triangular, low: 24.7 t, high: 28.1 t}
              mission.margins.delta_v: {distribution: uniform, low: 0.02, high: 0.10}
          losses: interpolate
          loss_check: 0
          chunk_size: 150000
        """)
    plan = make_plan(load_scenario(p), 150_000)
    lo, hi = plan.bounds(1)  # cases 150000 .. 299999: cut at 196608 and 262144 (generation blocks)
    assert hi - lo > 2 * SUB_BLOCK and lo % SUB_BLOCK
    cut = plan.evaluate(1)
    whole = plan._evaluate_range(lo, hi)
    assert cut.keys() == whole.keys()
    for k, v in whole.items():
        assert cut[k].shape == v.shape and cut[k].dtype == v.dtype, k
        if k.startswith("mission_payload_t"):  # pivot order sampled per block: equal to rounding
            np.testing.assert_allclose(cut[k], v, rtol=1e-12, atol=0)
            assert np.array_equal(np.isnan(cut[k]), np.isnan(v))
        else:  # elementwise in the cases: bit for bit
            assert np.array_equal(cut[k], v, equal_nan=True), k
    assert np.isfinite(cut["payload_t[LEO]"]).mean() > 0.99
    assert np.isfinite(cut["mission_payload_t[moon_direct]"]).mean() > 0.99
