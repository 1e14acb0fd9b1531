"""Keyed random streams: every draw is a function of (seed, replication, purpose, key).

Results must depend on the scenario, the seed and the replication index only
(never on the number of workers or on the order in which things happen), and two
scenarios compared with each other must see the same people and the same draws
for the same purpose (common random numbers). Both follow from deriving every
stream from ``numpy.random.SeedSequence(seed, spawn_key=(replication, purpose,
*key))``: the scenario is not part of the key, and purposes are fixed integer
codes rather than Python's process-dependent ``hash()``.

Example:
    >>> streams = Streams(seed=7, replication=0)
    >>> a = streams.generator(Purpose.ATTRIBUTES).random(3)
    >>> b = Streams(seed=7, replication=0).generator(Purpose.ATTRIBUTES).random(3)
    >>> bool((a == b).all())
    True
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

__all__ = ["Purpose", "Streams"]


class Purpose(IntEnum):
    """What a stream is used for; the integer code is part of the seed key."""

    ARRIVALS = 1
    ATTRIBUTES = 2
    TRANSITIONS = 3
    TRANSITIONS_OVERFLOW = 4
    SERVICE = 5


class Streams:
    """The random streams of one replication.

    Args:
        seed: the experiment's root seed.
        replication: the replication index.
    """

    def __init__(self, seed: int, replication: int) -> None:
        if seed < 0 or replication < 0:
            raise ValueError("seed and replication must be non-negative integers")
        self.seed = int(seed)
        self.replication = int(replication)

    def seed_sequence(self, purpose: Purpose, *key: int) -> np.random.SeedSequence:
        """The seed sequence for ``purpose`` and an optional integer key (e.g. a person id)."""
        return np.random.SeedSequence(
            self.seed, spawn_key=(self.replication, int(purpose), *map(int, key))
        )

    def generator(self, purpose: Purpose, *key: int) -> np.random.Generator:
        """A fresh generator for ``purpose`` (and ``key``); the same call gives the same draws."""
        return np.random.Generator(np.random.PCG64(self.seed_sequence(purpose, *key)))
