"""Small HTML building blocks: escaping, tables, sections and chart containers.

Example:
    >>> html = table(["a", "b"], [["1", "&lt;2"]], table_id="t", row_class="r")
    >>> html.count('<tr class="r">'), '<td>&lt;2</td>' in html, html.startswith('<div class="table-scroll">')
    (1, True, True)
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from sim.report.labels import label

__all__ = ["esc", "table", "section", "chart", "paragraph", "dotted", "CHART_CONFIG"]

#: Plotly's toolbar: no logo, and "download as PNG" at twice the size, for pasting into documents.
CHART_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def esc(value: object) -> str:
    """Text escaped for HTML."""
    return html.escape(str(value), quote=True)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    table_id: str | None = None,
    row_class: str | None = None,
    numeric: Sequence[int] = (),
    wide: Sequence[int] = (),
) -> str:
    """A table from header texts (escaped here) and cells (already HTML), in a horizontally scrolling box.

    Args:
        numeric: positions of columns to right-align (numbers).
        wide: positions of columns of running text, kept wide enough to read.
    """
    ident = f' id="{esc(table_id)}"' if table_id else ""
    klass = f' class="{esc(row_class)}"' if row_class else ""
    kinds = [_kind(i, numeric, wide) for i in range(len(header))]
    head = "".join(f"<th{k}>{esc(h)}</th>" for k, h in zip(kinds, header))
    body = "".join(
        f"<tr{klass}>" + "".join(f"<td{k}>{cell}</td>" for k, cell in zip(kinds, row)) + "</tr>" for row in rows
    )
    return f'<div class="table-scroll"><table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _kind(position: int, numeric: Sequence[int], wide: Sequence[int]) -> str:
    if position in numeric:
        return ' class="num"'
    return ' class="wide"' if position in wide else ""


def dotted(path: str) -> str:
    """A dotted parameter path as code that may break after each dot."""
    return "<code>" + esc(path).replace(".", ".<wbr>") + "</code>"


def paragraph(text: str) -> str:
    """A paragraph of plain text (escaped)."""
    return f"<p>{esc(text)}</p>"


def section(key: str, lang: str, body: str) -> str:
    """A numbered report section ``<section id=key>`` with its translated heading."""
    return f'<section id="{esc(key)}"><h2>{esc(label("section." + key, lang))}</h2>\n{body}\n</section>\n'


def chart(fig: go.Figure, key: str) -> str:
    """A figure in a ``<div class="chart">``, without plotly.js (the page inlines it once)."""
    config = {**CHART_CONFIG, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key}}
    inner = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{key}", config=config)
    return f'<div class="chart" id="chart-{esc(key)}">{inner}</div>\n'
