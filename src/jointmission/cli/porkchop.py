"""``jointmission porkchop``: compute a porkchop grid, print the optima, write NetCDF/PNG/JSON.

The output folder follows the results-folder rules of ``jointmission run``
(:mod:`jointmission.io.results_dir`, run kind ``"porkchop"``): a folder holding a previous porkchop
loses exactly the files its ``summary.json`` lists, a folder holding another kind of run or files that
are not ours is refused, and ``summary.json`` is written last, listing every file.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Sequence

from ..constants import MIN_PERIGEE_ALT_M
from ..io.atomic import atomic_path, atomic_write_text, json_safe
from ..io.results_dir import ResultsFolderError, check_output_dir, prepare_output_dir
from ..interplanetary.optimum import BestTransfer, optima
from ..interplanetary.transfers import PLANETS, TransferError, orbit_outside_soi, porkchop_grid
from ..units import UnitError, to_si
from ..report.porkchop_plot import type_label, write_porkchop_figure

__all__ = ["porkchop_command", "write_porkchop_outputs", "optima_table", "default_output_dir"]


def write_porkchop_outputs(ds, best: Sequence[BestTransfer], out_dir: str | Path,
                           stem: str = "porkchop", figures: Sequence[str] = ("png",),
                           summary: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write ``<stem>.nc`` (xarray, NetCDF3 via scipy), the figure(s) ``<stem>.png`` / ``.svg``,
    ``<stem>_optima.json``, ``report.html`` (the request, the optima and the porkchop) and, last, ``summary.json`` (``summary`` plus ``run_kind: porkchop`` and
    ``files``, every file written) into ``out_dir`` (each atomically); returns ``{kind: path}``.

    The folder is first made ready with :func:`~jointmission.io.results_dir.prepare_output_dir`: a
    previous porkchop's listed files are removed; a folder holding another kind of run or files that
    are not ours raises :class:`~jointmission.io.results_dir.ResultsFolderError`.
    """
    from ..io.netcdf import write_netcdf3
    from ..report.run_html import write_porkchop_html  # imports the run layer: only when files are written

    out = Path(out_dir)
    prepare_output_dir(out, "porkchop")
    files: dict[str, Path] = {}
    nc = out / f"{stem}.nc"
    with atomic_path(nc) as tmp:
        write_netcdf3(ds, tmp)
    files["netcdf"] = nc
    for fmt in figures:
        files[f"figure_{fmt}"] = write_porkchop_figure(ds, out / f"{stem}.{fmt}", best)
    files["optima"] = atomic_write_text(
        out / f"{stem}_optima.json",
        json.dumps(json_safe({"origin": ds.attrs["origin"], "target": ds.attrs["target"],
                              "optima": [b.to_dict() for b in best]}), indent=2) + "\n",
    )
    files["report"] = write_porkchop_html(out, ds, best, {"run_kind": "porkchop", **(summary or {})})
    record = {"run_kind": "porkchop", **(summary or {}),
              "files": sorted(p.name for p in files.values()) + ["summary.json"]}
    files["summary"] = atomic_write_text(
        out / "summary.json", json.dumps(json_safe(record), indent=2, allow_nan=False) + "\n")
    return files


def optima_table(best: Sequence[BestTransfer], title: str):
    """A rich Table of the optima (one row per transfer type)."""
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    cols = ["type", "depart UTC", "arrive UTC", "TOF d", "C3 km2/s2", "DLA deg",
            "v_inf arr km/s", "dv dep km/s", "dv arr km/s", "dv total km/s"]
    for c in cols:
        t.add_column(c, justify="left" if c.startswith(("type", "depart", "arrive")) else "right")
    for b in best:
        d = b.to_dict()
        t.add_row(type_label(b.type), d["depart"][:10], d["arrive"][:10],
                  f"{d['tof_days']:.1f}", f"{d['c3_km2_s2']:.3f}", f"{d['dla_deg']:.2f}",
                  f"{d['vinf_arrive_km_s']:.3f}", f"{d['dv_depart_km_s']:.3f}", f"{d['dv_arrive_km_s']:.3f}",
                  f"{d['dv_total_km_s']:.3f}")
    return t


