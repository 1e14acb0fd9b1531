"""The engine against the exact solution of a continuous-time Markov chain (sim.verification.markov)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.verification.markov import (
    check_markov,
    compare_shares,
    generator_matrix,
    markov_scenario,
    simulate_shares,
)
from sim.states import STATE_INDEX, State

pytestmark = pytest.mark.statistical

N_PERSONS = 40_000
CHECK_MONTHS = (6, 12, 24, 60)


def test_occupancy_matches_expm_within_monte_carlo_error(baseline):
    """With constant hazards and no limits, the share in every state at months 6/12/24/60 equals P(0)·expm(Qt).

    Each person follows the chain independently, so the count in state j at month t
    is Binomial(N, p_j(t)); SE = sqrt(p(1-p)/N) with p the analytic value, and every
    cell must lie within 4 SE (8 states × 4 months = 32 cells).
    """
    scenario = markov_scenario(baseline)
    q = generator_matrix(scenario)
    assert (q != 0).any(axis=1).sum() >= 5, "the check needs a generator with at least five active states"
    result = check_markov("baseline", scenario, N_PERSONS, CHECK_MONTHS, seed=12345)
    assert result.passed, f"{result.detail}: simulated {result.observed:.4f} vs exact {result.expected:.4f} (z = {result.z:.2f})"


def test_a_wrong_rate_is_detected(baseline):
    """The check has power: doubling one rate in the analytic reference puts some cell beyond 4 SE."""
    scenario = markov_scenario(baseline)
    shares = simulate_shares(scenario, N_PERSONS, 12, seed=12345)
    q = generator_matrix(scenario)
    a, e = STATE_INDEX[State.ASSISTANCE], STATE_INDEX[State.EMPLOYMENT]
    q[a, e] *= 2
    np.fill_diagonal(q, 0)
    np.fill_diagonal(q, -q.sum(axis=1))
    assert not compare_shares("doubled", shares, N_PERSONS, q, (12,)).passed
