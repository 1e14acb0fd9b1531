"""Finished replications kept on disk, keyed by a fingerprint of everything that decides them.

A replication's result depends only on the scenario's content, the seed, the
replication index, the scale, the horizon and the model's code. :func:`fingerprint`
hashes exactly these (plus the package version); :class:`CheckpointStore` keeps each
finished replication under ``<folder>/.checkpoints/<fingerprint>/`` (one pickle per
replication, written atomically). A rerun of the same request finds them and runs
only what is missing — after an interruption (Ctrl-C, a killed process, a lost
worker) as well as for a plain repeat — while any change to the scenario or to the
model's code gives another fingerprint, so stale results are never reused.

Example:
    >>> import tempfile
    >>> from sim.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> key = fingerprint(scenario, seed=1, scale=0.01, months=12, save_spells=False)
    >>> store = CheckpointStore(tempfile.mkdtemp(), key)
    >>> store.finished()
    []
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.files import SOURCE_ROOT, write_atomic
from sim.scenario import Scenario

__all__ = ["CheckpointStore", "code_hash", "fingerprint", "kept_replications"]

_PACKAGE = SOURCE_ROOT / "sim"


@lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 over the source of every module of the package (sorted by path)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("sim")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def fingerprint(scenario: Scenario, seed: int, scale: float, months: int, save_spells: bool) -> str:
    """The key of a run's replications: scenario values, seed plan, version and model code."""
    values = scenario.model_dump(mode="json", exclude={"provenance", "source_file", "description"})
    payload = json.dumps(
        {"scenario": values, "seed": seed, "scale": scale, "months": months, "save_spells": save_spells,
         "version": _version(), "code": code_hash()},
        sort_keys=True, ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


class CheckpointStore:
    """Finished replications of one fingerprint in ``<folder>/.checkpoints/<key>/``."""

    def __init__(self, folder: str | os.PathLike[str], key: str) -> None:
        self.folder = Path(folder)
        self.directory = self.folder / ".checkpoints" / key

    def _path(self, replication: int) -> Path:
        return self.directory / f"replication-{replication:05d}.pickle"

    def get(self, replication: int) -> Any | None:
        """The stored result of a replication, or None (also for an unreadable file, which is rerun)."""
        path = self._path(replication)
        try:
            with path.open("rb") as stream:
                return pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return None

    def put(self, replication: int, result: Any) -> None:
        """Keep a finished replication (atomically: a half-written file never looks finished)."""
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self._path(replication), lambda tmp: tmp.write_bytes(payload))

    def finished(self) -> list[int]:
        """Replications kept so far."""
        if not self.directory.is_dir():
            return []
        return sorted(int(p.stem.split("-")[1]) for p in self.directory.glob("replication-*.pickle"))


def kept_replications(folder: str | os.PathLike[str]) -> int:
    """How many finished replications are kept anywhere under ``folder`` (a run's or a comparison's)."""
    return len(list(Path(folder).glob("**/.checkpoints/*/replication-*.pickle")))
