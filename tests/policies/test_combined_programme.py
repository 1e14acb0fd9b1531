"""Tests of the combined programme: who is referred, when it ends, its allowance and its costs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.agents.person import Person
from sim.engine.model import Model
from sim.outcomes.months import spell_context
from sim.outcomes.record import Record
from sim.policies.base import UNIFORM_COLUMN
from sim.policies.combined_programme import CombinedProgrammePolicy
from sim.rng import Streams
from sim.scenario import Scenario
from sim.states import STATE_INDEX, State
from tests.builders import log, persons, scenario, spells
from tests.conftest import variant
from tests.policies.helpers import INDEPENDENT, run

ASSIST, CP, WORK = State.ASSISTANCE, State.COMBINED_PROGRAMME, State.EMPLOYMENT
CP_CODE, ASSIST_CODE = STATE_INDEX[CP], STATE_INDEX[ASSIST]
PBB_2026 = 59200
WEEKS = 30 / 7

#: SKL's proposal (seed 001): 25–58, one year, 4.75 % of the price base amount a week.
CONFIG: dict[str, Any] = {
    "min_age": 25,
    "max_age": 58,
    "min_months_on_assistance": 12,
    "duration_months": 12,
    "extension_months": 12,
    "extension_share": 0.3,
    "allowance_share_of_price_base_per_week": 0.0475,
    "child_supplement_shares_per_week": [0.0033, 0.0021, 0.0011],
    "weeks_per_month": WEEKS,
    "participants_per_resource_person": 15,
    "resource_person_cost_per_month": 56000,
    "components_cost_per_month": 5000,
}
#: Referral and exits used by the engine tests (no CP → assistance hazard, so every
#: return to assistance is the programme's fixed end).
REFERRAL = {"rate": 0.05, "shape": 1.0}
EXITS = {"employment": {"rate": 0.04}, "studies": {"rate": 0.01}, "other_exit": {"rate": 0.005}}


def _accounting_scenario(**changes: Any) -> Scenario:
    """Builders' scenario with the 2026 price base amount and the lever on."""
    return variant(
        scenario(policies={"combined_programme": {**CONFIG, **changes}}),
        {"price_base_amount": {"values": {"2025-01-01": 58800, "2026-01-01": PBB_2026}}},
    )


def _family(pid: int) -> dict[str, Any]:
    """A single mother of three children aged 2, 7 and 12 at entry."""
    return {
        "person_id": pid, "household": "single_parent", "woman": True, "rent": 6700.0,
        "child_age_1": 2.0, "child_age_2": 7.0, "child_age_3": 12.0,
    }  # fmt: skip


@pytest.fixture(scope="module")
def programme(baseline: Scenario) -> Scenario:
    """The baseline with referral to the programme and the lever on; no assessment delay or queues."""
    return variant(
        baseline,
        {
            **INDEPENDENT,
            "policies.combined_programme": CONFIG,
            "transitions.assistance.combined_programme": REFERRAL,
            "transitions.combined_programme": EXITS,
        },
    )


def test_allowance_for_three_children_full_month_2026() -> None:
    """January 2026, full month: 59 200 × (0.0475 + 0.0033 + 0.0021 + 0.0011) × 30/7 on top of child allowance."""
    log_ = spells(1, (CP, 12), end=13)
    table = Record(_accounting_scenario(), log_, persons(_family(1)), 13).budget
    expected = PBB_2026 * (0.0475 + 0.0033 + 0.0021 + 0.0011) * WEEKS
    assert table["income"].tolist() == pytest.approx([4480 + expected], abs=1e-6)


def test_children_of_18_bring_no_supplement() -> None:
    """A child who has turned 18 no longer adds a supplement (only the first child's share remains)."""
    people = persons({**_family(1), "child_age_1": 17.9, "child_age_2": np.nan, "child_age_3": np.nan})
    table = Record(_accounting_scenario(), spells(1, (CP, 12), end=14), people, 14).budget
    allowance = table["income"].to_numpy()  # no child allowance: the child is 16 or more
    assert allowance == pytest.approx([PBB_2026 * 0.0475 * WEEKS] * 2)


def test_assistance_tops_up_the_allowance_and_is_never_negative() -> None:
    """Same household, same months: in the programme assistance = max(0, plain assistance − allowance)."""
    sc = _accounting_scenario()
    single = {"person_id": 3}
    log_ = log(
        spells(1, (ASSIST, 12), end=18), spells(2, (CP, 12), end=18), spells(3, (CP, 12), end=18)
    )
    table = Record(sc, log_, persons(_family(1), _family(2), single), 18).budget
    paid = table.pivot(index="month", columns="person_id", values="assistance_sek")
    allowance = PBB_2026 * (0.0475 + 0.0033 + 0.0021 + 0.0011) * WEEKS
    assert (paid[2] < paid[1]).all()
    assert paid[2].to_numpy() == pytest.approx(np.maximum(paid[1].to_numpy() - allowance, 0.0))
    # A single adult's allowance (≈ 12 050) exceeds norm and rent (3 900 + 1 260 + 4 700): nothing is paid.
    assert (paid[3] == 0.0).all()


