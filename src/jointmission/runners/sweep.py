"""Run a scenario's ``sweep:``: chunked, vectorized, resumable, locally or on Dask.

:func:`run_sweep` is the entry point (the CLI's ``jointmission run`` calls it for scenarios with a
``sweep:`` section)::

    plan  = make_plan(scenario)            # shared part: vehicle base, targets, loss model (+ check)
    for each chunk c not yet done:         # local loop, or one Dask task per chunk
        values = sweep.case_values(lo, hi) # lazy: only this chunk's cases exist
        evaluate (vectorized) -> Parquet bytes -> chunks/chunk-<c>.parquet (tmp + rename)
        manifest.json += {c: rows, bytes, sha256}
    analysis (streamed over the chunks) -> results.nc (grid), pareto.parquet, sample.parquet,
    scenario.resolved.yaml, summary.json (last: marks a complete run)

Identity: the manifest records a fingerprint of everything that determines the results (resolved
scenario, case set, chunk size, fitted loss model, software version). ``resume=True`` continues a
run only if the fingerprint matches, verifies completed chunks (size + SHA-256) and recomputes the
rest; chunks are deterministic functions of ``(plan, c)``, so a resumed run equals an uninterrupted
one. Without ``resume`` an existing sweep in the folder is replaced.

See docs/method-sweeps.md for the loss models and what is per case vs shared.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd
    import xarray as xr

import numpy as np

from ..io.chunks import (CHUNK_DIR, MANIFEST, chunk_path, clean_temporaries, load_manifest, save_manifest,
                         verify_chunk)
from ..io.results_dir import ResultsFolderError, check_output_dir, prepare_output_dir
from ..scenario import Scenario, load_scenario
from ..scenario.sweep_spec import MAX_CHUNK, ResolvedSweep
from .errors import SweepError
from .loss_model import SWEEP_TOP_LOAD
from .sweep_plan import FORMAT, SweepPlan, _version, compute_chunk, make_plan

__all__ = ["SweepError", "SweepResult", "run_sweep", "load_sweep"]

# ------------------------------------------------------------------------------------ the run
@dataclass
class SweepResult:
    """A finished sweep: its folder, summary (plain data) and accessors for the tables."""

    output_dir: Path
    summary: dict
    files: dict = field(default_factory=dict)

    def chunk_files(self) -> list[Path]:
        man = load_manifest(self.output_dir) or {}
        n = man.get("n_chunks", 0)
        return [chunk_path(self.output_dir, c) for c in range(n)]

    def to_pandas(self) -> pd.DataFrame:
        """All cases as a :class:`pandas.DataFrame` (for sweeps that fit in memory)."""
        import pyarrow.parquet as pq
        import pyarrow as pa

        return pa.concat_tables([pq.read_table(f) for f in self.chunk_files()]).to_pandas()

    def dataset(self) -> xr.Dataset:
        """Grid sweeps: the :class:`xarray.Dataset` (named dimensions) from ``results.nc``."""
        import xarray as xr

        p = self.output_dir / "results.nc"
        if not p.exists():
            raise SweepError("no results.nc: only grid sweeps up to 2e7 cases have a NetCDF cube")
        with xr.open_dataset(p) as ds:
            return ds.load()

    def pareto(self) -> pd.DataFrame | None:
        """The Pareto-front cases as a DataFrame (``sweep.objectives`` given), else ``None``."""
        import pandas as pd

        p = self.output_dir / "pareto.parquet"
        return pd.read_parquet(p) if p.exists() else None


def load_sweep(output_dir: str | Path) -> SweepResult:
    """Open a complete sweep folder (``summary.json`` present)."""
    out = Path(output_dir)
    try:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise SweepError(f"'{out}' has no complete sweep (summary.json missing)") from None
    return SweepResult(out, summary)


Progress = Callable[[int, int], None]


def run_sweep(scenario_or_path: Scenario | str | Path, output_dir: str | Path, *, resume: bool = False,
              chunk_size: int | None = None, dask: Any = None, progress: Progress | None = None,
              stop_after: int | None = None,
              report: Callable[[Path, dict], dict[str, Path]] | None = None,
              steps: Callable[[str, int, int], None] | None = None) -> SweepResult:
    """Run the sweep of a scenario into ``output_dir``.

    Parameters
    ----------
    scenario_or_path : Scenario or path
    output_dir : path
        Folder for ``manifest.json``, ``chunks/``, ``summary.json`` and the analysis files.
    resume : bool
        Continue a killed run (same scenario, chunk size and software): verified chunks are kept.
    chunk_size : int, optional
        Cases per chunk (default: ``sweep.chunk_size``, else
        :func:`~jointmission.runners.sweep_plan.default_chunk_size`: about 1/8 of the cases, capped
        at :data:`DEFAULT_CHUNK` or :data:`DEFAULT_CHUNK_RECOMPUTE`).
    dask : str or distributed.Client, optional
        ``"local:N"`` (a LocalCluster of N worker processes on loopback), ``"tcp://HOST:PORT"`` (an
        existing scheduler) or a connected ``Client``. Default: this process.
    progress : callable(done_cases, total_cases), optional
        Called when chunks complete.
    stop_after : int, optional
        Stop after this many chunks were computed in this call (for tests / partial runs); the
        folder is then an incomplete, resumable run.
    report : callable(output_dir, summary) -> {name: path}, optional
        Writes the report and figures of the finished sweep (the CLI passes
        :func:`jointmission.report.sweep_plots.write_sweep_report`); called before ``summary.json`` is
        written, and the files it returns are listed in it.
    steps : callable(step, done, total), optional
        Called as each step other than the chunks starts and ends (loss-model fit and check, Dask
        start-up, analysis and report), so a display can show what the run is doing before the first
        chunk completes.

    Raises
    ------
    SweepError
        The folder holds a different sweep and ``resume`` was asked, or bad options.
    """
    scenario = scenario_or_path if isinstance(scenario_or_path, Scenario) else load_scenario(scenario_or_path)
    out = Path(output_dir)
    _check_options(out, chunk_size, dask, resume)  # before the shared (ascent-fit) work
    plan = make_plan(scenario, chunk_size, progress=steps)
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    done = _open_folder(out, plan, resume)
    state = _ChunkRun(out, plan, _new_manifest(plan, done), progress)
    save_manifest(out, state.manifest)
    todo = [c for c in range(plan.n_chunks) if c not in done]
    if stop_after is not None:
        todo = todo[:stop_after]
    state.report_progress()
    backend, startup, chunk_seconds = _compute_chunks(state, todo, dask, steps)
    if len(state.manifest["chunks"]) < plan.n_chunks:
        return SweepResult(out, {"complete": False, "chunks_done": len(state.manifest["chunks"]),
                                 "n_chunks": plan.n_chunks})
    if steps is not None:
        steps("analysis, report and figures", 0, 1)
    summary = _finish(plan, scenario, out, state.manifest, backend=backend, chunk_seconds=chunk_seconds,
                      computed=len(todo), wall=time.perf_counter() - t_start, startup=startup, report=report)
    if steps is not None:
        steps("analysis, report and figures", 1, 1)
    return SweepResult(out, summary, files={k: out / k for k in summary["files"]})


def _check_options(out: Path, chunk_size: int | None, dask: Any, resume: bool) -> None:
    """Refuse a bad chunk size, Dask address or output folder before any work is done."""
    if chunk_size is not None and not 1 <= chunk_size <= MAX_CHUNK:
        raise SweepError(f"--chunk-size must be a positive integer of at most {MAX_CHUNK:,} (a chunk is evaluated "
                         f"in memory, ~0.6 GB per million cases), got {chunk_size}")
    if isinstance(dask, str):
        from .dask_backend import parse_dask_spec

        try:
            parse_dask_spec(dask)
        except ValueError as exc:
            raise SweepError(str(exc)) from None
    if not (resume and load_manifest(out) is not None):
        try:
            check_output_dir(out, "sweep")
        except ResultsFolderError as exc:
            raise SweepError(str(exc)) from None


def _open_folder(out: Path, plan: SweepPlan, resume: bool) -> dict[int, dict]:
    """Prepare ``out`` for ``plan``: on ``resume``, check the manifest is this sweep's and return its
    verified chunks ({chunk index: manifest entry}); otherwise clear a previous sweep's files (only
    those) and return no chunk."""
    man = load_manifest(out)
    done: dict[int, dict] = {}
    if resume and man is not None:
        if man.get("format") != FORMAT:
            raise SweepError(f"'{out}' holds a sweep written in format {man.get('format')!r}, this version writes "
                             f"{FORMAT!r} (its status codes differ), so --resume cannot continue it; run without "
                             "--resume to start over, or use another output folder")
        if man.get("fingerprint") != plan.fingerprint:
            why = (f"chunk size differs: it was run with --chunk-size {man.get('chunk_size')}"
                   if man.get("chunk_size") != plan.chunk_size else "scenario, sweep or software version differs")
            raise SweepError(f"'{out}' holds a different sweep (its {why}), so --resume cannot continue "
                             f"it; run without --resume to start over, or use another output folder")
        clean_temporaries(out)
        for key, entry in man.get("chunks", {}).items():
            if verify_chunk(out, entry):
                done[int(key)] = entry
        return done
    try:  # a single run's folder, files that are not ours: refused; a previous sweep's listed files: removed
        prepare_output_dir(out, "sweep")
    except ResultsFolderError as exc:
        raise SweepError(str(exc)) from None
    _start_over(out, man)
    clean_temporaries(out)
    return done


def _new_manifest(plan: SweepPlan, done: dict[int, dict]) -> dict[str, Any]:
    """The manifest of a run of ``plan`` with the chunks ``done`` already verified (not complete)."""
    return {
        "format": FORMAT,
        "fingerprint": plan.fingerprint,
        "scenario": plan.name,
        "n_cases": plan.n_cases,
        "chunk_size": plan.chunk_size,
        "n_chunks": plan.n_chunks,
        "columns": [{"name": n, "unit": u} for n, u in plan.columns],
        "loss_model": plan.model.kind,
        "chunks": {str(c): e for c, e in sorted(done.items())},
        "complete": False,
    }


@dataclass
class _ChunkRun:
    """What the chunk loop updates: the manifest (saved after every chunk) and the progress count."""

    out: Path
    plan: SweepPlan
    manifest: dict[str, Any]
    progress: Progress | None
    n_done: int = field(init=False)

    def __post_init__(self) -> None:
        self.n_done = sum(e["rows"] for e in self.manifest["chunks"].values())

    def report_progress(self) -> None:
        if self.progress:
            self.progress(self.n_done, self.plan.n_cases)

    def record(self, entry: dict) -> None:
        """A chunk is written: list it in the manifest (saved atomically) and report progress."""
        self.manifest["chunks"][str(entry["chunk"])] = entry
        save_manifest(self.out, self.manifest)
        self.n_done += entry["rows"]
        self.report_progress()


def _compute_chunks(state: _ChunkRun, todo: list[int], dask: Any,
                    steps: Callable[[str, int, int], None] | None = None) -> tuple[str, float, float]:
    """Compute chunks ``todo`` here or on Dask; returns (backend label, cluster start-up [s], chunk
    phase [s]). An interrupted run (SIGTERM -> exception in the CLI, KeyboardInterrupt, a failed
    chunk) leaves no temporary chunk file, also when a Dask worker was killed mid-write (its cluster
    is closed by then; with a remote scheduler a worker's in-flight write then fails harmlessly)."""
    out_abs = str(state.out.resolve())
    t0 = time.perf_counter()
    backend, startup = "local", 0.0
    try:
        if dask is None:
            for c in todo:
                state.record(compute_chunk(state.plan, c, out_abs))
        else:
            from .dask_backend import run_chunks

            started = None
            if steps is not None:
                steps("starting Dask workers", 0, 1)
                started = lambda: steps("starting Dask workers", 1, 1)  # noqa: E731
            backend, startup = run_chunks(dask, state.plan, todo, out_abs, state.record, compute_chunk,
                                          started=started)
    finally:
        clean_temporaries(state.out)
    return backend, startup, time.perf_counter() - t0 - startup


def _start_over(out: Path, man: dict | None) -> None:
    """Remove a previous sweep's files (only files a sweep writes; its report and figures too when the
    folder holds a sweep's manifest, e.g. a run interrupted while drawing them)."""
    names = ["summary.json", MANIFEST, "results.nc", "pareto.parquet", "sample.parquet"]
    if (out / MANIFEST).is_file():
        names += ["report.md", "report.html", "pareto.png", "scenario.resolved.yaml"]
        names += [p.name for pat in ("tornado_*.png", "grid_*.png", "hist_*.png") for p in out.glob(pat)]
    for n in names:
        (out / n).unlink(missing_ok=True)
    d = out / CHUNK_DIR
    if d.is_dir():
        for p in d.glob("chunk-*.parquet"):
            p.unlink()


def _low_high(sweep: ResolvedSweep) -> list[tuple[float, float]]:
    if sweep.kind in ("grid", "zip"):
        lo, hi = sweep.fit_box()
    else:
        lo = sweep.ppf(np.full((1, len(sweep.params)), 0.1))[0]
        hi = sweep.ppf(np.full((1, len(sweep.params)), 0.9))[0]
    scale = np.array([p.scale for p in sweep.params])
    return [(float(a), float(b)) for a, b in zip(lo / scale, hi / scale)]


def _finish(plan: SweepPlan, scenario: Scenario, out: Path, manifest: dict, *, backend: str,
            chunk_seconds: float, computed: int, wall: float, startup: float = 0.0,
            report: Callable[[Path, dict], dict[str, Path]] | None = None) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import yaml

    from .analysis import CUBE_MAX, analyze, grid_dataset
    from ..io.atomic import atomic_path, atomic_write_text, json_safe

    sweep = plan.sweep
    files = [chunk_path(out, c) for c in range(plan.n_chunks)]
    t0 = time.perf_counter()
    outputs = [(f"mission: {lab}", f"mission_payload_t[{lab}]", f"mission_status[{lab}]")
               for lab in (plan.mission.labels() if plan.mission is not None else [])]
    ana = analyze(files, params=sweep.paths, targets=list(plan.ts.names), n_cases=plan.n_cases,
                  low_high=_low_high(sweep), objectives=list(plan.objectives) or None,
                  outputs=outputs,
                  categories={p.path: list(p.categories) for p in sweep.params if p.categories})
    written = []
    units = dict(plan.columns)

    cats = {p.path: np.array(p.categories, dtype=object) for p in sweep.params if p.categories}

    def write_table(name: str, cols: dict[str, np.ndarray]) -> None:
        cols = {c: cats[c][np.asarray(v).astype(int)] if c in cats else v for c, v in cols.items()}
        tbl = pa.table({c: cols[c] for c in cols},
                       schema=pa.schema([pa.field(c, pa.array(cols[c]).type, metadata={"unit": units.get(c, "")})
                                         for c in cols]))
        with atomic_path(out / name) as tmp:
            pq.write_table(tbl, tmp)
        written.append(name)

    write_table("sample.parquet", ana.pop("_sample"))
    if "_pareto" in ana:
        write_table("pareto.parquet", ana.pop("_pareto"))
    if sweep.kind == "grid" and plan.n_cases <= CUBE_MAX:
        axes = [np.array(p.categories)[a.astype(int)] if p.categories else a / p.scale
                for a, p in zip(sweep.axes, sweep.params)]
        ds = grid_dataset(files, params=sweep.paths, axes_display=axes, targets=list(plan.ts.names),
                          units=units, attrs={"scenario": plan.name, "fingerprint": plan.fingerprint,
                                              "loss_model": plan.model.kind},
                          extra=[c for c, _ in plan.columns if c.startswith(("mission_", "cost_"))])
        with atomic_path(out / "results.nc") as tmp:
            ds.to_netcdf(tmp)
        written.append("results.nc")
    analysis_seconds = time.perf_counter() - t0

    header = (f"# Resolved scenario '{scenario.name}' (sweep) as run by jointmission {_version()}.\n"
              "# This file loads again with `jointmission check` / `jointmission run`.\n")
    atomic_write_text(out / "scenario.resolved.yaml",
                      header + yaml.safe_dump(json_safe(scenario.resolved_dict()), sort_keys=False,
                                              allow_unicode=True, width=100))
    written.append("scenario.resolved.yaml")
    eval_s = sum(e.get("eval_seconds", 0.0) for e in manifest["chunks"].values())
    summary = {
        "run_kind": "sweep",
        "scenario": scenario.name,
        "description": scenario.description,
        "source": str(scenario.path) if scenario.path is not None else None,
        "kind": sweep.kind,
        "n_cases": plan.n_cases,
        "shape": list(sweep.shape),
        "parameters": [{"path": p.path, "unit": p.unit, "nominal": p.nominal / p.scale} if not p.categories else
                       {"path": p.path, "unit": "", "categories": list(p.categories), "nominal": None}
                       for p in sweep.params],  # a category code is no number to report
        "seed": sweep.seed,
        "chunk_size": plan.chunk_size,
        "n_chunks": plan.n_chunks,
        "loss_model": {"kind": plan.model.kind, **plan.model.info},
        "top_load": SWEEP_TOP_LOAD,
        "timing": {"backend": backend, "shared_seconds": plan.shared_seconds, "chunks_seconds": chunk_seconds,
                   "cluster_start_seconds": startup,
                   "chunks_computed_now": computed, "chunk_eval_seconds_total": eval_s,
                   "analysis_seconds": analysis_seconds, "wall_seconds": wall + analysis_seconds},
        "fingerprint": plan.fingerprint,
        **ana,
    }
    if plan.programme is not None:
        summary["programme"] = plan.programme.summary()
    summary["files"] = [MANIFEST, CHUNK_DIR + "/"] + written + ["summary.json"]
    if report is not None:  # report.md and figures before summary.json, which lists them
        as_read = json.loads(json.dumps(json_safe(summary), allow_nan=False))  # what summary.json will hold
        written += sorted(Path(p).name for p in report(out, as_read).values())
    summary["files"] = [MANIFEST, CHUNK_DIR + "/"] + written + ["summary.json"]
    manifest["complete"] = True
    save_manifest(out, manifest)
    atomic_write_text(out / "summary.json", json.dumps(json_safe(summary), indent=2, allow_nan=False) + "\n")
    return summary
