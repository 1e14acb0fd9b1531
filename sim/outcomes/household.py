"""Type cases (*typfall*): the month's budget of one household under a scenario's rules, line by line.

A type case is a window on the model, not a second implementation: it builds the
one household-month as the engine's accounting would see it (a persons row and a
person-month row) and runs it through the same :func:`~sim.outcomes.budget.month_rows`
and :func:`~sim.outcomes.budget.budget_lines` as every simulated household-month.
Only what the simulation draws per person is given instead: whether the household
claims bostadsbidrag and receives underhållsstöd (yes, unless told otherwise), and the
earnings (those of :func:`~sim.outcomes.budget.earnings_of` unless given). Levers whose
budget effect is an expectation over behaviour (the activity requirement's expected
sanction) are left out: a type case shows the rules for a household that meets them.

Example:
    >>> from datetime import date
    >>> from sim.scenario import load_scenario
    >>> case = HouseholdCase(date(2025, 11, 1), adults=1, children=(3, 8), rent=7500, state="af_programme")
    >>> lines = household_lines(load_scenario("scenarios/baseline.yaml"), case)
    >>> float(lines.set_index("line").loc["child_allowance", "amount_sek"])
    2650.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from sim.errors import ArgumentError
from sim.outcomes.budget import LINES, budget_lines, month_rows
from sim.policies import build_policies
from sim.rules.calendar import Calendar
from sim.rules.norm import NORM_CHILD_AGE_LIMIT
from sim.scenario.schema import Scenario
from sim.states import ASSISTANCE_STATES, STATE_INDEX, State

__all__ = ["HouseholdCase", "LINE_GROUPS", "MAX_CASE_CHILDREN", "household_lines", "household_table"]

#: The most children a type case may have.
MAX_CASE_CHILDREN = 12
#: The most a type case's rent or earnings may be (SEK/month).
_MAX_AMOUNT = 1e7
#: What each line is: a need, an income, a tax, or the result.
LINE_GROUPS = {
    **dict.fromkeys(("norm", "rent", "electricity", "home_insurance", "childcare_fee", "needs"), "needs"),
    **dict.fromkeys(("earnings", "activity_support", "programme_allowance", "child_allowance", "housing_allowance",
                     "maintenance_support", "maintenance_from_parent", "other_income", "gross_income"), "income"),  # fmt: skip
    **dict.fromkeys(("tax_municipal", "tax_regional", "tax_state", "tax_reductions", "tax", "net_income"), "tax"),
    **dict.fromkeys(("assistance", "disposable_income"), "result"),
}


@dataclass(frozen=True)
class HouseholdCase:
    """One household in one month: who lives in it, what it pays for housing, and the adult's situation.

    Attributes:
        when: any day of the month (the first of the month is used).
        adults: 1 or 2.
        children: each child's age in whole years (0–18 count in the norm; 19 or more are not children).
        rent: housing cost per month (SEK).
        state: the adult's situation that month, one of the model's states
            (``af_programme``: aktivitetsstöd at the scenario's rate; ``combined_programme``: the
            programme allowance; ``employment``: earnings).
        earnings: gross earnings per month; ``None``: those the scenario gives the state.
        claims_housing_allowance: whether the household claims the bostadsbidrag it is entitled to.
        receives_maintenance: whether a single parent's children receive underhållsstöd (else the same
            amount from the other parent).
    """

    when: date
    adults: int
    children: tuple[float, ...] = field(default_factory=tuple)
    rent: float = 0.0
    state: str = State.ASSISTANCE.value
    earnings: float | None = None
    claims_housing_allowance: bool = True
    receives_maintenance: bool = True

    def checked(self, scenario: Scenario) -> HouseholdCase:
        """The case with its month's first day, after checking it against the scenario.

        Raises:
            ArgumentError: naming the option (``adults``, ``children``, ``rent``, ``state``, ``earnings``,
                ``date``) whose value cannot be a household of this model or lies outside the scenario's rules.
        """
        if self.adults not in (1, 2):
            raise ArgumentError("adults", f"must be 1 or 2, got {self.adults!r}")
        if len(self.children) > MAX_CASE_CHILDREN:
            raise ArgumentError("children", f"at most {MAX_CASE_CHILDREN} children, got {len(self.children)}")
        for age in self.children:
            if not isinstance(age, int | float) or not math.isfinite(age) or not 0 <= age < NORM_CHILD_AGE_LIMIT:
                raise ArgumentError("children", f"a child's age must be from 0 to {NORM_CHILD_AGE_LIMIT - 1} years, "
                                    f"got {age!r} (an adult child living at home is not a child of the norm)")  # fmt: skip
        _amount("rent", self.rent)
        if self.earnings is not None:
            _amount("earnings", self.earnings)
        if self.state not in {s.value for s in State}:
            known = ", ".join(s.value for s in State)
            raise ArgumentError("state", f"unknown state {self.state!r}; one of {known}")
        start = scenario.simulation.start_date
        end = Calendar(start, scenario.simulation.months + 1).dates[-1]
        first = date(self.when.year, self.when.month, 1)
        if not start <= first < end:
            last = Calendar(start, scenario.simulation.months).dates[-1]
            raise ArgumentError("date", f"{first:%Y-%m} is outside the rules of scenario '{scenario.name}', which "
                                f"covers {start:%Y-%m} to {last:%Y-%m} (simulation.start_date and months)")  # fmt: skip
        return HouseholdCase(first, self.adults, tuple(float(a) for a in self.children), float(self.rent), self.state,
                             self.earnings, self.claims_housing_allowance, self.receives_maintenance)  # fmt: skip

    @property
    def household(self) -> str:
        """The model's household type."""
        if self.adults == 1:
            return "single_parent" if self.children else "single"
        return "couple_children" if self.children else "couple"


