"""Cost-effectiveness ratios: the Fieller interval covers as it says, and every ratio says which quadrant it is in."""

import numpy as np
import pandas as pd
import pytest

from sim.experiments.public_finances import ratios, reading


def _differences(cost: np.ndarray, work: np.ndarray) -> pd.DataFrame:
    n = cost.size
    return pd.DataFrame({
        "replication": np.tile(np.arange(n), 2), "scenario": "alt", "subgroup": "all",
        "metric": ["net_cost_total_sek"] * n + ["persons_in_work_24m"] * n, "diff": np.concatenate([cost, work]),
    })  # fmt: skip


def _total(table: pd.DataFrame) -> pd.Series:
    return table.query("payer == 'total' and outcome == 'persons_in_work_24m'").iloc[0]


def test_the_fieller_interval_covers_the_true_ratio_95_times_in_100():
    """Fieller's interval is exact for normal differences: over 2 000 simulated comparisons of 10 replications
    with a true ratio of −5 000 SEK per person, it covers the ratio in 95 % of them. Tolerance: three binomial
    Monte Carlo standard errors, 3 × √(0.95 × 0.05 / 2 000) = 0.0146."""
    rng = np.random.default_rng(20261203)
    trials, n, covered = 2000, 10, 0
    for _ in range(trials):
        work = rng.normal(200.0, 60.0, n)
        cost = -5000.0 * 200.0 + rng.normal(0.0, 2e5, n)
        row = _total(ratios(_differences(cost, work)))
        covered += bool(row["ci_low_sek"] <= -5000.0 <= row["ci_high_sek"])
    assert covered / trials == pytest.approx(0.95, abs=3 * np.sqrt(0.95 * 0.05 / trials))


def test_no_bounded_interval_when_the_work_difference_is_not_told_from_zero():
    rng = np.random.default_rng(7)
    row = _total(ratios(_differences(rng.normal(1e6, 1e5, 5), rng.normal(0.0, 50.0, 5))))
    assert np.isnan(row["ci_low_sek"]) and np.isnan(row["ci_high_sek"])


@pytest.mark.parametrize(("cost", "work", "expected"), [
    (-1e6, 100.0, "dominant"),
    (1e6, 100.0, "more_work_costs_more"),
    (-1e6, -100.0, "less_work_saves"),
    (1e6, -100.0, "dominated"),
    (1e6, 0.0, "no_work_difference"),
])  # fmt: skip
def test_every_ratio_says_its_quadrant(cost, work, expected):
    """A negative ratio means a saving with more work but a costly loss of work: the reading tells them apart."""
    assert reading(cost, work) == expected
    row = _total(ratios(_differences(np.full(4, cost) + np.arange(4), np.full(4, work) + 0.01 * np.arange(4))))
    assert row["reading"] == (expected if work else "dominant" if cost < 0 else "more_work_costs_more")
