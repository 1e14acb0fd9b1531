"""A vectorised event-driven twin of the engine for constant-hazard chains without capacity limits.

Every person's next transition is drawn for all persons at once: the time to leave
the current state is exponential with the state's total exit rate, the destination
is chosen in proportion to the rates (the competing-risks construction the engine
uses, in its equivalent Markov form). Nothing queues and nobody interacts, so one
numpy step per transition round replaces one SimPy event per transition. It serves
as the vectorised limit in the benchmarks and as a second implementation to check
the SimPy engine against on queue-free Markov scenarios.

Example:
    >>> import numpy as np
    >>> q = np.array([[-0.1, 0.1], [0.0, 0.0]])
    >>> run = simulate_chain(q, 10_000, months=12, rng=np.random.default_rng(1))
    >>> bool(abs(run.occupancy[12, 0] / 10_000 - np.exp(-1.2)) < 0.02)
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ChainRun", "simulate_chain"]


@dataclass(frozen=True)
class ChainRun:
    """Occupancy at months ``0..months`` (rows) by state (columns), and the transitions made."""

    occupancy: np.ndarray
    transitions: int


def simulate_chain(
    q: np.ndarray, n_persons: int, months: int, rng: np.random.Generator, initial: int = 0
) -> ChainRun:
    """Simulate ``n_persons`` independent copies of the chain with generator ``q`` up to ``months``.

    Args:
        q: generator matrix (monthly rates off the diagonal, rows summing to 0).
        n_persons: persons, all starting in state ``initial`` at time 0.
        months: horizon; occupancy is counted at each whole month 0..months.
        rng: the random generator (the caller owns the stream).
    """
    n_states = q.shape[0]
    exit_rate = -np.diag(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        jump = np.where(exit_rate[:, None] > 0, np.maximum(q, 0) / exit_rate[:, None], 0.0)
    np.fill_diagonal(jump, 0.0)
    cumulative = np.cumsum(jump, axis=1)
    # Difference array over months: +1 where a spell starts covering month m, -1 where it stops.
    diff = np.zeros((months + 2, n_states), dtype=np.int64)
    state = np.full(n_persons, initial, dtype=np.int64)
    time = np.zeros(n_persons)
    transitions = 0
    active = np.arange(n_persons)
    while active.size:
        s, t = state[active], time[active]
        rate = exit_rate[s]
        with np.errstate(divide="ignore"):
            wait = np.where(rate > 0, rng.standard_exponential(active.size) / np.where(rate > 0, rate, 1.0), np.inf)
        end = t + wait
        first = np.ceil(t).astype(np.int64)  # first whole month inside [t, end)
        last = np.minimum(np.ceil(np.minimum(end, months + 1)), months + 1).astype(np.int64)
        covered = first < last
        np.add.at(diff, (first[covered], s[covered]), 1)
        np.add.at(diff, (last[covered], s[covered]), -1)
        moving = end < months
        transitions += int(moving.sum())
        who = active[moving]
        u = rng.random(who.size)
        rows = cumulative[s[moving]]
        state[who] = np.minimum((u[:, None] >= rows).sum(axis=1), n_states - 1)
        time[who] = end[moving]
        active = who
    occupancy = np.cumsum(diff, axis=0)[: months + 1]
    return ChainRun(occupancy=occupancy, transitions=transitions)
