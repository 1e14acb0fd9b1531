"""How to run a scenario: replications, seed, size, horizon, and where the replications run.

Example:
    >>> from sim.scenario import load_scenario
    >>> settings = RunSettings(replications=3).resolved(load_scenario("scenarios/baseline.yaml"))
    >>> settings.replications, settings.seed is not None, settings.execution.describe()
    (3, True, '1 worker process')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sim.errors import ArgumentError
from sim.experiments.execution import Execution
from sim.scenario.schema import MAX_MONTHS, MAX_REPLICATIONS, Scenario

#: More worker processes than this is a typo, not a machine.
MAX_WORKERS = 1024

__all__ = ["RunSettings"]


@dataclass(frozen=True)
class RunSettings:
    """How to run a scenario; ``None`` takes the scenario's own default.

    ``workers``, ``scheduler`` (a Dask scheduler address) and ``dask_local`` (start a
    local Dask cluster of that many workers) say where replications run
    (:mod:`sim.experiments.execution`); results do not depend on them.

    Raises:
        ArgumentError: every value out of range at once (replications or months below 1,
            a scale outside (0, 1], a negative seed, fewer than 1 worker, both a scheduler
            and a local cluster).
    """

    replications: int | None = None
    seed: int | None = None
    scale: float | None = None
    months: int | None = None
    workers: int = 1
    save_spells: bool = False
    scheduler: str | None = None
    dask_local: int | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.replications is not None and not 1 <= self.replications <= MAX_REPLICATIONS:
            problems.append(("replications", f"must be from 1 to {MAX_REPLICATIONS} (got {self.replications})"))
        if self.scale is not None and not 0 < self.scale <= 1:  # also NaN
            problems.append(("scale", f"must be in (0, 1] (got {self.scale})"))
        if self.months is not None and not 1 <= self.months <= MAX_MONTHS:
            problems.append(("months", f"must be from 1 to {MAX_MONTHS} (got {self.months})"))
        if self.workers < 1:
            problems.append(("workers", f"must be at least 1 (got {self.workers})"))
        if self.seed is not None and not 0 <= self.seed < 2**63:
            problems.append(("seed", f"must be a non-negative integer below 2**63 (got {self.seed})"))
        if self.workers > MAX_WORKERS:
            problems.append(("workers", f"must be at most {MAX_WORKERS} (got {self.workers})"))
        if self.dask_local is not None and not 1 <= self.dask_local <= MAX_WORKERS:
            problems.append(("dask_local", f"must be from 1 to {MAX_WORKERS} (got {self.dask_local})"))
        if self.scheduler is not None and self.dask_local is not None:
            problems.append(("scheduler", "give a scheduler or dask_local, not both"))
        if problems:
            raise ArgumentError(*problems[0], *problems[1:])

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
        return dataclasses.replace(
            self,
            replications=self.replications if self.replications is not None else sim.replications,
            seed=self.seed if self.seed is not None else sim.seed,
            scale=self.scale if self.scale is not None else sim.scale,
            months=self.months if self.months is not None else sim.months,
        )
