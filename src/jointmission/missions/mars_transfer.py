"""The Mars cargo mission flown on the transfer its objective chooses.

Today's default flies the window's least-C3 transfer with a fixed 200-day cruise and a fixed
heat-shield fraction. Here the phases follow the transfer:

- the window's transfer is chosen by the mission's objective
  (:func:`jointmission.interplanetary.selection.choose_transfer`): ``"landed_mass"`` (most cargo
  landed by this launcher and lander -- the whole budget is evaluated on every grid point),
  ``"dv_total"`` (least departure + capture delta-v), ``"c3"`` (least C3, the old default);
- the cruise (boil-off) lasts the chosen transfer's time of flight;
- the propulsive capture is sized from the chosen transfer's arrival speed, and the aerocapture heat
  shield from it too (:func:`jointmission.missions.entry_scaling.heatshield_fraction`);
- a transfer on the 180-degree ridge is flagged (``on_ridge``).

In 2031 the least-C3 transfer arrives at 5.52 km/s: a propulsive capture then needs more than the
joint heavy launcher delivers (no cargo), while the least-total-delta-v transfer of the same window
(10.3 km^2/s^2, 3.56 km/s) lands about 2 t (docs/validation.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M
from ..interplanetary.selection import ChosenTransfer, Score, choose_transfer
from ..vehicles import LaunchVehicle
from ..vehicles.targets import Target
from .architectures import build, evaluate
from .budget import Margins
from .elements import phase_value
from .entry_scaling import heatshield_fraction
from .launch import capability

__all__ = ["MARS_OBJECTIVES", "MarsCargoCase", "mars_cargo_params", "landed_mass", "landed_mass_score",
           "choose_mars_transfer"]

MARS_OBJECTIVES = ("landed_mass", "dv_total", "c3")
"""Objectives a Mars cargo mission may choose its transfer by."""

_DAY = 86400.0
_C3_SPAN = 30e6
"""C3 span [m^2/s^2] above the window's least C3 over which the launcher curve is sampled."""
_C3_SAMPLES = 31


def mars_cargo_params(vinf_m_s: Any, cruise_days: Any, capture: str, params: dict | None = None) -> dict[str, Any]:
    """``build("mars_cargo", ...)`` parameters for a transfer arriving at ``vinf_m_s`` [m/s] after
    ``cruise_days`` [d]: capture from that speed, boil-off over that cruise and, for aerocapture, the
    heat-shield fraction scaled to that speed from the data value (or ``params['heatshield_fraction']``)."""
    p = dict(params or {})
    p.update(arrival_vinf_m_s=vinf_m_s, cruise_days=cruise_days, capture=capture)
    if capture == "aerocapture":
        ref = p.get("heatshield_fraction", phase_value("mars", "aerocapture_heatshield_fraction"))
        p["heatshield_fraction"] = heatshield_fraction(vinf_m_s, ref)
    return p


def _launcher_curve(vehicle: LaunchVehicle, c3_lo: float, parking_alt_m: float) -> tuple[np.ndarray, np.ndarray]:
    c3s = c3_lo + np.linspace(0.0, _C3_SPAN, _C3_SAMPLES)
    cap, _ = capability([vehicle], [Target.c3(float(c), parking_alt_m) for c in c3s])
    return c3s, cap[0]


def landed_mass(vehicle: LaunchVehicle, c3_m2_s2: Any, vinf_m_s: Any, tof_s: Any, *, capture: str = "propulsive",
                params: dict | None = None, margins: Margins = Margins(),
                parking_alt_m: float = DEFAULT_PARKING_ALT_M, capability_kg: Any = None) -> np.ndarray:
    """Cargo landed on Mars [kg] (NaN where infeasible) for transfers (C3 [m^2/s^2], arrival
    speed [m/s], time of flight [s]; arrays broadcast) flown by ``vehicle`` (a
    :class:`~jointmission.vehicles.LaunchVehicle`) and the ``mars_cargo`` lander.
    ``capability_kg`` (the launcher's mass to each C3) skips the launcher solve."""
    c3 = np.asarray(c3_m2_s2, dtype=float)
    if capability_kg is None:
        flat = np.unique(c3[np.isfinite(c3)])
        cap, _ = capability([vehicle], [Target.c3(float(c), parking_alt_m) for c in flat])
        capability_kg = np.interp(c3, flat, cap[0]) if flat.size else np.full(c3.shape, np.nan)
    arch = build("mars_cargo", **mars_cargo_params(vinf_m_s, np.asarray(tof_s, dtype=float) / _DAY, capture, params))
    with np.errstate(all="ignore"):
        res = evaluate(arch, {"launch": np.asarray(capability_kg, dtype=float)}, margins=margins)
    return np.where(res.status == 0, res.payload_kg, np.nan)


