"""The free parameters of a calibration: dotted paths into the scenario with bounds.

Example:
    >>> from sim.scenario import load_scenario
    >>> base = load_scenario("scenarios/baseline.yaml")
    >>> (p,) = parse_params(base, "transitions.assistance.employment.rate=0.05:0.3")
    >>> p.path, p.low, p.high
    ('transitions.assistance.employment.rate', 0.05, 0.3)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sim.errors import SimError
from sim.scenario import Scenario

__all__ = ["CalibrationError", "FreeParameter", "parse_params"]


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
