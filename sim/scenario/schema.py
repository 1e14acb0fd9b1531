"""The typed, immutable description of a scenario (no I/O).

Every number a scenario holds lives here with its unit and its admissible
range; the loader (``yaml_io``) strips sources and notes off the YAML before
validation and keeps them in ``Scenario.provenance``. Unknown keys are errors
(``extra="forbid"``), so a misspelt parameter can never be silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    model_validator,
)  # fmt: skip

from sim.scenario.budget import AcceptedCosts, Earnings, HousingAllowance, MaintenanceSupport, Tax
from sim.scenario.changes import to_yaml as yaml_of
from sim.scenario.changes import with_changes as changes_of
from sim.scenario.levers import Policies
from sim.scenario.parameters import DatedSeries, Day
from sim.scenario.uncertainty import Distribution, parse_distribution
from sim.states import ACTIVITY_STATES, ALLOWED, State

__all__ = [
    "Scenario",
    "Simulation",
    "Population",
    "Transition",
    "CovariateEffects",
    "Capacity",
    "Caseworker",
    "Allowances",
    "Norm",
    "Costs",
    "Target",
    "Provenance",
    "Activity",
    "Barrier",
    "HouseholdType",
    "CostItem",
    "Sex",
    "AgeBand",
    "ChildCount",
    "BARRIERS",
    "HOUSEHOLD_TYPES",
    "COST_ITEMS",
    "CHILD_COUNTS",
]

#: A household's main barrier to work ("other" is whatever the shares leave over).
Barrier = Literal["unemployment", "sick", "social", "other"]
#: The composition of a household.
HouseholdType = Literal["single", "single_parent", "couple", "couple_children"]
#: An item of cost, each paid by the municipality or the state.
CostItem = Literal[
    "assistance",
    "municipal_activity",
    "af_programme",
    "activity_support",
    "subsidised_employment",
    "caseworker",
    "combined_programme",
    "programme_allowance",
    "childcare",
    "pathway",
    "job_premium",
    "housing_allowance",
    "maintenance_support",
]
#: The groups household compositions are given for.
Sex = Literal["women", "men"]
#: An age band of the adults entering assistance.
AgeBand = Literal["18-24", "25-34", "35-44", "45-54", "55-64"]
#: Number of children; child allowances are given for one to four (more continue the step).
ChildCount = Literal[1, 2, 3, 4]

# The same names as tuples, in order (the schema keys on the Literal types above).
BARRIERS: tuple[Barrier, ...] = get_args(Barrier)
HOUSEHOLD_TYPES: tuple[HouseholdType, ...] = get_args(HouseholdType)
COST_ITEMS: tuple[CostItem, ...] = get_args(CostItem)
CHILD_COUNTS: tuple[ChildCount, ...] = get_args(ChildCount)

#: Most months a scenario may simulate, and most replications of a run (the command line checks the same).
MAX_MONTHS = 600
MAX_REPLICATIONS = 10_000
#: The largest monthly hazard a transition may have: a mean stay of about four minutes, for a move that is
#: all but immediate; beyond it the simulation would take ever smaller steps for no meaning.
MAX_HAZARD = 10_000.0

Rate = Annotated[float, Field(strict=True, ge=0, le=1e6, allow_inf_nan=False)]
#: A transition hazard per month, at most :data:`MAX_HAZARD`.
Hazard = Annotated[float, Field(strict=True, ge=0, le=MAX_HAZARD, allow_inf_nan=False)]
Share = Annotated[float, Field(strict=True, ge=0, le=1, allow_inf_nan=False)]
#: SEK (or hours): a billion a month is no household's, programme's or caseworker's.
Amount = Annotated[float, Field(strict=True, ge=0, le=1e9, allow_inf_nan=False)]
#: More households than Sweden has (about 4.9 million) is a mistake, not a scenario.
Households = Annotated[float, Field(strict=True, ge=0, le=5_000_000, allow_inf_nan=False)]
Positive = Annotated[float, Field(strict=True, gt=0, le=1e9, allow_inf_nan=False)]
Payer = Literal["municipality", "region", "state"]


def _identifier(name: str) -> str:
    if not _NAME.fullmatch(name):
        shown = name.encode("unicode_escape").decode("ascii")[:80]
        raise ValueError(f"must be letters, digits, '_' and '-' (starting with a letter or digit, at most 64), "
                         f"got '{shown}'; it names the results folder; a title with spaces goes in 'title'")
    return name


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: A scenario's name: a safe identifier, since it becomes a folder name.
Name = Annotated[str, Field(strict=True), AfterValidator(_identifier)]


def _nonnegative_series(series: DatedSeries) -> DatedSeries:
    if series.minimum() < 0:
        raise ValueError("amounts must not be negative")
    if max(series.values) > 1e9:
        raise ValueError(f"amounts must be at most 1e9 SEK (got {max(series.values):g})")
    return series


#: A non-negative amount that may change by date.
Dated = Annotated[
    DatedSeries,
    BeforeValidator(DatedSeries.parse),
    AfterValidator(_nonnegative_series),
    PlainSerializer(DatedSeries.to_raw),
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _check_sums_to_one(shares: Mapping[Any, float], what: str) -> None:
    total = sum(shares.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what} must sum to 1 (they sum to {total:.6g})")


class Simulation(_Section):
    """Calendar, horizon and default run settings."""

    start_date: Day
    months: Annotated[int, Field(strict=True, ge=1, le=MAX_MONTHS)]
    scale: Annotated[float, Field(strict=True, gt=0, le=1, allow_inf_nan=False)] = 0.02
    replications: Annotated[int, Field(strict=True, ge=1, le=MAX_REPLICATIONS)] = 5
    seed: Annotated[int, Field(strict=True, ge=0, lt=2**63)] = 20250101


class ElapsedMonths(_Section):
    """Months already on assistance for the households on it at the start date.

    A share ``long_term_share`` has been on it between 12 and ``long_max`` months
    (uniform); the rest between 0 and 12 months (uniform).
    """

    long_term_share: Share
    long_max: Annotated[float, Field(strict=True, gt=12, allow_inf_nan=False)]


class Population(_Section):
    """Marginals from which the synthetic households are drawn."""

    initial_households: Households
    inflow_per_year: Households
    women_share: Share
    born_abroad_share: Share
    barrier_shares: dict[
        Literal["born_sweden_women", "born_sweden_men", "born_abroad_women", "born_abroad_men"],
        dict[Literal["unemployment", "sick", "social"], Share],
    ]
    household_shares: dict[Sex, dict[HouseholdType, Share]]
    children_count_shares: dict[ChildCount, Share]
    age_band_shares: dict[AgeBand, Share]
    af_registration_by_barrier: dict[Barrier, Share]
    rent_per_month: dict[HouseholdType, Amount]
    elapsed_months: ElapsedMonths
    frailty_variance: Rate = 0.0

    @model_validator(mode="after")
    def _shares_add_up(self) -> Population:
        if self.initial_households + self.inflow_per_year <= 0:
            raise ValueError("the population is empty: initial_households and inflow_per_year are both 0")
        for group, shares in self.barrier_shares.items():
            if sum(shares.values()) > 1 + 1e-9:
                raise ValueError(f"barrier_shares.{group} sum to more than 1")
        for sex, by_type in self.household_shares.items():
            _check_sums_to_one(by_type, f"household_shares.{sex}")
        _check_sums_to_one(self.children_count_shares, "children_count_shares")
        _check_sums_to_one(self.age_band_shares, "age_band_shares")
        return self


class Transition(_Section):
    """A competing risk: the hazard of moving to one destination.

    The cumulative hazard after ``d`` months in the state is
    ``rate * 12 * (d / 12) ** shape``: ``rate`` is the mean monthly hazard over the
    first year and ``shape`` < 1 makes it fall with duration (a Weibull hazard).
    """

    rate: Hazard
    shape: Annotated[float, Field(strict=True, gt=0, le=10, allow_inf_nan=False)] = 1.0


class CovariateEffects(_Section):
    """Hazard ratios on exits to the destinations in ``applies_to``."""

    applies_to: tuple[State, ...]
    barrier: dict[Barrier, Rate]
    born_abroad: Rate = 1.0
    woman: Rate = 1.0
    single_parent: Rate = 1.0
    age_55_plus: Rate = 1.0


class Capacity(_Section):
    """National numbers of places and caseworkers; ``null`` means unlimited.

    0 places means none: nobody enters that activity. At least one caseworker is needed
    (with none, no application could ever be assessed); ``null`` leaves them unlimited.
    """

    municipal_activity_places: Annotated[int, Field(strict=True, ge=0)] | None = None
    af_programme_places: Annotated[int, Field(strict=True, ge=0)] | None = None
    combined_programme_places: Annotated[int, Field(strict=True, ge=0)] | None = None
    caseworkers: Annotated[int, Field(strict=True, ge=0)] | None = None

    @model_validator(mode="after")
    def _someone_assesses(self) -> Capacity:
        if self.caseworkers == 0:
            raise ValueError("caseworkers: 0 caseworkers could never assess an application; give at least 1, "
                             "or null for no limit")
        return self


class Activity(_Section):
    """Hours of activity and how they matter for exits to work and studies.

    Exit rates from an activity are those of its ``usual_hours``; a lever that
    changes the hours changes the hours-dependent part of that effect in proportion
    (``hours_independent_share`` of it does not depend on hours).
    """

    full_time_hours: Annotated[float, Field(strict=True, gt=0, le=80)]
    usual_hours: dict[State, Annotated[float, Field(strict=True, ge=0, le=80)]]
    hours_independent_share: Share

    @model_validator(mode="after")
    def _only_activities(self) -> Activity:
        for state in self.usual_hours:
            if state not in ACTIVITY_STATES:
                raise ValueError(f"usual_hours.{state.value}: not an activity")
        missing = [s.value for s in ACTIVITY_STATES if s not in self.usual_hours]
        if missing:
            raise ValueError(f"usual_hours: no hours given for {', '.join(sorted(missing))}")
        return self


class Caseworker(_Section):
    """Caseworker time and decision delays."""

    assessment_hours: Amount
    hours_per_month: Positive
    decision_delay_months: Amount
    households_per_caseworker: Positive


class Allowances(_Section):
    """Allowances that count as income against the norm."""

    activity_support_per_day: Dated
    days_per_month: Positive
    child_allowance: dict[Annotated[int, Field(strict=True, ge=1, le=12)], Dated] = Field(
        description="Barnbidrag with flerbarnstillägg for 1, 2, … children (at least 1–4); each child beyond the "
        "largest count given adds the step between the two largest."
    )

    @model_validator(mode="after")
    def _counts_from_one(self) -> Allowances:
        counts = sorted(self.child_allowance)
        if counts != list(range(1, len(counts) + 1)) or len(counts) < 4:
            raise ValueError(f"child_allowance needs the amounts for 1, 2, 3, 4 (and optionally more) children in "
                             f"a row, got {counts}")  # fmt: skip
        return self


class Norm(_Section):
    """Riksnormen, SEK per month: personal costs and common household costs."""

    adult_single: Dated
    adult_couple: Dated
    child_0: Dated
    child_1_2: Dated
    child_3: Dated
    child_4_6: Dated
    child_7_10: Dated
    child_11_14: Dated
    child_15_18: Dated
    household_1: Dated
    household_2: Dated
    household_3: Dated
    household_4: Dated
    household_5: Dated
    household_6: Dated
    household_7: Dated


class Costs(_Section):
    """Unit costs (SEK) and who pays each cost item."""

    municipal_activity_per_month: Dated
    af_programme_per_month: Dated
    subsidised_employment_per_month: Dated
    caseworker_cost_per_month: Dated
    payers: dict[CostItem, Payer]

    @model_validator(mode="after")
    def _every_item_has_a_payer(self) -> Costs:
        missing = [item for item in COST_ITEMS if item not in self.payers]
        if missing:
            raise ValueError(f"payers: no payer given for {', '.join(missing)}")
        return self


class Target(_Section):
    """A published figure the run summary prints beside the model's value."""

    value: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    tolerance: Annotated[float, Field(strict=True, ge=0)]


