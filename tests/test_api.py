"""The notebook API: sim.run, sim.compare, sim.sweep, lazy spells and reports."""

from __future__ import annotations

import sim
from tests.conftest import BASELINE

SMALL = {"replications": 2, "scale": 0.002, "months": 12}


def test_run_accepts_a_path_and_keyword_settings():
    results = sim.run(BASELINE, **SMALL)
    assert results.settings.replications == 2 and results.settings.scale == 0.002
    assert set(results.metrics["replication"]) == {0, 1}


def test_spells_are_simulated_again_on_first_use_and_equal_the_kept_ones(baseline):
    kept = sim.run(baseline, save_spells=True, **SMALL)
    lazy = sim.run(baseline, **SMALL)
    assert lazy.spell_table is None
    assert lazy.spells.equals(kept.spells)


def test_compare_and_reports(baseline, tmp_path):
    parallel = baseline.with_changes({"name": "parallel", "policies.pathway.mode": "parallel"})
    comparison = sim.compare([baseline, parallel], **SMALL)
    assert comparison.names == ["baseline", "parallel"]
    page = sim.write_report(comparison, tmp_path / "comparison.html", lang="en")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    single = sim.write_report(comparison.base, tmp_path / "baseline.html")
    assert "baseline" in single.read_text(encoding="utf-8")


def test_sweep_runs_every_grid_point_on_common_random_numbers(baseline):
    grid = sim.sweep(baseline, {"activity.usual_hours.municipal_activity": [20, 40],
                                "policies.pathway.mode": ["sequential", "parallel"]}, **SMALL)
    assert grid["point"].nunique() == 4
    assert list(grid.columns[:3]) == ["point", "activity.usual_hours.municipal_activity", "policies.pathway.mode"]
    # Point 0 holds the baseline's own values: on the same seed it is the baseline run, exactly.
    assert baseline.activity.usual_hours["municipal_activity"] == 20
    point = grid[grid["point"] == 0].reset_index(drop=True)
    plain = sim.run(baseline, **SMALL).summary
    assert point["mean"].equals(plain["mean"])


def test_the_readme_example_runs(monkeypatch):
    """The Python block under "In Jupyter" in the README runs as written (from the repository root)."""
    from tests.conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## In Jupyter", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    (ROOT / "results").mkdir(exist_ok=True)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    assert (ROOT / "results" / "baseline.html").is_file()
    assert sim.load_scenario(ROOT / "results" / "parallel.yaml").policies.pathway.mode == "parallel"


def test_library_errors_name_the_argument_not_the_option(baseline):
    """sim.compare(precision=…) and sim.run(replications=…) say which argument is wrong, in the library's words."""
    import pytest

    from sim.errors import ArgumentError

    parallel = baseline.with_changes({"name": "parallel", "policies.pathway.mode": "parallel"})
    with pytest.raises(ArgumentError, match=r"^precision: unknown metric 'employment_rate_25m'") as caught:
        sim.compare([baseline, parallel], precision={"employment_rate_25m": 0.01}, **SMALL)
    assert caught.value.argument == "precision" and "--" not in str(caught.value)
    with pytest.raises(ArgumentError) as caught:
        sim.run(baseline, replications=0, scale=2.0)
    assert caught.value.problems == (("replications", "must be from 1 to 10000 (got 0)"), ("scale", "must be in (0, 1] (got 2.0)"))
    with pytest.raises(ArgumentError, match="settings"):
        sim.run(baseline, replications=2, settings=sim.RunSettings(replications=3))


def test_public_api_is_pinned():
    """`sim.__all__` is the documented public API: adding or removing a name is a decision, not an accident."""
    assert sorted(sim.__all__) == [
        "Comparison", "Results", "RunSettings", "Scenario", "__version__", "compare", "household", "load_scenario",
        "psa", "run", "save", "sensitivity", "sweep", "write_report",
    ]
    assert all(hasattr(sim, name) for name in sim.__all__)


def test_save_writes_the_folder_the_command_line_writes(baseline, tmp_path):
    """sim.save(results, folder) is what `sim run` writes: the tables, the report, and the manifest last."""
    results = sim.run(baseline, **SMALL)
    folder = sim.save(results, tmp_path / "run", lang="en")
    names = {p.name for p in folder.iterdir()}
    assert {"metrics.csv", "summary.csv", "costs.csv", "assumptions.csv", "manifest.json", "report.html"} <= names
    assert (folder / "metrics.csv").read_text() == results.metrics.to_csv(index=False)
    parallel = baseline.with_changes({"name": "parallel", "policies.pathway.mode": "parallel"})
    compared = sim.save(sim.compare([baseline, parallel], **SMALL), tmp_path / "compare")
    assert (compared / "comparison.csv").is_file() and (compared / "parallel" / "manifest.json").is_file()
