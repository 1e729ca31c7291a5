"""The architecture variants of a scenario's ``mission:`` section, and each variant built for its
Moon legs or Mars window: the part shared by a single run (:mod:`.mission`) and a sweep
(:mod:`.sweep_eval`).

A variant is one architecture with its Mars window and capture, the chosen options of its concept's
choices and the counts of its repeated launches; :func:`variant_label` names it in every table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..constants import DEFAULT_PARKING_ALT_M
from ..missions import Margins, capability, mars_window, phase_value

__all__ = ["variant_label", "mars_arch", "with_dla", "MARS_OBJECTIVE", "mars_phase_params", "own_launcher_capabilities"]


def variant_label(v: dict[str, Any]) -> str:
    """Label of an architecture variant: ``moon_direct``, ``mars_cargo 2031 (aerocapture)``,
    ``lunar_depot (tankers=4)``: the architecture, the Mars window, the chosen options of its
    choices (when the concept has any) and the counts of its repeated launches."""
    extra = [v["options"][k] for k in v["options"]]
    extra += [f"{k}={n}" for k, n in v.get("counts", {}).items()]
    return v["key"] + (f" {v['window']}" if v["window"] else "") + (f" ({', '.join(extra)})" if extra else "")


def _variants(spec, vehicles: list | None = None, *, latitude_rad: float | None = None,
              margins: Margins | None = None) -> list[dict[str, Any]]:
    """Architecture variants: each listed architecture, per Mars window for a Mars concept, per
    option combination of its choices (``mission.choices``, ``mars.capture``). With the
    ``most_landed`` objective a Mars variant carries, per launcher of ``vehicles``, the transfer on
    which that launcher lands most (``per_launcher``: ``[(Architecture, MarsWindow), ...]``)."""
    from ..missions.architectures import from_concept

    params = spec.params()
    out: list[dict[str, Any]] = []
    windows = {}
    objective = MARS_OBJECTIVE[spec.mars.objective]
    most = bool(spec.mars_list) and objective == "most_landed" and spec.mars.window_source == "transfers" \
        and bool(vehicles)
    if spec.mars_list:
        for year in spec.mars.windows:
            windows[year] = mars_window(year, source=spec.mars.window_source,
                                        objective="c3" if objective == "most_landed" else objective)
    pending: list[dict[str, Any]] = []
    for a in spec.architectures:
        concept = spec.concept(a)
        for opts in spec.options(a):
            if concept.destination == "mars":
                for year, w in windows.items():
                    arch = mars_arch(concept, params, opts, w, from_concept)
                    out.append({"key": a, "arch": arch, "window": str(year), "capture": opts.get("capture", "propulsive"),
                                "options": opts, "mars": w})
                    if most:
                        pending.append({"index": len(out) - 1, "year": year, "concept": concept, "opts": opts})
            else:
                arch = _build(concept, params, opts, from_concept)
                out.append({"key": a, "arch": arch, "window": "", "capture": opts.get("capture", ""),
                            "options": opts, "moon_vinf": _moon_vinf(concept, params)})
    if pending:
        from .mars_choice import most_landed_transfers

        def build_fn(v, c3, vinf, tof_s):
            return mars_arch(v["concept"], params, v["opts"], None, from_concept, c3=c3, vinf=vinf, tof_s=tof_s)

        chosen = most_landed_transfers(list(vehicles), pending, build_fn, margins=margins or Margins(),
                                       required_payload_kg=spec.required_payload, latitude_rad=latitude_rad,
                                       parking_alt_m=float(params.get("parking_alt_m", DEFAULT_PARKING_ALT_M)),
                                       named={(y, "c3"): w for y, w in windows.items()})
        for k, v in enumerate(pending):
            per = [chosen[(k, j)] for j in range(len(vehicles))]
            out[v["index"]]["per_launcher"] = [(mars_arch(v["concept"], params, v["opts"], w, from_concept), w)
                                               for w in per]
    return out


def mars_arch(concept: Any, params: dict[str, Any], opts: dict[str, str], w: Any, from_concept: Any, *, c3: Any = None,
              vinf: Any = None, tof_s: Any = None, values: dict[str, Any] | None = None) -> Any:
    """The architecture of a Mars concept flown on transfer ``w`` (a
    :class:`~jointmission.missions.phases.MarsWindow`): C3, arrival speed, cruise and heat shield
    from it (:func:`mars_phase_params`), and its C3 launches charged the transfer's departure
    declination (and its launches to Earth orbit the assembly orbit's inclination, :func:`with_dla`).
    Or, with ``w`` ``None``, on per-candidate arrays ``c3`` [m^2/s^2], ``vinf`` [m/s],
    ``tof_s`` [s] (a launch's C3 is one value per architecture: a concept whose launches fly to
    ``tmi_c3`` gets the first candidate's there, its capability is given per candidate). ``values``:
    concept parameter values on top (a sweep's count parameters)."""
    import dataclasses

    if w is not None:
        c3, vinf, tof_s = w.c3_m2_s2, w.vinf_arrive_m_s, w.tof_s
    p = dict(params, tmi_c3_m2_s2=c3, arrival_vinf_m_s=vinf)
    p.update(mars_phase_params(params, vinf, tof_s, opts.get("capture")))
    try:
        arch = _build(concept, p, opts, from_concept, values=values)
    except ValueError as exc:
        if np.ndim(c3) == 0 or "one value per architecture variant" not in str(exc):
            raise
        p["tmi_c3_m2_s2"] = float(np.ravel(c3)[0])
        arch = _build(concept, p, opts, from_concept, values=values)
    dla = None if w is None or not math.isfinite(w.dla_rad) else float(w.dla_rad)
    if dla is None:
        return arch
    return dataclasses.replace(arch, deliveries=with_dla(arch.deliveries, dla))


def with_dla(deliveries: dict[str, Any], dla_rad: float | None) -> dict[str, Any]:
    """A Mars concept's launch deliveries charged the transfer's departure declination ``dla_rad``
    [rad]: its C3 launches fly from a parking orbit inclined at least |DLA|, and its launches to a
    circular Earth orbit go to the assembly orbit the stack departs from, which must hold the
    asymptote too (inclined at least |DLA|). Other deliveries unchanged."""
    import dataclasses

    if dla_rad is None:
        return dict(deliveries)
    return {ln: dataclasses.replace(d, dla_rad=float(dla_rad)) if d.kind == "c3" or d.is_circular else d
            for ln, d in deliveries.items()}


MARS_OBJECTIVE = {"least_dv": "dv_total", "least_c3": "c3", "least_vinf": "vinf_arrive", "most_landed": "most_landed"}
"""``mission.mars.objective`` -> the quantity the window's transfer minimises
(:func:`jointmission.missions.mars_window`), or ``most_landed`` (the transfer on which each launcher
lands most: :mod:`jointmission.runners.mars_choice`)."""


def mars_phase_params(params: dict[str, Any], vinf_m_s: Any, tof_s: Any, capture: str | None) -> dict[str, Any]:
    """Classic parameters of a Mars concept that follow its transfer (arrival ``vinf_m_s`` [m/s],
    time of flight ``tof_s`` [s]; floats or per-candidate arrays), unless the mission section gives
    them: ``cruise_days`` = the time of flight [d]; for aerocapture, ``heatshield_fraction`` scaled
    from the data value to the arrival speed
    (:func:`jointmission.missions.entry_scaling.heatshield_fraction`)."""
    from ..missions.entry_scaling import heatshield_fraction

    out: dict[str, Any] = {}
    if "cruise_days" not in params and "cruise" not in params:
        out["cruise_days"] = tof_s / 86400.0
    if capture == "aerocapture" and "heatshield_fraction" not in params:
        hs = heatshield_fraction(vinf_m_s, phase_value("mars", "aerocapture_heatshield_fraction"))
        out["heatshield_fraction"] = float(hs) if np.ndim(hs) == 0 else hs
    return out


def _moon_conic(concept, vals: dict[str, Any]) -> dict[str, Any]:
    """Concept parameters ``arrival_vinf`` [m/s] and ``transit`` [s] of a built-in Moon concept that
    follow its trans-lunar conic (:func:`jointmission.missions.lunar_legs.translunar_arrival` of its
    ``tli_c3`` from its ``parking_altitude``, floats or per-case arrays), unless ``vals`` (the values
    the mission section or a sweep gives) has them."""
    from ..missions.architectures import ARCHITECTURES
    from ..missions.lunar_legs import translunar_arrival

    wants = [k for k in ("arrival_vinf", "transit") if k in concept.parameters and k not in vals]
    if concept.name not in ARCHITECTURES or not wants or "tli_c3" not in concept.parameters:
        return {}
    c3 = vals.get("tli_c3", concept.parameters["tli_c3"].value)
    park = vals.get("parking_altitude", concept.parameters["parking_altitude"].value)
    vinf, transit_s = translunar_arrival(c3, park)
    got = {"arrival_vinf": vinf, "transit": transit_s}
    return {k: got[k] for k in wants}


def _moon_vinf(concept, params: dict[str, Any]) -> float:
    """Arrival v_inf [m/s] at the Moon: the one given, else that of a built-in concept's trans-lunar
    conic, else the concept's (or the data) value."""
    for k in ("arrival_vinf_m_s", "arrival_vinf"):
        if k in params:
            return float(params[k])
    vals = {"tli_c3": params[k] for k in ("tli_c3_m2_s2", "tli_c3") if k in params}
    vals.update({"parking_altitude": params[k] for k in ("parking_alt_m", "parking_altitude") if k in params})
    got = _moon_conic(concept, vals)
    if "arrival_vinf" in got:
        return float(got["arrival_vinf"])
    if "arrival_vinf" in concept.parameters:
        return float(concept.parameters["arrival_vinf"].value)
    return float(phase_value("lunar", "arrival_vinf_m_s"))


def _build(concept, params: dict[str, Any], options: dict[str, str], from_concept, *,
           values: dict[str, Any] | None = None, elements: dict[str, dict] | None = None,
           phases: dict[str, dict] | None = None):
    """:func:`jointmission.missions.build` for a parsed concept (library or defined in the scenario):
    ``params`` the mission section's parameters (classic names translated), then ``values``
    (concept parameter -> SI value or per-case array), ``elements`` and ``phases`` overrides (concept
    field names, SI) on top of the section's."""
    from ..missions.architectures import _OLD_PARAMS, _element_overrides

    vals = {}
    for k, v in params.items():
        if k in ("elements", "phases"):
            continue
        name, factor = _OLD_PARAMS.get(k, (k, 1.0))
        if name in concept.parameters:
            vals[name] = v * factor if factor != 1.0 else v
    vals.update({k: v for k, v in (values or {}).items() if k in concept.parameters})
    vals.update(_moon_conic(concept, vals))
    el = _element_overrides(params.get("elements", {}))
    for k, d in (elements or {}).items():
        el[k] = {**el.get(k, {}), **d}
    ph = {k: dict(d) for k, d in (params.get("phases") or {}).items()}
    for k, d in (phases or {}).items():
        ph[k] = {**ph.get(k, {}), **d}
    return from_concept(concept, vals, choice=options, elements=el, phases=ph or None)


def own_launcher_capabilities(archs) -> dict[tuple[str, str], float]:
    """Capability [kg] of the catalog launchers that concepts name for some of their launches
    (``launcher:``), per (vehicle, delivery key): one vectorized call per vehicle, from its own
    catalog launch site."""
    from ..vehicles.catalog import get_vehicle

    wanted: dict[str, dict] = {}
    for arch in archs:
        for ln, name in arch.launchers.items():
            d = arch.deliveries[ln]
            wanted.setdefault(name, {})[d.key] = d
    out: dict[tuple[str, str], float] = {}
    for name, ds in wanted.items():
        keys, targets = list(ds), list(ds.values())
        c, _ = capability([get_vehicle(name)], targets)
        for k, key in enumerate(keys):
            out[(name, key)] = float(c[0, k])
    return out
