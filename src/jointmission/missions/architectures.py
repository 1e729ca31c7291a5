"""Mission architectures evaluated as budgets (:mod:`.budget`) fed by launcher capabilities.

An :class:`Architecture` is a :class:`~.budget.Mission` (members and phases) plus, per launch, what
the launcher delivers to (a C3 such as trans-lunar injection, or a circular LEO) and which launches
may be "filled" to the launcher's capability. Architectures are data: each is a concept file of the
library ``scenarios/concepts/`` (the format: docs/concepts.md; :mod:`.concept`), turned into an
:class:`Architecture` by :func:`build` (:mod:`.concept_build`). :func:`evaluate` takes the launcher
capability for every delivery target (arrays over launcher variants) and returns the payload
landed, the mass of every launch, the number of heavy launches and a status per case --
vectorized, no loop over cases.

Forward with several launches: each fillable launch is tried as *the* constraint (its delivered mass
= capability, a linear solve); a solution is feasible when every other launch fits its launcher; the
payload is the smallest feasible one (the budgets are linear and monotone, so that is the one where
the binding launch is full). Backward (``required_payload_kg``): the delivered mass of every launch
for that payload, and the heavy launches needed = sum of ceil(mass / capability) per launch (a launch
that exceeds one launcher is assumed split over several with Earth-orbit assembly). An element whose
load is "what its launch lifts" (a tanker) gets, per case, the load that fills its launch to the
capability: ``(capability - fixed mass of the rest of the launch - (1 + growth) dry) / (1 + (1 +
growth) dry_fraction)``; where that is not positive the launch cannot lift its fixed content
(``LAUNCH_OVERLOADED``).

The seven classic architectures (:data:`ARCHITECTURES`): ``moon_direct``, ``moon_lor_single``,
``moon_lor_two_launch``, ``moon_eor_two_launch``, ``moon_nrho``, ``mars_cargo`` (aerocapture or
propulsive capture), ``mars_crewed``; each explained in docs/concepts.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..vehicles.targets import DEFAULT_PARKING_ALT_M, Target
from .budget import BudgetResult, BudgetStatus, Margins, _solve_budgets, solve_budget

_DAY = 86400.0

__all__ = [
    "MOON_ARCHITECTURES",
    "MARS_ARCHITECTURES",
    "ARCHITECTURES",
    "Delivery",
    "Architecture",
    "ArchitectureResult",
    "build",
    "evaluate",
]

MOON_ARCHITECTURES = ("moon_direct", "moon_lor_single", "moon_lor_two_launch", "moon_eor_two_launch", "moon_nrho")
MARS_ARCHITECTURES = ("mars_cargo", "mars_crewed")
ARCHITECTURES = MOON_ARCHITECTURES + MARS_ARCHITECTURES

DESCRIPTIONS = {
    "moon_direct": "single launch, direct landing (cargo)",
    "moon_lor_single": "single launch, lunar-orbit rendezvous (Apollo-style)",
    "moon_lor_two_launch": "two launches, lunar-orbit rendezvous (lander + crew ship)",
    "moon_eor_two_launch": "two launches, Earth-orbit rendezvous (departure stage + stack)",
    "moon_nrho": "two launches, NRHO-staged (lander + crew ship meet in NRHO)",
    "mars_cargo": "single launch, Mars cargo lander",
    "mars_crewed": "crewed conjunction-class round trip (assembled in LEO)",
}


def Delivery(kind: str, c3_m2_s2: float = 0.0, parking_alt_m: float = DEFAULT_PARKING_ALT_M) -> Target:  # noqa: N802
    """Where a launch delivers its content, as the one target type
    :class:`~jointmission.vehicles.targets.Target`: ``kind="c3"`` is ``Target.c3(c3_m2_s2,
    parking_alt_m)`` (TLI, TMI from a circular parking orbit [m]); ``kind="leo"`` is the circular orbit
    ``Target.orbit(parking_alt_m)``."""
    if kind == "c3":
        return Target.c3(c3_m2_s2, parking_alt_m)
    if kind == "leo":
        return Target.orbit(parking_alt_m)
    raise ValueError(f"delivery kind must be 'c3' or 'leo', got {kind!r}")


@dataclass(frozen=True)
class Architecture:
    """A mission plus its launches: ``deliveries`` launch name -> delivery
    :class:`~jointmission.vehicles.targets.Target`; ``fillable``
    launches may be filled to the launcher's capability in a forward budget."""

    name: str
    description: str
    mission: Mission
    deliveries: dict[str, Target]
    fillable: tuple[str, ...]
    crewed: bool
    destination: str
    notes: dict[str, Any] = field(default_factory=dict)
    launch_filled: dict[str, str] = field(default_factory=dict)
    """Element -> launch: elements whose propellant load is what their launch lifts (a tanker
    filled to the launcher's capability); computed per case by :func:`evaluate`."""
    launchers: dict[str, str] = field(default_factory=dict)
    """Launch -> catalog vehicle flying it whatever launcher is traded (a commercial tanker
    launcher, say); the other launches fly the launcher being evaluated."""


