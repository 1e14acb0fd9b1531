"""One replication's record: what the engine produced, and everything computed from it, each once.

A :class:`Record` holds the spell log, the persons table and the waits of one
replication together with the scenario and the horizon they belong to. Every
outcome (the household budgets, the cost ledger, the metrics, the costs by year,
time to work, occupancy, queues) is a property computed on first use and kept,
so each is computed once however many others need it, and no caller threads
tables or caches from one function to the next.

Example:
    >>> import pandas as pd
    >>> from sim.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> spells = pd.DataFrame({"person_id": [1, 1], "state": [0, 4], "start": [0.0, 3.0],
    ...                        "end": [3.0, 12.0], "next_state": [4, -1]})
    >>> persons = pd.DataFrame({"person_id": [1], "weight": [20.0], "entry_time": [0.0], "household": ["single"],
    ...                         "rent": [4700.0], "woman": [True], "born_abroad": [False], "n_children": [0],
    ...                         "af_registered": [True], "barrier": ["unemployment"]})
    >>> record = Record(scenario, spells, persons, horizon=12.0)
    >>> record.budget.groupby("state")["month"].agg(list).to_dict()  # assistance (0), then work (4) at a wage
    {0: [0, 1, 2], 4: [3, 4, 5, 6, 7, 8, 9, 10, 11]}
    >>> float(record.metrics.query("metric == 'employment_rate_6m' and subgroup == 'all'")["value"].item())
    1.0
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

import numpy as np
import pandas as pd

from sim.outcomes.accounts import ACCOUNT_BLOCK, Accounts
from sim.outcomes.budget import costed_states, household_budget
from sim.outcomes.costs import assessment_costs, cost_ledger, costs_by_year, public_finances, revenue_by_year
from sim.outcomes.metrics import metrics
from sim.outcomes.months import assessment_events, person_months, spell_context
from sim.outcomes.occupancy import occupancy_table, queue_lengths, wait_summary
from sim.outcomes.survival import work_survival
from sim.policies import build_policies
from sim.policies.base import MonthRows, Policy
from sim.scenario.schema import Scenario

__all__ = ["Record"]

_NO_WAITS = ("person_id", "resource", "start", "end", "granted")


class Record:
    """What one replication produced, and the outcomes computed from it on first use.

    Args:
        scenario: the scenario the replication ran.
        spells: the spell log (``person_id, state, start, end, next_state`` and
            optionally ``intensity``), one row per stay in a state.
        persons: one row per simulated person (``Population.to_frame()``).
        horizon: months simulated.
        waits: the waits for capacity-limited resources, if any were logged.
        weight: national households each simulated one stands for (for occupancy and
            queues; the budgets and costs use each person's own ``weight``).
        policies: the levers' after-run hooks, if already built for this scenario.
    """

    def __init__(
        self,
        scenario: Scenario,
        spells: pd.DataFrame,
        persons: pd.DataFrame,
        horizon: float,
        waits: pd.DataFrame | None = None,
        weight: float = 1.0,
        policies: list[Policy] | None = None,
    ) -> None:
        self.scenario = scenario
        self.spells = spells
        self.persons = persons
        self.horizon = float(horizon)
        self.waits = waits if waits is not None else pd.DataFrame(columns=list(_NO_WAITS))
        self.weight = weight
        if policies is not None:
            self.policies = policies

    @cached_property
    def policies(self) -> list[Policy]:
        """The levers in force, for their after-run hooks (income, reductions, cost items)."""
        return build_policies(self.scenario)

    @cached_property
    def context(self) -> pd.DataFrame:
        """The spells sorted by person and start, with ``spell_start`` and ``run_start`` (:func:`spell_context`)."""
        return spell_context(self.spells, self.persons)

    @cached_property
    def person_months(self) -> pd.DataFrame:
        """Every spell cut into its calendar-month pieces within the horizon (:func:`person_months`)."""
        return person_months(self.spells, self.persons, self.scenario.simulation.start_date, self.horizon)

    @cached_property
    def _budget_rows(self) -> tuple[pd.DataFrame, MonthRows]:
        # Only months that carry an amount are priced: employment, studies and other
        # exits cost nothing per month unless a lever says so, and are most of the rows.
        context = self.context
        costed = context[np.isin(context["state"].to_numpy(), costed_states(self.policies, self.scenario))]
        months = person_months(costed, self.persons, self.scenario.simulation.start_date, self.horizon)
        return household_budget(months, self.persons, self.scenario, self.policies)

    @property
    def budget(self) -> pd.DataFrame:
        """The household budget of each priced person-month: norm, income, ``assistance_sek`` (household SEK)."""
        return self._budget_rows[0]

    @property
    def month_rows(self) -> MonthRows:
        """The budget's rows as the levers' after-run hooks see them."""
        return self._budget_rows[1]

    @cached_property
    def assessments(self) -> pd.DataFrame:
        """Caseworker assessments: ``person_id, time, count`` (:func:`assessment_events`)."""
        return assessment_events(self.spells, self.persons, self.horizon)

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """National cost of each item per person and calendar year (from the whole budget table)."""
        assessed = assessment_costs(self.assessments, self.persons, self.scenario)
        return cost_ledger(self.budget, self.month_rows, assessed, self.scenario, self.policies)

    @cached_property
    def accounts(self) -> Accounts:
        """The budgets' sums (ledger, months paid), computed for blocks of persons (:meth:`accounts_in_blocks`)."""
        return self.accounts_in_blocks(ACCOUNT_BLOCK)

    def accounts_in_blocks(self, block: int) -> Accounts:
        """:class:`Accounts` computed for ``block`` persons at a time, so the person-month rows never all exist.

        Every quantity is a sum over one person's rows, so blocks give the same result as
        the whole table (up to the order of floating-point additions).
        """
        parts = [Accounts.of(part.ledger, part.budget) for part in self._blocks(block)]
        return Accounts.combine(parts) if parts else Accounts.of(self.ledger, self.budget)

    def _blocks(self, block: int) -> Iterator[Record]:
        """Records of ``block`` persons each (in order of person id), with their own spells."""
        ids = self.persons["person_id"].to_numpy(np.int64)
        order = np.argsort(ids, kind="stable")
        spell_ids = self.spells["person_id"].to_numpy(np.int64)
        for lo in range(0, ids.size, block):
            chosen = ids[order[lo : lo + block]]
            people = self.persons.iloc[order[lo : lo + block]]
            own = self.spells[(spell_ids >= chosen[0]) & (spell_ids <= chosen[-1])]
            own = own[np.isin(own["person_id"].to_numpy(np.int64), chosen)]
            yield Record(self.scenario, own, people, self.horizon, policies=self.policies)

    @cached_property
    def costs(self) -> pd.DataFrame:
        """National cost by calendar year and item, with the item's payer (``year, item, payer, cost_sek``)."""
        return costs_by_year(self.accounts.ledger, self.scenario, self.horizon)

    @cached_property
    def revenue(self) -> pd.DataFrame:
        """National revenue from the households' incomes by calendar year and item, with its receiver
        (``year, item, payer, revenue_sek``): income taxes and the employer's contributions."""
        return revenue_by_year(self.accounts.ledger, self.scenario, self.horizon)

    @cached_property
    def public_finances(self) -> pd.DataFrame:
        """Spending, revenue and net cost by calendar year and payer (``year, payer, spending_sek, revenue_sek,
        net_sek``)."""
        return public_finances(self.costs, self.revenue)

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """Every metric for every subgroup: ``metric, subgroup, value`` (:func:`sim.outcomes.metrics.metrics`)."""
        return metrics(self.spells, self.persons, self.scenario, self.horizon, self.accounts)

    @cached_property
    def survival(self) -> pd.DataFrame:
        """Share not yet in work by months since entry, per subgroup (``subgroup, month, not_in_work``)."""
        return work_survival(self.spells, self.persons, self.horizon)

    def occupancy(self, months: int) -> pd.DataFrame:
        """National persons per state at each whole month ``0..months`` (``month, state, persons``)."""
        return occupancy_table(self.spells, months, self.weight)

    def queues(self, months: int) -> pd.DataFrame:
        """National persons waiting for each resource at each whole month (``resource, month, waiting``)."""
        return queue_lengths(self.waits, months, self.weight)

    @cached_property
    def wait_summary(self) -> pd.DataFrame:
        """Per resource: number of waits, how many got it, mean wait in months."""
        return wait_summary(self.waits)
