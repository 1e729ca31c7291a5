"""Mission mass budgets over arrays of cases: forward (delivered mass -> payload) and backward
(payload -> required delivered mass), as one linear solve per case.

The model
---------
A mission is a list of *members* -- propulsive :class:`Element` s (dry mass, propellant, Isp,
boil-off) and non-propulsive :class:`Item` s (crew cabin, crew, cargo, the payload, an aeroshell) --
flown through an ordered list of :class:`Phase` s. Each phase acts on a *stack* (the members flying
it; members not in the stack wait, e.g. the CSM in lunar orbit while the LM lands):

- ``burn``: element ``e`` gives the stack ``dv (1 + dv_margin)``; it burns
  ``m_p = M (1 - exp(-dv / (g0 Isp)))`` where ``M`` is the stack mass before the burn
  (Tsiolkovsky, :func:`jointmission.core.rocket.propellant_for_delta_v` in closed form);
- ``coast`` / ``loiter``: every present element loses ``1 - (1 - b)^days`` of its remaining
  propellant to boil-off (``b`` = fraction per day, :mod:`.elements`);
- ``aero`` (aerocapture or entry, descent and landing): an :class:`Item` sized as a fraction of the
  stack mass at that phase (heat shield, or the whole entry system = 1 - landed fraction) is
  dropped; no propellant;
- any phase may ``drop`` members at its end (a spent stage, a descent stage left on the surface,
  an ascent stage discarded after docking). Crew transfer is a change of stack membership.

Every mass is *linear* in the unknowns ``x = (payload, sized propellant loads, sized items)``: the
burn factor ``1 - exp(-dv/c)`` and the boil-off factor depend only on the case's delta-v and days, not
on masses. The budget therefore keeps each mass as a linear form ``a . x + b`` per case and closes
it with ``K`` linear equations solved over all cases at once:

- each *sized* element ends with exactly ``(residual + reserve) x loaded`` propellant (its load is
  what the mission needs, boil-off included); its dry mass is ``(dry + dry_fraction x load)``;
- each sized item is its fraction of the stack mass at its phase;
- one *mass constraint*: forward, the delivered mass (all members, or a named subset = one launch)
  equals the launcher's capability; backward, the payload equals the requirement.

Forward and backward solves use the same equations but for that last row, so they are inverse
functions to rounding (tested to 1e-9 relative). Margins: ``dv_margin`` multiplies every burn's
delta-v, ``dry_growth`` every hardware mass (elements' dry masses and items flagged ``hardware``),
``reserve`` is kept unburned in every element as a fraction of its load.

Speed (a sweep budgets ~1e6 cases per call): a form is sparse (only the unknowns it involves) and
each coefficient is a scalar while every input it depends on is one -- a sweep over the launcher
capability alone solves one scalar matrix, and arrays appear only where per-case inputs reach.
The K x K systems (K <= 5 here; :mod:`.affine`) are eliminated coefficient by coefficient, element-wise over the
cases, in a pivot order chosen once by partial pivoting on a sample of cases; a case whose
multipliers exceed 2 under that order (its best pivot differs) is re-solved by LAPACK
(:func:`numpy.linalg.solve`), so every case is solved with a bounded-growth pivoting. The same
conventions as a dense per-case solve: a non-finite coefficient gives ``LAUNCHER_INFEASIBLE``,
``|det| <= 1e-300`` gives ``SINGULAR``; checks that hold for every case are decided by reductions,
per-case masks are built only where some case fails. The phase table
(:attr:`BudgetResult.phase_data`), the launch masses, loads and initial mass are evaluated on first
access. Results equal the previous dense ``(cases, K + 1)`` implementation
(``np.linalg.solve`` per case) to 1e-12 of the case's mass (tests/missions/test_budget_equivalence.py).

Infeasible cases come back as NaN with a :class:`BudgetStatus`, never as exceptions: a payload
<= 0, a sized load above the element's capacity, a fixed-load element that runs dry, a launch that
cannot lift the fixed part of its content.

Sources: Tsiolkovsky's equation (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., eq. 4-6);
the budget structure (phase-by-phase mass history with margins, residuals, reserves and boil-off)
follows Larson & Pranke (eds.), *Human Spaceflight: Mission Analysis and Design*, McGraw-Hill 2000,
ch. 7 and 17, and NASA's Mars DRA 5.0 (NASA-SP-2009-566) budget tables. See docs/method-missions.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

import numpy as np

from ..constants import G0
from .affine import _C, _ZERO, _add, _axpy, _compact, _ev, _fresh, _full, _scale, _solve, _sub, _sum, _sum_owned

__all__ = [
    "BudgetStatus",
    "Element",
    "Item",
    "Phase",
    "Margins",
    "Mission",
    "BudgetResult",
    "solve_budget",
    "forward",
    "backward",
]


class BudgetStatus(IntEnum):
    """Why a budget case has (or has no) payload. Stored as int8 arrays; 0 is OK."""

    OK = 0
    PAYLOAD_NOT_POSITIVE = 1
    """The delivered mass does not even carry the mission's hardware (payload <= 0)."""
    CAPACITY_EXCEEDED = 2
    """A sized element needs more propellant than its tanks hold."""
    PROPELLANT_EXHAUSTED = 3
    """A fixed-load element runs out of propellant before its last burn ends."""
    LAUNCHER_INFEASIBLE = 4
    """The launcher itself cannot reach the delivery target (its payload is NaN)."""
    LAUNCH_OVERLOADED = 5
    """The fixed content of a launch (e.g. the crew vehicle) exceeds that launch's capability."""
    NEGATIVE_LOAD = 6
    """A sized load or item came out negative (non-physical input)."""
    SINGULAR = 7
    """The budget equations have no unique solution (e.g. a dry-mass fraction so high that the
    element cannot give its delta-v at any size)."""


