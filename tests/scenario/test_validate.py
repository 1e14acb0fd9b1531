"""Tests of scenario validation: the shipped baseline loads, bad files give precise errors."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

from sim.errors import ScenarioErrors
from sim.scenario import DatedSeries, Scenario, load_scenario
from sim.scenario.loading import validate_tree
from sim.scenario.yaml_io import load_tree
from sim.states import State

HERE = Path(__file__).parent
BASELINE = HERE.parents[1] / "scenarios" / "baseline.yaml"
PRIOR = HERE.parents[1] / "calibration" / "baseline_prior.yaml"
BAD = HERE / "bad"
GOOD = HERE / "good"

# (file in bad/, file:line the error is reported at, key path, expected message fragment)
BAD_CASES = [
    ("syntax_error.yaml", "syntax_error.yaml:4", "", "YAML syntax error: expected ',' or ']'"),
    ("tab_indent.yaml", "tab_indent.yaml:4", "", "tab character found"),
    ("duplicate_key.yaml", "duplicate_key.yaml:6",
     "population.women_share", "duplicate key 'women_share'"),
    ("unknown_top_key.yaml", "unknown_top_key.yaml:3", "populaton", "did you mean 'population'?"),
    ("misspelt_nested_key.yaml", "misspelt_nested_key.yaml:4", "population.women_shar",
     "unknown key 'women_shar'; did you mean 'women_share'?"),
    ("unknown_state.yaml", "unknown_state.yaml:5", "transitions.assistance.employmnet",
     "unknown key 'employmnet'; did you mean 'employment'?"),
    ("wrong_type.yaml", "wrong_type.yaml:4",
     "caseworker.assessment_hours", "expected a number, got 'abc'"),
    ("negative_rate.yaml", "negative_rate.yaml:6", "transitions.assistance.studies.rate",
     "must be at least 0 (got -0.2)"),
    ("probability_above_one.yaml", "probability_above_one.yaml:4", "population.women_share",
     "must be at most 1 (got 1.5)"),
    ("negative_capacity.yaml", "negative_capacity.yaml:4",
     "capacity.caseworkers", "must be at least 0 (got -10)"),
    ("nan_value.yaml", "nan_value.yaml:4",
     "population.frailty_variance", "must be a finite number (got nan)"),
    ("inf_value.yaml", "inf_value.yaml:4",
     "caseworker.hours_per_month", "must be a finite number (got inf)"),
    ("dates_out_of_order.yaml", "dates_out_of_order.yaml:7", "allowances.activity_support_per_day",
     "dates must be in ascending order"),
    ("python_tag.yaml", "python_tag.yaml:2",
     "name", "the tag '!!python/object/apply:os.system' is not allowed"),
    ("empty.yaml", "empty.yaml", "", "the file is empty"),
    ("top_level_list.yaml", "top_level_list.yaml:1", "", "the top level must be a mapping"),
    ("shares_not_summing.yaml", "shares_not_summing.yaml:5", "population.household_shares.women",
     "must sum to 1 (they sum to 1.1)"),
    ("scale_above_one.yaml", "scale_above_one.yaml:4",
     "simulation.scale", "must be at most 1 (got 1.5)"),
    ("scale_zero.yaml", "scale_zero.yaml:4", "simulation.scale", "must be greater than 0 (got 0)"),
    ("months_zero.yaml", "months_zero.yaml:4", "simulation.months", "must be at least 1 (got 0)"),
    ("empty_population.yaml", "empty_population.yaml:3", "population", "the population is empty"),
    ("disallowed_transition.yaml", "disallowed_transition.yaml:5", "transitions.employment.studies",
     "no transition from employment to studies"),
    ("source_not_text.yaml", "source_not_text.yaml:6",
     "population.women_share.source", "source must be text"),
    ("extends_missing.yaml", "extends_missing.yaml:3",
     "extends", "file 'no_such_file.yaml' not found"),
    ("extends_not_yaml.yaml", "extends_not_yaml.yaml:3",
     "extends", "can only extend a .yaml or .yml file"),
    ("cycle_a.yaml", "cycle_b.yaml:2", "extends", "cycle: "),
    ("unknown_policy.yaml", "unknown_policy.yaml:4", "policies.childcar",
     "unknown key 'childcar'; did you mean 'childcare'?"),
    ("absurd_population.yaml", "absurd_population.yaml:4", "population.inflow_per_year",
     "must be at most 5000000"),
    ("bad_distribution.yaml", "bad_distribution.yaml:6", "population.frailty_variance.distribution",
     "low must be below high"),
    # No value is silently reinterpreted (issue 13): each of these used to load with `ok`.
    ("bool_as_share.yaml", "bool_as_share.yaml:4", "population.women_share",
     "expected a number, got the boolean true"),
    ("bool_as_capacity.yaml", "bool_as_capacity.yaml:4", "capacity.caseworkers",
     "expected a whole number, got the boolean false"),
    ("bool_as_months.yaml", "bool_as_months.yaml:4", "simulation.months", "expected a whole number, got the boolean"),
    ("underscore_number.yaml", "underscore_number.yaml:4", "population.women_share", "expected a number, got '1_0'"),
    ("sexagesimal_number.yaml", "sexagesimal_number.yaml:4", "population.inflow_per_year",
     "expected a number, got '1:30'"),
    ("number_as_date.yaml", "number_as_date.yaml:4", "simulation.start_date", "expected a date YYYY-MM-DD, got int 0"),
    ("year_9999.yaml", "year_9999.yaml:4", "simulation.start_date", "the year 9999 is outside 1900–2200"),
    ("datetime_in_series.yaml", "datetime_in_series.yaml:4", "allowances.activity_support_per_day",
     "got a date and time"),
    ("huge_number.yaml", "huge_number.yaml:5", "population.rent_per_month.single",
     "is too large to be a number of this model"),
    ("huge_rate.yaml", "huge_rate.yaml:6", "transitions.assistance.studies.rate", "must be at most 10000"),
    ("huge_amount.yaml", "huge_amount.yaml:5", "population.rent_per_month.single", "must be at most 1000000000"),
    ("path_as_name.yaml", "path_as_name.yaml:3", "name", "must be letters, digits, '_' and '-'"),
    ("absolute_name.yaml", "absolute_name.yaml:3", "name", "got '/tmp/elsewhere'"),
    ("empty_name.yaml", "empty_name.yaml:3", "name", "got ''"),
    ("nul_in_name.yaml", "nul_in_name.yaml:3", "name", "got 'base\\x00line'"),
    ("invisible_key.yaml", "invisible_key.yaml:4", "population.women\\u200b_share",
     "unknown key 'women\\u200b_share'; did you mean 'women_share'?"),
    ("huge_source.yaml", "huge_source.yaml:4", "population.source", "source is 3000 characters; at most 2000"),
    ("zero_caseworkers.yaml", "zero_caseworkers.yaml:4", "capacity.caseworkers", "0 caseworkers could never assess"),
    ("months_too_many.yaml", "months_too_many.yaml:4", "simulation.months", "must be at most 600 (got 100000)"),
    ("deep_01.yaml", "deep_16.yaml:1", "extends", "more than 16 files extend one another"),
]


def scenario_error(path: Path) -> ScenarioErrors:
    """The ScenarioErrors raised by loading ``path``."""
    with pytest.raises(ScenarioErrors) as caught:
        load_scenario(path)
    return caught.value


@pytest.mark.parametrize(
    ("name", "where", "key_path", "fragment"), BAD_CASES, ids=[case[0] for case in BAD_CASES]
)
def test_bad_file_reports_file_line_path_and_message(
    name: str, where: str, key_path: str, fragment: str
) -> None:
    """Each malformed file gives one error naming its file, line, key path and what was expected."""
    errors = scenario_error(BAD / name)
    assert len(errors) == 1, str(errors)
    text = str(errors)
    prefix = f"{where}: {key_path}: " if key_path else f"{where}: "
    assert prefix in text
    assert fragment in text.split(prefix, 1)[1]


def test_baseline_loads_with_provenance() -> None:
    """The shipped baseline validates and records sourced parameters and assumptions."""
    scenario = load_scenario("scenarios/baseline.yaml")
    assert isinstance(scenario, Scenario)
    assert scenario.name == "baseline"
    assert scenario.source_file == "scenarios/baseline.yaml"
    assert isinstance(scenario.norm.child_0, DatedSeries)
    records = {record.path: record for record in scenario.provenance}
    assert records["population.women_share"].source
    # Through extends: the prior holds the sourced structure, the overlay the calibrated values.
    assert records["population.women_share"].file == "calibration/baseline_prior.yaml"
    assert records["norm.child_0"].source
    inflow = records["population.inflow_per_year"]
    assert not inflow.is_assumption and inflow.source.startswith("Calibrated")
    assert inflow.file == "calibration/baseline/calibrated.yaml"
    assert records["population.initial_households"].source
    assert records["covariate_effects.born_abroad"].is_assumption
    assert scenario.assumptions()
    assert not any(path.startswith(("targets.", "simulation.")) for path in records)


def test_every_parameter_cites_a_source_or_a_note() -> None:
    """In the baseline, no parameter is left without a source or a note."""
    scenario = load_scenario(BASELINE)
    undescribed = [
        record.path for record in scenario.provenance if not (record.source or record.note)
    ]
    assert undescribed == []


def test_extends_overrides_baseline_values() -> None:
    """A child overrides single leaves and lists; the rest of the baseline is kept."""
    baseline = load_scenario(BASELINE)
    child = load_scenario(GOOD / "override.yaml")
    assert child.name == "override"
    assert child.population.women_share == 0.5
    assert child.population.born_abroad_share == baseline.population.born_abroad_share
    assert child.covariate_effects.applies_to == (State.EMPLOYMENT,)
    employment = child.transitions[State.ASSISTANCE][State.EMPLOYMENT]
    assert employment.rate == 0.05
    assert employment.shape == baseline.transitions[State.ASSISTANCE][State.EMPLOYMENT].shape
    assert child.allowances.activity_support_per_day.values == (400.0,)


def test_extends_provenance_points_at_the_child() -> None:
    """Overridden values belong to the child file and line; unsourced ones are assumptions."""
    records = {record.path: record for record in load_scenario(GOOD / "override.yaml").provenance}
    women = records["population.women_share"]
    assert (Path(women.file).name, women.line, women.is_assumption) == ("override.yaml", 5, True)
    support = records["allowances.activity_support_per_day"]
    assert (Path(support.file).name, support.source) == ("override.yaml", "Hypothetical reform.")
    assert Path(records["population.born_abroad_share"].file).name == "baseline_prior.yaml"


def test_several_errors_are_all_reported() -> None:
    """Independent mistakes in one file are reported together, in line order."""
    errors = scenario_error(BAD / "several_errors.yaml")
    assert [(error.line, error.path) for error in errors] == [
        (4, "simulation.months"),
        (6, "population.women_share"),
        (8, "capacity.caseworkers"),
    ]
    assert "expected a whole number, got 'many'" in str(errors)


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    """A scenario saved in Latin-1 is an error at the line of the first bad byte."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: x\n\ndescription: Före\n".encode("latin-1"))
    expected = "latin1.yaml:3: the file is not valid UTF-8 text (byte 0xf6)"
    assert expected in str(scenario_error(path))


