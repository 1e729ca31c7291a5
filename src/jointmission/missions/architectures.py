"""Moon and Mars mission architectures as budgets (:mod:`.budget`) fed by launcher capabilities.

An :class:`Architecture` is a :class:`~.budget.Mission` (members and phases) plus, per launch, what
the launcher delivers to (a C3 such as trans-lunar injection, or a circular LEO) and which launches
may be "filled" to the launcher's capability. :func:`evaluate` takes the launcher capability for
every delivery target (arrays over launcher variants) and returns the payload landed, the mass of
every launch, the number of heavy launches and a status per case -- vectorized, no loop over cases.

Forward with several launches: each fillable launch is tried as *the* constraint (its delivered mass
= capability, a linear solve); a solution is feasible when every other launch fits its launcher; the
payload is the smallest feasible one (the budgets are linear and monotone, so that is the one where
the binding launch is full). Backward (``required_payload_kg``): the delivered mass of every launch
for that payload, and the heavy launches needed = sum of ceil(mass / capability) per launch (a launch
that exceeds one launcher is assumed split over several with Earth-orbit assembly).

Moon (payload = cargo landed on the surface, t):

- ``moon_direct``: one launch to TLI; a sized descent stage does LOI and the landing (uncrewed cargo).
- ``moon_lor_single``: Apollo-style; one launch to TLI carries a crew vehicle and a two-stage lander;
  the crew vehicle's engine does LOI for the stack; lander descends, ascends and docks; crew vehicle
  does TEI.
- ``moon_lor_two_launch``: lander and crew vehicle on separate heavy launches to TLI, each does its
  own LOI, rendezvous in LLO (the Chinese crewed lunar plan: Lanyue + Mengzhou on two Long March
  10s).
- ``moon_eor_two_launch``: launch 1 puts an Earth departure stage in LEO (loiters, boils off),
  launch 2 the crew vehicle + lander stack; docking; the EDS does TLI; then as ``moon_lor_single``.
- ``moon_nrho``: two launches to TLI; lander and crew vehicle insert into the L2 NRHO; the lander
  flies NRHO -> LLO -> surface -> LLO -> NRHO (Artemis-style staging orbit).

Mars:

- ``mars_cargo``: one launch to the window's C3; cruise (boil-off); aerocapture (heat-shield fraction)
  or propulsive capture (sized capture stage); entry, descent and landing: the entry system
  (1 - landed fraction of the entry mass) is dropped, a sized descent stage does the terminal
  descent; payload landed.
- ``mars_crewed``: simplified conjunction-class round trip, backward: habitat + crew + Earth-return
  capsule; a sized LOX/LH2 TMI stage (LEO loiter), propulsive capture, ~500 days at Mars (boil-off),
  TEI, direct entry. Result: mass in LEO (IMLEO) and the number of heavy launches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..vehicles.targets import DEFAULT_PARKING_ALT_M, Target
from .budget import BudgetResult, BudgetStatus, Item, Margins, Mission, Phase, _solve_budgets, solve_budget
from .elements import element, phase_value
from .phases import earth_departure_dv, lunar_capture_dv, mars_capture_dv

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

    def phase_table(self, index=()) -> list[dict[str, Any]]:
        """Phase rows (see :meth:`BudgetResult.phase_table`) of the binding solution of one case."""
        idx = (index,) if isinstance(index, int) else tuple(index)
        b = str(np.asarray(self.binding)[idx]) if np.ndim(self.binding) else str(self.binding)
        key = b if b in self.budgets else next(iter(self.budgets))
        return self.budgets[key].phase_table(idx)


# ------------------------------------------------------------------------------------- builders
def _p(body: str, key: str, params: dict, name: str | None = None, scale: float = 1.0):
    """Parameter ``name`` (default ``key``) from ``params`` else the sourced data value x ``scale``."""
    n = name or key
    return params[n] if n in params else phase_value(body, key) * scale


def _elements(params: dict, *keys: tuple[str, str]):
    """Generic elements with per-scenario overrides ``params['elements'][key] = {...}``."""
    over = params.get("elements", {})
    return tuple(element(k, name=n, **over.get(k, {})) for k, n in keys)


@dataclass(frozen=True)
class _Lunar:
    """The sourced (or overridden) inputs every Moon architecture shares: delta-v [m/s], durations
    [d], masses [kg], the TLI delivery and the parking altitude [m]."""

    tli_c3: float
    park: float
    tli: Target
    loi: Any
    src_loi: str
    descent: Any
    ascent: Any
    rdv: Any
    tei: Any
    transit: Any
    surface: Any
    wait: Any
    cargo: Item
    crew: Item


def _lunar(params: dict) -> _Lunar:
    """:class:`_Lunar` from ``params`` and ``missions.yaml``."""
    tli_c3 = params.get("tli_c3_m2_s2", -2.0e6)
    park = params.get("parking_alt_m", DEFAULT_PARKING_ALT_M)
    vinf = _p("lunar", "arrival_vinf_m_s", params)
    llo = _p("lunar", "llo_altitude_km", params, "llo_altitude_m", 1e3)
    return _Lunar(
        tli_c3=tli_c3, park=park, tli=Target.c3(tli_c3, park),
        loi=lunar_capture_dv(vinf, llo), src_loi="core.orbits.capture_dv (Moon, v_inf -> circular LLO)",
        descent=_p("lunar", "descent_dv_m_s", params), ascent=_p("lunar", "ascent_dv_m_s", params),
        rdv=_p("lunar", "rendezvous_dv_m_s", params), tei=_p("lunar", "tei_dv_m_s", params),
        transit=_p("lunar", "transit_days", params), surface=_p("lunar", "surface_days", params),
        wait=_p("lunar", "lunar_orbit_wait_days", params),
        cargo=Item("cargo", payload=True), crew=Item("crew", mass_kg=_p("lunar", "crew_kg", params)),
    )


_LANDER = ("descent stage", "ascent stage", "cargo")
"""Members of a crewed lander (launched together in the two-launch architectures)."""


def _landing(L: _Lunar) -> tuple[Phase, ...]:
    """Crew transfer, descent, surface stay and ascent of a crewed lander."""
    return (
        Phase("crew transfer to lander", "transfer"),
        Phase("descent and landing", "burn", "descent stage", L.descent, stack=_LANDER + ("crew",),
              drop=("cargo", "descent stage"), source="missions.yaml lunar.descent_dv_m_s"),
        Phase("surface stay", "loiter", days=L.surface, stack=("ascent stage", "crew")),
        Phase("ascent", "burn", "ascent stage", L.ascent, stack=("ascent stage", "crew"),
              source="missions.yaml lunar.ascent_dv_m_s"),
    )


def _lunar_return(L: _Lunar) -> tuple[Phase, ...]:
    """Rendezvous in LLO, trans-Earth injection and the coast home."""
    return (
        Phase("rendezvous and docking", "rendezvous", "ascent stage", L.rdv, stack=("ascent stage", "crew"),
              drop=("ascent stage",), source="missions.yaml lunar.rendezvous_dv_m_s"),
        Phase("TEI", "burn", "crew vehicle", L.tei, stack=("crew vehicle", "crew"),
              source="missions.yaml lunar.tei_dv_m_s"),
        Phase("trans-Earth coast and entry", "entry", days=L.transit),
    )


def _lor(L: _Lunar) -> tuple[Phase, ...]:
    """Lunar-orbit rendezvous after TLI: coast, LOI on the crew vehicle's engine, landing, return."""
    return (
        Phase("translunar coast", "coast", days=L.transit),
        Phase("LOI (crew vehicle engine)", "burn", "crew vehicle", L.loi, source=L.src_loi),
        *_landing(L), *_lunar_return(L),
    )


