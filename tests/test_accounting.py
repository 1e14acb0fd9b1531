"""Tests of sim.accounting and sim.norm on hand-built spell logs with hand-computed amounts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.outcomes.accounts import Accounts, assistance_months_by_year
from sim.outcomes.months import assessment_events
from sim.outcomes.record import Record
from sim.states import STATE_INDEX, State
from tests.builders import log, persons, scenario, spells

ASSIST, MUNI, AF = State.ASSISTANCE, State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME
WORK, SUBSIDISED, STUDIES = State.EMPLOYMENT, State.SUBSIDISED_EMPLOYMENT, State.STUDIES
ASSESSMENT = 6 / 160 * 56000
PER_CASE_MONTH = 56000 / 50


def _single_parent(**changes: object) -> pd.DataFrame:
    return persons(
        {
            "person_id": 1,
            "household": "single_parent",
            "woman": True,
            "child_age_1": 4.0,
            "child_age_2": 9.0,
            "rent": 6700.0,
            **changes,
        }
    )


def _month(table: pd.DataFrame, month: int) -> pd.Series:
    rows = table[table["month"] == month]
    assert len(rows) == 1
    return rows.iloc[0]


def _october_in_af() -> pd.DataFrame:
    return spells(1, (ASSIST, 0), (AF, 9), (ASSIST, 10), end=12)


def test_single_parent_in_af_programme_october_2025() -> None:
    """October 2025 in an AF programme: 12 450 + 6 700 − 2 650 − 365 × 21.67 = 8 590.45."""
    table = Record(scenario(), _october_in_af(), _single_parent(), 12).budget
    october = _month(table, 9)
    assert october["norm"] == pytest.approx(3900 + 3010 + 3770 + 1770, abs=1e-6)
    assert october["income"] == pytest.approx(2650 + 365 * 21.67, abs=1e-6)
    assert october["assistance_sek"] == pytest.approx(8590.45, abs=1e-6)


def test_single_parent_on_assistance_september_2025() -> None:
    """September 2025 on assistance: no activity support, so 12 450 + 6 700 − 2 650 = 16 500."""
    table = Record(scenario(), _october_in_af(), _single_parent(), 12).budget
    assert _month(table, 8)["assistance_sek"] == pytest.approx(16500.0, abs=1e-6)


def test_child_age_band_follows_the_month() -> None:
    """A child aged 2.9 at entry is in band 1–2 in month 0 and in band 3 from month 1."""
    people = _single_parent(child_age_1=2.9, child_age_2=np.nan)
    table = Record(scenario(), spells(1, (ASSIST, 0), end=2), people, 2).budget
    assert table["norm"].tolist() == pytest.approx([3900 + 3010 + 1400, 3900 + 2690 + 1400])


def test_child_aged_19_leaves_the_norm_and_the_household() -> None:
    """A child who turns 19 drops out of the personal costs and of the household size."""
    people = _single_parent(child_age_1=18.95, child_age_2=np.nan)
    table = Record(scenario(), spells(1, (ASSIST, 0), end=2), people, 2).budget
    assert table["norm"].tolist() == pytest.approx([3900 + 4900 + 1400, 3900 + 1260])
    assert table["income"].tolist() == pytest.approx([0.0, 0.0])


def test_child_allowance_counts_children_under_16() -> None:
    """Child allowance falls from the two-child to the one-child amount when a child turns 16."""
    people = _single_parent(child_age_1=15.9, child_age_2=3.0)
    table = Record(scenario(), spells(1, (ASSIST, 0), end=3), people, 3).budget
    assert table["income"].tolist() == pytest.approx([2650.0, 1250.0, 1250.0])


def test_couple_amount_covers_both_adults() -> None:
    """A childless couple's norm is adult_couple plus the two-person common cost."""
    people = persons({"person_id": 1, "household": "couple", "rent": 5700.0})
    table = Record(scenario(), spells(1, (ASSIST, 0), end=1), people, 1).budget
    assert _month(table, 0)["norm"] == pytest.approx(7040 + 1400)


