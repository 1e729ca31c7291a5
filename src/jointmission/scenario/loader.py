"""Load a scenario file into a validated :class:`Scenario`; every error names file, line and field.

Steps: safe YAML with line numbers (:mod:`.yamlsafe`) -> the document schema (:mod:`.schema`) ->
the vehicle section (:mod:`.vehicle_ref`: catalog entry, vehicle file or inline mapping, overrides
applied by path) -> the launch-site override -> validation as a
:class:`jointmission.vehicles.spec.VehicleSpec`. Pydantic errors become one-paragraph messages in
:mod:`.validation_errors`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..vehicles.spec import VehicleSpec
from .errors import SourceContext
from ._base import launch_site_dict
from .target_schema import OutputsSpec, TargetsDoc, TargetSpec
from .validation_errors import scenario_error_from, kind_of
from .vehicle_ref import MASS_KEYS, THRUST_KEYS, parse_override_path, resolve_vehicle, vehicle_error
from .yamlsafe import LineMap, load_yaml_file

__all__ = ["Scenario", "load_scenario", "parse_scenario", "scenarios_root", "parse_override_path",
           "MASS_KEYS", "THRUST_KEYS"]

# ------------------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Scenario:
    """A validated scenario, ready for :func:`jointmission.runners.single.run`.

    Attributes
    ----------
    name, description : str
        From the file.
    vehicle : VehicleSpec
        The validated vehicle (SI floats), with overrides and the launch-site override applied.
    vehicle_dict : dict
        The same vehicle as a catalog-format mapping (units as written, engines resolved), which is
        what ``scenario.resolved.yaml`` records.
    vehicle_origin : str
        ``"catalog"``, ``"file"`` or ``"inline"``.
    catalog_name : str | None
        Catalog key when ``vehicle_origin == "catalog"``.
    vehicle_file : Path | None
        The included vehicle file when ``vehicle_origin == "file"``.
    overrides : dict
        Override path -> value, as written.
    targets : tuple[TargetSpec, ...]
        Targets, SI floats (altitudes m, angles rad, C3 m^2/s^2).
    outputs : OutputsSpec
        Which table formats to write.
    path : Path | None
        The scenario file (``None`` when built from a dict).
    """

    name: str
    description: str | None
    vehicle: VehicleSpec
    vehicle_dict: dict
    vehicle_origin: str
    catalog_name: str | None
    vehicle_file: Path | None
    overrides: dict
    targets: tuple[TargetSpec, ...]
    outputs: OutputsSpec
    path: Path | None = None
    _raw: dict = field(default_factory=dict, repr=False, compare=False)
    sweep: Any = None
    """:class:`~jointmission.scenario.sweep_spec.ResolvedSweep` of the ``sweep:`` section, or ``None``."""
    transfer: Any = None
    """:class:`~jointmission.scenario.transfer_spec.TransferSpec` of the ``transfer:`` section, or ``None``."""
    mission: Any = None
    """:class:`~jointmission.scenario.mission_spec.MissionSpec` of the ``mission:`` section, or ``None``."""
    mission_launchers: tuple = ()
    """``(name, VehicleSpec)`` per ``mission.launchers`` entry (empty: the scenario's vehicle flies it)."""
    programme: Any = None
    """:class:`~jointmission.programme.partners.Programme` of the ``programme:`` section, or ``None``."""
    launcher_programmes: tuple = ()
    """The programme of each ``mission.launchers`` entry: ``programme`` with the launcher's own
    ``providers`` on top (empty without a programme or without launchers)."""
    programme_spec: Any = None
    """:class:`~jointmission.scenario.programme_spec.ProgrammeSpec` of the ``programme:`` section, or ``None``."""

    @property
    def launch_latitude_rad(self) -> float:
        """Geodetic latitude of the launch site [rad] (scenario override, else the vehicle's)."""
        return float(self.vehicle.launch_site.latitude)

    @property
    def launch_site_name(self) -> str | None:
        """Launch-site name, if known."""
        return self.vehicle.launch_site.name

    @property
    def vehicle_label(self) -> str:
        """Human label: the vehicle name plus its origin, e.g. ``Saturn V (catalog, 2 overrides)``."""
        bits = [self.vehicle_origin]
        if self.overrides:
            bits.append(f"{len(self.overrides)} override{'s' if len(self.overrides) != 1 else ''}")
        return f"{self.vehicle.name} ({', '.join(bits)})"

    def resolved_dict(self) -> dict:
        """The scenario as it ran, as plain data for ``scenario.resolved.yaml``.

        The vehicle is written inline (catalog entry + engines + overrides + site), targets with
        explicit units, so the file loads again with :func:`load_scenario` and gives the same result.
        """
        targets = []
        for t in self.targets:
            if t.orbit is not None:
                o = t.orbit
                orbit: dict[str, Any] = (
                    {"altitude": _km(o.altitude)} if o.altitude is not None
                    else {"perigee": _km(o.perigee_m), "apogee": _km(o.apogee_m)}
                )
                if o.inclination is not None:
                    orbit["inclination"] = _deg(o.inclination)
                entry = {"name": t.name, "orbit": orbit}
            else:
                entry: dict[str, Any] = {"name": t.name, "c3": f"{t.c3 / 1e6:.12g} km2/s2"}
                if t.parking is not None:
                    park: dict[str, Any] = {"altitude": _km(t.parking.altitude)}
                    if t.parking.inclination is not None:
                        park["inclination"] = _deg(t.parking.inclination)
                    entry["parking"] = park
            if t.top_load is not None:
                entry["top_load"] = t.top_load if isinstance(t.top_load, str) else float(f"{t.top_load:.12g}")
            targets.append(entry)
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        out["vehicle"] = copy.deepcopy(self.vehicle_dict)
        out["targets"] = targets
        out["outputs"] = {"formats": list(self.outputs.formats)}
        if self.sweep is not None:
            out["sweep"] = copy.deepcopy(self.sweep.raw)
        if self.transfer is not None:
            out["transfer"] = self.transfer.resolved()
        if self.mission is not None:
            out["mission"] = self.mission.resolved()
        if self.programme_spec is not None:
            out["programme"] = self.programme_spec.resolved()
        return out

    def provenance(self) -> dict[str, Any]:
        """Where the vehicle came from: origin, catalog key, vehicle file, overrides, source file."""
        prov: dict[str, Any] = {"vehicle_origin": self.vehicle_origin}
        if self.catalog_name:
            prov["catalog"] = self.catalog_name
        if self.vehicle_file:
            prov["vehicle_file"] = str(self.vehicle_file)
        if self.overrides:
            prov["overrides"] = copy.deepcopy(self.overrides)
        if self.path is not None:
            prov["source"] = str(self.path)
        return prov


def _km(m: float) -> str:
    return f"{m / 1e3:.12g} km"


def _deg(rad: float) -> str:
    import math

    return f"{math.degrees(rad):.12g} deg"


# ---------------------------------------------------------------------------------- entry points
def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve the scenario file at ``path``.

    Raises
    ------
    ScenarioError
        For anything wrong with the file or what it references, naming file, line and field.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"load_scenario takes the path of a scenario file, got {type(path).__name__}; for a scenario "
                        "given as a mapping use jointmission.scenario.parse_scenario(data)")
    p = Path(path)
    data, lines = load_yaml_file(p)
    return _build(data, lines, file=p, base_dir=p.resolve().parent, root=scenarios_root(p))


