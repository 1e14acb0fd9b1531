"""Calibration: targets from published figures, the fit table, and ``sim calibrate``.

:func:`calibrate` is what the command line calls; :func:`fit_table` compares any
run's results with targets without fitting.
"""

from __future__ import annotations

from sim.calibration.fit import (
    CalibrationError,
    CalibrationResult,
    FreeParameter,
    calibrate,
    derived_metrics,
    fit_table,
    format_fit_table,
    loss,
    parse_params,
)
from sim.calibration.targets import DEFAULT_TARGETS, Target, TargetsError, load_targets

__all__ = [
    "DEFAULT_TARGETS",
    "CalibrationError",
    "CalibrationResult",
    "FreeParameter",
    "Target",
    "TargetsError",
    "calibrate",
    "derived_metrics",
    "fit_table",
    "format_fit_table",
    "load_targets",
    "loss",
    "parse_params",
]
