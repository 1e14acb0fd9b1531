"""Charts and pages for parameter uncertainty: tornado, Morris, Sobol, and PSA distributions.

Each chart is a function returning a plotly ``Figure`` (for notebooks); the
``write_*_page`` functions wrap them with a table in one self-contained HTML page
with the same look as the reports (plotly.js inlined, opens offline).

Example:
    >>> import pandas as pd
    >>> t = pd.DataFrame({"path": ["a.b"], "metric_at_low": [0.40], "metric_at_high": [0.42],
    ...                   "metric_at_value": [0.41], "low": [1.0], "high": [2.0], "value": [1.5], "swing": [0.02]})
    >>> tornado_figure(t, "employment_rate_24m").data[0].orientation
    'h'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.experiments.psa import PsaResults
from sim.experiments.sensitivity import Sensitivity
from sim.files import write_text
from sim.outcomes.catalogue import higher_is_better
from sim.report.html import page
from sim.report.labels import check_lang, label
from sim.report.markup import chart, esc, table
from sim.report.style import PALETTE, base_layout

__all__ = [
    "morris_figure", "psa_figure", "sobol_figure", "tornado_figure", "write_psa_page", "write_sensitivity_page",
    "describe_psa", "describe_sensitivity",
]  # fmt: skip

_WORDS = {
    "sv": {"low": "Lågt värde", "high": "Högt värde", "effect": "Utfall", "first": "Första ordningens index (S1)",
           "total": "Totalt index (ST)", "mu": "μ* (medelabsolut elementär effekt)", "sigma": "σ (interaktion, icke-linjäritet)",
           "draws": "Antal dragningar", "prob": "Sannolikhet att alternativet är bättre än basen",
           "sens": "Känslighetsanalys", "psa": "Probabilistisk känslighetsanalys (PSA)"},
    "en": {"low": "Low value", "high": "High value", "effect": "Outcome", "first": "First-order index (S1)",
           "total": "Total index (ST)", "mu": "μ* (mean absolute elementary effect)", "sigma": "σ (interaction, non-linearity)",
           "draws": "Draws", "prob": "Probability that the alternative beats the base",
           "sens": "Sensitivity analysis", "psa": "Probabilistic sensitivity analysis (PSA)"},
}  # fmt: skip


def tornado_figure(indices: pd.DataFrame, metric: str, lang: str = "sv") -> go.Figure:
    """One-way sensitivity: each factor's low and high end as bars around the value at the scenario's values."""
    words = _WORDS[check_lang(lang)]
    t = indices.iloc[::-1]
    centre = float(t["metric_at_value"].iloc[0])
    fig = go.Figure()
    for end, colour in (("low", PALETTE[0]), ("high", PALETTE[1])):
        fig.add_bar(y=t["path"], x=t[f"metric_at_{end}"] - centre, base=centre, orientation="h", name=words[end],
                    marker_color=colour,
                    customdata=np.column_stack([t[end], t[f"metric_at_{end}"]]),
                    hovertemplate="%{y}: %{customdata[0]:.4g} → %{customdata[1]:.4f}<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="overlay", xaxis_title=label(metric, lang))
    return base_layout(fig, f"{words['sens']}: {label(metric, lang)}", lang, height=160 + 28 * len(t))


def morris_figure(indices: pd.DataFrame, metric: str, lang: str = "sv") -> go.Figure:
    """Morris screening: μ* against σ, one point per factor."""
    words = _WORDS[check_lang(lang)]
    fig = go.Figure(go.Scatter(
        x=indices["mu_star"], y=indices["sigma"], mode="markers+text", text=indices["path"],
        textposition="top center", marker={"color": PALETTE[0], "size": 10},
        error_x={"type": "data", "array": indices["mu_star_conf"], "visible": True},
    ))  # fmt: skip
    fig.update_layout(xaxis_title=words["mu"], yaxis_title=words["sigma"])
    return base_layout(fig, f"Morris: {label(metric, lang)}", lang)


def sobol_figure(indices: pd.DataFrame, metric: str, lang: str = "sv") -> go.Figure:
    """Sobol indices: first-order and total per factor, with bootstrap 95 % intervals."""
    words = _WORDS[check_lang(lang)]
    t = indices.iloc[::-1]
    fig = go.Figure()
    for column, name, colour in (("S1", words["first"], PALETTE[0]), ("ST", words["total"], PALETTE[1])):
        fig.add_bar(y=t["path"], x=t[column], orientation="h", name=name, marker_color=colour,
                    error_x={"type": "data", "array": t[f"{column}_conf"], "visible": True})  # fmt: skip
    fig.update_layout(barmode="group", xaxis_title="Sobol")
    return base_layout(fig, f"Sobol: {label(metric, lang)}", lang, height=180 + 40 * len(t))


def psa_figure(draw_means: pd.DataFrame, metric: str, lang: str = "sv") -> go.Figure:
    """Distribution over PSA draws of a metric (per scenario: the mean over replications in each draw)."""
    words = _WORDS[check_lang(lang)]
    fig = go.Figure()
    for i, (name, group) in enumerate(draw_means[draw_means["metric"] == metric].groupby("scenario", sort=False)):
        fig.add_histogram(x=group["value"], name=str(name), marker_color=PALETTE[i % len(PALETTE)], opacity=0.7)
    fig.update_layout(barmode="overlay", xaxis_title=label(metric, lang), yaxis_title=words["draws"])
    return base_layout(fig, f"PSA: {label(metric, lang)}", lang)


def _page(title: str, lang: str, body: str) -> str:
    return page(title, lang, f"<header><h1>{esc(title)}</h1></header>\n{body}")


def write_sensitivity_page(
    path: str | os.PathLike[str], method: str, metric: str, indices: pd.DataFrame, meta: str, lang: str = "sv"
) -> Path:
    """The sensitivity chart and table as one page."""
    words = _WORDS[check_lang(lang)]
    figure = {"oneway": tornado_figure, "morris": morris_figure, "sobol": sobol_figure}[method](indices, metric, lang)
    shown = indices.copy()
    rows = [[esc(v) if isinstance(v, str) else f"{v:.4g}" for v in row] for row in shown.itertuples(index=False)]
    body = (f'<p class="meta">{esc(meta)}</p>\n' + chart(figure, f"sensitivity-{method}")
            + table(list(shown.columns), rows, numeric=range(1, len(shown.columns))))  # fmt: skip
    return write_text(path, _page(f"{words['sens']} ({method}): {label(metric, lang)}", lang, body))


def write_psa_page(
    path: str | os.PathLike[str],
    draw_means: pd.DataFrame,
    summary: pd.DataFrame,
    probability: pd.DataFrame | None,
    metrics: Sequence[str],
    meta: str,
    lang: str = "sv",
) -> Path:
    """Distributions over the PSA draws of key metrics, their summary, and (comparisons) P(alternative better)."""
    words = _WORDS[check_lang(lang)]
    body = f'<p class="meta">{esc(meta)}</p>\n'
    if probability is not None and not probability.empty:
        rows = [[esc(r.scenario), esc(label(str(r.metric), lang)), f"{r.probability_better:.0%}", f"{r.mean_difference:.4g}"]
                for r in probability.itertuples()]  # fmt: skip
        body += f"<h2>{esc(words['prob'])}</h2>\n" + table(["scenario", "metric", "P", "mean difference"], rows,
                                                            numeric=(2, 3))  # fmt: skip
    for metric in metrics:
        body += chart(psa_figure(draw_means, metric, lang), f"psa-{metric}")
    rows = [[esc(v) if isinstance(v, str) else f"{v:.4g}" for v in row] for row in summary.itertuples(index=False)]
    body += table(list(summary.columns), rows, numeric=range(3, len(summary.columns)))
    return write_text(path, _page(words["psa"], lang, body))


def describe_psa(found: PsaResults) -> str:
    """One line on how a PSA was run (for its page and the terminal)."""
    s = found.settings
    return (f"{len(found.draws)} parameter sets (Latin hypercube over {len(found.draws.columns) - 1} distributions), "
            f"{s.replications} replications each, scale {s.scale}, {s.months} months, seed {s.seed}")


def describe_sensitivity(found: Sensitivity) -> str:
    """One line on how a sensitivity analysis was run (for its page and the terminal)."""
    s = found.settings
    name = found.scenario.name if found.scenario is not None else "scenario"
    return (f"{name}: {found.method}, {found.metric} (subgroup all), {len(found.points)} evaluations of "
            f"{s.replications} replications at scale {s.scale}, {s.months} months, "
            f"seed {s.seed} (the same at every point: common random numbers)")


def better(metric: str, difference: float) -> bool | None:
    """Whether a difference (alternative − base) in ``metric`` is an improvement (None: no direction)."""
    direction = higher_is_better(metric)
    if direction is None:
        return None
    return difference > 0 if direction else difference < 0
