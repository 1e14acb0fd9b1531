"""The engine against the exact solution of a continuous-time Markov chain.

Theory. With constant hazards (no duration dependence), one homogeneous group (no
covariate effects, no frailty), no capacity limits, no assessment step, no inflow
and no levers, every person follows the same continuous-time Markov chain with
generator ``Q`` (``Q[i, j]`` = the monthly rate from ``i`` to ``j``, rows summing to 0),
independently of everyone else. The probability of being in each state at time
``t`` is then exactly ``p(t) = p(0) · expm(Q t)`` (Kolmogorov forward equations),
and the number of the ``N`` persons in state ``j`` at ``t`` is Binomial(N, p_j(t)).

Rule. For every state ``j`` and every checked month ``t`` the simulated share has
standard error ``sqrt(p(1 − p) / N)`` (``p`` the exact value; floored at 1e-12 so
that an impossible state that is occupied fails); the check passes when every
cell has ``|z| <= 4``, and reports the cell with the largest ``|z|``. With 8 × 4
cells the chance of a false alarm is about 0.2 %.

Three generators are checked: (a) the baseline's own transition structure and
rates, (b) a generator drawn at random (seeded) over the seven states other than
combined_programme, respecting :data:`sim.states.ALLOWED`, and (c) a user's CSV
(:mod:`sim.experiments.verification.rates`). Everyone starts on assistance, the engine's
initial state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.linalg import expm

from sim.engine.model import Model
from sim.experiments.verification.result import Z_LIMIT, CheckResult, z_check
from sim.experiments.verification.variants import variant
from sim.outcomes.occupancy import occupancy
from sim.rng import Streams
from sim.scenario import Scenario
from sim.states import ALLOWED, STATE_INDEX, STATES, State

__all__ = [
    "markov_scenario",
    "generator_matrix",
    "random_rates",
    "simulate_shares",
    "compare_shares",
    "check_markov",
    "MARKOV_STATES",
    "Rates",
]

#: The states a random generator spans: all but combined_programme, which only its lever refers to.
MARKOV_STATES: tuple[State, ...] = tuple(s for s in STATES if s is not State.COMBINED_PROGRAMME)
#: Monthly rates, origin -> destination -> rate.
Rates = Mapping[State, Mapping[State, float]]
_BARRIERS = ("unemployment", "sick", "social", "other")


def markov_scenario(scenario: Scenario, rates: Rates | None = None) -> Scenario:
    """``scenario`` with constant hazards, one homogeneous group, no limits, no inflow, no levers.

    Under these settings every person follows the same continuous-time Markov chain,
    so occupancy has the exact solution ``P(t) = P(0) expm(Q t)``.

    Args:
        scenario: the base (usually the baseline).
        rates: transition rates to use instead of the scenario's (shape 1); None keeps them.
    """
    changes: dict[str, object] = {
        "duration_dependence": False,
        "covariate_effects.barrier": {b: 1.0 for b in _BARRIERS},
        "covariate_effects.born_abroad": 1.0,
        "covariate_effects.woman": 1.0,
        "covariate_effects.single_parent": 1.0,
        "covariate_effects.age_55_plus": 1.0,
        "population.frailty_variance": 0.0,
        "population.inflow_per_year": 0.0,
        "population.af_registration_by_barrier": {b: 1.0 for b in _BARRIERS},
        "capacity": {
            "municipal_activity_places": None,
            "af_programme_places": None,
            "combined_programme_places": None,
            "caseworkers": None,
        },
        "caseworker.decision_delay_months": 0.0,
        "policies": {},
    }
    if rates is not None:
        changes["transitions"] = {
            origin: {dest: {"rate": float(rate), "shape": 1.0} for dest, rate in dests.items()}
            for origin, dests in rates.items()
        }
    return variant(scenario, changes)


def generator_matrix(scenario: Scenario) -> np.ndarray:
    """``Q`` (states in :data:`sim.states.STATES` order) from the scenario's constant hazards."""
    q = np.zeros((len(STATES), len(STATES)))
    for origin, destinations in scenario.transitions.items():
        for dest, spec in destinations.items():
            q[STATE_INDEX[origin], STATE_INDEX[dest]] = spec.rate
    np.fill_diagonal(q, 0.0)
    np.fill_diagonal(q, -q.sum(axis=1))
    return q


