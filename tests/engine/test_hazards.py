"""Competing-risk waiting times: sampled against the Weibull's analytic moments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine.hazards import residual_time, weibull_mean

N = 200_000


@pytest.mark.parametrize("rate, shape", [(0.05, 1.0), (0.05, 0.7), (0.2, 1.5)])
def test_sampled_mean_matches_analytic_mean(rate, shape):
    """From duration 0, the mean of sampled times equals Γ(1+1/k)·scale within 4 SE (SE = sd/√N)."""
    draws = np.random.default_rng(1).standard_exponential(N)
    times = np.array([residual_time(e, rate, shape, 0.0) for e in draws])
    se = times.std(ddof=1) / math.sqrt(N)
    assert abs(times.mean() - weibull_mean(rate, shape)) <= 4 * se


def test_residual_time_is_conditional_on_survival():
    """Given survival to d0, P(T > t) = exp(−(H(d0+t) − H(d0))): checked at one t within 4 binomial SE."""
    rate, shape, d0, t = 0.05, 0.7, 24.0, 6.0
    draws = np.random.default_rng(2).standard_exponential(N)
    times = np.array([residual_time(e, rate, shape, d0) for e in draws])

    def cumulative(d: float) -> float:
        return rate * 12 * (d / 12) ** shape

    p = math.exp(-(cumulative(d0 + t) - cumulative(d0)))
    se = math.sqrt(p * (1 - p) / N)
    assert abs((times > t).mean() - p) <= 4 * se


def test_negative_duration_dependence_lengthens_the_remaining_wait():
    """With shape < 1 the hazard falls with duration, so the same draw waits longer after a long spell."""
    assert residual_time(1.0, 0.05, 0.7, 36.0) > residual_time(1.0, 0.05, 0.7, 0.0)
    assert residual_time(1.0, 0.05, 1.0, 36.0) == residual_time(1.0, 0.05, 1.0, 0.0)


def test_zero_rate_never_happens():
    """A destination with rate 0 is never reached."""
    assert residual_time(0.5, 0.0, 1.0, 3.0) == math.inf


def test_a_vanishing_hazard_gives_an_infinite_wait_not_an_overflow():
    """Found by the property tests: rate 2.2e-308 with shape 0.8 overflowed float arithmetic."""
    from sim.engine.hazards import residual_time, residual_time_piecewise

    assert residual_time(1.0, 2.2250738585072014e-308, 0.8, 3.0) == math.inf
    assert residual_time_piecewise(1.0, 2.2250738585072014e-308, 0.8, 3.0, [(0.0, 1.0), (5.0, 2.0)]) == math.inf
