"""Markov check: passes on random and user-supplied chains, detects a perturbed rate."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.verification.markov import (
    MARKOV_STATES,
    check_markov,
    compare_shares,
    generator_matrix,
    markov_scenario,
    random_rates,
    simulate_shares,
)
from sim.experiments.verification.rates import check_rates_file
from sim.experiments.verification.suite import run_checks
from sim.states import ALLOWED, STATE_INDEX, State

pytestmark = pytest.mark.statistical

N = 10_000
MONTHS = (6, 12, 24)


@pytest.fixture(scope="module")
def random_chain(baseline):
    scenario = markov_scenario(baseline, random_rates(7))
    return scenario, simulate_shares(scenario, N, max(MONTHS), seed=3)


def test_random_generators_respect_the_model_structure():
    """Random generators use only allowed transitions among the seven states, and differ by seed."""
    for seed in range(20):
        rates = random_rates(seed)
        assert set(rates) <= set(MARKOV_STATES)
        assert all(d in ALLOWED[o] and d in MARKOV_STATES for o, ds in rates.items() for d in ds)
        assert len(rates[State.ASSISTANCE]) >= 2
    assert random_rates(1) != random_rates(2)


def test_a_random_generator_passes(random_chain):
    """The engine follows a random generator (absorbing states included) within 4 SE."""
    scenario, shares = random_chain
    result = compare_shares("random", shares, N, generator_matrix(scenario), MONTHS)
    assert result.passed, result


@pytest.mark.parametrize("factor", [0.8, 1.25])
def test_a_perturbed_rate_is_detected(random_chain, factor):
    """Scaling the largest rate out of assistance by 0.8 or 1.25 in the reference puts a cell beyond 4 SE."""
    scenario, shares = random_chain
    q = generator_matrix(scenario)
    a = STATE_INDEX[State.ASSISTANCE]
    off = q[a].copy()
    off[a] = 0
    j = int(np.argmax(off))
    q[a, j] *= factor
    q[a, a] = 0
    q[a, a] = -q[a].sum()
    result = compare_shares("perturbed", shares, N, q, MONTHS)
    assert not result.passed and abs(result.z) > 4


def test_a_user_chain_with_labels_of_its_own_passes(baseline, tmp_path):
    """A CSV with the user's labels is mapped onto model states and passes."""
    path = tmp_path / "chain.csv"
    path.write_text("from,to,rate\nwaiting,course,0.2\nwaiting,work,0.05\ncourse,work,0.1\ncourse,waiting,0.1\n")
    result = check_rates_file(path, baseline, N, MONTHS, seed=5)
    assert result.passed, result
    assert "chain.csv" in result.name and "start waiting" in result.name


def test_the_suite_runs_a_user_chain_in_the_markov_group(baseline, tmp_path):
    """run_checks(..., rates_csv=...) adds the user's chain to the Markov checks."""
    path = tmp_path / "chain.csv"
    path.write_text("from,to,rate\nassistance,employment,0.1\nemployment,assistance,0.02\n")
    results = run_checks(True, rates_csv=path, only=["markov"], base=baseline)
    assert [r.name.split(":")[0] for r in results] == ["markov"] * 3
    assert all(r.passed for r in results)


def test_the_baseline_rates_pass(baseline):
    """The baseline's own structure and rates (as in tests/engine) pass at the quick size."""
    assert check_markov("baseline", markov_scenario(baseline), N, MONTHS, seed=11).passed


def test_a_state_without_exits_is_absorbing(baseline):
    """A state with no transitions at all keeps everyone who enters it (the engine once crashed on it)."""
    scenario = markov_scenario(baseline, {State.ASSISTANCE: {State.EMPLOYMENT: 0.2}})
    shares = simulate_shares(scenario, 2_000, 24, seed=1)
    e = STATE_INDEX[State.EMPLOYMENT]
    assert np.all(np.diff(shares[:, e]) >= 0) and shares[24].sum() == pytest.approx(1.0)
    assert compare_shares("absorbing", shares, 2_000, generator_matrix(scenario), (6, 24)).passed
