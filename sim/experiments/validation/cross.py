"""Cross-validity: benefit amounts computed by the model against hand-computed cases from the published rules.

Each case builds one household and one spell log, runs it through the same code
the simulation uses for money (:attr:`sim.outcomes.record.Record.budget` and the
combined programme's lever), and compares the result with the amount written out
by hand from the published figures (PF = shared/reference/public-figures.md).

Example:
    >>> [round(c.model, 2) for c in cross_validation()][:1]
    [3917.43]
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from sim.files import SCENARIOS_DIR
from sim.outcomes.budget import month_rows
from sim.outcomes.record import Record
from sim.policies import build_policies
from sim.policies.combined_programme import CombinedProgrammePolicy
from sim.scenario import Scenario, load_scenario
from sim.states import STATE_INDEX, State

__all__ = ["CrossCase", "cross_validation", "single_parent_october_2025", "programme_allowance_three_children_2026"]

_SCENARIOS = SCENARIOS_DIR

#: Published figures used by hand (SEK per month unless said).
NORM_SINGLE_PARENT_TWO_CHILDREN_2025 = 3900 + 3020 + 3770 + 1770  # adult + child 4–6 + child 7–10 + household of 3
RENT_SINGLE_PARENT = 6700
ELECTRICITY_3_PERSONS_2025 = 670
HOME_INSURANCE_3_PERSONS_2025 = 200
CHILDCARE_FEE_SHARES = (0.03, 0.01)  # maxtaxa: förskola, youngest child first; fritidshem, second child
CHILD_ALLOWANCE_TWO_CHILDREN = 2650
HOUSING_ALLOWANCE_TWO_CHILDREN = 4200  # 2 000 + 0.5 × (5 900 − 1 400) = 4 250, rounded down to 100
MAINTENANCE_SUPPORT_TWO_UNDER_11 = 2 * 1673
ACTIVITY_SUPPORT_PER_DAY_OCT_2025 = 365
DAYS_PER_MONTH = 21.67
TAXABLE_INCOME_2025 = 94_900 - 32_300  # yearly FFI (12 × 7 909.55 rounded down to 100) less grundavdrag
MUNICIPAL_TAX_2025, REGIONAL_TAX_2025 = 0.2071, 0.1170
EARNED_INCOME_REDUCTION = 0.0075 * (TAXABLE_INCOME_2025 - 40_000)  # skattereduktion för förvärvsinkomst (year)
PRICE_BASE_2026 = 59200
PROGRAMME_SHARES_THREE_CHILDREN = (0.0475, 0.0033, 0.0021, 0.0011)
WEEKS_PER_MONTH = 30 / 7


@dataclass(frozen=True)
class CrossCase:
    """One hand-computed case.

    Attributes:
        name: identifier.
        title, title_en: the case in Swedish and English.
        formula: the hand computation written out.
        expected: the amount by the published rule (SEK per month).
        model: the amount the model's code computes.
        tolerance: the largest accepted |model − expected| in SEK.
        passed: whether |model − expected| ≤ tolerance.
        source: where the rule and amounts come from.
        note: anything that explains a difference.
    """

    name: str
    title: str
    title_en: str
    formula: str
    expected: float
    model: float
    tolerance: float
    passed: bool
    source: str
    note: str = ""

    @property
    def difference(self) -> float:
        """model − expected (SEK)."""
        return self.model - self.expected

    def as_dict(self) -> dict[str, object]:
        """The case as a flat dict, with the difference."""
        return {**asdict(self), "difference": self.difference}


def _sv(value: float, decimals: int, sign: bool = False) -> str:
    """A number with a decimal comma (the notes are Swedish)."""
    return f"{value:{'+' if sign else ''}.{decimals}f}".replace(".", ",").replace("-", "−")


def _person(**attributes: object) -> pd.DataFrame:
    row: dict[str, object] = {
        "person_id": 1, "entry_time": 0.0, "initial": True, "woman": True, "born_abroad": False, "age": 35.0,
        "barrier": "unemployment", "household": "single_parent", "n_children": 0, "child_age_1": np.nan,
        "child_age_2": np.nan, "child_age_3": np.nan, "child_age_4": np.nan, "rent": float(RENT_SINGLE_PARENT),
        "af_registered": True, "elapsed_months": 0.0, "weight": 1.0,
    }  # fmt: skip
    row.update(attributes)
    table = pd.DataFrame([row])
    table["n_children"] = table[[f"child_age_{k}" for k in range(1, 5)]].notna().sum(axis=1)
    return table.astype({"person_id": np.int64, "n_children": np.int64})


def _spells(path: list[tuple[State, float]], end: float) -> pd.DataFrame:
    codes = [STATE_INDEX[s] for s, _ in path]
    starts = [float(t) for _, t in path]
    return pd.DataFrame({
        "person_id": np.ones(len(path), dtype=np.int64), "state": np.array(codes, dtype=np.int8),
        "start": starts, "end": starts[1:] + [float(end)], "next_state": np.array(codes[1:] + [-1], dtype=np.int8),
    })  # fmt: skip


def single_parent_october_2025(baseline: Scenario | None = None) -> CrossCase:
    """A single parent (children 4 and 9, rent 6 700) in an AF programme in October 2025, on the baseline's rules."""
    scenario = baseline or load_scenario(_SCENARIOS / "baseline.yaml")
    log = _spells([(State.ASSISTANCE, 0), (State.AF_PROGRAMME, 9), (State.ASSISTANCE, 10)], end=12)
    people = _person(child_age_1=4.0, child_age_2=9.0)
    table = Record(scenario, log, people, 12.0).budget
    model = float(table.loc[table["month"] == 9, "assistance_sek"].sum())
    support = ACTIVITY_SUPPORT_PER_DAY_OCT_2025 * DAYS_PER_MONTH
    needs = (
        NORM_SINGLE_PARENT_TWO_CHILDREN_2025 + RENT_SINGLE_PARENT + ELECTRICITY_3_PERSONS_2025
        + HOME_INSURANCE_3_PERSONS_2025 + sum(CHILDCARE_FEE_SHARES) * support
    )  # fmt: skip
    tax = (TAXABLE_INCOME_2025 * (MUNICIPAL_TAX_2025 + REGIONAL_TAX_2025) - EARNED_INCOME_REDUCTION) / 12
    income = support + CHILD_ALLOWANCE_TWO_CHILDREN + HOUSING_ALLOWANCE_TWO_CHILDREN + MAINTENANCE_SUPPORT_TWO_UNDER_11
    expected = needs - (income - tax)
    tolerance = 1e-6
    return CrossCase(
        name="single_parent_oct_2025",
        title="Ensamstående förälder med två barn (4 och 9 år) i AF-program, oktober 2025: ekonomiskt bistånd",
        title_en="Single parent with two children (aged 4 and 9) in an AF programme, October 2025: assistance",
        formula="behov 20 346,38 (norm 12 460: 3 900 + 3 020 + 3 770 + 1 770; hyra 6 700; hushållsel 670; "
        "hemförsäkring 200; avgift förskola 3 % och fritidshem 1 % av 7 909,55 = 316,38) − inkomster efter skatt "
        "16 428,95 (aktivitetsstöd 365 × 21,67 = 7 909,55; barnbidrag 2 650; bostadsbidrag 2 000 + 0,5 × "
        "(5 900 − 1 400) = 4 250, avrundat nedåt till 4 200; underhållsstöd 2 × 1 673; skatt på 94 900 − 32 300 "
        "= 62 600 kr beskattningsbar inkomst per år: (20,71 % + 11,70 %) × 62 600 − 0,75 % × 22 600, per månad "
        "1 676,60) = 3 917,43 kr",
        expected=expected, model=model, tolerance=tolerance, passed=bool(abs(model - expected) <= tolerance),
        source="Riksnormen 2025 per delpost (baslinjens prior, PF 2b), hushållsel och hemförsäkring "
        "(Konsumentverket 2025), maxtaxa (SFS 2001:160), barnbidrag och flerbarnstillägg (PF 4), bostadsbidrag "
        "(SFS 2011:1520, FK), underhållsstöd 1 673 kr (FK), aktivitetsstöd 365 kr/dag från 2025-10-01 och 21,67 "
        "dagar per månad (PF 3, seed 004), grundavdrag och skattereduktion (IL 63 kap. 3 §, 67 kap. 46–48 §§; "
        "prisbasbelopp 58 800), medelskattesatser 2025 (SCB).",
        note="Beräknat med sim.outcomes.record.Record.budget på baslinjens parametrar.",
    )


