"""The report's tables as plain DataFrames (identifiers, raw numbers), shared by the HTML and xlsx writers.

Nothing here formats or translates; the writers do. Sources of parameters follow
:func:`sim.scenario.diff.cite`: a provenance record's source, else its note (an
assumption), and settings that are not numbers are design choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.compare import Comparison
from sim.experiments.runner import Results
from sim.experiments.summary import t_half_width
from sim.outcomes.catalogue import KEY_METRICS, higher_is_better
from sim.report.manifest import assumptions_table
from sim.scenario.diff import cite, flatten, parameter_values, show
from sim.scenario.schema import Scenario

__all__ = [
    "headline", "variance_rows", "cost_rows", "wait_rows", "parameter_rows", "assumption_rows", "flatten",
    "show", "source_kind", "short_path", "mean_ci",
]  # fmt: skip

_HEADLINE = [
    "scenario", "metric", "mean", "se", "ci_low", "ci_high", "diff_vs_base", "diff_se", "diff_ci_low",
    "diff_ci_high", "better",
]  # fmt: skip


def mean_ci(frame: pd.DataFrame, by: list[str], column: str) -> pd.DataFrame:
    """Mean and 95 % t-interval of ``column`` over the rows of each group (``mean, low, high``)."""
    grouped = frame.groupby(by, sort=False)[column]
    out = grouped.agg(mean="mean", sd="std", n="count").reset_index()
    half = pd.Series(t_half_width(out["sd"], out["n"]), index=out.index).where(out["n"] > 1, 0.0)
    return out.assign(low=out["mean"] - half, high=out["mean"] + half)


def headline(results: Sequence[Results], comparison: Comparison | None = None) -> pd.DataFrame:
    """KEY_METRICS (subgroup ``all``) per scenario: mean, SE, interval, difference from the base and ``better``.

    ``better`` is True/False when the difference's 95 % interval excludes 0 and a
    higher value is better/worse, and missing otherwise (and for the base).
    """
    if comparison is not None:
        table = comparison.table[comparison.table["subgroup"] == "all"]
    else:
        table = pd.concat(
            [r.summary.assign(scenario=r.scenario.name, se=r.summary["sd"] / np.sqrt(r.summary["n"])) for r in results]
        )
        table = table[table["subgroup"] == "all"]
        for column in ("diff_vs_base", "diff_se", "diff_ci_low", "diff_ci_high"):
            table = table.assign(**{column: np.nan})
    order = {name: i for i, name in enumerate(r.scenario.name for r in results)}
    table = table[table["metric"].isin(KEY_METRICS)].copy()
    table["better"] = [_better(row) for row in table.itertuples()]
    table = table.assign(
        _s=table["scenario"].map(order), _m=table["metric"].map({m: i for i, m in enumerate(KEY_METRICS)})
    )
    return table.sort_values(["_s", "_m"])[_HEADLINE].reset_index(drop=True)


def _better(row: Any) -> bool | None:
    low, high, diff = row.diff_ci_low, row.diff_ci_high, row.diff_vs_base
    direction = higher_is_better(row.metric)
    if direction is None or not (np.isfinite(low) and np.isfinite(high)) or low <= 0 <= high:
        return None
    return bool((diff > 0) == direction)


def variance_rows(comparison: Comparison) -> pd.DataFrame:
    """The CRN variance table for KEY_METRICS, subgroup ``all``: paired, independent and their ratio."""
    v = comparison.variance
    v = v[(v["subgroup"] == "all") & v["metric"].isin(KEY_METRICS)].copy()
    v["_m"] = v["metric"].map({m: i for i, m in enumerate(KEY_METRICS)})
    v["_s"] = v["scenario"].map({n: i for i, n in enumerate(comparison.names)})
    return v.sort_values(["_s", "_m"])[["scenario", "metric", "var_paired", "var_independent", "ratio"]]


def cost_rows(results: Sequence[Results]) -> pd.DataFrame:
    """Mean cost over replications (and its SE) per scenario, year, item and payer, national SEK."""
    frames = []
    for r in results:
        n = r.costs["replication"].nunique()
        g = r.costs.groupby(["year", "item", "payer"], sort=True)["cost_sek"]
        out = g.agg(cost_sek="mean", sd="std").reset_index()
        out["cost_se_sek"] = out["sd"] / np.sqrt(n)
        frames.append(out.drop(columns="sd").assign(scenario=r.scenario.name))
    table = pd.concat(frames, ignore_index=True)
    return table[["scenario", "year", "item", "payer", "cost_sek", "cost_se_sek"]]


def wait_rows(results: Sequence[Results]) -> pd.DataFrame:
    """Per scenario and resource: waits per replication, share granted and mean wait in months."""
    frames = []
    for r in results:
        if r.waits.empty:
            continue
        w = r.waits.assign(total_wait=r.waits["mean_wait_months"] * r.waits["waits"])
        g = w.groupby("resource", sort=True)[["waits", "granted", "total_wait"]].sum()
        out = pd.DataFrame(
            {
                "waits": g["waits"] / len(r.replications),
                "granted": g["granted"] / g["waits"],
                "mean_wait_months": g["total_wait"] / g["waits"],
            }
        ).reset_index()
        frames.append(out.assign(scenario=r.scenario.name))
    if not frames:
        return pd.DataFrame(columns=["scenario", "resource", "waits", "granted", "mean_wait_months"])
    return pd.concat(frames, ignore_index=True)[["scenario", "resource", "waits", "granted", "mean_wait_months"]]


def short_path(file: str) -> str:
    """A scenario file's path relative to the working folder when it lies inside it (no absolute paths shown)."""
    try:
        return Path(file).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return file