def _crewed_elements(params: dict) -> tuple:
    return _elements(params, ("crew_vehicle", "crew vehicle"), ("lunar_descent_stage", "descent stage"),
                     ("lunar_ascent_stage", "ascent stage"))


def _moon_direct(arch: str, params: dict, L: _Lunar) -> Architecture:
    (ds,) = _elements(params, ("lunar_descent_stage", "descent stage"))
    ph = (
        Phase("TLI (launcher)", "launch", source="launcher payload to C3"),
        Phase("translunar coast", "coast", days=L.transit),
        Phase("LOI", "burn", "descent stage", L.loi, source=L.src_loi),
        Phase("descent and landing", "burn", "descent stage", L.descent, drop=("cargo", "descent stage"),
              source="missions.yaml lunar.descent_dv_m_s"),
    )
    m = Mission(arch, (ds,), (L.cargo,), ph)
    return Architecture(arch, DESCRIPTIONS[arch], m, {"launch": L.tli}, ("launch",), False, "moon")


def _moon_nrho(arch: str, params: dict, L: _Lunar) -> Architecture:
    cv, ds, asc = _crewed_elements(params)
    nrho_in = _p("lunar", "nrho_insertion_dv_m_s", params)
    nrho_llo = _p("lunar", "nrho_llo_dv_m_s", params)
    nrho_out = _p("lunar", "nrho_departure_dv_m_s", params)
    ph = (
        Phase("TLI (launchers)", "launch", source="launcher payload to C3"),
        Phase("transit to NRHO", "coast", days=L.transit + 1.0),
        Phase("NRHO insertion, lander", "burn", "descent stage", nrho_in, stack=_LANDER,
              source="missions.yaml lunar.nrho_insertion_dv_m_s"),
        Phase("NRHO insertion, crew vehicle", "burn", "crew vehicle", nrho_in, stack=("crew vehicle", "crew"),
              source="missions.yaml lunar.nrho_insertion_dv_m_s"),
        Phase("wait in NRHO", "loiter", days=L.wait),
        Phase("crew transfer to lander", "transfer"),
        Phase("NRHO to LLO", "burn", "descent stage", nrho_llo, stack=_LANDER + ("crew",),
              source="missions.yaml lunar.nrho_llo_dv_m_s"),
        *_landing(L)[1:],
        Phase("LLO to NRHO", "burn", "ascent stage", nrho_llo, stack=("ascent stage", "crew"),
              source="missions.yaml lunar.nrho_llo_dv_m_s"),
        Phase("rendezvous and docking", "rendezvous", "ascent stage", L.rdv, stack=("ascent stage", "crew"),
              drop=("ascent stage",), source="missions.yaml lunar.rendezvous_dv_m_s"),
        Phase("NRHO departure", "burn", "crew vehicle", nrho_out, stack=("crew vehicle", "crew"),
              source="missions.yaml lunar.nrho_departure_dv_m_s"),
        Phase("trans-Earth coast and entry", "entry", days=L.transit + 1.0),
    )
    m = Mission(arch, (cv, ds, asc), (L.cargo, L.crew), ph,
                launches={"lander": _LANDER, "crew": ("crew vehicle", "crew")})
    return Architecture(arch, DESCRIPTIONS[arch], m, {"lander": L.tli, "crew": L.tli}, ("lander",), True, "moon")


