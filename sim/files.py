"""Writing files and folders atomically, one writer at a time, and where the shipped data lie.

Every file the package writes goes through :func:`write_atomic`: the content is
written to a temporary file in the target's folder and renamed into place, so an
interrupted write never leaves a truncated file that looks complete (a rename
within one file system is atomic). :func:`write_text` and :func:`write_csv` are
the two common cases. A whole output folder is held by one run at a time and
replaced in one step (:class:`OutputFolder`).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_text(folder / "sub" / "note.txt", "hej").read_text(encoding="utf-8")
    'hej'
    >>> sorted(p.name for p in (folder / "sub").iterdir())  # no temporary file is left behind
    ['note.txt']
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import SimError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SOURCE_ROOT", "SCENARIOS_DIR", "CALIBRATION_DIR", "readable_mode", "write_atomic", "write_text", "write_csv",
    "OutputFolder", "FolderBusy", "NotAResultsFolder",
]  # fmt: skip

#: The source tree the package lies in (its ``scenarios/`` and ``calibration/`` folders are beside ``sim/``).
SOURCE_ROOT = Path(__file__).resolve().parent.parent
#: The shipped scenarios.
SCENARIOS_DIR = SOURCE_ROOT / "scenarios"
#: The calibration targets, prior and fitted overlay.
CALIBRATION_DIR = SOURCE_ROOT / "calibration"


def readable_mode(directory: bool = False) -> int:
    """The mode a new file (or folder) gets under the process's umask: 0644 (0755) under the usual 022.

    A temporary file is created 0600; result files are for others to read as well.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def write_atomic(target: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary path beside ``target``, then rename it into place; returns the target.

    Creates the folder if needed; on any error (an interruption included) the
    temporary file is removed and the target is left as it was.
    """
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        os.chmod(tmp, readable_mode())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically; returns the target."""
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_csv(frame: pd.DataFrame, target: str | os.PathLike[str]) -> Path:
    """Write a table as CSV (no index) to ``target`` atomically; returns the target."""
    return write_atomic(target, lambda tmp: frame.to_csv(tmp, index=False))


class FolderBusy(SimError):
    """Another process holds the output folder (it is writing its results there)."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder = folder
        self.holder = holder
        super().__init__(f"{folder}: is being written by another run ({holder}); wait for it to finish or "
                         "write elsewhere")


class NotAResultsFolder(SimError):
    """The output folder holds files this program did not write; it is never replaced."""

    def __init__(self, folder: Path, why: str) -> None:
        self.folder = folder
        super().__init__(f"{folder}: {why}; choose a new or empty folder (nothing there was changed)")


#: What a folder this program wrote may hold besides result files: its checkpoints.
CHECKPOINTS = ".checkpoints"


class OutputFolder:
    """An output folder held by one process for a whole run, filled beside it and swapped in whole.

    On entering, the folder is locked (``fcntl.flock`` on ``.<name>.lock`` beside it, with the
    holder's PID in it; a second run is refused with :class:`FolderBusy`, and a dead holder's lock
    is free because the system releases it) and a fresh staging folder is made beside it. The run
    keeps its checkpoints in the folder itself (:attr:`checkpoints`) and writes its results into
    :attr:`staging`; :meth:`commit` moves the checkpoints over and swaps the staging folder in, so
    the folder is at every moment either the previous finished result or the new one, never a mix.
    Leaving without :meth:`commit` (an error, Ctrl-C, a full disk) removes the staging folder and
    leaves the folder as it was.

    Args:
        target: the output folder.
        ours: whether a file or folder found at the top of an existing output folder is something
            this program writes (a folder holding anything else is refused with
            :class:`NotAResultsFolder`); by default everything is.

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "run"
        >>> with OutputFolder(target) as held:
        ...     _ = write_text(held.staging / "manifest.json", "{}")
        ...     held.commit()
        >>> sorted(p.name for p in target.iterdir())
        ['manifest.json']
    """

    def __init__(self, target: str | os.PathLike[str], ours: Callable[[Path], bool] | None = None) -> None:
        self.target = Path(target)
        self._ours = ours or (lambda path: True)
        self._lock: int | None = None
        self._staging: Path | None = None
        self.committed = False

    @property
    def checkpoints(self) -> Path:
        """Where the run keeps its finished replications (in the folder itself, so they survive an interruption)."""
        return self.target

    @property
    def staging(self) -> Path:
        """The folder the run writes its results into."""
        assert self._staging is not None, "the folder is not held"
        return self._staging

    def __enter__(self) -> OutputFolder:
        target = self.target
        if target.exists() and not target.is_dir():
            raise NotAResultsFolder(target, "is a file, not a folder")
        self._check_contents()
        target.parent.mkdir(parents=True, exist_ok=True)
        self._lock = self._take_lock()
        try:
            for stale in target.parent.glob(f".{target.name}.staging-*"):
                shutil.rmtree(stale, ignore_errors=True)
            self._staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
            self._staging.chmod(readable_mode(directory=True))
        except BaseException:
            self._release()
            raise
        return self

    def _check_contents(self) -> None:
        if not self.target.is_dir():
            return
        foreign = sorted(p.name for p in self.target.iterdir() if p.name != CHECKPOINTS and not self._ours(p))
        if foreign:
            raise NotAResultsFolder(self.target, f"holds {', '.join(foreign[:3])}{' …' if len(foreign) > 3 else ''}, "
                                                 "which this program did not write")  # fmt: skip

    def _take_lock(self) -> int:
        path = self.target.parent / f".{self.target.name}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, readable_mode())
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise FolderBusy(self.target, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()}\n".encode(), 0)
        return fd

    def commit(self) -> None:
        """Move the checkpoints into the staging folder and swap it in for the folder."""
        staging, target = self.staging, self.target
        if target.is_dir():
            for kept in sorted(target.glob(f"**/{CHECKPOINTS}")):
                moved = staging / kept.relative_to(target)
                moved.parent.mkdir(parents=True, exist_ok=True)
                if moved.exists():
                    shutil.rmtree(moved)
                os.replace(kept, moved)
            if not _exchange(staging, target):
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
                os.replace(target, old / target.name)
                os.replace(staging, target)
                staging = old
            shutil.rmtree(staging, ignore_errors=True)
        else:
            os.replace(staging, target)
        self._staging = None
        self.committed = True

    def __exit__(self, *exc: object) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            os.close(self._lock)
            self._lock = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
