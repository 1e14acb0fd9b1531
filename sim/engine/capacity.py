"""Capacity-limited resources (places, caseworkers) with constant-time bookkeeping.

``simpy.Resource`` keeps its users in a list and removes each on release, which
costs time proportional to the number of places: with tens of thousands of
places at national scale that dominated the run. :class:`Pool` is a
``simpy.Resource`` that only counts its users, and offers a fast path that
takes a free unit without creating any event; waiting requests queue exactly
as in SimPy (first come, first served) and are granted when a unit is freed.
:meth:`Pool.hold` gives a unit back after a fixed time without an event of its
own unless somebody is waiting for it (caseworkers are held for each assessment:
at national scale that saves half a million events).

Example:
    >>> import simpy
    >>> env = simpy.Environment()
    >>> pool = Pool(env, capacity=1)
    >>> pool.try_acquire(), pool.try_acquire()
    (True, False)
    >>> request = pool.request()
    >>> request.triggered
    False
    >>> pool.free()
    >>> request.triggered, pool.count
    (True, 1)
    >>> pool.hold(2.0)
    >>> env.run(until=3.0)
    >>> pool.count
    0
"""

from __future__ import annotations

import heapq
import math

import simpy

__all__ = ["Pool"]


class Pool(simpy.Resource):
    """A SimPy resource of ``capacity`` identical units, counted rather than listed."""

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        super().__init__(env, capacity)
        self.in_use = 0
        self._releases: list[float] = []  # times at which held units come back (a heap)
        self._wake_at = math.inf  # the earliest wake-up event scheduled for waiting requests

    @property
    def count(self) -> int:
        """Units in use."""
        self._settle()
        return self.in_use

    def hold(self, duration: float) -> None:
        """Keep a unit already taken for ``duration`` more, then give it back.

        No event is created unless requests are waiting: the unit is counted free
        from the moment its time is up, whenever the pool is next looked at.
        """
        heapq.heappush(self._releases, self._env.now + duration)
        if self.put_queue:
            self._schedule_wake()

    def _settle(self) -> None:
        releases, now = self._releases, self._env.now
        while releases and releases[0] <= now:
            heapq.heappop(releases)
            self.in_use -= 1

    def _schedule_wake(self) -> None:
        if self._releases and self._releases[0] < self._wake_at:
            self._wake_at = self._releases[0]
            self._env.timeout(self._wake_at - self._env.now).callbacks.append(self._wake)

    def _wake(self, _event: object) -> None:
        if self._env.now >= self._wake_at:
            self._wake_at = math.inf
        self._settle()
        self._trigger_put(None)
        if self.put_queue:
            self._schedule_wake()

    def try_acquire(self) -> bool:
        """Take a unit now if one is free and nobody is queueing; no event is created."""
        self._settle()
        if self.in_use < self._capacity and not self.put_queue:
            self.in_use += 1
            return True
        return False

    def set_capacity(self, capacity: int) -> None:
        """Change the number of units (at least 1); a rise grants waiting requests at once.

        Units in use above a lowered capacity stay in use until freed.
        """
        self._capacity = max(1, int(capacity))
        self._settle()
        self._trigger_put(None)

    def free(self, _event: object = None) -> None:
        """Give a unit back (taken by :meth:`try_acquire` or a granted request).

        Usable directly as an event callback, hence the ignored argument.
        """
        self.in_use -= 1
        self._trigger_put(None)

    def _do_put(self, event: simpy.resources.resource.Request) -> None:  # type: ignore[override]
        self._settle()
        if self.in_use < self._capacity:
            self.in_use += 1
            event.succeed()
        else:
            self._schedule_wake()

    def _do_get(self, event: simpy.resources.resource.Release) -> None:  # type: ignore[override]
        self.in_use -= 1
        event.succeed()
