"""The command line: what a user types and what they get back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.conftest import BASELINE, ROOT


def sim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_run_writes_the_results_folder_and_prints_a_summary(tmp_path):
    """`sim run` writes every promised file and prints the folder, headline metrics and targets."""
    out = tmp_path / "base"
    done = sim("run", str(BASELINE), "--replications", "2", "--scale", "0.004", "--months", "24", "--out", str(out))
    assert done.returncode == 0, done.stderr
    for name in ("metrics.csv", "summary.csv", "occupancy.parquet", "costs.csv", "manifest.json", "assumptions.csv"):
        assert (out / name).exists(), name
    assert str(out) in done.stdout
    assert "long_term_share" in done.stdout and "calibration target" in done.stdout
    metrics = pd.read_csv(out / "metrics.csv")
    assert list(metrics.columns) == ["replication", "metric", "subgroup", "value"]
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == ["metric", "subgroup", "mean", "sd", "ci_low", "ci_high", "n"]
    assert set(summary["subgroup"]) >= {"all", "women", "men", "born_sweden", "born_abroad", "single_parent"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 20250101 and manifest["replications"] == 2
    assert len(manifest["scenario_sha256"]) == 64
    assert manifest["assumptions"], "the baseline has assumptions and the manifest must list them"
    assert any(s.get("source") for s in manifest["sources"])


def test_same_seed_same_metrics_file(tmp_path):
    """Rerunning with the same seed reproduces metrics.csv byte for byte, with 1 or 2 workers."""
    common = ("--replications", "2", "--scale", "0.003", "--months", "12", "--seed", "3")
    a = sim("run", str(BASELINE), *common, "--out", str(tmp_path / "a"))
    b = sim("run", str(BASELINE), *common, "--workers", "2", "--out", str(tmp_path / "b"))
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert (tmp_path / "a" / "metrics.csv").read_bytes() == (tmp_path / "b" / "metrics.csv").read_bytes()


def test_validate_prints_ok_for_the_baseline():
    """`sim validate` on a good file prints ok and exits 0."""
    done = sim("validate", str(BASELINE))
    assert done.returncode == 0 and done.stdout.strip() == "ok"


def test_validate_reports_a_bad_file_with_exit_2_and_no_traceback(tmp_path):
    """A broken scenario gives FILE:LINE: key.path: message on stderr, exit 2, no traceback."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASELINE}\npopulation:\n  women_share: 1.5\n", encoding="utf-8")
    done = sim("validate", str(bad))
    assert done.returncode == 2
    assert "bad.yaml:3: population.women_share" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_options_exit_2_with_a_message(tmp_path):
    """Out-of-range options are refused with a clear message and exit 2."""
    done = sim("run", str(BASELINE), "--scale", "1.5", "--out", str(tmp_path / "x"))
    assert done.returncode == 2
    assert "--scale" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()


