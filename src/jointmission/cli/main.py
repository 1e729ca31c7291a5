"""The ``jointmission`` command.

::

    jointmission run FILE [-o DIR]          evaluate a scenario, print tables, write results
    jointmission check FILE...              validate scenario files
    jointmission vehicles [--engines]       list the catalog
    jointmission payload VEHICLE --orbit ALT[,INCL] ... --c3 C3 ... [--site-lat DEG] [--json]
    jointmission payload VEHICLE --c3 START:STOP:STEP | --orbit START:STOP:STEP[,INCL] [-o DIR]
    jointmission porkchop --from P --to P --depart A:B --arrive C:D [--step 1d] [-o DIR]
    jointmission compare A.yaml B.yaml ... [-o DIR]   several scenarios side by side (report.html)
    jointmission examples DIR               copy the shipped scenario files into DIR
    jointmission --version

Exit codes: 0 success; 2 a user mistake (bad file, unknown vehicle, bad unit, bad option) reported as
one paragraph on stderr without a traceback; 1 an internal error (with traceback); 130 interrupted;
143 terminated (SIGTERM is turned into an exception, so clean-ups run: no temporary file is left).
Output is made with :mod:`rich`; when stdout is not a terminal (CI, pipes) it has no colours or
control codes and a fixed width (``$COLUMNS`` or 120).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from ..constants import DEFAULT_PARKING_ALT_M
from .console import UsageError, _console

__all__ = ["main", "build_parser", "UsageError"]


class _Terminated(KeyboardInterrupt):
    """SIGTERM received: raised in the main thread so ``finally``/``except BaseException`` clean-ups
    run (a chunk's temporary file is removed, the manifest stays consistent) before exit 143."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While active, SIGTERM raises :class:`_Terminated` (once; a second SIGTERM kills as usual).

    Python's default for SIGTERM is to die at once, without unwinding: a sweep killed while writing a
    chunk left ``chunks/.chunk-*.tmp`` behind (removed only by the next run). Only in the main thread
    (``signal.signal`` is refused elsewhere); the previous handler is restored on exit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _handler(signum, frame):  # noqa: ARG001
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) that point at ``--help``."""

    def error(self, message: str) -> NoReturn:  # noqa: D401 - argparse hook
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jointmission")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (importlib.metadata costs
    tens of milliseconds of every command's start-up)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0,
                         help="show program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # noqa: D102
        sys.stdout.write(f"jointmission {_version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jointmission`` command (sub-commands run/check/vehicles/payload)."""
    p = _Parser(
        prog="jointmission",
        description="Launch-vehicle and mission-design trade studies.",
        epilog="Scenario file format: docs/scenario-format.md",
    )
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    r = sub.add_parser("run", help="evaluate a scenario file and write its results",
                       description="Evaluate every target of a scenario; print payloads and the delta-v "
                                   "split; write results.parquet/.csv, summary.json and "
                                   "scenario.resolved.yaml to DIR.")
    r.add_argument("file", metavar="FILE", help="scenario YAML file")
    r.add_argument("-o", "--output", metavar="DIR",
                   help="output folder (default: results/<scenario file stem>/)")
    r.add_argument("--no-write", action="store_true", help="print only, write no files")
    r.add_argument("--resume", action="store_true",
                   help="sweeps: continue a killed run in DIR (verified chunks are kept, the rest computed)")
    r.add_argument("--dask", metavar="SPEC", default=None,
                   help="sweeps: run chunks on Dask: local:N (N worker processes on loopback) or tcp://HOST:PORT")
    r.add_argument("--chunk-size", type=int, metavar="N", default=None, help="sweeps: cases per chunk (result file)")

    c = sub.add_parser("check", help="validate scenario or concept files",
                       description="Validate scenario files (print 'OK: <name>: vehicle X, N targets') or mission "
                                   "concept files (a YAML mapping with 'concept:', see docs/concepts.md).")
    c.add_argument("files", metavar="FILE", nargs="+", help="scenario or concept YAML file(s)")

    v = sub.add_parser("vehicles", help="list the vehicle (or engine) catalog",
                       description="List catalog vehicles: name, country, lift-off mass, stages, "
                                   "published LEO payload.")
    v.add_argument("--engines", action="store_true", help="list engines instead of vehicles")
    v.add_argument("--json", action="store_true", help="machine-readable output")

    q = sub.add_parser(
        "payload", help="payload of a catalog vehicle to orbits and C3 values",
        description="Payload of a catalog vehicle to one or more targets, like a launch-performance "
                    "calculator. ALT in km unless a unit is given ('400', '400 km', '0.4 Mm'); INCL in "
                    "deg; C3 in km2/s2 ('-2', '12.5 km2/s2'). Example: jointmission payload 'Saturn V' "
                    "--orbit 185 --orbit 400,51.6 --c3 -1.9. A range START:STOP:STEP (one per command) is a "
                    "payload curve: printed, and written as CSV and PNG (model curve, published points "
                    "overlaid where the catalog has them) to DIR: jointmission payload 'Falcon Heavy' --c3 "
                    "-2:100:2",
    )
    q.add_argument("vehicle", metavar="VEHICLE", help="catalog vehicle name (see 'jointmission vehicles')")
    q.add_argument("--orbit", action="append", default=[], metavar="ALT[,INCL]",
                   help="circular orbit altitude, optional inclination; 'PERI-APO[,INCL]' for an ellipse "
                        "(e.g. 200-35786,27); a range START:STOP:STEP[,INCL] (e.g. 200:2000:50) is a payload "
                        "curve; repeatable")
    q.add_argument("--c3", action="append", default=[], metavar="C3",
                   help="escape energy from a parking orbit; a range START:STOP:STEP (e.g. -2:100:2) is a "
                        "payload curve; repeatable")
    q.add_argument("--dla", metavar="DEG", default=None,
                   help="declination of the departure asymptote of the --c3 targets: the parking orbit is "
                        "inclined at least |DLA| (due east if the launch latitude already is)")
    q.add_argument("--parking", metavar="ALT", action="append", default=[],
                   help=f"parking-orbit altitude for the --c3 targets (default {DEFAULT_PARKING_ALT_M / 1e3:g} km); "
                        "give it once")
    q.add_argument("--site-lat", metavar="DEG", default=None,
                   help="launch-site latitude, or a catalog launch site's name such as Baikonur (default: the vehicle's)")
    q.add_argument("--top-load", metavar="optimal|FRACTION", default=None,
                   help="the top stage's propellant load. Default 'optimal': per target, the load that "
                        "gives the most payload -- the full load unless a partly filled top stage carries "
                        "more (a heavy payload to a low orbit behind a low-thrust upper stage: the lower "
                        "stages leave it faster, its slow burn is shorter). A FRACTION from 0.2 to 1 (e.g. "
                        "0.6 or 60%%) fixes it; 1 forces the full load. The 'top load' column (a top_load "
                        "CSV column in curves) shows the load flown")
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    q.add_argument("-o", "--output", metavar="DIR",
                   help="curves: folder for payload_c3.csv / payload_altitude.csv and the .png figure "
                        "(default: results/payload_<vehicle>/)")
    q.add_argument("--no-write", action="store_true", help="curves: print only, write no files")

    k = sub.add_parser(
        "porkchop", help="departure x arrival date grid of C3, v_inf and delta-v between two planets",
        description="Porkchop grid from the DE421 ephemeris and a vectorized Lambert solver: C3, DLA, "
                    "arrival v_inf, time of flight and delta-v for every departure/arrival date pair; "
                    "prints the best Type I and Type II transfers and writes porkchop.nc (xarray/NetCDF), "
                    "porkchop.png and optima.json to DIR. Example: jointmission porkchop --from earth --to "
                    "mars --depart 2026-09-01:2027-01-31 --arrive 2027-06-01:2028-03-01 --step 1d",
    )
    k.add_argument("--from", dest="origin", required=True, metavar="PLANET", help="departure planet (venus, earth, mars)")
    k.add_argument("--to", dest="target", required=True, metavar="PLANET", help="arrival planet")
    k.add_argument("--depart", required=True, metavar="START:END", help="departure window, e.g. 2026-09-01:2027-01-31")
    k.add_argument("--arrive", required=True, metavar="START:END", help="arrival window, e.g. 2027-06-01:2028-03-01")
    k.add_argument("--step", default="1 d", metavar="STEP", help="grid step (default '1 d'; '12 h', '2d' ...)")
    k.add_argument("--park", default=f"{DEFAULT_PARKING_ALT_M / 1e3:g} km", metavar="ALT",
                   help=f"circular parking-orbit altitude at departure (default {DEFAULT_PARKING_ALT_M / 1e3:g} km)")
    k.add_argument("--capture", default="300 km", metavar="PERI[,APO]",
                   help="capture orbit altitude(s) at arrival (default circular 300 km; e.g. '250,33000')")
    k.add_argument("--objective", default="c3", choices=["c3", "vinf_arrive", "dv_total", "dv_depart"],
                   help="what the optimum minimises (default c3)")
    k.add_argument("--figure", default="png", choices=["png", "svg", "both"], help="figure format(s) (default png)")
    k.add_argument("-o", "--output", metavar="DIR", help="output folder (default: results/porkchop_FROM_TO/)")
    k.add_argument("--no-write", action="store_true", help="print only, write no files")
    k.add_argument("--json", action="store_true", help="print the optima as JSON instead of a table")

    c = sub.add_parser("compare", help="several scenarios side by side in one report.html",
                       description="Evaluate each scenario file as a single run and write one report.html "
                                   "comparing them: payload per target, delta-v, payload curves, transfer "
                                   "optima, payload landed per architecture and launcher. Example: "
                                   "jointmission compare scenarios/joint_heavy_lift.yaml "
                                   "scenarios/joint_heavy_lift_ru.yaml -o results/compare")
    c.add_argument("files", nargs="+", metavar="FILE", help="two or more scenario YAML files")
    c.add_argument("-o", "--output", metavar="DIR", help="output folder (default: results/compare/)")

    e = sub.add_parser("examples", help="copy the shipped scenario files into a folder",
                       description="Copy the scenario files shipped with the package (flagship, reference "
                                   "vehicles, Moon and Mars trades, sweeps) into DIR, which must not exist or be "
                                   "empty; then run one with: jointmission run DIR/joint_heavy_lift.yaml")
    e.add_argument("dir", metavar="DIR", help="destination folder (created; refused if not empty)")
    return p


