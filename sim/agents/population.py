"""Synthetic households drawn from published marginals, and the inflow of new applicants.

One simulated person is the applicant of one household. The population at the
start date is drawn from the scenario's marginals (sex × birth region × main
barrier, household type by sex, children and their ages, AF registration by
barrier, months already on assistance); new applicants arrive as a Poisson
stream over the horizon. At a sampling fraction ``scale`` every person stands
for ``1 / scale`` national households.

Draws are keyed for common random numbers: attribute ``j`` of person ``i`` is
column ``j`` of row ``i`` of one uniform matrix per group (stock, entrants), so
a person's attributes do not depend on how many others there are.

Example:
    >>> from sim.scenario import load_scenario
    >>> from sim.rng import Streams
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> pop = synthesise(scenario, Streams(1, 0), scale=0.001, horizon=12)
    >>> bool(pop.size > 0), bool((pop.entry_time[pop.initial] == 0).all())
    (True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.rng import Purpose, Streams
from sim.scenario.schema import BARRIERS, HOUSEHOLD_TYPES, AgeBand, Scenario, Sex
from sim.scenario.schema import Population as PopulationSpec

__all__ = ["Population", "synthesise", "MAX_CHILDREN"]

MAX_CHILDREN = 4
#: Children are drawn aged 0 to under 18 years at entry, uniformly (an assumption
#: stated in the output through the scenario's notes on household composition).
CHILD_AGE_MAX = 18.0
_AGE_BANDS: dict[AgeBand, tuple[int, int]] = {"18-24": (18, 25), "25-34": (25, 35), "35-44": (35, 45), "45-54": (45, 55), "55-64": (55, 65)}
#: Uniforms per person: 0–15 attributes, 16–23 reserved for levers (``u_policy``).
_N_UNIFORMS = 24


@dataclass(frozen=True)
class Population:
    """Everyone who is on assistance at the start or applies during the horizon.

    Arrays are indexed by person id (0 .. size-1): the stock first, then the
    entrants in order of arrival.
    """

    entry_time: np.ndarray
    initial: np.ndarray
    woman: np.ndarray
    born_abroad: np.ndarray
    age: np.ndarray
    barrier: np.ndarray
    household: np.ndarray
    n_children: np.ndarray
    child_ages: np.ndarray
    rent: np.ndarray
    af_registered: np.ndarray
    elapsed_months: np.ndarray
    frailty: np.ndarray
    u_apply: np.ndarray
    u_policy: np.ndarray
    weight: float
    applies: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of simulated persons."""
        return int(self.entry_time.size)

    def applying(self) -> np.ndarray:
        """Whether each person is part of the run (policies may deter some applicants)."""
        return np.ones(self.size, dtype=bool) if self.applies is None else self.applies

    def to_frame(self) -> pd.DataFrame:
        """One row per person who is part of the run, in the layout accounting and metrics expect."""
        frame = pd.DataFrame(
            {
                "person_id": np.arange(self.size, dtype=np.int64),
                "entry_time": self.entry_time,
                "initial": self.initial,
                "woman": self.woman,
                "born_abroad": self.born_abroad,
                "age": self.age,
                "barrier": np.asarray(BARRIERS, dtype=object)[self.barrier],
                "household": np.asarray(HOUSEHOLD_TYPES, dtype=object)[self.household],
                "n_children": self.n_children,
            }
        )
        for k in range(MAX_CHILDREN):
            frame[f"child_age_{k + 1}"] = self.child_ages[:, k]
        frame["rent"] = self.rent
        frame["af_registered"] = self.af_registered
        frame["elapsed_months"] = self.elapsed_months
        frame["frailty"] = self.frailty
        for k in range(self.u_policy.shape[1]):
            frame[f"policy_u{k}"] = self.u_policy[:, k]
        frame["weight"] = self.weight
        return frame[self.applying()].reset_index(drop=True)


def synthesise(scenario: Scenario, streams: Streams, scale: float, horizon: float) -> Population:
    """Draw the stock at the start date and the applicants arriving before ``horizon``."""
    spec = scenario.population
    n_stock = int(round(spec.initial_households * scale))
    arrivals = _arrival_times(streams, spec.inflow_per_year * scale / 12.0, horizon)
    u_stock = streams.generator(Purpose.ATTRIBUTES, 0).random((n_stock, _N_UNIFORMS))
    u_new = streams.generator(Purpose.ATTRIBUTES, 1).random((arrivals.size, _N_UNIFORMS))
    u = np.vstack([u_stock, u_new])
    initial = np.zeros(u.shape[0], dtype=bool)
    initial[:n_stock] = True
    entry_time = np.concatenate([np.zeros(n_stock), arrivals])
    return _attributes(spec, u, initial, entry_time, weight=1.0 / scale)


