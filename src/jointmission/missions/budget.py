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
- ``propellant``: propellant moves from element ``a`` to element ``b`` (a depot refuelled by a
  tanker, a lander refuelled in orbit): a fixed mass, ``all`` of ``a``'s usable propellant (above its
  residual + reserve), or ``fill`` = what ``b`` lacks to its load; an optional fraction ``loss`` of it
  is lost (boil-off of the transfer lines, chill-down);
- any phase may ``drop`` members at its end (a spent stage, a descent stage left on the surface,
  an ascent stage discarded after docking). Crew transfer is a change of stack membership;
- a phase may list members that ``arrive`` with it (a later launch): before it they are not
  present (they neither fly nor boil off).

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
conventions as a dense per-case solve: a non-finite launcher capability (the forward closing value;
NaN where the launcher cannot reach its delivery target) gives ``LAUNCHER_INFEASIBLE``, any other
non-finite entry (a delta-v, mass, Isp, margin or required payload that is NaN or infinite) gives
``INVALID_INPUT`` (checked first), and so does any mission input that is not finite even where it
changes no number or gives a finite one, or is outside its physical range (a negative mass or
delta-v, an Isp <= 0, a fraction outside [0, 1]: the scenario schema's ranges, :meth:`_Walk.invalid_inputs`), ``|det| <= 1e-300`` gives ``SINGULAR``; checks that hold for
every case are decided by reductions, per-case masks are built only where some case fails. The phase table
(:attr:`BudgetResult.phase_data`), the launch masses, loads and initial mass are evaluated on first
access. Results equal a dense ``(cases, K + 1)`` solve (``np.linalg.solve`` per case, the reference the
tests keep) to 1e-12 of the case's mass (tests/missions/test_budget_equivalence.py).

Infeasible cases come back as NaN with a :class:`BudgetStatus`, never as exceptions: a payload
<= 0, a sized load above the element's capacity, a fixed-load element that runs dry, a launch that
cannot lift the fixed part of its content.

Sources: Tsiolkovsky's equation (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., eq. 4-6);
the budget structure (phase-by-phase mass history with margins, residuals, reserves and boil-off)
follows Larson & Pranke (eds.), *Human Spaceflight: Mission Analysis and Design*, McGraw-Hill 2000,
ch. 7 and 17, and NASA's Mars DRA 5.0 (NASA-SP-2009-566) budget tables. See docs/method-missions.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..constants import G0
from ..fields import KINDS, out_of_range
from .affine import (_C, _ZERO, _add, _axpy, _compact, _ev, _fresh, _full, _non_finite, _scale, _solve,
                     _sub, _sum, _sum_owned)
from .budget_model import BudgetResult, BudgetStatus, Element, Item, Margins, Mission, Phase, _Outputs

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


# physical ranges of the mission inputs: the scenario schema's (one registry, jointmission.fields)
_FRACTION, _KEPT, _MASS = KINDS["fraction"], KINDS["fraction_open"], KINDS["mass_nonneg"]
_ISP, _SPEED, _DAYS = KINDS["element_isp"], KINDS["speed_m_s"], KINDS["duration_d"]

_PHASE_KEYS = ("dv_m_s", "mass_before_kg", "mass_after_kg", "propellant_kg", "boiloff_kg", "boiloff_all_kg",
               "dropped_kg")


# ------------------------------------------------------------------------------ the phase walk
@dataclass
class _WalkState:
    """Affine forms (dicts over the unknowns) carried through the phase walk."""

    load: dict[str, dict]
    """Propellant load per element."""
    dry: dict[str, dict]
    """Dry mass per element (with dry-mass growth)."""
    prop: dict[str, dict]
    """Propellant on board per element, updated phase by phase."""
    item_mass: dict[str, dict]
    present: set[str]
    """Members not dropped yet."""
    equations: list[dict] = field(default_factory=list)
    end_prop: dict[str, dict] = field(default_factory=dict)
    """Propellant of each element when it is dropped (or at the end)."""
    fixed_checks: list[tuple[dict, dict]] = field(default_factory=list)
    """(remaining propellant form, floor form) of fixed-load elements."""
    surplus: dict[str, dict] = field(default_factory=dict)
    """Propellant of each element above its residual + reserve when it is dropped (or at the end)."""
    takes: list[dict] = field(default_factory=list)
    """Amounts of the capped transfers (unknowns that must not be negative)."""


@dataclass
class _PhaseRecord:
    """Per-phase forms of the phase table (one entry per phase in each list; ``dv_m_s`` values are
    plain arrays or scalars, the others forms). Field names are :data:`_PHASE_KEYS`."""

    dv_m_s: list = field(default_factory=list)
    mass_before_kg: list = field(default_factory=list)
    mass_after_kg: list = field(default_factory=list)
    propellant_kg: list = field(default_factory=list)
    boiloff_kg: list = field(default_factory=list)
    boiloff_all_kg: list = field(default_factory=list)
    dropped_kg: list = field(default_factory=list)


class _Walk:
    """The mission's phases as affine forms over one case shape (inputs compacted once)."""

    def __init__(self, mission: Mission, margins: Margins, shape: tuple, unknowns: list[str],
                 capped: frozenset[str] = frozenset()):
        self.mission = mission
        self.capped = capped
        """Sized elements launched empty whose last ``all`` transfer takes only what they need
        (see :func:`_capped_receivers`)."""
        self.shape = shape
        self.els = {e.name: e for e in mission.elements}
        self.its = {i.name: i for i in mission.items}
        self.names = mission.member_names()
        self.col = {n: k for k, n in enumerate(unknowns)}
        c = _compact
        self.margin_values = (c(margins.dv_margin, copy=False), c(margins.dry_growth, copy=False))
        """The delta-v margin and the dry-mass growth as given (checked by :meth:`invalid_inputs`)."""
        self.growth = 1.0 + self.margin_values[1]  # a fresh array (or scalar) already
        self.dvm = 1.0 + self.margin_values[0]
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

    def invalid_inputs(self) -> Any:
        """Cases where a mission input is not a finite number in its physical range (the ranges of
        the scenario schema, :data:`jointmission.fields.KINDS`), whether or not it changes a number
        of the budget (a NaN boil-off rate over zero days, a NaN capacity, an infinite delta-v or
        Isp that gives a finite burn factor, a negative Isp or delta-v that gives a confident
        payload): the scalar ``np.False_`` when every input is in range (reductions), else a per-case
        mask. The ranges: Isp > 0 (of an element that burns; one that never burns, a depot, may have
        none: NaN); dry mass, fixed load, fixed item mass, delta-v, days and a transferred mass >= 0;
        dry fraction, boil-off per day, transfer loss, entry fraction, delta-v margin and dry-mass
        growth in [0, 1]; residual and reserve in [0, 1) and their sum below 1 (else the element
        burns nothing); capacity > 0 (infinite: unbounded tanks). Not checked: the masses of the
        unknown items (payload, entry-sized)."""
        mission = self.mission
        burners = {p.element for p in mission.phases if p.kind in ("burn", "rendezvous")}
        dvm, growth = self.margin_values
        vals = [(dvm, _FRACTION), (growth, _FRACTION), (self.reserve, _KEPT)]
        for e in mission.elements:
            d = self.el[e.name]
            vals += [(d["dry_kg"], _MASS), (d["dry_fraction"], _FRACTION), (d["boiloff_per_day"], _FRACTION),
                     (d["residual_fraction"], _KEPT)]
            if e.name in burners:
                vals.append((d["isp_s"], _ISP))
            if not e.sized:
                vals.append((d["propellant_kg"], _MASS))
        for i in mission.items:
            mass, frac = self.item[i.name]
            if frac is not None:
                vals.append((frac, _FRACTION))
            elif not i.payload:
                vals.append((mass, _MASS))
        for (dv, days), p in zip(self.ph, mission.phases):
            vals += [(dv, _SPEED), (days, _DAYS)]
            if p.kind == "propellant":
                vals.append((_compact(p.loss, copy=False), _FRACTION))
                if p.amount == "mass":
                    vals.append((_compact(p.amount_kg, copy=False), _MASS))
        bad = out_of_range(vals)
        reserve_max = np.max(self.reserve)
        for e in mission.elements:
            # residual + reserve below 1 (else nothing is burned): decided by the maxima where it
            # holds for every case; a NaN is refused above already
            res = self.el[e.name]["residual_fraction"]
            if not (np.max(res) + reserve_max < 1.0):
                with np.errstate(invalid="ignore"):
                    bad = bad | ~(res + self.reserve < 1.0)
            # an infinite capacity is unbounded tanks: only NaN and values <= 0 are refused
            c = _compact(e.capacity_kg, copy=False)
            if not (np.min(c) > 0):
                with np.errstate(invalid="ignore"):
                    bad = bad | ~(c > 0)
        return bad

    @property
    def _last_all(self) -> dict[str, int]:
        """Receiver -> index of the last ``all`` transfer into it (the one a cap limits)."""
        return _last_all_transfers(self.mission)

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

    def walk(self, record: bool) -> tuple[list[dict], list[tuple[dict, dict]], dict, dict, dict, _PhaseRecord | None]:
        """Equations, fixed-load checks, launch masses, loads and item masses as forms; with
        ``record`` also the per-phase forms of the phase table (a :class:`_PhaseRecord`)."""
        st = self._start()
        initial = {ln: _sum(self._mass_of(st, m) for m in mem) for ln, mem in self.mission.launch_members().items()}
        rec = _PhaseRecord() if record else None
        for j, ph in enumerate(self.mission.phases):
            st.present.update(ph.arrive)
            stack = self._stack(ph, st)
            m_before = _sum(self._mass_of(st, m) for m in stack) if record else None
            boiled, boiled_all = self._boil_off(j, st, stack, record)
            burned, dv_eff = {}, _ZERO
            if ph.kind in ("burn", "rendezvous"):
                burned, dv_eff = self._burn(j, ph, st, stack, record)
            elif ph.kind == "aero":
                self._aero(ph, st, stack)
            elif ph.kind == "propellant":
                lost = self._transfer(j, ph, st, stack)
                if record:
                    boiled = _add(boiled, lost)
                    boiled_all = _add(boiled_all, lost)
            m_after_full = _sum(self._mass_of(st, m) for m in stack) if record else None
            dropped = self._drop(ph, st, stack, record)
            if rec is not None:
                rec.dv_m_s.append(dv_eff)
                rec.mass_before_kg.append(m_before)
                rec.mass_after_kg.append(_sub(m_after_full, dropped))
                rec.propellant_kg.append(burned)
                rec.boiloff_kg.append(boiled)
                rec.boiloff_all_kg.append(boiled_all)
                rec.dropped_kg.append(dropped)
        self._close(st)
        self.state = st
        return st.equations, st.fixed_checks, initial, st.load, st.item_mass, rec

    # the walk's steps, in order
    def _start(self) -> _WalkState:
        """Loads, grown dry masses and item masses before the first phase."""
        growth = self.growth
        late = {m for p in self.mission.phases for m in p.arrive}
        st = _WalkState(load={}, dry={}, prop={}, item_mass={}, present=set(self.names) - late)
        for e in self.mission.elements:
            d = self.el[e.name]
            if e.name in self.capped:  # launched empty: its last 'all' transfer is the unknown
                st.load[e.name] = {}
            else:
                st.load[e.name] = self.var(e.name) if e.sized else {_C: d["propellant_kg"]}
            st.dry[e.name] = _scale(_add({_C: d["dry_kg"]}, _scale(st.load[e.name], d["dry_fraction"])), growth)
            st.prop[e.name] = st.load[e.name]
        for i in self.mission.items:
            if i.payload or i.entry_fraction is not None:
                st.item_mass[i.name] = self.var(i.name)
            else:
                m = {_C: self.item[i.name][0]}
                st.item_mass[i.name] = _scale(m, growth) if i.hardware else m
        return st

    def _mass_of(self, st: _WalkState, member: str) -> dict:
        """Mass form of one stack member (an element: dry + propellant on board; an item: its mass)."""
        if member in self.els:
            return _add(st.dry[member], st.prop[member])
        return st.item_mass[member]

    def _stack_mass(self, st: _WalkState, stack: list[str]) -> tuple[dict, set]:
        """The stack's mass form (= ``_sum(mass_of(m) for m in stack)``, same order) and the keys
        whose arrays were made for it (no other form holds them)."""
        els, dry, prop, item_mass = self.els, st.dry, st.prop, st.item_mass

        def pairs():
            for m in stack:
                if m in els:
                    f = _add(dry[m], prop[m])
                    yield f, {k for k in dry[m].keys() & prop[m].keys() if isinstance(f[k], np.ndarray)}
                else:
                    yield item_mass[m], ()
        return _sum_owned(pairs())

    def _stack(self, ph: Phase, st: _WalkState) -> list[str]:
        """Members flying phase ``ph`` (its ``stack``, default every member) still present."""
        names = self.names
        stack = [m for m in (ph.stack if ph.stack is not None else names) if m in st.present]
        missing = [m for m in (ph.stack or ()) if m not in names]
        if missing:
            raise ValueError(f"phase '{ph.name}': unknown stack members {missing}")
        return stack

    def _boil_off(self, j: int, st: _WalkState, stack: list[str], record: bool) -> tuple[dict, dict]:
        """Boil-off over phase ``j`` from every present element, flying or waiting; with ``record``
        the loss of the stack and of all elements (forms), else ``({}, {})``."""
        boiled: dict = {}
        boiled_all: dict = {}
        prop = st.prop
        for e in self.mission.elements:
            if e.name in st.present:
                frac = self.boil_fraction(j, e.name)
                if type(frac) is np.float64 and frac == 0.0:
                    continue  # no boil-off: the loss form is 0
                if not record:
                    prop[e.name] = _axpy(prop[e.name], prop[e.name], -frac)
                    continue
                loss = _scale(prop[e.name], frac)
                prop[e.name] = _sub(prop[e.name], loss)
                boiled_all = _add(boiled_all, loss)
                if e.name in stack:
                    boiled = _add(boiled, loss)
        return boiled, boiled_all

    def _burn(self, j: int, ph: Phase, st: _WalkState, stack: list[str], record: bool) -> tuple[dict, Any]:
        """A burn (or rendezvous) of ``ph.element`` pushing the stack: its propellant drops by the
        rocket-equation fraction of the stack mass. Returns (propellant burned, effective delta-v)
        with ``record``, else ``({}, 0)``."""
        els = self.els
        if ph.element not in els or ph.element not in st.present:
            raise ValueError(f"phase '{ph.name}': element {ph.element!r} is not a present propulsive element")
        if ph.element not in stack:
            raise ValueError(f"phase '{ph.name}': element {ph.element!r} is not in the stack")
        e = els[ph.element]
        nfac = self.burn_factor(j, e.name)
        m_stack, own = self._stack_mass(st, stack)
        burned: dict = {}
        dv_eff = _ZERO
        if record:
            burned = _scale(m_stack, -nfac)
            dv_eff = self.dv_eff(j)
            own = set()
        st.prop[e.name] = _axpy(st.prop[e.name], m_stack, nfac, own)  # minus fac x stack mass
        if not e.sized:
            st.fixed_checks.append((st.prop[e.name], {}))
        return burned, dv_eff

    def _transfer(self, j: int, ph: Phase, st: _WalkState, stack: list[str]) -> dict:
        """Propellant transfer from ``ph.element`` to ``ph.transfer_to`` (both present propulsive
        elements or tanks in the stack). Returns the mass lost in the transfer (a form)."""
        a, b = ph.element, ph.transfer_to
        for e in (a, b):
            if e not in self.els or e not in st.present or e not in stack:
                raise ValueError(f"phase '{ph.name}': {e!r} is not a present element of the stack")
        if a == b:
            raise ValueError(f"phase '{ph.name}': an element cannot transfer propellant to itself")
        if ph.amount == "all" and self.capped and self._last_all.get(b) == j:
            amount = self.var(f"take:{b}")  # only what b needs (closed by b's end equation)
            st.takes.append(amount)
        elif ph.amount == "all":
            floor = _scale(st.load[a], self.el[a]["residual_fraction"] + self.reserve)
            amount = _sub(st.prop[a], floor)
        elif ph.amount == "fill":
            amount = _sub(st.load[b], st.prop[b])
        elif ph.amount == "mass":
            amount = {_C: _compact(ph.amount_kg)}
        else:
            raise ValueError(f"phase '{ph.name}': amount must be 'mass', 'all' or 'fill', got {ph.amount!r}")
        loss = _compact(ph.loss)
        lost = _scale(amount, loss)
        st.prop[a] = _sub(st.prop[a], amount)
        st.prop[b] = _sub(_add(st.prop[b], amount), lost)
        if not self.els[a].sized:
            st.fixed_checks.append((st.prop[a], {}))
        return lost

    def _aero(self, ph: Phase, st: _WalkState, stack: list[str]) -> None:
        """Aerocapture / entry: the sized item is ``entry_fraction`` of the entering stack (an equation)."""
        its = self.its
        if ph.sized_item is None or ph.sized_item not in its or its[ph.sized_item].entry_fraction is None:
            raise ValueError(f"phase '{ph.name}': an aero phase needs sized_item = an Item with entry_fraction")
        if ph.sized_item not in stack:
            raise ValueError(f"phase '{ph.name}': {ph.sized_item!r} must be in the stack")
        frac = self.item[ph.sized_item][1]
        m_entry = _sum(self._mass_of(st, m) for m in stack)
        st.equations.append(_sub(st.item_mass[ph.sized_item], _scale(m_entry, frac)))

    def _drop(self, ph: Phase, st: _WalkState, stack: list[str], record: bool) -> dict:
        """Members dropped at the end of ``ph`` leave the stack (an element keeps its end propellant
        for the closing equations); with ``record`` the dropped mass of the stack (a form)."""
        dropped: dict = {}
        for d in ph.drop:
            if d not in st.present:
                raise ValueError(f"phase '{ph.name}': cannot drop {d!r} (not present)")
            if d in self.els:
                st.end_prop[d] = st.prop[d]
            if record and d in stack:
                dropped = _add(dropped, self._mass_of(st, d))
            st.present.discard(d)
        return dropped

    def _close(self, st: _WalkState) -> None:
        """Each element's propellant at the end (or when dropped) equals its residual + reserve: an
        equation for a sized element, a check for a fixed-load one."""
        reserve = self.reserve
        for e in self.mission.elements:
            if e.name not in st.end_prop:
                st.end_prop[e.name] = st.prop[e.name]
            floor = _scale(st.load[e.name], self.el[e.name]["residual_fraction"] + reserve)
            st.surplus[e.name] = _sub(st.end_prop[e.name], floor)
            if e.sized:
                st.equations.append(_sub(st.end_prop[e.name], floor))
            else:
                st.fixed_checks.append((st.end_prop[e.name], floor))


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


def _last_all_transfers(mission: Mission) -> dict[str, int]:
    """Sized receiver -> index of the last ``all`` propellant transfer into it."""
    sized = {e.name for e in mission.elements if e.sized}
    return {p.transfer_to: j for j, p in enumerate(mission.phases)
            if p.kind == "propellant" and p.amount == "all" and p.transfer_to in sized}


def _solve_budgets(mission: Mission, closings: list[tuple], margins: Margins,
                   shape: tuple[int, ...] | None) -> list[BudgetResult]:
    """:func:`solve_budget` for several closing constraints on one phase walk (the forms, burn and
    boil-off factors are built once): ``closings`` = ``("launch", name, delivered mass)`` or
    ``("payload", None, payload)`` each; one :class:`BudgetResult` per closing.

    Capped transfers: a sized element refuelled by an ``all`` transfer (a lander filled from a
    depot) takes everything the giver holds, and its own launched load is what the mission needs
    beyond that. When the giver holds more than the mission needs, that load comes out negative
    (``NEGATIVE_LOAD``). Such cases are solved again with the receiver launched empty (load 0) and
    the amount of its last ``all`` transfer an unknown (what the receiver needs); the rest stays in
    the giver, reported as unused propellant (:attr:`BudgetResult.unused_propellant_kg`). A case
    takes the capped solution where the first is ``NEGATIVE_LOAD`` and the capped one is feasible
    (the amount taken between 0 and what the giver holds); with several such receivers, all of
    those negative in some case are capped together."""
    results = _solve_walk(mission, closings, margins, shape, frozenset())
    receivers = _last_all_transfers(mission)
    if not receivers:
        return results
    capped: set[str] = set()
    masks = []
    for r in results:
        neg = np.zeros(r.shape, dtype=bool)
        if np.any(r.status == BudgetStatus.NEGATIVE_LOAD):
            with np.errstate(invalid="ignore"):
                for b in receivers:
                    nb = (r.status == BudgetStatus.NEGATIVE_LOAD) & (np.asarray(r.loads_kg[b]) < 0)
                    if nb.any():
                        capped.add(b)
                        neg |= nb
        masks.append(neg)
    if not capped:
        return results
    second = _solve_walk(mission, closings, margins, tuple(results[0].shape), frozenset(capped))
    return [_merge(r1, r2, m & (r2.status == BudgetStatus.OK)) if m.any() else r1
            for r1, r2, m in zip(results, second, masks)]


def _merge(r1: BudgetResult, r2: BudgetResult, use2: np.ndarray) -> BudgetResult:
    """Per case ``r2`` where ``use2``, else ``r1`` (outputs too, on first access)."""
    if not use2.any():
        return r1

    def pick(a, b):
        return np.where(use2, np.broadcast_to(b, use2.shape), np.broadcast_to(a, use2.shape))

    def phase_data() -> dict[str, np.ndarray]:
        d1, d2 = r1.phase_data, r2.phase_data
        return {k: np.where(use2[..., None], d2[k], d1[k]) for k in d1}

    o1, o2 = r1.outputs, r2.outputs
    outputs = _Outputs(o1.launches, lambda ln: pick(o1.launch_mass_of(ln), o2.launch_mass_of(ln)), o1.elements,
                       lambda n: pick(o1.load_of(n), o2.load_of(n)), phase_data,
                       lambda n: pick(o1.unused_of(n), o2.unused_of(n)),
                       lambda n: pick(o1.item_mass_of(n), o2.item_mass_of(n)), o1.items)
    return BudgetResult(payload_kg=pick(r1.payload_kg, r2.payload_kg),
                        status=pick(r1.status, r2.status).astype(np.int8), phase_names=r1.phase_names,
                        phase_kinds=r1.phase_kinds, phase_elements=r1.phase_elements, shape=r1.shape,
                        outputs=outputs)


def _solve_walk(mission: Mission, closings: list[tuple], margins: Margins, shape: tuple[int, ...] | None,
                capped: frozenset[str]) -> list[BudgetResult]:
    """The budgets of :func:`_solve_budgets` with the receivers ``capped`` launched empty."""
    names = mission.member_names()
    if len(set(names)) != len(names):
        raise ValueError(f"member names must be unique: {names}")
    payload_items = [i.name for i in mission.items if i.payload]
    if len(payload_items) != 1:
        raise ValueError(f"a mission needs exactly one payload item, got {payload_items}")

    # ---- case shape
    scalars = [margins.dv_margin, margins.dry_growth, margins.reserve]
    scalars += [p.dv_m_s for p in mission.phases] + [p.days for p in mission.phases]
    scalars += [x for p in mission.phases if p.kind == "propellant" for x in (p.amount_kg, p.loss)]
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
    unknowns = [payload_items[0]] + [e.name if e.name not in capped else f"take:{e.name}"
                                     for e in mission.elements if e.sized] + \
               [i.name for i in mission.items if i.entry_fraction is not None]
    K = len(unknowns)
    w = _Walk(mission, margins, shape, unknowns, capped)
    with np.errstate(all="ignore"):
        shared, fixed_checks, initial, load, item_mass, _ = w.walk(record=False)
    if len(shared) + 1 != K:  # pragma: no cover - construction guarantees it
        raise AssertionError(f"{len(shared) + 1} equations for {K} unknowns")
    # rows a . x = rhs of the shared equations (a . x + b = 0), built once for every closing
    shared_rows = [{k: c for k, c in eq.items() if k != _C} for eq in shared]
    with np.errstate(all="ignore"):
        shared_rhs = [-eq[_C] if _C in eq else _ZERO for eq in shared]
        # cases with a non-finite mission input (a delta-v, mass, Isp, margin ...), the inputs
        # themselves (also those that change no number) and the equations (finite inputs that
        # overflow): checked once for every closing, by reductions (a per-case mask only where
        # some value is not finite)
        bad_shared = w.invalid_inputs() | _non_finite([c for r in shared_rows for c in r.values()] + shared_rhs)
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
            closing = {k: c for k, c in form.items() if k != _C}
            rows = shared_rows + [closing]
            rhs = shared_rhs + [value - form[_C] if _C in form else value]
            # a non-finite closing value is the launcher's (NaN: it cannot reach the delivery
            # target) in a forward budget, an invalid required payload in a backward one (as a
            # negative one is); any other non-finite entry (or a finite value less a finite
            # constant that overflows) is invalid input. Together they are every non-finite entry
            # of the system.
            own = [*closing.values(), *((form[_C],) if _C in form else ())]
            if kind == "launch":
                bad_cap = _non_finite([value])
                bad_in = bad_shared | _non_finite(own) | (_non_finite(rhs[-1:]) & ~bad_cap)
            else:
                bad_cap = np.False_
                bad_in = bad_shared | _non_finite([*own, rhs[-1]]) | out_of_range([(value, _MASS)])
            x, cond_ok, _ = _solve(rows, rhs, K, shape, bad_in | bad_cap)
            results.append(_result(mission, w, x, cond_ok, bad_in, bad_cap, fixed_checks, initial, load, item_mass,
                                   shape, w.state.surplus, w.state.takes))
    return results


def _result(mission, w, x, cond_ok, bad_input, bad_launcher, fixed_checks, initial, load, item_mass, shape, surplus,
            takes) -> BudgetResult:
    """Statuses and outputs of one solved budget (``x`` = the unknowns per case): ``bad_input``
    marks the cases with a non-finite mission input (``INVALID_INPUT``, checked first),
    ``bad_launcher`` those whose launcher capability is not finite (``LAUNCHER_INFEASIBLE``)."""
    with np.errstate(all="ignore"):
        status = np.zeros(shape, dtype=np.int8)

        def flag(mask, code):
            nonlocal status
            if np.any(mask):
                status = np.where((status == 0) & mask, np.int8(code), status)

        flag(bad_input, BudgetStatus.INVALID_INPUT)
        flag(bad_launcher, BudgetStatus.LAUNCHER_INFEASIBLE)
        flag(~cond_ok, BudgetStatus.SINGULAR)
        loads = {n: _ev(f, x) for n, f in load.items()}
        neg = np.False_
        for e in mission.elements:
            if e.sized:
                neg = neg | (loads[e.name] < 0)
        for i in mission.items:
            if i.entry_fraction is not None:
                neg = neg | (_ev(item_mass[i.name], x) < 0)
        for f in takes:  # a capped transfer gives, it does not take back
            neg = neg | (_ev(f, x) < 0)
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

    def unused_of(n: str) -> np.ndarray:
        with np.errstate(all="ignore"):
            return _full(_ev(surplus[n], x), shape)

    def item_mass_of(n: str) -> np.ndarray:
        with np.errstate(all="ignore"):
            return _full(_ev(item_mass[n], x), shape)

    def phase_data() -> dict[str, np.ndarray]:
        with np.errstate(all="ignore"):
            rec = w.walk(record=True)[-1]
            out = {}
            for k in _PHASE_KEYS:
                vals = getattr(rec, k) if k == "dv_m_s" else [_ev(f, x) for f in getattr(rec, k)]
                out[k] = np.stack([np.broadcast_to(v, shape) for v in vals], axis=-1) if vals \
                    else np.zeros(shape + (0,))
        return out

    return BudgetResult(
        payload_kg=payload,
        status=status,
        phase_names=[p.name for p in mission.phases],
        phase_kinds=[p.kind for p in mission.phases],
        phase_elements=[p.element for p in mission.phases],
        shape=shape,
        outputs=_Outputs(tuple(initial), launch_mass_of, tuple(load), load_of, phase_data, unused_of,
                         item_mass_of, tuple(item_mass)),
    )


def forward(mission: Mission, delivered_kg, *, launch: str | None = None, margins: Margins = Margins()) -> BudgetResult:
    """Payload [kg] a mission carries when launch ``launch`` (default: the only/first launch)
    delivers ``delivered_kg`` [kg]."""
    ln = launch or next(iter(mission.launch_members()))
    return solve_budget(mission, launch_mass_kg={ln: delivered_kg}, margins=margins)


def backward(mission: Mission, payload_kg, *, margins: Margins = Margins()) -> BudgetResult:
    """Delivered mass [kg] per launch needed for a payload of ``payload_kg`` [kg]."""
    return solve_budget(mission, payload_kg=payload_kg, margins=margins)
