"""The public API used as the README shows, for ``mypy`` (tests/test_packaging.py).

Not a test module and not run: mypy checks that a user's typed code against ``jointmission``'s public
names type-checks (the package ships ``py.typed``). The annotations on the left of each assignment
are the types a user may rely on; keep them in step with the README.
"""

from __future__ import annotations

from pathlib import Path

import astropy.units as u
import numpy as np

import jointmission as jm


def launch_vehicle_performance() -> float:
    veh = jm.get_vehicle("Long March 5")
    res: jm.PerformanceResult = jm.payload_to_orbit(veh, perigee_alt_m=200e3, inclination_rad=0.0)
    tli: jm.PerformanceResult = jm.payload_to_c3(veh, -2.0e6)
    same: jm.PerformanceResult = jm.payload(veh, jm.OrbitTarget(perigee_alt_m=200e3))
    names: list[str] = jm.vehicle_names() + jm.engine_names()
    engine: jm.Engine = jm.get_engine("RD-171M")
    print(res.payload_kg, res.dv_gravity, tli.status, same.payload_kg, len(names), engine)
    return float(np.nanmax(res.payload_kg))


def orbits_and_units() -> None:
    mu = 3.986004418e14
    h = jm.hohmann(mu, 7000e3, 42164e3)  # SI floats
    hq = jm.hohmann(mu, 7000 * u.km, 42164 * u.km)  # or astropy Quantities, converted once
    print(h.dv_total, hq.dv_total, jm.vis_viva(mu, 7000e3, 8000e3), jm.circular_speed(mu, 7000e3))
    kg: float = jm.to_si("120 t", "mass", "t")
    speed: float = jm.to_si(3.2 * u.km / u.s, "speed", "km/s")
    try:
        jm.to_si("1 500 t", "mass", "t")
    except jm.UnitError as exc:
        print(exc)
    print(kg, speed, jm.tsiolkovsky(311.0, 1.0e6, 2.0e5))


def lambert_and_transfers() -> None:
    r1 = np.array([1.5e11, 0.0, 0.0])
    r2 = np.array([0.0, 2.2e11, 0.0])
    v1, v2, status, _ = jm.solve_lambert(1.32712440018e20, r1, r2, 250 * 86400.0)  # Izzo: mu first (SI)
    print(v1, v2, status == jm.LambertStatus.OK)
    ds = jm.porkchop("earth", "mars", ("2031-01-01", "2031-05-15"), ("2031-07-01", "2032-03-31"))
    best: jm.BestTransfer = jm.best_transfer("earth", "mars", ("2031-01-01", "2031-05-15"))
    print(ds, best.c3_km2_s2, best.tof_days)


def scenarios(path: Path) -> None:
    scn: jm.Scenario = jm.load_scenario(path)
    out: jm.RunResult = jm.run(scn)
    print(scn.name, out)
    try:
        jm.load_scenario("missing.yaml")
    except jm.ScenarioError as exc:
        print(exc)
    print(jm.__version__)
