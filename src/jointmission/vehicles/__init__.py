"""Launch vehicles: validated specs, the packaged catalog, domain objects and payload performance.

Typical use::

    from jointmission.vehicles import get_vehicle, payload, OrbitTarget, C3Target
    sat5 = get_vehicle("Saturn V")
    res = payload(sat5, C3Target(-1.9e6))          # SI units: m^2/s^2, m, rad
    res.payload_kg, res.status, res.dv_gravity
"""

from .arrays import VehicleTable, build_vehicle_arrays, vehicle_table
from .catalog import (
    Catalog,
    build_vehicle,
    resolve_engine,
    CatalogError,
    default_catalog,
    engine_names,
    engine_raw,
    get_engine,
    get_vehicle,
    get_vehicle_spec,
    load_catalog_from,
    resolve_vehicle_dict,
    vehicle_names,
    vehicle_raw,
)
from .engine import Engine
from ..core.launch_geometry import dogleg_angle, dogleg_dv, rotation_benefit
from .performance import (
    PerformanceResult,
    PerformanceStatus,
    VehicleArrays,
    mass_in_orbit_with_top_stage,
    payload,
    payload_to_c3,
    payload_to_orbit,
    vehicle_arrays,
)
from .spec import (
    BoosterSpec,
    EngineSpec,
    FairingSpec,
    JettisonSpec,
    LaunchSiteSpec,
    StageSpec,
    VehicleSpec,
)
from .target_spec import C3TargetSpec, OrbitTargetSpec, PublishedPerformance
from .targets import DEFAULT_PARKING_ALT_M, C3Target, OrbitTarget, Target, TargetSet, target_set
from .vehicle import Boosters, Jettison, LaunchVehicle, Stage

__all__ = [
    # specs
    "EngineSpec",
    "BoosterSpec",
    "StageSpec",
    "FairingSpec",
    "JettisonSpec",
    "LaunchSiteSpec",
    "OrbitTargetSpec",
    "C3TargetSpec",
    "PublishedPerformance",
    "VehicleSpec",
    # catalog
    "Catalog",
    "CatalogError",
    "default_catalog",
    "engine_names",
    "vehicle_names",
    "engine_raw",
    "vehicle_raw",
    "resolve_vehicle_dict",
    "get_engine",
    "get_vehicle",
    "get_vehicle_spec",
    "load_catalog_from",
    "resolve_engine",
    "build_vehicle",
    # arrays (the one builder)
    "VehicleTable",
    "vehicle_table",
    "build_vehicle_arrays",
    # domain
    "Engine",
    "Stage",
    "Boosters",
    "Jettison",
    "LaunchVehicle",
    # performance
    "OrbitTarget",
    "C3Target",
    "Target",
    "TargetSet",
    "target_set",
    "DEFAULT_PARKING_ALT_M",
    "PerformanceResult",
    "PerformanceStatus",
    "VehicleArrays",
    "vehicle_arrays",
    "rotation_benefit",
    "dogleg_angle",
    "dogleg_dv",
    "payload",
    "payload_to_orbit",
    "payload_to_c3",
    "mass_in_orbit_with_top_stage",
]
