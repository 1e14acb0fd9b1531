"""The layers stay honest: each package imports only what its layer may use."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"

#: layer (module path prefix) -> imports it must not use (prefixes)
FORBIDDEN = {
    "sim/scenario": ("simpy", "pandas", "plotly", "sim.engine", "sim.runner", "sim.accounting", "sim.metrics"),
    "sim/rng.py": ("sim.",),
    "sim/states.py": ("sim.", "simpy", "yaml", "pandas"),
    "sim/agents": ("simpy", "yaml", "plotly", "sim.engine", "sim.runner"),
    "sim/policies": ("simpy", "yaml", "plotly", "sim.engine", "sim.runner"),
    "sim/engine": ("yaml", "plotly", "sim.runner", "sim.output", "sim.cli", "sim.accounting", "sim.metrics"),
    "sim/accounting.py": ("simpy", "yaml", "plotly", "sim.engine"),
    "sim/metrics.py": ("simpy", "yaml", "plotly", "sim.engine"),
    "sim/norm.py": ("simpy", "yaml", "plotly", "sim.engine"),
    "sim/report": ("simpy", "yaml", "sim.engine", "sim.cli"),
    # compare may import sim.report only for Comparison.report (a lazy import in that method).
    "sim/compare.py": ("simpy", "yaml", "plotly", "sim.engine"),
    "sim/verification": ("plotly", "sim.cli", "sim.runner", "sim.compare", "sim.report", "sim.output"),
    "sim/validation": ("simpy", "yaml", "sim.engine", "sim.cli"),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_forbidden(layer):
    """No module of the layer imports a package its layer must not depend on."""
    target = SIM.parent / layer
    files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    assert files, layer
    for file in files:
        bad = sorted(
            name for name in imports_of(file) for prefix in FORBIDDEN[layer]
            if name == prefix.rstrip(".") or name.startswith(prefix if prefix.endswith(".") else prefix + ".") or name == prefix
        )
        assert not bad, f"{file.relative_to(SIM.parent)} imports {bad}"
