"""Scenarios derived from a base scenario for the verification checks (no I/O but the default base).

Example:
    >>> base = baseline_scenario()
    >>> variant(base, {"population.frailty_variance": 0.0}).population.frailty_variance
    0.0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.errors import UsageError
from sim.files import SCENARIOS_DIR
from sim.scenario import Scenario, load_scenario

__all__ = ["variant", "baseline_scenario", "BASELINE_PATH"]

#: The shipped baseline, beside the package in the source tree.
BASELINE_PATH = SCENARIOS_DIR / "baseline.yaml"


#: What a verification variant's changed values rest on: the design of a check, not a published figure.
VARIANT_SOURCE = "Verification design: the scenario reduced to a case with an exact solution (not an estimate)."


def variant(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """``scenario`` with dotted-path values replaced (:meth:`Scenario.with_changes`), citing the check's design.

    Args:
        scenario: the base.
        changes: ``{"section.key": value}``; the value replaces what is there.
    """
    return scenario.with_changes(changes, source=VARIANT_SOURCE)


def baseline_scenario(path: Path | None = None) -> Scenario:
    """The shipped baseline (or the scenario at ``path``), the base of every check's scenario.

    Raises:
        UsageError: if the file does not exist.
    """
    where = BASELINE_PATH if path is None else path
    if not where.is_file():
        raise UsageError(f"{where}: the baseline scenario the verification starts from was not found")
    return load_scenario(where)
