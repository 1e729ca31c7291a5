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
coefficient is set from Saturn V's published *drag loss*, everything else is physics. Tolerance:
every figure within 15 %, at least two thirds of them within 10 % (counted over the figures with
consistent data). Figures whose published number
or catalog data are known to be inconsistent are ``xfail`` with the reason (see the method note);
they still print in the table. Run ``pytest -s tests/validation`` to see the table.

Sources: each figure's ``source`` string from the data file is printed with it; the catalog cites
the stage masses and engine data (``docs/catalog-sources.md``).
"""

from __future__ import annotations

import functools
import math

import numpy as np
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

# Known inconsistencies between the published figure and the catalog data (not model tuning):
KNOWN = {
    ("Long March 9 (2016)", "c3"): (
        "stage split is derived, not published; the data note says these masses give ~14 km/s of "
        "ideal delta-v with 50 t (vs 12.5 km/s for Saturn V/Apollo 17) and expects over-prediction"
    ),
    ("Energia", "orbit"): (
        "the 100 t is mass on a suborbital core trajectory (payload circularises itself) and the "
        "Blok-A/Blok-Ts masses are secondary-source values (+-5 %), which move the payload by +-20 %"
    ),
    ("SLS Block 1", "c3"): (
        "NASA's 27 t is a floor ('more than 27 t'); the catalog's core dry mass (85.3 t) is the "
        "lightest of the published values (97.9 t later) and the LVSA / Orion LAS are not modelled"
    ),
    ("Long March 5", "c3"): (
        "the published 8.2 t TLI and 14 t GTO imply a TLI/GTO payload ratio of 0.59, while the "
        "rocket equation with these stages gives 0.73-0.75 for any ascent loss from 1.2 to 2.1 km/s"
    ),
}


def _figures():
    out = []
    for name in vehicle_names():
        v = get_vehicle(name)
        for i, fig in enumerate(v.published):
            kind = "c3" if isinstance(fig.target, C3TargetSpec) else "orbit"
            marks = []
            if (name, kind) in KNOWN:
                marks.append(pytest.mark.xfail(reason=KNOWN[(name, kind)], strict=False))
            out.append(pytest.param(name, i, id=f"{name}-{kind}-{i}", marks=marks))
    return out


FIGURES = _figures()
_TABLE: dict[tuple[str, int], tuple] = {}


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


def _describe(fig) -> str:
    t = fig.target
    if isinstance(t, C3TargetSpec):
        return f"C3 {t.c3 / 1e6:+.1f} km2/s2"
    apo = t.apogee if t.apogee is not None else t.perigee
    inc = "" if t.inclination is None else f" i={math.degrees(t.inclination):.1f}"
    return f"{t.perigee / 1e3:.0f}x{apo / 1e3:.0f} km{inc}"


@pytest.mark.parametrize("name, i", FIGURES)
def test_reference_payload(name, i):
    v = get_vehicle(name)
    fig = v.published[i]
    pred, res = predict(name, i)
    err = pred / fig.payload - 1.0
    _TABLE[(name, i)] = (name, _describe(fig), fig.payload, pred, err, float(res.dv_losses), fig.source)
    assert int(res.status) == 0, f"status {int(res.status)}"
    assert abs(err) <= TOL_ALL, (
        f"{name} {_describe(fig)}: predicted {pred / 1e3:.1f} t vs published {fig.payload / 1e3:.1f} t "
        f"({100 * err:+.1f} %) [{fig.source}]"
    )


def test_most_figures_within_ten_percent():
    """At least two thirds of all published figures within 10 % (prints the validation table)."""
    rows = []
    for p in FIGURES:
        name, i = p.values
        if (name, i) not in _TABLE:
            fig = get_vehicle(name).published[i]
            pred, res = predict(name, i)
            _TABLE[(name, i)] = (name, _describe(fig), fig.payload, pred, pred / fig.payload - 1.0,
                                 float(res.dv_losses), fig.source)
        rows.append(_TABLE[(name, i)])
    print("\n{:<22} {:<26} {:>9} {:>9} {:>8} {:>8}  source".format(
        "vehicle", "target", "pub [t]", "pred [t]", "err %", "loss"))
    for name, target, pub, pred, err, loss, src in rows:
        print(f"{name:<22} {target:<26} {pub / 1e3:9.1f} {pred / 1e3:9.1f} {100 * err:+8.1f} {loss:8.0f}  {src}")
    firm = np.array([abs(r[4]) for p, r in zip(FIGURES, rows) if not p.marks])
    print(f"{np.mean(firm <= TOL_MOST):.0%} of the {firm.size} figures with consistent data within 10 %, "
          f"{np.mean(firm <= TOL_ALL):.0%} within 15 %")
    assert np.all(np.isfinite([r[3] for r in rows]))
    assert np.mean(firm <= TOL_MOST) >= 2 / 3 - 1e-9, f"{np.mean(firm <= TOL_MOST):.0%} within 10 %"


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
