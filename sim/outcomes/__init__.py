"""What a replication produced, turned into household budgets, costs by payer and metrics.

The pipeline's fourth room: the engine's spell log and persons table come in (as
DataFrames), a :class:`~sim.outcomes.record.Record` holds them, and every outcome
is computed from it once:

- :mod:`~sim.outcomes.months`: spells cut into calendar months; assessments;
- :mod:`~sim.outcomes.budget`: each household's norm, income and assistance per month;
- :mod:`~sim.outcomes.costs`: every cost item per person and year, and by year, item and payer;
- :mod:`~sim.outcomes.accounts`: the budgets' sums, computed in blocks of persons;
- :mod:`~sim.outcomes.metrics`: the outcome metrics by subgroup (:mod:`~sim.outcomes.catalogue` names them);
- :mod:`~sim.outcomes.survival`: time to work (Kaplan–Meier);
- :mod:`~sim.outcomes.occupancy`: persons per state and people waiting, month by month.
"""

from sim.outcomes.catalogue import HIGHER_IS_BETTER, KEY_METRICS, METRICS, SUBGROUPS, higher_is_better
from sim.outcomes.record import Record

__all__ = ["Record", "METRICS", "SUBGROUPS", "KEY_METRICS", "HIGHER_IS_BETTER", "higher_is_better"]