def _moon_lor_two_launch(arch: str, params: dict, L: _Lunar) -> Architecture:
    cv, ds, asc = _crewed_elements(params)
    ph = (
        Phase("TLI (launchers)", "launch", source="launcher payload to C3"),
        Phase("translunar coast", "coast", days=L.transit),
        Phase("LOI, lander", "burn", "descent stage", L.loi, stack=_LANDER, source=L.src_loi),
        Phase("LOI, crew vehicle", "burn", "crew vehicle", L.loi, stack=("crew vehicle", "crew"), source=L.src_loi),
        Phase("wait in LLO", "loiter", days=L.wait),
        *_landing(L), *_lunar_return(L),
    )
    m = Mission(arch, (cv, ds, asc), (L.cargo, L.crew), ph,
                launches={"lander": _LANDER, "crew": ("crew vehicle", "crew")})
    return Architecture(arch, DESCRIPTIONS[arch], m, {"lander": L.tli, "crew": L.tli}, ("lander",), True, "moon")


def _moon_lor_single(arch: str, params: dict, L: _Lunar) -> Architecture:
    cv, ds, asc = _crewed_elements(params)
    ph = (Phase("TLI (launcher)", "launch", source="launcher payload to C3"), *_lor(L))
    m = Mission(arch, (cv, ds, asc), (L.cargo, L.crew), ph)
    return Architecture(arch, DESCRIPTIONS[arch], m, {"launch": L.tli}, ("launch",), True, "moon")


def _moon_eor_two_launch(arch: str, params: dict, L: _Lunar) -> Architecture:
    cv, ds, asc = _crewed_elements(params)
    (eds,) = _elements(params, ("earth_departure_stage", "departure stage"))
    leo = Target.orbit(L.park)
    loiter = _p("lunar", "leo_loiter_days", params)
    tli_dv = earth_departure_dv(L.tli_c3, L.park)
    ph = (
        Phase("launches to LEO", "launch", source="launcher payload to LEO"),
        Phase("LEO loiter and docking", "loiter", days=loiter),
        Phase("TLI (departure stage)", "burn", "departure stage", tli_dv, drop=("departure stage",),
              source="core.orbits.departure_dv (LEO -> TLI C3)"),
        *_lor(L),
    )
    m = Mission(arch, (eds, cv, ds, asc), (L.cargo, L.crew), ph,
                launches={"departure stage": ("departure stage",),
                          "stack": ("crew vehicle", "descent stage", "ascent stage", "cargo", "crew")})
    return Architecture(arch, DESCRIPTIONS[arch], m, {"departure stage": leo, "stack": leo},
                        ("departure stage", "stack"), True, "moon")


