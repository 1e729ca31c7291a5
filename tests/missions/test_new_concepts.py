"""The shipped concepts that the seven classic architectures could not express, each against a
hand calculation of its budget that does not use the solver (1e-6 relative).

Hand calculations: Tsiolkovsky (Sutton & Biblarz, 9th ed., eq. 4-6: a burn of delta-v dv with
exhaust speed c = g0 Isp leaves exp(-dv / c) of the stack mass); boil-off keeps (1 - b)^days of an
element's propellant, b the mixture-weighted LOX/LH2 rate of missions.yaml, (6 x 0.1 % + 1 %) / 7 per
day; a propellant transfer of 'all' moves what the giver holds above (residual + reserve) x its load
and loses the fraction 'loss' of it. Element data (Isp, dry masses, residuals) are those of
missions.yaml's generic elements, read here from the data file, not from the built budget.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jointmission.constants import G0, GM_EARTH, GM_MOON, R_EARTH, R_MOON
from jointmission.missions import Margins, evaluate, from_concept
from jointmission.missions.concept_library import library_concept
from jointmission.missions.elements import mission_data

DAY = 86400.0
B_LH2 = (6.0 * 0.001 + 0.010) / 7.0  # LOX/LH2, missions.yaml (O/F 6)


def _el(key: str) -> dict:
    return mission_data()["elements"][key]


def _tli_dv(c3: float, park: float) -> float:
    r = R_EARTH + park
    return math.sqrt(c3 + 2 * GM_EARTH / r) - math.sqrt(GM_EARTH / r)


def _translunar_vinf(c3: float, park: float) -> float:
    """v_inf at the Moon's mean distance of the perigee-departure conic (energy + angular momentum)."""
    rp, D = R_EARTH + park, 384400e3
    vp = math.sqrt(c3 + 2 * GM_EARTH / rp)
    v2 = c3 + 2 * GM_EARTH / D
    vt = rp * vp / D
    return math.hypot(vt - math.sqrt(GM_EARTH / D), math.sqrt(v2 - vt * vt))


def _loi(vinf: float, alt: float) -> float:
    rp = R_MOON + alt
    return math.sqrt(vinf**2 + 2 * GM_MOON / rp) - math.sqrt(GM_MOON / rp)