def programme_allowance_three_children_2026(programme: Scenario | None = None) -> CrossCase:
    """The combined programme's allowance for a parent of three children (2, 7, 12), January 2026, full month."""
    scenario = programme or load_scenario(_SCENARIOS / "combined_programme.yaml")
    policy = next(p for p in build_policies(scenario) if isinstance(p, CombinedProgrammePolicy))
    log = _spells([(State.COMBINED_PROGRAMME, 12)], end=13)
    people = _person(child_age_1=2.0, child_age_2=7.0, child_age_3=12.0)
    record = Record(scenario, log, people, 13.0)
    rows = month_rows(record.person_months, people, scenario)
    model = float(policy.allowance(rows)[0])
    expected = PRICE_BASE_2026 * sum(PROGRAMME_SHARES_THREE_CHILDREN) * WEEKS_PER_MONTH
    weeks = scenario.policies.combined_programme.weeks_per_month if scenario.policies.combined_programme else math.nan
    tolerance = 1e-6
    return CrossCase(
        name="programme_allowance_3_children_2026",
        title="Kombinerat program: ersättning med barntillägg för tre barn, januari 2026 (hel månad)",
        title_en="Combined programme: allowance with child supplements for three children, January 2026 (full month)",
        formula="59 200 × (0,0475 + 0,0033 + 0,0021 + 0,0011) × 30/7 = 13 700,57 kr",
        expected=expected, model=model, tolerance=tolerance, passed=bool(abs(model - expected) <= tolerance),
        source="Prisbasbelopp 2026 59 200 kr (PF 1); 4,75 % av prisbasbeloppet per vecka och barntillägg "
        "0,33/0,21/0,11 % (SKL 2017, seed 001; PF 3); månad = 30/7 veckor.",
        note=f"Beräknat genom hävstången (CombinedProgrammePolicy.allowance). Scenariot skriver 30/7 som "
        f"{_sv(weeks, 10)} veckor per månad; modellen avviker {_sv(model - expected, 6, sign=True)} kr per månad "
        "från regeln (tolerans 0,000001 kr).",
    )


def cross_validation(baseline: Scenario | None = None, programme: Scenario | None = None) -> list[CrossCase]:
    """Every hand-computed case, on the shipped scenarios unless others are given."""
    return [single_parent_october_2025(baseline), programme_allowance_three_children_2026(programme)]
