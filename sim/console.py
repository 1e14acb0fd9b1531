"""Text tables for the terminal: the run summary and the comparison summary."""

from __future__ import annotations

import math

import pandas as pd

from sim.runner import Results

__all__ = ["headline_table", "targets_table", "comparison_table", "HEADLINE"]

HEADLINE = (
    ("employment_rate_12m", "share"),
    ("employment_rate_24m", "share"),
    ("studies_rate_12m", "share"),
    ("median_months_to_work", "months"),
    ("assistance_months_per_person", "months"),
    ("long_term_share", "share"),
    ("households_with_assistance_per_year", "count"),
    ("cost_total_sek", "sek"),
    ("cost_municipality_sek", "sek"),
    ("cost_state_sek", "sek"),
    ("cost_per_exit_to_work_sek", "sek"),
)


def _fmt(value: float, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "share":
        return f"{100 * value:.1f} %"
    if kind == "months":
        return f"{value:.1f}"
    if kind == "count":
        return f"{value:,.0f}".replace(",", " ")
    return f"{value / 1e6:,.1f} MSEK".replace(",", " ")


def headline_table(summary: pd.DataFrame) -> str:
    """The key metrics (subgroup all) with 95 % intervals, one line each."""
    rows = summary[summary["subgroup"] == "all"].set_index("metric")
    lines = [f"{'metric':<38}{'mean':>16}{'95 % interval':>34}"]
    for metric, kind in HEADLINE:
        if metric not in rows.index:
            continue
        mean, low, high = (float(v) for v in rows.loc[metric, ["mean", "ci_low", "ci_high"]].to_numpy(float))
        interval = f"{_fmt(low, kind)} – {_fmt(high, kind)}" if not math.isnan(low) else "– (one replication)"
        lines.append(f"{metric:<38}{_fmt(mean, kind):>16}{interval:>34}")
    return "\n".join(lines)


def targets_table(results: Results) -> str:
    """The calibration targets beside the model's values, or "" when the scenario has none."""
    scenario = results.scenario
    summary = results.summary
    if not scenario.targets:
        return ""
    means = summary[summary["subgroup"] == "all"].set_index("metric")["mean"].to_dict()
    lines = [f"{'calibration target':<38}{'model':>10}{'target':>10}{'within':>10}"]
    for name, target in scenario.targets.items():
        model = float(means.get(name, math.nan))
        ok = abs(model - target.value) <= target.tolerance
        mark = f"±{100 * target.tolerance:.0f} pp " + ("yes" if ok else "NO")
        lines.append(f"{name:<38}{_fmt(model, 'share'):>10}{_fmt(target.value, 'share'):>10}{mark:>14}")
    return "\n".join(lines)


def comparison_table(table: pd.DataFrame, variance: pd.DataFrame, names: list[str]) -> str:
    """Per key metric: each scenario's mean, its difference from the base with a 95 % interval,
    and the variance ratio of the paired difference (common random numbers) to independent streams."""
    rows = table[table["subgroup"] == "all"].set_index(["metric", "scenario"])
    values = {key: row for key, row in zip(rows.index, rows.to_dict("records"))}
    ratios = variance[variance["subgroup"] == "all"].set_index(["metric", "scenario"])["ratio"].to_dict()
    lines = [f"{'metric':<37} {'scenario':<45} {'mean':>16} {'difference (95 % interval)':>44} {'var. ratio':>11}"]
    for metric, kind in HEADLINE:
        for name in names:
            r = values.get((metric, name))
            if r is None:
                continue
            diff = ""
            if name != names[0] and not math.isnan(float(r["diff_vs_base"])):
                diff = (
                    f"{_fmt_diff(float(r['diff_vs_base']), kind)} "
                    f"({_fmt_diff(float(r['diff_ci_low']), kind)} – {_fmt_diff(float(r['diff_ci_high']), kind)})"
                )
            ratio = float(ratios.get((metric, name), math.nan))
            shown = f"{ratio:.3f}" if name != names[0] and not math.isnan(ratio) else ""
            lines.append(f"{metric:<37} {name[:45]:<45} {_fmt(float(r['mean']), kind):>16} {diff:>44} {shown:>11}")
    return "\n".join(lines)


def _fmt_diff(value: float, kind: str) -> str:
    if math.isnan(value):
        return "–"
    if kind == "share":
        return f"{100 * value:+.1f} pp"
    if kind == "months":
        return f"{value:+.1f}"
    if kind == "count":
        return f"{value:+,.0f}".replace(",", " ")
    return f"{value / 1e6:+,.1f} MSEK".replace(",", " ")
