"""Per-case evaluation of a sweep: vehicle arrays -> ideal delta-v required (from the loss model,
:mod:`.loss_model`) -> payload per target -> mission budget.

Per case (vectorized over the chunk): the vehicle's stack arrays
(:func:`jointmission.vehicles.arrays.build_vehicle_arrays`), ``dv_required`` and the payload guess from the loss
model, the payload from :func:`jointmission.core.payload.solve_payload_targets` (all targets of a
case in one solve), the lift-off T/W check; then the mission budget of every architecture variant
(:class:`MissionEval`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..constants import G0
from ..core.payload import solve_payload_targets
from ..core.status import Status
from ..scenario.mission_spec import MAX_REQUIRED_PAYLOAD_KG
from ..vehicles.performance import PerformanceStatus
from ..vehicles.targets import Target, TargetSet, target_set
from .loss_model import LossModel, full_solve
from ..vehicles.arrays import VehicleTable, build_vehicle_arrays

__all__ = ["evaluate_values", "MissionEval", "mission_eval", "with_deliveries", "EVALUATORS", "TargetSweep",
           "target_sweep"]


# ------------------------------------------------------------------------------------ per case
def evaluate_values(base: VehicleTable, keys, values: np.ndarray, ts: TargetSet, model: LossModel,
                    targets: TargetSweep | None = None, target_values: np.ndarray | None = None):
    """Evaluate cases with vehicle parameter ``values`` (m, d) [SI] (the ``vehicle.*`` evaluator) and,
    with ``targets``, target parameter ``target_values`` (m, k) [SI] (the ``targets[i].*``
    evaluator: every distinct vehicle design x target values of the chunk is solved exactly).

    Returns ``(payload_kg (m, T), status int8 (m, T), dv_required (m, T), liftoff_mass_kg (m,))``.
    ``status`` uses :class:`~jointmission.vehicles.performance.PerformanceStatus` codes; payload is
    NaN wherever status is not OK.
    """
    m = values.shape[0]
    va, valid = build_vehicle_arrays(base, keys, values)
    st = va.stack
    m_lift0 = st.liftoff_mass(0.0)
    if targets is not None and target_values is not None:
        d = values.shape[1]
        uniq, inverse = np.unique(np.hstack([values, target_values]), axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        vu, _ = build_vehicle_arrays(base, keys, uniq[:, :d])
        ts_u, bad_u = targets.apply(ts, uniq[:, d:], vu.latitude)
        dv_u, status_u, pay_u = full_solve(vu, ts_u)
        status_u[bad_u & (status_u != PerformanceStatus.INVALID_TARGET)] = Status.PARAMETER_OUT_OF_RANGE
        dv, payload, out_status = dv_u[inverse], pay_u[inverse], status_u[inverse].astype(np.int8)
        out_status[~valid] = PerformanceStatus.INVALID_INPUT
        return np.where(out_status == 0, payload, np.nan), out_status, dv, m_lift0
    if model.kind == "recompute" and model.table is not None:  # grid: the shared design table
        dv, status, payload = model.lookup(values)
        status = status.astype(np.int8)
        status[~valid] = PerformanceStatus.INVALID_INPUT
        return np.where(status == 0, payload, np.nan), status, dv, m_lift0
    if model.kind == "recompute" and values.shape[1] == 0:  # one design: solve it once
        dv1, status1, pay1 = full_solve(build_vehicle_arrays(base, keys, values[:1])[0], ts)
        status = np.broadcast_to(status1, (m, ts.n)).copy()
        status[~valid] = PerformanceStatus.INVALID_INPUT
        return (np.where(status == 0, np.broadcast_to(pay1, (m, ts.n)), np.nan), status,
                np.broadcast_to(dv1, (m, ts.n)).copy(), m_lift0)
    if model.kind == "recompute":
        # one full solve per distinct design in this chunk
        uniq, inverse = np.unique(values, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        vu, valid_u = build_vehicle_arrays(base, keys, uniq)
        dv_u, status_u, pay_u = full_solve(vu, ts)
        dv, payload, out_status = dv_u[inverse], pay_u[inverse], status_u[inverse].astype(np.int8)
        out_status[~valid] = PerformanceStatus.INVALID_INPUT
        payload = np.where(out_status == 0, payload, np.nan)
        return payload, out_status, dv, m_lift0
    dv, guess = model.dv_and_guess(values)
    with np.errstate(all="ignore"):
        # every target in one solve: the phase table (and f(0) without a guess) are shared by a case's targets
        sol = solve_payload_targets(st, dv, guess=guess)
        out_status = sol.status
        p = sol.payload
        lift_f = np.broadcast_to(va.liftoff_thrust, (m,))[:, None]
        lift_m = np.broadcast_to(m_lift0, (m,))[:, None]
        tw = lift_f / (G0 * (lift_m + np.where(np.isfinite(p), p, 0.0)))
        out_status[(out_status == 0) & (tw < 1.0)] = PerformanceStatus.LIFTOFF_TW_BELOW_ONE
        out_status[~valid] = PerformanceStatus.INVALID_INPUT
        payload = np.where(out_status == 0, p, np.nan)
    return payload, out_status, np.asarray(dv, dtype=float), m_lift0


# ------------------------------------------------------------------------------------ targets
@dataclass(frozen=True)
class TargetSweep:
    """The ``targets[i].*`` evaluator: which target values a sweep varies, and each target's stated
    parking inclination and DLA (before the DLA rule), to resolve the DLA with each case's latitude.

    ``keys``: one ``(target index, *path)`` per swept target parameter, in the order of the case
    values; ``inclination`` and ``dla`` [rad]: per target of the plan's :class:`TargetSet` (NaN: not
    stated); ``kinds``: the :data:`jointmission.fields.KINDS` key of each swept parameter."""

    keys: tuple
    inclination: np.ndarray
    dla: np.ndarray
    kinds: tuple

    def apply(self, ts: TargetSet, values: np.ndarray, latitude: np.ndarray) -> tuple[TargetSet, np.ndarray]:
        """Per-case targets: ``ts`` with the swept values ``values`` (u, k) [SI] put in, as (u, T)
        arrays, the DLA of every target resolved with the case's launch ``latitude`` (u,) [rad]; and
        the (u, T) mask of cases whose swept target value is outside its physical range (or a DLA
        its stated parking inclination cannot hold)."""
        from ..fields import KINDS

        u, n = values.shape[0], ts.n
        f = {k: np.array(np.broadcast_to(getattr(ts, k), (u, n)), dtype=float)
             for k in ("perigee", "apogee", "c3", "parking", "inclination")}
        dla = np.array(np.broadcast_to(self.dla, (u, n)), dtype=float)
        bad = np.zeros((u, n), bool)
        for j, (key, kind) in enumerate(zip(self.keys, self.kinds)):
            i, path, v = key[0], key[1:], values[:, j]
            if path == ("c3",):
                f["c3"][:, i] = v
            elif path == ("parking", "altitude"):
                f["parking"][:, i] = v
            elif path == ("orbit", "altitude"):
                f["perigee"][:, i] = v
                f["apogee"][:, i] = v
            elif path == ("dla",):
                dla[:, i] = v
            bad[:, i] |= ~KINDS[kind].ok(v)
        has = np.isfinite(dla)
        if has.any():  # the parking-orbit rule of vehicles.targets.parking_inclination, per case
            stated = np.broadcast_to(self.inclination, (u, n))
            need = np.abs(dla)
            lat = np.abs(np.broadcast_to(np.asarray(latitude, dtype=float).reshape(-1, 1), (u, 1)))
            resolved = np.where(np.isnan(stated), np.where(lat >= need, np.nan, need), stated)
            f["inclination"] = np.where(has, resolved, f["inclination"])
            with np.errstate(invalid="ignore"):
                bad |= has & np.isfinite(stated) & (np.minimum(stated, math.pi - stated) < need - 1e-12)
        return TargetSet(ts.names, ts.kind, f["perigee"], f["apogee"], f["c3"], f["parking"], f["inclination"]), bad


def target_sweep(params, targets, n_targets: int, *, per_latitude: bool = False) -> TargetSweep | None:
    """The :class:`TargetSweep` of a sweep's ``targets[i].*`` parameters (``None`` without any);
    ``targets`` are the scenario's own targets (:class:`~jointmission.vehicles.targets.Target`, in
    file order, the first of the plan's ``n_targets``). With ``per_latitude`` (the launch site varies
    per case), also without target parameters when some target has a departure declination: its
    parking orbit is then resolved with each case's launch latitude."""
    from ..fields import TARGET_SWEEP_KINDS

    keys = tuple(p.keys for p in params if p.prefix == "targets")
    if not keys and not (per_latitude and any(getattr(t, "dla_rad", None) is not None for t in targets)):
        return None
    inc = np.full(n_targets, np.nan)
    dla = np.full(n_targets, np.nan)
    for i, t in enumerate(targets):
        if t.inclination_rad is not None:
            inc[i] = float(t.inclination_rad)
        if t.dla_rad is not None:
            dla[i] = float(t.dla_rad)
    return TargetSweep(keys, inc, dla, tuple(TARGET_SWEEP_KINDS[k[1:]][0] for k in keys))


