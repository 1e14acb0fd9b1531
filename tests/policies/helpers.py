"""Shared helpers of the lever tests: small runs under common random numbers and paired statistics."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.engine.model import Model, ReplicationOutput
from sim.rng import Streams
from sim.scenario import Scenario
from sim.states import STATE_INDEX, State
from tests.conftest import variant

WORK_CODES = (STATE_INDEX[State.EMPLOYMENT], STATE_INDEX[State.SUBSIDISED_EMPLOYMENT])
ACTIVITY_CODES = tuple(
    STATE_INDEX[s] for s in (State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME, State.COMBINED_PROGRAMME)
)

#: No capacity limits and no assessment: persons do not interact, so a lever that
#: touches some persons leaves everybody else's path exactly as it was. No levers
#: either (the baseline has its status-quo levers), so each test sees its lever alone.
INDEPENDENT: dict[str, Any] = {
    "capacity": {"municipal_activity_places": None, "af_programme_places": None, "caseworkers": None},
    "caseworker.decision_delay_months": 0.0,
    "policies": {},
}


def run(scenario: Scenario, scale: float, months: float, seed: int = 7, replication: int = 0) -> ReplicationOutput:
    """One replication (same seed and replication = common random numbers across scenarios)."""
    return Model(scenario, Streams(seed, replication), scale=scale, horizon=months).run()


def with_lever(scenario: Scenario, name: str, config: dict[str, Any]) -> Scenario:
    """The scenario with one lever switched on."""
    return variant(scenario, {f"policies.{name}": config})


def paired_mean_and_se(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean of ``a − b`` and its standard error (sd of the differences / √n)."""
    diff = np.asarray(a, float) - np.asarray(b, float)
    return float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(diff.size))


def first_start(spells: pd.DataFrame, codes: tuple[int, ...], after: pd.Series | None = None) -> pd.Series:
    """Per person, the start of the first spell in ``codes`` (at or after ``after`` if given)."""
    chosen = spells[spells["state"].isin(codes)]
    if after is not None:
        chosen = chosen[chosen["start"] >= chosen["person_id"].map(after)]
    return chosen.groupby("person_id")["start"].min()