def test_missing_scenario_file_is_a_clear_error(tmp_path):
    """A scenario path that does not exist gives a one-line error and exit 2."""
    done = sim("validate", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2 and "nope.yaml" in done.stderr and "Traceback" not in done.stderr


def test_compare_writes_every_output(tmp_path):
    """`sim compare` writes comparison.csv/.xlsx, the report, the tables and each scenario's folder."""
    out = tmp_path / "cmp"
    alt = ROOT / "scenarios" / "activity_support_223.yaml"
    done = sim(
        "compare", str(BASELINE), str(alt), "--replications", "2", "--scale", "0.003", "--months", "12",
        "--out", str(out), "--lang", "en",
    )
    assert done.returncode == 0, done.stderr
    for name in ("comparison.csv", "comparison.xlsx", "report.html", "differences.csv", "variance.csv", "changes.csv"):
        assert (out / name).exists(), name
    for scenario in ("baseline", "activity_support_223"):
        assert (out / scenario / "metrics.csv").exists()
    table = pd.read_csv(out / "comparison.csv")
    assert {"metric", "subgroup", "scenario", "mean", "ci_low", "ci_high", "diff_vs_base", "diff_ci_low", "diff_ci_high"} <= set(table.columns)
    assert "var. ratio" in done.stdout


def test_compare_refuses_a_scenario_that_changes_nothing(tmp_path):
    """Comparing the baseline with itself is an error said plainly, exit 2, nothing written."""
    copy = tmp_path / "copy.yaml"
    copy.write_text(f"extends: {BASELINE}\nname: copy\n", encoding="utf-8")
    done = sim("compare", str(BASELINE), str(copy), "--scale", "0.003", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "changes nothing" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_list_prints_every_shipped_scenario():
    """`sim list` names every YAML file in scenarios/ with its description."""
    done = sim("list")
    assert done.returncode == 0
    names = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert names == {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}


def test_verify_quick_markov_passes():
    """`sim verify markov --quick` prints the checks and exits 0."""
    done = sim("verify", "markov", "--quick")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pass" in done.stdout


def test_a_folder_with_another_scenario_is_not_overwritten_without_force(tmp_path):
    """Results of another scenario in --out are kept unless --force is given; the same run may rewrite them."""
    out = tmp_path / "r"
    small = ("--replications", "1", "--scale", "0.002", "--months", "6", "--out", str(out))
    assert sim("run", str(BASELINE), *small).returncode == 0
    assert sim("run", str(BASELINE), *small).returncode == 0
    other = sim("run", str(ROOT / "scenarios" / "activity_support_223.yaml"), *small)
    assert other.returncode == 2 and "--force" in other.stderr and "Traceback" not in other.stderr
    assert json.loads((out / "manifest.json").read_text())["scenario"] == "baseline"
    forced = sim("run", str(ROOT / "scenarios" / "activity_support_223.yaml"), *small, "--force")
    assert forced.returncode == 0
    assert json.loads((out / "manifest.json").read_text())["scenario"] == "activity_support_223"


def test_calibrate_reproduce_takes_its_settings_from_the_record_only(tmp_path):
    """--reproduce reruns what the folder records; other inputs are refused, a missing record is exit 2."""
    done = sim("calibrate", "--reproduce", "calibration/baseline", "--scale", "0.5")
    assert done.returncode == 2 and "drop --scale" in done.stderr and "Traceback" not in done.stderr
    done = sim("calibrate", "--reproduce", str(tmp_path))
    assert done.returncode == 2 and "calibration.yaml: cannot read" in done.stderr
    done = sim("calibrate")
    assert done.returncode == 2 and "give a scenario file" in done.stderr


def test_sensitivity_writes_indices_points_and_page(tmp_path):
    out = tmp_path / "oneway"
    done = sim("sensitivity", str(BASELINE), "--method", "oneway", "--params",
               "activity.hours_independent_share,population.frailty_variance=0.3:0.7",
               "--metric", "employment_rate_12m",  # the default, employment_rate_24m, is undefined in 12 months
               "--replications", "1", "--scale", "0.002", "--months", "12", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {"sensitivity.csv", "points.csv", "sensitivity.html", "manifest.json"}
    table = pd.read_csv(out / "sensitivity.csv")
    assert set(table["path"]) == {"activity.hours_independent_share", "population.frailty_variance"}


def test_sensitivity_with_an_unknown_metric_is_exit_2(tmp_path):
    done = sim("sensitivity", str(BASELINE), "--method", "sobol", "--metric", "happiness", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "unknown metric 'happiness'" in done.stderr and "Traceback" not in done.stderr


def test_run_with_psa_writes_the_psa_tables(tmp_path):
    out = tmp_path / "psa"
    done = sim("run", str(BASELINE), "--replications", "1", "--scale", "0.002", "--months", "12", "--psa", "3",
               "--out", str(out))
    assert done.returncode == 0, done.stderr
    metrics = pd.read_csv(out / "psa_metrics.csv")
    assert set(metrics["draw"]) == {0, 1, 2}
    assert (out / "psa.html").is_file() and (out / "psa_draws.csv").is_file()


def test_verify_initial_without_rates_names_the_options():
    """`sim verify --initial` without `--rates` is refused in the command's words (the library names its arguments)."""
    done = sim("verify", "--quick", "--initial", "a")
    assert done.returncode == 2 and "--initial needs --rates" in done.stderr and "Traceback" not in done.stderr


def test_library_argument_errors_are_translated_to_options(tmp_path):
    """An argument error of the library is printed with the option that sets it."""
    done = sim("compare", str(BASELINE), str(ROOT / "scenarios" / "reform_2026.yaml"), "--replications", "2",
               "--precision", "employment_rate_24m=0.1", "--max-replications", "1", "--out", str(tmp_path / "c"))
    assert done.returncode == 2 and "--max-replications: must be at least 2 (got 1)" in done.stderr
    assert "Traceback" not in done.stderr
