"""Tests of the AF coordination lever: interruptions by AF delay work; a joint plan forbids them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.agents.person import Person
from sim.policies.af_coordination import AfCoordinationPolicy
from sim.policies.base import WORK_OR_STUDIES
from sim.scenario import Scenario
from sim.scenario.levers import AfCoordination
from sim.states import STATE_INDEX, State
from tests.conftest import variant
from tests.policies.helpers import INDEPENDENT, WORK_CODES, first_start, paired_mean_and_se, run, with_lever

MUNI = STATE_INDEX[State.MUNICIPAL_ACTIVITY]
AF = STATE_INDEX[State.AF_PROGRAMME]
HORIZON = 24


def coordination(af_may_interrupt: bool, joint_plan: bool) -> dict[str, Any]:
    """The lever with a provider that is less effective than the municipal activity it interrupts."""
    return {
        "af_may_interrupt": af_may_interrupt,
        "joint_plan": joint_plan,
        "provider_work_factor": 0.7,
        "joint_plan_work_factor": 1.2,
    }


@pytest.fixture(scope="module")
def interrupted(baseline: Scenario) -> Scenario:
    """Everyone is registered at AF and referred to a municipal activity; AF interrupts at 0.3 a month."""
    return variant(
        baseline,
        {
            **INDEPENDENT,
            "transitions.assistance": {"municipal_activity": {"rate": 2.0}},
            "transitions.municipal_activity.af_programme": {"rate": 0.3},
            "population.inflow_per_year": 0,
            "population.af_registration_by_barrier": {b: 1.0 for b in ("unemployment", "sick", "social", "other")},
        },
    )


def test_provider_factor_only_right_after_an_interruption(baseline: Scenario) -> None:
    """An af_programme spell that starts when municipal_activity ended gets the provider factor; others none."""
    policy = AfCoordinationPolicy(AfCoordination(**coordination(True, False)), baseline, None)
    person = Person(0, MUNI, since=1.0, origin=0.0)
    assert policy.adjust(person, 1.0) == []
    policy.leave(person, MUNI, 4.0)
    person.state, person.since = AF, 4.0
    [provider] = policy.adjust(person, 4.0)
    assert provider.destinations == WORK_OR_STUDIES and provider.factor == 0.7
    person.since = 9.0
    assert policy.adjust(person, 9.0) == []


@pytest.mark.statistical
def test_interruption_by_af_delays_work(interrupted: Scenario) -> None:
    """Months from the first municipal activity to the first job (capped at the horizon) grow with interruptions.

    Same seed with and without AF's right to interrupt (common random numbers; the
    first activity starts at the same time in both). Tolerance: the mean paired
    difference must exceed three standard errors (sd of the differences / √n).
    """
    months = {}
    for may in (True, False):
        out = run(with_lever(interrupted, "af_coordination", coordination(may, False)), 0.05, HORIZON)
        start = first_start(out.spells, (MUNI,))
        work = first_start(out.spells, WORK_CODES, after=start).reindex(start.index).fillna(np.inf)
        months[may] = (np.minimum(work, HORIZON) - start).to_numpy()
    assert months[True].size > 3000
    diff, se = paired_mean_and_se(months[True], months[False])
    assert diff > 3 * se, (diff, se)


@pytest.mark.parametrize("af_may_interrupt, joint_plan", [(True, True), (False, False)])
def test_joint_plan_or_prohibition_removes_interruptions(
    interrupted: Scenario, af_may_interrupt: bool, joint_plan: bool
) -> None:
    """No municipal_activity → af_programme transition at all; thousands without the lever."""
    def interruptions(scenario: Scenario) -> int:
        s = run(scenario, 0.01, HORIZON).spells
        return int(((s["state"] == MUNI) & (s["next_state"] == AF)).sum())

    lever = with_lever(interrupted, "af_coordination", coordination(af_may_interrupt, joint_plan))
    assert interruptions(lever) == 0
    assert interruptions(interrupted) > 500
