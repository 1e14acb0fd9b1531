"""Probabilistic sensitivity analysis: Latin hypercube draws and runs over them."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import UsageError
from sim.experiments.psa import psa, psa_draws
from sim.experiments.settings import RunSettings


def test_draws_are_a_latin_hypercube_and_reproducible(baseline):
    k = 20
    draws = psa_draws([baseline], k, seed=3)
    factors = baseline.distributions()
    for path, distribution in factors.items():
        q = np.sort(distribution.frozen().cdf(draws[path].to_numpy(float)))
        # Exactly one draw in each of the k equal-probability strata.
        assert (np.floor(q * k).astype(int) == np.arange(k)).all(), path
    assert draws.equals(psa_draws([baseline], k, seed=3))
    assert not draws.equals(psa_draws([baseline], k, seed=4))


def test_too_few_draws_are_refused(baseline):
    with pytest.raises(UsageError, match="at least 2"):
        psa_draws([baseline], 1, seed=1)


def test_psa_of_a_comparison_gives_draws_summary_and_probabilities(baseline):
    parallel = baseline.with_changes({"name": "parallel", "policies.pathway.mode": "parallel"})
    found = psa([baseline, parallel], 3, RunSettings(replications=2, scale=0.002, months=24))
    assert set(found.metrics["draw"]) == {0, 1, 2} and set(found.metrics["replication"]) == {0, 1}
    assert set(found.summary["scenario"]) == {"baseline", "parallel"}
    assert found.probability is not None
    assert found.probability["probability_better"].between(0, 1).all()
    # The values of draw d are applied: the draw's scenario differs from the plain one where a factor acts.
    assert (found.draws["policies.pathway.work_factor_parallel"] != 1.3).all()
