"""Shared fixtures: the shipped baseline and a way to derive variants of it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def variant(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """A copy of ``scenario`` with dotted-path values replaced, validated again."""
    data = copy.deepcopy(scenario.model_dump())
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = copy.deepcopy(value)
    return Scenario.model_validate(data)


def markov_variant(scenario: Scenario) -> Scenario:
    """The baseline with constant hazards, one homogeneous group, no capacity limits, no inflow, no levers.

    Under these settings every person follows the same continuous-time Markov chain,
    so occupancy has the exact solution P(t) = P(0) expm(Q t).
    """
    return variant(
        scenario,
        {
            "duration_dependence": False,
            "covariate_effects.barrier": {b: 1.0 for b in ("unemployment", "sick", "social", "other")},
            "covariate_effects.born_abroad": 1.0,
            "covariate_effects.woman": 1.0,
            "covariate_effects.single_parent": 1.0,
            "covariate_effects.age_55_plus": 1.0,
            "population.frailty_variance": 0.0,
            "population.inflow_per_year": 0.0,
            "population.af_registration_by_barrier": {
                b: 1.0 for b in ("unemployment", "sick", "social", "other")
            },
            "capacity": {"municipal_activity_places": None, "af_programme_places": None, "caseworkers": None},
            "caseworker.decision_delay_months": 0.0,
            "policies": {},
        },
    )


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The shipped baseline scenario."""
    return load_scenario(BASELINE)
