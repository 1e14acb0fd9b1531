"""Resolve ``extends:``, which layers a scenario file over the file it names.

``extends: other.yaml`` (top level, relative to the extending file) loads the
parent and deep-merges the child over it: mappings merge key by key, anything
else (numbers, text, lists, dated series) is replaced by the child's value.
Lines and metadata follow the values: a replaced value forgets where the
parent's was written and how it was described.

This module does not read YAML itself; :func:`load_layer` is given the reader
(``yaml_io`` passes its safe loader), which keeps the import graph acyclic.

Example:
    >>> parent = Layer({"a": {"x": 1, "y": 2}}, {(): ("p.yaml", 1)})
    >>> child = Layer({"a": {"y": 3}}, {(): ("c.yaml", 1)})
    >>> merge_layers(parent, child).tree
    {'a': {'x': 1, 'y': 3}}
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sim.scenario.locations import KeyPath, Location, error_at, lines_of
from sim.scenario.provenance import MetaByPath, MetadataStripper, is_dated_series

__all__ = ["YAML_SUFFIXES", "Layer", "Reader", "load_layer", "merge_layers"]

#: The suffixes a file must have to be extended.
YAML_SUFFIXES = (".yaml", ".yml")

#: Reads one file: its top-level mapping and the 1-based line of every key path.
Reader = Callable[[str], tuple[dict[Any, Any], dict[KeyPath, int]]]

#: The files being extended, outermost first: (real path, path as displayed).
_Chain = tuple[tuple[str, str], ...]


@dataclass
class Layer:
    """One file's data merged over everything it extends.

    Attributes:
        tree: the data, with ``extends``, ``source`` and ``note`` removed.
        lines: where each key path of ``tree`` (and ``()``) was written.
        meta: the ``source``/``note`` records of every contributing file.
    """

    tree: dict[Any, Any]
    lines: dict[KeyPath, Location]
    meta: MetaByPath = field(default_factory=dict)


#: Most files a scenario may be built from through ``extends`` (the shipped ones use three).
MAX_DEPTH = 16


def load_layer(file: str, read: Reader, chain: _Chain = ()) -> Layer:
    """Read ``file`` with ``read``, strip its metadata and merge it over its parent, if any.

    Args:
        file: the file to read, as errors should name it.
        read: parses one file (raising ``ScenarioErrors`` for what it cannot read).
        chain: the files already being loaded that extend this one, to detect cycles.

    Raises:
        ScenarioErrors: for problems in this file or in any file it extends.
    """
    data, key_lines = read(file)
    lines = {path: (file, line) for path, line in key_lines.items()}
    lines[()] = (file, 1)
    has_parent = "extends" in data
    parent_name = data.pop("extends", None)
    tree, meta = MetadataStripper(file, lines).strip_file(data)
    layer = Layer(tree, lines_of(tree, lines), meta)
    if not has_parent:
        return layer
    chain = chain + ((os.path.realpath(file), file),)
    parent = _load_parent(parent_name, file, lines[("extends",)][1], read, chain)
    return merge_layers(parent, layer)


def _load_parent(name: Any, child: str, line: int, read: Reader, chain: _Chain) -> Layer:
    if not isinstance(name, str) or not name.strip():
        raise error_at(child, line, "extends", f"expected the name of a YAML file, got {name!r}")
    if "\x00" in name:
        raise error_at(child, line, "extends", "the file name contains a NUL character")
    if not name.lower().endswith(YAML_SUFFIXES):
        raise error_at(child, line, "extends",
                       f"can only extend a .yaml or .yml file, got '{name}'")
    file = os.path.normpath(os.path.join(os.path.dirname(child), name))
    if os.path.realpath(file) in {real for real, _ in chain}:
        cycle = " -> ".join([shown for _, shown in chain] + [file])
        raise error_at(child, line, "extends", f"the files extend each other in a cycle: {cycle}")
    if len(chain) >= MAX_DEPTH:
        raise error_at(child, line, "extends", f"more than {MAX_DEPTH} files extend one another; a scenario "
                       "builds on a few layers, not a long chain")  # fmt: skip
    if not os.path.lexists(file):
        raise error_at(child, line, "extends", f"file '{name}' not found (looked for {file})")
    if not os.path.isfile(file):
        raise error_at(child, line, "extends", f"'{name}' is not a regular file (looked for {file})")
    return load_layer(file, read, chain)


def merge_layers(parent: Layer, child: Layer) -> Layer:
    """The child deep-merged over the parent, with the lines and metadata of what remains."""
    replaced: set[KeyPath] = set()
    tree = _merge_values(parent.tree, child.tree, (), replaced)

    def kept(path: KeyPath) -> bool:
        return not any(path[:depth] in replaced for depth in range(len(path) + 1))

    lines = {path: where for path, where in parent.lines.items() if kept(path)}
    lines.update(child.lines)
    meta = {path: records for path, records in parent.meta.items() if kept(path)}
    for path, records in child.meta.items():
        meta[path] = meta.get(path, []) + records
    return Layer(tree, lines, meta)


def _merge_values(base: Any, override: Any, path: KeyPath, replaced: set[KeyPath]) -> Any:
    mergeable = (isinstance(v, dict) and not is_dated_series(v) for v in (base, override))
    if not all(mergeable):
        replaced.add(path)
        return override
    merged = dict(base)
    for key, value in override.items():
        sub = path + (str(key),)
        merged[key] = _merge_values(base[key], value, sub, replaced) if key in base else value
    return merged