# ---------------------------------------------------------------------------------- (a) depot
def _depot_hand(n: int, C: float, Ct: float, m: Margins, *, capped: bool = False) -> tuple[float, float]:
    """Cargo landed and the lander's own launched load [kg] of moon_depot_cargo, by hand. With
    ``capped``: cargo landed and the propellant left unused in the depot [kg] when the depot holds
    more than the lander needs (the lander is launched empty and takes only what it needs)."""
    g, r, k = 1.0 + m.dry_growth, m.reserve, 1.0 + m.dv_margin
    t, la = _el("earth_departure_stage"), _el("lunar_descent_stage")
    loss, interval, transit = 0.01, 14.0, 4.22
    # each tanker carries what its launch lifts: C_t = g (dry + f T) + T
    T = (Ct - g * t["dry_kg"]) / (1.0 + g * t["dry_fraction"])
    give = T * (1.0 - t["residual_fraction"] - r)
    D = n * give * (1.0 - loss) * (1.0 - B_LH2) ** (interval * (n + 1) / 2)  # mean wait of the campaign
    Q = D * (1.0 - loss)  # the depot (launched empty: floor 0) gives all to the lander
    c = G0 * la["isp_s"]
    e1 = math.exp(-k * _tli_dv(-2e6, 185e3) / c)
    e23 = math.exp(-k * (_loi(_translunar_vinf(-2e6, 185e3), 100e3) + 2040.0) / c)
    sig = (1.0 - B_LH2) ** transit
    if capped:
        # launched empty (x = 0): P = C - g dry. It takes q from the depot and receives q (1 - loss) = Q';
        # it ends with no propellant: after the coast it holds p1 with p1 = (C + p1)(1 - e23), and
        # sig (Q' - (C + Q')(1 - e1)) = p1 gives Q'
        P = C - g * la["dry_kg"]
        p1 = C * (1.0 - e23) / e23
        Qr = (C * (1.0 - e1) + p1 / sig) / e1
        return P, D - Qr / (1.0 - loss)
    # launch full: g (dry + f x) + x + P = C, so the stack after refuelling is M0 = C + Q
    M0 = C + Q
    K = M0 * e1 - (1.0 - sig) * (Q - M0 * (1.0 - e1))           # after TLI and the coast, minus (1-sig) x
    end = la["residual_fraction"] + r                              # the lander ends with end x
    # e23 (K - (1 - sig) x) = g dry + g f x + P + end x = C - (1 - end) x
    x = (C - e23 * K) / ((1.0 - end) - e23 * (1.0 - sig))
    P = C - g * la["dry_kg"] - (1.0 + g * la["dry_fraction"]) * x
    return P, x


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("margins", [Margins(0.0, 0.0, 0.0), Margins(0.05, 0.15, 0.01)])
def test_moon_depot_cargo_hand_calculation(n, margins):
    arch = from_concept(library_concept("moon_depot_cargo"), {"n_tankers": float(n)})
    assert list(arch.deliveries) == ["depot", *[f"tanker {i}" for i in range(1, n + 1)], "lander"]
    C = np.array([60e3, 80e3])
    Ct = np.array([45e3, 50e3])
    caps = {ln: (C if ln == "lander" else Ct if ln.startswith("tanker") else np.array([40e3, 40e3]))
            for ln in arch.deliveries}
    res = evaluate(arch, caps, margins=margins)
    for j in range(2):
        P, x = _depot_hand(n, C[j], Ct[j], margins)
        assert res.status[j] == 0
        if x >= 0:
            assert res.payload_kg[j] == pytest.approx(P, rel=1e-6)
            assert res.unused_propellant_kg[j] == pytest.approx(0.0, abs=1e-6)
        else:  # the depot holds more than the lander needs: capped (test below)
            assert res.payload_kg[j] == pytest.approx(_depot_hand(n, C[j], Ct[j], margins, capped=True)[0], rel=1e-6)


@pytest.mark.parametrize("n", [6, 8])
@pytest.mark.parametrize("margins", [Margins(0.0, 0.0, 0.0), Margins(0.05, 0.15, 0.01)])
def test_moon_depot_cargo_more_tankers_than_needed_keep_the_surplus(n, margins):
    """A depot filled by more tanker launches than the lander needs is not infeasible: the lander
    is launched empty (all its launch is cargo), takes what it needs, and the rest stays unused in
    the depot. By hand (capped branch of _depot_hand) to 1e-6; the uncapped solution would need a
    negative own load."""
    arch = from_concept(library_concept("moon_depot_cargo"), {"n_tankers": float(n)})
    C, Ct = np.array([60e3, 60e3]), np.array([50e3, 55e3])
    caps = {ln: (C if ln == "lander" else Ct if ln.startswith("tanker") else np.array([40e3, 40e3]))
            for ln in arch.deliveries}
    res = evaluate(arch, caps, margins=margins)
    for j in range(2):
        assert _depot_hand(n, C[j], Ct[j], margins)[1] < 0  # more than needed: the old budget's NEGATIVE_LOAD
        P, unused = _depot_hand(n, C[j], Ct[j], margins, capped=True)
        assert unused > 0
        assert res.status[j] == 0
        assert res.payload_kg[j] == pytest.approx(P, rel=1e-6)
        assert res.unused_propellant_kg[j] == pytest.approx(unused, rel=1e-6)
        b = res.budgets["lander"]
        assert float(b.loads_kg["lander"][j]) == 0.0
        assert float(b.unused_propellant_kg["depot"][j]) == pytest.approx(unused, rel=1e-6)
    # one more tanker: the same cargo, its whole load (after transfer losses and boil-off) unused
    more = evaluate(from_concept(library_concept("moon_depot_cargo"), {"n_tankers": float(n + 1)}),
                    {ln: (C if ln == "lander" else Ct if ln.startswith("tanker") else np.array([40e3, 40e3]))
                     for ln in from_concept(library_concept("moon_depot_cargo"), {"n_tankers": float(n + 1)}).deliveries},
                    margins=margins)
    assert more.payload_kg == pytest.approx(res.payload_kg, rel=1e-12)
    assert np.all(more.unused_propellant_kg > res.unused_propellant_kg)