def landed_mass_score(vehicle: LaunchVehicle, c3_floor_m2_s2: float, *, capture: str = "propulsive", params: dict | None = None,
                      margins: Margins = Margins(), parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> Score:
    """A ``score(c3, vinf, tof)`` for :func:`~jointmission.interplanetary.selection.choose_transfer`:
    the cargo landed [kg]. The launcher's mass to C3 is solved once on 31 C3 values from
    ``c3_floor_m2_s2`` to 30 km^2/s^2 above and interpolated linearly (payload vs C3 is smooth; the
    chosen transfer is then re-evaluated exactly by :func:`choose_mars_transfer`); C3 above that span
    scores NaN."""
    c3s, caps = _launcher_curve(vehicle, c3_floor_m2_s2, parking_alt_m)

    def score(c3: np.ndarray, vinf: np.ndarray, tof: np.ndarray) -> np.ndarray:
        c3 = np.asarray(c3, dtype=float)
        cap = np.interp(c3, c3s, caps, left=np.nan, right=np.nan)
        return landed_mass(vehicle, c3, vinf, tof, capture=capture, params=params, margins=margins,
                           parking_alt_m=parking_alt_m, capability_kg=cap)

    return score


@dataclass(frozen=True)
class MarsCargoCase:
    """A Mars cargo mission on its chosen transfer: ``transfer`` (:class:`ChosenTransfer`),
    ``capture``, ``landed_kg`` [kg] (exact launcher solve; NaN if infeasible), ``cruise_days`` [d],
    ``heatshield_fraction`` [-] (aerocapture; NaN for propulsive)."""

    transfer: ChosenTransfer
    capture: str
    landed_kg: float
    cruise_days: float
    heatshield_fraction: float


def choose_mars_transfer(vehicle: LaunchVehicle, depart_window: Any, *, objective: str = "landed_mass", capture: str = "propulsive",
                         params: dict | None = None, margins: Margins = Margins(), step_days: float = 4.0,
                         parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> MarsCargoCase:
    """The Mars cargo mission of a departure window flown on the transfer ``objective`` chooses
    (one of :data:`MARS_OBJECTIVES`), with ``vehicle`` and the ``capture`` mode
    (``aerocapture``/``propulsive``). The porkchop's capture orbit is the DRA 5.0 250 km x 1 sol
    ellipse (``missions.yaml``), so ``dv_total`` is departure + that capture. ``depart_window`` as
    :func:`~jointmission.interplanetary.transfers.date_grid` takes it; grid step ``step_days`` [d]."""
    from ..interplanetary.transfers import GM_SUN, arrival_window, date_grid, porkchop

    if objective not in MARS_OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(MARS_OBJECTIVES)}, got {objective!r}")
    jd_d = date_grid(depart_window, step_days)
    jd_a, tof = arrival_window("earth", "mars", jd_d, None, step_days, GM_SUN)
    ds = porkchop("earth", "mars", jd_d, jd_a, step_days=step_days, park_alt_m=parking_alt_m, tof_days=tof,
                  capture_periapsis_alt_m=phase_value("mars", "parking_altitude_km") * 1e3,
                  capture_apoapsis_alt_m=phase_value("mars", "capture_apoapsis_km") * 1e3)
    if objective == "landed_mass":
        floor = float(np.nanmin(ds["c3_km2_s2"].values)) * 1e6
        sc = landed_mass_score(vehicle, floor, capture=capture, params=params, margins=margins,
                               parking_alt_m=parking_alt_m)
        chosen = choose_transfer(ds, "score", score=sc, tof_days=tof)
    else:
        chosen = choose_transfer(ds, objective, tof_days=tof)
    landed = float(landed_mass(vehicle, chosen.c3_m2_s2, chosen.vinf_arrive_m_s, chosen.tof_s, capture=capture,
                               params=params, margins=margins, parking_alt_m=parking_alt_m))
    hs = float(mars_cargo_params(chosen.vinf_arrive_m_s, chosen.cruise_days, capture, params)
               .get("heatshield_fraction", np.nan)) if capture == "aerocapture" else float("nan")
    return MarsCargoCase(chosen, capture, landed, chosen.cruise_days, hs)
