"""jointmission: vectorized mission-concept trade studies for launch vehicles, the Moon and Mars.

Public API (re-exported names only; SI floats in and out of every kernel):

- Core kernels (numpy arrays, broadcasting over cases; the ``jm.*`` names of the kernels also accept
  astropy Quantities and convert them once, see :mod:`jointmission.public`): :mod:`jointmission.core.rocket`
  (``tsiolkovsky``, ``serial_delta_v``, ``parallel_delta_v``, ``Stack``), :mod:`jointmission.core.payload`
  (``solve_payload``, ``solve_payload_targets``),
  :mod:`jointmission.core.orbits` (``vis_viva``, ``hohmann``, ``bielliptic``, ``plane_change``,
  ``departure_dv``, ``capture_dv`` ...), :mod:`jointmission.core.ascent` (ascent losses).
- Lambert / Kepler / transfers: ``solve_lambert`` (Izzo, arrays of problems), ``propagate``
  (universal-variable Kepler), :mod:`jointmission.interplanetary.ephemeris` (DE421 states), ``porkchop`` (xarray
  grid of C3 / v_inf / delta-v), ``best_transfer`` (optimum of a launch window).
- Catalog and performance: ``get_vehicle``, ``get_engine``, ``vehicle_names``, ``engine_names``,
  ``payload``, ``payload_to_orbit``, ``payload_to_c3``, ``payload_curve`` (an xarray Dataset over
  C3 or altitude), ``Target`` (``OrbitTarget``, ``C3Target`` build one), ``Status`` (the one
  status-code scheme), ``DEFAULT_PARKING_ALT_M``.
- Mission architectures and budgets: :mod:`jointmission.missions` (``build``, ``evaluate``,
  ``solve_budget``, ``capability``, ``mars_window``; Moon and Mars architectures, margins, boil-off).
- Scenarios and runs: ``load_scenario``, ``run``, ``ScenarioError``.
- Units at the edges: ``to_si`` (``"120 t"`` -> 120000.0 kg).

Importing the package is light: every name above is imported on first use (PEP 562), so
``import jointmission`` loads none of astropy, pydantic, scipy, yaml, pyarrow, xarray, matplotlib or
dask until a function that needs them is called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> (module, attribute); attribute None means the module itself.
_LAZY: dict[str, tuple[str, str | None]] = {
    "constants": ("jointmission.constants", None),
    "core": ("jointmission.core", None),
    "rocket": ("jointmission.core.rocket", None),
    "orbits": ("jointmission.core.orbits", None),
    "ascent": ("jointmission.core.ascent", None),
    "lambert": ("jointmission.core.lambert", None),
    "kepler": ("jointmission.core.kepler", None),
    "ephemeris": ("jointmission.interplanetary.ephemeris", None),
    "transfers": ("jointmission.interplanetary.transfers", None),
    "missions": ("jointmission.missions", None),
    "propagate": ("jointmission.public", "propagate"),
    "LambertStatus": ("jointmission.core.lambert", "LambertStatus"),
    "solve_lambert": ("jointmission.public", "solve_lambert"),
    "bielliptic": ("jointmission.public", "bielliptic"),
    "c3_from_vinf": ("jointmission.public", "c3_from_vinf"),
    "capture_dv": ("jointmission.public", "capture_dv"),
    "circular_speed": ("jointmission.public", "circular_speed"),
    "combined_plane_change": ("jointmission.public", "combined_plane_change"),
    "departure_dv": ("jointmission.public", "departure_dv"),
    "departure_dv_from_vinf": ("jointmission.public", "departure_dv_from_vinf"),
    "escape_speed": ("jointmission.public", "escape_speed"),
    "hohmann": ("jointmission.public", "hohmann"),
    "hohmann_with_plane_change": ("jointmission.public", "hohmann_with_plane_change"),
    "orbital_period": ("jointmission.public", "orbital_period"),
    "plane_change": ("jointmission.public", "plane_change"),
    "vinf_from_c3": ("jointmission.public", "vinf_from_c3"),
    "vis_viva": ("jointmission.public", "vis_viva"),
    "solve_payload": ("jointmission.core.payload", "solve_payload"),
    "solve_payload_targets": ("jointmission.core.payload", "solve_payload_targets"),
    "PayloadStatus": ("jointmission.core.rocket", "PayloadStatus"),
    "Stack": ("jointmission.core.rocket", "Stack"),
    "parallel_delta_v": ("jointmission.public", "parallel_delta_v"),
    "serial_delta_v": ("jointmission.public", "serial_delta_v"),
    "stack_delta_v": ("jointmission.public", "stack_delta_v"),
    "stage_delta_v": ("jointmission.public", "stage_delta_v"),
    "tsiolkovsky": ("jointmission.public", "tsiolkovsky"),
    "RunResult": ("jointmission.runners", "RunResult"),
    "SweepResult": ("jointmission.runners", "SweepResult"),
    "load_sweep": ("jointmission.runners", "load_sweep"),
    "run_sweep": ("jointmission.runners", "run_sweep"),
    "run": ("jointmission.report.folder", "run"),
    "BestTransfer": ("jointmission.interplanetary.optimum", "BestTransfer"),
    "TransferError": ("jointmission.interplanetary.transfers", "TransferError"),
    "best_transfer": ("jointmission.interplanetary.optimum", "best_transfer"),
    "porkchop": ("jointmission.interplanetary.transfers", "porkchop"),
    "porkchop_grid": ("jointmission.interplanetary.transfers", "porkchop_grid"),
    "Scenario": ("jointmission.scenario", "Scenario"),
    "ScenarioError": ("jointmission.scenario", "ScenarioError"),
    "load_scenario": ("jointmission.scenario", "load_scenario"),
    "UnitError": ("jointmission.units", "UnitError"),
    "to_si": ("jointmission.units", "to_si"),
    "C3Target": ("jointmission.vehicles", "C3Target"),
    "CatalogError": ("jointmission.vehicles", "CatalogError"),
    "Engine": ("jointmission.vehicles", "Engine"),
    "LaunchVehicle": ("jointmission.vehicles", "LaunchVehicle"),
    "OrbitTarget": ("jointmission.vehicles", "OrbitTarget"),
    "Target": ("jointmission.vehicles.targets", "Target"),
    "DEFAULT_PARKING_ALT_M": ("jointmission.constants", "DEFAULT_PARKING_ALT_M"),
    "Status": ("jointmission.core.status", "Status"),
    "PerformanceResult": ("jointmission.vehicles", "PerformanceResult"),
    "engine_names": ("jointmission.vehicles", "engine_names"),
    "get_engine": ("jointmission.vehicles", "get_engine"),
    "get_vehicle": ("jointmission.vehicles", "get_vehicle"),
    "payload": ("jointmission.vehicles", "payload"),
    "payload_to_c3": ("jointmission.vehicles", "payload_to_c3"),
    "payload_to_orbit": ("jointmission.vehicles", "payload_to_orbit"),
    "payload_curve": ("jointmission.public", "payload_curve"),
    "vehicle_names": ("jointmission.vehicles", "vehicle_names"),
    "CostModel": ("jointmission.programme.cost_model", "CostModel"),
    "ItemCost": ("jointmission.programme.cost_model", "ItemCost"),
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover - what type checkers and IDEs see
    from . import constants
    from . import core
    from . import missions
    from .core import ascent
    from .core import kepler
    from .core import lambert
    from .core import orbits
    from .core import rocket
    from .public import propagate
    from .core.lambert import LambertStatus
    from .public import solve_lambert
    from .public import bielliptic
    from .public import c3_from_vinf
    from .public import capture_dv
    from .public import circular_speed
    from .public import combined_plane_change
    from .public import departure_dv
    from .public import departure_dv_from_vinf
    from .public import escape_speed
    from .public import hohmann
    from .public import hohmann_with_plane_change
    from .public import orbital_period
    from .public import plane_change
    from .public import vinf_from_c3
    from .public import vis_viva
    from .core.payload import solve_payload
    from .core.payload import solve_payload_targets
    from .core.rocket import PayloadStatus
    from .core.rocket import Stack
    from .public import parallel_delta_v
    from .public import serial_delta_v
    from .public import stack_delta_v
    from .public import stage_delta_v
    from .public import tsiolkovsky
    from .interplanetary import ephemeris
    from .interplanetary import transfers
    from .interplanetary.optimum import BestTransfer
    from .interplanetary.transfers import TransferError
    from .interplanetary.optimum import best_transfer
    from .interplanetary.transfers import porkchop
    from .interplanetary.transfers import porkchop_grid
    from .report.folder import run
    from .runners import RunResult
    from .runners import SweepResult
    from .runners import load_sweep
    from .runners import run_sweep
    from .scenario import Scenario
    from .scenario import ScenarioError
    from .scenario import load_scenario
    from .units import UnitError
    from .units import to_si
    from .vehicles import C3Target
    from .vehicles import CatalogError
    from .vehicles import Engine
    from .vehicles import LaunchVehicle
    from .vehicles import OrbitTarget
    from .vehicles.targets import Target
    from .constants import DEFAULT_PARKING_ALT_M
    from .core.status import Status
    from .vehicles import PerformanceResult
    from .vehicles import engine_names
    from .vehicles import get_engine
    from .vehicles import get_vehicle
    from .vehicles import payload
    from .vehicles import payload_to_c3
    from .vehicles import payload_to_orbit
    from .public import payload_curve
    from .vehicles import vehicle_names
    from .programme.cost_model import CostModel
    from .programme.cost_model import ItemCost

    __version__: str


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and cache it in the module namespace."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("jointmission")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0.0.0+unknown"
    else:
        try:
            module_name, attr = _LAZY[name]
        except KeyError:
            raise AttributeError(f"module 'jointmission' has no attribute {name!r}") from None
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
