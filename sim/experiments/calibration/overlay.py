"""The product of a calibration: an overlay scenario with the fitted values, and the record of how it was fitted.

``calibrated.yaml`` ``extends:`` the scenario and sets only the fitted values, each
citing the calibration as its source with a note on how it was fitted;
``calibration.yaml`` records the inputs and settings of the fit, from which
:func:`sim.experiments.calibration.search.reproduce` reruns it. Both are read back
with a safe YAML loader.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioErrors
from sim.experiments.calibration.parameters import CalibrationError, FreeParameter
from sim.experiments.calibration.targets import Target
from sim.experiments.settings import RunSettings
from sim.files import write_text
from sim.scenario import Scenario, load_scenario

__all__ = ["RECORD_FILE", "overlay_text", "read_mapping", "overlay_value", "write_overlay"]

#: The record of how an overlay was fitted, beside it in the output folder.
RECORD_FILE = "calibration.yaml"


def write_overlay(
    folder: Path,
    scenario: Scenario,
    scenario_path: Path,
    targets_path: Path,
    parameters: Sequence[FreeParameter],
    fitted: dict[str, float],
    targets: Sequence[Target],
    settings: RunSettings,
    maxfev: int,
    losses: tuple[float, float],
) -> Path:
    """Write ``calibration.yaml`` (how the fit was made) and ``calibrated.yaml`` (the overlay); return the overlay.

    Raises:
        CalibrationError: the written overlay does not validate as a scenario.
    """
    record = {
        "scenario": _relative(scenario_path, folder),
        "targets": _relative(targets_path, folder),
        "params": [f"{p.path}={p.low:.6g}:{p.high:.6g}" for p in parameters],
        "replications": settings.replications, "scale": settings.scale, "months": settings.months,
        "seed": settings.seed, "maxfev": maxfev,
    }  # fmt: skip
    head = ("# How calibrated.yaml was fitted (paths relative to this folder). "
            "`sim calibrate --reproduce FOLDER` reruns the fit and compares.\n")
    write_text(folder / RECORD_FILE, head + yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    overlay_path = folder / "calibrated.yaml"
    write_text(overlay_path, overlay_text(scenario, scenario_path, overlay_path, parameters, fitted, targets,
                                          targets_path, settings, *losses))  # fmt: skip
    try:
        load_scenario(overlay_path)
    except ScenarioErrors as exc:
        raise CalibrationError(f"{overlay_path}: the written overlay does not validate:\n{exc}") from None
    return overlay_path


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def read_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise CalibrationError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CalibrationError(f"{path}: expected a mapping")
    return data


def overlay_value(overlay: dict[str, Any], path: str) -> float:
    node: Any = overlay
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise CalibrationError(f"calibrated.yaml has no value for '{path}'")
        node = node[key]
    value = node["value"] if isinstance(node, dict) else node
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalibrationError(f"calibrated.yaml: '{path}' is {value!r}, not a number")
    return value


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
