"""Evaluate a scenario's ``mission:`` section: every architecture for every launcher variant.

One vectorized launcher call (:func:`jointmission.missions.capability`) gives every launcher's
payload to every delivery (TLI, LEO, each Mars window's C3); then each architecture's budget is
solved for all launchers at once (:func:`jointmission.missions.evaluate`). The result is a long
table (one row per architecture variant x launcher; units in the column names), a phase table per
architecture variant, and renderers for the CLI (rich) and ``report.md`` (Markdown).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.status import status_text
from ..missions import Margins, capability, evaluate
from ..programme.ledger import LEDGER_COLUMNS, case_ledger
from ..vehicles.vehicle import LaunchVehicle
from .mission_variants import _variants, own_launcher_capabilities, variant_label

__all__ = ["MissionOutcome", "MISSION_COLUMNS", "PARTNER_COLUMNS", "evaluate_mission"]

#: Mission table columns: name -> (unit, description).
MISSION_COLUMNS: dict[str, tuple[str, str]] = {
    "launcher": ("", "launcher variant"),
    "architecture": ("", "architecture key"),
    "description": ("", "architecture in words"),
    "window": ("", "Mars departure window (year) or empty"),
    "capture": ("", "Mars capture mode (aerocapture / propulsive) or empty"),
    "crewed": ("", "'yes' for crewed architectures"),
    "payload_t": ("t", "payload landed on the surface (forward budget), or the required payload (backward)"),
    "launches": ("", "heavy launches per mission"),
    "delivered_t": ("t", "total mass the launches deliver (sum over launches)"),
    "launch_masses_t": ("t", "delivered mass per launch, 'name=mass; ...'"),
    "capability_t": ("t", "launcher capability per launch delivery, 'name=mass; ...'"),
    "binding_launch": ("", "the launch that is full (limits the payload)"),
    "c3_km2_s2": ("km2/s2", "C3 of the launch delivery (TLI or the Mars window); LEO deliveries: empty"),
    "vinf_arrive_km_s": ("km/s", "arrival hyperbolic excess speed at the Moon or Mars"),
    "depart": ("", "Mars transfer: departure date (TDB) or empty"),
    "tof_days": ("d", "Mars transfer: time of flight (the cruise) or empty"),
    "dla_deg": ("deg", "Mars transfer: declination of the departure asymptote (charged in the capability)"),
    "transfer_angle_deg": ("deg", "Mars transfer: heliocentric transfer angle"),
    "on_ridge": ("", "Mars transfer within RIDGE_TOL_DEG (5 deg) of the 180-degree ridge: 'yes' (delta-v unreliable)"),
    "on_edge": ("", "Mars transfer on an edge of the dates searched: 'yes' (the optimum is clipped: widen the window)"),
    "dv_km_s": ("km/s", "sum of the in-space burns' delta-v incl. margin (launcher excluded)"),
    "propellant_t": ("t", "in-space propellant burned"),
    "boiloff_t": ("t", "propellant lost to boil-off"),
    "unused_t": ("t", "propellant left unused above residuals and reserves (e.g. a depot filled by more tanker "
                      "launches than its lander takes)"),
    "status": ("", "'ok' or why the case is infeasible"),
}


#: Partners table columns (``partners.parquet``): the case, then the ledger
#: (:data:`jointmission.programme.ledger.LEDGER_COLUMNS`).
PARTNER_COLUMNS: dict[str, tuple[str, str]] = {
    "variant": ("", "architecture variant (architecture, Mars window, options)"),
    "launcher": ("", "launcher variant"),
    "architecture": ("", "architecture key"),
    "window": ("", "Mars departure window (year) or empty"),
    "status": ("", "'ok' or why the case is infeasible (then the contributions are empty)"),
    **LEDGER_COLUMNS,
}


def _arrow_table(rows: list[dict[str, Any]], columns: dict[str, tuple[str, str]], numeric: dict[str, bool]):
    """Rows (dicts) as a :class:`pyarrow.Table`: ``columns`` name -> (unit, description) in the field
    metadata; a numeric column is float64 (None and NaN -> null), any other a string column."""
    import pyarrow as pa

    fields, arrays = [], []
    for col, (unit, desc) in columns.items():
        vals = [r.get(col) for r in rows]
        typ = pa.float64() if numeric[col] else pa.string()
        if numeric[col]:
            vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in vals]
        else:
            vals = [None if v is None else str(v) for v in vals]
        fields.append(pa.field(col, typ, metadata={"unit": unit, "description": desc}))
        arrays.append(pa.array(vals, type=typ))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


@dataclass
class MissionOutcome:
    """Rows (one per architecture variant x launcher), phase tables and timings of a mission section."""

    rows: list[dict[str, Any]]
    columns: list[str]
    launchers: list[str]
    variants: list[dict[str, Any]]
    phase_tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    margins: dict[str, float] = field(default_factory=dict)
    backward: bool = False
    seconds: float = 0.0
    capabilities: dict[str, list[float | None]] = field(default_factory=dict)
    """Launcher capability [t] per delivery label (``TLI C3 -2.00 km2/s2``, ``LEO 200 km``), per launcher."""
    launcher_costs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """With a programme: per launcher, ``flight_MUSD`` (one flight's cost in a campaign of the cost
    model's missions, million US$), ``money`` (``"USD 2024"``) and ``per_t_MUSD`` (delivery label ->
    the flight cost per tonne of its capability there)."""
    partner_rows: list[dict[str, Any]] = field(default_factory=list)
    """The partners' ledger (a ``programme:`` section): one row per case x partner, columns
    :data:`PARTNER_COLUMNS` (empty without a programme)."""

    def partners_table(self):
        """The partners' ledger as a :class:`pyarrow.Table`, units in the field metadata (``None``
        without a ``programme:`` section)."""
        if not self.partner_rows:
            return None
        numeric = {col: any(isinstance(r.get(col), float | int) and not isinstance(r.get(col), bool)
                            for r in self.partner_rows) for col in PARTNER_COLUMNS}
        return _arrow_table(self.partner_rows, PARTNER_COLUMNS, numeric)

    def table(self):
        """The mission rows as a :class:`pyarrow.Table` with units in the field metadata."""
        numeric = {col: col.endswith(("_t", "_km_s", "_km2_s2", "_days", "_deg"))
                   and col not in ("launch_masses_t", "capability_t") or col == "launches" for col in self.columns}
        return _arrow_table(self.rows, {col: MISSION_COLUMNS[col] for col in self.columns}, numeric)

    def to_pandas(self):
        """The mission rows as a :class:`pandas.DataFrame` (units in the column names)."""
        return self.table().to_pandas()


def _t(x) -> float | None:
    x = float(x)
    return x / 1e3 if math.isfinite(x) else None


def _fmt_pairs(d: dict[str, np.ndarray], j: int) -> str:
    return "; ".join(f"{k}={float(v[j]) / 1e3:.1f}" if math.isfinite(float(v[j])) else f"{k}=-" for k, v in d.items())


def _delivery_label(d) -> str:
    """A delivery's label in the capability table: the target's, plus its DLA when charged."""
    lab = d.label()
    return lab + (f", DLA {math.degrees(float(d.dla_rad)):+.1f} deg" if d.dla_rad is not None else "")


def _transfer_cols(w) -> dict[str, Any]:
    """Row columns of the Mars transfer ``w`` flown (empty for a Moon variant)."""
    if w is None:
        return {"depart": "", "tof_days": None, "dla_deg": None, "transfer_angle_deg": None, "on_ridge": "", "on_edge": ""}
    return {"depart": w.depart, "tof_days": w.tof_s / 86400.0,
            "dla_deg": math.degrees(w.dla_rad) if math.isfinite(w.dla_rad) else None,
            "transfer_angle_deg": w.transfer_angle_deg if math.isfinite(w.transfer_angle_deg) else None,
            "on_ridge": ("yes" if w.on_ridge else "no") if math.isfinite(w.transfer_angle_deg) else "",
            "on_edge": ("yes" if w.on_edge else "no") if math.isfinite(w.transfer_angle_deg) else ""}


def _variant_record(v: dict[str, Any], w, launcher: str | None) -> dict[str, Any]:
    rec = {"architecture": v["arch"].name, "window": v["window"], "capture": v["capture"]}
    if w is not None:
        rec.update(c3_km2_s2=w.c3_m2_s2 / 1e6, vinf_arrive_km_s=w.vinf_arrive_m_s / 1e3, tof_days=w.tof_s / 86400.0,
                   depart=w.depart, dla_deg=math.degrees(w.dla_rad), window_source=w.source,
                   transfer_angle_deg=w.transfer_angle_deg, on_ridge=bool(w.on_ridge), objective=w.objective,
                   on_edge=bool(getattr(w, "on_edge", False)))
        if launcher is not None:
            rec["launcher"] = launcher
    return rec


def evaluate_mission(scenario, vehicle: LaunchVehicle | None = None) -> MissionOutcome | None:
    """Evaluate ``scenario.mission`` (``None`` when the scenario has no mission section)."""
    spec = getattr(scenario, "mission", None)
    if spec is None:
        return None
    t0 = time.perf_counter()
    launchers = list(getattr(scenario, "mission_launchers", ()) or ())
    if launchers:
        names = [n for n, _ in launchers]
        vehicles = [LaunchVehicle.from_spec(v) for _, v in launchers]
    else:
        vehicles = [vehicle or LaunchVehicle.from_spec(scenario.vehicle)]
        names = [scenario.vehicle.name]
    lat = None if getattr(scenario, "_raw", {}).get("launch_site") is None else scenario.launch_latitude_rad
    m = spec.margins
    margins = Margins(m.delta_v, m.dry_mass_growth, m.propellant_reserve)
    variants = _variants(spec, vehicles, latitude_rad=lat, margins=margins)
    # (variant, architecture, launcher indices, transfer per launcher index)
    groups = []
    for v in variants:
        if "per_launcher" in v:
            for j, (arch, w) in enumerate(v["per_launcher"]):
                groups.append((v, arch, [j], {j: w}))
        else:
            groups.append((v, v["arch"], list(range(len(vehicles))), {j: v.get("mars") for j in range(len(vehicles))}))
    deliveries, dindex = [], {}
    for _, arch, _, _ in groups:
        for d in arch.deliveries.values():
            if d.key not in dindex:
                dindex[d.key] = len(deliveries)
                deliveries.append(d)
    cap, cap_status = capability(vehicles, deliveries, latitude_rad=lat)
    own = own_launcher_capabilities([g[1] for g in groups])
    rows_by: dict[tuple[int, int], dict[str, Any]] = {}
    ledger_by: dict[tuple[int, int], list[dict[str, Any]]] = {}
    programme = getattr(scenario, "programme", None)
    per_launcher = tuple(getattr(scenario, "launcher_programmes", ()) or ()) if launchers else ()
    if programme is not None:
        from ..missions.elements import mission_data

        library = mission_data()["elements"]  # (a copy per call: read once)
    phase_tables: dict[str, list[dict[str, Any]]] = {}
    backward = spec.required_payload is not None
    order = {id(v): i for i, v in enumerate(variants)}
    for v, arch, js, ws in groups:
        caps = {ln: (np.full(len(js), own[(arch.launchers[ln], d.key)]) if ln in arch.launchers
                     else cap[js, dindex[d.key]]) for ln, d in arch.deliveries.items()}
        # mars_crewed is always a backward budget (its "payload" is extra mass on top of crew + habitat)
        req = spec.required_payload if backward else (0.0 if not arch.fillable else None)
        res = evaluate(arch, caps, margins=margins, required_payload_kg=req)
        label = variant_label(v)
        first_ok = int(np.argmax(res.status == 0)) if np.any(res.status == 0) else 0
        phase_tables[f"{label} -- {names[js[first_ok]]}"] = res.phase_table(first_ok)
        pd = {key: res.phase_sum(key) for key in ("dv_m_s", "propellant_kg", "boiloff_all_kg")}
        d0 = next(iter(arch.deliveries.values()))
        types, props = _element_types(spec, v, library) if programme is not None else ({}, {})
        for k, j in enumerate(js):
            st = int(res.status[k])
            ok = st == 0
            w = ws[j]
            if programme is not None:
                prog_j = per_launcher[j] if j < len(per_launcher) else programme
                led, _ = case_ledger(prog_j, arch, res, k, vehicles[j], dry_growth=m.dry_mass_growth,
                                     element_types=types, element_propellants=props)
                case = {"variant": label, "launcher": names[j], "architecture": arch.name, "window": v["window"],
                        "status": "ok" if ok else status_text(st)}
                ledger_by[(order[id(v)], j)] = [{**case, **r} for r in led]
            rows_by[(order[id(v)], j)] = {
                "variant": label,
                "backward_only": not arch.fillable,
                "launcher": names[j],
                "architecture": arch.name,
                "description": arch.description,
                "window": v["window"],
                "capture": v["capture"],
                "crewed": "yes" if arch.crewed else "no",
                "payload_t": _t(res.payload_kg[k]) if ok else None,
                "launches": float(res.launches[k]) if ok and math.isfinite(float(res.launches[k])) else None,
                "delivered_t": _t(sum(float(x[k]) for x in res.launch_mass_kg.values())) if ok else None,
                "launch_masses_t": _fmt_pairs(res.launch_mass_kg, k) if ok else "",
                "capability_t": _fmt_pairs(res.capability_kg, k),
                "binding_launch": str(res.binding[k]) if ok else "",
                "c3_km2_s2": d0.c3_m2_s2 / 1e6 if d0.kind == "c3" else None,
                "vinf_arrive_km_s": w.vinf_arrive_m_s / 1e3 if w is not None else v["moon_vinf"] / 1e3,
                **_transfer_cols(w),
                "dv_km_s": float(pd["dv_m_s"][k]) / 1e3 if ok else None,
                "propellant_t": float(pd["propellant_kg"][k]) / 1e3 if ok else None,
                "boiloff_t": float(pd["boiloff_all_kg"][k]) / 1e3 if ok else None,
                "unused_t": float(res.unused_propellant_kg[k]) / 1e3 if ok else None,
                "status": "ok" if ok else status_text(st),
            }
    rows = [rows_by[k] for k in sorted(rows_by)]
    partner_rows = [r for k in sorted(ledger_by) for r in ledger_by[k]]
    records = []
    for v in variants:
        if "per_launcher" in v:
            records += [_variant_record(v, w, names[j]) for j, (_, w) in enumerate(v["per_launcher"])]
        else:
            records.append(_variant_record(v, v.get("mars"), None))
    return MissionOutcome(
        rows=rows, columns=list(MISSION_COLUMNS), launchers=names,
        variants=records,
        phase_tables=phase_tables,
        margins={"delta_v": m.delta_v, "dry_mass_growth": m.dry_mass_growth, "propellant_reserve": m.propellant_reserve},
        backward=backward,
        seconds=time.perf_counter() - t0,
        capabilities={_delivery_label(d): [_t(x) for x in cap[:, k]] for k, d in enumerate(deliveries)},
        partner_rows=partner_rows,
        launcher_costs=_launcher_costs(programme, per_launcher, vehicles, names, deliveries, cap),
    )


def _launcher_costs(programme, per_launcher: tuple, vehicles: list, names: list[str], deliveries: list,
                    cap: np.ndarray) -> dict[str, dict[str, Any]]:
    """Per launcher: the cost of one flight and per tonne of its capability to each delivery (see
    :attr:`MissionOutcome.launcher_costs`); empty without a programme or a cost model."""
    if programme is None or programme.cost is None:
        return {}
    from ..programme.costing import flight_cost

    out: dict[str, dict[str, Any]] = {}
    for j, (name, v) in enumerate(zip(names, vehicles)):
        prog = per_launcher[j] if j < len(per_launcher) else programme
        model = prog.cost_model()
        total = float(flight_cost(prog, v, model, existing=prog.cost.existing).total) / 1e6
        per_t = {_delivery_label(d): (total / (float(cap[j, k]) / 1e3) if float(cap[j, k]) > 0 else None)
                 for k, d in enumerate(deliveries)}
        out[name] = {"flight_MUSD": total, "money": model.money.label, "per_t_MUSD": per_t}
    return out


def _element_types(spec, v: dict[str, Any], lib: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Member name -> concept element type (``lander``, ``crew_vehicle``, ``aeroshell`` ...), and
    member name -> propellant combination (``lox_lh2``, ``storable``; from the concept, else its
    generic element of ``lib``, the missions data's ``elements``), of an architecture variant (its
    chosen options' elements included): the cost category of the ledger's items."""
    c = spec.concept(v["key"])
    defs = c.element_defs(v["options"])
    props = {name: ed.propellant_type or (lib.get(ed.library, {}).get("propellant", "") if ed.library else "")
             for name, ed in defs.items()}
    return {name: ed.type for name, ed in defs.items()}, {k: str(p) for k, p in props.items() if p}
