"""A capacity-limited place as an M/M/c queue, against Erlang C.

Theory. Households arrive as a Poisson stream of rate λ per month, are referred at
once to municipal_activity (rate 1e4 per month: a mean delay of 1e-4 months,
which leaves the arrival stream Poisson), and wait first come first served for
one of ``c`` places. They have no other exit from assistance, so nobody leaves
the queue. A place is held for an exponential time of rate μ (the only exit
from municipal_activity, to other_exit, which is absorbing). This is the M/M/c
queue; with offered load ``a = λ/μ < c`` and utilisation ``ρ = a/c`` its steady
state has (Erlang C)

    P(wait) = C(c, a) = [a^c/c! · c/(c − a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c − a)],
    Wq = C / (cμ − λ),    Lq = λ Wq.

With no caseworkers and no decision delay the engine has no assessment step, so
its logged wait for ``municipal_activity_places`` is exactly the queue wait (a
household granted a place at once logs no wait: its wait is 0).

Estimation. After a warm-up the window is cut into ``B = 20`` batches of equal
length. ``P(wait)`` and ``Wq`` are ratios over the arrivals in the window (their
standard errors from batch totals, :func:`ratio_batch_se`); ``Lq`` is the
time-average of the number waiting (batch means). Twenty batches leave 19 degrees
of freedom for the standard error (about ±16 % relative error in it), while each
batch (100 months in the quick suite, 1 000 in the full one) still spans more than
ten relaxation times of the queue (about ``1 / (cμ (1 − √ρ)²)`` ≈ 8 months here),
so batch means are nearly independent.
Arrivals in the last ``tail`` months are not counted, so no counted wait is cut
off by the horizon. Each comparison passes within 4 standard errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.engine.model import Model, ReplicationOutput
from sim.experiments.verification.result import CheckResult, batch_edges, batch_se, ratio_batch_se, z_check
from sim.experiments.verification.variants import variant
from sim.rng import Streams
from sim.scenario import Scenario
from sim.states import STATE_INDEX, State

__all__ = ["QueueDesign", "QueueStats", "erlang_c", "mmc", "queue_scenario", "queue_statistics", "check_queue"]

BATCHES = 20
_RESOURCE = "municipal_activity_places"
_REFERRAL_RATE = 1e4


@dataclass(frozen=True)
class QueueDesign:
    """Arrival rate λ and service rate μ per month, ``c`` places, and the run's length in months."""

    lam: float = 17.0
    mu: float = 1.0
    c: int = 20
    warmup: float = 100.0
    window: float = 2000.0
    tail: float = 12.0
    scale: float = 0.01

    @property
    def horizon(self) -> float:
        """Months simulated: warm-up, window and tail."""
        return self.warmup + self.window + self.tail


