"""The activity requirement (aktivitetskrav) for people on försörjningsstöd.

Lagrådsremiss *Aktivitetskrav för mottagare av försörjningsstöd* (Dec 2025;
public-figures section 9): in force **2026-07-01**; it covers recipients of
försörjningsstöd for **at least three consecutive months**; the activity is
**normally full time**; the municipality exempts people for social or health
reasons, and people already in a full-time AF programme are exempt; refusal
without an acceptable reason means that assistance is **refused or reduced**.
Evaluations of activation requirements in Stockholm: inflow of 18–24-year-olds
fell by 11 % and exits rose (Persson & Vikman, IFAU 2010:7); the share of
individuals in recipient households fell by 5.6 % (Dahlberg, Hanspers & Mörk).

A person is **covered** at time ``t`` when ``t`` is on or after ``in_force_from``,
the current assistance spell began at least ``min_months_on_assistance`` before
``t``, and the person is not exempt: exempt when the person's exemption uniform
is below ``exempt_share[barrier]``. People in AF programmes are never touched
(the lever acts on assistance and municipal_activity only). For covered people:

* in assistance, the referral hazard to municipal_activity rises by
  ``activation_rate`` per month: it is multiplied by ``(base + activation_rate) /
  base`` with ``base = transitions.assistance.municipal_activity.rate`` (exact for
  a constant hazard; with duration dependence the extra hazard follows its shape);
* in assistance and municipal_activity, exits to work and other exits are ×
  ``exit_factor`` (people leave rather than take part, or find work sooner);
* a municipal activity is at least ``required_hours`` a week;
* an unexcused absence (``sanction.absence_share`` of covered activity months)
  reduces that month's norm by ``sanction.reduction_share``; the expected
  reduction is ``absence_share × reduction_share × norm``.

From the in-force date a share ``inflow_reduction`` of applicants (by age band)
no longer applies.

Example:
    >>> ActivityRequirementPolicy.intensity_order < 0
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.person import Person
from sim.policies.base import UNIFORM_COLUMN, WORK, Adjustment, Context, MonthRows, Policy, codes
from sim.scenario.levers import ActivityRequirement
from sim.scenario.schema import BARRIERS
from sim.states import STATE_INDEX, State

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["ActivityRequirementPolicy"]

_ASSISTANCE = STATE_INDEX[State.ASSISTANCE]
_MUNICIPAL = STATE_INDEX[State.MUNICIPAL_ACTIVITY]
_EXITS = WORK | codes(State.OTHER_EXIT)
_U_COLUMN = f"policy_u{UNIFORM_COLUMN['exemption']}"


class ActivityRequirementPolicy(Policy):
    """Aktivitetskrav: activation, full-time hours, exits, deterred inflow and sanctions (PF 9).

    Attributes:
        origins: assistance and municipal_activity.
        activity_states: municipal_activity (its hours are raised).
        intensity_order: low, so that childcare limits act after the requirement.
    """

    name = "activity_requirement"
    #: The sanction is an expected reduction (absence × cut); a type case shows a household that takes part.
    in_type_cases = False
    origins = codes(State.ASSISTANCE, State.MUNICIPAL_ACTIVITY)
    activity_states = codes(State.MUNICIPAL_ACTIVITY)
    intensity_order = -100

    def __init__(self, config: ActivityRequirement, scenario: Scenario, context: Context | None) -> None:
        """Precompute the activation factor, the in-force time and who is exempt.

        Args:
            config: the ``policies.activity_requirement`` section.
            scenario: the whole scenario (base referral rate, full-time hours).
            context: the replication's population and calendar (``None`` after the run).

        Raises:
            ValueError: if ``activation_rate`` > 0 but the scenario has no referral
                hazard from assistance to municipal_activity to raise (the engine
                multiplies hazards, so a zero hazard cannot be raised).
        """
        super().__init__(config, scenario, context)
        self.config: ActivityRequirement = config
        self._required = config.required_hours / scenario.activity.full_time_hours
        referral = scenario.transitions.get(State.ASSISTANCE, {}).get(State.MUNICIPAL_ACTIVITY)
        base = referral.rate if referral is not None else 0.0
        if base <= 0.0 and config.activation_rate > 0.0:
            raise ValueError(
                "activity_requirement.activation_rate needs a positive "
                "transitions.assistance.municipal_activity.rate to raise"
            )
        self._activation = (base + config.activation_rate) / base if base > 0.0 else 1.0
        self._sanction = config.sanction.absence_share * config.sanction.reduction_share
        self._exempt_share: dict[str, float] = {b: config.exempt_share.get(b, 0.0) for b in BARRIERS}
        self._in_force = 0.0
        self._exempt = np.zeros(0, dtype=bool)
        if context is not None:
            self._in_force = context.time_of(config.in_force_from)
            pop = context.population
            shares = np.array([self._exempt_share[b] for b in BARRIERS])
            self._exempt = pop.u_policy[:, UNIFORM_COLUMN["exemption"]] < shares[pop.barrier]

    def coverage_start(self, person: Person) -> float:
        """When the person's current assistance spell becomes covered (ignoring exemption)."""
        return max(self._in_force, person.origin + self.config.min_months_on_assistance)

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """From coverage start: more referrals to municipal_activity, more exits to work and other exits."""
        if self._exempt[person.pid]:
            return []
        start = self.coverage_start(person)
        exits = Adjustment(_EXITS, self.config.exit_factor, start=start)
        if person.state == _ASSISTANCE:
            return [Adjustment(codes(State.MUNICIPAL_ACTIVITY), self._activation, start=start), exits]
        return [exits]

    def intensity(self, person: Person, state: int, now: float, current: float) -> float:
        """At least ``required_hours`` a week for a covered person entering a municipal activity."""
        if self._exempt[person.pid] or now < self.coverage_start(person):
            return current
        return max(current, self._required)

    def keep_applicant(self, age: float, t: float) -> float:
        """From the in-force date, ``1 − inflow_reduction`` of the applicant's age band (18–24, 25–64)."""
        if self.context is None or t < self._in_force:
            return 1.0
        return 1.0 - self.config.inflow_reduction.get("18-24" if age < 25 else "25-64", 0.0)

    def norm_reduction(self, rows: MonthRows) -> np.ndarray | None:
        """The expected sanction, ``absence_share × reduction_share × norm``, in covered activity months.

        A municipal_activity row is covered when its month begins on or after
        ``in_force_from``, the household had been on assistance at least
        ``min_months_on_assistance`` when the row's piece of the month began
        (``run_start``, ``spell_start``), and the person is not exempt (lever
        uniform ``policy_u0`` against ``exempt_share`` of the row's ``barrier``).

        Raises:
            ValueError: if the rows lack ``run_start``, ``barrier`` or ``policy_u0``.
        """
        missing = [k for k in ("run_start", "barrier", _U_COLUMN) if k not in rows.extra]
        if missing:
            raise ValueError(f"activity_requirement sanctions need {', '.join(missing)} in the rows")
        in_force = np.array([d >= self.config.in_force_from for d in rows.dates], dtype=bool)
        candidate = (rows.state == _MUNICIPAL) & rows.month_values(in_force)
        piece_start = rows.month.astype(float)
        if "spell_start" in rows.extra:
            piece_start = np.maximum(piece_start, rows.extra["spell_start"].astype(float))
        on_assistance = piece_start - rows.extra["run_start"].astype(float)
        with np.errstate(invalid="ignore"):
            candidate &= on_assistance >= self.config.min_months_on_assistance
        covered = candidate & ~self._exempt_rows(rows, candidate)
        return np.where(covered, self._sanction * rows.norm, 0.0)

    def _exempt_rows(self, rows: MonthRows, which: np.ndarray) -> np.ndarray:
        """Whether each row's person is exempt (computed for ``which`` rows only)."""
        exempt = np.zeros(rows.state.size, dtype=bool)
        if not which.any():
            return exempt
        names, index = np.unique(rows.extra["barrier"][which].astype(str), return_inverse=True)
        shares = np.array([self._exempt_share.get(str(n), 0.0) for n in names])
        exempt[which] = rows.extra[_U_COLUMN][which] < shares[index]
        return exempt
