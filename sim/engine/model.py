"""One replication of a scenario on a SimPy environment.

Each person is a chain of SimPy timeouts with callbacks. On entering a state the person draws a latent
time for every possible destination (competing risks, ``hazards.residual_time``),
takes the earliest and makes a single timeout: one event per transition, never a
tick per person per month. Destinations with places (municipal activities, AF
programmes) are SimPy resources: the person queues for a place while the other
latent times keep running, and takes whichever comes first. Referral to an
activity and every new application use a caseworker (a resource) for the
assessment and then wait for the decision.

Random numbers: each person has fixed blocks of eight standard exponentials per
round of draws, one slot per destination state, keyed by (replication, person,
round). A design change that alters one hazard therefore changes no other draw.

Example:
    >>> from sim.scenario import load_scenario
    >>> from sim.rng import Streams
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> model = Model(scenario, Streams(1, 0), scale=0.001, horizon=12.0)
    >>> result = model.run()
    >>> bool(len(result.spells) >= result.population.size)
    True
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import simpy

from sim.agents.person import Person
from sim.agents.population import Population, synthesise
from sim.engine.capacity import Pool
from sim.engine.hazards import residual_time, residual_time_piecewise
from sim.engine.spells import CENSORED, SpellLog, WaitLog
from sim.policies import build_policies
from sim.policies.base import Adjustment, Context, Policy
from sim.rng import Purpose, Streams
from sim.scenario.schema import BARRIERS, HOUSEHOLD_TYPES, Scenario
from sim.states import ACTIVITY_STATES, ASSISTANCE_STATES, STATE_INDEX, STATES, WORK_STATES, State

__all__ = ["Model", "ReplicationOutput", "RESOURCES", "RESOURCE_TABLE"]

#: Rounds of draws kept pre-drawn per person; later rounds come from a per-person stream.
_ROUNDS = 6
_SLOTS = len(STATES)
#: The capacity-limited resources, by code (as in the wait log): name, the ``capacity`` field that sizes it,
#: and the state whose places it holds (none for caseworkers, who assess rather than hold a place).
RESOURCE_TABLE: tuple[tuple[str, str, State | None], ...] = (
    ("caseworker", "caseworkers", None),
    ("municipal_activity_places", "municipal_activity_places", State.MUNICIPAL_ACTIVITY),
    ("af_programme_places", "af_programme_places", State.AF_PROGRAMME),
    ("combined_programme_places", "combined_programme_places", State.COMBINED_PROGRAMME),
)
#: Resource names by code.
RESOURCES = tuple(name for name, _, _ in RESOURCE_TABLE)
_CASEWORKER = next(code for code, (_, _, state) in enumerate(RESOURCE_TABLE) if state is None)
_ASSISTANCE = STATE_INDEX[State.ASSISTANCE]
_AF = STATE_INDEX[State.AF_PROGRAMME]
_IN_ASSISTANCE = frozenset(STATE_INDEX[s] for s in ASSISTANCE_STATES)
_IN_ACTIVITY = frozenset(STATE_INDEX[s] for s in ACTIVITY_STATES)
_WORK_OR_STUDIES = frozenset(STATE_INDEX[s] for s in WORK_STATES | {State.STUDIES})


@dataclass(frozen=True)
class ReplicationOutput:
    """What one replication produces: the population and its flat records."""

    population: Population
    spells: pd.DataFrame
    waits: pd.DataFrame
    horizon: float
    events: int


class Model:
    """One replication: a population, its resources and their SimPy processes.

    Args:
        scenario: the validated scenario.
        streams: the replication's keyed random streams.
        scale: sampling fraction (capacities are scaled by it too).
        horizon: months to simulate.
    """

    def __init__(self, scenario: Scenario, streams: Streams, scale: float, horizon: float) -> None:
        self.scenario = scenario
        self.streams = streams
        self.horizon = float(horizon)
        self.env = simpy.Environment()
        self.population = synthesise(scenario, streams, scale, horizon)
        self.spells = SpellLog()
        self.waits = WaitLog()
        self._table = _transition_table(scenario, _closed(scenario))
        self._places = _places(self.env, scenario, scale)
        self._caseworkers = _resource(self.env, getattr(scenario.capacity, RESOURCE_TABLE[_CASEWORKER][1]), scale)
        cw = scenario.caseworker
        self._assessment = cw.assessment_hours / cw.hours_per_month
        self._decision_delay = cw.decision_delay_months
        self._multiplier = _covariate_multipliers(scenario, self.population)
        context = Context(self.population, scenario.simulation.start_date)
        self.policies: list[Policy] = build_policies(scenario, context)
        self._adjusters: dict[int, list[Policy]] = {
            code: [p for p in self.policies if code in p.origins] for code in range(len(STATES))
        }
        self._limiters: dict[int, list[Policy]] = {
            code: sorted(
                (p for p in self.policies if code in p.activity_states), key=lambda p: p.intensity_order
            )
            for code in range(len(STATES))
        }
        self.population = _thin_applicants(self.population, self.policies)
        activity = scenario.activity
        self._usual_hours = {STATE_INDEX[s]: h for s, h in activity.usual_hours.items()}
        self._full_time = activity.full_time_hours
        self._fixed_share = activity.hours_independent_share
        self._case_hours = cw.hours_per_month / cw.households_per_caseworker
        self._hours_per_month = cw.hours_per_month
        self._caseworker_total = int(self._caseworkers.capacity) if self._caseworkers is not None else 0
        self._caseload = 0
        self._delay_setters = [p for p in self.policies if p.decision_delay(0.0) is not None]
        self._assess_on = (
            self._caseworkers is not None
            or self._decision_delay > 0
            or any(p.decision_delay(0.0) for p in self._delay_setters)
        )
        n_stock = int(self.population.initial.sum())
        self._n_stock = n_stock
        width = _ROUNDS * _SLOTS
        n_new = self.population.size - n_stock
        self._draws = (
            streams.generator(Purpose.TRANSITIONS, 0).standard_exponential((n_stock, width)),
            streams.generator(Purpose.TRANSITIONS, 1).standard_exponential((n_new, width)),
        )
        self._overflow: dict[int, np.random.Generator] = {}
        self._people: list[Person] = []

    def run(self) -> ReplicationOutput:
        """Simulate to the horizon and return the records."""
        pop = self.population
        for pid in range(self._n_stock):
            self._step(self._person(pid, _ASSISTANCE, 0.0))
        self.env.process(self._arrivals())
        if self._caseworkers is not None:
            self.env.process(self._caseload_reservation())
        gc.collect()
        gc.freeze()
        threshold = gc.get_threshold()
        gc.set_threshold(100_000, 50, 1000)
        try:
            self.env.run(until=self.horizon)
        finally:
            gc.set_threshold(*threshold)
            gc.unfreeze()
        for person in self._people:
            self.spells.add(person.pid, person.state, person.since, self.horizon, CENSORED, person.intensity)
        return ReplicationOutput(
            population=pop,
            spells=self.spells.to_frame(),
            waits=self.waits.to_frame(RESOURCES),
            horizon=self.horizon,
            events=next(self.env._eid),  # type: ignore[attr-defined]
        )

    def _person(self, pid: int, state: int, now: float) -> Person:
        pop = self.population
        person = Person(pid, state, now, now - float(pop.elapsed_months[pid]))
        person.multiplier = float(self._multiplier[pid])
        person.registered = bool(pop.af_registered[pid])
        self._people.append(person)
        self._caseload += 1
        return person

    def _arrivals(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        times = self.population.entry_time
        applies = self.population.applying()
        for pid in range(self._n_stock, self.population.size):
            if not applies[pid]:
                continue
            yield env.timeout(times[pid] - env.now)
            person = self._person(pid, _ASSISTANCE, env.now)
            if self._assess_on:
                self._assess(person, partial(self._step, person))
            else:
                self._step(person)

    def _exp_block(self, person: Person) -> list[float]:
        """The next round of eight standard exponentials for this person."""
        k = person.round
        person.round = k + 1
        pid = person.pid
        group, row = (0, pid) if pid < self._n_stock else (1, pid - self._n_stock)
        if k < _ROUNDS:
            return self._draws[group][row, k * _SLOTS : (k + 1) * _SLOTS].tolist()
        rng = self._overflow.get(pid)
        if rng is None:
            rng = self.streams.generator(Purpose.TRANSITIONS_OVERFLOW, group, row)
            self._overflow[pid] = rng
        return rng.standard_exponential(_SLOTS).tolist()

    def _candidates(self, person: Person, now: float) -> list[tuple[float, int]]:
        """Absolute times of every competing destination, earliest first."""
        draws = self._exp_block(person)
        state = person.state
        elapsed = now - (person.origin if state == _ASSISTANCE else person.since)
        adjustments: list[Adjustment] = []
        for policy in self._adjusters[state]:
            adjustments.extend(policy.adjust(person, now))
        hours_factor = person.hours_factor if state in _IN_ACTIVITY else 1.0
        out = []
        for dest, rate, shape, covariates in self._table[state]:
            if dest == _AF and not person.registered:
                continue
            if covariates:
                rate *= person.multiplier
            if dest in _WORK_OR_STUDIES:
                rate *= hours_factor
            relevant = [a for a in adjustments if dest in a.destinations] if adjustments else None
            if relevant:
                segments = _segments(relevant, now)
                wait = residual_time_piecewise(draws[dest], rate, shape, elapsed, segments)
            else:
                wait = residual_time(draws[dest], rate, shape, elapsed)
            out.append((now + wait, dest))
        for policy in self._adjusters[state]:
            fixed = policy.deadline(person, now)
            if fixed is not None:
                out.append(fixed)
        out.sort()
        return out

    # A person's life is a chain of callbacks, not a SimPy process: each step schedules one
    # timeout whose callback takes the next step. Without a generator per person there is
    # no process start or end event and no generator to resume (measured: about a quarter
    # of the events and of the time at national scale).

    def _step(self, person: Person) -> None:
        """Draw the competing destinations and wait for the earliest (the hot path)."""
        candidates = self._candidates(person, self.env.now)
        if not candidates:  # an absorbing state: no destination at all
            return
        at = candidates[0][0]
        if at >= self.horizon:
            # The next move would come after the run ends: a timeout that never fires
            # would only grow the event queue (the spell is closed at the horizon).
            return
        self.env.timeout(at - self.env.now).callbacks.append(
            lambda _event: self._reach(person, candidates, 0)
        )

    def _reach(self, person: Person, candidates: list[tuple[float, int]], k: int) -> None:
        """The k-th earliest destination's time has come: take a place if it needs one, then enter."""
        dest = candidates[k][1]
        if dest not in self._places:
            self._enter(person, dest, None)
            return
        pool, code = self._places[dest]
        if pool.try_acquire():
            self._enter(person, dest, pool)
            return
        give_up = candidates[k + 1][0] if k + 1 < len(candidates) else math.inf
        _PlaceWait(self, person, candidates, k, pool, code, give_up)

    def _enter(self, person: Person, dest: int, place: Pool | None) -> None:
        """Referral to an activity is assessed first; then the move."""
        if dest in _IN_ACTIVITY and self._assess_on:
            self._assess(person, partial(self._arrive, person, dest, place))
        else:
            self._arrive(person, dest, place)

    def _arrive(self, person: Person, dest: int, place: Pool | None) -> None:
        """Move; a new application is assessed before the next step."""
        new_application = dest == _ASSISTANCE and person.state not in _IN_ASSISTANCE
        self._move(person, dest, place)
        if new_application and self._assess_on:
            self._assess(person, partial(self._step, person))
        else:
            self._step(person)

    def _assess(self, person: Person, then: Callable[[], None]) -> None:
        """A caseworker's assessment, then the wait for the decision, then ``then()``."""
        env = self.env
        caseworkers = self._caseworkers
        if caseworkers is None:
            delay = self._delay(env.now)
            if delay > 0:
                env.timeout(delay).callbacks.append(lambda _event: then())
            else:
                then()
            return
        if caseworkers.try_acquire():
            self._assessed(then)
            return
        asked = env.now

        def granted(_event: simpy.Event) -> None:
            self.waits.add(person.pid, _CASEWORKER, asked, env.now, True)
            self._assessed(then)

        caseworkers.request().callbacks.append(granted)

    def _assessed(self, then: Callable[[], None]) -> None:
        # The caseworker comes back after the assessment without an event of its own,
        # so the person waits on one timeout.
        assert self._caseworkers is not None
        self._caseworkers.hold(self._assessment)
        self.env.timeout(self._assessment + self._delay(self.env.now)).callbacks.append(lambda _event: then())

    def _move(self, person: Person, dest: int, place: Pool | None) -> None:
        now = self.env.now
        old = person.state
        self.spells.add(person.pid, old, person.since, now, dest, person.intensity)
        if person.place is not None:
            person.place.free()
        person.place = place
        for policy in self._limiters[old]:
            policy.leave(person, old, now)
        if dest in _IN_ASSISTANCE and old not in _IN_ASSISTANCE:
            person.origin = now
            self._caseload += 1
        elif old in _IN_ASSISTANCE and dest not in _IN_ASSISTANCE:
            self._caseload -= 1
        person.state = dest
        person.since = now
        if dest in _IN_ACTIVITY:
            self._set_intensity(person, dest, now)
        else:
            person.intensity = 0.0
            person.hours_factor = 1.0

    def _set_intensity(self, person: Person, state: int, now: float) -> None:
        """Hours of activity the person actually gets, and their effect on exits to work and studies.

        The exit rates of an activity are those of its usual hours; fewer hours scale
        the hours-dependent part of the effect down (``activity.hours_independent_share``
        of it does not depend on hours).
        """
        usual = self._usual_hours[state] / self._full_time
        intensity = usual
        for policy in self._limiters[state]:
            intensity = policy.intensity(person, state, now, intensity)
        person.intensity = intensity
        share = self._fixed_share
        person.hours_factor = share + (1.0 - share) * intensity / usual if usual > 0 else 1.0

    def _caseload_reservation(self) -> Generator[simpy.Event, Any, None]:
        """Each month, set aside the caseworkers that ongoing cases (monthly decisions) need.

        What is left assesses applications and referrals, so assessment waits grow
        when caseloads grow or when each case takes longer (manual information transfer).
        """
        env = self.env
        pool = self._caseworkers
        assert pool is not None
        while True:
            hours = self._case_hours
            for policy in self.policies:
                override = policy.case_hours_per_household(env.now)
                if override is not None:
                    hours = override
            reserved = int(math.ceil(self._caseload * hours / self._hours_per_month))
            pool.set_capacity(self._caseworker_total - reserved)
            yield env.timeout(1.0)

    def _delay(self, now: float) -> float:
        """Months from assessment to decision now (a lever may set it)."""
        delay = self._decision_delay
        for policy in self._delay_setters:
            value = policy.decision_delay(now)
            if value is not None:
                delay = value
        return delay


