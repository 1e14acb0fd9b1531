"""The verification suite: every check at one of two sizes, and its table.

``run_checks(quick=True)`` takes a few seconds, ``run_checks(quick=False)`` under a
minute on one core; both are seeded, so a rerun gives the same table. The suite
fails (exit status 1, :func:`exit_status`) if any check fails.

Example:
    >>> rows = [CheckResult("demo", 1.0, 1.0, 0.1, 0.0, 4.0, True, "a detail")]
    >>> print(format_results(rows, details=False).splitlines()[2])
    demo          1         1  0.1  0.00  |z| <= 4  pass
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sim.errors import ArgumentError, UsageError
from sim.experiments.verification.conservation import check_conservation
from sim.experiments.verification.little import LittleDesign, check_little
from sim.experiments.verification.markov import check_markov, markov_scenario, random_rates
from sim.experiments.verification.queues import QueueDesign, check_queue
from sim.experiments.verification.rates import check_rates_file, read_rates
from sim.experiments.verification.result import CheckResult
from sim.experiments.verification.variants import baseline_scenario
from sim.scenario import Scenario

__all__ = ["Sizes", "QUICK", "FULL", "GROUPS", "run_checks", "format_results", "exit_status", "verify", "DEFAULT_SEED"]

DEFAULT_SEED = 20250101
GROUPS = ("markov", "queues", "little", "conservation")


@dataclass(frozen=True)
class Sizes:
    """How big each check is."""

    markov_persons: int
    markov_months: tuple[int, ...]
    queue: QueueDesign
    little: LittleDesign
    conservation_scale: float
    conservation_months: int


QUICK = Sizes(
    markov_persons=10_000,
    markov_months=(6, 12, 24),
    queue=QueueDesign(window=2_000.0),
    little=LittleDesign(replications=10, persons=400, window=480.0),
    conservation_scale=0.01,
    conservation_months=24,
)
FULL = Sizes(
    markov_persons=100_000,
    markov_months=(6, 12, 24, 60),
    queue=QueueDesign(window=20_000.0),
    little=LittleDesign(replications=20, persons=1_000, window=960.0),
    conservation_scale=0.05,
    conservation_months=48,
)


def run_checks(
    quick: bool,
    rates_csv: Path | None = None,
    initial: str | None = None,
    *,
    only: Collection[str] | None = None,
    seed: int = DEFAULT_SEED,
    base: Scenario | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[CheckResult]:
    """Run the verification checks and return one record per comparison.

    Args:
        quick: small sizes (seconds) instead of the full ones (under a minute).
        rates_csv: a user's chain (``from,to,rate``) to check as well (markov group).
        initial: the chain's initial state label (default: the first ``from``).
        only: groups to run, from :data:`GROUPS` (default: all).
        seed: root seed of every simulation.
        base: the scenario the checks start from (default: the shipped baseline).
        progress: called with a group's name before it runs.

    Raises:
        UsageError: an unknown group, or ``initial`` without ``rates_csv``.
        sim.experiments.verification.rates.RatesFileError: a problem in ``rates_csv`` (before anything runs).
    """
    groups = tuple(GROUPS if only is None else only)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise UsageError(f"unknown check group(s) {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    if initial is not None and rates_csv is None:
        raise ArgumentError("initial", "needs rates_csv (the chain the initial state belongs to)")
    if rates_csv is not None:
        read_rates(rates_csv, initial)  # every file error before any simulation
    base = baseline_scenario() if base is None else base
    sizes = QUICK if quick else FULL
    results: list[CheckResult] = []
    for group in GROUPS:
        if group not in groups:
            continue
        if progress is not None:
            progress(group)
        if group == "markov":
            results += _markov(base, sizes, seed, rates_csv, initial)
        elif group == "queues":
            results += check_queue(base, sizes.queue, seed)
        elif group == "little":
            results += check_little(base, sizes.little, seed)
        else:
            results += check_conservation(base, sizes.conservation_scale, sizes.conservation_months, seed)
    return results


def _markov(base: Scenario, sizes: Sizes, seed: int, rates_csv: Path | None, initial: str | None) -> list[CheckResult]:
    n, months = sizes.markov_persons, sizes.markov_months
    out = [
        check_markov("markov: baseline rates", markov_scenario(base), n, months, seed),
        check_markov(
            f"markov: random generator (seed {seed})", markov_scenario(base, random_rates(seed)), n, months, seed
        ),
    ]
    if rates_csv is not None:
        out.append(check_rates_file(rates_csv, base, n, months, seed, initial))
    return out


def exit_status(results: list[CheckResult]) -> int:
    """0 if every check passed, 1 otherwise."""
    return 0 if all(r.passed for r in results) else 1


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def format_results(results: list[CheckResult], details: bool = True) -> str:
    """A plain-text table: check, observed, expected, SE, z, rule, pass/fail (and each detail below its row)."""
    header = ("check", "observed", "expected", "SE", "z", "rule", "result")
    rows = [
        (r.name, _num(r.observed), _num(r.expected), _num(r.se), "" if r.z is None else f"{r.z:.2f}",
         r.rule, "pass" if r.passed else "FAIL")
        for r in results
    ]  # fmt: skip
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(), line]
    for r, row in zip(results, rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:5], widths[1:5])]
        cells += [row[5].ljust(widths[5]), row[6]]
        out.append("  ".join(cells).rstrip())
        if details and r.detail:
            out.append(f"    {r.detail}")
    failed = sum(not r.passed for r in results)
    out.append(line)
    out.append(f"{len(results) - failed} of {len(results)} checks passed" + (f"; {failed} FAILED" if failed else ""))
    return "\n".join(out)


def verify(
    quick: bool = False,
    group: str | None = None,
    rates_csv: Path | None = None,
    initial: str | None = None,
    out: TextIO | None = None,
    log: TextIO | None = None,
) -> int:
    """``sim verify [GROUP] [--quick] [--rates FILE] [--initial STATE]``: run, print the table, return the exit status.

    Args:
        quick: the quick sizes.
        group: one of :data:`GROUPS` (e.g. ``"markov"``), or None for all.
        rates_csv, initial: a user's chain for the Markov group (see :mod:`sim.experiments.verification.rates`).
        out: where the table goes (default stdout); log: where progress goes (default stderr).

    Returns:
        0 if every check passed, 1 if any failed.

    Raises:
        SimError: a bad rates file (``RatesFileError``) or bad arguments (``UsageError``);
            the CLI reports these with exit status 2.
    """
    out = sys.stdout if out is None else out
    log = sys.stderr if log is None else log
    started = time.perf_counter()

    def progress(name: str) -> None:
        print(f"verify: {name} ({time.perf_counter() - started:.0f} s)", file=log, flush=True)

    only = None if group is None else [group]
    results = run_checks(quick, rates_csv, initial, only=only, progress=progress)
    print(format_results(results), file=out)
    print(f"verify: done in {time.perf_counter() - started:.1f} s", file=log)
    return exit_status(results)
