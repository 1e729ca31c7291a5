"""The one status-code scheme: why a case has (or has no) result, in every kernel and every table.

Every result array and every ``status`` / ``status[...]`` / ``mission_status[...]`` column of a
result table holds :class:`Status` codes (int8), so a number means the same thing everywhere. The
ranges are disjoint by domain:

====  ===========================  ==============================================================
code  name                         meaning (:data:`STATUS_TEXT` gives the wording for humans)
====  ===========================  ==============================================================
0     OK                           a result
1     INSUFFICIENT_DV              the vehicle cannot reach the target even with zero payload
2     INVALID_INPUT                non-finite or non-physical input (mass, Isp, mu, tof ...)
3     CORE_DEPLETED                the core stage runs dry before the boosters burn out
4     NOT_CONVERGED                an iteration (payload, Kepler, Lambert) missed its tolerance
10    LIFTOFF_TW_BELOW_ONE         lift-off thrust-to-weight below 1
11    INVALID_TARGET               target outside the performance model
12    TRAJECTORY_INFEASIBLE        no ascent trajectory of the model reaches the orbit
13    BURNOUT                      propellant ran out before the cutoff energy (ascent)
14    CRASHED                      the ascent fell back below zero altitude
21    PAYLOAD_NOT_POSITIVE         mission: delivered mass does not cover the hardware
22    CAPACITY_EXCEEDED            mission: a stage needs more propellant than its tanks hold
23    PROPELLANT_EXHAUSTED         mission: a fixed-load stage runs out of propellant
24    LAUNCHER_INFEASIBLE          mission: the launcher cannot reach the delivery target
25    LAUNCH_OVERLOADED            mission: a launch cannot lift its fixed content
26    NEGATIVE_LOAD                mission: a sized load came out negative
27    SINGULAR                     mission: no stage size gives the delta-v
28    PARAMETER_OUT_OF_RANGE       sweep: a sampled parameter outside its physical range
31    NO_SOLUTION                  Lambert: time of flight below the minimum for the revolutions
32    DEGENERATE                   Lambert: zero radius or collinear radii (no unique plane)
33    TOF_OUT_OF_RANGE             transfer: time of flight outside the requested range
34    ARRIVAL_BEFORE_DEPARTURE     transfer: arrival date not after departure
====  ===========================  ==============================================================

The domain enums of earlier versions (``PayloadStatus``, ``PerformanceStatus``, ``BudgetStatus``,
``LambertStatus``, ``KeplerStatus``, ``TransferStatus``) are this class under other names;
``INVALID`` is an alias of ``INVALID_INPUT``.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

__all__ = ["Status", "STATUS_TEXT", "status_text", "status_legend"]


class Status(IntEnum):
    """Status code of one case (stored as int8). See the module table for every value."""

    OK = 0
    INSUFFICIENT_DV = 1
    INVALID_INPUT = 2
    INVALID = 2  # alias: the kernels' name for INVALID_INPUT
    CORE_DEPLETED = 3
    NOT_CONVERGED = 4
    LIFTOFF_TW_BELOW_ONE = 10
    INVALID_TARGET = 11
    TRAJECTORY_INFEASIBLE = 12
    BURNOUT = 13
    CRASHED = 14
    PAYLOAD_NOT_POSITIVE = 21
    CAPACITY_EXCEEDED = 22
    PROPELLANT_EXHAUSTED = 23
    LAUNCHER_INFEASIBLE = 24
    LAUNCH_OVERLOADED = 25
    NEGATIVE_LOAD = 26
    SINGULAR = 27
    PARAMETER_OUT_OF_RANGE = 28
    NO_SOLUTION = 31
    DEGENERATE = 32
    TOF_OUT_OF_RANGE = 33
    ARRIVAL_BEFORE_DEPARTURE = 34

    @property
    def text(self) -> str:
        """The wording for humans (:data:`STATUS_TEXT`)."""
        return STATUS_TEXT[self]


STATUS_TEXT: dict[Status, str] = {
    Status.OK: "ok",
    Status.INSUFFICIENT_DV: "infeasible: the vehicle cannot reach this target even with zero payload",
    Status.INVALID_INPUT: "invalid: non-finite or non-physical input",
    Status.CORE_DEPLETED: "infeasible: the core stage runs dry before the boosters burn out",
    Status.NOT_CONVERGED: "error: the iteration did not converge",
    Status.LIFTOFF_TW_BELOW_ONE: "infeasible: lift-off thrust-to-weight below 1",
    Status.INVALID_TARGET: "invalid target: outside the performance model (altitude, apogee, C3 or inclination)",
    Status.TRAJECTORY_INFEASIBLE: "infeasible: no ascent trajectory of the model reaches this orbit",
    Status.BURNOUT: "infeasible: propellant ran out before the cutoff energy",
    Status.CRASHED: "infeasible: the ascent fell back to the ground",
    Status.PAYLOAD_NOT_POSITIVE: "infeasible: delivered mass does not cover the mission hardware (payload <= 0)",
    Status.CAPACITY_EXCEEDED: "infeasible: a stage needs more propellant than its tanks hold",
    Status.PROPELLANT_EXHAUSTED: "infeasible: a fixed-load stage runs out of propellant",
    Status.LAUNCHER_INFEASIBLE: "infeasible: the launcher cannot reach the delivery target",
    Status.LAUNCH_OVERLOADED: "infeasible: a launch cannot lift its fixed content",
    Status.NEGATIVE_LOAD: "infeasible: a sized load came out negative",
    Status.SINGULAR: "infeasible: no stage size gives the delta-v (rocket equation singular)",
    Status.PARAMETER_OUT_OF_RANGE: "invalid: a swept parameter is outside its physical range",
    Status.NO_SOLUTION: "no solution: time of flight below the minimum for the revolutions",
    Status.DEGENERATE: "no solution: degenerate geometry (zero or collinear radii)",
    Status.TOF_OUT_OF_RANGE: "no transfer: time of flight outside the requested range",
    Status.ARRIVAL_BEFORE_DEPARTURE: "no transfer: arrival not after departure",
}
"""Human wording of every :class:`Status` (the one place it is written)."""


def status_text(code) -> str:
    """Human wording of a status ``code`` (int or :class:`Status`); ``"ok"`` for 0, and
    ``"unknown status code N"`` for a number outside the scheme."""
    try:
        return STATUS_TEXT[Status(int(code))]
    except (ValueError, KeyError):
        return f"unknown status code {int(code)}"


def status_legend(codes=None) -> str:
    """``"0 ok; 1 insufficient_dv; ..."`` for ``codes`` (default every code), for column metadata."""
    members = [Status(int(c)) for c in np.unique(np.asarray(codes))] if codes is not None else list(Status)
    return "; ".join(f"{s.value} {s.name.lower()}" for s in members)