def source_kind(scenario: Scenario, path: str, value: Any) -> tuple[str, str, str]:
    """``(kind, text, where)``: kind is ``source``, ``assumption``, ``design`` or ``setting`` (the scenario's
    default run settings, ``simulation.*``); where is ``file:line``."""
    if path.startswith("simulation."):
        return "setting", "", ""
    citation = cite(scenario, path, value)
    where = f"{short_path(citation.file)}:{citation.line}" if citation.file else ""
    return citation.kind, citation.text, where


def parameter_rows(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Every parameter of every scenario: ``parameter``, one value column per scenario, ``kind, source, where``.

    When scenarios cite different sources for a parameter, ``source`` lists each as ``name: source``.
    """
    values = [parameter_values(s) for s in scenarios]
    paths = list(dict.fromkeys(p for v in values for p in v))
    rows = []
    for path in paths:
        found = [(s, v[path]) for s, v in zip(scenarios, values) if path in v and v[path] is not None]
        kinds = [source_kind(s, path, value) for s, value in found]
        distinct = list(dict.fromkeys((k, t) for k, t, _ in kinds))
        each = "; ".join(f"{s.name}: {t}" for (s, _), (_, t, _) in zip(found, kinds))
        text = distinct[0][1] if len(distinct) == 1 else each
        row = {"parameter": path, **{s.name: show(v.get(path)) for s, v in zip(scenarios, values)}}
        row.update(kind=kinds[0][0] if kinds else "design", source=text if kinds else "",
                   where=next((w for _, _, w in kinds if w), ""))  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def assumption_rows(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Every parameter without a cited source once, with the scenarios it holds in (``parameter, note, file,
    line, scenarios``)."""
    frames = [assumptions_table(s).assign(scenario=s.name) for s in scenarios]
    frames = [f.assign(file=f["file"].map(short_path)) for f in frames]
    table = pd.concat(frames, ignore_index=True)
    if table.empty:
        return pd.DataFrame(columns=["parameter", "note", "file", "line", "scenarios"])
    grouped = table.groupby(["parameter", "note", "file", "line"], sort=False)["scenario"]
    return grouped.agg(lambda names: ", ".join(names)).reset_index().rename(columns={"scenario": "scenarios"})