def test_moon_depot_cargo_more_tankers_land_more_until_the_lander_needs_none():
    c = library_concept("moon_depot_cargo")
    out = []
    for n in (1, 2, 3, 4):
        arch = from_concept(c, {"n_tankers": float(n)})
        caps = {ln: np.array([100e3 if ln == "lander" else 30e3]) for ln in arch.deliveries}
        out.append(float(evaluate(arch, caps, margins=Margins(0.05, 0.15, 0.01)).payload_kg[0]))
    assert out[0] < out[1] < out[2]


def test_moon_depot_cargo_transit_is_its_trans_lunar_conic():
    from jointmission.missions.lunar_legs import translunar_arrival

    c = library_concept("moon_depot_cargo")
    _, t = translunar_arrival(-2e6, 185e3)
    assert c.parameters["transit"].value / DAY == pytest.approx(float(t) / DAY, abs=0.01)


# ------------------------------------------------------------------- (b) reusable NRHO lander
def _solve_affine(resid, n: int) -> np.ndarray:
    """Root of an affine map R^n -> R^n given as a function (exact: affine)."""
    z0 = np.zeros(n)
    r0 = np.asarray(resid(z0))
    A = np.column_stack([np.asarray(resid(np.eye(n)[i] * 1e4)) - r0 for i in range(n)]) / 1e4
    return np.linalg.solve(A, -r0)


def _reusable_hand(C: float, Ct: float, m: Margins) -> tuple[float, float, float]:
    """Cargo landed [kg], the lander's launched load and the crew launch's mass [kg] of
    moon_nrho_reusable, walking its phases by hand."""
    g, r, k = 1.0 + m.dry_growth, m.reserve, 1.0 + m.dv_margin
    la, t, cv = _el("lunar_descent_stage"), _el("earth_departure_stage"), _el("crew_vehicle")
    crew, loss, transit, stay = 300.0, 0.01, 5.0, 7.0
    sig = lambda days: (1.0 - B_LH2) ** days  # noqa: E731
    ex = lambda dv, isp: math.exp(-k * dv / (G0 * isp))  # noqa: E731
    T = (Ct - g * t["dry_kg"]) / (1.0 + g * t["dry_fraction"])
    dry_t = g * (t["dry_kg"] + t["dry_fraction"] * T)

    def lander(z):
        x, P = z
        dry = g * (la["dry_kg"] + la["dry_fraction"] * x)
        p = x * sig(transit)                                        # coast to NRHO
        p -= (dry + p + P) * (1 - ex(450.0, la["isp_s"]))          # NRHO insertion with the cargo
        pt = T * sig(transit)
        pt -= (dry_t + pt) * (1 - ex(450.0, t["isp_s"]))           # the tanker inserts itself
        p += (pt - (t["residual_fraction"] + r) * T) * (1 - loss)  # gives all above its floor
        for dv, payload in ((740.0, P + crew), (2040.0, P + crew)):  # NRHO -> LLO, landing
            p -= (dry + p + payload) * (1 - ex(dv, la["isp_s"]))
        p *= sig(stay)                                              # cargo left; surface stay
        for dv in (1850.0, 850.0, 45.0):                            # ascent, LLO -> NRHO, docking
            p -= (dry + p + crew) * (1 - ex(dv, la["isp_s"]))
        p *= sig(transit)  # the lander waits in NRHO while the crew coasts home: it boils off
        return [p - (la["residual_fraction"] + r) * x, dry + x + P - C]

    x, P = _solve_affine(lander, 2)

    def crew_vehicle(z):
        (y,) = z
        dry = g * (cv["dry_kg"] + cv["dry_fraction"] * y)
        p = y - (dry + y + crew) * (1 - ex(450.0, cv["isp_s"]))    # storable: no boil-off
        p -= (dry + p + crew) * (1 - ex(450.0, cv["isp_s"]))
        return [p - (cv["residual_fraction"] + r) * y]

    (y,) = _solve_affine(crew_vehicle, 1)
    return P, x, g * (cv["dry_kg"] + cv["dry_fraction"] * y) + y + crew


