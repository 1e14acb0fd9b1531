"""Whether Arbetsförmedlingen may interrupt municipal activities, or a joint plan holds.

Seed 004 (SKR 2024): AF may today **unilaterally interrupt** a municipal
labour-market activity by referring the person to one of its contracted
providers (Rusta och Matcha); the municipal sector asks that AF may not, and that
AF and the municipality draw up a **joint action plan** instead. In the model an
interruption is the transition ``municipal_activity → af_programme`` (its rate is
``transitions.municipal_activity.af_programme``). The lever:

* forbids it (hazard × 0) when ``af_may_interrupt`` is false or a joint plan
  holds: under the plan AF's measures are added to the municipal activity
  instead, so exits from it to work and studies are × ``joint_plan_work_factor``;
* otherwise lets it happen and makes the person's time at the provider less
  effective: exits from that af_programme spell to work and studies are ×
  ``provider_work_factor`` (lower intensity at the provider). The progress made
  in the municipal activity is lost because the af_programme clock starts at 0.

The engine tells a policy which state a person leaves (:meth:`Policy.leave`) but
not where to; an af_programme spell that starts at the very moment the person
left municipal_activity is therefore an interruption.

Example:
    >>> from sim.scenario.levers import AfCoordination
    >>> config = AfCoordination(af_may_interrupt=True, joint_plan=False,
    ...     provider_work_factor=0.8, joint_plan_work_factor=1.1)
    >>> AfCoordinationPolicy(config, None, None).blocks_interruption
    False
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.agents.person import Person
from sim.policies.base import WORK_OR_STUDIES, Adjustment, Context, Policy, codes
from sim.scenario.levers import AfCoordination
from sim.states import STATE_INDEX, State

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["AfCoordinationPolicy"]

_MUNICIPAL = STATE_INDEX[State.MUNICIPAL_ACTIVITY]
_AF = STATE_INDEX[State.AF_PROGRAMME]


class AfCoordinationPolicy(Policy):
    """AF's interruption of municipal activities, or a joint AF–municipality plan (seed 004).

    Attributes:
        origins: municipal_activity and af_programme.
        activity_states: municipal_activity (to hear when a person leaves it).
        blocks_interruption: whether the hazard municipal_activity → af_programme is 0.
    """

    name = "af_coordination"
    origins = codes(State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME)
    activity_states = codes(State.MUNICIPAL_ACTIVITY)

    def __init__(self, config: AfCoordination, scenario: Scenario, context: Context | None) -> None:
        """Build the fixed adjustments of each state once.

        Args:
            config: the ``policies.af_coordination`` section.
            scenario: the whole scenario.
            context: the replication's population and calendar (``None`` after the run).
        """
        super().__init__(config, scenario, context)
        self.config: AfCoordination = config
        self.blocks_interruption = config.joint_plan or not config.af_may_interrupt
        municipal: list[Adjustment] = []
        if self.blocks_interruption:
            municipal.append(Adjustment(codes(State.AF_PROGRAMME), 0.0))
        if config.joint_plan:
            municipal.append(Adjustment(WORK_OR_STUDIES, config.joint_plan_work_factor))
        self._municipal = municipal
        self._provider = [Adjustment(WORK_OR_STUDIES, config.provider_work_factor)]
        self._left_at: dict[int, float] = {}  # when each person last left municipal_activity

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """In municipal_activity: no interruption and the joint plan; at a provider after one: its factor."""
        if person.state == _MUNICIPAL:
            return self._municipal
        if person.state == _AF and self._left_at.get(person.pid) == person.since:
            return self._provider
        return []

    def leave(self, person: Person, state: int, now: float) -> None:
        """Remember when the person left municipal_activity (to recognise an interruption)."""
        if self.blocks_interruption:
            return
        self._left_at[person.pid] = now
