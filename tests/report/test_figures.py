"""Each chart function returns a plotly Figure with data, a title, axis titles and the scenario colours."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from sim.report import figures
from sim.report.style import PALETTE, scenario_colours
from tests.report.helpers import SCENARIOS, tiny_comparison

BY_RESULTS = (
    figures.occupancy_figure, figures.survival_figure, figures.employment_figure, figures.cost_payer_figure,
    figures.cost_item_figure, figures.subgroup_figure, figures.queue_figure,
)  # fmt: skip


def _build(function, lang):
    c = tiny_comparison()
    if function is figures.differences_figure:
        return function(c.differences, c.names, lang)
    return function(c.results, lang)


def _has_data(trace) -> bool:
    values = [v for v in (trace.x, trace.y) if v is not None]
    return any(len(v) > 0 for v in values)


def _axis_titles(fig: go.Figure, which: str) -> list[str]:
    axes = [getattr(fig.layout, name) for name in fig.layout if name.startswith(which)]
    return [a.title.text for a in axes if a.title and a.title.text]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("function", [*BY_RESULTS, figures.differences_figure], ids=lambda f: getattr(f, "__name__", f))
def test_every_chart_has_data_a_title_and_axis_titles(function, lang):
    """A Figure with at least one trace with data, a title, titled x and y axes and the language's separators."""
    fig = _build(function, lang)
    assert isinstance(fig, go.Figure)
    assert fig.data and any(_has_data(t) for t in fig.data)
    assert fig.layout.title.text
    assert _axis_titles(fig, "xaxis") and _axis_titles(fig, "yaxis")
    assert fig.layout.separators == (", " if lang == "sv" else ".,")


def test_units_are_in_the_axis_titles():
    """Percent, months, persons and SEK units appear where the charts show them."""
    sv = {f.__name__: " ".join(_axis_titles(_build(f, "sv"), "xaxis") + _axis_titles(_build(f, "sv"), "yaxis"))
          for f in (*BY_RESULTS, figures.differences_figure)}  # fmt: skip
    assert "Personer" in sv["occupancy_figure"] and "Månad" in sv["occupancy_figure"]
    assert "Månader sedan inträde" in sv["survival_figure"]
    assert "mdkr" in sv["cost_payer_figure"] or "mnkr" in sv["cost_payer_figure"]
    assert "procentenheter" in sv["differences_figure"] and "mån" in sv["differences_figure"]
    assert "%" in sv["subgroup_figure"]
    en = _axis_titles(figures.cost_item_figure(tiny_comparison().results, "en"), "yaxis")[0]
    assert "SEK bn" in en or "MSEK" in en


def test_each_scenario_keeps_its_colour_in_every_chart():
    """The colour is chosen by position: the same scenario has the same colour in each chart that shows scenarios."""
    c = tiny_comparison()
    expected = scenario_colours(c.names)
    assert expected == {name: PALETTE[i] for i, name in enumerate(SCENARIOS)}
    seen: dict[str, set[str]] = {name: set() for name in c.names}
    for fig in (figures.survival_figure(c.results), figures.employment_figure(c.results),
                figures.cost_payer_figure(c.results), figures.subgroup_figure(c.results),
                figures.differences_figure(c.differences, c.names)):  # fmt: skip
        for trace in fig.data:
            if trace.name in seen:
                colour = trace.line.color if trace.type == "scatter" and trace.mode == "lines" else trace.marker.color
                seen[trace.name].add(colour)
    assert {name: colours for name, colours in seen.items() if colours} == {
        name: {expected[name]} for name in c.names
    }


def test_queue_chart_without_queues_says_so():
    """Runs without a capacity-limited queue give a figure without data that says there were none."""
    base = tiny_comparison().results[0]
    fig = figures.queue_figure([base.__class__(**{**base.__dict__, "queues": base.queues.iloc[0:0]})], "sv")
    assert not fig.data
    assert "Inga köer" in fig.layout.annotations[0].text


def test_occupancy_stacks_every_state_with_people_in_it():
    """One stacked area per state with anyone in it, per scenario panel; the legend once."""
    c = tiny_comparison()
    fig = figures.occupancy_figure(c.results, "en")
    shown = [t for t in fig.data if t.showlegend]
    assert {t.name for t in shown} >= {"Social assistance", "Employment", "Other exit"}
    assert len(fig.data) == len(shown) * len(c.results)
    assert all(t.stackgroup for t in fig.data)
