"""The flight plan of a concept and its checks.

:func:`expand` turns a :class:`~.concept.Concept` (with a choice per categorical alternative and a
number per counted launch) into the flown sequence: repeated launches become copies
(``tanker 1``, ``tanker 2``, ...), phases marked ``repeat: LAUNCH`` become one phase per copy, choices
are spliced in. :func:`check_flow` walks that sequence as the budget will and refuses what cannot
fly, each time naming the phase or element (a :class:`~.concept.ConceptError` with its path):

- an element used before its launch flies, or after it is dropped; a launch flown twice or never;
  an element no launch carries, or carried by two launches;
- a burn by an element that is not in the stack or has no engine (no Isp);
- a propellant transfer from an unknown element, from one without tanks, from an empty tank (a
  fixed load of zero, or a tank that gave ``all`` and was not refilled), or into one without tanks;
- a phase with nothing to fly (every member named is gone);
- an aeroshell never sized by an aero phase (its mass would be unknown);
- a reusable element whose loop never closes (it does not end at the place where it started);
- not exactly one payload.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .concept import Concept, ConceptError, ElementDef, LaunchDef, PhaseDef, did_you_mean

__all__ = ["FlightPlan", "expand", "check_flow", "counts_of"]


@dataclass(frozen=True)
class FlightPlan:
    """The flown sequence: ``elements`` (name -> definition, copies of repeated launches included,
    in order), ``launches`` (name -> (definition, carried element names)), ``phases`` (expanded
    :class:`~.concept.PhaseDef` s) and ``arrive`` (phase index -> members joining there)."""

    elements: dict[str, ElementDef]
    launches: dict[str, tuple[LaunchDef, tuple[str, ...]]]
    phases: tuple[PhaseDef, ...]
    arrive: dict[int, tuple[str, ...]]


def counts_of(concept: Concept, env: dict | None = None) -> dict[str, int]:
    """Number of copies of each launch (1, or its ``count`` evaluated with parameter values ``env``,
    default the concept's own values). Raises ``ValueError`` naming the count parameter if its value
    is not a whole number from 0 to 1000 (a scalar: the count shapes the flight plan)."""
    env = env if env is not None else {n: p.value for n, p in concept.parameters.items()}
    out = {}
    for name, ld in concept.launches.items():
        if ld.count is None:
            out[name] = 1
            continue
        v = ld.count(env)
        if np.ndim(v) != 0:
            raise ValueError(f"the number of '{name}' launches ({ld.count.text}) is one value per architecture "
                             "variant (it shapes the flight plan), not a per-case array")
        for p in ld.count.names:  # a count parameter: a whole number in [0, 1000], else a ValueError naming it
            concept.parameters[p].check(float(v))
        out[name] = int(v)
    return out


def _rename(names, mapping):
    return None if names is None else tuple(mapping.get(n, n) for n in names)


def expand(concept: Concept, choice: dict[str, str] | None = None, counts: dict[str, int] | None = None) -> FlightPlan:
    """The :class:`FlightPlan` of ``concept`` for the options ``choice`` and launch ``counts``."""
    counts = counts if counts is not None else counts_of(concept)
    defs = concept.element_defs(choice)
    owner: dict[str, str] = {}
    for lname, ld in concept.launches.items():
        for i, e in enumerate(ld.carries):
            if e in owner:
                raise ConceptError(ld.path + ("carries", i), f"element '{e}' is carried by launches '{owner[e]}' and "
                                                             f"'{lname}'; an element flies on one launch")
            owner[e] = lname
    counted = {n for n, ld in concept.launches.items() if ld.count is not None}
    copies: dict[str, list[dict[str, str]]] = {}  # counted launch -> per copy: element -> copy name
    elements: dict[str, ElementDef] = {}
    launches: dict[str, tuple[LaunchDef, tuple[str, ...]]] = {}
    for ename, ed in defs.items():
        if ename not in owner:
            raise ConceptError(ed.path, f"element '{ename}' is never launched: add it to the 'carries' of a launch")
        if owner[ename] not in counted:
            elements[ename] = ed
    for lname, ld in concept.launches.items():
        carried = tuple(e for e in ld.carries if e in defs)
        if lname not in counted:
            launches[lname] = (ld, carried)
            continue
        copies[lname] = []
        for k in range(1, counts[lname] + 1):
            m = {e: f"{e} {k}" for e in carried}
            copies[lname].append(m)
            for e in carried:
                elements[m[e]] = replace(defs[e], name=m[e])
            launches[f"{lname} {k}"] = (ld, tuple(m[e] for e in carried))
    counted_elements = {e: ln for ln in counted for e in concept.launches[ln].carries}
    phases: list[PhaseDef] = []
    for ph in concept.phase_sequence(choice):
        if ph.repeat is not None:
            if ph.repeat not in counted:
                raise ConceptError(ph.path + ("repeat",), f"phase '{ph.name}': 'repeat' names a launch with a 'count'"
                                                          f"{did_you_mean(ph.repeat, counted)}")
            for k, m in enumerate(copies[ph.repeat], start=1):
                phases.append(_renamed(ph, m, f"{ph.name} {k}", copies, (ph.repeat, k)))
            continue
        for e in _members_named(ph):
            if e in counted_elements:
                raise ConceptError(ph.path, f"phase '{ph.name}': element '{e}' flies once per '{counted_elements[e]}' "
                                            f"launch; name it in a phase with 'repeat: {counted_elements[e]}'")
        phases.append(_renamed(ph, {}, ph.name, copies))
    arrive: dict[int, tuple[str, ...]] = {}
    for i, ph in enumerate(phases):
        if ph.kind == "launch":
            arrive[i] = tuple(m for ln in ph.launches if ln in launches for m in launches[ln][1])
    return FlightPlan(elements, launches, tuple(phases), arrive)


def _members_named(ph: PhaseDef) -> list[str]:
    out = list(ph.stack or ()) + list(ph.drop)
    out += [x for x in (ph.element, ph.source_el, ph.target_el, ph.sized_item) if x is not None]
    return out


def _renamed(ph: PhaseDef, m: dict[str, str], name: str, copies: dict, copy: tuple | None = None) -> PhaseDef:
    """``ph`` for one copy ``copy = (launch, k)`` of a repeated launch (``m``: element -> copy
    name), or with every repeated launch it lists expanded to all its copies."""
    launches = []
    for ln in ph.launches:
        if copy is not None and ln == copy[0]:
            launches.append(f"{ln} {copy[1]}")
        else:
            launches += [f"{ln} {k}" for k in range(1, len(copies[ln]) + 1)] if ln in copies else [ln]
    return replace(ph, name=name, element=m.get(ph.element, ph.element), source_el=m.get(ph.source_el, ph.source_el),
                   target_el=m.get(ph.target_el, ph.target_el), sized_item=m.get(ph.sized_item, ph.sized_item),
                   stack=_rename(ph.stack, m), drop=_rename(ph.drop, m), launches=tuple(launches))


def check_flow(concept: Concept, choice: dict[str, str] | None = None, counts: dict[str, int] | None = None) -> FlightPlan:
    """Check the flight plan of ``concept`` (see the module docstring); return it."""
    plan = expand(concept, choice, counts)
    els = plan.elements
    payloads = [n for n, e in els.items() if e.type == "payload"]
    if len(payloads) != 1:
        path = els[payloads[1]].path if len(payloads) > 1 else ("elements",)
        raise ConceptError(path, "a concept has exactly one element of type 'payload' (what the budget solves for); "
                                 + (f"found {len(payloads)}: {', '.join(payloads)}" if payloads else "found none"))
    for lname, (ld, carried) in plan.launches.items():
        for e in carried:
            if els[e].load == "launch":
                others = [o for o in carried if o != e and (els[o].load == "sized" or els[o].type in ("payload", "aeroshell"))]
                if others or ld.fill:
                    raise ConceptError(els[e].path + ("propellant",),
                                       f"element '{e}' takes what its launch '{lname}' lifts (propellant: launch), so "
                                       "that launch can carry nothing sized (" + (", ".join(others) or "fill: true")
                                       + "); give the others fixed masses or fly them on another launch")
    launched_at: dict[str, str] = {}  # launch -> phase name
    member_launch = {m: ln for ln, (_, carried) in plan.launches.items() for m in carried}
    present: set[str] = set()
    dropped: dict[str, str] = {}
    emptied: dict[str, str] = {}
    start: dict[str, str | None] = {}
    place: dict[str, str | None] = {}
    sized: set[str] = set()
    received: set[str] = set()  # tanks that received propellant (a depot launched empty, then filled)

    written = list(concept.element_defs(choice))

    def known(name: str, path, ph: PhaseDef, what: str = "element") -> None:
        if name not in els:
            raise ConceptError(path, f"phase '{ph.name}': '{name}' is not an {what} of this concept"
                                     f"{did_you_mean(name, written) or did_you_mean(name, els)}")

    def here(name: str, path, ph: PhaseDef) -> None:
        known(name, path, ph)
        if name in dropped:
            raise ConceptError(path, f"phase '{ph.name}': element '{name}' is used after it is dropped in phase "
                                     f"'{dropped[name]}'")
        if name not in present:
            ln = member_launch[name]
            when = f"it flies in phase '{launched_at[ln]}'" if ln in launched_at else \
                f"no launch phase flies launch '{ln}' before this"
            raise ConceptError(path, f"phase '{ph.name}': element '{name}' is used before it is launched ({when})")

    for ph in plan.phases:
        if ph.kind == "launch":
            for i, ln in enumerate(ph.launches):
                if ln not in plan.launches:
                    raise ConceptError(ph.path + ("launches", i), f"phase '{ph.name}': '{ln}' is not a launch of this "
                                                                  f"concept{did_you_mean(ln, plan.launches)}")
                if ln in launched_at:
                    raise ConceptError(ph.path + ("launches", i), f"phase '{ph.name}': launch '{ln}' already flew in "
                                                                  f"phase '{launched_at[ln]}'")
                launched_at[ln] = ph.name
                for m in plan.launches[ln][1]:
                    present.add(m)
                    start[m] = place[m] = ph.at
        for key, name in (("element", ph.element), ("from", ph.source_el), ("to", ph.target_el)):
            if name is not None and name in els:
                here(name, ph.path + (key,), ph)
        if ph.stack is not None:
            for i, m in enumerate(ph.stack):
                here(m, ph.path + ("stack",), ph)
            stack = list(ph.stack)
        else:
            stack = [m for m in els if m in present]
        if not stack and ph.kind != "launch":
            raise ConceptError(ph.path, f"phase '{ph.name}' has nothing to fly: every element is gone (dropped or not "
                                        "launched yet)")
        if ph.kind in ("burn", "return", "rendezvous"):
            here(ph.element, ph.path + ("element",), ph)
            e = els[ph.element]
            if ph.element not in stack:
                raise ConceptError(ph.path + ("element",), f"phase '{ph.name}': element '{ph.element}' burns but is not "
                                                           "in the phase's stack; add it to 'stack'")
            if not e.can_burn:
                raise ConceptError(ph.path + ("element",), f"phase '{ph.name}': element '{ph.element}' ({e.type}) has no "
                                                           "engine (no Isp) and cannot burn")
            if e.load is None and ph.element in emptied:
                raise ConceptError(ph.path + ("element",), f"phase '{ph.name}': element '{ph.element}' gave all its "
                                                           f"propellant in phase '{emptied[ph.element]}'")
        if ph.kind == "propellant_transfer":
            for key, name in (("from", ph.source_el), ("to", ph.target_el)):
                if name not in els:
                    raise ConceptError(ph.path + (key,), f"phase '{ph.name}': propellant transferred {key} an unknown "
                                                         f"tank '{name}'{did_you_mean(name, written) or did_you_mean(name, els)}")
                here(name, ph.path + (key,), ph)
                if not els[name].propulsive:
                    raise ConceptError(ph.path + (key,), f"phase '{ph.name}': '{name}' ({els[name].type}) has no "
                                                         "propellant tank")
                if name not in stack:
                    raise ConceptError(ph.path + (key,), f"phase '{ph.name}': '{name}' must be docked (in the stack) "
                                                         "for a propellant transfer")
            if ph.source_el == ph.target_el:
                raise ConceptError(ph.path + ("to",), f"phase '{ph.name}': a tank cannot transfer to itself")
            src = els[ph.source_el]
            fixed0 = src.load is None and "propellant" in src.fields and src.fields["propellant"].const == 0.0 \
                and ph.source_el not in received
            if ph.source_el in emptied or fixed0:
                why = f"it gave all its propellant in phase '{emptied[ph.source_el]}'" if ph.source_el in emptied \
                    else "its propellant load is 0"
                raise ConceptError(ph.path + ("from",), f"phase '{ph.name}': propellant transferred from an empty tank "
                                                        f"'{ph.source_el}' ({why})")
            if ph.amount == "all":
                emptied[ph.source_el] = ph.name
            emptied.pop(ph.target_el, None)
            received.add(ph.target_el)
        if ph.kind == "aero":
            known(ph.sized_item, ph.path + ("sized_item",), ph)
            if els[ph.sized_item].type != "aeroshell":
                raise ConceptError(ph.path + ("sized_item",), f"phase '{ph.name}': '{ph.sized_item}' is a "
                                                              f"{els[ph.sized_item].type}, not an aeroshell")
            here(ph.sized_item, ph.path + ("sized_item",), ph)
            if ph.sized_item not in stack:
                raise ConceptError(ph.path + ("sized_item",), f"phase '{ph.name}': aeroshell '{ph.sized_item}' must be "
                                                              "in the stack that enters")
            if ph.sized_item in sized:
                raise ConceptError(ph.path + ("sized_item",), f"phase '{ph.name}': aeroshell '{ph.sized_item}' is "
                                                              "already used by an earlier aero phase")
            sized.add(ph.sized_item)
        if ph.at is not None:
            for m in stack:
                place[m] = ph.at
        for m in ph.drop:
            here(m, ph.path + ("drop",), ph)
            present.discard(m)
            dropped[m] = ph.name
    for ln, (ld, _) in plan.launches.items():
        if ln not in launched_at:
            raise ConceptError(ld.path, f"launch '{ln}' never flies: list it in the 'launches' of a launch phase")
    for n, e in els.items():
        if e.type == "aeroshell" and n not in sized:
            raise ConceptError(e.path, f"aeroshell '{n}' is never sized: name it as 'sized_item' of an aero phase")
        if e.reusable:
            if n in dropped:
                raise ConceptError(e.path + ("reusable",), f"reusable element '{n}' is dropped in phase '{dropped[n]}'; "
                                                           "a reusable element stays in service")
            if start.get(n) is None or place.get(n) != start.get(n):
                raise ConceptError(e.path + ("reusable",),
                                   f"reusable element '{n}': its loop never closes: it starts at "
                                   f"'{start.get(n)}' and ends at '{place.get(n)}'; add the phases that bring it back "
                                   "(with 'at:' places) or set reusable: false")
    return plan