_MOON_BUILDERS = {"moon_direct": _moon_direct, "moon_nrho": _moon_nrho, "moon_lor_two_launch": _moon_lor_two_launch,
                  "moon_lor_single": _moon_lor_single, "moon_eor_two_launch": _moon_eor_two_launch}


def _moon(arch: str, params: dict) -> Architecture:
    """A Moon architecture: the shared lunar inputs, then the architecture's own builder."""
    L = _lunar(params)
    if arch not in _MOON_BUILDERS:
        raise ValueError(f"unknown Moon architecture {arch!r}")
    return _MOON_BUILDERS[arch](arch, params, L)


def _mars(arch: str, params: dict) -> Architecture:
    c3 = params.get("tmi_c3_m2_s2", 9.0e6)
    vinf = params.get("arrival_vinf_m_s", 4.0e3)
    park = params.get("parking_alt_m", DEFAULT_PARKING_ALT_M)
    cruise = _p("mars", "cruise_days", params)
    if arch == "mars_cargo":
        capture = params.get("capture", "aerocapture")
        ds, cs = _elements(params, ("mars_descent_stage", "descent stage"), ("mars_capture_stage", "capture stage"))
        cargo = Item("cargo", payload=True)
        entry = Item("entry system", hardware=True,
                     entry_fraction=1.0 - _p("mars", "edl_landed_fraction", params, "landed_fraction"))
        members_el = (ds,)
        items = [cargo, entry]
        ph = [Phase("TMI (launcher)", "launch", source="launcher payload to C3"),
              Phase("cruise to Mars", "coast", days=cruise)]
        if capture == "aerocapture":
            hs = Item("aerocapture heat shield", hardware=True,
                      entry_fraction=_p("mars", "aerocapture_heatshield_fraction", params, "heatshield_fraction"))
            items.append(hs)
            ph.append(Phase("aerocapture", "aero", sized_item="aerocapture heat shield",
                            drop=("aerocapture heat shield",), source="missions.yaml mars.aerocapture_heatshield_fraction"))
        elif capture == "propulsive":
            members_el = (ds, cs)
            ph.append(Phase("Mars orbit insertion", "burn", "capture stage", mars_capture_dv(vinf),
                            drop=("capture stage",), source="core.orbits.capture_dv (Mars, 250 km x 1 sol)"))
        else:
            raise ValueError(f"capture must be 'aerocapture' or 'propulsive', got {capture!r}")
        ph += [
            Phase("entry and parachutes", "aero", sized_item="entry system", drop=("entry system",),
                  source="missions.yaml mars.edl_landed_fraction"),
            Phase("terminal descent and landing", "burn", "descent stage",
                  _p("mars", "terminal_descent_dv_m_s", params), drop=("cargo", "descent stage"),
                  source="missions.yaml mars.terminal_descent_dv_m_s"),
        ]
        m = Mission(arch, members_el, tuple(items), tuple(ph))
        return Architecture(arch, DESCRIPTIONS[arch], m, {"launch": Target.c3(c3, park)}, ("launch",),
                            False, "mars", notes={"capture": capture})
    if arch == "mars_crewed":
        tmi, moi, tei = _elements(params, ("earth_departure_stage", "TMI stage"),
                                  ("mars_capture_stage", "MOI stage"), ("mars_capture_stage", "TEI stage"))
        hab = Item("transit habitat", mass_kg=_p("mars", "transit_habitat_kg", params), hardware=True)
        capsule = Item("Earth-return capsule", mass_kg=_p("mars", "earth_return_capsule_kg", params), hardware=True)
        crew = Item("crew", mass_kg=_p("mars", "crew_kg", params))
        extra = Item("extra payload", payload=True)
        ret_vinf = _p("mars", "return_vinf_m_s", params)
        ph = (
            Phase("launches to LEO and assembly", "launch", source="launcher payload to LEO"),
            Phase("LEO loiter and assembly", "loiter", days=_p("lunar", "leo_loiter_days", params) * 6),
            Phase("TMI", "burn", "TMI stage", earth_departure_dv(c3, park), drop=("TMI stage",),
                  source="core.orbits.departure_dv (LEO -> C3)"),
            Phase("cruise to Mars", "coast", days=cruise),
            Phase("Mars orbit insertion", "burn", "MOI stage", mars_capture_dv(vinf), drop=("MOI stage",),
                  source="core.orbits.capture_dv (Mars, 250 km x 1 sol)"),
            Phase("stay at Mars (crew on the surface)", "loiter", days=_p("mars", "mars_stay_days", params)),
            Phase("TEI", "burn", "TEI stage", mars_capture_dv(ret_vinf), drop=("TEI stage",),
                  source="core.orbits.capture_dv (symmetric departure from 250 km x 1 sol)"),
            Phase("cruise to Earth and entry", "entry", days=cruise, drop=("transit habitat",)),
        )
        m = Mission(arch, (tmi, moi, tei), (hab, capsule, crew, extra), ph,
                    launches={"stack": ("TMI stage", "MOI stage", "TEI stage", "transit habitat",
                                        "Earth-return capsule", "crew", "extra payload")})
        return Architecture(arch, DESCRIPTIONS[arch], m, {"stack": Target.orbit(park)}, (), True, "mars")
    raise ValueError(f"unknown Mars architecture {arch!r}")


