"""A simulated person's mutable situation during one replication.

Fixed characteristics live in :class:`sim.agents.population.Population` arrays,
indexed by ``pid``; this object holds only what changes, with ``__slots__`` to
keep a national population small in memory.

Example:
    >>> p = Person(pid=3, state=0, since=0.0, origin=-14.0)
    >>> p.state, p.round, p.place is None
    (0, 0, True)
"""

from __future__ import annotations

from typing import Any

__all__ = ["Person"]


class Person:
    """Current state, when it began, and the start of the current assistance spell.

    Attributes:
        pid: person id (index into the population arrays).
        state: current state code (index into ``sim.states.STATES``).
        since: time the current state began (months).
        origin: time the current assistance spell began; negative for the stock
            at the start, who have already been on assistance a while.
        round: rounds of random draws used so far.
        multiplier: hazard ratio on exits to work and studies.
        registered: registered at Arbetsförmedlingen.
        place: the capacity pool whose place the person holds, if any.
        intensity: hours of the current activity as a share of full time (0 outside activities).
        hours_factor: how those hours scale the activity's exits to work and studies.

    A lever that must remember something about a person (a childcare place held, a
    programme already taken) keeps it in its own state, keyed by ``pid``.
    """

    __slots__ = (
        "pid", "state", "since", "origin", "round", "multiplier", "registered", "place",
        "intensity", "hours_factor",
    )  # fmt: skip

    def __init__(self, pid: int, state: int, since: float, origin: float) -> None:
        self.pid = pid
        self.state = state
        self.since = since
        self.origin = origin
        self.round = 0
        self.multiplier = 1.0
        self.registered = True
        self.place: Any = None
        self.intensity = 0.0
        self.hours_factor = 1.0
