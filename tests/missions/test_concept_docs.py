"""docs/concepts.md explains every shipped concept with a chart of its phases (one per option of
its choices), and the chart says what flies, waits and is dropped in each phase."""

from __future__ import annotations

from pathlib import Path

from jointmission.missions import library_concept, library_names
from jointmission.missions.concept import choice_combinations
from jointmission.report.concept_plot import concept_figure, phase_grid

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_shipped_concept_has_a_section_and_its_charts():
    text = (DOCS / "concepts.md").read_text()
    for name in library_names():
        assert f"\n### {name}\n" in text, f"docs/concepts.md has no section for concept '{name}'"
        combos = choice_combinations(library_concept(name))
        for combo in combos:
            suffix = "".join(f"_{v}" for v in combo.values()) if len(combos) > 1 else ""
            fig = f"figures/concept_{name}{suffix}.png"
            assert fig in text, f"docs/concepts.md does not show {fig}"
            assert (DOCS / fig).is_file(), f"{fig} is missing: run python docs/make_concept_figures.py"


def test_phase_grid_of_moon_direct():
    """moon_direct: the descent stage and the cargo fly every phase and are dropped at the landing,
    where the descent stage burns (it burns at LOI too)."""
    g = phase_grid(library_concept("moon_direct"))
    assert g["phases"] == ["TLI (launcher)", "translunar coast", "LOI", "descent and landing"]
    assert g["state"]["descent stage"] == ["fly"] * 4 and g["state"]["cargo"] == ["fly"] * 4
    assert g["drops"] == {("descent stage", 3), ("cargo", 3)}
    assert g["burns"] == {("descent stage", 2), ("descent stage", 3)}
    assert g["places"][-1] == "surface"


def test_phase_grid_shows_waiting_elements():
    """moon_lor_single: the crew vehicle waits in LLO (present, not flying) while the lander lands."""
    g = phase_grid(library_concept("moon_lor_single"))
    j = g["phases"].index("surface stay")
    assert g["state"]["crew vehicle"][j] == "wait" and g["state"]["ascent stage"][j] == "fly"
    assert g["state"]["descent stage"][j] == ""  # left on the surface


def test_concept_figure_is_a_bare_figure():
    from matplotlib.figure import Figure

    fig = concept_figure(library_concept("mars_cargo"), {"capture": "propulsive"})
    assert isinstance(fig, Figure) and "propulsive" in fig._suptitle.get_text()
