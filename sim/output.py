"""Writing a run's results folder: tables, manifest and assumptions, each file atomically.

Every file is written to a temporary name in the same folder and renamed into
place, so an interrupted run never leaves a truncated file that looks complete;
the manifest is written last and marks the folder as finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.checkpoints import code_hash, fingerprint
from sim.errors import UsageError
from sim.runner import Results
from sim.scenario.schema import Scenario

__all__ = [
    "write_results", "write_atomic_csv", "scenario_hash", "manifest", "assumptions_table", "check_output_folder",
]  # fmt: skip

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


def check_output_folder(folder: str | os.PathLike[str], scenario: Scenario, seed: int, force: bool) -> None:
    """Refuse to overwrite a folder that holds the results of another scenario or seed.

    Called before a run starts, so no time is spent on results that could not be written.

    Raises:
        UsageError: the folder's manifest names another scenario content or seed and
            ``force`` is false.
    """
    path = Path(folder) / "manifest.json"
    if force or not path.exists():
        return
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    same = old.get("scenario_sha256") == scenario_hash(scenario) and old.get("seed") == seed
    if not same:
        raise UsageError(
            f"{folder}: holds results of scenario '{old.get('scenario')}' (seed {old.get('seed')}), "
            f"not of '{scenario.name}' (seed {seed}); choose another --out or add --force to overwrite"
        )


def write_results(results: Results, out_dir: str | os.PathLike[str]) -> Path:
    """Write the results folder and return its path."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "manifest.json"
    if stale.exists():
        stale.unlink()
    _atomic(folder / "metrics.csv", lambda p: results.metrics.to_csv(p, index=False))
    _atomic(folder / "summary.csv", lambda p: results.summary.to_csv(p, index=False))
    _atomic(folder / "costs.csv", lambda p: results.costs.to_csv(p, index=False))
    _atomic(folder / "waits.csv", lambda p: results.waits.to_csv(p, index=False))
    _atomic(folder / "occupancy.parquet", lambda p: results.occupancy.to_parquet(p, index=False))
    _atomic(folder / "survival.csv", lambda p: results.survival.to_csv(p, index=False))
    _atomic(folder / "queues.csv", lambda p: results.queues.to_csv(p, index=False))
    _atomic(folder / "assumptions.csv", lambda p: assumptions_table(results.scenario).to_csv(p, index=False))
    if results.spell_table is not None:
        _atomic(folder / "spells.parquet", lambda p: results.spells.to_parquet(p, index=False))
    text = json.dumps(manifest(results), indent=2, ensure_ascii=False, default=str)
    _atomic(folder / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
    return folder


def write_atomic_csv(frame: pd.DataFrame, target: str | os.PathLike[str]) -> Path:
    """Write a table as CSV atomically (temporary file, then rename); creates the folder."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic(path, lambda p: frame.to_csv(p, index=False))
    return path


def _atomic(target: Path, write: Callable[[str], object]) -> None:
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
