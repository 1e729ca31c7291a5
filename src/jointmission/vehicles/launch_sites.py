"""The catalog of launch sites: a site's name -> the latitude of its pad [rad], with its source.

The packaged file ``vehicles/data/launch_sites.yaml`` lists each site under its name, with aliases
(``KSC`` for ``Kennedy LC-39A``) and the source of its latitude. A name is found case-insensitively
among names and aliases; an unknown name raises :class:`LaunchSiteError` with the close matches
("did you mean"). The latitude is what a launch site changes in the launcher model: the inclination
of a due-east launch, the Earth-rotation benefit of the launch azimuth, and which departure
declinations a parking orbit holds without a plane change
(:func:`jointmission.vehicles.targets.parking_inclination`).
"""

from __future__ import annotations

import difflib
import math
import threading
from typing import Any
from dataclasses import dataclass
from importlib import resources

from ..io.packaged_yaml import load_packaged
from ..units import to_si

__all__ = ["LaunchSite", "LaunchSiteError", "SITE_LATITUDE_TOL_DEG", "check_site_latitude", "launch_site",
           "launch_site_names", "site_mapping"]


class LaunchSiteError(ValueError):
    """An unknown launch-site name (the message lists close matches and the known sites)."""


@dataclass(frozen=True)
class LaunchSite:
    """A catalog launch site: ``name``, ``latitude_rad`` [rad, north positive], ``aliases``, ``source``,
    ``country`` (its operator's country, as the catalog writes countries; ``""`` if not given)."""

    name: str
    latitude_rad: float
    aliases: tuple[str, ...]
    source: str
    country: str = ""

    @property
    def latitude_deg(self) -> float:
        """Latitude [deg]."""
        return math.degrees(self.latitude_rad)


_lock = threading.Lock()
_sites: dict[str, LaunchSite] | None = None


def _catalog() -> dict[str, LaunchSite]:
    global _sites
    with _lock:
        if _sites is None:
            text = (resources.files("jointmission.vehicles") / "data" / "launch_sites.yaml").read_text(encoding="utf-8")
            raw = load_packaged(text) or {}
            _sites = {str(k): LaunchSite(str(k), to_si(v["latitude"], "angle", "deg"),
                                         tuple(str(a) for a in v.get("aliases", ())), str(v["source"]),
                                         str(v.get("country", "")))
                      for k, v in raw.items()}
        return _sites


def launch_site_names() -> list[str]:
    """Names of the catalog's launch sites (file order)."""
    return list(_catalog())


def launch_site(name: str) -> LaunchSite:
    """The catalog launch site called ``name`` (its name or an alias, case-insensitive). Raises
    :class:`LaunchSiteError` naming the close matches for an unknown name."""
    sites = _catalog()
    if not isinstance(name, str):
        raise LaunchSiteError(f"a launch site is a catalog name such as 'Wenchang', got {name!r}")
    key = name.strip().casefold()
    for site in sites.values():
        if key == site.name.casefold() or key in (a.casefold() for a in site.aliases):
            return site
    words = [*sites, *(a for s in sites.values() for a in s.aliases)]
    folded = {w.casefold(): w for w in words}
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    hint = f"; did you mean '{folded[close[0]]}'?" if close else ""
    raise LaunchSiteError(f"unknown launch site {name!r}{hint}; known sites: {', '.join(sites)}")


def site_mapping(raw: Any) -> Any:
    """A ``launch_site`` entry as written in a vehicle or scenario file, with a catalog site's name
    resolved: a name (``Baikonur``, an alias, any case) or ``{name: ...}`` without a latitude becomes
    ``{name, latitude}`` with the catalog site's name and latitude (text in deg); a mapping with a
    latitude, or anything else, is returned unchanged (the schema judges it). Raises
    :class:`LaunchSiteError` for a name the catalog does not hold."""
    if isinstance(raw, dict) and "latitude" not in raw and "name" in raw:
        try:
            site = launch_site(raw["name"])
        except LaunchSiteError as exc:
            raise LaunchSiteError(f"{exc}; or give the site's latitude, {{name: ..., latitude: 45.9 deg}}") from None
    elif isinstance(raw, str):
        site = launch_site(raw)
    else:
        return raw
    rest = raw if isinstance(raw, dict) else {}  # other keys (notes) kept for the schema to judge
    return {**rest, "name": site.name, "latitude": f"{site.latitude_deg!r} deg"}


SITE_LATITUDE_TOL_DEG: float = 0.5
"""How far [deg] a launch site's latitude may lie from the catalog site whose name it bears (every
shipped vehicle and scenario is within 0.1 deg: pads of one range, rounding; 0.5 deg is ~55 km)."""


def check_site_latitude(name: Any, latitude_deg: float) -> None:
    """Raise :class:`LaunchSiteError` if ``name`` is a catalog site's name or alias whose latitude lies
    more than :data:`SITE_LATITUDE_TOL_DEG` from ``latitude_deg`` [deg] (a renamed site that kept
    another site's latitude: its report would name one site and fly from another). Other names pass."""
    if not isinstance(name, str) or not name.strip():
        return
    try:
        site = launch_site(name)
    except LaunchSiteError:
        return
    if abs(site.latitude_deg - float(latitude_deg)) > SITE_LATITUDE_TOL_DEG:
        raise LaunchSiteError(
            f"'{name}' is the catalog site {site.name} at {site.latitude_deg:.2f} deg latitude, but this launch site "
            f"is at {float(latitude_deg):.4g} deg: write 'launch_site: {site.name}' (or {{name: {site.name}}}) to "
            "take the catalog site's latitude, or give this site another name")
