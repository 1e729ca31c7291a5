"""The values of a mission concept file (docs/concepts.md): quantities with units, parameter
references and expressions, computed delta-v legs, and the concept's parameters.

A numeric field of a concept is a :class:`Value`: a constant [SI] read from a number (in the field
kind's scenario unit, :data:`jointmission.fields.KINDS`) or a quantity with a unit (``2040 m/s``), or
an expression over parameter names and plain numbers (``transit + nrho_extra_transit``,
``1 - landed_fraction``) evaluated with per-case parameter values. A delta-v may instead be a
computed leg (:class:`LegValue`, ``{leg: lunar_capture, vinf: arrival_vinf, altitude: llo_altitude}``,
:mod:`.legs`). A :class:`Param` is a named parameter with its value [SI], unit and source (or a
sourced value of the mission data file). Every problem is a :class:`ConceptError` carrying the path
of the offending key; :mod:`.concept` reads the rest of the format with these.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..fields import KINDS
from ..units import UnitError, to_si
from .elements import mission_data
from .legs import LEGS, leg_dv

__all__ = ["ConceptError", "Value", "LegValue", "Param", "parse_value", "did_you_mean"]

Path_ = tuple[str | int, ...]


class ConceptError(ValueError):
    """A concept is not valid: ``path`` = the keys of the offending entry in the concept's data
    (``("phases", 3, "element")``), ``reason`` = what is wrong and how to fix it."""

    def __init__(self, path: Path_, reason: str) -> None:
        self.path = tuple(path)
        self.reason = reason
        super().__init__(f"{_fmt(self.path)}: {reason}" if self.path else reason)


def _fmt(path: Path_) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def did_you_mean(word: str, choices: Any) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices`` to ``word``, else ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


# ------------------------------------------------------------------------------------------ values
_OPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}


@dataclass(frozen=True)
class Value:
    """A numeric field of a concept: a constant [SI] (``const``) or an expression over parameter
    names and plain numbers (``expr``, names in ``names``). ``text`` as written."""

    text: str
    const: float | None = None
    expr: Any = None
    names: tuple[str, ...] = ()

    def __call__(self, env: dict[str, Any]) -> Any:
        """The value [SI] with the parameter values ``env`` (floats or per-case arrays)."""
        if self.expr is None:
            return self.const
        return _eval(self.expr, env)


def _eval(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, env), _eval(node.right, env)
        if isinstance(node.op, ast.Add) and not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
            return a + b
        return _OPS[type(node.op)](a, b)
    raise TypeError(node)  # pragma: no cover - parse_value admits nothing else


def _expression(text: str) -> ast.Expression | None:
    """The expression tree of ``text`` if it is an arithmetic expression naming at least one
    parameter (``transit + extra``, ``1 - landed_fraction``), else ``None`` (a quantity)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None
    if not any(isinstance(n, ast.Name) for n in ast.walk(tree)):
        return None
    return tree


def parse_value(raw: Any, kind: str, path: Path_, params: dict[str, Param]) -> Value:
    """A field value: a number (in the kind's scenario unit), a quantity with a unit, a parameter
    name or an expression over parameters (``+ - * /``, parentheses, plain numbers)."""
    fk = KINDS[kind]
    if isinstance(raw, str):
        tree = _expression(raw)
        if tree is not None:
            names = []
            for n in ast.walk(tree):
                if isinstance(n, ast.Name):
                    if n.id not in params:
                        raise ConceptError(path, f"'{n.id}' is not a parameter of this concept"
                                                 f"{did_you_mean(n.id, params)}; define it under 'parameters' "
                                                 f"or write a quantity such as '{fk.example}'")
                    names.append(n.id)
                elif not isinstance(n, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Load,
                                        *_OPS, ast.USub, ast.UAdd)):
                    raise ConceptError(path, f"'{raw}' is not an expression this format reads: use parameter "
                                             "names, plain numbers, + - * / and parentheses")
                elif isinstance(n, ast.Constant) and (isinstance(n.value, bool)
                                                      or not isinstance(n.value, (int, float))):
                    raise ConceptError(path, f"'{raw}': only plain numbers may appear in an expression")
            return Value(raw, expr=tree, names=tuple(dict.fromkeys(names)))
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ConceptError(path, f"expected a {fk.noun} such as '{fk.example}', a parameter name or an expression, "
                                 f"got {type(raw).__name__}")
    try:
        v = to_si(raw, fk.si_kind, fk.scenario_unit)
    except UnitError as exc:
        raise ConceptError(path, str(exc)) from None
    if not fk.ok(v):
        raise ConceptError(path, f"must be {fk.range_text(_scale(fk), fk.scenario_unit)} ({fk.noun}), got {raw!r}")
    return Value(str(raw), const=v)


