"""Provider defaults from the catalog's ``country`` data, and the scenario's overrides."""

from __future__ import annotations

import dataclasses

import pytest

from jointmission.programme.partners import (Partner, Programme, ProgrammeError, ProviderOverrides, country_tokens,
                                             partner_for_country)
from jointmission.programme.providers import resolve_providers, vehicle_providers
from jointmission.vehicles.catalog import get_vehicle

RU_CN = Programme((Partner("Russia", "Russia", 0.5, "Roscosmos"), Partner("China", "China", 0.5, "CNSA")))


def test_country_tokens_and_matching():
    assert country_tokens("USSR / Russia") == ["USSR", "Russia"]
    assert country_tokens("Europe (France)") == ["Europe (France)", "Europe", "France"]
    assert partner_for_country("USSR / Russia", RU_CN) == "Russia"
    assert partner_for_country("china", RU_CN) == "China"
    assert partner_for_country("USA", RU_CN) is None
    # a joint vehicle: the launch-site country decides, else the first listed
    assert partner_for_country("Russia / China", RU_CN, prefer="China") == "China"
    assert partner_for_country("Russia / China", RU_CN) == "Russia"
    esa = Programme((Partner("ESA", "Europe", 1.0),))
    assert partner_for_country("Europe (France)", esa) == "ESA"
    # the partner's country decides, not its name
    assert partner_for_country("China", Programme((Partner("China", "Japan", 1.0),))) is None


def test_joint_vehicle_defaults_russian_engines_on_a_chinese_airframe():
    vp = vehicle_providers(RU_CN, get_vehicle("Joint Heavy RU"))
    assert vp.engines == {"RD-171M": "Russia", "RD-0120 (11D122)": "Russia", "YF-79": "China", "RD-191": "Russia"}
    assert set(vp.stages.values()) == {"China"}  # Wenchang: the airframe is China's
    assert (vp.vehicle, vp.launch_site, vp.launch) == ("China", "China", "China")


def test_joint_vehicle_from_a_russian_site():
    v = dataclasses.replace(get_vehicle("Joint Heavy RU-CN hybrid"), launch_site="Vostochny")
    vp = vehicle_providers(RU_CN, v)
    assert set(vp.stages.values()) == {"Russia"} and vp.launch == "Russia"
    assert vp.engines["RD-180"] == "Russia" and vp.engines["YF-130"] == "China"


def test_overrides():
    prog = dataclasses.replace(RU_CN, providers=ProviderOverrides(
        engines={"YF-79": "Russia"}, stages={"boosters": "Russia", "Second stage": "Russia"}, vehicle="Russia",
        launches={"*": "Russia", "crew": "China"}, elements={"tanker": "Russia", "crew vehicle": "China"}))
    v = get_vehicle("Joint Heavy CN")
    vp = vehicle_providers(prog, v)
    assert vp.engines["YF-79"] == "Russia" and vp.engines["YF-130"] == "China"
    assert vp.stages[v.boosters.name] == "Russia" and vp.stages["Second stage"] == "Russia"
    assert vp.stages["Core stage (10 m)"] == "Russia"  # the integrating partner's by default
    members = {"lander": ("descent stage",), "crew": ("crew vehicle", "crew"), "tanker 2": ("tanker 2",)}
    cp = resolve_providers(prog, v, members)
    assert cp.launches == {"lander": "Russia", "crew": "China", "tanker 2": "Russia"}
    # an element follows its launch unless assigned; a repeated launch's copy follows its name as written
    assert cp.elements == {"descent stage": "Russia", "crew vehicle": "China", "crew": "China", "tanker 2": "Russia"}


def test_component_without_a_partner_is_an_error():
    with pytest.raises(ProgrammeError) as ei:
        vehicle_providers(RU_CN, get_vehicle("Saturn V"))
    assert ei.value.path[:2] in (("providers", "vehicle"), ("providers", "engines"))
    assert "which no partner represents" in ei.value.reason
