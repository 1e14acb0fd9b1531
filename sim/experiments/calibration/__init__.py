"""Calibration: targets from published figures, the fit table, and ``sim calibrate``.

:func:`calibrate` is what the command line calls; :func:`reproduce` reruns a recorded
calibration and checks that it gives the shipped values; :func:`fit_table` compares any
run's results with targets without fitting.
"""

from __future__ import annotations

from sim.experiments.calibration.fit import (
    CalibrationError,
    CalibrationResult,
    FreeParameter,
    Reproduction,
    all_within,
    calibrate,
    derived_metrics,
    fit_table,
    loss,
    parse_params,
    reproduce,
)
from sim.experiments.calibration.targets import DEFAULT_TARGETS, Target, TargetsError, load_targets

__all__ = [
    "DEFAULT_TARGETS",
    "CalibrationError",
    "CalibrationResult",
    "FreeParameter",
    "Reproduction",
    "Target",
    "TargetsError",
    "all_within",
    "calibrate",
    "derived_metrics",
    "fit_table",
    "load_targets",
    "loss",
    "parse_params",
    "reproduce",
]