def _quantity(text: str, kind: str, unit: str, option: str, usage_error: type[Exception]) -> float:
    try:
        return to_si(text.strip(), kind, unit)
    except UnitError as exc:
        raise usage_error(f"{option}: {exc}") from None


def _check_windows(args: Any, step_days: float, usage_error: type[Exception]) -> None:
    """Refuse, naming the option, a ``--depart`` / ``--arrive`` window that cannot be read, is reversed,
    leaves DE421, or (``--arrive``) ends before the departure window starts: no transfer could exist, so
    the grid would be all infeasible points."""
    from ..interplanetary import ephemeris as eph
    from ..interplanetary.transfers import date_grid

    jd = {}
    for option, text in (("--depart", args.depart), ("--arrive", args.arrive)):
        try:
            jd[option] = date_grid(text, step_days)
        except TransferError as exc:
            raise usage_error(f"{option} '{text}': {exc}") from None
        if jd[option].min() < eph.DE421_FIRST_JD or jd[option].max() > eph.DE421_LAST_JD:
            raise usage_error(f"{option} '{text}': outside DE421 (1899-07-29 to 2053-10-09 TDB); choose dates "
                              "inside that span")
    if jd["--arrive"].max() <= jd["--depart"].min():
        raise usage_error(f"--arrive '{args.arrive}': the arrival window ends before the departure window "
                          f"('{args.depart}') starts, so no transfer exists; give arrival dates after the departures")


def default_output_dir(origin: str, target: str) -> Path:
    """The folder a porkchop without ``-o`` writes into: ``results/porkchop_<origin>_<target>``, the
    bodies named as the grid's ``origin``/``target`` attributes name them (trimmed, lower case)."""
    return Path("results") / f"porkchop_{str(origin).strip().lower()}_{str(target).strip().lower()}"


