"""Benchmark harness: how fast the model is, and against what.

Measures in one run on one machine and writes ``benchmarks.md`` and ``benchmarks.csv``
to ``--out`` (default ``benchmarks/results``):

* the full model at national scale (baseline and the heaviest shipped scenario, 60
  months, one replication, each in a fresh process so peak RSS is its own): wall
  time, peak RSS, SimPy events, transitions, transitions per second;
* the engine floor: bare SimPy with the baseline's stock and newcomers as processes and
  about its number of timeouts (:mod:`benchmarks.engine_floor`), and the model's wall
  time as a ratio of the floor's;
* the vectorised limit: the numpy twin (:mod:`sim.engine.twin`) on the baseline's
  transition structure as a constant-hazard chain without capacity limits, same persons;
* scaling: wall time at scales 0.05 … 1.0 and the fitted exponent (wall ∝ scale^b);
* parallel speed-up of 20 replications with 1 and 2 worker processes, and on a local
  Dask cluster of 2 workers;
* the time to a decision-grade comparison: ``sim compare`` of the baseline and
  ``reform_2026`` with ``--precision employment_rate_24m=0.005``.

Timing is never a pass/fail test; this script prints and writes the figures, and
the README quotes them with date and machine. ``--quick`` runs tiny sizes (a smoke
test of the harness, seconds).

Usage::

    python benchmarks/run.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))



def _heaviest(scale: float, months: int) -> str:
    """The shipped scenario with the longest run at a small scale (other than the baseline)."""
    from sim.experiments.runner import run
    from sim.experiments.settings import RunSettings
    from sim.scenario import load_scenario

    walls = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        if path.stem != "baseline":
            started = time.perf_counter()
            run(load_scenario(path), RunSettings(replications=1, scale=scale, months=months))
            walls[path.stem] = time.perf_counter() - started
    return max(walls, key=walls.__getitem__)


def _one(
    scenario: str, scale: float, months: int, replications: int, workers: int, dask_local: int | None = None
) -> dict[str, float]:
    """Run a scenario in this process and report wall, RSS, events and transitions (the child side)."""
    from sim.experiments.runner import run
    from sim.experiments.settings import RunSettings
    from sim.scenario import load_scenario

    loaded = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    settings = RunSettings(replications=replications, scale=scale, months=months, workers=workers,
                           dask_local=dask_local)  # fmt: skip
    if dask_local:
        run(loaded, RunSettings(replications=dask_local, scale=0.001, months=6, dask_local=dask_local))  # start-up
    started = time.perf_counter()
    results = run(loaded, settings)
    wall = time.perf_counter() - started
    reps = results.replications
    return {
        "wall_s": wall,
        "simulate_s": float(reps["simulate_seconds"].sum()),
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
        "events": float(reps["simpy_events"].sum()),
        "transitions": float(reps["transitions"].sum()),
        "persons": float(reps["persons"].sum()),
    }


def _floor(initial: int, arrivals: int, months: int, timeouts: int) -> dict[str, float]:
    from benchmarks.engine_floor import engine_floor

    floor = engine_floor(initial, arrivals, months, timeouts)
    return {"wall_s": floor.seconds, "events": float(floor.events),
            "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}


def _in_child(kind: str, **arguments: object) -> dict[str, float]:
    """Run ``kind`` in a fresh interpreter, so that its peak RSS and heap are its own."""
    code = (
        "import json, sys; sys.path.insert(0, %r); from benchmarks.run import _one, _floor; "
        "print(json.dumps(%s(**json.loads(sys.argv[1]))))" % (str(ROOT), "_one" if kind == "one" else "_floor")
    )
    done = subprocess.run([sys.executable, "-c", code, json.dumps(arguments)], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {arguments} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _twin(persons: int, months: int) -> dict[str, float]:
    from sim.engine.twin import simulate_chain
    from sim.experiments.verification.markov import generator_matrix, markov_scenario
    from sim.scenario import load_scenario
    from sim.states import STATE_INDEX, State

    q = generator_matrix(markov_scenario(load_scenario(ROOT / "scenarios" / "baseline.yaml")))
    started = time.perf_counter()
    run = simulate_chain(q, persons, months, np.random.default_rng(1), initial=STATE_INDEX[State.ASSISTANCE])
    return {"wall_s": time.perf_counter() - started, "transitions": float(run.transitions)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks that the harness runs")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"), help="output folder")
    args = parser.parse_args(argv)
    national = 0.02 if args.quick else 1.0
    months = 24 if args.quick else 60
    scales = [0.005, 0.01, 0.02] if args.quick else [0.05, 0.1, 0.25, 0.5, 1.0]
    parallel_reps, parallel_scale = (4, 0.005) if args.quick else (20, 0.05)
    rows: list[dict[str, object]] = []

    def add(section: str, item: str, value: float, unit: str, note: str = "") -> None:
        rows.append({"section": section, "item": item, "value": value, "unit": unit, "note": note})
        print(f"  {section:<10} {item:<58} {value:>12.4g} {unit:<6} {note}", flush=True)

    print(f"Benchmarks ({'quick' if args.quick else 'full'}), national scale {national}, {months} months")
    heaviest = _heaviest(0.005 if args.quick else 0.05, months)
    base: dict[str, float] = {}
    for scenario in ("baseline", heaviest):
        got = _in_child("one", scenario=scenario, scale=national, months=months, replications=1, workers=1)
        base = got if scenario == "baseline" else base
        label = f"{scenario} (scale {national}, {months} months)"
        add("national", f"{label}: wall", got["wall_s"], "s", "whole run: simulation, accounting, metrics")
        add("national", f"{label}: simulation (SimPy) part", got["simulate_s"], "s")
        add("national", f"{label}: peak RSS", got["peak_rss_gb"], "GB")
        add("national", f"{label}: SimPy events", got["events"], "")
        add("national", f"{label}: transitions", got["transitions"], "")
        add("national", f"{label}: transitions per second", got["transitions"] / got["wall_s"], "1/s")
        add("national", f"{label}: persons", got["persons"], "")

    from sim.scenario import load_scenario

    persons = int(base["persons"])
    initial = round(load_scenario(ROOT / "scenarios" / "baseline.yaml").population.initial_households * national)
    arrivals = persons - initial
    # The model's persons are chains of timeouts (no process start or end events); its other
    # events are the newcomers' arrival timeouts. The floor gets as many timeouts per person.
    per_person = max(1, round((base["events"] - arrivals) / persons))
    floor = _in_child("floor", initial=initial, arrivals=arrivals, months=months, timeouts=per_person)
    add("floor", f"bare SimPy: {initial} + {arrivals} processes × {per_person} timeouts", floor["wall_s"], "s",
        f"{int(floor['events'])} events incl. process start and end (model: {int(base['events'])})")
    add("floor", "baseline simulation time / engine floor", base["simulate_s"] / floor["wall_s"], "×",
        "the SimPy part of the run; target ≤ 2")
    add("floor", "baseline whole run / engine floor", base["wall_s"] / floor["wall_s"], "×",
        "including accounting and metrics")

    twin = _twin(int(base["persons"]), months)
    add("twin", f"numpy twin, constant-hazard chain, {int(base['persons'])} persons", twin["wall_s"], "s",
        f"{int(twin['transitions'])} transitions")
    add("twin", "twin time / baseline simulation time", twin["wall_s"] / base["simulate_s"], "×")

    walls = []
    for scale in scales:
        got = base if scale == national else _in_child("one", scenario="baseline", scale=scale, months=months,
                                                       replications=1, workers=1)
        walls.append(got["wall_s"])
        add("scaling", f"baseline at scale {scale}", got["wall_s"], "s")
    exponent = float(np.polyfit(np.log(scales), np.log(walls), 1)[0])
    add("scaling", "fitted exponent b (wall ∝ scale^b)", exponent, "")

    times = {}
    for workers in (1, 2):
        got = _in_child("one", scenario="baseline", scale=parallel_scale, months=months,
                        replications=parallel_reps, workers=workers)
        times[workers] = got["wall_s"]
        add("parallel", f"{parallel_reps} replications at scale {parallel_scale}, {workers} worker(s)",
            got["wall_s"], "s")
    add("parallel", "speed-up, 2 workers over 1", times[1] / times[2], "×", "target ≥ 1.8")
    got = _in_child("one", scenario="baseline", scale=parallel_scale, months=months,
                    replications=parallel_reps, workers=1, dask_local=2)
    add("parallel", f"{parallel_reps} replications at scale {parallel_scale}, local Dask cluster of 2 workers",
        got["wall_s"], "s", "cluster start-up excluded")
    add("parallel", "speed-up, Dask (2 workers) over 1 local worker", times[1] / got["wall_s"], "×")

    scratch = tempfile.mkdtemp(prefix="sim-benchmark-")
    started = time.perf_counter()
    decision = subprocess.run(
        [sys.executable, "-m", "sim", "compare", "scenarios/baseline.yaml", "scenarios/reform_2026.yaml",
         "--precision", "employment_rate_24m=0.005", "--workers", "2", "--force", "--out",
         str(Path(scratch) / "decision-grade")] + (["--scale", "0.01", "--months", "24"] if args.quick else []),
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    took = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    if decision.returncode != 0:
        raise RuntimeError(f"decision-grade comparison failed:\n{decision.stderr[-2000:]}")
    reached = next((line for line in decision.stdout.splitlines() if line.startswith("Precision")), "")
    add("decision", "baseline vs reform_2026, employment_rate_24m ±0.005, 2 workers (whole command)", took, "s",
        f"target ≤ 120 s; {reached.rstrip(':')}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows)
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"{platform.system()} {platform.release()}")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    frame.assign(measured=when, machine=machine).to_csv(out / "benchmarks.csv", index=False)
    lines = [f"# Benchmarks ({'quick' if args.quick else 'full'})", "", f"Measured {when} on {machine}.", "",
             "| section | item | value | unit | note |", "|---|---|---:|---|---|"]
    lines += [f"| {r['section']} | {r['item']} | {float(r['value']):.4g} | {r['unit']} | {r['note']} |"  # type: ignore[arg-type]
              for r in rows]
    (out / "benchmarks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Written to {out}/benchmarks.md and benchmarks.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
