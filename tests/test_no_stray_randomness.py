"""No random number is drawn outside the seeded streams of sim.rng.

Every draw must come from a generator that ``sim.rng.Streams`` (or an explicit
SeedSequence) built, so that results depend on scenario, seed and replication
only. This scans the package's source for the ways of drawing without one:
the ``random`` module, numpy's global functions (``np.random.rand``, ``.seed`` …),
``default_rng()`` without a seed, and ``RandomState``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"
#: numpy.random attributes that are not draws from the global state.
ALLOWED = {"default_rng", "Generator", "SeedSequence", "PCG64", "BitGenerator"}


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(n == "random" or n.startswith("random.") for n in names):
                found.append(f"{path.name}:{node.lineno}: imports the random module")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = node.value
            if inner.attr == "random" and isinstance(inner.value, ast.Name) and inner.value.id in ("np", "numpy"):
                if node.attr not in ALLOWED:
                    found.append(f"{path.name}:{node.lineno}: np.random.{node.attr} draws from numpy's global state")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "default_rng" and not node.args and not node.keywords:
                found.append(f"{path.name}:{node.lineno}: default_rng() without a seed")
    return found


def test_the_package_draws_only_from_seeded_streams():
    findings = [f for path in sorted(SIM.rglob("*.py")) for f in _findings(path)]
    assert findings == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The check has teeth: each forbidden form is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("import random\nimport numpy as np\nx = np.random.rand(3)\nrng = np.random.default_rng()\n",
                   encoding="utf-8")
    assert len(_findings(bad)) == 3
