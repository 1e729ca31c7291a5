"""Predicted vs published payload of every reference vehicle in the packaged catalog.

Each published figure (``published_performance`` in ``vehicles/data/vehicles.yaml``, with its
definition and source) is recomputed on its own definition:

- orbit target -> :func:`payload_to_orbit` (separated payload, direct insertion at perigee);
- C3 target -> :func:`payload_to_c3` (parking orbit 185 km unless the figure says otherwise);
- Saturn V "141.1 t to LEO" counts the S-IVB, its instrument unit and the propellant kept for TLI,
  so it is recomputed with :func:`mass_in_orbit_with_top_stage`, carrying the Apollo spacecraft
  mass that is Saturn V's *other* published figure (48.6 t to TLI) -- a different quantity, so the
  check is not circular.

The ascent model has no coefficient fitted to these payloads (``docs/method-ascent.md``): its drag
coefficient is set from Saturn V's published *drag loss*, everything else is physics.

Three kinds of figure, read from the figure's ``notes`` in the data file (the vehicle spec has no
field for them, so they are tags in the text: ``calibration: true`` / ``floor: true``):

- **validation** (no tag): two-sided, every figure within 15 % and every GTO figure within 10 %
  (:data:`TOL_GTO`); the figures within 10 % must be the majority of them.
- **calibration** (``calibration: true``): a figure that catalog data were fitted to (Long March 9
  (2016): one structural factor on its unpublished stage dry masses, fitted to the 50 t TLI). The
  test asserts that the fit holds (within 2 %) but does not count it as validation.
- **floor** (``floor: true``): the published number is a demonstrated or stated *lower bound*
  (NASA's "more than 27 t"; a payload actually flown and later exceeded). Asserted one-sided: the
  prediction must not fall more than 15 % below it. Not counted in the two-sided statistics.

- **ceiling** (``kind: ceiling``): a provider's (marketing) maximum that cannot hold together with
  the NASA Launch Services Program payload-vs-C3 curve of the same vehicle under one set of stage
  data (Falcon Heavy's 63.8 t LEO and 16.8 t Mars figures against NASA LSP's 12.3 t at C3 10, say;
  the numbers are in ``docs/validation.md``). NASA LSP wins (``tests/validation/test_published_curves.py``
  asserts it two-sided); the provider figure is asserted as an upper bound that the model must not
  exceed, nor fall below by more than :data:`TOL_CEILING`.

Every figure is predicted as the library answers by default, with the top stage's propellant load
chosen by the payload solve (``top_load="optimal"``): the LEO figures of SLS Block 1B (105 t), Atlas V
551 (18.85 t) and Delta IV Heavy (28.79 t), behind low-thrust top stages, hold only with it (the full
load misses them by 17-50 %: ``test_top_load_figures.py``). A figure the model misses with physically
honest data is an explicit strict ``xfail`` (:data:`KNOWN_FAILURES`, keyed by vehicle and the figure's
target as printed, reason with the numbers; it fails the suite if it starts to pass): Ariane 64's LEO
and SSO figures. Every reference vehicle must have at least one asserted non-calibration
figure. Run ``pytest -s tests/validation`` to see the table.

Sources: each figure's ``source`` string from the data file is printed with it; the catalog cites
the stage masses and engine data (``docs/catalog-sources.md``).
"""

from __future__ import annotations

import functools
import math

import pytest

from jointmission.vehicles import (
    get_vehicle,
    mass_in_orbit_with_top_stage,
    payload_to_c3,
    payload_to_orbit,
    vehicle_names,
)
from jointmission.vehicles.spec import C3TargetSpec

TOL_ALL = 0.15
TOL_MOST = 0.10
TOL_GTO = 0.10
"""A geostationary-transfer figure (``validation`` kind) must be within 10 %, the bound the payload
issue sets for LEO/GTO figures: every catalog GTO figure of that kind now holds it (LEO figures of
vehicles behind a low-thrust top stage do not yet: strict xfails, :data:`KNOWN_FAILURES`, held to
:data:`TOL_ALL` once they pass)."""
GTO_APOGEE_MIN_M = 30_000e3
"""[m] An orbit target with its apogee above this altitude is a GTO figure (geostationary altitude 35,786 km)."""
TOL_CALIBRATION = 0.02
TOL_CEILING = 0.35
"""A provider maximum ('ceiling') may exceed the NASA-LSP-consistent prediction by at most 35 %: the
largest gap in the catalog is Falcon Heavy's 16.8 t 'to Mars' against NASA LSP's ~11.9 t at C3 12
(-29 %); a larger gap would point at a wrong figure definition rather than marketing margin."""

