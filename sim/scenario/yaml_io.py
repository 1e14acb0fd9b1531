"""Read scenario YAML files safely and remember where every value was written.

A scenario file is plain data, so it is read with a ``yaml.SafeLoader`` subclass
that refuses anything else: tags that would build Python objects, duplicate keys
(YAML silently keeps the last one, hiding typos), files that are not UTF-8 or
larger than :data:`MAX_FILE_BYTES`. Every key's file and 1-based line is kept so
that validation errors can point at the exact spot to fix.

Two conventions are resolved here, before validation:

* ``extends: other.yaml`` (top level, relative to the extending file) loads the
  parent and deep-merges the child over it: mappings merge key by key, anything
  else (numbers, text, lists, dated series) is replaced by the child's value.
* ``source`` and ``note`` in any mapping are metadata: they are removed from the
  data and kept as provenance. A mapping left with only ``value`` becomes that
  value; one left with only ``values`` is a dated series.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.yaml").write_text("rate:\\n  value: 0.5\\n  source: survey\\n")
    >>> loaded = load_tree(folder / "s.yaml")
    >>> loaded.tree, loaded.lines[("rate",)][1], loaded.provenance[0]["source"]
    ({'rate': 0.5}, 1, 'survey')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.errors import ScenarioError, ScenarioErrors

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_VALUES",
    "NOT_PARAMETERS",
    "KeyPath",
    "Location",
    "LoadedTree",
    "ScenarioLoader",
    "load_tree",
    "dotted",
]

#: Files larger than this are refused without being read.
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Upper bound on the values a file may expand to through YAML aliases.
MAX_VALUES = 100_000

#: Top-level sections whose numbers are run settings or published figures, not model parameters.
NOT_PARAMETERS = ("targets", "simulation")

YAML_SUFFIXES = (".yaml", ".yml")
METADATA_KEYS = ("source", "note")
_CORE = "tag:yaml.org,2002:"
_MERGE_TAG = _CORE + "merge"

#: A position in the tree: the keys (as text) from the top level down.
KeyPath = tuple[str, ...]

#: Where a key was written: (file as displayed, 1-based line).
Location = tuple[str, int]


@dataclass(frozen=True)
class LoadedTree:
    """A scenario file read into plain data, with the origin of every value.

    Attributes:
        tree: the merged data, with ``extends``, ``source`` and ``note`` removed.
        lines: for every key path in ``tree`` (and ``()`` for the whole file), where
            its effective value was written.
        provenance: one record ``{path, file, line, source, note}`` per model parameter.
    """

    tree: dict[Any, Any]
    lines: dict[KeyPath, Location]
    provenance: list[dict[str, Any]]


def dotted(path: KeyPath) -> str:
    """The key path as users write it, e.g. ``population.women_share``."""
    return ".".join(path)


def load_tree(path: str | os.PathLike[str]) -> LoadedTree:
    """Read a scenario file and the files it extends.

    Args:
        path: the scenario file; errors name it as given here.

    Raises:
        ScenarioErrors: every problem found, each with file and line.
    """
    layer = _load_layer(str(path), ())
    return LoadedTree(layer.tree, layer.lines, _provenance(layer))


class ScenarioLoader(yaml.SafeLoader):
    """A ``SafeLoader`` that records key lines and refuses duplicates and foreign tags.

    Only the YAML core types that describe plain data are accepted; everything
    else, notably ``!!python/...`` tags, is reported with its line before any
    object is constructed.
    """

    ALLOWED_TAGS = frozenset(
        _CORE + name for name in ("null", "bool", "int", "float", "timestamp", "str", "seq", "map")
    )

    def __init__(self, text: str, file: str = "<string>") -> None:
        super().__init__(text)
        self.file = file
        self.key_lines: dict[KeyPath, int] = {}
        self.problems: list[ScenarioError] = []
        self._visited: set[int] = set()

    def load_located(self) -> tuple[Any, dict[KeyPath, int]]:
        """Parse the single document and return its data and the line of every key path.

        Raises:
            ScenarioErrors: for duplicate keys and disallowed tags (all of them).
            yaml.YAMLError: for syntax errors.
        """
        try:
            node = self.get_single_node()
            if node is None:
                return None, {}
            self._locate(node, ())
            if self.problems:
                raise ScenarioErrors(self.problems)
            return self.construct_document(node), self.key_lines
        finally:
            self.dispose()

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        """A date or datetime; an impossible one (``2025-02-30``) is a YAML error with its line."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise ConstructorError(None, None, f"'{node.value}' is not a valid date ({exc})",
                                   node.start_mark) from None

    def _problem(self, path: KeyPath, node: Node, message: str) -> None:
        line = node.start_mark.line + 1
        self.problems.append(ScenarioError(self.file, line, dotted(path), message))

    def _locate(self, node: Node, path: KeyPath) -> None:
        if node.tag not in self.ALLOWED_TAGS:
            tag = node.tag.replace(_CORE, "!!")
            self._problem(path, node, f"the tag '{tag}' is not allowed: a scenario holds plain "
                          "data only (numbers, text, dates, lists and mappings)")
            return
        if isinstance(node, ScalarNode) or id(node) in self._visited:
            return
        self._visited.add(id(node))
        if isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                self.key_lines[path + (str(index),)] = item.start_mark.line + 1
                self._locate(item, path + (str(index),))
        elif isinstance(node, MappingNode):
            self._check_keys(node, path)
            self.flatten_mapping(node)
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag in self.ALLOWED_TAGS:
                    key_path = path + (str(self.construct_object(key_node)),)
                    self.key_lines[key_path] = key_node.start_mark.line + 1
                    self._locate(value_node, key_path)

    def _check_keys(self, node: MappingNode, path: KeyPath) -> None:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem(path, key_node, "a key must be a plain value, not a list or mapping")
                continue
            if key_node.tag not in self.ALLOWED_TAGS:
                self._locate(key_node, path)
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in first_line:
                self._problem(path + (str(key),), key_node,
                              f"duplicate key '{key}' (first defined on line {first_line[key]})")
            else:
                first_line[key] = line


