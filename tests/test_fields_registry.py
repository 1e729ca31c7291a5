"""One registry of field kinds (:mod:`jointmission.fields`): every quantity field of the scenario schema
and every sweepable path names an entry of :data:`~jointmission.fields.KINDS`, and each entry's
physical range is enforced by the scenario file loader and, where the field is sweepable, by a sweep
axis (with the same bounds)."""

from __future__ import annotations

import math
import textwrap
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, BeforeValidator

from jointmission.fields import FIELDS, KINDS, MISSION_SWEEP_KINDS, FieldKind
from jointmission.scenario import ScenarioError, load_scenario
from jointmission.scenario._base import field_kwargs, parse_field
from jointmission.scenario.mission_spec import MissionSpec
from jointmission.scenario.schema import ScenarioDoc
from jointmission.scenario.sweep_spec import MISSION_FIELDS, MISSION_OPEN_HI, MISSION_QUANTITIES, SWEEPABLE_FIELDS
from jointmission.units import to_si
from jointmission.vehicles import fields as vehicle_fields


def _walk(tp, seen: set, out: dict, where: str) -> None:
    """Collect ``where -> jm_field`` of every quantity validator reachable from annotation ``tp``."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return
        seen.add(tp)
        for name, f in tp.model_fields.items():
            for m in f.metadata:
                if isinstance(m, BeforeValidator) and hasattr(m.func, "jm_field"):
                    out[f"{tp.__name__}.{name}"] = m.func.jm_field
            _walk(f.annotation, seen, out, f"{tp.__name__}.{name}")
        return
    if typing.get_origin(tp) is typing.Annotated:
        base, *meta = typing.get_args(tp)
        for m in meta:
            if isinstance(m, BeforeValidator) and hasattr(m.func, "jm_field"):
                out[where] = m.func.jm_field
        _walk(base, seen, out, where)
        return
    for arg in typing.get_args(tp):
        _walk(arg, seen, out, where)


def _schema_quantities() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    _walk(ScenarioDoc, set(), out, "ScenarioDoc")
    return out


def test_every_scenario_quantity_field_names_a_registry_kind():
    q = _schema_quantities()
    assert len(q) >= 30, sorted(q)  # targets, transfer, mission, elements...
    unregistered = {w: k for w, k in q.items() if k not in KINDS}
    assert not unregistered, unregistered
    for w in ("OrbitSpec.inclination", "LaunchSiteSpec.latitude", "MarginsSpec.delta_v",
              "MarginsSpec.propellant_reserve", "MissionParameters.tli_c3", "MissionSpec.required_payload"):
        assert w in q, (w, sorted(q))


def test_vehicle_fields_and_sweep_paths_are_registry_entries():
    kinds = list(KINDS.values())
    assert vehicle_fields.FIELDS is FIELDS  # the vehicles module re-exports the one registry
    for name, fk in FIELDS.items():
        assert any(fk is k for k in kinds), name
    for name, (si_kind, unit, _, _) in SWEEPABLE_FIELDS.items():
        assert (si_kind, unit) == (FIELDS[name].si_kind, FIELDS[name].scenario_unit)
    assert set(MISSION_FIELDS) | set(MISSION_QUANTITIES) == set(MISSION_SWEEP_KINDS)
    for keys, (lo, hi) in MISSION_FIELDS.items():
        fk = KINDS[MISSION_SWEEP_KINDS[keys]]
        assert (lo, hi) == (fk.lo, fk.hi) and (keys in MISSION_OPEN_HI) == fk.hi_open
    for keys, (si_kind, unit, _, rule) in MISSION_QUANTITIES.items():
        assert (si_kind, unit, rule) == (KINDS[rule].si_kind, KINDS[rule].scenario_unit, MISSION_SWEEP_KINDS[keys])
    # a swept mission path has the kind of the scalar field at that path
    q = _schema_quantities()
    model_of = {("margins",): "MarginsSpec", (): "MissionSpec"}
    for keys, key in MISSION_SWEEP_KINDS.items():
        owner = model_of[tuple(keys[:-1])]
        assert q[f"{owner}.{keys[-1]}"] == key, keys
    assert "MissionSpec.required_payload" in q and MissionSpec.model_fields["required_payload"]


@pytest.mark.parametrize("key", sorted(KINDS))
def test_entry_is_consistent(key):
    fk: FieldKind = KINDS[key]
    assert to_si(1.0, fk.si_kind, fk.scenario_unit) > 0 if fk.scenario_unit else fk.si_kind == "dimensionless"
    assert fk.lo < fk.hi and fk.noun and fk.example
    if fk.rule:  # a sign word says a lower bound of 0
        assert fk.lo == 0 and fk.lo_open == (fk.rule == "positive"), key
    assert fk.ok(to_si(fk.example, fk.si_kind, fk.scenario_unit)), key  # the example is in range


def _outside(fk: FieldKind) -> list[float]:
    """SI values just outside each finite end of the range."""
    vals = []
    if math.isfinite(fk.lo):
        vals.append(fk.lo if fk.lo_open else fk.lo - max(abs(fk.lo) * 1e-3, 1e-3))
    if math.isfinite(fk.hi):
        vals.append(fk.hi if fk.hi_open else fk.hi + max(abs(fk.hi) * 1e-3, 1e-3))
    return vals


@pytest.mark.parametrize("key", sorted({k for k in _schema_quantities().values()}))
def test_scenario_parser_enforces_the_range(key):
    from pydantic_core import PydanticCustomError

    fk = KINDS[key]
    kw = field_kwargs(key)
    for si in _outside(fk):
        text = f"{si / to_si(1.0, fk.si_kind, kw['unit']) if kw['unit'] else si!r} {kw['unit']}".strip()
        with pytest.raises(PydanticCustomError):
            parse_field(text, key)
    assert fk.ok(parse_field(fk.example, key))


# ----------------------------------------------------------------- through the loader and a sweep axis
HEADER = """\
name: registry test
vehicle:
  catalog: Joint Heavy CN
