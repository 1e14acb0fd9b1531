"""Bostadsbidrag to households with children, and underhållsstöd for the children of single parents.

Bostadsbidrag (Försäkringskassan), per month, for a household with ``n`` children:

* a special bidrag for the children at home, by ``n`` (1, 2, 3 or more);
* a share of the housing cost between a lower and an upper limit (the upper limit by ``n``);
* less a share of the yearly income above the threshold (a single parent's, or each spouse's:
  in the model the second adult of a couple has no income of their own);
* rounded down to a multiple of 100 kr (so less than 100 kr is not paid).

Left out: the limits on floor area (the household is assumed to live within them) and the
bostadsbidrag to young people without children.

Underhållsstöd is paid per child by age band to a single parent when the other parent does
not pay maintenance; the scenario says how many single parents receive it.

Example (single parent, two children, rent 7 500, yearly income 94 915)::

    2025 limits: 2 000 + 0.5 × (5 900 − 1 400) = 4 250 → 4 200 kr/month
    2026 limits: 2 000 + 0.5 × (7 500 − 1 400) = 5 050 → 5 000 kr/month
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from sim.scenario.budget import HousingAllowance, MaintenanceSupport
from sim.scenario.parameters import DatedSeries

__all__ = ["housing_allowance", "maintenance_support"]


def housing_allowance(
    rules: HousingAllowance, when: date, children: np.ndarray, rent: np.ndarray, yearly_income: np.ndarray,
    adults: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Bostadsbidrag (SEK/month) of each row's household in the month ``when``.

    Args:
        children: children under 18 at home per row (0: no bidrag in this model — the bidrag for
            young people without children is not modelled).
        rent: housing cost per month.
        yearly_income: the household's yearly income the bidrag counts (SEK/year).
        adults: 1 or 2 per row (the threshold is per spouse; the second adult has no income).
    """
    band = np.clip(children, 1, 3)
    special = _by_band(rules.per_children, when, band)
    upper = _by_band(rules.upper_cost_limit, when, band)
    lower = rules.lower_cost_limit.at(when)
    housing = rules.cost_share * np.clip(np.minimum(rent, upper) - lower, 0.0, None)
    threshold = np.where(adults >= 2, rules.income_threshold_each_spouse.at(when),
                         rules.income_threshold_single.at(when))  # fmt: skip
    reduction = rules.income_reduction_share * np.maximum(yearly_income - threshold, 0.0) / 12.0
    amount = np.maximum(special + housing - reduction, 0.0)
    step = rules.rounded_down_to
    amount = np.floor(amount / step + 1e-9) * step if step > 0 else amount
    return np.where(children > 0, amount, 0.0)


def maintenance_support(rules: MaintenanceSupport, when: date, ages: np.ndarray) -> np.ndarray:
    """Underhållsstöd (SEK/month) for each row's children under 18 by age (``ages``: rows × children, NaN = none)."""
    under_11, middle, oldest = (rules.under_11.at(when), rules.age_11_14.at(when), rules.from_15.at(when))
    known = ~np.isnan(ages)
    years = np.floor(np.nan_to_num(ages, nan=0.0))
    each = np.where(years < 11, under_11, np.where(years < 15, middle, oldest))
    return np.where(known & (years < 18), each, 0.0).sum(axis=1)


def _by_band(table: Mapping[Any, DatedSeries], when: date, band: np.ndarray) -> np.ndarray:
    values = np.array([0.0] + [float(table[k].at(when)) for k in (1, 2, 3)])
    return values[band.astype(np.int64)]
