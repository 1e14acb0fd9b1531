"""Tests of the activity requirement.

Nothing changes before it is in force; then activation, full-time hours, deterred
inflow and sanctions, and exempt people are untouched.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.engine.model import Model, ReplicationOutput
from sim.outcomes.months import spell_context
from sim.outcomes.record import Record
from sim.policies.base import UNIFORM_COLUMN
from sim.rng import Streams
from sim.scenario import Scenario
from sim.scenario.schema import BARRIERS
from sim.states import STATE_INDEX, State
from tests.builders import log, persons, scenario, spells
from tests.conftest import variant
from tests.policies.helpers import INDEPENDENT, paired_mean_and_se, run, with_lever

ASSIST = STATE_INDEX[State.ASSISTANCE]
MUNI = STATE_INDEX[State.MUNICIPAL_ACTIVITY]
IN_FORCE = 12.0  # 2026-01-01 from a 2025-01-01 start
SCALE, MONTHS = 0.02, 30
EXEMPT_SHARE = {"unemployment": 0.1, "sick": 0.6, "social": 0.4, "other": 0.3}


def requirement(**changes: Any) -> dict[str, Any]:
    """In force 2026-01-01 after 3 months on assistance, 40 h a week, IFAU's −11 % inflow of under-25s."""
    return {
        "in_force_from": "2026-01-01",
        "min_months_on_assistance": 3,
        "required_hours": 40,
        "exempt_share": EXEMPT_SHARE,
        "activation_rate": 0.15,
        "exit_factor": 1.2,
        "inflow_reduction": {"18-24": 0.11, "25-64": 0.03},
        "sanction": {"absence_share": 0.1, "reduction_share": 0.5},
        **changes,
    }


@pytest.fixture(scope="module")
def independent(baseline: Scenario) -> Scenario:
    """The baseline without capacity limits or assessments, so persons do not interact."""
    return variant(baseline, INDEPENDENT)


@pytest.fixture(scope="module")
def without(independent: Scenario) -> ReplicationOutput:
    """No activity requirement."""
    return run(independent, SCALE, MONTHS)


@pytest.fixture(scope="module")
def required(independent: Scenario) -> ReplicationOutput:
    """The activity requirement, same seed (common random numbers)."""
    return run(with_lever(independent, "activity_requirement", requirement()), SCALE, MONTHS)


def exempt(out: ReplicationOutput) -> np.ndarray:
    """Who is exempt: the exemption uniform below the barrier's exempt share."""
    pop = out.population
    shares = np.array([EXEMPT_SHARE[b] for b in BARRIERS])[pop.barrier]
    return pop.u_policy[:, UNIFORM_COLUMN["exemption"]] < shares


def test_nothing_changes_before_the_in_force_date(without: ReplicationOutput, required: ReplicationOutput) -> None:
    """Every spell that ends before 2026-01-01 is the same with and without the lever (to rounding)."""
    def before(out: ReplicationOutput) -> pd.DataFrame:
        s = out.spells
        return s[s["end"] < IN_FORCE].sort_values(["person_id", "start"]).reset_index(drop=True)

    a, c = before(without), before(required)
    assert len(a) == len(c) > 1000
    pd.testing.assert_frame_equal(a, c, check_exact=False, rtol=1e-12)


@pytest.mark.statistical
def test_covered_people_get_more_activity_and_fewer_assistance_months(
    without: ReplicationOutput, required: ReplicationOutput
) -> None:
    """More municipal activities start after the in-force date, and people spend fewer months in passive assistance.

    Tolerances: starts differ by more than three Poisson SEs (√(n₁ + n₂), conservative
    under common random numbers); months in assistance after the in-force date, paired
    by person, fall by more than three SEs of the paired differences (sd / √n).
    """
    def starts(out: ReplicationOutput) -> int:
        s = out.spells
        return int(((s["state"] == MUNI) & (s["start"] >= IN_FORCE)).sum())

    n0, n1 = starts(without), starts(required)
    assert n1 - n0 > 3 * np.sqrt(n0 + n1), (n0, n1)

    def assistance_months(out: ReplicationOutput, ids: np.ndarray) -> np.ndarray:
        s = out.spells[out.spells["state"] == ASSIST]
        inside = (s["end"].clip(upper=MONTHS) - s["start"].clip(lower=IN_FORCE)).clip(lower=0.0)
        return inside.groupby(s["person_id"]).sum().reindex(ids, fill_value=0.0).to_numpy()

    ids = np.flatnonzero(required.population.applying())
    diff, se = paired_mean_and_se(assistance_months(required, ids), assistance_months(without, ids))
    assert diff < -3 * se, (diff, se)


