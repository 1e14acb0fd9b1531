"""The sums of a replication's household budgets that the metrics and cost tables need, kept without the rows.

A national run has tens of millions of person-month rows. Every quantity the
metrics and the cost tables use is a sum over one person's rows, so the
:class:`~sim.outcomes.record.Record` computes them for blocks of persons at a time
and keeps only the sums (:class:`Accounts`); blocks change nothing but the order of
floating-point additions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ACCOUNT_BLOCK", "Accounts", "assistance_months_by_year"]

#: Persons per block (about 2 million person-month rows at most at a time, months in work included).
ACCOUNT_BLOCK = 30_000


@dataclass(frozen=True)
class Accounts:
    """The sums the metrics and cost tables need, without the person-month table.

    Attributes:
        ledger: cost by item per person and year (:func:`sim.outcomes.costs.cost_ledger`).
        paid_months_by_year: :func:`assistance_months_by_year`.
        paid_months: months (fractions) with assistance paid, by ``person_id`` (absent: none).
    """

    ledger: pd.DataFrame
    paid_months_by_year: pd.DataFrame
    paid_months: pd.Series

    @classmethod
    def of(cls, ledger: pd.DataFrame, budget: pd.DataFrame) -> Accounts:
        """The sums of one household-budget table and its cost ledger."""
        paid = budget.loc[budget["assistance_sek"] > 0]
        return cls(
            ledger=ledger,
            paid_months_by_year=assistance_months_by_year(budget),
            paid_months=paid.groupby("person_id")["fraction"].sum(),
        )

    @classmethod
    def combine(cls, parts: Sequence[Accounts]) -> Accounts:
        """The accounts of disjoint groups of persons, as one."""
        return cls(
            ledger=pd.concat([p.ledger for p in parts], ignore_index=True),
            paid_months_by_year=pd.concat([p.paid_months_by_year for p in parts], ignore_index=True),
            paid_months=pd.concat([p.paid_months for p in parts]),
        )


def assistance_months_by_year(budget: pd.DataFrame) -> pd.DataFrame:
    """Months in each calendar year in which the household was paid assistance.

    A month counts once if assistance was paid in any part of it (Socialstyrelsen's
    "månader med utbetalning"). Person-years without payment are absent.

    Returns:
        ``person_id``, ``year``, ``months`` (int64).
    """
    paid = budget.loc[budget["assistance_sek"] > 0, ["person_id", "year", "month"]].drop_duplicates()
    counts = paid.groupby(["person_id", "year"], as_index=False, sort=True).size()
    return counts.rename(columns={"size": "months"}).astype({"months": np.int64})
