"""Write a single run's results into an output folder, atomically (see :mod:`jointmission.io.atomic`).

Every file is written to a temporary name in the same folder, flushed and fsync'ed, then moved into
place with :func:`os.replace` (atomic on POSIX and Windows). A run killed half-way leaves either the
previous complete file or the new complete file, never a truncated one; temporary files are removed
on errors. ``summary.json`` is written last, so its presence marks a complete run.

Files
-----
``results.parquet``
    The results table (pyarrow); each column's unit and meaning in its field metadata
    (``unit``, ``description``), the scenario name and versions in the schema metadata.
``results.csv``
    The same table as CSV (units are in the column names: ``payload_t``, ``dv_orbit_km_s``).
``results.json``
    The same table as a JSON list of row records (only if ``json`` is in ``outputs.formats``).
``scenario.resolved.yaml``
    The scenario as it ran: vehicle written out in full with engines and overrides applied. It
    loads again with :func:`jointmission.scenario.load_scenario`.
``report.md``
    A human-readable Markdown report: vehicle, payload per target, delta-v budget, stages.
``report.html``
    The same report as one self-contained web page (:mod:`.run_html`): tables, the figures embedded,
    the scenario as run with every default written out. Its figures are also written as PNG files:
    ``dv_budget.png``, ``payload_curves.png`` and, with a ``mission:`` section, ``mass_waterfall.png``
    and ``landed_mass.png`` (and ``partners.png`` with a ``programme:`` section).
``porkchop.nc``, ``transfer_optima.json``, ``porkchop.png``
    With a ``transfer:`` section: the porkchop grid, its optima and its figure.
``mission.parquet``, ``mission.csv``
    With a ``mission:`` section: the architectures table.
``partners.parquet``
    With a ``programme:`` section: the partners' ledger, one row per case x partner (units in the
    column metadata).
``summary.json``
    Scenario name, vehicle summary and stage table, targets, payloads, versions, a UTC timestamp,
    ``run_kind: single`` and ``files``: every file this run wrote. Written last, after the report and
    every figure: its presence marks a complete run.

Writing into a folder that holds a previous run's results first removes that run's ``summary.json``,
then exactly the files it lists (see :mod:`jointmission.io.results_dir`); a folder holding a sweep or
files that are not ours is refused (:class:`~jointmission.io.results_dir.ResultsFolderError`).

:func:`run` is also ``jm.run``: given a scenario with a ``sweep:`` section it runs the whole sweep
into the folder, as ``jointmission run`` does (:func:`jointmission.runners.sweep.run_sweep`; the sweep's
files are listed in :mod:`jointmission.runners.sweep`).
"""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Mapping
from typing import TYPE_CHECKING, Callable, overload

import yaml

from ..io.atomic import atomic_write_text, json_safe, write_with
from ..io.results_dir import ResultsFolderError, check_output_dir, prepare_output_dir
from ..runners.single import RunResult, evaluate
from ..scenario import Scenario, load_scenario
from .markdown import markdown_report

if TYPE_CHECKING:  # pragma: no cover - the sweep machinery is imported only when a sweep runs
    from ..runners.sweep import SweepResult
    from .figure_worker import Deferred
    from .run_figures import RunFigures

__all__ = ["write_results", "run", "ResultsFolderError"]


def write_results(result: RunResult, output_dir: str | Path, *,
                  early: Mapping[str, Deferred] | None = None) -> dict[str, Path]:
    """Write ``result`` into ``output_dir`` (created if needed); returns ``{kind: path}``.

    Table formats follow ``scenario.outputs.formats`` (``parquet``, ``csv``, ``json``);
    ``scenario.resolved.yaml``, ``report.md`` and ``summary.json`` are always written, ``summary.json``
    last. A previous run's files in ``output_dir`` are removed first (only those its ``summary.json``
    lists); a folder holding a sweep or files that are not a run's raises :class:`ResultsFolderError`.
    Some figures are drawn in a worker process while the tables are written
    (:mod:`jointmission.report.run_figures`); ``early``: figures already started for this run
    (:func:`~jointmission.report.run_figures.start_early`).
    """
    from .run_figures import RunFigures

    out = Path(output_dir)
    prepare_output_dir(out, "single")
    figures = RunFigures(result, early)
    try:
        return _write_files(result, out, figures)
    finally:
        figures.close()


