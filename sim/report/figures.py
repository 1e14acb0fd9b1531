"""The report's charts, one function per chart, each returning a plotly ``Figure``.

Every function takes the runs' :class:`~sim.experiments.runner.Results` (the base first) or a
comparison's ``differences`` table, and ``lang`` ("sv" default, or "en"), so a
notebook can draw the same charts as the HTML report. Values are means over
replications; bars and bands are 95 % t-intervals over replications. Each
scenario has the same colour in every chart (by its position, see
:func:`sim.report.style.scenario_colours`).

Example:
    >>> import pandas as pd
    >>> d = pd.DataFrame({"replication": [0, 1], "scenario": "alt", "metric": "cost_total_sek",
    ...                   "subgroup": "all", "diff": [-2e8, -3e8]})
    >>> fig = differences_figure(d, ["base", "alt"], metrics=("cost_total_sek",))
    >>> fig.layout.yaxis.title.text
    'Skillnad (mnkr)'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.experiments.runner import Results
from sim.outcomes.catalogue import KEY_METRICS, SUBGROUPS
from sim.report.data import mean_ci
from sim.report.labels import label, sek_unit
from sim.report.style import (
    STATE_COLOURS,
    base_dash,
    base_layout,
    date_ticks,
    item_colours,
    metric_grid,
    note_missing,
    persons_axis,
    scenario_colours,
    sek_axis,
    share_axis,
    spacing,
    value_scale,
)  # fmt: skip
from sim.scenario.schema import COST_ITEMS
from sim.states import STATES

__all__ = [
    "occupancy_figure", "survival_figure", "employment_figure", "cost_payer_figure", "cost_item_figure",
    "differences_figure", "subgroup_figure", "queue_figure", "SUBGROUP_METRICS", "EMPLOYMENT_HORIZONS",
]  # fmt: skip

EMPLOYMENT_HORIZONS = (6, 12, 24, 36, 48)
#: Key metrics shown per subgroup (totals in SEK depend on a group's size, so they are left out).
_TOTALS = ("cost_total_sek", "cost_municipality_sek", "cost_state_sek")
SUBGROUP_METRICS = tuple(m for m in KEY_METRICS if m not in _TOTALS)
_T = {
    "sv": {"month": "Månad", "persons": "Personer (hela riket)", "since": "Månader sedan inträde",
           "not_work": "Ännu inte i arbete (%)", "share": "Andel i arbete (%)", "year": "År", "cost": "Kostnad",
           "diff": "Skillnad", "alternative": "Alternativ", "subgroup": "Delgrupp",
           "waiting": "Väntande personer (hela riket)", "none": "Inga köer i någon körning"},
    "en": {"month": "Month", "persons": "Persons (national)", "since": "Months since entry",
           "not_work": "Not yet in work (%)", "share": "Share in employment (%)", "year": "Year", "cost": "Cost",
           "diff": "Difference", "alternative": "Alternative", "subgroup": "Subgroup",
           "waiting": "Persons waiting (national)", "none": "No queues in any run"},
}  # fmt: skip
_TITLES = {
    "sv": {"occupancy": "Personer per tillstånd, medelvärde över replikeringar",
           "survival": "Andel som ännu inte fått arbete, efter månader sedan inträde",
           "employment": "Andel i arbete 6–48 månader efter inträde (95 % konfidensintervall)",
           "payer": "Kostnad per år och betalare (95 % konfidensintervall)",
           "item": "Kostnad per år och kostnadspost",
           "differences": "Skillnad mot basscenariot per replikering",
           "subgroups": "Nyckeltal per delgrupp (95 % konfidensintervall)",
           "queues": "Personer i kö per resurs med begränsad kapacitet"},
    "en": {"occupancy": "Persons by state, mean over replications",
           "survival": "Share not yet in work, by months since entry",
           "employment": "Share in employment 6–48 months after entry (95% confidence interval)",
           "payer": "Cost per year by payer (95% confidence interval)",
           "item": "Cost per year by item",
           "differences": "Difference from the base scenario, per replication",
           "subgroups": "Key metrics by subgroup (95% confidence interval)",
           "queues": "Persons queueing for each capacity-limited resource"},
}  # fmt: skip


def _dates(results: Results, months: pd.Index | pd.Series | np.ndarray) -> list[pd.Timestamp]:
    start = pd.Timestamp(results.scenario.simulation.start_date)
    return [start + pd.DateOffset(months=int(m)) for m in months]


def _names(results: Sequence[Results]) -> list[str]:
    return [r.scenario.name for r in results]


def _base_last(results: Sequence[Results]) -> list[tuple[int, Results]]:
    """(position, results) with the base drawn last, so its (dashed) line stays visible on top."""
    indexed = list(enumerate(results))
    return indexed[1:] + indexed[:1]


def occupancy_figure(results: Sequence[Results], lang: str = "sv") -> go.Figure:
    """Persons in each state by calendar month, stacked areas, one panel per scenario."""
    names = _names(results)
    height = 140 + 240 * len(results)
    fig = make_subplots(rows=len(results), cols=1, shared_xaxes=True, subplot_titles=names,
                        vertical_spacing=spacing(len(results), height, 50))  # fmt: skip
    means = [r.occupancy.groupby(["month", "state"], sort=False)["persons"].mean().unstack() for r in results]
    shown = [s.value for s in STATES if any(m.get(s.value, pd.Series(0.0)).sum() > 0 for m in means)]
    for row, (r, mean) in enumerate(zip(results, means), start=1):
        x = _dates(r, mean.index)
        for state in shown:
            fig.add_trace(
                go.Scatter(
                    x=x, y=mean.get(state, pd.Series(0.0, index=mean.index)), name=label(state, lang),
                    stackgroup=f"s{row}", mode="lines", line={"width": 0.5, "color": STATE_COLOURS[state]},
                    legendgroup=state, showlegend=row == 1,
                    hovertemplate="%{x|%Y-%m}: %{y:,.0f}<extra>" + label(state, lang) + "</extra>",
                ),
                row=row, col=1,
            )  # fmt: skip
        fig.update_yaxes(persons_axis(_T[lang]["persons"] if row == 1 else ""), row=row, col=1)
    fig.update_xaxes(date_ticks())
    fig.update_xaxes(title_text=_T[lang]["month"], row=len(results), col=1)
    return base_layout(fig, _TITLES[lang]["occupancy"], lang, height=height)


def survival_figure(results: Sequence[Results], lang: str = "sv") -> go.Figure:
    """Share not yet in work (Kaplan–Meier) by months since entry: a line and 95 % band per scenario."""
    fig = go.Figure()
    colours = scenario_colours(_names(results))
    for k, r in _base_last(results):
        curve = mean_ci(r.survival[r.survival["subgroup"] == "all"], ["month"], "not_in_work")
        colour = colours[r.scenario.name]
        band_x = pd.concat([curve["month"], curve["month"][::-1]])
        band_y = 100 * pd.concat([curve["high"], curve["low"][::-1]])
        fig.add_trace(go.Scatter(x=band_x, y=band_y, fill="toself", fillcolor=colour, opacity=0.15,
                                 line={"width": 0}, hoverinfo="skip", showlegend=False, legendgroup=r.scenario.name))
        fig.add_trace(go.Scatter(x=curve["month"], y=100 * curve["mean"], name=r.scenario.name, mode="lines",
                                 line={"color": colour, "width": 2.5, "dash": base_dash(k, len(results))}, legendrank=k,
                                 legendgroup=r.scenario.name,
                                 hovertemplate="%{x}: %{y:,.1f}" + (" %" if lang == "sv" else "%")))
    fig.update_xaxes(title_text=_T[lang]["since"], dtick=6)
    fig.update_yaxes(share_axis(_T[lang]["not_work"], lang), range=[0, 100])
    return base_layout(fig, _TITLES[lang]["survival"], lang)


def employment_figure(results: Sequence[Results], lang: str = "sv") -> go.Figure:
    """Share in employment 6, 12, 24, 36 and 48 months after entry, bars with 95 % intervals per scenario."""
    fig = go.Figure()
    colours = scenario_colours(_names(results))
    unit = " mån" if lang == "sv" else " months"
    for r in results:
        s = r.summary[r.summary["subgroup"] == "all"].set_index("metric")
        keys = [f"employment_rate_{k}m" for k in EMPLOYMENT_HORIZONS if f"employment_rate_{k}m" in s.index]
        rows = s.loc[keys].dropna(subset=["mean"])
        mean = 100 * rows["mean"]
        fig.add_trace(go.Bar(
            x=[k.removeprefix("employment_rate_").removesuffix("m") + unit for k in rows.index], y=mean,
            name=r.scenario.name, marker_color=colours[r.scenario.name],
            error_y={"type": "data", "symmetric": False, "array": 100 * rows["ci_high"] - mean,
                     "arrayminus": mean - 100 * rows["ci_low"], "color": "#333", "thickness": 1.2},
            hovertemplate="%{x}: %{y:,.1f}" + (" %" if lang == "sv" else "%"),
        ))  # fmt: skip
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text=_T[lang]["since"])
    fig.update_yaxes(share_axis(_T[lang]["share"], lang), rangemode="tozero")
    return base_layout(fig, _TITLES[lang]["employment"], lang)


def cost_payer_figure(results: Sequence[Results], lang: str = "sv") -> go.Figure:
    """Cost per calendar year, one panel per payer, bars per scenario with 95 % intervals."""
    payers = [p for p in ("municipality", "state") if any((r.costs["payer"] == p).any() for r in results)]
    fig = make_subplots(rows=1, cols=len(payers), subplot_titles=[label(p, lang) for p in payers], shared_yaxes=True)
    colours = scenario_colours(_names(results))
    totals = [mean_ci(r.costs.groupby(["replication", "year", "payer"])["cost_sek"].sum().reset_index(),
                      ["year", "payer"], "cost_sek") for r in results]  # fmt: skip
    divisor, unit = sek_unit(max(float(t["high"].abs().max()) for t in totals), lang)
    for r, total in zip(results, totals):
        for col, payer in enumerate(payers, start=1):
            t = total[total["payer"] == payer]
            fig.add_trace(go.Bar(
                x=t["year"].astype(str), y=t["mean"] / divisor, name=r.scenario.name, legendgroup=r.scenario.name,
                marker_color=colours[r.scenario.name], showlegend=col == 1,
                error_y={"type": "data", "symmetric": False, "array": (t["high"] - t["mean"]) / divisor,
                         "arrayminus": (t["mean"] - t["low"]) / divisor, "color": "#333", "thickness": 1.2},
                hovertemplate="%{x}: %{y:,.2f} " + unit + f"<extra>{r.scenario.name}</extra>",
            ), row=1, col=col)  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=_T[lang]["year"], type="category")
    fig.update_yaxes(sek_axis(f"{_T[lang]['cost']} ({unit})"), row=1, col=1)
    return base_layout(fig, _TITLES[lang]["payer"], lang)


def cost_item_figure(results: Sequence[Results], lang: str = "sv") -> go.Figure:
    """Cost per calendar year by cost item, stacked bars, one panel per scenario."""
    means = [r.costs.groupby(["year", "item"])["cost_sek"].sum().unstack() / r.costs["replication"].nunique()
             for r in results]  # fmt: skip
    items = [i for i in COST_ITEMS if any(i in m.columns and m[i].abs().sum() > 0 for m in means)]
    colours = item_colours(COST_ITEMS)
    divisor, unit = sek_unit(max(float(m.sum(axis=1).max()) for m in means), lang)
    fig = make_subplots(rows=1, cols=len(results), subplot_titles=_names(results), shared_yaxes=True)
    for col, mean in enumerate(means, start=1):
        for item in [i for i in items if i in mean.columns]:
            fig.add_trace(go.Bar(
                x=mean.index.astype(str), y=mean[item] / divisor, name=label(item, lang), legendgroup=item,
                marker_color=colours[item], showlegend=col == 1,
                hovertemplate="%{x}: %{y:,.2f} " + unit + f"<extra>{label(item, lang)}</extra>",
            ), row=1, col=col)  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=_T[lang]["year"], type="category")
    fig.update_yaxes(sek_axis(f"{_T[lang]['cost']} ({unit})"), row=1, col=1)
    return base_layout(fig, _TITLES[lang]["item"], lang, height=560)


def differences_figure(
    differences: pd.DataFrame, names: Sequence[str], lang: str = "sv", metrics: Sequence[str] = KEY_METRICS
) -> go.Figure:
    """Each key metric's difference from the base, one box with every replication's point per alternative.

    Args:
        differences: ``Comparison.differences`` (``replication, scenario, metric, subgroup, diff``).
        names: all scenario names, the base first (for the colours).
    """
    colours = scenario_colours(names)
    data = differences[differences["subgroup"] == "all"]
    finite = set(data.loc[np.isfinite(data["diff"]), "metric"])
    shown = [m for m in metrics if m in finite]
    fig, cols, height, missing = metric_grid(shown, metrics, lang, 280, 90)
    for k, metric in enumerate(shown):
        row, col = k // cols + 1, k % cols + 1
        d = data[data["metric"] == metric]
        factor, unit = value_scale(metric, d["diff"], lang, diff=True)
        for name in [n for n in names[1:] if n in set(d["scenario"])]:
            values = d.loc[d["scenario"] == name, "diff"] * factor
            fig.add_trace(go.Box(
                y=values, name=name, marker_color=colours[name], boxpoints="all", jitter=0.4, pointpos=0,
                legendgroup=name, showlegend=k == 0, hovertemplate="%{y:,.3~r} " + unit + f"<extra>{name}</extra>",
            ), row=row, col=col)  # fmt: skip
        fig.add_hline(y=0, line={"color": "#555", "width": 1, "dash": "dot"}, row=row, col=col)
        fig.update_yaxes(sek_axis(f"{_T[lang]['diff']} ({unit})"), row=row, col=col)
    fig.update_xaxes(title_text=_T[lang]["alternative"], row=-(-len(shown) // cols))
    return note_missing(base_layout(fig, _TITLES[lang]["differences"], lang, height=height), missing, lang)


def subgroup_figure(
    results: Sequence[Results], lang: str = "sv", metrics: Sequence[str] = SUBGROUP_METRICS
) -> go.Figure:
    """Key metrics per subgroup (women/men, born in Sweden/abroad, single parents, with children), 95 % intervals."""
    colours = scenario_colours(_names(results))
    finite = {m for r in results for m in r.summary.loc[np.isfinite(r.summary["mean"]), "metric"]}
    shown = [m for m in metrics if m in finite]
    fig, cols, height, missing = metric_grid(shown, metrics, lang, 300, 95, hspace=0.06, shared_yaxes=True)
    groups = [label(g, lang) for g in SUBGROUPS]
    for k, metric in enumerate(shown):
        row, col = k // cols + 1, k % cols + 1
        frames = [r.summary[r.summary["metric"] == metric].set_index("subgroup").reindex(SUBGROUPS) for r in results]
        factor, unit = value_scale(metric, pd.concat(frames)["mean"], lang)
        for r, s in zip(results, frames):
            mean = s["mean"] * factor
            fig.add_trace(go.Scatter(
                y=groups, x=mean, orientation="h", mode="markers", name=r.scenario.name, legendgroup=r.scenario.name,
                marker={"color": colours[r.scenario.name], "size": 9}, showlegend=k == 0,
                error_x={"type": "data", "symmetric": False, "array": s["ci_high"] * factor - mean,
                         "arrayminus": mean - s["ci_low"] * factor, "thickness": 1.5},
                hovertemplate="%{y}: %{x:,.3~r} " + unit + f"<extra>{r.scenario.name}</extra>",
            ), row=row, col=col)  # fmt: skip
        fig.update_xaxes(sek_axis(unit), row=row, col=col)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_yaxes(title_text=_T[lang]["subgroup"], col=1)
    fig.update_layout(scattermode="group", scattergap=0.3)
    return note_missing(base_layout(fig, _TITLES[lang]["subgroups"], lang, height=height), missing, lang)


def queue_figure(results: Sequence[Results], lang: str = "sv") -> go.Figure:
    """Persons waiting for each capacity-limited resource by calendar month, a line per scenario.

    Without any queue in any run, the figure has no data and says so.
    """
    resources = sorted({str(x) for r in results for x in r.queues["resource"].unique()})
    if not resources:
        fig = go.Figure()
        fig.add_annotation(text=_T[lang]["none"], showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
        fig.update_xaxes(title_text=_T[lang]["month"], visible=False)
        fig.update_yaxes(title_text=_T[lang]["waiting"], visible=False)
        return base_layout(fig, _TITLES[lang]["queues"], lang, height=240)
    colours = scenario_colours(_names(results))
    height = 140 + 260 * len(resources)
    fig = make_subplots(rows=len(resources), cols=1, subplot_titles=[label(x, lang) for x in resources],
                        shared_xaxes=True, vertical_spacing=spacing(len(resources), height, 60))  # fmt: skip
    for row, resource in enumerate(resources, start=1):
        for k, r in _base_last(results):
            q = r.queues[r.queues["resource"] == resource]
            months = np.arange(int(r.occupancy["month"].max()) + 1)
            mean = q.groupby("month")["waiting"].sum().reindex(months, fill_value=0.0) / len(r.replications)
            fig.add_trace(go.Scatter(
                x=_dates(r, mean.index), y=mean, name=r.scenario.name, mode="lines", legendgroup=r.scenario.name,
                line={"color": colours[r.scenario.name], "width": 2, "dash": base_dash(k, len(results))},
                showlegend=row == 1, legendrank=k,
                hovertemplate="%{x|%Y-%m}: %{y:,.0f}" + f"<extra>{r.scenario.name}</extra>",
            ), row=row, col=1)  # fmt: skip
        fig.update_yaxes(persons_axis(_T[lang]["waiting"]), row=row, col=1)
    fig.update_xaxes(date_ticks())
    fig.update_xaxes(title_text=_T[lang]["month"], row=len(resources), col=1)
    return base_layout(fig, _TITLES[lang]["queues"], lang, height=height)
