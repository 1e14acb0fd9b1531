"""Finished replications kept on disk as data, keyed by a fingerprint of everything that decides them.

A replication's result depends only on the scenario's content, the seed, the
replication index, the scale, the horizon and the model's code. :func:`fingerprint`
hashes exactly these (plus the package version); :class:`CheckpointStore` keeps each
finished replication under ``<folder>/.checkpoints/<fingerprint>/replication-<r>/``:
one Parquet file per table and ``record.json`` (the fingerprint, seed, replication,
scale, months, the run's counts, the SHA-256 of every table file and of the record
itself). A rerun of the same request finds them and runs only what is missing —
after an interruption (Ctrl-C, a killed process, a lost worker) as well as for a plain
repeat — while any change to the scenario or to the model's code gives another
fingerprint, so stale results are never reused.

A results folder is shared, mailed and unpacked from archives, so a checkpoint is
untrusted input: nothing in it can run code (JSON and Parquet are data), and it is
used only if it proves it belongs to the request. Anything else — edited bytes, a
replication of another seed or copied under another index, a truncated or missing
file, a link — is discarded with a one-line warning (:class:`CheckpointDiscarded`)
and computed again.

Example:
    >>> import tempfile
    >>> from sim.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/baseline.yaml")
    >>> key = fingerprint(scenario, seed=1, scale=0.01, months=12, save_spells=False)
    >>> store = CheckpointStore(tempfile.mkdtemp(), key, seed=1, scale=0.01, months=12)
    >>> store.finished()
    []
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.replication import ReplicationResult
from sim.files import SOURCE_ROOT, readable_mode
from sim.scenario import Scenario

__all__ = ["CheckpointDiscarded", "CheckpointStore", "code_hash", "fingerprint", "kept_replications"]

_PACKAGE = SOURCE_ROOT / "sim"
#: Bumped when the layout of a checkpoint changes (older ones are then discarded, not misread).
FORMAT = 2
_RECORD = "record.json"
_TABLES = ("metrics", "costs", "revenue", "occupancy", "waits", "survival", "queues", "spells")
_COUNTS = ("events", "transitions", "persons")
_SECONDS = ("wall_seconds", "simulate_seconds")
#: A record is a few hundred bytes; anything much larger is not one of ours.
_MAX_RECORD_BYTES = 64 * 1024


class CheckpointDiscarded(UserWarning):
    """A kept replication that does not prove it belongs to the request; it is computed again."""


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


class _Invalid(Exception):
    """Why a kept replication cannot be used."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sealed(record: dict[str, Any]) -> str:
    """SHA-256 of a record's canonical JSON (without its own ``sha256`` field)."""
    body = {k: v for k, v in record.items() if k != "sha256"}
    return _sha256(json.dumps(body, sort_keys=True, ensure_ascii=True).encode("ascii"))


