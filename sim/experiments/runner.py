"""All replications of a scenario, serially, on a pool of worker processes or on Dask.

Replication ``r`` draws all its randomness from ``Streams(seed, r)``, so its
result depends on (scenario, seed, r) alone: the same with one worker or two,
in any order, on a local process pool or a Dask cluster
(:mod:`sim.experiments.execution`). Finished replications can be kept in a folder
(:mod:`sim.experiments.checkpoints`) and are then reused, not rerun.

Example:
    >>> from sim.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> results = run(scenario, RunSettings(replications=2, scale=0.002, months=12))
    >>> sorted(results.metrics["replication"].unique().tolist())
    [0, 1]
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sim.errors import ArgumentError
from sim.experiments.checkpoints import CheckpointStore, fingerprint
from sim.experiments.execution import map_tasks
from sim.experiments.replication import ReplicationResult, replay_spells, run_replication
from sim.experiments.settings import RunSettings
from sim.experiments.summary import summarise
from sim.outcomes.costs import public_finances
from sim.scenario.schema import Scenario

__all__ = ["Results", "combine", "run"]


@dataclass
class Results:
    """All replications of one scenario, as tidy DataFrames.

    ``spells`` (one row per stay in a state) is kept when the run was asked to
    (``save_spells``); otherwise it is simulated again on first use, which gives
    exactly the same table because a replication depends on scenario, seed and
    replication only.
    """

    scenario: Scenario
    settings: RunSettings
    metrics: pd.DataFrame
    summary: pd.DataFrame
    costs: pd.DataFrame
    revenue: pd.DataFrame
    occupancy: pd.DataFrame
    waits: pd.DataFrame
    survival: pd.DataFrame
    queues: pd.DataFrame
    replications: pd.DataFrame
    wall_seconds: float
    spell_table: pd.DataFrame | None = None

    @property
    def public_finances(self) -> pd.DataFrame:
        """Spending, revenue and net cost per replication, calendar year and payer
        (:func:`sim.outcomes.costs.public_finances`)."""
        return public_finances(self.costs, self.revenue)

    @property
    def spells(self) -> pd.DataFrame:
        """Every stay in a state, ``replication`` first (re-simulated on first use if not kept)."""
        if self.spell_table is None:
            s = self.settings
            assert s.seed is not None and s.scale is not None and s.months is not None
            self.spell_table = replay_spells(self.scenario, s.seed, s.scale, s.months, self.replications["replication"])
        return self.spell_table


def run(
    scenario: Scenario,
    settings: RunSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    first: int = 0,
    checkpoints: str | os.PathLike[str] | None = None,
) -> Results:
    """Run every replication and gather the results (ordered by replication).

    Args:
        scenario: the validated scenario.
        settings: replications, seed, scale, months, workers.
        progress: called as ``progress(done, total)`` after each replication.
        first: the index of the first replication: ``first, …, first + replications − 1``
            are run, so more replications can be added to a run later (:func:`combine`).
        checkpoints: a folder in which each finished replication is kept
            (:mod:`sim.experiments.checkpoints`); replications already kept there for the same
            scenario content, seed, scale, horizon and code are loaded, not rerun.
    """
    settings = (settings or RunSettings()).resolved(scenario)
    assert settings.replications and settings.scale and settings.months and settings.seed is not None
    _check_population(scenario, settings.scale, settings.months)
    started = time.perf_counter()
    args = [
        (scenario, settings.seed, r, settings.scale, settings.months, settings.save_spells)
        for r in range(first, first + settings.replications)
    ]
    store = None
    if checkpoints is not None:
        key = fingerprint(scenario, settings.seed, settings.scale, settings.months, settings.save_spells)
        store = CheckpointStore(checkpoints, key, settings.seed, settings.scale, settings.months)
    kept = {a[2]: store.get(a[2]) for a in args} if store is not None else {}
    done: list[ReplicationResult] = [r for r in kept.values() if r is not None]
    todo = [a for a in args if kept.get(a[2]) is None]
    if progress and done:
        progress(len(done), len(args))

    def keep(index: int, result: ReplicationResult) -> None:
        if store is not None:
            store.put(todo[index][2], result)

    shifted = (lambda n, total: progress(len(done) + n, len(args))) if progress else None
    done += map_tasks(run_replication, todo, settings.execution, shifted, on_result=keep)
    done.sort(key=lambda r: r.replication)
    return _gather(scenario, settings, done, time.perf_counter() - started)


def _check_population(scenario: Scenario, scale: float, months: int) -> None:
    """Refuse a scale at which the sample holds (almost surely) nobody: every result would be empty.

    Raises:
        ArgumentError: naming ``scale``, when fewer than one household is simulated on average.
    """
    spec = scenario.population
    stock = round(spec.initial_households * scale)
    arrivals = spec.inflow_per_year * scale / 12.0 * months
    if stock + arrivals < 1:
        raise ArgumentError("scale", f"at scale {scale:g} the sample holds {stock} households at the start and "
                            f"{arrivals:.2g} arrivals in {months} months on average; raise the scale")  # fmt: skip


def _gather(scenario: Scenario, settings: RunSettings, done: list[ReplicationResult], wall: float) -> Results:
    table = pd.concat([r.metrics for r in done], ignore_index=True)
    spells = [r.spells for r in done if r.spells is not None]
    return Results(
        scenario=scenario,
        settings=settings,
        metrics=table,
        summary=summarise(table),
        costs=pd.concat([r.costs for r in done], ignore_index=True),
        revenue=pd.concat([r.revenue for r in done], ignore_index=True),
        occupancy=pd.concat([r.occupancy for r in done], ignore_index=True),
        waits=pd.concat([r.waits for r in done], ignore_index=True),
        survival=pd.concat([r.survival for r in done], ignore_index=True),
        queues=pd.concat([r.queues for r in done], ignore_index=True),
        replications=pd.DataFrame(
            {
                "replication": [r.replication for r in done],
                "persons": [r.persons for r in done],
                "transitions": [r.transitions for r in done],
                "simpy_events": [r.events for r in done],
                "wall_seconds": [r.wall_seconds for r in done],
                "simulate_seconds": [r.simulate_seconds for r in done],
            }
        ),
        wall_seconds=wall,
        spell_table=pd.concat(spells, ignore_index=True) if spells else None,
    )


def combine(parts: list[Results]) -> Results:
    """One :class:`Results` from runs of the same scenario and settings over disjoint replications.

    Raises:
        ValueError: if the parts differ in scenario, seed, scale or months, or share a replication.
    """
    first = parts[0]
    key = (first.scenario.name, first.settings.seed, first.settings.scale, first.settings.months)
    if any((p.scenario.name, p.settings.seed, p.settings.scale, p.settings.months) != key for p in parts):
        raise ValueError("only runs of the same scenario, seed, scale and months can be combined")
    replications = pd.concat([p.replications for p in parts], ignore_index=True)
    if replications["replication"].duplicated().any():
        raise ValueError("the runs to combine share replications")

    def joined(name: str) -> pd.DataFrame:
        frame = pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        return frame.sort_values("replication", kind="stable", ignore_index=True)

    metrics = joined("metrics")
    spells = [p.spell_table for p in parts if p.spell_table is not None]
    return Results(
        scenario=first.scenario,
        settings=dataclasses.replace(first.settings, replications=len(replications)),
        metrics=metrics, summary=summarise(metrics), costs=joined("costs"), revenue=joined("revenue"), occupancy=joined("occupancy"),
        waits=joined("waits"), survival=joined("survival"), queues=joined("queues"),
        replications=replications.sort_values("replication", ignore_index=True),
        wall_seconds=sum(p.wall_seconds for p in parts),
        spell_table=pd.concat(spells, ignore_index=True) if len(spells) == len(parts) else None,
    )  # fmt: skip