def test_costs_of_allowance_and_running_the_programme() -> None:
    """Six months in the programme: allowance (state) and resource person plus components (municipality)."""
    sc = _accounting_scenario()
    cost = Record(sc, spells(1, (CP, 12), end=18), persons(_family(1)), 18).costs
    by_item = cost.groupby("item")["cost_sek"].sum()
    allowance = PBB_2026 * (0.0475 + 0.0033 + 0.0021 + 0.0011) * WEEKS
    assert by_item["programme_allowance"] == pytest.approx(6 * allowance * 20)
    assert by_item["combined_programme"] == pytest.approx(6 * (56000 / 15 + 5000) * 20)
    payer = cost.drop_duplicates("item").set_index("item")["payer"]
    assert (payer["programme_allowance"], payer["combined_programme"]) == ("state", "municipality")


def test_deadline_after_twelve_months_or_the_extension(programme: Scenario) -> None:
    """Back to assistance 12 months after the start, 24 for a person whose uniform is below the share."""
    model = Model(programme, Streams(3, 0), scale=0.002, horizon=12)
    policy = model.policies[-1]  # the rules come first, then the one lever switched on
    assert isinstance(policy, CombinedProgrammePolicy)
    u = model.population.u_policy[:, UNIFORM_COLUMN["extension"]]
    extended, plain = int(np.flatnonzero(u < 0.3)[0]), int(np.flatnonzero(u >= 0.3)[0])
    assert policy.deadline(Person(plain, CP_CODE, since=3.5, origin=-20.0), 3.5) == (15.5, ASSIST_CODE)
    assert policy.deadline(Person(extended, CP_CODE, since=3.5, origin=-20.0), 3.5) == (27.5, ASSIST_CODE)
    assert policy.deadline(Person(plain, ASSIST_CODE, since=3.5, origin=-20.0), 3.5) is None


def _programme_spells(output: Any) -> pd.DataFrame:
    """Combined-programme spells with the person's age and months on assistance at the start."""
    people = output.population.to_frame()
    context = spell_context(output.spells, people)
    cp = context[context["state"] == CP_CODE]
    person = people.set_index("person_id").loc[cp["person_id"]]
    age = person["age"].to_numpy() + (cp["start"].to_numpy() - person["entry_time"].to_numpy()) / 12
    return cp.assign(age=age, months_on=cp["start"] - cp["run_start"])


def test_only_eligible_people_are_referred(programme: Scenario) -> None:
    """Every programme spell starts at 25–58 years and after ≥ 12 months on assistance (no assessment delay)."""
    cp = _programme_spells(run(programme, scale=0.01, months=36))
    assert len(cp) > 50
    assert cp["age"].between(25, 58).all()
    assert (cp["months_on"] >= 12 - 1e-9).all()


def test_programme_ends_at_its_fixed_length(programme: Scenario) -> None:
    """Every return from the programme to assistance comes exactly 12 or 24 months after the start."""
    cp = _programme_spells(run(programme, scale=0.01, months=36))
    returned = cp[cp["next_state"] == ASSIST_CODE]
    length = (returned["end"] - returned["start"]).to_numpy()
    assert len(returned) > 10
    assert np.all(np.isclose(length, 12.0) | np.isclose(length, 24.0))


def test_nobody_is_referred_twice(programme: Scenario) -> None:
    """The programme is one period per person: after it ends nobody is referred again."""
    cp = _programme_spells(run(programme, scale=0.01, months=48))
    assert (cp["next_state"] == ASSIST_CODE).sum() > 10
    assert cp["person_id"].is_unique


def test_without_the_lever_referral_ignores_the_rules(programme: Scenario) -> None:
    """Without the lever the same referral hazard reaches people under 25 and new recipients."""
    cp = _programme_spells(run(variant(programme, {"policies.combined_programme": None}), scale=0.01, months=36))
    assert (cp["age"] < 25).any() and (cp["months_on"] < 12).any()


def test_lever_without_a_referral_rate_changes_nothing(baseline: Scenario) -> None:
    """Neutral: the lever on but no referral hazard leaves spells and costs as in the baseline."""
    on = variant(baseline, {"policies.combined_programme": CONFIG})
    a, b = run(baseline, scale=0.005, months=24), run(on, scale=0.005, months=24)
    pd.testing.assert_frame_equal(a.spells, b.spells)
    people = a.population.to_frame()
    pd.testing.assert_frame_equal(
        Record(baseline, a.spells, people, 24).costs, Record(on, b.spells, people, 24).costs
    )
