"""Strict unit text and Quantities in ``units.to_si`` (issue 12, item 1): one number, one unit.

Every value either converts to the SI number astropy gives for the same quantity, or raises
``UnitError``; never a different number (``"1 500 t"`` was 500 t, ``"200 2 km"`` 400 km,
``"200 dex(km)"`` 1e200 km).
"""

from __future__ import annotations

import math

import astropy.units as u
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointmission.constants import G0
from jointmission.units import SI_UNITS, UnitError, as_si, to_si


@pytest.mark.parametrize(
    "text, kind, default, expected",
    [
        ("3.2 km/s", "speed", "km/s", 3200.0),
        ("120 t", "mass", "t", 120e3),
        ("-1.9 km2/s2", "c3", "km2/s2", -1.9e6),
        ("-1.9 km^2/s^2", "c3", "km2/s2", -1.9e6),
        ("-1.9 km**2/s**2", "c3", "km2/s2", -1.9e6),
        ("311 s", "isp", "s", 311.0),
        ("3.05 km/s", "isp", "s", 3050.0 / G0),
        ("28.5 deg", "angle", "deg", math.radians(28.5)),
        ("1_500 t", "mass", "t", 1.5e6),
        ("1500", "mass", "t", 1.5e6),
        ("  250 km ", "length", "km", 250e3),
        ("1.5e3km", "length", "km", 1.5e6),
        (".5 km", "length", "km", 500.0),
        ("1.5 km s-1", "speed", "km/s", 1500.0),
        ("0.5 1/s", "rate", "1/s", 0.5),
        ("3.986e5 km3/s2", "gm", "km3/s2", 3.986e14),
        ("3 %", "dimensionless", "", 0.03),
        (2, "length", "km", 2000.0),
        (np.float32(2.5), "length", "km", 2500.0),
        (np.int64(3), "mass", "t", 3000.0),
    ],
)
def test_valid_forms(text, kind, default, expected):
    assert to_si(text, kind, default) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1 500 t", "holds a number"),
        ("200 2 km", "holds a number"),
        ("2 001 km", "holds a number"),
        ("1 .5 t", "holds a number"),
        ("3 km/1 s", "holds a number"),
        ("3 km/(1000 s)", "holds a number"),
        ("200 dex(km)", "logarithmic"),
        ("3 mag", "logarithmic"),
        ("3 dB", "logarithmic"),
        ("3 dex", "logarithmic"),
        ("nan t", "expected a number"),
        ("inf t", "expected a number"),
        ("1e999 t", "finite"),
        ("1" + "0" * 400 + " t", "finite"),
        ("1e300 M_sun", "too large"),
        ("1__5 t", "'_'"),
        ("1_ t", "'_'"),
        ("1,500 t", "unknown unit"),
        ("\u0663 t", "expected a number"),  # an Arabic-Indic digit: not an ASCII number
        ("12 km", "cannot be converted"),
    ],
)
def test_refused_text(text, fragment):
    with pytest.raises(UnitError, match=None) as e:
        to_si(text, "mass", "t")
    assert fragment in str(e.value), str(e.value)


def test_huge_integers_and_non_finite_numbers_are_unit_errors():
    for v in (10**400, -(10**400)):
        with pytest.raises(UnitError, match="too large"):
            to_si(v, "mass", "t")
    for v in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(UnitError, match="finite"):
            to_si(v, "length", "km")
    with pytest.raises(UnitError, match="too large"):
        to_si(10**300, "length", "Mpc")  # finite float, overflows in metres
    import jointmission as jm

    with pytest.raises(UnitError):
        jm.to_si(10**400, "mass", "t")


def test_quantities():
    assert to_si(7000 * u.km, "length", "km") == 7e6
    assert to_si(-2 * u.km**2 / u.s**2, "c3", "km2/s2") == -2e6
    assert to_si(3.05 * u.km / u.s, "isp", "s") == pytest.approx(3050 / G0)
    assert to_si(28.5 * u.deg, "angle", "deg") == pytest.approx(math.radians(28.5))
    with pytest.raises(UnitError, match="cannot be converted"):
        to_si(7000 * u.s, "length", "km")
    with pytest.raises(UnitError, match="single"):
        to_si([1, 2] * u.km, "length", "km")
    with pytest.raises(UnitError, match="logarithmic"):
        to_si(u.Dex(2 * u.km), "length", "km")
    with pytest.raises(UnitError, match="finite"):
        to_si(np.nan * u.km, "length", "km")


def test_as_si_names_the_argument():
    assert as_si(5.0, "length", "r1") == 5.0
    np.testing.assert_array_equal(as_si([1, 2] * u.km, "length", "r1"), [1e3, 2e3])
    with pytest.raises(UnitError, match="'r1'.*m"):
        as_si(3 * u.s, "length", "r1")