@pytest.mark.parametrize("margins", [Margins(0.0, 0.0, 0.0), Margins(0.05, 0.15, 0.01)])
def test_moon_nrho_reusable_hand_calculation(margins):
    arch = from_concept(library_concept("moon_nrho_reusable"), {})
    assert arch.fillable == ("lander",)
    C = np.array([45e3, 50e3])
    Ct = np.array([45e3, 40e3])
    res = evaluate(arch, {"lander": C, "tanker": Ct, "crew": np.array([30e3, 30e3])}, margins=margins)
    for j in range(2):
        P, x, crew_launch = _reusable_hand(C[j], Ct[j], margins)
        assert res.status[j] == 0 and x > 0
        assert res.payload_kg[j] == pytest.approx(P, rel=1e-6)
        assert res.launch_mass_kg["crew"][j] == pytest.approx(crew_launch, rel=1e-6)


def test_moon_nrho_reusable_lander_legs_are_one_way():
    """The lander flies NRHO -> LLO at 740 m/s and LLO -> NRHO at 850 m/s (not one value both ways)."""
    arch = from_concept(library_concept("moon_nrho_reusable"), {})
    dv = {p.name: float(p.dv_m_s) for p in arch.mission.phases if p.kind == "burn"}
    assert dv["NRHO to LLO"] == 740.0 and dv["LLO to NRHO"] == 850.0


# ------------------------------------------------------------------------ (c) Mars sample return
B_CH4 = (3.5 * 0.001 + 0.001) / 4.5  # LOX/CH4, missions.yaml (O/F 3.5)


def _msr_hand(C: float, m: Margins, vinf: float = 4000.0) -> tuple[float, float, float]:
    """Surface cargo landed [kg], the MAV's liftoff mass and the orbiter launch's mass [kg] of
    mars_sample_return, by hand (data values as the concept file names them)."""
    from jointmission.constants import GM_MARS, R_MARS

    g, r, k = 1.0 + m.dry_growth, m.reserve, 1.0 + m.dv_margin
    ph = mission_data()["phases"]["mars"]
    ds, ob = _el("mars_descent_stage"), _el("mars_capture_stage")
    cruise, stay, sample, cap = ph["cruise_days"]["value"], 365.0, 16.0, 100.0 * g
    phi = 1.0 - ph["edl_landed_fraction"]["value"]
    ex = lambda dv, isp: math.exp(-k * dv / (G0 * isp))  # noqa: E731

    def capture(v):  # periapsis burn onto the 250 km x 1 sol ellipse
        rp = R_MARS + ph["parking_altitude_km"]["value"] * 1e3
        ra = R_MARS + ph["capture_apoapsis_km"]["value"] * 1e3
        return math.sqrt(v * v + 2 * GM_MARS / rp) - math.sqrt(2 * GM_MARS * ra / (rp * (rp + ra)))

    # MAV: sized, storable, no residual, keeps the reserve: (dry + x + 16) e = dry + 16 + r x
    e_m = ex(3545.0, 285.0)
    xm = (g * 50.0 + sample) * (1 - e_m) / (e_m - g * 0.16 * (1 - e_m) - r)
    mav = g * (50.0 + 0.16 * xm) + xm

    def lander(z):
        xd, P, E = z
        dry = g * (ds["dry_kg"] + ds["dry_fraction"] * xd)
        p = xd * (1 - B_CH4) ** cruise
        S = dry + p + mav + sample + P + E                       # at the entry interface
        p -= (S - E) * (1 - ex(ph["terminal_descent_dv_m_s"]["value"], ds["isp_s"]))
        return [E - phi * S, p - (ds["residual_fraction"] + r) * xd, dry + xd + mav + sample + P + E - C]

    _, P, _ = _solve_affine(lander, 3)

    def orbiter(z):
        (y,) = z
        dry = g * (ob["dry_kg"] + ob["dry_fraction"] * y)
        s = lambda d: (1 - B_CH4) ** d  # noqa: E731
        p = y * s(cruise)
        p -= (dry + p + cap) * (1 - ex(capture(vinf), ob["isp_s"]))
        p *= s(stay)                                              # waits in orbit for the MAV
        p -= (dry + p + cap) * (1 - ex(45.0, ob["isp_s"]))
        p -= (dry + p + cap + sample) * (1 - ex(capture(ph["return_vinf_m_s"]["value"]), ob["isp_s"]))
        p *= s(cruise)                                            # the cruise home
        return [p - (ob["residual_fraction"] + r) * y]

    (y,) = _solve_affine(orbiter, 1)
    return P, mav, g * (ob["dry_kg"] + ob["dry_fraction"] * y) + y + cap


