"""The jobbpremie: a tax-free premium for long-term recipients who leave assistance for a job.

Regeringen.se, *Jobbpremie för ökad drivkraft till arbete* (January 2026; PF
sections 4 and 9): up to 3 750 SEK a month for up to 18 months, in a scheme that
runs for two years from 2026-03-01, for people who were paid försörjningsstöd
every month from July to December 2025 and now have a salaried job without
försörjningsstöd. The state pays it.

In the model a person qualifies when the continuous run of assistance states they
leave from began on or before ``qualifying_from`` (so it covered every month up to
the job, hence up to ``qualifying_until``), and the job is an ``employment`` spell
starting inside the scheme (and not before ``qualifying_until``). The premium
raises those people's exits to employment by ``work_exit_factor``; it is paid for
the first ``max_months`` of the job, as an expected amount (``take_up_share`` of
the premium) rather than a draw per person.

Example:
    >>> from datetime import date
    >>> months_between(date(2025, 1, 1), date(2026, 3, 1))  # a 2025 start: the scheme opens in month 14
    14.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.person import Person
from sim.policies.base import Adjustment, Context, MonthRows, Policy, codes, months_between
from sim.scenario.levers import JobPremium
from sim.states import STATE_INDEX, State

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["JobPremiumPolicy"]

_EMPLOYMENT = STATE_INDEX[State.EMPLOYMENT]


class JobPremiumPolicy(Policy):
    """More exits to a job for qualifying long-term recipients during the scheme, and the premium's cost.

    Attributes:
        qualifying_from: ``qualifying_from`` in model months; a run must have begun by then.
        opens, closes: the model months within which a new job qualifies.
    """

    name = "job_premium"
    origins = codes(State.ASSISTANCE, State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME)
    costed_states = codes(State.EMPLOYMENT)
    config: JobPremium

    def __init__(self, config: JobPremium, scenario: Scenario, context: Context | None) -> None:
        """Place the scheme's dates on the model's clock and build the one hazard window.

        Args:
            config: the lever's section (``sim.scenario.levers.JobPremium``).
            scenario: the whole scenario (for the start date).
            context: the replication's context, or ``None`` when only the costs are wanted.
        """
        super().__init__(config, scenario, context)
        start = scenario.simulation.start_date
        self.qualifying_from = months_between(start, config.qualifying_from)
        self.opens = max(months_between(start, config.scheme_from), months_between(start, config.qualifying_until))
        self.closes = months_between(start, config.scheme_until)
        factor = config.work_exit_factor
        self._boost = (
            [Adjustment(codes(State.EMPLOYMENT), factor, self.opens, self.closes)]
            if factor != 1.0 and self.opens < self.closes
            else []
        )

    def adjust(self, person: Person, now: float) -> list[Adjustment]:
        """Exits to employment × ``work_exit_factor`` during the scheme, for a run begun by ``qualifying_from``.

        ``person.origin`` is the start of the person's continuous run of assistance
        states, so a run begun after ``qualifying_from`` (a new application, or a
        return after a job) does not qualify (regeringen.se 2026-01, PF section 4).
        """
        return self._boost if person.origin <= self.qualifying_from else []

    def costs(self, rows: MonthRows, paid: np.ndarray) -> dict[str, np.ndarray]:
        """Item ``job_premium``: ``amount_per_month × take_up_share`` for each qualifying month of a job.

        A row counts when it is employment, its spell began in
        ``[opens, closes)``, the assistance run just before it began by
        ``qualifying_from``, and only for the part of the row within ``max_months``
        of the spell's start (so a long job is paid exactly ``max_months``).

        Raises:
            ValueError: if the rows lack ``spell_start`` or ``run_start`` (see
                ``sim.outcomes.accounting.spell_context``).
        """
        start, run = rows.extra.get("spell_start"), rows.extra.get("run_start")
        if start is None or run is None:
            raise ValueError("job_premium needs each row's spell_start and run_start (accounting.spell_context)")
        cfg = self.config
        start, run = np.asarray(start, dtype=float), np.asarray(run, dtype=float)
        in_scheme = (start >= self.opens) & (start < self.closes)
        qualifies = (rows.state == _EMPLOYMENT) & in_scheme & (run <= self.qualifying_from)
        # A row covers [max(month, spell start), that + fraction) of its spell.
        begin = np.maximum(rows.month, start)
        months = np.clip(np.minimum(begin + rows.fraction, start + cfg.max_months) - begin, 0.0, None)
        premium = cfg.amount_per_month * cfg.take_up_share * np.where(qualifies, months, 0.0)
        return {"job_premium": premium * rows.weight}
