"""Riksnormen: the national norm for living costs by household, per calendar month.

Assistance (försörjningsstöd) is the gap between a household's norm plus rent and
its income, so the norm must follow the household as its children grow older and
as the dated amounts change. Everything here works on whole arrays of
person-month rows; dated amounts are evaluated once per calendar month
(:class:`~sim.rules.calendar.Calendar`) and indexed by month, never once per row.

Example:
    >>> from datetime import date
    >>> from sim.rules.calendar import Calendar
    >>> child_ages(pd.DataFrame({"month": [0, 12], "entry_time": [0.0, 0.0], "child_age_1": [2.0, 2.0]}))[:, 0]
    array([2.04166667, 3.04166667])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sim.rules.calendar import Calendar
from sim.scenario.schema import Norm

__all__ = ["ADULTS", "MAX_CHILDREN", "NORM_CHILD_AGE_LIMIT", "child_ages", "child_columns", "child_personal_costs", "household_norm"]

#: Adults in each household type; ``adult_couple`` is the amount for both adults.
ADULTS: dict[str, int] = {"single": 1, "single_parent": 1, "couple": 2, "couple_children": 2}
#: Child columns ``child_age_1`` .. ``child_age_<MAX_CHILDREN>`` in the persons table.
MAX_CHILDREN = 4
#: Children aged this many years or more no longer count in the norm.
NORM_CHILD_AGE_LIMIT = 19
#: Lower age bounds (integer years) of the child bands after the first; the last ends the norm.
_BAND_EDGES = np.array([1, 3, 4, 7, 11, 15, NORM_CHILD_AGE_LIMIT])
_BAND_FIELDS = (
    "child_0", "child_1_2", "child_3", "child_4_6", "child_7_10", "child_11_14", "child_15_18"
)
_HOUSEHOLD_FIELDS = tuple(f"household_{n}" for n in range(1, 8))


def child_ages(rows: pd.DataFrame) -> np.ndarray:
    """Age in years of each child in each row's month, NaN where there is no child.

    A child's age is its age at the person's entry plus the time from entry to the
    middle of the month. ``rows`` needs ``month``, ``entry_time`` and
    ``child_age_1`` .. ``child_age_4`` (missing columns mean no such child).

    Returns:
        Array of shape (len(rows), MAX_CHILDREN).
    """
    since_entry = (rows["month"].to_numpy(float) + 0.5 - rows["entry_time"].to_numpy(float)) / 12.0
    columns = child_columns(rows.columns)
    at_entry = rows.reindex(columns=columns).to_numpy(float).reshape(len(rows), len(columns))
    return at_entry + since_entry[:, None]


def child_columns(columns: Iterable[str]) -> list[str]:
    """``child_age_1`` .. ``child_age_<k>``: at least :data:`MAX_CHILDREN`, more when ``columns`` has more
    (a type case may have any number of children; the simulated households have at most four).

    Example:
        >>> child_columns(["rent", "child_age_6"])[-1], len(child_columns([]))
        ('child_age_6', 4)
    """
    found = [int(c[len("child_age_"):]) for c in columns if c.startswith("child_age_") and c[10:].isdigit()]
    return [f"child_age_{k}" for k in range(1, max([MAX_CHILDREN, *found]) + 1)]


def household_norm(
    rows: pd.DataFrame, norm: Norm, calendar: Calendar, ages: np.ndarray | None = None
) -> np.ndarray:
    """The household's norm (SEK/month) in each row's month.

    Adult personal costs, each child's personal cost by age band (children aged 19
    or more no longer count), and the common household cost by household size.
    ``rows`` needs ``month`` and ``household`` plus what :func:`child_ages` needs.

    Raises:
        ValueError: on an unknown household type.
    """
    ages = child_ages(rows) if ages is None else ages
    month = rows["month"].to_numpy(np.int64)
    adults = _adults(rows["household"])
    band = _band(ages)
    children = _band_amounts(norm, calendar, month, band).sum(axis=1)
    size = adults + (band < len(_BAND_FIELDS)).sum(axis=1)
    adult = calendar.table([norm.adult_single, norm.adult_couple])
    return adult[month, adults - 1] + children + _common_cost(norm, calendar, month, size)


def child_personal_costs(ages: np.ndarray, month: np.ndarray, norm: Norm, calendar: Calendar) -> np.ndarray:
    """Each child's personal cost (SEK/month) by its age band in the row's month.

    ``ages`` holds one column per child (any number of columns, NaN where there is
    no child), as :func:`child_ages` returns; a missing child or one aged 19 or
    more costs 0. A lever that changes one child's amount (the benefit cap) uses
    it, so the band table stays here.
    """
    return _band_amounts(norm, calendar, np.asarray(month, dtype=np.int64), _band(ages))


def _band(ages: np.ndarray) -> np.ndarray:
    """Index of each child's age band; ``len(_BAND_FIELDS)`` for no child or one past the norm."""
    return np.digitize(np.floor(np.nan_to_num(ages, nan=np.inf)), _BAND_EDGES)


def _band_amounts(norm: Norm, calendar: Calendar, month: np.ndarray, band: np.ndarray) -> np.ndarray:
    bands = np.pad(calendar.table([getattr(norm, f) for f in _BAND_FIELDS]), ((0, 0), (0, 1)))
    return np.take_along_axis(bands[month], band, axis=1)


def _adults(household: pd.Series) -> np.ndarray:
    codes, types = pd.factorize(household, use_na_sentinel=False)
    unknown = sorted(str(t) for t in types if t not in ADULTS)
    if unknown:
        raise ValueError(f"unknown household type(s): {', '.join(unknown)}")
    return np.array([ADULTS[t] for t in types], dtype=np.int64)[codes]


def _common_cost(norm: Norm, calendar: Calendar, month: np.ndarray, size: np.ndarray) -> np.ndarray:
    table = calendar.table([getattr(norm, f) for f in _HOUSEHOLD_FIELDS])
    capped = np.clip(size, 1, len(_HOUSEHOLD_FIELDS))
    step = table[:, -1] - table[:, -2]
    return table[month, capped - 1] + (size - capped) * step[month]
