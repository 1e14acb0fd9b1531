"""Time to work: each person's first time in work, and the Kaplan–Meier estimate of the time until it.

Time runs from the person's entry (0 for those on assistance at the start); a
person never in work before the horizon is censored there. Every share is
weighted by the national households each simulated one stands for.

Example:
    >>> km_curve([1, 2, 3, 4], [1, 1, 0, 1], at=[0, 1.5, 4]).round(3).tolist()
    [1.0, 0.75, 0.0]
    >>> km_median([2.0, 3.0, 5.0, 6.0, 8.0, 9.0], [1, 0, 1, 0, 1, 0])
    8.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sim.outcomes.catalogue import subgroup_masks
from sim.states import WORK_STATES, code_array

__all__ = ["kaplan_meier", "km_curve", "km_median", "time_to_work", "work_survival"]

_WORK = code_array(*WORK_STATES)


def kaplan_meier(
    time: ArrayLike, event: ArrayLike, weight: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Kaplan–Meier estimate: distinct times, survival just after each, and the (weighted) events at each.

    Censored observations are at risk at their own time.
    """
    time = np.asarray(time, dtype=float)
    weight = np.ones_like(time) if weight is None else np.asarray(weight, dtype=float)
    times, inverse = np.unique(time, return_inverse=True)
    deaths = np.bincount(inverse, weights=weight * np.asarray(event, dtype=bool), minlength=times.size)
    at_risk = np.bincount(inverse, weights=weight, minlength=times.size)[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - deaths / at_risk, 1.0)
    return times, np.cumprod(factor), deaths


def km_curve(time: ArrayLike, event: ArrayLike, at: ArrayLike, weight: ArrayLike | None = None) -> np.ndarray:
    """Kaplan–Meier survival S(t) evaluated at the times ``at`` (right-continuous)."""
    times, survival, _ = kaplan_meier(time, event, weight)
    index = np.searchsorted(times, np.asarray(at, dtype=float), side="right") - 1
    return np.where(index >= 0, survival[np.maximum(index, 0)], 1.0)


def km_median(time: ArrayLike, event: ArrayLike, weight: ArrayLike | None = None) -> float:
    """Kaplan–Meier median: the first event time at which survival falls to 0.5 or below.

    Returns NaN if survival never falls to 0.5.
    """
    times, survival, deaths = kaplan_meier(time, event, weight)
    reached = np.flatnonzero((survival <= 0.5 + 1e-12) & (deaths > 0))
    return float(times[reached[0]]) if reached.size else float("nan")


def time_to_work(spells: pd.DataFrame, persons: pd.DataFrame, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Months from entry to the first time in work, and whether it came before the horizon (rows of ``persons``).

    Work is employment or subsidised employment; a person not in work by the
    horizon has the time to the horizon (censored).
    """
    ids = persons["person_id"].to_numpy(np.int64)
    entry = persons["entry_time"].to_numpy(float)
    work = spells[np.isin(spells["state"], _WORK) & (spells["start"] < horizon)]
    first = work.groupby("person_id")["start"].min().reindex(ids).to_numpy()
    worked = ~np.isnan(first)
    return np.where(worked, first, horizon) - entry, worked


def work_survival(spells: pd.DataFrame, persons: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """Share not yet in work by whole months since entry (Kaplan–Meier, censored at the horizon).

    Returns:
        Long table ``subgroup, month, not_in_work``.
    """
    time, worked = time_to_work(spells, persons, horizon)
    weight = persons["weight"].to_numpy(float)
    months = np.arange(int(np.floor(horizon)) + 1)
    frames = [
        pd.DataFrame(
            {"subgroup": name, "month": months, "not_in_work": km_curve(time[m], worked[m], months, weight[m])}
        )
        for name, m in subgroup_masks(persons).items()
        if m.any()
    ]
    if not frames:
        return pd.DataFrame(columns=["subgroup", "month", "not_in_work"])
    return pd.concat(frames, ignore_index=True)
