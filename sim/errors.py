"""Domain errors, raised where input is read and formatted once, at the edge (the CLI).

Example:
    >>> err = ScenarioError("s.yaml", 3, "population.women_share", "must be at most 1")
    >>> str(err)
    's.yaml:3: population.women_share: must be at most 1'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SimError", "ScenarioError", "ScenarioErrors", "UsageError"]


class SimError(Exception):
    """Base class of every error the simulator reports to a user (exit status 2)."""


@dataclass(frozen=True)
class ScenarioError:
    """One problem in a scenario file, with where it is and what was expected."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioErrors(SimError):
    """Every problem found in a scenario, reported together."""

    def __init__(self, errors: Iterable[ScenarioError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __iter__(self) -> Iterator[ScenarioError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


class UsageError(SimError):
    """A command-line option or argument that cannot be used."""
