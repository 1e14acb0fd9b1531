"""What the outcomes are called: the metrics, the subgroups, which metrics head a report, and which way is better.

Metric names are identifiers (``employment_rate_24m``); the report translates them
(:mod:`sim.report.labels`). Everything that names, orders or judges a metric reads it
from here, so the experiments and the report agree.

Example:
    >>> "employment_rate_24m" in METRICS, higher_is_better("employment_rate_24m"), higher_is_better("cost_state_sek")
    (True, True, False)
    >>> higher_is_better("households_with_assistance_per_year") is None
    True
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from sim.rules.calendar import full_years

__all__ = [
    "HORIZONS", "METRICS", "SUBGROUPS", "KEY_METRICS", "HIGHER_IS_BETTER", "higher_is_better", "subgroup_masks",
    "undefined_within",
]  # fmt: skip

#: Months after entry at which the state is observed (``employment_rate_<k>m``, ``work_rate_<k>m``).
HORIZONS = (6, 12, 24, 36, 48)

#: Every metric :func:`sim.outcomes.metrics.metrics` computes, besides ``long_term_share_<year>`` for
#: each full simulated year.
METRICS: tuple[str, ...] = (
    *(f"employment_rate_{k}m" for k in HORIZONS),
    *(f"work_rate_{k}m" for k in HORIZONS),
    "studies_rate_12m",
    "median_months_to_work",
    "assistance_months_per_person",
    "long_term_share",
    "af_registration_share",
    "af_programme_share_of_registered",
    "reason_unemployment_share",
    "reason_sick_share",
    "reason_social_share",
    "households_with_assistance_per_year",
    "ame_exit_to_work_or_studies_share",
    "cost_total_sek",
    "cost_municipality_sek",
    "cost_region_sek",
    "cost_state_sek",
    "cost_per_exit_to_work_sek",
    "revenue_total_sek",
    "revenue_municipality_sek",
    "revenue_region_sek",
    "revenue_state_sek",
    "net_cost_total_sek",
    "net_cost_municipality_sek",
    "net_cost_region_sek",
    "net_cost_state_sek",
    "persons_in_work_24m",
    "work_person_years",
)

#: The groups every metric is computed for (masks: :func:`subgroup_masks`).
SUBGROUPS = (
    "all", "women", "men", "born_sweden", "born_abroad", "single_parent", "with_children",
    "born_sweden_women", "born_sweden_men", "born_abroad_women", "born_abroad_men",
)  # fmt: skip

#: The metrics of the headline table, in order.
KEY_METRICS = (
    "employment_rate_12m",
    "employment_rate_24m",
    "work_rate_24m",
    "median_months_to_work",
    "assistance_months_per_person",
    "long_term_share",
    "cost_total_sek",
    "cost_municipality_sek",
    "cost_state_sek",
    "cost_per_exit_to_work_sek",
)

#: Whether a higher value of a metric is better, by metric-name prefix (for marking the better design).
HIGHER_IS_BETTER = {
    "employment_rate": True,
    "work_rate": True,
    "studies_rate": True,
    "median_months_to_work": False,
    "assistance_months_per_person": False,
    "long_term_share": False,
    "cost": False,
    "net_cost": False,
    "revenue": True,
    "persons_in_work": True,
    "work_person_years": True,
}


def higher_is_better(metric: str) -> bool | None:
    """True/False when a higher value of ``metric`` is better/worse; None when neither."""
    for prefix, better in HIGHER_IS_BETTER.items():
        if metric.startswith(prefix):
            return better
    return None


#: Metrics counted over the full calendar years of a run (Socialstyrelsen's person-years).
_PER_YEAR = (
    "long_term_share", "af_registration_share", "af_programme_share_of_registered", "reason_unemployment_share",
    "reason_sick_share", "reason_social_share", "households_with_assistance_per_year",
)  # fmt: skip


def undefined_within(metric: str, start_date: date, months: int) -> str | None:
    """Why ``metric`` has no value in a run of ``months`` months from ``start_date``, or None if it can have one.

    A state ``k`` months after entry needs ``k`` months; a per-year share needs a full calendar year.

    Example:
        >>> undefined_within("employment_rate_24m", date(2025, 1, 1), 12)
        'employment_rate_24m is observed 24 months after entry, and the run has 12 months'
        >>> undefined_within("long_term_share", date(2025, 7, 1), 12) is not None
        True
    """
    match = re.fullmatch(r"(?:employment_rate|work_rate|studies_rate|persons_in_work)_(\d+)m", metric)
    if match and int(match.group(1)) > months:
        return f"{metric} is observed {match.group(1)} months after entry, and the run has {months} months"
    if metric in _PER_YEAR and not full_years(start_date, months).size:
        return f"{metric} is counted over full calendar years, and {months} months from {start_date} hold none"
    return None


def subgroup_masks(persons: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean masks over the rows of ``persons``, one per name in ``SUBGROUPS``."""
    woman = persons["woman"].to_numpy(bool)
    abroad = persons["born_abroad"].to_numpy(bool)
    return {
        "all": np.ones(len(persons), dtype=bool),
        "women": woman,
        "men": ~woman,
        "born_sweden": ~abroad,
        "born_abroad": abroad,
        "single_parent": (persons["household"] == "single_parent").to_numpy(bool),
        "with_children": persons["n_children"].to_numpy() > 0,
        "born_sweden_women": ~abroad & woman,
        "born_sweden_men": ~abroad & ~woman,
        "born_abroad_women": abroad & woman,
        "born_abroad_men": abroad & ~woman,
    }
