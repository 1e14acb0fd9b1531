"""Conservation identities hold on a baseline run and fail when the records are corrupted."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.engine.model import Model
from sim.experiments.verification.conservation import conservation_checks, norm_checks, time_integral
from sim.outcomes.record import Record
from sim.rng import Streams


@pytest.fixture(scope="module")
def output(baseline):
    return Model(baseline, Streams(8, 0), scale=0.005, horizon=24.0).run()


def by_name(results):
    return {r.name: r for r in results}


def test_time_integral_of_intervals():
    """Two overlapping intervals [0, 2) and [1, 4): ∫N dt = 5."""
    assert time_integral(np.array([0.0, 1.0]), np.array([2.0, 4.0])) == pytest.approx(5.0)


def test_every_identity_holds_on_the_baseline(output, baseline):
    """Persons, person-months, costs, public finances (spending − revenue = net for each payer) and the norm
    all add up."""
    results = conservation_checks(output, baseline)
    assert len(results) == 17
    assert any(r.name.startswith("public finances: spending − revenue = net") for r in results)
    assert all(r.passed for r in results), [r for r in results if not r.passed]


def test_a_lost_spell_is_detected(output, baseline):
    """Dropping one spell breaks the count of persons and of person-months."""
    spells = output.spells
    longest = int((spells["end"] - spells["start"]).to_numpy().argmax())
    broken = replace(output, spells=spells.drop(index=longest).reset_index(drop=True))
    results = by_name(conservation_checks(broken, baseline))
    assert not results["conservation: persons in states = persons present"].passed
    assert not results["conservation: person-months in spells = time present"].passed


def test_underpaid_assistance_is_detected(output, baseline):
    """Paying 1 % less than the gap leaves the norm uncovered; a negative payment is caught too."""
    persons = output.population.to_frame()
    table = Record(baseline, output.spells, persons, output.horizon).budget
    short = table.assign(assistance_sek=table["assistance_sek"] * 0.99)
    assert not by_name(norm_checks(short, persons))["assistance: needs (norm, rent, accepted costs) always covered"].passed
    negative = table.copy()
    negative.loc[negative.index[0], "assistance_sek"] = -1.0
    assert not by_name(norm_checks(negative, persons))["assistance: never negative"].passed
