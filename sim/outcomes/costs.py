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

__all__ = [
    "PAYERS", "REVENUE_ITEMS", "REVENUE_RECEIVERS", "assessment_costs", "cost_ledger", "costs_by_year", "public_finances",
    "revenue_by_year",
]  # fmt: skip

#: Public revenue from the households' incomes, and who receives it. The municipality keeps only part of
#: its income tax after the income equalisation; the rest is the state's (smaller equalisation grants).
REVENUE_RECEIVERS = {
    "municipal_income_tax": "municipality",
    "income_equalisation": "state",
    "regional_income_tax": "region",
    "state_income_tax": "state",
    "employer_contributions": "state",
}
REVENUE_ITEMS = tuple(REVENUE_RECEIVERS)
#: Who pays and receives, in the order tables show them.
PAYERS = ("municipality", "region", "state")


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
        ``person_id``, ``year``, one column per item in ``COST_ITEMS`` (spending) and one per item
        in :data:`REVENUE_ITEMS` (revenue from the households' incomes).
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
    items.update(_revenue_items(budget, scenario))
    if any(type(p).costs is not Policy.costs for p in policies):
        paid = budget["assistance_sek"].to_numpy()
        for policy in policies:
            for item, values in policy.costs(rows, paid).items():
                items[item] = items[item] + values if item in items else values
    columns: dict[str, np.ndarray] = {}
    for item in (*COST_ITEMS, *REVENUE_ITEMS):
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
        **{item: budget[item].to_numpy() * weighted for item in ("housing_allowance", "maintenance_support")
           if item in budget},
    }


def _revenue_items(budget: pd.DataFrame, scenario: Scenario) -> dict[str, np.ndarray]:
    """Tax on the households' incomes and the employer's contributions on wages, national SEK per row."""
    if "tax_municipal" not in budget or scenario.tax is None:
        return {}
    month = budget["month"].to_numpy(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    weighted = budget["fraction"].to_numpy() * budget["weight"].to_numpy()
    municipal = budget["tax_municipal"].to_numpy() * weighted
    kept = scenario.tax.municipal_share_kept
    contribution = calendar.values(scenario.tax.employer_contribution_rate)[month]
    return {
        "municipal_income_tax": kept * municipal,
        "income_equalisation": (1.0 - kept) * municipal,
        "regional_income_tax": budget["tax_regional"].to_numpy() * weighted,
        "state_income_tax": (budget["tax_state"].to_numpy() + budget["tax_reductions"].to_numpy()) * weighted,
        "employer_contributions": budget["earnings"].to_numpy() * contribution * weighted,
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


def revenue_by_year(ledger: pd.DataFrame, scenario: Scenario, horizon: float) -> pd.DataFrame:
    """National revenue (SEK) by calendar year and item, with who receives it (``year, item, payer, revenue_sek``)."""
    calendar = Calendar(scenario.simulation.start_date, 0)
    years = np.unique(calendar.year(np.arange(int(np.ceil(horizon)))))
    present = [item for item in REVENUE_ITEMS if item in ledger]
    by_year = ledger.groupby("year")[present].sum().reindex(years, fill_value=0.0) if present else \
        pd.DataFrame(index=years)  # fmt: skip
    long = by_year.rename_axis("year").reset_index().melt(id_vars="year", var_name="item", value_name="revenue_sek")
    long["payer"] = long["item"].map(REVENUE_RECEIVERS)
    return long[["year", "item", "payer", "revenue_sek"]].sort_values(["year", "item"], ignore_index=True)


def public_finances(costs: pd.DataFrame, revenue: pd.DataFrame) -> pd.DataFrame:
    """Spending, revenue and the net cost (spending − revenue) by year and payer.

    Args:
        costs: :func:`costs_by_year` (of one replication, or of many with a ``replication`` column).
        revenue: :func:`revenue_by_year`, likewise.

    Returns:
        ``[replication,] year, payer, spending_sek, revenue_sek, net_sek``: every payer in every year.

    Example:
        >>> costs = pd.DataFrame({"year": [2025], "item": ["assistance"], "payer": ["municipality"], "cost_sek": [10.0]})
        >>> revenue = pd.DataFrame({"year": [2025], "item": ["regional_income_tax"], "payer": ["region"],
        ...                         "revenue_sek": [3.0]})
        >>> public_finances(costs, revenue)["net_sek"].tolist()
        [10.0, -3.0, 0.0]
    """
    by = ["replication"] if "replication" in costs else []
    spending = costs.groupby([*by, "year", "payer"])["cost_sek"].sum()
    income = revenue.groupby([*by, "year", "payer"])["revenue_sek"].sum()
    keys = [sorted(set(costs[k]) | set(revenue[k])) for k in (*by, "year")]
    index = pd.MultiIndex.from_product([*keys, list(PAYERS)], names=[*by, "year", "payer"])
    table = pd.DataFrame({"spending_sek": spending.reindex(index, fill_value=0.0),
                          "revenue_sek": income.reindex(index, fill_value=0.0)})  # fmt: skip
    table["net_sek"] = table["spending_sek"] - table["revenue_sek"]
    return table.reset_index()
