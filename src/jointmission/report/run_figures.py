"""The figures of a single run's report, and where each is drawn.

A run's report has up to six figures (:data:`~.run_html.FIGURE_FILES`). The payload curves depend
only on the scenario's vehicles, so :func:`start_early` starts them (the curve solves and the
figure) before the run is evaluated; the others need the results. :class:`RunFigures` starts the
porkchop, landed-mass and partners figures together in a worker process
(:class:`~.figure_worker.Deferred`) and draws the delta-v budget and mass-waterfall figures in
this process when asked for, so on two cores the figures take about half their time while the
tables are written. Every figure is the same image wherever it is drawn (same code, same bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .figure_worker import Deferred
from .figures import FigureImage, render

__all__ = ["vehicles_of", "vehicles_of_scenario", "MAX_CURVE_VEHICLES", "curves_image", "porkchop_image",
           "start_early", "RunFigures", "WORKER_FIGURES"]

#: Most vehicles drawn in a run's payload-curve figure (two payload solves each; a wider launcher
#: trade is compared vehicle by vehicle with ``jointmission compare``).
MAX_CURVE_VEHICLES = 4

WORKER_FIGURES = ("porkchop", "landed_mass", "partners")
"""Figures drawn together in the worker process (~0.8 s of a flagship run's ~1.5 s of figures)."""


def vehicles_of_scenario(scenario: Any, vehicle: Any) -> list[tuple[str, Any]]:
    """The vehicles a run of ``scenario`` flies, ``(short name, LaunchVehicle)``: ``vehicle`` (the
    scenario's own, built), then each mission launcher not already listed (by vehicle name). The
    short name is the vehicle's name up to its first bracket (``Joint Heavy RU``, ``Saturn V``)."""
    from ..vehicles.vehicle import LaunchVehicle

    out = [(vehicle.name.split(" (")[0], vehicle)]
    seen = {vehicle.name}
    for _, spec in getattr(scenario, "mission_launchers", ()) or ():
        v = LaunchVehicle.from_spec(spec)
        if v.name not in seen:
            seen.add(v.name)
            out.append((v.name.split(" (")[0], v))
    return out


def vehicles_of(result: Any) -> list[tuple[str, Any]]:
    """:func:`vehicles_of_scenario` of a :class:`~jointmission.runners.single.RunResult`."""
    return vehicles_of_scenario(result.scenario, result.vehicle)


def curves_image(scenario: Any, vehicle: Any = None) -> FigureImage | None:
    """The payload-curve figure of the vehicles of a run of ``scenario`` (:func:`vehicles_of_scenario`;
    ``vehicle``: the scenario's, built from it when not given), at most :data:`MAX_CURVE_VEHICLES`."""
    from ..vehicles.vehicle import LaunchVehicle
    from .run_plots import payload_curves, payload_curves_figure

    if vehicle is None:
        vehicle = LaunchVehicle.from_spec(scenario.vehicle)
    vehicles = vehicles_of_scenario(scenario, vehicle)
    curves = [payload_curves(v, name) for name, v in vehicles[:MAX_CURVE_VEHICLES]]
    title = "Payload curves" + (f": {curves[0].vehicle}" if len(curves) == 1 else "")
    if len(vehicles) > MAX_CURVE_VEHICLES:
        title += f" (first {MAX_CURVE_VEHICLES} of {len(vehicles)} vehicles)"
    return payload_curves_figure(curves, title)


def porkchop_image(grid: Any, best: Any) -> FigureImage:
    """The porkchop figure of a transfer window (a grid or Dataset, and its optima), rendered."""
    from .porkchop_plot import porkchop_figure

    return render(porkchop_figure(grid, best), "porkchop",
                  "Filled: departure C3 (colour bar; white above the 60th percentile of the grid); dashed red: "
                  "arrival v∞; dash-dot blue: departure declination; dotted: time of flight. Type I transfers "
                  "go less than 180° around the Sun, Type II more.")


def _shared_imports() -> None:
    """Load what the figures need before a worker is forked: this process would load it anyway, and
    a child would do it again -- the Agg canvas, Pillow's encoders, and the compiled ascent kernel
    of the payload curves (built on the first run after installing: built once, here, not in both
    processes at once)."""
    import matplotlib.backends.backend_agg  # noqa: F401
    from PIL import Image

    from ..core import ascent

    Image.preinit()
    load_kernel = getattr(ascent, "_kernel", None)
    if load_kernel is not None:
        load_kernel()


def start_early(scenario: Any) -> dict[str, Deferred]:
    """Figures a run of ``scenario`` can start before it is evaluated: ``{"payload_curves": Deferred}``
    (its value a :class:`FigureImage` or ``None``). Pass it to :class:`RunFigures`; ``close()`` each
    if the run stops before."""
    _shared_imports()
    return {"payload_curves": Deferred(curves_image, scenario)}


def _draw(jobs: Mapping[str, Callable[[], FigureImage | None]]) -> dict[str, FigureImage | None]:
    return {name: fn() for name, fn in jobs.items()}


class RunFigures:
    """Every figure of ``result``'s report, started: the :data:`WORKER_FIGURES` in a worker process,
    the others drawn here by :meth:`images`; ``early`` (from :func:`start_early`) supplies figures
    already started. ``curves=False``: no payload-curve figure. :meth:`close` ends the worker if the
    images are never asked for."""

    def __init__(self, result: Any, early: Mapping[str, Deferred] | None = None, *, curves: bool = True) -> None:
        from .mission_plots import landed_mass_figure, mass_waterfall_figure
        from .partners_plot import partners_figure
        from .run_plots import dv_budget_figure

        early = dict(early or {})
        name = result.scenario.catalog_name or result.vehicle.name
        here: dict[str, Callable[[], FigureImage | None]] = {"dv_budget": lambda: dv_budget_figure(result.rows, name)}
        if curves:
            pc = early.pop("payload_curves", None)
            here["payload_curves"] = (pc.result if pc is not None
                                      else (lambda: curves_image(result.scenario, result.vehicle)))
        away: dict[str, Callable[[], FigureImage | None]] = {}
        if result.mission is not None:
            here["mass_waterfall"] = lambda: mass_waterfall_figure(result.mission)
            away["landed_mass"] = lambda: landed_mass_figure(result.mission)
            away["partners"] = lambda: partners_figure(result.mission)
        if result.transfer is not None:
            away["porkchop"] = lambda: porkchop_image(result.transfer.grid, result.transfer.best)
        self._unused = list(early.values())  # started but not part of this page
        self._here = here
        self._away = away
        if away:
            _shared_imports()
        self._worker = Deferred(_draw, away) if away else None

    def images(self) -> dict[str, FigureImage | None]:
        """``{name: FigureImage or None}`` in the page's order (delta-v budget, payload curves, mass
        waterfall, landed mass, partners, porkchop): this process's figures first, then the worker's."""
        got = {name: fn() for name, fn in self._here.items()}
        if self._worker is not None:
            got.update(self._worker.result())
        self.close()
        order = ("dv_budget", "payload_curves", "mass_waterfall", "landed_mass", "partners", "porkchop")
        return {name: got[name] for name in order if name in got}

    def close(self) -> None:
        """End the worker (and any early figure not used) if still running."""
        if self._worker is not None:
            self._worker.close()
        for d in self._unused:
            d.close()
