"""Tests of the pathway lever: parallel interventions reach work earlier than the sequential chain."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.agents.person import Person
from sim.engine.model import Model
from sim.outcomes.record import Record
from sim.policies.base import WORK_OR_STUDIES
from sim.policies.pathway import PathwayPolicy
from sim.rng import Streams
from sim.scenario import Scenario
from sim.scenario.schema import BARRIERS
from sim.states import STATE_INDEX, State
from tests.builders import persons, scenario, spells
from tests.conftest import variant
from tests.policies.helpers import INDEPENDENT, WORK_CODES, first_start, paired_mean_and_se, run, with_lever

MUNI = STATE_INDEX[State.MUNICIPAL_ACTIVITY]
EMPLOYMENT = STATE_INDEX[State.EMPLOYMENT]


def pathway(mode: str) -> dict[str, Any]:
    """The same components in both modes: only when the work focus starts differs."""
    return {
        "mode": mode,
        "applies_to": ["municipal_activity"],
        "social_phase_months": {"unemployment": 3, "sick": 6, "social": 6, "other": 4},
        "work_factor_in_social_phase": 0.3,
        "work_factor_after_social_phase": 1.0,
        "work_factor_parallel": 1.0,
        "parallel_extra_cost_per_month": 2000,
    }


@pytest.fixture(scope="module")
def referred(baseline: Scenario) -> Scenario:
    """Everyone on assistance is referred to a municipal activity within weeks; no new applicants."""
    referral = {"municipal_activity": {"rate": 2.0}}
    return variant(
        baseline, {**INDEPENDENT, "transitions.assistance": referral, "population.inflow_per_year": 0}
    )


def test_sequential_adjustment_follows_the_social_phase(referred: Scenario) -> None:
    """Sequential: 0.3 for the barrier's social phase from the activity's start, 1.0 afterwards."""
    model = Model(with_lever(referred, "pathway", pathway("sequential")), Streams(1, 0), scale=0.002, horizon=12)
    policy = model.policies[-1]  # the rules come first, then the one lever switched on
    assert isinstance(policy, PathwayPolicy)
    pid = int(np.flatnonzero(model.population.barrier == BARRIERS.index("sick"))[0])
    person = Person(pid, MUNI, since=5.0, origin=0.0)
    adjustments = policy.adjust(person, 5.0)
    assert all(a.destinations == WORK_OR_STUDIES for a in adjustments)
    factor = [float(np.prod([a.factor_at(t) for a in adjustments])) for t in (5.0, 10.9, 11.0, 30.0)]
    assert factor == [0.3, 0.3, 1.0, 1.0]


@pytest.mark.statistical
def test_parallel_reaches_work_earlier_than_sequential(referred: Scenario) -> None:
    """Share in work within 6 months of the first activity start: parallel above sequential.

    Same seed for both designs (common random numbers), 1 600 persons. Tolerance: the
    paired difference (parallel − sequential, one 0/1 outcome per person) must exceed
    three standard errors of the paired difference (sd of the differences / √n).
    """
    share = {}
    for mode in ("sequential", "parallel"):
        out = run(with_lever(referred, "pathway", pathway(mode)), scale=0.02, months=24)
        start = first_start(out.spells, (MUNI,))
        work = first_start(out.spells, WORK_CODES, after=start)
        observed = start[start <= 24 - 6]
        reached = (work.reindex(observed.index) - observed) <= 6.0
        share[mode] = reached.to_numpy(dtype=float)
    assert share["parallel"].size == share["sequential"].size > 1000
    diff, se = paired_mean_and_se(share["parallel"], share["sequential"])
    assert diff > 3 * se, (diff, se, share["parallel"].mean(), share["sequential"].mean())


@pytest.mark.parametrize("mode, expected", [("parallel", 2000 * 2.5 * 20), ("sequential", 0.0)])
def test_parallel_extra_cost_per_participant_month(mode: str, expected: float) -> None:
    """Item pathway: 2 000 SEK × 2.5 months in the activity × weight 20, and nothing when sequential."""
    log_ = spells(1, (State.ASSISTANCE, 0), (State.MUNICIPAL_ACTIVITY, 1), (State.ASSISTANCE, 3.5), end=6)
    sc = scenario(policies={"pathway": pathway(mode)})
    cost = Record(sc, log_, persons({"person_id": 1}), 6).costs.set_index("item")["cost_sek"]
    assert cost["pathway"] == pytest.approx(expected)
