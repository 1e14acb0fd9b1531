"""Across replications: means with 95 % t-intervals.

A replication is one independent draw of the whole model, so a metric's
replication values are a sample whose mean has the Student-t interval
``mean ± t(0.975, n − 1) · sd / √n``.

Example:
    >>> t = pd.DataFrame({"replication": [0, 1], "metric": "m", "subgroup": "all", "value": [1.0, 3.0]})
    >>> summarise(t)[["mean", "sd", "n"]].values.tolist()
    [[2.0, 1.4142135623730951, 2.0]]
    >>> round(float(t_half_width(1.0, 4)), 4)
    1.5912
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["summarise", "t_half_width"]


def t_half_width(sd: ArrayLike, n: ArrayLike) -> np.ndarray:
    """Half-width of the 95 % t-interval of a mean of ``n`` values with standard deviation ``sd`` (n ≥ 2)."""
    n = np.asarray(n)
    return stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, sd and 95 % t-interval over replications for each metric and subgroup.

    Args:
        table: ``replication, metric, subgroup, value`` (as ``metrics.csv``).

    Returns:
        ``metric, subgroup, mean, sd, ci_low, ci_high, n`` (no interval with one replication).
    """
    grouped = table.groupby(["metric", "subgroup"], sort=False)["value"]
    out = grouped.agg(mean="mean", sd="std", n="count").reset_index()
    half = pd.Series(t_half_width(out["sd"], out["n"]), index=out.index).where(out["n"] > 1)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out["n"] = out["n"].astype(float)
    return out[["metric", "subgroup", "mean", "sd", "ci_low", "ci_high", "n"]]
