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

Policies make hazards change over time (a reform's start date, a phase of an
activity): :func:`residual_time_piecewise` takes a multiplier that is constant
between breakpoints and walks the cumulative hazard across them.

    >>> residual_time_piecewise(1.0, 0.5, 1.0, 0.0, [(0.0, 0.0), (3.0, 1.0)])
    5.0
"""

from __future__ import annotations

import math

__all__ = ["residual_time", "residual_time_piecewise", "weibull_mean"]


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
    try:
        return 12.0 * math.pow(exp_draw / (12.0 * rate) + base, 1.0 / shape) - elapsed
    except OverflowError:  # a hazard so small that the event lies beyond any horizon
        return math.inf


def weibull_mean(rate: float, shape: float) -> float:
    """Analytic mean time to the event from duration 0 (for tests against samples)."""
    scale = 12.0 * (12.0 * rate) ** (-1.0 / shape)
    return scale * math.gamma(1.0 + 1.0 / shape)


def residual_time_piecewise(
    exp_draw: float,
    rate: float,
    shape: float,
    elapsed: float,
    segments: list[tuple[float, float]],
) -> float:
    """Months until the event when the hazard is multiplied by a step function of time.

    Args:
        exp_draw: a standard exponential draw.
        rate: rate (already multiplied by constant factors).
        shape: the Weibull shape.
        elapsed: months already on the clock at time 0 of ``segments``.
        segments: ``(offset, factor)`` pairs, offsets in months from now, ascending,
            the first at 0; each factor holds until the next offset.
    """
    if rate <= 0.0:
        return math.inf
    remaining = exp_draw
    for i, (offset, factor) in enumerate(segments):
        end = segments[i + 1][0] if i + 1 < len(segments) else math.inf
        if factor <= 0.0:
            continue
        mass = factor * (_cumulative(rate, shape, elapsed + end) - _cumulative(rate, shape, elapsed + offset))
        if remaining <= mass:
            target = _cumulative(rate, shape, elapsed + offset) + remaining / factor
            return _inverse(rate, shape, target) - elapsed
        remaining -= mass
    return math.inf


def _cumulative(rate: float, shape: float, d: float) -> float:
    if d == math.inf:
        return math.inf
    try:
        return rate * 12.0 * (d / 12.0) ** shape if d > 0.0 else 0.0
    except OverflowError:
        return math.inf


def _inverse(rate: float, shape: float, h: float) -> float:
    try:
        return 12.0 * (h / (12.0 * rate)) ** (1.0 / shape)
    except OverflowError:
        return math.inf
