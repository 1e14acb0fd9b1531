"""Replications of a scenario, serially or on a pool of worker processes.

Replication ``r`` draws all its randomness from ``Streams(seed, r)``, so its
result depends on (scenario, seed, r) alone: the same with one worker or two,
in any order, on a local process pool or a Dask cluster (:mod:`sim.execution`). Each replication returns small tables (metrics, costs, monthly
occupancy, waits), not live objects; spells only when asked for.

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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim import accounting
from sim.engine.model import Model
from sim.engine.spells import occupancy
from sim.execution import Execution, map_tasks
from sim.metrics import metrics as outcome_metrics
from sim.metrics import queue_lengths, work_survival
from sim.rng import Streams
from sim.scenario.schema import Scenario
from sim.states import STATES

__all__ = ["RunSettings", "ReplicationResult", "Results", "combine", "run", "run_replication", "summarise"]


@dataclass(frozen=True)
class RunSettings:
    """How to run a scenario; ``None`` takes the scenario's own default.

    ``workers``, ``scheduler`` (a Dask scheduler address) and ``dask_local`` (start a
    local Dask cluster of that many workers) say where replications run
    (:mod:`sim.execution`); results do not depend on them.
    """

    replications: int | None = None
    seed: int | None = None
    scale: float | None = None
    months: int | None = None
    workers: int = 1
    save_spells: bool = False
    scheduler: str | None = None
    dask_local: int | None = None

    def in_one_process(self) -> RunSettings:
        """The same run in the calling process (for tasks that are themselves spread over workers)."""
        return dataclasses.replace(self, workers=1, scheduler=None, dask_local=None)

    @property
    def execution(self) -> Execution:
        """Where the replications run."""
        return Execution(workers=self.workers, scheduler=self.scheduler, dask_local=self.dask_local)

    def resolved(self, scenario: Scenario) -> RunSettings:
        """The settings with every default filled in from the scenario."""
        sim = scenario.simulation
        return RunSettings(
            replications=self.replications if self.replications is not None else sim.replications,
            seed=self.seed if self.seed is not None else sim.seed,
            scale=self.scale if self.scale is not None else sim.scale,
            months=self.months if self.months is not None else sim.months,
            workers=self.workers,
            save_spells=self.save_spells,
            scheduler=self.scheduler,
            dask_local=self.dask_local,
        )


@dataclass(frozen=True)
class ReplicationResult:
    """The tables one replication returns."""

    replication: int
    metrics: pd.DataFrame
    costs: pd.DataFrame
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
    occupancy: pd.DataFrame
    waits: pd.DataFrame
    survival: pd.DataFrame
    queues: pd.DataFrame
    replications: pd.DataFrame
    wall_seconds: float
    spell_table: pd.DataFrame | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def spells(self) -> pd.DataFrame:
        """Every stay in a state, ``replication`` first (re-simulated on first use if not kept)."""
        if self.spell_table is None:
            self.spell_table = _replay_spells(self)
        return self.spell_table

    def report(self, path: str | os.PathLike[str], lang: str = "sv") -> Path:
        """Write the single-scenario HTML report (as ``sim run`` does) and return its path."""
        from sim.report.html import write_report

        target = Path(path)
        write_report(target, [self], None, lang=lang)
        return target


def run_replication(
    scenario: Scenario, seed: int, replication: int, scale: float, months: int, save_spells: bool = False
) -> ReplicationResult:
    """Simulate one replication and reduce it to its tables."""
    started = time.perf_counter()
    output = Model(scenario, Streams(seed, replication), scale=scale, horizon=float(months)).run()
    simulated = time.perf_counter() - started
    persons = output.population.to_frame()
    spells = output.spells
    books = accounting.accounts(spells, persons, scenario, output.horizon)
    table = outcome_metrics(spells, persons, scenario, output.horizon, books=books)
    costs = accounting.costs(spells, persons, scenario, output.horizon, ledger=books.ledger)
    del books
    counts = occupancy(spells, months) * output.population.weight
    occ = pd.DataFrame(counts, columns=[s.value for s in STATES])
    occ.insert(0, "month", np.arange(months + 1))
    occ = occ.melt(id_vars="month", var_name="state", value_name="persons")
    waits = _wait_summary(output.waits)
    survival = work_survival(spells, persons, output.horizon)
    queues = queue_lengths(output.waits, months, output.population.weight)
    for frame in (table, costs, occ, waits, survival, queues):
        frame.insert(0, "replication", replication)
    if save_spells:
        spells = spells.assign(replication=replication)
    return ReplicationResult(
        replication=replication,
        metrics=table,
        costs=costs,
        occupancy=occ,
        waits=waits,
        survival=survival,
        queues=queues,
        events=output.events,
        transitions=int((spells["next_state"] >= 0).sum()),
        persons=output.population.size,
        wall_seconds=time.perf_counter() - started,
        simulate_seconds=simulated,
        spells=spells if save_spells else None,
    )


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
            (:mod:`sim.checkpoints`); replications already kept there for the same
            scenario content, seed, scale, horizon and code are loaded, not rerun.
    """
    settings = (settings or RunSettings()).resolved(scenario)
    assert settings.replications and settings.scale and settings.months and settings.seed is not None
    started = time.perf_counter()
    args = [
        (scenario, settings.seed, r, settings.scale, settings.months, settings.save_spells)
        for r in range(first, first + settings.replications)
    ]
    store = None
    if checkpoints is not None:
        from sim.checkpoints import CheckpointStore, fingerprint

        key = fingerprint(scenario, settings.seed, settings.scale, settings.months, settings.save_spells)
        store = CheckpointStore(checkpoints, key)
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