def _scale(fk) -> float:
    try:
        return float(to_si(1.0, fk.si_kind, fk.scenario_unit)) if fk.scenario_unit else 1.0
    except UnitError:  # pragma: no cover
        return 1.0


@dataclass(frozen=True)
class LegValue:
    """A delta-v computed by leg ``leg`` (:data:`~.legs.LEGS`) from ``args`` (name -> :class:`Value`)."""

    leg: str
    args: dict[str, Value]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for v in self.args.values() for n in v.names))

    def __call__(self, env: dict[str, Any]) -> Any:
        return leg_dv(self.leg, **{k: v(env) for k, v in self.args.items()})


def _parse_dv(raw: Any, path: Path_, params: dict[str, Param]) -> Value | LegValue:
    if isinstance(raw, dict):
        if "leg" not in raw:
            raise ConceptError(path, "a computed delta-v names its leg: {leg: NAME, ARG: VALUE, ...}; legs: "
                                     + ", ".join(LEGS))
        name = raw["leg"]
        if name not in LEGS:
            raise ConceptError(path + ("leg",), f"unknown leg '{name}'{did_you_mean(name, LEGS)}; legs: "
                                                + ", ".join(LEGS))
        leg = LEGS[name]
        args = {}
        for k, v in raw.items():
            if k == "leg":
                continue
            if k not in leg.args:
                raise ConceptError(path + (k,), f"leg '{name}' has no argument '{k}'{did_you_mean(k, leg.args)}; "
                                                f"its arguments: {', '.join(leg.args)}")
            args[k] = parse_value(v, leg.args[k], path + (k,), params)
        missing = [a for a in leg.required if a not in args]
        if missing:
            raise ConceptError(path, f"leg '{name}' needs '{missing[0]}' (arguments: {', '.join(leg.args)})")
        return LegValue(name, args)
    return parse_value(raw, "speed_m_s", path, params)


# -------------------------------------------------------------------------------------- parameters
_DATA_UNITS = {"_m_s": ("speed", "m/s", 1.0), "_km": ("length", "km", 1e3), "_days": ("time", "d", 86400.0),
               "_kg": ("mass", "kg", 1.0), "_m2_s2": ("c3", "km2/s2", 1.0)}
_SI_KIND_GUESS = ("speed", "c3", "length", "time", "mass", "dimensionless")
_DEFAULT_KIND = {"speed": "speed_m_s", "c3": "c3", "length": "altitude", "time": "duration_d",
                 "mass": "mass_nonneg"}


@dataclass(frozen=True)
class Param:
    """A concept parameter: ``value`` [SI], ``si_kind`` (``speed``, ``time``, ...), ``unit`` (unit of a
    bare number in an override, as the default was written), ``source``, ``integer`` (a count),
    ``kind`` (a :data:`~jointmission.fields.KINDS` key giving the physical range, or ``None``)."""

    name: str
    value: float
    si_kind: str
    unit: str
    source: str
    integer: bool = False
    kind: str | None = None

    def convert(self, raw: Any) -> float:
        """An override of this parameter [SI]: a number in :attr:`unit` or a quantity. Raises
        :class:`~jointmission.units.UnitError` or ``ValueError`` (out of range)."""
        if isinstance(raw, str) and self.si_kind == "dimensionless" and raw.strip().endswith("%"):
            v = to_si(raw, "dimensionless", "")
        else:
            v = to_si(raw, self.si_kind, self.unit)
        self.check(v)
        return v

    def check(self, v: float) -> None:
        """Raise ``ValueError`` if ``v`` [SI] is outside this parameter's range."""
        if self.integer and not (v >= 0 and float(v).is_integer() and v <= 1000):  # is_integer: inf is not
            raise ValueError(f"'{self.name}' is a count: a whole number from 0 to 1000, got {v:g}")
        if self.kind is not None and not KINDS[self.kind].ok(v):
            fk = KINDS[self.kind]
            raise ValueError(f"'{self.name}' must be {fk.range_text(_scale(fk), fk.scenario_unit)}, got "
                             f"{v / _scale(fk):g} {fk.scenario_unit}".rstrip())


