"""Which uncertain parameters move a result: one-way ranges, Morris screening, Sobol indices.

The factors are scenario parameters with a range: by default every parameter
that carries a ``distribution:`` (:mod:`sim.scenario.uncertainty`), or those named
as ``path`` (its distribution) or ``path=LOW:HIGH`` (uniform). Every evaluation
runs the scenario with the factors set (:meth:`Scenario.with_changes`) on the same
seed, so replication ``r`` sees the same people and draws at every point (common
random numbers) and differences between points are the parameters' doing; the
value at a point is the metric's mean over replications (subgroup ``all``).

* :func:`oneway`: each factor at the 2.5 % and 97.5 % quantiles of its distribution
  (its ends when uniform), the others at their values: the swing, as a tornado chart.
* :func:`morris`: elementary effects on a grid (SALib), μ* (mean absolute effect)
  and σ, in the metric's units per unit of the factor's quantile.
* :func:`sobol`: first-order and total Sobol indices (Saltelli sampling and
  Jansen/Sobol estimators in SALib) with bootstrap 95 % intervals; sampling in
  quantile space, mapped through each factor's distribution.

Example:
    >>> import sim
    >>> base = sim.load_scenario("scenarios/baseline.yaml")
    >>> f = factors(base, ["activity.hours_independent_share", "population.frailty_variance=0.3:0.7"])
    >>> [(x.path, x.low, x.high) for x in f]
    [('activity.hours_independent_share', 0.25, 0.75), ('population.frailty_variance', 0.3, 0.7)]
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.errors import ArgumentError
from sim.experiments.execution import map_tasks
from sim.experiments.runner import run
from sim.experiments.settings import RunSettings
from sim.outcomes.catalogue import METRICS, undefined_within
from sim.scenario import Scenario
from sim.scenario.uncertainty import Distribution, parse_distribution

__all__ = ["METHODS", "Factor", "Sensitivity", "factors", "morris", "oneway", "sensitivity", "sobol"]

METHODS = ("oneway", "morris", "sobol")
#: Most Morris trajectories or Sobol base samples (each is a few runs of the model).
MAX_SAMPLES = 65_536
#: Quantiles kept away from 0 and 1 so unbounded distributions give finite values.
_EDGE = 1e-6


@dataclass(frozen=True)
class Factor:
    """An uncertain parameter: its dotted path, its value in the scenario and its distribution."""

    path: str
    value: float
    distribution: Distribution
    integer: bool = False

    @property
    def low(self) -> float:
        """Low end of the one-way range (2.5 % quantile; the lower bound for a uniform)."""
        return self.at(0.0 if self.distribution.kind == "uniform" else 0.025)

    @property
    def high(self) -> float:
        """High end of the one-way range (97.5 % quantile; the upper bound for a uniform)."""
        return self.at(1.0 if self.distribution.kind == "uniform" else 0.975)

    def at(self, quantile: float) -> float:
        """The factor's value at a quantile of its distribution."""
        if self.distribution.kind == "uniform":
            return self.distribution["low"] + quantile * (self.distribution["high"] - self.distribution["low"])
        return self.distribution.ppf(min(max(quantile, _EDGE), 1 - _EDGE))


@dataclass
class Sensitivity:
    """What a sensitivity analysis found.

    Attributes:
        method: ``oneway``, ``morris`` or ``sobol``.
        metric: the metric analysed (subgroup ``all``).
        indices: one row per factor (columns depend on the method), most influential first.
        points: every evaluation: one column per factor path, then ``value`` (the metric).
        settings: the run settings of each evaluation.
        scenario: the scenario analysed (set by :func:`sensitivity`).
        factors: the factors, with their distributions (set by :func:`sensitivity`).
        samples: the Morris trajectories or Sobol base samples asked for (None: the default).
    """

    method: str
    metric: str
    indices: pd.DataFrame
    points: pd.DataFrame
    settings: RunSettings
    scenario: Scenario | None = None
    factors: list[Factor] = field(default_factory=list)
    samples: int | None = None