class CheckpointStore:
    """Finished replications of one request in ``<folder>/.checkpoints/<key>/``.

    Args:
        folder: the results folder the checkpoints belong to.
        key: the request's :func:`fingerprint`.
        seed, scale, months: the request; a kept replication must record the same.
    """

    def __init__(self, folder: str | os.PathLike[str], key: str, seed: int, scale: float, months: int) -> None:
        self.folder = Path(folder)
        self.key = key
        self.directory = self.folder / ".checkpoints" / key
        self._request = {"fingerprint": key, "seed": int(seed), "scale": float(scale), "months": int(months)}

    def _path(self, replication: int) -> Path:
        return self.directory / f"replication-{replication:05d}"

    def get(self, replication: int) -> ReplicationResult | None:
        """The kept result of a replication, or None when there is none or it does not prove it belongs here
        (then a :class:`CheckpointDiscarded` warning says why)."""
        path = self._path(replication)
        if not os.path.lexists(path):
            return None
        try:
            return self._load(path, replication)
        except _Invalid as problem:
            warnings.warn(f"{path}: {problem}; it is computed again", CheckpointDiscarded, stacklevel=2)
            return None

    def _load(self, path: Path, replication: int) -> ReplicationResult:
        if path.is_symlink() or not path.is_dir():
            raise _Invalid("not a checkpoint folder")
        record = self._record(path)
        expected = {**self._request, "format": FORMAT, "replication": int(replication)}
        for name, value in expected.items():
            if record.get(name) != value:
                raise _Invalid(f"records {name} {record.get(name)!r}, not {value!r} as this run asks")
        tables: dict[str, pd.DataFrame | None] = {name: None for name in _TABLES}
        files = record.get("files")
        if not isinstance(files, dict) or not set(files) <= set(_TABLES) or not set(_TABLES[:-1]) <= set(files):
            raise _Invalid("its table list is not a checkpoint's")
        for name, digest in files.items():
            data = _read_regular(path / f"{name}.parquet")
            if _sha256(data) != digest:
                raise _Invalid(f"{name}.parquet does not match its SHA-256 (changed or truncated)")
            try:
                tables[name] = pd.read_parquet(io.BytesIO(data))
            except Exception as exc:  # a file whose bytes match its hash but that is not Parquet
                raise _Invalid(f"{name}.parquet cannot be read ({type(exc).__name__})") from None
        counts = {name: record["counts"][name] for name in _COUNTS}
        seconds = {name: record["counts"][name] for name in _SECONDS}
        return ReplicationResult(replication=replication, **tables, **counts, **seconds)  # type: ignore[arg-type]

    def _record(self, path: Path) -> dict[str, Any]:
        data = _read_regular(path / _RECORD, _MAX_RECORD_BYTES)
        try:
            record = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _Invalid(f"{_RECORD} is not JSON") from None
        if not isinstance(record, dict) or record.get("sha256") != _sealed(record):
            raise _Invalid(f"{_RECORD} does not match its SHA-256 (changed or truncated)")
        counts = record.get("counts")
        if not isinstance(counts, dict) or not all(isinstance(counts.get(n), (int, float)) for n in _COUNTS + _SECONDS):
            raise _Invalid(f"{_RECORD} lacks the run's counts")
        return record

    def put(self, replication: int, result: ReplicationResult) -> None:
        """Keep a finished replication (atomically: its folder appears whole or not at all)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.directory))
        try:
            files = {}
            for name in _TABLES:
                frame = getattr(result, name)
                if frame is None:
                    continue
                buffer = io.BytesIO()
                frame.to_parquet(buffer, index=False)
                data = buffer.getvalue()
                (staging / f"{name}.parquet").write_bytes(data)
                files[name] = _sha256(data)
            record: dict[str, Any] = {
                **self._request, "format": FORMAT, "replication": int(replication), "files": files,
                "counts": {f.name: getattr(result, f.name) for f in fields(result) if f.name in _COUNTS + _SECONDS},
            }  # fmt: skip
            record["sha256"] = _sealed(record)
            (staging / _RECORD).write_text(json.dumps(record, sort_keys=True, indent=1), encoding="utf-8")
            staging.chmod(readable_mode(directory=True))
            for file in staging.iterdir():
                file.chmod(readable_mode())
            target = self._path(replication)
            if os.path.lexists(target):
                _remove(target)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def finished(self) -> list[int]:
        """Replications kept so far (by folder name; :meth:`get` checks each)."""
        if not self.directory.is_dir():
            return []
        return sorted(int(p.name.split("-")[1]) for p in self.directory.glob("replication-[0-9]*"))


def _read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (not a link, a FIFO or a device), at most ``limit`` of them."""
    try:
        if path.is_symlink() or not path.is_file():
            raise _Invalid(f"{path.name} is missing or not a regular file")
        with path.open("rb") as stream:
            data = stream.read(limit + 1 if limit else -1)
    except OSError as exc:
        raise _Invalid(f"{path.name} cannot be read ({exc.strerror or exc})") from None
    if limit is not None and len(data) > limit:
        raise _Invalid(f"{path.name} is too large to be a checkpoint's")
    return data


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def kept_replications(folder: str | os.PathLike[str]) -> int:
    """How many finished replications are kept anywhere under ``folder`` (a run's or a comparison's)."""
    return len(list(Path(folder).glob("**/.checkpoints/*/replication-[0-9]*")))