def _gather(scenario: Scenario, settings: RunSettings, done: list[ReplicationResult], wall: float) -> Results:
    table = pd.concat([r.metrics for r in done], ignore_index=True)
    spells = [r.spells for r in done if r.spells is not None]
    return Results(
        scenario=scenario,
        settings=settings,
        metrics=table,
        summary=summarise(table),
        costs=pd.concat([r.costs for r in done], ignore_index=True),
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


def _replay_spells(results: Results) -> pd.DataFrame:
    """The spell log of every replication of ``results``, simulated again (identical by construction)."""
    settings = results.settings
    assert settings.seed is not None and settings.scale is not None and settings.months is not None
    frames = [
        Model(results.scenario, Streams(settings.seed, int(r)), scale=settings.scale, horizon=float(settings.months))
        .run().spells.assign(replication=int(r))
        for r in results.replications["replication"]
    ]  # fmt: skip
    return pd.concat(frames, ignore_index=True)


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
        metrics=metrics, summary=summarise(metrics), costs=joined("costs"), occupancy=joined("occupancy"),
        waits=joined("waits"), survival=joined("survival"), queues=joined("queues"),
        replications=replications.sort_values("replication", ignore_index=True),
        wall_seconds=sum(p.wall_seconds for p in parts),
        spell_table=pd.concat(spells, ignore_index=True) if len(spells) == len(parts) else None,
    )  # fmt: skip


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, sd and 95 % t-interval over replications for each metric and subgroup.

    Example:
        >>> t = pd.DataFrame({"replication": [0, 1], "metric": "m", "subgroup": "all", "value": [1.0, 3.0]})
        >>> summarise(t)[["mean", "sd", "n"]].values.tolist()
        [[2.0, 1.4142135623730951, 2.0]]
    """
    grouped = table.groupby(["metric", "subgroup"], sort=False)["value"]
    out = grouped.agg(mean="mean", sd="std", n="count").reset_index()
    half = stats.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    half = half.where(out["n"] > 1)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out["n"] = out["n"].astype(float)
    return out[["metric", "subgroup", "mean", "sd", "ci_low", "ci_high", "n"]]


def _wait_summary(waits: pd.DataFrame) -> pd.DataFrame:
    """Number of waits, how many got the resource, and mean wait in months, per resource."""
    if waits.empty:
        return pd.DataFrame(columns=["resource", "waits", "granted", "mean_wait_months"])
    waits = waits.assign(length=waits["end"] - waits["start"])
    out = waits.groupby("resource").agg(
        waits=("length", "size"), granted=("granted", "sum"), mean_wait_months=("length", "mean")
    )
    return out.reset_index()
