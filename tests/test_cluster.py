"""Replications on a real Dask cluster give exactly the local results.

The test starts ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 and
runs a comparison through them with ``--scheduler``. Without the ``distributed``
package it is skipped, unless ``SIM_REQUIRE_CLUSTER=1`` (set by ``.ci/run``) makes
that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.cluster

try:
    import distributed  # noqa: F401

    HAVE_DASK = True
except ImportError:  # pragma: no cover
    HAVE_DASK = False

if not HAVE_DASK and os.environ.get("SIM_REQUIRE_CLUSTER") != "1":  # pragma: no cover
    pytest.skip("distributed is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask_command() -> list[str]:
    here = Path(sys.executable).parent / "dask"
    return [str(here)] if here.exists() else [shutil.which("dask") or "dask"]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded workers, stopped after the module's tests."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    dask = _dask_command()
    processes = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], stdout=open(logs / "scheduler.log", "w"),
                                  stderr=subprocess.STDOUT, cwd=ROOT)]  # fmt: skip
    try:
        _wait_for(port)
        for k in range(2):
            processes.append(subprocess.Popen(
                [*dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--host", "127.0.0.1"],
                stdout=open(logs / f"worker{k}.log", "w"), stderr=subprocess.STDOUT, cwd=ROOT,
            ))  # fmt: skip
        _wait_for_workers(address, 2)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the Dask scheduler did not open port {port}")


def _wait_for_workers(address: str, n: int, seconds: float = 60) -> None:
    from distributed import Client

    with Client(address, timeout="20s") as client:
        client.wait_for_workers(n, timeout=seconds)


def _sim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)  # fmt: skip


def test_comparison_on_a_dask_cluster_matches_the_local_run_bit_for_bit(scheduler, tmp_path):
    common = ["compare", "scenarios/baseline.yaml", "scenarios/requirement_parallel.yaml",
              "--replications", "4", "--scale", "0.005", "--months", "24"]  # fmt: skip
    local = _sim(*common, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    remote = _sim(*common, "--scheduler", scheduler, "--out", str(tmp_path / "dask"))
    assert remote.returncode == 0, remote.stderr
    for name in ("comparison.csv", "baseline/metrics.csv", "requirement_parallel/metrics.csv",
                 "baseline/costs.csv"):  # fmt: skip
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    done = _sim("run", "scenarios/baseline.yaml", "--replications", "1", "--scale", "0.002", "--months", "6",
                "--scheduler", f"tcp://127.0.0.1:{_free_port()}", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x").exists()
