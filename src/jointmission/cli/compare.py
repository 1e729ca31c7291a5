"""``jointmission compare A.yaml B.yaml ... [-o DIR]``: several scenarios side by side in one
``report.html`` (:mod:`jointmission.report.compare`), with a short payload table on the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["compare_command"]


def compare_command(args: Any, console: Any, usage_error: type[Exception]) -> int:
    """Run the ``compare`` sub-command with parsed ``args`` (``files``, ``output``); user mistakes
    (a bad scenario file, a folder that must not be written) raise ``usage_error`` or
    :class:`~jointmission.scenario.ScenarioError` (exit code 2) before anything is evaluated."""
    from rich.table import Table

    from ..io.results_dir import ResultsFolderError, check_output_dir
    from ..report.compare import compare, write_compare
    from ..scenario import load_scenario

    if len(args.files) < 2:
        raise usage_error("compare needs two or more scenario files, e.g. jointmission compare A.yaml B.yaml -o DIR")
    scenarios = [load_scenario(f) for f in args.files]  # every file checked before any evaluation
    out = Path(args.output) if args.output else Path("results") / "compare"
    try:
        check_output_dir(out, "compare")
    except ResultsFolderError as exc:
        raise usage_error(str(exc)) from None
    c = compare(scenarios)
    try:
        files = write_compare(c, out)
    except ResultsFolderError as exc:
        raise usage_error(str(exc)) from None
    except OSError as exc:
        raise usage_error(f"cannot write results to '{exc.filename2 or exc.filename or out}': {exc.strerror or exc}") from None
    t = Table(title="Payload [t]", title_justify="left")
    t.add_column("target", no_wrap=True)
    for lab in c.labels:
        t.add_column(lab, justify="right")
    targets = list(dict.fromkeys(r["target"] for res in c.results for r in res.rows))
    by = [{r["target"]: r["payload_t"] for r in res.rows} for res in c.results]
    for name in targets:
        t.add_row(name, *["-" if d.get(name) is None else f"{d[name]:,.1f}" for d in by])
    console.print(t)
    for lab, sc, path in zip(c.labels, scenarios, args.files):
        if getattr(sc, "sweep", None) is not None:  # its column is the nominal vehicle, not the sweep's answer
            console.print(f"Note: {lab}: its 'sweep:' section is not run here; its column is the nominal case "
                          f"(the scenario as written, without the swept values). For the sweep: jointmission run {path}")
    console.print(f"Comparison written to {out}/ ({', '.join(sorted(files))}); open {out / 'report.html'}")
    return 0
