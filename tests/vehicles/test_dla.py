"""Departure declination (DLA) of a C3 target: the parking orbit is inclined at least |DLA|.

The geometry (hand calculation): an orbit plane of inclination ``i`` passes over latitudes, and holds
directions of declination, only up to ``i`` -- the same spherical-trigonometry relation that gives
the launch azimuth ``A`` from a site at latitude ``phi``: ``cos i = cos(phi) sin(A)`` (Vallado,
*Fundamentals of Astrodynamics and Applications*, 4th ed., 2013, launch-window geometry; Curtis,
*Orbital Mechanics for Engineering Students*, launch azimuth), so ``i >= |phi|`` and ``i >= |DLA|``.
DLA as a launch-vehicle performance input is defined by NASA's Launch Services Program
(https://elvperf.ksc.nasa.gov, "declination of the launch asymptote").
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import jointmission as jm
from jointmission.vehicles.targets import Target, parking_inclination, target_set

LAT = math.radians(28.6)  # Saturn V's catalog site latitude (LC-39)


def test_parking_inclination_rule():
    assert parking_inclination(LAT, None, None) is None  # no DLA: due east
    assert parking_inclination(LAT, None, math.radians(20)) is None  # |DLA| < |lat|: due east holds it
    assert parking_inclination(LAT, None, math.radians(-40)) == pytest.approx(math.radians(40))
    assert parking_inclination(math.radians(5.2), None, math.radians(-3)) is None  # Kourou, small DLA
    assert parking_inclination(LAT, math.radians(51.6), math.radians(40)) == pytest.approx(math.radians(51.6))
    assert parking_inclination(LAT, math.radians(135), math.radians(40)) == pytest.approx(math.radians(135))
    with pytest.raises(ValueError, match="at least"):
        parking_inclination(LAT, math.radians(30), math.radians(40))
    with pytest.raises(ValueError, match="at least"):
        parking_inclination(LAT, math.radians(150), math.radians(40))  # retrograde 150 deg reaches only 30 deg


def test_target_resolves_dla_with_the_launch_latitude():
    t = Target.c3(10e6, dla_rad=math.radians(-40), name="x")
    flown = t.for_latitude(LAT)
    assert flown.dla_rad is None and flown.inclination_rad == pytest.approx(math.radians(40))
    assert Target.c3(10e6, dla_rad=0.1).for_latitude(LAT).inclination_rad is None
    ts = target_set([t], latitude_rad=LAT)
    assert ts.inclination[0] == pytest.approx(math.radians(40))
    with pytest.raises(ValueError, match="latitude"):
        target_set([t])
    with pytest.raises(ValueError, match="C3 target or a circular assembly orbit"):
        Target.orbit(200e3, 400e3, dla_rad=0.1)  # an elliptical orbit is no assembly orbit
    # a circular assembly orbit a stack departs from on that asymptote: inclined |DLA| likewise
    leo = Target.orbit(185e3, dla_rad=math.radians(-40), name="assembly").for_latitude(LAT)
    assert leo.kind == "orbit" and leo.dla_rad is None and leo.inclination_rad == pytest.approx(math.radians(40))
    assert Target.orbit(185e3, dla_rad=0.1).for_latitude(LAT).inclination_rad is None


def test_dla_above_the_site_latitude_costs_rotation_benefit_by_hand():
    """DLA 40 deg from 28.6 deg: the parking orbit is inclined 40 deg and the Earth-rotation benefit
    drops from ``v_E = omega R cos(phi)`` to ``v - sqrt(v^2 + v_E^2 - 2 v v_E sin A)``, with
    ``sin A = cos i / cos phi`` (the in-plane share of the site's eastward speed at insertion).
    Hand numbers: omega = 7.292115e-5 rad/s, R = 6378.137 km, parking 185 km ->
    v = sqrt(398600.4418 / 6563.137) = 7.79315 km/s, v_E = 408.35 m/s, sin A = 0.87250,
    benefit = 353.61 m/s (a 54.7 m/s loss). Tolerance 0.5 m/s: rounding of the hand numbers only."""
    v = math.sqrt(3.986004418e14 / (6378137.0 + 185e3))
    v_e = 7.292115e-5 * 6378137.0 * math.cos(LAT)
    sin_a = math.cos(math.radians(40)) / math.cos(LAT)
    hand = v - math.sqrt(v * v + v_e * v_e - 2 * v * v_e * sin_a)
    assert hand == pytest.approx(353.61, abs=0.05)
    ds = jm.payload_curve("Saturn V", c3=[10e6], dla=math.radians(40))
    due_east = jm.payload_curve("Saturn V", c3=[10e6])
    assert ds.attrs["inclination_rad"] == pytest.approx(math.radians(40))
    assert float(ds.dv_rotation[0]) == pytest.approx(hand, abs=0.5)
    assert float(due_east.dv_rotation[0]) == pytest.approx(v_e, abs=0.5)
    # the same as asking for the 40 deg parking orbit directly, and less than due east
    direct = jm.payload_to_c3(jm.get_vehicle("Saturn V"), 10e6, inclination_rad=math.radians(40))
    assert float(ds.payload[0]) == pytest.approx(float(direct.payload_kg), rel=1e-5)
    assert float(ds.payload[0]) < float(due_east.payload[0])
    # a DLA the site latitude already covers changes nothing
    low = jm.payload_curve("Saturn V", c3=[10e6], dla=math.radians(-20))
    assert float(low.payload[0]) == pytest.approx(float(due_east.payload[0]), rel=1e-9)
    assert float(low.dv_dogleg[0]) == 0.0 and np.isfinite(low.payload[0])
