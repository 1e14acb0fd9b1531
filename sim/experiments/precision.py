"""Decision-grade comparisons: add replications until every named difference is as precise as asked.

A precision target ``{metric: half-width}`` asks that the 95 % interval of every
alternative's mean difference from the base (subgroup ``all``) be at most that
half-width on either side. :func:`half_widths` measures it; :func:`next_total` says
how many replications the widest one needs by the 1/√n law.

Example:
    >>> d = pd.DataFrame({"replication": [0, 1, 2], "scenario": "alt", "metric": "employment_rate_24m",
    ...                   "subgroup": "all", "diff": [0.01, 0.02, 0.03]})
    >>> half_widths(d, {"employment_rate_24m": 0.05})[["half_width", "met"]].round(4).values.tolist()
    [[0.0248, True]]
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.errors import ArgumentError
from sim.experiments.summary import t_half_width
from sim.outcomes.catalogue import METRICS
from sim.scenario.schema import MAX_REPLICATIONS

__all__ = ["DEFAULT_MAX_REPLICATIONS", "PRECISION_COLUMNS", "check_precision", "half_widths", "next_total"]

#: Most replications per scenario a precision target may add up to.
DEFAULT_MAX_REPLICATIONS = 200
PRECISION_COLUMNS = ["round", "replications", "scenario", "metric", "target_half_width", "half_width", "met"]


def check_precision(precision: Mapping[str, float] | None, max_replications: int = DEFAULT_MAX_REPLICATIONS) -> None:
    """Refuse a target on an unknown metric, a half-width that is not a positive number, or too few replications.

    Raises:
        ArgumentError: naming ``precision`` or ``max_replications``.
    """
    if not precision:
        return
    for metric, value in precision.items():
        if metric not in METRICS:
            close = difflib.get_close_matches(metric, METRICS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(METRICS)}"
            raise ArgumentError("precision", f"unknown metric '{metric}'{hint}")
        if not value > 0 or math.isinf(value):
            raise ArgumentError("precision", f"the half-width of {metric} must be a positive number (got {value})")
    if max_replications < 2:
        raise ArgumentError("max_replications", f"must be at least 2 (got {max_replications})")
    if max_replications > MAX_REPLICATIONS:
        raise ArgumentError("max_replications", f"must be at most {MAX_REPLICATIONS} (got {max_replications})")


def half_widths(differences: pd.DataFrame, precision: Mapping[str, float]) -> pd.DataFrame:
    """Half-width of the 95 % t-interval of each alternative's mean difference (subgroup ``all``).

    Returns:
        ``scenario, metric, target_half_width, half_width, met`` (NaN half-width, not met,
        where the metric has fewer than two finite paired values).
    """
    rows = []
    chosen = differences[(differences["subgroup"] == "all") & differences["metric"].isin(list(precision))]
    for (scenario, metric), group in chosen.groupby(["scenario", "metric"], sort=False):
        values = group["diff"].to_numpy(float)
        values = values[np.isfinite(values)]
        n = values.size
        half = float(t_half_width(values.std(ddof=1), n)) if n > 1 else math.nan
        target = float(precision[str(metric)])
        rows.append({"scenario": scenario, "metric": metric, "target_half_width": target,
                     "half_width": half, "met": bool(half <= target)})  # fmt: skip
    return pd.DataFrame(rows, columns=["scenario", "metric", "target_half_width", "half_width", "met"])


def next_total(widths: pd.DataFrame, n: int, most: int) -> int:
    """Replications to run in all: enough for the widest ratio by the 1/√n law, plus 10 %, at least 2 more."""
    ratio = (widths["half_width"] / widths["target_half_width"]).fillna(2.0).max()
    wanted = math.ceil(n * float(ratio) ** 2 * 1.1)
    return int(min(most, max(wanted, n + 2)))
