"""Check that a change left every shipped scenario's results byte-identical.

Runs each scenario in ``scenarios/`` with the code and scenario files of two git
revisions (``sim run --scale 0.01 --replications 2`` by default) and compares
``metrics.csv``, ``costs.csv`` and ``summary.csv`` byte for byte. Use it for every
change that is meant to leave behaviour as it is (a restructuring, a speed-up)::

    python tools/same_results.py BEFORE [AFTER]

``BEFORE`` and ``AFTER`` are git revisions; ``AFTER`` defaults to the working tree.
Exit status 0 when every file of every scenario is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARED = ("metrics.csv", "costs.csv", "summary.csv")


def checkout(revision: str, where: Path) -> Path:
    """Export ``revision``'s tree into ``where`` (no work tree of git's own is touched)."""
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where


def run_scenario(tree: Path, scenario: str, out: Path, options: list[str]) -> dict[str, str]:
    """Run one scenario with the code in ``tree``; return SHA-256 of each compared file."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "sim", "run", f"scenarios/{scenario}", "--out", str(out), *options]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{tree.name}: {scenario} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in COMPARED}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="git revision whose results are the reference")
    parser.add_argument("after", nargs="?", help="git revision to check (default: the working tree)")
    parser.add_argument("--scale", default="0.01")
    parser.add_argument("--replications", default="2")
    parser.add_argument("--jobs", type=int, default=2, help="scenarios run at once")
    args = parser.parse_args(argv)
    options = ["--scale", args.scale, "--replications", args.replications, "--workers", "1"]
    with tempfile.TemporaryDirectory(prefix="same-results-") as scratch:
        base = Path(scratch)
        trees = {"before": checkout(args.before, base / "before"),
                 "after": checkout(args.after, base / "after") if args.after else ROOT}
        scenarios = sorted(p.name for p in (trees["before"] / "scenarios").glob("*.yaml"))
        jobs = [(side, name) for name in scenarios for side in trees]
        with ThreadPoolExecutor(args.jobs) as pool:
            hashes = dict(zip(jobs, pool.map(
                lambda job: run_scenario(trees[job[0]], job[1], base / "out" / job[0] / job[1], options), jobs)))
    differing = 0
    for name in scenarios:
        for file in COMPARED:
            same = hashes[("before", name)][file] == hashes[("after", name)][file]
            differing += not same
            print(f"{'identical' if same else 'DIFFERENT':9}  {name:50} {file:12} {hashes[('after', name)][file][:16]}")
    print(f"{len(scenarios)} scenarios, {len(scenarios) * len(COMPARED)} files: "
          + ("all identical" if not differing else f"{differing} differ"))
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
