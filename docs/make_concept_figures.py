"""Draw the phase chart of every shipped concept (and every option of its choices) into
docs/figures/concept_<name>[_<option>].png, for docs/concepts.md.

Run from the repository root:  python docs/make_concept_figures.py
"""

from __future__ import annotations

from pathlib import Path

from jointmission.missions import library_concept, library_names
from jointmission.missions.concept import choice_combinations
from jointmission.report.concept_plot import concept_figure

OUT = Path(__file__).resolve().parent / "figures"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in library_names():
        c = library_concept(name)
        combos = choice_combinations(c)
        for combo in combos:
            suffix = "".join(f"_{v}" for v in combo.values()) if len(combos) > 1 else ""
            fig = concept_figure(c, combo)
            path = OUT / f"concept_{name}{suffix}.png"
            fig.savefig(path)
            print(path)


if __name__ == "__main__":
    main()
