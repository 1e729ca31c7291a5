"""``jointmission payload VEHICLE --orbit ALT[,INCL] --c3 C3 ...``: one quick answer, like a
launch-performance calculator. The options become a scenario document (validated like a file, so
every limit and message is the scenario's), evaluated as a single run."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .console import UsageError, _console, _fmt

__all__ = ["payload_command"]


def _q(text: str, kind: str, unit: str, option: str) -> str:
    """Check one CLI quantity; return it as '<value> <unit>' text for the scenario schema."""
    from ..units import UnitError, to_si

    try:
        si = to_si(text.strip(), kind, unit)
    except UnitError as exc:
        raise UsageError(f"{option} '{text}': {exc}") from None
    one = to_si(1.0, kind, unit)
    out = f"{si / one:.12g} {unit}"
    _AS_TYPED[out] = text.strip()  # messages quote what was typed, not 12 digits of a conversion
    return out


_AS_TYPED: dict[str, str] = {}


def payload_command(args) -> int:
    """Evaluate the payload of a catalog vehicle to the targets given on the command line."""
    from ..runners.single import evaluate, target_text
    from ..scenario import ScenarioError, parse_scenario
    from ..vehicles import catalog

    if not args.orbit and not args.c3:
        raise UsageError("give at least one target: --orbit ALT[,INCL] or --c3 C3 (see 'jointmission payload --help')")
    try:
        key = catalog.default_catalog().vehicle_key(args.vehicle)
    except catalog.CatalogError as exc:
        raise UsageError(str(exc).replace("unknown vehicle", "unknown catalog vehicle", 1)) from None

    if args.parking and not args.c3:
        raise UsageError(f"--parking '{args.parking[0]}' applies to --c3 targets (the circular orbit an escape "
                         "burn starts from), and none is given; drop --parking, or add --c3 C3 (an --orbit "
                         "target is flown directly)")
    if len(args.parking) > 1:
        raise UsageError(f"--parking is given {len(args.parking)} times ({', '.join(repr(x) for x in args.parking)}); "
                         "give it once: one parking altitude applies to every --c3 target")

    targets: list[dict[str, Any]] = []
    seen: dict[str, str] = {}

    def _once(option: str, spec: str, what: dict[str, Any]) -> None:
        key = f"{option} {json.dumps(what, sort_keys=True)}"
        if key in seen:
            same = "is given twice" if seen[key] == spec else f"asks for the same target as {option} '{seen[key]}'"
            raise UsageError(f"{option} '{spec}' {same}; give each target once")
        seen[key] = spec

    for spec in args.orbit:
        parts = [s.strip() for s in spec.split(",")]
        if len(parts) > 2 or not parts[0]:
            raise UsageError(f"--orbit '{spec}': expected ALT or ALT,INCL such as '400,51.6' or '200-35786,27'")
        alt = parts[0]
        ellipse = re.fullmatch(r"(\d(?:[^-]*[^eE-])?)\s*-\s*(\d.*)", alt)
        if ellipse:
            per_txt, apo_txt = ellipse.groups()
            orbit: dict[str, Any] = {"perigee": _q(per_txt, "length", "km", "--orbit"),
                                     "apogee": _q(apo_txt, "length", "km", "--orbit")}
        else:
            orbit = {"altitude": _q(alt, "length", "km", "--orbit")}
        if len(parts) == 2:
            orbit["inclination"] = _q(parts[1], "angle", "deg", f"--orbit '{spec}': inclination")
            inc = float(orbit["inclination"].split()[0])
            if not 0.0 <= inc <= 180.0:
                raise UsageError(f"--orbit '{spec}': the inclination (after the comma) must be between 0 and "
                                 f"180 deg, got {inc:g} deg; e.g. --orbit {alt},51.6 (above 90 deg is retrograde)")
        _once("--orbit", spec, orbit)
        targets.append({"name": f"orbit {spec}", "orbit": orbit})
    parking = {"altitude": _q(args.parking[0], "length", "km", "--parking")} if args.parking else None
    for spec in args.c3:
        t: dict[str, Any] = {"name": f"C3 {spec}", "c3": _q(spec, "c3", "km2/s2", "--c3")}
        _once("--c3", spec, {"c3": t["c3"]})
        if parking:
            t["parking"] = parking
        targets.append(t)
    doc: dict[str, Any] = {"name": f"{key} payload", "vehicle": {"catalog": key}, "targets": targets}
    if args.site_lat is not None:
        doc["launch_site"] = {"latitude": _q(args.site_lat, "angle", "deg", "--site-lat")}
    try:
        scenario = parse_scenario(doc, source="command line")
    except ScenarioError as exc:
        raise UsageError(_cli_wording(exc)) from None
    result = evaluate(scenario)

    if args.json:
        out = {"vehicle": key, "vehicle_name": scenario.vehicle.name,
               "latitude_deg": math.degrees(scenario.launch_latitude_rad),
               "liftoff_mass_t": result.vehicle_summary["liftoff_mass_t"],
               "phase_names": result.phase_names, "results": result.rows}
        from ..io.atomic import json_safe

        print(json.dumps(json_safe(out), indent=2, allow_nan=False))
        return 0
    from rich.table import Table

    console = _console()
    vs = result.vehicle_summary
    console.print(f"[bold]{scenario.vehicle.name}[/bold]: lift-off {vs['liftoff_mass_t']:,.0f} t, "
                  f"T/W {vs['liftoff_t_w']:.2f}, launch latitude {vs['latitude_deg']:.2f} deg")
    t = Table(title_justify="left")
    for col, j in (("target", "left"), ("payload t", "right"), ("dv required km/s", "right"),
                   ("losses km/s", "right"), ("rotation km/s", "right"), ("status", "left")):
        t.add_column(col, justify=j)
    for r in result.rows:
        losses = [r.get(k) for k in ("dv_gravity_km_s", "dv_drag_km_s", "dv_steering_km_s",
                                     "dv_back_pressure_km_s", "dv_finite_burn_km_s", "dv_dogleg_km_s")]
        loss = sum(x for x in losses if x is not None) if any(x is not None for x in losses) else None
        t.add_row(target_text(r), _fmt(r["payload_t"], 2), _fmt(r["dv_required_km_s"], 3), _fmt(loss, 3),
                  _fmt(r["dv_rotation_km_s"], 3), r["status"])
    console.print(t)
    return 0


def _cli_wording(exc) -> str:
    field = exc.field or ""
    opt = "--site-lat" if field.startswith("launch_site") else "--c3" if ".c3" in field or "parking" in field \
        else "--orbit" if "orbit" in field else "option"
    reason = exc.reason
    for converted, typed in _AS_TYPED.items():
        reason = reason.replace(f"got '{converted}'", f"got '{typed}'")
    return f"{opt}: {reason}"
