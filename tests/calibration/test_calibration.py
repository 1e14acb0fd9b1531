"""Calibration targets, the fit table and a tiny calibration."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.calibration import DEFAULT_TARGETS, TargetsError, calibrate, fit_table, load_targets
from sim.calibration.fit import CalibrationError, parse_params
from sim.errors import SimError
from sim.runner import RunSettings, run
from sim.scenario import load_scenario
from tests.conftest import BASELINE

GOOD = """\
targets:
  - name: lt
    metric: long_term_share
    value: 0.43
    year: 2022
    tolerance: 0.05
    source: "seed 004"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_targets_load():
    targets = load_targets(DEFAULT_TARGETS)
    names = {t.name for t in targets}
    assert {"long_term_share", "af_registration_share", "ame_exit_to_work_or_studies_share",
            "households_with_assistance_per_year", "assistance_paid_per_year"} <= names
    assert all(t.source and t.tolerance > 0 and t.subgroup == "all" for t in targets)


def test_minimal_file_loads_with_defaults(tmp_path):
    (target,) = load_targets(write(tmp_path, GOOD))
    assert (target.subgroup, target.note, target.year) == ("all", None, 2022)


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ('    source: "seed 004"\n', "", 2, "targets.0.source: required field is missing"),
        ("    tolerance: 0.05\n", "    tolerance: -0.05\n", 6, "targets.0.tolerance: Input should be greater than 0"),
        ("    metric: long_term_share\n", "    metric: long_term_shares\n", 3, "unknown metric 'long_term_shares'"),
        ("    year: 2022\n", "    year: 2022\n    colour: red\n", 6, "targets.0.colour: unknown key"),
    ],
)
def test_bad_file_reports_file_and_line(tmp_path, old, new, line, words):
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(TargetsError) as caught:
        load_targets(path)
    assert isinstance(caught.value, SimError)
    assert f"{path}:{line}: " in str(caught.value)
    assert words in str(caught.value)


def test_yaml_syntax_and_duplicate_keys_are_located(tmp_path):
    path = write(tmp_path, GOOD + "    value: 0.5\n")
    with pytest.raises(TargetsError, match=rf"{path.name}:8: targets.0.value: duplicate key"):
        load_targets(path)
    path = write(tmp_path, "targets: [\n")
    with pytest.raises(TargetsError, match=r"YAML syntax error"):
        load_targets(path)


def test_fit_table_of_baseline_lists_every_target(baseline):
    targets = load_targets(DEFAULT_TARGETS)
    results = run(baseline, RunSettings(replications=2, scale=0.005, months=24))
    table = fit_table(results, targets)
    assert table["target"].tolist() == [t.name for t in targets]
    assert table["within"].dtype == bool
    assert table["model"].notna().all()
    row = table.set_index("target").loc["assistance_paid_per_year"]
    assert 1e9 < row["model"] < 1e11  # national SEK per year
    assert math.isclose(row["error"], row["model"] - row["target_value"])
    assert (table["within"] == ((table["model"] - table["target_value"]).abs() <= table["tolerance"])).all()


def test_bad_parameter_paths_are_refused(baseline):
    with pytest.raises(CalibrationError, match="not a value"):
        parse_params(baseline, "transitions.assistance.employment.speed")
    with pytest.raises(CalibrationError, match="contain its value"):
        parse_params(baseline, "transitions.assistance.employment.rate=0.2:0.3")
    (p,) = parse_params(baseline, "population.inflow_per_year")
    assert p.low < 44000 < p.high


def test_tiny_calibration_moves_towards_shifted_target(tmp_path):
    targets = write(tmp_path, """\
targets:
  - name: employment_12m
    metric: employment_rate_12m
    value: 0.40
    tolerance: 0.02
    source: "test: deliberately above the baseline's ≈0.26"
""")
    out = tmp_path / "out"
    result = calibrate(BASELINE, targets, ["transitions.assistance.employment.rate"], out_dir=out,
                       replications=2, scale=0.005, months=24, maxfev=8, echo=None)
    fitted = result.fitted["transitions.assistance.employment.rate"]
    assert fitted > 0.09 * 1.2
    assert result.loss_final < result.loss_initial
    assert result.overlay_path == out / "calibrated.yaml"
    overlay = load_scenario(result.overlay_path)
    assert overlay.name == "baseline_calibrated"
    assert overlay.transitions["assistance"]["employment"].rate == pytest.approx(fitted)
    assert overlay.transitions["assistance"]["employment"].shape == 0.75  # the rest is inherited
    record = next(p for p in overlay.provenance if p.path == "transitions.assistance.employment.rate")
    assert "Fitted by sim calibrate" in (record.note or "") and "employment_12m" in (record.note or "")
    text = result.overlay_path.read_text(encoding="utf-8")
    assert "extends: " in text and "population" not in text
    fit = (out / "fit.csv").read_text(encoding="utf-8").splitlines()
    assert fit[0].startswith("target,metric,subgroup,year,model,ci_low,ci_high,target_value,error,tolerance,within")
    assert len(fit) == 2


def test_report_only_writes_fit_without_overlay(tmp_path):
    result = calibrate(BASELINE, DEFAULT_TARGETS, "", out_dir=tmp_path, replications=1, scale=0.005,
                       months=12, echo=None)
    assert result.overlay_path is None and not (tmp_path / "calibrated.yaml").exists()
    assert len(result.fit) == len(load_targets(DEFAULT_TARGETS))
    assert (tmp_path / "fit.csv").exists()
