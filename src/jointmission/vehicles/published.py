"""Published payload points of launch vehicles: the one :class:`PublishedCurve` type, and the package's
published payload-vs-C3 curves (package data ``vehicles/data/published_curves.yaml``).

A :class:`PublishedCurve` is a set of published (axis value, payload) points of one vehicle on one
axis of a payload curve (C3 or circular-orbit altitude), with its source. The same type carries the
curves of the data file (read by :func:`published_curves`; validated in
``tests/validation/test_published_curves.py``) and the single published figures of a catalog entry that
a report overlays on a model curve (:func:`jointmission.report.run_plots.payload_curves`).

Each curve of the data file has an authority:

- ``nasa_lsp``: NASA Launch Services Program performance data, as transcribed in the public sources the
  file names;
- ``nasa_program``: a NASA programme document of the vehicle's owner (the SLS Mission Planner's Guide);
- ``secondary``: a published curve whose origin the transcription does not state.

The file is read once with a YAML safe loader (libyaml's where installed) and cached; the arrays are read-only.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import numpy as np

from ..io.packaged_yaml import load_packaged

__all__ = ["PublishedCurve", "CurveAxis", "published_curves", "AUTHORITIES"]

CurveAxis = Literal["c3", "altitude"]
"""The swept axis of a payload curve: C3 [m^2/s^2] or circular-orbit altitude [m] (also
:mod:`jointmission.vehicles.curve`'s, which imports it from here)."""

AUTHORITIES = ("nasa_lsp", "nasa_program", "secondary")
"""Authorities a curve of the data file may have, most authoritative first (module docstring)."""


@dataclass(frozen=True)
class PublishedCurve:
    """Published payload points of one vehicle on one axis (for validation, overlays and comparisons).

    Attributes
    ----------
    vehicle : str
        The vehicle's name (as :attr:`jointmission.vehicles.curve.Curve.vehicle`, so a figure matches
        the points to the model curve of the same vehicle).
    axis : ``"c3"`` or ``"altitude"``
        The swept axis the points sit on.
    values : ndarray
        The axis values [SI: C3 in m^2/s^2, circular-orbit altitude in m].
    payload_kg : ndarray
        Published payload (separated spacecraft mass) at each value [kg].
    source : str
        The citation a reader can open.
    short_source : str
        A few words for a figure legend (default: the source up to its first comma, 40 characters).
    authority : str
        One of :data:`AUTHORITIES` for the curves of the data file; empty for a catalog entry's own
        figures (their ``kind`` in the catalog says how they are checked).
    sources : tuple of str
        Per-point source (default: ``source`` for every point).
    """

    vehicle: str
    axis: CurveAxis
    values: np.ndarray
    payload_kg: np.ndarray
    source: str
    short_source: str = ""
    authority: str = ""
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.short_source:
            object.__setattr__(self, "short_source", self.source.split(",")[0][:40])
        if not self.sources:
            object.__setattr__(self, "sources", (self.source,) * int(np.size(self.values)))


def _load_text(text: str) -> tuple[PublishedCurve, ...]:
    out = []
    for k, c in enumerate(load_packaged(text)["curves"]):
        pts = c["points"]
        c3 = np.array([float(p["c3"]) for p in pts]) * 1e6
        pay = np.array([float(p["payload"]) for p in pts])
        if c.get("authority") not in AUTHORITIES or not np.all(np.diff(c3) > 0) or np.any(pay < 0):
            raise ValueError(f"published_curves.yaml: curve {k} ({c.get('vehicle')!r}) needs an authority in "
                             f"{AUTHORITIES}, increasing C3 and non-negative payloads")
        c3.setflags(write=False)
        pay.setflags(write=False)
        out.append(PublishedCurve(vehicle=c["vehicle"], axis="c3", values=c3, payload_kg=pay, source=c["source"],
                                  short_source=c["label"], authority=c["authority"],
                                  sources=tuple(p.get("source", c["source"]) for p in pts)))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _load() -> tuple[PublishedCurve, ...]:
    return _load_text(resources.files("jointmission.vehicles").joinpath("data", "published_curves.yaml")
                      .read_text("utf-8"))


def published_curves(vehicle_name: str | None = None, as_name: str | None = None) -> list[PublishedCurve]:
    """The published payload-vs-C3 curves [C3 in m^2/s^2, payload in kg] of the package data: all of
    them when ``vehicle_name`` is None, else those of catalog vehicle ``vehicle_name`` (case-insensitive;
    an empty list for a vehicle without one). ``as_name`` relabels the returned curves' ``vehicle`` (a
    report names a vehicle by its short name, and a figure matches points to curves by it)."""
    curves = _load()
    if vehicle_name is not None:
        key = vehicle_name.strip().casefold()
        curves = tuple(c for c in curves if c.vehicle.casefold() == key)
    if as_name is not None:
        curves = tuple(dataclasses.replace(c, vehicle=as_name) for c in curves)
    return list(curves)
