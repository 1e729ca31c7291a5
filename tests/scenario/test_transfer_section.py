"""The ``transfer:`` scenario section: valid forms load; mistakes name file, line and field."""

from __future__ import annotations

import pytest

from jointmission.constants import DEFAULT_PARKING_ALT_M
from jointmission.scenario import ScenarioError, load_scenario

HEAD = "name: x\nvehicle: Saturn V\n"


def _err(path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "\n" not in str(info.value)
    return info.value


def test_full_section_loads_with_units(write):
    p = write(HEAD + """\
transfer:
  from: Earth
  to: mars
  depart: {start: 2031-01-01, end: 2031-05-15}
  arrive: 2031-07-01:2032-03-31
  tof: [120 d, 1 yr]
  step: 12 h
  parking: {altitude: 250 km}
  capture: {periapsis: 300 km, apoapsis: 33000 km}
  objective: dv_total
  payload: false
""")
    s = load_scenario(p)
    t = s.transfer
    assert (t.origin, t.target) == ("earth", "mars")
    assert t.depart.as_tuple() == ("2031-01-01", "2031-05-15")
    assert t.arrive.as_tuple() == ("2031-07-01", "2032-03-31")
    assert t.tof_days == pytest.approx((120.0, 365.25))
    assert t.step == pytest.approx(0.5)
    assert t.parking.altitude == 250e3 and t.capture.apoapsis == 33_000e3
    assert s.targets == ()  # a transfer section may stand without targets
    again = t.resolved()
    assert again["step"] == "0.5 d" and again["from"] == "earth"


def test_minimal_section_defaults(write):
    s = load_scenario(write(HEAD + "transfer: {from: earth, to: mars, depart: '2033-02-01:2033-07-15'}\n"))
    t = s.transfer
    assert t.arrive is None and t.tof is None and t.step == 2.0 and t.objective == "c3" and t.payload
    assert t.parking.altitude == DEFAULT_PARKING_ALT_M == 185e3  # the one parking default
    assert t.capture.periapsis == 300e3 and t.capture.apoapsis is None


@pytest.mark.parametrize(
    "section, line, field, words",
    [
        ("transfer:\n  from: earth\n  to: marz\n  depart: 2031-01-01:2031-05-15\n", 7, "transfer.to",
         "did you mean 'mars'"),
        ("transfer:\n  from: earth\n  to: earth\n  depart: 2031-01-01:2031-05-15\n", 7, "transfer.to", "both 'earth'"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-05-01:2031-01-15\n", 8, "transfer.depart.end",
         "swap them"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: next window\n", 8, "transfer.depart", "date window"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2061-01-01:2061-05-15\n", 8, "transfer.depart",
         "outside the DE421"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-01-01:2031-05-15\n  step: -2 d\n", 9,
         "transfer.step", "positive time"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-01-01:2031-05-15\n  tof: [300 d, 100 d]\n", 9,
         "transfer.tof", "min < max"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-01-01:2031-05-15\n  objectiv: c3\n", 9,
         "transfer.objectiv", "did you mean 'objective'"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-01-01:2031-05-15\n"
         "  capture: {periapsis: 3000 km, apoapsis: 300 km}\n", 9, "transfer.capture.apoapsis", "swap them"),
        # an orbit outside the planet's sphere of influence is no capture / parking orbit of it
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-01-01:2031-05-15\n"
         "  capture: {periapsis: 33000000}\n", 9, "transfer.capture.periapsis", "outside Mars's sphere of influence"),
        ("transfer:\n  from: earth\n  to: mars\n  depart: 2031-01-01:2031-05-15\n"
         "  capture: {periapsis: 300 km, apoapsis: 800000 km}\n", 9, "transfer.capture.apoapsis",
         "outside Mars's sphere of influence"),
        ("transfer:\n  from: mars\n  to: earth\n  depart: 2031-01-01:2031-05-15\n"
         "  parking: {altitude: 700000 km}\n", 9, "transfer.parking.altitude", "outside Mars's sphere of influence"),
    ],
)
def test_mistakes_name_file_line_field(write, section, line, field, words):
    err = _err(write(HEAD + "targets:\n  - {name: LEO, orbit: {altitude: 200}}\n" + section))
    assert err.field == field
    assert err.line == line
    assert words in err.reason


def test_no_targets_and_no_transfer_is_an_error(write):
    err = _err(write(HEAD + "targets: []\n"))
    assert err.field == "targets"
    assert "transfer:" in err.reason
