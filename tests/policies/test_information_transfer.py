"""Tests of the information-transfer lever: decision delays, caseworker waits and caseworker cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.outcomes.record import Record
from sim.policies.information_transfer import InformationTransferPolicy
from sim.scenario import Scenario
from sim.scenario.levers import InformationTransfer
from sim.states import State
from tests.builders import persons, scenario, spells
from tests.conftest import variant
from tests.policies.helpers import INDEPENDENT, paired_mean_and_se, run, with_lever

MANUAL_DELAY, DIGITAL_DELAY = 0.5, 0.1


def transfer(mode: str, manual_minutes: float = 60, digital_minutes: float = 15) -> dict[str, Any]:
    """Manual: half a month to a decision and an hour a month per household; digital: 0.1 month, 15 minutes."""
    return {
        "mode": mode,
        "manual": {"decision_delay_months": MANUAL_DELAY, "decision_minutes": manual_minutes},
        "digital": {"decision_delay_months": DIGITAL_DELAY, "decision_minutes": digital_minutes},
    }


def test_hours_per_household_saved_and_never_negative(baseline: Scenario) -> None:
    """160 / 50 = 3.2 h manually; digital saves 45 minutes; a saving above 3.2 h gives 0, not less."""
    def hours(config: dict[str, Any]) -> float | None:
        return InformationTransferPolicy(InformationTransfer(**config), baseline, None).case_hours_per_household(0.0)

    assert hours(transfer("manual")) == pytest.approx(3.2)
    assert hours(transfer("digital")) == pytest.approx(3.2 - 0.75)
    assert hours(transfer("digital", manual_minutes=600, digital_minutes=0)) == 0.0


def test_digital_transfer_shortens_the_wait_for_a_decision(baseline: Scenario) -> None:
    """No entrant can leave their first spell before arrival + decision delay; digital lets them leave sooner.

    Spells censored at the horizon are left out (they end at the horizon, not at a transition).
    """
    independent = variant(baseline, INDEPENDENT)
    earliest = {}
    for mode in ("manual", "digital"):
        out = run(with_lever(independent, "information_transfer", transfer(mode)), 0.01, 24)
        s = out.spells
        entrants = s[~out.population.initial[s["person_id"].to_numpy()]]
        first = entrants.groupby("person_id").first()
        np.testing.assert_allclose(first["start"], out.population.entry_time[first.index.to_numpy()], atol=1e-9)
        ended = first[first["next_state"] >= 0]
        earliest[mode] = float((ended["end"] - ended["start"]).min())
    assert earliest["manual"] >= MANUAL_DELAY - 1e-9
    assert DIGITAL_DELAY - 1e-9 <= earliest["digital"] < MANUAL_DELAY


@pytest.mark.statistical
def test_few_caseworkers_wait_longer_under_manual_transfer(baseline: Scenario) -> None:
    """1 700 caseworkers nationally: manual monthly decisions reserve more of them, so assessments wait longer.

    Mean caseworker wait per replication, three replications under common random
    numbers. Tolerance: the mean paired difference (manual − digital) must exceed
    three standard errors of the per-replication differences. Waits still open at the
    horizon are not logged, which only understates the manual waits.
    """
    few = variant(baseline, {"capacity.caseworkers": 1700})
    mean_wait: dict[str, list[float]] = {"manual": [], "digital": []}
    for mode in mean_wait:
        for replication in range(3):
            out = run(with_lever(few, "information_transfer", transfer(mode)), 0.02, 24, replication=replication)
            waits = out.waits[out.waits["resource"] == "caseworker"]
            mean_wait[mode].append(float((waits["end"] - waits["start"]).mean()))
    diff, se = paired_mean_and_se(np.array(mean_wait["manual"]), np.array(mean_wait["digital"]))
    assert diff > 3 * se, mean_wait


def test_caseworker_cost_per_household_month() -> None:
    """Two months on assistance at weight 20: 56 000 / 160 × 3.2 h manually, × 2.45 h digitally, per month."""
    people = persons({"person_id": 1})
    log_ = spells(1, (State.ASSISTANCE, 0), end=2)
    cost = {}
    for mode in ("manual", "digital"):
        sc = scenario(policies={"information_transfer": transfer(mode)})
        items = Record(sc, log_, people, 2).costs.set_index("item")["cost_sek"]
        cost[mode] = items["caseworker"]
    assert cost["manual"] == pytest.approx(56000 / 160 * 3.2 * 2 * 20)
    assert cost["digital"] == pytest.approx(56000 / 160 * 2.45 * 2 * 20)
