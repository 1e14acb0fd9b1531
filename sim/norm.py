"""Riksnormen and the income counted against it, per household and calendar month.

Assistance (försörjningsstöd) is the gap between a household's norm plus rent and
its income, so the norm must follow the household as its children grow older and
as the dated amounts change. Everything here works on whole arrays of
person-month rows; dated amounts are evaluated once per calendar month
(:class:`Calendar`) and indexed by month, never once per row.

Example:
    >>> from datetime import date
    >>> cal = Calendar(date(2025, 11, 1), 3)
    >>> cal.dates[-1], cal.year(np.array([0, 1, 2])).tolist()
    (datetime.date(2026, 1, 1), [2025, 2025, 2026])
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sim.scenario.parameters import DatedSeries
from sim.scenario.schema import CHILD_COUNTS, Allowances, Norm

__all__ = [
    "ADULTS",
    "MAX_CHILDREN",
    "Calendar",
    "NORM_CHILD_AGE_LIMIT",
    "child_ages",
    "child_personal_costs",
    "household_norm",
    "child_allowance",
    "activity_support_per_month",
]

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
#: Children younger than this count for barnbidrag and flerbarnstillägg.
_ALLOWANCE_AGE = 16.0


class Calendar:
    """The calendar months of a run: month index m starts at ``start_date`` + m months.

    Attributes:
        start_date: first day of month 0.
        dates: first day of each month 0 .. n_months - 1.
    """

    def __init__(self, start_date: date, n_months: int) -> None:
        """Build the calendar.

        Raises:
            ValueError: if ``start_date`` is not the first of a month.
        """
        if start_date.day != 1:
            raise ValueError(
                f"start_date must be the first of a month, not {start_date.isoformat()}"
            )
        self.start_date = start_date
        self.dates = tuple(self._shift(m) for m in range(max(int(n_months), 0)))

    @classmethod
    def covering(cls, start_date: date, months: np.ndarray) -> Calendar:
        """A calendar long enough for every month index in ``months``."""
        return cls(start_date, int(np.max(months, initial=-1)) + 1)

    def _shift(self, month: int) -> date:
        total = self.start_date.month - 1 + month
        return date(self.start_date.year + total // 12, total % 12 + 1, 1)

    def year(self, month: np.ndarray) -> np.ndarray:
        """Calendar year of each month index."""
        offset = self.start_date.month - 1 + np.asarray(month, dtype=np.int64)
        return self.start_date.year + offset // 12

    def values(self, series: DatedSeries) -> np.ndarray:
        """The series' value on the first day of each month, indexed by month."""
        return np.array([series.at(d) for d in self.dates], dtype=float)


def child_ages(rows: pd.DataFrame) -> np.ndarray:
    """Age in years of each child in each row's month, NaN where there is no child.

    A child's age is its age at the person's entry plus the time from entry to the
    middle of the month. ``rows`` needs ``month``, ``entry_time`` and
    ``child_age_1`` .. ``child_age_4`` (missing columns mean no such child).

    Returns:
        Array of shape (len(rows), MAX_CHILDREN).
    """
    since_entry = (rows["month"].to_numpy(float) + 0.5 - rows["entry_time"].to_numpy(float)) / 12.0
    columns = [f"child_age_{k}" for k in range(1, MAX_CHILDREN + 1)]
    at_entry = rows.reindex(columns=columns).to_numpy(float).reshape(len(rows), MAX_CHILDREN)
    return at_entry + since_entry[:, None]


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
    adult = _stack(calendar, [norm.adult_single, norm.adult_couple])
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
    bands = np.pad(_stack(calendar, [getattr(norm, f) for f in _BAND_FIELDS]), ((0, 0), (0, 1)))
    return np.take_along_axis(bands[month], band, axis=1)


def _stack(calendar: Calendar, series: list[DatedSeries]) -> np.ndarray:
    columns = np.column_stack([calendar.values(s) for s in series])
    return columns.reshape(len(calendar.dates), len(series))


def _adults(household: pd.Series) -> np.ndarray:
    codes, types = pd.factorize(household, use_na_sentinel=False)
    unknown = sorted(str(t) for t in types if t not in ADULTS)
    if unknown:
        raise ValueError(f"unknown household type(s): {', '.join(unknown)}")
    return np.array([ADULTS[t] for t in types], dtype=np.int64)[codes]


def _common_cost(norm: Norm, calendar: Calendar, month: np.ndarray, size: np.ndarray) -> np.ndarray:
    table = _stack(calendar, [getattr(norm, f) for f in _HOUSEHOLD_FIELDS])
    capped = np.clip(size, 1, len(_HOUSEHOLD_FIELDS))
    step = table[:, -1] - table[:, -2]
    return table[month, capped - 1] + (size - capped) * step[month]


def child_allowance(
    rows: pd.DataFrame, allowances: Allowances, calendar: Calendar, ages: np.ndarray | None = None
) -> np.ndarray:
    """Barnbidrag with flerbarnstillägg (SEK/month) by the number of children under 16.

    More than four children add the step from three to four children per extra child.
    """
    ages = child_ages(rows) if ages is None else ages
    month = rows["month"].to_numpy(np.int64)
    count = (ages < _ALLOWANCE_AGE).sum(axis=1)
    by_count = _stack(calendar, [allowances.child_allowance[n] for n in CHILD_COUNTS])
    table = np.pad(by_count, ((0, 0), (1, 0)))
    capped = np.minimum(count, 4)
    step = table[:, 4] - table[:, 3]
    return table[month, capped] + (count - capped) * step[month]


def activity_support_per_month(allowances: Allowances, calendar: Calendar) -> np.ndarray:
    """Aktivitetsstöd for a full month (daily amount × days per month), indexed by month."""
    return calendar.values(allowances.activity_support_per_day) * allowances.days_per_month
