"""The configuration of each policy lever (``policies:`` in a scenario).

A lever is switched on by writing its section; an absent section leaves the
model as the baseline describes it. The behaviour of each lever lives in
``sim/policies/<lever>.py``; here is only what a scenario may say about it and
the admissible values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from sim.scenario.budget import DatedShare
from sim.scenario.parameters import DatedSeries, Day
from sim.states import State

__all__ = [
    "CombinedProgramme",
    "Pathway",
    "Childcare",
    "AllowanceIncentive",
    "AfCoordination",
    "TransferMode",
    "InformationTransfer",
    "Sanction",
    "ActivityRequirement",
    "BenefitCap",
    "JobPremium",
    "Policies",
]

Rate = Annotated[float, Field(strict=True, ge=0, le=1e6, allow_inf_nan=False)]
Share = Annotated[float, Field(strict=True, ge=0, le=1, allow_inf_nan=False)]
#: SEK (or hours): a billion a month is no household's, programme's or caseworker's.
Amount = Annotated[float, Field(strict=True, ge=0, le=1e9, allow_inf_nan=False)]
Months = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
#: A child's age in years.
Age = Annotated[float, Field(strict=True, ge=0, le=25, allow_inf_nan=False)]
Hours = Annotated[float, Field(strict=True, ge=0, le=168, allow_inf_nan=False)]
Barrier = Literal["unemployment", "sick", "social", "other"]


class _Lever(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CombinedProgramme(_Lever):
    """SKL's combined programme (kombinerat program), after Norway's Kvalifiseringsprogrammet.

    Referral uses ``transitions.assistance.combined_programme`` for eligible people;
    exits use ``transitions.combined_programme``; places are
    ``capacity.combined_programme_places``.
    """

    min_age: Annotated[float, Field(strict=True, ge=18, le=67)]
    max_age: Annotated[float, Field(strict=True, ge=18, le=67)]
    min_months_on_assistance: Months
    duration_months: Annotated[float, Field(strict=True, gt=0)]
    extension_months: Months
    extension_share: Share
    allowance_share_of_price_base_per_week: Share
    child_supplement_shares_per_week: tuple[Share, Share, Share]
    weeks_per_month: Annotated[float, Field(strict=True, gt=0)]
    participants_per_resource_person: Annotated[float, Field(strict=True, gt=0)]
    resource_person_cost_per_month: Amount
    components_cost_per_month: Amount

    @model_validator(mode="after")
    def _ages_in_order(self) -> CombinedProgramme:
        if self.min_age > self.max_age:
            raise ValueError("min_age must not exceed max_age")
        return self


class Pathway(_Lever):
    """Sequential (social and health measures first) or parallel interventions in activities."""

    mode: Literal["sequential", "parallel"]
    applies_to: tuple[State, ...]
    social_phase_months: dict[Barrier, Months]
    work_factor_in_social_phase: Rate
    work_factor_after_social_phase: Rate
    work_factor_parallel: Rate
    parallel_extra_cost_per_month: Amount


class Childcare(_Lever):
    """Full-time preschool and after-school care (förskola, fritidshem) for activated parents."""

    full_time: StrictBool
    part_time_hours: Hours
    school_age_hours: Hours
    preschool_ages: tuple[Age, Age]
    school_ages: tuple[Age, Age]
    places: Annotated[int, Field(strict=True, ge=0)] | None = None
    cost_per_extra_child_hour: Amount


class AllowanceIncentive(_Lever):
    """How the allowance paid in an activity changes its exits to work (lock-in)."""

    elasticity: Annotated[float, Field(strict=True, ge=0, le=5, allow_inf_nan=False)]
    reference_activity_support_per_day: Annotated[float, Field(strict=True, gt=0)]


class AfCoordination(_Lever):
    """Whether Arbetsförmedlingen may interrupt municipal activities, or a joint plan holds."""

    af_may_interrupt: StrictBool
    joint_plan: StrictBool
    provider_work_factor: Rate
    joint_plan_work_factor: Rate


class TransferMode(_Lever):
    """Decision delay and caseworker time under one way of getting AF's information."""

    decision_delay_months: Months
    decision_minutes: Annotated[float, Field(strict=True, ge=0, le=10_000)]


class InformationTransfer(_Lever):
    """Manual or digital information transfer from AF to the municipality."""

    mode: Literal["manual", "digital"]
    manual: TransferMode
    digital: TransferMode


class Sanction(_Lever):
    """Reduced assistance on unexcused absence from a required activity."""

    absence_share: Share
    reduction_share: Share


class ActivityRequirement(_Lever):
    """The activity requirement (aktivitetskrav) for people on försörjningsstöd."""

    in_force_from: Day
    min_months_on_assistance: Months
    required_hours: Hours
    exempt_share: dict[Barrier, Share]
    activation_rate: Rate
    exit_factor: Rate
    inflow_reduction: dict[Literal["18-24", "25-64"], Share]
    sanction: Sanction


class BenefitCap(_Lever):
    """The benefit cap (bidragstak): the modernised norm and the limitation from the fourth child."""

    in_force_from: Day
    norm_change_share: Annotated[float, Field(strict=True, ge=-1, le=1, allow_inf_nan=False)] = Field(
        description="Change of the whole norm under the modernised riksnorm: −0.05 is a 5 % cut, 0.05 a raise."
    )
    children_in_full: Annotated[int, Field(strict=True, ge=0, le=20)] = Field(
        description="Children (oldest first) whose personal cost counts in full; the later ones are limited."
    )
    further_child_share: dict[Literal["single_parent", "couple_children"], Share] = Field(
        description="Share of a limited child's personal cost that still counts, for single parents and couples."
    )
    limitation_phase_in: DatedShare = Field(
        default=DatedSeries.constant(1.0),
        description="Share of the limitation in force, by date (phased in): 0 none, 1 in full.",
    )

    @model_validator(mode="after")
    def _both_households(self) -> BenefitCap:
        missing = {"single_parent", "couple_children"} - set(self.further_child_share)
        if missing:
            raise ValueError(f"further_child_share needs single_parent and couple_children; {', '.join(sorted(missing))} "
                             "is missing")  # fmt: skip
        return self


class JobPremium(_Lever):
    """The jobbpremie: a tax-free premium for leaving assistance for a salaried job."""

    scheme_from: Day
    scheme_until: Day
    qualifying_from: Day
    qualifying_until: Day
    amount_per_month: Amount
    max_months: Months
    take_up_share: Share
    work_exit_factor: Rate

    @model_validator(mode="after")
    def _dates_in_order(self) -> JobPremium:
        if self.scheme_until <= self.scheme_from:
            raise ValueError("scheme_until must come after scheme_from")
        if self.qualifying_until <= self.qualifying_from:
            raise ValueError("qualifying_until must come after qualifying_from")
        return self


class Policies(_Lever):
    """The levers in force; an absent lever changes nothing."""

    combined_programme: CombinedProgramme | None = None
    pathway: Pathway | None = None
    childcare: Childcare | None = None
    allowance_incentive: AllowanceIncentive | None = None
    af_coordination: AfCoordination | None = None
    information_transfer: InformationTransfer | None = None
    activity_requirement: ActivityRequirement | None = None
    benefit_cap: BenefitCap | None = None
    job_premium: JobPremium | None = None
