"""Sensitivity analysis: factors, and the three methods against analytic answers.

The method tests replace the model by a known function of the factors (through
``sim.sensitivity.evaluate``) so that the indices have exact values: for
``y = a·x1 + b·x2`` with independent uniform factors, S1 = ST = a²·var1 / (a²·var1 + b²·var2)
and the Morris μ* of a factor is |coefficient| × its range. Tolerances: Sobol, the
bootstrap 95 % interval SALib reports widened ×2 (about 4 SE); Morris is exact for a linear function.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import UsageError
from sim.experiments import sensitivity as sens
from sim.experiments.settings import RunSettings

PATHS = ["activity.hours_independent_share", "policies.pathway.work_factor_parallel"]
COEF = {PATHS[0]: 2.0, PATHS[1]: -1.0}


@pytest.fixture
def linear(monkeypatch):
    """The model replaced by y = 2·x1 − 1·x2."""

    def fake(scenario, chosen, points, metric, settings, progress=None):
        return np.array([sum(COEF[f.path] * x for f, x in zip(chosen, row)) for row in points])

    monkeypatch.setattr(sens, "evaluate", fake)


def test_factors_default_to_the_scenarios_distributions_and_accept_ranges(baseline):
    chosen = sens.factors(baseline)
    assert {f.path for f in chosen} == set(baseline.distributions())
    (frailty,) = sens.factors(baseline, "population.frailty_variance=0.2:0.8")
    assert (frailty.low, frailty.high, frailty.value) == (0.2, 0.8, baseline.population.frailty_variance)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ("population.frailty_variance", "has no distribution"),
        ("population.nonsense", "is not a number"),
        ("population.frailty_variance=0.8:0.2", "low must be below high"),
    ],
)
def test_bad_factors_are_refused(baseline, params, words):
    with pytest.raises(UsageError, match=words):
        sens.factors(baseline, params)


def test_sobol_indices_of_a_linear_function_match_the_analytic_values(baseline, linear):
    chosen = sens.factors(baseline, PATHS)
    found = sens.sobol(baseline, chosen, "employment_rate_24m", RunSettings().resolved(baseline), samples=1024)
    variance = {f.path: COEF[f.path] ** 2 * (f.high - f.low) ** 2 / 12 for f in chosen}
    total = sum(variance.values())
    for row in found.indices.itertuples():
        exact = variance[row.path] / total
        assert abs(row.S1 - exact) <= 2 * row.S1_conf + 1e-9, (row.path, row.S1, exact)
        assert abs(row.ST - exact) <= 2 * row.ST_conf + 1e-9, (row.path, row.ST, exact)
    assert len(found.points) == 1024 * (len(chosen) + 2)


def test_morris_mu_star_of_a_linear_function_is_coefficient_times_range(baseline, linear):
    chosen = sens.factors(baseline, PATHS)
    found = sens.morris(baseline, chosen, "employment_rate_24m", RunSettings().resolved(baseline), trajectories=6)
    for row in found.indices.itertuples():
        factor = next(f for f in chosen if f.path == row.path)
        assert row.mu_star == pytest.approx(abs(COEF[row.path]) * (factor.high - factor.low))
        assert row.sigma == pytest.approx(0.0, abs=1e-9)


def test_oneway_on_the_model_ranks_a_factor_without_effect_last(baseline):
    settings = RunSettings(replications=1, scale=0.002, months=24).resolved(baseline)
    chosen = sens.factors(baseline, [PATHS[0], "policies.pathway.parallel_extra_cost_per_month"])
    found = sens.oneway(baseline, chosen, "employment_rate_24m", settings)
    assert found.indices["path"].iloc[-1] == "policies.pathway.parallel_extra_cost_per_month"
    assert found.indices["swing"].iloc[-1] == 0.0  # a cost changes no path (common random numbers)
    assert len(found.points) == 1 + 2 * len(chosen)
