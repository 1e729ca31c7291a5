"""Turn pydantic validation errors into one-paragraph :class:`ScenarioError` messages.

The first problem in file order is reported, with what was expected, the allowed keys and a
"did you mean" for misspelt keys.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import PathKey, ScenarioError, format_path
from ._base import suggest, unknown_key_message

__all__ = ["allowed_keys", "kind_of", "scenario_error_from"]

def scenario_error_from(exc: ValidationError, data: Any, locate: Callable, model: type[BaseModel] | None,
                     prefix: tuple[PathKey, ...] = ()) -> ScenarioError:
    """Turn the first (in file order) pydantic error into a one-paragraph :class:`ScenarioError`."""
    errors = exc.errors(include_url=False)
    described = [(err, *_describe(err, data, model)) for err in errors]
    # A key that is both "missing" and present under a misspelt name: report the misspelling only.
    unknown_parents = {path[:-1] for err, path, _ in described if err["type"] in ("extra_forbidden", "unknown_key")}
    # A field that may take several forms (a mapping or ``false``): when one form's check failed deeper
    # inside the value, the other forms' "wrong type" errors at the field itself are the same mistake.
    deeper = [path for _, path, _ in described]
    found = []
    for err, path, reason in described:
        if err["type"] == "missing" and path[:-1] in unknown_parents:
            continue
        if err["type"] in _OTHER_FORM and any(len(q) > len(path) and q[:len(path)] == path for q in deeper):
            continue
        file, line, note = (*locate(path), "")[:3]
        found.append((line if line is not None else 0, file, path, reason + note))
    found.sort(key=lambda t: t[0])
    line, file, path, reason = found[0]
    if len(found) > 1:
        reason += f" ({len(found) - 1} more problem{'s' if len(found) > 2 else ''} after this one)"
    return ScenarioError(reason, file=file, line=line or None, field=format_path(prefix + tuple(path)) or None)


_OTHER_FORM = frozenset({"literal_error", "bool_type", "bool_parsing", "none_required", "model_type", "dict_type",
                         "model_attributes_type", "string_type", "list_type"})
"""Error types that say a value is not of one form of a field (dropped where another form's error
lies deeper inside the same value)."""


def _describe(err: dict, data: Any, model: type[BaseModel] | None) -> tuple[tuple[PathKey, ...], str]:
    etype = err["type"]
    loc = err["loc"]
    ctx = err.get("ctx") or {}
    # Drop union/function tags: keep only loc elements that exist in the input data.
    path: list[PathKey] = []
    cur = data
    for i, el in enumerate(loc):
        if isinstance(cur, dict) and isinstance(el, str) and el in cur:
            path.append(el)
            cur = cur[el]
        elif isinstance(cur, list) and isinstance(el, int) and not isinstance(el, bool) and 0 <= el < len(cur):
            path.append(el)
            cur = cur[el]
        elif i == len(loc) - 1 and etype in ("missing", "extra_forbidden"):
            path.append(el)
    if "jm_path" in ctx:
        path = list(ctx["jm_path"])
    elif "jm_key" in ctx:
        path.append(ctx["jm_key"])
    elif "jm_field" in ctx:
        path.append(ctx["jm_field"])
    last = path[-1] if path else None
    value = err.get("input")

    if etype == "missing":
        reason = f"required key '{last}' is missing"
        if last == "launch_site":
            reason += " (give it in the vehicle, or as a top-level 'launch_site: {latitude: ...}')"
    elif etype == "extra_forbidden":
        allowed = allowed_keys(model, path[:-1]) if model is not None else []
        reason = unknown_key_message(str(last), allowed)
    elif etype in ("model_type", "dict_type", "model_attributes_type"):
        reason = f"expected a mapping of keys, got {kind_of(value)}"
    elif etype == "list_type":
        reason = f"expected a list, got {kind_of(value)}"
    elif etype == "string_type":
        reason = f"expected text, got {kind_of(value)}"
        if isinstance(value, bool):  # YAML 1.1: an unquoted no / off (a country code, a name) is False
            reason += (": YAML reads an unquoted yes/no/on/off/true/false as a boolean; put the text in quotes, "
                       f"e.g. \"{'yes' if value else 'no'}\"")
        elif not isinstance(value, (dict, list)) and value is not None:  # a number, a date (2031-01-01)
            reason += f": put the text in quotes, e.g. \"{value}\""
    elif etype == "too_short":
        reason = "needs at least one entry"
    elif etype == "literal_error":
        expected = ctx.get("expected", "")
        reason = f"must be one of {expected}, got {_short(value)}"
        if isinstance(value, str):
            reason += suggest(value, re.findall(r"'([^']*)'", expected))
    elif etype == "string_too_short":
        reason = "must not be empty"
    elif etype in ("union_tag_not_found", "union_tag_invalid"):  # a discriminated union: the sampled distributions
        from .sweep_spec import DISTRIBUTION_FORMS

        key = str(ctx.get("discriminator", "")).strip("'")
        tags = list(DISTRIBUTION_FORMS)
        if etype == "union_tag_invalid":
            path.append(key)
            reason = f"must be one of {ctx.get('expected_tags', '')}, got {_short(ctx.get('tag'))}"
            reason += suggest(str(ctx.get("tag")), tags)
        else:
            named = [k for k in value if str(k).strip().lower() in tags] if isinstance(value, dict) else []
            forms = [f"{t} ({k})" for t, k in DISTRIBUTION_FORMS.items()]
            reason = (f"needs the key '{key}', which says which distribution it is: {', '.join(forms[:-1])} or "
                      f"{forms[-1]}; e.g. 'distribution: normal, std: 3 s'")
            if named:
                reason += f" (got '{named[0]}' as a key: write 'distribution: {named[0]}' and its parameters by name)"
            elif not isinstance(value, dict):
                reason += f", got {kind_of(value)}"
    else:
        reason = err["msg"]
        if reason.startswith("Value error, "):
            reason = reason[len("Value error, "):]
        if isinstance(last, str) and reason.startswith(f"{last} must "):
            reason = reason[len(last) + 1:]
        if "got" not in reason and _short(value) not in reason and not isinstance(value, (dict, list)):
            reason += f", got {_short(value)}"
    return tuple(path), reason


def _short(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_short(value)})"
    return type(value).__name__


def _flatten(ann: Any) -> list[Any]:
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(ann)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [t for a in typing.get_args(ann) for t in _flatten(a)]
    return [ann]


def allowed_keys(model: type[BaseModel] | None, path: Sequence[PathKey]) -> list[str]:
    """Keys allowed at ``path`` inside ``model`` (best effort over Optional/Union/list fields)."""
    types: list[Any] = [model] if model is not None else []
    for el in path:
        nxt: list[Any] = []
        for t in types:
            if isinstance(el, int):
                if typing.get_origin(t) in (list, tuple):
                    nxt += _flatten(typing.get_args(t)[0])
            elif isinstance(t, type) and issubclass(t, BaseModel) and el in t.model_fields:
                nxt += _flatten(t.model_fields[el].annotation)
        types = nxt
    keys: list[str] = []
    for t in types:
        if isinstance(t, type) and issubclass(t, BaseModel):
            keys += [k for k in t.model_fields if k not in keys]
    return keys
