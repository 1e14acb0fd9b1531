"""What a replication costs, and who pays: SEK by person and year, and by year, item and payer.

Each cost item is priced per person-month row from the household budget
(:mod:`sim.outcomes.budget`) and the scenario's unit costs, plus the caseworker
time of each assessment; the levers in force add their own items
(:meth:`sim.policies.base.Policy.costs`). Costs are national SEK: each simulated
household counts ``weight`` times. Sums run on one integer key with ``bincount``,
so a national run never holds several copies of its person-month table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.outcomes.months import positions
from sim.policies.base import MonthRows, Policy
from sim.rules.calendar import Calendar
from sim.scenario.schema import COST_ITEMS, Scenario
from sim.states import STATE_INDEX, State

__all__ = ["assessment_costs", "cost_ledger", "costs_by_year"]


def cost_ledger(
    budget: pd.DataFrame,
    rows: MonthRows,
    assessments: pd.DataFrame,
    scenario: Scenario,
    policies: list[Policy],
) -> pd.DataFrame:
    """National cost (SEK) of each item per person and calendar year.

    Args:
        budget: the household budget rows (:func:`sim.outcomes.budget.household_budget`).
        rows: the same rows as the levers see them.
        assessments: :func:`assessment_costs` of the same persons.
        policies: the levers in force.

    Returns:
        ``person_id``, ``year`` and one column per item in ``COST_ITEMS``.
    """
    person_id = np.concatenate([budget["person_id"].to_numpy(np.int64), assessments["person_id"].to_numpy(np.int64)])
    year = np.concatenate([budget["year"].to_numpy(np.int64), assessments["year"].to_numpy(np.int64)])
    # Sum by (person, year) with bincount on one integer key: a groupby over millions
    # of person-month rows would hold several copies of the table in memory.
    years, year_index = np.unique(year, return_inverse=True)
    people, person_index = np.unique(person_id, return_inverse=True)
    key = person_index * len(years) + year_index
    present = np.unique(key)
    n_rows = budget.shape[0]
    items = _monthly_items(budget, scenario, policies)
    if any(type(p).costs is not Policy.costs for p in policies):
        paid = budget["assistance_sek"].to_numpy()
        for policy in policies:
            for item, values in policy.costs(rows, paid).items():
                items[item] = items[item] + values if item in items else values
    columns: dict[str, np.ndarray] = {}
    for item in COST_ITEMS:
        values = np.zeros(key.size)
        if item in items:
            values[:n_rows] = items[item]
        if item in assessments:
            values[n_rows:] = assessments[item].to_numpy()
        columns[item] = np.bincount(key, weights=values, minlength=len(people) * len(years))[present]
    return pd.DataFrame(
        {"person_id": people[present // len(years)], "year": years[present % len(years)], **columns}
    )


def _monthly_items(budget: pd.DataFrame, scenario: Scenario, policies: list[Policy]) -> dict[str, np.ndarray]:
    month = budget["month"].to_numpy(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    state = budget["state"].to_numpy()
    weighted = budget["fraction"].to_numpy() * budget["weight"].to_numpy()
    unit = scenario.costs

    def in_state(which: State, per_month: np.ndarray) -> np.ndarray:
        return np.where(state == STATE_INDEX[which], weighted * per_month[month], 0.0)

    paid = budget["assistance_sek"].to_numpy()
    worker = scenario.caseworker
    hours = np.full(len(calendar.dates), worker.hours_per_month / worker.households_per_caseworker)
    for policy in policies:
        for m in range(len(calendar.dates)):
            override = policy.case_hours_per_household(m + 0.5)
            if override is not None:
                hours[m] = override
    per_case = calendar.values(unit.caseworker_cost_per_month) * hours / worker.hours_per_month
    return {
        "assistance": paid * budget["weight"].to_numpy(),
        "municipal_activity": in_state(
            State.MUNICIPAL_ACTIVITY, calendar.values(unit.municipal_activity_per_month)
        ),
        "af_programme": in_state(State.AF_PROGRAMME, calendar.values(unit.af_programme_per_month)),
        "subsidised_employment": in_state(
            State.SUBSIDISED_EMPLOYMENT, calendar.values(unit.subsidised_employment_per_month)
        ),
        "caseworker": np.where(paid > 0, weighted * per_case[month], 0.0),
    }


def assessment_costs(events: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Caseworker cost (national SEK) of each assessment (:func:`sim.outcomes.months.assessment_events`).

    Returns:
        ``person_id``, ``year``, ``caseworker``.
    """
    month = np.floor(events["time"].to_numpy()).astype(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    worker = scenario.caseworker
    hourly = calendar.values(scenario.costs.caseworker_cost_per_month) / worker.hours_per_month
    weight = persons["weight"].to_numpy(float)[positions(persons, events["person_id"])]
    cost = events["count"].to_numpy() * worker.assessment_hours * hourly[month] * weight
    return pd.DataFrame(
        {"person_id": events["person_id"], "year": calendar.year(month), "caseworker": cost}
    )


def costs_by_year(ledger: pd.DataFrame, scenario: Scenario, horizon: float) -> pd.DataFrame:
    """National cost (SEK) by calendar year and item, with the item's payer.

    Every item appears for every calendar year the horizon touches (0 when nothing was spent).

    Returns:
        Long table with columns ``year``, ``item``, ``payer``, ``cost_sek``.
    """
    calendar = Calendar(scenario.simulation.start_date, 0)
    years = np.unique(calendar.year(np.arange(int(np.ceil(horizon)))))
    by_year = ledger.groupby("year")[list(COST_ITEMS)].sum().reindex(years, fill_value=0.0)
    long = by_year.rename_axis("year").reset_index().melt(
        id_vars="year", var_name="item", value_name="cost_sek"
    )
    long["payer"] = long["item"].map(scenario.costs.payers)
    columns = ["year", "item", "payer", "cost_sek"]
    return long[columns].sort_values(["year", "item"], ignore_index=True)
