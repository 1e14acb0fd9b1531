"""The quick verification suite passes, and its table and exit status say so."""

from __future__ import annotations

import pytest

from sim.errors import UsageError
from sim.experiments.verification import CheckResult, exit_status, format_results, run_checks

pytestmark = pytest.mark.statistical


@pytest.fixture(scope="module")
def quick(baseline) -> list[CheckResult]:
    return run_checks(quick=True, base=baseline)


def test_the_quick_suite_passes(quick):
    """Every check of the quick suite passes; every group reports."""
    failed = [f"{r.name}: {r.observed} vs {r.expected} ({r.detail})" for r in quick if not r.passed]
    assert not failed, failed
    names = " ".join(r.name for r in quick)
    for group in ("markov:", "queues:", "little:", "conservation:", "costs:", "assistance:"):
        assert group in names
    assert exit_status(quick) == 0


def test_the_table_has_one_row_per_check(quick):
    """The table lists every check with its rule and result and ends with the count."""
    table = format_results(quick)
    assert table.splitlines()[0].split() == ["check", "observed", "expected", "SE", "z", "rule", "result"]
    assert all(r.name in table for r in quick)
    assert sum(line.endswith(" pass") for line in table.splitlines()) == len(quick)
    assert table.rstrip().endswith(f"{len(quick)} of {len(quick)} checks passed")


def test_one_failure_makes_the_exit_status_1(quick):
    """A single failed check makes the suite fail and is marked FAIL."""
    bad = CheckResult("broken", 2.0, 1.0, 0.1, 10.0, 4.0, False)
    assert exit_status([*quick, bad]) == 1
    assert "FAIL" in format_results([*quick, bad])
    assert "1 FAILED" in format_results([*quick, bad])


def test_bad_arguments_are_usage_errors(baseline):
    """An unknown group, or an initial state without a rates file, is refused before anything runs.

    The library names its own argument (``initial``, ``rates_csv``); ``sim verify --initial``
    without ``--rates`` says so in the command's words (tests/test_cli.py).
    """
    with pytest.raises(UsageError, match="unknown check group"):
        run_checks(quick=True, only=["nonsense"], base=baseline)
    with pytest.raises(UsageError, match="initial: needs rates_csv"):
        run_checks(quick=True, initial="a", base=baseline)


def test_verify_prints_the_table_and_returns_the_status(baseline, tmp_path, monkeypatch):
    """verify() (what `sim verify` calls) prints the table to `out`, progress to `log`, and returns 0 or 1."""
    import io

    from sim.experiments.verification import suite

    path = tmp_path / "chain.csv"
    path.write_text("from,to,rate\na,b,0.1\n")
    monkeypatch.setattr(suite, "baseline_scenario", lambda: baseline)
    out, log = io.StringIO(), io.StringIO()
    status = suite.verify(quick=True, group="markov", rates_csv=path, out=out, log=log)
    assert status == 0
    assert "3 of 3 checks passed" in out.getvalue()
    assert "verify: markov" in log.getvalue()
