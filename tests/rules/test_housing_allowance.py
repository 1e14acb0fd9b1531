"""Bostadsbidrag and underhållsstöd, computed by hand from Försäkringskassan's rules (amounts in the baseline)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sim.rules.housing_allowance import housing_allowance, maintenance_support
from sim.scenario import load_scenario
from tests.conftest import BASELINE

RULES = load_scenario(BASELINE)


def _bb(when, children, rent, income, adults=1):
    return float(housing_allowance(RULES.housing_allowance, when, np.array([children]), np.array([float(rent)]),
                                   np.array([float(income)]), np.array([adults]))[0])  # fmt: skip


def test_the_housing_part_stops_at_the_upper_limit_which_rose_on_2026_01_01():
    # 2 000 + 0.5 × (min(9 000, 5 900) − 1 400) = 4 250 → 4 200; from 2026: 2 000 + 0.5 × (7 900 − 1 400) = 5 250 → 5 200
    assert _bb(date(2025, 12, 1), 2, 9000, 0) == 4200
    assert _bb(date(2026, 1, 1), 2, 9000, 0) == 5200


def test_income_above_the_threshold_reduces_it_by_a_fifth():
    # single parent, one child, rent 6 000, income 195 000: 1 500 + 2 300 − 0.2 × 60 000 / 12 = 2 800
    assert _bb(date(2026, 1, 1), 1, 6000, 195_000) == 2800
    # a couple: the threshold is 67 500 for the adult with the income (the other has none)
    assert _bb(date(2026, 1, 1), 1, 6000, 127_500, adults=2) == 2800


def test_less_than_100_kr_is_not_paid_and_households_without_children_get_none():
    # 1 500 + 2 300 − 0.2 × (361 500 − 135 000) / 12 = 25 → rounded down to 0
    assert _bb(date(2026, 1, 1), 1, 6000, 361_500) == 0
    assert _bb(date(2026, 1, 1), 0, 6000, 0) == 0


def test_underhallsstod_by_age_band_and_not_from_18():
    ages = np.array([[3.0, 11.0, 15.5, 18.0, np.nan]])
    # 1 673 + 1 823 + 2 223 (the 18-year-old gets none)
    assert maintenance_support(RULES.maintenance_support, date(2026, 1, 1), ages)[0] == pytest.approx(5719.0)
