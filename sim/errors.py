"""Domain errors, raised where input is read and formatted once, at the edge (the CLI).

Example:
    >>> err = ScenarioError("s.yaml", 3, "population.women_share", "must be at most 1")
    >>> str(err)
    's.yaml:3: population.women_share: must be at most 1'
    >>> str(ArgumentError("max_replications", "must be at least 2 (got 1)"))
    'max_replications: must be at least 2 (got 1)'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SimError", "ScenarioError", "ScenarioErrors", "UsageError", "ArgumentError", "printable"]


def printable(text: str) -> str:
    r"""``text`` with invisible, control and unpaired surrogate characters written as escapes (``\u200b``).

    A message names a key or a file so that a person can find it; a zero-width space or a
    terminal control code in it would hide what is wrong, or garble the terminal.

    Example:
        >>> printable("women\u200b_share")
        'women\\u200b_share'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)  # fmt: skip


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
        file, path = printable(self.file), printable(self.path)
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {path}: {self.message}" if path else f"{where}: {self.message}"


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
    """A request that cannot be carried out as asked (a bad option, argument or combination of them)."""


class ArgumentError(UsageError):
    """A bad value of one or more named arguments of a library function.

    Each problem names the argument as the library spells it (``max_replications``);
    the command line names its own option instead (``--max-replications``).

    Attributes:
        problems: ``(argument, message)`` pairs, in the order found.
    """

    def __init__(self, argument: str, message: str, *more: tuple[str, str]) -> None:
        self.problems: tuple[tuple[str, str], ...] = ((argument, message), *more)
        super().__init__("\n".join(f"{name}: {text}" for name, text in self.problems))

    @property
    def argument(self) -> str:
        """The (first) argument at fault."""
        return self.problems[0][0]