ScenarioLoader.add_constructor(_CORE + "timestamp", ScenarioLoader.construct_yaml_timestamp)


@dataclass(frozen=True)
class _Meta:
    file: str
    source: str | None
    note: str | None


@dataclass
class _Layer:
    tree: dict[Any, Any]
    lines: dict[KeyPath, Location]
    meta: dict[KeyPath, list[_Meta]] = field(default_factory=dict)


def _fail(file: str, line: int | None, path: str, message: str) -> ScenarioErrors:
    return ScenarioErrors([ScenarioError(file, line, path, message)])


def _load_layer(file: str, chain: tuple[tuple[str, str], ...]) -> _Layer:
    data, key_lines = _parse(_read_text(file), file)
    lines = {path: (file, line) for path, line in key_lines.items()}
    lines[()] = (file, 1)
    has_parent = "extends" in data
    parent_name = data.pop("extends", None)
    tree, meta = _MetadataStripper(file, lines).strip_file(data)
    layer = _Layer(tree, _lines_of(tree, lines), meta)
    if not has_parent:
        return layer
    chain = chain + ((os.path.realpath(file), file),)
    parent = _load_parent(parent_name, file, lines[("extends",)][1], chain)
    return _merge_layers(parent, layer)


def _read_text(file: str) -> str:
    try:
        size = os.stat(file).st_size
        if size > MAX_FILE_BYTES:
            raise _fail(file, None, "", f"the file is {size / 2**20:.1f} MB; scenario files may be "
                        f"at most {MAX_FILE_BYTES // 2**20} MB")
        with open(file, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise _fail(file, None, "", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
    except OSError as exc:
        raise _fail(file, None, "", f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        message = f"the file is not valid UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"
        raise _fail(file, line, "", message) from None


def _parse(text: str, file: str) -> tuple[dict[Any, Any], dict[KeyPath, int]]:
    try:
        data, key_lines = ScenarioLoader(text, file).load_located()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        message = f"character {exc.character!r} is not allowed in a YAML file"
        raise _fail(file, line, "", message) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise _fail(file, None, "", f"YAML error: {exc}") from None
    except RecursionError:
        raise _fail(file, None, "", "the file is nested too deeply to be a scenario") from None
    if data is None:
        raise _fail(file, None, "", "the file is empty; a scenario is a mapping of keys to values")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        raise _fail(file, 1, "", f"the top level must be a mapping of keys to values, got {kind}")
    return data, key_lines


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str) -> ScenarioErrors:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    source_lines = text.splitlines()
    bad_line = source_lines[line - 1] if line and line <= len(source_lines) else ""
    if "\\t" in str(exc.problem) or "\t" in bad_line:
        return _fail(file, line, "", "YAML syntax error: tab character found; YAML does not allow "
                     "tabs for indentation, use spaces")
    kind = "YAML error" if isinstance(exc, ConstructorError) else "YAML syntax error"
    message = f"{kind}: {exc.problem or exc.context}"
    if exc.context and exc.problem:
        started = exc.context_mark.line + 1 if exc.context_mark else None
        message += f" ({exc.context}" + (f" started on line {started})" if started != line else ")")
    return _fail(file, line, "", message)


def _load_parent(name: Any, child: str, line: int, chain: tuple[tuple[str, str], ...]) -> _Layer:
    if not isinstance(name, str) or not name.strip():
        raise _fail(child, line, "extends", f"expected the name of a YAML file, got {name!r}")
    if not name.lower().endswith(YAML_SUFFIXES):
        raise _fail(child, line, "extends", f"can only extend a .yaml or .yml file, got '{name}'")
    file = os.path.normpath(os.path.join(os.path.dirname(child), name))
    if os.path.realpath(file) in {real for real, _ in chain}:
        cycle = " -> ".join([shown for _, shown in chain] + [file])
        raise _fail(child, line, "extends", f"the files extend each other in a cycle: {cycle}")
    if not os.path.isfile(file):
        raise _fail(child, line, "extends", f"file '{name}' not found (looked for {file})")
    return _load_layer(file, chain)


class _MetadataStripper:
    """Removes ``source``/``note`` from one file's data and unwraps ``{value: x}``."""

    def __init__(self, file: str, lines: dict[KeyPath, Location]) -> None:
        self.file = file
        self.lines = lines
        self.meta: dict[KeyPath, list[_Meta]] = {}
        self.problems: list[ScenarioError] = []
        self.visited = 0

    def strip_file(self, data: dict[Any, Any]) -> tuple[dict[Any, Any], dict[KeyPath, list[_Meta]]]:
        tree = self._strip(data, ())
        if self.problems:
            raise ScenarioErrors(self.problems)
        return tree, self.meta

    def _strip(self, value: Any, path: KeyPath) -> Any:
        self.visited += 1
        if self.visited > MAX_VALUES:
            raise _fail(self.file, None, "", f"the file expands to more than {MAX_VALUES} values "
                        "(too many YAML aliases)")
        if isinstance(value, list):
            return [self._strip(item, path + (str(index),)) for index, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        data = {}
        found: dict[str, str] = {}
        for key, item in value.items():
            if key in METADATA_KEYS:
                self._take_metadata(key, item, path, found)
            else:
                data[key] = self._strip(item, path + (str(key),))
        if found:
            self.meta[path] = [_Meta(self.file, found.get("source"), found.get("note"))]
        return data["value"] if path and set(data) == {"value"} else data

    def _take_metadata(self, key: str, item: Any, path: KeyPath, found: dict[str, str]) -> None:
        if isinstance(item, str):
            found[key] = item
            return
        line = self.lines.get(path + (key,), (self.file, None))[1]
        message = f"{key} must be text, got {item!r}"
        self.problems.append(ScenarioError(self.file, line, dotted(path + (key,)), message))


def _lines_of(
    tree: Any, lines: dict[KeyPath, Location], path: KeyPath = ()
) -> dict[KeyPath, Location]:
    found = {path: lines[path]} if path in lines else {}
    for key, value in _children(tree):
        found.update(_lines_of(value, lines, path + (str(key),)))
    return found


def _children(value: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(value, dict):
        return value.items()
    return enumerate(value) if isinstance(value, list) else ()


def _is_dated_series(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"values"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _merge_layers(parent: _Layer, child: _Layer) -> _Layer:
    replaced: set[KeyPath] = set()
    tree = _merge_values(parent.tree, child.tree, (), replaced)

    def kept(path: KeyPath) -> bool:
        return not any(path[:depth] in replaced for depth in range(len(path) + 1))

    lines = {path: where for path, where in parent.lines.items() if kept(path)}
    lines.update(child.lines)
    meta = {path: records for path, records in parent.meta.items() if kept(path)}
    for path, records in child.meta.items():
        meta[path] = meta.get(path, []) + records
    return _Layer(tree, lines, meta)


def _merge_values(base: Any, override: Any, path: KeyPath, replaced: set[KeyPath]) -> Any:
    mergeable = (isinstance(v, dict) and not _is_dated_series(v) for v in (base, override))
    if not all(mergeable):
        replaced.add(path)
        return override
    merged = dict(base)
    for key, value in override.items():
        sub = path + (str(key),)
        merged[key] = _merge_values(base[key], value, sub, replaced) if key in base else value
    return merged


def _provenance(layer: _Layer) -> list[dict[str, Any]]:
    records = []
    for key, value in layer.tree.items():
        if key in NOT_PARAMETERS:
            continue
        for path, is_series in _parameters(value, (str(key),)):
            file, line = _location(layer.lines, path)
            records.append({
                "path": dotted(path),
                "file": file,
                "line": line,
                "source": _describe(layer.meta, path, file, "source", is_series),
                "note": _describe(layer.meta, path, file, "note", is_series),
            })
    return records


def _parameters(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, bool]]:
    if _is_dated_series(value) or _is_number(value):
        yield path, _is_dated_series(value)
    else:
        for key, item in _children(value):
            yield from _parameters(item, path + (str(key),))


def _location(lines: dict[KeyPath, Location], path: KeyPath) -> Location:
    while path not in lines:
        path = path[:-1]
    return lines[path]


def _describe(
    meta: dict[KeyPath, list[_Meta]], path: KeyPath, file: str, kind: str, is_series: bool
) -> str | None:
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


def _written(records: list[_Meta] | None, file: str, kind: str) -> str | None:
    for record in reversed(records or []):
        text = getattr(record, kind)
        if record.file == file and text:
            return text
    return None