def test_assistance_never_negative() -> None:
    """Income above norm plus rent pays nothing; states without monthly amounts are not even cut into months."""
    rich = scenario(allowances={"activity_support_per_day": 2000})
    log_ = spells(1, (AF, 0), (WORK, 1), end=2)
    table = Record(rich, log_, _single_parent(), 2).budget
    assert table["assistance_sek"].tolist() == [0.0]
    assert (table["state"] == STATE_INDEX[AF]).all()
    ledger = Record(rich, log_, _single_parent(), 2).ledger
    assert ledger["caseworker"].sum() == pytest.approx(ASSESSMENT * 20)


def test_person_months_split_across_year_boundary() -> None:
    """A spell from mid-November 2025 to early February 2026 is cut at each month and year."""
    table = Record(scenario(), spells(1, (ASSIST, 10.5), end=13.25), persons({"person_id": 1}), 24).person_months
    assert table["month"].tolist() == [10, 11, 12, 13]
    assert table["year"].tolist() == [2025, 2025, 2026, 2026]
    assert table["fraction"].tolist() == pytest.approx([0.5, 1.0, 1.0, 0.25])
    assert (table["state"] == STATE_INDEX[ASSIST]).all()


def test_person_months_fractions_sum_to_spell_length() -> None:
    """The pieces of each spell add up to its length, and spells are clipped at the horizon."""
    log_ = log(
        spells(1, (ASSIST, 0.3), (MUNI, 2.7), (WORK, 2.9), (STUDIES, 7.0), end=30.0),
        spells(2, (ASSIST, 5.5), (AF, 5.75), end=30.0),
    )
    people = persons({"person_id": 1}, {"person_id": 2})
    table = Record(scenario(), log_, people, 20.4).person_months
    totals = table.groupby(["person_id", "state"])["fraction"].sum()
    code = STATE_INDEX
    expected = {
        (1, code[ASSIST]): 2.4,
        (1, code[MUNI]): 0.2,
        (1, code[WORK]): 4.1,
        (1, code[STUDIES]): 13.4,
        (2, code[ASSIST]): 0.25,
        (2, code[AF]): 14.65,
    }
    assert totals.to_dict() == pytest.approx(expected)
    assert ((table["fraction"] > 0) & (table["fraction"] <= 1)).all()


def test_start_date_must_be_first_of_month() -> None:
    """A start date other than the first of a month is rejected."""
    late = scenario(simulation={"start_date": "2025-01-15"})
    with pytest.raises(ValueError, match="first of a month"):
        Record(late, spells(1, (ASSIST, 0), end=2), persons({"person_id": 1}), 2).person_months


def test_costs_hand_computed_items() -> None:
    """Programme costs, activity support and half a month of municipal activity, by fraction."""
    log_ = spells(1, (ASSIST, 0), (AF, 9), (MUNI, 10), (ASSIST, 10.5), end=12)
    cost = Record(scenario(), log_, _single_parent(), 12).costs.set_index("item")["cost_sek"]
    assert cost["af_programme"] == pytest.approx(3200 * 20)
    assert cost["activity_support"] == pytest.approx(365 * 21.67 * 20)
    assert cost["municipal_activity"] == pytest.approx(0.5 * 12900 * 20)
    assert cost["subsidised_employment"] == 0.0


def test_costs_total_equals_sum_over_payers() -> None:
    """Every item carries the scenario's payer, and the payers' totals add up to the total."""
    sc = scenario()
    log_ = log(
        spells(1, (ASSIST, 0), (AF, 3), (SUBSIDISED, 6), (WORK, 9), end=18),
        spells(2, (ASSIST, 2.5), (MUNI, 4), (ASSIST, 8), end=18),
    )
    people = persons({"person_id": 1}, {"person_id": 2, "entry_time": 2.5})
    cost = Record(sc, log_, people, 18).costs
    assert list(cost.columns) == ["year", "item", "payer", "cost_sek"]
    assert (cost["item"].map(sc.costs.payers) == cost["payer"]).all()
    by_payer = cost.groupby("payer")["cost_sek"].sum()
    assert by_payer.sum() == pytest.approx(cost["cost_sek"].sum())
    assert set(by_payer.index) == {"municipality", "state"}
    assert sorted(cost["year"].unique()) == [2025, 2026]


