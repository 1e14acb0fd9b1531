"""The household budget of each person-month: the norm and accepted costs, every income, tax, assistance.

Assistance (försörjningsstöd) tops a household's income up to what the rules say it
needs: ``assistance = fraction × max(0, norm − reductions + rent + accepted costs − net
income)`` in the assistance states, 0 elsewhere. The lines of one household-month
(:func:`budget_lines`, the same code for the simulation and for a type case,
:func:`sim.api.household`):

* **needs**: riksnormen by household and children's ages (:mod:`sim.rules.norm`), less what
  the levers cut (a benefit cap, a sanction); the rent; the costs outside the norm social
  services accept (household electricity, home insurance, by household size; the maxtaxa fee
  for förskola and fritidshem);
* **incomes**: earnings (in work), aktivitetsstöd (:class:`~sim.policies.allowance.AllowancePolicy`)
  or the programme allowance, barnbidrag with flerbarnstillägg, bostadsbidrag and
  underhållsstöd or the other parent's maintenance (:mod:`sim.rules.housing_allowance`), each
  counted net of the tax on it (:mod:`sim.rules.tax`; earnings, aktivitetsstöd and the
  programme allowance are taxable); the bostadsbidrag counts the year's taxable income as
  twelve times the month's;
* **assistance** and the **disposable income** that results.

A rule whose section the scenario leaves out is not applied. Everything is vectorised
over rows; the dated rules are evaluated once per calendar month.
"""

from __future__ import annotations

from datetime import date
from typing import get_args

import numpy as np
import pandas as pd

from sim.outcomes.months import SPELL_CONTEXT, positions
from sim.policies.base import UNIFORM_COLUMN, MonthRows, Policy
from sim.rules.benefits import child_allowance
from sim.rules.calendar import Calendar
from sim.rules.housing_allowance import housing_allowance, maintenance_support
from sim.rules.norm import ADULTS, NORM_CHILD_AGE_LIMIT, child_ages, child_columns, household_norm
from sim.rules.tax import month_tax
from sim.scenario.budget import HouseholdSize
from sim.scenario.schema import Scenario
from sim.states import ASSISTANCE_STATES, State, code_array

__all__ = ["BUDGET_COLUMNS", "LINES", "budget_lines", "costed_states", "household_budget", "month_rows"]

_ASSISTED = code_array(*ASSISTANCE_STATES)
_EMPLOYED = code_array(State.EMPLOYMENT)
_SUBSIDISED = code_array(State.SUBSIDISED_EMPLOYMENT)
#: States whose months carry a monthly amount without any lever: studies and other exits
#: cost nothing per month and are many of the rows. Months in work are priced too when
#: the scenario knows earnings (for the tax they bring).
_COSTED = code_array(*(ASSISTANCE_STATES | {State.SUBSIDISED_EMPLOYMENT}))
_ROW_BLOCK = 500_000
#: Barnbidrag, bostadsbidrag and underhållsstöd count children under 18 (the norm counts to 21).
BENEFIT_CHILD_AGE_LIMIT = 18
#: Person attributes passed to the policies' after-run hooks (``MonthRows.extra``).
_PERSON_EXTRA = (
    "woman", "born_abroad", "initial", "n_children", "age", "entry_time",
    "household", "barrier", "elapsed_months",
)  # fmt: skip
_PERSON_COLUMNS = ["entry_time", "household", "rent"]
#: The lines of one household-month, SEK per full month, in the order a type case prints them.
LINES = (
    "norm", "rent", "electricity", "home_insurance", "childcare_fee", "needs",
    "earnings", "activity_support", "programme_allowance", "child_allowance", "housing_allowance",
    "maintenance_support", "maintenance_from_parent", "other_income", "gross_income", "tax_municipal", "tax_regional", "tax_state", "tax_reductions", "tax",
    "net_income",
    "assistance", "disposable_income",
)  # fmt: skip
#: The lines kept in the budget table of a replication (the rest are only for type cases).
BUDGET_COLUMNS = (
    "norm", "needs", "income", "assistance_sek", "earnings", "housing_allowance", "maintenance_support",
    "tax_municipal", "tax_regional", "tax_state", "tax_reductions",
)  # fmt: skip


