"""Moon and Mars mission architectures: phases, propulsive elements, delta-v and mass budgets with
margins and boil-off, launcher capability per delivery (see docs/method-missions.md).

- :mod:`.budget` -- forward/backward linear mass budgets over arrays of cases (:func:`solve_budget`).
- :mod:`.elements` -- sourced element and phase data (``data/missions.yaml``), boil-off rates.
- :mod:`.phases` -- phase delta-v from :mod:`jointmission.core.orbits` or sourced values; Mars windows.
- :mod:`.architectures` -- an architecture's evaluation (launcher capabilities -> payload, launches).
- :mod:`.concept`, :mod:`.concept_check`, :mod:`.concept_build`, :mod:`.concept_library` -- mission
  concepts as data (``scenarios/concepts/``, docs/concepts.md): format, flight plan and checks, build.
- :mod:`.legs` -- delta-v legs computed by code that a concept's phase may name.
- :mod:`.launch` -- launcher capability for all variants and deliveries in one vectorized call.
"""

from .architectures import (
    ARCHITECTURES,
    DESCRIPTIONS,
    MARS_ARCHITECTURES,
    MOON_ARCHITECTURES,
    Architecture,
    ArchitectureResult,
    Delivery,
    build,
    evaluate,
    from_concept,
)
from .concept import Concept, ConceptError
from .concept_library import library_concept, library_names, read_concept
from ..core.status import STATUS_TEXT
from .budget import (
    BudgetResult,
    BudgetStatus,
    Element,
    Item,
    Margins,
    Mission,
    Phase,
    backward,
    forward,
    solve_budget,
)
from .elements import boiloff_per_day, element, mission_data, phase_value
from .launch import capability, delivery_c3
from .phases import (
    MARS_WINDOWS,
    MarsWindow,
    PhaseKind,
    earth_departure_dv,
    lunar_capture_dv,
    mars_capture_dv,
    mars_window,
    tabulated_mars_window,
)

__all__ = [
    "ARCHITECTURES", "DESCRIPTIONS", "MARS_ARCHITECTURES", "MOON_ARCHITECTURES", "Architecture",
    "ArchitectureResult", "Delivery", "build", "evaluate", "from_concept",
    "Concept", "ConceptError", "library_concept", "library_names", "read_concept",
    "STATUS_TEXT", "BudgetResult", "BudgetStatus", "Element", "Item", "Margins", "Mission", "Phase",
    "backward", "forward", "solve_budget",
    "boiloff_per_day", "element", "mission_data", "phase_value",
    "capability", "delivery_c3",
    "MARS_WINDOWS", "MarsWindow", "PhaseKind", "earth_departure_dv", "lunar_capture_dv", "mars_capture_dv",
    "mars_window", "tabulated_mars_window",
]