def test_weights_scale_costs_linearly() -> None:
    """Doubling every weight doubles every cost."""
    log_ = spells(1, (ASSIST, 0), (MUNI, 2), (AF, 5.5), (WORK, 8), end=14)
    once = Record(scenario(), log_, _single_parent(weight=20.0), 14).costs
    twice = Record(scenario(), log_, _single_parent(weight=40.0), 14).costs
    assert twice["cost_sek"].to_numpy() == pytest.approx(2 * once["cost_sek"].to_numpy())


def test_assessments_counted_as_specified() -> None:
    """Applications and referrals are assessed; moves between assistance states are not."""
    log_ = log(
        spells(1, (ASSIST, 2), (MUNI, 3), (ASSIST, 5), (WORK, 6), (ASSIST, 8), (AF, 9), end=12),
        spells(2, (ASSIST, 0), (STUDIES, 4), end=12),
    )
    people = persons({"person_id": 1, "entry_time": 2.0}, {"person_id": 2})
    events = assessment_events(log_, people, 12)
    assert events["time"].tolist() == [2.0, 3.0, 8.0, 9.0]
    assert events["person_id"].tolist() == [1, 1, 1, 1]
    ledger = Record(scenario(), log_, people, 12).ledger
    assisted_months = (1 + 2 + 1 + 1 + 3) + 4
    expected = (4 * ASSESSMENT + assisted_months * PER_CASE_MONTH) * 20
    assert ledger["caseworker"].sum() == pytest.approx(expected)


def test_assistance_months_by_year_counts_any_payment() -> None:
    """A month counts once if assistance was paid in any part of it, per calendar year."""
    path = ((ASSIST, 10.5), (MUNI, 11.2), (WORK, 12.1), (ASSIST, 13.9), (WORK, 14.0))
    log_ = spells(1, *path, end=18)
    months = assistance_months_by_year(Record(scenario(), log_, persons({"person_id": 1}), 18).budget)
    assert list(months.columns) == ["person_id", "year", "months"]
    assert months[["year", "months"]].values.tolist() == [[2025, 2], [2026, 2]]


def test_unknown_household_type_is_rejected() -> None:
    """A household type the norm does not know raises ValueError instead of a silent norm."""
    people = persons({"person_id": 1, "household": "commune"})
    with pytest.raises(ValueError, match="commune"):
        Record(scenario(), spells(1, (ASSIST, 0), end=1), people, 1).budget


def test_accounts_in_blocks_of_persons_equal_the_whole_table(baseline) -> None:
    """Blocks change only the order of additions: every sum agrees to 1e-9 relative."""
    from sim.engine.model import Model
    from sim.rng import Streams

    output = Model(baseline, Streams(3, 0), scale=0.004, horizon=30.0).run()
    people = output.population.to_frame()
    record = Record(baseline, output.spells, people, 30.0)
    whole = Accounts.of(record.ledger, record.budget)
    blocks = record.accounts_in_blocks(97)
    key = ["person_id", "year"]
    a = whole.ledger.sort_values(key, ignore_index=True)
    b = blocks.ledger.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b, rtol=1e-9)
    pd.testing.assert_frame_equal(
        whole.paid_months_by_year.sort_values(key, ignore_index=True),
        blocks.paid_months_by_year.sort_values(key, ignore_index=True),
    )
    pd.testing.assert_series_equal(whole.paid_months.sort_index(), blocks.paid_months.sort_index(), rtol=1e-9)
    assert len(people) > 3 * 97  # several blocks were used
