"""Conservation: nobody is lost, time is accounted for exactly, and the money adds up.

Theory (identities, no sampling error; pass within a relative 1e-9 of floating point):

* Persons: at every whole month ``m`` the monthly occupancy (:func:`sim.outcomes.occupancy.occupancy`)
  sums over the states to the number of persons present, i.e. everyone on assistance at
  the start plus every applicant who has arrived by ``m``.
* Person-months, for every state and in total: the sum of spell lengths within
  ``[0, horizon)`` equals the time integral of the number in the state (an event sweep
  over spell starts and ends), equals the sum of the calendar-month fractions of
  ``Record.person_months``; and in total it equals the time each person was
  present, ``Σ (horizon − entry time)``.
* Costs (by year, from the ledger of the whole household-budget table): in every year, the
  total over items equals the municipality's, the regions' and the state's items (every item
  has a payer); spending minus revenue equals the net for every payer and year, and the
  metrics' revenue and net costs equal the tables'; over the run, the totals equal the metrics' ``cost_total_sek``,
  ``cost_municipality_sek`` and ``cost_state_sek`` (a second code path, via the accounts
  computed in blocks of persons), and the assistance item equals the weighted sum of the
  budget's payments.
* Assistance is never negative, and the norm is always met: in every month piece of
  an assistance state where the household's net income falls short of its needs (norm,
  rent and accepted costs), the assistance paid (per month: ``assistance_sek / fraction``)
  plus income reaches them (to 1e-6 SEK).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine.model import ReplicationOutput
from sim.experiments.replication import record_of, simulate
from sim.experiments.verification.result import EXACT_TOLERANCE, CheckResult, exact_check
from sim.outcomes.costs import PAYERS, costs_by_year
from sim.outcomes.occupancy import occupancy
from sim.outcomes.record import Record
from sim.scenario import Scenario
from sim.states import ASSISTANCE_STATES, STATES, code_array

__all__ = ["check_conservation", "conservation_checks", "cost_checks", "norm_checks", "time_integral"]

#: SEK by which paid assistance plus income may fall short of the needs (rounding).
NORM_SLACK = 1e-6


def time_integral(start: np.ndarray, end: np.ndarray) -> float:
    """``∫ N(t) dt`` for the intervals ``[start, end)``, by a sweep over their starts and ends."""
    times = np.concatenate([start, end])
    steps = np.concatenate([np.ones(start.size), -np.ones(end.size)])
    order = np.argsort(times, kind="stable")
    times, count = times[order], np.cumsum(steps[order])
    return float((count[:-1] * np.diff(times)).sum()) if times.size else 0.0


def _count_check(name: str, observed: np.ndarray, expected: np.ndarray, detail: str) -> CheckResult:
    gap = int(np.abs(observed - expected).max())
    passed = bool(np.array_equal(observed, expected))
    return CheckResult(name, float(observed.sum()), float(expected.sum()), None, None, 0.0, passed,
                       f"{detail}; largest gap {gap}", "equal every month")  # fmt: skip


def _all_close(name: str, observed: np.ndarray, expected: np.ndarray, detail: str) -> CheckResult:
    """One identity over many cells: the totals reported, passed only if every cell matches."""
    scale = np.maximum(1.0, np.abs(expected))
    worst = float((np.abs(observed - expected) / scale).max()) if observed.size else 0.0
    total = exact_check(name, float(observed.sum()), float(expected.sum()))
    return CheckResult(total.name, total.observed, total.expected, None, None, EXACT_TOLERANCE,
                       worst <= EXACT_TOLERANCE, f"{detail}; largest relative gap {worst:.1e}")  # fmt: skip


def conservation_checks(output: ReplicationOutput, scenario: Scenario) -> list[CheckResult]:
    """Every identity above on one replication's output."""
    horizon = output.horizon
    months = int(horizon)
    record = record_of(scenario, output)
    spells = output.spells
    pop = output.population
    entry = pop.entry_time[pop.applying()]
    present = np.array([(entry <= m).sum() for m in range(months + 1)])
    results = [
        _count_check("conservation: persons in states = persons present", occupancy(spells, months).sum(axis=1),
                     present, f"every month 0..{months}"),  # fmt: skip
    ]
    start = spells["start"].to_numpy()
    end = np.minimum(spells["end"].to_numpy(), horizon)
    state = spells["state"].to_numpy()
    pieces = record.person_months
    piece_state = pieces["state"].to_numpy()
    codes = range(len(STATES))
    lengths = np.array([(end - start)[state == c].sum() for c in codes])
    swept = np.array([time_integral(start[state == c], end[state == c]) for c in codes])
    fractions = np.array([pieces["fraction"].to_numpy()[piece_state == c].sum() for c in codes])
    results += [
        exact_check("conservation: person-months in spells = time present", float(lengths.sum()),
                    float((horizon - entry).sum()), "all states, Σ(horizon − entry)"),  # fmt: skip
        _all_close("conservation: ∫ occupancy dt = person-months in spells", swept, lengths, "each state"),
        _all_close("conservation: person_months() fractions = spells", fractions, lengths, "each state"),
    ]
    results += cost_checks(record)
    results += norm_checks(record.budget, record.persons)
    return results