# --------------------------------------------------------------------------------------- commands
def _cmd_run(args) -> int:
    from .run import run_command

    return run_command(args)


def _cmd_check(args) -> int:
    from .run import check_command

    return check_command(args, _user_errors())


def _cmd_vehicles(args) -> int:
    from .catalog import vehicles_command

    return vehicles_command(args)


def _cmd_payload(args) -> int:
    from .payload import payload_command

    return payload_command(args)


def _cmd_examples(args) -> int:
    from ..examples import ExamplesError, copy_examples

    try:
        written = copy_examples(Path(args.dir))
    except ExamplesError as exc:
        raise UsageError(str(exc)) from None
    _console().print(f"{len(written)} scenario files copied into {args.dir}; try: "
                     f"jointmission run {Path(args.dir) / 'joint_heavy_lift.yaml'}")
    return 0


def _cmd_compare(args) -> int:
    from .compare import compare_command

    return compare_command(args, _console(), UsageError)


def _cmd_porkchop(args) -> int:
    from .porkchop import porkchop_command

    return porkchop_command(args, _console(), UsageError)


_VALUE_OPTIONS = frozenset({"--c3", "--orbit", "--parking", "--site-lat", "--park", "--capture", "--step", "--dla",
                            "--top-load"})
_NEGATIVE = re.compile(r"^-(?:\d|\.\d)")


