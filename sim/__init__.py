"""A discrete-event simulator of programme designs for people on Swedish social assistance.

The public API: load a scenario, change it, run it, compare designs, sweep a grid,
and look at the results as DataFrames (:mod:`sim.api`); every chart of the reports
is a function in :mod:`sim.report.figures` returning a plotly figure.

Example:
    >>> import sim
    >>> scenario = sim.load_scenario("scenarios/baseline.yaml")
    >>> scenario.name
    'baseline'
    >>> parallel = scenario.with_changes({"name": "parallel", "policies.pathway.mode": "parallel"})
    >>> comparison = sim.compare([scenario, parallel], replications=2, scale=0.002, months=12)
    >>> list(comparison.table["scenario"].unique())
    ['baseline', 'parallel']
"""

from __future__ import annotations

from importlib import metadata

from sim.api import compare, run, sweep
from sim.compare import Comparison
from sim.runner import Results, RunSettings
from sim.scenario import Scenario, load_scenario

__all__ = [
    "Comparison", "Results", "RunSettings", "Scenario", "__version__", "compare", "load_scenario", "run", "sweep",
]  # fmt: skip

try:
    __version__ = metadata.version("sim")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
