"""Scenario metadata: take ``source`` and ``note`` off the data and keep them as provenance.

``source`` and ``note`` in any mapping describe the values in it; they are not
data. :class:`MetadataStripper` removes them from one file's data (a mapping
left with only ``value`` becomes that value; one left with only ``values`` is a
dated series) and remembers them by key path. :func:`provenance_records` then
gives every model parameter of the merged tree one record saying where it was
written and which source and note describe it.

Example:
    >>> lines = {(): ("s.yaml", 1), ("rate",): ("s.yaml", 1)}
    >>> tree, meta = MetadataStripper("s.yaml", lines).strip_file(
    ...     {"rate": {"value": 0.5, "source": "survey"}})
    >>> tree
    {'rate': 0.5}
    >>> provenance_records(tree, lines, meta)[0]["source"]
    'survey'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sim.errors import ScenarioError, ScenarioErrors
from sim.scenario.locations import KeyPath, Location, children, dotted, error_at, nearest_location
from sim.scenario.uncertainty import parse_distribution

__all__ = [
    "MAX_VALUES",
    "METADATA_KEYS",
    "NOT_PARAMETERS",
    "Meta",
    "MetaByPath",
    "MetadataStripper",
    "is_dated_series",
    "provenance_records",
]

#: Upper bound on the values a file may expand to through YAML aliases.
MAX_VALUES = 100_000

#: Keys that describe the values of their mapping instead of being data.
METADATA_KEYS = ("source", "note", "distribution")
#: The longest ``source`` or ``note`` (a citation with a sentence of context fits many times over).
MAX_TEXT = 2000

#: Top-level sections whose numbers are run settings or published figures, not model parameters.
NOT_PARAMETERS = ("targets", "simulation")


@dataclass(frozen=True)
class Meta:
    """The ``source`` and ``note`` written on one mapping, and the file they were written in."""

    file: str
    source: str | None
    note: str | None
    distribution: dict[str, Any] | None = None


#: The metadata of each mapping, by key path: one record per file that described it.
MetaByPath = dict[KeyPath, list[Meta]]


def is_dated_series(value: Any) -> bool:
    """True for ``{"values": ...}``, the form of a value that changes by date."""
    return isinstance(value, dict) and set(value) == {"values"}


class MetadataStripper:
    """Removes ``source``/``note`` from one file's data and unwraps ``{value: x}``.

    Args:
        file: the file the data was read from, as errors should name it.
        lines: where each key path of the data was written, to place errors.
    """

    def __init__(self, file: str, lines: dict[KeyPath, Location]) -> None:
        self.file = file
        self.lines = lines
        self.meta: MetaByPath = {}
        self.problems: list[ScenarioError] = []
        self.visited = 0

    def strip_file(self, data: dict[Any, Any]) -> tuple[dict[Any, Any], MetaByPath]:
        """The data without metadata, and the metadata found, by key path.

        Raises:
            ScenarioErrors: for metadata that is not text (all of it), or for data
                that expands to more than :data:`MAX_VALUES` values.
        """
        tree = self._strip(data, ())
        if self.problems:
            raise ScenarioErrors(self.problems)
        return tree, self.meta

    def _strip(self, value: Any, path: KeyPath) -> Any:
        self.visited += 1
        if self.visited > MAX_VALUES:
            raise error_at(self.file, None, "", f"the file expands to more than {MAX_VALUES} "
                           "values (too many YAML aliases)")
        if isinstance(value, list):
            return [self._strip(item, path + (str(index),)) for index, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        data = {}
        found: dict[str, Any] = {}
        for key, item in value.items():
            if key in METADATA_KEYS:
                self._take_metadata(key, item, path, found)
            else:
                data[key] = self._strip(item, path + (str(key),))
        if found:
            self.meta[path] = [Meta(self.file, found.get("source"), found.get("note"), found.get("distribution"))]
        return data["value"] if path and set(data) == {"value"} else data

    def _take_metadata(self, key: str, item: Any, path: KeyPath, found: dict[str, Any]) -> None:
        line = self.lines.get(path + (key,), (self.file, None))[1]
        if key == "distribution":
            try:
                parse_distribution(item)
            except ValueError as exc:
                self.problems.append(ScenarioError(self.file, line, dotted(path + (key,)), str(exc)))
            else:
                found[key] = dict(item)
            return
        if isinstance(item, str) and len(item) > MAX_TEXT:
            message = (f"{key} is {len(item)} characters; at most {MAX_TEXT} (it is copied to every parameter it "
                       "applies to, in the manifest and the report)")
            self.problems.append(ScenarioError(self.file, line, dotted(path + (key,)), message))
            return
        if isinstance(item, str):
            found[key] = item
            return
        message = f"{key} must be text, got {type(item).__name__} {str(item)[:60]!r}"
        self.problems.append(ScenarioError(self.file, line, dotted(path + (key,)), message))


def provenance_records(
    tree: dict[Any, Any], lines: dict[KeyPath, Location], meta: MetaByPath
) -> list[dict[str, Any]]:
    """One record ``{path, file, line, source, note}`` per model parameter of ``tree``.

    Args:
        tree: the merged data, without metadata.
        lines: where each key path of ``tree`` was written (including ``()``).
        meta: the metadata of every file that contributed to ``tree``.
    """
    records = []
    for key, value in tree.items():
        if key in NOT_PARAMETERS:
            continue
        for path, is_series in _parameters(value, (str(key),)):
            file, line = nearest_location(lines, path)
            records.append({
                "path": dotted(path),
                "file": file,
                "line": line,
                "source": _describe(meta, path, file, "source", is_series),
                "note": _describe(meta, path, file, "note", is_series),
                "distribution": _own_distribution(meta, path, file),
            })
    return records


def _parameters(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, bool]]:
    if is_dated_series(value) or _is_number(value):
        yield path, is_dated_series(value)
    else:
        for key, item in children(value):
            yield from _parameters(item, path + (str(key),))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _describe(meta: MetaByPath, path: KeyPath, file: str, kind: str, is_series: bool) -> str | None:
    """The leaf's own source (or note), else its series entries', else the nearest ancestor's.

    Only metadata written in the same file as the value counts: a file that
    overrides a number does not inherit the description of the number it replaced.
    """
    own = [path, path + ("values",)] if is_series else [path]
    for candidate in own:
        text = _written(meta.get(candidate), file, kind)
        if text:
            return text
    if is_series:
        entries = [text for p, records in meta.items()
                   if p[:-1] == path + ("values",) and (text := _written(records, file, kind))]
        if entries:
            return "; ".join(dict.fromkeys(entries))
    for depth in range(len(path) - 1, -1, -1):
        text = _written(meta.get(path[:depth]), file, kind)
        if text:
            return text
    return None


def _own_distribution(meta: MetaByPath, path: KeyPath, file: str) -> dict[str, Any] | None:
    """A distribution written on the value itself, in the file that wrote the value (never inherited)."""
    for record in reversed(meta.get(path, [])):
        if record.file == file and record.distribution is not None:
            return record.distribution
    return None


def _written(records: list[Meta] | None, file: str, kind: str) -> str | None:
    for record in reversed(records or []):
        text: str | None = getattr(record, kind)
        if record.file == file and text:
            return text
    return None
