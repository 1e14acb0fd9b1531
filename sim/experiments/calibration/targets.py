"""Calibration targets: published figures the model should reproduce, read from a YAML file.

A targets file is a mapping with a ``targets:`` list; each entry names a model
metric (as in ``metrics.csv``, or a derived metric of :mod:`sim.experiments.calibration.fit`),
the published value, the year it refers to, a subgroup (default ``all``), an
absolute tolerance and the source it is cited from::

    targets:
      - name: long_term_share_2022
        metric: long_term_share
        value: 0.43
        year: 2022
        tolerance: 0.05
        source: "Share of households with long-term need, 2022 (seed 004)."

``year`` is the year of the published figure; the model's value is its metric
averaged over the full simulated calendar years (the model does not start in
that year). ``role: context`` marks a figure shown beside the fit but neither
fitted nor required (an earlier year, or a neighbouring definition): the model
represents one period and cannot match every year of a trend. Problems are reported all together as ``FILE:LINE: path: message``.

Example:
    >>> [t.name for t in load_targets(DEFAULT_TARGETS)][:2]
    ['long_term_share', 'af_registration_share']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sim.errors import ScenarioError, ScenarioErrors
from sim.files import CALIBRATION_DIR
from sim.outcomes.catalogue import METRICS, SUBGROUPS
from sim.scenario.yaml_io import MAX_FILE_BYTES, KeyPath, ScenarioLoader, dotted

__all__ = [
    "DEFAULT_TARGETS",
    "DERIVED_METRICS",
    "MODEL_METRICS",
    "Target",
    "TargetsError",
    "TargetsFile",
    "is_known_metric",
    "load_targets",
]

#: The shipped targets file, beside the package in the source tree.
DEFAULT_TARGETS = CALIBRATION_DIR / "targets.yaml"

#: Metrics written to metrics.csv by :func:`sim.outcomes.metrics.metrics`.
MODEL_METRICS: tuple[str, ...] = METRICS

#: Metrics computed by :mod:`sim.experiments.calibration.fit` from the results' tables (subgroup ``all`` only).
DERIVED_METRICS: tuple[str, ...] = ("assistance_paid_per_year_sek",)

_PER_YEAR = re.compile(r"long_term_share_\d{4}")


def is_known_metric(name: str) -> bool:
    """True for a metric the model computes (``long_term_share_2026`` included)."""
    return name in MODEL_METRICS or name in DERIVED_METRICS or bool(_PER_YEAR.fullmatch(name))


class TargetsError(ScenarioErrors):
    """Every problem found in a targets file, each with file and line."""


class Target(BaseModel):
    """One published figure the model should reproduce."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    metric: str
    value: float
    year: int | None = None
    subgroup: str = "all"
    tolerance: float = Field(gt=0)
    source: str = Field(min_length=1)
    note: str | None = None
    role: Literal["calibration", "context"] = "calibration"

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, metric: str) -> str:
        if not is_known_metric(metric):
            raise ValueError(
                f"unknown metric '{metric}'; expected one of {', '.join(MODEL_METRICS + DERIVED_METRICS)}"
            )
        return metric

    @field_validator("subgroup")
    @classmethod
    def _known_subgroup(cls, subgroup: str) -> str:
        if subgroup not in SUBGROUPS:
            raise ValueError(f"unknown subgroup '{subgroup}'; expected one of {', '.join(SUBGROUPS)}")
        return subgroup

    @model_validator(mode="after")
    def _derived_for_all(self) -> Target:
        if self.metric in DERIVED_METRICS and self.subgroup != "all":
            raise ValueError(f"{self.metric} is computed for subgroup 'all' only")
        return self


class TargetsFile(BaseModel):
    """The whole file: an optional description and a list of uniquely named targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str | None = None
    targets: list[Target] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> TargetsFile:
        names = [t.name for t in self.targets]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"target names must be unique; repeated: {', '.join(duplicated)}")
        return self


def load_targets(path: str | os.PathLike[str]) -> list[Target]:
    """Read and check a targets file.

    Raises:
        TargetsError: every problem found, each as ``FILE:LINE: path: message``.
    """
    file = str(path)
    data, lines = _read(file)
    try:
        return list(TargetsFile.model_validate(data).targets)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key_path: KeyPath = tuple(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "missing":
                message = "required field is missing (every target needs name, metric, value, tolerance, source)"
            elif error["type"] == "extra_forbidden":
                message = "unknown key (allowed: name, metric, value, year, subgroup, tolerance, source, note, role)"
            problems.append(ScenarioError(file, _line(lines, key_path), dotted(key_path), message))
        raise TargetsError(problems) from None


def _line(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    for depth in range(len(path), -1, -1):
        if path[:depth] in lines:
            return lines[path[:depth]]
    return None


def _read(file: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        if os.stat(file).st_size > MAX_FILE_BYTES:
            raise TargetsError([ScenarioError(file, None, "", "the file is too large for a targets file")])
        text = Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TargetsError([ScenarioError(file, None, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise TargetsError([ScenarioError(file, None, "", "the file is not valid UTF-8 text")]) from None
    try:
        data, key_lines = ScenarioLoader(text, file).load_located()
    except ScenarioErrors as exc:
        raise TargetsError(exc.errors) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise TargetsError([ScenarioError(file, line, "", f"YAML syntax error: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise TargetsError([ScenarioError(file, None, "", f"YAML error: {exc}")]) from None
    if not isinstance(data, dict):
        raise TargetsError([ScenarioError(file, 1 if data is not None else None, "",
                                          "the file must be a mapping with a 'targets:' list")])
    key_lines.setdefault((), 1)
    return data, key_lines