class Provenance(_Section):
    """Where a parameter's value comes from."""

    path: str
    file: str
    line: int
    source: str | None = None
    note: str | None = None
    distribution: dict[str, Any] | None = None

    @property
    def is_assumption(self) -> bool:
        """True when nothing cites a source for the value."""
        return not self.source


class Scenario(_Section):
    """A validated, immutable scenario: everything one simulation needs.

    Build it with :func:`sim.scenario.load_scenario`; the engine reads only this.
    """

    name: Name
    title: Annotated[str, Field(max_length=200)] = ""
    description: Annotated[str, Field(max_length=4000)] = ""
    simulation: Simulation
    population: Population
    transitions: dict[State, dict[State, Transition]]
    duration_dependence: StrictBool = True
    covariate_effects: CovariateEffects
    capacity: Capacity = Capacity()
    activity: Activity
    caseworker: Caseworker
    allowances: Allowances
    norm: Norm
    price_base_amount: Dated
    costs: Costs
    tax: Tax | None = None
    housing_allowance: HousingAllowance | None = None
    maintenance_support: MaintenanceSupport | None = None
    accepted_costs: AcceptedCosts | None = None
    earnings: Earnings | None = None
    policies: Policies = Policies()
    targets: dict[Literal["long_term_share", "af_registration_share", "ame_exit_to_work_or_studies_share"], Target] = {}
    provenance: tuple[Provenance, ...] = ()
    source_file: str = ""

    @model_validator(mode="after")
    def _transitions_allowed(self) -> Scenario:
        for origin, destinations in self.transitions.items():
            for destination in destinations:
                if destination not in ALLOWED[origin]:
                    raise ValueError(
                        f"transitions.{origin.value}.{destination.value}: the model has no "
                        f"transition from {origin.value} to {destination.value}"
                    )
        return self

    @model_validator(mode="after")
    def _levers_have_their_transitions(self) -> Scenario:
        requirement = self.policies.activity_requirement
        base = self.transitions.get(State.ASSISTANCE, {}).get(State.MUNICIPAL_ACTIVITY)
        if requirement is not None and requirement.activation_rate > 0 and (base is None or base.rate <= 0):
            raise ValueError(
                "policies.activity_requirement.activation_rate: needs a positive "
                "transitions.assistance.municipal_activity rate to act on"
            )
        return self

    def assumptions(self) -> list[Provenance]:
        """Parameters that cite no source (listed in every output)."""
        return [p for p in self.provenance if p.is_assumption]

    def distributions(self) -> dict[str, Distribution]:
        """The parameters that carry a ``distribution:``, by dotted path (for PSA and sensitivity)."""
        return {p.path: parse_distribution(p.distribution) for p in self.provenance if p.distribution is not None}

    def with_changes(self, changes: Mapping[str, Any], source: str | None = None) -> Scenario:
        """A new scenario with the values at dotted paths replaced, checked as a file would be.

        Example:
            >>> from sim.scenario import load_scenario
            >>> base = load_scenario("scenarios/baseline.yaml")
            >>> full = base.with_changes({"name": "full_time_childcare", "policies.childcare.full_time": True})
            >>> full.policies.childcare.full_time, base.policies.childcare.full_time
            (True, False)

        Args:
            changes: ``{"section.key": value}`` (``"name"`` renames the scenario).
            source: cited for every changed value; without it they are listed as assumptions.

        Raises:
            ScenarioErrors: as for a file, each as ``with_changes: key.path: message``.
        """
        return changes_of(self, changes, source)

    def to_yaml(self) -> str:
        """The scenario as a self-contained YAML file that loads back to the same scenario."""
        return yaml_of(self)
