"""No code outside the keyed streams draws random numbers (results depend on seed and replication only)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

#: numpy.random names that build seeded generators rather than draw from global state.
ALLOWED = {"Generator", "PCG64", "Philox", "SeedSequence", "BitGenerator"}


def test_no_global_or_unseeded_random_draws_in_the_package():
    """No `import random`, no `np.random.<draw>()`, and `default_rng` only with a seed argument."""
    problems = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if "random" in names:
                    problems.append(f"{path.name}:{node.lineno}: imports the stdlib random module")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
                inner = node.value
                if inner.attr == "random" and isinstance(inner.value, ast.Name) and inner.value.id in ("np", "numpy"):
                    if node.attr == "default_rng":
                        continue  # checked below: it must get a seed
                    if node.attr not in ALLOWED:
                        problems.append(f"{path.name}:{node.lineno}: np.random.{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "default_rng":
                if not node.args and not node.keywords:
                    problems.append(f"{path.name}:{node.lineno}: default_rng() without a seed")
    assert not problems, "\n".join(problems)
