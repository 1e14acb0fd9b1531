"""A discrete-event simulator of programme designs for people on Swedish social assistance.

The public API: load a scenario, run it, look at the results as DataFrames.

Example:
    >>> import sim
    >>> scenario = sim.load_scenario("scenarios/baseline.yaml")
    >>> scenario.name
    'baseline'
"""

from __future__ import annotations

from importlib import metadata

from sim.runner import Results, RunSettings, run
from sim.scenario import Scenario, load_scenario

__all__ = ["Scenario", "load_scenario", "run", "RunSettings", "Results", "__version__"]

try:
    __version__ = metadata.version("sim")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
