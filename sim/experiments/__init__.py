"""What is run and how: replications, comparisons, precision targets, PSA, sensitivity, calibration, checks.

- :mod:`~sim.experiments.settings`, :mod:`~sim.experiments.replication`, :mod:`~sim.experiments.runner`:
  one replication and all of them (:class:`RunSettings`, :func:`run`, :class:`Results`);
- :mod:`~sim.experiments.execution`, :mod:`~sim.experiments.checkpoints`: where replications run
  (processes, Dask) and how finished ones are kept;
- :mod:`~sim.experiments.compare`, :mod:`~sim.experiments.precision`: designs compared under
  common random numbers, with as many replications as a precision target needs;
- :mod:`~sim.experiments.psa`, :mod:`~sim.experiments.sensitivity`: parameter uncertainty;
- :mod:`~sim.experiments.calibration`, :mod:`~sim.experiments.verification`,
  :mod:`~sim.experiments.validation`: fitting to published figures, checking the engine against
  the mathematics, and emulating published evaluations.

Nothing here writes a report: the results are DataFrames that :mod:`sim.report` presents.
"""
