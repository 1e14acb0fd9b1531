"""Reading a scenario: a YAML file (with ``extends``) or an in-memory tree, validated as a :class:`Scenario`.

Example:
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> scenario.population.women_share
    0.47
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from sim.scenario.schema import Provenance, Scenario
from sim.scenario.validate import check_tree
from sim.scenario.yaml_io import KeyPath, Location, load_tree

__all__ = ["load_scenario", "validate_tree"]


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, merge and validate a scenario file.

    Args:
        path: the YAML file; error messages name it (and any file it extends)
            as given here.

    Returns:
        The validated, immutable scenario with the provenance of every parameter.

    Raises:
        ScenarioErrors: every problem found, each with file, line, key path and message.
    """
    loaded = load_tree(path)
    return validate_tree(loaded.tree, loaded.lines, loaded.provenance, str(path))


def validate_tree(
    tree: Mapping[Any, Any],
    lines: Mapping[KeyPath, Location],
    provenance: Iterable[Mapping[str, Any] | Provenance],
    file: str,
) -> Scenario:
    """Validate an in-memory scenario tree (as produced by ``yaml_io.load_tree``).

    Args:
        tree: the scenario data, without ``source``/``note`` metadata.
        lines: where each key path was written; missing paths fall back to their
            nearest ancestor, and then to ``file`` without a line.
        provenance: one record per parameter, stored on the scenario.
        file: the scenario's file name, stored as ``Scenario.source_file``.

    Raises:
        ScenarioErrors: every problem found, ordered by file and line.
    """
    return check_tree(Scenario, tree, lines, provenance, file)
