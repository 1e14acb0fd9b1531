"""Comparing designs: common random numbers by construction, and what they gain."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import UsageError
from sim.experiments.compare import compare, parameter_changes
from sim.experiments.settings import RunSettings
from sim.scenario import load_scenario
from tests.conftest import ROOT, variant

SMALL = RunSettings(replications=3, scale=0.005, months=24)


def test_a_cost_only_change_leaves_every_path_identical(baseline):
    """Full synchronisation: a change that alters no behaviour gives exactly zero differences outside costs."""
    dearer = variant(baseline, {"name": "dearer", "costs.municipal_activity_per_month": 20000})
    c = compare([baseline, dearer], SMALL)
    diff = c.differences.set_index("metric")["diff"]
    behaviour = diff[~diff.index.str.startswith(("cost", "net_cost"))]
    assert np.nan_to_num(behaviour.to_numpy()).tolist() == [0.0] * len(behaviour)
    assert (diff.loc["cost_municipality_sek"] > 0).all()


def test_the_table_has_the_promised_columns_and_the_base_has_no_difference(baseline):
    """comparison.csv's columns; the base scenario's difference columns are empty."""
    alt = load_scenario(ROOT / "scenarios" / "activity_support_223.yaml")
    c = compare([baseline, alt], SMALL)
    for column in ("metric", "subgroup", "scenario", "mean", "ci_low", "ci_high", "diff_vs_base", "diff_ci_low", "diff_ci_high"):
        assert column in c.table.columns
    assert c.table.loc[c.table["scenario"] == "baseline", "diff_vs_base"].isna().all()
    state = c.table[(c.table["metric"] == "cost_state_sek") & (c.table["subgroup"] == "all")]
    assert float(state.loc[state["scenario"] == alt.name, "diff_vs_base"].iloc[0]) < 0


def test_what_differs_lists_each_changed_parameter_with_its_sources(baseline):
    """The parameter table names the changed parameter, both values and both sources."""
    alt = load_scenario(ROOT / "scenarios" / "activity_support_223.yaml")
    changes = parameter_changes(baseline, alt)
    row = changes[changes["parameter"] == "allowances.activity_support_per_day"].iloc[0]
    assert "365" in row["base_value"] and "365" not in row["value"]
    assert "223" in row["source"] and row["base_source"]


def test_a_scenario_that_changes_nothing_is_an_error(baseline):
    """Comparing a scenario with an identical copy of itself is refused, plainly."""
    same = variant(baseline, {"name": "copy"})
    with pytest.raises(UsageError, match="changes nothing"):
        compare([baseline, same], SMALL)


@pytest.mark.statistical
def test_common_random_numbers_shrink_the_variance_of_a_difference(baseline):
    """Paired (CRN) differences vary far less than differences of independent runs.

    employment_rate_24m, requirement_parallel vs baseline, 8 replications each way. The
    true ratio is about 0.05 (measured); the assertion asks for < 0.5, and an F(7, 7) ratio
    exceeds 10 with probability below 0.5 %.
    """
    alt = load_scenario(ROOT / "scenarios" / "requirement_parallel.yaml")
    settings = RunSettings(replications=8, scale=0.005, months=36)
    crn = compare([baseline, alt], settings)
    independent = compare([baseline, alt], settings, independent=True)

    def paired(c):
        v = c.variance
        return float(v[(v["metric"] == "employment_rate_24m") & (v["subgroup"] == "all")]["var_paired"].iloc[0])

    assert paired(crn) < 0.5 * paired(independent)


# ----------------------------------------------------------------------------- precision targets

TINY = RunSettings(replications=2, scale=0.003, months=24)


def _reform(baseline):
    return variant(baseline, {"name": "faster_work", "transitions.assistance.employment.rate": 0.2})


def test_precision_adds_replications_until_the_interval_is_narrow_enough(baseline):
    wide = compare([baseline, _reform(baseline)], TINY, precision={"employment_rate_24m": 0.02},
                   max_replications=40)
    rounds = wide.precision
    assert rounds is not None and rounds["round"].tolist() == sorted(rounds["round"].tolist())
    last = rounds[rounds["round"] == rounds["round"].max()]
    assert last["met"].all()
    n = int(last["replications"].iloc[0])
    assert n > 2 and wide.base.settings.replications == n
    assert sorted(wide.base.metrics["replication"].unique()) == list(range(n))
    # The answer depends only on how many replications were run: a plain run of n gives the same table.
    plain = compare([baseline, _reform(baseline)], RunSettings(replications=n, scale=0.003, months=24))
    assert plain.differences.equals(wide.differences)
    row = wide.table.query("metric == 'employment_rate_24m' and subgroup == 'all' and scenario == 'faster_work'")
    assert float(row["diff_ci_high"].iloc[0] - row["diff_vs_base"].iloc[0]) <= 0.02 + 1e-12


def test_precision_not_reached_stops_at_the_maximum_and_says_so(baseline):
    done = compare([baseline, _reform(baseline)], TINY, precision={"employment_rate_24m": 1e-6},
                   max_replications=5)
    last = done.precision[done.precision["round"] == done.precision["round"].max()]
    assert not last["met"].any() and int(last["replications"].iloc[0]) == 5


@pytest.mark.parametrize(
    ("items", "words"),
    [
        (["employment_rate_24"], "expected METRIC=HALFWIDTH"),
        (["employment_rate_24=0.01"], "did you mean 'employment_rate_24m'"),
        (["employment_rate_24m=-1"], "must be a positive number"),
        (["employment_rate_24m=abc"], "expected METRIC=HALFWIDTH"),
    ],
)
def test_bad_precision_targets_are_refused_with_a_clear_message(items, words):
    from sim.cli import parse_precision

    with pytest.raises(UsageError, match=words):
        parse_precision(items)


def test_several_precision_targets_in_one_option():
    from sim.cli import parse_precision

    assert parse_precision(["employment_rate_24m=0.005,cost_total_sek=1e8"]) == {
        "employment_rate_24m": 0.005, "cost_total_sek": 1e8,
    }  # fmt: skip
