"""Shared fixtures: the shipped baseline and a way to derive variants of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.experiments.verification.markov import markov_scenario
from sim.scenario import Scenario, load_scenario

__all__ = ["ROOT", "BASELINE", "variant", "markov_variant", "baseline"]

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def variant(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """``scenario`` with values changed at dotted paths, the one way: :meth:`Scenario.with_changes`.

    The changed values are listed as assumptions (set by the test), as for any change made in Python.
    """
    return scenario.with_changes(changes)


def markov_variant(scenario: Scenario) -> Scenario:
    """The baseline with constant hazards, one homogeneous group, no capacity limits, no inflow, no levers.

    Under these settings every person follows the same continuous-time Markov chain,
    so occupancy has the exact solution P(t) = P(0) expm(Q t)
    (:func:`sim.experiments.verification.markov.markov_scenario`).
    """
    return markov_scenario(scenario)


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The shipped baseline scenario."""
    return load_scenario(BASELINE)