def parse_scenario(data: dict, *, source: str | None = None, base_dir: str | Path | None = None) -> Scenario:
    """Validate a scenario given as plain data (as if read from YAML). ``source`` names it in errors.

    ``vehicle: {file: ...}`` references resolve against ``base_dir`` (and must stay inside the
    scenarios tree containing it); without ``base_dir`` they are refused.
    """
    lines = LineMap()
    base = Path(base_dir).resolve() if base_dir is not None else None
    root = scenarios_root(base / "scenario.yaml") if base is not None else None
    return _build(data, lines, file=source or "<scenario>", base_dir=base, root=root, has_lines=False)


def scenarios_root(scenario_file: str | Path) -> Path:
    """Root of the scenarios tree of ``scenario_file``: its nearest ancestor directory named
    ``scenarios``, else the file's own directory. Included files must stay inside it."""
    parent = Path(scenario_file).resolve().parent
    for anc in (parent, *parent.parents):
        if anc.name == "scenarios":
            return anc
    return parent


def _build(data: Any, lines: LineMap, *, file, base_dir: Path | None, root: Path | None,
           has_lines: bool = True) -> Scenario:
    ctx = SourceContext(file, lines, has_lines)
    if not isinstance(data, dict):
        raise ctx.fail(
            (),
            f"a scenario file must be a YAML mapping with keys name, vehicle, targets; "
            f"got {kind_of(data)}",
        )
    if isinstance(data.get("mission"), dict):
        from .concept_files import inline_concept_files

        data = inline_concept_files(data, ctx, base_dir, root)
    try:
        doc = _validate_doc(data)
    except ValidationError as exc:
        from .schema import ScenarioDoc

        err = scenario_error_from(exc, data, lambda p: (ctx.file, ctx.line(p)), ScenarioDoc)
        # The vehicle section is checked on its own below; report whichever problem comes first in
        # the file, so a typo in the vehicle is not hidden behind a later problem (or vice versa).
        first = vehicle_error(data.get("vehicle"), data, ctx, base_dir, root) if "vehicle" in data else None
        if first is not None and first.file == err.file and (first.line or 0) < (err.line or 0):
            err = first
        raise err from None

    vehicle_dict, locate, origin, cat_key, vfile, overrides = resolve_vehicle(doc.vehicle, data, ctx, base_dir, root)

    # Launch-site override: the scenario's site replaces the vehicle's (latitude, optional name).
    if doc.launch_site is not None:
        vehicle_dict["launch_site"] = launch_site_dict(data["launch_site"])  # latitude (+ name), or a catalog site

    try:
        spec = VehicleSpec.model_validate(vehicle_dict)
    except ValidationError as exc:
        raise scenario_error_from(exc, vehicle_dict, locate, VehicleSpec, prefix=("vehicle",)) from None

    if _section(doc, "transfer") is not None:  # its optima become targets named like 'Mars 2031 Type I (min C3)'
        from .transfer_spec import check_target_names

        check_target_names(doc.transfer, data, ctx)
    sweep = None
    if _section(doc, "sweep") is not None:  # parameter paths and values checked against this vehicle
        from .sweep_resolve import resolve_sweep

        sweep = resolve_sweep(doc.sweep, data, spec, ctx, mission=_section(doc, "mission"),
                              programme=_section(doc, "programme"))

    launchers = _mission_launchers(doc, data, ctx, base_dir, root, vehicle_dict, cat_key)
    programme, launcher_programmes = _programme(doc, spec, launchers, ctx, data)
    return Scenario(
        name=doc.name,
        description=doc.description,
        vehicle=spec,
        vehicle_dict=vehicle_dict,
        vehicle_origin=origin,
        catalog_name=cat_key,
        vehicle_file=vfile,
        overrides=overrides,
        targets=tuple(doc.targets),
        outputs=doc.outputs,
        path=Path(file) if has_lines else None,
        _raw=data,
        sweep=sweep,
        transfer=_section(doc, "transfer"),
        mission=_section(doc, "mission"),
        mission_launchers=launchers,
        programme=programme,
        programme_spec=_section(doc, "programme"),
        launcher_programmes=launcher_programmes,
    )