# ------------------------------------------------------------------------------------ mission
@dataclass
class MissionEval:
    """The ``mission.*`` evaluator: every architecture variant of the scenario's ``mission:``
    section, budgeted per case from the case's launcher capability (the payload to each delivery,
    computed as extra targets ``delivery_targets`` of the vehicle evaluator), the case's margins and,
    when ``mission.required_payload`` is swept, the case's required payload.

    ``variants``: ``(label, Architecture, {launch name: delivery target index})``.
    """

    variants: list
    delivery_names: tuple
    margins: tuple  # nominal (delta_v, dry_mass_growth, propellant_reserve)
    required_payload: float | None
    spec: Any = None

    def labels(self) -> list[str]:
        return list(dict.fromkeys(v[0] for v in self.variants))

    def unused_labels(self) -> list[str]:
        """Labels of the variants that move propellant between elements (a depot, a tanker): their
        ``mission_unused_t[label]`` column is the propellant the mission left unused [t]."""
        return list(dict.fromkeys(v[0] for v in self.variants
                                  if any(ph.kind == "propellant" for ph in v[1].mission.phases)))

    def evaluate(self, payload_kg: np.ndarray, mission_values: dict, keep: list | None = None) -> dict[str, np.ndarray]:
        """Per-case mission results: ``mission_payload_t[label]`` (forward: landed payload;
        backward: the required payload), ``mission_launches[label]`` and ``mission_status[label]``
        (:class:`~jointmission.core.status.Status`; ``PARAMETER_OUT_OF_RANGE`` = a swept mission
        parameter outside its physical range). ``payload_kg``
        (m, T) are the vehicle evaluator's payloads; ``mission_values`` maps ``("margins", field)``
        and ``("required_payload",)`` to per-case arrays [-, kg].

        Forward or backward: with ``("required_payload",)`` swept (or a scalar
        ``required_payload``), every variant -- ``mars_crewed`` included, whose payload is the extra
        mass on top of crew, habitat and capsule -- is a backward budget for the case's required
        payload (the heavy launches needed); without either, Moon and ``mars_cargo`` variants are
        forward (payload landed) and ``mars_crewed`` is backward for a required payload of 0, as in
        :func:`jointmission.runners.mission.evaluate_mission`.

        ``keep``, if given, receives ``(label, Architecture, ArchitectureResult, case mask or None,
        variant info)`` per variant evaluated (the programme evaluator prices those budgets)."""
        from ..missions import Margins, evaluate

        m = payload_kg.shape[0]
        dv = mission_values.get(("margins", "delta_v"), self.margins[0])
        dry = mission_values.get(("margins", "dry_mass_growth"), self.margins[1])
        res_ = mission_values.get(("margins", "propellant_reserve"), self.margins[2])
        # a margin in its physical range for every case (two reductions) is used as it is; else
        # the out-of-range cases are flagged (PARAMETER_OUT_OF_RANGE) and the margin clipped for the budget
        bad = np.False_
        vals = []
        for x, hi, top in ((dv, 1.0, 1.0), (dry, 1.0, 1.0), (res_, 0.999, np.nextafter(1.0, 0.0))):
            a = np.asarray(x)
            if a.ndim == 0 or a.size == 0 or not (a.min() >= 0 and a.max() <= top):
                bad = bad | ~((a >= 0) & (a <= top))
                a = np.clip(x, 0, hi)
            vals.append(a)
        req_swept = mission_values.get(("required_payload",))
        if req_swept is not None:  # in [0, 10,000 t] for every case (two reductions), else flagged
            a = np.asarray(req_swept, dtype=float)
            if a.size and not (a.min() >= 0 and a.max() <= MAX_REQUIRED_PAYLOAD_KG):
                bad = bad | ~((a >= 0) & (a <= MAX_REQUIRED_PAYLOAD_KG))
                a = np.clip(np.nan_to_num(a, nan=0.0), 0.0, MAX_REQUIRED_PAYLOAD_KG)
            req_swept = a
        bad = np.broadcast_to(bad, (m,))
        any_bad = bool(bad.any())
        margins = Margins(*vals)
        concept_vals = {k: np.asarray(v, dtype=float) for k, v in mission_values.items()
                        if k[0] in ("parameters", "elements", "phases", "architecture", "launcher", "launch_site",
                                    "choices", "mars")}
        numeric = {k: v for k, v in concept_vals.items() if not any(k in var[3] for var in self.variants)
                   and k[0] in ("parameters", "elements", "phases")}
        out: dict[str, np.ndarray] = {}
        unused_labels = set(self.unused_labels())
        with np.errstate(all="ignore"):
            for label, arch, idx, sel, info in self.variants:  # loop over architecture variants, not cases
                if numeric:
                    arch = self._rebuild(info, numeric, m)
                caps = {ln: payload_kg[:, k] for ln, k in idx.items()}
                caps.update({ln: np.full(m, c) for ln, c in info.get("own_caps", {}).items()})
                if req_swept is not None:
                    req = req_swept
                else:
                    req = self.required_payload if self.required_payload is not None else (
                        0.0 if not arch.fillable else None)
                r = evaluate(arch, caps, margins=margins, required_payload_kg=req)
                status = np.array(np.broadcast_to(np.asarray(r.status, dtype=np.int8), (m,)))
                pay = np.broadcast_to(r.payload_kg, (m,))
                n = np.broadcast_to(r.launches, (m,))
                if any_bad:
                    status[bad] = Status.PARAMETER_OUT_OF_RANGE
                    ok = status == 0
                    out[f"mission_payload_t[{label}]"] = np.where(ok, pay / 1e3, np.nan)
                    out[f"mission_launches[{label}]"] = np.where(ok, n, np.nan)
                else:  # evaluate's payload and launches are NaN exactly where its status is not 0
                    out[f"mission_payload_t[{label}]"] = pay / 1e3
                    n = r.launches if np.shape(r.launches) == (m,) else n  # evaluate's own array
                    out[f"mission_launches[{label}]"] = np.array(n, dtype=float, copy=None)
                out[f"mission_status[{label}]"] = status
                cols = [f"mission_payload_t[{label}]", f"mission_launches[{label}]", f"mission_status[{label}]"]
                if label in unused_labels:
                    u = np.broadcast_to(r.unused_propellant_kg, (m,)) / 1e3
                    out[f"mission_unused_t[{label}]"] = np.where(status == 0, u, np.nan)
                    cols.append(f"mission_unused_t[{label}]")
                mask = None
                if sel:  # a variant of categorical axes: it answers for the cases of its axis values
                    mask = np.ones(m, dtype=bool)
                    for k, code in sel.items():
                        mask &= concept_vals[k] == code
                    for col in cols:
                        new = out.pop(col)
                        prev = out.get(f"__{col}")
                        base = prev if prev is not None else (np.zeros(m, dtype=np.int8) if "status" in col
                                                              else np.full(m, np.nan))
                        out[f"__{col}"] = np.where(mask, new, base).astype(base.dtype)
                if keep is not None:
                    ok = status == 0
                    keep.append((label, arch, r, ok if mask is None else (mask & ok), info))
        for col in [c for c in out if c.startswith("__")]:
            out[col[2:]] = out.pop(col)
        return out

    def _rebuild(self, info: dict, numeric: dict, m: int):
        """The variant's architecture with the per-case values of the swept concept numbers."""
        from ..missions.architectures import from_concept
        from .mission_variants import _build

        concept = info.get("concept") or self.spec.concept(info["key"])
        values = dict(info.get("values", {}))
        elements: dict[str, dict] = {}
        phases: dict[str, dict] = {}
        for k, v in numeric.items():
            v = np.broadcast_to(v, (m,))
            if k[0] == "parameters":
                values[k[1]] = v
            elif k[0] == "elements":
                elements.setdefault(k[1], {})[k[2]] = v
            else:
                phases.setdefault(k[1], {})[k[2]] = v
        params = info.get("params")
        if params is None:
            params = dict(self.spec.params())
            if "mars" in info:
                from .mission_variants import mars_phase_params

                w = info["mars"]
                params.update(tmi_c3_m2_s2=w.c3_m2_s2, arrival_vinf_m_s=w.vinf_arrive_m_s,
                              **mars_phase_params(self.spec.params(), w.vinf_arrive_m_s, w.tof_s,
                                                  info["options"].get("capture")))
        arch = _build(concept, params, info["options"], from_concept, values=values, elements=elements,
                      phases=phases)
        if info.get("launcher") is not None:
            import dataclasses

            arch = dataclasses.replace(arch, launchers={ln: info["launcher"] for ln in arch.deliveries})
        return arch


