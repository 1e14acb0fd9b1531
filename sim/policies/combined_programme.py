"""SKL's combined programme (kombinerat program), after Norway's Kvalifiseringsprogrammet.

SKL's proposal (SKL styrelse-PM 2017, seed 001; seed 000): long-term recipients
aged 25–58 far from the labour market follow one year of full-time, parallel
work training, education, treatment and social support, coordinated by a
resource person; the year can be extended (Norway's KVP: by one more year). They
are paid a state allowance at the studiestartsstöd level, 4.75 % of the price
base amount per week, with child supplements of 0.33 %, 0.21 % and 0.11 % of it
per week for the first, second and each further child (seed 001; PF 3).

The lever acts in four places:

* referral (:meth:`CombinedProgrammePolicy.adjust`): the hazard
  ``transitions.assistance.combined_programme`` holds only while the person is
  eligible (age, months on assistance);
* the fixed end (:meth:`CombinedProgrammePolicy.deadline`): back to assistance
  after the programme's months, or after the extension for a share of participants;
* income (:meth:`CombinedProgrammePolicy.income`): the allowance counts against the
  norm, so assistance only tops it up where norm plus rent exceed it;
* costs (:meth:`CombinedProgrammePolicy.costs`): the allowance (``programme_allowance``)
  and the running cost (``combined_programme``: resource persons and components).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.person import Person
from sim.policies.base import UNIFORM_COLUMN, Adjustment, Context, MonthRows, Policy, codes
from sim.scenario.levers import CombinedProgramme
from sim.states import STATE_INDEX, State

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["CombinedProgrammePolicy", "SUPPLEMENT_AGE"]

_ASSISTANCE = STATE_INDEX[State.ASSISTANCE]
_PROGRAMME = STATE_INDEX[State.COMBINED_PROGRAMME]
_REFERRAL = codes(State.COMBINED_PROGRAMME)
#: Children below this age (years) bring a child supplement (CSN's tilläggsbidrag, which
#: SKL's supplement copies, is paid for children under 18; seed 001, PF 3).
SUPPLEMENT_AGE = 18.0


class CombinedProgrammePolicy(Policy):
    """Eligibility for referral, the programme's fixed length, its allowance and its costs.

    Eligibility is checked where the referral hazard is drawn (before the
    assessment and decision that precede the start), with exact ages: ``max_age``
    58 admits people until their 58th birthday. A person who has been in the
    programme is not referred again.
    """

    name = "combined_programme"
    income_line = "programme_allowance"
    origins = codes(State.ASSISTANCE, State.COMBINED_PROGRAMME)
    config: CombinedProgramme

    def __init__(self, config: CombinedProgramme, scenario: Scenario, context: Context | None) -> None:
        """Keep the configuration and the monthly running cost per participant.

        Args:
            config: the lever's section (``sim.scenario.levers.CombinedProgramme``).
            scenario: the whole scenario (for the price base amount).
            context: the replication's population and calendar, or ``None`` after the run.
        """
        super().__init__(config, scenario, context)
        self._running_cost = (
            config.resource_person_cost_per_month / config.participants_per_resource_person
            + config.components_cost_per_month
        )
        self._participated: set[int] = set()  # persons who have been in the programme

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """Close referral outside eligibility: age in [min_age, max_age] and enough months on assistance.

        The assistance run began at ``person.origin``, so the months condition opens
        at ``origin + min_months_on_assistance``; age grows with time, so the age
        condition opens and closes at the birthdays that match the limits (SKL 2017,
        seed 001: 25–58 year olds with long-term assistance).
        """
        if self.context is None:
            return []
        if person.state == _PROGRAMME:
            # Once through the programme is enough: KVP and SKL's proposal are one programme
            # period (with an extension), not a recurring offer (seed 001).
            self._participated.add(person.pid)
            return []
        if person.pid in self._participated:
            return [Adjustment(_REFERRAL, 0.0)]
        cfg = self.config
        age = self.context.age(person, now)
        opens = max(now + 12.0 * (cfg.min_age - age), person.origin + cfg.min_months_on_assistance)
        closes = now + 12.0 * (cfg.max_age - age)
        if opens >= closes:
            return [Adjustment(_REFERRAL, 0.0)]
        closed = [Adjustment(_REFERRAL, 0.0, start=closes)]
        if opens > now:
            closed.append(Adjustment(_REFERRAL, 0.0, end=opens))
        return closed

    def deadline(self, person: Person, now: float) -> tuple[float, int] | None:
        """Back to assistance when the programme ends: after ``duration_months``, plus the extension for some.

        A participant is extended when the person's own uniform (column
        ``UNIFORM_COLUMN["extension"]``) is below ``extension_share`` (SKL 2017,
        seed 001: one year, extendable; KVP: by up to one more year).
        """
        if person.state != _PROGRAMME or self.context is None:
            return None
        cfg = self.config
        months = cfg.duration_months
        if self.context.population.u_policy[person.pid, UNIFORM_COLUMN["extension"]] < cfg.extension_share:
            months += cfg.extension_months
        return person.since + months, _ASSISTANCE

    def allowance(self, rows: MonthRows) -> np.ndarray:
        """The programme allowance with child supplements (SEK for a full month) per row; 0 outside the programme.

        ``price base amount × (allowance share + supplement shares) × weeks per
        month``, the price base amount of the row's month; children under 18 in that
        month count, the first, the second and each further one at their own share
        (seed 001).
        """
        cfg = self.config
        base = np.array([self.scenario.price_base_amount.at(d) for d in rows.dates], dtype=float)
        children = (rows.child_ages < SUPPLEMENT_AGE).sum(axis=1)
        first, second, further = cfg.child_supplement_shares_per_week
        share = (
            cfg.allowance_share_of_price_base_per_week
            + first * (children >= 1)
            + second * (children >= 2)
            + further * np.maximum(children - 2, 0)
        )
        per_month = rows.month_values(base) * share * cfg.weeks_per_month
        return np.where(rows.state == _PROGRAMME, per_month, 0.0)

    def income(self, rows: MonthRows) -> np.ndarray:
        """The allowance counts as household income, so assistance tops it up only below norm plus rent."""
        return self.allowance(rows)

    def costs(self, rows: MonthRows, paid: np.ndarray) -> dict[str, np.ndarray]:
        """The allowance (state, ``programme_allowance``) and the running cost (``combined_programme``).

        The running cost per participant-month is a resource person's monthly cost
        shared by ``participants_per_resource_person`` plus the components' cost,
        prorated by the time spent in the programme and weighted to national SEK.
        """
        weighted = rows.fraction * rows.weight
        running = np.where(rows.state == _PROGRAMME, self._running_cost, 0.0)
        return {"programme_allowance": self.allowance(rows) * weighted, "combined_programme": running * weighted}
