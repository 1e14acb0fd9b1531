"""The engine against the exact solution of a continuous-time Markov chain."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from sim.engine.model import Model
from sim.engine.spells import occupancy
from sim.rng import Streams
from sim.states import STATE_INDEX, STATES, State
from tests.conftest import markov_variant

pytestmark = pytest.mark.statistical

N_PERSONS = 40_000
MONTHS = 60
CHECK_MONTHS = (6, 12, 24, 60)
Z = 4.0


def generator_matrix(scenario) -> np.ndarray:
    """Q from the scenario's constant hazards (rate per month = hazard)."""
    q = np.zeros((len(STATES), len(STATES)))
    for origin, destinations in scenario.transitions.items():
        for dest, spec in destinations.items():
            q[STATE_INDEX[origin], STATE_INDEX[dest]] = spec.rate
    np.fill_diagonal(q, -q.sum(axis=1))
    return q


def test_occupancy_matches_expm_within_monte_carlo_error(baseline):
    """With constant hazards and no limits, the share in every state at months 6/12/24/60 equals P(0)·expm(Qt).

    Each person follows the chain independently, so the count in state j at month t
    is Binomial(N, p_j(t)); SE = sqrt(p(1-p)/N) with p the analytic value, and every
    cell must lie within 4 SE (7 states × 4 months = 28 cells).
    """
    scenario = markov_variant(baseline)
    scale = N_PERSONS / scenario.population.initial_households
    q = generator_matrix(scenario)
    assert (q != 0).any(axis=1).sum() >= 5, "the check needs a generator with at least five active states"
    output = Model(scenario, Streams(12345, 0), scale=scale, horizon=MONTHS).run()
    n = output.population.size
    assert n == N_PERSONS
    shares = occupancy(output.spells, MONTHS) / n
    p0 = np.zeros(len(STATES))
    p0[0] = 1.0  # everyone starts on assistance
    for month in CHECK_MONTHS:
        exact = p0 @ expm(q * month)
        se = np.sqrt(np.maximum(exact * (1 - exact), 1e-12) / n)
        z = np.abs(shares[month] - exact) / se
        worst = int(np.argmax(z))
        assert z.max() <= Z, (
            f"month {month}: {STATES[worst].value} simulated {shares[month][worst]:.4f} "
            f"vs exact {exact[worst]:.4f} (z = {z.max():.2f})"
        )


def test_a_wrong_rate_is_detected(baseline):
    """The check has power: doubling one rate in the analytic reference puts some cell beyond 4 SE."""
    scenario = markov_variant(baseline)
    scale = N_PERSONS / scenario.population.initial_households
    q = generator_matrix(scenario)
    a, e = STATE_INDEX[State.ASSISTANCE], STATE_INDEX[State.EMPLOYMENT]
    q[a, e] *= 2
    np.fill_diagonal(q, 0)
    np.fill_diagonal(q, -q.sum(axis=1))
    output = Model(scenario, Streams(12345, 0), scale=scale, horizon=12).run()
    n = output.population.size
    shares = occupancy(output.spells, 12)[12] / n
    exact = expm(q * 12)[a]
    se = np.sqrt(np.maximum(exact * (1 - exact), 1e-12) / n)
    assert (np.abs(shares - exact) / se).max() > Z
