"""A user's Markov chain from a CSV file of rates, mapped onto the model's states.

Format: a header ``from,to,rate`` (any order, case-insensitive) and one transition
per line, rates per month (``#`` comment lines and blank lines are skipped)::

    from,to,rate
    waiting,working,0.10
    waiting,course,0.05
    course,working,0.20

Labels are the user's own. A label that is a model state's name (``employment``)
is that state; the others are mapped onto the remaining states of
:data:`sim.experiments.verification.markov.MARKOV_STATES` in order of first appearance, the
initial state first. The initial state is the first listed ``from`` unless
``initial`` names another label; it must become ``assistance``, the state the
engine starts everyone in. At most seven distinct labels. A transition the
model's structure (:data:`sim.states.ALLOWED`) does not have is an error naming
its line, as is every malformed line.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = path.write_text("from,to,rate\\nwaiting,working,0.1\\n")
    >>> chain = read_rates(path)
    >>> chain.mapping["waiting"].value, chain.mapping["working"].value
    ('assistance', 'municipal_activity')
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from sim.errors import SimError
from sim.experiments.verification.markov import MARKOV_STATES, check_markov, markov_scenario
from sim.experiments.verification.result import CheckResult
from sim.scenario import Scenario
from sim.states import ALLOWED, STATES, State

__all__ = ["RatesFileError", "RatesChain", "read_rates", "check_rates_file", "MAX_LABELS"]

MAX_LABELS = len(MARKOV_STATES)
#: The largest rate of a user's monthly chain (a mean stay of about seven hours).
MAX_RATE = 100.0
#: A rates file is a handful of lines.
MAX_FILE_BYTES = 64 * 1024
_COLUMNS = ("from", "to", "rate")
_STATE_NAMES = {s.value: s for s in State}


class RatesFileError(SimError):
    """A problem in a rates CSV, reported as ``FILE:LINE: message``."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


@dataclass(frozen=True)
class RatesChain:
    """A user's chain: labels in order of appearance, their model states, the rates."""

    file: str
    labels: tuple[str, ...]
    initial: str
    mapping: dict[str, State]
    rates: dict[State, dict[State, float]]

    def label_of(self, state: State) -> str:
        """The user's label for a model state (the state's own name if unused)."""
        for label, mapped in self.mapping.items():
            if mapped is state:
                return label if label == state.value else f"{label} ({state.value})"
        return state.value


def check_rates_file(
    path: Path | str,
    base: Scenario,
    n_persons: int,
    check_months: tuple[int, ...],
    seed: int,
    initial: str | None = None,
) -> CheckResult:
    """Simulate the chain in a rates CSV on the engine and compare it with ``expm`` (see :mod:`markov`)."""
    chain = read_rates(path, initial)
    scenario = markov_scenario(base, chain.rates)
    labels = [chain.label_of(s) for s in STATES]
    name = f"markov: {Path(path).name} (start {chain.initial})"
    return check_markov(name, scenario, n_persons, check_months, seed, labels)


