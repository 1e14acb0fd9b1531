"""The benefit cap (bidragstak) and the modernised norm, from 2027-01-01.

The government's lagrådsremiss *Reformerat försörjningsstöd – bidragstak och ökade
möjligheter till arbete* (December 2025, after SOU 2025:15; prop. 2025/26:201; PF
section 9) has three parts; the model takes two:

* a **modernised riksnorm** built on a reference value from price surveys of what
  households need: here the whole norm (personal and common costs) changes by
  ``norm_change_share`` (negative: a cut; ``−0.05`` lowers the norm by 5 %);
* a **limitation for larger households from the fourth child**: each child beyond
  ``children_in_full`` (oldest first) counts only ``further_child_share`` of its personal
  cost, one share for single parents and one for couples (reported: the amount per child
  from the fourth is cut by 40 % for single parents and 75 % for couples), phased in by
  ``limitation_phase_in``.

The limitation applies to the modernised amounts, so the two parts compose, with ``s`` the
norm change, ``f`` the further-child share and ``p`` the phase-in::

    new norm = (1 + s) × (norm − p × (1 − f) × personal costs of the further children)

and the reduction is ``norm − new norm``. The common household cost still counts every
child (the limitation is on personal costs). The third part (the norm as a ceiling on
municipal extras) has no counterpart in a model without municipal extras.

Example (a 4.6 % cut, norm 28 890, further children's costs 6 020, couples keep 25 %):
    >>> s, f, p, norm, further = -0.046, 0.25, 1.0, 28_890.0, 6_020.0
    >>> round(norm - (1 + s) * (norm - p * (1 - f) * further), 2)
    5636.25
"""

from __future__ import annotations

import numpy as np

from sim.policies.base import MonthRows, Policy
from sim.rules.calendar import Calendar
from sim.rules.norm import NORM_CHILD_AGE_LIMIT, child_personal_costs
from sim.scenario.levers import BenefitCap

__all__ = ["BenefitCapPolicy", "further_children"]


def further_children(ages: np.ndarray, in_full: int) -> np.ndarray:
    """Which children fall beyond the first ``in_full``, counting the oldest first.

    The remiss limits the norm "from the fourth child": the fourth-born is the
    fourth oldest, and ordering by age rather than by column keeps the result
    independent of the (arbitrary) order of the child columns. Only children who
    still count in the norm (under 19) are ranked, so when the oldest leaves the
    norm a younger sibling moves up into the children counted in full.

    Args:
        ages: (rows, children) ages in years, NaN where there is no child.
        in_full: how many children count in full.

    Returns:
        Boolean array shaped like ``ages``.

    Example:
        >>> further_children(np.array([[2.0, 12.0, np.nan, 7.0, 20.0]]), 2).tolist()
        [[True, False, False, False, False]]
    """
    counted = np.nan_to_num(ages, nan=np.inf) < NORM_CHILD_AGE_LIMIT
    oldest_first = np.where(counted, -np.nan_to_num(ages), np.inf)
    order = np.argsort(oldest_first, axis=1, kind="stable")
    rank = np.argsort(order, axis=1, kind="stable")
    return counted & (rank >= in_full)


class BenefitCapPolicy(Policy):
    """Changes the norm from ``in_force_from``: the modernised norm and the limitation from the fourth child.

    A month is under the new rules when its first day is on or after
    ``in_force_from`` (assistance is decided per calendar month).
    """

    name = "benefit_cap"
    config: BenefitCap

    def norm_reduction(self, rows: MonthRows) -> np.ndarray:
        """SEK/month off each row's norm: ``−s × norm + (1 + s) × p × (1 − f) × the further children's costs``.

        Positive when the norm is cut. Zero before ``in_force_from``; with ``norm_change_share`` 0 and
        no child beyond ``children_in_full`` (or ``further_child_share`` 1) it is zero too.
        """
        cfg = self.config
        in_force = rows.month_values(np.array([d >= cfg.in_force_from for d in rows.dates], dtype=bool))
        phase = rows.month_values(np.array([cfg.limitation_phase_in.at(d) for d in rows.dates], dtype=float))
        calendar = Calendar(self.scenario.simulation.start_date, len(rows.dates))
        costs = child_personal_costs(rows.child_ages, rows.month, self.scenario.norm, calendar)
        limited = np.where(further_children(rows.child_ages, cfg.children_in_full), costs, 0.0).sum(axis=1)
        household = np.asarray(rows.extra["household"], dtype=object) if "household" in rows.extra else None
        couple, single = cfg.further_child_share["couple_children"], cfg.further_child_share["single_parent"]
        kept = np.where(household == "single_parent", single, couple) if household is not None else couple
        share = cfg.norm_change_share
        reduction = -share * rows.norm + (1.0 + share) * phase * (1.0 - kept) * limited
        return np.where(in_force, reduction, 0.0)
