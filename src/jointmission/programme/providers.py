"""Who provides each component of a case: the scenario's assignment, else the catalog's ``country``.

The default rules (a scenario's ``programme.providers`` overrides any of them):

- **engine**: the partner of the engine's catalog ``country`` (``"USSR / Russia"`` -> Russia).
- **launch site**: the partner of the site's operator (``country`` in the launch-site catalog).
- **stage airframe** (core stages and boosters) and **vehicle integration** (fairing and other
  jettisoned hardware): the partner of the vehicle's ``country``. A joint vehicle lists several
  countries (``"Russia / China"``); its airframes and integration then go to the partner that
  operates the launch site, when it is one of them (the joint heavy launchers fly from Wenchang:
  China builds the airframe, whatever engines it carries), else to the first country listed.
- **launch**: the launch-site partner (the launch service is bought where the rocket flies).
  A concept launch flown by a catalog launcher of its own (a commercial tanker) follows that
  launcher's site.
- **mission element** (lander, crew vehicle, transfer stage, depot, capsule, heat shield ...): the
  partner providing the launch that carries it.

A component whose default country is no partner's (a US engine in a Russia-China programme) is an
error that asks for an assignment (:class:`~jointmission.programme.partners.ProgrammeError`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..vehicles.launch_sites import LaunchSiteError, launch_site
from ..vehicles.vehicle import LaunchVehicle
from .partners import Programme, ProgrammeError, partner_for_country

__all__ = ["VehicleProviders", "CaseProviders", "vehicle_providers", "resolve_providers", "site_country", "base_name"]


@dataclass(frozen=True)
class VehicleProviders:
    """Providers of one launcher's components: ``engines`` (engine name -> partner), ``stages``
    (stage or booster-set name -> partner, the airframe), ``vehicle`` (integration), ``launch_site``
    and ``launch`` (the default provider of its launches)."""

    engines: dict[str, str]
    stages: dict[str, str]
    vehicle: str
    launch_site: str
    launch: str


@dataclass(frozen=True)
class CaseProviders:
    """Providers of one case: the launchers (``launchers``: launch name -> :class:`VehicleProviders`
    of the vehicle flying it), ``launches`` (launch name -> partner) and ``elements`` (mission
    element or item name -> partner)."""

    launchers: dict[str, VehicleProviders]
    launches: dict[str, str]
    elements: dict[str, str] = field(default_factory=dict)


def base_name(name: str) -> str:
    """The name as written for a copy of a repeated launch or its members: ``tanker 3`` -> ``tanker``
    (a name without a trailing number is returned unchanged)."""
    head, _, tail = name.rpartition(" ")
    return head if head and tail.isdigit() else name


def site_country(vehicle: LaunchVehicle) -> str:
    """Country operating ``vehicle``'s launch site (the launch-site catalog), ``""`` if the site is
    not in the catalog."""
    if not vehicle.launch_site:
        return ""
    try:
        return launch_site(vehicle.launch_site).country
    except LaunchSiteError:
        return ""


def _need(partner: str | None, path: tuple, what: str, country: str | None, programme: Programme) -> str:
    if partner is None:
        raise ProgrammeError(path, f"{what} comes from {country or 'no stated country'}, which no partner "
                                   f"represents (partners: {', '.join(programme.names)}); name its provider under "
                                   f"programme.{'.'.join(str(p) for p in path)}")
    return partner


def vehicle_providers(programme: Programme, vehicle: LaunchVehicle) -> VehicleProviders:
    """Providers of ``vehicle``'s engines, stage airframes, integration and launch site (the
    module's default rules, then the programme's overrides). Raises
    :class:`~jointmission.programme.partners.ProgrammeError` for a component without a partner."""
    ov = programme.providers
    site = site_country(vehicle)
    integ = ov.vehicle or partner_for_country(vehicle.country, programme, prefer=site)
    integ = _need(integ, ("providers", "vehicle"), f"the integration of '{vehicle.name}'", vehicle.country, programme)
    engines: dict[str, str] = {}
    for name, eng in vehicle.engines.items():
        p = ov.engines.get(name) or partner_for_country(eng.country, programme)
        engines[name] = _need(p, ("providers", "engines", name), f"engine '{name}' of '{vehicle.name}'",
                              eng.country, programme)
    stages: dict[str, str] = {}
    parts = ([vehicle.boosters.name] if vehicle.boosters is not None else []) + [s.name for s in vehicle.stages]
    for name in parts:
        key = "boosters" if vehicle.boosters is not None and name == vehicle.boosters.name \
            and name not in ov.stages else name
        stages[name] = ov.stages.get(key) or ov.stages.get(name) or integ
    sp = ov.launch_site or partner_for_country(site, programme) or integ
    return VehicleProviders(engines=engines, stages=stages, vehicle=integ, launch_site=sp, launch=sp)


def resolve_providers(programme: Programme, vehicle: LaunchVehicle, launch_members: Mapping[str, Sequence[str]],
                      own_launchers: Mapping[str, LaunchVehicle] | None = None) -> CaseProviders:
    """Providers of a case: ``vehicle`` (the launcher traded) flies every launch of
    ``launch_members`` (launch name -> members it carries) except those of ``own_launchers``
    (launch name -> the catalog launcher a concept names for it). Elements default to the partner
    of the launch carrying them."""
    own_launchers = own_launchers or {}
    ov = programme.providers
    base = vehicle_providers(programme, vehicle)
    launchers: dict[str, VehicleProviders] = {}
    launches: dict[str, str] = {}
    elements: dict[str, str] = {}
    for ln, members in launch_members.items():
        vp = vehicle_providers(programme, own_launchers[ln]) if ln in own_launchers else base
        launchers[ln] = vp
        launches[ln] = ov.launches.get(ln) or ov.launches.get(base_name(ln)) or ov.launches.get("*") or vp.launch
        for m in members:
            elements[m] = ov.elements.get(m) or ov.elements.get(base_name(m)) or launches[ln]
    return CaseProviders(launchers=launchers, launches=launches, elements=elements)
