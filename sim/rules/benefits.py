"""Benefits counted as household income against the norm: barnbidrag and aktivitetsstöd.

Vectorised over person-month rows like :mod:`sim.rules.norm`; dated amounts are
evaluated once per calendar month.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from sim.rules.calendar import Calendar
from sim.rules.norm import child_ages
from sim.scenario.schema import Allowances

__all__ = ["CHILD_ALLOWANCE_AGE", "child_allowance", "activity_support_per_month"]

#: Children younger than this count for barnbidrag and flerbarnstillägg.
CHILD_ALLOWANCE_AGE = 16.0


def child_allowance(
    rows: pd.DataFrame, allowances: Allowances, calendar: Calendar, ages: np.ndarray | None = None
) -> np.ndarray:
    """Barnbidrag with flerbarnstillägg (SEK/month) by the number of children under 16.

    Each child beyond the largest count the scenario gives adds the step between its two
    largest counts (from the sixth child on, 1 250 kr of barnbidrag and 1 250 of
    flerbarnstillägg each).
    """
    ages = child_ages(rows) if ages is None else ages
    month = rows["month"].to_numpy(np.int64)
    count = (ages < CHILD_ALLOWANCE_AGE).sum(axis=1)
    largest = max(allowances.child_allowance)
    by_count = calendar.table([allowances.child_allowance[n] for n in range(1, largest + 1)])
    table = np.pad(by_count, ((0, 0), (1, 0)))
    capped = np.minimum(count, largest)
    step = table[:, largest] - table[:, largest - 1]
    return table[month, capped] + (count - capped) * step[month]


def activity_support_per_month(allowances: Allowances, dates: Sequence[date]) -> np.ndarray:
    """Aktivitetsstöd for a full month (daily amount on the month's first day × days per month), one per date.

    Example:
        >>> from sim.scenario.parameters import DatedSeries
        >>> from types import SimpleNamespace
        >>> rule = SimpleNamespace(activity_support_per_day=DatedSeries.parse({"values": {"2024-01-01": 223, "2025-10-01": 365}}),
        ...                        days_per_month=21.67)
        >>> activity_support_per_month(rule, [date(2025, 9, 1), date(2025, 10, 1)]).round(2).tolist()
        [4832.41, 7909.55]
    """
    daily = np.array([allowances.activity_support_per_day.at(d) for d in dates], dtype=float)
    return daily * allowances.days_per_month
