"""What a verification check reports, and the batch-means standard errors the checks share.

A check compares something the engine produced (``observed``) with what the
mathematics says it should be (``expected``). Statistical checks give a standard
error and pass when ``|z| = |observed − expected| / se`` is at most ``tolerance``
(4 throughout: a false alarm about once in 16 000 cells under normality).
Exact checks (identities) have no standard error and pass when the relative
difference is at most ``tolerance``.

Batch means: a time-average over one long run of a correlated process (a queue,
a population in steady state) has no simple variance formula. Cut the window into
``B`` batches of equal length, each much longer than the process's correlation
time; the batch averages are then nearly independent, and
``sd(batch averages) / sqrt(B)`` is the standard error of their mean.

Example:
    >>> r = z_check("demo", observed=1.02, expected=1.0, se=0.01)
    >>> r.passed, round(r.z, 6)
    (True, 2.0)
    >>> exact_check("sum", 10.0, 10.0 + 1e-12).passed
    True
    >>> round(batch_se(np.array([1.0, 2.0, 3.0])), 6)
    0.57735
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["CheckResult", "Z_LIMIT", "z_check", "exact_check", "batch_se", "ratio_batch_se", "batch_edges"]

#: A statistical check passes when |z| ≤ this.
Z_LIMIT = 4.0
#: Relative tolerance of identities computed in floating point.
EXACT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CheckResult:
    """One line of the verification table.

    Attributes:
        name: what was checked, e.g. ``"queues: Wq (Erlang C)"``.
        observed: the engine's value.
        expected: the value the mathematics gives.
        se: standard error of ``observed`` (None for an exact identity).
        z: ``(observed − expected) / se`` (for a multi-cell check the cell with the largest |z|).
        tolerance: the |z| limit, or the relative tolerance of an identity.
        passed: whether the check passed.
        detail: one line on where the worst cell is, or what was compared.
        rule_text: the pass rule in words when the default (from ``se`` and ``tolerance``) does not fit.
    """

    name: str
    observed: float
    expected: float
    se: float | None
    z: float | None
    tolerance: float
    passed: bool
    detail: str = ""
    rule_text: str = ""

    @property
    def rule(self) -> str:
        """The pass rule in words, e.g. ``|z| <= 4``."""
        if self.rule_text:
            return self.rule_text
        if self.se is None:
            return f"rel <= {self.tolerance:g}"
        return f"|z| <= {self.tolerance:g}"


def z_check(
    name: str, observed: float, expected: float, se: float, detail: str = "", limit: float = Z_LIMIT
) -> CheckResult:
    """A statistical comparison: pass when ``|observed − expected| <= limit · se``."""
    diff = observed - expected
    z = diff / se if se > 0 else (0.0 if diff == 0 else math.copysign(math.inf, diff))
    passed = bool(math.isfinite(observed) and abs(z) <= limit)
    return CheckResult(name, float(observed), float(expected), float(se), float(z), limit, passed, detail)


def exact_check(
    name: str, observed: float, expected: float, detail: str = "", tolerance: float = EXACT_TOLERANCE
) -> CheckResult:
    """An identity: pass when ``|observed − expected| <= tolerance · max(1, |expected|)``."""
    gap = abs(observed - expected)
    passed = bool(math.isfinite(observed) and gap <= tolerance * max(1.0, abs(expected)))
    return CheckResult(name, float(observed), float(expected), None, None, tolerance, passed, detail)


def batch_edges(start: float, end: float, batches: int) -> np.ndarray:
    """``batches + 1`` equally spaced edges from ``start`` to ``end``."""
    return np.linspace(start, end, batches + 1)


def batch_se(means: np.ndarray) -> float:
    """Standard error of the mean of (nearly independent) batch means: ``sd / sqrt(B)``."""
    b = means.size
    if b < 2:
        return math.inf
    return float(np.std(means, ddof=1) / math.sqrt(b))


def ratio_batch_se(totals: np.ndarray, counts: np.ndarray) -> float:
    """Standard error of ``sum(totals) / sum(counts)`` from per-batch totals and counts.

    The ratio estimator's delta-method variance from batches:
    ``sum((S_b − R N_b)^2) / (B (B − 1) mean(N)^2)`` with ``R`` the overall ratio.
    """
    b = totals.size
    if b < 2 or counts.sum() == 0:
        return math.inf
    ratio = totals.sum() / counts.sum()
    resid = totals - ratio * counts
    return float(math.sqrt((resid**2).sum() / (b * (b - 1))) / counts.mean())
