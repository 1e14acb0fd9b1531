"""The synthetic population reproduces the marginals it is drawn from."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.agents.population import synthesise
from sim.rng import Streams
from sim.scenario.schema import BARRIERS, HOUSEHOLD_TYPES

SCALE = 0.5  # 40 000 households at the start


@pytest.fixture(scope="module")
def population(baseline):
    return synthesise(baseline, Streams(9, 0), scale=SCALE, horizon=24)


def within(observed: float, p: float, n: int, z: float = 4.0) -> bool:
    """|observed − p| ≤ z·SE with the binomial SE of a share among n."""
    return abs(observed - p) <= z * math.sqrt(p * (1 - p) / n)


def test_stock_size_and_weights_are_national(baseline, population):
    """The stock is initial_households × scale and every person stands for 1/scale households."""
    assert population.initial.sum() == round(baseline.population.initial_households * SCALE)
    assert population.weight == pytest.approx(1 / SCALE)


def test_arrivals_are_poisson_with_the_scenario_rate(baseline, population):
    """The number of entrants over 24 months is within 4 SE of the Poisson mean (SE = √mean)."""
    mean = baseline.population.inflow_per_year * SCALE * 2
    assert abs((~population.initial).sum() - mean) <= 4 * math.sqrt(mean)
    entry = population.entry_time[~population.initial]
    assert (np.diff(entry) >= 0).all() and entry.max() < 24


def test_sex_and_birth_region_shares(baseline, population):
    """Women and born-abroad shares match the scenario within 4 binomial SE."""
    n = population.size
    assert within(population.woman.mean(), baseline.population.women_share, n)
    assert within(population.born_abroad.mean(), baseline.population.born_abroad_share, n)


def test_barrier_shares_by_sex_and_birth_region(baseline, population):
    """Each main-barrier share in each sex × birth-region group matches table 1 within 4 SE."""
    for group, shares in baseline.population.barrier_shares.items():
        mask = (population.born_abroad == group.startswith("born_abroad")) & (
            population.woman == group.endswith("women")
        )
        n = int(mask.sum())
        for name, p in shares.items():
            observed = (population.barrier[mask] == BARRIERS.index(name)).mean()
            assert within(observed, p, n), (group, name, observed, p)


def test_households_and_children(baseline, population):
    """Single parents follow the household shares by sex, and only households with children have children."""
    women = population.woman
    single_parent = population.household == HOUSEHOLD_TYPES.index("single_parent")
    p = baseline.population.household_shares["women"]["single_parent"]
    assert within(single_parent[women].mean(), p, int(women.sum()))
    childless = np.isin(population.household, [HOUSEHOLD_TYPES.index("single"), HOUSEHOLD_TYPES.index("couple")])
    assert (population.n_children[childless] == 0).all()
    assert (population.n_children[~childless] >= 1).all()
    ages = population.child_ages
    assert np.array_equal((~np.isnan(ages)).sum(axis=1), population.n_children)


def test_same_person_same_attributes_whatever_the_inflow(baseline):
    """Common random numbers: a person's attributes do not depend on how many others are drawn."""
    from tests.conftest import variant

    more = variant(baseline, {"population.inflow_per_year": baseline.population.inflow_per_year * 2})
    a = synthesise(baseline, Streams(4, 0), scale=0.01, horizon=12)
    b = synthesise(more, Streams(4, 0), scale=0.01, horizon=12)
    n = int(a.initial.sum())
    assert np.array_equal(a.barrier[:n], b.barrier[:n]) and np.array_equal(a.age[:n], b.age[:n])
