"""One target type, one parking-orbit default, one status-code scheme (see docs/status-codes.md)."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest

import jointmission as jm
from jointmission.constants import DEFAULT_PARKING_ALT_M
from jointmission.core import kepler, lambert, rocket
from jointmission.core.status import STATUS_TEXT, Status, status_text
from jointmission.vehicles.targets import Target, target_set

# ------------------------------------------------------------------------------------------ targets


def test_targets_take_astropy_quantities_converted_at_construction():
    """``Target.c3(1e6, dla_rad=40 * u.deg)`` is a valid declination (0.70 rad): it was refused as
    'dla_rad must be in [-pi/2, pi/2] rad, got <Quantity 40. deg>'. Quantities are converted to SI when
    the target is built (a wrong dimension is a UnitError naming the field, not a later failure)."""
    import astropy.units as u

    from jointmission.units import UnitError

    c = Target.c3(10 * u.km**2 / u.s**2, 300 * u.km, dla_rad=40 * u.deg)
    assert c == Target.c3(10e6, 300e3, dla_rad=np.radians(40.0))
    o = Target.orbit(200 * u.km, 35_786 * u.km, 27 * u.deg)
    assert (o.perigee_alt_m, o.apogee_alt_m) == (200e3, 35_786e3) and o.inclination_rad == pytest.approx(np.radians(27))
    assert o.key == Target.orbit(200e3, 35_786e3, np.radians(27)).key
    with pytest.raises(UnitError, match="perigee_alt_m"):
        Target.orbit(200 * u.kg)
    with pytest.raises(ValueError, match="dla_rad"):
        Target.c3(1e6, dla_rad=100 * u.deg)


def test_orbit_and_c3_targets_are_one_type():
    o = jm.OrbitTarget(200e3, 35_786e3, 0.3)
    c = jm.C3Target(-2e6)
    assert type(o) is type(c) is jm.Target is Target
    assert (o.kind, o.perigee_alt_m, o.apogee_alt_m, o.inclination_rad) == ("orbit", 200e3, 35_786e3, 0.3)
    assert (c.kind, c.c3_m2_s2, c.parking_alt_m) == ("c3", -2e6, DEFAULT_PARKING_ALT_M)
    assert Target.c3(-2e6) == c and Target.orbit(200e3, 35_786e3, 0.3) == o
    with pytest.raises(ValueError):
        Target("escape")
    with pytest.raises(TypeError, match="Target"):
        jm.payload(jm.get_vehicle("Saturn V"), (200e3, None))


def test_every_front_end_builds_the_one_target_type(tmp_path):
    from jointmission.missions import build
    from jointmission.vehicles import get_vehicle

    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: t\nvehicle: {catalog: Saturn V}\ntargets:\n"
                        "  - {name: LEO, orbit: {altitude: 185 km}}\n  - {name: TLI, c3: -1.9 km2/s2}\n")
    s = jm.load_scenario(scenario)
    targets = [t.to_target() for t in s.targets]
    assert all(isinstance(t, Target) for t in targets)
    assert targets[1].parking_alt_m == DEFAULT_PARKING_ALT_M and targets[1].name == "TLI"
    for name in ("moon_direct", "moon_eor_two_launch", "mars_cargo", "mars_crewed"):
        assert all(isinstance(d, Target) for d in build(name).deliveries.values())
    figures = [p.target.to_target() for p in get_vehicle("Saturn V").published]
    assert figures and all(isinstance(t, Target) for t in figures)
    ts = target_set(targets)
    assert ts.names == ("LEO", "TLI") and ts.kind.tolist() == [0, 1] and ts.parking[1] == DEFAULT_PARKING_ALT_M


def test_a_circular_delivery_flies_as_its_circle_c3():
    from jointmission.constants import GM_EARTH, R_EARTH

    c3, park = Target.orbit(200e3).c3_form()
    assert park == 200e3 and c3 == pytest.approx(-GM_EARTH / (R_EARTH + 200e3), rel=1e-8)
    assert Target.c3(-2e6, 200e3).c3_form() == (-2e6, 200e3)
    with pytest.raises(ValueError):
        Target.orbit(200e3, 400e3).c3_form()


def test_one_parking_default_everywhere():
    """Every default parking altitude reads DEFAULT_PARKING_ALT_M (185 km, NASA LSP's payload-vs-C3
    convention): targets, payload_to_c3, transfers, missions, scenario sections and the CLI."""
    from jointmission.cli.main import build_parser
    from jointmission.interplanetary import optimum, transfers
    from jointmission.missions import build, phases
    from jointmission.scenario.schema import ParkingSpec
    from jointmission.scenario.transfer_spec import TransferParkingSpec
    from jointmission.vehicles import performance

    assert DEFAULT_PARKING_ALT_M == 185e3 and jm.DEFAULT_PARKING_ALT_M == DEFAULT_PARKING_ALT_M

    def default(fn, name):
        return inspect.signature(fn).parameters[name].default

    assert default(performance.payload_to_c3, "parking_alt_m") == DEFAULT_PARKING_ALT_M
    assert default(phases.earth_departure_dv, "parking_alt_m") == DEFAULT_PARKING_ALT_M
    for fn in (transfers.evaluate_pairs, transfers.porkchop, optimum.best_transfer):
        assert default(fn, "park_alt_m") == DEFAULT_PARKING_ALT_M
    assert ParkingSpec().altitude == TransferParkingSpec().altitude == DEFAULT_PARKING_ALT_M
    assert build("moon_direct").deliveries["launch"].parking_alt_m == DEFAULT_PARKING_ALT_M
    assert build("moon_eor_two_launch").deliveries["stack"].perigee_alt_m == DEFAULT_PARKING_ALT_M
    args = build_parser().parse_args(["porkchop", "--from", "earth", "--to", "mars", "--depart", "2031-01-01:2031-02-01",
                                      "--arrive", "2031-08-01:2031-09-01"])
    assert args.park == "185 km"


# ------------------------------------------------------------------------------------ status codes
def test_status_codes_are_one_scheme():
    assert rocket.PayloadStatus is jm.vehicles.PerformanceStatus is Status
    assert lambert.LambertStatus is kepler.KeplerStatus is Status
    from jointmission.interplanetary.transfers import TransferStatus
    from jointmission.missions import BudgetStatus
    from jointmission.verification.trajectory import AscentStatus

    assert TransferStatus is BudgetStatus is AscentStatus is Status
    values = [s.value for s in Status]  # aliases (INVALID) are not listed twice
    assert len(values) == len(set(values))
    assert Status.INVALID is Status.INVALID_INPUT
    assert all(s in STATUS_TEXT and STATUS_TEXT[s] for s in Status)
    assert status_text(0) == "ok" and status_text(Status.LIFTOFF_TW_BELOW_ONE) == "infeasible: lift-off thrust-to-weight below 1"
    assert status_text(99) == "unknown status code 99"
    # the domains keep to their ranges: payload 0-4 and 10-14, mission 21-28, orbits 31-34
    assert {s.value for s in Status} <= set(range(0, 5)) | set(range(10, 15)) | set(range(21, 29)) | set(range(31, 35))


def test_human_wording_comes_from_the_one_place():
    from jointmission.missions import STATUS_TEXT as mission_text
    from jointmission.runners.single import status_text as run_text

    assert mission_text is STATUS_TEXT
    assert all(run_text(s) == STATUS_TEXT[s] for s in Status)


def test_lambert_codes_reach_the_porkchop_unchanged():
    r1 = np.array([1.0e11, 0.0, 0.0])
    sol = lambert.lambert(1.327e20, r1, -r1, 1e7)  # 180 deg transfer: no unique plane
    assert int(sol.status) == Status.DEGENERATE == 32


def test_resume_refuses_a_sweep_written_with_another_status_numbering(tmp_path):
    from jointmission.io.chunks import load_manifest, save_manifest
    from jointmission.runners.errors import SweepError
    from jointmission.runners.sweep import run_sweep
    from jointmission.runners.sweep_plan import FORMAT

    scenario = tmp_path / "scenarios" / "s.yaml"
    scenario.parent.mkdir()
    scenario.write_text("name: t\nvehicle: {catalog: Joint Heavy CN}\ntargets:\n  - {name: LEO, orbit: {altitude: 200 km}}\n"
                        "sweep:\n  grid:\n    vehicle.stages[1].m_dry: [60 t, 61 t]\n")
    out = tmp_path / "o"
    run_sweep(scenario, out)
    man = load_manifest(out)
    assert man["format"] == FORMAT == "jointmission-sweep/2"
    man["format"] = "jointmission-sweep/1"
    save_manifest(out, man)
    with pytest.raises(SweepError, match="format 'jointmission-sweep/1'"):
        run_sweep(scenario, out, resume=True)
    assert json.loads((out / "manifest.json").read_text())["format"] == "jointmission-sweep/1"  # left as it was
