"""``jointmission payload VEHICLE --orbit ALT[,INCL] --c3 C3 ...``: one quick answer, like a
launch-performance calculator, or a payload curve (``--c3 -2:100:2``, ``--orbit 200:2000:50``).

Single values become a scenario document (validated like a file, so every limit and message is the
scenario's), evaluated as a single run. A range ``START:STOP:STEP`` (stop included when it falls on a
step) is one curve: it is checked here (step, direction, point count, field limits of the one
registry) before anything is computed or written, solved in one vectorized call
(:func:`jointmission.vehicles.curve.compute_curve`), printed, and written to the output folder as
``payload_<axis>.csv`` and ``payload_<axis>.png`` (model curve, published points overlaid), each file
atomically."""

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


def _site_arg(text: str) -> dict[str, str]:
    """``--site-lat``: a latitude (``45.9``, ``'0.8 rad'``) or a catalog launch site's name (``Baikonur``,
    as a scenario's ``launch_site`` takes it), as the scenario's ``launch_site`` mapping."""
    try:
        return {"latitude": _q(text, "angle", "deg", "--site-lat")}
    except UsageError as exc:
        if any(c.isdigit() for c in text):
            raise
        from ..vehicles.launch_sites import LaunchSiteError, launch_site

        try:
            site = launch_site(text)
        except LaunchSiteError as err:
            raise UsageError(f"--site-lat '{text}': not a latitude such as '45.9 deg', and {err}") from None
        del exc
        return {"name": site.name, "latitude": f"{site.latitude_deg!r} deg"}


def _top_load_arg(text: str | None) -> float | str:
    """``--top-load optimal|FRACTION`` -> ``"optimal"`` or a fraction [-] in [TOP_LOAD_MIN, 1] (a bare
    number, or a percentage such as '60%'); the default load (``"optimal"``) when the option is not
    given (:func:`~jointmission.vehicles.top_load.parse_top_load`)."""
    from ..vehicles.top_load import DEFAULT_TOP_LOAD, TOP_LOAD_MIN, TopLoadError, parse_top_load

    if text is None:
        return DEFAULT_TOP_LOAD

    want = f"give 'optimal' or the loaded fraction of the top stage's propellant, from {TOP_LOAD_MIN:g} to 1 " \
           "(e.g. --top-load 0.6 or --top-load 60%)"
    try:
        return parse_top_load(text)
    except TopLoadError as exc:
        if exc.value is None:
            raise UsageError(f"--top-load '{text}': not a number; {want}") from None
        raise UsageError(f"--top-load '{text}' is outside {TOP_LOAD_MIN:g}..1 (a top stage holds at most its full "
                         f"load; below {TOP_LOAD_MIN:g} it hardly burns); {want}") from None


