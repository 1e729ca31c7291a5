"""The ``sweep:`` section of a scenario: grid / zip / Monte Carlo / Latin-hypercube case sets.

Two steps, both with file:line:path errors:

1. :class:`SweepSpec` (pydantic) checks the *shape* of the section (one of ``grid``, ``zip``,
   ``monte_carlo``, ``lhs``; distribution keys; options) as part of ``ScenarioDoc``.
2. :func:`.sweep_resolve.resolve_sweep` checks every *parameter path* against the scenario's resolved vehicle
   (``vehicle.stages[0].engine.isp_vac`` must exist and be a sweepable number), reads values with
   units (``"311 s"``, ``"120 t"``; bare numbers are in the scenario defaults: t, kN, s, deg), checks
   their physical range, and returns a :class:`ResolvedSweep` (SI floats, pickleable).

:class:`ResolvedSweep` generates cases lazily: :meth:`ResolvedSweep.case_values` returns the
parameter values of cases ``[lo, hi)`` only, so a 1e8-case sweep is never materialised.

Randomness (Monte Carlo and LHS) is drawn in fixed *generation blocks* of :data:`RNG_BLOCK` cases;
block ``b`` uses the stream ``SeedSequence(seed, spawn_key=(b,))``. Case ``i``'s values therefore
depend only on ``(seed, i)``, not on the chunk size, the backend or the order chunks run in.
Monte Carlo draws uniforms and maps them through each distribution's inverse CDF; LHS draws a
Latin hypercube per block (:class:`scipy.stats.qmc.LatinHypercube`, seeded from the block stream)
and maps it the same way, so each block of :data:`RNG_BLOCK` consecutive cases (and the whole set
when ``samples <= RNG_BLOCK``) is a Latin hypercube.

Parameter paths are registered by prefix (:data:`PATH_PREFIXES`): ``vehicle.`` paths are evaluated
by the vehicle evaluator of :mod:`jointmission.runners.sweep`; ``mission.`` paths are reserved for
the mission-budget evaluator (:data:`MISSION_FIELDS`: margins; :data:`MISSION_QUANTITIES`:
``required_payload``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import Discriminator, Field, Tag, model_validator

from ..fields import FIELDS, KINDS, MISSION_SWEEP_KINDS, TARGET_SWEEP_KINDS
from ._base import _err, _Strict

__all__ = [
    "SweepSpec",
    "ResolvedSweep",
    "ParamInfo",
    "RNG_BLOCK",
    "SWEEPABLE_FIELDS",
    "PATH_PREFIXES",
    "LOSS_MODELS",
    "result_columns",
]

RNG_BLOCK = 65536
"""Cases per random-generation block (Monte Carlo / LHS): block ``b`` is drawn from
``SeedSequence(seed, spawn_key=(b,))``."""

MAX_CHUNK = 2_000_000
"""Most cases per chunk: a chunk is evaluated in memory (~0.6 GB of temporaries per million cases)."""

MAX_CASES = 10_000_000_000
"""Most cases of a sweep (grid product; the ``samples`` limit of Monte Carlo / LHS)."""

LOSS_MODELS = ("auto", "recompute", "interpolate", "nominal")
"""How a sweep gets the ascent losses of each case (see docs/method-sweeps.md)."""

#: Sweepable vehicle field -> (units.to_si kind, scenario default unit, display unit, rule), from the
#: one registry of vehicle field kinds (:data:`jointmission.vehicles.fields.FIELDS`, which also holds
#: each field's physical range). Rules: positive, fraction (0, 1], integer (a count), latitude.
SWEEPABLE_FIELDS: dict[str, tuple[str, str, str, str]] = {
    name: (k.si_kind, k.scenario_unit, k.scenario_unit,
           "integer" if k.integer else "latitude" if name == "latitude" else
           "fraction" if k.hi == 1.0 and k.si_kind == "dimensionless" else "positive")
    for name, k in FIELDS.items() if name != "min_throttle"
}

ENGINE_CHOICE = "engine"
"""Last key of a categorical engine-choice path (``vehicle.stages[0].engine``, ``vehicle.boosters.engine``)."""

PATH_PREFIXES: dict[str, str | None] = {
    "vehicle": "vehicle parameters (stages, engines, boosters, fairing, launch site)",
    "mission": "mission-budget margins and the required payload of the scenario's mission: section",
    "targets": "target parameters: targets[i].c3, targets[i].dla, targets[i].parking.altitude (C3 targets), "
               "targets[i].orbit.altitude (circular orbit targets)",
    "programme": "provider assignments (programme.providers.*: partner names) and cost-model options "
                 "(programme.cost.*) of the scenario's programme: section",
}
"""Registry of parameter-path prefixes -> what they parameterise (``None``: not sweepable yet).
The runner registers one evaluator per prefix (:data:`jointmission.runners.sweep_eval.EVALUATORS`)."""

#: Sweepable mission fields (path inside ``mission:``) -> (lower, upper bound) of the fraction, from the
#: one registry of field kinds (:data:`jointmission.fields.MISSION_SWEEP_KINDS`, the kinds of the scalar
#: fields); the upper bound is inclusive, except for ``propellant_reserve`` (below 100 %, see
#: :data:`MISSION_OPEN_HI`).
MISSION_FIELDS: dict[tuple, tuple[float, float]] = {
    keys: (KINDS[k].lo, KINDS[k].hi) for keys, k in MISSION_SWEEP_KINDS.items()
    if KINDS[k].si_kind == "dimensionless"
}
#: Mission fields whose upper bound is excluded (propellant kept unburned: 100 % would burn nothing).
MISSION_OPEN_HI = frozenset(keys for keys in MISSION_FIELDS if KINDS[MISSION_SWEEP_KINDS[keys]].hi_open)

#: Sweepable target quantities (path inside ``targets[i]``) -> (units.to_si kind, scenario default unit,
#: display unit, rule), as :data:`SWEEPABLE_FIELDS`; the rule is ``"target:<kind key>"`` (the range of
#: :data:`jointmission.fields.KINDS`, as the scalar target fields).
TARGET_QUANTITIES: dict[tuple, tuple[str, str, str, str]] = {
    keys: (KINDS[k].si_kind, KINDS[k].scenario_unit, KINDS[k].scenario_unit, f"target:{k}")
    for keys, (k, _) in TARGET_SWEEP_KINDS.items()
}

#: Sweepable mission quantities with a unit (path inside ``mission:``) -> (units.to_si kind, scenario
#: default unit, display unit, rule), as :data:`SWEEPABLE_FIELDS`, from the same registry. The rule is
#: the kind key. ``required_payload``: a mass in [0, :data:`~jointmission.fields.MAX_REQUIRED_PAYLOAD_KG`],
#: the scalar's range (0 t: the bare mission; 10,000 t: the plausibility bound); a swept required
#: payload makes every architecture a backward budget (launches needed for that payload), as the scalar
#: ``mission.required_payload`` does.
MISSION_QUANTITIES: dict[tuple, tuple[str, str, str, str]] = {
    keys: (KINDS[k].si_kind, KINDS[k].scenario_unit, KINDS[k].scenario_unit, k)
    for keys, k in MISSION_SWEEP_KINDS.items() if KINDS[k].si_kind != "dimensionless"
}


# ------------------------------------------------------------------------------------ pydantic
class RangeSpec(_Strict):
    """``{start, stop, num}`` (inclusive, evenly spaced) or ``{start, stop, step}`` (inclusive of
    ``stop`` when it falls on a step)."""

    start: Any
    stop: Any
    num: Any = None
    step: Any = None

    @model_validator(mode="after")
    def _one_of(self) -> RangeSpec:
        if (self.num is None) == (self.step is None):
            raise _err("num", "a range needs exactly one of 'num' (number of points) or 'step'")
        n = self.num
        if isinstance(n, float) and n.is_integer() and abs(n) < 2**53:  # 1e3 is a whole number
            n = int(n)
            object.__setattr__(self, "num", n)
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_AXIS_POINTS):
            raise _err("num", f"'num' is the number of points of the range, a whole number from 1 to "
                              f"{MAX_AXIS_POINTS:,} (num: 1 gives just 'start'), got {n!r}")
        return self


#: Points of one grid axis (a range's ``num``, or what its ``step`` gives).
MAX_AXIS_POINTS = 10_000_000


def _grid_axis_kind(value: Any) -> str:
    """Discriminator of a grid axis: a mapping is a range, anything else is checked as a list (so
    an error names only what the value was meant to be, not both alternatives)."""
    return "range" if isinstance(value, dict) else "list"


GridAxis = Annotated[Union[Annotated[list[Any], Tag("list")], Annotated[RangeSpec, Tag("range")]],
                     Discriminator(_grid_axis_kind)]


class _Dist(_Strict):
    distribution: str


class NormalDist(_Dist):
    """``{distribution: normal, mean?: <nominal>, std}``."""

    distribution: Literal["normal"]
    mean: Any = None
    std: Any


class UniformDist(_Dist):
    """``{distribution: uniform, low, high}``."""

    distribution: Literal["uniform"]
    low: Any
    high: Any


class TriangularDist(_Dist):
    """``{distribution: triangular, low, mode?: <nominal>, high}``."""

    distribution: Literal["triangular"]
    low: Any
    mode: Any = None
    high: Any


class LognormalDist(_Dist):
    """``{distribution: lognormal, median?: <nominal>, sigma}`` (``sigma``: std of ln(x), unitless)."""

    distribution: Literal["lognormal"]
    median: Any = None
    sigma: Annotated[float, Field(gt=0, le=5)]


Distribution = Annotated[Union[NormalDist, UniformDist, TriangularDist, LognormalDist],
                         Field(discriminator="distribution")]

DISTRIBUTION_FORMS: dict[str, str] = {"normal": "std, mean?", "uniform": "low, high",
                                      "triangular": "low, high, mode?", "lognormal": "sigma, median?"}
"""The keys of each distribution of a sampled parameter, for messages (``?``: optional, the vehicle's
value by default)."""


class SampledSpec(_Strict):
    """``monte_carlo:`` / ``lhs:`` -- ``samples``, ``seed`` and one distribution per parameter path."""

    samples: Annotated[int, Field(ge=1, le=10_000_000_000)]
    seed: Annotated[int, Field(ge=0)]
    parameters: Annotated[dict[str, Distribution], Field(min_length=1)]


DEFAULT_COST_PERCENTILES = (10.0, 50.0, 70.0, 80.0, 90.0)
"""Cost percentiles reported by default: the median, P70 (NASA budgets programmes and projects at a 70 %
joint cost and schedule confidence level: NPR 7120.5E, 2012; NASA Cost Estimating Handbook v4.0, 2015,
Appendix J), P80 as a more conservative level, and P10 / P90 for the spread."""


class CostUncertaintySpec(_Strict):
    """``cost_uncertainty: {draws, seed, percentiles?}`` -- Monte Carlo over the cost-estimating
    relationships' stated uncertainty: ``draws`` sets of CER multipliers (seeded), the same sets for
    every case, giving cost percentiles per case and partner."""

    draws: Annotated[int, Field(ge=2, le=100_000)]
    seed: Annotated[int, Field(ge=0)]
    percentiles: Annotated[list[Annotated[float, Field(gt=0, lt=100)]], Field(min_length=1, max_length=12)] = \
        Field(default_factory=lambda: list(DEFAULT_COST_PERCENTILES))


class SweepSpec(_Strict):
    """``sweep:`` -- exactly one of ``grid``, ``zip``, ``monte_carlo``, ``lhs``, plus options.

    ``grid``: path -> list of values or a range (cartesian product, first path slowest).
    ``zip``: path -> list of values, all of the same length (case k takes the k-th of each).
    ``losses``: ascent-loss model (:data:`LOSS_MODELS`). ``loss_check``: cases re-run with the full
    ascent model to measure a surrogate's payload error. ``chunk_size``: cases per result file.
    ``objectives``: result column -> ``max``/``min`` for the Pareto front (two or more).
    ``cost_uncertainty``: Monte Carlo draws of the cost relationships (needs a ``programme:`` section).
    """

    grid: Annotated[dict[str, GridAxis], Field(min_length=1)] | None = None
    zip: Annotated[dict[str, list[Any]], Field(min_length=1)] | None = None
    monte_carlo: SampledSpec | None = None
    lhs: SampledSpec | None = None
    losses: Literal["auto", "recompute", "interpolate", "nominal"] = "auto"
    loss_check: Annotated[int, Field(ge=0, le=10_000)] = 16
    chunk_size: Annotated[int, Field(ge=1, le=2_000_000)] | None = None  # MAX_CHUNK: ~0.6 GB per 1e6 cases
    objectives: dict[str, Literal["max", "min"]] | None = None
    cost_uncertainty: CostUncertaintySpec | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SweepSpec:
        given = [k for k in ("grid", "zip", "monte_carlo", "lhs") if getattr(self, k) is not None]
        if len(given) != 1:
            what = ", ".join(given) if given else "none"
            raise _err(given[1] if len(given) > 1 else None,
                       f"a sweep needs exactly one of grid, zip, monte_carlo, lhs (got {what}); "
                       "run several scenarios for several sweeps")
        if self.objectives is not None and len(self.objectives) < 2:
            raise _err("objectives", "a Pareto front needs two or more objectives, e.g. "
                                     "{payload_t: max, liftoff_mass_t: min}")
        return self

    @property
    def kind(self) -> str:
        """``grid``, ``zip``, ``monte_carlo`` or ``lhs``."""
        return next(k for k in ("grid", "zip", "monte_carlo", "lhs") if getattr(self, k) is not None)


# ------------------------------------------------------------------------------------ resolved
@dataclass(frozen=True)
class ParamInfo:
    """One swept parameter: its path, units and nominal value.

    Attributes
    ----------
    path : str
        As written, e.g. ``vehicle.stages[0].engine.isp_vac``.
    keys : tuple
        Path inside the vehicle, e.g. ``("stages", 0, "engine", "isp_vac")``.
    kind, unit : str
        :func:`jointmission.units.to_si` kind and the display unit of result columns.
    scale : float
        SI value of one display unit (``1000`` for t, kN; ``pi/180`` for deg).
    nominal : float
        The scenario vehicle's value [SI].
    integer : bool
        Counts (booster count, engine count).
    prefix : str
        ``vehicle``, ``mission`` or ``targets`` (which evaluator the parameter feeds). For ``targets``,
        ``keys`` is ``(target index, *path inside the target)``, e.g. ``(0, "c3")``.
    categories : tuple of str
        For an engine choice (``vehicle.stages[0].engine``): the catalog engine names of the axis;
        the parameter's values are indices into it (results show the names).
    above, abs_max : float
        Target parameters: values must be above ``above`` [SI] (a C3: the energy of its circular
        parking orbit, -GM/r) and at most ``abs_max`` in magnitude (a DLA: what a stated parking
        inclination holds, ``min(i, 180 deg - i)``).
    """

    path: str
    keys: tuple
    kind: str
    unit: str
    scale: float
    nominal: float
    integer: bool = False
    prefix: str = "vehicle"
    categories: tuple = ()
    above: float = -math.inf
    abs_max: float = math.inf


@dataclass(frozen=True)
class ResolvedSweep:
    """A validated sweep in SI units: parameters, how cases are generated, options.

    ``axes`` (grid: values per parameter), ``columns`` (zip: values per parameter) or ``dists``
    (monte_carlo / lhs: ``(name, args)`` per parameter, SI) describe the cases.
    """

    kind: str
    params: tuple[ParamInfo, ...]
    n_cases: int
    losses: str
    loss_check: int
    chunk_size: int | None
    objectives: tuple[tuple[str, str], ...] | None
    axes: tuple[np.ndarray, ...] = ()
    columns: tuple[np.ndarray, ...] = ()
    dists: tuple[tuple[str, tuple[float, ...]], ...] = ()
    seed: int | None = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)
    cost_draws: int = 0
    cost_seed: int | None = None
    cost_percentiles: tuple[float, ...] = ()

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape (one axis per parameter); ``(n_cases,)`` otherwise."""
        return tuple(len(a) for a in self.axes) if self.kind == "grid" else (self.n_cases,)

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.params]

    def case_values(self, lo: int, hi: int) -> np.ndarray:
        """Parameter values [SI] of cases ``lo .. hi-1``, shape ``(hi - lo, n_params)``.

        Sampled sweeps return a column-major (Fortran-ordered) array: every parameter's column is
        contiguous, as the per-case evaluation reads them."""
        lo, hi = int(lo), int(min(hi, self.n_cases))
        m = max(hi - lo, 0)
        d = len(self.params)
        if self.kind == "grid":
            idx = np.unravel_index(np.arange(lo, hi, dtype=np.int64), self.shape)
            return np.stack([ax[i] for ax, i in zip(self.axes, idx)], axis=-1).reshape(m, d)
        if self.kind == "zip":
            return np.stack([c[lo:hi] for c in self.columns], axis=-1).reshape(m, d)
        u = self._uniforms(lo, hi)
        out = np.empty((d, m))
        for j, (name, args) in enumerate(self.dists):  # loop over parameters, not cases
            out[j] = _ppf(name, args, u[j])
        return out.T

    def _uniforms(self, lo: int, hi: int) -> np.ndarray:
        """Uniforms of cases ``lo .. hi-1`` as ``(n_params, hi - lo)`` rows (parameter-major)."""
        d = len(self.params)
        out = np.empty((d, max(hi - lo, 0)))
        for b in range(lo // RNG_BLOCK, (hi - 1) // RNG_BLOCK + 1 if hi > lo else lo // RNG_BLOCK):
            b0 = b * RNG_BLOCK
            size = min(RNG_BLOCK, self.n_cases - b0)
            a, z = max(lo - b0, 0), min(hi - b0, size)
            u = _block_uniforms(self.kind, self.seed, b, size, d)  # (size, d): the block's stream
            out[:, b0 + a - lo: b0 + z - lo] = u[a:z].T
        return out

    def fit_box(self, coverage: float = 0.999) -> tuple[np.ndarray, np.ndarray]:
        """Per-parameter range [SI] the case values lie in (sampled: the central ``coverage``
        interval of each distribution). Used to place the loss-surrogate design points."""
        if self.kind == "grid":
            return np.array([a.min() for a in self.axes]), np.array([a.max() for a in self.axes])
        if self.kind == "zip":
            return np.array([c.min() for c in self.columns]), np.array([c.max() for c in self.columns])
        q = (1.0 - coverage) / 2.0
        lo = np.array([_ppf(n, a, np.array([q]))[0] for n, a in self.dists])
        hi = np.array([_ppf(n, a, np.array([1.0 - q]))[0] for n, a in self.dists])
        # uniform / triangular supports are exact
        for j, (n, a) in enumerate(self.dists):
            if n in ("uniform", "triangular"):
                lo[j], hi[j] = a[0], a[-1]
        return lo, hi

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map uniforms ``u`` (m, n_params) in [0, 1) to parameter values [SI] (sampled sweeps)."""
        return np.stack([_ppf(n, a, u[:, j]) for j, (n, a) in enumerate(self.dists)], axis=-1)

    def identity(self) -> dict:
        """Plain data that fixes the case set (for the run manifest)."""
        out: dict[str, Any] = {"kind": self.kind, "n_cases": self.n_cases, "paths": self.paths,
                               "losses": self.losses, "loss_check": self.loss_check}
        # axes / columns by digest: a 1e7-value axis as a JSON list costs GBs of memory
        if self.kind == "grid":
            out["axes"] = [_digest(a) for a in self.axes]
        elif self.kind == "zip":
            out["columns"] = [_digest(c) for c in self.columns]
        else:
            out["dists"] = [[n, list(a)] for n, a in self.dists]
            out["seed"] = self.seed
            out["rng_block"] = RNG_BLOCK
        if self.cost_draws:
            out["cost_uncertainty"] = {"draws": self.cost_draws, "seed": self.cost_seed,
                                       "percentiles": list(self.cost_percentiles)}
        return out


def _digest(values: np.ndarray) -> str:
    """Size and SHA-256 of an array of values (little-endian float64), for :meth:`ResolvedSweep.identity`."""
    import hashlib

    a = np.ascontiguousarray(values, dtype="<f8")
    return f"{a.size}:{hashlib.sha256(a.tobytes()).hexdigest()}"


def _block_uniforms(kind: str, seed: int, block: int, size: int, d: int) -> np.ndarray:
    ss = np.random.SeedSequence(seed, spawn_key=(block,))
    if kind == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, seed=np.random.default_rng(ss)).random(size)
    return np.random.default_rng(ss).random((size, d))


def _ppf(name: str, args: tuple[float, ...], u: np.ndarray) -> np.ndarray:
    """Inverse CDF of the named distribution (args in SI) at uniforms ``u``."""
    from scipy import special

    u = np.asarray(u, dtype=float)
    if name == "normal":
        mean, std = args
        return mean + std * special.ndtri(u)
    if name == "lognormal":
        median, sigma = args
        return median * np.exp(sigma * special.ndtri(u))
    if name == "uniform":
        low, high = args
        return low + (high - low) * u
    if name == "triangular":
        low, mode, high = args
        width = high - low
        c = (mode - low) / width
        # one square root per case (same operations per element as the two-branch form)
        left = u < c
        t = np.where(left, u, 1.0 - u)
        t *= width
        t *= np.where(left, mode - low, high - mode)
        np.sqrt(t, out=t)
        return np.where(left, low + t, high - t)
    raise ValueError(f"unknown distribution {name!r}")  # pragma: no cover - schema forbids


def result_columns(param_paths, target_names) -> list[tuple[str, str]]:
    """Columns ``(name, unit)`` of a sweep's result table, in order: ``case``, one per swept
    parameter (named by its path, in its display unit), ``liftoff_mass_t`` (without payload), and per
    target ``payload_t[<target>]``, ``status[<target>]`` (PerformanceStatus code) and
    ``dv_required_km_s[<target>]``."""
    cols = [("case", "")] + [(p, "") for p in param_paths] + [("liftoff_mass_t", "t")]
    for t in target_names:
        cols += [(f"payload_t[{t}]", "t"), (f"status[{t}]", ""), (f"dv_required_km_s[{t}]", "km/s")]
    return cols
