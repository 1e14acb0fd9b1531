"""Tests of the benefit cap: the modernised norm and the limit from the fourth child, from 2027."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.outcomes.record import Record
from sim.policies import build_policies
from sim.policies.base import MonthRows
from sim.policies.benefit_cap import BenefitCapPolicy
from sim.rules.calendar import Calendar
from sim.states import STATE_INDEX, State
from tests.builders import persons, scenario, spells

ASSIST = State.ASSISTANCE
JANUARY_2027 = 24
#: The remiss's rule (from the fourth child), a 5 % leaner norm, further children at half.
CONFIG: dict[str, Any] = {
    "in_force_from": "2027-01-01",
    "norm_change_share": -0.05,
    "children_in_full": 3,
    "further_child_share": {"single_parent": 0.5, "couple_children": 0.5},
}


def _policy(**changes: Any) -> BenefitCapPolicy:
    policy = build_policies(scenario(policies={"benefit_cap": {**CONFIG, **changes}}))[-1]  # the rules come first
    assert isinstance(policy, BenefitCapPolicy)
    return policy


def test_couple_with_five_children_january_2027() -> None:
    """Hand-computed: the two youngest of five (aged 5 and 1.5) count half, after the 5 % cut.

    Norm (builders' 2025 amounts, still in force): couple 7 040 + children 16 → 4 900,
    12 → 4 350, 9 → 3 770, 5 → 3 010, 1.5 → 3 010 + common cost for 7 persons 2 810 = 28 890.
    Reduction = 0.05 × 28 890 + 0.95 × 0.5 × (3 010 + 3 010) = 1 444.5 + 2 859.5 = 4 304.
    The children are listed out of age order: by position the 4th and 5th would be 12 and 9.
    """
    calendar = Calendar(date(2025, 1, 1), JANUARY_2027 + 1)
    rows = MonthRows(
        person_id=np.array([1]), month=np.array([JANUARY_2027]), year=np.array([2027]),
        state=np.array([STATE_INDEX[ASSIST]], dtype=np.int8), fraction=np.array([1.0]),
        weight=np.array([20.0]), dates=calendar.dates, norm=np.array([28890.0]),
        rent=np.array([8700.0]), child_ages=np.array([[1.5, 16.0, 5.0, 12.0, 9.0]]),
    )  # fmt: skip
    assert _policy(children_in_full=3).norm_reduction(rows) == pytest.approx([4304.0])


def _family() -> pd.DataFrame:
    """A couple with four children aged 0.5, 13, 3.5 and 9.5 at the start (2.5, 15, 5.5 and 11.5 in 2027)."""
    return persons(
        {"person_id": 1, "household": "couple_children", "rent": 7700.0,
         "child_age_1": 0.5, "child_age_2": 13.0, "child_age_3": 3.5, "child_age_4": 9.5}
    )  # fmt: skip


def test_reduction_in_the_accounting_from_in_force_date() -> None:
    """Two children in full: December 2026 unchanged, January 2027 reduced as computed by hand.

    January 2027 norm: 7 040 + 3 010 (2.5 y) + 4 900 (15 y) + 3 010 (5.5 y) + 4 350 (11.5 y) + 2 600 = 24 910;
    the two youngest are limited: 0.05 × 24 910 + 0.95 × 0.5 × 6 020 = 4 105, norm 20 805.
    """
    log_ = spells(1, (ASSIST, 22), end=26)
    plain = Record(scenario(), log_, _family(), 26).budget.set_index("month")
    sc = scenario(policies={"benefit_cap": {**CONFIG, "children_in_full": 2}})
    capped = Record(sc, log_, _family(), 26).budget.set_index("month")
    assert plain.loc[JANUARY_2027, "norm"] == pytest.approx(24910.0)
    assert capped.loc[JANUARY_2027, "norm"] == pytest.approx(20805.0)
    assert capped.loc[[22, 23], "assistance_sek"].tolist() == plain.loc[[22, 23], "assistance_sek"].tolist()
    drop = plain["assistance_sek"] - capped["assistance_sek"]
    assert drop.loc[JANUARY_2027] == pytest.approx(4105.0)


def test_a_cut_lowers_the_norm_and_a_raise_raises_it() -> None:
    """The sign is the text's: norm_change_share −0.05 is a 5 % cut, +0.02 a 2 % raise (no limited child)."""
    log_ = spells(1, (ASSIST, 24), end=25)
    plain = Record(scenario(), log_, _family(), 25).budget
    for change in (-0.05, 0.02):
        sc = scenario(policies={"benefit_cap": {**CONFIG, "norm_change_share": change, "children_in_full": 4}})
        changed = Record(sc, log_, _family(), 25).budget
        assert changed["norm"].to_numpy() == pytest.approx((1 + change) * plain["norm"].to_numpy())
        assert np.sign(changed["assistance_sek"].sum() - plain["assistance_sek"].sum()) == np.sign(change)


def test_single_parents_and_couples_keep_their_own_share() -> None:
    """The fourth child of a single parent keeps 60 % of its cost, of a couple 25 % (the reported 40 % / 75 % cuts).

    Single parent, children 16, 12, 9 and 5 in January 2027 (builders' 2025 amounts): the 5-year-old's 3 010
    is limited; no norm change: reduction 0.4 × 3 010 = 1 204; for a couple 0.75 × 3 010 = 2 257.5.
    """
    calendar = Calendar(date(2025, 1, 1), JANUARY_2027 + 1)
    ages = np.array([[16.0, 12.0, 9.0, 5.0], [16.0, 12.0, 9.0, 5.0]])
    rows = MonthRows(
        person_id=np.array([1, 2]), month=np.array([JANUARY_2027] * 2), year=np.array([2027] * 2),
        state=np.array([STATE_INDEX[ASSIST]] * 2, dtype=np.int8), fraction=np.ones(2), weight=np.ones(2),
        dates=calendar.dates, norm=np.array([20000.0, 23000.0]), rent=np.zeros(2), child_ages=ages,
        extra={"household": np.array(["single_parent", "couple_children"], dtype=object)},
    )  # fmt: skip
    policy = _policy(norm_change_share=0.0, further_child_share={"single_parent": 0.6, "couple_children": 0.25})
    assert policy.norm_reduction(rows) == pytest.approx([1204.0, 2257.5])


def test_the_limitation_is_phased_in() -> None:
    """Half the limitation from January 2027, all of it from July: the reductions are 0.5 and 1 × the cut."""
    calendar = Calendar(date(2025, 1, 1), JANUARY_2027 + 7)
    rows = MonthRows(
        person_id=np.array([1, 1]), month=np.array([JANUARY_2027, JANUARY_2027 + 6]), year=np.array([2027] * 2),
        state=np.array([STATE_INDEX[ASSIST]] * 2, dtype=np.int8), fraction=np.ones(2), weight=np.ones(2),
        dates=calendar.dates, norm=np.array([23000.0] * 2), rent=np.zeros(2),
        child_ages=np.array([[16.0, 12.0, 9.0, 5.0]] * 2),
    )  # fmt: skip
    phased = {"values": {"2027-01-01": 0.5, "2027-07-01": 1.0}}
    policy = _policy(norm_change_share=0.0, limitation_phase_in=phased)
    assert policy.norm_reduction(rows) == pytest.approx([0.5 * 0.5 * 3010.0, 0.5 * 3010.0])


def test_neutral_settings_and_small_families_change_nothing() -> None:
    """No norm change and no child beyond the first three: the assistance table is that of no lever."""
    log_ = spells(1, (ASSIST, 18), end=30)
    plain = Record(scenario(), log_, _family(), 30).budget
    neutral = ({"children_in_full": 4}, {"further_child_share": {"single_parent": 1.0, "couple_children": 1.0}})
    for changes in neutral:
        sc = scenario(policies={"benefit_cap": {**CONFIG, "norm_change_share": 0.0, **changes}})
        pd.testing.assert_frame_equal(Record(sc, log_, _family(), 30).budget, plain)


def test_nothing_before_the_in_force_date() -> None:
    """Every month of 2025–2026 has a zero reduction, whatever the settings."""
    log_ = spells(1, (ASSIST, 0), end=24)
    sc = scenario(policies={"benefit_cap": {**CONFIG, "children_in_full": 0, "norm_change_share": 0.3}})
    capped = Record(sc, log_, _family(), 24).budget
    plain = Record(scenario(), log_, _family(), 24).budget
    pd.testing.assert_frame_equal(capped, plain)