class _PlaceWait:
    """A person queueing for a place while the next destination's latent time runs.

    Whichever comes first wins: the place (the person enters) or the next latent
    time (the request is withdrawn and the next destination is tried).
    """

    __slots__ = ("model", "person", "candidates", "k", "pool", "code", "asked", "request", "settled")

    def __init__(
        self, model: Model, person: Person, candidates: list[tuple[float, int]], k: int, pool: Pool, code: int,
        give_up: float,
    ) -> None:  # fmt: skip
        env = model.env
        self.model, self.person, self.candidates, self.k = model, person, candidates, k
        self.pool, self.code, self.asked, self.settled = pool, code, env.now, False
        self.request = pool.request()
        self.request.callbacks.append(self.granted)
        if give_up < model.horizon:
            env.timeout(give_up - env.now).callbacks.append(self.renege)

    def granted(self, _event: simpy.Event) -> None:
        if self.settled:
            return
        self.settled = True
        model = self.model
        model.waits.add(self.person.pid, self.code, self.asked, model.env.now, True)
        model._enter(self.person, self.candidates[self.k][1], self.pool)

    def renege(self, _event: simpy.Event) -> None:
        if self.settled:
            return
        self.settled = True
        model = self.model
        self.request.cancel()
        model.waits.add(self.person.pid, self.code, self.asked, model.env.now, False)
        model._reach(self.person, self.candidates, self.k + 1)


