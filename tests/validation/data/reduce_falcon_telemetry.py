"""Reduce SpaceX webcast telemetry to the flown recovery burns of ``test_recovery_budget.py``.

Reads a local copy of https://github.com/shahar603/Telemetry-Data (speed [m/s] and altitude [km] of the
first stage after separation, ~30 samples per second, with event times) and prints the tables of the
test: for each Falcon 9 return-to-launch-site flight the separation state at MECO + 2 s, the flip time,
the boost-back and entry-burn delta-v, the vacuum impact point after the boost-back and the entry-burn
altitudes and end speed; for each Falcon 9 GTO drone-ship flight the entry burn; and the Falcon Heavy
Demo 1 separation and center-core cutoff. Run::

    git clone https://github.com/shahar603/Telemetry-Data /tmp/Telemetry-Data
    python tests/validation/data/reduce_falcon_telemetry.py /tmp/Telemetry-Data

Method: the records are resampled to 1 s. On a coast arc above the atmosphere a quadratic fit of the
altitude gives the vertical speed and a linear fit of the speed the speed; the horizontal speed is the
rest (its sign turns where the boost-back brings it through its minimum). Down range is the integral of
the horizontal speed. The boost-back delta-v is the vector change of velocity between the coast arcs
before and after the burn with gravity (less the centrifugal relief of the horizontal speed) added back:
the delta-v of a burn at constant pitch, a lower bound otherwise. The entry burn follows from the speed
equation along the path: the speed lost plus gravity along the path, less drag (taken from the 8 s of
coast before the burn and scaled with rho v^2; below 0.5 m/s^2 there).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.signal import savgol_filter

from jointmission.constants import GM_EARTH, R_EARTH
from jointmission.core.atmosphere import us1976

RTLS = ["NROL-76", "SAOCOM 1A", "SpaceX CRS-11", "SpaceX CRS-12", "X-37B OTV-5", "ZUMA"]
GTO_DRONE_SHIP = ["BulgariaSat-1", "KoreaSat 5A", "SES-11"]


def _g(h: np.ndarray | float) -> np.ndarray | float:
    return GM_EARTH / (R_EARTH + h) ** 2


def load(root: Path, flight: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Time [s], speed [m/s], altitude [m] on a 1 s grid and the event times [s] of one flight's first stage."""
    d = json.loads((root / flight / "JSON" / "stage1 raw.json").read_text())
    ev = json.loads((root / flight / "JSON" / "events.json").read_text())
    t, v, h = (np.asarray(d[k], dtype=float) for k in ("time", "velocity", "altitude"))
    _, i = np.unique(t, return_index=True)
    grid = np.arange(np.ceil(t[0]), np.floor(t[-1]) + 1.0)
    return grid, np.interp(grid, t[i], v[i]), np.interp(grid, t[i], h[i] * 1e3), ev


def arc(t: np.ndarray, v: np.ndarray, h: np.ndarray, a: float, b: float, at: float) -> tuple[float, float, float, float]:
    """Speed, altitude, vertical and horizontal speed at ``at`` from the coast arc between ``a`` and ``b`` [s]."""
    w = (t >= a) & (t <= b)
    ph = np.polyfit(t[w] - at, h[w], 2)
    vv = float(np.polyfit(t[w] - at, v[w], 1)[1])
    return vv, float(ph[2]), float(ph[1]), float(np.sqrt(max(vv**2 - ph[1] ** 2, 0.0)))


def downrange(t: np.ndarray, v: np.ndarray, h: np.ndarray, ev: dict) -> np.ndarray:
    """Down range [m] by integrating the horizontal speed (negative after the boost-back's minimum)."""
    vy = savgol_filter(h, 15, 2, deriv=1)
    vx = np.sqrt(np.clip(savgol_filter(v, 5, 2) ** 2 - vy**2, 0.0, None))
    if ev.get("boostback_start") and ev.get("boostback_end"):
        w = (t >= ev["boostback_start"] - 3) & (t <= ev["boostback_end"] + 3)
        vx[t > t[np.argmin(np.where(w, vx, np.inf))]] *= -1.0
    return np.concatenate([[0.0], np.cumsum(0.5 * (vx[1:] + vx[:-1]) * np.diff(t))])


