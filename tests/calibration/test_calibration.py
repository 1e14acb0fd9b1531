"""Calibration targets, the fit table and a tiny calibration."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.api import calibrate
from sim.errors import SimError
from sim.experiments.calibration import (
    DEFAULT_TARGETS,
    CalibrationError,
    TargetsError,
    all_within,
    fit_table,
    load_targets,
    loss,
    parse_params,
    reproduce,
)
from sim.experiments.runner import run
from sim.experiments.settings import RunSettings
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


def test_shipped_targets_load_and_cite_sources():
    targets = load_targets(DEFAULT_TARGETS)
    names = {t.name for t in targets}
    assert {"long_term_share", "af_registration_share", "ame_exit_to_work_or_studies_share",
            "households_with_assistance_per_year", "assistance_paid_per_year",
            "af_programme_share_of_registered"} <= names
    assert all(t.source and t.tolerance > 0 and t.year for t in targets)
    reasons = [t for t in targets if t.metric.startswith("reason_") and t.role == "calibration"]
    assert {t.subgroup for t in reasons} == {"born_sweden_women", "born_sweden_men",
                                             "born_abroad_women", "born_abroad_men"}
    assert len(reasons) == 12
    # AME outcomes of 2015 and 2022 cannot both be met by one model of one period: 2015 is context.
    ame = {t.year: t.role for t in targets if t.metric == "ame_exit_to_work_or_studies_share"}
    assert ame == {2022: "calibration", 2015: "context"}


def test_context_targets_count_neither_in_loss_nor_in_all_within():
    table = pd.DataFrame({
        "target": ["fitted", "earlier_year"], "role": ["calibration", "context"],
        "error": [0.02, 0.30], "tolerance": [0.05, 0.05], "within": [True, False],
    })  # fmt: skip
    assert loss(table) == pytest.approx((0.02 / 0.05) ** 2)
    assert all_within(table)
    table.loc[0, ["error", "within"]] = [0.06, False]
    assert not all_within(table)


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
    assert p.low < baseline.population.inflow_per_year < p.high


def _employment_target(tmp_path: Path, value: float) -> Path:
    return write(tmp_path, f"""\
targets:
  - name: employment_12m
    metric: employment_rate_12m
    value: {value}
    tolerance: 0.02
    source: "test: deliberately above the baseline's value"
""")


TINY = {"replications": 2, "scale": 0.005, "months": 24, "echo": None}
RATE = "transitions.assistance.employment.rate"


def test_tiny_calibration_moves_towards_shifted_target(tmp_path, baseline):
    start = run(baseline, RunSettings(replications=2, scale=0.005, months=24)).summary
    now = float(start.query("metric == 'employment_rate_12m' and subgroup == 'all'")["mean"].iloc[0])
    targets = _employment_target(tmp_path, round(now + 0.12, 2))
    out = tmp_path / "out"
    result = calibrate(BASELINE, targets, [RATE], out_dir=out, maxfev=8, **TINY)
    initial = baseline.transitions["assistance"]["employment"].rate
    fitted = result.fitted[RATE]
    assert fitted > initial * 1.2
    assert result.loss_final < result.loss_initial
    assert result.overlay_path == out / "calibrated.yaml"
    overlay = load_scenario(result.overlay_path)
    assert overlay.name == "baseline_calibrated"
    assert overlay.transitions["assistance"]["employment"].rate == pytest.approx(fitted)
    assert overlay.transitions["assistance"]["employment"].shape == 0.75  # the rest is inherited
    record = next(p for p in overlay.provenance if p.path == RATE)
    assert "Calibrated: fitted by sim calibrate" in (record.source or "") and "fit.csv" in (record.note or "")
    assert RATE not in {p.path for p in overlay.assumptions()}
    text = result.overlay_path.read_text(encoding="utf-8")
    assert "extends: " in text and "population" not in text
    fit = (out / "fit.csv").read_text(encoding="utf-8").splitlines()
    assert fit[0] == "target,metric,subgroup,year,role,model,ci_low,ci_high,target_value,error,tolerance,within"
    assert len(fit) == 2


def test_reproduce_reruns_the_recorded_fit_and_detects_a_changed_overlay(tmp_path, baseline):
    targets = _employment_target(tmp_path, 0.5)
    out = tmp_path / "fitted"
    first = calibrate(BASELINE, targets, [RATE], out_dir=out, maxfev=6, **TINY)
    again = reproduce(out, echo=None)
    assert again.identical and again.refitted == first.fitted
    overlay = out / "calibrated.yaml"
    shipped = first.fitted[RATE]
    overlay.write_text(overlay.read_text(encoding="utf-8").replace(f"value: {shipped}", "value: 0.5"),
                       encoding="utf-8")
    changed = reproduce(out, echo=None)
    assert not changed.identical
    assert changed.differences() == [f"{RATE}: shipped 0.5, refitted {shipped!r}"]


def test_reproduce_without_a_record_is_a_clear_error(tmp_path):
    with pytest.raises(CalibrationError, match="calibration.yaml: cannot read"):
        reproduce(tmp_path, echo=None)


def test_report_only_writes_fit_without_overlay(tmp_path):
    result = calibrate(BASELINE, DEFAULT_TARGETS, "", out_dir=tmp_path, replications=1, scale=0.005,
                       months=12, echo=None)
    assert result.overlay_path is None and not (tmp_path / "calibrated.yaml").exists()
    assert len(result.fit) == len(load_targets(DEFAULT_TARGETS))
    assert (tmp_path / "fit.csv").exists()


SHIPPED = Path(__file__).resolve().parents[2] / "calibration" / "baseline"


def test_shipped_baseline_extends_the_calibrated_overlay(baseline):
    overlay = load_scenario(SHIPPED / "calibrated.yaml")
    record_file = yaml.safe_load((SHIPPED / "calibration.yaml").read_text(encoding="utf-8"))
    for path in record_file["params"]:
        dotted = path.split("=")[0]
        record = next(p for p in baseline.provenance if p.path == dotted)
        assert Path(record.file).resolve() == (SHIPPED / "calibrated.yaml").resolve()
        assert record.source and record.source.startswith("Calibrated")
    assert baseline.population.inflow_per_year == overlay.population.inflow_per_year


@pytest.mark.slow
def test_shipped_baseline_meets_every_calibration_target_at_its_default_settings(baseline):
    """The resolution criterion of the calibration: every calibration target within tolerance."""
    table = fit_table(run(baseline, RunSettings(workers=2)), load_targets(DEFAULT_TARGETS))
    outside = table[(table["role"] == "calibration") & ~table["within"]]
    assert outside.empty, outside[["target", "model", "target_value", "tolerance"]].to_string()


@pytest.mark.slow
def test_rerunning_the_shipped_calibration_reproduces_it():
    outcome = reproduce(SHIPPED, workers=2, echo=None)
    assert outcome.identical, "\n".join(outcome.differences())