REFERENCE_VEHICLES = {
    "Saturn V", "SLS Block 1", "Energia", "Falcon Heavy", "Long March 5", "Angara A5",
    "Long March 9 (2016)",
}



KNOWN_FAILURES = {
    ("Ariane 64", "200x200 km i=5.2"): (
        "Ariane 64 21.65 t LEO (Ariane 6 User's Manual via Wikipedia; orbit not stated, 200 km due east assumed): "
        "25.67 t with the ULPM load chosen by the solve (0.60; +18.6 %; full load 22.92 t, +5.9 %), with ESA's and "
        "DLR's published stage masses, the boosters separated at T+145 s as flown, and nothing fitted (GTO +2.2 %, "
        "lunar transfer +4.8 %). The orbit is the open question: at 400 km / 51.6 deg (an ISS-type orbit, not "
        "stated by the source) the model gives ~22.6 t (+4 %) (docs/validation.md)"),
    ("Ariane 64", "500x500 km i=97.4"): (
        "Ariane 64 15.5 t SSO (97.4 deg, 500 km implied): 18.53 t with the ULPM load chosen by the solve (0.63; "
        "+19.6 %; full load 16.58 t, +7.0 %); at 800 km (the altitude of Ariane 6's SSO design target) ~17.5 t "
        "(+13 %): the figure's orbit and any disposal reserve in it are not stated by the source"),
}
"""(vehicle, target as printed by :func:`_describe`) -> reason of a strict xfail."""


def _kind(fig) -> str:
    """'calibration', 'floor', 'ceiling' or 'validation': the figure's ``kind`` in the catalog."""
    return fig.kind


def _describe(fig) -> str:
    t = fig.target
    if isinstance(t, C3TargetSpec):
        park = "" if t.parking_altitude is None else f" (park {t.parking_altitude / 1e3:.0f} km)"
        return f"C3 {t.c3 / 1e6:+.1f} km2/s2{park}"
    apo = t.apogee if t.apogee is not None else t.perigee
    inc = "" if t.inclination is None else f" i={math.degrees(t.inclination):.1f}"
    return f"{t.perigee / 1e3:.0f}x{apo / 1e3:.0f} km{inc}"


def _figures():
    out = []
    for name in vehicle_names():
        v = get_vehicle(name)
        for i, fig in enumerate(v.published):
            target = "c3" if isinstance(fig.target, C3TargetSpec) else "orbit"
            why = KNOWN_FAILURES.get((name, _describe(fig)))
            out.append(pytest.param(name, i, id=f"{name}-{target}-{i}-{_kind(fig)}",
                                    marks=[pytest.mark.xfail(strict=True, reason=why)] if why else []))
    return out


FIGURES = _figures()


def _spacecraft_mass(vehicle) -> float:
    """Saturn V: the spacecraft mass of the vehicle's published C3 (TLI) figure [kg]."""
    for fig in vehicle.published:
        if isinstance(fig.target, C3TargetSpec):
            return fig.payload
    raise LookupError("no C3 figure to take the spacecraft mass from")


@functools.lru_cache(maxsize=None)
def predict(name: str, i: int):
    """Predicted figure [kg] on the published definition, and the result object."""
    v = get_vehicle(name)
    fig = v.published[i]
    t = fig.target
    if isinstance(t, C3TargetSpec):
        park = t.parking_altitude if t.parking_altitude is not None else 185e3
        res = payload_to_c3(v, t.c3, parking_alt_m=park, inclination_rad=t.inclination)
    elif name == "Saturn V":
        res = mass_in_orbit_with_top_stage(v, _spacecraft_mass(v), t.perigee, t.apogee, t.inclination)
    else:
        res = payload_to_orbit(v, t.perigee, t.apogee, t.inclination)
    return float(res.payload_kg), res


@functools.lru_cache(maxsize=None)
def _row(name: str, i: int) -> tuple:
    fig = get_vehicle(name).published[i]
    pred, res = predict(name, i)
    return (name, _describe(fig), _kind(fig), fig.payload, pred, pred / fig.payload - 1.0,
            float(res.dv_losses), int(res.status), fig.source)


def _rows() -> list[tuple]:
    return [_row(*p.values) for p in FIGURES]


