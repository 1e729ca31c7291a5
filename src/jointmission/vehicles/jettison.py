"""When an item dropped during a burn (a fairing at a time, :class:`~.spec.FairingSpec`; spent boosters
jettisoned after their burnout, :class:`~.spec.BoosterSpec`) can drop: the window of its stage's burn, on
the same burn profile as the rocket equation
(:func:`jointmission.core.rocket.phase_masses`).

Stage 0 ignites at lift-off and, beside boosters, burns at its booster-phase throttle ``tau`` until they
are empty; a drop there must come after the boosters (the booster phase is one segment of the rocket
equation) and before the stage's propellant is gone. Any other stage burns at full thrust from its
ignition. Times in s, masses in kg, mass flows in kg/s.
"""

from __future__ import annotations

__all__ = ["burn_window", "drop_time_message", "booster_drop_message"]


def burn_window(m_prop: float, mdot: float, booster_time: float = 0.0, tau: float = 1.0) -> tuple[float, float]:
    """``(earliest, latest)`` drop time [s] after a stage's ignition: its burn of ``m_prop`` [kg] at
    ``mdot`` [kg/s] (full thrust), after a booster phase of ``booster_time`` [s] flown at throttle ``tau``
    [-] (stage 0 beside boosters; 0 otherwise). The window is empty (earliest >= latest) when the stage
    runs dry during the booster phase."""
    used = tau * mdot * booster_time
    return booster_time, booster_time + (m_prop - used) / mdot


def drop_time_message(where: str, stage: int, time_s: float, earliest: float, latest: float) -> str:
    """The error text of a drop time ``time_s`` [s] outside stage ``stage``'s burn window [s]."""
    after = f"after its boosters ({earliest:.1f} s) and " if earliest > 0 else ""
    return (f"{where}.jettison_time is {time_s:.1f} s but stage {stage} burns for {latest:.1f} s: a drop during its "
            f"burn must come {after}before its burnout, or use jettison_after_stage: {stage} to drop it at burnout")


def booster_drop_message(time_s: float, burnout: float, core_burnout: float) -> str:
    """The error text of a boosters' ``jettison_time`` ``time_s`` [s after lift-off] outside the window
    from their burnout ``burnout`` [s] to stage 0's burnout ``core_burnout`` [s] (the stage carries them)."""
    if time_s <= burnout:
        return (f"boosters.jettison_time is {time_s:.1f} s but the boosters burn until {burnout:.1f} s: they are "
                f"jettisoned after their burnout; omit jettison_time to drop them at burnout")
    return (f"boosters.jettison_time is {time_s:.1f} s but stage 0, which carries the spent boosters until then, "
            f"burns out at {core_burnout:.1f} s: give a time between {burnout:.1f} s and {core_burnout:.1f} s")
