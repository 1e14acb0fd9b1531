"""Tests of the allowance incentive: a higher allowance slows exits to work from AF programmes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.agents.person import Person
from sim.engine.model import Model
from sim.outcomes.record import Record
from sim.policies.allowance import AllowanceIncentivePolicy
from sim.policies.base import WORK
from sim.rng import Streams
from sim.scenario import Scenario
from sim.states import STATE_INDEX, State
from tests.builders import persons, scenario, spells
from tests.conftest import markov_variant, variant
from tests.policies.crn import first_differences
from tests.policies.helpers import INDEPENDENT, WORK_CODES, run, with_lever
from tests.policies.test_combined_programme import CONFIG as CP_CONFIG

AF = STATE_INDEX[State.AF_PROGRAMME]
CP = STATE_INDEX[State.COMBINED_PROGRAMME]
#: The raise to 365 SEK/day takes effect on 2025-10-01, month 9 of the baseline.
RAISE = 9.0
#: Large on purpose, so the effect is far outside the Monte Carlo error: factor (365/223)^-2 ≈ 0.373.
STRONG = {"elasticity": 2.0, "reference_activity_support_per_day": 223}
FACTOR = (365 / 223) ** -2.0


def _af_exits_to_work(spells: pd.DataFrame) -> tuple[int, int]:
    """AF spells that ended in work, and all AF spells that ended (not censored)."""
    af = spells[(spells["state"] == AF) & (spells["next_state"] >= 0)]
    return int(af["next_state"].isin(WORK_CODES).sum()), len(af)


def _policy(sc: Scenario) -> AllowanceIncentivePolicy:
    """The lever as a replication of ``sc`` builds it (with its context)."""
    model = Model(sc, Streams(1, 0), scale=0.001, horizon=1)
    policy = [p for p in model.policies if p.name == "allowance_incentive"]
    assert isinstance(policy[0], AllowanceIncentivePolicy)
    return policy[0]


def _factor(policy: AllowanceIncentivePolicy, state: int, t: float) -> float:
    """The product of the lever's factors on exits to employment at time ``t`` for a person in ``state``."""
    windows = policy.adjust(Person(0, state, since=0.0, origin=-12.0), 0.0)
    assert all(w.destinations == WORK for w in windows)
    return float(np.prod([w.factor_at(t) for w in windows]))


def test_factor_follows_the_dated_allowance(baseline: Scenario) -> None:
    """Factor 1 before 2025-10-01 (223 = reference), (365/223)^-2 from it; only AF is an origin."""
    policy = _policy(with_lever(baseline, "allowance_incentive", STRONG))
    assert [_factor(policy, AF, t) for t in (0.0, RAISE - 0.01)] == [1.0, 1.0]
    assert [_factor(policy, AF, t) for t in (RAISE, 40.0)] == pytest.approx([FACTOR, FACTOR])
    assert policy.origins == frozenset({AF})


def test_combined_programme_allowance_counts_when_the_programme_is_on(baseline: Scenario) -> None:
    """With the combined programme on, its allowance per day (PBB × 4.75 % × 30/7 / 21.67) sets its factor."""
    sc = variant(baseline, {"policies.combined_programme": CP_CONFIG, "policies.allowance_incentive": STRONG})
    policy = _policy(sc)
    assert policy.origins == frozenset({AF, CP})
    per_day_2026 = 59200 * 0.0475 * (30 / 7) / 21.67
    assert _factor(policy, CP, 12.0) == pytest.approx((per_day_2026 / 223) ** -2.0)


def test_zero_elasticity_is_bit_identical(baseline: Scenario) -> None:
    """Neutral: elasticity 0 gives exactly the spells of the run without the lever."""
    neutral = with_lever(baseline, "allowance_incentive", {**STRONG, "elasticity": 0.0})
    pd.testing.assert_frame_equal(run(baseline, 0.005, 24).spells, run(neutral, 0.005, 24).spells)


def test_higher_allowance_lowers_exits_to_work(baseline: Scenario) -> None:
    """Fewer AF spells end in work with the lever (common random numbers, same seed).

    Tolerance: the drop in the share of ended AF spells that end in work must exceed 3 binomial
    SEs of the difference, √(p₁q₁/n₁ + p₂q₂/n₂) (independent samples; common random numbers only shrink it).
    """
    work_0, ended_0 = _af_exits_to_work(run(baseline, 0.05, 24).spells)
    work_1, ended_1 = _af_exits_to_work(run(with_lever(baseline, "allowance_incentive", STRONG), 0.05, 24).spells)
    p0, p1 = work_0 / ended_0, work_1 / ended_1
    se = math.sqrt(p0 * (1 - p0) / ended_0 + p1 * (1 - p1) / ended_1)
    assert p0 - p1 > 3 * se