@dataclass
class ArchitectureResult:
    """Per case: ``payload_kg`` (landed; NaN if infeasible), ``status`` (int8 BudgetStatus),
    ``launch_mass_kg`` and ``capability_kg`` per launch, ``launches`` (heavy launches per mission),
    ``binding`` (name of the full launch), ``budget`` (the chosen :class:`BudgetResult` per case is
    spread over the candidates: use :meth:`phase_table`). ``launch_mass_kg`` (a mapping) and
    ``binding`` (an object array of names) are computed on first access."""

    architecture: Architecture
    payload_kg: np.ndarray
    status: np.ndarray
    capability_kg: dict[str, np.ndarray]
    launches: np.ndarray
    budgets: dict[str, BudgetResult]
    binding_code: Callable[[], np.ndarray] | None = field(default=None, repr=False, compare=False)
    """Per case 0 (no launch binds) or ``j + 1`` (``architecture.fillable[j]`` binds), computed when
    called; ``None`` for a backward budget (no launch is filled)."""

    @cached_property
    def _code(self) -> np.ndarray:
        return self.binding_code()

    @cached_property
    def binding(self) -> np.ndarray:
        """Per case, the name of the launch filled to capability (object array; ``""`` for none)."""
        shape = np.shape(self.payload_kg)
        if self.binding_code is None:
            return np.full(shape, "", dtype=object)
        names = np.array(["", *self.architecture.fillable], dtype=object)
        return names[self._code.reshape(-1)].reshape(shape)

    @cached_property
    def launch_mass_kg(self) -> dict[str, np.ndarray]:
        """Delivered mass [kg] per launch name: the backward budget's, or the binding candidate's
        (NaN where none binds)."""
        if self.binding_code is None:
            b = self.budgets["backward"]
            return {ln: np.asarray(b.launch_mass_kg[ln]) for ln in self.architecture.deliveries}
        shape = np.shape(self.payload_kg)
        out = {}
        for other in self.architecture.deliveries:
            m = np.full(shape, np.nan)
            for j, ln in enumerate(self.architecture.fillable):
                sel = self._code == j + 1
                if sel.any():
                    np.copyto(m, np.broadcast_to(self.budgets[ln].launch_mass_kg[other], shape), where=sel)
            out[other] = m
        return out

    def phase_sum(self, key: str) -> np.ndarray:
        """Per case, the sum over phases of ``key`` (``dv_m_s``, ``propellant_kg``, ``boiloff_kg``,
        ``dropped_kg``) in the binding solution (NaN where no solution)."""
        out = np.full(np.shape(self.payload_kg), np.nan)
        for name, b in self.budgets.items():  # one or two candidate solutions, not cases
            sel = np.ones(out.shape, dtype=bool) if name == "backward" else (self.binding == name)
            out = np.where(sel, np.sum(np.asarray(b.phase_data[key]), axis=-1), out)
        return out

    @cached_property
    def unused_propellant_kg(self) -> np.ndarray:
        """Per case, the propellant [kg] left above residual + reserve in the elements when they
        are dropped, summed (:attr:`BudgetResult.unused_propellant_kg`), in the binding solution
        (NaN where no solution): e.g. what a depot filled by more tanker launches than the mission
        needs keeps."""
        out = np.full(np.shape(self.payload_kg), np.nan)
        for name, b in self.budgets.items():  # one or two candidate solutions, not cases
            sel = np.ones(out.shape, dtype=bool) if name == "backward" else (self.binding == name)
            total = sum((np.asarray(v) for v in b.unused_propellant_kg.values()), np.zeros(out.shape))
            # rounding of "exactly empty" (|x| ~ 1e-12 kg) is no propellant
            out = np.where(sel & (self.status == 0), np.maximum(total, 0.0), out)
        return out

    def phase_table(self, index=()) -> list[dict[str, Any]]:
        """Phase rows (see :meth:`BudgetResult.phase_table`) of the binding solution of one case."""
        idx = (index,) if isinstance(index, int) else tuple(index)
        b = str(np.asarray(self.binding)[idx]) if np.ndim(self.binding) else str(self.binding)
        key = b if b in self.budgets else next(iter(self.budgets))
        return self.budgets[key].phase_table(idx)


