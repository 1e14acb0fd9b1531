"""Reports of runs and comparisons: one self-contained HTML file, an xlsx workbook, reusable charts.

- :func:`sim.report.html.write_report` writes the HTML report (Swedish by default, ``lang="en"``).
- :func:`sim.report.tables.write_comparison_xlsx` writes a comparison's tables as an xlsx workbook.
- :mod:`sim.report.figures` has one function per chart, each returning a plotly ``Figure``.
- :mod:`sim.report.labels` has the Swedish and English labels and number formatting.
"""

from __future__ import annotations

__all__: list[str] = []