# --------------------------------------------------------------------------------------------
# property test (hypothesis)
# --------------------------------------------------------------------------------------------

#: Units of every kind and a few that belong to none (temperature, current, log units).
UNIT_TEXTS = [
    "kg", "t", "g", "N", "kN", "MN", "s", "min", "h", "d", "yr", "m", "km", "AU",
    "mm", "m/s", "km/s", "km/h", "deg", "rad", "arcmin", "km2/s2", "m2/s2", "km^2/s^2",
    "km3/s2", "m3/s2", "1/s", "Hz", "%", "K", "A", "J", "W", "km s-1", "dex", "mag", "dB",
    "dex(km)", "deg_C", "M_earth", "pc",
]
KINDS = list(SI_UNITS)
DEFAULTS = {"mass": "t", "force": "kN", "time": "s", "isp": "s", "length": "km", "speed": "km/s",
            "angle": "deg", "c3": "km2/s2", "gm": "km3/s2", "rate": "1/s", "dimensionless": ""}


def _expected(number: float, unit_text: str, kind: str) -> float | None:
    """The SI value astropy gives directly, or None where the value must be refused."""
    try:
        unit = u.Unit(unit_text.replace("^", ""))
    except ValueError:
        return None
    if not isinstance(unit, u.UnitBase) or unit.physical_type in ("dex", "mag") or "dB" in str(unit):
        return None
    if any(str(b) in ("dex", "mag", "dB") for b in unit.bases):
        return None
    try:
        with np.errstate(over="ignore"):
            if kind == "isp" and unit.is_equivalent(u.m / u.s):
                v = (number * unit).to_value(u.m / u.s) / G0
            else:
                v = (number * unit).to_value(SI_UNITS[kind])
    except u.UnitConversionError:
        return None
    return float(v) if math.isfinite(v) else None


numbers_ = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(min_value=-1e6, max_value=1e6),
)


def _check(value, kind, expected):
    try:
        got = to_si(value, kind, DEFAULTS[kind])
    except UnitError:
        assert expected is None, f"{value!r} ({kind}) refused, astropy gives {expected}"
        return
    assert expected is not None, f"{value!r} ({kind}) gave {got}, expected a UnitError"
    assert got == pytest.approx(expected, rel=1e-12, abs=0.0), (value, kind)


@settings(deadline=None, max_examples=300)
@given(number=numbers_, unit_text=st.sampled_from(UNIT_TEXTS), kind=st.sampled_from(KINDS))
def test_number_and_unit_text_is_astropy_or_refused(number, unit_text, kind):
    text = f"{number!r} {unit_text}" if isinstance(number, float) else f"{number} {unit_text}"
    try:
        num = float(number)
    except OverflowError:
        num = math.inf
    expected = _expected(num, unit_text, kind) if math.isfinite(num) else None
    _check(text, kind, expected)


@settings(deadline=None, max_examples=200)
@given(
    digits=st.text(alphabet="0123456789", min_size=2, max_size=12),
    data=st.data(),
    unit_text=st.sampled_from(["t", "km", "km/s", "s", ""]),
)
def test_space_inside_a_number_is_refused(digits, data, unit_text):
    """A space (or several) anywhere inside the number: always refused, never a product."""
    cut = data.draw(st.integers(min_value=1, max_value=len(digits) - 1))
    spaces = data.draw(st.sampled_from([" ", "  ", "\t"]))
    text = f"{digits[:cut]}{spaces}{digits[cut:]} {unit_text}".strip()
    for kind in ("mass", "length", "speed", "time", "dimensionless"):
        with pytest.raises(UnitError):
            to_si(text, kind, DEFAULTS[kind])


@settings(deadline=None, max_examples=300)
@given(
    x=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e9, 1e9)),
    unit_text=st.sampled_from(UNIT_TEXTS),
    kind=st.sampled_from(KINDS),
)
def test_quantities_of_every_dimension(x, unit_text, kind):
    """A Quantity of any dimension: its own unit is used; the wrong dimension is refused."""
    unit = u.Unit(unit_text.replace("^", ""))
    q = u.Quantity(x, unit) if isinstance(unit, u.UnitBase) else u.Dex(x, unit)
    expected = _expected(x, unit_text, kind) if math.isfinite(x) else None
    _check(q, kind, expected)


