"""Where independent tasks run: in this process, on a local process pool, or on Dask.

Replications (and with them scenarios, PSA draws and sensitivity points) are
independent tasks whose results depend on their arguments alone, so the place
they run changes nothing but the wall time. :func:`map_tasks` runs ``fn`` over a
list of argument tuples and returns the results in the same order, on

* this process (``workers=1``, no scheduler);
* a local pool of ``workers`` forked processes;
* a Dask cluster: an existing one at ``scheduler`` (``tcp://HOST:PORT``), or one
  started here with ``dask_local`` worker processes (kept for the rest of the
  session, so a comparison of several scenarios starts it once).

Tasks that run side by side use one BLAS thread each (``threadpoolctl``): two
processes with multithreaded BLAS on two cores would take turns instead of running
in parallel.

Example:
    >>> map_tasks(pow, [(2, 3), (3, 2)], Execution())
    [8, 9]
"""

from __future__ import annotations

import atexit
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, TypeVar

from sim.errors import ArgumentError, UsageError

__all__ = ["Execution", "map_tasks"]

T = TypeVar("T")


@dataclass(frozen=True)
class Execution:
    """How to run independent tasks: worker processes, or a Dask scheduler address, or a local Dask cluster."""

    workers: int = 1
    scheduler: str | None = None
    dask_local: int | None = None

    def __post_init__(self) -> None:
        if self.scheduler is not None and self.dask_local is not None:
            raise ArgumentError("scheduler", "give either a scheduler or dask_local, not both")
        if self.workers < 1:
            raise ArgumentError("workers", f"must be at least 1 (got {self.workers})")
        if self.dask_local is not None and self.dask_local < 1:
            raise ArgumentError("dask_local", f"must be at least 1 (got {self.dask_local})")

    @property
    def uses_dask(self) -> bool:
        """True when tasks go to a Dask cluster."""
        return self.scheduler is not None or self.dask_local is not None

    def describe(self) -> str:
        """A few words for logs and manifests."""
        if self.scheduler is not None:
            return f"Dask scheduler {self.scheduler}"
        if self.dask_local is not None:
            return f"local Dask cluster, {self.dask_local} workers"
        return f"{self.workers} worker process{'es' if self.workers > 1 else ''}"


def map_tasks(
    fn: Callable[..., T],
    tasks: Sequence[tuple[Any, ...]],
    execution: Execution,
    progress: Callable[[int, int], None] | None = None,
    on_result: Callable[[int, T], None] | None = None,
) -> list[T]:
    """``[fn(*task) for task in tasks]``, run where ``execution`` says; results in task order.

    Args:
        progress: called as ``progress(done, total)`` after each task finishes.
        on_result: called as ``on_result(index, result)`` as each task finishes (to keep it).
    """
    total = len(tasks)
    out: list[Any] = [None] * total

    def finished(index: int, result: Any, done: int) -> None:
        out[index] = result
        if on_result is not None:
            on_result(index, result)
        if progress:
            progress(done, total)

    if execution.uses_dask:
        from distributed import as_completed as dask_completed

        client = _client(execution)
        futures = client.map(_single_threaded, [fn] * total, *zip(*tasks), pure=False) if tasks else []
        index = {future.key: i for i, future in enumerate(futures)}
        for n, future in enumerate(dask_completed(futures), start=1):
            finished(index[future.key], future.result(), n)
        return out
    if execution.workers <= 1 or total <= 1:
        for i, task in enumerate(tasks):
            finished(i, fn(*task), i + 1)
        return out
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=min(execution.workers, total), mp_context=context,
                               initializer=_worker_start)  # fmt: skip
    try:
        futures = {pool.submit(fn, *task): i for i, task in enumerate(tasks)}
        for n, future in enumerate(as_completed(futures), start=1):
            finished(futures[future], future.result(), n)
    except BaseException:
        # Ctrl-C, SIGTERM or a failed task: end the workers now rather than wait for their replications.
        _end_workers(pool)
        raise
    pool.shutdown(wait=True)
    return out


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate a pool's worker processes and wait for them, so none outlives the run."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def _worker_start() -> None:
    """Pool initializer: one BLAS thread for the worker's whole life, and the default signal actions.

    The parent ends its workers itself (on Ctrl-C, SIGTERM or an error), so a worker ignores
    Ctrl-C and dies on SIGTERM instead of inheriting the parent's handlers.
    """
    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threadpool_limits(limits=1, user_api="blas")


def _single_threaded(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` with one BLAS thread (for Dask workers, which are not ours to initialise)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return fn(*args)


_CLIENTS: dict[tuple[str | None, int | None], Any] = {}


def _client(execution: Execution) -> Any:
    """A Dask client for the execution, connected once per session."""
    key = (execution.scheduler, execution.dask_local)
    if key in _CLIENTS:
        return _CLIENTS[key]
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise UsageError("Dask is not installed: pip install distributed") from None
    if execution.scheduler is not None:
        try:
            client = Client(execution.scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise ArgumentError("scheduler", f"cannot reach the Dask scheduler at {execution.scheduler} ({exc})") from None
    else:
        cluster = LocalCluster(n_workers=execution.dask_local, threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
        client = Client(cluster)
    _CLIENTS[key] = client
    atexit.register(_close, key)
    return client


def _close(key: tuple[str | None, int | None]) -> None:
    client = _CLIENTS.pop(key, None)
    if client is not None:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