def _validate_doc(data: dict):
    """The scenario document validated: a document with none of the optional sections
    (:data:`~.target_schema.SECTIONS`) as a :class:`~.target_schema.TargetsDoc`, so that their
    models (and the mission, programme, sweep and transfer code they validate against, ~0.05 s of
    imports) are not loaded for it; else, and for any document the smaller schema refuses, as a
    :class:`~.schema.ScenarioDoc`, whose error is the one reported (the same message either way)."""
    if set(data) <= set(TargetsDoc.model_fields):
        try:
            return TargetsDoc.model_validate(data)
        except ValidationError:
            pass
    from .schema import ScenarioDoc

    return ScenarioDoc.model_validate(data)


def _section(doc, name: str):
    """The optional section ``name`` of a validated document (``None`` when absent, or when the
    document is a :class:`~.target_schema.TargetsDoc`, which has none)."""
    return getattr(doc, name, None)


def _programme(doc, spec: VehicleSpec, launchers: tuple, ctx: SourceContext, data: dict):
    """The ``programme:`` section checked against the launchers and architectures, and the programme
    of each launcher variant (``(None, ())`` without one)."""
    if _section(doc, "programme") is None:
        mission = _section(doc, "mission")
        for i, lz in enumerate((mission.launchers or []) if mission is not None else []):
            if lz.providers is not None:
                raise ctx.fail(("mission", "launchers", i, "providers"),
                               "a launcher's 'providers' (its division of work) needs a 'programme:' section naming "
                               "the partners; add one, or remove 'providers'")
        return None, ()
    from ..vehicles import build_vehicle
    from ..vehicles.catalog import get_vehicle
    from .programme_spec import check_programme

    vehicles = [build_vehicle(v) for _, v in launchers] if launchers else [build_vehicle(spec)]
    if doc.mission is not None:
        own = sorted({ld.launcher for a in doc.mission.architectures
                      for ld in doc.mission.concept(a).launches.values() if ld.launcher is not None})
        vehicles += [get_vehicle(n) for n in own]
    return check_programme(doc.programme, vehicles, doc.mission, ctx)


def _mission_launchers(doc, data, ctx, base_dir, root, vehicle_dict, cat_key) -> tuple:
    """``mission.launchers`` resolved to ``(name, VehicleSpec)`` pairs (empty without them)."""
    if _section(doc, "mission") is None:
        return ()
    from .mission_spec import resolve_launchers  # after schema (which imports mission_spec at its end)

    return tuple(resolve_launchers(doc.mission, data, ctx, base_dir, root, vehicle_dict, cat_key))
