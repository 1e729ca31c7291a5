"""Property tests (hypothesis) of the mission budgets: margins never help, boil-off grows with time,
forward and backward budgets are inverse functions (1e-9 relative)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jointmission.missions import Margins, build, evaluate, forward, backward

ARCHS = ["moon_direct", "moon_lor_two_launch", "moon_eor_two_launch", "moon_nrho", "moon_lor_single"]
CAP = {"c3": np.linspace(30e3, 90e3, 7), "orbit": np.linspace(90e3, 250e3, 7)}  # C3 (TLI) or circular LEO deliveries


def _caps(arch):
    return {ln: CAP[d.kind] for ln, d in arch.deliveries.items()}


margin = st.floats(0.0, 0.3)


@settings(max_examples=30, deadline=None)
@given(a=st.sampled_from(ARCHS), dv=margin, g=margin, r=st.floats(0.0, 0.05),
       ddv=st.floats(0.0, 0.2), dg=st.floats(0.0, 0.2), dr=st.floats(0.0, 0.05))
def test_more_margin_never_increases_payload(a, dv, g, r, ddv, dg, dr):
    arch = build(a)
    base = evaluate(arch, _caps(arch), margins=Margins(dv, g, r)).payload_kg
    more = evaluate(arch, _caps(arch), margins=Margins(dv + ddv, g + dg, r + dr)).payload_kg
    ok = np.isfinite(base) & np.isfinite(more)
    assert np.all(more[ok] <= base[ok] * (1 + 1e-12))
    # a case infeasible with the smaller margin stays infeasible with the larger one
    assert not np.any(~np.isfinite(base) & np.isfinite(more))


@settings(max_examples=30, deadline=None)
@given(a=st.sampled_from(["moon_direct", "moon_eor_two_launch", "moon_nrho"]),
       d1=st.floats(0.0, 60.0), extra=st.floats(0.01, 60.0))
def test_boiloff_grows_with_loiter_time(a, d1, extra):
    key = {"moon_direct": "transit_days", "moon_eor_two_launch": "leo_loiter_days", "moon_nrho": "lunar_orbit_wait_days"}[a]
    short = build(a, **{key: d1})
    long = build(a, **{key: d1 + extra})
    rs = evaluate(short, _caps(short))
    rl = evaluate(long, _caps(long))
    ok = np.isfinite(rs.payload_kg) & np.isfinite(rl.payload_kg)
    assert np.all(rl.payload_kg[ok] <= rs.payload_kg[ok] * (1 + 1e-12))
    # with the same delivered mass, the longer wait loses more propellant to boil-off
    bs = backward(short.mission, 5000.0)
    bl = backward(long.mission, 5000.0)
    assert np.sum(bl.phase_data["boiloff_kg"]) > np.sum(bs.phase_data["boiloff_kg"])


@settings(max_examples=40, deadline=None)
@given(a=st.sampled_from(ARCHS + ["mars_cargo"]), payload=st.floats(100.0, 40_000.0),
       dv=margin, g=margin, r=st.floats(0.0, 0.05))
def test_forward_and_backward_agree(a, payload, dv, g, r):
    arch = build(a)
    m = Margins(dv, g, r)
    b = backward(arch.mission, payload, margins=m)
    if not b.ok:
        return
    ln = arch.fillable[0]
    f = forward(arch.mission, b.launch_mass_kg[ln], launch=ln, margins=m)
    assert f.ok
    assert abs(f.payload_kg - payload) <= 1e-9 * payload
    for other, mass in b.launch_mass_kg.items():
        assert abs(f.launch_mass_kg[other] - mass) <= 1e-9 * mass