def payload_command(args) -> int:
    """Evaluate the payload of a catalog vehicle to the targets given on the command line."""
    from ..vehicles import catalog

    if not args.orbit and not args.c3:
        raise UsageError("give at least one target: --orbit ALT[,INCL] or --c3 C3 (see 'jointmission payload --help')")
    try:
        key = catalog.default_catalog().vehicle_key(args.vehicle)
    except catalog.CatalogError as exc:
        raise UsageError(str(exc).replace("unknown vehicle", "unknown catalog vehicle", 1)) from None

    load = _top_load_arg(getattr(args, "top_load", None))
    ranges = [(o, v) for o, vals in (("--c3", args.c3), ("--orbit", args.orbit)) for v in vals if ":" in v]
    if ranges:
        return _curve_command(args, key, ranges, load)
    from ..runners.single import evaluate, target_text  # single targets: a scenario document, a single run
    from ..scenario import ScenarioError, parse_scenario
    if args.output is not None or args.no_write:
        opt = "-o/--output" if args.output is not None else "--no-write"
        raise UsageError(f"{opt} applies to a payload curve (a range such as --c3 -2:100:2 or --orbit 200:2000:50); "
                         "single targets are printed only")
    if args.parking and not args.c3:
        raise UsageError(f"--parking '{args.parking[0]}' applies to --c3 targets (the circular orbit an escape "
                         "burn starts from), and none is given; drop --parking, or add --c3 C3 (an --orbit "
                         "target is flown directly)")
    if args.dla is not None and not args.c3:
        raise UsageError(f"--dla '{args.dla}' is the declination of a departure asymptote, for --c3 targets, and "
                         "none is given; drop --dla or add --c3 C3")
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
        times = re.fullmatch(r"(\d[^xX\u00d7]*?)\s*[xX\u00d7]\s*(\d.*)", alt)
        if times:  # '200 x 35,786 km' is how tables label an ellipse
            per_txt, apo_txt = (t.strip() for t in times.groups())
            raise UsageError(f"--orbit '{spec}': write an ellipse as PERI-APO with a dash, e.g. --orbit "
                             f"{per_txt}-{apo_txt}" + (f",{parts[1]}" if len(parts) == 2 else ""))
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
        if args.dla is not None:
            t["dla"] = _q(args.dla, "angle", "deg", "--dla")
        targets.append(t)
    if load is not None:
        for t in targets:
            t["top_load"] = load
    doc: dict[str, Any] = {"name": f"{key} payload", "vehicle": {"catalog": key}, "targets": targets}
    if args.site_lat is not None:
        doc["launch_site"] = _site_arg(args.site_lat)
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
    console = _console()
    vs = result.vehicle_summary
    console.print(f"[bold]{scenario.vehicle.name}[/bold]: lift-off {vs['liftoff_mass_t']:,.0f} t, "
                  f"T/W {vs['liftoff_t_w']:.2f}, launch latitude {vs['latitude_deg']:.2f} deg")
    cells = []
    for r in result.rows:
        losses = [r.get(k) for k in ("dv_gravity_km_s", "dv_drag_km_s", "dv_steering_km_s",
                                     "dv_back_pressure_km_s", "dv_finite_burn_km_s", "dv_dogleg_km_s")]
        loss = sum(x for x in losses if x is not None) if any(x is not None for x in losses) else None
        cells.append([target_text(r), _fmt(r["payload_t"], 2), *([_fmt(r["top_load"], 2)] if load is not None else []),
                      _fmt(r["dv_required_km_s"], 3), _fmt(loss, 3), _fmt(r["dv_rotation_km_s"], 3), r["status"]])
    _print_table(console, ["target", "payload t", *(["top load"] if load is not None else []), "dv required km/s",
                           "losses km/s", "rotation km/s", "status"],
                 cells, title="Payload", left=("target", "status"))
    return 0


def _cli_wording(exc) -> str:
    field = exc.field or ""
    opt = "--site-lat" if field.startswith("launch_site") else "--dla" if field.endswith(".dla") else \
        "--parking" if ".parking" in field else "--c3" if ".c3" in field \
        else "--orbit" if "orbit" in field else "option"
    reason = exc.reason
    for converted, typed in _AS_TYPED.items():
        reason = reason.replace(f"got '{converted}'", f"got '{typed}'")
    return f"{opt}: {reason}"


# ----------------------------------------------------------------------------------------- curves
_AXES = {  # option -> (axis, to_si kind, default unit, display scale, display unit, field-kind key)
    "--c3": ("c3", "c3", "km2/s2", 1e6, "km2/s2", "c3"),
    "--orbit": ("altitude", "length", "km", 1e3, "km", "earth_orbit_altitude"),
}


