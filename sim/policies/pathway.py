"""Sequential or parallel interventions: when the work-oriented part of an activity begins.

Seed 004 (SKR 2024) asks for individually adapted interventions given **in
parallel** and coherently, with an early focus on work, instead of the outdated
**sequential chain** in which social and health measures always come before
work-oriented ones. The lever expresses the difference as a multiplier on the
hazards of leaving the activity for work or studies:

* ``sequential``: during a social phase of ``social_phase_months[barrier]``
  from the start of the activity the multiplier is ``work_factor_in_social_phase``
  (the person is not yet working towards a job), afterwards
  ``work_factor_after_social_phase``;
* ``parallel``: ``work_factor_parallel`` from the first day.

Parallel work costs more to run (coordination, several components at once):
``parallel_extra_cost_per_month`` per participant-month, item ``pathway``.

Example:
    >>> from sim.scenario.levers import Pathway
    >>> config = Pathway(mode="parallel", applies_to=("municipal_activity",),
    ...     social_phase_months={"unemployment": 2, "sick": 6, "social": 6, "other": 4},
    ...     work_factor_in_social_phase=0.3, work_factor_after_social_phase=1.0,
    ...     work_factor_parallel=1.0, parallel_extra_cost_per_month=1000)
    >>> sorted(PathwayPolicy(config, None, None).origins)
    [1]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.person import Person
from sim.policies.base import WORK_OR_STUDIES, Adjustment, Context, MonthRows, Policy, codes
from sim.scenario.levers import Pathway
from sim.scenario.schema import BARRIERS

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["PathwayPolicy"]


class PathwayPolicy(Policy):
    """Sequential or parallel interventions in the ``applies_to`` states (seed 004).

    Attributes:
        origins: the ``applies_to`` states (their exits to work and studies change).
        activity_states: the same states.
        costed_states: the same states (the ``pathway`` cost item is priced on their months).
    """

    name = "pathway"

    def __init__(self, config: Pathway, scenario: Scenario, context: Context | None) -> None:
        """Precompute each person's social phase and the fixed parallel adjustment.

        Args:
            config: the ``policies.pathway`` section.
            scenario: the whole scenario.
            context: the replication's population and calendar (``None`` after the run).
        """
        super().__init__(config, scenario, context)
        self.config: Pathway = config
        states = codes(*config.applies_to)
        self.origins = states
        self.activity_states = states
        self.costed_states = states
        self._parallel = config.mode == "parallel"
        self._parallel_adjustment = [Adjustment(WORK_OR_STUDIES, config.work_factor_parallel)]
        self._phase: np.ndarray | None = None
        if context is not None:
            by_barrier = np.array([config.social_phase_months.get(b, 0.0) for b in BARRIERS])
            self._phase = by_barrier[context.population.barrier]

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """The work-focus multipliers of the person's current spell in an ``applies_to`` state.

        Sequential: ``work_factor_in_social_phase`` on ``[since, since + phase)``, then
        ``work_factor_after_social_phase``; parallel: ``work_factor_parallel`` throughout.
        """
        if self._parallel:
            return self._parallel_adjustment
        assert self._phase is not None, "adjust needs the run's context"
        start = person.since
        end = start + float(self._phase[person.pid])
        return [
            Adjustment(WORK_OR_STUDIES, self.config.work_factor_in_social_phase, start=start, end=end),
            Adjustment(WORK_OR_STUDIES, self.config.work_factor_after_social_phase, start=end),
        ]

    def costs(self, rows: MonthRows, paid: np.ndarray) -> dict[str, np.ndarray]:
        """Item ``pathway``: the extra monthly cost of parallel work, per participant-month.

        ``parallel_extra_cost_per_month × fraction × weight`` in rows of the
        ``applies_to`` states when the mode is parallel; 0 when sequential.
        """
        if not self._parallel:
            return {"pathway": np.zeros(rows.state.size)}
        inside = np.isin(rows.state, sorted(self.origins))
        per_row = self.config.parallel_extra_cost_per_month * rows.fraction * rows.weight
        return {"pathway": np.where(inside, per_row, 0.0)}
