"""The functions a notebook calls: run, compare and sweep scenarios, with keyword settings.

They take a :class:`~sim.scenario.Scenario` or the path of a scenario file, and the
same settings as the command line (``replications``, ``seed``, ``scale``, ``months``,
``workers``, and ``scheduler``/``dask_local`` for Dask), and return DataFrames or
objects holding them.

Example:
    >>> import sim
    >>> base = sim.load_scenario("scenarios/baseline.yaml")
    >>> results = sim.run(base, replications=2, scale=0.002, months=12)
    >>> results.summary.query("metric == 'employment_rate_6m' and subgroup == 'all'")["n"].item()
    2.0
    >>> grid = sim.sweep(base, {"activity.usual_hours.municipal_activity": [20, 40]},
    ...                  replications=2, scale=0.002, months=12)
    >>> sorted(grid["activity.usual_hours.municipal_activity"].unique().tolist())
    [20, 40]
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from sim.compare import Comparison
from sim.compare import compare as compare_scenarios
from sim.runner import Results, RunSettings
from sim.runner import run as run_settings
from sim.scenario import Scenario, load_scenario

__all__ = ["compare", "run", "sweep"]

ScenarioLike = Scenario | str | os.PathLike[str]


def _scenario(value: ScenarioLike) -> Scenario:
    return value if isinstance(value, Scenario) else load_scenario(value)


def _settings(
    replications: int | None, seed: int | None, scale: float | None, months: int | None, workers: int,
    save_spells: bool = False, scheduler: str | None = None, dask_local: int | None = None,
) -> RunSettings:  # fmt: skip
    return RunSettings(replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                       save_spells=save_spells, scheduler=scheduler, dask_local=dask_local)  # fmt: skip


def run(
    scenario: ScenarioLike,
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    save_spells: bool = False,
    scheduler: str | None = None,
    dask_local: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """Run a scenario; ``None`` settings take the scenario's own.

    Returns:
        :class:`~sim.runner.Results`: ``.metrics``, ``.summary``, ``.costs``,
        ``.occupancy``, ``.spells`` (re-simulated on first use unless ``save_spells``),
        and ``.report(path)``.
    """
    settings = _settings(replications, seed, scale, months, workers, save_spells, scheduler, dask_local)
    return run_settings(_scenario(scenario), settings, progress=progress)


def compare(
    scenarios: Sequence[ScenarioLike],
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    precision: Mapping[str, float] | None = None,
    max_replications: int = 200,
    independent: bool = False,
    scheduler: str | None = None,
    dask_local: int | None = None,
) -> Comparison:
    """Compare a base scenario (first) with alternatives under common random numbers.

    Returns:
        :class:`~sim.compare.Comparison`: ``.table``, ``.differences``, ``.variance``,
        ``.changes``, ``.results`` and ``.report(path)``.
    """
    settings = _settings(replications, seed, scale, months, workers, False, scheduler, dask_local)
    return compare_scenarios([_scenario(s) for s in scenarios], settings, independent=independent,
                             precision=precision, max_replications=max_replications)  # fmt: skip


def sweep(
    scenario: ScenarioLike,
    grid: Mapping[str, Sequence[Any]],
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
) -> pd.DataFrame:
    """Run the scenario at every point of a grid of values and return one tidy table.

    Every point runs with the same seed, so replication ``r`` of each point sees the
    same people and draws (common random numbers): differences between points are
    differences the values make, not noise between runs.

    Args:
        grid: ``{"dotted.path": [value, ...], ...}``; the points are the Cartesian product.

    Returns:
        One row per point, metric and subgroup: ``point``, one column per path with its
        value, then ``metric, subgroup, mean, sd, ci_low, ci_high, n``.

    Raises:
        ScenarioErrors: a path or value the scenario does not accept (before anything runs).
    """
    base = _scenario(scenario)
    paths = list(grid)
    points = list(itertools.product(*(list(grid[p]) for p in paths)))
    variants = [
        base.with_changes({**dict(zip(paths, values)), "name": f"{base.name}_point{i}"})
        for i, values in enumerate(points)
    ]
    settings = _settings(replications, seed, scale, months, workers, False, scheduler, dask_local)
    frames = []
    for i, (values, variant) in enumerate(zip(points, variants)):
        summary = run_settings(variant, settings).summary
        frames.append(summary.assign(point=i, **dict(zip(paths, values))))
    table = pd.concat(frames, ignore_index=True)
    return table[["point", *paths, "metric", "subgroup", "mean", "sd", "ci_low", "ci_high", "n"]]
