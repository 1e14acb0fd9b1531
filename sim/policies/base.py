"""The one interface through which a lever changes the model.

A lever (``sim/policies/<lever>.py``) subclasses :class:`Policy` and overrides
only the hooks it needs; every hook's default changes nothing. Hooks come in two
families:

* **during the simulation** (plain Python, called by the engine at a person's
  decision points): :meth:`Policy.adjust` (hazard multipliers over time, which
  also express eligibility: a factor of 0), :meth:`Policy.intensity` (hours of
  activity relative to full time), :meth:`Policy.deadline` (a fixed-time exit),
  :meth:`Policy.keep_applicant` (fewer applications), :meth:`Policy.decision_delay`,
  :meth:`Policy.case_hours_per_household`, :meth:`Policy.leave`;
* **after the simulation** (vectorised over person-month rows, see
  :class:`MonthRows`): :meth:`Policy.income`, :meth:`Policy.norm_reduction`,
  :meth:`Policy.costs`.

A policy receives the person, the time and its own configuration, never the
model: it cannot reach back into the engine.

Example:
    >>> from sim.states import State, STATE_INDEX
    >>> a = Adjustment(frozenset({STATE_INDEX[State.EMPLOYMENT]}), 1.5, start=6.0)
    >>> a.factor_at(3.0), a.factor_at(7.0)
    (1.0, 1.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.agents.person import Person
from sim.agents.population import Population
from sim.states import STATE_INDEX, WORK_STATES, State

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = [
    "Adjustment", "Context", "MonthRows", "Policy", "codes", "months_between", "WORK", "WORK_OR_STUDIES",
    "UNIFORM_COLUMN",
]  # fmt: skip


def codes(*states: State) -> frozenset[int]:
    """State codes (as used by the engine and the spell log) of the given states."""
    return frozenset(STATE_INDEX[s] for s in states)


def months_between(start: date, when: date) -> float:
    """Model months from ``start`` (a first of the month) to ``when``: whole months plus the fraction of the month.

    The after-run hooks, which have no :class:`Context`, use it to place a lever's dates on the model's clock.
    """
    months = (when.year - start.year) * 12 + when.month - start.month
    return months + (when.day - 1) / 30.4375


#: Which column of a person's lever uniforms (``Population.u_policy[pid, k]``, and
#: ``policy_u<k>`` in the persons table) each lever draws from, so levers never share a draw.
UNIFORM_COLUMN = {"exemption": 0, "extension": 1, "take_up": 2, "maintenance": 3, "housing_allowance": 4, "part_time": 5}

#: Destinations that count as exits to work, and to work or studies.
WORK = codes(*WORK_STATES)
WORK_OR_STUDIES = WORK | codes(State.STUDIES)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """Multiply the hazards to ``destinations`` by ``factor`` on ``[start, end)`` (absolute months)."""

    destinations: frozenset[int]
    factor: float
    start: float = -math.inf
    end: float = math.inf

    def factor_at(self, t: float) -> float:
        """The factor in force at time ``t`` (1 outside the window)."""
        return self.factor if self.start <= t < self.end else 1.0


@dataclass(frozen=True)
class Context:
    """What every policy may know about the run: the population and the calendar."""

    population: Population
    start_date: date

    def time_of(self, when: date) -> float:
        """Months from the start date to ``when`` (whole months plus the fraction of the month)."""
        return months_between(self.start_date, when)

    def date_of(self, t: float) -> date:
        """The calendar date at time ``t`` (to the day)."""
        whole = int(math.floor(t))
        total = self.start_date.month - 1 + whole
        first = date(self.start_date.year + total // 12, total % 12 + 1, 1)
        return date.fromordinal(first.toordinal() + int((t - whole) * 30.4375))

    def age(self, person: Person, t: float) -> float:
        """The person's age in years at time ``t``."""
        pid = person.pid
        return float(self.population.age[pid]) + (t - float(self.population.entry_time[pid])) / 12.0

    def child_ages(self, person: Person, t: float) -> list[float]:
        """Ages of the person's children at time ``t`` (youngest restriction: none)."""
        pid = person.pid
        n = int(self.population.n_children[pid])
        since = (t - float(self.population.entry_time[pid])) / 12.0
        return [float(a) + since for a in self.population.child_ages[pid, :n]]


