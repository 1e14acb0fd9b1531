"""The HTML report: one self-contained file, sections in order, one headline row per scenario."""

from __future__ import annotations

import re

import pytest
from plotly.offline import get_plotlyjs

from sim.report.html import render_report, write_report
from sim.report.labels import label
from tests.report.helpers import SCENARIOS, Page, tiny_comparison

COMMAND = "sim compare scenarios/baseline.yaml scenarios/requirement_parallel.yaml --replications 2"
ORDER = ("what_differs", "headline", "occupancy", "survival", "employment", "costs", "finances", "differences", "subgroups",
         "queues", "parameters")  # fmt: skip
CHARTS = 8  # occupancy, survival, employment, cost by payer, cost by item, differences, subgroups, queues


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The Swedish report of the tiny comparison, written to a file, and its parsed page."""
    c = tiny_comparison()
    path = write_report(tmp_path_factory.mktemp("report") / "report.html", c.results, c, command=COMMAND)
    text = path.read_text(encoding="utf-8")
    return path, text, Page(text)


def test_nothing_is_loaded_from_another_site(report):
    """No script, stylesheet, font or image comes from http(s): the file opens offline."""
    _, text, page = report
    for tag, attributes in page.tags:
        for name in ("src", "href"):
            value = attributes.get(name, "")
            assert not value.startswith(("http://", "https://", "//")), (tag, name, value)
    assert page.count("script") == len(page.scripts)
    assert all(a.get("src") is None for t, a in page.tags if t == "script")
    assert page.count("link") == 0
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)


def test_plotly_js_is_inlined_exactly_once(report):
    """The plotly.js bundle is in the page once, and every chart only calls it."""
    _, text, page = report
    banner = get_plotlyjs()[:200]
    assert text.count(banner) == 1
    assert sum(len(s) > 1_000_000 for s in page.scripts) == 1
    assert text.count("Plotly.newPlot") == CHARTS


def test_the_sections_come_in_order_with_swedish_headings(report):
    """Section headings in the order of the brief, then the manifest footer."""
    _, _, page = report
    sections = [(parent, text) for parent, text in page.h2 if parent in (*ORDER, "manifest")]
    assert [p for p, _ in sections] == [*ORDER, "manifest"]
    assert [t for _, t in sections] == [label(f"section.{k}", "sv") for k in (*ORDER, "manifest")]
    assert ("html", {"lang": "sv"}) in page.tags


def test_one_headline_row_per_scenario_and_the_what_differs_table(report):
    """The headline table has a row per scenario; what differs lists every changed parameter."""
    _, text, page = report
    c = tiny_comparison()
    assert page.count("table", id="headline-table") == 1
    assert page.count("tr", klass="scenario-row") == len(SCENARIOS)
    assert page.count("table", id="what-differs-table") == 1
    assert page.count("tr", klass="change-row") == len(c.changes)
    assert page.count("table", id="variance-table") == 1
    assert "policies.<wbr>pathway.<wbr>mode" in text


def test_every_chart_sits_in_a_chart_container(report):
    """Each figure is a div.chart; the manifest has each scenario's hash and the exact command."""
    _, text, page = report
    assert page.count("div", klass="chart") == CHARTS
    assert COMMAND in text
    for name in SCENARIOS:
        assert name in text
    assert len(re.findall(r"<code>[0-9a-f]{64}</code>", text)) == len(SCENARIOS)


def test_the_file_is_written_atomically(report):
    """Only the report itself is left in its folder (no temporary file)."""
    path, _, _ = report
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]


def test_english_report():
    """lang="en": English headings and labels, an English html lang."""
    c = tiny_comparison()
    page = Page(render_report(c.results, c, lang="en"))
    assert ("html", {"lang": "en"}) in page.tags
    headings = [t for p, t in page.h2 if p in ORDER]
    assert headings == [label(f"section.{k}", "en") for k in ORDER]
    assert headings[0] == "What differs"


def test_a_single_run_has_no_comparison_sections():
    """A report on one scenario has no what-differs, variance or differences sections and one headline row.

    The baseline has no capacity-limited queue, so the queue section says so instead of drawing an empty chart.
    """
    base = tiny_comparison().results[0]
    text = render_report([base])
    page = Page(text)
    parents = [p for p, _ in page.h2]
    assert "what_differs" not in parents and "differences" not in parents
    assert page.count("tr", klass="scenario-row") == 1
    assert page.count("table", id="variance-table") == 0
    assert page.count("div", klass="chart") == CHARTS - 2
    assert "Ingen resurs med begränsad kapacitet hade kö" in text


def test_bad_arguments_are_refused(tmp_path):
    """An unknown language, no results, or results that are not the comparison's."""
    c = tiny_comparison()
    with pytest.raises(ValueError, match="lang"):
        write_report(tmp_path / "r.html", c.results, c, lang="de")
    with pytest.raises(ValueError):
        render_report([])
    with pytest.raises(ValueError, match="comparison"):
        render_report(c.results[:2], c)
    assert not list(tmp_path.iterdir())