def mission_eval(spec, delivery_offset: int, sweep=None, *, vehicle: Any = None,
                 latitude_rad: float | None = None) -> tuple[MissionEval, list]:
    """Build the mission evaluator of a ``mission:`` spec. Returns it and the extra delivery
    targets (:class:`~jointmission.vehicles.targets.Target`, named ``"delivery: ..."``) to append to
    the vehicle targets, whose indices start at ``delivery_offset``. With ``sweep`` (a
    :class:`~jointmission.scenario.sweep_spec.ResolvedSweep`), its categorical mission axes
    (architecture, choices, Mars window, count parameters) make the variants: each case is budgeted
    by the variant of its axis values, and a column groups what is not on an axis. With the
    ``most_landed`` Mars objective the transfer of each variant is chosen once, for ``vehicle`` (the
    scenario's nominal launcher; a launcher axis' catalog vehicle for its variants) from
    ``latitude_rad`` [rad]: every case of the variant is then budgeted on that transfer."""
    from .mission_variants import _variants, variant_label

    from .mission_variants import own_launcher_capabilities

    axes = [p for p in (sweep.params if sweep is not None else ()) if _categorical(p)]
    variants, deliveries, index = [], [], {}
    if axes:
        all_v = _axis_variants(spec, axes)
        _most_landed_axis_variants(spec, all_v, vehicle, latitude_rad)
    else:
        all_v = _variants(spec, None if vehicle is None else [vehicle], latitude_rad=latitude_rad,
                          margins=_margins(spec))
        for v in all_v:
            if "per_launcher" in v:
                v["arch"], v["mars"] = v["per_launcher"][0]
    site = next((p for p in axes if p.keys == ("launch_site",)), None)
    if site is not None:
        all_v = _per_site(all_v, site)
    own = own_launcher_capabilities([v["arch"] for v in all_v if "site_caps" not in v])
    for v in all_v:
        arch = v["arch"]
        label = variant_label(v) if not axes else _rest_label(v, axes)
        idx = {}
        v["own_caps"] = v.pop("site_caps", None) or \
            {ln: own[(name, arch.deliveries[ln].key)] for ln, name in arch.launchers.items()}
        for ln, d in arch.deliveries.items():
            if ln in arch.launchers:
                continue  # flown by its own catalog launcher: a constant capability
            if d.key not in index:
                index[d.key] = delivery_offset + len(deliveries)
                # flown as the launch capability flies it (:func:`jointmission.missions.capability`):
                # a C3 from its parking orbit, a circular LEO as that circle's C3
                dla = d.dla_rad
                deliveries.append(Target.c3(*d.c3_form(), name=f"delivery: {d.label()}", dla_rad=dla))
            idx[ln] = index[d.key]
        variants.append((label, arch, idx, v.get("sel", {}), v))
    m = spec.margins
    ev = MissionEval(variants, tuple(d.name for d in deliveries), (m.delta_v, m.dry_mass_growth, m.propellant_reserve),
                     spec.required_payload, spec=spec)
    return ev, deliveries