def factors(scenario: Scenario, params: Sequence[str] | str | None = None) -> list[Factor]:
    """The factors: the scenario's distributions, or the named ``path`` / ``path=LOW:HIGH`` items.

    Raises:
        UsageError: a path the scenario has no number or distribution for, or bad bounds.
    """
    known = scenario.distributions()
    values = {p.path: p for p in scenario.provenance}
    items = [p.strip() for p in (params.split(",") if isinstance(params, str) else params or []) if p.strip()]
    if not items:
        if not known:
            raise ArgumentError("params", f"{scenario.name}: no parameter carries a distribution; name the factors")
        items = list(known)
    out = []
    for item in items:
        path, sep, bounds = item.partition("=")
        if path not in values:
            raise ArgumentError("params", f"'{path}' is not a number in scenario '{scenario.name}'")
        value, integer = _number_at(scenario, path)
        if sep:
            low, _, high = bounds.partition(":")
            try:
                distribution = parse_distribution({"type": "uniform", "low": float(low), "high": float(high)})
            except ValueError as exc:
                raise ArgumentError("params", f"{item}: {exc}") from None
        elif path in known:
            distribution = known[path]
        else:
            raise ArgumentError("params", f"'{path}' has no distribution in the scenario; give its range as {path}=LOW:HIGH")
        out.append(Factor(path, value, distribution, integer))
    if len({f.path for f in out}) != len(out):
        raise ArgumentError("params", "a parameter is named twice")
    return out


def _number_at(scenario: Scenario, path: str) -> tuple[float, bool]:
    node: object = scenario
    for key in path.split("."):
        if isinstance(node, dict):
            node = next((v for k, v in node.items() if str(getattr(k, "value", k)) == key), None)
        elif isinstance(node, (list, tuple)):
            node = node[int(key)]
        else:
            node = getattr(node, key, None)
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        raise ArgumentError("params", f"'{path}' is not a single number in scenario '{scenario.name}'")
    return float(node), isinstance(node, int)


def _evaluate_one(scenario: Scenario, changes: dict[str, float], metric: str, settings: RunSettings) -> float:
    variant = scenario.with_changes(changes) if changes else scenario
    summary = run(variant, settings).summary
    row = summary[(summary["metric"] == metric) & (summary["subgroup"] == "all")]
    return float(row["mean"].iloc[0]) if len(row) else math.nan


