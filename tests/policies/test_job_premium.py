"""Tests of the jobbpremie: who qualifies, for how long it is paid, and its pull towards work."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from sim.outcomes.months import spell_context
from sim.outcomes.record import Record
from sim.scenario import Scenario
from sim.states import STATE_INDEX, State
from tests.builders import log, persons, scenario, spells
from tests.conftest import variant
from tests.policies.crn import first_differences
from tests.policies.helpers import INDEPENDENT, run, with_lever

ASSIST, AF, WORK = State.ASSISTANCE, State.AF_PROGRAMME, State.EMPLOYMENT
EMPLOYMENT = STATE_INDEX[WORK]
ORIGINS = {STATE_INDEX[s] for s in (ASSIST, State.MUNICIPAL_ACTIVITY, AF)}
#: Regeringen.se 2026-01 (PF section 4): 3 750 SEK/month, 18 months, 2026-03-01 for two years,
#: paid every month July–December 2025. With a 2025-01-01 start: qualifying from month 6, scheme months 14–38.
CONFIG: dict[str, Any] = {
    "scheme_from": "2026-03-01",
    "scheme_until": "2028-03-01",
    "qualifying_from": "2025-07-01",
    "qualifying_until": "2026-01-01",
    "amount_per_month": 3750,
    "max_months": 18,
    "take_up_share": 0.8,
    "work_exit_factor": 1.5,
}
HORIZON = 40
PER_MONTH = 3750 * 0.8 * 20  # take-up × weight 20


def _premium(log_: pd.DataFrame, people: pd.DataFrame, **changes: Any) -> pd.Series:
    """National job-premium cost per person over the horizon."""
    sc = scenario(policies={"job_premium": {**CONFIG, **changes}})
    ledger = Record(sc, log_, people, HORIZON).ledger
    return ledger.groupby("person_id")["job_premium"].sum()


def test_premium_paid_for_eighteen_months_to_qualifying_people_only() -> None:
    """Hand-built paths: only runs begun by July 2025 that end in a job inside the scheme are paid.

    1: on assistance since the start, employed from 2026-04 for 24 months → 18 months.
    2: run began 2025-09 → nothing. 3: employed from 2026-01, before the scheme → nothing.
    4: AF programme within the run, job from mid-April 2026 → 18 months (fractions add up).
    5: stock with 20 months behind it, 6 months of work then back → 6 months.
    """
    log_ = log(
        spells(1, (ASSIST, 0), (WORK, 15), end=39),
        spells(2, (ASSIST, 8), (WORK, 15), end=39),
        spells(3, (ASSIST, 0), (WORK, 12), end=39),
        spells(4, (ASSIST, 0), (AF, 10), (WORK, 15.5), end=39),
        spells(5, (ASSIST, 0), (WORK, 16), (ASSIST, 22), end=39),
    )
    people = persons(
        {"person_id": 1}, {"person_id": 2, "initial": False, "entry_time": 8.0},
        {"person_id": 3}, {"person_id": 4}, {"person_id": 5, "elapsed_months": 20.0},
    )  # fmt: skip
    paid = _premium(log_, people)
    assert paid.to_dict() == pytest.approx({1: 18 * PER_MONTH, 2: 0.0, 3: 0.0, 4: 18 * PER_MONTH, 5: 6 * PER_MONTH})
    total = Record(scenario(policies={"job_premium": CONFIG}), log_, people, HORIZON).costs
    assert set(total.loc[total["item"] == "job_premium", "payer"]) == {"state"}


def test_no_take_up_or_no_lever_pays_nothing() -> None:
    """Neutral: take-up 0 pays nothing, and without the lever the item is 0 and employment is not even costed."""
    log_ = spells(1, (ASSIST, 0), (WORK, 15), end=39)
    assert _premium(log_, persons({"person_id": 1}), take_up_share=0.0).sum() == 0.0
    without = Record(scenario(), log_, persons({"person_id": 1}), HORIZON).ledger
    assert without["job_premium"].sum() == 0.0


@pytest.fixture(scope="module")
def independent(baseline: Scenario) -> Scenario:
    """No capacity limits or assessment: persons do not interact, so only the lever's targets can change."""
    return variant(baseline, INDEPENDENT)


def test_factor_one_leaves_the_run_identical(independent: Scenario) -> None:
    """Neutral: work_exit_factor 1 gives the spells of the run without the lever."""
    neutral = with_lever(independent, "job_premium", {**CONFIG, "work_exit_factor": 1.0})
    pd.testing.assert_frame_equal(run(independent, 0.005, 24).spells, run(neutral, 0.005, 24).spells)


def test_only_qualifying_exits_to_employment_come_sooner(independent: Scenario) -> None:
    """A path first differs at a spell of a run begun by July 2025 that ends in employment sooner.

    The spell overlaps the scheme (a hazard raised during it uses up the draw faster,
    so an exit just after the scheme's end comes sooner too).
    """
    before = run(independent, 0.01, HORIZON).spells
    output = run(with_lever(independent, "job_premium", CONFIG), 0.01, HORIZON)
    after = output.spells
    first = first_differences(before, after)
    assert len(first) > 20
    assert first["state_1"].isin(ORIGINS).all() and (first["next_state_1"] == EMPLOYMENT).all()
    assert (first["end_1"] >= 14).all() and (first["start_1"] < 38).all()
    assert (first["end_1"] < first["end_0"]).all()
    context = spell_context(after, output.population.to_frame())
    run_start = context.set_index(["person_id", "start"])["run_start"]
    assert (run_start.loc[list(zip(first["person_id"], first["start_1"]))] <= 6).all()
