"""New scenarios from old ones in Python: change values at dotted paths, write YAML back.

:func:`with_changes` is :meth:`Scenario.with_changes`: it replaces the values at
dotted paths (``"policies.childcare.full_time"``) and validates the result exactly
as a file is validated, so a misspelt key or a value out of range gives the same
message a YAML file would (the "file" is ``with_changes``). Changed parameters
carry the ``source`` given, or are listed as assumptions. :func:`to_yaml` writes
a scenario as a self-contained YAML file that loads back to the same scenario,
with the source or note of every parameter beside its value.

Example:
    >>> from sim.scenario import load_scenario
    >>> base = load_scenario("scenarios/baseline.yaml")
    >>> cheaper = base.with_changes({"name": "cheaper", "activity.usual_hours.municipal_activity": 30})
    >>> cheaper.activity.usual_hours["municipal_activity"]
    30.0
    >>> base.with_changes({"activity.usual_hour": 1})
    Traceback (most recent call last):
    ...
    sim.errors.ScenarioErrors: with_changes: activity.usual_hour: unknown key 'usual_hour'; did you mean 'usual_hours'?
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

import yaml

from sim.errors import ScenarioError, ScenarioErrors
from sim.scenario.validate import check_tree

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["CHANGES_FILE", "scenario_tree", "to_yaml", "with_changes"]

#: The "file" named in errors and provenance for values set in Python.
CHANGES_FILE = "with_changes"
_NOT_DATA = {"provenance", "source_file"}


def scenario_tree(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, as a file would hold it: the values set, without defaults or sources."""
    data: dict[str, Any] = _plain(scenario.model_dump(exclude=_NOT_DATA, exclude_unset=True))
    return data


def _plain(value: Any) -> Any:
    """Enum keys and values as their text; numbers, dates and text as they are."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def with_changes(scenario: Scenario, changes: Mapping[str, Any], source: str | None = None) -> Scenario:
    """A new scenario: ``scenario`` with the value at each dotted path replaced, validated like a file.

    Args:
        changes: ``{"section.key": value}``; ``"name"`` renames the scenario. A value may
            be a number, text, a list, a mapping (a whole section) or a dated series
            ``{"values": {"2026-01-01": 1.0}}``.
        source: cited for every changed parameter; without it they are assumptions
            (noted as set in Python).

    Raises:
        ScenarioErrors: every problem, as ``with_changes: key.path: message``.
    """
    tree = scenario_tree(scenario)
    problems = []
    for path, value in changes.items():
        problem = _set(tree, path, _plain(copy.deepcopy(value)))
        if problem:
            problems.append(ScenarioError(CHANGES_FILE, None, path, problem))
    if problems:
        raise ScenarioErrors(problems)
    changed = list(changes)
    records = [
        p.model_dump() for p in scenario.provenance
        if not any(p.path == c or p.path.startswith(c + ".") for c in changed)
    ]  # fmt: skip
    note = None if source else "Set in Python with Scenario.with_changes (no source given)."
    for path in changed:
        records += [
            {"path": leaf, "file": CHANGES_FILE, "line": 0, "source": source, "note": note}
            for leaf in _parameter_leaves(_get(tree, path), path)
        ]
    return check_tree(type(scenario), tree, {}, records, CHANGES_FILE)


def _set(tree: dict[str, Any], path: str, value: Any) -> str | None:
    """Put ``value`` at ``path``; a message if the path cannot hold a value."""
    *parents, leaf = path.split(".")
    node: Any = tree
    walked: list[str] = []
    for key in parents:
        walked.append(key)
        if isinstance(node, dict):
            key = _dict_key(node, key)
            if node.get(key) is None:
                node[key] = {}  # a section that is off (null) or absent: the change creates it
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return f"'{'.'.join(walked[:-1])}' holds a value, not a section with '{key}'"
    if isinstance(node, list):
        if not (leaf.isdigit() and int(leaf) < len(node)):
            return f"'{leaf}' is not an index of the list at '{'.'.join(parents)}'"
        node[int(leaf)] = value
    elif isinstance(node, dict):
        node[_dict_key(node, leaf)] = value
    else:
        return f"'{'.'.join(parents)}' holds a value, not a section with '{leaf}'"
    return None


def _dict_key(node: dict[Any, Any], part: str) -> Any:
    """``part`` as the mapping spells it: a number key (``child_allowance.2``) when the mapping has one."""
    if part not in node and part.lstrip("-").isdigit() and int(part) in node:
        return int(part)
    return part


def _get(tree: Any, path: str) -> Any:
    node = tree
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node[_dict_key(node, key)]
    return node


def _parameter_leaves(value: Any, path: str) -> list[str]:
    """The dotted paths of the numbers (and dated series) in ``value``."""
    if isinstance(value, dict) and set(value) == {"values"}:
        return [path]
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _parameter_leaves(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _parameter_leaves(item, f"{path}.{i}")]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [path]
    return []


def _locate(tree: Any, path: str) -> tuple[Any, Any] | None:
    """The container holding the value at ``path`` and its key there (a dict key or a list index)."""
    node = tree
    *parents, leaf = path.split(".")
    for part in [*parents, leaf]:
        key = _key_in(node, part)
        if key is None:
            return None
        if part is leaf:
            return node, key
        node = node[key]
    return None


def _key_in(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        if part in node:
            return part
        if part.lstrip("-").isdigit() and int(part) in node:
            return int(part)  # mappings with number keys (children_count_shares)
        return None
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return int(part)
    return None


def to_yaml(scenario: Scenario) -> str:
    """The scenario as one self-contained YAML file (no ``extends``), sources beside values.

    Loading the text back (:func:`sim.scenario.load_scenario`) gives a scenario with the
    same values and the same sources and notes.
    """
    tree = scenario_tree(scenario)
    for record in scenario.provenance:
        if not (record.source or record.note or record.distribution):
            continue
        found = _locate(tree, record.path)
        if found is None:
            continue
        parent, key = found
        value = parent[key]
        described = dict(value) if isinstance(value, dict) else {"value": value}
        if record.source:
            described["source"] = record.source
        if record.note:
            described["note"] = record.note
        if record.distribution:
            described["distribution"] = dict(record.distribution)
        parent[key] = described
    head = (f"# Scenario '{scenario.name}' written by Scenario.to_yaml"
            + (f" from {scenario.source_file}" if scenario.source_file else "") + ".\n")  # fmt: skip
    return head + yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=100)
