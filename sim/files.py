"""Writing files atomically, and where the shipped data lie.

Every file the package writes goes through :func:`write_atomic`: the content is
written to a temporary file in the target's folder and renamed into place, so an
interrupted write never leaves a truncated file that looks complete (a rename
within one file system is atomic). :func:`write_text` and :func:`write_csv` are
the two common cases.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_text(folder / "sub" / "note.txt", "hej").read_text(encoding="utf-8")
    'hej'
    >>> sorted(p.name for p in (folder / "sub").iterdir())  # no temporary file is left behind
    ['note.txt']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SOURCE_ROOT", "SCENARIOS_DIR", "CALIBRATION_DIR", "write_atomic", "write_text", "write_csv"]

#: The source tree the package lies in (its ``scenarios/`` and ``calibration/`` folders are beside ``sim/``).
SOURCE_ROOT = Path(__file__).resolve().parent.parent
#: The shipped scenarios.
SCENARIOS_DIR = SOURCE_ROOT / "scenarios"
#: The calibration targets, prior and fitted overlay.
CALIBRATION_DIR = SOURCE_ROOT / "calibration"


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
        os.chmod(tmp, 0o644)
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
