"""Evaluate a scenario's ``transfer:`` section: porkchop grid, optima, and the C3 targets they imply.

The optimum of each transfer type becomes a C3 target for the vehicle (when ``payload: true``):
C3 from the optimum, parking altitude from the section, and a parking-orbit inclination of at least
|DLA| -- a departure asymptote declined more than the parking orbit's inclination cannot be reached
without a plane change, so the launch goes to ``max(site latitude, |DLA|)`` (due east when the site
latitude already covers it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from ..scenario import Scenario
from ..fields import MAX_C3_M2_S2
from ..scenario.schema import TargetSpec
from ..interplanetary.optimum import BestTransfer, optima
from ..interplanetary.porkchop_grid import PorkchopGrid
from ..interplanetary.transfers import arrival_window, date_grid, porkchop_grid

__all__ = ["TransferOutcome", "evaluate_transfer"]

_ROMAN = {1: "I", 2: "II"}


@dataclass
class TransferOutcome:
    """Porkchop grid (``grid``: numpy arrays; ``ds``: the same as an xarray Dataset), its optima
    (``best``) and the vehicle targets they define."""

    grid: PorkchopGrid
    best: list[BestTransfer]
    targets: list[TargetSpec] = field(default_factory=list)

    @cached_property
    def ds(self) -> Any:
        """The porkchop grid as an :class:`xarray.Dataset` (what
        :func:`~jointmission.interplanetary.transfers.porkchop` returns), built on first access: the
        run's own files and figures read :attr:`grid` (building a Dataset imports dask, ~0.3 s)."""
        return self.grid.to_dataset()

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready record per optimum (human units, dates UTC), with the target name."""
        out = []
        for b, t in zip(self.best, self.targets or [None] * len(self.best)):
            d = b.to_dict()
            d["vehicle_target"] = t.name if t is not None else None
            out.append(d)
        return out


_OBJ_WORD = {"c3": "C3", "vinf_arrive": "arrival v_inf", "dv_total": "total dv", "dv_depart": "departure dv"}


def evaluate_transfer(scenario: Scenario,
                      progress: Callable[[str, int, int], None] | None = None) -> TransferOutcome | None:
    """Porkchop + optima of ``scenario.transfer`` (``None`` without a ``transfer:`` section).

    ``progress(step, done, total)``, if given, is called as the porkchop grid's blocks complete
    (``step`` names the grid, ``done``/``total`` count its points)."""
    spec = scenario.transfer
    if spec is None:
        return None
    tof = spec.tof_days
    jd_dep = date_grid(spec.depart.as_tuple(), spec.step)
    if spec.arrive is not None:
        jd_arr = date_grid(spec.arrive.as_tuple(), spec.step)
    else:
        jd_arr, tof = arrival_window(spec.origin, spec.target, jd_dep, tof, spec.step)
    # the windows themselves (not their grids): the optima may be refined up to a window's end off the step
    grid = porkchop_grid(spec.origin, spec.target, spec.depart.as_tuple(),
                         jd_arr if spec.arrive is None else spec.arrive.as_tuple(), step_days=spec.step,
                         park_alt_m=spec.parking.altitude, capture_periapsis_alt_m=spec.capture.periapsis,
                         capture_apoapsis_alt_m=spec.capture.apoapsis, tof_days=tof,
                         progress=None if progress is None else
                         (lambda done, total: progress(f"{spec.origin.title()} -> {spec.target.title()} porkchop",
                                                done, total)))
    best = optima(grid, spec.objective, tof_days=tof)
    targets: list[TargetSpec] = []
    if spec.payload:
        lat = abs(scenario.launch_latitude_rad)
        for b in best:
            inc = max(lat, abs(b.dla_rad))
            parking: dict[str, Any] = {"altitude": f"{spec.parking.altitude / 1e3:.12g} km"}
            if inc > lat + 1e-12:
                parking["inclination"] = f"{math.degrees(inc):.12g} deg"
            targets.append(_optimum_target(
                f"{spec.target.title()} {str(b.to_dict()['depart'])[:4]} Type {_ROMAN[b.type]} "
                f"(min {_OBJ_WORD[spec.objective]})", b.c3_m2_s2, parking))
    return TransferOutcome(grid=grid, best=best, targets=targets)


def _optimum_target(name: str, c3_m2_s2: float, parking: dict[str, Any]) -> TargetSpec:
    """The vehicle target of one optimum: C3 ``c3_m2_s2`` [m^2/s^2] from ``parking`` (a scenario
    ``parking:`` mapping).

    A scenario's own C3 is refused above :data:`~jointmission.fields.MAX_C3_M2_S2` as a unit slip; an
    optimum's C3 is computed, not typed, and a short window's best transfer can need more (arrivals a
    few weeks after departure: thousands of km^2/s^2). That bound does not apply to it: the target is
    validated with its C3 capped, then carries the optimum's own C3, which the payload solve reports
    as infeasible (no launcher reaches it), never as a number."""
    spec = TargetSpec(name=name, c3=f"{min(c3_m2_s2, MAX_C3_M2_S2) / 1e6:.12g} km2/s2", parking=parking)
    return spec.model_copy(update={"c3": float(c3_m2_s2)})
