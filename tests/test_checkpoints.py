"""A kept replication is data that must prove it belongs to the run: nothing in a results folder can run code."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.experiments.checkpoints import CheckpointDiscarded, CheckpointStore, fingerprint
from sim.experiments.replication import run_replication
from tests.conftest import BASELINE, ROOT

SEED, SCALE, MONTHS = 4, 0.002, 6


@pytest.fixture(scope="module")
def kept(baseline, tmp_path_factory):
    """A store holding replications 0 and 1 of the baseline, and the results they hold."""
    folder = tmp_path_factory.mktemp("kept")
    store = CheckpointStore(folder, fingerprint(baseline, SEED, SCALE, MONTHS, False), SEED, SCALE, MONTHS)
    results = [run_replication(baseline, SEED, r, SCALE, MONTHS) for r in (0, 1)]
    for r, result in enumerate(results):
        store.put(r, result)
    return store, results


def _copy(store: CheckpointStore, tmp_path: Path, **request: object) -> CheckpointStore:
    shutil.copytree(store.folder / ".checkpoints", tmp_path / ".checkpoints")
    args = {"seed": SEED, "scale": SCALE, "months": MONTHS, **request}
    return CheckpointStore(tmp_path, store.key, **args)  # type: ignore[arg-type]


def test_a_kept_replication_is_parquet_and_json_and_comes_back_equal(kept):
    store, results = kept
    folder = store.directory / "replication-00000"
    assert sorted(p.suffix for p in folder.iterdir()) == [".json"] + [".parquet"] * 7
    back = store.get(0)
    assert back is not None
    for name in ("metrics", "costs", "revenue", "occupancy", "waits", "survival", "queues"):
        assert getattr(back, name).to_csv(index=False) == getattr(results[0], name).to_csv(index=False), name
    assert (back.events, back.transitions, back.persons) == (results[0].events, results[0].transitions,
                                                             results[0].persons)


def test_an_edited_value_is_discarded_with_a_warning(kept, tmp_path):
    """An edited float changes the table's SHA-256: the replication is computed again, not used."""
    store = _copy(kept[0], tmp_path)
    path = store.directory / "replication-00000" / "metrics.parquet"
    table = pd.read_parquet(path)
    table.loc[0, "value"] += 0.5
    table.to_parquet(path, index=False)
    with pytest.warns(CheckpointDiscarded, match="metrics.parquet does not match its SHA-256"):
        assert store.get(0) is None
    assert store.get(1) is not None


def test_an_edited_record_is_discarded(kept, tmp_path):
    """Changing the record (say, its counts) breaks its own SHA-256."""
    store = _copy(kept[0], tmp_path)
    path = store.directory / "replication-00000" / "record.json"
    record = json.loads(path.read_text())
    record["counts"]["persons"] += 1
    path.write_text(json.dumps(record))
    with pytest.warns(CheckpointDiscarded, match="record.json does not match its SHA-256"):
        assert store.get(0) is None


def test_another_seeds_replication_is_discarded(kept, tmp_path):
    """The same folder name under a run of another seed is not this run's replication."""
    store = _copy(kept[0], tmp_path, seed=SEED + 1)
    with pytest.warns(CheckpointDiscarded, match="records seed 4, not 5"):
        assert store.get(0) is None


def test_a_replication_copied_under_another_index_is_discarded(kept, tmp_path):
    store = _copy(kept[0], tmp_path)
    shutil.copytree(store.directory / "replication-00000", store.directory / "replication-00007")
    with pytest.warns(CheckpointDiscarded, match="records replication 0, not 7"):
        assert store.get(7) is None


def test_a_truncated_or_missing_table_is_discarded(kept, tmp_path):
    store = _copy(kept[0], tmp_path)
    data = store.directory / "replication-00000" / "costs.parquet"
    data.write_bytes(data.read_bytes()[:40])
    (store.directory / "replication-00001" / "survival.parquet").unlink()
    with pytest.warns(CheckpointDiscarded, match="costs.parquet does not match"):
        assert store.get(0) is None
    with pytest.warns(CheckpointDiscarded, match="survival.parquet is missing"):
        assert store.get(1) is None


def test_a_planted_pickle_is_never_loaded(tmp_path):
    """A crafted pickle beside (and in place of) the checkpoints of an ordinary run runs nothing."""
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return os.system, (f"touch {marker}",)

    out = tmp_path / "run"
    args = ["run", str(BASELINE), "--replications", "1", "--scale", "0.002", "--months", "6", "--out", str(out)]
    first = subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    (kept_folder,) = (out / ".checkpoints").iterdir()
    payload = pickle.dumps(Exploit())
    (kept_folder / "replication-00000.pickle").write_bytes(payload)
    for file in (kept_folder / "replication-00000").iterdir():
        file.write_bytes(payload)
    again = subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert not marker.exists(), "a file in the results folder ran code"
    assert "warning:" in again.stderr and "computed again" in again.stderr
