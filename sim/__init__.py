"""A discrete-event simulator of programme designs for people on Swedish social assistance.

The public API (:mod:`sim.api`, the same functions the ``sim`` command calls): load a
scenario and change it, run it, compare designs, sweep a grid, draw parameter sets
(PSA) and rank uncertain parameters (sensitivity), compute a household's budget under
the rules (a type case, :func:`household`), look at the results as DataFrames,
and save them as the folder and report the command line writes. Every chart of the
reports is a function in :mod:`sim.report.figures` or :mod:`sim.report.uncertainty`
returning a plotly figure.

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

from sim.api import compare, household, load_scenario, psa, run, save, sensitivity, sweep, write_report
from sim.experiments.compare import Comparison
from sim.experiments.runner import Results
from sim.experiments.settings import RunSettings
from sim.scenario import Scenario

__all__ = [
    "Comparison", "Results", "RunSettings", "Scenario", "__version__", "compare", "household", "load_scenario", "psa", "run",
    "save", "sensitivity", "sweep", "write_report",
]  # fmt: skip

try:
    __version__ = metadata.version("sim")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
