"""``jointmission run`` and ``jointmission check``: evaluate a scenario file into its results folder
and print its tables; validate scenario and concept files."""

from __future__ import annotations

import sys
from pathlib import Path

from .console import UsageError, _console, _fmt

__all__ = ["run_command", "check_command", "print_result"]


def print_result(result, console, *, title: str | None = None) -> None:
    """Print a run's vehicle, stage table, payloads, delta-v budget and delta-v by phase (a
    :class:`~jointmission.report.folder` run result) on the :mod:`rich` ``console``."""
    from rich.table import Table

    from ..runners.single import target_text

    vs = result.vehicle_summary
    site = vs.get("launch_site") or "launch site"
    console.print(f"[bold]{title or result.scenario.name}[/bold]")
    if result.scenario.description:
        console.print(result.scenario.description.strip())
    console.print(
        f"Vehicle: {result.scenario.vehicle_label}; lift-off {vs['liftoff_mass_t']:,.0f} t, "
        f"T/W {vs['liftoff_t_w']:.2f}; {site} at {vs['latitude_deg']:.2f} deg"
    )

    st = Table(title="Stages", title_justify="left")
    for col in ("stage", "engine", "count", "thrust vac kN", "Isp vac s", "m_prop t", "m_dry t",
                "jettison t", "burn s"):
        st.add_column(col, justify="left" if col in ("stage", "engine") else "right")
    for r in vs["stage_table"]:
        st.add_row(str(r["stage"]), str(r["engine"]), str(r["count"]), _fmt(r["thrust_vac_kN"], 0),
                   _fmt(r["isp_vac_s"], 1), _fmt(r["m_prop_t"], 1), _fmt(r["m_dry_t"], 1),
                   _fmt(r["jettison_t"], 1), _fmt(r["burn_time_s"], 0))
    console.print(st)
    if not result.rows:  # e.g. a mission-only scenario: its own tables follow
        return

    pt = Table(title="Payload", title_justify="left")
    pt.add_column("target")
    pt.add_column("orbit / C3")
    pt.add_column("payload t", justify="right")
    load = "top_load" in result.columns  # a target sets its top-stage load
    if load:
        pt.add_column("top load", justify="right")
    pt.add_column("status")
    for r in result.rows:
        pt.add_row(r["target"], target_text(r), _fmt(r["payload_t"], 2),
                   *([_fmt(r.get("top_load"), 2)] if load else []), r["status"])
    console.print(pt)

    dt = Table(title="Delta-v budget (km/s): required = orbit - rotation + losses + dog-leg + departure + finite burn",
               title_justify="left")
    dt.add_column("target")
    labels = [("dv_required_km_s", "required"), ("dv_orbit_km_s", "orbit"), ("dv_rotation_km_s", "rotation"),
              ("dv_gravity_km_s", "gravity"), ("dv_drag_km_s", "drag"), ("dv_steering_km_s", "steering"),
              ("dv_back_pressure_km_s", "back-pressure"), ("dv_departure_km_s", "departure"),
              ("dv_finite_burn_km_s", "finite burn"), ("dv_dogleg_km_s", "dog-leg")]
    for _, lab in labels:
        dt.add_column(lab, justify="right")
    for r in result.rows:
        dt.add_row(r["target"], *[_fmt(r.get(k), 3) for k, _ in labels])
    console.print(dt)

    phase_cols = result.columns[-len(result.phase_names):] if result.phase_names else []
    if phase_cols:
        ph = Table(title="Delta-v by flight phase (km/s)", title_justify="left")
        ph.add_column("target")
        for name in result.phase_names:
            ph.add_column(name, justify="right")
        for r in result.rows:
            ph.add_row(r["target"], *[_fmt(r.get(c), 3) for c in phase_cols])
        console.print(ph)


def run_command(args) -> int:
    """``jointmission run FILE [-o DIR]``: evaluate the scenario file (a sweep in chunks) and write its
    results folder; the folders it creates are removed again if the run is refused or fails."""
    from ..scenario import load_scenario

    scenario = load_scenario(args.file)
    out = None
    made: list[Path] = []  # the folders this run creates, deepest first (removed again if it is refused)
    if not args.no_write:
        out = Path(args.output) if args.output else Path("results") / Path(args.file).stem
        if out.exists() and not out.is_dir():
            raise UsageError(f"'{out}' is not a folder; choose an output folder with -o DIR")
        made = [p for p in (out, *out.parents) if not p.exists()]
        try:  # fail before the (slow) evaluation if the folder cannot be made
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot write results to '{out}': {exc.strerror or exc}") from None
    try:
        return _run_into(args, scenario, out)
    except BaseException:
        for p in made:  # a refused or failed run leaves no empty folder behind (a folder it wrote into stays)
            try:
                p.rmdir()
            except OSError:
                break
        raise


