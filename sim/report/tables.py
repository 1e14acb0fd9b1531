"""A comparison's tables as an xlsx workbook (Swedish or English headers), and as one tidy DataFrame.

The workbook has one sheet per table: headline results, the full comparison,
per-replication differences, the common-random-numbers variance, what differs,
costs, parameters and assumptions. Cells hold numbers, not text: shares carry a
percent format and amounts a thousands format, so the user's Excel shows them
with its own separators. Metric, subgroup, item and payer names are translated;
a ``key`` column keeps each metric's identifier. The file is written atomically.

Example::

    write_comparison_xlsx("comparison.xlsx", comparison, lang="sv")
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sim.experiments.compare import Comparison
from sim.files import write_atomic
from sim.outcomes.catalogue import higher_is_better
from sim.report import data
from sim.report.data import headline
from sim.report.labels import check_lang, label, metric_kind, source_text

__all__ = ["write_comparison_xlsx", "comparison_csv", "SHEETS"]

#: Sheet key -> (Swedish name, English name), in workbook order.
SHEETS = {
    "headline": ("Huvudresultat", "Headline"),
    "comparison": ("Jämförelse", "Comparison"),
    "differences": ("Skillnader", "Differences"),
    "variance": ("Varians", "Variance"),
    "what_differs": ("Vad skiljer", "What differs"),
    "costs": ("Kostnader", "Costs"),
    "parameters": ("Parametrar", "Parameters"),
    "assumptions": ("Antaganden", "Assumptions"),
}
_STAT_COLUMNS = ("mean", "se", "ci_low", "ci_high", "diff_vs_base", "diff_se", "diff_ci_low", "diff_ci_high", "diff")
_YES_NO = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}
_HEADER_FILL = PatternFill("solid", fgColor="F3F4F6")


def comparison_csv(comparison: Comparison) -> pd.DataFrame:
    """The comparison table (every metric and subgroup) with ``better``: True/False when the difference's
    95 % interval excludes 0 and a higher value is better/worse, missing otherwise (and for the base)."""
    table = comparison.table.copy()
    low, high, diff = table["diff_ci_low"], table["diff_ci_high"], table["diff_vs_base"]
    sure = (low > 0) | (high < 0)
    direction = table["metric"].map(higher_is_better)
    better = [(bool((d > 0) == h) if s and h is not None else None) for d, s, h in zip(diff, sure, direction)]
    return table.assign(better=pd.array(better, dtype="boolean"))


def _translated(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Metric (with its key beside it), subgroup, item, payer, state and resource names in ``lang``."""
    out = frame.copy()
    if "metric" in out:
        out.insert(list(out.columns).index("metric") + 1, "key", out["metric"])
        out["metric"] = out["metric"].map(lambda m: label(m, lang))
    for column in ("subgroup", "item", "payer", "resource"):
        if column in out:
            out[column] = out[column].map(lambda k: label(str(k), lang))
    if "better" in out:
        yes, no = _YES_NO[lang]
        out["better"] = out["better"].map(lambda b: yes if b is True else (no if b is False else None))
    return out


def _sheets(comparison: Comparison, lang: str) -> dict[str, pd.DataFrame]:
    results = comparison.results
    parameters = data.parameter_rows([r.scenario for r in results])
    return {
        "headline": _translated(headline(results, comparison), lang),
        "comparison": _translated(comparison_csv(comparison), lang),
        "differences": _translated(comparison.differences, lang),
        "variance": _translated(comparison.variance, lang),
        "what_differs": comparison.changes.assign(
            base_source=comparison.changes["base_source"].map(lambda t: source_text(t, lang)),
            source=comparison.changes["source"].map(lambda t: source_text(t, lang)),
        ),
        "costs": _translated(data.cost_rows(results), lang),
        "parameters": parameters.assign(kind=parameters["kind"].map(lambda k: label("kind." + k, lang))),
        "assumptions": data.assumption_rows([r.scenario for r in results]),
    }


def _number_format(column: str, keys: Sequence[str] | None) -> list[str | None]:
    """Excel number formats of a column's cells (per row when the format depends on the metric)."""
    if column in ("cost_sek", "cost_se_sek"):
        return ["#,##0"]
    if column in ("var_paired", "var_independent"):
        return ["0.00E+00"]
    if column == "ratio":
        return ["0.000"]
    if column not in _STAT_COLUMNS or keys is None:
        return [None]
    formats = {"share": "0.0%", "sek": "#,##0", "months": "0.0", "count": "#,##0"}
    return [formats[metric_kind(k)] for k in keys]


def _cell(value: Any) -> Any:
    """A value openpyxl can store: Python scalars, None for missing."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _write_sheet(ws: Worksheet, frame: pd.DataFrame, lang: str, names: Sequence[str]) -> None:
    """Header row (translated, bold, frozen, filtered), the rows, number formats and column widths.

    Columns named after a scenario (``names``) keep the scenario's name.
    """
    columns = list(frame.columns)
    ws.append([str(c) if c in names else label(str(c), lang) for c in columns])
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    keys = frame["key"].tolist() if "key" in frame else None
    for j, column in enumerate(columns, start=1):
        formats = _number_format(str(column), keys)
        if any(formats):
            for i in range(len(frame)):
                ws.cell(row=i + 2, column=j).number_format = formats[i if len(formats) > 1 else 0] or "General"
        longest = max([len(str(ws.cell(row=1, column=j).value))] + [len(str(v)) for v in frame[column].head(200)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 60)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write_comparison_xlsx(path: str | os.PathLike[str], comparison: Comparison, lang: str = "sv") -> Path:
    """Write the comparison's tables as an xlsx workbook, one sheet per table, atomically; returns the path.

    Args:
        path: the file to write (its folder is created).
        comparison: the comparison (base first).
        lang: "sv" (default) or "en": sheet names, headers and labels.
    """
    index = ("sv", "en").index(check_lang(lang))
    book = Workbook()
    book.remove(book.active)
    for key, frame in _sheets(comparison, lang).items():
        _write_sheet(book.create_sheet(SHEETS[key][index]), frame, lang, comparison.names)
    return write_atomic(path, lambda tmp: book.save(tmp))
