"""The programme evaluator of a sweep: per case, who provides what, what it costs, and the split.

A scenario with a ``programme:`` section and a ``mission:`` section gives every sweep case, for
every architecture variant (result label ``V``) and partner ``P``, the columns
(:meth:`ProgrammeEval.columns`; money in the cost model's currency and year, e.g. ``M USD 2024``):

- ``mission_cost_MUSD[V]``: cost per mission (development spread over the programme's missions, production
  per mission with learning, launch operations) [M];
- ``cost_per_t_MUSD[V]``: cost per tonne delivered to the architecture's destination
  (``mission_payload_t[V]``: landed on the Moon or Mars) [M/t];
- ``cost_MUSD[V, P]``, ``cost_share[V, P]`` (fraction of the case's cost) and
  ``cost_balance[V, P]`` (cost share minus agreed share: > 0 puts in more than agreed);
- with ``sweep.cost_uncertainty``: percentiles of those costs over the draws of the cost
  relationships' multipliers, ``mission_cost_MUSD_p80[V]``, ``cost_per_t_MUSD_p80[V]``,
  ``cost_MUSD_p80[V, P]``.

Per case the bill of materials and ledger are built as :func:`jointmission.programme.ledger.case_ledger`
builds them, for the case's launcher (the scenario vehicle with the case's ``vehicle.*`` values and engine choices),
its provider assignments (``programme.providers.*`` values on top of the scenario's) and its
mission budget; the bill is priced by :func:`jointmission.programme.costing.cost_rows` with the
case's cost model (``programme.cost.*`` values on top of the scenario's ``programme.cost`` options) and
summed per partner by :func:`jointmission.programme.ledger.partner_ledger`, as the single run's
``partners.parquet``.

The multipliers of the Monte Carlo are drawn once per run (common random numbers): draw ``j``
applies the same multiplier of each relationship to every case, so percentiles of differences
between cases are meaningful, and a case's percentiles depend only on ``(seed, draws)``, not on the
chunk, the backend or the order of the chunks (resumed and Dask runs are identical). Relationship
``c`` (in :func:`jointmission.programme.transcost.category_names` order), part ``d`` (development 0,
production 1) draws from ``SeedSequence(seed, spawn_key=(c, d))``.

Cases are evaluated one by one (a Python loop over the feasible cases of a chunk: the bill of
materials is a list of items per case), the draws of a case vectorized; identical vehicles,
programmes and cost models are built once per chunk (8 ms of CPU per case with 400 draws, 5 ms
without, on the shipped 32-case trade).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import SweepError

__all__ = ["ProgrammeEval", "programme_eval", "DESTINATION_WORDS"]

DESTINATION_WORDS = {"moon": "lunar surface", "mars": "Mars surface", "leo": "LEO", "tli": "TLI"}
"""Where the payload of an architecture's destination is delivered (cost per tonne delivered there)."""


def _pct(q: float) -> str:
    return f"p{q:g}".replace(".", "_")


