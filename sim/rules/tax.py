"""Income tax on a month's income, by the dated rules of each year (inkomstskattelagen, for people under 66).

A month's tax is one twelfth of the year's tax on twelve times the month's income (the
way the monthly tax tables are built, SKV 433). The year's tax:

* assessed income ``FFI`` = earnings + other taxable income (aktivitetsstöd, the programme
  allowance), rounded down to 100 kr (IL 1 kap. 5 §);
* grundavdrag ``GA`` = the basic-allowance curve at ``FFI`` (in prisbasbelopp), rounded up to
  100 kr, at most ``FFI`` (IL 63 kap. 2–3 §§);
* taxable income ``T`` = ``FFI − GA``;
* municipal and regional tax = ``T ×`` the average municipal and regional rates;
* state tax = ``(T − threshold) × state rate`` above the threshold (IL 65 kap. 5 §);
* jobbskatteavdrag, for earnings only = ``(base(earnings) − GA) × local rate``, at least 0 and at
  most the local tax (IL 67 kap. 7 §); aktivitetsstöd and the programme allowance are not
  arbetsinkomst;
* skattereduktion för förvärvsinkomst = ``rate × (T − floor)``, at most its maximum (IL 67 kap. 46–48 §§).

The two reductions are borne by the state: the municipalities and regions receive their rate
on the tax base (:mod:`sim.outcomes.costs`). Left out: the allmän pensionsavgift (7 %), which
its own reduction offsets in full whenever the tax exceeds it (incomes above about 60 000 kr
a year); the begravnings- and kyrkoavgift and the public service-avgift, which are fees, not
income tax; öre roundings.

Example (aktivitetsstöd 365 kr/day × 21.67 days, November 2025, average local rate 32.41 %)::

    FFI = 94 900; GA = 0.423 PBB + 0.2 × (FFI − 0.99 PBB) = 32 210 → 32 300; T = 62 600;
    local tax 62 600 × 0.3241 = 20 288.66; reduction 0.0075 × (62 600 − 40 000) = 169.50;
    tax = 20 119.16 kr/year = 1 676.60 kr/month
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from sim.scenario.budget import Tax
from sim.scenario.parameters import DatedSeries

__all__ = ["MonthTax", "month_tax"]


@dataclass(frozen=True)
class MonthTax:
    """The tax of one or many month-rows (SEK/month), by who receives it.

    Attributes:
        municipal, regional: income tax at the local rates, before the reductions.
        state: state income tax above the threshold.
        credit: the jobbskatteavdrag and the skattereduktion för förvärvsinkomst, which reduce the tax
            (at most to zero) and which the state bears.
    """

    municipal: np.ndarray
    regional: np.ndarray
    state: np.ndarray
    credit: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Tax paid by the person."""
        return self.municipal + self.regional + self.state - self.credit


def month_tax(
    rules: Tax, price_base: DatedSeries, when: date, earnings: np.ndarray, other_taxable: np.ndarray
) -> MonthTax:
    """The tax on each row's month income, all rows in the month ``when``.

    Args:
        rules: the scenario's tax section.
        price_base: prisbasbelopp (the year's value on ``when``).
        earnings: earned income per row (SEK/month, gross).
        other_taxable: other taxable income per row (SEK/month).
    """
    pbb = price_base.at(when)
    earned = np.floor(12.0 * np.asarray(earnings, dtype=float) / 100.0) * 100.0
    assessed = np.floor(12.0 * (np.asarray(earnings, dtype=float) + np.asarray(other_taxable, dtype=float)) / 100.0) * 100.0
    allowance = np.ceil(rules.basic_allowance.value(when, assessed / pbb) * pbb / 100.0 - 1e-9) * 100.0
    allowance = np.minimum(allowance, assessed)
    taxable = np.maximum(assessed - allowance, 0.0)
    municipal_rate, regional_rate = rules.municipal_rate.at(when), rules.regional_rate.at(when)
    municipal, regional = taxable * municipal_rate, taxable * regional_rate
    local = municipal + regional
    base = rules.earned_income_credit.value(when, earned / pbb) * pbb
    credit = np.where(earned > 0, np.maximum(base - allowance, 0.0) * (municipal_rate + regional_rate), 0.0)
    credit = np.minimum(credit, local)
    reduction = np.clip(rules.income_reduction_rate.at(when) * (taxable - rules.income_reduction_floor.at(when)),
                        0.0, rules.income_reduction_max.at(when))  # fmt: skip
    reduction = np.minimum(reduction, local - credit)
    state_tax = np.maximum(taxable - rules.state_threshold_per_year.at(when), 0.0) * rules.state_rate.at(when)
    return MonthTax(municipal / 12.0, regional / 12.0, state_tax / 12.0, (credit + reduction) / 12.0)
