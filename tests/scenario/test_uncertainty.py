"""Distributions written beside parameter values: parsing, checking, and where they end up."""

from __future__ import annotations

import math

import pytest

from sim.errors import ScenarioErrors
from sim.scenario import load_scenario
from sim.scenario.uncertainty import parse_distribution


@pytest.mark.parametrize(
    ("raw", "mean", "sd"),
    [
        ({"type": "normal", "mean": 2.0, "sd": 0.5}, 2.0, 0.5),
        ({"type": "lognormal", "mean": 2.0, "sd": 0.5}, 2.0, 0.5),
        ({"type": "beta", "mean": 0.3, "sd": 0.05}, 0.3, 0.05),
        ({"type": "gamma", "mean": 2.0, "sd": 0.5}, 2.0, 0.5),
        ({"type": "uniform", "low": 1.0, "high": 3.0}, 2.0, 2.0 / math.sqrt(12)),
        ({"type": "triangular", "low": 0.0, "mode": 1.0, "high": 2.0}, 1.0, math.sqrt(4 / 24)),
    ],
)
def test_parameters_are_in_the_natural_scale(raw, mean, sd):
    """Mean and sd of the built distribution are the ones written (exact moments, not samples)."""
    frozen = parse_distribution(raw).frozen()
    assert frozen.mean() == pytest.approx(mean, rel=1e-9)
    assert frozen.std() == pytest.approx(sd, rel=1e-9)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"type": "poisson", "mean": 1}, "type must be one of"),
        ({"type": "beta", "mean": 0.5, "sd": 0.6}, "too large for mean"),
        ({"type": "uniform", "low": 2, "high": 1}, "low must be below high"),
        ({"type": "normal", "mean": 1, "sd": 1, "shape": 2}, "unknown: shape"),
        ({"type": "gamma", "mean": -1, "sd": 1}, "mean must be positive"),
        ({"type": "normal", "mean": "x", "sd": 1}, "mean must be a finite number"),
    ],
)
def test_bad_distributions_are_refused(raw, words):
    with pytest.raises(ValueError, match=words):
        parse_distribution(raw)


def test_a_distribution_in_a_file_is_kept_on_its_parameter_and_round_trips(tmp_path):
    from tests.conftest import BASELINE

    path = tmp_path / "s.yaml"

    path.write_text(
        f"extends: {BASELINE}\nname: uncertain\npopulation:\n  frailty_variance:\n    value: 0.5\n"
        "    note: assumed\n    distribution: {type: uniform, low: 0.25, high: 0.75}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert scenario.distributions()["population.frailty_variance"].describe() == "uniform(low=0.25, high=0.75)"
    again = tmp_path / "again.yaml"
    again.write_text(scenario.to_yaml(), encoding="utf-8")
    assert load_scenario(again).distributions() == scenario.distributions()


def test_a_bad_distribution_in_a_file_names_file_line_and_key(tmp_path):
    from tests.conftest import BASELINE

    path = tmp_path / "bad.yaml"
    path.write_text(
        f"extends: {BASELINE}\nname: bad\npopulation:\n  frailty_variance:\n    value: 0.5\n"
        "    distribution: {type: beta, mean: 1.5, sd: 0.1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioErrors) as caught:
        load_scenario(path)
    assert f"{path}:6: population.frailty_variance.distribution: distribution beta: mean must be between 0 and 1" in str(
        caught.value
    )