def random_rates(
    seed: int, density: float = 0.6, low: float = 0.01, high: float = 0.25
) -> dict[State, dict[State, float]]:
    """A random generator over :data:`MARKOV_STATES` that the model's structure allows.

    Each allowed transition is present with probability ``density`` and has a rate
    log-uniform in ``[low, high]`` per month; assistance always has at least two exits.

    Example:
        >>> rates = random_rates(1)
        >>> all(d in ALLOWED[o] for o, ds in rates.items() for d in ds)
        True
    """
    rng = np.random.default_rng(seed)
    rates: dict[State, dict[State, float]] = {}
    for origin in MARKOV_STATES:
        allowed = [d for d in MARKOV_STATES if d in ALLOWED[origin]]
        chosen = {d: float(np.exp(rng.uniform(np.log(low), np.log(high)))) for d in allowed if rng.random() < density}
        while origin is State.ASSISTANCE and len(chosen) < 2:
            d = allowed[int(rng.integers(len(allowed)))]
            chosen[d] = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        if chosen:
            rates[origin] = chosen
    return rates


def simulate_shares(scenario: Scenario, n_persons: int, months: int, seed: int) -> np.ndarray:
    """Share of the ``n_persons`` (all starting on assistance) in each state at months ``0..months``."""
    scale = n_persons / scenario.population.initial_households
    output = Model(scenario, Streams(seed, 0), scale=scale, horizon=float(months)).run()
    n = output.population.size
    if n != n_persons:
        raise RuntimeError(f"the Markov scenario drew {n} persons, not {n_persons}")
    return occupancy(output.spells, months) / n


def compare_shares(
    name: str,
    shares: np.ndarray,
    n: int,
    q: np.ndarray,
    check_months: Sequence[int],
    labels: Sequence[str] | None = None,
) -> CheckResult:
    """Compare simulated shares with ``e_assistance · expm(Q t)`` cell by cell; report the worst cell.

    Args:
        name: the check's name.
        shares: ``(months + 1, n_states)`` simulated shares.
        n: persons simulated.
        q: the generator the shares should follow.
        check_months: months compared.
        labels: a name per state for the report (default: the model's state names).
    """
    p0 = np.zeros(q.shape[0])
    p0[STATE_INDEX[State.ASSISTANCE]] = 1.0
    names = list(labels) if labels is not None else [s.value for s in STATES]
    worst = (-1.0, 0.0, 0.0, 1.0, "")
    for month in check_months:
        exact = p0 @ expm(q * month)
        se = np.sqrt(np.maximum(exact * (1 - exact), 1e-12) / n)
        z = (shares[month] - exact) / se
        j = int(np.argmax(np.abs(z)))
        if abs(z[j]) > worst[0]:
            where = f"{names[j]} at month {month}"
            worst = (float(abs(z[j])), float(shares[month][j]), float(exact[j]), float(se[j]), where)
    cells = q.shape[0] * len(check_months)
    detail = f"worst of {cells} cells (N={n}): {worst[4]}"
    return z_check(name, worst[1], worst[2], worst[3], detail, Z_LIMIT)


def check_markov(
    name: str,
    scenario: Scenario,
    n_persons: int,
    check_months: Sequence[int],
    seed: int,
    labels: Sequence[str] | None = None,
) -> CheckResult:
    """Simulate a Markov scenario (see :func:`markov_scenario`) and compare it with ``expm``."""
    months = max(check_months)
    shares = simulate_shares(scenario, n_persons, months, seed)
    return compare_shares(name, shares, n_persons, generator_matrix(scenario), check_months, labels)