def _arrival_times(streams: Streams, rate_per_month: float, horizon: float) -> np.ndarray:
    """Poisson arrival times in [0, horizon) from one keyed stream of gaps."""
    if rate_per_month <= 0:
        return np.zeros(0)
    rng = streams.generator(Purpose.ARRIVALS)
    expected = rate_per_month * horizon
    n_draw = int(expected + 10 * np.sqrt(expected) + 20)
    times = np.cumsum(rng.standard_exponential(n_draw)) / rate_per_month
    while times[-1] < horizon:
        more = np.cumsum(rng.standard_exponential(n_draw)) / rate_per_month + times[-1]
        times = np.concatenate([times, more])
    return times[times < horizon]


def _attributes(
    spec: PopulationSpec, u: np.ndarray, initial: np.ndarray, entry_time: np.ndarray, weight: float
) -> Population:
    woman = u[:, 0] < spec.women_share
    born_abroad = u[:, 1] < spec.born_abroad_share
    barrier = _barriers(spec, u[:, 2], woman, born_abroad)
    household = _households(spec, u[:, 3], woman)
    has_children = np.isin(household, [HOUSEHOLD_TYPES.index("single_parent"), HOUSEHOLD_TYPES.index("couple_children")])
    counts = np.array(sorted(spec.children_count_shares))
    cum = np.cumsum([spec.children_count_shares[c] for c in counts])
    n_children = np.where(has_children, counts[np.minimum(np.searchsorted(cum, u[:, 4], side="right"), counts.size - 1)], 0)
    child_ages = u[:, 5 : 5 + MAX_CHILDREN] * CHILD_AGE_MAX
    child_ages[np.arange(MAX_CHILDREN)[None, :] >= n_children[:, None]] = np.nan
    age = _ages(spec, u[:, 9], u[:, 10])
    registration = np.array([spec.af_registration_by_barrier[b] for b in BARRIERS])
    af_registered = u[:, 11] < registration[barrier]
    long = u[:, 12] < spec.elapsed_months.long_term_share
    elapsed = np.where(long, 12 + u[:, 13] * (spec.elapsed_months.long_max - 12), u[:, 13] * 12)
    elapsed = np.where(initial, elapsed, 0.0)
    frailty = _frailty(spec.frailty_variance, u[:, 14])
    rent = np.array([spec.rent_per_month[h] for h in HOUSEHOLD_TYPES])[household]
    return Population(
        entry_time=entry_time, initial=initial, woman=woman, born_abroad=born_abroad, age=age,
        barrier=barrier, household=household, n_children=n_children.astype(np.int64),
        child_ages=child_ages, rent=rent, af_registered=af_registered,
        elapsed_months=elapsed, frailty=frailty, u_apply=u[:, 15], u_policy=u[:, 16:24], weight=weight,
    )  # fmt: skip


def _barriers(spec: PopulationSpec, u: np.ndarray, woman: np.ndarray, born_abroad: np.ndarray) -> np.ndarray:
    """Main barrier by sex × birth region; the remainder of each group is 'other'."""
    barrier = np.full(u.size, BARRIERS.index("other"), dtype=np.int64)
    for group, shares in spec.barrier_shares.items():
        in_group = (born_abroad == group.startswith("born_abroad")) & (woman == group.endswith("women"))
        lower = 0.0
        for name in ("unemployment", "sick", "social"):
            upper = lower + shares.get(name, 0.0)
            barrier[in_group & (u >= lower) & (u < upper)] = BARRIERS.index(name)
            lower = upper
    return barrier


def _households(spec: PopulationSpec, u: np.ndarray, woman: np.ndarray) -> np.ndarray:
    household = np.zeros(u.size, dtype=np.int64)
    sexes: tuple[tuple[Sex, np.ndarray], ...] = (("women", woman), ("men", ~woman))
    for sex, is_sex in sexes:
        cum = np.cumsum([spec.household_shares[sex].get(h, 0.0) for h in HOUSEHOLD_TYPES])
        idx = np.minimum(np.searchsorted(cum, u, side="right"), len(HOUSEHOLD_TYPES) - 1)
        household[is_sex] = idx[is_sex]
    return household


def _ages(spec: PopulationSpec, u_band: np.ndarray, u_within: np.ndarray) -> np.ndarray:
    bands = list(_AGE_BANDS)
    cum = np.cumsum([spec.age_band_shares.get(b, 0.0) for b in bands])
    idx = np.minimum(np.searchsorted(cum, u_band, side="right"), len(bands) - 1)
    low = np.array([_AGE_BANDS[b][0] for b in bands], dtype=float)[idx]
    high = np.array([_AGE_BANDS[b][1] for b in bands], dtype=float)[idx]
    return low + u_within * (high - low)


def _frailty(variance: float, u: np.ndarray) -> np.ndarray:
    """Gamma(mean 1, given variance) by inversion, so one uniform per person suffices."""
    if variance <= 0:
        return np.ones(u.size)
    shape = 1.0 / variance
    return stats.gamma.ppf(u, a=shape, scale=variance)