@dataclass(frozen=True)
class QueueStats:
    """Observed P(wait), Wq and Lq over the window, each with its batch-means standard error."""

    p_wait: float
    p_wait_se: float
    wq: float
    wq_se: float
    lq: float
    lq_se: float
    arrivals: int


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c with offered load ``a`` (< c), via Erlang B.

    Example:
        >>> round(erlang_c(1, 0.5), 6)  # M/M/1: P(wait) = ρ
        0.5
    """
    if not 0 <= a < c:
        raise ValueError(f"the queue is unstable: offered load {a} must be below c = {c}")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1.0 - b))


def mmc(lam: float, mu: float, c: int) -> dict[str, float]:
    """Erlang C values ``p_wait``, ``wq`` (months) and ``lq`` (households) of an M/M/c queue."""
    p = erlang_c(c, lam / mu)
    wq = p / (c * mu - lam)
    return {"p_wait": p, "wq": wq, "lq": lam * wq}


def queue_scenario(base: Scenario, design: QueueDesign) -> Scenario:
    """``base`` turned into the M/M/c queue above (national figures: divided by ``scale``)."""
    places = design.c / design.scale
    if abs(places - round(places)) > 1e-9:
        raise ValueError("c / scale must be a whole number of national places")
    return variant(
        base,
        {
            "population.initial_households": 0.0,
            "population.inflow_per_year": design.lam * 12.0 / design.scale,
            "population.frailty_variance": 0.0,
            "transitions": {
                State.ASSISTANCE: {State.MUNICIPAL_ACTIVITY: {"rate": _REFERRAL_RATE, "shape": 1.0}},
                State.MUNICIPAL_ACTIVITY: {State.OTHER_EXIT: {"rate": design.mu, "shape": 1.0}},
            },
            "duration_dependence": False,
            "covariate_effects.applies_to": (),
            "capacity": {
                "municipal_activity_places": int(round(places)),
                "af_programme_places": None,
                "combined_programme_places": None,
                "caseworkers": None,
            },
            "caseworker.decision_delay_months": 0.0,
            "policies": {},
        },
    )


def queue_statistics(output: ReplicationOutput, start: float, end: float, batches: int = BATCHES) -> QueueStats:
    """P(wait), Wq and Lq over arrivals to (and time in) ``[start, end)`` of a queue run."""
    spells, waits = output.spells, output.waits
    waits = waits[waits["resource"] == _RESOURCE]
    if not waits["granted"].all():
        raise RuntimeError("someone left the queue: the M/M/c set-up has no other exit")
    waited = pd.Series(waits["start"].to_numpy(), index=waits["person_id"].to_numpy())
    served = spells[spells["state"] == STATE_INDEX[State.MUNICIPAL_ACTIVITY]]
    direct = served[~served["person_id"].isin(waited.index)]
    # Still in the queue (or being referred) at the horizon: the wait is cut off there.
    stuck = spells[(spells["state"] == STATE_INDEX[State.ASSISTANCE]) & (spells["next_state"] < 0)]
    stuck = stuck[~stuck["person_id"].isin(waited.index)]
    join = np.concatenate([waits["start"].to_numpy(), direct["start"].to_numpy(), stuck["start"].to_numpy()])
    wait = np.concatenate(
        [
            (waits["end"] - waits["start"]).to_numpy(),
            np.zeros(len(direct)),
            output.horizon - stuck["start"].to_numpy(),
        ]
    )
    edges = batch_edges(start, end, batches)
    which = np.searchsorted(edges, join, side="right") - 1
    inside = (which >= 0) & (which < batches)
    counts = np.bincount(which[inside], minlength=batches).astype(float)
    total_wait = np.bincount(which[inside], weights=wait[inside], minlength=batches)
    n_waited = np.bincount(which[inside], weights=(wait[inside] > 0).astype(float), minlength=batches)
    lq = _time_average(join, join + wait, edges)
    return QueueStats(
        p_wait=float(n_waited.sum() / counts.sum()),
        p_wait_se=ratio_batch_se(n_waited, counts),
        wq=float(total_wait.sum() / counts.sum()),
        wq_se=ratio_batch_se(total_wait, counts),
        lq=float(lq.mean()),
        lq_se=batch_se(lq),
        arrivals=int(counts.sum()),
    )


def _time_average(begin: np.ndarray, end: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Per batch, the time-average number of intervals ``[begin, end)`` that cover a moment."""
    out = np.empty(edges.size - 1)
    for k in range(edges.size - 1):
        lo, hi = edges[k], edges[k + 1]
        out[k] = np.clip(np.minimum(end, hi) - np.maximum(begin, lo), 0.0, None).sum() / (hi - lo)
    return out


def compare_queue(stats: QueueStats, lam: float, mu: float, c: int) -> list[CheckResult]:
    """P(wait), Wq and Lq against Erlang C for (λ, μ, c)."""
    exact = mmc(lam, mu, c)
    where = (
        f"λ={lam:g}/month, μ={mu:g}/month, c={c}, ρ={lam / (c * mu):.2f}, "
        f"{stats.arrivals} arrivals, {BATCHES} batches"
    )
    return [
        z_check("queues: P(wait) = C(c, λ/μ)", stats.p_wait, exact["p_wait"], stats.p_wait_se, where),
        z_check("queues: Wq = C/(cμ−λ) (months)", stats.wq, exact["wq"], stats.wq_se, where),
        z_check("queues: Lq = λ Wq (households)", stats.lq, exact["lq"], stats.lq_se, where),
    ]


def check_queue(base: Scenario, design: QueueDesign, seed: int) -> list[CheckResult]:
    """Run the M/M/c scenario and compare it with Erlang C."""
    scenario = queue_scenario(base, design)
    output = Model(scenario, Streams(seed, 0), scale=design.scale, horizon=design.horizon).run()
    stats = queue_statistics(output, design.warmup, design.warmup + design.window)
    if not math.isfinite(stats.wq_se):
        raise RuntimeError("too few arrivals in the window for a standard error")
    return compare_queue(stats, design.lam, design.mu, design.c)
