"""Comparing designs: paired differences under common random numbers.

Every scenario of a comparison runs with the same seed, so replication ``r`` of
each sees the same people and the same draws for the same purpose (the streams
are keyed by replication, person and purpose, never by scenario). The
difference between two designs is then computed replication by replication,
and its variance is far below what two independent runs would give. The
comparison reports both: the variance of the paired difference, and the
variance independent streams would have (``var(base) + var(alternative)``, or
measured with ``independent=True``).

Example:
    >>> from sim.scenario import load_scenario
    >>> base = load_scenario("scenarios/baseline.yaml")
    >>> alt = load_scenario("scenarios/activity_support_223.yaml")
    >>> c = compare([base, alt], RunSettings(replications=2, scale=0.002, months=12))
    >>> sorted(c.table["scenario"].unique().tolist())
    ['activity_support_223', 'baseline']
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import ArgumentError, UsageError
from sim.experiments.precision import (
    DEFAULT_MAX_REPLICATIONS,
    PRECISION_COLUMNS,
    check_precision,
    half_widths,
    next_total,
)  # fmt: skip
from sim.experiments.public_finances import finance_differences, ratios
from sim.experiments.runner import Results, combine, run
from sim.experiments.settings import RunSettings
from sim.experiments.summary import summarise
from sim.outcomes.catalogue import undefined_within
from sim.scenario.diff import cite, parameter_values, show
from sim.scenario.schema import Scenario

__all__ = ["Comparison", "compare", "comparison_folder_name", "parameter_changes", "scenario_seed"]


@dataclass
class Comparison:
    """A base scenario and its alternatives, run under common random numbers.

    Attributes:
        results: one :class:`sim.experiments.runner.Results` per scenario, the base first.
        table: ``metric, subgroup, scenario, mean, se, ci_low, ci_high, diff_vs_base,
            diff_se, diff_ci_low, diff_ci_high`` (the base's diff columns are empty).
        differences: per replication: ``replication, scenario, metric, subgroup, diff``.
        variance: ``scenario, metric, subgroup, var_paired, var_independent, ratio``
            (``var_independent`` = var(base) + var(alternative) across replications).
        changes: every parameter that differs from the base: ``scenario, parameter,
            base_value, value, base_source, source``.
        independent: True when the alternatives ran on independent streams.
        precision: with a precision target (:func:`compare` ``precision=``), one row per
            round, alternative and named metric: ``round, replications, scenario, metric,
            target_half_width, half_width, met``; None otherwise.
        public_finances: spending, revenue and net cost differences by year and payer
            (:func:`sim.experiments.public_finances.finance_differences`).
        cost_effectiveness: net cost difference per additional person in work at 24 months and
            per person-year in work, by payer (:func:`sim.experiments.public_finances.ratios`).
    """

    results: list[Results]
    table: pd.DataFrame
    differences: pd.DataFrame
    variance: pd.DataFrame
    changes: pd.DataFrame
    independent: bool = False
    precision: pd.DataFrame | None = None
    public_finances: pd.DataFrame | None = None
    cost_effectiveness: pd.DataFrame | None = None

    @property
    def base(self) -> Results:
        """The base scenario's results."""
        return self.results[0]

    @property
    def names(self) -> list[str]:
        """Scenario names, the base first."""
        return [r.scenario.name for r in self.results]


def compare(
    scenarios: list[Scenario],
    settings: RunSettings | None = None,
    independent: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    precision: Mapping[str, float] | None = None,
    max_replications: int = DEFAULT_MAX_REPLICATIONS,
    checkpoints: str | os.PathLike[str] | None = None,
) -> Comparison:
    """Run a base scenario and alternatives with the same seed and pair their replications.

    Args:
        scenarios: the base first, then one or more alternatives.
        settings: replications, seed, scale, months and workers (the base's defaults fill gaps).
        independent: run each alternative on its own streams instead (to measure what
            common random numbers gain).
        progress: called as ``progress(scenario name, done, total)``.
        precision: ``{metric: half-width}``: after the first ``settings.replications``,
            add replications in batches until the 95 % interval of every alternative's
            difference from the base (subgroup ``all``) in each named metric is at most
            that half-width wide on either side, or ``max_replications`` is reached.
            Replications are numbered on, so the answer depends only on how many were run.
        max_replications: the most replications per scenario a precision target may use.
        checkpoints: a folder under which each scenario keeps its finished replications
            (in ``<folder>/<scenario name>``, see :func:`sim.experiments.runner.run`).

    Raises:
        UsageError: fewer than two scenarios, a repeated name, an alternative that
            changes nothing relative to the base, or a bad precision target.
    """
    if len(scenarios) < 2:
        raise UsageError("compare needs a base scenario and at least one alternative")
    names = [s.name for s in scenarios]
    # Each name becomes a folder: names that differ only in case would share one on some file systems.
    if len({n.lower() for n in names}) != len(names):
        raise UsageError(f"scenario names must differ (ignoring case) to be compared: {', '.join(names)}")
    check_precision(precision, max_replications)
    changes = pd.concat([parameter_changes(scenarios[0], alt) for alt in scenarios[1:]], ignore_index=True)
    settings = (settings or RunSettings()).resolved(scenarios[0])
    assert settings.seed is not None and settings.replications is not None and settings.months is not None
    if precision and settings.replications < 2:
        raise ArgumentError("precision", "needs at least 2 replications to start from")
    for metric in precision or {}:
        why = undefined_within(metric, scenarios[0].simulation.start_date, settings.months)
        if why:
            raise ArgumentError("precision", f"{why}: no number of replications would make it precise")
    per_scenario = [dataclasses.replace(settings, seed=scenario_seed(settings.seed, k, independent))
                    for k in range(len(scenarios))]  # fmt: skip

    def run_all(first: int, count: int) -> list[Results]:
        out = []
        for scenario, these in zip(scenarios, per_scenario):
            report = (lambda done, total, n=scenario.name: progress(n, done, total)) if progress else None
            kept = Path(checkpoints) / scenario.name if checkpoints is not None else None
            out.append(run(scenario, dataclasses.replace(these, replications=count), progress=report, first=first,
                           checkpoints=kept))  # fmt: skip
        return out

    results = run_all(0, settings.replications)
    rounds: list[pd.DataFrame] = []
    while precision:
        n = int(results[0].settings.replications or 0)
        widths = half_widths(_differences(results), precision).assign(round=len(rounds) + 1, replications=n)
        rounds.append(widths)
        if widths["met"].all() or n >= max_replications:
            break
        results = [combine([old, new]) for old, new in zip(results, run_all(n, next_total(widths, n,
                                                                                        max_replications) - n))]
    differences = _differences(results)
    return Comparison(
        results=results,
        table=_table(results, differences),
        differences=differences,
        variance=_variance(results, differences),
        changes=changes,
        independent=independent,
        precision=pd.concat(rounds, ignore_index=True)[PRECISION_COLUMNS] if rounds else None,
        public_finances=finance_differences(results),
        cost_effectiveness=ratios(differences, results),
    )


def parameter_changes(base: Scenario, alternative: Scenario) -> pd.DataFrame:
    """Every parameter whose value differs between two scenarios, with both sources.

    Raises:
        UsageError: if nothing differs (the comparison would be empty).
    """
    before = parameter_values(base)
    after = parameter_values(alternative)
    rows = [
        {
            "scenario": alternative.name,
            "parameter": path,
            "base_value": show(before.get(path)),
            "value": show(after.get(path)),
            "base_source": _source(base, path, before.get(path)),
            "source": _source(alternative, path, after.get(path)),
        }
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    ]
    if not rows:
        raise UsageError(
            f"scenario '{alternative.name}' changes nothing relative to '{base.name}': "
            "there is no difference to compare"
        )
    return pd.DataFrame(rows)


def _source(scenario: Scenario, path: str, value: object) -> str:
    """The source of a parameter, or ``assumption: <note>``, or ``design choice``; ``–`` when absent."""
    return "–" if value is None else str(cite(scenario, path, value))


def comparison_folder_name(names: Sequence[str]) -> str:
    """The default folder name of a comparison: ``compare-<base>-vs-<alt>…``, shortened when very long.

    File names have a length limit that many long scenario names would exceed.
    """
    name = "compare-" + "-vs-".join(names)
    return name if len(name) <= 120 else f"compare-{names[0]}-vs-{len(names) - 1}-designs"


def scenario_seed(seed: int, k: int, independent: bool) -> int:
    """The seed scenario ``k`` of a comparison runs with (0 = the base).

    The same seed for all under common random numbers; with ``independent``, an
    unrelated seed per alternative (a SeedSequence child, not ``hash()``).
    """
    if not independent or k == 0:
        return seed
    return int(np.random.SeedSequence([seed, k]).generate_state(1, np.uint32)[0])


def _differences(results: list[Results]) -> pd.DataFrame:
    keys = ["replication", "metric", "subgroup"]
    base = results[0].metrics.set_index(keys)["value"]
    frames = []
    for alt in results[1:]:
        value = alt.metrics.set_index(keys)["value"]
        diff = (value - base.reindex(value.index)).rename("diff").reset_index()
        diff.insert(1, "scenario", alt.scenario.name)
        frames.append(diff)
    return pd.concat(frames, ignore_index=True)


def _table(results: list[Results], differences: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for r in results:
        summary = r.summary.assign(scenario=r.scenario.name, se=r.summary["sd"] / np.sqrt(r.summary["n"]))
        frames.append(summary)
    table = pd.concat(frames, ignore_index=True)
    diff = _by_scenario(differences.rename(columns={"diff": "value"}))
    table = table.merge(diff, on=["scenario", "metric", "subgroup"], how="left")
    columns = [
        "metric", "subgroup", "scenario", "mean", "se", "ci_low", "ci_high",
        "diff_vs_base", "diff_se", "diff_ci_low", "diff_ci_high",
    ]  # fmt: skip
    return table[columns]


def _by_scenario(frame: pd.DataFrame) -> pd.DataFrame:
    """Summarise differences per scenario: mean, SE and 95 % interval of the paired difference."""
    out = []
    for name, group in frame.groupby("scenario", sort=False):
        s = summarise(group.drop(columns="scenario"))
        out.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "metric": s["metric"],
                    "subgroup": s["subgroup"],
                    "diff_vs_base": s["mean"],
                    "diff_se": s["sd"] / np.sqrt(s["n"]),
                    "diff_ci_low": s["ci_low"],
                    "diff_ci_high": s["ci_high"],
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _variance(results: list[Results], differences: pd.DataFrame) -> pd.DataFrame:
    keys = ["metric", "subgroup"]
    base_var = results[0].metrics.groupby(keys)["value"].var()
    rows = []
    for alt in results[1:]:
        alt_var = alt.metrics.groupby(keys)["value"].var()
        paired = differences[differences["scenario"] == alt.scenario.name].groupby(keys)["diff"].var()
        frame = pd.DataFrame({"var_paired": paired, "var_independent": base_var + alt_var}).reset_index()
        frame.insert(0, "scenario", alt.scenario.name)
        rows.append(frame)
    table = pd.concat(rows, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = table["var_paired"] / table["var_independent"]
    return table