STATUS_TEXT = {
    BudgetStatus.OK: "ok",
    BudgetStatus.PAYLOAD_NOT_POSITIVE: "infeasible: delivered mass does not cover the mission hardware (payload <= 0)",
    BudgetStatus.CAPACITY_EXCEEDED: "infeasible: a stage needs more propellant than its tanks hold",
    BudgetStatus.PROPELLANT_EXHAUSTED: "infeasible: a fixed-load stage runs out of propellant",
    BudgetStatus.LAUNCHER_INFEASIBLE: "infeasible: the launcher cannot reach the delivery target",
    BudgetStatus.LAUNCH_OVERLOADED: "infeasible: a launch cannot lift its fixed content",
    BudgetStatus.NEGATIVE_LOAD: "infeasible: a sized load came out negative",
    BudgetStatus.SINGULAR: "infeasible: no stage size gives the delta-v (rocket equation singular)",
}


@dataclass(frozen=True)
class Element:
    """A propulsive element (stage, service module, lander stage).

    Attributes
    ----------
    name : unique name.
    isp_s : specific impulse [s] (vacuum).
    dry_kg : fixed dry (burnout) mass [kg], before dry-mass growth.
    dry_fraction : additional dry mass per kg of propellant load [-] (tanks that scale with the
        load; 0 for an element of fixed size).
    propellant_kg : loaded propellant [kg]; ``None`` = sized by the budget to what the mission needs.
    capacity_kg : largest load the tanks hold [kg] (``inf`` = unbounded, "rubber" element).
    boiloff_per_day : fraction of the remaining propellant lost per day [1/day].
    residual_fraction : unusable propellant, fraction of the load [-] (kept in the element).
    """

    name: str
    isp_s: Any
    dry_kg: Any = 0.0
    dry_fraction: Any = 0.0
    propellant_kg: Any = None
    capacity_kg: Any = np.inf
    boiloff_per_day: Any = 0.0
    residual_fraction: Any = 0.0

    @property
    def sized(self) -> bool:
        return self.propellant_kg is None


