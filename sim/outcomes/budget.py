"""The household budget of each person-month: the norm, the income counted against it, and assistance paid.

Assistance (försörjningsstöd) tops a household's income up to its norm plus rent:
``assistance = fraction × max(0, norm − reductions + rent − income)`` in the
assistance states, 0 elsewhere. The norm and the child allowance come from the
rules (:mod:`sim.rules`); the levers in force add income (aktivitetsstöd, always,
through :class:`~sim.policies.allowance.AllowancePolicy`; a programme allowance, a
premium) and reductions (a benefit cap, a sanction) through their after-run hooks
(:meth:`sim.policies.base.Policy.income`, :meth:`~sim.policies.base.Policy.norm_reduction`).
Everything is vectorised over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.outcomes.months import SPELL_CONTEXT, positions
from sim.policies.base import MonthRows, Policy
from sim.rules.benefits import child_allowance
from sim.rules.calendar import Calendar
from sim.rules.norm import MAX_CHILDREN, child_ages, household_norm
from sim.scenario.schema import Scenario
from sim.states import ASSISTANCE_STATES, State, code_array

__all__ = ["costed_states", "household_budget", "month_rows"]

_ASSISTED = code_array(*ASSISTANCE_STATES)
#: States whose months carry a monthly amount without any lever: employment, studies
#: and other exits usually cost nothing per month and are most of the rows.
_COSTED = code_array(*(ASSISTANCE_STATES | {State.SUBSIDISED_EMPLOYMENT}))
_ROW_BLOCK = 500_000
#: Person attributes passed to the policies' after-run hooks (``MonthRows.extra``).
_PERSON_EXTRA = (
    "woman", "born_abroad", "initial", "n_children", "age", "entry_time",
    "household", "barrier", "elapsed_months",
)  # fmt: skip
_PERSON_COLUMNS = ["entry_time", "household", "rent"] + [f"child_age_{k}" for k in range(1, MAX_CHILDREN + 1)]


def costed_states(policies: list[Policy]) -> list[int]:
    """The state codes whose months are priced: those with monthly amounts and those a lever prices."""
    return sorted(set(_COSTED.tolist()).union(*(p.costed_states for p in policies)))


def household_budget(
    months: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario, policies: list[Policy]
) -> tuple[pd.DataFrame, MonthRows]:
    """Norm, income and assistance paid in each person-month row.

    Args:
        months: person-month rows (:func:`sim.outcomes.months.person_months`).
        policies: the levers in force (their after-run hooks add income and reductions).

    Returns:
        ``months`` with ``norm`` (after reductions), ``income`` and ``assistance_sek``
        (household SEK, prorated, not weighted), and the rows as the levers saw them.
    """
    rows = month_rows(months, persons, scenario)
    income = rows.extra["base_income"]
    reduction = np.zeros(len(months))
    for policy in policies:
        extra = policy.income(rows)
        if extra is not None:
            income = income + extra
        cut = policy.norm_reduction(rows)
        if cut is not None:
            reduction = reduction + cut
    gap = np.maximum(rows.norm - reduction + rows.rent - income, 0.0)
    assisted = np.isin(months["state"].to_numpy(), _ASSISTED)
    payment = np.where(assisted, months["fraction"].to_numpy() * gap, 0.0)
    return months.assign(norm=rows.norm - reduction, income=income, assistance_sek=payment), rows


def month_rows(table: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario) -> MonthRows:
    """The person-month table as plain arrays for the policies' after-run hooks.

    ``extra`` holds ``base_income`` (the child allowance: income no lever decides),
    ``intensity``, ``spell_start``, ``run_start`` where known, and the person
    attributes in ``_PERSON_EXTRA`` plus the lever uniforms ``policy_u<k>``.
    """
    month = table["month"].to_numpy(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    rows = positions(persons, table["person_id"])
    state = table["state"].to_numpy()
    n = len(table)
    norm, income, rent = np.empty(n), np.empty(n), np.empty(n)
    ages = np.empty((n, MAX_CHILDREN))
    # In blocks, so the temporaries of a national run stay small.
    for lo in range(0, n, _ROW_BLOCK):
        hi = min(lo + _ROW_BLOCK, n)
        norm[lo:hi], income[lo:hi], rent[lo:hi], ages[lo:hi] = _norm_and_income(
            persons, rows[lo:hi], month[lo:hi], scenario, calendar
        )
    eager = {"base_income": income}
    for column in SPELL_CONTEXT:
        if column in table:
            eager[column] = table[column].to_numpy()
    wanted = [c for c in persons.columns if c in _PERSON_EXTRA or c.startswith("policy_u")]
    extra = _PersonColumns(eager, persons, rows, wanted)
    return MonthRows(
        person_id=table["person_id"].to_numpy(np.int64), month=month,
        year=table["year"].to_numpy(np.int64), state=state,
        fraction=table["fraction"].to_numpy(float), weight=table["weight"].to_numpy(float),
        dates=calendar.dates, norm=norm, rent=rent, child_ages=ages, extra=extra,
    )  # fmt: skip


class _PersonColumns(dict):  # type: ignore[type-arg]
    """``MonthRows.extra``: row arrays, with person attributes gathered only when first read.

    Gathering every attribute for millions of rows up front would cost hundreds of MB
    that most policies never look at.
    """

    def __init__(
        self, eager: dict[str, np.ndarray], persons: pd.DataFrame, rows: np.ndarray, lazy: list[str]
    ) -> None:
        super().__init__(eager)
        self._persons = persons
        self._rows = rows
        self._lazy = set(lazy)

    def __missing__(self, key: str) -> np.ndarray:
        if key not in self._lazy:
            raise KeyError(key)
        values = self._persons[key].to_numpy()[self._rows]
        self[key] = values
        return values

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self._lazy

    def get(self, key: str, default: np.ndarray | None = None) -> np.ndarray | None:  # type: ignore[override]
        """The column, gathered if needed, or ``default``."""
        return self[key] if key in self else default


def _norm_and_income(
    persons: pd.DataFrame,
    rows: np.ndarray,
    month: np.ndarray,
    scenario: Scenario,
    calendar: Calendar,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Norm, income before the levers (the child allowance), rent and children's ages for a block of rows."""
    attrs = persons.reindex(columns=_PERSON_COLUMNS).iloc[rows]  # only the needed columns are gathered
    frame = attrs.reset_index(drop=True).assign(month=month)
    ages = child_ages(frame)
    norm = household_norm(frame, scenario.norm, calendar, ages)
    income = child_allowance(frame, scenario.allowances, calendar, ages)
    return norm, income, frame["rent"].to_numpy(float), ages
