"""The calibration's search: candidate values, one model run each on common random numbers, Nelder–Mead.

:func:`calibrate` runs the scenario with candidate values of the chosen
parameters (dotted paths into the scenario, e.g. ``transitions.assistance.employment.rate``)
and minimises ``Σ ((model − target) / tolerance)²`` with bounded Nelder–Mead.
Every evaluation uses the same seed, so replication ``r`` sees the same people
and draws in every evaluation (common random numbers) and the loss changes
smoothly with the parameters instead of jumping with fresh noise. Each candidate
is the scenario changed through :meth:`Scenario.with_changes`.

The result is written to ``out_dir``: ``fit.csv``, the fit table at the fitted
values; ``evaluations.csv``, every evaluation's values and loss; and, when
something was fitted, the overlay and the record of the fit
(:mod:`sim.experiments.calibration.overlay`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from sim.errors import ScenarioErrors, UsageError
from sim.experiments.calibration.fit import FIT_COLUMNS, all_within, fit_table, loss
from sim.experiments.calibration.overlay import RECORD_FILE, overlay_value, read_mapping, write_overlay
from sim.experiments.calibration.parameters import CalibrationError, FreeParameter, parse_params
from sim.experiments.calibration.targets import Target, load_targets
from sim.experiments.runner import Results, run
from sim.experiments.settings import RunSettings
from sim.files import write_csv
from sim.scenario import Scenario, load_scenario

__all__ = ["INVALID_LOSS", "CalibrationResult", "Reproduction", "calibrate", "reproduce"]

#: Loss of a candidate the scenario rejects (outside what validation allows).
INVALID_LOSS = 1e9


@dataclass
class CalibrationResult:
    """What :func:`calibrate` found and wrote.

    Attributes:
        parameters: the free parameters (initial values and bounds).
        fitted: fitted value by dotted path (empty in report-only mode).
        fit: the fit table at the fitted values (columns :data:`FIT_COLUMNS`).
        initial_fit: the fit table at the scenario's own values.
        loss_initial, loss_final: the loss at the start and at the fitted values.
        evaluations: one row per model evaluation (values and loss).
        results: the run at the fitted values.
        out_dir: the folder written; overlay_path is None when nothing was fitted.
        settings: the run settings of every evaluation.
    """

    scenario_name: str
    parameters: list[FreeParameter]
    fitted: dict[str, float]
    fit: pd.DataFrame
    initial_fit: pd.DataFrame
    loss_initial: float
    loss_final: float
    evaluations: pd.DataFrame
    results: Results
    out_dir: Path
    fit_csv_path: Path
    settings: RunSettings
    overlay_path: Path | None = None
    optimizer_message: str = ""

    @property
    def all_within(self) -> bool:
        """True when every calibration target (context figures aside) is met within its tolerance."""
        return all_within(self.fit)


def _apply(scenario: Scenario, parameters: Sequence[FreeParameter], values: Sequence[float]) -> Scenario:
    """The scenario with the candidate values (through :meth:`Scenario.with_changes`, citing the fit)."""
    changes = {p.path: int(round(v)) if p.integer else float(v) for p, v in zip(parameters, values)}
    return scenario.with_changes(changes, source="Candidate value tried by sim calibrate (the fit in progress).")




@dataclass
class _Evaluations:
    """The loss at candidate values: one run each (cached by value), every evaluation kept in ``history``."""

    scenario: Scenario
    parameters: Sequence[FreeParameter]
    targets: Sequence[Target]
    settings: RunSettings
    say: Callable[[str], None]
    history: list[dict[str, Any]] = field(default_factory=list)
    cache: dict[tuple[float, ...], tuple[float, pd.DataFrame, Results | None]] = field(default_factory=dict)

    def __call__(self, values: Sequence[float]) -> tuple[float, pd.DataFrame, Results | None]:
        """``(loss, fit table, results)`` at ``values``; a candidate the scenario rejects has :data:`INVALID_LOSS`."""
        key = tuple(int(round(v)) if p.integer else round(float(v), 12) for p, v in zip(self.parameters, values))
        if key in self.cache:
            return self.cache[key]
        named = dict(zip([p.path for p in self.parameters], key))
        try:
            candidate = _apply(self.scenario, self.parameters, key)
        except ScenarioErrors as exc:
            first = exc.errors[0]
            self.history.append({**named, "loss": INVALID_LOSS, "note": f"rejected: {first.path}: {first.message}"})
            self.cache[key] = (INVALID_LOSS, pd.DataFrame(columns=FIT_COLUMNS), None)
            return self.cache[key]
        results = run(candidate, self.settings)
        table = fit_table(results, self.targets)
        value = loss(table)
        self.history.append({**named, "loss": value, "note": ""})
        if self.parameters:
            shown = ", ".join(f"{p.path}={v:.6g}" for p, v in zip(self.parameters, key))
            self.say(f"  evaluation {len(self.history):>3}: {shown}  loss {value:.3f}")
        self.cache[key] = (value, table, results)
        return self.cache[key]


def calibrate(
    scenario_path: str | os.PathLike[str],
    targets_path: str | os.PathLike[str],
    params: Sequence[str] | str = (),
    out_dir: str | os.PathLike[str] | None = None,
    settings: RunSettings | None = None,
    maxfev: int = 30,
    echo: Callable[[str], None] | None = None,
) -> CalibrationResult:
    """Fit ``params`` of the scenario to the targets (or, with no params, only tabulate the fit).

    Args:
        scenario_path: the scenario YAML file.
        targets_path: the targets YAML file (:mod:`sim.experiments.calibration.targets`).
        params: dotted paths of the values to fit, optionally with bounds
            (``transitions.assistance.employment.rate=0.03:0.3``); a list or a
            comma-separated string. Empty: report only (one run, fit.csv, no overlay).
        out_dir: output folder; default ``results/<scenario name>_calibrated``.
        settings: how each evaluation runs (defaults from the scenario).
        maxfev: most model evaluations of the optimiser (each is a full run).
        echo: receives one line per evaluation (None: silent).

    Returns:
        The :class:`CalibrationResult`; the folder holds fit.csv, evaluations.csv and,
        when something was fitted, calibrated.yaml and calibration.yaml.

    Raises:
        ScenarioErrors: the scenario file has problems. TargetsError: the targets file has.
        CalibrationError: a parameter path, bounds or fitted overlay is not usable.
    """
    scenario = load_scenario(scenario_path)
    targets = load_targets(targets_path)
    parameters = parse_params(scenario, params)
    settings = (settings or RunSettings()).resolved(scenario)
    folder = Path(out_dir) if out_dir is not None else Path("results") / f"{scenario.name}_calibrated"
    evaluate = _Evaluations(scenario, parameters, targets, settings, echo or (lambda _text: None))
    initial = [p.initial for p in parameters]
    loss_initial, initial_fit, initial_results = evaluate(initial)
    assert initial_results is not None  # the scenario's own values are valid
    fitted: dict[str, float] = {}
    message, best_values = "report only: no parameters to fit", initial
    if parameters:
        message, best_values = _minimise(parameters, evaluate, maxfev)
        best_values = [float(f"{v:.6g}") for v in best_values]
        fitted = {p.path: (int(round(v)) if p.integer else float(v)) for p, v in zip(parameters, best_values)}
    loss_final, fit, final_results = evaluate(best_values)
    assert final_results is not None
    write_csv(fit, folder / "fit.csv")
    write_csv(pd.DataFrame(evaluate.history), folder / "evaluations.csv")
    overlay_path = None
    if parameters:
        overlay_path = write_overlay(folder, scenario, Path(scenario_path), Path(targets_path), parameters, fitted,
                                     targets, settings, maxfev, (loss_initial, loss_final))  # fmt: skip
    return CalibrationResult(
        scenario_name=scenario.name, parameters=parameters, fitted=fitted, fit=fit, initial_fit=initial_fit,
        loss_initial=loss_initial, loss_final=loss_final, evaluations=pd.DataFrame(evaluate.history),
        results=final_results, out_dir=folder, fit_csv_path=folder / "fit.csv", settings=settings,
        overlay_path=overlay_path, optimizer_message=message,
    )  # fmt: skip


@dataclass
class Reproduction:
    """What :func:`reproduce` found: the shipped and the refitted values, and whether they agree."""

    shipped: dict[str, float]
    refitted: dict[str, float]
    result: CalibrationResult

    @property
    def identical(self) -> bool:
        """True when every fitted value came out as shipped."""
        return self.shipped == self.refitted

    def differences(self) -> list[str]:
        """One line per value that differs (or is missing on either side)."""
        return [
            f"{path}: shipped {self.shipped.get(path)!r}, refitted {self.refitted.get(path)!r}"
            for path in sorted(set(self.shipped) | set(self.refitted))
            if self.shipped.get(path) != self.refitted.get(path)
        ]


def reproduce(
    folder: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    workers: int = 1,
    echo: Callable[[str], None] | None = None,
) -> Reproduction:
    """Rerun the calibration recorded in ``folder`` and compare its fitted values with the shipped overlay.

    Args:
        folder: a folder written by :func:`calibrate` (``calibration.yaml`` and ``calibrated.yaml``).
        out_dir: where the rerun writes (default: a temporary folder, removed afterwards).
        workers: worker processes (results do not depend on it).

    Raises:
        CalibrationError: the folder lacks the record or the overlay, or they cannot be read.
    """
    base = Path(folder)
    record = read_mapping(base / RECORD_FILE)
    overlay = read_mapping(base / "calibrated.yaml")
    try:
        params = [str(p) for p in record["params"]]
        shipped = {path.split("=")[0]: overlay_value(overlay, path.split("=")[0]) for path in params}
        settings = RunSettings(replications=int(record["replications"]), seed=int(record["seed"]),
                               scale=float(record["scale"]), months=int(record["months"]), workers=workers)
        maxfev = int(record["maxfev"])
        scenario, targets = base / str(record["scenario"]), base / str(record["targets"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CalibrationError(f"{base / RECORD_FILE}: incomplete calibration record ({exc})") from None
    with tempfile.TemporaryDirectory(prefix="sim-reproduce-") as temporary:
        result = calibrate(scenario, targets, params, out_dir=out_dir or temporary, settings=settings, maxfev=maxfev,
                           echo=echo)  # fmt: skip
    return Reproduction(shipped=shipped, refitted=dict(result.fitted), result=result)


def _minimise(
    parameters: Sequence[FreeParameter],
    evaluate: Callable[[Sequence[float]], tuple[float, pd.DataFrame, Results | None]],
    maxfev: int,
) -> tuple[str, list[float]]:
    """Bounded Nelder–Mead on x = (value − low) / (high − low) ∈ [0, 1]; returns the best values seen."""
    if maxfev < len(parameters) + 2:
        raise UsageError(f"maxfev must be at least {len(parameters) + 2} to fit {len(parameters)} parameter(s)")
    low = np.array([p.low for p in parameters])
    span = np.array([p.high - p.low for p in parameters])
    x0 = (np.array([p.initial for p in parameters]) - low) / span
    # First simplex: each parameter moved by 15 % of its range, towards the roomier side.
    simplex = [x0]
    for i in range(len(parameters)):
        x = x0.copy()
        x[i] = x0[i] + 0.15 if x0[i] + 0.15 <= 1 else x0[i] - 0.15
        simplex.append(x)

    def objective(x: np.ndarray) -> float:
        return evaluate(list(low + np.clip(x, 0, 1) * span))[0]

    found = optimize.minimize(
        objective, x0, method="Nelder-Mead", bounds=[(0.0, 1.0)] * len(parameters),
        options={"maxfev": maxfev - 1, "initial_simplex": np.array(simplex), "xatol": 1e-3, "fatol": 1e-3},
    )  # fmt: skip
    best = low + np.clip(found.x, 0, 1) * span
    if objective(found.x) > objective(x0):
        best = low + x0 * span
    return str(found.message), [float(v) for v in best]