def _write_files(result: RunResult, out: Path, figures: RunFigures) -> dict[str, Path]:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    formats = list(result.scenario.outputs.formats)
    files: dict[str, Path] = {}
    table = result.table
    header = (
        f"# Resolved scenario '{result.scenario.name}' as run by jointmission {result.versions['jointmission']}\n"
        f"# at {result.timestamp}. Provenance: {json.dumps(json_safe(result.scenario.provenance()))}\n"
        "# This file loads again with `jointmission check` / `jointmission run`.\n"
    )
    resolved_text = header + yaml.safe_dump(json_safe(result.scenario.resolved_dict()), sort_keys=False,
                                            allow_unicode=True, width=100)  # before any file is written
    if "parquet" in formats:
        files["parquet"] = write_with(out / "results.parquet", lambda p: pq.write_table(table, p))
    if "csv" in formats:
        files["csv"] = write_with(out / "results.csv", lambda p: pacsv.write_csv(table, p))
    if "json" in formats:
        files["json"] = atomic_write_text(
            out / "results.json", json.dumps(json_safe(result.rows), indent=2, allow_nan=False) + "\n"
        )
    files["resolved"] = atomic_write_text(out / "scenario.resolved.yaml", resolved_text)
    if result.transfer is not None:  # porkchop grid (NetCDF) + optima; the figure is drawn by report/
        tr = result.transfer
        files["porkchop"] = write_with(out / "porkchop.nc", tr.grid.write_netcdf)
        files["transfer_optima"] = atomic_write_text(
            out / "transfer_optima.json", json.dumps(json_safe(tr.rows()), indent=2, allow_nan=False) + "\n"
        )
    if result.mission is not None:  # mission architectures table (units in column names and metadata)
        mt = result.mission.table()
        files["mission_parquet"] = write_with(out / "mission.parquet", lambda p: pq.write_table(mt, p))
        files["mission_csv"] = write_with(out / "mission.csv", lambda p: pacsv.write_csv(mt, p))
        pt = result.mission.partners_table()
        if pt is not None:  # the partners' ledger (a programme: section): one row per case x partner
            files["partners_parquet"] = write_with(out / "partners.parquet", lambda p: pq.write_table(pt, p))
    from .run_html import write_single_html

    # the figures (PNG, the porkchop's too) and report.html, then report.md, which shows the figures
    html = write_single_html(result, out, [p.name for p in files.values()] + ["report.md"], figures=figures)
    files.update(html)
    files["report"] = atomic_write_text(out / "report.md", markdown_report(
        result, figures=[n for n in html if n.endswith(".png")]))
    summary = {"run_kind": "single", **result.summary()}
    summary["files"] = sorted(p.name for p in files.values()) + ["summary.json"]
    files["summary"] = atomic_write_text(
        out / "summary.json", json.dumps(json_safe(summary), indent=2, allow_nan=False) + "\n"
    )
    return files


@overload
def run(scenario_or_path: Scenario | str | Path, output_dir: None = None, *,
        progress: Callable[[str, int, int], None] | None = None) -> RunResult: ...


@overload
def run(scenario_or_path: Scenario | str | Path, output_dir: str | Path, *,
        progress: Callable[[str, int, int], None] | None = None) -> RunResult | SweepResult: ...


