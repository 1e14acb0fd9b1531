"""The engine floor: bare SimPy with the model's live processes and timeouts, and no model logic.

``initial`` processes start at time 0 and ``arrivals`` more at uniformly drawn times
before ``months`` (as the model's stock and newcomers do); each waits for
``timeouts_per_process`` exponential delays whose mean spreads them over the time
it has left, and does nothing else. The wall time is what SimPy itself costs for
about the model's number of events at about its concurrency; the model's wall time
divided by it says how much the model's own logic adds.

Example:
    >>> floor = engine_floor(initial=100, arrivals=50, months=12, timeouts_per_process=3, seed=1)
    >>> floor.events > 0 and floor.seconds >= 0.0
    True
"""

from __future__ import annotations

import gc
import time
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

__all__ = ["Floor", "engine_floor"]


@dataclass(frozen=True)
class Floor:
    """Wall seconds of the bare run and the SimPy events it scheduled."""

    seconds: float
    events: int


def engine_floor(initial: int, arrivals: int, months: float, timeouts_per_process: int, seed: int = 0) -> Floor:
    """Run bare SimPy processes with random timeouts; see the module docstring."""
    rng = np.random.default_rng(seed)
    entry = np.concatenate([np.zeros(initial), np.sort(rng.uniform(0.0, months, arrivals))])
    left = np.maximum(months - entry, 1e-9)
    delays = rng.standard_exponential((entry.size, timeouts_per_process)) * (left / timeouts_per_process)[:, None]
    env = simpy.Environment()

    def person(row: list[float]) -> Generator[simpy.Event, None, None]:
        for delay in row:
            yield env.timeout(delay)

    def newcomers(times: list[float], rows: list[list[float]]) -> Generator[simpy.Event, None, None]:
        for at, row in zip(times, rows):
            yield env.timeout(at - env.now)
            env.process(person(row))

    rows = delays.tolist()
    started = time.perf_counter()
    for row in rows[:initial]:
        env.process(person(row))
    env.process(newcomers(entry[initial:].tolist(), rows[initial:]))
    gc.collect()
    gc.freeze()
    env.run(until=months)
    gc.unfreeze()
    return Floor(seconds=time.perf_counter() - started, events=int(next(env._eid)))  # type: ignore[attr-defined]
