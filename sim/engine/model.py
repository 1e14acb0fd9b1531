"""One replication of a scenario on a SimPy environment.

Each person is one SimPy process. On entering a state the person draws a latent
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
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import simpy

from sim.agents.person import Person
from sim.agents.population import Population, synthesise
from sim.engine.capacity import Pool
from sim.engine.hazards import residual_time
from sim.engine.spells import CENSORED, SpellLog, WaitLog
from sim.rng import Purpose, Streams
from sim.scenario.schema import BARRIERS, HOUSEHOLD_TYPES, Scenario
from sim.states import ASSISTANCE_STATES, STATE_INDEX, STATES, State

__all__ = ["Model", "ReplicationOutput", "RESOURCES"]

#: Rounds of draws kept pre-drawn per person; later rounds come from a per-person stream.
_ROUNDS = 6
_SLOTS = len(STATES)
RESOURCES = ("caseworker", "municipal_activity_places", "af_programme_places")
_CASEWORKER = 0
_ASSISTANCE = STATE_INDEX[State.ASSISTANCE]
_AF = STATE_INDEX[State.AF_PROGRAMME]
_IN_ASSISTANCE = frozenset(STATE_INDEX[s] for s in ASSISTANCE_STATES)


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
        self._table = _transition_table(scenario)
        self._places = _places(self.env, scenario, scale)
        self._caseworkers = _resource(self.env, scenario.capacity.caseworkers, scale)
        cw = scenario.caseworker
        self._assessment = cw.assessment_hours / cw.hours_per_month
        self._decision_delay = cw.decision_delay_months
        self._assess_on = self._caseworkers is not None or self._decision_delay > 0
        self._multiplier = _covariate_multipliers(scenario, self.population)
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
            person = self._person(pid, STATE_INDEX[State.ASSISTANCE], 0.0)
            self.env.process(self._life(person, False))
        self.env.process(self._arrivals())
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
            self.spells.add(person.pid, person.state, person.since, self.horizon, CENSORED)
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
        return person

    def _arrivals(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        times = self.population.entry_time
        for pid in range(self._n_stock, self.population.size):
            yield env.timeout(times[pid] - env.now)
            person = self._person(pid, _ASSISTANCE, env.now)
            env.process(self._life(person, True))

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
        out = []
        for dest, rate, shape, covariates in self._table[state]:
            if dest == _AF and not person.registered:
                continue
            if covariates:
                rate *= person.multiplier
            out.append((now + residual_time(draws[dest], rate, shape, elapsed), dest))
        out.sort()
        return out

    def _life(self, person: Person, applies: bool) -> Generator[simpy.Event, Any, None]:
        """A person's path through the states until the horizon (the hot path)."""
        env = self.env
        if applies and self._assess_on:
            yield from self._assess(person)
        while True:
            candidates = self._candidates(person, env.now)
            at, dest = candidates[0]
            if at == math.inf:
                return
            yield env.timeout(at - env.now)
            place = None
            k = 0
            while dest in self._places:
                nxt = candidates[k + 1][0] if k + 1 < len(candidates) else math.inf
                place = yield from self._queue(person, dest, nxt)
                if place is not None:
                    break
                k += 1
                at, dest = candidates[k]
                if at == math.inf:
                    return
            if place is not None and self._assess_on:
                yield from self._assess(person)
            new_application = dest == _ASSISTANCE and person.state not in _IN_ASSISTANCE
            self._move(person, dest, place)
            if new_application and self._assess_on:
                yield from self._assess(person)

    def _queue(self, person: Person, dest: int, give_up_at: float) -> Generator[simpy.Event, Any, Pool | None]:
        """Wait for a place in ``dest`` until ``give_up_at``; the place's pool, or None."""
        env = self.env
        pool, code = self._places[dest]
        if pool.try_acquire():
            return pool
        request = pool.request()
        asked = env.now
        if give_up_at == math.inf:
            yield request
        else:
            yield request | env.timeout(give_up_at - env.now)
        if request.triggered:
            self.waits.add(person.pid, code, asked, env.now, True)
            return pool
        request.cancel()
        self.waits.add(person.pid, code, asked, env.now, False)
        return None

    def _assess(self, person: Person) -> Generator[simpy.Event, Any, None]:
        """A caseworker's assessment, then the wait for the decision."""
        env = self.env
        caseworkers = self._caseworkers
        if caseworkers is not None:
            if not caseworkers.try_acquire():
                asked = env.now
                yield caseworkers.request()
                self.waits.add(person.pid, _CASEWORKER, asked, env.now, True)
            # The caseworker is freed by a callback, so the person waits on one timeout.
            env.timeout(self._assessment).callbacks.append(caseworkers.free)
            yield env.timeout(self._assessment + self._decision_delay)
        elif self._decision_delay > 0:
            yield env.timeout(self._decision_delay)

    def _move(self, person: Person, dest: int, place: Pool | None) -> None:
        now = self.env.now
        self.spells.add(person.pid, person.state, person.since, now, dest)
        if person.place is not None:
            person.place.free()
        person.place = place
        if dest in _IN_ASSISTANCE and person.state not in _IN_ASSISTANCE:
            person.origin = now
        person.state = dest
        person.since = now


def _transition_table(scenario: Scenario) -> dict[int, list[tuple[int, float, float, bool]]]:
    """Per origin code: (destination code, rate, shape, covariates apply) for each destination."""
    covariate_dests = set(scenario.covariate_effects.applies_to)
    table: dict[int, list[tuple[int, float, float, bool]]] = {i: [] for i in range(len(STATES))}
    for origin, destinations in scenario.transitions.items():
        for dest, spec in destinations.items():
            shape = spec.shape if scenario.duration_dependence else 1.0
            table[STATE_INDEX[origin]].append((STATE_INDEX[dest], spec.rate, shape, dest in covariate_dests))
    return table


def _resource(env: simpy.Environment, national: int | None, scale: float) -> Pool | None:
    """A pool with the national capacity scaled to the sample (at least one), or None."""
    if national is None:
        return None
    return Pool(env, capacity=max(1, int(round(national * scale))))


def _places(env: simpy.Environment, scenario: Scenario, scale: float) -> dict[int, tuple[Pool, int]]:
    places = {}
    for state, capacity, code in (
        (State.MUNICIPAL_ACTIVITY, scenario.capacity.municipal_activity_places, 1),
        (State.AF_PROGRAMME, scenario.capacity.af_programme_places, 2),
    ):
        resource = _resource(env, capacity, scale)
        if resource is not None:
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
