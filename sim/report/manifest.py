"""The manifest of a results folder: everything needed to trace and to reproduce a run.

It names the scenario (file and SHA-256 of its resolved content), the seed, the
replications, scale and horizon, where the replications ran, the package versions,
the SHA-256 of the model's code and the fingerprint of the request, and lists
every parameter with its source and the assumptions.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from typing import Any

import pandas as pd

from sim.experiments.checkpoints import code_hash, fingerprint
from sim.experiments.runner import Results
from sim.scenario.schema import Scenario

__all__ = ["assumptions_table", "manifest", "scenario_hash"]

_PACKAGES = ("sim", "simpy", "numpy", "scipy", "pandas", "pydantic", "pyarrow", "pyyaml")


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the fully resolved scenario content (sources included)."""
    payload = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def assumptions_table(scenario: Scenario) -> pd.DataFrame:
    """Parameters that cite no source, with the note that says how they were set."""
    rows = [
        {"parameter": p.path, "file": p.file, "line": p.line, "note": p.note or ""}
        for p in scenario.assumptions()
    ]
    return pd.DataFrame(rows, columns=["parameter", "file", "line", "note"])


def manifest(results: Results) -> dict[str, Any]:
    """Everything needed to reproduce and to trace the results."""
    scenario = results.scenario
    settings = results.settings
    data = scenario.model_dump(mode="json")
    provenance = data.pop("provenance")
    return {
        "scenario": scenario.name,
        "scenario_file": scenario.source_file,
        "scenario_sha256": scenario_hash(scenario),
        "seed": settings.seed,
        "replications": settings.replications,
        "scale": settings.scale,
        "months": settings.months,
        "workers": settings.workers,
        "execution": settings.execution.describe(),
        "wall_seconds": round(results.wall_seconds, 3),
        "persons_per_replication": results.replications["persons"].tolist(),
        "transitions": int(results.replications["transitions"].sum()),
        "simpy_events": int(results.replications["simpy_events"].sum()),
        "versions": _versions(),
        "code_sha256": code_hash(),
        "fingerprint": fingerprint(scenario, int(settings.seed or 0), float(settings.scale or 0),
                                   int(settings.months or 0), settings.save_spells),
        "parameters": data,
        "sources": provenance,
        "assumptions": [p["path"] for p in provenance if not p.get("source")],
    }


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