def costed_states(policies: list[Policy], scenario: Scenario | None = None) -> list[int]:
    """The state codes whose months are priced: those with monthly amounts, those a lever prices, and
    work when the scenario knows earnings."""
    codes = set(_COSTED.tolist()).union(*(p.costed_states for p in policies))
    if scenario is not None and scenario.earnings is not None:
        codes |= set(_EMPLOYED.tolist())
    return sorted(codes)


def household_budget(
    months: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario, policies: list[Policy]
) -> tuple[pd.DataFrame, MonthRows]:
    """The budget lines and the assistance paid in each person-month row.

    Args:
        months: person-month rows (:func:`sim.outcomes.months.person_months`).
        policies: the levers in force (their after-run hooks add income and reductions).

    Returns:
        ``months`` with the :data:`BUDGET_COLUMNS` (``assistance_sek`` household SEK, prorated,
        not weighted; the others per full month), and the rows as the levers saw them.
    """
    rows = month_rows(months, persons, scenario)
    lines = budget_lines(rows, scenario, policies, *_drawn_flags(rows, scenario))
    assisted = np.isin(months["state"].to_numpy(), _ASSISTED)
    payment = np.where(assisted, months["fraction"].to_numpy() * lines["assistance"], 0.0)
    kept = {"norm": lines["norm"], "income": lines["net_income"], "assistance_sek": payment}
    kept.update({name: lines[name] for name in BUDGET_COLUMNS if name not in kept})
    return months.assign(**kept), rows


