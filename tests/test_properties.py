"""Property-based tests (hypothesis): any scenario file gives a run or a clean error; runs keep the invariants.

1. Mutated scenario files — a value replaced by something arbitrary, a key removed,
   or the text cut or garbled — either load and run, or raise ScenarioErrors whose
   every entry names the file; never any other exception.
2. Random small scenarios (hazard levels, shapes, capacities, inflow drawn at random)
   keep every identity of the verification suite: persons conserved every month,
   person-months equal across spells, occupancy and accounting, costs adding up,
   assistance never negative and always topping income up to norm + rent, and every
   spell ending at or after its start.
"""

from __future__ import annotations

import copy
import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.engine.model import Model
from sim.errors import ScenarioErrors
from sim.experiments.verification.conservation import conservation_checks, cost_checks, norm_checks
from sim.outcomes.record import Record
from sim.rng import Streams
from sim.scenario import load_scenario
from sim.scenario.changes import scenario_tree
from tests.conftest import BASELINE

pytestmark = pytest.mark.slow

BASE = load_scenario(BASELINE)
TREE = scenario_tree(BASE)


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))


PATHS = sorted(_paths(TREE), key=lambda p: [str(k) for k in p])

values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**9),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.lists(st.integers(-5, 5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)  # fmt: skip


def _tiny(tree):
    tree["simulation"].update({"scale": 0.001, "months": 6, "replications": 1})
    return tree


def _load_and_run(path):
    try:
        scenario = load_scenario(path)
    except ScenarioErrors as errors:
        assert all(str(path) in str(e) for e in errors), str(errors)
        return
    Model(scenario, Streams(1, 0), scale=0.001, horizon=6.0).run()


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(PATHS) - 1), value=values, delete=st.booleans())
def test_a_mutated_scenario_runs_or_fails_cleanly(tmp_path_factory, index, value, delete):
    tree = _tiny(copy.deepcopy(TREE))
    *parents, leaf = PATHS[index]
    node = tree
    for key in parents:
        node = node[key]
    if delete:
        del node[leaf]
    else:
        node[leaf] = value
    path = tmp_path_factory.mktemp("mutated") / "scenario.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    _load_and_run(path)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0.0, 1.0), garbage=st.text(max_size=20))
def test_cut_or_garbled_text_runs_or_fails_cleanly(tmp_path_factory, cut, garbage):
    text = yaml.safe_dump(_tiny(copy.deepcopy(TREE)), allow_unicode=True)
    at = int(len(text) * cut)
    path = tmp_path_factory.mktemp("garbled") / "scenario.yaml"
    path.write_text(text[:at] + garbage + text[at:], encoding="utf-8")
    _load_and_run(path)


rates = st.floats(0.0, 0.4, allow_nan=False)
shapes = st.floats(0.5, 1.5, allow_nan=False)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    work=rates, activity=rates, other=rates, shape=shapes, back=rates,
    places=st.one_of(st.none(), st.integers(1, 60_000)), caseworkers=st.one_of(st.none(), st.integers(1, 8_000)),
    inflow=st.integers(0, 100_000),
)  # fmt: skip
def test_random_small_scenarios_keep_every_invariant(work, activity, other, shape, back, places, caseworkers, inflow):
    scenario = BASE.with_changes({
        "transitions.assistance.employment": {"rate": work, "shape": shape},
        "transitions.assistance.municipal_activity.rate": activity,
        "transitions.assistance.other_exit.rate": other,
        "transitions.employment.assistance.rate": back,
        "capacity.municipal_activity_places": places,
        "capacity.caseworkers": caseworkers,
        "population.inflow_per_year": inflow,
    })  # fmt: skip
    horizon = 18.0
    output = Model(scenario, Streams(7, 0), scale=0.002, horizon=horizon).run()
    spells, persons = output.spells, output.population.to_frame()
    assert (spells["end"] >= spells["start"]).all()
    record = Record(scenario, spells, persons, horizon)
    table = record.budget
    checks = conservation_checks(output, scenario) + cost_checks(record) + norm_checks(table, persons)
    failed = [c for c in checks if not c.passed]
    assert not failed, failed
    assert not math.isnan(float(table["assistance_sek"].sum()))
