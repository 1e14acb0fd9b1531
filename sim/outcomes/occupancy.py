"""Who is where, month by month: persons per state and people waiting for each resource.

Example:
    >>> spells = pd.DataFrame({"person_id": [1, 1], "state": [0, 4], "start": [0.0, 1.5],
    ...                        "end": [1.5, 3.0], "next_state": [4, -1]})
    >>> occupancy(spells, 3)[:, [0, 4]].tolist()
    [[1, 0], [1, 0], [0, 1], [0, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.states import CENSORED, STATES

__all__ = ["occupancy", "occupancy_table", "queue_lengths", "wait_summary"]


def occupancy(spells: pd.DataFrame, months: int) -> np.ndarray:
    """Persons in each state at each whole month ``0..months`` (a ``(months+1, n_states)`` array).

    A spell counts at month ``m`` when ``start <= m < end``; a spell censored at
    the horizon counts at the horizon itself too, so the last row is the state at
    the end of the run.
    """
    start = np.ceil(spells["start"].to_numpy())
    end = np.ceil(spells["end"].to_numpy())
    censored = spells["next_state"].to_numpy() == CENSORED
    end = np.where(censored, np.maximum(end, months + 1), end)
    start = np.clip(start, 0, months + 1).astype(np.int64)
    end = np.clip(end, 0, months + 1).astype(np.int64)
    state = spells["state"].to_numpy().astype(np.int64)
    diff = np.zeros((months + 2, len(STATES)), dtype=np.int64)
    np.add.at(diff, (start, state), 1)
    np.add.at(diff, (end, state), -1)
    return np.cumsum(diff, axis=0)[: months + 1]


def occupancy_table(spells: pd.DataFrame, months: int, weight: float) -> pd.DataFrame:
    """:func:`occupancy` as a long table ``month, state, persons`` (national: each person counts ``weight``)."""
    counts = occupancy(spells, months) * weight
    table = pd.DataFrame(counts, columns=[s.value for s in STATES])
    table.insert(0, "month", np.arange(months + 1))
    return table.melt(id_vars="month", var_name="state", value_name="persons")


def queue_lengths(waits: pd.DataFrame, months: int, weight: float) -> pd.DataFrame:
    """People waiting for each resource at each whole month (national, weighted).

    A wait counts at month ``m`` when ``start <= m < end``.

    Returns:
        Long table ``resource, month, waiting``.
    """
    out = []
    grid = np.arange(months + 1)
    for resource, group in waits.groupby("resource", sort=True):
        start = np.sort(group["start"].to_numpy())
        end = np.sort(group["end"].to_numpy())
        waiting = np.searchsorted(start, grid, side="right") - np.searchsorted(end, grid, side="right")
        out.append(pd.DataFrame({"resource": resource, "month": grid, "waiting": waiting * weight}))
    if not out:
        return pd.DataFrame(columns=["resource", "month", "waiting"])
    return pd.concat(out, ignore_index=True)


def wait_summary(waits: pd.DataFrame) -> pd.DataFrame:
    """Number of waits, how many got the resource, and mean wait in months, per resource."""
    if waits.empty:
        return pd.DataFrame(columns=["resource", "waits", "granted", "mean_wait_months"])
    waits = waits.assign(length=waits["end"] - waits["start"])
    out = waits.groupby("resource").agg(
        waits=("length", "size"), granted=("granted", "sum"), mean_wait_months=("length", "mean")
    )
    return out.reset_index()
