"""M/M/c check: Erlang C itself, the engine against it, and power against wrong inputs."""

from __future__ import annotations

import math

import pytest

from sim.engine.model import Model
from sim.experiments.verification.queues import (
    QueueDesign,
    compare_queue,
    erlang_c,
    mmc,
    queue_scenario,
    queue_statistics,
)
from sim.rng import Streams

pytestmark = pytest.mark.statistical

DESIGN = QueueDesign(window=2_000.0)


@pytest.fixture(scope="module")
def stats(baseline):
    scenario = queue_scenario(baseline, DESIGN)
    output = Model(scenario, Streams(99, 0), scale=DESIGN.scale, horizon=DESIGN.horizon).run()
    return queue_statistics(output, DESIGN.warmup, DESIGN.warmup + DESIGN.window)


def test_erlang_c_known_values():
    """M/M/1: P(wait) = ρ; M/M/2: 2ρ²/(1+ρ); a textbook value; an unstable queue is refused."""
    assert math.isclose(erlang_c(1, 0.7), 0.7)
    rho = 0.6
    assert math.isclose(erlang_c(2, 2 * rho), 2 * rho**2 / (1 + rho))
    assert math.isclose(erlang_c(10, 8.0), 0.409, abs_tol=5e-4)
    assert math.isclose(mmc(17, 1, 20)["lq"], 17 * mmc(17, 1, 20)["wq"])
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(3, 3.0)


def test_the_scenario_is_an_mmc_queue(baseline):
    """Capacities and inflow are national: c/scale places and 12λ/scale households a year."""
    scenario = queue_scenario(baseline, DESIGN)
    assert scenario.capacity.municipal_activity_places == round(DESIGN.c / DESIGN.scale)
    assert scenario.capacity.caseworkers is None and scenario.caseworker.decision_delay_months == 0
    assert math.isclose(scenario.population.inflow_per_year * DESIGN.scale / 12, DESIGN.lam)


def test_the_engine_matches_erlang_c(stats):
    """P(wait), Wq and Lq lie within 4 batch-means SE of Erlang C."""
    results = compare_queue(stats, DESIGN.lam, DESIGN.mu, DESIGN.c)
    assert all(r.passed for r in results), results
    assert stats.arrivals > 30_000


@pytest.mark.parametrize(("lam", "mu", "c"), [(17.0, 1.0, 19), (17.0, 1.0, 21), (17.0, 0.95, 20), (16.0, 1.0, 20)])
def test_wrong_erlang_c_inputs_are_detected(stats, lam, mu, c):
    """One place more or less, service 5 % slower, or arrivals 6 % fewer in the reference: some check fails."""
    results = compare_queue(stats, lam, mu, c)
    assert not all(r.passed for r in results)
