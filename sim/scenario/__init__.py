"""Scenarios: read a YAML file, check it, and get an immutable :class:`Scenario`.

Everything the engine needs comes from :func:`load_scenario`; errors in a file
are reported all at once as :class:`sim.errors.ScenarioErrors`, each with file,
line, key path and what was expected.
"""

from __future__ import annotations

from sim.scenario.loading import load_scenario, validate_tree
from sim.scenario.parameters import DatedSeries
from sim.scenario.schema import Scenario

__all__ = ["Scenario", "DatedSeries", "load_scenario", "validate_tree"]
