"""Published payload-vs-C3 curves of catalog vehicles (package data ``vehicles/data/published_curves.yaml``).

Each curve is a list of points (C3, separated spacecraft mass) with its source and its authority:
``nasa_lsp`` (NASA Launch Services Program performance data, as transcribed in the public sources the
file names) or ``secondary`` (a published curve whose origin the transcription does not state). The
file is read once with :func:`yaml.safe_load` and cached.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

__all__ = ["PublishedCurve", "published_curves"]


@dataclass(frozen=True)
class PublishedCurve:
    """One published payload-vs-C3 curve.

    Attributes
    ----------
    vehicle : str
        Catalog vehicle name.
    label : str
        Legend text.
    source : str
        Citation of the curve.
    authority : str
        ``nasa_lsp`` or ``secondary``.
    c3_m2_s2 : ndarray
        C3 of each point [m^2/s^2].
    payload_kg : ndarray
        Separated spacecraft mass of each point [kg].
    sources : tuple of str
        Per-point source (the curve's source where the point has none of its own).
    """

    vehicle: str
    label: str
    source: str
    authority: str
    c3_m2_s2: np.ndarray
    payload_kg: np.ndarray
    sources: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def _load() -> tuple[PublishedCurve, ...]:
    text = resources.files("jointmission.vehicles").joinpath("data", "published_curves.yaml").read_text("utf-8")
    out = []
    for k, c in enumerate(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["curves"]):
        pts = c["points"]
        c3 = np.array([float(p["c3"]) for p in pts]) * 1e6
        pay = np.array([float(p["payload"]) for p in pts])
        if c.get("authority") not in ("nasa_lsp", "secondary") or not np.all(np.diff(c3) > 0) or np.any(pay < 0):
            raise ValueError(f"published_curves.yaml: curve {k} ({c.get('vehicle')!r}) needs authority nasa_lsp or "
                             "secondary, increasing C3 and non-negative payloads")
        c3.setflags(write=False)
        pay.setflags(write=False)
        out.append(PublishedCurve(vehicle=c["vehicle"], label=c["label"], source=c["source"],
                                  authority=c["authority"], c3_m2_s2=c3, payload_kg=pay,
                                  sources=tuple(p.get("source", c["source"]) for p in pts)))
    return tuple(out)


def published_curves(vehicle_name: str | None = None) -> list[PublishedCurve]:
    """The published curves [C3 in m^2/s^2, payload in kg] of catalog vehicle ``vehicle_name``
    (case-insensitive; all curves when None; an empty list for a vehicle without one)."""
    curves = _load()
    if vehicle_name is None:
        return list(curves)
    key = vehicle_name.strip().casefold()
    return [c for c in curves if c.vehicle.casefold() == key]
