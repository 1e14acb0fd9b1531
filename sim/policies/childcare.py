"""Childcare for activated parents: how many hours of activity a parent can take.

Skollagen 8 kap. 6 § gives children of **unemployed** parents a right to preschool
of at least 3 hours a day or **15 hours a week** from the age of one; for school
children there is **no regulated right** to after-school care (fritidshem,
skollagen 14 kap. 7 §) for unemployed parents or recipients of assistance (seed
004; public-figures section 5). A parent whose children only have these hours
cannot be activated for more than them: the lever caps the activity intensity of
a parent with a child in ``preschool_ages`` at ``part_time_hours`` and with a
child in ``school_ages`` at ``school_age_hours`` (per week, relative to
``activity.full_time_hours``). A child younger than ``preschool_ages[0]`` (under
one) imposes no cap: its parent is normally on parental benefit, not in an
activity, and the model does not represent that period separately.

With ``full_time`` the municipality offers full-time preschool and after-school
care, limited to ``places`` full-time places nationally (``None`` = unlimited).
A parent who needs one takes it on entering an activity and gives it back on
leaving. The extra child-hours are priced at ``cost_per_extra_child_hour``
(item ``childcare``).

Example:
    >>> ChildcarePolicy.intensity_order > 0
    True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.person import Person
from sim.policies.base import Context, MonthRows, Policy, codes
from sim.scenario.levers import Childcare
from sim.states import ACTIVITY_STATES

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["ChildcarePolicy", "WEEKS_PER_MONTH"]

#: Weeks per month, to turn hours per week into hours per month.
WEEKS_PER_MONTH = 52.0 / 12.0


class ChildcarePolicy(Policy):
    """Caps activity hours of parents without full-time childcare (skollagen 8:6, 14:7; seed 004).

    Attributes:
        activity_states: the activities (municipal, AF, combined programme).
        intensity_order: high, so that the cap acts after levers that raise hours.
        free_places: full-time places not held at the moment, in the sample
            (``places / weight``, at least one when ``places`` > 0; ``inf`` = unlimited).
    """

    name = "childcare"
    activity_states = codes(*ACTIVITY_STATES)
    costed_states = activity_states
    intensity_order = 100

    def __init__(self, config: Childcare, scenario: Scenario, context: Context | None) -> None:
        """Turn the weekly hours into intensity caps and scale the places to the sample.

        Args:
            config: the ``policies.childcare`` section.
            scenario: the whole scenario (for ``activity.full_time_hours``).
            context: the replication's population and calendar (``None`` after the run).
        """
        super().__init__(config, scenario, context)
        self.config: Childcare = config
        self._full_time_hours = scenario.activity.full_time_hours
        self._preschool_cap = config.part_time_hours / self._full_time_hours
        self._school_cap = config.school_age_hours / self._full_time_hours
        self.free_places = math.inf
        self._holders: set[int] = set()  # persons holding a full-time place
        if config.places is not None and context is not None:
            scaled = config.places / context.population.weight
            self.free_places = 0 if config.places == 0 else max(1, int(round(scaled)))

    def cap(self, ages: list[float]) -> float:
        """The highest intensity the children's care allows (``inf`` when none limits it)."""
        lo, hi = self.config.preschool_ages
        school_lo, school_hi = self.config.school_ages
        cap = math.inf
        for age in ages:
            if lo <= age < hi:
                cap = min(cap, self._preschool_cap)
            elif school_lo <= age < school_hi:
                cap = min(cap, self._school_cap)
        return cap

    def intensity(self, person: Person, state: int, now: float, current: float) -> float:
        """The intensity after the cap, unless the parent gets a full-time childcare place."""
        assert self.context is not None, "intensity needs the run's context"
        if not self.context.population.n_children[person.pid]:
            return current
        cap = self.cap(self.context.child_ages(person, now))
        if current <= cap:
            return current
        if self.config.full_time and self._take_place(person):
            return current
        return cap

    def _take_place(self, person: Person) -> bool:
        """Take a full-time place for the person if one is free (or already held)."""
        if person.pid in self._holders:
            return True
        if self.free_places < 1:
            return False
        self.free_places -= 1
        self._holders.add(person.pid)
        return True

    def leave(self, person: Person, state: int, now: float) -> None:
        """Give the person's full-time place back when the activity ends."""
        if person.pid in self._holders:
            self._holders.discard(person.pid)
            self.free_places += 1

    def costs(self, rows: MonthRows, paid: np.ndarray) -> dict[str, np.ndarray]:
        """Item ``childcare``: child-hours beyond the statutory hours, for parents in activities.

        Per row in an activity, with ``h = intensity × full_time_hours`` (hours per
        week): each child in ``preschool_ages`` needs ``max(0, h − part_time_hours)``
        extra hours, each child in ``school_ages`` ``max(0, h − school_age_hours)``;
        × 52/12 weeks × ``cost_per_extra_child_hour`` × fraction × weight. Children's
        ages are those of the row's month. Nothing when ``full_time`` is false
        (parents are then capped and get no extra hours).

        Raises:
            ValueError: if the rows carry no ``intensity`` (spells without it).
        """
        if not self.config.full_time:
            return {"childcare": np.zeros(rows.state.size)}
        if "intensity" not in rows.extra:
            raise ValueError("childcare costs need the spells' intensity column")
        config = self.config
        hours = rows.extra["intensity"].astype(float) * self._full_time_hours
        preschool = _children_in(rows.child_ages, config.preschool_ages)
        school = _children_in(rows.child_ages, config.school_ages)
        weekly = preschool * np.maximum(0.0, hours - config.part_time_hours)
        weekly += school * np.maximum(0.0, hours - config.school_age_hours)
        in_activity = np.isin(rows.state, sorted(self.activity_states))
        cost = weekly * WEEKS_PER_MONTH * config.cost_per_extra_child_hour * rows.fraction * rows.weight
        return {"childcare": np.where(in_activity, cost, 0.0)}


def _children_in(ages: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """Per row, the number of children whose age is in ``[band[0], band[1])`` (NaN = no child)."""
    with np.errstate(invalid="ignore"):
        return ((ages >= band[0]) & (ages < band[1])).sum(axis=1)