def _parse_param(name: str, raw: Any, path: Path_) -> Param:
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise ConceptError(path, f"parameter name '{name}' must be a word of letters, digits and '_' (it is used "
                                 "in expressions)")
    if not isinstance(raw, dict):
        raise ConceptError(path, "a parameter is {value: QUANTITY, source: TEXT} or {data: BODY.KEY} (a sourced "
                                 "value of the mission data file)")
    unknown = [k for k in raw if k not in ("value", "source", "data", "integer", "kind", "unit")]
    if unknown:
        raise ConceptError(path + (unknown[0],), f"unknown key '{unknown[0]}'"
                                                 f"{did_you_mean(unknown[0], ['value', 'source', 'data', 'integer', 'kind'])}")
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise ConceptError(path + ("kind",), f"unknown field kind '{kind}'{did_you_mean(kind, KINDS)}")
    if "data" in raw:
        ref = raw["data"]
        parts = str(ref).split(".")
        phases = mission_data()["phases"]
        if len(parts) != 2 or parts[0] not in phases or parts[1] not in phases[parts[0]]:
            keys = [f"{b}.{k}" for b, d in phases.items() for k in d]
            raise ConceptError(path + ("data",), f"'{ref}' is not a value of the mission data file{did_you_mean(ref, keys)}")
        entry = phases[parts[0]][parts[1]]
        si_kind, unit, scale = next((v for s, v in _DATA_UNITS.items() if parts[1].endswith(s)),
                                    ("dimensionless", "", 1.0))
        value = float(entry["value"]) * scale
        src = f"{' '.join(str(entry.get('source', '')).split())} (missions.yaml {ref})"
        return Param(name, value, si_kind, unit, src, False, kind or _DEFAULT_KIND.get(si_kind))
    if "value" not in raw:
        raise ConceptError(path, "a parameter needs 'value' (with its unit) and 'source', or 'data'")
    if not str(raw.get("source", "")).strip():
        raise ConceptError(path, f"parameter '{name}' needs a 'source': where its value comes from (a reference, "
                                 "or ASSUMED and why)")
    v = raw["value"]
    integer = bool(raw.get("integer", False))
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise ConceptError(path + ("value",), f"expected a number or a quantity such as '2040 m/s', got {v!r}")
    if isinstance(v, (int, float)) or integer:
        try:
            value = float(v)
        except ValueError:
            raise ConceptError(path + ("value",), f"a count is a whole number, got {v!r}") from None
        p = Param(name, value, "dimensionless", "", str(raw["source"]), integer, kind)
    else:
        text = v.strip()
        num = re.match(r"[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?", text)
        unit = text[num.end():].strip() if num else ""
        for si_kind in _SI_KIND_GUESS:
            try:
                value = to_si(text, si_kind, unit or "")
                break
            except UnitError:
                continue
        else:
            raise ConceptError(path + ("value",), f"'{v}' is not a quantity this format reads (a speed, C3, length, "
                                                  "duration, mass or fraction such as '2040 m/s', '-2 km2/s2', "
                                                  "'100 km', '3.5 d', '12 t', '15 %')")
        p = Param(name, value, si_kind, unit if si_kind != "dimensionless" else "", str(raw["source"]), False,
                  kind or _DEFAULT_KIND.get(si_kind))
    try:
        p.check(p.value)
    except ValueError as exc:
        raise ConceptError(path + ("value",), str(exc)) from None
    return p