@pytest.mark.parametrize("name, i", FIGURES)
def test_reference_payload(name, i):
    _, target, kind, pub, pred, err, _, status, src = _row(name, i)
    assert status == 0, f"{name} {target}: status {status}"
    where = f"{name} {target}: predicted {pred / 1e3:.1f} t vs published {pub / 1e3:.1f} t ({100 * err:+.1f} %) [{src}]"
    if kind == "calibration":
        assert abs(err) <= TOL_CALIBRATION, "calibration no longer holds: " + where
    elif kind == "floor":
        assert err >= -TOL_ALL, "prediction below a published lower bound: " + where
    elif kind == "ceiling":
        assert -TOL_CEILING <= err <= 0.0, "provider maximum not an upper bound of the model: " + where
    else:
        assert abs(err) <= (TOL_GTO if _is_gto(fig_of(name, i)) else TOL_ALL), where


def fig_of(name: str, i: int):
    """The published figure ``i`` of vehicle ``name``."""
    return get_vehicle(name).published[i]


def _is_gto(fig) -> bool:
    """An orbit figure whose apogee is geostationary-transfer class (:data:`GTO_APOGEE_MIN_M`)."""
    t = fig.target
    return not isinstance(t, C3TargetSpec) and t.apogee is not None and t.apogee >= GTO_APOGEE_MIN_M


def test_gto_figures_are_held_to_ten_percent():
    """The catalog has GTO figures of the validation kind (so the 10 % rule above is exercised)."""
    gto = [(n, i) for n, i in (p.values for p in FIGURES) if _is_gto(fig_of(n, i)) and _kind(fig_of(n, i)) == "validation"]
    assert len(gto) >= 3, gto


def test_every_reference_vehicle_has_an_asserted_non_calibration_figure():
    kinds: dict[str, set[str]] = {}
    for name, _, kind, *_ in _rows():
        kinds.setdefault(name, set()).add(kind)
    missing = REFERENCE_VEHICLES - set(kinds)
    assert not missing, f"reference vehicles without published figures: {sorted(missing)}"
    only_calibration = [n for n in REFERENCE_VEHICLES if kinds[n] <= {"calibration"}]
    assert not only_calibration, f"validated only by their calibration figure: {only_calibration}"


def test_most_figures_within_ten_percent():
    """Prints the validation table; the validation figures within 10 % are the majority."""
    rows = _rows()
    print("\n{:<22} {:<32} {:<11} {:>8} {:>8} {:>7} {:>6}  source".format(
        "vehicle", "target", "kind", "pub [t]", "pred [t]", "err %", "loss"))
    for name, target, kind, pub, pred, err, loss, _, src in rows:
        print(f"{name:<22} {target:<32} {kind:<11} {pub / 1e3:8.1f} {pred / 1e3:8.1f} {100 * err:+7.1f} {loss:6.0f}  {src}")
    errs = [abs(r[5]) for r in rows if r[2] == "validation"]
    n10 = sum(e <= TOL_MOST for e in errs)
    n15 = sum(e <= TOL_ALL for e in errs)
    print(f"validation figures: {n10} of {len(errs)} within 10 %, {n15} within 15 % "
          f"(plus {sum(r[2] == 'floor' for r in rows)} one-sided floors, "
          f"{sum(r[2] == 'calibration' for r in rows)} calibration figure(s) not counted)")
    assert all(math.isfinite(r[4]) for r in rows)
    assert len(errs) >= len(REFERENCE_VEHICLES)
    assert n10 > len(errs) / 2, f"only {n10} of {len(errs)} validation figures within 10 %"


def test_saturn_v_loss_breakdown():
    """Saturn V (Apollo 17 ascent to the 170 km parking orbit) against the published breakdown:
    gravity loss 1534 m/s, drag loss 40 m/s (Humble, Henry & Larson, *Space Propulsion Analysis
    and Design*, 1995, as compiled on the NASASpaceFlight forum, topic 9959, and reproduced in public
    trajectory scripts). The drag level ``beta_ref`` was set from this drag figure, so only the
    gravity loss is an independent check; the published steering loss (243 m/s) includes
    operational constraints the optimised model trajectory does not have, so it is not asserted."""
    v = get_vehicle("Saturn V")
    i = next(k for k, f in enumerate(v.published) if not isinstance(f.target, C3TargetSpec))
    _, res = predict("Saturn V", i)  # the 169 x 171 km, 28.5 deg Apollo 17 parking orbit
    print(f"\nSaturn V losses: gravity {float(res.dv_gravity):.0f} (1534), drag {float(res.dv_drag):.0f} (40), "
          f"steering {float(res.dv_steering):.0f} (243), back-pressure {float(res.dv_back_pressure):.0f}")
    assert float(res.dv_gravity) == pytest.approx(1534.0, rel=0.10)
    assert float(res.dv_drag) == pytest.approx(40.0, rel=0.25)