# ------------------------------------------------------------------------------------- building
_OLD_PARAMS = {
    "tli_c3_m2_s2": ("tli_c3", 1.0), "parking_alt_m": ("parking_altitude", 1.0),
    "arrival_vinf_m_s": ("arrival_vinf", 1.0), "llo_altitude_m": ("llo_altitude", 1.0),
    "descent_dv_m_s": ("descent_dv", 1.0), "ascent_dv_m_s": ("ascent_dv", 1.0),
    "rendezvous_dv_m_s": ("rendezvous_dv", 1.0), "tei_dv_m_s": ("tei_dv", 1.0),
    "nrho_insertion_dv_m_s": ("nrho_insertion_dv", 1.0), "nrho_llo_dv_m_s": ("nrho_llo_dv", 1.0),
    "nrho_departure_dv_m_s": ("nrho_departure_dv", 1.0), "transit_days": ("transit", _DAY),
    "surface_days": ("surface_stay", _DAY), "lunar_orbit_wait_days": ("lunar_orbit_wait", _DAY),
    "leo_loiter_days": ("leo_loiter", _DAY), "crew_kg": ("crew", 1.0), "tmi_c3_m2_s2": ("tmi_c3", 1.0),
    "landed_fraction": ("landed_fraction", 1.0), "heatshield_fraction": ("heatshield_fraction", 1.0),
    "cruise_days": ("cruise", _DAY), "terminal_descent_dv_m_s": ("terminal_descent_dv", 1.0),
    "mars_stay_days": ("mars_stay", _DAY), "return_vinf_m_s": ("return_vinf", 1.0),
    "transit_habitat_kg": ("transit_habitat", 1.0), "earth_return_capsule_kg": ("earth_return_capsule", 1.0),
}
"""Keyword parameters of :func:`build` (SI, unit in the name) -> (concept parameter, factor to SI)."""

_OLD_ELEMENT_FIELDS = {"isp_s": "isp", "dry_kg": "dry_mass", "dry_fraction": "dry_fraction",
                       "propellant_kg": "propellant", "capacity_kg": "capacity", "boiloff_per_day": "boiloff_per_day",
                       "residual_fraction": "residual", "propellant": "propellant_type"}