def _amount(option: str, value: float) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or not 0 <= value <= _MAX_AMOUNT:
        raise ArgumentError(option, f"must be an amount from 0 to {_MAX_AMOUNT:.0f} SEK per month, got {value!r}")


def household_lines(scenario: Scenario, case: HouseholdCase) -> pd.DataFrame:
    """Every line of the case's budget under the scenario's rules.

    Returns:
        ``line, group, amount_sek`` in the order of :data:`~sim.outcomes.budget.LINES`: the norm
        (after the levers' cuts) and the accepted costs, each income, the tax on each taxable
        income, the assistance paid (0 outside the assistance states) and the disposable income.

    Raises:
        ArgumentError: see :meth:`HouseholdCase.checked`.
    """
    case = case.checked(scenario)
    start = scenario.simulation.start_date
    month = (case.when.year - start.year) * 12 + case.when.month - start.month
    # The child ages are the ages in this month: entry half a month before its middle.
    persons = pd.DataFrame({
        "person_id": [0], "weight": [1.0], "entry_time": [month + 0.5], "household": [case.household],
        "rent": [case.rent], "n_children": [len(case.children)], "woman": [True], "born_abroad": [False],
        "af_registered": [True], "barrier": ["unemployment"], "age": [35.0], "initial": [False],
        "elapsed_months": [0.0],
        **{f"child_age_{k + 1}": [age] for k, age in enumerate(case.children)},
    })  # fmt: skip
    calendar = Calendar(start, month + 1)
    table = pd.DataFrame({"person_id": [0], "month": [month], "year": calendar.year(np.array([month])),
                          "state": np.array([STATE_INDEX[State(case.state)]], dtype=np.int8), "fraction": [1.0],
                          "weight": [1.0], "spell_start": [float(month)], "run_start": [float(month)]})  # fmt: skip
    rows = month_rows(table, persons, scenario)
    policies = [p for p in build_policies(scenario) if p.in_type_cases]
    earnings = None if case.earnings is None else np.array([case.earnings])
    lines = budget_lines(rows, scenario, policies, case.claims_housing_allowance, case.receives_maintenance, earnings)
    if State(case.state) not in ASSISTANCE_STATES:
        lines["assistance"] = np.zeros(1)
    return pd.DataFrame({"line": list(LINES), "group": [LINE_GROUPS[name] for name in LINES],
                         "amount_sek": [float(lines[name][0]) for name in LINES]})  # fmt: skip


def household_table(scenarios: Sequence[Scenario], case: HouseholdCase) -> pd.DataFrame:
    """The case under each scenario, tidy: ``scenario, line, group, amount_sek``, plus, with two or more
    scenarios, ``difference_sek`` (each scenario's amount less the first's)."""
    frames = []
    for scenario in scenarios:
        frame = household_lines(scenario, case)
        frame.insert(0, "scenario", scenario.name)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    if len(scenarios) > 1:
        base = frames[0].set_index("line")["amount_sek"]
        table["difference_sek"] = table["amount_sek"] - table["line"].map(base)
    return table