@pytest.mark.parametrize("margins", [Margins(0.0, 0.0, 0.0), Margins(0.05, 0.15, 0.01)])
def test_mars_sample_return_hand_calculation(margins):
    arch = from_concept(library_concept("mars_sample_return"), {})
    C = np.array([20e3, 30e3])
    res = evaluate(arch, {"lander": C, "orbiter": np.array([25e3, 25e3])}, margins=margins)
    for j in range(2):
        P, mav, orbiter_launch = _msr_hand(C[j], margins)
        assert res.status[j] == 0
        assert res.payload_kg[j] == pytest.approx(P, rel=1e-6)
        assert res.launch_mass_kg["orbiter"][j] == pytest.approx(orbiter_launch, rel=1e-6)
        table = res.phase_table(j)
        liftoff = next(row for row in table if row["phase"] == "Mars ascent")["mass_before_t"] * 1e3
        assert liftoff == pytest.approx(mav + 16.0, rel=1e-6)


def test_mars_sample_return_mav_is_the_nasa_mav_class_without_margins():
    """Calibration, not validation: with no margins the sized MAV that lifts the 16 kg container
    weighs ~ 400 kg, the NASA MAV class (The Orbital Index 157, 2022); within 5 %."""
    _, mav, _ = _msr_hand(20e3, Margins(0.0, 0.0, 0.0))
    assert mav + 16.0 == pytest.approx(400.0, rel=0.05)


def test_mission_table_reports_the_depot_surplus(tmp_path):
    """A scenario run of moon_depot_cargo with more tankers than the lander needs: the mission table
    lands the same cargo with 6 and 8 tankers and reports the growing surplus in ``unused_t``."""
    from jointmission.runners.mission import MISSION_COLUMNS, evaluate_mission
    from jointmission.scenario import load_scenario

    rows = {}
    for n in (4, 6, 8):
        p = tmp_path / "scenarios" / f"d{n}.yaml"
        p.parent.mkdir(exist_ok=True)
        p.write_text("name: d\nvehicle: Joint Heavy CN\nmission:\n  architectures: [moon_depot_cargo]\n"
                     f"  margins: {{delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}}\n"
                     f"  parameters: {{n_tankers: {n}}}\n")
        rows[n] = evaluate_mission(load_scenario(p)).rows[0]
    assert "unused_t" in MISSION_COLUMNS
    assert all(r["status"] == "ok" for r in rows.values())
    assert rows[4]["unused_t"] == pytest.approx(0.0, abs=1e-9) and rows[4]["payload_t"] < rows[6]["payload_t"]
    assert rows[6]["payload_t"] == pytest.approx(rows[8]["payload_t"], rel=1e-12)
    assert 0 < rows[6]["unused_t"] < rows[8]["unused_t"]