def run(scenario_or_path: Scenario | str | Path, output_dir: str | Path | None = None, *,
        progress: Callable[[str, int, int], None] | None = None) -> RunResult | SweepResult:
    """Load (if given a path) and evaluate a scenario; write its results folder if ``output_dir`` is given.

    The same run as ``jointmission run FILE -o DIR``: a scenario with a ``sweep:`` section runs its
    whole sweep (:func:`jointmission.runners.sweep.run_sweep`, in this process, with the report and
    figures of the command) into ``output_dir`` and returns a
    :class:`~jointmission.runners.sweep.SweepResult`; any other scenario is evaluated once and returns
    a :class:`~jointmission.runners.single.RunResult`. For the options of a sweep run (``resume``,
    ``chunk_size``, ``dask``) call :func:`jointmission.runners.sweep.run_sweep` directly.

    Parameters
    ----------
    scenario_or_path : Scenario or path
        A loaded :class:`~jointmission.scenario.Scenario` or a scenario YAML file.
    output_dir : path, optional
        Folder for ``results.parquet`` / ``results.csv`` / ``report.md`` / ``scenario.resolved.yaml`` /
        ``summary.json`` (each written atomically, ``summary.json`` last); for a sweep, its
        ``chunks/``, ``manifest.json``, analysis files, figures and reports. Required for a sweep.
    progress : callable(step, done, total), optional
        Called as each step of the run starts and ends (see
        :func:`jointmission.runners.single.evaluate`; then "results and figures"). For a sweep, the
        steps of :func:`~jointmission.runners.sweep.run_sweep` and ``("chunks", done_cases, total_cases)``
        as chunks complete.

    Returns
    -------
    RunResult or SweepResult
        Single run: rows per target with payload [t], status and delta-v split [km/s], vehicle summary;
        with ``output_dir``, ``result.files`` maps each kind of file to its path. Sweep: the finished
        sweep folder (``result.to_pandas()`` every case, ``result.summary`` its statistics,
        ``result.files`` the files written), as :func:`jointmission.load_sweep` opens it later.

    Raises
    ------
    ScenarioError
        If a path is given and the file is invalid.
    SweepError
        A sweep scenario without ``output_dir`` (a sweep writes its results in chunks to a folder).
    ResultsFolderError
        If ``output_dir`` holds a different kind of run or files that are not a run's (checked before
        the evaluation).
    """
    scenario = scenario_or_path if isinstance(scenario_or_path, Scenario) else load_scenario(scenario_or_path)
    if getattr(scenario, "sweep", None) is not None:
        return _run_sweep(scenario, output_dir, progress)
    if output_dir is None:
        return evaluate(scenario, progress)
    check_output_dir(output_dir, "single")  # before the (slow) evaluation
    from .run_figures import start_early

    early = start_early(scenario)  # the payload curves need only the vehicles: drawn while the run is evaluated
    try:
        result = evaluate(scenario, progress)
        if progress is not None:
            progress("results and figures", 0, 1)
        result.output_dir = Path(output_dir)
        result.files = write_results(result, output_dir, early=early)
        if progress is not None:
            progress("results and figures", 1, 1)
    finally:
        for d in early.values():
            d.close()
    return result


def _run_sweep(scenario: Scenario, output_dir: str | Path | None,
               progress: Callable[[str, int, int], None] | None) -> SweepResult:
    """``scenario``'s whole sweep into ``output_dir``, with the report and figures, as the CLI runs it."""
    from ..runners.sweep import SweepError, run_sweep
    from .sweep_plots import write_sweep_report

    if output_dir is None:
        raise SweepError(
            f"scenario '{scenario.name}' has a 'sweep:' section ({scenario.sweep.n_cases:,} cases), whose results "
            "are written in chunks to a folder: call jm.run(scenario, output_dir=DIR) (or jm.run_sweep), "
            "then read them with result.to_pandas() or jm.load_sweep(DIR); its nominal case alone is "
            "jointmission.runners.evaluate(scenario)")
    chunks = None if progress is None else (lambda done, total: progress("chunks", done, total))
    return run_sweep(scenario, output_dir, progress=chunks, report=write_sweep_report, steps=progress)