targets: []
mission:
  architectures: [moon_direct]
  margins: {delta_v: 5 %, dry_mass_growth: 15 %, propellant_reserve: 1 %}
"""


def _write(tmp_path: Path, text: str) -> Path:
    d = tmp_path / "scenarios"
    d.mkdir(exist_ok=True)
    p = d / "s.yaml"
    p.write_text(textwrap.dedent(text))
    return p


def _unit_text(fk: FieldKind, si: float) -> str:
    if not fk.scenario_unit:
        return repr(si)
    return f"{si / to_si(1.0, fk.si_kind, fk.scenario_unit)!r} {fk.scenario_unit}"


def _margins_yaml(keys: tuple, value: str) -> str:
    margins = {"delta_v": "5 %", "dry_mass_growth": "15 %", "propellant_reserve": "1 %"}
    if keys[0] == "margins":
        margins[keys[1]] = value
        extra = ""
    else:
        extra = f"  {keys[0]}: {value}\n"
    body = ", ".join(f"{k}: {v}" for k, v in margins.items())
    return HEADER.replace(HEADER.splitlines()[-1], f"  margins: {{{body}}}") + extra


@pytest.mark.parametrize("keys", sorted(MISSION_SWEEP_KINDS))
def test_mission_range_enforced_by_loader_and_sweep_axis(tmp_path, keys):
    fk = KINDS[MISSION_SWEEP_KINDS[keys]]
    path = "mission." + ".".join(keys)
    for si in _outside(fk):
        bad = _unit_text(fk, si)
        with pytest.raises(ScenarioError, match=r"must be"):
            load_scenario(_write(tmp_path, _margins_yaml(keys, bad)))
        with pytest.raises(ScenarioError, match=path.replace(".", r"\.")):
            load_scenario(_write(tmp_path, HEADER + f"sweep:\n  grid:\n    {path}: [{bad}]\n"))
    good = _unit_text(fk, fk.lo if not fk.lo_open else fk.lo + 1e-3)
    load_scenario(_write(tmp_path, _margins_yaml(keys, good)))
    load_scenario(_write(tmp_path, HEADER + f"sweep:\n  grid:\n    {path}: [{good}]\n"))


@pytest.mark.parametrize("path,name", [("vehicle.boosters.count", "count"),
                                       ("vehicle.stages[0].engine.isp_vac", "isp_vac"),
                                       ("vehicle.launch_site.latitude", "latitude")])
def test_vehicle_range_enforced_by_sweep_axis(tmp_path, path, name):
    fk = FIELDS[name]
    for si in _outside(fk):
        if fk.integer:
            si = math.floor(si) if si < fk.lo else math.ceil(si)
        bad = repr(int(si)) if fk.integer else _unit_text(fk, si)
        with pytest.raises(ScenarioError):
            load_scenario(_write(tmp_path, HEADER + f"sweep:\n  grid:\n    {path}: [{bad}]\n"))


@pytest.mark.parametrize("block,bad", [("launch_site: {latitude: 91 deg}", "latitude"),
                                       ("targets:\n  - name: X\n    orbit: {altitude: 300 km, inclination: 181 deg}",
                                        "inclination"),
                                       ("targets:\n  - name: X\n    c3: 1001 km2/s2", "C3"),
                                       ("targets:\n  - name: X\n    orbit: {altitude: 100 km}", "altitude")])
def test_target_and_site_ranges_enforced_by_loader(tmp_path, block, bad):
    text = HEADER.replace("targets: []\n", "" if block.startswith("targets") else "targets: []\n")
    with pytest.raises(ScenarioError, match=bad):
        load_scenario(_write(tmp_path, text + block + "\n"))