@dataclass
class MonthRows:
    """Person-month rows for the after-run hooks: plain numpy arrays, one entry per row.

    Attributes:
        person_id, month, year, state, fraction, weight: as in the accounting table.
        dates: first day of each month index (``dates[month]``).
        norm: the household's norm (SEK/month) before any policy factor.
        rent: the household's rent.
        n_children_under_18: children below 18 in that month.
        child_ages: (rows, 4) ages in years, NaN where no child.
        extra: further row arrays (base income, spell context, person attributes, lever uniforms).
    """

    person_id: np.ndarray
    month: np.ndarray
    year: np.ndarray
    state: np.ndarray
    fraction: np.ndarray
    weight: np.ndarray
    dates: tuple[date, ...]
    norm: np.ndarray
    rent: np.ndarray
    child_ages: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def month_values(self, values: np.ndarray) -> np.ndarray:
        """Expand a per-month-index array to one value per row."""
        return values[self.month]


class Policy:
    """A lever with no effect; subclasses override the hooks they need.

    Attributes:
        name: the lever's key under ``policies:`` in a scenario.
        origins: state codes whose exits :meth:`adjust` may change (the engine
            calls it only for these).
        activity_states: state codes for which :meth:`intensity` is asked.
        costed_states: states whose months the accounting must price for this lever.
        intensity_order: when this lever's :meth:`intensity` acts relative to others.
        income_line: the household-budget line :meth:`income` adds to (``activity_support``,
            ``programme_allowance``, or ``other_income``: tax-free income counted against the norm).
        in_type_cases: whether a type case (:mod:`sim.outcomes.household`) applies the lever's income and
            norm reduction; False for a lever whose budget effect is an expectation over behaviour.
    """

    name = "policy"
    origins: frozenset[int] = frozenset()
    activity_states: frozenset[int] = frozenset()
    costed_states: frozenset[int] = frozenset()
    intensity_order = 0
    income_line = "other_income"
    in_type_cases = True

    def __init__(self, config: Any, scenario: Scenario, context: Context | None) -> None:
        """Keep the lever's configuration, the scenario and the run's context.

        Args:
            config: this lever's section of ``policies:`` (``sim.scenario.levers``).
            scenario: the whole scenario (for amounts such as the price base amount).
            context: the replication's population and calendar; ``None`` when only
                the after-run hooks are used.
        """
        self.config = config
        self.scenario = scenario
        self.context = context

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """Hazard multipliers for the person's exits from its current state, drawn at ``now``."""
        return []

    def intensity(self, person: Person, state: int, now: float, current: float) -> float:
        """The activity intensity (hours as a share of full time) once this lever has acted.

        Levers act in ascending :attr:`intensity_order`: those that require hours
        first, those that limit them (childcare) after.
        """
        return current

    def deadline(self, person: Person, now: float) -> tuple[float, int] | None:
        """A fixed time and destination at which the person leaves the current state, if any."""
        return None

    def keep_applicant(self, age: float, t: float) -> float:
        """Probability that an applicant of this age at time ``t`` still applies (1 = all)."""
        return 1.0

    def decision_delay(self, t: float) -> float | None:
        """Months from assessment to decision at time ``t``, if this lever sets it."""
        return None

    def income(self, rows: MonthRows) -> np.ndarray | None:
        """Extra household income (SEK/month, full month) counted against the norm, per row."""
        return None

    def norm_reduction(self, rows: MonthRows) -> np.ndarray | None:
        """Amount (SEK/month) to subtract from the norm per row (a benefit cap, a sanction), if any."""
        return None

    def leave(self, person: Person, state: int, now: float) -> None:
        """The person leaves ``state`` at ``now`` (e.g. to give back a childcare place)."""

    def case_hours_per_household(self, t: float) -> float | None:
        """Caseworker hours per household and month on assistance at time ``t``, if this lever sets it."""
        return None

    def costs(self, rows: MonthRows, paid: np.ndarray) -> dict[str, np.ndarray]:
        """Cost items (national SEK per row, already weighted) this lever adds.

        Args:
            rows: the person-month rows.
            paid: assistance paid per row (household SEK, prorated, not weighted).
        """
        return {}
