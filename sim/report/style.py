"""The look shared by every chart: one palette, fonts, number separators, axes with units.

Each scenario keeps its colour in every chart: the colour is chosen by the
scenario's position in the comparison (the base first), never by its name.

Example:
    >>> scenario_colours(["baseline", "alt"])["alt"] == PALETTE[1]
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.report.labels import check_lang, label, metric_kind, sek_unit

__all__ = [
    "PALETTE", "STATE_COLOURS", "FONT_STACK", "scenario_colours", "item_colours", "base_layout",
    "share_axis", "persons_axis", "sek_axis", "wrap", "value_scale", "date_ticks", "spacing", "base_dash",
    "metric_grid", "note_missing",
]  # fmt: skip

#: Colours by scenario position (base first): Tableau 10, distinguishable and print-safe.
PALETTE = (
    "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#B07AA1",
    "#76B7B2", "#EDC948", "#FF9DA7", "#9C755F", "#BAB0AC",
)  # fmt: skip
#: Colours of the states in occupancy charts (passive assistance grey, work green).
STATE_COLOURS = {
    "assistance": "#8C8C8C",
    "municipal_activity": "#F1A340",
    "af_programme": "#998EC3",
    "combined_programme": "#D6604D",
    "employment": "#1A9850",
    "subsidised_employment": "#91CF60",
    "studies": "#4393C3",
    "other_exit": "#D9D9D9",
}
_ITEM_PALETTE = (
    "#8C8C8C", "#F1A340", "#998EC3", "#C2A5CF", "#91CF60", "#4393C3",
    "#D6604D", "#F4A582", "#92C5DE", "#B8E186", "#DE77AE",
)  # fmt: skip
#: System fonts only: the report must open offline, without web fonts.
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif"
_SEPARATORS = {"sv": ", ", "en": ".,"}
#: d3 format: up to six significant digits, thousands grouped, trailing zeros trimmed.
NUMBER_FORMAT = ",~r"


def scenario_colours(names: Sequence[str]) -> dict[str, str]:
    """Scenario name -> colour, by position (the base first)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def item_colours(items: Iterable[str]) -> dict[str, str]:
    """Cost item -> colour, stable for the order given (use ``COST_ITEMS`` for stability across charts)."""
    return {item: _ITEM_PALETTE[i % len(_ITEM_PALETTE)] for i, item in enumerate(items)}


def base_layout(fig: go.Figure, title: str, lang: str, height: int = 460) -> go.Figure:
    """Title, fonts, separators, white template and a legend under the plots that keeps clear of them."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        separators=_SEPARATORS[check_lang(lang)],
        template="plotly_white",
        font={"family": FONT_STACK, "size": 13, "color": "#222"},
        height=height,
        margin={"l": 70, "r": 30, "t": 80, "b": 20},
        # below the plots, in the figure's own coordinates: plotly widens the margin to fit it,
        # so it never covers a subplot title or an axis title however many rows it takes
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left",
                "title": None},
        hoverlabel={"font": {"family": FONT_STACK}},
    )
    fig.update_annotations(font={"size": 13})
    return fig


def share_axis(title: str, lang: str) -> dict[str, object]:
    """An axis of percentages (values already multiplied by 100)."""
    return {"title": {"text": title}, "tickformat": NUMBER_FORMAT, "ticksuffix": " %" if lang == "sv" else "%"}


def persons_axis(title: str) -> dict[str, object]:
    """An axis of numbers of persons, grouped thousands (never ``80k``)."""
    return {"title": {"text": title}, "tickformat": NUMBER_FORMAT, "rangemode": "tozero"}


def sek_axis(title: str) -> dict[str, object]:
    """An axis of amounts already divided into the unit named in ``title``."""
    return {"title": {"text": title}, "tickformat": NUMBER_FORMAT}


def date_ticks() -> dict[str, object]:
    """A calendar axis labelled ``2026-10`` (language neutral: plotly's month names are English)."""
    return {"tickformat": "%Y-%m", "hoverformat": "%Y-%m"}


def value_scale(metric: str, values: Iterable[float], lang: str, diff: bool = False) -> tuple[float, str]:
    """Multiplier and unit for plotting a metric: 100 and % (or percentage points), months, or SEK units."""
    kind = metric_kind(metric)
    if kind == "share":
        if diff:
            return 100.0, "procentenheter" if lang == "sv" else "percentage points"
        return 100.0, "%"
    if kind == "months":
        return 1.0, "mån" if lang == "sv" else "months"
    if kind == "sek":
        finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
        divisor, unit = sek_unit(max(finite, default=0.0), lang)
        return 1.0 / divisor, unit
    return 1.0, "antal" if lang == "sv" else "number"


def wrap(text: str, width: int = 42) -> str:
    """Break a long title into lines of at most about ``width`` characters (``<br>``)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def spacing(rows: int, height: int, gap: int = 80) -> float:
    """``make_subplots``' vertical spacing for a gap of about ``gap`` pixels in a figure ``height`` tall."""
    return min(gap / max(height - 120, 1), 0.9 / max(rows - 1, 1))


def base_dash(position: int, count: int) -> str:
    """Line style by scenario position among ``count``: the base of a comparison dashed, everything else solid."""
    return "dash" if position == 0 and count > 1 else "solid"


def metric_grid(
    shown: Sequence[str], metrics: Sequence[str], lang: str, row_height: int, gap: int, hspace: float = 0.12,
    **options: object,
) -> tuple[go.Figure, int, int, list[str]]:
    """Subplots for the metrics with values, two per row: (figure, columns, height, metrics without values)."""
    cols = 1 if len(shown) <= 1 else 2
    rows = max(1, -(-len(shown) // cols))
    height = 120 + row_height * rows
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[wrap(label(m, lang), 52) for m in shown],
                        vertical_spacing=spacing(rows, height, gap), horizontal_spacing=hspace, **options)  # fmt: skip
    return fig, cols, height, [m for m in metrics if m not in shown]


def note_missing(fig: go.Figure, missing: Sequence[str], lang: str) -> go.Figure:
    """Name, under the title, the metrics left out because no replication gave them a value."""
    if missing:
        lead = "Inga värden för" if lang == "sv" else "No values for"
        fig.update_layout(title_subtitle_text=f"{lead}: {', '.join(label(m, lang) for m in missing)}", margin_t=100)
    return fig
