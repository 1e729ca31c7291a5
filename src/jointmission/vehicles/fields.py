"""The vehicle field kinds: a re-export of the one registry of field kinds, :mod:`jointmission.fields`.

Every number a vehicle is made of (in a catalog entry, a scenario file, an override, a sweep axis or
a Monte Carlo draw) is one of the fields of :data:`FIELDS` (vehicle field name -> :class:`FieldKind`:
``to_si`` kind, default units, physical range [SI]); :func:`engine_consistent` is the cross-field rule
of an engine. See :mod:`jointmission.fields` for the ranges and why.
"""

from __future__ import annotations

from ..fields import (ENGINE_FIELDS, FIELDS, MAX_BOOSTERS, MAX_ENGINES, MAX_ISP_S, MAX_STAGES, FieldKind,
                      engine_consistent, field_kind)

__all__ = [
    "FieldKind",
    "FIELDS",
    "ENGINE_FIELDS",
    "MAX_BOOSTERS",
    "MAX_ENGINES",
    "MAX_STAGES",
    "MAX_ISP_S",
    "engine_consistent",
    "field_kind",
]