def _negative_values(argv: list[str]) -> list[str]:
    """``--c3 -1e6`` -> ``--c3=-1e6``: argparse takes a value starting with '-' for an option unless it
    reads as a plain number (``-2`` does, ``-1e6`` or ``-2 km2/s2`` do not); a quantity option's value
    that starts with a minus sign and a digit is a negative number."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in _VALUE_OPTIONS and i + 1 < len(argv) and _NEGATIVE.match(argv[i + 1]):
            out.append(f"{a}={argv[i + 1]}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


#: The exceptions of user mistakes (exit code 2) besides :class:`UsageError`: (module, class name).
_USER_ERRORS = (("jointmission.scenario.errors", "ScenarioError"), ("jointmission.units", "UnitError"),
                ("jointmission.vehicles.catalog", "CatalogError"))


def _user_errors() -> tuple[type[Exception], ...]:
    """:class:`UsageError` and those of :data:`_USER_ERRORS` whose module is loaded: an exception
    class that was never imported cannot have been raised, and importing the scenario schema and the
    vehicle catalog only to name their errors cost commands that use neither (``porkchop``) ~0.2 s."""
    out: list[type[Exception]] = [UsageError]
    for module, name in _USER_ERRORS:
        if module in sys.modules:
            out.append(getattr(sys.modules[module], name))
    return tuple(out)


_COMMANDS = {"run": _cmd_run, "check": _cmd_check, "vehicles": _cmd_vehicles, "payload": _cmd_payload,
             "porkchop": _cmd_porkchop, "examples": _cmd_examples, "compare": _cmd_compare}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jointmission`` console script; returns the exit code.

    ``argv`` defaults to ``sys.argv[1:]``. User mistakes print one paragraph to stderr and return 2.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(_negative_values(list(argv) if argv is not None else sys.argv[1:]))
    except SystemExit as exc:  # --help / --version (0) or a usage error (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if not args.command:
        parser.print_help(sys.stderr)
        return 2

    try:
        with _terminate_as_interrupt():
            return _COMMANDS[args.command](args)
    except _user_errors() as exc:  # evaluated when an exception arrives, after the command's imports
        msg = " ".join(str(exc).split())
        sys.stderr.write(f"jointmission {args.command}: error: {msg}\n")
        return 2
    except _Terminated:
        resume = " (a sweep continues with --resume)" if args.command == "run" else ""
        sys.stderr.write(f"jointmission: terminated (SIGTERM){resume}\n")
        return 143
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("jointmission: interrupted\n")
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. `jointmission vehicles | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
