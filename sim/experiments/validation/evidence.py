"""Everything the validation report shows, computed once: the checks, the hand-computed cases,
the external comparisons and the calibration fit.

Example::

    inputs = gather_inputs(quick=True)   # seconds; quick=False takes about 90 s on one core
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd

from sim.experiments.calibration import DEFAULT_TARGETS, fit_table, load_targets
from sim.experiments.runner import Results, run
from sim.experiments.settings import RunSettings
from sim.experiments.validation.cross import CrossCase, cross_validation
from sim.experiments.validation.external import (
    DEFAULT_SIZES,
    QUICK_SIZES,
    SCENARIOS_DIR,
    ExternalRecord,
    external_runs,
    external_validation,
)  # fmt: skip
from sim.experiments.verification import CheckResult, run_checks
from sim.scenario import Scenario, load_scenario

__all__ = ["ValidationInputs", "gather_inputs"]


class ValidationInputs:
    """Everything the report shows, computed once (see :func:`gather_inputs`)."""

    def __init__(
        self,
        quick: bool,
        baseline: Scenario,
        programme: Scenario,
        checks: list[CheckResult],
        cases: list[CrossCase],
        records: list[ExternalRecord],
        fit: pd.DataFrame,
        fit_settings: RunSettings,
        seconds: float,
    ) -> None:
        self.quick = quick
        self.baseline = baseline
        self.programme = programme
        self.checks = checks
        self.cases = cases
        self.records = records
        self.fit = fit
        self.fit_settings = fit_settings
        self.seconds = seconds


def gather_inputs(quick: bool, progress: Callable[[str], None] | None = None, workers: int = 1) -> ValidationInputs:
    """Run the verification checks, the cross-validity cases, the external runs and the calibration run."""
    started = time.perf_counter()
    say = progress or (lambda _: None)
    baseline = load_scenario(SCENARIOS_DIR / "baseline.yaml")
    programme = load_scenario(SCENARIOS_DIR / "combined_programme.yaml")
    say("verification")
    checks = run_checks(quick, base=baseline)
    say("cross-validity")
    cases = cross_validation(baseline, programme)
    say("external validity")
    sizes = QUICK_SIZES if quick else DEFAULT_SIZES
    records = external_validation(runs=external_runs(sizes, workers=workers))
    say("calibration fit")
    # The baseline's own horizon (the external runs are extended), as `sim calibrate` compares it.
    fit_settings = RunSettings(replications=sizes.replications, scale=sizes.scale, workers=workers)
    fit_run: Results = run(baseline, fit_settings)
    fit = fit_table(fit_run, load_targets(DEFAULT_TARGETS))
    return ValidationInputs(
        quick, baseline, programme, checks, cases, records, fit, fit_run.settings, time.perf_counter() - started
    )
