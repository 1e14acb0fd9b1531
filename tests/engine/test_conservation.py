"""Nobody is lost or duplicated, and time is accounted for exactly."""

from __future__ import annotations

import numpy as np

from sim.engine.model import Model
from sim.engine.spells import CENSORED
from sim.outcomes.occupancy import occupancy
from sim.rng import Streams

MONTHS = 36


def _run(baseline):
    return Model(baseline, Streams(7, 0), scale=0.01, horizon=MONTHS).run()


def test_occupancy_sums_to_the_population_present_each_month(baseline):
    """At every month the states hold exactly the stock plus everyone who has arrived."""
    output = _run(baseline)
    counts = occupancy(output.spells, MONTHS).sum(axis=1)
    entry = output.population.entry_time
    expected = np.array([(entry <= m).sum() for m in range(MONTHS + 1)])
    np.testing.assert_array_equal(counts, expected)


def test_person_months_in_spells_equal_time_present(baseline):
    """The spells of all persons add up to the time each was present, to rounding."""
    output = _run(baseline)
    spells = output.spells
    total = (spells["end"] - spells["start"]).sum()
    present = (MONTHS - output.population.entry_time).sum()
    assert abs(total - present) < 1e-6 * present


def test_each_person_has_one_unbroken_path(baseline):
    """Each person's spells follow one another without gaps, and exactly one is open at the end."""
    spells = _run(baseline).spells
    same = spells["person_id"].to_numpy()[1:] == spells["person_id"].to_numpy()[:-1]
    gaps = spells["start"].to_numpy()[1:] - spells["end"].to_numpy()[:-1]
    assert np.all(np.abs(gaps[same]) < 1e-9)
    chained = spells["next_state"].to_numpy()[:-1][same] == spells["state"].to_numpy()[1:][same]
    assert chained.all()
    open_per_person = spells.assign(open=spells["next_state"] == CENSORED).groupby("person_id")["open"].sum()
    assert (open_per_person == 1).all()
