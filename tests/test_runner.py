"""Replications depend on (scenario, seed, replication) alone."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.experiments.runner import run
from sim.experiments.settings import RunSettings
from sim.experiments.summary import summarise

SMALL = dict(replications=2, scale=0.004, months=24)


def test_same_seed_gives_identical_metrics(baseline):
    """Two runs with the same seed produce the same metrics, bit for bit."""
    a = run(baseline, RunSettings(seed=11, **SMALL))
    b = run(baseline, RunSettings(seed=11, **SMALL))
    pd.testing.assert_frame_equal(a.metrics, b.metrics)
    pd.testing.assert_frame_equal(a.costs, b.costs)
    pd.testing.assert_frame_equal(a.occupancy, b.occupancy)


def test_one_or_two_workers_give_identical_results(baseline):
    """Running replications on two worker processes changes nothing in the results."""
    one = run(baseline, RunSettings(seed=5, workers=1, **SMALL))
    two = run(baseline, RunSettings(seed=5, workers=2, **SMALL))
    pd.testing.assert_frame_equal(one.metrics, two.metrics)
    pd.testing.assert_frame_equal(one.occupancy, two.occupancy)


def test_different_seeds_give_different_results(baseline):
    """A different seed is a different sample (the seed is actually used)."""
    a = run(baseline, RunSettings(seed=1, **SMALL))
    b = run(baseline, RunSettings(seed=2, **SMALL))
    assert not a.metrics["value"].equals(b.metrics["value"])


def test_summary_interval_is_the_t_interval():
    """The 95 % interval is mean ± t(0.975, n−1)·sd/√n over replications."""
    table = pd.DataFrame(
        {"replication": [0, 1, 2], "metric": "m", "subgroup": "all", "value": [1.0, 2.0, 6.0]}
    )
    row = summarise(table).iloc[0]
    assert row["mean"] == pytest.approx(3.0)
    half = 4.302652729911275 * row["sd"] / 3**0.5
    assert row["ci_low"] == pytest.approx(3.0 - half)
    assert row["ci_high"] == pytest.approx(3.0 + half)
