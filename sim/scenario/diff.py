"""A scenario's parameters as dotted paths, how each is shown, and what it cites.

Every comparison starts by saying what changed: :func:`parameter_values` lists a
scenario's parameters (``"policies.childcare.full_time"``: value), :func:`show`
writes a value as a report prints it, and :func:`cite` says whether a value rests
on a source, on an assumption (and its note) or is a design choice.

Example:
    >>> from sim.scenario import load_scenario
    >>> base = load_scenario("scenarios/baseline.yaml")
    >>> values = parameter_values(base)
    >>> show(values["allowances.activity_support_per_day"])
    '2024-01-01: 223, 2025-10-01: 365'
    >>> cite(base, "policies.pathway.mode", values["policies.pathway.mode"]).kind
    'design'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.scenario.schema import Scenario

__all__ = ["NOT_PARAMETERS", "Citation", "cite", "flatten", "parameter_values", "show"]

#: Fields of a scenario that are not parameters (names, texts, provenance, calibration targets).
NOT_PARAMETERS = frozenset({"name", "description", "provenance", "source_file", "targets"})


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to the leaves of a nested dict (a dated series ``{"values": …}`` is one leaf)."""
    if isinstance(tree, dict):
        if set(tree) == {"values"}:
            return {prefix: tree}
        out: dict[str, Any] = {}
        for key, value in tree.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: tree}


def parameter_values(scenario: Scenario) -> dict[str, Any]:
    """Every parameter of the scenario by dotted path, as JSON-like values, in the scenario's order."""
    return flatten(scenario.model_dump(mode="json", exclude=set(NOT_PARAMETERS)))


def show(value: Any) -> str:
    """A parameter's value as text (a dated series as ``date: value, …``; ``–`` when absent)."""
    if value is None:
        return "–"
    if isinstance(value, dict) and set(value) == {"values"}:
        return ", ".join(f"{d}: {_number_or_points(v)}" for d, v in value["values"].items())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _number_or_points(value: Any) -> str:
    """A dated value: a number, or a curve's points ``(x, y) …``."""
    if isinstance(value, list):
        return " ".join(f"({x:g}, {y:g})" for x, y in value)
    return f"{value:g}"


@dataclass(frozen=True)
class Citation:
    """What a parameter's value rests on.

    Attributes:
        kind: ``"source"`` (a cited published figure), ``"assumption"`` (no source) or
            ``"design"`` (a setting that is not a number: a design choice).
        text: the source, or the assumption's note (``""`` when there is none).
        file, line: where the value was set, when known.
    """

    kind: str
    text: str = ""
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        if self.kind == "source":
            return self.text
        if self.kind == "design":
            return "design choice"
        return f"assumption: {self.text or 'no source given'}"


def cite(scenario: Scenario, path: str, value: Any) -> Citation:
    """The citation of the parameter at ``path`` (a list's first element speaks for the list)."""
    by_path = {p.path: p for p in scenario.provenance}
    record = by_path.get(path) or by_path.get(f"{path}.0")
    if record is not None:
        if record.source:
            return Citation("source", record.source, record.file, record.line)
        return Citation("assumption", record.note or "", record.file, record.line)
    if isinstance(value, bool) or not isinstance(value, (int, float, dict, list)):
        return Citation("design")
    return Citation("assumption")