def _parse_range(option: str, spec: str):
    """``START:STOP:STEP`` of ``option`` -> (values [SI] as a numpy array, inclination text or None).
    Raises :class:`UsageError` for a malformed range, a zero or backward step, too many points or a
    value outside the field's limits; nothing has been computed or written then."""
    import numpy as np

    from ..fields import KINDS
    from ..units import UnitError, to_si
    from ..vehicles.curve import MAX_CURVE_POINTS

    axis, kind, unit, scale, shown, fkey = _AXES[option]
    body, inc = spec, None
    if option == "--orbit" and "," in spec:
        body, _, inc = (x.strip() for x in spec.partition(","))
    example = "--c3 -2:100:2" if option == "--c3" else "--orbit 200:2000:50 (or 200:2000:50,51.6 with an inclination)"
    parts = [x.strip() for x in body.split(":")]
    if len(parts) != 3 or not all(parts):
        raise UsageError(f"{option} '{spec}': a range is START:STOP:STEP, e.g. {example}")
    if option == "--orbit" and any(re.fullmatch(r"\d(?:[^-]*[^eE-])?\s*-\s*\d.*", x) for x in parts):
        raise UsageError(f"{option} '{spec}': a range sweeps circular orbits; an ellipse (PERI-APO) is one value "
                         "such as --orbit 200-35786,27")
    vals = []
    for name, text in zip(("start", "stop", "step"), parts):
        try:
            vals.append(to_si(text, kind, unit))
        except UnitError as exc:
            raise UsageError(f"{option} '{spec}': {name} '{text}': {exc}") from None
    start, stop, step = vals
    if step == 0:
        raise UsageError(f"{option} '{spec}': the step is zero; give a non-zero step, e.g. {example}")
    if (stop - start) * step < 0:
        raise UsageError(f"{option} '{spec}': the step {step / scale:g} {shown} points away from stop "
                         f"({start / scale:g} -> {stop / scale:g} {shown}); use "
                         f"{-step / scale:g} or swap start and stop")
    n = int(np.floor((stop - start) / step * (1 + 1e-12) + 1e-9)) + 1
    if n > MAX_CURVE_POINTS:
        raise UsageError(f"{option} '{spec}': {n:,} points; a curve has at most {MAX_CURVE_POINTS:,} points "
                         "(use a larger step)")
    values = start + step * np.arange(n)
    fk = KINDS[fkey]
    bad = values[~fk.ok(values)]
    if bad.size:
        why = fk.why_high if bad[0] > fk.hi else fk.why_low
        limit = (f"at most {fk.hi / scale:,g} {shown}" if np.isinf(fk.lo) else
                 f"from {fk.lo / scale:,g} to {fk.hi / scale:,.0f} {shown}")
        raise UsageError(f"{option} '{spec}': {fk.noun} {bad[0] / scale:g} {shown} is outside the model's limits "
                         f"(the {fk.noun} must be {limit}{': ' + why if why else ''}); narrow the range")
    return values, inc


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower() or "vehicle"


