"""A stack assembled in Earth orbit departs on the transfer's asymptote from that orbit, so the
assembly orbit must be inclined at least |DLA| (the plane geometry of tests/vehicles/test_dla.py:
Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., 2013, launch-window geometry:
a plane of inclination i holds directions of declination up to i only). Each heavy launch to it
then flies an inclined LEO: the Earth-rotation benefit it loses is the ordinary inclination
handling of the payload model, here checked equal (1e-8, one model) to ``payload()`` of the LEO
inclined at |DLA|, and no charge where the site latitude already holds the asymptote.
"""

from __future__ import annotations

import math
import textwrap

import pytest

from jointmission.missions import capability
from jointmission.vehicles.catalog import get_vehicle
from jointmission.vehicles.performance import payload
from jointmission.vehicles.targets import Target

DLA_2033 = math.radians(-53.257)  # the 2033 crewed transfer's DLA


@pytest.fixture(scope="module")
def cn():
    return get_vehicle("Joint Heavy CN")


def test_assembly_orbit_capability_charges_the_dla(cn):
    ts = [Target.orbit(185e3), Target.orbit(185e3, dla_rad=math.radians(15.0)), Target.orbit(185e3, dla_rad=DLA_2033)]
    cap, status = capability([cn], ts)
    assert (status == 0).all()
    assert cap[0, 1] == cap[0, 0]  # 15 deg is below Wenchang's 19.6 deg: due east holds it
    ref = float(payload(cn, Target.orbit(185e3, inclination_rad=abs(DLA_2033))).payload_kg)
    # 1e-8: the mission capability flies a circular orbit as the C3 a relative 1e-9 above its energy
    # (Target.c3_form), payload() as the orbit itself
    assert cap[0, 2] == pytest.approx(ref, rel=1e-8)
    assert float(payload(cn, Target.orbit(185e3, dla_rad=DLA_2033)).payload_kg) == pytest.approx(ref, rel=1e-9)
    assert 0.05 < 1 - cap[0, 2] / cap[0, 0] < 0.09  # ~7 %: 156.0 -> 145.4 t


def test_mars_crewed_2033_launches_to_an_assembly_orbit_inclined_for_its_dla(tmp_path):
    from jointmission.runners.mission import evaluate_mission
    from jointmission.scenario import load_scenario

    p = tmp_path / "crewed.yaml"
    p.write_text("name: t\nvehicle: {catalog: Joint Heavy CN}\nmission:\n" + textwrap.indent(textwrap.dedent("""\
        architectures: [mars_crewed]
        launchers:
          - {name: CN, catalog: Joint Heavy CN}
        margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
        mars: {windows: [2031, 2033]}
        """), "  "))
    out = evaluate_mission(load_scenario(p))
    rows = {r["window"]: r for r in out.rows}
    due_east = capability([get_vehicle("Joint Heavy CN")], [Target.orbit(185e3)])[0][0, 0] / 1e3
    r33, r31 = rows["2033"], rows["2031"]
    assert abs(r33["dla_deg"]) > 19.6 and abs(r31["dla_deg"]) < 19.6
    cap33 = float(r33["capability_t"].split("=")[1])
    cap31 = float(r31["capability_t"].split("=")[1])
    assert cap31 == pytest.approx(due_east, abs=0.05)          # 2031: DLA below the site latitude, free
    assert cap33 < due_east * 0.95                              # 2033: inclined assembly orbit, charged
    assert any(k.startswith("LEO 185 km, DLA") for k in out.capabilities)
    assert r33["launches"] >= math.ceil(r33["delivered_t"] / cap33)


def test_the_grid_search_prices_the_assembly_orbit_by_each_candidates_dla():
    """The 2033 crewed stack (backward budget: fewest launches, then least mass) picks a -53 deg DLA
    transfer when the assembly orbit is free; with a capability that collapses above 30 deg of
    |DLA| (a made-up launcher, to make the effect unmistakable) the grid search moves to a
    transfer whose |DLA| the assembly orbit holds."""
    import numpy as np

    from jointmission.missions import Margins, build
    from jointmission.missions.mars_transfer import choose_by_budget, launcher_table, window_extent, window_grid

    ds, tof = window_grid(2033, 4.0)
    lo, dmax = window_extent(ds)
    table, _ = launcher_table([get_vehicle("Joint Heavy CN")], lo, dmax)

    def build_fn(c3, vinf, tof_s):
        return build("mars_crewed", tmi_c3_m2_s2=c3, arrival_vinf_m_s=vinf, cruise_days=tof_s / 86400.0)

    m = Margins(0.05, 0.15, 0.01)
    free = choose_by_budget(ds, tof, table, 0, build_fn, {"stack": 150e3}, margins=m, required_payload_kg=0.0)
    nodes, kg = np.radians([0.0, 30.0, 30.5, 90.0]), np.array([150e3, 150e3, 1e3, 1e3])
    charged = choose_by_budget(ds, tof, table, 0, build_fn, {"stack": 150e3}, margins=m, required_payload_kg=0.0,
                               assembly_kg={"stack": (nodes, kg)})
    assert abs(math.degrees(free.dla_rad)) > 45.0
    assert abs(math.degrees(charged.dla_rad)) <= 30.0


def test_a_delivery_orbits_stated_inclination_is_flown(cn):
    # an orbit delivery inclined at the ISS's 51.6 deg: the mission capability equals payload() to that
    # orbit (1e-8 as above), and is below the due-east capability (it was silently flown due east)
    inc = math.radians(51.6)
    cap, status = capability([cn], [Target.orbit(185e3), Target.orbit(185e3, inclination_rad=inc)])
    assert (status == 0).all()
    ref = float(payload(cn, Target.orbit(185e3, inclination_rad=inc)).payload_kg)
    assert cap[0, 1] == pytest.approx(ref, rel=1e-8)
    assert cap[0, 1] < 0.97 * cap[0, 0]


def test_a_high_circular_delivery_is_flown_as_payload_flies_it(cn):
    # above ~200 km payload() inserts low and circularises; the mission capability flew the circle as
    # a parking orbit at its own altitude, 4.9 % less at 400 km. Now one rule: equal to 1e-12.
    ts = [Target.orbit(400e3), Target.orbit(400e3, inclination_rad=math.radians(51.6)), Target.c3(-2e6)]
    cap, status = capability([cn], ts)
    assert (status == 0).all()
    for j, t in enumerate(ts):
        assert cap[0, j] == pytest.approx(float(payload(cn, t).payload_kg), rel=1e-12)
