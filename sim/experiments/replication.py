"""One replication: simulate, keep the record, reduce it to the small tables a run returns.

Replication ``r`` draws all its randomness from ``Streams(seed, r)``, so its result
depends on (scenario, seed, r) alone. A replication returns small tables (metrics,
costs, monthly occupancy, waits), not live objects; its spells only when asked for.

Example:
    >>> from sim.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> one = run_replication(scenario, seed=1, replication=0, scale=0.002, months=12)
    >>> sorted(one.metrics["replication"].unique().tolist()), one.spells is None
    ([0], True)
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from sim.engine.model import Model, ReplicationOutput
from sim.outcomes.record import Record
from sim.rng import Streams
from sim.scenario.schema import Scenario

__all__ = ["ReplicationResult", "record_of", "run_replication", "simulate", "replay_spells"]


@dataclass(frozen=True)
class ReplicationResult:
    """The tables one replication returns."""

    replication: int
    metrics: pd.DataFrame
    costs: pd.DataFrame
    revenue: pd.DataFrame
    occupancy: pd.DataFrame
    waits: pd.DataFrame
    survival: pd.DataFrame
    queues: pd.DataFrame
    events: int
    transitions: int
    persons: int
    wall_seconds: float
    simulate_seconds: float = 0.0
    spells: pd.DataFrame | None = None


def simulate(scenario: Scenario, seed: int, replication: int, scale: float, months: float) -> ReplicationOutput:
    """The engine's output of one replication (the population and its spell and wait logs)."""
    return Model(scenario, Streams(seed, replication), scale=scale, horizon=float(months)).run()


def record_of(scenario: Scenario, output: ReplicationOutput) -> Record:
    """The outcomes' record of an engine run."""
    return Record(scenario, output.spells, output.population.to_frame(), output.horizon, waits=output.waits,
                  weight=output.population.weight)  # fmt: skip


def run_replication(
    scenario: Scenario, seed: int, replication: int, scale: float, months: int, save_spells: bool = False
) -> ReplicationResult:
    """Simulate one replication and reduce it to its tables."""
    started = time.perf_counter()
    output = simulate(scenario, seed, replication, scale, months)
    simulated = time.perf_counter() - started
    record = record_of(scenario, output)
    tables = {
        "metrics": record.metrics, "costs": record.costs, "revenue": record.revenue, "occupancy": record.occupancy(months),
        "waits": record.wait_summary, "survival": record.survival, "queues": record.queues(months),
    }  # fmt: skip
    for frame in tables.values():
        frame.insert(0, "replication", replication)
    spells = output.spells
    return ReplicationResult(
        replication=replication,
        **tables,
        events=output.events,
        transitions=int((spells["next_state"] >= 0).sum()),
        persons=output.population.size,
        wall_seconds=time.perf_counter() - started,
        simulate_seconds=simulated,
        spells=spells.assign(replication=replication) if save_spells else None,
    )


def replay_spells(scenario: Scenario, seed: int, scale: float, months: int, replications: Iterable[int]) -> pd.DataFrame:
    """The spell log of each replication, simulated again (identical by construction), ``replication`` added."""
    frames = [simulate(scenario, seed, int(r), scale, months).spells.assign(replication=int(r)) for r in replications]
    return pd.concat(frames, ignore_index=True)
