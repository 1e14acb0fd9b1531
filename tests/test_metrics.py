"""Tests of sim.metrics on tiny hand-built spell logs with hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.outcomes.catalogue import SUBGROUPS
from sim.outcomes.record import Record
from sim.outcomes.survival import km_median
from sim.states import State
from tests.builders import log, persons, scenario, spells

ASSIST, MUNI, AF = State.ASSISTANCE, State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME
WORK, SUBSIDISED, STUDIES, OTHER = (
    State.EMPLOYMENT,
    State.SUBSIDISED_EMPLOYMENT,
    State.STUDIES,
    State.OTHER_EXIT,
)


def _values(
    log_: pd.DataFrame, people: pd.DataFrame, horizon: float, subgroup: str = "all"
) -> pd.Series:
    table = Record(scenario(), log_, people, horizon).metrics
    return table[table["subgroup"] == subgroup].set_index("metric")["value"]


def test_employment_rate_12m_among_persons_observed_12_months() -> None:
    """Only persons observed 12 months count; subsidised work is work but not employment."""
    log_ = log(
        spells(1, (ASSIST, 0), (WORK, 5), end=20),
        spells(2, (ASSIST, 0), end=20),
        spells(3, (ASSIST, 2), (SUBSIDISED, 10), end=20),
        spells(4, (ASSIST, 10), (WORK, 11), end=20),
    )
    people = persons({"person_id": 1}, {"person_id": 2}, {"person_id": 3, "entry_time": 2.0},
                     {"person_id": 4, "entry_time": 10.0})
    value = _values(log_, people, 20)
    assert value["employment_rate_12m"] == pytest.approx(1 / 3)
    assert value["work_rate_12m"] == pytest.approx(2 / 3)
    assert value["studies_rate_12m"] == 0.0
    assert math.isnan(value["employment_rate_24m"])


def test_state_at_entry_plus_k_includes_a_move_at_that_instant() -> None:
    """A person who starts a job exactly 12 months after entry is employed at 12 months."""
    log_ = spells(1, (ASSIST, 3), (STUDIES, 6), (WORK, 15), end=30)
    value = _values(log_, persons({"person_id": 1, "entry_time": 3.0}), 30)
    assert value["employment_rate_12m"] == 1.0
    assert value["employment_rate_24m"] == 1.0
    assert value["studies_rate_12m"] == 0.0


def test_shares_are_weighted() -> None:
    """With weights 1 and 3, the employed person with weight 3 makes the rate 0.75."""
    log_ = log(spells(1, (ASSIST, 0), end=13), spells(2, (ASSIST, 0), (WORK, 1), end=13))
    people = persons({"person_id": 1, "weight": 1.0}, {"person_id": 2, "weight": 3.0})
    assert _values(log_, people, 13)["employment_rate_12m"] == pytest.approx(0.75)


def test_km_median_with_censoring() -> None:
    """Events at 2, 5, 8, censored at 3, 6, 9: S = 5/6, 5/8, 5/16, so the median is 8."""
    time = np.array([2.0, 3.0, 5.0, 6.0, 8.0, 9.0])
    event = np.array([True, False, True, False, True, False])
    assert km_median(time, event) == 8.0
    assert km_median(time, event, np.full(6, 20.0)) == 8.0


def test_km_median_nan_when_survival_stays_above_half() -> None:
    """One event among four persons leaves survival at 0.75, so there is no median."""
    time, event = np.array([1.0, 4.0, 4.0, 4.0]), np.array([True, False, False, False])
    assert math.isnan(km_median(time, event))


def test_median_months_to_work_censored_at_horizon() -> None:
    """Time to work runs from entry; persons never in work are censored at the horizon."""
    horizon = 20.0
    log_ = log(
        spells(1, (ASSIST, 0), (WORK, 2), end=horizon),
        spells(2, (ASSIST, 17), end=horizon),
        spells(3, (ASSIST, 1), (AF, 3), (SUBSIDISED, 6), end=horizon),
        spells(4, (ASSIST, 14), end=horizon),
        spells(5, (ASSIST, 4), (STUDIES, 9), (WORK, 12), end=horizon),
        spells(6, (ASSIST, 11), end=horizon),
    )
    entries = {1: 0.0, 2: 17.0, 3: 1.0, 4: 14.0, 5: 4.0, 6: 11.0}
    people = persons(*({"person_id": p, "entry_time": e} for p, e in entries.items()))
    assert _values(log_, people, horizon)["median_months_to_work"] == 8.0


def test_long_term_share_on_person_years() -> None:
    """Person-years with ≥ 10 months paid are long-term; partial calendar years are left out."""
    log_ = log(
        spells(1, (ASSIST, 0), end=30),
        spells(2, (ASSIST, 0), (WORK, 5), end=30),
        spells(3, (ASSIST, 0), (WORK, 9.5), end=30),
        spells(4, (ASSIST, 26), end=30),
    )
    people = persons({"person_id": 1, "af_registered": True}, {"person_id": 2}, {"person_id": 3},
                     {"person_id": 4, "entry_time": 26.0})
    value = _values(log_, people, 30)
    assert value["long_term_share"] == pytest.approx(3 / 4)
    assert value["long_term_share_2025"] == pytest.approx(2 / 3)
    assert value["long_term_share_2026"] == 1.0
    assert "long_term_share_2027" not in value
    assert value["af_registration_share"] == pytest.approx(2 / 4)
    assert value["households_with_assistance_per_year"] == pytest.approx((3 + 1) / 2 * 20)


def test_af_programme_share_of_registered_counts_person_years_with_programme_time() -> None:
    """Among registered person-years with assistance, those with any AF programme time that year."""
    log_ = log(
        spells(1, (ASSIST, 0), (AF, 11.5), (ASSIST, 13), end=24),  # programme in both years
        spells(2, (ASSIST, 0), (AF, 14), (WORK, 16), end=24),  # programme in 2026 only
        spells(3, (ASSIST, 0), end=24),  # registered, never in a programme
        spells(4, (ASSIST, 0), end=24),  # not registered: not counted
    )
    people = persons(*({"person_id": p, "af_registered": p != 4} for p in (1, 2, 3)), {"person_id": 4})
    value = _values(log_, people, 24)
    # Registered person-years with assistance: 1×2025, 1×2026, 2×2025, 2×2026, 3×2025, 3×2026.
    assert value["af_programme_share_of_registered"] == pytest.approx(3 / 6)


def test_af_programme_spell_ending_at_a_year_boundary_is_not_in_the_next_year() -> None:
    log_ = log(spells(1, (ASSIST, 0), (AF, 6), (ASSIST, 12), end=24))
    people = persons({"person_id": 1, "af_registered": True})
    assert _values(log_, people, 24)["af_programme_share_of_registered"] == pytest.approx(1 / 2)


def test_reason_shares_over_person_years_with_assistance() -> None:
    """The main reason of the households paid in a year, weighted by person-years."""
    log_ = log(
        spells(1, (ASSIST, 0), end=24),
        spells(2, (ASSIST, 0), (WORK, 3), end=24),  # paid in 2025 only
        spells(3, (ASSIST, 0), end=24),
    )
    people = persons({"person_id": 1, "barrier": "sick"}, {"person_id": 2, "barrier": "unemployment"},
                     {"person_id": 3, "barrier": "unemployment", "woman": True, "born_abroad": True})
    value = _values(log_, people, 24)
    assert value["reason_sick_share"] == pytest.approx(2 / 5)
    assert value["reason_unemployment_share"] == pytest.approx(3 / 5)
    assert value["reason_social_share"] == 0.0
    assert _values(log_, people, 24, "born_abroad_women")["reason_unemployment_share"] == 1.0
    assert _values(log_, people, 24, "born_sweden_men")["reason_sick_share"] == pytest.approx(2 / 3)


def test_ame_exit_share_among_ended_municipal_activity_spells() -> None:
    """Ended spells that go to work or studies count as success; censored spells are left out."""
    log_ = log(
        spells(1, (MUNI, 0), (WORK, 2), end=12),
        spells(2, (MUNI, 0), (ASSIST, 3), (MUNI, 4), (STUDIES, 6), end=12),
        spells(3, (MUNI, 0), end=12),
        spells(4, (ASSIST, 0), (MUNI, 1), (OTHER, 7), end=12),
    )
    people = persons(*({"person_id": p} for p in (1, 2, 3, 4)))
    assert _values(log_, people, 12)["ame_exit_to_work_or_studies_share"] == pytest.approx(2 / 4)


def test_assistance_months_per_person() -> None:
    """Months with assistance paid (fractions) are averaged over every person, paid or not."""
    log_ = log(
        spells(1, (ASSIST, 0), (WORK, 3.5), end=12),
        spells(2, (ASSIST, 0), (MUNI, 2), (STUDIES, 6), end=12),
        spells(3, (WORK, 0), end=12),
    )
    people = persons(*({"person_id": p} for p in (1, 2, 3)))
    assert _values(log_, people, 12)["assistance_months_per_person"] == pytest.approx((3.5 + 6) / 3)


def test_cost_metrics_agree_with_accounting() -> None:
    """Cost metrics equal accounting.costs totals, and subgroups partition them."""
    sc = scenario()
    log_ = log(
        spells(1, (ASSIST, 0), (AF, 3), (WORK, 8), end=18),
        spells(2, (ASSIST, 2), (MUNI, 4), (SUBSIDISED, 9), end=18),
        spells(3, (ASSIST, 0), end=18),
    )
    people = persons({"person_id": 1, "woman": True}, {"person_id": 2, "entry_time": 2.0},
                     {"person_id": 3, "woman": True, "born_abroad": True})
    cost = Record(sc, log_, people, 18).costs
    table = Record(sc, log_, people, 18).metrics.pivot(index="metric", columns="subgroup", values="value")
    payer = cost.groupby("payer")["cost_sek"].sum()
    assert table.loc["cost_total_sek", "all"] == pytest.approx(cost["cost_sek"].sum())
    assert table.loc["cost_municipality_sek", "all"] == pytest.approx(payer["municipality"])
    assert table.loc["cost_state_sek", "all"] == pytest.approx(payer["state"])
    for metric in ("cost_total_sek", "cost_state_sek"):
        both = table.loc[metric, "women"] + table.loc[metric, "men"]
        assert both == pytest.approx(table.loc[metric, "all"])
    exits = 2 * 20.0
    per_exit = cost["cost_sek"].sum() / exits
    assert table.loc["cost_per_exit_to_work_sek", "all"] == pytest.approx(per_exit)
    assert math.isnan(table.loc["cost_per_exit_to_work_sek", "born_abroad"])


def test_every_metric_has_every_subgroup() -> None:
    """Each metric appears once per subgroup, including empty subgroups (as NaN where undefined)."""
    log_ = spells(1, (ASSIST, 0), (WORK, 6), end=24)
    table = Record(scenario(), log_, persons({"person_id": 1}), 24).metrics
    assert list(table.columns) == ["metric", "subgroup", "value"]
    counts = table.groupby("metric")["subgroup"].agg(lambda s: tuple(sorted(s)))
    assert (counts == tuple(sorted(SUBGROUPS))).all()
    assert len(counts) == 38  # employment and work at 6/12/24/36/48 months, studies at 12, 27 others (two full years)
    single_parent = table[table["subgroup"] == "single_parent"].set_index("metric")["value"]
    assert math.isnan(single_parent["employment_rate_12m"])
    assert single_parent["cost_total_sek"] == 0.0
