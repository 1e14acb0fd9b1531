"""Key paths into a scenario tree, and where in which file each key was written.

The loader modules (``yaml_io``, ``extends``, ``provenance``) share these small
pieces; they live here, below all three, so that none imports another in a cycle.

Example:
    >>> lines = {(): ("s.yaml", 1), ("population",): ("s.yaml", 2)}
    >>> dotted(("population", "women_share"))
    'population.women_share'
    >>> nearest_location(lines, ("population", "women_share"))
    ('s.yaml', 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sim.errors import ScenarioError, ScenarioErrors

__all__ = ["KeyPath", "Location", "dotted", "error_at", "children", "lines_of", "nearest_location"]

#: A position in the tree: the keys (as text) from the top level down.
KeyPath = tuple[str, ...]

#: Where a key was written: (file as displayed, 1-based line).
Location = tuple[str, int]


def dotted(path: KeyPath) -> str:
    """The key path as users write it, e.g. ``population.women_share``."""
    return ".".join(path)


def error_at(file: str, line: int | None, path: str, message: str) -> ScenarioErrors:
    """A :class:`ScenarioErrors` holding the single problem described, ready to raise."""
    return ScenarioErrors([ScenarioError(file, line, path, message)])


def children(value: Any) -> Iterable[tuple[Any, Any]]:
    """The (key, item) pairs of a mapping, (index, item) pairs of a list, else nothing."""
    if isinstance(value, dict):
        return value.items()
    return enumerate(value) if isinstance(value, list) else ()


def lines_of(
    tree: Any, lines: dict[KeyPath, Location], path: KeyPath = ()
) -> dict[KeyPath, Location]:
    """The entries of ``lines`` for ``path`` and every key path below it that is in ``tree``."""
    found = {path: lines[path]} if path in lines else {}
    for key, value in children(tree):
        found.update(lines_of(value, lines, path + (str(key),)))
    return found


def nearest_location(lines: dict[KeyPath, Location], path: KeyPath) -> Location:
    """Where ``path`` was written, or else its nearest ancestor (``lines`` must hold ``()``)."""
    while path not in lines:
        path = path[:-1]
    return lines[path]
