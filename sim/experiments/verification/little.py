"""Little's law, L = λW, on every state and on the queues for places.

Theory. For any system in steady state, the time-average number present ``L``
equals the arrival rate ``λ`` times the mean time each arrival stays ``W``. Over a
finite window ``[a, b)`` of one sample path the two sides differ exactly by
``D = (R(a) − R(b)) / (b − a)``, where ``R(t)`` is the remaining time of everyone
present at ``t``: in steady state ``R(a)`` and ``R(b)`` have the same distribution,
so ``D`` has mean zero. It is biased when the run is not in steady state, or when
sojourns are cut off by the horizon (censoring), which understates ``W``.

Set-up. The baseline (duration dependence, covariate effects, frailty, levers,
caseworkers, places) as a *closed* population: no inflow, so the population is
constant and settles into a steady state (the slowest relaxation of the
baseline's chain is about 1/0.008 = 125 months; the warm-up is several times
that). Municipal activity places are cut below the steady-state demand so that a
queue forms (people leave it when another exit comes first). For every state,
``L`` is the time-average number in the state over the window (from the spells),
``λ`` the number of spells starting in the window per month and ``W`` their mean
length (to their end, after the window if need be); likewise for each resource's
waits. The window ends long before the horizon (a tail of several mean sojourns
of the slowest state), so hardly any spell entering the window is still open at
the horizon; the detail reports how many are.

Rule. Batch means over time do not work here: consecutive batch differences
telescope (each is an increment of ``R``), so their spread says nothing about
their sum. The batches are therefore independent replications (the
replication/deletion method): ``D_r`` from each of ``R`` replications, standard
error ``sd(D_r) / sqrt(R)``, and the check passes when ``|mean D| <= 4 SE``
(a t statistic with ``R − 1`` degrees of freedom).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.engine.model import RESOURCES, Model, ReplicationOutput
from sim.engine.spells import CENSORED
from sim.experiments.verification.result import CheckResult, z_check
from sim.experiments.verification.variants import variant
from sim.rng import Streams
from sim.scenario import Scenario
from sim.states import STATES

__all__ = ["LittleDesign", "Sides", "little_scenario", "sides", "little_checks", "run_little", "check_little"]

@dataclass(frozen=True)
class LittleDesign:
    """Replications, persons in each, and the warm-up, window and tail in months."""

    replications: int = 20
    persons: int = 1000
    warmup: float = 480.0
    window: float = 960.0
    tail: float = 960.0
    #: National municipal activity places (baseline 40 000 for 80 000 households): fewer than demand.
    municipal_places: int = 700

    @property
    def horizon(self) -> float:
        """Months simulated."""
        return self.warmup + self.window + self.tail


@dataclass(frozen=True)
class Sides:
    """The two sides of Little's law over a window, for one set of intervals."""

    present: float
    flow: float
    entries: int
    open_at_horizon: int
    mean_stay: float


def little_scenario(base: Scenario, design: LittleDesign) -> Scenario:
    """``base`` as a closed population (no inflow) with scarce municipal activity places."""
    return variant(
        base,
        {"population.inflow_per_year": 0.0, "capacity.municipal_activity_places": design.municipal_places},
    )


def sides(begin: np.ndarray, end: np.ndarray, censored: np.ndarray, start: float, stop: float) -> Sides:
    """``L`` (time-average number of intervals ``[begin, end)`` over the window) and ``λW``."""
    span = stop - start
    entering = (begin >= start) & (begin < stop)
    present = float(np.clip(np.minimum(end, stop) - np.maximum(begin, start), 0.0, None).sum()) / span
    stays = (end - begin)[entering]
    mean_stay = float(stays.mean()) if stays.size else 0.0
    return Sides(present, float(stays.sum()) / span, int(entering.sum()), int((entering & censored).sum()), mean_stay)


def _intervals(output: ReplicationOutput) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per state and resource: begin, end and censored of its spells or waits."""
    spells: pd.DataFrame = output.spells
    out = {}
    for code, state in enumerate(STATES):
        s = spells[spells["state"] == code]
        out[state.value] = (s["start"].to_numpy(), s["end"].to_numpy(), (s["next_state"] == CENSORED).to_numpy())
    for resource in RESOURCES:
        w = output.waits[output.waits["resource"] == resource]
        out[f"queue for {resource}"] = (w["start"].to_numpy(), w["end"].to_numpy(), np.zeros(len(w), dtype=bool))
    return out


def little_checks(outputs: list[ReplicationOutput], start: float, stop: float) -> list[CheckResult]:
    """Little's law over ``[start, stop)`` on every state and queue with entries in every replication."""
    per_rep = [
        {name: sides(*iv, start, stop) for name, iv in _intervals(output).items()} for output in outputs
    ]
    results = []
    for name in per_rep[0]:
        rows = [rep[name] for rep in per_rep]
        if min(r.entries for r in rows) < 2:
            continue
        present = np.array([r.present for r in rows])
        flow = np.array([r.flow for r in rows])
        n = len(rows)
        se = float(np.std(present - flow, ddof=1) / np.sqrt(n)) if n > 1 else float("inf")
        lam = sum(r.entries for r in rows) / (n * (stop - start))
        w = float(np.mean([r.mean_stay for r in rows]))
        cut = sum(r.open_at_horizon for r in rows)
        detail = (
            f"λ={lam:.4g}/month, W={w:.4g} months, {sum(r.entries for r in rows)} entries "
            f"({cut} open at the horizon), {n} replications"
        )
        results.append(z_check(f"little: {name}", float(present.mean()), float(flow.mean()), se, detail))
    return results


def run_little(base: Scenario, design: LittleDesign, seed: int) -> list[ReplicationOutput]:
    """Simulate the replications of the closed baseline of ``design``."""
    scenario = little_scenario(base, design)
    scale = design.persons / scenario.population.initial_households
    return [
        Model(scenario, Streams(seed, r), scale=scale, horizon=design.horizon).run()
        for r in range(design.replications)
    ]


def check_little(base: Scenario, design: LittleDesign, seed: int) -> list[CheckResult]:
    """Run the closed baseline and check Little's law on its states and queues."""
    outputs = run_little(base, design, seed)
    return little_checks(outputs, design.warmup, design.warmup + design.window)
