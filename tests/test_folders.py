"""One writer per output folder, and a finished folder is all of one run (issue 13).

The folder is locked for the whole run, filled in a staging folder beside it and swapped in
whole; a second run is refused, an interrupted or failed run leaves nothing that looks
finished, and a folder holding someone else's files is never replaced.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.files import FolderBusy, NotAResultsFolder, OutputFolder, write_text
from tests.conftest import BASELINE, ROOT

SMALL = ["--replications", "1", "--scale", "0.002", "--months", "6"]
#: Long enough (several seconds) to be caught in the middle.
LONG = ["--replications", "8", "--scale", "0.02", "--months", "48"]


def sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def wait_until(condition, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# ----------------------------------------------------------------------------- the folder, as a unit


def test_a_second_holder_is_refused_and_a_released_folder_is_free(tmp_path):
    target = tmp_path / "out"
    with OutputFolder(target):
        with pytest.raises(FolderBusy, match=f"process {os.getpid()}"):
            OutputFolder(target).__enter__()
    with OutputFolder(target) as held:  # released on leaving, so it is free again
        held.commit()
    assert target.is_dir()


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    """The lock is the system's (flock): a dead holder's PID left in the file does not block."""
    (tmp_path / ".out.lock").write_text("process 999999999\n")
    with OutputFolder(tmp_path / "out") as held:
        held.commit()


def test_the_swap_replaces_everything_and_keeps_the_checkpoints(tmp_path):
    target = tmp_path / "out"
    for name in ("manifest.json", "spells.parquet", "psa_draws.csv"):
        write_text(target / name, "old")
    write_text(target / ".checkpoints" / "key" / "replication-00000" / "record.json", "{}")
    with OutputFolder(target) as held:
        write_text(held.staging / "manifest.json", "new")
        held.commit()
    assert sorted(p.name for p in target.iterdir()) == [".checkpoints", "manifest.json"]
    assert (target / "manifest.json").read_text() == "new"
    assert (target / ".checkpoints" / "key" / "replication-00000" / "record.json").is_file()
    assert not list(tmp_path.glob(".out.staging-*")) and not list(tmp_path.glob(".out.old-*"))


def test_leaving_without_commit_leaves_the_folder_as_it_was(tmp_path):
    target = tmp_path / "out"
    write_text(target / "manifest.json", "finished")
    with pytest.raises(RuntimeError), OutputFolder(target) as held:
        write_text(held.staging / "manifest.json", "half")
        raise RuntimeError("disk full, say")
    assert (target / "manifest.json").read_text() == "finished"
    assert not list(tmp_path.glob(".out.staging-*"))


def test_a_folder_with_foreign_files_or_a_file_is_refused(tmp_path):
    write_text(tmp_path / "mine" / "thesis.docx", "years of work")
    with pytest.raises(NotAResultsFolder, match="thesis.docx"):
        OutputFolder(tmp_path / "mine", ours=lambda p: p.name == "manifest.json").__enter__()
    write_text(tmp_path / "file", "x")
    with pytest.raises(NotAResultsFolder, match="is a file"):
        OutputFolder(tmp_path / "file").__enter__()
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "years of work"


# ----------------------------------------------------------------------------- through the command line


def test_two_runs_into_one_folder_the_second_is_refused_with_the_holder(tmp_path):
    out = tmp_path / "out"
    first = start("run", str(BASELINE), *LONG, "--out", str(out))
    lock = tmp_path / ".out.lock"
    wait_until(lambda: lock.exists() and lock.read_text().startswith("process"), first)
    second = sim("run", str(BASELINE), *SMALL, "--out", str(out))
    assert second.returncode == 2 and "is being written by another run (process" in second.stderr
    assert "Traceback" not in second.stderr
    first.communicate(timeout=600)
    assert first.returncode == 0
    manifest = (out / "manifest.json").read_text()
    assert '"replications": 8' in manifest


def test_a_finished_folder_is_all_of_one_run_with_the_manifest_last(tmp_path):
    out = tmp_path / "out"
    assert sim("run", str(BASELINE), *SMALL, "--save-spells", "--psa", "2", "--out", str(out)).returncode == 0
    assert (out / "spells.parquet").is_file() and (out / "psa.html").is_file()
    again = sim("run", str(BASELINE), *SMALL, "--out", str(out))
    assert again.returncode == 0, again.stderr
    names = {p.name for p in out.iterdir()}
    assert "spells.parquet" not in names and not any(n.startswith("psa") for n in names)
    files = [p for p in out.iterdir() if p.is_file()]
    last = max(files, key=lambda p: p.stat().st_mtime_ns)
    assert last.name == "manifest.json"


def test_result_files_are_readable_by_others_under_the_usual_umask(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(["sh", "-c", f"umask 022 && {sys.executable} -m sim run {BASELINE} {' '.join(SMALL)} "
                           f"--out {out}"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for path in [out, *out.iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path.name, oct(mode))


def test_an_out_that_is_a_file_or_holds_foreign_files_is_refused_before_simulating(tmp_path):
    (tmp_path / "a_file").write_text("x")
    done = sim("run", str(BASELINE), *LONG, "--out", str(tmp_path / "a_file"))
    assert done.returncode == 2 and "is a file, not a folder" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    done = sim("run", str(BASELINE), *LONG, "--out", str(tmp_path / "mine"))
    assert done.returncode == 2 and "notes.txt" in done.stderr and "--out" in done.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "mine"
    done = sim("run", str(BASELINE), *SMALL, "--out", "/proc/no/such/place")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_sigterm_ends_every_worker_and_says_how_to_resume(tmp_path):
    out = tmp_path / "out"
    process = start("run", str(BASELINE), *LONG, "--workers", "2", "--out", str(out))
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    wait_until(lambda: children.exists() and len(children.read_text().split()) >= 2, process)
    workers = [int(pid) for pid in children.read_text().split()]
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1].startswith("terminated:") and "Traceback" not in stderr
    time.sleep(0.5)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]  # fmt: skip
    assert not alive, f"worker processes {alive} outlived the run"
    assert not (out / "manifest.json").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root (CI runs as root)")
def test_a_full_disk_is_a_clear_error_and_leaves_nothing_that_looks_finished(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        done = sim("run", str(BASELINE), *SMALL, "--out", str(disk / "out"))
        assert done.returncode == 2, done.stderr
        assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
        assert not (disk / "out" / "manifest.json").exists()
        assert not list(disk.glob(".out.staging-*"))
    finally:
        subprocess.run(["umount", str(disk)], check=False)