def build(arch: str, **params: Any) -> Architecture:
    """The :class:`Architecture` ``arch`` (one of :data:`ARCHITECTURES`). ``params`` (SI) override
    the sourced defaults: ``tli_c3_m2_s2``, ``parking_alt_m``, ``arrival_vinf_m_s``, ``llo_altitude_m``,
    ``descent_dv_m_s``, ``ascent_dv_m_s``, ``tei_dv_m_s``, ``transit_days``, ``surface_days``,
    ``lunar_orbit_wait_days``, ``leo_loiter_days``, ``crew_kg``; Mars: ``tmi_c3_m2_s2``,
    ``arrival_vinf_m_s``, ``capture`` (``aerocapture``/``propulsive``), ``landed_fraction``,
    ``heatshield_fraction``, ``cruise_days``, ``terminal_descent_dv_m_s``; ``elements`` =
    ``{element key: {isp_s, dry_kg, dry_fraction, propellant_kg, capacity_kg, ...}}``."""
    if arch in MOON_ARCHITECTURES:
        return _moon(arch, params)
    if arch in MARS_ARCHITECTURES:
        return _mars(arch, params)
    raise ValueError(f"unknown architecture {arch!r}; known: {', '.join(ARCHITECTURES)}")


class _KeyRecorder(dict):
    """An empty ``elements`` override mapping that records the element keys looked up in it."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()

    def get(self, key, default=None):
        self.used.add(key)
        return super().get(key, default)


@functools.cache
def elements_used(arch: str) -> frozenset[str]:
    """Keys of the generic elements (:data:`~jointmission.missions.elements.ELEMENT_KEYS`) that
    architecture ``arch`` is built from (any capture mode), i.e. those whose ``elements`` overrides
    it reads. Found by building it, so the answer cannot drift from :func:`build`."""
    used: set[str] = set()
    for capture in (("aerocapture", "propulsive") if arch == "mars_cargo" else (None,)):
        rec = _KeyRecorder()
        build(arch, elements=rec, **({"capture": capture} if capture else {}))
        used |= rec.used
    return frozenset(used)


# ----------------------------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class _Launchers:
    """Launcher capabilities [kg] broadcast to the case ``shape``, and where they are usable
    (finite and > 0)."""

    cap: dict[str, np.ndarray]
    shape: tuple[int, ...]
    finite: dict[str, Any]
    ok: np.ndarray
    all_ok: bool


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
    return _Launchers(cap, shape, finite, launcher_ok, bool(launcher_ok.all()))


def _evaluate_backward(arch: Architecture, L: _Launchers, margins: Margins, required_payload_kg: Any) -> ArchitectureResult:
    """Backward: the launch masses a required payload needs and the launches to fly them."""
    cap, shape = L.cap, L.shape
    req = np.asarray(0.0 if required_payload_kg is None else required_payload_kg, dtype=float)
    b = solve_budget(arch.mission, payload_kg=req, margins=margins, shape=shape)
    masses = {ln: np.asarray(b.launch_mass_kg[ln]) for ln in arch.deliveries}
    with np.errstate(invalid="ignore", divide="ignore"):
        n = sum(np.ceil(masses[ln] / cap[ln] - 1e-12) for ln in arch.deliveries)
    status = b.status if L.all_ok else \
        np.where(~L.ok & (b.status == 0), np.int8(BudgetStatus.LAUNCHER_INFEASIBLE), b.status)
    # a zero required payload is a valid backward question ("what does the bare mission need?")
    zero_ok = (status == BudgetStatus.PAYLOAD_NOT_POSITIVE) & (req == 0)
    status = np.where(zero_ok, np.int8(0), status)
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
    else:  # st is 0 where ok; LAUNCHER_INFEASIBLE where the launcher fails
        status = st.copy() if L.all_ok else \
            np.where(L.ok, st, np.int8(BudgetStatus.LAUNCHER_INFEASIBLE)).astype(np.int8)
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
        # keep the most informative failure where nothing worked yet
        best_status = np.where(~any_ok & ~ok & L.ok, st, best_status)
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
