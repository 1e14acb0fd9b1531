"""The report in a real browser: Debian's Chromium, headless, driven by Playwright, offline.

Skipped (with the reason) when /usr/bin/chromium or the playwright package is missing;
never downloads a browser (no ``playwright install``). Saves a full-page screenshot
to the test's tmp dir and to /tmp/report-screenshot.png for a person to look at.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from sim.report.html import write_report
from tests.report.helpers import SCENARIOS, tiny_comparison

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/report-screenshot.png")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
#: Per chart: does it have plotly's SVG, and how many drawn traces, bars, points or lines.
CHARTS_JS = """() => [...document.querySelectorAll('div.chart')].map(d => ({
    id: d.id,
    svg: d.querySelectorAll('svg.main-svg').length,
    marks: d.querySelectorAll('g.trace path, g.trace .point, g.boxlayer path, g.bars path').length,
}))"""

#: CI sets SIM_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
_REQUIRED = os.environ.get("SIM_REQUIRE_BROWSER") == "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not _REQUIRED and not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)"
    ),
    pytest.mark.skipif(
        not _REQUIRED and importlib.util.find_spec("playwright") is None,
        reason="the playwright package is not installed (test extra)",
    ),
]


def test_the_report_renders_in_chromium_without_errors(tmp_path):
    """No console error or page error; every chart drew an SVG with data; one headline row per scenario."""
    from playwright.sync_api import sync_playwright

    c = tiny_comparison()
    report = write_report(tmp_path / "report.html", c.results, c, command="sim compare …")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("request", lambda r: errors.append(f"request: {r.url}") if not r.url.startswith("file:") else None)
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('div.chart svg.main-svg').length > 0")
            charts = page.evaluate(CHARTS_JS)
            rows = page.locator("#headline-table tr.scenario-row").count()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    shutil.copyfile(tmp_path / "report.png", SCREENSHOT)
    assert errors == []
    assert len(charts) == 8
    assert [c["id"] for c in charts if not (c["svg"] and c["marks"])] == []
    assert rows == len(SCENARIOS)
