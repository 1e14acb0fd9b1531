"""Turn a scenario tree into a validated model, or into errors a person can act on.

Pydantic does the checking; this module translates its findings. Every error is
reported (not just the first), each as ``FILE:LINE: key.path: message`` where
FILE and LINE are where the offending value was written (which may be a file
that the scenario extends) and the message says what was expected, in plain
English, with a "did you mean" suggestion for misspelt keys and names (the
wording is in :mod:`sim.scenario.messages`; this module finds the key path and
the file and line of each error). It knows no particular model: the scenario's
is passed in (:mod:`sim.scenario.loading` reads files with it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError, ScenarioErrors
from sim.scenario.messages import RESERVED_KEYS, annotation_at, is_model, message_for, show
from sim.scenario.yaml_io import KeyPath, Location, dotted

__all__ = ["check_tree"]

M = TypeVar("M", bound=BaseModel)

_TYPE_TAGS = frozenset(
    {"int", "float", "str", "bool", "none", "date", "dict", "list", "tuple", "model"}
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_tree(
    model: type[M],
    tree: Mapping[Any, Any],
    lines: Mapping[KeyPath, Location],
    provenance: Iterable[Mapping[str, Any] | BaseModel],
    file: str,
) -> M:
    """Validate an in-memory scenario tree (as produced by ``yaml_io.load_tree``) as ``model``.

    Args:
        model: the scenario's model class (its fields ``provenance`` and ``source_file`` are filled here).
        tree: the scenario data, without ``source``/``note`` metadata.
        lines: where each key path was written; missing paths fall back to their
            nearest ancestor, and then to ``file`` without a line.
        provenance: one record per parameter, stored on the scenario.
        file: the scenario's file name, stored as ``Scenario.source_file``.

    Raises:
        ScenarioErrors: every problem found, ordered by file and line.
    """
    errors = [
        _error(lines, (key,), file, f"unknown key '{key}'") for key in RESERVED_KEYS if key in tree
    ]
    non_finite = dict(_non_finite_paths(tree, ()))
    errors += [
        _error(lines, path, file, f"must be a finite number (got {show(value)})")
        for path, value in non_finite.items()
    ]
    data = {key: value for key, value in tree.items() if key not in RESERVED_KEYS}
    try:
        scenario = model.model_validate({**data, "provenance": list(provenance), "source_file": file})
    except ValidationError as exc:
        errors += _translate(exc, data, lines, file, list(non_finite), model)
    else:
        if not errors:
            return scenario
    raise ScenarioErrors(_in_file_order(errors))


def _translate(
    exc: ValidationError,
    tree: Mapping[Any, Any],
    lines: Mapping[KeyPath, Location],
    file: str,
    non_finite: list[KeyPath],
    model: type[BaseModel],
) -> list[ScenarioError]:
    errors = []
    for detail in exc.errors():
        path = _clean_path(detail["loc"], tree)
        message = message_for(detail, path, model)
        if _already_reported(path, message, non_finite):
            continue
        path, line_path, message = _refine(detail, path, message, lines, model)
        errors.append(_error(lines, path, file, message, line_path))
    return errors


def _error(
    lines: Mapping[KeyPath, Location],
    path: KeyPath,
    file: str,
    message: str,
    line_path: KeyPath | None = None,
) -> ScenarioError:
    where_file, line = _location(lines, path if line_path is None else line_path, file)
    return ScenarioError(where_file, line, dotted(path), message)


def _location(
    lines: Mapping[KeyPath, Location], path: KeyPath, file: str
) -> tuple[str, int | None]:
    for depth in range(len(path), -1, -1):
        if path[:depth] in lines:
            return lines[path[:depth]]
    return file, None


def _in_file_order(errors: list[ScenarioError]) -> list[ScenarioError]:
    files = list(dict.fromkeys(error.file for error in errors))
    return sorted(errors, key=lambda error: (files.index(error.file), error.line or 0))


def _non_finite_paths(value: Any, path: KeyPath) -> Iterable[tuple[KeyPath, float]]:
    if isinstance(value, float) and not math.isfinite(value):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _non_finite_paths(item, path + (str(key),))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _non_finite_paths(item, path + (str(index),))


def _already_reported(path: KeyPath, message: str, non_finite: list[KeyPath]) -> bool:
    if path in non_finite:
        return True
    return "finite" in message and any(bad[: len(path)] == path for bad in non_finite)


def _clean_path(loc: tuple[int | str, ...], tree: Any) -> KeyPath:
    """The user's key path for a pydantic ``loc``, without pydantic's internal parts."""
    parts: list[str] = []
    node = tree
    for part in loc:
        key = _child_key(node, part)
        if key is not _MISSING:
            parts.append(str(part))
            node = node[key]
        elif not _is_internal(part):
            parts.append(str(part))
            node = None
    return tuple(parts)


_MISSING = object()


def _child_key(node: Any, part: int | str) -> Any:
    if isinstance(node, Mapping):
        if part in node:
            return part
        return next((key for key in node if str(key) == str(part)), _MISSING)
    if isinstance(node, (list, tuple)) and isinstance(part, int) and 0 <= part < len(node):
        return part
    return _MISSING


def _is_internal(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part in _TYPE_TAGS)


def _refine(
    detail: Mapping[str, Any], path: KeyPath, message: str, lines: Mapping[KeyPath, Location], model: type[BaseModel]
) -> tuple[KeyPath, KeyPath, str]:
    """Point errors raised by validators at the key they name, when it can be found.

    Model validators report at the model (``population``) and name the key in the
    message (``household_shares.women must sum to 1``); dated series name the date.
    """
    if detail["type"] != "value_error":
        return path, path, message
    if is_model(annotation_at(path, model)):
        head, _, rest = message.partition(" ")
        named = path + tuple(head.rstrip(":").split("."))
        if head and rest and named[: len(path) + 1] in lines:
            return named, named, rest
    for day in _ISO_DATE.findall(message):
        if path + ("values", day) in lines:
            return path, path + ("values", day), message
    return path, path, message