@dataclass
class ProgrammeEval:
    """Everything the programme columns of a chunk need (pickleable; sent to Dask workers with the plan).

    ``params``: the sweep's parameters; ``pcols`` / ``vcols`` / ``mcols``: indices of its
    ``programme.*`` / ``vehicle.*`` / ``mission.*`` parameters; ``vehicle_spec``: the scenario's
    vehicle; ``spec``: the ``mission:`` section (element types: the cost categories);
    ``labels``: the mission evaluator's variant labels; ``destinations``: label -> where its payload
    is delivered; ``draws``, ``seed``, ``percentiles``: the cost Monte Carlo (0 draws: none).
    """

    programme: Any
    model: Any
    params: tuple
    pcols: list
    vcols: list
    mcols: list
    vehicle_spec: Any
    spec: Any
    labels: list
    destinations: dict
    draws: int = 0
    seed: int | None = None
    percentiles: tuple = ()
    _scales: dict | None = field(default=None, repr=False)
    _element_lib: dict | None = field(default=None, repr=False)

    @property
    def partners(self) -> list[str]:
        return list(self.programme.names)

    @property
    def money(self) -> str:
        """Currency and year of the scenario's cost model (``USD 2024``); a swept year is in its column."""
        return self.model.money.label

    def columns(self) -> list[tuple[str, str]]:
        """Result columns ``(name, unit)`` of the programme evaluator, per variant label."""
        m = f"M {self.money}"
        cols: list[tuple[str, str]] = []
        for v in self.labels:
            cols += [(f"mission_cost_MUSD[{v}]", m), (f"cost_per_t_MUSD[{v}]", f"{m}/t")]
            for p in self.partners:
                cols += [(f"cost_MUSD[{v}, {p}]", m), (f"cost_share[{v}, {p}]", ""),
                         (f"cost_balance[{v}, {p}]", "")]
            for q in self.percentiles if self.draws else ():
                cols += [(f"mission_cost_MUSD_{_pct(q)}[{v}]", m), (f"cost_per_t_MUSD_{_pct(q)}[{v}]", f"{m}/t")]
                cols += [(f"cost_MUSD_{_pct(q)}[{v}, {p}]", m) for p in self.partners]
        return cols

    def summary(self) -> dict[str, Any]:
        """Plain data for ``summary.json``: money, partners and agreed shares, each variant's
        destination, the cost options and the Monte Carlo."""
        m = self.model
        return {"money": self.money, "missions": float(m.missions), "learning": float(m.learning),
                "partners": [{"name": p.name, "country": p.country, "share": float(p.share)}
                             for p in self.programme.partners],
                "labels": list(self.labels), "destinations": dict(self.destinations),
                "draws": int(self.draws), "seed": self.seed, "percentiles": list(self.percentiles),
                "columns": [{"name": n, "unit": u} for n, u in self.columns()]}

    # ------------------------------------------------------------------------------ draws
    def scales(self) -> dict[tuple[str, str], np.ndarray] | None:
        """The run's CER multipliers ``{(category, "development"|"production"): (draws,)}`` (the keys of
        :func:`jointmission.programme.cost_uncertainty.sample_scales`; ``None`` without a Monte Carlo): the
        same for every case and chunk."""
        if not self.draws:
            return None
        if self._scales is None:
            from ..programme import cost_uncertainty as cu
            from ..programme import transcost as tc

            out: dict[tuple[str, str], np.ndarray] = {}
            for c, cat in enumerate(tc.category_names()):
                for d, part in enumerate(("development", "production")):
                    rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(c, d)))
                    out[(cat, part)] = cu.sample_scale(cat, part, self.draws, rng)
            self._scales = out
        return self._scales

    # ------------------------------------------------------------------------------ per case
    def evaluate(self, values: np.ndarray, kept: list, mission_cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Programme columns of cases with parameter values ``values`` (m, n_params) [SI]. ``kept``:
        the mission evaluator's ``(label, Architecture, ArchitectureResult, case mask or None, variant
        info)`` per variant; ``mission_cols``: its result columns (``mission_payload_t[label]``)."""
        from ..programme.bom import bill_of_materials
        from ..programme.costing import cost_rows
        from ..programme.ledger import partner_ledger
        from ..programme.providers import resolve_providers

        m = values.shape[0]
        names = self.partners
        out = {name: np.full(m, np.nan) for name, _ in self.columns()}
        qs = list(self.percentiles) if self.draws else []
        scales = self.scales()
        progs: dict[tuple, Any] = {}
        vehicles: dict[tuple, Any] = {}
        growth = self._dry_growth(values, m)
        for label, arch, res, mask, info in kept:
            types, props = self._element_types(info)
            members = arch.mission.launch_members()
            own = {ln: _catalog_vehicle(name) for ln, name in arch.launchers.items()}
            pay_t = mission_cols[f"mission_payload_t[{label}]"]
            scalar = np.ndim(res.payload_kg) == 0
            status = np.broadcast_to(np.asarray(res.status), (m,))
            rows = np.flatnonzero((status == 0) & (mask if mask is not None else True) & np.isfinite(pay_t))
            for i in rows:  # loop over the feasible cases of this variant (bill of materials per case)
                pv = tuple(values[i, self.pcols])
                vv = tuple(values[i, self.vcols + self._site_cols()])
                if pv not in progs:
                    prog_i = self._programme(values[i])
                    progs[pv] = (prog_i, prog_i.cost_model())
                prog, model = progs[pv]
                veh = vehicles.get(vv) or vehicles.setdefault(vv, self._vehicle(values[i]))
                launchers = _launchers(arch, veh)
                # what programme.ledger.case_ledger does, with the catalog launchers built once
                bom = bill_of_materials(prog, resolve_providers(prog, veh, members, own), arch, res,
                                        () if scalar else int(i), launchers, dry_growth=growth[i],
                                        element_types=types, element_propellants=props)
                stages = {ln: len(v.stages) + (1 if v.boosters is not None else 0) for ln, v in launchers.items()}
                kw = dict(existing=prog.cost.existing, stages_per_launch=stages)
                costs = cost_rows(prog, bom, model, **kw)
                ledger = {r["partner"]: r for r in partner_ledger(prog, bom, costs, money=model.money.label)}
                total = math.fsum(ledger[p]["cost_MUSD"] for p in names)
                out[f"mission_cost_MUSD[{label}]"][i] = total
                out[f"cost_per_t_MUSD[{label}]"][i] = total / pay_t[i] if pay_t[i] > 0 else np.nan
                for p in names:
                    out[f"cost_MUSD[{label}, {p}]"][i] = ledger[p]["cost_MUSD"]
                    out[f"cost_share[{label}, {p}]"][i] = ledger[p]["cost_share"]
                    out[f"cost_balance[{label}, {p}]"][i] = ledger[p]["cost_balance"]
                if qs:  # the same bill priced with every draw of the relationships' multipliers
                    drawn = cost_rows(prog, bom, model, scales=scales, **kw)
                    per = {p: np.zeros(self.draws) for p in names}
                    for item, c in zip(bom, drawn):
                        per[item.provider] = per[item.provider] + np.broadcast_to(c.total, (self.draws,))
                    tot_d = sum(per.values())
                    for q, v in zip(qs, np.percentile(tot_d, qs)):
                        out[f"mission_cost_MUSD_{_pct(q)}[{label}]"][i] = v / 1e6
                    # cost per tonne: the percentiles of the draws' cost over the case's payload (not drawn)
                    for q, v in zip(qs, np.percentile(tot_d / pay_t[i], qs) if pay_t[i] > 0 else [np.nan] * len(qs)):
                        out[f"cost_per_t_MUSD_{_pct(q)}[{label}]"][i] = v / 1e6
                    for p in names:
                        for q, v in zip(qs, np.percentile(per[p], qs)):
                            out[f"cost_MUSD_{_pct(q)}[{label}, {p}]"][i] = v / 1e6
        return out

    def _dry_growth(self, values: np.ndarray, m: int) -> np.ndarray:
        """The budget's dry-mass growth margin per case (swept or the mission section's) [-]."""
        for j in self.mcols:
            if self.params[j].keys == ("margins", "dry_mass_growth"):
                return values[:, j]
        return np.full(m, float(self.spec.margins.dry_mass_growth))

    def _element_types(self, info: dict) -> tuple[dict[str, str], dict[str, str]]:
        """Member name -> concept element type, and member name -> propellants, of a variant (the
        cost categories of its hardware), as the single-run ledger takes them."""
        from .mission import _element_types

        if self._element_lib is None:
            from ..missions.elements import mission_data

            self._element_lib = mission_data()["elements"]  # a copy per call: read once per sweep
        return _element_types(self.spec, info, self._element_lib)

    def _programme(self, row: np.ndarray) -> Any:
        """The scenario's programme with the case's provider assignments and cost options on top."""
        from ..programme.partners import CostOptions

        prog = self.programme
        pv = prog.providers
        upd: dict[str, Any] = {"engines": dict(pv.engines), "stages": dict(pv.stages),
                               "launches": dict(pv.launches), "elements": dict(pv.elements),
                               "vehicle": pv.vehicle, "launch_site": pv.launch_site}
        options = dict(prog.cost.options)
        rates = dict(options.get("work_year_rates") or {})
        for j in self.pcols:
            p = self.params[j]
            if p.keys[0] == "providers":
                partner = p.categories[int(row[j])]
                kind = p.keys[1]
                if kind in ("vehicle", "launch_site"):
                    upd[kind] = partner
                elif len(p.keys) == 2:  # programme.providers.launches: every launch
                    upd[kind] = {"*": partner}
                else:
                    upd[kind][p.keys[2]] = partner
            elif p.keys[1] == "work_year":
                rates[prog.partner(p.keys[2]).country] = float(row[j])
            else:
                options[p.keys[1]] = int(round(float(row[j]))) if p.integer else float(row[j])
        prog = dataclasses.replace(prog, providers=dataclasses.replace(pv, **upd),
                                   cost=CostOptions({**options, **({"work_year_rates": rates} if rates else {})},
                                                    prog.cost.existing))
        # every partner country's Work-Year value stated once (the model's own value where none is
        # given: the same numbers), so pricing a case does not recompute the inflation index per item
        model = prog.cost_model()
        full = {**{q.country: model._work_year_of(q.country) for q in prog.partners}, **rates}
        return dataclasses.replace(prog, cost=CostOptions({**options, "work_year_rates": full}, prog.cost.existing))

    def _vehicle(self, row: np.ndarray) -> Any:
        """The case's launcher: the scenario vehicle with the case's ``vehicle.*`` values (an engine
        choice swaps the engine and moves the stage's dry mass by the engines' mass difference, as
        the sweep's vehicle arrays do)."""
        from ..vehicles.vehicle import LaunchVehicle

        spec = self.vehicle_spec
        for j in self.vcols:
            spec = _with_value(spec, self.params[j], float(row[j]))
        for j in self._site_cols():  # a mission.launch_site axis: the site (and so its operator) of the case
            from ..vehicles.launch_sites import launch_site

            site = launch_site(self.params[j].categories[int(row[j])])
            spec = spec.model_copy(update={"launch_site": spec.launch_site.model_copy(
                update={"name": site.name, "latitude": site.latitude_rad})})
        return LaunchVehicle.from_spec(spec)

    def _site_cols(self) -> list[int]:
        """Indices of a ``mission.launch_site`` axis (at most one)."""
        return [j for j in self.mcols if self.params[j].keys == ("launch_site",)]


def _catalog_vehicle(name: str) -> Any:
    """The catalog launcher ``name``, built once per process (a LaunchVehicle is immutable)."""
    got = _CATALOG_VEHICLES.get(name)
    if got is None:
        from ..vehicles.catalog import get_vehicle

        got = _CATALOG_VEHICLES[name] = get_vehicle(name)
    return got


_CATALOG_VEHICLES: dict[str, Any] = {}


def _launchers(arch: Any, vehicle: Any) -> dict[str, Any]:
    """Launch name -> the launcher flying it (the case's vehicle, or a concept's own catalog launcher):
    what :func:`jointmission.programme.ledger.case_ledger` flies, with the catalog launchers built once."""
    return {ln: (_catalog_vehicle(arch.launchers[ln]) if ln in arch.launchers else vehicle) for ln in arch.deliveries}


def _set(obj: Any, keys: tuple, value: Any) -> Any:
    """A copy of pydantic model ``obj`` with the value at ``keys`` replaced (lists by index)."""
    if not keys:
        return value
    k = keys[0]
    if isinstance(k, int):
        items = list(obj)
        items[k] = _set(items[k], keys[1:], value)
        return items
    return obj.model_copy(update={k: _set(getattr(obj, k), keys[1:], value)})


def _engine_spec(ref: Any) -> Any:
    """An inline :class:`~jointmission.vehicles.spec.EngineSpec` for a stage's engine reference."""
    from ..vehicles.catalog import default_catalog
    from ..vehicles.spec import EngineSpec

    if not isinstance(ref, str):
        return ref
    cat = default_catalog()
    return EngineSpec.model_validate(cat.engines[cat.engine_key(ref)])


def _with_value(spec: Any, p: Any, value: float) -> Any:
    """``spec`` (a VehicleSpec) with swept parameter ``p`` at ``value`` [SI]."""
    keys = tuple(p.keys)
    if keys[0] == "engines":  # one engine's field, on every stage and booster that flies it
        name, fld = keys[1], keys[2]
        holders = [("stages", i) for i in range(len(spec.stages))] + ([("boosters",)] if spec.boosters else [])
        for h in holders:
            hold = spec.stages[h[1]] if h[0] == "stages" else spec.boosters
            eng = _engine_spec(hold.engine)
            if eng.name == name:
                spec = _set(spec, h + ("engine",), eng.model_copy(update={fld: value}))
        return spec
    if keys[-1] == "engine" and p.categories:  # an engine choice
        from ..vehicles.catalog import default_catalog

        holder_keys = keys[:-1]
        hold = spec.boosters if holder_keys == ("boosters",) else spec.stages[holder_keys[1]]
        old = _engine_spec(hold.engine)
        cat = default_catalog()
        new = _engine_spec(str(cat.engines[p.categories[int(value)]].get("name", p.categories[int(value)])))
        n = hold.engines_per_booster if holder_keys == ("boosters",) else hold.engine_count
        dm = n * (float(new.mass or 0.0) - float(old.mass or 0.0))
        spec = _set(spec, holder_keys + ("m_dry",), float(hold.m_dry) + dm)
        return _set(spec, holder_keys + ("engine",), new)
    if len(keys) >= 2 and keys[-2] == "engine":  # a stage's engine field: that engine everywhere
        holder_keys = keys[:-2]
        hold = spec.boosters if holder_keys == ("boosters",) else spec.stages[holder_keys[1]]
        return _with_value(spec, dataclasses.replace(p, keys=("engines", _engine_spec(hold.engine).name, keys[-1])),
                           value)
    if keys == ("launch_site", "latitude"):
        return _set(spec, keys, value)
    return _set(spec, keys, int(round(value)) if p.integer else value)


def programme_eval(scenario: Any, sweep: Any, labels: list[str], variants: list) -> ProgrammeEval | None:
    """The programme evaluator of a scenario (``None`` without a ``programme:`` or ``mission:``
    section). ``labels``: the mission evaluator's variant labels; ``variants``: its variants
    (for each label's destination)."""
    programme = getattr(scenario, "programme", None)
    if programme is None or getattr(scenario, "mission", None) is None:
        return None
    if programme.cost is None:  # 'cost: false'
        if any(p.prefix == "programme" for p in sweep.params) or sweep.cost_draws:
            raise SweepError(f"scenario '{scenario.name}': programme sweep axes and cost percentiles price every "
                             "case; remove 'cost: false' from the programme section")
        return None
    model = programme.cost_model()
    params = sweep.params
    dest: dict[str, str] = {}
    for label, arch, *_ in variants:
        d = str(getattr(arch, "destination", "") or "")
        dest.setdefault(label, DESTINATION_WORDS.get(d.lower(), d or "destination"))
    return ProgrammeEval(
        programme=programme, model=model, params=tuple(params),
        pcols=[j for j, p in enumerate(params) if p.prefix == "programme"],
        vcols=[j for j, p in enumerate(params) if p.prefix == "vehicle"],
        mcols=[j for j, p in enumerate(params) if p.prefix == "mission"],
        vehicle_spec=scenario.vehicle, spec=scenario.mission, labels=list(labels), destinations=dest,
        draws=int(sweep.cost_draws), seed=sweep.cost_seed, percentiles=tuple(sweep.cost_percentiles))
