"""Where the time of one replication goes: a cProfile run grouped by part of the code.

Usage::

    python benchmarks/where_time_goes.py [--scenario baseline] [--scale 0.3] [--months 60] [--top 15]

Prints the share of own time (cProfile ``tottime``; profiling itself adds overhead,
so shares, not seconds, are the point) spent in SimPy's core, the model's engine,
the policies, the budgets, costs and rules, the metrics, and numpy/pandas, then the
functions with the most own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (part, path fragment) in the order they are tried.
PARTS = (
    ("SimPy core (event queue, events)", "/simpy/"),
    ("heap operations (SimPy's event queue)", "_heapq"),
    ("model engine (sim/engine, sim/agents)", "/sim/engine/"),
    ("model engine (sim/engine, sim/agents)", "/sim/agents/"),
    ("policies (sim/policies)", "/sim/policies/"),
    ("metrics (sim/outcomes/metrics.py, survival.py)", "/sim/outcomes/metrics.py"),
    ("metrics (sim/outcomes/metrics.py, survival.py)", "/sim/outcomes/survival.py"),
    ("budgets, costs and rules (sim/outcomes, sim/rules)", "/sim/outcomes/"),
    ("budgets, costs and rules (sim/outcomes, sim/rules)", "/sim/rules/"),
    ("numpy, pandas, pyarrow", "/numpy/"),
    ("numpy, pandas, pyarrow", "/pandas/"),
    ("numpy, pandas, pyarrow", "/pyarrow/"),
)


def _part(filename: str, function: str) -> str:
    for name, fragment in PARTS:
        if fragment in filename or fragment in function:
            return name
    return "other (built-ins, rng, other modules)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)

    from sim.experiments.replication import run_replication
    from sim.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / f"{args.scenario}.yaml")
    profile = cProfile.Profile()
    profile.enable()
    result = run_replication(scenario, scenario.simulation.seed, 0, args.scale, args.months)
    profile.disable()
    stats = pstats.Stats(profile)
    own: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        own[_part(filename, function)] += tottime
        total += tottime
    print(f"{args.scenario}, scale {args.scale}, {args.months} months: {result.wall_seconds:.1f} s under the "
          f"profiler ({result.simulate_seconds:.1f} s simulation), {result.events} SimPy events")
    for name, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * seconds / total:5.1f} %  {name}")
    print()
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
