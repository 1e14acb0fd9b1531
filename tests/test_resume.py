"""Nothing finished is lost: checkpoints, kill-and-resume with a real signal, Ctrl-C, and the cache key."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.experiments.checkpoints import CheckpointStore, fingerprint
from tests.conftest import BASELINE, ROOT

ARGS = ["run", str(BASELINE), "--replications", "8", "--scale", "0.02", "--months", "48"]


def _start(out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sim", *ARGS, "--out", str(out), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _kept(out: Path) -> list[Path]:
    return sorted(out.glob(".checkpoints/*/replication-[0-9]*"))


def _wait_for(out: Path, n: int, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while len(_kept(out)) < n:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no replication finished in time"
        time.sleep(0.02)


def test_a_killed_run_resumes_and_gives_exactly_the_uninterrupted_results(tmp_path):
    whole = subprocess.run([sys.executable, "-m", "sim", *ARGS, "--out", str(tmp_path / "whole")], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)  # fmt: skip
    assert whole.returncode == 0, whole.stderr

    out = tmp_path / "killed"
    process = _start(out)
    _wait_for(out, 2, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    kept = _kept(out)
    assert 2 <= len(kept) < 8 and not (out / "manifest.json").exists() and not (out / "metrics.csv").exists()
    before = {p.name: p.stat().st_mtime_ns for p in kept}

    resumed = subprocess.run([sys.executable, "-m", "sim", *ARGS, "--out", str(out), "--resume"], cwd=ROOT,
                             capture_output=True, text=True, timeout=600)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(kept)} finished replication(s)" in resumed.stderr
    # The kept replications were loaded, not recomputed; the rest were run.
    assert {p.name: p.stat().st_mtime_ns for p in kept} == before
    assert len(_kept(out)) == 8
    for name in ("metrics.csv", "summary.csv", "costs.csv", "survival.csv", "queues.csv"):
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    out = tmp_path / "interrupted"
    process = _start(out)
    _wait_for(out, 1, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted:" in stderr and "--resume" in stderr and "Traceback" not in stderr
    assert not (out / "manifest.json").exists()


def test_the_fingerprint_changes_with_scenario_seed_and_settings(baseline):
    key = fingerprint(baseline, 1, 0.01, 12, False)
    assert key == fingerprint(baseline, 1, 0.01, 12, False)
    changed = baseline.with_changes({"population.inflow_per_year": 50_000})
    others = {
        fingerprint(changed, 1, 0.01, 12, False), fingerprint(baseline, 2, 0.01, 12, False),
        fingerprint(baseline, 1, 0.02, 12, False), fingerprint(baseline, 1, 0.01, 24, False),
        fingerprint(baseline, 1, 0.01, 12, True),
    }  # fmt: skip
    assert key not in others and len(others) == 5
    # Sources and the file a scenario was read from do not decide results: same key.
    cited = baseline.with_changes({"population.inflow_per_year": baseline.population.inflow_per_year}, source="x")
    assert fingerprint(cited, 1, 0.01, 12, False) == key


def test_an_unreadable_checkpoint_is_run_again(tmp_path, baseline):
    from sim.experiments.checkpoints import CheckpointDiscarded
    from sim.experiments.replication import run_replication

    key = fingerprint(baseline, 1, 0.002, 6, False)
    store = CheckpointStore(tmp_path, key, seed=1, scale=0.002, months=6)
    result = run_replication(baseline, 1, 0, 0.002, 6)
    store.put(0, result)
    (store.directory / "replication-00001").mkdir()
    (store.directory / "replication-00001" / "record.json").write_bytes(b"truncated")
    kept = store.get(0)
    assert kept is not None and kept.metrics.equals(result.metrics)
    with pytest.warns(CheckpointDiscarded, match="record.json is not JSON"):
        assert store.get(1) is None
    assert store.finished() == [0, 1]


def test_a_repeated_request_reuses_the_kept_replications(tmp_path, baseline):
    from sim.experiments.runner import run
    from sim.experiments.settings import RunSettings

    settings = RunSettings(replications=2, scale=0.002, months=12)
    first = run(baseline, settings, checkpoints=tmp_path)
    again = run(baseline, settings, checkpoints=tmp_path)
    assert again.metrics.equals(first.metrics)
    assert again.replications["wall_seconds"].tolist() == first.replications["wall_seconds"].tolist()


@pytest.mark.parametrize("changes", [{"population.inflow_per_year": 1000}])
def test_a_changed_scenario_does_not_reuse_them(tmp_path, baseline, changes):
    from sim.experiments.runner import run
    from sim.experiments.settings import RunSettings

    settings = RunSettings(replications=1, scale=0.002, months=12)
    run(baseline, settings, checkpoints=tmp_path)
    run(baseline.with_changes(changes), settings, checkpoints=tmp_path)
    assert len(list(tmp_path.glob(".checkpoints/*"))) == 2


def test_reproduce_reruns_a_manifest_and_detects_a_changed_result(tmp_path):
    out = tmp_path / "run"
    first = subprocess.run([sys.executable, "-m", "sim", "run", str(BASELINE), "--replications", "2", "--scale",
                            "0.002", "--months", "12", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    same = subprocess.run([sys.executable, "-m", "sim", "reproduce", str(out / "manifest.json")], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    assert same.returncode == 0 and "Reproduced bit for bit" in same.stdout, same.stderr
    metrics = out / "metrics.csv"
    metrics.write_text(metrics.read_text(encoding="utf-8").replace("0.", "1.", 1), encoding="utf-8")
    changed = subprocess.run([sys.executable, "-m", "sim", "reproduce", str(out / "manifest.json")], cwd=ROOT,
                             capture_output=True, text=True)  # fmt: skip
    assert changed.returncode == 1 and "NOT reproduced: metrics.csv differ" in changed.stdout


def test_reproduce_of_a_missing_manifest_is_exit_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sim", "reproduce", str(tmp_path / "manifest.json")], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2 and "cannot read the manifest" in done.stderr and "Traceback" not in done.stderr


def test_a_comparison_keeps_and_reuses_each_scenarios_replications(tmp_path, baseline):
    from sim.experiments.compare import compare
    from sim.experiments.settings import RunSettings

    parallel = baseline.with_changes({"name": "parallel", "policies.pathway.mode": "parallel"})
    settings = RunSettings(replications=2, scale=0.002, months=12)
    first = compare([baseline, parallel], settings, checkpoints=tmp_path)
    assert len(list((tmp_path / "parallel").glob(".checkpoints/*/replication-[0-9]*"))) == 2
    again = compare([baseline, parallel], settings, checkpoints=tmp_path)
    assert again.table.equals(first.table)
    assert again.results[1].replications["wall_seconds"].tolist() == first.results[1].replications["wall_seconds"].tolist()
