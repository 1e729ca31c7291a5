"""jointmission: vectorized mission-concept trade studies for launch vehicles, the Moon and Mars.

Public API (re-exported names only; SI floats in and out of every kernel):

- Core kernels (numpy arrays, broadcasting over cases): :mod:`jointmission.core.rocket`
  (``tsiolkovsky``, ``serial_delta_v``, ``parallel_delta_v``, ``Stack``), :mod:`jointmission.core.payload`
  (``solve_payload``, ``solve_payload_targets``),
  :mod:`jointmission.core.orbits` (``vis_viva``, ``hohmann``, ``bielliptic``, ``plane_change``,
  ``departure_dv``, ``capture_dv`` ...), :mod:`jointmission.core.ascent` (ascent losses).
- Lambert / Kepler / transfers: ``solve_lambert`` (Izzo, arrays of problems), ``propagate``
  (universal-variable Kepler), :mod:`jointmission.ephemeris` (DE421 states), ``porkchop`` (xarray
  grid of C3 / v_inf / delta-v), ``best_transfer`` (optimum of a launch window).
- Catalog and performance: ``get_vehicle``, ``get_engine``, ``vehicle_names``, ``engine_names``,
  ``payload``, ``payload_to_orbit``, ``payload_to_c3``, ``OrbitTarget``, ``C3Target``.
- Mission architectures and budgets: :mod:`jointmission.missions` (``build``, ``evaluate``,
  ``solve_budget``, ``capability``, ``mars_window``; Moon and Mars architectures, margins, boil-off).
- Scenarios and runs: ``load_scenario``, ``run``, ``ScenarioError``.
- Units at the edges: ``to_si`` (``"120 t"`` -> 120000.0 kg).
"""

from importlib.metadata import PackageNotFoundError, version

from . import constants, core, ephemeris, missions, transfers
from .core import ascent, kepler, lambert, orbits, rocket
from .core.kepler import propagate
from .core.lambert import LambertStatus, lambert as solve_lambert
from .core.orbits import (
    bielliptic,
    c3_from_vinf,
    capture_dv,
    circular_speed,
    combined_plane_change,
    departure_dv,
    departure_dv_from_vinf,
    escape_speed,
    hohmann,
    hohmann_with_plane_change,
    orbital_period,
    plane_change,
    vinf_from_c3,
    vis_viva,
)
from .core.payload import solve_payload, solve_payload_targets
from .core.rocket import (
    PayloadStatus,
    Stack,
    parallel_delta_v,
    serial_delta_v,
    stack_delta_v,
    stage_delta_v,
    tsiolkovsky,
)
from .runners import RunResult, SweepResult, load_sweep, run, run_sweep
from .transfers import BestTransfer, TransferError, best_transfer, porkchop
from .scenario import Scenario, ScenarioError, load_scenario
from .units import UnitError, to_si
from .vehicles import (
    C3Target,
    CatalogError,
    Engine,
    LaunchVehicle,
    OrbitTarget,
    PerformanceResult,
    engine_names,
    get_engine,
    get_vehicle,
    payload,
    payload_to_c3,
    payload_to_orbit,
    vehicle_names,
)

try:
    __version__ = version("jointmission")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "constants",
    "core",
    "rocket",
    "orbits",
    "ascent",
    "lambert",
    "kepler",
    "ephemeris",
    "transfers",
    "missions",
    # Lambert, Kepler, transfers
    "solve_lambert",
    "LambertStatus",
    "propagate",
    "porkchop",
    "best_transfer",
    "BestTransfer",
    "TransferError",
    # sweeps
    "run_sweep",
    "load_sweep",
    "SweepResult",
    # rocket
    "PayloadStatus",
    "Stack",
    "tsiolkovsky",
    "stage_delta_v",
    "serial_delta_v",
    "parallel_delta_v",
    "stack_delta_v",
    "solve_payload",
    "solve_payload_targets",
    # orbits
    "vis_viva",
    "circular_speed",
    "escape_speed",
    "orbital_period",
    "c3_from_vinf",
    "vinf_from_c3",
    "hohmann",
    "bielliptic",
    "plane_change",
    "combined_plane_change",
    "hohmann_with_plane_change",
    "departure_dv",
    "departure_dv_from_vinf",
    "capture_dv",
    # catalog and performance
    "Engine",
    "LaunchVehicle",
    "CatalogError",
    "get_vehicle",
    "get_engine",
    "vehicle_names",
    "engine_names",
    "payload",
    "payload_to_orbit",
    "payload_to_c3",
    "OrbitTarget",
    "C3Target",
    "PerformanceResult",
    # scenarios and runs
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "run",
    "RunResult",
    # units
    "to_si",
    "UnitError",
]