def _per_site(variants: list[dict], site) -> list[dict]:
    """With a ``mission.launch_site`` axis: every variant with launches on their own catalog
    launcher (a concept's ``launcher:``, or the ``mission.launcher`` axis) once per site, its
    capability to each of those deliveries computed from that site's latitude (one vectorized call
    per launcher and site); other variants unchanged (their launches fly the case's vehicle, whose
    latitude is the case's site)."""
    from ..missions import capability
    from ..vehicles.catalog import get_vehicle
    from ..vehicles.launch_sites import launch_site

    wanted: dict[str, dict] = {}
    for v in variants:
        for ln, name in v["arch"].launchers.items():
            d = v["arch"].deliveries[ln]
            wanted.setdefault(name, {})[d.key] = d
    caps: dict[tuple, float] = {}
    for k, sname in enumerate(site.categories):
        lat = launch_site(sname).latitude_rad
        for name, ds in wanted.items():
            c, _ = capability([get_vehicle(name)], list(ds.values()), latitude_rad=lat)
            caps.update({(k, name, key): float(c[0, j]) for j, key in enumerate(ds)})
    out = []
    for v in variants:
        arch = v["arch"]
        if not arch.launchers:
            out.append(v)
            continue
        for k in range(len(site.categories)):
            out.append({**v, "sel": {**v.get("sel", {}), ("launch_site",): k},
                        "site_caps": {ln: caps[(k, name, arch.deliveries[ln].key)]
                                      for ln, name in arch.launchers.items()}})
    return out


