"""Read scenario YAML files safely and remember where every value was written.

A scenario file is plain data, so it is read with a ``yaml.SafeLoader`` subclass
that refuses anything else: tags that would build Python objects, duplicate keys
(YAML silently keeps the last one, hiding typos), files that are not UTF-8 or
larger than :data:`MAX_FILE_BYTES`. Every key's file and 1-based line is kept so
that validation errors can point at the exact spot to fix.

:func:`load_tree` also resolves two conventions before validation:
``extends: other.yaml`` layers the file over another (see
:mod:`sim.scenario.extends`), and ``source``/``note`` in any mapping are taken
off the data and kept as provenance (see :mod:`sim.scenario.provenance`).

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
import re
import stat
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.errors import ScenarioError, ScenarioErrors
from sim.scenario.extends import load_layer
from sim.scenario.locations import KeyPath, Location, dotted, error_at
from sim.scenario.provenance import MAX_VALUES, NOT_PARAMETERS, provenance_records

# KeyPath, Location, dotted, MAX_VALUES and NOT_PARAMETERS are re-exported: other code
# imports them from here.

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

_CORE = "tag:yaml.org,2002:"
_MERGE_TAG = _CORE + "merge"


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


def load_tree(path: str | os.PathLike[str]) -> LoadedTree:
    """Read a scenario file and the files it extends.

    Args:
        path: the scenario file; errors name it as given here.

    Raises:
        ScenarioErrors: every problem found, each with file and line.
    """
    layer = load_layer(str(path), _read_file)
    provenance = provenance_records(layer.tree, layer.lines, layer.meta)
    return LoadedTree(layer.tree, layer.lines, provenance)


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

# Numbers as people write them, and nothing else: YAML 1.1 also reads 1_0 as 10 and 1:30 as 90 (base 60),
# which turns a typo into a silently different value. Plain decimal integers and decimal or exponent
# floats (1e-4, as YAML 1.2 reads it) are numbers; anything else stays text and is reported as such.
ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_CORE + "int", _CORE + "float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ScenarioLoader.add_implicit_resolver(_CORE + "int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
# A leading zero is a decimal digit (012 is twelve, not YAML 1.1's octal ten).
def _decimal_int(loader: ScenarioLoader, node: ScalarNode) -> int:
    return int(str(loader.construct_scalar(node)), 10)


ScenarioLoader.add_constructor(_CORE + "int", _decimal_int)  # type: ignore[arg-type]
ScenarioLoader.add_implicit_resolver(
    _CORE + "float",
    re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def _read_text(file: str) -> str:
    try:
        status = os.stat(file)
        if stat.S_ISDIR(status.st_mode):
            raise error_at(file, None, "", "is a folder, not a scenario file")
        if not stat.S_ISREG(status.st_mode):
            raise error_at(file, None, "", "is not a regular file (a pipe, a device, a socket); a scenario is a file")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise error_at(file, None, "", f"the file is {size / 2**20:.1f} MB; scenario files "
                           f"may be at most {MAX_FILE_BYTES // 2**20} MB")
        with open(file, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise error_at(file, None, "", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
    except OSError as exc:
        raise error_at(file, None, "", f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError:  # an embedded NUL in the name
        raise error_at(file, None, "", "the file name contains a NUL character") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        message = f"the file is not valid UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"
        raise error_at(file, line, "", message) from None


def _parse(text: str, file: str) -> tuple[dict[Any, Any], dict[KeyPath, int]]:
    try:
        data, key_lines = ScenarioLoader(text, file).load_located()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        message = f"character {exc.character!r} is not allowed in a YAML file"
        raise error_at(file, line, "", message) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise error_at(file, None, "", f"YAML error: {exc}") from None
    except RecursionError:
        raise error_at(file, None, "", "the file is nested too deeply to be a scenario") from None
    if data is None:
        message = "the file is empty; a scenario is a mapping of keys to values"
        raise error_at(file, None, "", message)
    if not isinstance(data, dict):
        # Named, never echoed: a file that is not a scenario may hold anything (/etc/shadow, say).
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        message = f"the top level must be a mapping of keys to values, got {kind}; is this a scenario file?"
        raise error_at(file, 1, "", message)
    return data, key_lines


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str) -> ScenarioErrors:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    source_lines = text.splitlines()
    bad_line = source_lines[line - 1] if line and line <= len(source_lines) else ""
    if "\\t" in str(exc.problem) or "\t" in bad_line:
        return error_at(file, line, "", "YAML syntax error: tab character found; YAML does "
                        "not allow tabs for indentation, use spaces")
    kind = "YAML error" if isinstance(exc, ConstructorError) else "YAML syntax error"
    message = f"{kind}: {exc.problem or exc.context}"
    if exc.context and exc.problem:
        started = exc.context_mark.line + 1 if exc.context_mark else None
        message += f" ({exc.context}" + (f" started on line {started})" if started != line else ")")
    return error_at(file, line, "", message)


def _read_file(file: str) -> tuple[dict[Any, Any], dict[KeyPath, int]]:
    """Read and parse one scenario file (the reader :func:`extends.load_layer` uses)."""
    return _parse(_read_text(file), file)
