"""What a replication costs, and who pays: from the spell log to SEK by year and item.

The engine logs spells (stays in a state); money is paid per calendar month. This
module cuts spells into calendar-month pieces (:func:`person_months`), computes the
assistance each household is paid in each piece (:func:`assistance_table`), and
prices every cost item per person and year (:func:`cost_ledger`, :func:`costs`).
Costs are national SEK: each simulated household counts ``weight`` times.

Everything is vectorised over rows; the only Python loops run over months, items
or states. Functions that need the person-month table accept it precomputed
(``table=``) so that callers expand the spell log once. :func:`accounts` does the
whole job in blocks of persons and keeps only the per-person and per-year sums, so
a national run never holds its whole person-month table at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.norm import (
    MAX_CHILDREN,
    Calendar,
    activity_support_per_month,
    child_ages,
    child_allowance,
    household_norm,
)
from sim.policies import build_policies
from sim.policies.base import MonthRows, Policy
from sim.scenario.schema import COST_ITEMS, Scenario
from sim.states import ASSISTANCE_STATES, STATE_INDEX, State

__all__ = [
    "Accounts",
    "accounts",
    "person_months",
    "assistance_table",
    "assessment_events",
    "cost_ledger",
    "costs",
    "assistance_months_by_year",
    "state_codes",
]

_COSTED_STATES = np.array(
    sorted(STATE_INDEX[s] for s in ASSISTANCE_STATES | {State.SUBSIDISED_EMPLOYMENT}), dtype=np.int8
)
_BLOCK = 500_000
#: Person attributes passed to the policies' after-run hooks (``MonthRows.extra``).
_PERSON_EXTRA = (
    "woman", "born_abroad", "initial", "n_children", "age", "entry_time",
    "household", "barrier", "elapsed_months",
)  # fmt: skip
#: Spell-level columns carried into every month piece when present.
_SPELL_CONTEXT = ("intensity", "spell_start", "run_start")
_PERSON_COLUMNS = ["entry_time", "household", "rent"] + [f"child_age_{k}" for k in range(1, 5)]


def state_codes(states: frozenset[State] | set[State]) -> np.ndarray:
    """Integer codes (as in the spell log) of a set of states."""
    return np.array(sorted(STATE_INDEX[s] for s in states), dtype=np.int8)


def _positions(persons: pd.DataFrame, person_id: pd.Series) -> np.ndarray:
    pos = pd.Index(persons["person_id"]).get_indexer(person_id)
    if (pos < 0).any():
        raise ValueError("spells refer to person_id(s) missing from the persons table")
    return pos


def person_months(
    spells: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario, horizon: float
) -> pd.DataFrame:
    """Cut every spell into its calendar-month pieces within [0, horizon).

    Returns:
        One row per spell and month it touches: ``person_id`` (int64), ``month``
        (int64 month index), ``year`` (int64 calendar year), ``state`` (int8),
        ``fraction`` (months spent in the state in that month, in (0, 1]) and
        ``weight`` (the person's weight).

    Raises:
        ValueError: if the start date is not the first of a month, or a spell's
            person is missing from ``persons``.
    """
    start = spells["start"].to_numpy(float)
    end = np.minimum(spells["end"].to_numpy(float), horizon)
    keep = end > start
    start, end = start[keep], end[keep]
    first = np.floor(start).astype(np.int64)
    count = np.ceil(end).astype(np.int64) - first
    piece = np.repeat(np.arange(len(start)), count)
    month = first[piece] + np.arange(piece.size) - np.repeat(np.cumsum(count) - count, count)
    fraction = np.minimum(end[piece], month + 1) - np.maximum(start[piece], month)
    person_id = spells["person_id"].to_numpy(np.int64)[keep][piece]
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    table = pd.DataFrame(
        {
            "person_id": person_id,
            "month": month,
            "year": calendar.year(month),
            "state": spells["state"].to_numpy(np.int8)[keep][piece],
            "fraction": fraction,
            "weight": persons["weight"].to_numpy(float)[_positions(persons, person_id)],
        }
    )
    for column in _SPELL_CONTEXT:
        if column in spells:
            table[column] = spells[column].to_numpy()[keep][piece]
    return table[table["fraction"] > 0].reset_index(drop=True)


def assistance_table(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    months: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The person-month table with the household's norm, income and assistance paid.

    ``income`` is the child allowance plus, in af_programme rows, a full month of
    activity support. ``assistance_sek`` is ``fraction × max(0, norm + rent − income)``
    in assistance states and 0 elsewhere (household SEK, not weighted).

    Returns:
        :func:`person_months` columns plus ``norm``, ``income`` and ``assistance_sek``.
    """
    return _assistance(spells, persons, scenario, horizon, months)[0]


def _assistance(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    months: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, MonthRows]:
    """:func:`assistance_table` and the month rows it was computed from (for :func:`cost_ledger`)."""
    policies = build_policies(scenario)
    if months is None:
        # Only states that carry a monthly amount are cut into months: employment,
        # studies and other exits usually cost nothing per month and are most of the rows.
        costed_codes = set(_COSTED_STATES.tolist()).union(*(p.costed_states for p in policies))
        context = spell_context(spells, persons)
        costed = context[np.isin(context["state"].to_numpy(), sorted(costed_codes))]
        table = person_months(costed, persons, scenario, horizon)
    else:
        table = months.copy()
    rows = month_rows(table, persons, scenario)
    income = rows.extra["base_income"]
    reduction = np.zeros(len(table))
    for policy in policies:
        extra = policy.income(rows)
        if extra is not None:
            income = income + extra
        cut = policy.norm_reduction(rows)
        if cut is not None:
            reduction = reduction + cut
    gap = np.maximum(rows.norm - reduction + rows.rent - income, 0.0)
    assisted = np.isin(table["state"].to_numpy(), state_codes(ASSISTANCE_STATES))
    payment = np.where(assisted, table["fraction"].to_numpy() * gap, 0.0)
    return table.assign(norm=rows.norm - reduction, income=income, assistance_sek=payment), rows


def spell_context(spells: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """The spells with ``spell_start`` and ``run_start`` added.

    ``run_start`` is when the household's current run of assistance-state spells
    began (for a spell outside those states: the run that just ended before it;
    NaN if none). Households on assistance at the start began their run
    ``elapsed_months`` before time 0.
    """
    order = np.lexsort((spells["start"].to_numpy(), spells["person_id"].to_numpy()))
    s = spells.iloc[order].reset_index(drop=True)
    person_id = s["person_id"].to_numpy(np.int64)
    start = s["start"].to_numpy(float)
    first = np.r_[True, person_id[1:] != person_id[:-1]]
    assisted = np.isin(s["state"].to_numpy(), state_codes(ASSISTANCE_STATES))
    positions = _positions(persons, s["person_id"])
    initial = persons["initial"].to_numpy(bool)[positions] if "initial" in persons else np.zeros(len(s), bool)
    elapsed = persons["elapsed_months"].to_numpy(float)[positions] if "elapsed_months" in persons else 0.0
    begins = assisted & (first | ~np.r_[False, assisted[:-1]])
    run_origin = np.where(first & initial, start - elapsed, start)
    marker = pd.Series(np.where(begins, run_origin, np.nan)).groupby(person_id).ffill().to_numpy()
    follows_run = ~assisted & ~first & np.r_[False, assisted[:-1]]
    previous = np.r_[np.nan, marker[:-1]]
    run_start = np.where(assisted, marker, np.where(follows_run, previous, np.nan))
    return s.assign(spell_start=start, run_start=run_start)


def month_rows(table: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario) -> MonthRows:
    """The person-month table as plain arrays for the policies' after-run hooks.

    ``extra`` holds ``base_income`` (child allowance and activity support),
    ``intensity``, ``spell_start``, ``run_start`` where known, and the person
    attributes in ``_PERSON_EXTRA`` plus the lever uniforms ``policy_u<k>``.
    """
    month = table["month"].to_numpy(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    positions = _positions(persons, table["person_id"])
    state = table["state"].to_numpy()
    n = len(table)
    norm, income, rent = np.empty(n), np.empty(n), np.empty(n)
    ages = np.empty((n, MAX_CHILDREN))
    # In blocks, so the temporaries of a national run stay small.
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        norm[lo:hi], income[lo:hi], rent[lo:hi], ages[lo:hi] = _norm_and_income(
            persons, positions[lo:hi], month[lo:hi], state[lo:hi], scenario, calendar
        )
    eager = {"base_income": income}
    for column in _SPELL_CONTEXT:
        if column in table:
            eager[column] = table[column].to_numpy()
    wanted = [c for c in persons.columns if c in _PERSON_EXTRA or c.startswith("policy_u")]
    extra = _PersonColumns(eager, persons, positions, wanted)
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
        self, eager: dict[str, np.ndarray], persons: pd.DataFrame, positions: np.ndarray, lazy: list[str]
    ) -> None:
        super().__init__(eager)
        self._persons = persons
        self._positions = positions
        self._lazy = set(lazy)

    def __missing__(self, key: str) -> np.ndarray:
        if key not in self._lazy:
            raise KeyError(key)
        values = self._persons[key].to_numpy()[self._positions]
        self[key] = values
        return values

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self._lazy

    def get(self, key: str, default: np.ndarray | None = None) -> np.ndarray | None:  # type: ignore[override]
        """The column, gathered if needed, or ``default``."""
        return self[key] if key in self else default


def _norm_and_income(
    persons: pd.DataFrame,
    positions: np.ndarray,
    month: np.ndarray,
    state: np.ndarray,
    scenario: Scenario,
    calendar: Calendar,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Norm, income before policies, rent and children's ages for a block of rows."""
    attrs = persons.reindex(columns=_PERSON_COLUMNS).iloc[positions]  # only the needed columns are gathered
    rows = attrs.reset_index(drop=True).assign(month=month)
    ages = child_ages(rows)
    in_af = state == STATE_INDEX[State.AF_PROGRAMME]
    support = np.where(in_af, activity_support_per_month(scenario.allowances, calendar)[month], 0.0)
    norm = household_norm(rows, scenario.norm, calendar, ages)
    income = child_allowance(rows, scenario.allowances, calendar, ages) + support
    return norm, income, rows["rent"].to_numpy(float), ages


def assessment_events(spells: pd.DataFrame, persons: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """Caseworker assessments: referrals to activities and new applications.

    A referral is the start of a municipal_activity or af_programme spell. An
    application is the start of an assistance-state spell that is the person's first
    spell with ``entry_time > 0``, or that follows a spell outside the assistance
    states. A spell start that is both counts as two assessments.

    Returns:
        ``person_id``, ``time`` (months) and ``count`` (1 or 2), for starts before the horizon.
    """
    order = np.lexsort((spells["start"].to_numpy(), spells["person_id"].to_numpy()))
    s = spells.iloc[order]
    person_id = s["person_id"].to_numpy(np.int64)
    state = s["state"].to_numpy()
    first = np.r_[True, person_id[1:] != person_id[:-1]]
    previous_assisted = np.r_[False, np.isin(state[:-1], state_codes(ASSISTANCE_STATES))]
    entry = persons["entry_time"].to_numpy(float)[_positions(persons, s["person_id"])]
    new_case = np.where(first, entry > 0, ~previous_assisted)
    application = np.isin(state, state_codes(ASSISTANCE_STATES)) & new_case
    referral = np.isin(state, state_codes({State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME}))
    count = application.astype(np.int64) + referral
    start = s["start"].to_numpy(float)
    keep = (count > 0) & (start < horizon)
    return pd.DataFrame({"person_id": person_id[keep], "time": start[keep], "count": count[keep]})


def cost_ledger(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    table: pd.DataFrame | None = None,
    rows: MonthRows | None = None,
) -> pd.DataFrame:
    """National cost (SEK) of each item per person and calendar year.

    Args:
        table: the result of :func:`assistance_table` for the same inputs, if already computed.
        rows: the month rows of ``table`` (:func:`month_rows`), if already built.

    Returns:
        ``person_id``, ``year`` and one column per item in ``COST_ITEMS``.
    """
    table = assistance_table(spells, persons, scenario, horizon) if table is None else table
    assessments = _assessment_costs(spells, persons, scenario, horizon)
    person_id = np.concatenate([table["person_id"].to_numpy(np.int64), assessments["person_id"].to_numpy(np.int64)])
    year = np.concatenate([table["year"].to_numpy(np.int64), assessments["year"].to_numpy(np.int64)])
    # Sum by (person, year) with bincount on one integer key: a groupby over millions
    # of person-month rows would hold several copies of the table in memory.
    years, year_index = np.unique(year, return_inverse=True)
    people, person_index = np.unique(person_id, return_inverse=True)
    key = person_index * len(years) + year_index
    present = np.unique(key)
    n_rows = table.shape[0]
    items = _monthly_items(table, scenario)
    policies = build_policies(scenario)
    if any(type(p).costs is not Policy.costs for p in policies):
        rows = month_rows(table, persons, scenario) if rows is None else rows
        paid = table["assistance_sek"].to_numpy()
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


def _monthly_items(table: pd.DataFrame, scenario: Scenario) -> dict[str, np.ndarray]:
    month = table["month"].to_numpy(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    state = table["state"].to_numpy()
    weighted = table["fraction"].to_numpy() * table["weight"].to_numpy()
    unit = scenario.costs

    def in_state(which: State, per_month: np.ndarray) -> np.ndarray:
        return np.where(state == STATE_INDEX[which], weighted * per_month[month], 0.0)

    paid = table["assistance_sek"].to_numpy()
    worker = scenario.caseworker
    hours = np.full(len(calendar.dates), worker.hours_per_month / worker.households_per_caseworker)
    for policy in build_policies(scenario):
        for m in range(len(calendar.dates)):
            override = policy.case_hours_per_household(m + 0.5)
            if override is not None:
                hours[m] = override
    per_case = calendar.values(unit.caseworker_cost_per_month) * hours / worker.hours_per_month
    return {
        "assistance": paid * table["weight"].to_numpy(),
        "municipal_activity": in_state(
            State.MUNICIPAL_ACTIVITY, calendar.values(unit.municipal_activity_per_month)
        ),
        "af_programme": in_state(State.AF_PROGRAMME, calendar.values(unit.af_programme_per_month)),
        "activity_support": in_state(
            State.AF_PROGRAMME, activity_support_per_month(scenario.allowances, calendar)
        ),
        "subsidised_employment": in_state(
            State.SUBSIDISED_EMPLOYMENT, calendar.values(unit.subsidised_employment_per_month)
        ),
        "caseworker": np.where(paid > 0, weighted * per_case[month], 0.0),
    }


def _assessment_costs(
    spells: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario, horizon: float
) -> pd.DataFrame:
    events = assessment_events(spells, persons, horizon)
    month = np.floor(events["time"].to_numpy()).astype(np.int64)
    calendar = Calendar.covering(scenario.simulation.start_date, month)
    worker = scenario.caseworker
    hourly = calendar.values(scenario.costs.caseworker_cost_per_month) / worker.hours_per_month
    weight = persons["weight"].to_numpy(float)[_positions(persons, events["person_id"])]
    cost = events["count"].to_numpy() * worker.assessment_hours * hourly[month] * weight
    return pd.DataFrame(
        {"person_id": events["person_id"], "year": calendar.year(month), "caseworker": cost}
    )


def costs(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    table: pd.DataFrame | None = None,
    ledger: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """National cost (SEK) by calendar year and item, with the item's payer.

    Every item appears for every calendar year the horizon touches (0 when nothing was spent).

    Args:
        table: :func:`assistance_table` of the same inputs, if already computed.
        ledger: :func:`cost_ledger` of the same inputs, if already computed.

    Returns:
        Long table with columns ``year``, ``item``, ``payer``, ``cost_sek``.
    """
    ledger = cost_ledger(spells, persons, scenario, horizon, table) if ledger is None else ledger
    calendar = Calendar(scenario.simulation.start_date, 0)
    years = np.unique(calendar.year(np.arange(int(np.ceil(horizon)))))
    by_year = ledger.groupby("year")[list(COST_ITEMS)].sum().reindex(years, fill_value=0.0)
    long = by_year.rename_axis("year").reset_index().melt(
        id_vars="year", var_name="item", value_name="cost_sek"
    )
    long["payer"] = long["item"].map(scenario.costs.payers)
    columns = ["year", "item", "payer", "cost_sek"]
    return long[columns].sort_values(["year", "item"], ignore_index=True)


def assistance_months_by_year(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Months in each calendar year in which the household was paid assistance.

    A month counts once if assistance was paid in any part of it (Socialstyrelsen's
    "månader med utbetalning"). Person-years without payment are absent.

    Returns:
        ``person_id``, ``year``, ``months`` (int64).
    """
    table = assistance_table(spells, persons, scenario, horizon) if table is None else table
    paid = table.loc[table["assistance_sek"] > 0, ["person_id", "year", "month"]].drop_duplicates()
    counts = paid.groupby(["person_id", "year"], as_index=False, sort=True).size()
    return counts.rename(columns={"size": "months"}).astype({"months": np.int64})


#: Persons per block in :func:`accounts` (about 4 million person-month rows at most at a time).
ACCOUNT_BLOCK = 60_000


@dataclass(frozen=True)
class Accounts:
    """The sums the metrics and cost tables need, without the person-month table.

    Attributes:
        ledger: :func:`cost_ledger`.
        paid_months_by_year: :func:`assistance_months_by_year`.
        paid_months: months (fractions) with assistance paid, by ``person_id`` (absent: none).
    """

    ledger: pd.DataFrame
    paid_months_by_year: pd.DataFrame
    paid_months: pd.Series

    @classmethod
    def from_table(
        cls,
        spells: pd.DataFrame,
        persons: pd.DataFrame,
        scenario: Scenario,
        horizon: float,
        table: pd.DataFrame,
        ledger: pd.DataFrame | None = None,
        rows: MonthRows | None = None,
    ) -> Accounts:
        """The sums of one person-month table (:func:`assistance_table` of the same inputs).

        Args:
            ledger: :func:`cost_ledger` of the same inputs, if already computed.
            rows: the month rows of ``table``, if already built.
        """
        paid = table.loc[table["assistance_sek"] > 0]
        return cls(
            ledger=cost_ledger(spells, persons, scenario, horizon, table, rows) if ledger is None else ledger,
            paid_months_by_year=assistance_months_by_year(spells, persons, scenario, horizon, table),
            paid_months=paid.groupby("person_id")["fraction"].sum(),
        )


def accounts(
    spells: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario, horizon: float, block: int = ACCOUNT_BLOCK
) -> Accounts:
    """Cost ledger and months paid, computed for ``block`` persons at a time.

    Every quantity is a sum over one person's rows, so blocks of persons give the
    same result as the whole table (up to the order of floating-point additions).
    """
    ids = persons["person_id"].to_numpy(np.int64)
    order = np.argsort(ids, kind="stable")
    spell_ids = spells["person_id"].to_numpy(np.int64)
    parts = []
    for lo in range(0, ids.size, block):
        chosen = ids[order[lo : lo + block]]
        people = persons.iloc[order[lo : lo + block]]
        own = spells[(spell_ids >= chosen[0]) & (spell_ids <= chosen[-1])]
        own = own[np.isin(own["person_id"].to_numpy(np.int64), chosen)]
        table, rows = _assistance(own, people, scenario, horizon)
        parts.append(Accounts.from_table(own, people, scenario, horizon, table, rows=rows))
        del table, rows
    if not parts:
        empty = assistance_table(spells, persons, scenario, horizon)
        return Accounts.from_table(spells, persons, scenario, horizon, empty)
    return Accounts(
        ledger=pd.concat([p.ledger for p in parts], ignore_index=True),
        paid_months_by_year=pd.concat([p.paid_months_by_year for p in parts], ignore_index=True),
        paid_months=pd.concat([p.paid_months for p in parts]),
    )
