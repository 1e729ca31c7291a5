"""Payload never rises with target energy, for every catalog vehicle (coarse grids, one vectorized
call per vehicle and axis).

Why it must hold: a vehicle that delivers a payload to a higher C3 (or a higher circular orbit) can
deliver the same payload to a lower one by flying the same ascent and burning less (the top stage
shuts down earlier; the level end segment of the guided ascent lets a longer top-stage burn repeat a
shorter one), so any model result that rises with energy is a trajectory-optimiser artefact. It did
happen: SLS Block 1B's payload was 33.8 t at C3 -5 km2/s2 and 34.8 t at C3 -4, because the
trajectory-shape search ended in a different basin of the loss function for the two targets.

Tolerance: non-increasing to 2e-4 relative (~7 kg on a 35 t payload) -- the resolution of the
grid-and-parabola shape optimiser, about 1 m/s of loss (docs/method-ascent.md section 5).
"""

import numpy as np
import pytest

from jointmission.vehicles import get_vehicle, payload_to_c3, payload_to_orbit, vehicle_names

C3_KM2_S2 = np.array([-5.0, -4.0, -3.0, -2.0, 0.0, 10.0, 30.0])
ALT_KM = np.array([200.0, 400.0, 800.0, 1500.0])
RTOL = 2e-4


def _non_increasing(p):
    """Indices where ``p`` (finite part; NaN = infeasible) rises by more than :data:`RTOL`."""
    ok = np.isfinite(p)
    q = p[ok]
    return np.flatnonzero(np.diff(q) > RTOL * q[1:])


def test_sls_block_1b_c3_regression():
    """The case that was found: SLS Block 1B below C3 -3 km2/s2 (fast; the catalog-wide tests are slow)."""
    res = payload_to_c3(get_vehicle("SLS Block 1B"), np.array([-5.0, -4.0, -3.0]) * 1e6)
    assert np.all(res.status == 0)
    assert _non_increasing(res.payload_kg).size == 0, res.payload_kg


@pytest.mark.slow
@pytest.mark.parametrize("name", vehicle_names())
def test_payload_non_increasing_in_c3(name):
    res = payload_to_c3(get_vehicle(name), C3_KM2_S2 * 1e6)
    p = np.where(res.status == 0, res.payload_kg, np.nan)
    if not np.isfinite(p[0]):  # no escape capability (Energia has no upper stage): infeasible throughout
        assert not np.any(np.isfinite(p)), f"{name}: {p / 1e3} t"
        return
    # once infeasible, stays infeasible at higher energy
    first_bad = np.argmin(np.isfinite(p)) if not np.all(np.isfinite(p)) else p.size
    assert not np.any(np.isfinite(p[first_bad:])), f"{name}: {p / 1e3} t"
    bad = _non_increasing(p)
    assert bad.size == 0, f"{name}: payload {np.round(p / 1e3, 3)} t at C3 {C3_KM2_S2} km2/s2 rises at {bad}"


@pytest.mark.slow
@pytest.mark.parametrize("name", vehicle_names())
def test_payload_non_increasing_in_circular_altitude(name):
    res = payload_to_orbit(get_vehicle(name), ALT_KM * 1e3)
    p = np.where(res.status == 0, res.payload_kg, np.nan)
    assert np.isfinite(p[0]), f"{name}: lowest orbit infeasible (status {res.status[0]})"
    bad = _non_increasing(p)
    assert bad.size == 0, f"{name}: payload {np.round(p / 1e3, 3)} t at {ALT_KM} km rises at {bad}"
