"""``jointmission run`` for a scenario with a ``sweep:`` section: run it (local or Dask) with a
progress bar, then write the figures and ``report.md`` (:mod:`.sweep_plots`) and print a summary.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..runners.sweep import SweepError, run_sweep
from ..report.sweep_plots import write_sweep_report

__all__ = ["sweep_command"]



TOP_LOAD_NOTE = ("the swept vehicle flies its top stage fully loaded in every case (a sweep does not choose "
                 "the load; a single run and 'jointmission payload' do, and can answer more for a heavy "
                 "payload to a low orbit)")
"""What a sweep's payloads assume about the top stage's load (printed with the sweep's summary)."""

def sweep_command(args: Any, scenario, out: Path | None, console, usage_error: type[Exception]) -> int:
    """Run ``scenario``'s sweep into ``out``; options ``args.resume``, ``args.dask``,
    ``args.chunk_size``. User mistakes raise ``usage_error`` (exit code 2)."""
    from rich.table import Table

    from .progress import StepBars

    if out is None:
        raise usage_error("a sweep writes its results in chunks; drop --no-write (use -o DIR to choose where)")
    if args.dask is not None:
        from ..runners.dask_backend import parse_dask_spec

        try:
            parse_dask_spec(args.dask)
        except ValueError as exc:
            raise usage_error(str(exc)) from None
    sw = scenario.sweep
    from rich.markup import escape

    console.print(f"[bold]{escape(scenario.name)}[/bold]: {sw.kind} sweep, {sw.n_cases:,} cases over "
                  + escape(", ".join(sw.paths)))
    bars = StepBars(console, transient=False)  # the chunk bar stays; step bars go when done
    state: dict[str, Any] = {"t0": None, "n0": 0}

    def on_progress(done: int, total: int) -> None:
        import time

        progress = bars.progress
        if progress is None:  # not a terminal: no bar
            return
        now = time.perf_counter()
        if state["t0"] is None:
            state["t0"], state["n0"] = now, done
            state["task"] = progress.add_task("sweep", total=total, completed=done,
                                              detail=f"{done:,}/{total:,} cases")
            return
        dt = now - state["t0"]
        rate = (done - state["n0"]) / dt if dt > 0 else math.nan
        detail = f"{done:,}/{total:,} cases"
        if math.isfinite(rate) and rate > 0:
            eta = (total - done) / rate
            detail += f" {rate:,.0f} cases/s ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        progress.update(state["task"], completed=done, detail=detail)

    try:
        with bars:
            result = run_sweep(scenario, out, resume=args.resume, chunk_size=args.chunk_size, dask=args.dask,
                               progress=on_progress, report=write_sweep_report, steps=bars)
        files = {k: v for k, v in result.files.items() if k != "chunks/"}
    except SweepError as exc:
        raise usage_error(str(exc)) from None
    except OSError as exc:  # e.g. a file where the folder needs 'chunks/', a folder named like a result file
        where = f"'{exc.filename2 or exc.filename or out}'"
        raise usage_error(f"cannot write results to {where}: {exc.strerror or exc}") from None
    s = result.summary
    lm = s["loss_model"]
    console.print(f"Ascent losses: {lm['kind']}" + (f" (fitted on {lm['designs']} full solves)" if lm["kind"] == "interpolate" else ""))
    if s.get("top_load") == 1.0:
        console.print("Top stage: " + TOP_LOAD_NOTE)  # catalog launchers of concepts: chosen, as in a single run
    chk = lm.get("check")
    if chk:
        worst = 0.0
        for t, c in chk["targets"].items():
            if c["max_rel_error"] is not None:
                worst = max(worst, c["max_rel_error"])
                console.print(f"  loss-model check, {t}: max relative payload error {c['max_rel_error']:.1e} "
                              f"(mean {c['mean_rel_error']:.1e}) over {c['compared']} cases")
            if c["status_disagree"]:
                console.print(f"  loss-model check, {t}: {c['status_disagree']} case(s) feasible in one model "
                              "and not in the other")
        if worst > 1e-3 or any(c["status_disagree"] for c in chk["targets"].values()):
            console.print("  warning: the ascent-loss model differs from the full model by more than 0.1 % here; "
                          "use 'losses: recompute' (exact) or narrow the swept ranges")
    tbl = Table(title="Payload [t]", title_justify="left")
    for col in ("target", "feasible", "mean", "sd", "p5", "p50", "p95", "top parameter (swing t)"):
        tbl.add_column(col, justify="left" if col in ("target", "top parameter (swing t)") else "right")
    for t, e in s["targets"].items():
        if not e.get("ok"):
            tbl.add_row(t, f"0 / {e['cases']:,}", "-", "-", "-", "-", "-", "-")
            continue
        p = e["percentiles"]
        top = e["sensitivity"][0] if e.get("sensitivity") else None
        tbl.add_row(t, f"{e['ok']:,} / {e['cases']:,}", f"{e['mean']:.2f}", f"{e['std']:.2f}", f"{p['p5']:.2f}",
                    f"{p['p50']:.2f}", f"{p['p95']:.2f}",
                    f"{top['parameter']} ({top['swing']:+.2f})" if top else "-")
    console.print(tbl)
    tm = s["timing"]
    whole = tm["chunks_computed_now"] == s["n_chunks"] and tm["chunks_seconds"] > 0
    rate = s["n_cases"] / tm["chunks_seconds"] if whole else None
    start = tm.get("cluster_start_seconds") or 0.0
    console.print(f"{tm['chunks_computed_now']} of {s['n_chunks']} chunks computed now ({tm['backend']}"
                  + (f", started in {start:.1f} s" if start > 0.05 else "") + ")"
                  + (f", {rate:,.0f} cases/s" if rate else "") + f"; results in {out}/ "
                  f"({', '.join(sorted(set(s['files']) | set(files)))})")
    return 0
