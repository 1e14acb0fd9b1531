"""Capacity-limited resources (places, caseworkers) with constant-time bookkeeping.

``simpy.Resource`` keeps its users in a list and removes each on release, which
costs time proportional to the number of places: with tens of thousands of
places at national scale that dominated the run. :class:`Pool` is a
``simpy.Resource`` that only counts its users, and offers a fast path that
takes a free unit without creating any event; waiting requests queue exactly
as in SimPy (first come, first served) and are granted when a unit is freed.

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
"""

from __future__ import annotations

import simpy

__all__ = ["Pool"]


class Pool(simpy.Resource):
    """A SimPy resource of ``capacity`` identical units, counted rather than listed."""

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        super().__init__(env, capacity)
        self.in_use = 0

    @property
    def count(self) -> int:
        """Units in use."""
        return self.in_use

    def try_acquire(self) -> bool:
        """Take a unit now if one is free and nobody is queueing; no event is created."""
        if self.in_use < self._capacity and not self.put_queue:
            self.in_use += 1
            return True
        return False

    def set_capacity(self, capacity: int) -> None:
        """Change the number of units (at least 1); a rise grants waiting requests at once.

        Units in use above a lowered capacity stay in use until freed.
        """
        self._capacity = max(1, int(capacity))
        self._trigger_put(None)

    def free(self, _event: object = None) -> None:
        """Give a unit back (taken by :meth:`try_acquire` or a granted request).

        Usable directly as an event callback, hence the ignored argument.
        """
        self.in_use -= 1
        self._trigger_put(None)

    def _do_put(self, event: simpy.resources.resource.Request) -> None:  # type: ignore[override]
        if self.in_use < self._capacity:
            self.in_use += 1
            event.succeed()

    def _do_get(self, event: simpy.resources.resource.Release) -> None:  # type: ignore[override]
        self.in_use -= 1
        event.succeed()