def porkchop_command(args: Any, console: Any, usage_error: type[Exception]) -> int:
    """Run the ``porkchop`` sub-command with parsed ``args``; user mistakes raise ``usage_error``."""
    step_days = _quantity(args.step, "time", "d", "--step", usage_error) / 86400.0
    if not step_days > 0:
        raise usage_error(f"--step: must be a positive time such as '1 d', got '{args.step}'")
    park = _quantity(args.park, "length", "km", "--park", usage_error)
    parts = [p for p in str(args.capture).split(",")]
    if len(parts) > 2:
        raise usage_error(f"--capture: expected PERI or PERI,APO (altitudes), got '{args.capture}'")
    cap_p = _quantity(parts[0], "length", "km", "--capture", usage_error)
    cap_a = _quantity(parts[1], "length", "km", "--capture", usage_error) if len(parts) == 2 else None
    if park <= 0 or cap_p <= 0 or (cap_a is not None and cap_a < cap_p):
        raise usage_error("--park/--capture: altitudes must be positive and apoapsis >= periapsis")
    origin, target = str(args.origin).strip().lower(), str(args.target).strip().lower()
    if origin in PLANETS and target in PLANETS:  # (an unknown planet is refused by the grid, naming it)
        bad = orbit_outside_soi(origin, target, park, cap_p, cap_a)
        if bad is not None:
            option, text = ("--park", args.park) if bad[0] == "park" else ("--capture", args.capture)
            raise usage_error(f"{option} '{text}': {bad[1]}")
    if origin == "earth" and park < MIN_PERIGEE_ALT_M:
        raise usage_error(f"--park '{args.park}': an Earth parking orbit must be at least {MIN_PERIGEE_ALT_M / 1e3:g} km "
                          "high (below, it is inside the atmosphere's entry interface and decays at once)")
    _check_windows(args, step_days, usage_error)
    out = Path(args.output) if args.output else default_output_dir(args.origin, args.target)
    if not args.no_write:
        try:  # before the computation (-o DIR or the default folder): a folder we must not write into is refused at once
            check_output_dir(out, "porkchop")
        except ResultsFolderError as exc:
            raise usage_error(str(exc)) from None
        except OSError as exc:
            raise usage_error(f"cannot use '{out}' for the results: {exc.strerror or exc}") from None
    from .progress import StepBars

    t0 = time.perf_counter()
    try:
        with StepBars(console) as bars:  # the grid as numpy arrays; its xarray Dataset only for the files
            grid = porkchop_grid(args.origin, args.target, args.depart, args.arrive, step_days=step_days,
                                 park_alt_m=park, capture_periapsis_alt_m=cap_p, capture_apoapsis_alt_m=cap_a,
                                 progress=lambda done, total: bars("porkchop grid (points)", done, total))
            bars("optima, refined", 0, 1)
            best = optima(grid, args.objective)
            bars("optima, refined", 1, 1)
    except TransferError as exc:
        raise usage_error(str(exc)) from None
    elapsed = time.perf_counter() - t0
    n_depart, n_arrive = grid.shape
    n = n_depart * n_arrive
    if args.json:
        print(json.dumps(json_safe({"origin": grid.attrs["origin"], "target": grid.attrs["target"],
                                    "grid_points": n, "optima": [b.to_dict() for b in best]}), indent=2))
    else:
        title = (f"{grid.attrs['origin'].title()} -> {grid.attrs['target'].title()}: best transfers by "
                 f"{args.objective} ({n_depart} x {n_arrive} grid, {n / elapsed:,.0f} "
                 f"points/s, refined below the {step_days:g} d step)")
        console.print(optima_table(best, title))
        if not best:
            console.print("No transfer found in these windows (every grid point is infeasible).")
    if not args.no_write:
        try:
            figures = ("png", "svg") if args.figure == "both" else (args.figure,)
            with StepBars(console) as bars:
                bars("figures and files", 0, 1)
                ds = grid.to_dataset()
                files = write_porkchop_outputs(ds, best, out, figures=figures,
                                               summary=_summary(args, ds, best, n, step_days, park, cap_p, cap_a))
                bars("figures and files", 1, 1)
        except ResultsFolderError as exc:
            raise usage_error(str(exc)) from None
        except OSError as exc:
            raise usage_error(f"cannot write results to '{exc.filename2 or exc.filename or out}': {exc.strerror or exc}") from None
        if not args.json:
            console.print(f"Written to {out}/ ({', '.join(p.name for p in files.values())})")
    return 0


def _summary(args: Any, ds: Any, best: Sequence[BestTransfer], n: int, step_days: float, park: float,
             cap_p: float, cap_a: float | None) -> dict[str, Any]:
    """What ``summary.json`` of a porkchop folder says besides its files: the request, the grid and
    the optima, the versions and a UTC timestamp."""
    from datetime import datetime, timezone
    from importlib.metadata import PackageNotFoundError, version

    try:
        jm_version = version("jointmission")
    except PackageNotFoundError:  # pragma: no cover
        jm_version = "unknown"
    return {
        "origin": ds.attrs["origin"], "target": ds.attrs["target"],
        "depart": str(args.depart), "arrive": str(args.arrive), "step_days": step_days,
        "park_alt_km": park / 1e3, "capture_periapsis_alt_km": cap_p / 1e3,
        "capture_apoapsis_alt_km": None if cap_a is None else cap_a / 1e3,
        "objective": args.objective, "grid": {"depart": int(ds.sizes["depart"]), "arrive": int(ds.sizes["arrive"]),
                                              "points": int(n)},
        "optima": [b.to_dict() for b in best],
        "versions": {"jointmission": jm_version},
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
