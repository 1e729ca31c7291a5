"""The public API used as the README shows, for ``mypy`` (tests/test_packaging.py).

Not a test module and not run: mypy checks that a user's typed code against ``jointmission``'s public
names type-checks (the package ships ``py.typed``). The annotations on the left of each assignment
are the types a user may rely on; keep them in step with the README.
"""

from __future__ import annotations

from pathlib import Path

import astropy.units as u
import numpy as np
import xarray as xr
from numpy.typing import NDArray

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


def every_kernel() -> float:
    """Every public kernel once, its result assigned to the type a user may rely on."""
    mu = 3.986004418e14
    r = np.array([7000e3, 8000e3])
    v: np.float64 | NDArray[np.float64] = jm.vis_viva(mu, r, 9000e3)
    total = float(np.sum(v))
    total += float(jm.circular_speed(mu, 7000e3)) + float(jm.escape_speed(mu, 7000e3))
    total += float(jm.orbital_period(mu, 7000e3))
    total += float(jm.c3_from_vinf(3000.0)) + float(jm.vinf_from_c3(9.0e6))
    dv: float = float(jm.hohmann(mu, 7000e3, 42164e3).dv_total)
    be: jm.orbits.BiellipticResult = jm.bielliptic(mu, 7000e3, 105000e3, 210000e3)
    hp: jm.orbits.HohmannPlaneChangeResult = jm.hohmann_with_plane_change(mu, 7000e3, 42164e3, 0.5)
    total += dv + float(be.dv_total) + float(hp.split)
    total += float(jm.plane_change(7500.0, 0.1)) + float(jm.combined_plane_change(1600.0, 3070.0, 0.49))
    total += float(jm.departure_dv(mu, 6563e3, 9.0e6)) + float(jm.departure_dv_from_vinf(mu, 6563e3, 3000.0))
    total += float(jm.capture_dv(4.282837e13, 2600.0, 3700e3)) + float(jm.capture_dv(4.282837e13, 2600.0, 3700e3, 40000e3))
    t: NDArray[np.float64] = jm.tsiolkovsky(311.0, 1.0e6, 2.0e5)
    sd: NDArray[np.float64] = jm.stage_delta_v(311.0, 8.0e5, 5.0e4, 1.0e5)
    sv: NDArray[np.float64] = jm.serial_delta_v([300.0, 340.0], [4.0e5, 1.0e5], [3.0e4, 1.0e4], 1.0e4)
    pb, pc = jm.parallel_delta_v(280.0, 8.0e6, 4.0e5, 4.0e4, 310.0, 4.0e6, 5.0e5, 5.0e4, 2.0e5)
    pair: tuple[NDArray[np.float64], NDArray[np.float64]] = (pb, pc)
    stack = jm.Stack(isp=np.array([300.0, 340.0]), thrust=np.array([7.0e6, 1.0e6]),
                     m_prop=np.array([4.0e5, 1.0e5]), m_dry=np.array([3.0e4, 1.0e4]))
    phases: NDArray[np.float64] = jm.stack_delta_v(stack, 1.0e4)
    gross: NDArray[np.float64] = stack.liftoff_mass(1.0e4)
    sol: jm.core.payload.PayloadSolution = jm.solve_payload(stack, 9000.0)
    sols: jm.core.payload.PayloadSolution = jm.solve_payload_targets(stack, np.array([8000.0, 9000.0]))
    kg: NDArray[np.float64] = sol.payload
    print(t, sd, sv, pair, phases, gross, kg, sols.status)
    prop: jm.kepler.PropagationResult = jm.propagate(mu, np.array([7000e3, 0.0, 0.0]),
                                                    np.array([0.0, 7546.0, 0.0]), 3600.0)
    lam: jm.lambert.LambertSolution = jm.solve_lambert(1.32712440018e20, np.array([1.5e11, 0.0, 0.0]),
                                                       np.array([0.0, 2.2e11, 0.0]), 250 * 86400.0)
    status: NDArray[np.int8] = lam.status
    print(prop.r, status, jm.Status.OK, jm.PayloadStatus.OK, jm.DEFAULT_PARKING_ALT_M)
    return total


def every_catalog_and_target_call() -> None:
    veh: jm.LaunchVehicle = jm.get_vehicle("Long March 5")
    m0: NDArray[np.float64] = veh.liftoff_mass(1.0e4)
    tw: NDArray[np.float64] = veh.liftoff_thrust_to_weight(1.0e4)
    orbit: jm.Target = jm.OrbitTarget(200e3, 35786e3, 0.5)
    esc: jm.Target = jm.C3Target(-2.0e6, parking_alt_m=200e3)
    also: jm.Target = jm.Target.orbit(400e3) if orbit.kind == "orbit" else jm.Target.c3(0.0)
    for tgt in (orbit, esc, also):
        res: jm.PerformanceResult = jm.payload(veh, tgt, reserve_fraction=0.01)
        print(res.payload_kg)
    lat: jm.PerformanceResult = jm.payload_to_orbit(veh, 200e3, latitude_rad=0.35)
    curve: xr.Dataset = jm.payload_curve("Falcon Heavy", c3=np.linspace(-2e6, 60e6, 5), dla=0.5)
    by_alt: xr.Dataset = jm.payload_curve(veh, altitude=[200e3, 400e3], inclination=0.9, latitude=0.5)
    dla_target: jm.Target = jm.C3Target(10e6, dla_rad=-0.4).for_latitude(0.5)
    print(curve.payload.values, by_alt.status.values, dla_target.inclination_rad)
    print(m0, tw, lat.status)
    try:
        jm.get_engine("no such engine")
    except jm.CatalogError as exc:
        print(exc)


def every_transfer_and_run_call(path: Path, out: Path) -> None:
    ds: xr.Dataset = jm.porkchop("earth", "mars", "2031-01-01:2031-05-15", ("2031-07-01", "2032-03-31"),
                                 step_days=5.0)
    best: jm.BestTransfer = jm.best_transfer("earth", "mars", ("2031-01-01", "2031-05-15"), tof_days=(150.0, 300.0))
    days: float = best.tof_days
    print(ds, days, best.to_dict())
    try:
        jm.best_transfer("earth", "pluto", ("2031-01-01", "2031-05-15"))
    except jm.TransferError as exc:
        print(exc)
    scn: jm.Scenario = jm.load_scenario(path)
    written = jm.run(scn, out / "single")  # a sweep scenario runs its sweep: RunResult or SweepResult
    if isinstance(written, jm.SweepResult):
        print(written.to_pandas().shape)
    else:
        one: jm.RunResult = written
        print(one.payload_t(one.rows[0]["target"]))
    sweep: jm.SweepResult = jm.run_sweep(path, out / "sweep", resume=True)
    again: jm.SweepResult = jm.load_sweep(out / "sweep")
    print(sweep.output_dir, again.output_dir)