def _curve_command(args, key: str, ranges: list[tuple[str, str]], load: float | str | None = None) -> int:
    """A payload curve: one range, checked, solved in one call, printed and written."""
    import numpy as np

    from ..constants import DEFAULT_PARKING_ALT_M, GM_EARTH, R_EARTH
    from ..vehicles import catalog
    from ..vehicles.curve import compute_curve

    option, spec = ranges[0]
    others = [f"{o} '{v}'" for o, vals in (("--c3", args.c3), ("--orbit", args.orbit)) for v in vals
              if (o, v) != (option, spec)]
    if others:
        raise UsageError(f"{option} '{spec}' is a range (one payload curve); give it alone, without "
                         f"{', '.join(others)}: run the command once per curve")
    values, inc_text = _parse_range(option, spec)
    lat = None
    if args.site_lat is not None:
        lat = float(_site_arg(args.site_lat)["latitude"].split()[0])
        if not -90.0 <= lat <= 90.0:
            raise UsageError(f"--site-lat '{args.site_lat}': a latitude is between -90 and 90 deg")
        lat = np.radians(lat)
    inc = None
    if inc_text is not None:
        inc_deg = float(_q(inc_text, "angle", "deg", f"--orbit '{spec}': inclination").split()[0])
        if not 0.0 <= inc_deg <= 180.0:
            raise UsageError(f"--orbit '{spec}': the inclination (after the comma) must be between 0 and 180 deg, "
                             f"got {inc_deg:g} deg")
        inc = np.radians(inc_deg)
    park = dla = None
    if option == "--c3":
        if len(args.parking) > 1:
            raise UsageError("--parking is given more than once; give it once")
        if args.parking:
            park = to_si_checked(args.parking[0], "--parking")
        floor = -GM_EARTH / (R_EARTH + (DEFAULT_PARKING_ALT_M if park is None else park))
        if values.min() <= floor:
            raise UsageError(f"--c3 '{spec}': C3 {values.min() / 1e6:g} km2/s2 is at or below the energy of the "
                             f"circular parking orbit ({floor / 1e6:.4g} km2/s2); start the range above it")
        if args.dla is not None:
            dla_deg = float(_q(args.dla, "angle", "deg", "--dla").split()[0])
            if not -90.0 <= dla_deg <= 90.0:
                raise UsageError(f"--dla '{args.dla}': a declination is between -90 and 90 deg")
            dla = np.radians(dla_deg)
    elif args.parking or args.dla is not None:
        opt = "--parking" if args.parking else "--dla"
        raise UsageError(f"{opt} applies to --c3 targets (the parking orbit of an escape burn); an --orbit curve "
                         "flies its orbit directly")
    vehicle = catalog.default_catalog().get_vehicle(key)
    try:
        curve = compute_curve(vehicle, **{("c3_m2_s2" if option == "--c3" else "altitude_m"): values},
                              inclination_rad=inc, parking_alt_m=park, dla_rad=dla, latitude_rad=lat,
                              top_load=load)
    except ValueError as exc:
        raise UsageError(f"{option} '{spec}': {exc}") from None
    published = _published(key, vehicle.name, curve.axis)
    rows = _curve_rows(curve, published)
    if args.json:
        from ..io.atomic import json_safe

        print(json.dumps(json_safe({"vehicle": key, "vehicle_name": vehicle.name, "axis": curve.axis,
                                    "latitude_deg": math.degrees(curve.latitude_rad),
                                    "inclination_deg": math.degrees(curve.inclination_rad), "points": rows}),
                         indent=2, allow_nan=False))
    else:
        _print_curve(curve, rows)
    if not args.no_write:
        from pathlib import Path

        out = Path(args.output) if args.output is not None else Path("results") / f"payload_{_slug(key)}"
        try:
            files = _write_curve(out, curve, rows, published)
        except OSError as exc:
            raise UsageError(f"cannot write the curve files into '{out}': {exc.strerror or exc}; choose another "
                             "folder with -o DIR") from None
        if not args.json:
            _console().print("wrote " + ", ".join(str(f) for f in files))
    return 0


def to_si_checked(text: str, option: str) -> float:
    """A parking altitude [m] from the command line, inside the Earth-orbit limits."""
    from ..fields import KINDS
    from ..units import UnitError, to_si

    try:
        v = to_si(text.strip(), "length", "km")
    except UnitError as exc:
        raise UsageError(f"{option} '{text}': {exc}") from None
    fk = KINDS["earth_orbit_altitude"]
    if not fk.ok(v):
        raise UsageError(f"{option} '{text}': a parking altitude must be {fk.range_text(1e3, 'km')}")
    return float(v)


def _published(key: str, name: str, axis: str) -> list:
    """Published points of catalog vehicle ``key`` on ``axis`` (empty where the catalog has none)."""
    from ..vehicles.published import published_curves

    return [p for p in published_curves(key, as_name=name) if p.axis == axis]


_COLS = ("payload_t", "status", "dv_required_km_s", "dv_losses_km_s", "dv_gravity_km_s", "dv_drag_km_s",
         "dv_steering_km_s", "dv_back_pressure_km_s", "dv_finite_burn_km_s", "dv_dogleg_km_s",
         "dv_rotation_km_s", "liftoff_tw", "published_payload_t")


def _curve_rows(curve, published) -> list[dict[str, Any]]:
    """One plain row per curve point (display units), with the published payload where a published
    point lies on the point (to 1e-6 relative)."""
    from ..core.status import status_text

    xname = "c3_km2_s2" if curve.axis == "c3" else "altitude_km"
    scale = 1e6 if curve.axis == "c3" else 1e3
    pub: dict[float, float] = {}
    for p in published:
        for x, m in zip(p.values, p.payload_kg):
            pub[float(x)] = float(m)
    rows = []
    for i, x in enumerate(curve.values):
        def km(k):
            v = float(curve.budget[k][i])
            return v / 1e3 if math.isfinite(v) else None
        losses = float(curve.losses[i])
        p = float(curve.payload_kg[i])
        tw = float(curve.liftoff_tw[i])
        match = [m for xp, m in pub.items() if abs(xp - x) <= 1e-6 * max(abs(x), scale)]
        rows.append({xname: float(x) / scale, "payload_t": p / 1e3 if math.isfinite(p) else None,
                     "status": status_text(int(curve.status[i])), "dv_required_km_s": km("dv_required"),
                     "dv_losses_km_s": losses / 1e3 if math.isfinite(losses) else None,
                     **{f"{k}_km_s": km(k) for k in ("dv_gravity", "dv_drag", "dv_steering", "dv_back_pressure",
                                                      "dv_finite_burn", "dv_dogleg", "dv_rotation")},
                     "liftoff_tw": tw if math.isfinite(tw) else None,
                     "published_payload_t": match[0] / 1e3 if match else None})
        if curve.top_load is not None:
            f = float(curve.top_load[i])
            rows[-1]["top_load"] = f if math.isfinite(f) else None
    return rows


