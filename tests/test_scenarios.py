"""Every shipped scenario is valid, names itself after its file, says what it is, and runs."""

from __future__ import annotations

import pytest

from sim.experiments.runner import run
from sim.experiments.settings import RunSettings
from sim.scenario import load_scenario
from tests.conftest import ROOT

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_the_set_covers_the_designs():
    """The shipped set includes the baseline, the reform and each design of the source documents."""
    names = {p.stem for p in SHIPPED}
    assert {
        "baseline", "reform_2026", "activity_support_223", "requirement_sequential", "requirement_parallel",
        "requirement_parallel_childcare", "requirement_parallel_childcare_joint_digital",
        "combined_programme", "combined_programme_childcare", "kvp_like",
    } <= names  # fmt: skip


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_scenario_is_valid_described_and_runs(path):
    """Loads, is named after its file, has a description, and one small replication runs."""
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert scenario.description.strip()
    results = run(scenario, RunSettings(replications=1, scale=0.002, months=12))
    assert not results.metrics.empty


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.stem != "baseline"], ids=lambda p: p.stem)
def test_scenario_extends_the_baseline(path):
    """Each design is written as a change to the baseline (directly or through another design)."""
    text = path.read_text(encoding="utf-8")
    assert "extends:" in text
