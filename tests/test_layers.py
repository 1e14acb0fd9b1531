"""The package's folders are its pipeline: imports run one way, with no circle anywhere.

The import graph is built from the source (every ``import`` and ``from … import`` of a
``sim`` module, at the top of a module or inside a function), not from what happens to
be imported at run time, so a lazy import cannot hide a circle. Imports under
``if TYPE_CHECKING:`` are annotations only (never executed) and are left out, as
SimPy's core does to name a type from a module that imports it; they must still
follow the layer order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"

#: The layers from the bottom up (the pipeline of shared/design.md). A module may import
#: modules of its own layer and of the layers below it, never of a layer above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("sim.errors", "sim.files", "sim.rng", "sim.states")),
    ("scenario", ("sim.scenario",)),
    ("rules", ("sim.rules",)),
    ("agents", ("sim.agents",)),
    ("policies", ("sim.policies",)),
    ("engine", ("sim.engine",)),
    ("outcomes", ("sim.outcomes",)),
    ("experiments", ("sim.experiments",)),
    ("report", ("sim.report",)),
    ("api", ("sim.api",)),
    ("cli", ("sim.cli", "sim.__main__", "sim")),
)

#: Third-party packages a layer must not use (SimPy only in the engine, plotly only in the report, …).
FORBIDDEN_PACKAGES: dict[str, tuple[str, ...]] = {
    "foundation": ("simpy", "yaml", "plotly", "pandas"),
    "scenario": ("simpy", "pandas", "plotly"),
    "rules": ("simpy", "yaml", "plotly"),
    "agents": ("simpy", "yaml", "plotly"),
    "policies": ("simpy", "yaml", "plotly"),
    "engine": ("yaml", "plotly"),
    "outcomes": ("simpy", "yaml", "plotly"),
    "experiments": ("simpy", "plotly"),
    "report": ("simpy", "yaml"),
}

#: Imports allowed against the layer order, each with its reason. None today.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SIM.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The module of the package that ``name`` (a module or a name inside one) refers to."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _import_nodes(tree: ast.AST, typing_only: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of a module: those run when it is used, or (``typing_only``) those under
    ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and guarded == typing_only:
            found.append(node)
        for child in ast.iter_child_nodes(node):
            walk(child, guarded or (isinstance(node, ast.If) and child in node.body and _is_type_checking(node.test)))

    walk(tree, False)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(module: str, typing_only: bool = False) -> tuple[set[str], set[str]]:
    """The package modules and the top-level third-party packages ``module`` imports (at run time, or
    only for type checking)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    own: set[str] = set()
    other: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), typing_only):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            names = [f"{origin}.{alias.name}" for alias in node.names] + [origin]
        else:
            continue
        for name in names:
            if name == "sim" or name.startswith("sim."):
                target = _resolve(name)
                if target is not None and target != module:
                    own.add(target)
            elif name:
                other.add(name.split(".")[0])
    # ``from sim.x import y`` names both sim.x and sim.x.y; keep the deepest module only.
    deepest = {m for m in own if not any(o.startswith(m + ".") for o in own)} | {m for m in own if m == "sim"}
    return deepest, other


GRAPH = {module: imports_of(module)[0] for module in MODULES}


def layer_of(module: str) -> int:
    best, index = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, index = len(prefix), i
    assert index >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return index


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a list of modules (first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_module_belongs_to_a_layer():
    """A new module lands in one of the pipeline's rooms."""
    for module in MODULES:
        layer_of(module)


def test_there_is_no_import_cycle_anywhere():
    """Not between packages, not inside one, not through a lazy or TYPE_CHECKING import."""
    cycle = find_cycle(GRAPH)
    assert cycle is None, " -> ".join(cycle or [])


def test_imports_follow_the_layer_order():
    """A module imports only its own layer and the layers below it (data flows one way), for type hints too."""
    typing = {module: imports_of(module, typing_only=True)[0] for module in MODULES}
    against = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for graph in (GRAPH, typing) for module, targets in graph.items() for target in targets
        if layer_of(target) > layer_of(module) and (module, target) not in EXCEPTIONS
    ]  # fmt: skip
    assert not against, "\n".join(against)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_PACKAGES))
def test_layer_uses_no_forbidden_package(layer):
    """SimPy only in the engine, plotly only in the report, YAML only where files are read and written."""
    index = [name for name, _ in LAYERS].index(layer)
    modules = [m for m in MODULES if layer_of(m) == index]
    assert modules, layer
    bad = {m: sorted(imports_of(m)[1] & set(FORBIDDEN_PACKAGES[layer])) for m in modules}
    assert not {m: b for m, b in bad.items() if b}


def test_the_cycle_finder_finds_a_cycle():
    """The test above could fail: a two-module circle and a longer one are found."""
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