def _categorical(p) -> bool:
    from ..scenario.concept_sweep import is_categorical

    return is_categorical(p)


def _rest_label(v: dict, axes: list) -> str:
    """A variant's column label without what the categorical axes vary (``mission`` when nothing is left)."""
    on = {p.keys for p in axes}
    if ("architecture",) in on:  # one column: the other dimensions are single-valued or axes too
        return "mission"
    parts = [v["key"]]
    if v["window"] and ("mars", "window") not in on:
        parts.append(v["window"])
    extra = [o for c, o in v["options"].items() if ("choices", c) not in on]
    extra += [f"{k}={n}" for k, n in v.get("counts", {}).items() if ("parameters", k) not in on]
    label = " ".join(parts) + (f" ({', '.join(extra)})" if extra else "")
    return label.strip() or "mission"


def _axis_variants(spec, axes: list) -> list[dict]:
    """Variants over the categorical axes: every architecture (of the axis, else the listed ones) x
    its options (an axis's, else the section's) x Mars windows x counts; ``sel`` = axis key ->
    category index that selects the variant (axes a concept does not have select nothing)."""
    from ..missions.architectures import from_concept
    from ..missions.phases import mars_window
    from .mission_variants import MARS_OBJECTIVE, _build, mars_phase_params

    by = {p.keys: p for p in axes}
    archs = list(by[("architecture",)].categories) if ("architecture",) in by else list(spec.architectures)
    windows = list(by[("mars", "window")].categories) if ("mars", "window") in by else \
        [str(y) for y in spec.mars.windows]
    cache: dict[str, Any] = {}
    params = spec.params()
    out = []
    for ai, a in enumerate(archs):
        concept = spec.concept(a)
        combos: list[tuple[dict, dict]] = [({}, {})]  # (options, sel)
        for name, ch in concept.choices.items():
            if ("choices", name) in by:
                cats = by[("choices", name)].categories
                opts = [(o, {("choices", name): k}) for k, o in enumerate(cats) if o in ch.options]
            else:
                opts = [(o, {}) for o in sorted({c[name] for c in spec.options(a)}, key=list(ch.options).index)]
            combos = [(dict(o0, **{name: o}), {**s0, **s}) for o0, s0 in combos for o, s in opts]
        counts: list[tuple[dict, dict]] = [({}, {})]
        for keys, p in by.items():
            if keys[0] == "parameters" and keys[1] in concept.parameters:
                counts = [(dict(c0, **{keys[1]: float(cat)}), {**s0, keys: k})
                          for c0, s0 in counts for k, cat in enumerate(p.categories)]
        wins = windows if concept.destination == "mars" else [""]
        for opts, osel in combos:
            for cvals, csel in counts:
                for wk, w in enumerate(wins):
                    p = dict(params)
                    mw = None
                    if w:
                        if w not in cache:
                            # most_landed: least C3 here, re-chosen per launcher by _most_landed_axis_variants
                            obj = MARS_OBJECTIVE[spec.mars.objective]
                            cache[w] = mars_window(int(w), source=spec.mars.window_source,
                                                   objective="c3" if obj == "most_landed" else obj)
                        mw = cache[w]
                        p.update(tmi_c3_m2_s2=mw.c3_m2_s2, arrival_vinf_m_s=mw.vinf_arrive_m_s)
                        p.update(mars_phase_params(params, mw.vinf_arrive_m_s, mw.tof_s, opts.get("capture")))
                    arch = _build(concept, p, opts, from_concept, values=cvals)
                    sel = {**osel, **csel}
                    if ("launcher",) in by:  # every launch on the axis' catalog vehicle
                        for lk, lname in enumerate(by[("launcher",)].categories):
                            v = _variant(a, arch, w, opts, cvals, {**sel, ("launcher",): lk}, p, concept, mw, by,
                                         ai, wk, launcher=lname)
                            out.append(v)
                        continue
                    out.append(_variant(a, arch, w, opts, cvals, sel, p, concept, mw, by, ai, wk))
    return out