def speed_equation_burn(t: np.ndarray, v: np.ndarray, h: np.ndarray, a: float, b: float) -> dict:
    """A retrograde burn between ``a`` and ``b`` [s]: start/end speed and altitude, its delta-v [m/s]."""
    hs, vy, vs = savgol_filter(h, 11, 2), savgol_filter(h, 11, 2, deriv=1), savgol_filter(v, 5, 2)
    sin_down = np.clip(-vy / np.maximum(vs, 1.0), -1.0, 1.0)
    w = (t >= a - 1) & (t <= b + 1)
    wc = (t >= a - 10) & (t <= a - 2)
    a_drag = float(np.mean(_g(hs[wc]) * sin_down[wc]) - np.polyfit(t[wc], vs[wc], 1)[0])
    rho0 = us1976(np.array([np.mean(hs[wc])]))[0][0]
    drag = np.trapezoid(a_drag * (us1976(hs[w])[0] / rho0) * (vs[w] / np.mean(vs[wc])) ** 2, t[w])
    grav = np.trapezoid(_g(hs[w]) * sin_down[w], t[w])
    dv = vs[w][0] - vs[w][-1] + grav - drag
    return dict(v0=vs[w][0], v1=vs[w][-1], h0=hs[w][0], h1=hs[w][-1], T=b - a, gravity=grav, dv=dv)


def main(root: Path) -> None:
    """Print the reduced tables."""
    print("# RTLS: flight, down range [km], altitude [km], speed [m/s], path angle [deg] at MECO + 2 s, "
          "flip [s], boost-back, entry [m/s] | boost-back accel [m/s^2], vacuum impact [km], entry from [km], "
          "entry end [m/s]")
    for f in RTLS:
        t, v, h, ev = load(root, f)
        tm, b0, b1 = ev["meco"] + 2, ev["boostback_start"], ev["boostback_end"]
        _, hs, vy, vx = arc(t, v, h, ev["meco"] + 1, b0 - 1, tm)
        x = downrange(t, v, h, ev)
        _, h0, vy0, vx0 = arc(t, v, h, b0 - 14, b0 - 1, b0)
        _, h1, vy1, vx1 = arc(t, v, h, b1 + 1, b1 + 20, b1)
        g_eff = _g(0.5 * (h0 + h1)) - (0.5 * (vx0 - vx1)) ** 2 / (R_EARTH + 0.5 * (h0 + h1))
        bb = float(np.hypot(-vx1 - vx0, vy1 - vy0 + g_eff * (b1 - b0)))
        t_fall = (vy1 + np.sqrt(vy1**2 + 2.0 * _g(h1) * h1)) / _g(h1)
        impact = float(np.interp(b1, t, x)) - vx1 * t_fall
        e = speed_equation_burn(t, v, h, ev["entry_start"], ev["entry_end"])
        print(f"{f}: {np.interp(tm, t, x) / 1e3:.1f}, {hs / 1e3:.1f}, {np.hypot(vx, vy):.0f}, "
              f"{np.degrees(np.arctan2(vy, vx)):.1f}, {b0 - tm}, {bb:.0f}, {e['dv']:.0f} | {bb / (b1 - b0):.1f}, "
              f"{impact / 1e3:.1f}, {e['h0'] / 1e3:.1f}, {e['v1']:.0f}")
    print("# GTO drone ship: flight, entry start/end speed [m/s], start altitude [km], duration [s], "
          "sine of the descent, entry delta-v [m/s]")
    for f in GTO_DRONE_SHIP:
        t, v, h, ev = load(root, f)
        e = speed_equation_burn(t, v, h, ev["entry_start"], ev["entry_end"])
        sin = e["gravity"] / (float(_g(0.5 * (e["h0"] + e["h1"]))) * e["T"])
        print(f"{f}: {e['v0']:.0f}, {e['v1']:.0f}, {e['h0'] / 1e3:.1f}, {e['T']}, {sin:.2f}, {e['dv']:.0f}")
    d = json.loads((root / "Falcon Heavy Demo 1" / "JSON" / "analysed.json").read_text())
    for ts, what in ((152, "side-booster separation"), (185, "center-core MECO")):
        i = d["time"].index(float(ts))
        print(f"# Falcon Heavy Demo 1 {what} T+{ts} s: down range {d['downrange_distance'][i]:.2f} km, altitude "
              f"{d['altitude'][i]:.2f} km, speed {d['velocity'][i]:.2f} m/s, path angle {d['angle'][i]:.2f} deg")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
