"""Sourced mission data (``missions/data/missions.yaml``): propellant boil-off rates, generic
propulsive elements and phase delta-v values, turned into :class:`~.budget.Element` objects.

Boil-off of a bipropellant element is the mass-weighted average of its two propellants' rates with
the element's oxidizer/fuel mixture ratio: ``b = (MR b_ox + b_fuel) / (MR + 1)`` [1/day] (the tank
that boils faster would in reality be sized with more margin; for a budget the average is what
leaves the stack).
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

from ..io.packaged_yaml import load_packaged
from .budget import Element

__all__ = ["mission_data", "boiloff_per_day", "element", "phase_value", "ELEMENT_KEYS", "PROPELLANTS"]

_DATA = Path(__file__).with_name("data") / "missions.yaml"

PROPELLANTS = ("lox_lh2", "lox_lch4", "lox_kerosene", "storable")
"""Propellant combinations an element may name."""


@cache
def _load() -> dict:
    with open(_DATA, encoding="utf-8") as fh:
        return load_packaged(fh)


def mission_data() -> dict:
    """A copy of the whole data file (each value with its ``source``)."""
    return copy.deepcopy(_load())


def boiloff_per_day(propellant: str) -> float:
    """Boil-off [fraction of the remaining propellant per day] of a propellant combination
    (``lox_lh2``, ``lox_lch4``, ``lox_kerosene``, ``storable``) or a single propellant
    (``lh2``, ``lox``, ``lch4``, ...)."""
    d = _load()
    props = d["propellants"]
    if propellant in props:
        return float(props[propellant]["boiloff_per_day"])
    if propellant == "storable":
        return 0.0
    if propellant not in d["mixture_ratio"]:
        raise KeyError(f"unknown propellant {propellant!r}; known: {', '.join(PROPELLANTS)}")
    mr = float(d["mixture_ratio"][propellant]["ratio"])
    ox, fuel = propellant.split("_", 1)
    return (mr * float(props[ox]["boiloff_per_day"]) + float(props[fuel]["boiloff_per_day"])) / (mr + 1.0)


ELEMENT_KEYS = ("earth_departure_stage", "lunar_descent_stage", "lunar_ascent_stage", "crew_vehicle",
                "mars_descent_stage", "mars_capture_stage")
"""Generic elements in the data file."""


def element(key: str, name: str | None = None, **overrides: Any) -> Element:
    """The generic element ``key`` of the data file as an :class:`Element` named ``name``.

    ``overrides`` replace data values: ``isp_s``, ``dry_kg``, ``dry_fraction``, ``propellant_kg``
    (a fixed load; ``None`` = sized), ``capacity_kg``, ``residual_fraction``, ``propellant``
    (which sets the boil-off) or ``boiloff_per_day`` directly.
    """
    data = _load()["elements"]
    if key not in data:
        raise KeyError(f"unknown element {key!r}; known: {', '.join(data)}")
    d = {k: v for k, v in data[key].items() if k != "source"}
    d.update({k: v for k, v in overrides.items() if v is not None or k == "propellant_kg"})
    prop = d.pop("propellant")
    boil = d.pop("boiloff_per_day", None)
    return Element(
        name=name or key,
        isp_s=float(d["isp_s"]),
        dry_kg=float(d.get("dry_kg", 0.0)),
        dry_fraction=float(d.get("dry_fraction", 0.0)),
        propellant_kg=None if d.get("propellant_kg") is None else float(d["propellant_kg"]),
        capacity_kg=float(d.get("capacity_kg", float("inf"))),
        boiloff_per_day=boiloff_per_day(prop) if boil is None else float(boil),
        residual_fraction=float(d.get("residual_fraction", 0.0)),
    )


def phase_value(body: str, key: str) -> float:
    """A sourced phase parameter (``body`` = ``lunar`` or ``mars``), e.g. ``phase_value('lunar',
    'descent_dv_m_s')`` -> 2040.0, in the unit its key names."""
    return float(_load()["phases"][body][key]["value"])