@dataclass(frozen=True)
class Item:
    """A non-propulsive mass: ``mass_kg`` [kg] fixed, ``payload=True`` for *the* payload (unknown in a
    forward budget), or ``entry_fraction`` in (0, 1): sized as that fraction of the stack mass at the
    ``aero`` phase that drops it (heat shield, entry system). ``hardware`` items take the dry-mass
    growth allowance; crew and cargo do not."""

    name: str
    mass_kg: Any = 0.0
    hardware: bool = False
    payload: bool = False
    entry_fraction: Any = None


@dataclass(frozen=True)
class Phase:
    """One mission phase.

    kind : ``launch`` (bookkeeping: the delivered stack), ``burn``, ``coast``, ``loiter``, ``aero``,
        ``rendezvous`` (a burn, usually small), ``transfer`` (crew/cargo move: a change of stack, no
        delta-v), ``entry`` (Earth entry of the return capsule: bookkeeping).
    element : the element that burns (burn / rendezvous).
    dv_m_s : delta-v [m/s] before margin (scalar or per-case array).
    days : duration [day] for boil-off (coast / loiter; burns may also carry days).
    stack : names of the members flying this phase (``None`` = every member still present).
    drop : members dropped at the end of the phase.
    sized_item : for ``aero``: the :class:`Item` sized as its entry fraction of the stack here.
    source : where the delta-v comes from (a reference or the kernel used).
    """

    name: str
    kind: str
    element: str | None = None
    dv_m_s: Any = 0.0
    days: Any = 0.0
    stack: tuple[str, ...] | None = None
    drop: tuple[str, ...] = ()
    sized_item: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Margins:
    """Design margins: ``dv_margin`` [-] on every burn's delta-v, ``dry_growth`` [-] on hardware
    masses, ``reserve`` [-] propellant kept unburned in every element (fraction of its load)."""

    dv_margin: Any = 0.0
    dry_growth: Any = 0.0
    reserve: Any = 0.0


@dataclass(frozen=True)
class Mission:
    """Members, phases and launches of a mission. ``launches`` maps a launch name to the members it
    delivers (default one launch of everything)."""

    name: str
    elements: tuple[Element, ...]
    items: tuple[Item, ...]
    phases: tuple[Phase, ...]
    launches: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def member_names(self) -> list[str]:
        return [e.name for e in self.elements] + [i.name for i in self.items]

    def launch_members(self) -> dict[str, tuple[str, ...]]:
        return self.launches or {"launch": tuple(self.member_names())}

    def with_phase_dv(self, name: str, dv_m_s) -> "Mission":
        """A copy with the delta-v of phase ``name`` replaced."""
        return replace(self, phases=tuple(replace(p, dv_m_s=dv_m_s) if p.name == name else p for p in self.phases))