def _element_overrides(over: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{key: {isp_s: ...}}`` (the names of :func:`~.elements.element`) -> concept field names."""
    out: dict[str, dict[str, Any]] = {}
    for key, fields in over.items():
        d: dict[str, Any] = {}
        for f, v in fields.items():
            if f == "propellant_kg" and v is None:
                d["propellant"] = "sized"
            elif v is not None:
                d[_OLD_ELEMENT_FIELDS.get(f, f)] = v
        out[key] = d
    return out


def build(arch: str, **params: Any) -> Architecture:
    """The :class:`Architecture` of concept ``arch`` (a shipped concept, ``scenarios/concepts/``;
    :data:`ARCHITECTURES` are the seven classic ones). ``params`` (SI) override the concept's
    values: the concept's own parameter names, or the classic keywords ``tli_c3_m2_s2``,
    ``parking_alt_m``, ``arrival_vinf_m_s``, ``llo_altitude_m``, ``descent_dv_m_s``, ``ascent_dv_m_s``,
    ``tei_dv_m_s``, ``transit_days``, ``surface_days``, ``lunar_orbit_wait_days``, ``leo_loiter_days``,
    ``crew_kg``; Mars: ``tmi_c3_m2_s2``, ``arrival_vinf_m_s``, ``capture`` (``aerocapture`` /
    ``propulsive``), ``landed_fraction``, ``heatshield_fraction``, ``cruise_days``,
    ``terminal_descent_dv_m_s``; ``elements`` = ``{element key or name: {isp_s, dry_kg, dry_fraction,
    propellant_kg, capacity_kg, ...}}``; ``choice`` = ``{choice: option}``; ``phases`` = ``{phase name:
    {dv, days, ...}}``. Parameters a concept does not have are ignored (one parameter set serves every
    architecture of a scenario), and so are those the chosen options do not use (an arrival speed
    with aerocapture). Per-case arrays are checked per case by :func:`evaluate` (``INVALID_INPUT``);
    a launch count (``n_tankers``) shapes the flight plan: one whole number from 0 to 1000, else a
    ``ValueError`` naming it.

    A pure function: no ephemeris. Without parameters a Mars concept flies its concept file's assumed
    transfer (C3 9 km^2/s^2, arrival v_inf 4 km/s) and the data file's 200-day cruise and 15 % heat
    shield. A run (``jointmission run``, :func:`jointmission.run`) passes the transfer that
    ``mission.mars.objective`` chooses -- its C3, arrival speed, time of flight (``cruise_days``)
    and scaled heat shield -- and charges its DLA in the launcher capability; pass those to
    reproduce a run's case."""
    from .concept_build import build_concept
    from .concept_library import library_concept

    try:
        concept = library_concept(arch)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    choice = dict(params.pop("choice", None) or {})
    if "capture" in params:
        cap = params.pop("capture")
        if "capture" in concept.choices:
            if cap not in concept.choices["capture"].options:
                raise ValueError(f"capture must be one of {', '.join(concept.choices['capture'].options)}, got {cap!r}")
            choice["capture"] = cap
    elements = _element_overrides(params.pop("elements", None) or {})
    phases = params.pop("phases", None)
    values: dict[str, Any] = {}
    for k, v in params.items():
        name, factor = _OLD_PARAMS.get(k, (k, 1.0))
        if name in concept.parameters:
            values[name] = v * factor if factor != 1.0 else v
    _check_translunar(concept, values)
    return from_concept(concept, values, choice=choice, elements=elements, phases=phases)


def _check_translunar(concept: Any, values: dict[str, Any]) -> None:
    """ValueError if a concept's trans-lunar injection (``tli_c3`` from ``parking_altitude``, the values
    given else the concept's) turns back before the Moon in any case (:func:`.lunar_legs.min_tli_c3`):
    there is no arrival to capture from, which would read as a launcher that cannot reach its target."""
    from .lunar_legs import min_tli_c3

    prm = concept.parameters
    if "tli_c3" not in prm or not ({"tli_c3", "parking_altitude"} & set(values)):
        return
    c3 = np.asarray(values.get("tli_c3", prm["tli_c3"].value), dtype=float)
    park = np.asarray(values.get("parking_altitude", prm["parking_altitude"].value if "parking_altitude" in prm
                                 else DEFAULT_PARKING_ALT_M), dtype=float)
    floor = np.asarray(min_tli_c3(park))
    with np.errstate(invalid="ignore"):
        short = np.asarray(c3 < floor)
    if short.any():
        i = int(np.argmax(short.ravel()))  # the first case below the least C3
        c, p, f = (float(np.broadcast_to(x, short.shape).ravel()[i]) for x in (c3, park, floor))
        raise ValueError(f"{concept.name}: a trans-lunar injection to C3 {c / 1e6:.4g} km^2/s^2 (tli_c3_m2_s2) from a "
                         f"{p / 1e3:,.0f} km parking orbit (parking_alt_m) does not reach the Moon: the least C3 from "
                         f"there is {np.ceil(f / 1e3) / 1e3:.4g} km^2/s^2")


def from_concept(concept: Any, params: dict[str, Any] | None = None, *, choice: dict[str, str] | None = None,
                 elements: dict[str, dict[str, Any]] | None = None,
                 phases: dict[str, dict[str, Any]] | None = None) -> Architecture:
    """The :class:`Architecture` of a parsed :class:`~.concept.Concept` (a shipped one, or one a
    scenario defines), with parameter values ``params`` [SI, floats or per-case arrays], options
    ``choice``, element and phase overrides (see :func:`~.concept_build.build_concept`)."""
    from .concept_build import build_concept

    b = build_concept(concept, params, choice=choice, elements=elements, phases=phases)
    return Architecture(concept.name, concept.description, b.mission, b.deliveries, b.fillable, concept.crewed,
                        concept.destination, notes=b.notes, launch_filled=b.launch_filled, launchers=b.launchers)


@functools.cache
def elements_used(arch: str) -> frozenset[str]:
    """Keys of the generic elements (:data:`~jointmission.missions.elements.ELEMENT_KEYS`) that
    concept ``arch`` is built from (any choice), i.e. those whose ``elements`` overrides it reads."""
    from .concept_library import library_concept

    c = library_concept(arch)
    defs = dict(c.elements)
    for ch in c.choices.values():
        for els, _ in ch.options.values():
            defs.update(els)
    return frozenset(e.library for e in defs.values() if e.library)


# ----------------------------------------------------------------------------------- evaluation
_TARGET_NUMBERS = ("c3_m2_s2", "parking_alt_m", "perigee_alt_m", "apogee_alt_m", "inclination_rad", "dla_rad")


@dataclass(frozen=True)
class _Launchers:
    """Launcher capabilities [kg] broadcast to the case ``shape``, and where they are usable
    (finite and > 0); ``targets_ok``: every delivery target's numbers are finite (a NaN C3 is a
    failed departure leg, a mission input, not a launcher that cannot reach)."""

    cap: dict[str, np.ndarray]
    shape: tuple[int, ...]
    finite: dict[str, Any]
    ok: np.ndarray
    all_ok: bool
    targets_ok: bool = True


def _launcher_status(status: np.ndarray, L: _Launchers) -> np.ndarray:
    """``status`` with ``LAUNCHER_INFEASIBLE`` where the launcher cannot reach its delivery,
    except where a mission input is invalid (``INVALID_INPUT`` is the root cause, checked first):
    the budget's own order (invalid input, then launcher, then the rest), forward and backward."""
    if L.all_ok:
        return status
    return np.where(~L.ok & (status != BudgetStatus.INVALID_INPUT), np.int8(BudgetStatus.LAUNCHER_INFEASIBLE),
                    status).astype(np.int8)


def _launchers(arch: Architecture, capability_kg: dict[str, Any], required_payload_kg: Any) -> _Launchers:
    cap = {ln: np.asarray(capability_kg[ln], dtype=float) for ln in arch.deliveries}
    shape = np.broadcast_shapes(*[c.shape for c in cap.values()], np.shape(0.0 if required_payload_kg is None else required_payload_kg))
    cap = {k: np.broadcast_to(v, shape) for k, v in cap.items()}
    # launcher_ok = finite and > 0; two reductions decide it for all cases at once when it holds
    finite: dict = {}
    launcher_ok = np.True_
    for ln, c in cap.items():
        if c.size and c.min() > 0 and c.max() < np.inf:  # NaN: min is NaN
            finite[ln] = np.True_
        else:
            finite[ln] = np.isfinite(c)
            launcher_ok = launcher_ok & finite[ln] & (c > 0)
    launcher_ok = np.broadcast_to(launcher_ok, shape)
    targets_ok = all(np.all(np.isfinite(np.asarray(v, dtype=float))) for d in arch.deliveries.values()
                     for v in (getattr(d, f) for f in _TARGET_NUMBERS) if v is not None)
    return _Launchers(cap, shape, finite, launcher_ok, bool(launcher_ok.all()), targets_ok)


def _evaluate_backward(arch: Architecture, L: _Launchers, margins: Margins, required_payload_kg: Any) -> ArchitectureResult:
    """Backward: the launch masses a required payload needs and the launches to fly them."""
    cap, shape = L.cap, L.shape
    req = np.asarray(0.0 if required_payload_kg is None else required_payload_kg, dtype=float)
    b = solve_budget(arch.mission, payload_kg=req, margins=margins, shape=shape)
    masses = {ln: np.asarray(b.launch_mass_kg[ln]) for ln in arch.deliveries}
    with np.errstate(invalid="ignore", divide="ignore"):
        n = sum(np.ceil(masses[ln] / cap[ln] - 1e-12) for ln in arch.deliveries)
    # a zero required payload is a valid backward question ("what does the bare mission need?")
    zero_ok = (b.status == BudgetStatus.PAYLOAD_NOT_POSITIVE) & (req == 0)
    status = _launcher_status(np.where(zero_ok, np.int8(0), b.status), L)
    payload = np.where(status == 0, req, np.nan)
    n = np.where(status == 0, n, np.nan)
    return ArchitectureResult(arch, payload, status.astype(np.int8), dict(cap), n, {"backward": b})


def _one_candidate(arch: Architecture, L: _Launchers, b: BudgetResult):
    """Forward with one fillable launch: it binds wherever it is feasible. Returns (status,
    payload, all_ok, binding codes)."""
    (ln,) = arch.fillable
    st = _overload(arch, ln, b, L.cap, L.shape)
    ok = st == 0
    if not L.all_ok:
        ok &= L.ok
    all_ok = bool(ok.all())
    if all_ok:  # status 0 everywhere: b's payload is the answer (NaN nowhere; shared with b)
        status = np.zeros(L.shape, dtype=np.int8)
        payload = b.payload_kg
    else:  # st is 0 where ok; LAUNCHER_INFEASIBLE where the launcher fails (unless an input is invalid)
        status = st.copy() if L.all_ok else _launcher_status(st, L)
        payload = np.where(ok, b.payload_kg, np.nan)

    def codes(ok=ok, p=b.payload_kg):
        with np.errstate(invalid="ignore"):
            return (ok & (p < np.inf)).astype(np.int8)  # the loop's "take" (best starts at inf)
    return status, payload, all_ok, codes


def _best_candidate(arch: Architecture, L: _Launchers, solved: list[BudgetResult]):
    """Forward with several fillable launches: per case the smallest feasible payload binds (the
    launch that is full). Returns (status, payload, all_ok, binding codes)."""
    shape = L.shape
    best = np.full(shape, np.inf)
    best_status = np.full(shape, np.int8(BudgetStatus.LAUNCHER_INFEASIBLE))
    code = np.zeros(shape, dtype=np.int8)
    any_ok = np.zeros(shape, dtype=bool)
    for j, (ln, b) in enumerate(zip(arch.fillable, solved)):
        st = _overload(arch, ln, b, L.cap, shape)
        ok = (st == 0) & L.ok
        with np.errstate(invalid="ignore"):
            take = ok & (b.payload_kg < best)
        best = np.where(take, b.payload_kg, best)
        code = np.where(take, np.int8(j + 1), code)
        # keep the most informative failure where nothing worked yet: an invalid input first (with
        # any capability), then the launcher, then the budget's own statuses
        invalid = st == BudgetStatus.INVALID_INPUT
        best_status = np.where(~any_ok & ~ok & (L.ok | invalid) & (best_status != BudgetStatus.INVALID_INPUT), st,
                               best_status)
        any_ok |= ok
    status = np.where(any_ok, np.int8(0), best_status).astype(np.int8)
    payload = np.where(any_ok, best, np.nan)

    def codes(code=code):
        return code
    return status, payload, bool(any_ok.all()), codes


def evaluate(
    arch: Architecture,
    capability_kg: dict[str, Any],
    *,
    margins: Margins = Margins(),
    required_payload_kg: Any = None,
) -> ArchitectureResult:
    """Evaluate ``arch`` for launcher capabilities ``capability_kg`` = launch name -> delivered mass
    [kg] (arrays over cases, NaN where the launcher cannot reach the delivery).

    Forward (default): the payload landed [kg]. Backward (``required_payload_kg``): the mass of every
    launch and the launches needed for that payload.
    """
    L = _launchers(arch, capability_kg, required_payload_kg)
    res = _evaluate(arch, L, margins, required_payload_kg)
    if not L.targets_ok:  # a delivery target that is not a number (a failed departure leg): every case
        res.status = np.full(L.shape, np.int8(BudgetStatus.INVALID_INPUT))
        res.payload_kg = np.full(L.shape, np.nan)
        res.launches = np.full(L.shape, np.nan)
        if res.binding_code is not None:  # no launch binds
            res.binding_code = functools.partial(np.zeros, L.shape, dtype=np.int8)
    return res


def _evaluate(arch: Architecture, L: _Launchers, margins: Margins, required_payload_kg: Any) -> ArchitectureResult:
    """:func:`evaluate` for the launchers ``L``."""
    if arch.launch_filled:
        return _with_filled_launches(arch, L, margins, required_payload_kg)
    if required_payload_kg is not None or not arch.fillable:
        return _evaluate_backward(arch, L, margins, required_payload_kg)
    cap_safe = {ln: c if np.all(L.finite[ln]) else np.where(L.finite[ln], c, 1.0) for ln, c in L.cap.items()}
    # every fillable launch as the constraint, on one phase walk (forms and factors built once)
    solved = _solve_budgets(arch.mission, [("launch", ln, cap_safe[ln]) for ln in arch.fillable], margins, L.shape)
    budgets = dict(zip(arch.fillable, solved))
    # the binding launch as a small integer code (0 = none, j + 1 = arch.fillable[j]); names and
    # launch masses are built from it on first access (an object array costs more than the budget)
    if len(arch.fillable) == 1:
        status, payload, all_ok, codes = _one_candidate(arch, L, solved[0])
    else:
        status, payload, all_ok, codes = _best_candidate(arch, L, solved)
    n = np.full(L.shape, float(len(arch.deliveries)))
    if not all_ok:
        n[status != 0] = np.nan
    return ArchitectureResult(arch, payload, status, dict(L.cap), n, budgets, codes)


def _with_filled_launches(arch: Architecture, L: _Launchers, margins: Margins, required_payload_kg: Any
                          ) -> ArchitectureResult:
    """:func:`evaluate` of an architecture with launch-filled loads: each such element's load is
    set per case to what fills its launch (see the module docstring), then the budget is evaluated
    as usual. A launch whose launcher reaches its delivery but cannot lift the rest of its content
    and the element's own dry mass (load <= 0) is ``LAUNCH_OVERLOADED``, as any launch that cannot
    lift its fixed content; a capability of 0 or less or not a number stays the launcher's
    (``LAUNCHER_INFEASIBLE``). A load that is not a number comes from a mission input that is not one
    (``INVALID_INPUT``, the budget finds it) or from a capability that is not (the launcher check
    finds it): it is no short launch. The budget gets a placeholder load of 0 where the load is not
    a positive number."""
    from dataclasses import replace

    mission = arch.mission
    growth = 1.0 + np.asarray(margins.dry_growth, dtype=float)
    els = {e.name: e for e in mission.elements}
    its = {i.name: i for i in mission.items}
    loads: dict[str, np.ndarray] = {}
    short = np.zeros(L.shape, dtype=bool)
    with np.errstate(all="ignore"):
        for name, ln in arch.launch_filled.items():
            rest = 0.0
            for m in mission.launch_members()[ln]:
                if m == name:
                    continue
                if m in els:
                    e = els[m]
                    rest = rest + (e.dry_kg + e.dry_fraction * e.propellant_kg) * growth + e.propellant_kg
                else:
                    it = its[m]
                    rest = rest + (it.mass_kg * growth if it.hardware else it.mass_kg)
            e = els[name]
            load = (L.cap[ln] - rest - growth * e.dry_kg) / (1.0 + growth * e.dry_fraction)
            short |= np.broadcast_to(load <= 0, L.shape)  # NaN: an input or the capability, not short
            loads[name] = np.broadcast_to(np.where((load > 0) & (load < np.inf), load, 0.0), L.shape)
    filled = replace(arch, mission=replace(mission, elements=tuple(
        replace(e, propellant_kg=loads[e.name]) if e.name in loads else e for e in mission.elements)),
        launch_filled={})
    res = evaluate(filled, L.cap, margins=margins, required_payload_kg=required_payload_kg)
    if short.any():  # the placeholder load's budget says nothing; an invalid input and the launcher come first
        short &= (res.status != BudgetStatus.INVALID_INPUT) & (res.status != BudgetStatus.LAUNCHER_INFEASIBLE)
        res.status = np.where(short, np.int8(BudgetStatus.LAUNCH_OVERLOADED), res.status).astype(np.int8)
        res.payload_kg = np.where(short, np.nan, res.payload_kg)
        res.launches = np.where(short, np.nan, res.launches)
    res.architecture = arch
    return res


def _overload(arch: Architecture, ln: str, b: BudgetResult, cap: dict, shape) -> np.ndarray:
    """``b.status`` with ``LAUNCH_OVERLOADED`` where another launch exceeds its launcher."""
    if len(arch.deliveries) == 1:
        return b.status
    overloaded = np.zeros(shape, dtype=bool)
    for other in arch.deliveries:
        if other != ln:
            with np.errstate(invalid="ignore"):
                overloaded |= ~(b.launch_mass_kg[other] <= cap[other] * (1 + 1e-9))
    if not overloaded.any():
        return b.status
    return np.where((b.status == 0) & overloaded, np.int8(BudgetStatus.LAUNCH_OVERLOADED), b.status)