def evaluate(
    scenario: Scenario,
    chosen: Sequence[Factor],
    points: np.ndarray,
    metric: str,
    settings: RunSettings,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """The metric at each row of ``points`` (factor values in the order of ``chosen``), in parallel."""
    serial = settings.in_one_process()
    tasks = [(scenario, {f.path: _typed(f, x) for f, x in zip(chosen, row)}, metric, serial) for row in points]
    return np.array(map_tasks(_evaluate_one, tasks, settings.execution, progress), dtype=float)


def _typed(factor: Factor, x: float) -> float:
    return float(round(x)) if factor.integer else float(x)


def oneway(scenario: Scenario, chosen: Sequence[Factor], metric: str, settings: RunSettings,
           progress: Callable[[int, int], None] | None = None) -> Sensitivity:  # fmt: skip
    """Each factor alone at its low and high end; the rest at their values."""
    base = np.array([[f.value for f in chosen]])
    rows = [base[0]]
    for i, f in enumerate(chosen):
        for end in (f.low, f.high):
            row = base[0].copy()
            row[i] = end
            rows.append(row)
    points = np.array(rows)
    y = evaluate(scenario, chosen, points, metric, settings, progress)
    table = pd.DataFrame({
        "path": [f.path for f in chosen], "value": [f.value for f in chosen],
        "low": [f.low for f in chosen], "high": [f.high for f in chosen],
        "metric_at_value": y[0], "metric_at_low": y[1::2], "metric_at_high": y[2::2],
    })  # fmt: skip
    table["swing"] = (table["metric_at_high"] - table["metric_at_low"]).abs()
    table = table.sort_values("swing", ascending=False, ignore_index=True)
    return Sensitivity("oneway", metric, table, _points(chosen, points, y), settings)


def morris(scenario: Scenario, chosen: Sequence[Factor], metric: str, settings: RunSettings,
           trajectories: int = 10, levels: int = 4, seed: int = 0,
           progress: Callable[[int, int], None] | None = None) -> Sensitivity:  # fmt: skip
    """Morris elementary effects (SALib) over the factors' quantiles."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = _problem(chosen)
    u = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    points = _values(chosen, u)
    y = evaluate(scenario, chosen, points, metric, settings, progress)
    found = analyze.analyze(problem, u, y, num_levels=levels, seed=seed)
    table = pd.DataFrame({
        "path": [f.path for f in chosen], "mu_star": found["mu_star"], "mu_star_conf": found["mu_star_conf"],
        "mu": found["mu"], "sigma": found["sigma"],
    }).sort_values("mu_star", ascending=False, ignore_index=True)  # fmt: skip
    return Sensitivity("morris", metric, table, _points(chosen, points, y), settings)


def sobol(scenario: Scenario, chosen: Sequence[Factor], metric: str, settings: RunSettings,
          samples: int = 64, seed: int = 0,
          progress: Callable[[int, int], None] | None = None) -> Sensitivity:  # fmt: skip
    """First-order and total Sobol indices (SALib, Saltelli sampling, N × (d + 2) evaluations)."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = _problem(chosen)
    u = sample.sample(problem, samples, calc_second_order=False, seed=seed)
    points = _values(chosen, u)
    y = evaluate(scenario, chosen, points, metric, settings, progress)
    found = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    table = pd.DataFrame({
        "path": [f.path for f in chosen], "S1": found["S1"], "S1_conf": found["S1_conf"],
        "ST": found["ST"], "ST_conf": found["ST_conf"],
    }).sort_values("ST", ascending=False, ignore_index=True)  # fmt: skip
    return Sensitivity("sobol", metric, table, _points(chosen, points, y), settings)


def sensitivity(
    scenario: Scenario,
    method: str,
    metric: str,
    params: Sequence[str] | str | None = None,
    settings: RunSettings | None = None,
    samples: int | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Sensitivity:
    """Run one method on the scenario's factors (see the module docstring).

    Args:
        samples: Morris trajectories (default 10) or Sobol base samples N (default 64, a power of 2).

    Raises:
        UsageError: an unknown method or metric, or bad factors.
    """
    if method not in METHODS:
        raise ArgumentError("method", f"expected one of {', '.join(METHODS)} (got '{method}')")
    if metric not in METRICS:
        raise ArgumentError("metric", f"unknown metric '{metric}'; known: {', '.join(METRICS)}")
    if samples is not None and not 1 <= samples <= MAX_SAMPLES:
        raise ArgumentError("samples", f"must be from 1 to {MAX_SAMPLES} (got {samples})" if samples > 0
                            else f"must be at least 1 (got {samples})")  # fmt: skip
    chosen = factors(scenario, params)
    resolved = (settings or RunSettings()).resolved(scenario)
    assert resolved.months is not None
    why = undefined_within(metric, scenario.simulation.start_date, resolved.months)
    if why:
        raise ArgumentError("metric", f"{why}; analyse another metric or a longer run")
    if method == "oneway":
        found = oneway(scenario, chosen, metric, resolved, progress)
    elif method == "morris":
        found = morris(scenario, chosen, metric, resolved, samples or 10, seed=seed, progress=progress)
    else:
        if samples is not None and samples & (samples - 1):
            raise ArgumentError("samples", f"Sobol sampling needs a power of 2 (got {samples})")
        found = sobol(scenario, chosen, metric, resolved, samples or 64, seed=seed, progress=progress)
    return dataclasses.replace(found, scenario=scenario, factors=list(chosen), samples=samples)


def _problem(chosen: Sequence[Factor]) -> dict[str, object]:
    return {"num_vars": len(chosen), "names": [f.path for f in chosen], "bounds": [[0.0, 1.0]] * len(chosen)}


def _values(chosen: Sequence[Factor], u: np.ndarray) -> np.ndarray:
    return np.column_stack([[f.at(q) for q in u[:, i]] for i, f in enumerate(chosen)])


def _points(chosen: Sequence[Factor], points: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(points, columns=[f.path for f in chosen])
    frame["value"] = y
    return frame
