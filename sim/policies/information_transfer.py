"""Manual or digital transfer of Arbetsförmedlingen's information to the municipality.

Seed 004 (SKR 2024): the municipality needs 14 identified sets of information
from AF to take correct and fast decisions; handled manually they lengthen
decision times, and decisions on assistance are taken **every month for every
household**. The lever sets:

* the time from a caseworker's assessment to the decision
  (:meth:`InformationTransferPolicy.decision_delay`), the chosen mode's
  ``decision_delay_months``;
* the caseworker time each household on assistance takes per month
  (:meth:`InformationTransferPolicy.case_hours_per_household`): the baseline
  caseload figure (``caseworker.hours_per_month / households_per_caseworker``)
  already includes manual monthly decisions, so a mode saves
  ``(manual.decision_minutes − mode.decision_minutes) / 60`` hours of it. The
  engine reserves that time for ongoing cases each month, which leaves fewer
  caseworkers for assessments; the accounting prices it as caseworker cost.

Example:
    >>> from sim.scenario import load_scenario
    >>> from sim.scenario.levers import InformationTransfer
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> config = InformationTransfer(mode="digital",
    ...     manual={"decision_delay_months": 0.5, "decision_minutes": 60},
    ...     digital={"decision_delay_months": 0.1, "decision_minutes": 15})
    >>> policy = InformationTransferPolicy(config, scenario, None)
    >>> policy.decision_delay(3.0), policy.case_hours_per_household(3.0)  # 160 / 50 − 45 / 60
    (0.1, 2.45)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.base import Context, Policy
from sim.scenario.levers import InformationTransfer, TransferMode

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["InformationTransferPolicy"]


class InformationTransferPolicy(Policy):
    """Decision delay and monthly caseworker time under manual or digital transfer (seed 004)."""

    name = "information_transfer"

    def __init__(self, config: InformationTransfer, scenario: Scenario, context: Context | None) -> None:
        """Compute the delay and the hours per household of the chosen mode.

        Args:
            config: the ``policies.information_transfer`` section.
            scenario: the whole scenario (for the caseworker's hours and caseload).
            context: the replication's population and calendar (``None`` after the run).
        """
        super().__init__(config, scenario, context)
        self.config: InformationTransfer = config
        mode: TransferMode = config.digital if config.mode == "digital" else config.manual
        worker = scenario.caseworker
        baseline = worker.hours_per_month / worker.households_per_caseworker
        saved = (config.manual.decision_minutes - mode.decision_minutes) / 60.0
        self._delay = mode.decision_delay_months
        self._hours = max(0.0, baseline - saved)

    def decision_delay(self, t: float) -> float | None:
        """Months from assessment to decision: the mode's ``decision_delay_months``."""
        return self._delay

    def case_hours_per_household(self, t: float) -> float | None:
        """Caseworker hours per household and month: the baseline less the time the mode saves, at least 0."""
        return self._hours

