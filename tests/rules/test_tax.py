"""Income tax: the model's tax on wages against Skatteverket's published 2026 tables, and the rules' direction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.rules.tax import month_tax
from sim.scenario import load_scenario
from tests.conftest import BASELINE

ROWS = yaml.safe_load((Path(__file__).parent / "tax_tables_2026.yaml").read_text(encoding="utf-8"))["rows"]
#: Each of the table's four components (local tax, the two fees, the reductions) and the month are
#: truncated to whole kronor, the model's are not: at most (4 + 12) / 12 kr apart, so 2 kr is the bound.
TOLERANCE = 2.0


@pytest.fixture(scope="module")
def rules():
    return load_scenario(BASELINE)


@pytest.mark.parametrize("row", ROWS, ids=[f"table{r['table']}-{r['income']}" for r in ROWS])
def test_tax_on_wages_matches_the_published_2026_table(rules, row):
    local = row["table"] / 100 - 0.0116
    tax = rules.tax.model_copy(update={
        "municipal_rate": rules.tax.municipal_rate.constant(local * 0.64),
        "regional_rate": rules.tax.regional_rate.constant(local * 0.36),
    })  # fmt: skip
    month = month_tax(tax, rules.price_base_amount, date(2026, 3, 1), np.array([row["income"]], dtype=float),
                      np.zeros(1))  # fmt: skip
    burial, public_service = (int(part) for part in str(row["fees"]).split("+"))
    assert burial == int(row["taxable"] * 0.0116) and public_service == min(int(row["taxable"] * 0.01), 1184)
    model = float(month.total[0]) + (burial + public_service) / 12
    assert model == pytest.approx(row["tax"], abs=TOLERANCE)


def test_jobbskatteavdrag_is_for_earnings_only(rules):
    """The same 8 000 kr a month as wages and as aktivitetsstöd: only the wage gets the credit."""
    when = date(2026, 3, 1)
    wage = month_tax(rules.tax, rules.price_base_amount, when, np.array([8000.0]), np.zeros(1))
    support = month_tax(rules.tax, rules.price_base_amount, when, np.zeros(1), np.array([8000.0]))
    assert support.municipal == pytest.approx(wage.municipal) and support.regional == pytest.approx(wage.regional)
    assert wage.credit[0] > support.credit[0] > 0  # the skattereduktion för förvärvsinkomst is for both
    assert wage.total[0] < support.total[0]


def test_the_2026_credit_is_larger_than_2025s_above_3_24_prisbasbelopp(rules):
    """Budget 2026 raised the slope above 3.24 PBB from 19.9 to 25.1 %: more credit at 30 000 kr a month."""
    def credit(when):
        return month_tax(rules.tax, rules.price_base_amount, when, np.array([30000.0]), np.zeros(1)).credit[0]

    assert credit(date(2026, 1, 1)) > credit(date(2025, 12, 1))


def test_a_higher_local_rate_raises_the_tax_and_the_state_tax_starts_at_the_threshold(rules):
    when = date(2026, 3, 1)
    higher = rules.tax.model_copy(update={"municipal_rate": rules.tax.municipal_rate.constant(0.25)})
    base = month_tax(rules.tax, rules.price_base_amount, when, np.array([20000.0]), np.zeros(1)).total[0]
    assert month_tax(higher, rules.price_base_amount, when, np.array([20000.0]), np.zeros(1)).total[0] > base
    # brytpunkt 660 400 a year = 643 000 + the lowest grundavdrag 17 400 (Skatteverket 2026)
    below, above = (month_tax(rules.tax, rules.price_base_amount, when, np.array([x / 12]), np.zeros(1)).state[0]
                    for x in (660_000, 672_000))  # fmt: skip
    assert below == 0 and above == pytest.approx((672_000 - 17_400 - 643_000) * 0.2 / 12)
