"""Sizes of the package's code: top-level modules and packages, the largest modules, the longest functions.

    python tools/code_size.py [PACKAGE_DIR]

Lines are physical lines of the file (module) or of the definition from its ``def``
line to its last line (function or method, nested ones counted on their own).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "sim"
    modules = sorted(root.rglob("*.py"))
    top_modules = sorted(p.name for p in root.glob("*.py"))
    top_packages = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), p.relative_to(root.parent)) for p in modules),
                   reverse=True)
    functions = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                functions.append((length, f"{path.relative_to(root.parent)}:{node.lineno} {node.name}"))
    functions.sort(reverse=True)
    lengths = sorted(n for n, _ in sizes)
    print(f"top level of {root.name}/: {len(top_modules)} modules ({', '.join(top_modules)}), "
          f"{len(top_packages)} packages ({', '.join(top_packages)})")
    print(f"{len(modules)} modules, {sum(lengths)} lines; median module {lengths[len(lengths) // 2]} lines")
    print("largest modules:", "; ".join(f"{p} {n}" for n, p in sizes[:5]))
    print("longest functions:", "; ".join(f"{name} {n}" for n, name in functions[:5]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
