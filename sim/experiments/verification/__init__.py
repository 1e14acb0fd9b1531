"""Verification: the engine checked against what the mathematics says (``sim verify``).

Each check simulates a set-up whose answer is known exactly or in distribution,
and returns :class:`CheckResult` records (observed, expected, standard error, z or
tolerance, passed):

* :mod:`~sim.experiments.verification.markov` — occupancy against ``P(0) expm(Q t)`` for the
  baseline's rates, a random generator and a user's CSV (:mod:`~sim.experiments.verification.rates`);
* :mod:`~sim.experiments.verification.queues` — a capacity-limited place as an M/M/c queue, against Erlang C;
* :mod:`~sim.experiments.verification.little` — Little's law on every state and queue;
* :mod:`~sim.experiments.verification.conservation` — persons, person-months and cost identities.

:func:`run_checks` runs them, :func:`format_results` prints the table and
:func:`exit_status` is 1 if any check failed; :func:`verify` does all three for the CLI.
"""

from sim.experiments.verification.rates import RatesFileError, read_rates
from sim.experiments.verification.result import CheckResult
from sim.experiments.verification.suite import GROUPS, exit_status, format_results, run_checks, verify

__all__ = [
    "CheckResult", "RatesFileError", "read_rates", "run_checks", "format_results", "exit_status", "verify", "GROUPS",
]