def test_eleven_megabyte_file_is_refused(tmp_path: Path) -> None:
    """A file larger than 10 MB is refused with its size, quickly."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (11 * 1024 * 1024))
    started = time.perf_counter()
    assert "big.yaml: the file is 11.0 MB" in str(scenario_error(path))
    assert time.perf_counter() - started < 0.5


def test_hundred_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A 100 MB file (sparse: nothing is written) is refused by its size, before any parsing."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)
    started = time.perf_counter()
    assert "huge.yaml: the file is 100.0 MB" in str(scenario_error(path))
    assert time.perf_counter() - started < 0.5


def test_validate_tree_checks_an_in_memory_tree() -> None:
    """validate_tree reports errors against the line map it is given."""
    loaded = load_tree(PRIOR)
    tree = copy.deepcopy(loaded.tree)
    tree["population"]["women_share"] = float("inf")
    tree["population"]["born_abroad_share"] = -0.5
    with pytest.raises(ScenarioErrors) as caught:
        validate_tree(tree, loaded.lines, loaded.provenance, "memory.yaml")
    messages = [(error.path, error.message) for error in caught.value]
    assert ("population.women_share", "must be a finite number (got inf)") in messages
    assert ("population.born_abroad_share", "must be at least 0 (got -0.5)") in messages
    assert {error.file for error in caught.value} == {str(PRIOR)}


def test_validate_tree_without_lines_names_the_file() -> None:
    """Without line information an error still names the file and the key path."""
    tree = {"name": "x", "populaton": {}}
    with pytest.raises(ScenarioErrors) as caught:
        validate_tree(tree, {}, [], "memory.yaml")
    text = str(caught.value)
    assert "memory.yaml: populaton: unknown key 'populaton'; did you mean 'population'?" in text
    assert "memory.yaml: simulation: missing required key" in text


def test_reserved_keys_cannot_be_set_in_a_file() -> None:
    """provenance and source_file are filled in by the loader, not by scenario files."""
    loaded = load_tree(BASELINE)
    tree = {**loaded.tree, "source_file": "elsewhere.yaml"}
    with pytest.raises(ScenarioErrors) as caught:
        validate_tree(tree, loaded.lines, loaded.provenance, "memory.yaml")
    assert [error.message for error in caught.value] == ["unknown key 'source_file'"]
