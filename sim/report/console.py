"""Text for the terminal: a run's and a comparison's key figures, precision, PSA, sensitivity and calibration."""

from __future__ import annotations

import math

import pandas as pd

from sim.experiments.calibration import CalibrationResult
from sim.experiments.psa import PsaResults
from sim.experiments.runner import Results
from sim.experiments.sensitivity import Sensitivity
from sim.outcomes.catalogue import KEY_METRICS
from sim.report.uncertainty import describe_psa, describe_sensitivity

__all__ = [
    "HEADLINE", "headline_table", "targets_table", "comparison_table", "precision_summary", "psa_summary",
    "sensitivity_summary", "calibration_summary", "format_fit_table",
]  # fmt: skip

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


def precision_summary(rounds: pd.DataFrame, most: int) -> str:
    """Whether the asked precision was reached, after how many replications, and the widths."""
    last = rounds[rounds["round"] == rounds["round"].max()]
    n = int(last["replications"].iloc[0])
    lines = [f"Precision {'reached' if last['met'].all() else 'NOT reached'} with {n} replications per scenario"
             + ("" if last["met"].all() else f" (the most allowed: {most})") + ":"]
    for row in last.itertuples():
        lines.append(f"  {row.scenario} − base, {row.metric}: 95 % interval ±{row.half_width:.4g} "
                     f"(asked ±{row.target_half_width:g}){'' if row.met else '  NOT met'}")
    return "\n".join(lines)


def psa_summary(found: PsaResults) -> str:
    """How the PSA ran, the key metrics over its draws and, for comparisons, the probability of being better."""
    summary = found.summary[(found.summary["subgroup"] == "all") & found.summary["metric"].isin(KEY_METRICS)]
    lines = [f"PSA: {describe_psa(found)}", summary.to_string(index=False, float_format=lambda v: f"{v:.4g}")]
    if found.probability is not None:
        lines.append(found.probability.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    return "\n".join(lines)


def sensitivity_summary(found: Sensitivity) -> str:
    """How the sensitivity analysis ran, and its indices."""
    return describe_sensitivity(found) + "\n" + found.indices.to_string(index=False, float_format=lambda v: f"{v:.4g}")


def calibration_summary(result: CalibrationResult) -> str:
    """The fitted values with their bounds, the loss before and after, and the fit table."""
    s = result.settings
    lines = [f"Calibration of {result.scenario_name}: scale {s.scale}, {s.replications} replications, "
             f"{s.months} months, seed {s.seed}"]
    for p in result.parameters:
        lines.append(f"  {p.path}: {p.initial:.6g} -> {result.fitted[p.path]:.6g}  (bounds {p.low:.6g}–{p.high:.6g})")
    if result.parameters:
        lines.append(f"  loss {result.loss_initial:.3f} -> {result.loss_final:.3f} "
                     f"after {len(result.evaluations)} evaluations ({result.optimizer_message})")
    else:
        lines.append(f"  loss {result.loss_final:.3f} (report only)")
    lines += ["", format_fit_table(result.fit), "", f"Written to {result.out_dir}/"]
    return "\n".join(lines)


def _fit_number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 1e8:
        return f"{value / 1e9:.2f} bn"
    if abs(value) >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.3f}"


def format_fit_table(table: pd.DataFrame) -> str:
    """The fit table as fixed-width text for the terminal."""
    header = ["target", "year", "model", "95 % CI", "target", "error", "tol", "within"]
    # Context rows come last and say so: they are shown, not fitted.
    table = table.sort_values("role", key=lambda r: r != "calibration", kind="stable")
    body: list[list[str]] = []
    for row in table.to_dict("records"):
        shown = row["subgroup"] == "all" or str(row["subgroup"]) in str(row["target"])
        name = row["target"] if shown else f"{row['target']} ({row['subgroup']})"
        year = row["year"]
        shown_year = "" if year is None or (isinstance(year, float) and math.isnan(year)) else str(int(year))
        body.append([
            str(name), shown_year, _fit_number(row["model"]), f"{_fit_number(row['ci_low'])} – {_fit_number(row['ci_high'])}",
            _fit_number(row["target_value"]), _fit_number(row["error"]), _fit_number(row["tolerance"]),
            ("yes" if row["within"] else "NO") if row["role"] == "calibration"
            else ("(yes, context)" if row["within"] else "(no, context)"),
        ])  # fmt: skip
    rows = [header, *body]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
