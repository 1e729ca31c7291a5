"""``jointmission vehicles [--engines] [--json]``: the vehicle or engine catalog as a table."""

from __future__ import annotations

import json
import math

from .console import _console, _fmt

__all__ = ["vehicles_command"]


def _published_leo(spec) -> str:
    """The first published figure to a low orbit (apogee below 2,000 km), as text."""
    for pp in spec.published_performance:
        t = pp.target
        per = getattr(t, "perigee", None)
        apo = getattr(t, "apogee", None)
        apo = per if apo is None else apo
        if per is not None and apo < 2.0e6:
            inc = f", {math.degrees(t.inclination):.1f} deg" if t.inclination is not None else ""
            return f"{pp.payload / 1e3:,.1f} t ({per / 1e3:,.0f} x {apo / 1e3:,.0f} km{inc})"
    return "-"


def vehicles_command(args) -> int:
    """List catalog vehicles (name, country, lift-off mass, stages, published LEO) or engines."""
    from rich.table import Table

    from ..vehicles import catalog

    console = _console()
    if args.engines:
        rows = []
        for name in catalog.engine_names():
            e = catalog.get_engine(name)
            rows.append({"name": name, "propellants": e.propellants, "thrust_sl_kN": e.thrust_sl / 1e3 if e.thrust_sl else None,
                         "thrust_vac_kN": e.thrust_vac / 1e3, "isp_sl_s": e.isp_sl, "isp_vac_s": e.isp_vac,
                         "country": e.country})
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        t = Table(title=f"Engine catalog ({len(rows)} engines)", title_justify="left")
        for col in ("engine", "propellants", "country", "thrust SL kN", "thrust vac kN", "Isp SL s", "Isp vac s"):
            t.add_column(col, justify="right" if "kN" in col or " s" in col else "left")
        for r in rows:
            t.add_row(r["name"], str(r["propellants"] or "-"), str(r["country"] or "-"), _fmt(r["thrust_sl_kN"], 0),
                      _fmt(r["thrust_vac_kN"], 0), _fmt(r["isp_sl_s"], 1), _fmt(r["isp_vac_s"], 1))
        console.print(t)
        return 0

    rows = []
    for name in catalog.vehicle_names():
        spec = catalog.get_vehicle_spec(name)
        veh = catalog.get_vehicle(name)
        n = len(spec.stages)
        stages = f"{n} stage{'s' if n != 1 else ''}"
        if spec.boosters is not None:
            stages = f"{spec.boosters.count} boosters + {stages}"
        rows.append({"name": name, "country": spec.country, "liftoff_mass_t": float(veh.liftoff_mass()) / 1e3,
                     "stages": stages, "published_leo": _published_leo(spec)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    t = Table(title=f"Vehicle catalog ({len(rows)} vehicles)", title_justify="left")
    for col in ("vehicle", "country", "lift-off t", "stages", "published LEO"):
        t.add_column(col, justify="right" if col == "lift-off t" else "left")
    for r in rows:
        t.add_row(r["name"], str(r["country"] or "-"), _fmt(r["liftoff_mass_t"], 0), r["stages"], r["published_leo"])
    console.print(t)
    return 0
