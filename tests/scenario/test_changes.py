"""Changing a scenario in Python, and writing it back as YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioErrors
from sim.scenario import load_scenario


def test_with_changes_sets_values_and_leaves_the_original_alone(baseline):
    changed = baseline.with_changes({"name": "full_time", "policies.childcare.full_time": True,
                                     "population.inflow_per_year": 50_000})
    assert changed.name == "full_time" and changed.policies.childcare.full_time
    assert changed.population.inflow_per_year == 50_000
    assert baseline.name == "baseline" and not baseline.policies.childcare.full_time
    assert changed.population.women_share == baseline.population.women_share


def test_changed_values_are_assumptions_unless_a_source_is_given(baseline):
    plain = baseline.with_changes({"population.inflow_per_year": 50_000})
    record = next(p for p in plain.provenance if p.path == "population.inflow_per_year")
    assert record.is_assumption and record.file == "with_changes" and "with_changes" in (record.note or "")
    cited = baseline.with_changes({"population.inflow_per_year": 50_000}, source="SCB 2026")
    assert next(p for p in cited.provenance if p.path == "population.inflow_per_year").source == "SCB 2026"
    untouched = next(p for p in cited.provenance if p.path == "population.women_share")
    assert untouched.source and untouched.file.endswith("baseline_prior.yaml")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"population.women_shar": 0.5}, "with_changes: population.women_shar: unknown key 'women_shar'; did you mean 'women_share'?"),
        ({"population.women_share": 1.5}, "with_changes: population.women_share: must be at most 1"),
        ({"policies.pathway.mode": "sideways"}, "with_changes: policies.pathway.mode:"),
        ({"population.women_share.x": 1}, "with_changes: population.women_share.x: 'population.women_share' holds a value"),
    ],
)
def test_bad_changes_give_the_messages_a_file_would(baseline, changes, message):
    with pytest.raises(ScenarioErrors) as caught:
        baseline.with_changes(changes)
    assert message in str(caught.value)


def test_to_yaml_round_trips_values_and_sources(baseline, tmp_path):
    path = tmp_path / "copy.yaml"
    path.write_text(baseline.to_yaml(), encoding="utf-8")
    again = load_scenario(path)
    exclude = {"provenance", "source_file"}
    assert again.model_dump(exclude=exclude) == baseline.model_dump(exclude=exclude)
    sources = {p.path: (p.source, p.note) for p in baseline.provenance}
    assert {p.path: (p.source, p.note) for p in again.provenance} == sources
    assert "extends" not in path.read_text(encoding="utf-8")


def test_every_shipped_scenario_round_trips(tmp_path):
    for file in sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml")):
        scenario = load_scenario(file)
        path = tmp_path / file.name
        path.write_text(scenario.to_yaml(), encoding="utf-8")
        exclude = {"provenance", "source_file"}
        assert load_scenario(path).model_dump(exclude=exclude) == scenario.model_dump(exclude=exclude), file.name
