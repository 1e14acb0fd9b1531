"""One self-contained HTML report of a run or a comparison, that opens offline.

plotly.js is inlined once in the page's head; every chart is a ``<div class="chart">``
drawn from its figure's JSON without loading anything. Fonts are the system's,
and nothing refers to another site. The file is written atomically.

Sections, in order: (1) what differs (comparisons only), (2) headline results
and the common-random-numbers variance table, (3) persons by state over time,
(4) time to work, (5) employment 6–48 months after entry, (6) costs, (7) the
distribution of differences (comparisons only), (8) subgroups, (9) waits and
queues, (10) the parameter annex and the assumptions; then a footer with each
scenario's manifest and the command that reproduces the report.

Example (a comparison, in English)::

    comparison = compare([base, alternative], RunSettings(replications=10))
    write_report("report.html", comparison.results, comparison, lang="en", command="sim compare …")
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from plotly.offline import get_plotlyjs

from sim.experiments.compare import Comparison
from sim.experiments.runner import Results
from sim.files import write_text
from sim.report import annex, sections
from sim.report.labels import check_lang, label
from sim.report.markup import esc
from sim.report.style import FONT_STACK, PALETTE

__all__ = ["write_report", "render_report", "page", "SECTION_KEYS"]

#: Section ids in the order they appear (``what_differs`` and ``differences`` only in comparisons).
SECTION_KEYS = (
    "what_differs", "headline", "occupancy", "survival", "employment", "costs", "finances", "differences",
    "subgroups", "queues", "parameters",
)  # fmt: skip
_TEXT = {
    "sv": {"compare": "Jämförelse av scenarier", "run": "Resultat för scenariot", "contents": "Innehåll",
           "base": "basscenario", "settings": "{reps} replikeringar, skala {scale}, {months} månader från {start}, "
           "slumpfrö {seed}. Alla belopp gäller hela riket i kronor.", "independent": " Oberoende slumptal."},
    "en": {"compare": "Comparison of scenarios", "run": "Results for scenario", "contents": "Contents",
           "base": "base scenario", "settings": "{reps} replications, scale {scale}, {months} months from {start}, "
           "seed {seed}. All amounts are national, in SEK.", "independent": " Independent random streams."},
}  # fmt: skip
_CSS = """
:root { --ink: #222; --muted: #555; --rule: #d8d8d8; --better: #1a7f37; --worse: #b42318; }
* { box-sizing: border-box; }
body { font-family: FONT; color: var(--ink); margin: 0; line-height: 1.45; background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.7rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.6rem; padding-top: 0.6rem; border-top: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.4rem; }
p { max-width: 70rem; }
.meta { color: var(--muted); }
nav ol { columns: 2; max-width: 46rem; padding-left: 1.4rem; }
a { color: #1f5f99; }
.table-scroll { overflow-x: auto; margin: 0.6rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.86rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.wide { min-width: 16rem; }
#parameters-table td, #what-differs-table td:nth-child(n+3), #manifest-table td { overflow-wrap: anywhere; }
#parameters-table td:first-child, #what-differs-table td:nth-child(2) { min-width: 15rem; overflow-wrap: normal; }
#what-differs-table td:first-child { white-space: nowrap; }
#what-differs-table td:nth-child(3), #what-differs-table td:nth-child(4) { min-width: 7rem; }
#parameters-table td:nth-last-child(2) { overflow-wrap: normal; }
.where { display: block; color: var(--muted); font-size: 0.78rem; margin-top: 0.15rem; }
code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace; font-size: 0.85em; }
#headline-table { font-size: 0.82rem; }
#headline-table td, #headline-table th { min-width: 6.6rem; padding: 0.35rem 0.45rem; }
#headline-table td { white-space: nowrap; }
#headline-table th:first-child, #headline-table td:first-child { position: sticky; left: 0; z-index: 1;
  background: #fff; min-width: 9rem; white-space: normal; box-shadow: 1px 0 0 var(--rule); }
#headline-table th:first-child { background: #f3f4f6; z-index: 2; }
#headline-table .mean, #headline-table .ci, #headline-table .se, #headline-table .diff { display: block; }
#headline-table .mean { font-weight: 600; font-size: 1rem; }
#headline-table .ci, #headline-table .se { color: var(--muted); font-size: 0.76rem; }
#headline-table .diff { margin-top: 0.3rem; padding-top: 0.2rem; border-top: 1px dotted var(--rule); }
#headline-table .diff .ci, #headline-table .diff .se { color: inherit; }
.better { color: var(--better); font-weight: 600; }
.worse { color: var(--worse); font-weight: 600; }
.name { white-space: nowrap; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.4em;
          vertical-align: baseline; }
SWATCHES
.chart { margin: 0.8rem 0 1.4rem; border: 1px solid #eee; border-radius: 4px; padding: 0.3rem; break-inside: avoid; }
pre.command { background: #f6f8fa; padding: 0.8rem 1rem; overflow-x: auto; border-radius: 4px; white-space: pre-wrap; }
footer { border-top: 2px solid var(--rule); margin-top: 2.5rem; }
@media print { nav { display: none; } main { max-width: none; padding: 0; } .table-scroll { overflow: visible; } }
"""


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    return get_plotlyjs()


def _page_css() -> str:
    swatches = "\n".join(f".c{i} {{ background: {colour}; }}" for i, colour in enumerate(PALETTE))
    return _CSS.replace("FONT", FONT_STACK).replace("SWATCHES", swatches)


def page(title: str, lang: str, main: str) -> str:
    """A whole self-contained HTML page: the shared style and plotly.js in the head, ``main`` as its content."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} – sim</title>\n<style>{_page_css()}</style>\n"
        f'<script type="text/javascript">{_plotly_js()}</script>\n</head>\n<body>\n<main>\n'
        + main + "</main>\n</body>\n</html>\n"
    )


def _header(results: Sequence[Results], comparison: Comparison | None, lang: str, keys: Sequence[str]) -> str:
    """Title, the run settings, the scenarios with their colours and descriptions, and the contents."""
    text = _TEXT[lang]
    names = [r.scenario.name for r in results]
    title = f"{text['compare']}: {', '.join(names)}" if comparison else f"{text['run']} {names[0]}"
    s = results[0].settings
    start = results[0].scenario.simulation.start_date.isoformat()
    settings = text["settings"].format(reps=s.replications, scale=s.scale, months=s.months, start=start, seed=s.seed)
    if comparison is not None and comparison.independent:
        settings += text["independent"]
    items = "".join(
        f'<li><span class="swatch c{i % 10}"></span><strong>{esc(r.scenario.name)}</strong>'
        f'{" " + esc(r.scenario.title) if r.scenario.title else ""}'
        f'{" (" + esc(text["base"]) + ")" if i == 0 and comparison else ""}'
        f"{' – ' + esc(r.scenario.description) if r.scenario.description else ''}</li>"
        for i, r in enumerate(results)
    )
    contents = "".join(f'<li><a href="#{k}">{esc(label("section." + k, lang))}</a></li>' for k in keys)
    contents += f'<li><a href="#manifest">{esc(label("section.manifest", lang))}</a></li>'
    return (
        f"<header><h1>{esc(title)}</h1><p class=\"meta\">{esc(settings)}</p><ul class=\"scenarios\">{items}</ul>"
        f"<nav><h2>{esc(text['contents'])}</h2><ol>{contents}</ol></nav></header>\n"
    )


def _sections(results: Sequence[Results], comparison: Comparison | None, lang: str) -> dict[str, str]:
    """Each section's HTML by key, in report order; the comparison-only ones without a comparison left out."""
    out = {}
    if comparison is not None:
        out["what_differs"] = sections.what_differs(comparison, lang)
    out["headline"] = sections.headline(results, comparison, lang)
    out["occupancy"] = sections.occupancy(results, lang)
    out["survival"] = sections.survival(results, lang)
    out["employment"] = sections.employment(results, lang)
    out["costs"] = sections.costs(results, lang)
    out["finances"] = sections.finances(results, comparison, lang)
    if comparison is not None:
        out["differences"] = sections.differences(comparison, lang)
    out["subgroups"] = sections.subgroups(results, lang)
    out["queues"] = sections.queues(results, lang)
    out["parameters"] = annex.parameters(results, lang)
    return out


def render_report(
    results: Sequence[Results], comparison: Comparison | None = None, lang: str = "sv", command: str = ""
) -> str:
    """The report as one HTML string (see :func:`write_report`)."""
    check_lang(lang)
    if not results:
        raise ValueError("a report needs the results of at least one scenario")
    if comparison is not None and [r.scenario.name for r in results] != comparison.names:
        raise ValueError("results and comparison name different scenarios; pass comparison.results")
    parts = _sections(results, comparison, lang)
    title = ", ".join(r.scenario.name for r in results)
    return page(title, lang, _header(results, comparison, lang, list(parts)) + "".join(parts.values())
                + annex.footer(results, lang, command, independent=comparison is not None and comparison.independent))


def write_report(
    path: str | os.PathLike[str],
    results: Sequence[Results],
    comparison: Comparison | None = None,
    lang: str = "sv",
    command: str = "",
) -> Path:
    """Write the self-contained HTML report atomically and return its path.

    Args:
        path: the file to write (its folder is created).
        results: each scenario's results, the base first (``comparison.results`` for a comparison).
        comparison: the comparison, or None for a report on one or more runs without differences.
        lang: "sv" (default) or "en".
        command: the command line that reproduced the run, shown in the footer.

    Raises:
        ValueError: an unknown language, no results, or results that are not the comparison's.
    """
    return write_text(path, render_report(results, comparison, lang, command))