def _segments(adjustments: list[Adjustment], now: float) -> list[tuple[float, float]]:
    """The product of the adjustments as a step function: (offset from now, factor) pairs."""
    points = {0.0}
    for a in adjustments:
        for edge in (a.start, a.end):
            if now < edge < math.inf:
                points.add(edge - now)
    out = []
    for offset in sorted(points):
        factor = 1.0
        for a in adjustments:
            factor *= a.factor_at(now + offset)
        out.append((offset, factor))
    return out


def _thin_applicants(pop: Population, policies: list[Policy]) -> Population:
    """Drop the applicants that policies deter, using each applicant's own uniform draw."""
    deterring = [p for p in policies if type(p).keep_applicant is not Policy.keep_applicant]
    if not deterring:
        return pop
    keep = np.ones(pop.size)
    for pid in np.flatnonzero(~pop.initial):
        for policy in deterring:
            keep[pid] *= policy.keep_applicant(float(pop.age[pid]), float(pop.entry_time[pid]))
    return replace(pop, applies=pop.u_apply < keep)


def _closed(scenario: Scenario) -> frozenset[State]:
    """States with no places at all (a capacity of 0): nobody enters them."""
    return frozenset(state for _, field, state in RESOURCE_TABLE
                     if state is not None and getattr(scenario.capacity, field) == 0)  # fmt: skip


