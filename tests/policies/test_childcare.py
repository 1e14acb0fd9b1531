"""Tests of the childcare lever: capped activity hours for parents, full-time places, and their cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.engine.model import ReplicationOutput
from sim.outcomes.record import Record
from sim.scenario import Scenario
from sim.states import STATE_INDEX, State
from tests.builders import persons, scenario, spells
from tests.conftest import variant
from tests.policies.helpers import ACTIVITY_CODES, INDEPENDENT, WORK_CODES, paired_mean_and_se, run, with_lever

STUDIES = STATE_INDEX[State.STUDIES]
MUNI = STATE_INDEX[State.MUNICIPAL_ACTIVITY]
SCALE, MONTHS = 0.05, 24


def childcare(**changes: Any) -> dict[str, Any]:
    """The statutory hours (15 h preschool; 25 h while school children are in school) and no full-time care."""
    return {
        "full_time": False,
        "part_time_hours": 15,
        "school_age_hours": 25,
        "preschool_ages": [1, 6],
        "school_ages": [6, 10],
        "places": None,
        "cost_per_extra_child_hour": 60,
        **changes,
    }


@pytest.fixture(scope="module")
def independent(baseline: Scenario) -> Scenario:
    """The baseline without capacity limits or assessments, so persons do not interact."""
    return variant(baseline, INDEPENDENT)


@pytest.fixture(scope="module")
def without(independent: Scenario) -> ReplicationOutput:
    """No childcare lever."""
    return run(independent, SCALE, MONTHS)


@pytest.fixture(scope="module")
def capped(independent: Scenario) -> ReplicationOutput:
    """The statutory hours only."""
    return run(with_lever(independent, "childcare", childcare()), SCALE, MONTHS)


def first_activity(out: ReplicationOutput) -> pd.DataFrame:
    """Each person's first activity spell."""
    s = out.spells
    return s[s["state"].isin(ACTIVITY_CODES)].groupby("person_id").first()


def young_child_at(out: ReplicationOutput, spell: pd.DataFrame, low: float, high: float) -> np.ndarray:
    """Whether the person has a child aged in [low, high) when the spell starts."""
    pop = out.population
    pid = spell.index.to_numpy()
    ages = pop.child_ages[pid] + ((spell["start"].to_numpy() - pop.entry_time[pid]) / 12.0)[:, None]
    with np.errstate(invalid="ignore"):
        return ((ages >= low) & (ages < high)).any(axis=1)


def test_parents_of_young_children_get_fewer_hours(without: ReplicationOutput, capped: ReplicationOutput) -> None:
    """First activity spells: same start under common random numbers; capped at 15/40 with a preschool child."""
    a, c = first_activity(without), first_activity(capped)
    assert a.index.equals(c.index)
    np.testing.assert_allclose(a["start"], c["start"])
    preschool = young_child_at(capped, c, 1, 6)
    school_only = young_child_at(capped, c, 6, 10) & ~preschool
    expected = np.where(preschool, np.minimum(a["intensity"], 15 / 40), a["intensity"])
    expected = np.where(school_only, np.minimum(expected, 25 / 40), expected)
    np.testing.assert_allclose(c["intensity"], expected, rtol=1e-6)
    assert (c["intensity"] < a["intensity"]).sum() > 300
    no_children = capped.population.n_children[c.index.to_numpy()] == 0
    assert (c["intensity"][no_children] == a["intensity"][no_children]).all()


@pytest.mark.statistical
def test_capped_parents_leave_for_work_or_studies_less_often(
    without: ReplicationOutput, capped: ReplicationOutput
) -> None:
    """Capped first activity spells end in work or studies less often.

    Common random numbers and no interaction between persons: with fewer hours the
    latent time to work or studies can only grow, so no person gains. Tolerance: the
    mean paired difference of the 0/1 outcome must be below −3 standard errors (sd of
    the paired differences / √n).
    """
    a, c = first_activity(without), first_activity(capped)
    hit = c["intensity"] < a["intensity"]
    outcome = [f["next_state"][hit].isin(WORK_CODES + (STUDIES,)).to_numpy(float) for f in (c, a)]
    assert (outcome[0] <= outcome[1]).all()
    diff, se = paired_mean_and_se(*outcome)
    assert diff < -3 * se, (diff, se)


@pytest.mark.statistical
def test_women_lose_more_hours_than_men(without: ReplicationOutput, capped: ReplicationOutput) -> None:
    """Most single parents are women: the mean loss of intensity in first activity spells is larger for women.

    Tolerance: the difference of the two means must exceed three standard errors
    (√(s²_w / n_w + s²_m / n_m), one spell per person).
    """
    a, c = first_activity(without), first_activity(capped)
    loss = (a["intensity"] - c["intensity"]).to_numpy(float)
    woman = capped.population.woman[c.index.to_numpy()]
    women, men = loss[woman], loss[~woman]
    se = np.sqrt(women.var(ddof=1) / women.size + men.var(ddof=1) / men.size)
    assert women.mean() - men.mean() > 3 * se, (women.mean(), men.mean(), se)


def test_unlimited_full_time_childcare_caps_nobody(independent: Scenario, without: ReplicationOutput) -> None:
    """Full-time care with unlimited places: every spell as without the lever."""
    out = run(with_lever(independent, "childcare", childcare(full_time=True)), SCALE, MONTHS)
    pd.testing.assert_frame_equal(out.spells, without.spells)


def test_no_places_caps_everyone(independent: Scenario, capped: ReplicationOutput) -> None:
    """Full-time care with no places: every spell as with the statutory hours only."""
    out = run(with_lever(independent, "childcare", childcare(full_time=True, places=0)), SCALE, MONTHS)
    pd.testing.assert_frame_equal(out.spells, capped.spells)


def test_places_are_held_during_the_activity_and_given_back(independent: Scenario) -> None:
    """100 national places at scale 0.05 = 5: never more than 5 uncapped parents at once, more over the run."""
    out = run(with_lever(independent, "childcare", childcare(full_time=True, places=100)), SCALE, MONTHS)
    s = out.spells[out.spells["state"].isin(ACTIVITY_CODES)].set_index("person_id")
    needs = (young_child_at(out, s, 1, 6) & (s["intensity"].to_numpy() > 15 / 40 + 1e-6)) | (
        young_child_at(out, s, 6, 10) & (s["intensity"].to_numpy() > 25 / 40 + 1e-6)
    )
    held = s[needs]
    events = sorted([(t, 1) for t in held["start"]] + [(t, -1) for t in held["end"]], key=lambda e: (e[0], e[1]))
    assert np.cumsum([d for _, d in events]).max() <= 5
    assert len(held) > 5


def test_extra_child_hours_cost_hand_computed() -> None:
    """Half a month full time with a 3- and an 8-year-old.

    (40 − 15 + 40 − 25) h/week × 52/12 weeks × 60 SEK × 0.5 month × weight 20; 0 without full-time care.
    """
    people = persons({"person_id": 1, "household": "single_parent", "child_age_1": 3.0, "child_age_2": 8.0})
    log_ = spells(1, (State.MUNICIPAL_ACTIVITY, 0), (State.ASSISTANCE, 0.5), end=1).assign(intensity=[1.0, 0.0])
    expected = (25 + 15) * 52 / 12 * 60 * 0.5 * 20
    for full_time, cost in ((True, expected), (False, 0.0)):
        sc = scenario(policies={"childcare": childcare(full_time=full_time)})
        items = Record(sc, log_, people, 1).costs.set_index("item")["cost_sek"]
        assert items["childcare"] == pytest.approx(cost)