def _variant(a, arch, w, opts, cvals, sel, params, concept, mw, by, ai, wk, launcher=None) -> dict:
    """One variant of :func:`_axis_variants` (``launcher``: a catalog vehicle flying every launch)."""
    import dataclasses

    sel = dict(sel)
    if ("architecture",) in by:
        sel[("architecture",)] = ai
    if w and ("mars", "window") in by:
        sel[("mars", "window")] = wk
    if launcher is not None:
        arch = dataclasses.replace(arch, launchers={ln: launcher for ln in arch.deliveries})
    v = {"key": a, "arch": arch, "window": w, "capture": opts.get("capture", ""), "options": opts,
         "counts": {k: f"{n:g}" for k, n in cvals.items()}, "sel": sel, "params": params,
         "values": cvals, "concept": concept, "launcher": launcher}
    if mw is not None:
        v["mars"] = mw
    return v


def with_deliveries(ts: TargetSet, deliveries: list, latitude_rad: float | None = None) -> TargetSet:
    """``ts`` plus the mission's delivery targets (:class:`~jointmission.vehicles.targets.Target`);
    a delivery's DLA sets its parking inclination from launch latitude ``latitude_rad`` [rad]."""
    return ts + target_set(deliveries, latitude_rad=latitude_rad) if deliveries else ts


