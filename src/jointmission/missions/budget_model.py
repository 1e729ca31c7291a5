"""The data of a mission mass budget: its elements, items, phases, margins and the mission, and the
:class:`BudgetResult` a solve returns (arrays over cases, SI units). The solver that walks the phases
is :mod:`jointmission.missions.budget`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from ..core.status import Status

__all__ = ["BudgetStatus", "Element", "Item", "Phase", "Margins", "Mission", "BudgetResult"]


BudgetStatus = Status
"""Status of a budget case: the one scheme of :mod:`jointmission.core.status` (``OK`` and the
mission codes 21-27)."""




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
    transfer_to : for ``propellant``: the element receiving the propellant (``element`` gives it).
    amount : for ``propellant``: ``"mass"`` (``amount_kg`` [kg]), ``"all"`` (everything ``element``
        holds above its residual + reserve) or ``"fill"`` (what ``transfer_to`` lacks to its load).
    amount_kg : the mass moved [kg] when ``amount == "mass"`` (scalar or per-case array).
    loss : fraction of the moved propellant lost in the transfer [-].
    arrive : members that join at this phase (not present, not boiling off, before it).
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
    transfer_to: str | None = None
    amount: str = "mass"
    amount_kg: Any = 0.0
    loss: Any = 0.0
    arrive: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class _Outputs:
    """How a solved budget computes the outputs a sweep usually does not read (each a closure over
    the solve's private affine forms and unknowns): delivered mass per launch and propellant load
    per element [kg], and the per-phase arrays. :class:`BudgetResult` evaluates them on first
    access (``functools.cached_property``)."""

    launches: tuple[str, ...]
    launch_mass_of: Callable[[str], np.ndarray]
    elements: tuple[str, ...]
    load_of: Callable[[str], np.ndarray]
    phase_data: Callable[[], dict[str, np.ndarray]]
    unused_of: Callable[[str], np.ndarray]
    item_mass_of: Callable[[str], np.ndarray] | None = None
    items: tuple[str, ...] = ()


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
    status: np.ndarray
    phase_names: list[str]
    phase_kinds: list[str]
    phase_elements: list[str | None]
    shape: tuple[int, ...]
    outputs: _Outputs = field(repr=False, compare=False)

    @cached_property
    def launch_mass_kg(self) -> dict[str, np.ndarray]:
        """Delivered mass [kg] per launch name."""
        return {ln: self.outputs.launch_mass_of(ln) for ln in self.outputs.launches}

    @cached_property
    def initial_mass_kg(self) -> np.ndarray:
        """Total delivered mass [kg] over all launches."""
        return sum(self.launch_mass_kg.values())

    @cached_property
    def loads_kg(self) -> dict[str, np.ndarray]:
        """Propellant load [kg] per element."""
        return {n: self.outputs.load_of(n) for n in self.outputs.elements}

    @cached_property
    def item_mass_kg(self) -> dict[str, np.ndarray]:
        """Mass [kg] of each non-propulsive item as launched: a fixed item's mass (hardware with
        the dry-mass growth), the payload, and a sized item (heat shield) as solved."""
        if self.outputs.item_mass_of is None:
            return {}
        return {n: self.outputs.item_mass_of(n) for n in self.outputs.items}

    @cached_property
    def unused_propellant_kg(self) -> dict[str, np.ndarray]:
        """Propellant [kg] each element still holds above its residual + reserve when it is
        dropped (or at the end): 0 for a sized element; for a fixed load, what the mission did not
        need (a depot filled beyond what its receiver takes keeps the surplus here)."""
        return {n: self.outputs.unused_of(n) for n in self.outputs.elements}

    @cached_property
    def phase_data(self) -> dict[str, np.ndarray]:
        """Per-phase arrays (last axis = phase): ``dv_m_s``, ``mass_before_kg``, ``mass_after_kg``,
        ``propellant_kg``, ``boiloff_kg``, ``boiloff_all_kg``, ``dropped_kg``."""
        return self.outputs.phase_data()

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
