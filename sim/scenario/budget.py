"""The schema of the household budget's rules: tax, bostadsbidrag, underhållsstöd, accepted costs, earnings.

Each section is optional: a scenario without it does not apply that rule (an income is
then counted gross, a benefit not at all), which keeps small test scenarios small. The
shipped scenarios set every section, with the dated amounts of each year and their
sources (``tests/scenario`` checks that the baseline does). The rules that use them are
in :mod:`sim.rules`; the budget that applies them is :mod:`sim.outcomes.budget`.

Example:
    >>> HousingAllowance.model_fields["cost_share"].description
    'Share of the housing cost between the lower and the upper limit that is paid.'
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from sim.scenario.parameters import DatedCurve, DatedSeries

__all__ = [
    "AcceptedCosts", "ChildcareFee", "Curve", "DatedAmount", "DatedShare", "Earnings", "HouseholdSize", "HousingAllowance",
    "MaintenanceSupport", "Tax",
]  # fmt: skip

Share = Annotated[float, Field(strict=True, ge=0, le=1, allow_inf_nan=False)]
Amount = Annotated[float, Field(strict=True, ge=0, le=1e9, allow_inf_nan=False)]
#: Household size 1–7 (the norm's common costs stop at 7; larger households use 7).
HouseholdSize = Literal[1, 2, 3, 4, 5, 6, 7]
#: Children counted by the bostadsbidrag's tables: 1, 2, and 3 or more.
ChildrenBand = Literal[1, 2, 3]


def _amounts(series: DatedSeries) -> DatedSeries:
    if series.minimum() < 0 or max(series.values) > 1e9:
        raise ValueError("amounts must be from 0 to 1e9 SEK")
    return series


def _shares(series: DatedSeries) -> DatedSeries:
    if series.minimum() < 0 or max(series.values) > 1:
        raise ValueError("shares must be from 0 to 1")
    return series


#: A non-negative amount that may change by date (SEK).
DatedAmount = Annotated[
    DatedSeries, BeforeValidator(DatedSeries.parse), AfterValidator(_amounts), PlainSerializer(DatedSeries.to_raw)
]
#: A share (a tax rate, say) that may change by date.
DatedShare = Annotated[
    DatedSeries, BeforeValidator(DatedSeries.parse), AfterValidator(_shares), PlainSerializer(DatedSeries.to_raw)
]
#: A piecewise-linear schedule that may change by date (x and y in prisbasbelopp).
Curve = Annotated[DatedCurve, BeforeValidator(DatedCurve.parse), PlainSerializer(DatedCurve.to_raw)]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Tax(_Rules):
    """Income tax on the adult's taxable incomes, and the employer's contributions on wages (dated).

    Taxable: earnings, aktivitetsstöd, the programme allowance; tax-free: barnbidrag,
    bostadsbidrag, underhållsstöd, assistance. The annual tax of a month's income is
    computed on twelve times it, as the tax tables do (:mod:`sim.rules.tax`).
    """

    municipal_rate: DatedShare = Field(description="Average municipal income tax rate.")
    regional_rate: DatedShare = Field(description="Average regional income tax rate.")
    state_rate: DatedShare = Field(description="State income tax rate above the threshold.")
    state_threshold_per_year: DatedAmount = Field(description="Taxable income per year above which state tax is due.")
    employer_contribution_rate: DatedShare = Field(description="Arbetsgivaravgifter, as a share of the wage.")
    basic_allowance: Curve = Field(description="Grundavdrag (prisbasbelopp) by assessed income (prisbasbelopp).")
    earned_income_credit: Curve = Field(
        description="Jobbskatteavdrag's base (prisbasbelopp) by earned income (prisbasbelopp); the credit is "
        "(base − grundavdrag) × the local tax rate, at least 0 and at most the local tax."
    )
    income_reduction_rate: DatedShare = Field(
        description="Skattereduktion för förvärvsinkomst: share of taxable income above the floor."
    )
    income_reduction_floor: DatedAmount = Field(description="Taxable income per year above which it starts.")
    income_reduction_max: DatedAmount = Field(description="Its largest amount per year.")
    municipal_share_kept: Share = Field(
        description="Share of a change in municipal income tax the municipality keeps after the income equalisation."
    )


class HousingAllowance(_Rules):
    """Bostadsbidrag to households with children (Försäkringskassan), dated."""

    per_children: dict[ChildrenBand, DatedAmount] = Field(
        description="Särskilt bidrag för hemmavarande barn, SEK/month, for 1, 2, and 3 or more children."
    )
    cost_share: Share = Field(description="Share of the housing cost between the lower and the upper limit that is paid.")
    lower_cost_limit: DatedAmount = Field(description="Housing cost per month below which nothing is paid.")
    upper_cost_limit: dict[ChildrenBand, DatedAmount] = Field(
        description="Housing cost per month above which nothing more is paid, for 1, 2, and 3 or more children."
    )
    income_threshold_single: DatedAmount = Field(description="Yearly income a single parent may have without reduction.")
    income_threshold_each_spouse: DatedAmount = Field(description="The same for each spouse of a couple.")
    income_reduction_share: Share = Field(description="Share of the income above the threshold taken off the bidrag.")
    rounded_down_to: Amount = Field(description="The monthly bidrag is rounded down to a multiple of this (SEK).")
    take_up_share: Share = Field(description="Share of the households entitled to it that receive it.")


class MaintenanceSupport(_Rules):
    """Underhållsstöd for the children of single parents (Försäkringskassan), per child and month, dated.

    A child living with one parent receives at least this amount: from the other parent
    (underhållsbidrag), or from Försäkringskassan, which also tops up a smaller payment
    (utfyllnadsbidrag). The household's income counts it either way; who pays it is the
    ``receiving_share``.
    """

    under_11: DatedAmount
    age_11_14: DatedAmount
    from_15: DatedAmount
    receiving_share: Share = Field(
        description="Share of single parents whose children receive underhållsstöd from Försäkringskassan "
        "(the others receive the same amount from the other parent)."
    )


class ChildcareFee(_Rules):
    """The fee for förskola and fritidshem under the maxtaxa: a share of the household's income per child,
    up to an income cap, by the child's place among the children in care (the youngest is the first)."""

    preschool_ages: tuple[Annotated[int, Field(strict=True, ge=0, le=18)], Annotated[int, Field(strict=True, ge=0, le=18)]] = Field(
        description="First and last year of age in förskola."
    )  # fmt: skip
    school_ages: tuple[Annotated[int, Field(strict=True, ge=0, le=18)], Annotated[int, Field(strict=True, ge=0, le=18)]] = Field(
        description="First and last year of age in fritidshem."
    )  # fmt: skip
    preschool_shares: tuple[Share, ...] = Field(description="Share of income for the 1st, 2nd, … child in förskola.")
    school_shares: tuple[Share, ...] = Field(description="Share of income for the 1st, 2nd, … child in fritidshem.")
    income_disregard_per_month: DatedAmount = Field(description="Household income per month on which no fee is due.")
    income_cap_per_month: DatedAmount = Field(
        description="Income above the disregard, per month, beyond which the fee stays the same."
    )


class AcceptedCosts(_Rules):
    """Costs outside the norm that social services accept (Socialstyrelsen), SEK/month by household size."""

    household_electricity: dict[HouseholdSize, DatedAmount]
    home_insurance: dict[HouseholdSize, DatedAmount]
    childcare_fee: ChildcareFee | None = None


class Earnings(_Rules):
    """What a person who leaves assistance for work earns (gross, SEK/month)."""

    full_time_per_month: Amount = Field(description="Gross full-time wage per month.")
    part_time_share: Share = Field(description="Share of those in work who work part time.")
    part_time_hours_share: Share = Field(description="Hours of a part-time job as a share of full time.")
    subsidised_per_month: Amount = Field(description="Gross wage in subsidised employment.")