def _print_curve(curve, rows) -> None:
    """The curve as a table that is never cut (split into "(continued)" tables on a narrow terminal)."""
    console = _console()
    xname = "c3_km2_s2" if curve.axis == "c3" else "altitude_km"
    where = (f"parking {curve.parking_alt_m / 1e3:,.0f} km, " if curve.axis == "c3" else "") + \
        f"i = {math.degrees(curve.inclination_rad):.2f} deg" + \
        (f" (DLA {math.degrees(curve.dla_rad):.2f} deg)" if math.isfinite(curve.dla_rad) else "") + \
        f", launch latitude {math.degrees(curve.latitude_rad):.2f} deg"
    console.print(f"[bold]{curve.vehicle}[/bold]: payload curve, {curve.n} points ({where})")
    has_pub = any(r["published_payload_t"] is not None for r in rows)
    head = [("C3 km2/s2" if curve.axis == "c3" else "altitude km", xname, 2 if curve.axis == "c3" else 0),
            ("payload t", "payload_t", 2), *([("top load", "top_load", 2)] if curve.top_load is not None else []),
            ("dv required km/s", "dv_required_km_s", 3),
            ("losses km/s", "dv_losses_km_s", 3), ("rotation km/s", "dv_rotation_km_s", 3)]
    if has_pub:
        head.append(("published t", "published_payload_t", 2))
    cells = [[_fmt(r[k], d) for _, k, d in head] + [r["status"]] for r in rows]
    titles = [h for h, _, _ in head] + ["status"]
    _print_table(console, titles, cells, title="Payload curve", left=("status",))


def _print_table(console, titles: list[str], cells: list[list[str]], *, title: str,
                 left: tuple[str, ...] = ()) -> None:
    """The table under ``title``, as every table of the command line prints it: numbers never cut, and
    when the number columns do not fit in the terminal's width the console prints several tables, each
    repeating the first column, titled "... (continued)" after the first (:func:`.console.fit_table`)."""
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for name in titles:
        t.add_column(name, justify="left" if name in left else "right")
    for c in cells:
        t.add_row(*c)
    console.print(t)


def _write_curve(out, curve, rows, published) -> list:
    """``payload_<axis>.csv`` and ``payload_<axis>.png`` in ``out``, each written atomically."""
    import csv
    import io

    from ..io.atomic import atomic_path, atomic_write_text
    from ..report.curve_plot import payload_curve_figure

    xname = "c3_km2_s2" if curve.axis == "c3" else "altitude_km"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = (xname,) + _COLS
    if curve.top_load is not None:  # the loaded fraction of the top stage, after the payload
        cols = (xname, "payload_t", "top_load") + _COLS[1:]
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r[c] is None else (f"{r[c]:.6g}" if isinstance(r[c], float) else r[c]) for c in cols])
    stem = f"payload_{curve.axis}"
    png = io.BytesIO()  # rendered before any file is written: a failing figure leaves no CSV behind
    payload_curve_figure([curve], published).savefig(png, format="png", dpi=110, bbox_inches="tight")
    csv_path = atomic_write_text(out / f"{stem}.csv", buf.getvalue())
    png_path = out / f"{stem}.png"
    with atomic_path(png_path) as tmp:
        tmp.write_bytes(png.getvalue())
    return [csv_path, png_path]
