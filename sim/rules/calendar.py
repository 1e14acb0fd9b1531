"""The calendar months of a run: month index → date and calendar year, dated amounts per month.

Dated amounts (riksnormen, allowances, unit costs) change on given dates; the rules
evaluate them once per calendar month of the run (:meth:`Calendar.values`) and
index the result by month, never once per person-month row.

Example:
    >>> from datetime import date
    >>> cal = Calendar(date(2025, 11, 1), 3)
    >>> cal.dates[-1], cal.year(np.array([0, 1, 2])).tolist()
    (datetime.date(2026, 1, 1), [2025, 2025, 2026])
    >>> full_years(date(2025, 1, 1), 30).tolist()
    [2025, 2026]
"""

from __future__ import annotations

from datetime import date

import numpy as np

from sim.scenario.parameters import DatedSeries

__all__ = ["Calendar", "full_years"]


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

    def table(self, series: list[DatedSeries]) -> np.ndarray:
        """Several series side by side: a ``(months, len(series))`` array, one column per series."""
        columns = np.column_stack([self.values(s) for s in series])
        return columns.reshape(len(self.dates), len(series))


def full_years(start_date: date, months: float) -> np.ndarray:
    """The calendar years wholly inside the first ``months`` months from ``start_date`` (sorted).

    Statistics counted per calendar year (Socialstyrelsen's long-term share, households
    per year) are computed over these years only.
    """
    calendar = Calendar(start_date, 0)
    years, count = np.unique(calendar.year(np.arange(int(np.floor(months)))), return_counts=True)
    return years[count == 12]
