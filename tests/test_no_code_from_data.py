"""Nothing this program reads from disk can run code: no pickle, marshal, shelve, eval or unsafe YAML anywhere.

Scenarios, manifests, checkpoints, rates files and results folders are untrusted input
(they are shared, mailed and unpacked from archives). The package's source is scanned
for every way of turning data into code; the scan is shown to catch each of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"

#: Modules that deserialise into code or arbitrary objects.
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "joblib"}
#: Built-ins that run text as code.
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
#: yaml functions that can build arbitrary objects (only yaml.safe_load/SafeLoader subclasses are allowed).
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "Loader",
               "UnsafeLoader", "FullLoader"}  # fmt: skip


def findings(source: str, name: str) -> list[str]:
    """Every use of a forbidden module, call or YAML loader in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{name}:{node.lineno}: imports {a.name}" for a in node.names
                      if a.name.split(".")[0] in FORBIDDEN_MODULES]  # fmt: skip
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".")[0]
            if module in FORBIDDEN_MODULES:
                found.append(f"{name}:{node.lineno}: imports from {node.module}")
            if module == "yaml":
                found += [f"{name}:{node.lineno}: imports yaml.{a.name}" for a in node.names if a.name in UNSAFE_YAML]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            found.append(f"{name}:{node.lineno}: calls {node.func.id}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
            if node.attr in UNSAFE_YAML:
                found.append(f"{name}:{node.lineno}: uses yaml.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "read_pickle":
            found.append(f"{name}:{node.lineno}: calls read_pickle()")
    return found


def test_the_package_turns_no_data_into_code():
    """Every module of sim/ is free of pickle, marshal, shelve, eval/exec and unsafe YAML loaders."""
    found = [f for path in sorted(SIM.rglob("*.py"))
             for f in findings(path.read_text(encoding="utf-8"), str(path.relative_to(SIM.parent)))]  # fmt: skip
    assert not found, "\n".join(found)


@pytest.mark.parametrize("source", [
    "import pickle", "from pickle import loads", "import marshal", "import shelve", "import dill",
    "eval('1')", "exec('x = 1')", "import yaml\nyaml.load(text)", "import yaml\nyaml.unsafe_load(text)",
    "from yaml import FullLoader", "import pandas as pd\npd.read_pickle('x')",
])  # fmt: skip
def test_the_scan_catches_each_way(source):
    assert findings(source, "example.py")


def test_safe_yaml_is_allowed():
    assert not findings("import yaml\nyaml.safe_load(text)\nclass L(yaml.SafeLoader): ...", "example.py")
