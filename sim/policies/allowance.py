"""The allowance paid in AF programmes (aktivitetsstöd), and the lock-in a higher allowance brings.

:class:`AllowancePolicy` is always in force: a participant in an AF programme
without unemployment insurance is paid aktivitetsstöd (``allowances.activity_support_per_day``
× ``allowances.days_per_month`` a month, dated: 223 SEK/day until 2025-09-30, 365 from
2025-10-01, seed 004), which counts as household income against the norm and is a
cost item of the state (``activity_support``).

:class:`AllowanceIncentivePolicy` (``policies.allowance_incentive``): a participant paid more in an activity has less to gain from a job, so exits to
work slow down. The size follows Ottosson's estimate for benefit generosity (IFAU
dissertation series 2022:1, essay I; PF section 8): +1 % generosity, −0.2 %
employment among high-risk individuals, read here as the elasticity of the exit
hazard to work with respect to the allowance:

    factor(t) = (allowance per day at t / reference per day) ** (−elasticity)

The allowance is aktivitetsstöd (``allowances.activity_support_per_day``) in AF
programmes and, when the combined programme is in force, its basic allowance
converted to a daily amount (monthly allowance / ``allowances.days_per_month``).
Evaluations of Norway's programme found no such lock-in from its generous
allowance (Markussen & Røed 2016, PF section 8); a scenario that follows them
sets a small elasticity. An elasticity of 0 changes nothing, to the bit.

Example:
    >>> round((365 / 223) ** -0.2, 4)
    0.9062
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.person import Person
from sim.policies.base import WORK, Adjustment, Context, MonthRows, Policy, codes
from sim.rules.benefits import activity_support_per_month
from sim.scenario.levers import AllowanceIncentive
from sim.states import STATE_INDEX, State

if TYPE_CHECKING:
    from sim.scenario.schema import Allowances, Scenario

__all__ = ["AllowancePolicy", "AllowanceIncentivePolicy"]

_AF = STATE_INDEX[State.AF_PROGRAMME]
_PROGRAMME = STATE_INDEX[State.COMBINED_PROGRAMME]


class AllowancePolicy(Policy):
    """Aktivitetsstöd for every month in an AF programme: household income, and the state's cost.

    Configured by the scenario's ``allowances`` section, not by a lever of ``policies:``.
    """

    name = "allowance"
    costed_states = codes(State.AF_PROGRAMME)
    income_line = "activity_support"

    def __init__(self, config: Allowances, scenario: Scenario, context: Context | None) -> None:
        """Keep the dated allowance.

        Args:
            config: the scenario's ``allowances`` section.
            scenario: the whole scenario.
            context: the replication's population and calendar (``None`` after the run).
        """
        super().__init__(config, scenario, context)
        self.config: Allowances = config

    def _per_month(self, rows: MonthRows) -> np.ndarray:
        """A full month of aktivitetsstöd in each calendar month of the rows (indexed by month)."""
        return activity_support_per_month(self.config, rows.dates)

    def income(self, rows: MonthRows) -> np.ndarray:
        """A full month of aktivitetsstöd in every AF-programme row (counted against the norm)."""
        return np.where(rows.state == _AF, self._per_month(rows)[rows.month], 0.0)

    def costs(self, rows: MonthRows, paid: np.ndarray) -> dict[str, np.ndarray]:
        """Item ``activity_support``: the months (fractions) in AF programmes, national SEK."""
        weighted = rows.fraction * rows.weight
        return {"activity_support": np.where(rows.state == _AF, weighted * self._per_month(rows)[rows.month], 0.0)}


class AllowanceIncentivePolicy(Policy):
    """Exits to work from AF programmes (and the combined programme) scaled by the allowance level.

    The factor is a step function of calendar time that changes where the daily
    allowance changes, precomputed once per replication; every participant gets the
    same list of windows.
    """

    name = "allowance_incentive"
    config: AllowanceIncentive

    def __init__(self, config: AllowanceIncentive, scenario: Scenario, context: Context | None) -> None:
        """Precompute the windows of each origin from the dated allowances.

        Args:
            config: the lever's section (``sim.scenario.levers.AllowanceIncentive``).
            scenario: the whole scenario (for the allowances and the combined programme).
            context: the replication's calendar; ``None`` when only after-run hooks are used.

        Raises:
            ValueError: if an allowance is 0 while the elasticity is positive (no finite factor).
        """
        super().__init__(config, scenario, context)
        programme = scenario.policies.combined_programme
        self.origins = codes(State.AF_PROGRAMME) | (
            codes(State.COMBINED_PROGRAMME) if programme is not None else frozenset()
        )
        self._windows: dict[int, list[Adjustment]] = {}
        if context is None:
            return
        support = scenario.allowances.activity_support_per_day
        self._windows[_AF] = self._steps(support.dates, support.values, context)
        if programme is not None:
            per_day = programme.allowance_share_of_price_base_per_week * programme.weeks_per_month
            per_day /= scenario.allowances.days_per_month
            base = scenario.price_base_amount
            daily = tuple(v * per_day for v in base.values)
            self._windows[_PROGRAMME] = self._steps(base.dates, daily, context)

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """The lock-in windows of the person's activity (the same for every participant)."""
        return self._windows.get(person.state, [])

    def factor(self, per_day: float) -> float:
        """The multiplier on exits to work at a daily allowance of ``per_day`` SEK.

        Raises:
            ValueError: if ``per_day`` is 0 and the elasticity positive.
        """
        elasticity = self.config.elasticity
        if elasticity == 0.0:
            return 1.0
        if per_day <= 0.0:
            raise ValueError("allowance_incentive: an allowance of 0 per day has no finite lock-in factor")
        return float((per_day / self.config.reference_activity_support_per_day) ** (-elasticity))

    def _steps(self, dates: tuple[date, ...], values: tuple[float, ...], context: Context) -> list[Adjustment]:
        """One window per dated value whose factor is not 1 (the first value also holds before its date)."""
        edges = [-math.inf] + [context.time_of(d) for d in dates[1:]] + [math.inf]
        windows = []
        for k, value in enumerate(values):
            factor = self.factor(value)
            if factor != 1.0 and edges[k] < edges[k + 1]:
                windows.append(Adjustment(WORK, factor, edges[k], edges[k + 1]))
        return windows
