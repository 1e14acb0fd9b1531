"""Plain-English wording for pydantic's validation errors, with "did you mean".

Pydantic reports each problem as a type (``less_than_equal``, ``extra_forbidden``,
...) with context; :func:`message_for` turns one into a sentence a scenario author
can act on, showing values as they would be written in YAML and, for a misspelt
key or name, suggesting the closest one the schema allows at that place.

Example:
    >>> from sim.scenario.schema import Scenario
    >>> detail = {"type": "less_than_equal", "loc": ("population", "women_share"),
    ...           "msg": "Input should be less than or equal to 1", "input": 1.5,
    ...           "ctx": {"le": 1.0}}
    >>> message_for(detail, ("population", "women_share"), Scenario)
    'must be at most 1 (got 1.5)'
    >>> message_for({"type": "extra_forbidden", "loc": ("population", "women_shar"),
    ...              "msg": "Extra inputs are not permitted", "input": 0.5},
    ...             ("population", "women_shar"), Scenario)
    "unknown key 'women_shar'; did you mean 'women_share'?"
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from sim.errors import printable
from sim.scenario.locations import KeyPath

__all__ = ["RESERVED_KEYS", "message_for", "annotation_at", "is_model", "show"]

#: Scenario fields the loader fills in; a scenario file may not set them.
RESERVED_KEYS = ("provenance", "source_file")


def message_for(detail: Mapping[str, Any], path: KeyPath, root: type[BaseModel]) -> str:
    """The plain-English message for one pydantic error.

    Args:
        detail: one entry of ``ValidationError.errors()``.
        path: the user's key path of the offending value (without pydantic's
            internal parts), used to look up what the schema allows there.
        root: the model the whole tree was validated as (the scenario's).
    """
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    got = show(detail.get("input"))
    if kind == "extra_forbidden":
        return _unknown_key(path[-1] if path else "", path[:-1], root)
    if "[key]" in detail["loc"]:
        return _unknown_key(str(detail.get("input")), path[:-1], root)
    value = detail.get("input")
    if kind in ("float_type", "int_type", "finite_number") and isinstance(value, int) and abs(value) >= 10**16:
        return f"is too large to be a number of this model ({show(value)})"
    if kind in ("float_type", "int_type") and isinstance(detail.get("input"), bool):
        number = "a number" if kind == "float_type" else "a whole number"
        return f"expected {number}, got the boolean {got} (YAML reads yes, no, on, off, true and false as booleans)"
    if kind in _TEMPLATES:
        bounds = {name: show(ctx[name]) for name in ("ge", "gt", "le", "lt") if name in ctx}
        return _TEMPLATES[kind].format(got=got, **bounds)
    if kind in ("literal_error", "enum"):
        return _unknown_value(detail.get("input"), path, root)
    if kind.startswith("date"):
        reason = f" ({ctx['error']})" if "error" in ctx else ""
        return f"expected a date YYYY-MM-DD, got {got}{reason}"
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", detail["msg"]))
        return text if isinstance(detail.get("input"), (Mapping, list)) or " got " in text else f"{text} (got {got})"
    return f"{detail['msg'][:1].lower()}{detail['msg'][1:]} (got {got})"


_TEMPLATES = {
    "missing": "missing required key",
    "greater_than_equal": "must be at least {ge} (got {got})",
    "greater_than": "must be greater than {gt} (got {got})",
    "less_than_equal": "must be at most {le} (got {got})",
    "less_than": "must be less than {lt} (got {got})",
    "finite_number": "must be a finite number (got {got})",
    "float_parsing": "expected a number, got {got}",
    "float_type": "expected a number, got {got}",
    "int_parsing": "expected a whole number, got {got}",
    "int_type": "expected a whole number, got {got}",
    "int_from_float": "expected a whole number, got {got}",
    "bool_parsing": "expected true or false, got {got}",
    "bool_type": "expected true or false, got {got}",
    "string_type": "expected text, got {got}",
    "model_type": "expected a mapping of keys to values, got {got}",
    "model_attributes_type": "expected a mapping of keys to values, got {got}",
    "dict_type": "expected a mapping of keys to values, got {got}",
    "tuple_type": "expected a list, got {got}",
    "list_type": "expected a list, got {got}",
}


def _unknown_key(key: str, parent: KeyPath, root: type[BaseModel]) -> str:
    return f"unknown key '{printable(key)}'{_suggestion(key, _allowed_keys(parent, root), 'allowed keys')}"


def _unknown_value(value: Any, path: KeyPath, root: type[BaseModel]) -> str:
    allowed = _choices(annotation_at(path, root))
    close = difflib.get_close_matches(str(value), allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    expected = ", ".join(repr(choice) for choice in allowed)
    return f"expected one of {expected}, got {show(value)}{hint}"


def _suggestion(word: str, allowed: list[str], label: str) -> str:
    close = difflib.get_close_matches(word, allowed, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; {label}: {', '.join(allowed)}" if allowed else ""


def _allowed_keys(path: KeyPath, root: type[BaseModel]) -> list[str]:
    """The keys the schema accepts in the mapping at ``path``: field names or allowed names."""
    annotation = annotation_at(path, root)
    if is_model(annotation):
        fields = annotation.model_fields
        return [name for name in fields if not (path == () and name in RESERVED_KEYS)]
    if get_origin(annotation) in (dict, Mapping):
        return _choices(_unwrap(get_args(annotation)[0]))
    return []


def _choices(annotation: Any) -> list[str]:
    if get_origin(annotation) is Literal:
        return [str(value) for value in get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return []


def annotation_at(path: KeyPath, root: type[BaseModel]) -> Any:
    """The schema type of the value at ``path`` below ``root`` (None when the path is not in the schema)."""
    annotation: Any = root
    for part in path:
        annotation = _unwrap(annotation)
        if is_model(annotation):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        elif get_origin(annotation) in (dict, tuple, list):
            annotation = get_args(annotation)[1 if get_origin(annotation) is dict else 0]
        else:
            return None
    return _unwrap(annotation)


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        else:
            return annotation


def is_model(annotation: Any) -> bool:
    """True when ``annotation`` is a pydantic model class."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def show(value: Any) -> str:
    """A value as the user would have written it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Enum):
        return repr(value.value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, int) and abs(value) >= 10**16:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, (int, date)):
        return str(value)
    if isinstance(value, str):
        # Invisible and control characters are shown escaped, long texts cut: a message names a value, it does
        # not reproduce a file.
        shown = value if value.isprintable() else value.encode("unicode_escape").decode("ascii")
        return repr(shown if len(shown) <= 80 else shown[:77] + "…")
    if isinstance(value, Mapping):
        return "a mapping"
    return "a list" if isinstance(value, (list, tuple)) else repr(value)
