"""Pydantic (v2) models of the scenario document, apart from the vehicle itself.

The vehicle is validated by :class:`jointmission.vehicles.spec.VehicleSpec` after the loader has
resolved catalog names, included files and overrides (see :mod:`jointmission.scenario.loader`).

Every model forbids unknown keys (the error lists the allowed keys and suggests the nearest one).
Quantities are read with :func:`jointmission.units.to_si`: a string with a unit (``"200 km"``) or a
bare number in the field's default unit (km for altitudes, deg for angles, km2/s2 for C3), and are
stored as SI floats (m, rad, m^2/s^2).
"""

from __future__ import annotations

from ._base import (  # re-exported: the schema's public names
    QuantityRule,
    quantity,
    quantity_field,
    parse_field,
    parse_quantity,
    suggest,
    unknown_key_message,
    CatalogVehicleRef,
    FileVehicleRef,
    DEFAULT_PARKING_ALT_M,
    OUTPUT_FORMATS,
    Altitude,
    EarthOrbitAltitude,
    Inclination,
    Declination,
    Latitude,
    C3,
    NonEmptyStr,
    _Strict,
    _err,
    to_si_inverse,
)
from .target_schema import (  # re-exported: defined there, light to import
    MAX_TARGETS,
    LaunchSiteSpec,
    OrbitSpec,
    OutputsSpec,
    ParkingSpec,
    TargetSpec,
    TargetsDoc,
)
from .mission_spec import MissionSpec
from .programme_spec import ProgrammeSpec
from .sweep_spec import SweepSpec
from .transfer_spec import TransferSpec

__all__ = [
    "QuantityRule",
    "quantity",
    "quantity_field",
    "parse_field",
    "parse_quantity",
    "suggest",
    "unknown_key_message",
    "LaunchSiteSpec",
    "OrbitSpec",
    "ParkingSpec",
    "TargetSpec",
    "OutputsSpec",
    "TargetsDoc",
    "MAX_TARGETS",
    "CatalogVehicleRef",
    "FileVehicleRef",
    "ScenarioDoc",
    "DEFAULT_PARKING_ALT_M",
    "OUTPUT_FORMATS",
]


class ScenarioDoc(TargetsDoc):
    """The scenario document: :class:`~jointmission.scenario.target_schema.TargetsDoc` (name,
    vehicle, launch site, targets, outputs) and the optional sections. ``vehicle`` is checked by the
    loader (catalog/file/inline forms)."""

    sweep: SweepSpec | None = None
    transfer: TransferSpec | None = None
    mission: MissionSpec | None = None
    programme: ProgrammeSpec | None = None
