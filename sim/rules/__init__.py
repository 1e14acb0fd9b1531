"""The published rules as dated functions of the published amounts.

- :mod:`sim.rules.calendar`: the run's calendar months, dated amounts per month, full years;
- :mod:`sim.rules.norm`: riksnormen by household type, household size and children's ages;
- :mod:`sim.rules.benefits`: barnbidrag with flerbarnstillägg, aktivitetsstöd.

Rules are plain numpy over person-month rows; the policies and the outcomes use them.
"""