def budget_lines(
    rows: MonthRows,
    scenario: Scenario,
    policies: list[Policy],
    claims_housing_allowance: np.ndarray | bool = True,
    receives_maintenance: np.ndarray | bool = True,
    earnings: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Every line of each row's household budget for a full month (SEK), by the scenario's rules.

    Args:
        rows: the household-months (the engine's, or one built for a type case).
        policies: the levers in force; their incomes and norm reductions count.
        claims_housing_allowance: whether each household claims the bostadsbidrag it is entitled to.
        receives_maintenance: whether a single parent's children receive underhållsstöd from
            Försäkringskassan (else the same amount from the other parent).
        earnings: gross earnings per row; by default those of :func:`earnings_of` (work only).

    Returns:
        One array per name in :data:`LINES`; ``assistance`` is the full month's, whatever the state
        (the caller pays it only in the assistance states).
    """
    n = len(rows.month)
    zero = np.zeros(n)
    zero.flags.writeable = False  # shared by every line nothing adds to; a line is replaced, never written into
    lines: dict[str, np.ndarray] = dict.fromkeys(LINES, zero)
    reduction = zero
    for policy in policies:
        cut = policy.norm_reduction(rows)
        if cut is not None:
            reduction = reduction + cut
        extra = policy.income(rows)
        if extra is not None:
            lines[policy.income_line] = lines[policy.income_line] + extra
    lines["norm"] = rows.norm - reduction
    lines["rent"] = rows.rent
    lines["child_allowance"] = rows.extra["base_income"]
    lines["earnings"] = earnings_of(rows, scenario) if earnings is None else np.asarray(earnings, dtype=float)
    _accepted_costs(lines, rows, scenario, rows.extra["adults"])
    taxable = lines["earnings"] + lines["activity_support"] + lines["programme_allowance"]
    _childcare_fee(lines, rows, scenario, taxable)
    months = _month_groups(rows)
    _taxes(lines, scenario, months, taxable)
    _housing_allowance(lines, rows, scenario, months, taxable, claims_housing_allowance)
    _maintenance_support(lines, rows, scenario, months, receives_maintenance)
    lines["tax"] = lines["tax_municipal"] + lines["tax_regional"] + lines["tax_state"] + lines["tax_reductions"]
    incomes = ("earnings", "activity_support", "programme_allowance", "child_allowance", "housing_allowance",
               "maintenance_support", "maintenance_from_parent", "other_income")  # fmt: skip
    gross = np.zeros_like(lines["earnings"])
    for name in incomes:
        gross = gross + lines[name]
    lines["gross_income"] = gross
    lines["net_income"] = lines["gross_income"] - lines["tax"]
    lines["needs"] = lines["norm"] + lines["rent"] + lines["electricity"] + lines["home_insurance"] + lines["childcare_fee"]
    lines["assistance"] = np.maximum(lines["needs"] - lines["net_income"], 0.0)
    lines["disposable_income"] = lines["net_income"] + np.where(np.isin(rows.state, _ASSISTED), lines["assistance"], 0.0)
    return lines


def earnings_of(rows: MonthRows, scenario: Scenario) -> np.ndarray:
    """Gross earnings per row: a full-time or part-time wage in employment, the subsidised wage in subsidised
    employment, nothing elsewhere (a person's own uniform decides part time, the same in every month)."""
    wages = scenario.earnings
    if wages is None:
        return np.zeros(len(rows.month))
    full, subsidised = wages.full_time_per_month, wages.subsidised_per_month
    uniform = rows.extra.get(f"policy_u{UNIFORM_COLUMN['part_time']}")
    part = uniform < wages.part_time_share if uniform is not None else np.zeros(len(rows.month), dtype=bool)
    employed = np.where(part, wages.part_time_hours_share * full, full)
    return np.where(np.isin(rows.state, _EMPLOYED), employed, np.where(np.isin(rows.state, _SUBSIDISED), subsidised, 0.0))


def _drawn_flags(rows: MonthRows, scenario: Scenario) -> tuple[np.ndarray | bool, np.ndarray | bool]:
    """Who claims bostadsbidrag and who receives underhållsstöd, by each person's own uniforms."""
    claims: np.ndarray | bool = True
    receives: np.ndarray | bool = True
    u_claim = rows.extra.get(f"policy_u{UNIFORM_COLUMN['housing_allowance']}")
    u_receive = rows.extra.get(f"policy_u{UNIFORM_COLUMN['maintenance']}")
    if scenario.housing_allowance is not None and u_claim is not None:
        claims = u_claim < scenario.housing_allowance.take_up_share
    if scenario.maintenance_support is not None and u_receive is not None:
        receives = u_receive < scenario.maintenance_support.receiving_share
    return claims, receives


def _month_groups(rows: MonthRows) -> list[tuple[date, np.ndarray]]:
    """The rows of each calendar month (first day, row indices), from one sort: the dated rules are evaluated
    once per month on that month's rows."""
    if not len(rows.month):
        return []
    order = np.argsort(rows.month, kind="stable")
    months, starts = np.unique(rows.month[order], return_index=True)
    return [(rows.dates[int(m)], part) for m, part in zip(months, np.split(order, starts[1:]))]


def _taxes(lines: dict[str, np.ndarray], scenario: Scenario, months: list[tuple[date, np.ndarray]],
           taxable: np.ndarray) -> None:  # fmt: skip
    """Municipal, regional and state income tax and the reductions, by each month's tax rules."""
    if scenario.tax is None:
        return
    parts = [np.zeros(taxable.size) for _ in range(4)]
    earned = lines["earnings"]
    for when, at in months:
        tax = month_tax(scenario.tax, scenario.price_base_amount, when, earned[at], taxable[at] - earned[at])
        for part, values in zip(parts, (tax.municipal, tax.regional, tax.state, -tax.credit)):
            part[at] = values
    lines["tax_municipal"], lines["tax_regional"], lines["tax_state"], lines["tax_reductions"] = parts


def _children_under_18(rows: MonthRows) -> np.ndarray:
    return (np.nan_to_num(rows.child_ages, nan=np.inf) < BENEFIT_CHILD_AGE_LIMIT).sum(axis=1)


def _housing_allowance(lines: dict[str, np.ndarray], rows: MonthRows, scenario: Scenario,
                       months: list[tuple[date, np.ndarray]], taxable: np.ndarray,
                       claims: np.ndarray | bool) -> None:  # fmt: skip
    """Bostadsbidrag of the households with children that claim it, on the yearly taxable income."""
    if scenario.housing_allowance is None:
        return
    paid = np.zeros(taxable.size)
    children, adults = _children_under_18(rows), rows.extra["adults"]
    claiming = np.broadcast_to(claims, (taxable.size,))
    for when, at in months:
        at = at[(children[at] > 0) & claiming[at]]
        paid[at] = housing_allowance(scenario.housing_allowance, when, children[at], rows.rent[at],
                                     12.0 * taxable[at], adults[at])  # fmt: skip
    lines["housing_allowance"] = paid


def _maintenance_support(lines: dict[str, np.ndarray], rows: MonthRows, scenario: Scenario,
                         months: list[tuple[date, np.ndarray]], receives: np.ndarray | bool) -> None:  # fmt: skip
    """Underhållsstöd to single parents' children, or the same amount from the other parent."""
    if scenario.maintenance_support is None:
        return
    n = len(rows.month)
    from_state, from_parent = np.zeros(n), np.zeros(n)
    children, adults = _children_under_18(rows), rows.extra["adults"]
    receiving = np.broadcast_to(receives, (n,))
    for when, at in months:
        at = at[(adults[at] == 1) & (children[at] > 0)]
        support = maintenance_support(scenario.maintenance_support, when, rows.child_ages[at])
        from_state[at] = np.where(receiving[at], support, 0.0)
        from_parent[at] = np.where(receiving[at], 0.0, support)
    lines["maintenance_support"], lines["maintenance_from_parent"] = from_state, from_parent


def _accepted_costs(lines: dict[str, np.ndarray], rows: MonthRows, scenario: Scenario, adults: np.ndarray) -> None:
    costs = scenario.accepted_costs
    if costs is None:
        return
    size = np.clip(adults + (np.nan_to_num(rows.child_ages, nan=np.inf) < NORM_CHILD_AGE_LIMIT).sum(axis=1), 1, 7)
    for line, table in (("electricity", costs.household_electricity), ("home_insurance", costs.home_insurance)):
        sizes = [table[k] for k in get_args(HouseholdSize)]
        by_month = np.array([[amount.at(d) for amount in sizes] for d in rows.dates]).reshape(len(rows.dates), 7)
        lines[line] = by_month[rows.month, size - 1] if len(rows.month) else np.zeros(0)


def _childcare_fee(lines: dict[str, np.ndarray], rows: MonthRows, scenario: Scenario, income: np.ndarray) -> None:
    """The maxtaxa fee: each child in förskola or fritidshem, youngest first, pays its share of the household's
    gross taxable income above the disregard (up to the cap)."""
    rule = scenario.accepted_costs.childcare_fee if scenario.accepted_costs is not None else None
    if rule is None or not len(rows.month):
        return
    all_years = np.floor(np.nan_to_num(rows.child_ages, nan=np.inf))
    # Only rows with a child of care age and some income can owe a fee (most rows have neither).
    first, last = min(rule.preschool_ages[0], rule.school_ages[0]), max(rule.preschool_ages[1], rule.school_ages[1])
    owing = np.flatnonzero(((all_years >= first) & (all_years <= last)).any(axis=1) & (income > 0))
    fee = np.zeros(len(rows.month))
    if not owing.size:
        lines["childcare_fee"] = fee
        return
    month = rows.month[owing]
    cap = np.array([rule.income_cap_per_month.at(d) for d in rows.dates])[month]
    disregard = np.array([rule.income_disregard_per_month.at(d) for d in rows.dates])[month]
    base = np.clip(income[owing] - disregard, 0.0, cap)
    years = all_years[owing]
    preschool = (years >= rule.preschool_ages[0]) & (years <= rule.preschool_ages[1])
    school = (years >= rule.school_ages[0]) & (years <= rule.school_ages[1])
    in_care = preschool | school
    order = np.argsort(np.where(in_care, years, np.inf), axis=1, kind="stable")
    place = np.argsort(order, axis=1, kind="stable")  # 0 for the youngest child in care
    shares = [np.array([*table, 0.0])[np.minimum(place, len(table))] for table in (rule.preschool_shares,
                                                                                  rule.school_shares)]  # fmt: skip
    share = np.where(preschool, shares[0], np.where(school, shares[1], 0.0)).sum(axis=1)
    fee[owing] = share * base
    lines["childcare_fee"] = fee


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
    ages = np.empty((n, len(child_columns(persons.columns))))
    # In blocks, so the temporaries of a national run stay small.
    for lo in range(0, n, _ROW_BLOCK):
        hi = min(lo + _ROW_BLOCK, n)
        norm[lo:hi], income[lo:hi], rent[lo:hi], ages[lo:hi] = _norm_and_income(
            persons, rows[lo:hi], month[lo:hi], scenario, calendar
        )
    adults = persons["household"].map(ADULTS).to_numpy(np.int64)[rows] if n else np.zeros(0, np.int64)
    eager = {"base_income": income, "adults": adults}
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
    attrs = persons.reindex(columns=_PERSON_COLUMNS + child_columns(persons.columns)).iloc[rows]  # only the needed columns are gathered
    frame = attrs.reset_index(drop=True).assign(month=month)
    ages = child_ages(frame)
    norm = household_norm(frame, scenario.norm, calendar, ages)
    income = child_allowance(frame, scenario.allowances, calendar, ages)
    return norm, income, frame["rent"].to_numpy(float), ages
