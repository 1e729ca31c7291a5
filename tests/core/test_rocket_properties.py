"""Property tests (hypothesis) for :mod:`jointmission.core.rocket`.

Invariants (DESIGN.md "Testing"): delta-v is additive across stages and burns; payload decreases
monotonically as the required delta-v rises; the payload solve converges on physical vehicles and
agrees with an independent pure-Python solver; vectorized calls equal element-by-element calls.

The reference implementations here use only ``math`` on Python floats and the model as written in the
module docstring of ``rocket.py`` (not its code).

Random vehicles are "realistic": 1-4 core stages, each lower stage carrying 1.5-8x the propellant of
everything above it, dry/propellant 4-20 %, Isp 250-465 s, burn times 100-600 s; optional strap-on
boosters with 20-150 % of the core stage's propellant, Isp 230-300 s, burning 50-140 s beside a core
at 50-100 % throttle whose full-thrust burn is 150-600 s (so the core is never depleted).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointmission.constants import G0
from jointmission.core.payload import PreparedPayload, solve_payload
from jointmission.core.rocket import (
    PayloadStatus,
    Stack,
    serial_delta_v,
    stack_delta_v,
    stage_delta_v,
    tsiolkovsky,
)

SETTINGS = settings(max_examples=60, deadline=None)
KNOWN_BUG_BAND = 1e-3  # see below: payload < 1e-3 * lift-off mass
# dv(0) evaluated by two different float summations differs by a few ulp (~1e-16 relative); within
# this relative band of dv(0) both "OK with payload ~0" and INSUFFICIENT_DV are correct answers.
BOUNDARY = 1e-13


def fl(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def vehicles(draw, boosters=None, n=None):
    """A dict of Python floats describing a vehicle (bottom stage first)."""
    n = draw(st.integers(1, 4)) if n is None else n
    has_b = draw(st.booleans()) if boosters is None else boosters
    m_prop, m_dry, isp, t_burn = [], [], [], []
    above = 0.0
    for k in range(n):  # built top-down
        if k == 0:
            mp = draw(fl(2e3, 1.5e5))
        else:
            mp = above * draw(fl(1.5, 8.0))
        md = mp * draw(fl(0.04, 0.20))
        m_prop.insert(0, mp)
        m_dry.insert(0, md)
        isp.insert(0, draw(fl(250.0, 465.0)))
        above += mp + md
    for k in range(n):
        t_burn.append(draw(fl(150.0 if (k == 0 and has_b) else 100.0, 600.0)))
    thrust = [G0 * i * mp / t for i, mp, t in zip(isp, m_prop, t_burn)]
    v = dict(isp=isp, thrust=thrust, m_prop=m_prop, m_dry=m_dry, b_isp=0.0, b_thrust=0.0, b_prop=0.0, b_dry=0.0, tau=1.0)
    if has_b:
        b_prop = m_prop[0] * draw(fl(0.2, 1.5))
        b_isp = draw(fl(230.0, 300.0))
        t_b = draw(fl(50.0, 140.0))
        v.update(
            b_prop=b_prop,
            b_dry=b_prop * draw(fl(0.08, 0.18)),
            b_isp=b_isp,
            b_thrust=G0 * b_isp * b_prop / t_b,
            tau=draw(fl(0.5, 1.0)),
        )
    return v


def to_stack(v, n_case=None):
    """Stack from a vehicle dict; with ``n_case`` every field is tiled to the case shape (n_case,)."""
    stage = {k: np.array(v[k]) for k in ("isp", "thrust", "m_prop", "m_dry")}
    boost = dict(booster_isp=v["b_isp"], booster_thrust=v["b_thrust"], booster_m_prop=v["b_prop"], booster_m_dry=v["b_dry"], core_throttle=v["tau"])
    if n_case is not None:
        stage = {k: np.tile(a, (n_case, 1)) for k, a in stage.items()}
        boost = {k: np.full(n_case, x) for k, x in boost.items()}
    return Stack(**stage, **boost)


def ref_phases(v, payload=0.0):
    """(c, m_start, m_end) per flight phase, Python floats, from the model in the module docstring."""
    isp, thrust, mp, md = v["isp"], v["thrust"], v["m_prop"], v["m_dry"]
    n = len(isp)
    glom = sum(mp) + sum(md) + v["b_prop"] + v["b_dry"] + payload
    rows = []
    if v["b_prop"] > 0:
        c_b = G0 * v["b_isp"]
        mdot_b = v["b_thrust"] / c_b
        mdot_c = v["tau"] * thrust[0] / (G0 * isp[0])
        burned = mdot_c * v["b_prop"] / mdot_b
        c_eff = (v["b_thrust"] + v["tau"] * thrust[0]) / (mdot_b + mdot_c)
        rows.append((c_eff, glom, glom - v["b_prop"] - burned))
    else:
        burned = 0.0
        rows.append((G0 * isp[0], glom, glom))
    start = rows[0][2] - v["b_dry"]
    rows.append((G0 * isp[0], start, start - (mp[0] - burned)))
    for k in range(1, n):
        start = sum(mp[k:]) + sum(md[k:]) + payload
        rows.append((G0 * isp[k], start, start - mp[k]))
    return rows


def ref_dv_total(v, payload):
    return sum(c * math.log(a / b) for c, a, b in ref_phases(v, payload))


def ref_payload(v, dv_req):
    """Independent scalar payload solve: Newton *in p* (f convex, decreasing -> monotone from p = 0)."""
    rows = ref_phases(v)
    c, a, b = zip(*rows)
    if sum(ci * math.log(ai / bi) for ci, ai, bi in rows) < dv_req * (1 - BOUNDARY):
        return math.nan
    p = 0.0
    for _ in range(300):
        f = sum(ci * math.log((ai + p) / (bi + p)) for ci, ai, bi in zip(c, a, b)) - dv_req
        df = sum(ci * (bi - ai) / ((ai + p) * (bi + p)) for ci, ai, bi in zip(c, a, b))
        step = -f / df
        if not step > 1e-15 * (p + b[-1]):  # monotone iterates: a non-positive step is float noise
            return p
        p += step
    raise AssertionError("reference solver did not converge")


def liftoff(v):
    return sum(v["m_prop"]) + sum(v["m_dry"]) + v["b_prop"] + v["b_dry"]


def check_solution(v, dv_req, payload, status):
    """Status OK/INSUFFICIENT_DV as the reference says, payload equal to the reference, tiny residual.

    Known defect (xfail in test_rocket.py): for payloads below ~1e-3 of the lift-off mass the solver can
    report NOT_CONVERGED (stopping test finer than float resolution). Those cases are allowed here to
    be NOT_CONVERGED, and only those.
    """
    for dv, p, s in zip(np.atleast_1d(dv_req), np.atleast_1d(payload), np.atleast_1d(status)):
        ref = ref_payload(v, float(dv))
        if math.isnan(ref):
            assert s == PayloadStatus.INSUFFICIENT_DV and np.isnan(p)
            continue
        if s == PayloadStatus.INSUFFICIENT_DV and abs(ref_dv_total(v, 0.0) - dv) <= BOUNDARY * dv:
            assert np.isnan(p)  # feasibility decided by the last ulp at exactly dv(0): either is right
            continue
        if s == PayloadStatus.NOT_CONVERGED and ref < KNOWN_BUG_BAND * liftoff(v):
            continue
        assert s == PayloadStatus.OK, (v, dv, ref)
        # Residual <= 1e-6 m/s (brief); achieved ~1e-11.
        assert abs(ref_dv_total(v, float(p)) - dv) <= 1e-6
        # The root is resolved to ~ulp(dv)/|dv'(p)| <~ 1e-9 kg in both solvers -> 1e-9 rel + 1e-7 kg.
        assert p == pytest.approx(ref, rel=1e-9, abs=1e-7)


# --------------------------------------------------------------------------------------------------
@SETTINGS
@given(v=vehicles(), payload=fl(0.0, 2e5))
def test_delta_v_additive_over_stages(v, payload):
    # Per-stage serial delta-v sums to the flight's delta-v written out by hand: with m_i the mass
    # before stage i burns (everything above its engines) and f_i after, dv = sum c_i ln(m_i / f_i).
    mp, md, isp = v["m_prop"], v["m_dry"], v["isp"]
    n = len(isp)
    hand = []
    for i in range(n):
        m_i = sum(mp[i:]) + sum(md[i:]) + payload
        hand.append(G0 * isp[i] * math.log(m_i / (m_i - mp[i])))
    ser = serial_delta_v(isp, mp, md, payload)
    # Each term is a handful of roundings (~1e-15 rel); the masses are sums of <= 9 floats.
    np.testing.assert_allclose(ser, hand, rtol=1e-13, atol=0)
    assert ser.sum() == pytest.approx(math.fsum(hand), rel=1e-13)
    # Whole-flight view: sum dv_i / c_i = ln(prod of the stage mass ratios).
    prod = math.prod((sum(mp[i:]) + sum(md[i:]) + payload) / (sum(mp[i + 1 :]) + sum(md[i + 1 :]) + md[i] + payload) for i in range(n))
    assert float(np.sum(ser / (G0 * np.array(isp)))) == pytest.approx(math.log(prod), rel=1e-13)
    # The Stack path (with or without boosters) agrees with the hand-written phase table.
    dv = stack_delta_v(to_stack(v), payload)
    ref = [c * math.log(a / b) for c, a, b in ref_phases(v, payload)]
    np.testing.assert_allclose(dv, ref, rtol=1e-12, atol=1e-9)
    if v["b_prop"] == 0.0:
        assert dv[0] == 0.0
        np.testing.assert_allclose(dv[1:], ser, rtol=1e-13, atol=0)


@SETTINGS
@given(isp=fl(200.0, 470.0), m_prop=fl(1e2, 1e6), m_end=fl(1e2, 1e6), split=fl(0.01, 0.99))
def test_splitting_a_burn_keeps_total_delta_v(isp, m_prop, m_end, split):
    # Burning m_prop in two parts (first split*m_prop, then the rest) gives the same delta-v as one
    # burn: ln(m0/m_mid) + ln(m_mid/mf) = ln(m0/mf). Each part is accurate to a few ulp of its size
    # plus the rounding of each mass ratio (~1 ulp of a number near 1), which ln turns into an
    # absolute error of ~eps * c per burn: so rel 1e-13 OR abs 8 eps c (c = g0 Isp).
    m0, mid = m_end + m_prop, m_end + (1 - split) * m_prop
    whole = float(tsiolkovsky(isp, m0, m_end))
    parts = float(tsiolkovsky(isp, m0, mid)) + float(tsiolkovsky(isp, mid, m_end))
    assert parts == pytest.approx(whole, rel=1e-13, abs=8 * np.finfo(float).eps * G0 * isp)
    # Same with the stage building block: a first burn with no dry mass carries the rest as "above".
    p1 = split * m_prop
    d1 = stage_delta_v(isp, p1, 0.0, m_prop - p1 + m_end)
    d2 = stage_delta_v(isp, m_prop - p1, m_end * 0.3, m_end * 0.7)
    assert float(d1 + d2) == pytest.approx(
        float(stage_delta_v(isp, m_prop, m_end * 0.3, m_end * 0.7)),
        rel=1e-13,
        abs=8 * np.finfo(float).eps * G0 * isp,
    )


@SETTINGS
@given(v=vehicles(), lo=fl(0.30, 0.60), hi=fl(0.70, 0.995))
def test_payload_decreases_as_dv_required_rises(v, lo, hi):
    stack = to_stack(v)
    dv0 = float(stack_delta_v(stack, 0.0).sum())
    dv = dv0 * np.linspace(lo, hi, 48)
    sol = solve_payload(stack, dv)
    check_solution(v, dv, sol.payload, sol.status)
    ok = sol.status == PayloadStatus.OK
    assert ok.sum() >= 47  # at most the last point can fall in the known-bug band
    assert np.all(np.diff(sol.payload[ok]) < 0)  # strictly decreasing in dv_required
    # Beyond the zero-payload delta-v nothing is feasible.
    beyond = solve_payload(stack, dv0 * np.array([1.0001, 1.01, 1.5]))
    assert beyond.status.tolist() == [PayloadStatus.INSUFFICIENT_DV] * 3


@SETTINGS
@given(v=vehicles(), fracs=st.lists(fl(0.30, 1.05), min_size=1, max_size=24))
def test_solve_payload_converges_on_random_vehicles(v, fracs):
    stack = to_stack(v)
    dv0 = float(stack_delta_v(stack, 0.0).sum())
    dv = dv0 * np.array(fracs)
    sol = solve_payload(stack, dv)
    assert set(np.unique(sol.status)) <= {PayloadStatus.OK, PayloadStatus.INSUFFICIENT_DV, PayloadStatus.NOT_CONVERGED}
    check_solution(v, dv, sol.payload, sol.status)  # NOT_CONVERGED only inside the known-bug band
    assert sol.iterations <= 60


@SETTINGS
@given(data=st.data(), n_case=st.integers(1, 6), boosters=st.booleans())
def test_vectorized_equals_scalar(data, n_case, boosters):
    # Vehicles with the same stage count stacked along a case axis (every field with the full case
    # shape: mixed case shapes raise, see the xfail tests in test_rocket.py).
    n = data.draw(st.integers(1, 4))
    vs = [data.draw(vehicles(boosters=boosters, n=n)) for _ in range(n_case)]
    fracs = data.draw(st.lists(fl(0.3, 1.0), min_size=n_case, max_size=n_case))
    fields = {k: np.array([v[k] for v in vs]) for k in ("isp", "thrust", "m_prop", "m_dry")}
    boost = dict(
        booster_isp=np.array([v["b_isp"] for v in vs]),
        booster_thrust=np.array([v["b_thrust"] for v in vs]),
        booster_m_prop=np.array([v["b_prop"] for v in vs]),
        booster_m_dry=np.array([v["b_dry"] for v in vs]),
        core_throttle=np.array([v["tau"] for v in vs]),
    )
    stack = Stack(**fields, **boost)
    dv0 = stack_delta_v(stack, 0.0).sum(-1)
    dv = dv0 * np.array(fracs)
    sol = solve_payload(stack, dv)
    dvs = stack_delta_v(stack, 5000.0)
    for j, v in enumerate(vs):
        one = to_stack(v)
        # Elementwise float operations on the same values: identical bits.
        assert np.array_equal(stack_delta_v(one, 5000.0), dvs[j])
        ref = solve_payload(one, dv[j])
        assert sol.status[j] == ref.status
        if ref.status == PayloadStatus.OK:
            # The vector solve may take extra Newton steps after this case converged, each smaller
            # than rtol * (p + 1 kg) with rtol = 1e-12 -> 1e-12 relative, 1e-12 kg absolute.
            assert sol.payload[j] == pytest.approx(float(ref.payload), rel=1e-12, abs=1e-12)
        else:
            assert np.isnan(sol.payload[j])


@SETTINGS
@given(v=vehicles(), fracs=st.lists(fl(0.30, 1.05), min_size=1, max_size=12))
def test_one_case_prepared_call_equals_the_array_solve(v, fracs):
    """A prepared solve of one case (:class:`PreparedPayload` with a one-case shape runs its float path,
    ``_solve_one``) gives the array solve's payload, status and iteration count bit for bit, feasible or
    not: the same operations in the same order, numpy's ``log``/``exp`` (whose results do not depend
    on the array size) rather than the C library's."""
    stack = to_stack(v)
    dv0 = float(stack_delta_v(stack, 0.0).sum())
    dv = dv0 * np.array(fracs)
    prep = PreparedPayload(stack, ())
    many = solve_payload(stack, dv)
    for j, d in enumerate(dv):
        one, ref = prep(d), solve_payload(stack, np.array([d]))
        assert int(one.status) == int(many.status[j]) == int(ref.status[0])
        assert np.array_equal(one.payload, many.payload[j], equal_nan=True)
        assert one.iterations == ref.iterations


def test_one_case_prepared_call_outside_its_float_path():
    """Requirements and vehicles the float path does not take (not positive, not finite, an invalid
    vehicle, a core stage burned dry by its boosters) get the array solve's answer."""
    v = {"isp": [300.0, 450.0], "thrust": [2e6, 2e5], "m_prop": [1e5, 2e4], "m_dry": [8e3, 2e3], "b_isp": 0.0,
         "b_thrust": 0.0, "b_prop": 0.0, "b_dry": 0.0, "tau": 1.0}
    for stack in (to_stack(v), to_stack({**v, "m_dry": [-1.0, 2e3]}),
                  to_stack({**v, "b_isp": 250.0, "b_thrust": 1e5, "b_prop": 9e5, "b_dry": 1e4, "tau": 1.0})):
        prep = PreparedPayload(stack, ())
        for d in (0.0, -5.0, np.nan, np.inf, 4000.0):
            one, ref = prep(d), solve_payload(stack, np.array([d]))
            assert int(one.status) == int(ref.status[0])
            assert np.array_equal(one.payload, ref.payload[0], equal_nan=True)
