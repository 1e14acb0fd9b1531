"""The vectorised twin against the exact Markov solution and against the SimPy engine.

Tolerances: occupancy counts of N independent persons are Binomial(N, p), so a share
has SE sqrt(p(1 − p)/N); the twin is compared with expm cell by cell at |z| <= 4
(sim.verification.markov.compare_shares). Twin against engine: two independent
samples of N each, SE of the difference sqrt(2 p(1 − p)/N) with p the exact value;
every cell must be within 4 SE (about 0.2 % false-alarm chance over the 32 cells).
"""

from __future__ import annotations

import numpy as np

from sim.engine.twin import simulate_chain
from sim.experiments.verification.markov import compare_shares, generator_matrix, markov_scenario, simulate_shares
from sim.states import STATE_INDEX, State

N = 40_000
MONTHS = (6, 12, 24, 48)


def test_twin_matches_the_exact_solution_of_the_baseline_chain(baseline):
    q = generator_matrix(markov_scenario(baseline))
    run = simulate_chain(q, N, max(MONTHS), np.random.default_rng(11), initial=STATE_INDEX[State.ASSISTANCE])
    assert (run.occupancy.sum(axis=1) == N).all()
    check = compare_shares("twin", run.occupancy / N, N, q, MONTHS)
    assert check.passed, check


def test_twin_detects_a_doubled_rate(baseline):
    """Power: the same check fails when the twin runs a chain whose exit to work is twice as fast."""
    q = generator_matrix(markov_scenario(baseline))
    wrong = q.copy()
    a, e = STATE_INDEX[State.ASSISTANCE], STATE_INDEX[State.EMPLOYMENT]
    wrong[a, e] *= 2
    wrong[a, a] = -(wrong[a].sum() - wrong[a, a])
    run = simulate_chain(wrong, N, max(MONTHS), np.random.default_rng(11), initial=a)
    assert not compare_shares("twin", run.occupancy / N, N, q, MONTHS).passed


def test_twin_agrees_with_the_simpy_engine_on_a_queue_free_chain(baseline):
    from scipy.linalg import expm

    scenario = markov_scenario(baseline)
    q = generator_matrix(scenario)
    engine = simulate_shares(scenario, N, max(MONTHS), seed=5)
    twin = simulate_chain(q, N, max(MONTHS), np.random.default_rng(5), initial=STATE_INDEX[State.ASSISTANCE])
    p0 = np.zeros(q.shape[0])
    p0[STATE_INDEX[State.ASSISTANCE]] = 1.0
    for month in MONTHS:
        exact = p0 @ expm(q * month)
        se = np.sqrt(np.maximum(2 * exact * (1 - exact) / N, 1e-12))
        z = (twin.occupancy[month] / N - engine[month]) / se
        assert np.abs(z).max() <= 4, (month, z)