def read_rates(path: Path | str, initial: str | None = None) -> RatesChain:
    """Read and map a rates CSV.

    Raises:
        RatesFileError: a missing or bad header, an unknown column, a malformed line,
            a non-numeric, negative or non-finite rate, a self-transition or repeated
            pair, more than seven labels, an unknown or impossible initial state, or a
            transition the model does not allow; with the file and line.
    """
    file = str(path)
    try:
        if not Path(path).is_file():
            raise RatesFileError(file, None, "cannot read the file (not found, or not a regular file)")
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise RatesFileError(file, None, f"larger than {MAX_FILE_BYTES // 1024} KB; a chain has a few lines")
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RatesFileError(file, None, f"cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RatesFileError(file, None, "not a text file (not UTF-8); expected CSV with header from,to,rate") from None
    if "\x00" in text:
        raise RatesFileError(file, None, "not a text file (it holds NUL bytes); expected CSV with header from,to,rate")
    rows = [(n, cells) for n, cells in _rows(text) if cells and not cells[0].startswith("#")]
    if not rows:
        raise RatesFileError(file, 1, "the file is empty: expected a header 'from,to,rate' and one line per transition")
    header_line, header = rows[0]
    index = _header(file, header_line, header)
    entries: list[tuple[int, str, str, float]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            raise RatesFileError(file, line, f"expected {len(header)} fields ({','.join(header)}), found {len(cells)}")
        source, dest, raw = (cells[index[c]] for c in _COLUMNS)
        if not source or not dest:
            raise RatesFileError(file, line, "empty state label")
        if source == dest:
            raise RatesFileError(file, line, f"a transition from '{source}' to itself")
        if (source, dest) in seen:
            raise RatesFileError(file, line, f"transition {source} -> {dest} repeats line {seen[source, dest]}")
        seen[source, dest] = line
        entries.append((line, source, dest, _rate(file, line, raw)))
    if not entries:
        raise RatesFileError(file, header_line, "no transitions after the header")
    return _map(file, entries, initial)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()
    return [(n, [c.strip() for c in next(csv.reader([raw]))] if raw.strip() else []) for n, raw in enumerate(lines, 1)]


def _header(file: str, line: int, header: list[str]) -> dict[str, int]:
    names = [h.lower() for h in header]
    if len(names) == 3 and not set(names) & set(_COLUMNS) and _is_number(names[2]):
        found = ",".join(header)
        raise RatesFileError(file, line, f"missing header: expected 'from,to,rate', found the data line '{found}'")
    for name in names:
        if name not in _COLUMNS:
            raise RatesFileError(file, line, f"unknown column '{name}' (the columns are from, to, rate)")
        if names.count(name) > 1:
            raise RatesFileError(file, line, f"column '{name}' appears twice")
    missing = [c for c in _COLUMNS if c not in names]
    if missing:
        names_missing = ", ".join(missing)
        raise RatesFileError(file, line, f"missing column(s) {names_missing} in the header (expected 'from,to,rate')")
    return {name: names.index(name) for name in _COLUMNS}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _rate(file: str, line: int, raw: str) -> float:
    try:
        rate = float(raw)
    except ValueError:
        raise RatesFileError(file, line, f"rate '{raw}' is not a number (rates are per month, e.g. 0.05)") from None
    if not math.isfinite(rate):
        raise RatesFileError(file, line, f"rate '{raw}' must be a finite number")
    if rate < 0:
        raise RatesFileError(file, line, f"rate {raw} is negative (rates are per month and at least 0)")
    if rate > MAX_RATE:
        raise RatesFileError(file, line, f"rate {raw} is above {MAX_RATE:g} per month (a stay of hours, not "
                             "months); the chain would take ever smaller steps")  # fmt: skip
    return rate


def _map(file: str, entries: list[tuple[int, str, str, float]], initial: str | None) -> RatesChain:
    first_line: dict[str, int] = {}
    for line, source, dest, _ in entries:
        for label in (source, dest):
            if label not in first_line:
                first_line[label] = line
                if len(first_line) > MAX_LABELS:
                    raise RatesFileError(
                        file, line, f"'{label}' is state number {len(first_line)}: at most {MAX_LABELS} states "
                        f"(the model's {', '.join(s.value for s in MARKOV_STATES)})",
                    )
    labels = tuple(first_line)
    start = entries[0][1] if initial is None else initial
    if start not in first_line:
        raise RatesFileError(file, None, f"initial state '{start}' is not in the file (states: {', '.join(labels)})")
    mapping = {label: _STATE_NAMES[label] for label in labels if label in _STATE_NAMES}
    if mapping.get(start, State.ASSISTANCE) is not State.ASSISTANCE or (
        start not in mapping and State.ASSISTANCE in mapping.values()
    ):
        raise RatesFileError(
            file, first_line[start], f"the initial state '{start}' must map to assistance, where the engine starts "
            "everyone; name it assistance, or use a label that is not a model state and no label 'assistance'",
        )
    free = [s for s in MARKOV_STATES if s not in mapping.values()]
    for label in sorted((lb for lb in labels if lb not in mapping), key=lambda lb: lb != start):
        mapping[label] = free.pop(0)
    rates: dict[State, dict[State, float]] = {}
    for line, source, dest, rate in entries:
        a, b = mapping[source], mapping[dest]
        if b not in ALLOWED[a]:
            allowed = ", ".join(s.value for s in STATES if s in ALLOWED[a])
            raise RatesFileError(
                file, line, f"transition {source} -> {dest} (mapped to {a.value} -> {b.value}) is not in the model; "
                f"from {a.value} the model allows {allowed}. Use model state names as labels to choose the mapping",
            )
        rates.setdefault(a, {})[b] = rate
    return RatesChain(file, labels, start, mapping, rates)

