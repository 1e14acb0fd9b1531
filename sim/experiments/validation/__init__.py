"""Validation of the model by emulating published evaluations and hand-computed rules (``sim validate-report``).

* :mod:`~sim.experiments.validation.external` — held-out comparisons with published outcomes;
* :mod:`~sim.experiments.validation.cross` — benefit amounts against hand-computed cases from the published rules.

:mod:`sim.report.validation` writes them, with face validity, the verification table,
the calibration fit and predictive validity, as ``validation.html`` and its tables.
"""

from sim.experiments.validation.cross import CrossCase, cross_validation
from sim.experiments.validation.external import ExternalRecord, external_validation, records_frame

__all__ = ["CrossCase", "cross_validation", "ExternalRecord", "external_validation", "records_frame"]
