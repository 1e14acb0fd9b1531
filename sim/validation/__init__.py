"""Validation of the model by the five ISPOR-SMDM types (``sim validate-report``).

* :mod:`~sim.validation.external` — held-out comparisons with published outcomes;
* :mod:`~sim.validation.cross` — benefit amounts against hand-computed cases from the published rules;
* :mod:`~sim.validation.report` — ``validation.html`` with face validity, verification, cross-validity,
  external validity (with the calibration fit) and predictive validity, plus ``validation.csv``
  and ``verification.csv``.
"""

from sim.validation.cross import CrossCase, cross_validation
from sim.validation.external import ExternalRecord, external_validation, records_frame
from sim.validation.report import VALIDATION_SECTIONS, write_validation_report

__all__ = [
    "CrossCase", "cross_validation", "ExternalRecord", "external_validation", "records_frame",
    "VALIDATION_SECTIONS", "write_validation_report",
]
