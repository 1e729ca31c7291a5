"""The Mars transfer each (architecture variant, launcher) of a mission section flies when the
objective is ``most_landed``: the transfer of the window on which that launcher and that concept
land the most cargo (or, for a backward budget, need the fewest heavy launches, then the least mass).

Steps, all vectorized over candidates:

1. The window's porkchop grid (:func:`jointmission.missions.mars_transfer.window_grid`) and its
   three named optima (least C3, least departure + capture delta-v, least arrival speed;
   :func:`jointmission.missions.mars_window`).
2. One launcher solve for every launcher to a table of C3 x |DLA| nodes spanning every window, plus
   the concepts' Earth-orbit deliveries (and their assembly orbits inclined for each |DLA| node) (:func:`jointmission.missions.mars_transfer.launcher_table`).
3. Per variant and launcher, the whole budget on every grid point at once, zoomed twice
   (:func:`jointmission.missions.mars_transfer.choose_by_budget`).
4. The finalists -- that grid choice and the three named optima -- re-budgeted with the launcher's
   exact capability to their C3 and DLA, and to an Earth assembly orbit inclined for their DLA (one
   solve for all finalists of all variants); the best is flown. In step 3 an assembly orbit's
   capability is interpolated linearly in |DLA| between the table's nodes. So ``most_landed`` lands at least as much as any named objective's transfer.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable

import numpy as np

from ..interplanetary.selection import ChosenTransfer, ridge_flag
from ..interplanetary.transfers import TransferError
from ..missions import Margins, capability, mars_window
from ..missions.mars_transfer import budget_merit, choose_by_budget, launcher_table, window_arrays, window_extent
from ..missions.phases import MarsWindow
from ..vehicles.targets import Target

__all__ = ["NAMED_OBJECTIVES", "from_chosen", "most_landed_transfers"]

NAMED_OBJECTIVES = ("c3", "dv_total", "vinf_arrive")
"""The named optima of a window that are always finalists of ``most_landed``."""

_GRID_STEP_DAYS = 4.0
_FINALIST = ("the least-C3 transfer", "the least-delta-v transfer", "the least-v_inf transfer")


def from_chosen(year: int, t: ChosenTransfer) -> MarsWindow:
    """A :class:`~jointmission.missions.phases.MarsWindow` record of a chosen transfer."""
    from ..interplanetary import ephemeris as eph

    return MarsWindow(year, t.c3_m2_s2, t.vinf_arrive_m_s, t.tof_s, str(eph.jd_tdb_to_time(t.depart_jd_tdb).iso)[:10],
                      "most landed mass over the DE421 + Lambert porkchop grid", t.dla_rad, t.transfer_angle_deg,
                      t.on_ridge, "most_landed", t.on_edge)


def most_landed_transfers(vehicles: list, variants: list[dict[str, Any]], build_fn: Callable[..., Any], *,
                          margins: Margins, required_payload_kg: float | None, latitude_rad: float | None,
                          parking_alt_m: float,
                          named: dict[tuple[int, str], MarsWindow] | None = None) -> dict[tuple[int, int], MarsWindow]:
    """``(variant index, vehicle index) -> MarsWindow`` flown by ``most_landed``.

    ``variants``: dicts with ``year`` and whatever ``build_fn(variant, c3, vinf, tof_s)`` needs to
    build the architecture with per-candidate arrays (C3 [m^2/s^2], arrival v_inf [m/s], time of
    flight [s]); ``vehicles``: the launchers traded; ``latitude_rad``: the scenario's launch site
    (``None``: each launcher's own); ``named``: ``(year, objective) -> MarsWindow`` of named optima
    the caller has already computed with :func:`~jointmission.missions.mars_window` (not computed again)."""
    years = sorted({v["year"] for v in variants})
    grids = {y: window_arrays(y, _GRID_STEP_DAYS, parking_alt_m=parking_alt_m) for y in years}
    known = dict(named or {})
    named = {(y, o): known[(y, o)] if (y, o) in known else mars_window(y, objective=o)
             for y in years for o in NAMED_OBJECTIVES}
    ext = [window_extent(grids[y][0]) for y in years]
    lo = min(e[0] for e in ext)
    span = max(e[0] for e in ext) - lo + 30e6
    dla_max = max(max(e[1] for e in ext), max(abs(w.dla_rad) for w in named.values()))
    # Earth-orbit deliveries do not depend on the transfer: solved with the table
    probes = [build_fn(v, np.array([lo]), np.array([3.5e3]), np.array([250 * 86400.0])) for v in variants]
    orbit = {}
    for arch in probes:
        for d in arch.deliveries.values():
            if d.kind != "c3":
                orbit.setdefault(d.key, d)
    table, extra = launcher_table(vehicles, lo, dla_max, c3_span_m2_s2=span, parking_alt_m=parking_alt_m,
                                  latitude_rad=latitude_rad, extra=list(orbit.values()))
    orbit_cap = {k: extra[:, i] for i, k in enumerate(orbit)}
    # an assembly orbit (circular) must hold each candidate's asymptote: capability at the table's |DLA| nodes
    asm = [(k, float(n)) for k, d in orbit.items() if d.is_circular for n in table.dla_rad]
    asm_kg: dict[tuple, np.ndarray] = {}
    if asm:
        c, _ = capability(vehicles, [dataclasses.replace(orbit[k], dla_rad=n) for k, n in asm], latitude_rad=latitude_rad)
        for k in {k for k, _ in asm}:
            asm_kg[k] = c[:, [m for m, (kk, _) in enumerate(asm) if kk == k]]
    finalists: dict[tuple[int, int], list[MarsWindow]] = {}
    for i, v in enumerate(variants):
        ds, tof = grids[v["year"]]
        for j in range(len(vehicles)):
            fixed = {ln: float(orbit_cap[d.key][j]) for ln, d in probes[i].deliveries.items() if d.kind != "c3"}
            asm_j = {ln: (table.dla_rad, asm_kg[d.key][j]) for ln, d in probes[i].deliveries.items() if d.key in asm_kg}
            cands = [named[(v["year"], o)] for o in NAMED_OBJECTIVES]
            try:
                chosen = choose_by_budget(ds, tof, table, j, lambda c3, vi, t, _v=v: build_fn(_v, c3, vi, t), fixed,
                                          margins=margins, required_payload_kg=required_payload_kg, assembly_kg=asm_j)
                cands.append(from_chosen(v["year"], chosen))
            except TransferError:  # no feasible grid point: the named optima remain the candidates
                pass
            finalists[(i, j)] = cands
    # exact launcher capability to every finalist's C3 and DLA (and, for a stack assembled in Earth
    # orbit, to that orbit inclined for the finalist's DLA): one solve
    def assembly(d, w: MarsWindow) -> Target:
        return dataclasses.replace(d, dla_rad=w.dla_rad) if d.is_circular and math.isfinite(w.dla_rad) else d

    keys: dict[tuple, Target] = {}
    for (i, _), cands in finalists.items():
        for w in cands:
            t = Target.c3(w.c3_m2_s2, parking_alt_m, dla_rad=w.dla_rad if math.isfinite(w.dla_rad) else None)
            keys.setdefault(t.key, t)
            for d in probes[i].deliveries.values():
                if d.kind != "c3":
                    keys.setdefault(assembly(d, w).key, assembly(d, w))
    cap, _ = capability(vehicles, list(keys.values()), latitude_rad=latitude_rad)
    col = {k: n for n, k in enumerate(keys)}
    out: dict[tuple[int, int], MarsWindow] = {}
    for (i, j), cands in finalists.items():
        c3 = np.array([w.c3_m2_s2 for w in cands])
        vinf = np.array([w.vinf_arrive_m_s for w in cands])
        tof = np.array([w.tof_s for w in cands])
        arch = build_fn(variants[i], c3, vinf, tof)
        caps = {}
        for ln, d in arch.deliveries.items():
            if d.kind == "c3":
                caps[ln] = np.array([cap[j, col[Target.c3(w.c3_m2_s2, parking_alt_m, dla_rad=w.dla_rad if math.isfinite(w.dla_rad) else None).key]]
                                     for w in cands])
            else:
                caps[ln] = np.array([cap[j, col[assembly(d, w).key]] for w in cands])
        merit = budget_merit(arch, caps, margins, required_payload_kg)
        merit = np.where(np.isfinite(merit), merit, -np.inf)
        # ties (e.g. nothing feasible) go to the first finalist: the least-C3 transfer
        k = int(np.argmax(merit))
        best = cands[k]
        won = _FINALIST[k] if k < len(_FINALIST) else "the grid's best"
        out[(i, j)] = MarsWindow(best.year, best.c3_m2_s2, best.vinf_arrive_m_s, best.tof_s, best.depart,
                                 f"most landed mass, DE421 + Lambert: {won}", best.dla_rad, best.transfer_angle_deg,
                                 bool(ridge_flag(best.transfer_angle_deg)), "most_landed", best.on_edge)
    return out
