"""Competing-risk waiting times under Weibull hazards with a running clock.

The cumulative hazard of one destination after ``d`` months is
``H(d) = m · r · 12 · (d / 12) ** k`` (rate ``r`` = mean monthly hazard over the
first year, shape ``k``, proportional multiplier ``m``). A person who has already
spent ``d0`` months has not yet left, so the residual time ``T`` solves
``H(d0 + T) − H(d0) = E`` with ``E ~ Exp(1)``:

    T = 12 · (E / (12 m r) + (d0 / 12) ** k) ** (1 / k) − d0.

With ``k = 1`` this is ``E / (m r)``, the exponential (Markov) case.

Example:
    >>> residual_time(1.0, rate=0.5, shape=1.0, elapsed=7.0)
    2.0
    >>> round(residual_time(1.0, rate=1 / 12, shape=0.5, elapsed=0.0), 6)
    12.0
"""

from __future__ import annotations

import math

__all__ = ["residual_time", "weibull_mean"]


def residual_time(exp_draw: float, rate: float, shape: float, elapsed: float) -> float:
    """Months until the event, given ``elapsed`` months already survived.

    Args:
        exp_draw: a standard exponential draw.
        rate: multiplier × rate (mean monthly hazard over the first year).
        shape: the Weibull shape ``k``.
        elapsed: months already spent on the clock.
    """
    if rate <= 0.0:
        return math.inf
    if shape == 1.0:
        return exp_draw / rate
    base = (elapsed / 12.0) ** shape if elapsed > 0.0 else 0.0
    return 12.0 * (exp_draw / (12.0 * rate) + base) ** (1.0 / shape) - elapsed


def weibull_mean(rate: float, shape: float) -> float:
    """Analytic mean time to the event from duration 0 (for tests against samples)."""
    scale = 12.0 * (12.0 * rate) ** (-1.0 / shape)
    return scale * math.gamma(1.0 + 1.0 / shape)