@settings(deadline=None, max_examples=300)
@given(text=st.text(max_size=20), kind=st.sampled_from(KINDS))
def test_any_text_is_a_unit_error_or_the_astropy_value(text, kind):
    """Random text: a UnitError or the value astropy gives for its (single) number and unit."""
    try:
        got = to_si(text, kind, DEFAULTS[kind])
    except UnitError:
        return
    import re

    m = re.fullmatch(r"\s*([-+]?[0-9_.eE+-]+)(.*?)\s*", text, re.ASCII | re.DOTALL)
    assert m, text
    unit_text = m.group(2).strip() or DEFAULTS[kind]
    expected = _expected(float(m.group(1).replace("_", "")), unit_text.replace("**", ""), kind)
    assert expected is not None and got == pytest.approx(expected, rel=1e-12), (text, got)


# ----------------------------------------------------------------- the scenario loader and the API
_ALT_UNITS = ["km", "m", "mi", "Mm", "nmi", "au", "lyr"]


@settings(deadline=None, max_examples=150)
@given(number=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**400, 10**400)),
       unit_text=st.sampled_from(_ALT_UNITS))
def test_scenario_altitude_is_the_astropy_value_inside_the_limits_or_refused(number, unit_text):
    """An orbit altitude in a scenario is either exactly the astropy value, between 120 km and
    Earth's sphere of influence, or a ScenarioError naming the field: never another number."""
    from jointmission.constants import MAX_APOGEE_ALT_M, MIN_PERIGEE_ALT_M
    from jointmission.scenario import ScenarioError, parse_scenario

    text = f"{number} {unit_text}"
    doc = {"name": "p", "vehicle": "Saturn V", "targets": [{"name": "a", "orbit": {"altitude": text}}]}
    try:
        sc = parse_scenario(doc, source="p.yaml")
    except ScenarioError as exc:
        assert exc.field == "targets[0].orbit.altitude", str(exc)
        return
    got = sc.targets[0].orbit.altitude
    want = (float(number) * u.Unit(unit_text)).to_value(u.m)
    assert math.isclose(got, want, rel_tol=1e-12)
    assert MIN_PERIGEE_ALT_M <= got <= MAX_APOGEE_ALT_M


@settings(deadline=None, max_examples=4)
@given(perigee=st.lists(st.floats(-1e7, 2e9), min_size=1, max_size=40),
       extra=st.lists(st.floats(0, 1e16), min_size=40, max_size=40))
def test_api_payload_is_nan_with_a_status_outside_the_limits(perigee, extra):
    """jm.payload_to_orbit never returns a payload for an orbit below 120 km or beyond the SOI
    (one vectorized call per example)."""
    import jointmission as jm
    from jointmission.constants import MAX_APOGEE_ALT_M, MIN_PERIGEE_ALT_M
    from jointmission.core.status import Status
    from jointmission.vehicles import catalog

    hp = np.array(perigee)
    ha = hp + np.array(extra[: len(perigee)])
    r = jm.payload_to_orbit(catalog.get_vehicle("Saturn V"), hp, ha)
    outside = (hp < MIN_PERIGEE_ALT_M) | (ha > MAX_APOGEE_ALT_M)
    assert (r.status[outside] == Status.INVALID_TARGET).all() and np.isnan(r.payload_kg[outside]).all()
    ok = r.status == Status.OK
    assert (r.payload_kg[ok] > 0).all() and not (ok & outside).any()


def test_units_read_without_astropy_convert_exactly_as_astropy():
    """The units ``to_si`` reads without importing astropy (``units._PLAIN``: the catalog's,
    scenarios' and command line's usual units) give astropy's result bit for bit, as numbers in the
    default unit and as text, for values across many magnitudes."""
    import astropy.units as u

    from jointmission import units

    rng = np.random.default_rng(5)
    values = [0.0, 1.0, -1.0, 0.1, 28.5, 185.0, 51.6, 1e-300, 1.7e300] + [float(x) for x in rng.standard_normal(200) * 10.0 ** rng.integers(-8, 8, 200)]
    for (kind, unit_text), factor in units._PLAIN.items():
        unit = u.Unit(unit_text)
        for v in values:
            want = (v * unit).to_value(SI_UNITS[kind])
            if not np.isfinite(want):
                continue
            assert v * factor == want, (kind, unit_text, v)
            assert to_si(v, kind, unit_text) == want, (kind, unit_text, v)
            assert to_si(f"{v!r} {unit_text}".strip(), kind, "m" if kind == "length" else unit_text) == want


def test_a_catalog_vehicle_and_a_payload_answer_do_not_import_astropy():
    """Reading the catalog and answering a payload question need no astropy (it is imported only
    for a unit outside the usual ones, or a Quantity): a short command's start-up without it."""
    import subprocess
    import sys

    code = ("import sys; from jointmission.vehicles import get_vehicle; from jointmission.units import to_si; "
            "get_vehicle('Saturn V'); to_si('185 km', 'length', 'km'); to_si(28.5, 'angle', 'deg'); "
            "print('astropy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
