"""Fit free scenario parameters to calibration targets, and tabulate the fit.

:func:`calibrate` runs the scenario with candidate values of the chosen
parameters (dotted paths into the scenario, e.g. ``transitions.assistance.employment.rate``)
and minimises ``Σ ((model − target) / tolerance)²`` with bounded Nelder–Mead.
Every evaluation uses the same seed, so replication ``r`` sees the same people
and draws in every evaluation (common random numbers) and the loss changes
smoothly with the parameters instead of jumping with fresh noise.

The result is written to ``out_dir``: ``calibrated.yaml``, an overlay that
``extends:`` the scenario and sets only the fitted values (each with a note on
how it was fitted); ``fit.csv``, the fit table at the fitted values;
``evaluations.csv``, every evaluation's values and loss; ``calibration.yaml``,
the inputs and settings of the fit, from which :func:`reproduce` reruns it and
checks that the same overlay comes out. :func:`fit_table` tabulates any
:class:`~sim.experiments.runner.Results` against targets without fitting.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import optimize

from sim.errors import ScenarioErrors, SimError, UsageError
from sim.experiments.calibration.targets import Target, load_targets
from sim.experiments.runner import Results, run
from sim.experiments.settings import RunSettings
from sim.experiments.summary import summarise
from sim.files import write_csv, write_text
from sim.rules.calendar import full_years
from sim.scenario import Scenario, load_scenario

__all__ = [
    "FIT_COLUMNS",
    "CalibrationError",
    "CalibrationResult",
    "FreeParameter",
    "Reproduction",
    "all_within",
    "calibrate",
    "derived_metrics",
    "fit_table",
    "loss",
    "parse_params",
    "reproduce",
]

#: The record of how an overlay was fitted, beside it in the output folder.
RECORD_FILE = "calibration.yaml"

#: Columns of :func:`fit_table` (and of fit.csv).
FIT_COLUMNS = [
    "target", "metric", "subgroup", "year", "role", "model", "ci_low", "ci_high",
    "target_value", "error", "tolerance", "within",
]  # fmt: skip

#: Added to the loss for each target the model could not compute (e.g. too few months).
MISSING_PENALTY = 100.0
#: Loss of a candidate the scenario rejects (outside what validation allows).
INVALID_LOSS = 1e9


class CalibrationError(SimError):
    """A calibration that cannot be set up (bad parameter path, bounds, or values)."""


@dataclass(frozen=True)
class FreeParameter:
    """A scenario value the calibration may change, within ``[low, high]``."""

    path: str
    initial: float
    low: float
    high: float
    integer: bool = False


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


# ----------------------------------------------------------------------------- fit table


def derived_metrics(results: Results) -> pd.DataFrame:
    """Metrics computed here from the results' tables, per replication (subgroup ``all``).

    ``assistance_paid_per_year_sek``: cost item ``assistance`` (national SEK) summed per
    calendar year and averaged over the full simulated years (NaN without a full year).
    """
    months = int(results.settings.months or results.scenario.simulation.months)
    full = full_years(results.scenario.simulation.start_date, months).tolist()
    costs = results.costs
    paid = costs[(costs["item"] == "assistance") & costs["year"].isin(full)]
    per_year = paid.groupby(["replication", "year"])["cost_sek"].sum().groupby("replication").mean()
    replications = sorted(results.metrics["replication"].unique().tolist())
    values = [float(per_year.get(r, math.nan)) if full else math.nan for r in replications]
    return pd.DataFrame({
        "replication": replications, "metric": "assistance_paid_per_year_sek", "subgroup": "all", "value": values,
    })  # fmt: skip


def _summary(results: Results) -> pd.DataFrame:
    extra = derived_metrics(results)
    return pd.concat([results.summary, summarise(extra)], ignore_index=True)


def fit_table(results: Results, targets: Sequence[Target]) -> pd.DataFrame:
    """The model's value of each target's metric, with 95 % CI, error and whether it is within tolerance.

    Args:
        results: a run of the scenario (any scale, replications, months).
        targets: the targets to compare with (:func:`sim.experiments.calibration.targets.load_targets`).

    Returns:
        One row per target, columns :data:`FIT_COLUMNS`; ``error`` = model − target,
        ``within`` = ``|error| <= tolerance`` (False where the model has no value).
    """
    summary: dict[tuple[str, str], dict[str, Any]] = {
        (str(r["metric"]), str(r["subgroup"])): {str(k): v for k, v in r.items()}
        for r in _summary(results).to_dict("records")
    }
    rows = []
    for t in targets:
        found = summary.get((t.metric, t.subgroup), {})
        model = float(found.get("mean", math.nan))
        error = model - t.value
        rows.append({
            "target": t.name,
            "metric": t.metric,
            "subgroup": t.subgroup,
            "year": t.year,
            "role": t.role,
            "model": model,
            "ci_low": float(found.get("ci_low", math.nan)),
            "ci_high": float(found.get("ci_high", math.nan)),
            "target_value": t.value,
            "error": error,
            "tolerance": t.tolerance,
            "within": bool(abs(error) <= t.tolerance) if not math.isnan(error) else False,
        })
    return pd.DataFrame(rows, columns=FIT_COLUMNS)


def all_within(table: pd.DataFrame) -> bool:
    """True when every calibration target of a fit table (context rows aside) is within its tolerance."""
    return bool(table.loc[table["role"] == "calibration", "within"].all())


def loss(table: pd.DataFrame) -> float:
    """Σ ((model − target) / tolerance)² over the calibration targets of a fit table.

    Context targets do not count; each missing model value adds :data:`MISSING_PENALTY`.
    """
    table = table[table["role"] == "calibration"]
    z = table["error"] / table["tolerance"]
    return float((z[z.notna()] ** 2).sum() + MISSING_PENALTY * z.isna().sum())


# ----------------------------------------------------------------------------- parameters

_SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:=\s*([^:]+):([^:]+))?\s*$")


def _get(data: Any, path: str) -> Any:
    node = data
    for key in path.split("."):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise CalibrationError(f"params: '{path}' is not a value in the scenario (no '{key}')")
    return node


def _default_bounds(path: str, value: float) -> tuple[float, float]:
    leaf = path.rsplit(".", 1)[-1]
    if leaf.endswith("share") or leaf in {"rate", "activation_rate"} or leaf.endswith("_rate"):
        if leaf.endswith("share"):
            return 0.0, 1.0
        return max(value / 4, 1e-4), min(max(value * 4, 1e-3), 1.0)
    if value == 0:
        return 0.0, 1.0
    low, high = sorted((value / 4, value * 4))
    return low, high


def parse_params(scenario: Scenario, params: Sequence[str] | str) -> list[FreeParameter]:
    """Free parameters from ``a.b.c`` or ``a.b.c=LOW:HIGH`` items (a list or a comma-separated string).

    Default bounds: shares [0, 1]; rates from a quarter to four times the current value
    (within (0, 1]); other numbers from a quarter to four times the current value.

    Raises:
        CalibrationError: for a path that is not a number in the scenario, or bad bounds.
    """
    items = [p for p in (params.split(",") if isinstance(params, str) else params) if p.strip()]
    data = scenario.model_dump()
    out: list[FreeParameter] = []
    for item in items:
        match = _SPEC.match(item)
        if not match:
            raise CalibrationError(f"params: cannot read '{item}'; expected a.b.c or a.b.c=LOW:HIGH")
        path = match.group(1)
        value = _get(data, path)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CalibrationError(f"params: '{path}' is {value!r}, not a single number that can be fitted")
        if match.group(2) is not None:
            try:
                low, high = float(match.group(2)), float(match.group(3))
            except ValueError:
                raise CalibrationError(f"params: bounds of '{path}' must be numbers, got '{item}'") from None
        else:
            low, high = _default_bounds(path, float(value))
        if not low < high or not low <= value <= high:
            raise CalibrationError(
                f"params: bounds [{low}, {high}] of '{path}' must be increasing and contain its value {value}"
            )
        if any(p.path == path for p in out):
            raise CalibrationError(f"params: '{path}' is given twice")
        out.append(FreeParameter(path, float(value), low, high, integer=isinstance(value, int)))
    return out


def _apply(scenario: Scenario, parameters: Sequence[FreeParameter], values: Sequence[float]) -> Scenario:
    """The scenario with the candidate values (through :meth:`Scenario.with_changes`, citing the fit)."""
    changes = {p.path: int(round(v)) if p.integer else float(v) for p, v in zip(parameters, values)}
    return scenario.with_changes(changes, source="Candidate value tried by sim calibrate (the fit in progress).")


# ----------------------------------------------------------------------------- calibrate


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
        when something was fitted, calibrated.yaml.

    Raises:
        ScenarioErrors: the scenario file has problems. TargetsError: the targets file has.
        CalibrationError: a parameter path, bounds or fitted overlay is not usable.
    """
    say = echo or (lambda _text: None)
    scenario = load_scenario(scenario_path)
    targets = load_targets(targets_path)
    parameters = parse_params(scenario, params)
    settings = (settings or RunSettings()).resolved(scenario)
    folder = Path(out_dir) if out_dir is not None else Path("results") / f"{scenario.name}_calibrated"

    history: list[dict[str, Any]] = []
    cache: dict[tuple[float, ...], tuple[float, pd.DataFrame, Results | None]] = {}

    def evaluate(values: Sequence[float]) -> tuple[float, pd.DataFrame, Results | None]:
        key = tuple(int(round(v)) if p.integer else round(float(v), 12) for p, v in zip(parameters, values))
        if key in cache:
            return cache[key]
        try:
            candidate = _apply(scenario, parameters, key)
        except ScenarioErrors as exc:
            first = exc.errors[0]
            history.append({**dict(zip([p.path for p in parameters], key)), "loss": INVALID_LOSS,
                            "note": f"rejected: {first.path}: {first.message}"})
            cache[key] = (INVALID_LOSS, pd.DataFrame(columns=FIT_COLUMNS), None)
            return cache[key]
        results = run(candidate, settings)
        table = fit_table(results, targets)
        value = loss(table)
        history.append({**dict(zip([p.path for p in parameters], key)), "loss": value, "note": ""})
        if parameters:
            shown = ", ".join(f"{p.path}={v:.6g}" for p, v in zip(parameters, key))
            say(f"  evaluation {len(history):>3}: {shown}  loss {value:.3f}")
        cache[key] = (value, table, results)
        return cache[key]

    initial = [p.initial for p in parameters]
    loss_initial, initial_fit, initial_results = evaluate(initial)
    assert initial_results is not None  # the scenario's own values are valid
    fitted: dict[str, float] = {}
    message = "report only: no parameters to fit"
    best_values = initial
    if parameters:
        message, best_values = _minimise(parameters, evaluate, maxfev)
        best_values = [float(f"{v:.6g}") for v in best_values]
        fitted = {
            p.path: (int(round(v)) if p.integer else float(v)) for p, v in zip(parameters, best_values)
        }
    loss_final, fit, final_results = evaluate(best_values)
    assert final_results is not None

    folder.mkdir(parents=True, exist_ok=True)
    fit_csv = folder / "fit.csv"
    write_csv(fit, fit_csv)
    write_csv(pd.DataFrame(history), folder / "evaluations.csv")
    overlay_path = None
    if parameters:
        record = {
            "scenario": _relative(Path(scenario_path), folder),
            "targets": _relative(Path(targets_path), folder),
            "params": [f"{p.path}={p.low:.6g}:{p.high:.6g}" for p in parameters],
            "replications": settings.replications, "scale": settings.scale, "months": settings.months,
            "seed": settings.seed, "maxfev": maxfev,
        }  # fmt: skip
        head = ("# How calibrated.yaml was fitted (paths relative to this folder). "
                "`sim calibrate --reproduce FOLDER` reruns the fit and compares.\n")
        write_text(folder / RECORD_FILE, head + yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
        overlay_path = folder / "calibrated.yaml"
        text = overlay_text(scenario, Path(scenario_path), overlay_path, parameters, fitted, targets,
                            Path(targets_path), settings, loss_initial, loss_final)
        write_text(overlay_path, text)
        try:
            load_scenario(overlay_path)
        except ScenarioErrors as exc:
            raise CalibrationError(f"{overlay_path}: the written overlay does not validate:\n{exc}") from None

    result = CalibrationResult(
        scenario_name=scenario.name, parameters=parameters, fitted=fitted, fit=fit, initial_fit=initial_fit,
        loss_initial=loss_initial, loss_final=loss_final, evaluations=pd.DataFrame(history),
        results=final_results, out_dir=folder, fit_csv_path=fit_csv, settings=settings, overlay_path=overlay_path,
        optimizer_message=message,
    )  # fmt: skip
    return result


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


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
    record = _read_mapping(base / RECORD_FILE)
    overlay = _read_mapping(base / "calibrated.yaml")
    try:
        params = [str(p) for p in record["params"]]
        shipped = {path.split("=")[0]: _overlay_value(overlay, path.split("=")[0]) for path in params}
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


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise CalibrationError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CalibrationError(f"{path}: expected a mapping")
    return data


def _overlay_value(overlay: dict[str, Any], path: str) -> float:
    node: Any = overlay
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise CalibrationError(f"calibrated.yaml has no value for '{path}'")
        node = node[key]
    value = node["value"] if isinstance(node, dict) else node
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalibrationError(f"calibrated.yaml: '{path}' is {value!r}, not a number")
    return value


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


def overlay_text(
    scenario: Scenario,
    scenario_path: Path,
    overlay_path: Path,
    parameters: Sequence[FreeParameter],
    fitted: dict[str, float],
    targets: Sequence[Target],
    targets_path: Path,
    settings: RunSettings,
    loss_initial: float,
    loss_final: float,
) -> str:
    """The calibrated overlay: ``extends:`` the scenario and sets only the fitted values, each with a note."""
    tree: dict[str, Any] = {
        "extends": Path(os.path.relpath(scenario_path.resolve(), overlay_path.parent.resolve())).as_posix(),
        "name": f"{scenario.name}_calibrated",
        "description": f"{scenario.name} with {', '.join(p.path for p in parameters)} fitted by sim calibrate.",
    }
    fitted_to = [t.name for t in targets if t.role == "calibration"]
    source = f"Calibrated: fitted by sim calibrate to the published targets in {targets_path.name} ({len(fitted_to)} targets)."
    for p in parameters:
        note = (
            f"Was {p.initial:.6g}, bounds [{p.low:.6g}, {p.high:.6g}]; scale {settings.scale}, "
            f"{settings.replications} replications, {settings.months} months, seed {settings.seed}; "
            f"loss {loss_initial:.3f} -> {loss_final:.3f}; the fit table is fit.csv beside this file."
        )
        node = tree
        *parents, leaf = p.path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = {"value": fitted[p.path], "source": source, "note": note}
    head = (
        f"# Written by `sim calibrate` from {scenario_path.name} and {targets_path.name}.\n"
        "# Only the fitted values are set here; everything else comes from the extended scenario.\n"
    )
    return head + yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=100)