def test_exit_rate_to_work_falls_by_the_factor(baseline: Scenario) -> None:
    """Constant homogeneous hazards: exits to work per AF person-month after the raise scale by (365/223)^-2.

    Tolerance: 3 SEs of the log rate ratio, √(1/d₁ + 1/d₂) for Poisson event counts d (independent-sample SE).
    """
    plain = markov_variant(baseline)
    rates = []
    for sc in (plain, with_lever(plain, "allowance_incentive", STRONG)):
        spells = run(sc, 0.05, 24).spells
        af = spells[spells["state"] == AF]
        exposure = (af["end"].clip(lower=RAISE) - af["start"].clip(lower=RAISE)).sum()
        events = int((af["next_state"].isin(WORK_CODES) & (af["end"] >= RAISE)).sum())
        rates.append((events, exposure))
    (d0, e0), (d1, e1) = rates
    assert math.log((d1 / e1) / (d0 / e0)) == pytest.approx(math.log(FACTOR), abs=3 * math.sqrt(1 / d0 + 1 / d1))


def test_only_af_exits_to_work_after_the_raise_change(baseline: Scenario) -> None:
    """No capacity limits: a path first differs where an AF spell ended in work after 2025-10-01, and then later."""
    independent = variant(baseline, INDEPENDENT)
    a = run(independent, 0.01, 24).spells
    b = run(with_lever(independent, "allowance_incentive", STRONG), 0.01, 24).spells
    first = first_differences(a, b)
    assert len(first) > 0
    assert (first["state_0"] == AF).all() and first["next_state_0"].isin(WORK_CODES).all()
    assert (first["end_0"] >= RAISE).all() and (first["end_1"] > first["end_0"]).all()


def test_higher_activity_support_shifts_cost_from_municipality_to_state() -> None:
    """October 2025 in an AF programme: +35 SEK/day moves 35 × 21.67 from assistance to activity support.

    The household's norm is not exceeded (assistance > 0), so norm coverage is unchanged:
    assistance + activity support = norm + rent − child allowance = 12 450 + 6 700 − 2 650.
    """
    people = persons(
        {"person_id": 1, "household": "single_parent", "woman": True, "rent": 6700.0,
         "child_age_1": 4.0, "child_age_2": 9.0}
    )  # fmt: skip
    october = spells(1, (State.AF_PROGRAMME, 9), end=10)
    lever = {"allowance_incentive": {"elasticity": 0.2, "reference_activity_support_per_day": 365}}
    totals = []
    for per_day in (365, 400):
        sc = scenario(
            allowances={"activity_support_per_day": {"values": {"2024-01-01": 223, "2025-10-01": per_day}}},
            policies=lever,
        )
        cost = Record(sc, october, people, 10).costs.groupby(["item", "payer"])["cost_sek"].sum()
        totals.append((cost["assistance", "municipality"], cost["activity_support", "state"]))
    (assist_0, support_0), (assist_1, support_1) = totals
    assert assist_0 - assist_1 == pytest.approx(35 * 21.67 * 20)
    assert support_1 - support_0 == pytest.approx(35 * 21.67 * 20)
    assert assist_1 + support_1 == pytest.approx((12450 + 6700 - 2650) * 20)
    assert assist_1 > 0


def test_the_allowance_rule_is_always_in_force_and_owns_activity_support() -> None:
    """Aktivitetsstöd is the allowance policy's: in force without any lever, it adds a full month
    (365 × 21.67 = 7 909.55 SEK in October 2025, 223 × 21.67 = 4 832.41 SEK in September) to the income
    of an AF-programme month and the same, times the fraction and the weight, to the state's cost."""
    from sim.policies import build_policies
    from sim.policies.allowance import AllowancePolicy

    sc = scenario()
    rules = [p for p in build_policies(sc) if isinstance(p, AllowancePolicy)]
    assert len(rules) == 1 and sc.policies.allowance_incentive is None
    log_ = spells(1, (State.ASSISTANCE, 0), (State.AF_PROGRAMME, 8.5), (State.ASSISTANCE, 10), end=12)
    record = Record(sc, log_, persons({"person_id": 1}), 12)
    budget = record.budget.set_index("month")
    assert budget.loc[9, "income"] == pytest.approx(365 * 21.67)
    af_rows = record.budget[record.budget["state"] == AF].set_index("month")
    assert af_rows.loc[8, "income"] == pytest.approx(223 * 21.67)
    cost = record.costs.set_index(["year", "item"])["cost_sek"]
    assert cost[(2025, "activity_support")] == pytest.approx((0.5 * 223 * 21.67 + 365 * 21.67) * 20)
    payers = record.costs.loc[record.costs["item"] == "activity_support", "payer"]
    assert payers.tolist() == ["state"]
