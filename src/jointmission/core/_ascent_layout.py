"""The calling convention of the compiled ascent kernels, shared by their numba form
(:mod:`._ascent_kernel`), their native form (:mod:`._ascent_native`) and the driver
(:mod:`.ascent`): array rows, parameter vectors and scratch sizes. No numba here. (numba's cache
of :mod:`._ascent_kernel` does not see an edit of this file: touch that file too.)"""

from __future__ import annotations

__all__ = ["OUT_FIELDS", "IPAR", "FPAR", "NCK", "N_CHECKPOINTS", "TOP_SUBSTEPS", "SHOOT_ITERATIONS", "SHOOT_EPS",
           "SHOOT_H_SCALE", "SHOOT_V_SCALE", "SHOOT_MISS_MAX", "GUIDED_BURN_MAX_ORBITS", "GUESS_NODES", "SHAPE_ROUNDS", "KICK_POLISH",
           "Q_CROSS_ITERATIONS"]

OUT_FIELDS = ("gravity", "drag", "steering", "back_pressure", "crashed", "h_switch", "v_switch",
              "gamma_switch", "max_q", "h_end", "v_end")
"""Rows of the kernels' output array (N cases in columns): the four loss integrals [m/s], the
crashed flag (0/1), altitude [m], Earth-relative speed [m/s] and flight-path angle [rad] at
guidance start, maximum dynamic pressure [Pa], altitude [m] and Earth-relative speed [m/s] at
burnout."""

IPAR = ("n_cases", "n_phases", "n_atm_nodes", "n_cd_nodes", "switch_phase", "n_steps_atm", "n_steps_upper",
        "n_steps_level", "n_kicks", "n_fine", "n_lofts", "n_levels", "restart")
"""Order of the integer parameter vector of the C entry points."""

FPAR = ("mu", "r_body", "beta_ref", "kick_speed", "q_switch", "p0")
"""Order of the float parameter vector of the C entry points (SI)."""

NCK = 17
"""Numbers in one checkpoint row of the march: valid flag, pitch-over [rad], phase and step index,
time and the phase's start time [s], altitude [m], radial and horizontal speed [m/s], kicked and
crashed flags, the four loss integrals [m/s], the maximum dynamic pressure [Pa], and the rest of the
step [s] still to fly when guidance started inside it (at the dynamic-pressure crossing; -1 when it
started at the step's start)."""

N_CHECKPOINTS = 40
"""Checkpoint rows of the shape search: one per pitch-over tried in a case (14 coarse, shared by the
rounds, + :data:`SHAPE_ROUNDS` x 7 fine + 1, with room to spare), so the later rounds' pitch-overs find
the first round's."""

TOP_SUBSTEPS = 3
"""Parts of each upper-phase step in the explicitly steered top-stage burn (``top_steering``): its
motion is integrated, not imposed, so it takes more, shorter steps (8 x 3 per burn)."""

SHOOT_ITERATIONS = 5
"""Newton iterations of the top stage's shooting (a fixed number: the compiled kernel and the numpy reference
take the same steps, no tolerance test that rounding could tip)."""

SHOOT_EPS = 1e-6
"""Finite-difference step of the shooting's Jacobian in ``A`` and ``B t_go`` of ``tan(theta) = A + B t`` [-]."""

SHOOT_H_SCALE = 1000.0
"""[m] Altitude miss that the shooting weighs as :data:`SHOOT_V_SCALE` of radial speed."""

SHOOT_V_SCALE = 10.0
"""[m/s] Radial-speed miss that the shooting weighs as :data:`SHOOT_H_SCALE` of altitude."""

GUESS_NODES = 8
"""Simpson intervals of the gravity-less-centrifugal integrals in the shooting's first estimate."""

GUIDED_BURN_MAX_ORBITS = 0.5
"""[-] Longest burn after the earliest guidance start, as a fraction of the orbital period at the target
altitude (~44 min at 200 km), that the march flies as a direct ascent. A longer one (an upper stage of
thrust-to-weight ~0.01 or less) would sweep much of an orbit below orbital speed: the guided profile, which
holds the altitude kinematically and charges what the engine cannot supply as steering loss, then returns
losses that are no physics (near-vertical shapes with negative gravity loss, steps of 10^7 s). The march
counts such a trajectory as crashed. Catalog top-stage ascent burns are 280-1,320 s; the longest burn after
guidance start, SLS Block 1B's core and EUS, is ~1,670 s."""

SHOOT_MISS_MAX = 10.0
"""[m/s] Largest miss of the shot top-stage burn (radial speed plus altitude as ``g dh / v_c``) still flown;
a larger one means the linear-tangent burn cannot reach the target from its ignition state (the shooting
converges to well under 1 m/s where it can), and the trajectory counts as infeasible."""

SHAPE_ROUNDS = 3
"""Coordinate-descent rounds of the shape search: the first flies the pitch-over pass and the joint
loft x level scan, each later one the pitch-over pass, then the loft and the level-fraction passes.
Pitch-over and loft/level interact (a lofted upper stage favours another pitch-over): after two
rounds SLS Block 1's pitch-over still sat 3 % from its best (7 m/s of loss), and the payload rose
with orbit altitude at some 5 km steps; a third round settles it. Rounds after the second search the
pitch-over only near the last one (:data:`KICK_POLISH`), not over the whole grid again."""

KICK_POLISH = 0.15
"""Half-width [log deg] of the pitch-over pass of the third and later shape-search rounds: the fine pass
(7 points and a parabola) spans ``log(kick) +- KICK_POLISH`` around the last round's pitch-over (about
half the coarse grid's spacing on either side)."""

Q_CROSS_ITERATIONS = 2
"""Regula-falsi iterations of the time inside a march step at which the dynamic pressure falls through
``q_switch`` (guidance starts there), from the straight line between the step's ends: each flies the
step's first piece once more. A fixed number (the compiled kernel and the numpy reference take the same
steps); each iteration is continuous in the state, so the losses stay continuous in the trajectory
parameters."""