def _margins(spec):
    from ..missions import Margins

    m = spec.margins
    return Margins(m.delta_v, m.dry_mass_growth, m.propellant_reserve)


def _most_landed_axis_variants(spec, variants: list[dict], vehicle: Any, latitude_rad: float | None) -> None:
    """With the ``most_landed`` objective, re-fly each Mars variant of :func:`_axis_variants` on the
    transfer its launcher (the variant's catalog launcher, else ``vehicle``) lands most on, in place."""
    import dataclasses

    from ..missions.architectures import from_concept
    from ..vehicles.catalog import get_vehicle
    from .mars_choice import most_landed_transfers
    from .mission_variants import MARS_OBJECTIVE, mars_arch

    pending = [v for v in variants if v.get("mars") is not None]
    if (MARS_OBJECTIVE[spec.mars.objective] != "most_landed" or spec.mars.window_source != "transfers"
            or not pending or vehicle is None):
        return
    names = [None] + sorted({v["launcher"] for v in pending if v.get("launcher")})
    vehicles = [vehicle] + [get_vehicle(n) for n in names[1:]]
    base = spec.params()

    def build_fn(v, c3, vinf, tof_s):
        return mars_arch(v["concept"], base, v["options"], None, from_concept, c3=c3, vinf=vinf, tof_s=tof_s,
                         values=v["values"])

    chosen = most_landed_transfers(vehicles, [dict(v, year=int(v["window"])) for v in pending], build_fn,
                                   margins=_margins(spec), required_payload_kg=spec.required_payload,
                                   latitude_rad=latitude_rad, parking_alt_m=float(base.get("parking_alt_m", 185e3)))
    for i, v in enumerate(pending):
        w = chosen[(i, names.index(v.get("launcher")))]
        arch = mars_arch(v["concept"], base, v["options"], w, from_concept, values=v["values"])
        if v.get("launcher"):
            arch = dataclasses.replace(arch, launchers={ln: v["launcher"] for ln in arch.deliveries})
        p = dict(base, tmi_c3_m2_s2=w.c3_m2_s2, arrival_vinf_m_s=w.vinf_arrive_m_s)
        from .mission_variants import mars_phase_params

        p.update(mars_phase_params(base, w.vinf_arrive_m_s, w.tof_s, v["options"].get("capture")))
        v.update(arch=arch, mars=w, params=p)


EVALUATORS = {"vehicle": evaluate_values, "mission": MissionEval, "targets": TargetSweep}
"""Parameter-path prefix -> the evaluator its values feed (see :mod:`jointmission.scenario.sweep_spec`
``PATH_PREFIXES``): vehicle parameters -> vehicle arrays -> payload per target; target parameters ->
per-case targets, solved exactly with the vehicle evaluator; mission margins and the required
payload -> the mission budget per architecture variant (after the vehicle evaluator)."""