def cost_checks(record: Record) -> list[CheckResult]:
    """The cost identities of one replication's record."""
    table = record.budget
    cost = costs_by_year(record.ledger, record.scenario, record.horizon)
    by_year = cost.pivot_table(index="year", columns="payer", values="cost_sek", aggfunc="sum", fill_value=0.0)
    total_by_year = cost.groupby("year")["cost_sek"].sum()
    payers = by_year.reindex(columns=list(PAYERS), fill_value=0.0)
    metrics = record.metrics
    overall = metrics[metrics["subgroup"] == "all"].set_index("metric")["value"]
    paid = float((table["assistance_sek"] * table["weight"]).sum())
    item = float(cost.loc[cost["item"] == "assistance", "cost_sek"].sum())
    years = f"years {int(total_by_year.index.min())}–{int(total_by_year.index.max())}"
    return [
        _all_close("costs: total = municipality + region + state (each year)", total_by_year.to_numpy(),
                   payers.sum(axis=1).to_numpy(), years + f", unpaid items: {int(cost['payer'].isna().sum())}"),
        exact_check("costs: cost_total_sek (metrics) = costs total", float(overall["cost_total_sek"]),
                    float(cost["cost_sek"].sum())),
        exact_check("costs: cost_municipality_sek (metrics) = municipality", float(overall["cost_municipality_sek"]),
                    float(payers["municipality"].sum())),
        exact_check("costs: cost_state_sek (metrics) = state", float(overall["cost_state_sek"]),
                    float(payers["state"].sum())),
        exact_check("costs: assistance item = Σ assistance paid × weight", item, paid),
        *_finance_checks(record, overall),
    ]  # fmt: skip


def _finance_checks(record: Record, overall: pd.Series) -> list[CheckResult]:
    """Spending − revenue = net for every payer and year, and the metrics' revenue and net equal the tables'."""
    finances = record.public_finances
    gap = finances["spending_sek"] - finances["revenue_sek"] - finances["net_sek"]
    spending = record.costs.groupby(["year", "payer"])["cost_sek"].sum()
    table_spending = finances.set_index(["year", "payer"])["spending_sek"].reindex(spending.index)
    checks = [
        _all_close("public finances: spending − revenue = net (each payer and year)", gap.to_numpy(),
                   np.zeros(len(gap)), f"{len(gap)} payer-years"),
        _all_close("public finances: spending = the cost table's (each payer and year)", table_spending.to_numpy(),
                   spending.to_numpy(), f"{len(spending)} payer-years"),
        exact_check("public finances: revenue_total_sek (metrics) = revenue table", float(overall["revenue_total_sek"]),
                    float(record.revenue["revenue_sek"].sum())),
    ]  # fmt: skip
    for payer in PAYERS:
        mine = finances[finances["payer"] == payer]
        checks.append(exact_check(f"public finances: net_cost_{payer}_sek (metrics) = net", float(overall[f"net_cost_{payer}_sek"]),
                                  float(mine["net_sek"].sum())))  # fmt: skip
    return checks


def norm_checks(table: pd.DataFrame, persons: pd.DataFrame) -> list[CheckResult]:
    """Assistance is never negative (nor paid outside assistance states) and always tops income up to the needs (norm, rent, accepted costs)."""
    paid = table["assistance_sek"].to_numpy()
    fraction = table["fraction"].to_numpy()
    if "needs" in table:
        need = table["needs"].to_numpy()
    else:
        need = table["norm"].to_numpy() + persons.set_index("person_id")["rent"].reindex(table["person_id"]).to_numpy()
    income = table["income"].to_numpy()
    assisted = np.isin(table["state"].to_numpy(), code_array(*ASSISTANCE_STATES))
    gap = assisted & (income < need)
    monthly = np.divide(paid, fraction, out=np.zeros_like(paid), where=fraction > 0)
    shortfall = np.clip(need - (monthly + income), 0.0, None)[gap]
    short = int((shortfall > NORM_SLACK).sum())
    outside = int((paid[~assisted] != 0).sum())
    negative = int((paid < 0).sum())
    return [
        CheckResult("assistance: never negative", float(paid.min(initial=0.0)), 0.0, None, None, 0.0,
                    negative == 0 and outside == 0,
                    f"{negative} of {paid.size} month pieces below 0; {outside} paid outside assistance states",
                    "min >= 0"),
        CheckResult("assistance: needs (norm, rent, accepted costs) always covered", float(short), 0.0, None, None, NORM_SLACK, short == 0,
                    f"{int(gap.sum())} month pieces with income below the needs; "
                    f"largest shortfall {float(shortfall.max(initial=0.0)):.2g} SEK",
                    "0 short by > 1e-6 SEK"),
    ]  # fmt: skip


def check_conservation(base: Scenario, scale: float, months: int, seed: int) -> list[CheckResult]:
    """Run ``base`` and check every identity on the result."""
    return conservation_checks(simulate(base, seed, 0, scale, months), base)
