"""The engine floor: bare SimPy with the model's number of live processes and timeouts.

Each of ``processes`` generator processes waits ``timeouts_per_process`` times for an
exponential delay and does nothing else, so the wall time is what SimPy itself costs
for the model's event count at its concurrency; the model's wall time divided by it
says how much the model's own logic adds.

Example:
    >>> floor_seconds(processes=100, timeouts_per_process=3, seed=1) >= 0.0
    True
"""

from __future__ import annotations

import gc
import time
from collections.abc import Generator

import numpy as np
import simpy

__all__ = ["floor_seconds"]


def floor_seconds(processes: int, timeouts_per_process: int, seed: int = 0) -> float:
    """Wall seconds of bare SimPy: ``processes`` live processes, each ``timeouts_per_process`` random timeouts."""
    delays = np.random.default_rng(seed).exponential(12.0, size=(processes, timeouts_per_process))
    env = simpy.Environment()

    def person(row: list[float]) -> Generator[simpy.Event, None, None]:
        for delay in row:
            yield env.timeout(delay)

    rows = delays.tolist()
    started = time.perf_counter()
    for row in rows:
        env.process(person(row))
    gc.freeze()
    env.run()
    gc.unfreeze()
    return time.perf_counter() - started
