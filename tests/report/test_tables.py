"""The comparison workbook: one sheet per table, Swedish or English headers, numbers stored as numbers."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from sim.outcomes.catalogue import KEY_METRICS
from sim.report.tables import SHEETS, comparison_csv, write_comparison_xlsx
from tests.report.helpers import SCENARIOS, tiny_comparison

HEADERS = {
    "sv": {
        "Huvudresultat": ["Scenario", "Mått", "Nyckel", "Medelvärde", "Monte Carlo-medelfel (SE)", "95 % KI, nedre",
                          "95 % KI, övre", "Skillnad mot bas", "Skillnadens SE", "Skillnad, 95 % KI nedre",
                          "Skillnad, 95 % KI övre", "Bättre än bas"],
        "Vad skiljer": ["Scenario", "Parameter", "Värde i bas", "Värde", "Källa i bas", "Källa"],
        "Kostnader": ["Scenario", "År", "Kostnadspost", "Betalare", "Kostnad (kr)", "Kostnadens SE (kr)"],
        "Antaganden": ["Parameter", "Anmärkning", "Fil", "Rad", "Scenarier"],
    },
    "en": {
        "Headline": ["Scenario", "Metric", "Key", "Mean", "Monte Carlo SE", "95% CI, lower", "95% CI, upper",
                     "Difference from base", "SE of difference", "Difference, 95% CI lower",
                     "Difference, 95% CI upper", "Better than base"],
        "What differs": ["Scenario", "Parameter", "Base value", "Value", "Base source", "Source"],
        "Costs": ["Scenario", "Year", "Cost item", "Payer", "Cost (SEK)", "SE of cost (SEK)"],
        "Assumptions": ["Parameter", "Note", "File", "Line", "Scenarios"],
    },
}  # fmt: skip


@pytest.fixture(scope="module", params=["sv", "en"])
def workbook(request, tmp_path_factory):
    """The workbook of the tiny comparison in each language, loaded back."""
    folder = tmp_path_factory.mktemp(f"xlsx-{request.param}")
    path = write_comparison_xlsx(folder / "comparison.xlsx", tiny_comparison(), request.param)
    return request.param, path, load_workbook(path)


def test_the_expected_sheets_in_order(workbook):
    """Headline, comparison, differences, variance, what differs, costs, parameters, assumptions."""
    lang, _, book = workbook
    index = 0 if lang == "sv" else 1
    assert book.sheetnames == [names[index] for names in SHEETS.values()]


def test_headers_are_in_the_language(workbook):
    """Each sheet's header row is translated (scenario names stay as they are)."""
    lang, _, book = workbook
    for sheet, header in HEADERS[lang].items():
        assert [c.value for c in book[sheet][1]] == header, sheet
    parameters = book["Parametrar" if lang == "sv" else "Parameters"]
    assert [c.value for c in parameters[1]][1:4] == list(SCENARIOS)


def test_headline_rows_hold_numbers_with_formats(workbook):
    """One row per scenario and key metric; means are numbers, shares carry a percent format."""
    lang, _, book = workbook
    sheet = book["Huvudresultat" if lang == "sv" else "Headline"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(SCENARIOS) * len(KEY_METRICS)
    assert [r[0] for r in rows[:: len(KEY_METRICS)]] == list(SCENARIOS)
    assert all(isinstance(r[3], float) for r in rows if r[2] != "median_months_to_work")  # NaN (None) at 24 months
    assert sheet["D2"].number_format == "0.0%"
    yes_no = {"Ja", "Nej", None} if lang == "sv" else {"Yes", "No", None}
    assert {r[11] for r in rows} <= yes_no
    assert all(r[11] is None for r in rows[: len(KEY_METRICS)])


def test_written_atomically(workbook):
    """Nothing but the workbook is left in its folder."""
    _, path, _ = workbook
    assert [p.name for p in path.parent.iterdir()] == ["comparison.xlsx"]


def test_comparison_csv_marks_only_sure_differences():
    """better is set only where the difference's interval excludes 0, never for the base."""
    table = comparison_csv(tiny_comparison())
    marked = table[table["better"].notna()]
    assert (table.loc[table["scenario"] == SCENARIOS[0], "better"].isna()).all()
    assert ((marked["diff_ci_low"] > 0) | (marked["diff_ci_high"] < 0)).all()
    higher = marked[marked["metric"].str.startswith("employment_rate")]
    assert ((higher["diff_vs_base"] > 0) == higher["better"].astype(bool)).all()