def _transition_table(
    scenario: Scenario, closed: frozenset[State] = frozenset()
) -> dict[int, list[tuple[int, float, float, bool]]]:
    """Per origin code: (destination code, rate, shape, covariates apply) for each destination that is open.

    A destination's random draws are kept by its code, so closing one changes no other draw.
    """
    covariate_dests = set(scenario.covariate_effects.applies_to)
    table: dict[int, list[tuple[int, float, float, bool]]] = {i: [] for i in range(len(STATES))}
    for origin, destinations in scenario.transitions.items():
        for dest, spec in destinations.items():
            if dest in closed:
                continue
            shape = spec.shape if scenario.duration_dependence else 1.0
            table[STATE_INDEX[origin]].append((STATE_INDEX[dest], spec.rate, shape, dest in covariate_dests))
    return table


def _resource(env: simpy.Environment, national: int | None, scale: float) -> Pool | None:
    """A pool with the national capacity scaled to the sample (at least one), or None."""
    if national is None:
        return None
    return Pool(env, capacity=max(1, int(round(national * scale))))


def _places(env: simpy.Environment, scenario: Scenario, scale: float) -> dict[int, tuple[Pool, int]]:
    """Per state with limited places: its pool and its resource code."""
    places = {}
    for code, (_, field, state) in enumerate(RESOURCE_TABLE):
        capacity = getattr(scenario.capacity, field)
        resource = _resource(env, capacity, scale) if state is not None and capacity != 0 else None
        if state is not None and resource is not None:
            places[STATE_INDEX[state]] = (resource, code)
    return places


def _covariate_multipliers(scenario: Scenario, pop: Population) -> np.ndarray:
    """Each person's hazard ratio on exits to work and studies (frailty included)."""
    effects = scenario.covariate_effects
    barrier = np.array([effects.barrier.get(b, 1.0) for b in BARRIERS])[pop.barrier]
    single_parent = pop.household == HOUSEHOLD_TYPES.index("single_parent")
    return (
        barrier
        * np.where(pop.born_abroad, effects.born_abroad, 1.0)
        * np.where(pop.woman, effects.woman, 1.0)
        * np.where(single_parent, effects.single_parent, 1.0)
        * np.where(pop.age >= 55, effects.age_55_plus, 1.0)
        * pop.frailty
    )
