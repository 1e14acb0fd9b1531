"""Every lever that changes a rule moves a type case the way its text intends, by the size the rule gives.

Each row changes one rule of a shipped scenario and compares the same household before and after
(``sim.household``); the expected change is computed by hand from the rule (arithmetic in the row).
The activity requirement's sanction, an expectation over behaviour, is left out of type cases
and tested in ``tests/policies/test_activity_requirement.py``.
"""

from __future__ import annotations

import pytest

import sim
from tests.conftest import ROOT

SINGLE_PARENT_AF = {"when": "2025-11", "adults": 1, "children": [3, 8], "rent": 7500, "state": "af_programme"}
SINGLE_AF = {"when": "2025-11", "adults": 1, "children": [], "rent": 5389, "state": "af_programme"}
FOUR_CHILDREN = {"when": "2026-10", "adults": 1, "children": [2, 5, 9, 13], "rent": 11621, "state": "assistance"}
COUPLE_TWO = {"when": "2027-09", "adults": 2, "children": [8, 12], "rent": 9118, "state": "assistance"}
PROGRAMME = {"when": "2026-03", "adults": 1, "children": [], "rent": 3500, "state": "combined_programme"}

#: (what, scenario, changes, case, line, expected change in SEK/month: the hand arithmetic)
LEVERS = [
    ("aktivitetsstöd raised 365 → 400 kr/day: more support, less assistance", "baseline",
     {"allowances.activity_support_per_day": {"values": {"2024-01-01": 223, "2025-10-01": 400}}}, SINGLE_AF,
     "assistance", -(35 * 21.67 - 192.60)),  # 758.45 more support, 192.60 more tax (T 62 600 → 69 900)
    ("aktivitetsstöd raised: the support line", "baseline",
     {"allowances.activity_support_per_day": {"values": {"2024-01-01": 223, "2025-10-01": 400}}}, SINGLE_AF,
     "activity_support", 35 * 21.67),
    ("benefit cap: a deeper cut of the norm (−4.6 % → −6 %) lowers the norm", "reform_2026",
     {"policies.benefit_cap.norm_change_share": -0.06}, COUPLE_TWO, "norm", -0.014 * 17290),
    ("benefit cap: no cut at all (0) gives back the 2026 norm", "reform_2026",
     {"policies.benefit_cap.norm_change_share": 0.0}, COUPLE_TWO, "assistance", 0.046 * 17290),
    ("bostadsbidrag: a higher cost limit for 3+ children (8 600 → 9 000) pays more", "baseline",
     {"housing_allowance.upper_cost_limit.3": {"values": {"2024-01-01": 6600, "2026-01-01": 9000}}}, FOUR_CHILDREN,
     "housing_allowance", 200.0),  # 2 650 + 0.5 × (9 000 − 1 400) = 6 450 → 6 400, was 6 200
    ("bostadsbidrag raised: assistance falls by as much", "baseline",
     {"housing_allowance.upper_cost_limit.3": {"values": {"2024-01-01": 6600, "2026-01-01": 9000}}}, FOUR_CHILDREN,
     "assistance", -200.0),
    ("underhållsstöd raised for children under 11 (1 673 → 1 800)", "baseline",
     {"maintenance_support.under_11": 1800}, SINGLE_PARENT_AF, "assistance", -2 * 127.0),
    ("barnbidrag raised for two children (2 650 → 2 800)", "baseline",
     {"allowances.child_allowance.2": 2800}, SINGLE_PARENT_AF, "assistance", -150.0),
    ("municipal tax rate up one point: more tax on aktivitetsstöd, topped up by assistance", "baseline",
     {"tax.municipal_rate": {"values": {"2025-01-01": 0.2171, "2026-01-01": 0.2169}}}, SINGLE_AF,
     "assistance", 62600 * 0.01 / 12),
    ("maxtaxa cut for the first child in förskola (3 % → 2 %)", "baseline",
     {"accepted_costs.childcare_fee.preschool_shares": [0.02, 0.02, 0.01]}, SINGLE_PARENT_AF, "childcare_fee",
     -0.01 * 365 * 21.67),
    ("programme allowance raised (4.75 → 5 % of prisbasbelopp a week): more disposable income", "combined_programme",
     {"policies.combined_programme.allowance_share_of_price_base_per_week": 0.05}, PROGRAMME, "disposable_income",
     59200 * 0.0025 * 30 / 7 - 160.79),  # 634.29 more allowance, 160.79 more tax
]


@pytest.mark.parametrize(("what", "name", "changes", "case", "line", "expected"), LEVERS, ids=[r[0] for r in LEVERS])
def test_a_rule_change_moves_the_type_case_as_intended(what, name, changes, case, line, expected):
    base = sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    changed = base.with_changes({"name": f"{name}_changed", **changes})
    table = sim.household([base, changed], **case).set_index(["scenario", "line"])
    delta = float(table.loc[(f"{name}_changed", line), "difference_sek"])
    assert delta == pytest.approx(expected, abs=0.5), what
    assert (delta > 0) == (expected > 0)
