"""Probabilistic sensitivity analysis: parameter sets drawn from the scenarios' distributions.

``K`` parameter sets are drawn by Latin hypercube sampling (seeded, so the same
``K`` and seed give the same sets) from every ``distribution:`` in the scenarios
(:mod:`sim.scenario.uncertainty`); each set is applied to every scenario that has
the parameter, and each scenario runs its replications at each set on the same
seed. Stochastic and parameter uncertainty are thus both in the results: the
replications within a draw, and the draws across the parameter space. For a
comparison, the probability that an alternative beats the base on a metric is
the share of draws in which its mean difference (over replications) goes the
better way.

Example:
    >>> import sim
    >>> base = sim.load_scenario("scenarios/baseline.yaml")
    >>> draws = psa_draws([base], 4, seed=1)
    >>> len(draws), "activity.hours_independent_share" in draws.columns
    (4, True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.errors import ArgumentError
from sim.experiments.execution import map_tasks
from sim.experiments.runner import run
from sim.experiments.sensitivity import Factor, factors
from sim.experiments.settings import RunSettings
from sim.outcomes.catalogue import KEY_METRICS, higher_is_better
from sim.scenario import Scenario
from sim.scenario.schema import MAX_REPLICATIONS

__all__ = ["PsaResults", "check_sets", "psa", "psa_draws"]

#: Spawn key of the stream the Latin hypercube draws from (apart from every model stream).
_PSA_KEY = 7_000_001


@dataclass
class PsaResults:
    """What a PSA produced.

    Attributes:
        draws: one row per draw: ``draw`` and one column per parameter path.
        metrics: ``draw, scenario, replication, metric, subgroup, value``.
        draw_means: ``draw, scenario, metric, subgroup, value`` (mean over replications).
        summary: ``scenario, metric, subgroup, mean, p2_5, p50, p97_5`` over draws (of the draw means).
        probability: for comparisons, ``scenario, metric, probability_better, mean_difference``; else None.
        settings: the run settings at each draw (defaults filled in from the base scenario).
    """

    draws: pd.DataFrame
    metrics: pd.DataFrame
    draw_means: pd.DataFrame
    summary: pd.DataFrame
    probability: pd.DataFrame | None
    settings: RunSettings


def _uncertain(scenarios: Sequence[Scenario]) -> list[Factor]:
    chosen: dict[str, Factor] = {}
    for scenario in scenarios:
        if scenario.distributions():
            for factor in factors(scenario):
                chosen.setdefault(factor.path, factor)
    if not chosen:
        raise ArgumentError("sets", "no parameter in the scenario(s) carries a distribution")
    return [chosen[path] for path in sorted(chosen)]


def check_sets(sets: int) -> None:
    """Refuse fewer than 2 parameter sets, or more than the cap on what a run may cost.

    Raises:
        ArgumentError: naming ``sets``.
    """
    if sets < 2:
        raise ArgumentError("sets", f"needs at least 2 parameter sets (got {sets})")
    if sets > MAX_REPLICATIONS:
        raise ArgumentError("sets", f"at most {MAX_REPLICATIONS} parameter sets (got {sets})")


def psa_draws(scenarios: Sequence[Scenario], sets: int, seed: int) -> pd.DataFrame:
    """``sets`` Latin-hypercube parameter sets over every distribution in the scenarios.

    Raises:
        ArgumentError: fewer than 2 sets, or no distribution in any scenario.
    """
    check_sets(sets)
    chosen = _uncertain(scenarios)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_PSA_KEY,)))
    u = qmc.LatinHypercube(d=len(chosen), seed=rng).random(sets)
    columns = {f.path: [round(f.at(q)) if f.integer else f.at(q) for q in u[:, i]] for i, f in enumerate(chosen)}
    return pd.DataFrame({"draw": np.arange(sets), **columns})


def _run_metrics(scenario: Scenario, settings: RunSettings) -> pd.DataFrame:
    return run(scenario, settings).metrics


def psa(
    scenarios: Sequence[Scenario],
    sets: int,
    settings: RunSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PsaResults:
    """Run every scenario at ``sets`` drawn parameter sets (the first scenario is the base of comparisons).

    Each drawn value replaces the scenario's own through :meth:`Scenario.with_changes`,
    citing the draw as its source.
    """
    resolved = (settings or RunSettings()).resolved(scenarios[0])
    assert resolved.seed is not None
    draws = psa_draws(scenarios, sets, resolved.seed)
    serial = resolved.in_one_process()
    tasks, keys = [], []
    for row in draws.to_dict("records"):
        for scenario in scenarios:
            own = scenario.distributions()
            changes = {path: value for path, value in row.items() if path in own}
            source = f"PSA parameter set {int(row['draw'])}: a Latin-hypercube draw from the parameter's distribution"
            tasks.append((scenario.with_changes(changes, source=source) if changes else scenario, serial))
            keys.append((int(row["draw"]), scenario.name))
    frames = map_tasks(_run_metrics, tasks, resolved.execution, progress)
    metrics = pd.concat(
        [frame.assign(draw=d, scenario=name) for (d, name), frame in zip(keys, frames)], ignore_index=True
    )[["draw", "scenario", "replication", "metric", "subgroup", "value"]]
    keys_ = ["draw", "scenario", "metric", "subgroup"]
    draw_means = pd.DataFrame(metrics.groupby(keys_, sort=False)["value"].mean().reset_index())
    grouped = draw_means.groupby(["scenario", "metric", "subgroup"], sort=False)["value"]
    summary = grouped.agg(
        mean="mean", p2_5=lambda v: v.quantile(0.025), p50="median", p97_5=lambda v: v.quantile(0.975)
    ).reset_index()
    probability = _probability(draw_means, [s.name for s in scenarios]) if len(scenarios) > 1 else None
    return PsaResults(draws, metrics, draw_means, summary, probability, resolved)


def _probability(draw_means: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    overall = draw_means[draw_means["subgroup"] == "all"]
    wide = overall.pivot_table(index=["draw", "metric"], columns="scenario", values="value").reset_index()
    rows = []
    for alt in names[1:]:
        for metric in KEY_METRICS:
            higher = higher_is_better(metric)
            part = wide[wide["metric"] == metric]
            if higher is None or part.empty:
                continue
            diff = (part[alt] - part[names[0]]).to_numpy(float)
            better = diff > 0 if higher else diff < 0
            rows.append({"scenario": alt, "metric": metric, "probability_better": float(better.mean()),
                         "mean_difference": float(np.nanmean(diff))})  # fmt: skip
    return pd.DataFrame(rows, columns=["scenario", "metric", "probability_better", "mean_difference"])