def test_covered_activities_are_full_time(required: ReplicationOutput) -> None:
    """Covered people's municipal activities are 40 h a week; exempt or recent recipients keep the usual 20 h."""
    persons_table = required.population.to_frame()
    s = spell_context(required.spells, persons_table)
    muni = s[(s["state"] == MUNI) & (s["start"] >= IN_FORCE)]
    is_exempt = exempt(required)[muni["person_id"].to_numpy()]
    covered = ~is_exempt & (muni["start"] - muni["run_start"] >= 3).to_numpy()
    assert covered.sum() > 100 and (~covered).sum() > 50
    assert (muni["intensity"][covered] == 1.0).all()
    assert (muni["intensity"][~covered] == 0.5).all()


def test_exempt_people_are_unaffected(without: ReplicationOutput, required: ReplicationOutput) -> None:
    """Every spell of an exempt person who still applies is exactly as without the lever."""
    ids = np.flatnonzero(exempt(required) & required.population.applying())
    def of(out: ReplicationOutput) -> pd.DataFrame:
        return out.spells[out.spells["person_id"].isin(ids)].reset_index(drop=True)

    assert len(ids) > 300
    pd.testing.assert_frame_equal(of(required), of(without))


@pytest.mark.statistical
def test_inflow_of_under_25s_falls_by_the_reduction(independent: Scenario) -> None:
    """From the in-force date 11 % of under-25 applicants and 3 % of older ones stay away; before it nobody.

    Tolerance: three binomial SEs, √(p(1 − p)/n), around each configured share.
    """
    model = Model(with_lever(independent, "activity_requirement", requirement()), Streams(7, 0), 0.1, MONTHS)
    pop = model.population
    stays_away = ~pop.applying()
    entrant = ~pop.initial
    assert not stays_away[entrant & (pop.entry_time < IN_FORCE)].any()
    after = entrant & (pop.entry_time >= IN_FORCE)
    for young, share in ((True, 0.11), (False, 0.03)):
        group = stays_away[after & ((pop.age < 25) == young)]
        se = np.sqrt(share * (1 - share) / group.size)
        assert abs(group.mean() - share) < 3 * se, (young, group.mean(), group.size)


def test_sanction_reduces_assistance_by_the_expected_amount() -> None:
    """10 % absence × 50 % reduction of a single's 2026 norm (3 900 + 1 260) = 258 SEK in each covered month.

    Person 1: covered in months 12–13 (in force, on assistance since month 0), not
    in December 2025. Person 2: exempt (uniform 0.05 < 0.1). Person 3: on assistance
    since month 10.5, so covered only from month 14 (3.5 months at the piece's start).
    """
    people = persons(
        {"person_id": 1, "policy_u0": 0.5}, {"person_id": 2, "policy_u0": 0.05}, {"person_id": 3, "policy_u0": 0.5}
    )
    log_ = log(
        spells(1, (State.ASSISTANCE, 0), (State.MUNICIPAL_ACTIVITY, 11), (State.ASSISTANCE, 14), end=15),
        spells(2, (State.ASSISTANCE, 0), (State.MUNICIPAL_ACTIVITY, 11), (State.ASSISTANCE, 14), end=15),
        spells(3, (State.ASSISTANCE, 10.5), (State.MUNICIPAL_ACTIVITY, 12), end=15),
    )
    referral = {"assistance": {"municipal_activity": {"rate": 0.045}}}
    plain = scenario(transitions=referral)
    lever = scenario(transitions=referral, policies={"activity_requirement": requirement()})
    key = ["person_id", "month", "state"]
    before = Record(plain, log_, people, 15).budget.set_index(key)["assistance_sek"]
    after = Record(lever, log_, people, 15).budget.set_index(key)["assistance_sek"]
    cut = (before - after).round(6)
    sanctioned = {k: v for k, v in cut.items() if v != 0}
    expected = {(1, 12, MUNI): 258.0, (1, 13, MUNI): 258.0, (3, 14, MUNI): 258.0}
    assert sanctioned == pytest.approx(expected)