def _run_into(args, scenario, out: Path | None) -> int:
    """The rest of ``run``: evaluate ``scenario`` (a sweep in chunks) and write into ``out`` (None:
    print only)."""
    from ..io.results_dir import ResultsFolderError
    from ..report.folder import run

    if getattr(scenario, "sweep", None) is not None:  # chunked sweep run + figures (cli/sweep.py)
        from .sweep import sweep_command

        return sweep_command(args, scenario, out, _console(), UsageError)
    if args.resume or args.dask or args.chunk_size:
        raise UsageError("--resume, --dask and --chunk-size apply to scenarios with a 'sweep:' section")
    from .progress import StepBars

    try:
        with StepBars(_console()) as bars:
            result = run(scenario, output_dir=out, progress=bars)
    except ResultsFolderError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:  # name the file at fault (e.g. a folder called results.parquet)
        raise UsageError(f"cannot write results to '{exc.filename2 or exc.filename or out}': {exc.strerror or exc}") from None
    console = _console()
    print_result(result, console)
    if result.transfer is not None:
        from .porkchop import optima_table

        tr = result.transfer
        console.print(optima_table(tr.best, f"Transfer {tr.grid.attrs['origin'].title()} -> "
                                            f"{tr.grid.attrs['target'].title()}: best by {scenario.transfer.objective}"))
        if not tr.best:
            console.print("No transfer found in the window (every grid point is infeasible: see 'status' in "
                          "porkchop.nc); it adds no target.")
    if result.mission is not None:
        from ..report.mission import print_mission

        print_mission(result.mission, console)
        from ..report.partners import print_ledger

        print_ledger(result.mission, console)
    if out is not None:
        names = ", ".join(sorted(p.name for p in result.files.values()))
        console.print(f"Results written to {out}/ ({names})")
    return 0


def check_command(args, user_errors: tuple[type[Exception], ...]) -> int:
    """``jointmission check FILE...``: validate every file (scenario or concept file), one OK line or one
    error paragraph each (the exceptions ``user_errors`` are user mistakes); exit code 2 if any failed."""
    from ..scenario import load_scenario
    from ..scenario.concept_files import is_concept_file, load_concept_file

    failed = 0
    for f in args.files:  # every file is checked: one OK line or one error paragraph each
        try:
            if is_concept_file(f):
                c = load_concept_file(f)
                print(f"OK: concept {c.name}: {len(c.elements)} elements, {len(c.launches)} launches, "
                      f"{len(c.phase_sequence())} phases" + (f", choices: {', '.join(c.choices)}" if c.choices else ""))
                continue
            s = load_scenario(f)
            print(f"OK: {s.name}: vehicle {s.catalog_name or s.vehicle.name}, {', '.join(_check_parts(s))}")
        except user_errors as exc:
            sys.stdout.flush()
            sys.stderr.write(f"jointmission check: error: {' '.join(str(exc).split())}\n")
            failed += 1
    return 2 if failed else 0


def _check_parts(s) -> list[str]:
    """What a run of scenario ``s`` computes, for ``jointmission check``: its own targets, the
    transfer's optimum targets, the mission architectures, the programme's partners, the sweep."""
    n = len(s.targets)
    parts = [f"{n} target{'s' if n != 1 else ''}"] if n or s.transfer is None and s.mission is None else []
    if s.transfer is not None:
        tr = s.transfer
        what = (f"transfer {tr.origin} -> {tr.target} (departures {tr.depart.start} to {tr.depart.end}"
                f"{'' if tr.objective == 'c3' else ', best by ' + tr.objective})")
        what += ": payload to its Type I and Type II optimum C3" if tr.payload else ": porkchop only (payload: false)"
        if parts and tr.payload:
            parts[0] += f" + {what}"
        else:
            parts.append(what)
    if s.mission is not None:
        a, k = len(s.mission.architectures), len(s.mission_launchers) or 1
        parts.append(f"mission: {a} architecture{'s' if a != 1 else ''} x {k} launcher{'s' if k != 1 else ''}")
    if getattr(s, "programme", None) is not None:
        parts.append("partners: " + ", ".join(f"{p.name} {p.share * 100:g} %" for p in s.programme.partners))
    if s.sweep is not None:
        parts.append(f"sweep: {s.sweep.kind}, {s.sweep.n_cases:,} cases")
    return parts