class _Deferred:
    """A value to compute on first access (see :class:`_LazyField`)."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn


class _LazyField:
    """A dataclass field that may be given a :class:`_Deferred`: the value is computed on first
    access and kept (any other value is stored as given). Outputs a sweep does not read (the binding
    launch's name, launch masses) cost nothing until read."""

    def __set_name__(self, owner, name):
        self.key = "_lazy_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            raise AttributeError(self.key)  # no default value for the dataclass field
        v = obj.__dict__[self.key]
        if type(v) is _Deferred:
            v = obj.__dict__[self.key] = v.fn()
        return v

    def __set__(self, obj, value):
        obj.__dict__[self.key] = value


class _LazyMap(Mapping):
    """A read-only mapping ``key -> array`` whose values are computed (per key) on first access."""

    def __init__(self, keys, compute):
        self._keys = tuple(keys)
        self._compute = compute
        self._data: dict = {}

    def __getitem__(self, key):
        if key not in self._data:
            if key not in self._keys:
                raise KeyError(key)
            self._data[key] = self._compute(key)
        return self._data[key]

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"_LazyMap({list(self._keys)}, evaluated={list(self._data)})"


@dataclass
class BudgetResult:
    """Budget per case (arrays of the case shape; masses in kg, delta-v in m/s).

    payload_kg : the payload (NaN unless status OK).
    launch_mass_kg : delivered mass per launch name (a mapping of arrays, each computed on first
        access).
    initial_mass_kg : total delivered mass over all launches (computed on first access).
    loads_kg : propellant load per element (a mapping, computed on first access).
    status : int8 :class:`BudgetStatus`.
    phases : per-phase dict of arrays: ``dv_m_s`` (with margin), ``mass_before_kg``,
        ``mass_after_kg`` (of the stack flying it), ``propellant_kg``, ``boiloff_kg`` (from the
        stack), ``boiloff_all_kg`` (from every present element, waiting ones included),
        ``dropped_kg``; plus names, kinds, elements. A read-only mapping evaluated on first access
        (from private copies of the inputs, so later changes to input arrays do not leak in).
    """

    payload_kg: np.ndarray
    launch_mass_kg: Mapping[str, np.ndarray]
    initial_mass_kg: np.ndarray = _LazyField()
    loads_kg: Mapping[str, np.ndarray]
    status: np.ndarray
    phase_names: list[str]
    phase_kinds: list[str]
    phase_elements: list[str | None]
    phase_data: Mapping[str, np.ndarray]
    shape: tuple[int, ...]

    @property
    def ok(self) -> np.ndarray:
        return self.status == BudgetStatus.OK

    def phase_table(self, index: int | tuple = ()) -> list[dict[str, Any]]:
        """Rows (one per phase) for one case: name, kind, element, dv_km_s, mass before/after [t],
        propellant_t, boiloff_t, dropped_t."""
        idx = (index,) if isinstance(index, int) else tuple(index)
        rows = []
        for j, name in enumerate(self.phase_names):
            def g(key: str) -> float:
                return float(np.asarray(self.phase_data[key])[idx][..., j])
            rows.append({
                "phase": name, "kind": self.phase_kinds[j], "element": self.phase_elements[j] or "",
                "dv_km_s": g("dv_m_s") / 1e3, "mass_before_t": g("mass_before_kg") / 1e3,
                "mass_after_t": g("mass_after_kg") / 1e3, "propellant_t": g("propellant_kg") / 1e3,
                "boiloff_t": g("boiloff_kg") / 1e3, "dropped_t": g("dropped_kg") / 1e3,
            })
        return rows


_PHASE_KEYS = ("dv_m_s", "mass_before_kg", "mass_after_kg", "propellant_kg", "boiloff_kg", "boiloff_all_kg",
               "dropped_kg")


# ------------------------------------------------------------------------------ the phase walk
class _Walk:
    """The mission's phases as affine forms over one case shape (inputs compacted once)."""

    def __init__(self, mission: Mission, margins: Margins, shape: tuple, unknowns: list[str]):
        self.mission = mission
        self.shape = shape
        self.els = {e.name: e for e in mission.elements}
        self.its = {i.name: i for i in mission.items}
        self.names = mission.member_names()
        self.col = {n: k for k, n in enumerate(unknowns)}
        c = _compact
        self.growth = 1.0 + c(margins.dry_growth, copy=False)  # a fresh array (or scalar) already
        self.dvm = 1.0 + c(margins.dv_margin, copy=False)
        self.reserve = c(margins.reserve)
        self.el = {e.name: {f: c(getattr(e, f)) for f in ("isp_s", "dry_kg", "dry_fraction", "boiloff_per_day",
                                                          "residual_fraction")} for e in mission.elements}
        for e in mission.elements:
            if not e.sized:
                self.el[e.name]["propellant_kg"] = c(e.propellant_kg)
        self.item = {i.name: (c(i.mass_kg), None if i.entry_fraction is None else c(i.entry_fraction))
                     for i in mission.items}
        self.ph = [(c(p.dv_m_s), c(p.days)) for p in mission.phases]
        self._boil: dict = {}
        self._fac: dict = {}

    def var(self, name: str) -> dict:
        return {self.col[name]: np.float64(1.0)}

    def boil_fraction(self, j: int, e: str):
        key = (j, e)
        if key not in self._boil:
            with np.errstate(all="ignore"):
                self._boil[key] = 1.0 - (1.0 - self.el[e]["boiloff_per_day"]) ** self.ph[j][1]
        return self._boil[key]

    def dv_eff(self, j: int):
        return self.ph[j][0] * self.dvm

    def burn_factor(self, j: int, e: str):
        """Minus the fraction of the stack mass burned in phase ``j``: ``expm1(-dv_eff / (g0 Isp))``
        (<= 0; negative so that the burn is ``prop + factor x mass``, no negation pass)."""
        if j not in self._fac:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                t = self.dv_eff(j)
                c = -(G0 * self.el[e]["isp_s"])
                if _fresh(t, self.dvm, self.ph[j][0]) and np.shape(c) in ((), t.shape):
                    np.divide(t, c, out=t)  # -dv_eff / (g0 Isp), exactly
                    self._fac[j] = np.expm1(t, out=t)
                else:
                    self._fac[j] = np.expm1(t / c)
        return self._fac[j]

    def walk(self, record: bool):
        """Equations, fixed-load checks, launch masses, loads and item masses as forms; with
        ``record`` also the per-phase forms of the phase table."""
        els, its, names = self.els, self.its, self.names
        growth, reserve = self.growth, self.reserve
        load: dict[str, dict] = {}
        dry: dict[str, dict] = {}
        prop: dict[str, dict] = {}
        for e in self.mission.elements:
            d = self.el[e.name]
            load[e.name] = self.var(e.name) if e.sized else {_C: d["propellant_kg"]}
            dry[e.name] = _scale(_add({_C: d["dry_kg"]}, _scale(load[e.name], d["dry_fraction"])), growth)
            prop[e.name] = load[e.name]
        item_mass: dict[str, dict] = {}
        for i in self.mission.items:
            if i.payload or i.entry_fraction is not None:
                item_mass[i.name] = self.var(i.name)
            else:
                m = {_C: self.item[i.name][0]}
                item_mass[i.name] = _scale(m, growth) if i.hardware else m

        def mass_of(member: str) -> dict:
            if member in els:
                return _add(dry[member], prop[member])
            return item_mass[member]

        def stack_mass(stack: list[str]) -> tuple[dict, set]:
            """The stack's mass form (= ``_sum(mass_of(m) for m in stack)``, same order) and the
            keys whose arrays were made for it (no other form holds them)."""
            def pairs():
                for m in stack:
                    if m in els:
                        f = _add(dry[m], prop[m])
                        yield f, {k for k in dry[m].keys() & prop[m].keys() if isinstance(f[k], np.ndarray)}
                    else:
                        yield item_mass[m], ()
            return _sum_owned(pairs())

        present = set(names)
        initial = {ln: _sum(mass_of(m) for m in mem) for ln, mem in self.mission.launch_members().items()}
        equations: list[dict] = []
        end_prop: dict[str, dict] = {}
        fixed_checks: list[tuple[dict, dict]] = []  # (remaining form, floor form)
        rec = {k: [] for k in _PHASE_KEYS} if record else None
        for j, ph in enumerate(self.mission.phases):
            stack = [m for m in (ph.stack if ph.stack is not None else names) if m in present]
            missing = [m for m in (ph.stack or ()) if m not in names]
            if missing:
                raise ValueError(f"phase '{ph.name}': unknown stack members {missing}")
            if record:
                m_before = _sum(mass_of(m) for m in stack)
            burned: dict = {}
            boiled: dict = {}
            boiled_all: dict = {}
            dv_eff = _ZERO
            # boil-off over the phase duration (all present elements, whether flying or waiting)
            for e in self.mission.elements:
                if e.name in present:
                    frac = self.boil_fraction(j, e.name)
                    if type(frac) is np.float64 and frac == 0.0:
                        continue  # no boil-off: the loss form is 0
                    if not record:
                        prop[e.name] = _axpy(prop[e.name], prop[e.name], -frac)
                        continue
                    loss = _scale(prop[e.name], frac)
                    prop[e.name] = _sub(prop[e.name], loss)
                    if record:
                        boiled_all = _add(boiled_all, loss)
                        if e.name in stack:
                            boiled = _add(boiled, loss)
            if ph.kind in ("burn", "rendezvous"):
                if ph.element not in els or ph.element not in present:
                    raise ValueError(f"phase '{ph.name}': element {ph.element!r} is not a present propulsive element")
                if ph.element not in stack:
                    raise ValueError(f"phase '{ph.name}': element {ph.element!r} is not in the stack")
                e = els[ph.element]
                nfac = self.burn_factor(j, e.name)
                m_stack, own = stack_mass(stack)
                if record:
                    burned = _scale(m_stack, -nfac)
                    dv_eff = self.dv_eff(j)
                    own = set()
                prop[e.name] = _axpy(prop[e.name], m_stack, nfac, own)  # minus fac x stack mass
                if not e.sized:
                    fixed_checks.append((prop[e.name], {}))
            elif ph.kind == "aero":
                if ph.sized_item is None or ph.sized_item not in its or its[ph.sized_item].entry_fraction is None:
                    raise ValueError(f"phase '{ph.name}': an aero phase needs sized_item = an Item with entry_fraction")
                if ph.sized_item not in stack:
                    raise ValueError(f"phase '{ph.name}': {ph.sized_item!r} must be in the stack")
                frac = self.item[ph.sized_item][1]
                m_entry = _sum(mass_of(m) for m in stack)
                equations.append(_sub(item_mass[ph.sized_item], _scale(m_entry, frac)))
            if record:
                m_after_full = _sum(mass_of(m) for m in stack)
            dropped: dict = {}
            for d in ph.drop:
                if d not in present:
                    raise ValueError(f"phase '{ph.name}': cannot drop {d!r} (not present)")
                if d in els:
                    end_prop[d] = prop[d]
                if record and d in stack:
                    dropped = _add(dropped, mass_of(d))
                present.discard(d)
            if record:
                rec["dv_m_s"].append(dv_eff)
                rec["mass_before_kg"].append(m_before)
                rec["mass_after_kg"].append(_sub(m_after_full, dropped))
                rec["propellant_kg"].append(burned)
                rec["boiloff_kg"].append(boiled)
                rec["boiloff_all_kg"].append(boiled_all)
                rec["dropped_kg"].append(dropped)
        for e in self.mission.elements:
            if e.name not in end_prop:
                end_prop[e.name] = prop[e.name]
            floor = _scale(load[e.name], self.el[e.name]["residual_fraction"] + reserve)
            if e.sized:
                equations.append(_sub(end_prop[e.name], floor))
            else:
                fixed_checks.append((end_prop[e.name], floor))
        return equations, fixed_checks, initial, load, item_mass, rec


class _PhaseData(Mapping):
    """``BudgetResult.phase_data``: the per-phase arrays, evaluated on first access (the budget
    solve itself does not need them; a sweep that reads only payloads never pays for them)."""

    def __init__(self, compute):
        self._compute = compute
        self._data: dict[str, np.ndarray] | None = None

    def _get(self) -> dict[str, np.ndarray]:
        if self._data is None:
            self._data = self._compute()
            self._compute = None
        return self._data

    def __getitem__(self, key: str) -> np.ndarray:
        return self._get()[key]

    def __iter__(self):
        return iter(_PHASE_KEYS)

    def __len__(self) -> int:
        return len(_PHASE_KEYS)

    def __repr__(self) -> str:
        return f"_PhaseData({'evaluated' if self._data is not None else 'lazy'}, keys={list(_PHASE_KEYS)})"


def solve_budget(
    mission: Mission,
    *,
    launch_mass_kg: dict[str, Any] | None = None,
    payload_kg: Any = None,
    margins: Margins = Margins(),
    shape: tuple[int, ...] | None = None,
) -> BudgetResult:
    """Solve the mass budget of ``mission`` for every case.

    Give either ``launch_mass_kg`` (forward: ``{launch name: delivered mass [kg]}`` for ONE launch
    whose mass is the constraint; other launches' masses are outputs) or ``payload_kg`` (backward:
    the required payload [kg]). Every numeric input may be an array; all broadcast to ``shape``.
    Inputs that are one value for every case (scalars, or broadcast arrays with zero strides) stay
    scalars through the budget, so only what varies per case costs per-case work.
    """
    if (launch_mass_kg is None) == (payload_kg is None):
        raise ValueError("give exactly one of launch_mass_kg (forward) or payload_kg (backward)")
    if launch_mass_kg is not None and len(launch_mass_kg) != 1:
        raise ValueError("a forward budget constrains exactly one launch's delivered mass")
    closing = ("launch", *next(iter(launch_mass_kg.items()))) if launch_mass_kg is not None \
        else ("payload", None, payload_kg)
    return _solve_budgets(mission, [closing], margins, shape)[0]


def _solve_budgets(mission: Mission, closings: list[tuple], margins: Margins,
                   shape: tuple[int, ...] | None) -> list[BudgetResult]:
    """:func:`solve_budget` for several closing constraints on one phase walk (the forms, burn and
    boil-off factors are built once): ``closings`` = ``("launch", name, delivered mass)`` or
    ``("payload", None, payload)`` each; one :class:`BudgetResult` per closing."""
    names = mission.member_names()
    if len(set(names)) != len(names):
        raise ValueError(f"member names must be unique: {names}")
    payload_items = [i.name for i in mission.items if i.payload]
    if len(payload_items) != 1:
        raise ValueError(f"a mission needs exactly one payload item, got {payload_items}")

    # ---- case shape
    scalars = [margins.dv_margin, margins.dry_growth, margins.reserve]
    scalars += [p.dv_m_s for p in mission.phases] + [p.days for p in mission.phases]
    for e in mission.elements:
        scalars += [e.isp_s, e.dry_kg, e.dry_fraction, e.boiloff_per_day, e.residual_fraction, e.capacity_kg]
        if not e.sized:
            scalars.append(e.propellant_kg)
    for i in mission.items:
        scalars.append(i.mass_kg)
        if i.entry_fraction is not None:
            scalars.append(i.entry_fraction)
    scalars += [value for _, _, value in closings]
    if shape is None:
        shape = np.broadcast_shapes(*[np.shape(s) for s in scalars])
    shape = tuple(shape)

    # ---- unknowns: payload, sized loads, sized items
    unknowns = [payload_items[0]] + [e.name for e in mission.elements if e.sized] + \
               [i.name for i in mission.items if i.entry_fraction is not None]
    K = len(unknowns)
    w = _Walk(mission, margins, shape, unknowns)
    with np.errstate(all="ignore"):
        shared, fixed_checks, initial, load, item_mass, _ = w.walk(record=False)
    if len(shared) + 1 != K:  # pragma: no cover - construction guarantees it
        raise AssertionError(f"{len(shared) + 1} equations for {K} unknowns")
    # rows a . x = rhs of the shared equations (a . x + b = 0), built once for every closing
    shared_rows = [{k: c for k, c in eq.items() if k != _C} for eq in shared]
    with np.errstate(all="ignore"):
        shared_rhs = [-eq[_C] if _C in eq else _ZERO for eq in shared]
    results = []
    for kind, ln, value in closings:
        with np.errstate(all="ignore"):
            # ---- the closing constraint: form(x) = value, i.e. rhs = value - the form's constant
            # (bit-identical to -(form - value))
            if kind == "launch":
                if ln not in initial:
                    raise ValueError(f"unknown launch {ln!r}; launches: {list(initial)}")
                form = initial[ln]
            else:
                form = w.var(payload_items[0])
            value = _compact(value, copy=False)
            rows = shared_rows + [{k: c for k, c in form.items() if k != _C}]
            rhs = shared_rhs + [value - form[_C] if _C in form else value]
            x, cond_ok, bad_input = _solve(rows, rhs, K, shape)
            results.append(_result(mission, w, x, cond_ok, bad_input, fixed_checks, initial, load, item_mass, shape))
    return results


def _result(mission, w, x, cond_ok, bad_input, fixed_checks, initial, load, item_mass, shape) -> BudgetResult:
    """Statuses and outputs of one solved budget (``x`` = the unknowns per case)."""
    with np.errstate(all="ignore"):
        status = np.zeros(shape, dtype=np.int8)

        def flag(mask, code):
            nonlocal status
            if np.any(mask):
                status = np.where((status == 0) & mask, np.int8(code), status)

        flag(bad_input, BudgetStatus.LAUNCHER_INFEASIBLE)
        flag(~cond_ok, BudgetStatus.SINGULAR)
        loads = {n: _ev(f, x) for n, f in load.items()}
        neg = np.False_
        for e in mission.elements:
            if e.sized:
                neg = neg | (loads[e.name] < 0)
        for i in mission.items:
            if i.entry_fraction is not None:
                neg = neg | (_ev(item_mass[i.name], x) < 0)
        # a sized element whose dry mass grows faster with its load than the load gives delta-v
        # yields a negative load (or a singular matrix); both are infeasible.
        flag(neg, BudgetStatus.NEGATIVE_LOAD)
        payload = x[0]
        flag(~(payload > 0), BudgetStatus.PAYLOAD_NOT_POSITIVE)
        over = np.False_
        for e in mission.elements:
            cap = _compact(e.capacity_kg, copy=False)
            if e.sized and not (type(cap) is np.float64 and cap == np.inf):
                over = over | (loads[e.name] > cap * (1 + 1e-12))
        flag(over, BudgetStatus.CAPACITY_EXCEEDED)
        short = np.False_
        for rem, floor in fixed_checks:  # 1e-9 relative slack for rounding in "exactly empty" cases
            r, f = _ev(rem, x), _ev(floor, x)
            short = short | (r < f - 1e-9 * np.maximum(np.abs(f), 1.0))
        flag(short, BudgetStatus.PROPELLANT_EXHAUSTED)

        # the payload (a private copy: x also feeds the lazy outputs), NaN unless OK
        payload = _full(payload, shape)
        if status.any():
            payload[status != 0] = np.nan

    # outputs a sweep usually does not read, evaluated on first access (from the private forms and x)
    def launch_mass_of(ln: str) -> np.ndarray:
        with np.errstate(all="ignore"):
            return _full(_ev(initial[ln], x), shape)

    def load_of(n: str) -> np.ndarray:
        with np.errstate(all="ignore"):
            return _full(_ev(load[n], x), shape)

    launch_mass = _LazyMap(initial, launch_mass_of)

    def phase_data() -> dict[str, np.ndarray]:
        with np.errstate(all="ignore"):
            rec = w.walk(record=True)[-1]
            out = {}
            for k in _PHASE_KEYS:
                vals = rec[k] if k == "dv_m_s" else [_ev(f, x) for f in rec[k]]
                out[k] = np.stack([np.broadcast_to(v, shape) for v in vals], axis=-1) if vals \
                    else np.zeros(shape + (0,))
        return out

    return BudgetResult(
        payload_kg=payload,
        launch_mass_kg=launch_mass,
        initial_mass_kg=_Deferred(lambda: sum(launch_mass.values())),
        loads_kg=_LazyMap(load, load_of),
        status=status,
        phase_names=[p.name for p in mission.phases],
        phase_kinds=[p.kind for p in mission.phases],
        phase_elements=[p.element for p in mission.phases],
        phase_data=_PhaseData(phase_data),
        shape=shape,
    )


def forward(mission: Mission, delivered_kg, *, launch: str | None = None, margins: Margins = Margins()) -> BudgetResult:
    """Payload [kg] a mission carries when launch ``launch`` (default: the only/first launch)
    delivers ``delivered_kg`` [kg]."""
    ln = launch or next(iter(mission.launch_members()))
    return solve_budget(mission, launch_mass_kg={ln: delivered_kg}, margins=margins)


def backward(mission: Mission, payload_kg, *, margins: Margins = Margins()) -> BudgetResult:
    """Delivered mass [kg] per launch needed for a payload of ``payload_kg`` [kg]."""
    return solve_budget(mission, payload_kg=payload_kg, margins=margins)
