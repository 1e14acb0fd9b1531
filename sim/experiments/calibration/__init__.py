"""Calibration: targets from published figures, the fit table, and ``sim calibrate``.

- :mod:`~sim.experiments.calibration.targets`: the published figures to fit (a YAML file, read safely);
- :mod:`~sim.experiments.calibration.fit`: a run's fit to them (:func:`fit_table`, :func:`loss`);
- :mod:`~sim.experiments.calibration.parameters`: the free parameters and their bounds;
- :mod:`~sim.experiments.calibration.search`: the search (:func:`calibrate`) and its rerun (:func:`reproduce`);
- :mod:`~sim.experiments.calibration.overlay`: the fitted overlay and the record of the fit.
"""

from __future__ import annotations

from sim.experiments.calibration.fit import all_within, derived_metrics, fit_table, loss
from sim.experiments.calibration.parameters import CalibrationError, FreeParameter, parse_params
from sim.experiments.calibration.search import CalibrationResult, Reproduction, calibrate, reproduce
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
