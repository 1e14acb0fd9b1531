"""Text for the terminal: a run's and a comparison's key figures, precision, PSA, sensitivity and calibration."""

from __future__ import annotations

import json
import math

import pandas as pd

from sim.experiments.calibration import CalibrationResult
from sim.experiments.psa import PsaResults
from sim.experiments.runner import Results
from sim.experiments.sensitivity import Sensitivity
from sim.outcomes.catalogue import KEY_METRICS
from sim.report.labels import label
from sim.report.uncertainty import describe_psa, describe_sensitivity

__all__ = [
    "HEADLINE", "headline_table", "targets_table", "comparison_table", "precision_summary", "psa_summary",
    "sensitivity_summary", "calibration_summary", "format_fit_table", "household_text", "household_json",
    "finances_table", "cost_effectiveness_table",
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
    ("revenue_total_sek", "sek"),
    ("net_cost_total_sek", "sek"),
    ("net_cost_municipality_sek", "sek"),
    ("net_cost_region_sek", "sek"),
    ("net_cost_state_sek", "sek"),
    ("persons_in_work_24m", "count"),
    ("work_person_years", "count"),
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


def finances_table(differences: pd.DataFrame) -> str:
    """Net public cost of each alternative against the base, per year and payer (MSEK, 95 % interval)."""
    lines = [f"{'scenario':<32} {'year':>5} {'payer':<13} {'base net':>14} {'net':>14} {'difference (95 % interval)':>44}"]
    for row in differences.to_dict("records"):
        diff = (f"{_fmt_diff(row['net_diff_sek'], 'sek')} ({_fmt_diff(row['net_diff_ci_low_sek'], 'sek')} – "
                f"{_fmt_diff(row['net_diff_ci_high_sek'], 'sek')})")  # fmt: skip
        lines.append(f"{row['scenario'][:32]:<32} {row['year']:>5} {row['payer']:<13} {_fmt(row['base_net_sek'], 'sek'):>14} "
                     f"{_fmt(row['net_sek'], 'sek'):>14} {diff:>44}")  # fmt: skip
    return "\n".join(lines)


def cost_effectiveness_table(ratios: pd.DataFrame) -> str:
    """Net cost difference per additional person in work at 24 months and per person-year in work, by payer."""
    per = {"persons_in_work_24m": "per extra person in work at 24 m", "work_person_years": "per extra person-year in work"}
    lines = [f"{'scenario':<32} {'payer':<13} {'outcome':<34} {'SEK':>12} {'95 % interval (Fieller)':>30}  reading"]
    for row in ratios.to_dict("records"):
        low, high = row["ci_low_sek"], row["ci_high_sek"]
        interval = (f"{_krona(low)} – {_krona(high)}" if not (math.isnan(low) or math.isnan(high))
                    else "unbounded (no clear work effect)")  # fmt: skip
        ratio = _krona(row["ratio_sek"]) if not math.isnan(row["ratio_sek"]) else "–"
        lines.append(f"{row['scenario'][:32]:<32} {row['payer']:<13} {per[row['outcome']]:<34} {ratio:>12} {interval:>30}"
                     f"  {label('reading.' + row['reading'], 'en')}")  # fmt: skip
    if len(ratios) and "base_cost_per_exit_sek" in ratios:
        first = ratios.iloc[0]
        lines.append(f"(for comparison, not a measure of value: average cost per exit to work {_krona(first['base_cost_per_exit_sek'])} "
                     "SEK in the base: everyone's cost divided by everyone who worked)")  # fmt: skip
    return "\n".join(lines)


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


#: Lines printed after a rule (totals), and lines left out when zero in every scenario.
_TOTAL_LINES = ("needs", "gross_income", "tax", "assistance")
_OPTIONAL_LINES = ("electricity", "home_insurance", "childcare_fee", "earnings", "activity_support",
                   "programme_allowance", "housing_allowance", "maintenance_support", "maintenance_from_parent",
                   "other_income", "tax_state", "tax_reductions")  # fmt: skip


def household_text(table: pd.DataFrame, lang: str = "sv") -> str:
    """A type case (:func:`sim.api.household`) as a table: one line per budget line, one column per scenario
    and, with two or more, the difference of each from the first (kr per month, rounded to the krona)."""
    wide = table.pivot(index="line", columns="scenario", values="amount_sek")
    names = list(dict.fromkeys(table["scenario"]))
    order = list(dict.fromkeys(table["line"]))
    wide = wide.reindex(index=order, columns=names)
    shown = [line for line in order if line not in _OPTIONAL_LINES or (wide.loc[line].abs() > 0.005).any()]
    width = max(len(label(f"line.{line}", lang)) for line in shown) + 2
    columns = names + ([f"{label('diff', lang)} ({n})" for n in names[1:]] if len(names) > 1 else [])
    cells = [max(12, len(c) + 2) for c in columns]
    out = [f"{label('line', lang):<{width}}" + "".join(f"{c:>{w}}" for c, w in zip(columns, cells))]
    for line in shown:
        values = [wide.loc[line, n] for n in names]
        values += [wide.loc[line, n] - wide.loc[line, names[0]] for n in names[1:]] if len(names) > 1 else []
        text = f"{label(f'line.{line}', lang):<{width}}" + "".join(f"{_krona(v):>{w}}" for v, w in zip(values, cells))
        if line in _TOTAL_LINES:
            out.append("-" * len(text))
        out.append(text)
    unit = "kr per månad" if lang == "sv" else "SEK per month"
    return "\n".join(out + [f"({unit})"])


def _krona(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def household_json(table: pd.DataFrame) -> str:
    """A type case as JSON: per scenario ``assistance``, ``disposable_income``, ``norm``, ``housing``,
    ``accepted_costs``, ``needs``, one key per income, ``taxes``, ``gross_income`` and ``net_income``
    (kr per month, to the öre); one object for one scenario, else a list with ``difference`` from the first."""
    cases = [_case_json(group) for _, group in table.groupby("scenario", sort=False)]
    if len(cases) == 1:
        return json.dumps(cases[0], indent=2, ensure_ascii=False)
    first = cases[0]
    for case in cases[1:]:
        case["difference"] = {k: round(v - first[k], 2) for k, v in case.items() if isinstance(v, float)}
        case["difference"]["taxes"] = {k: round(v - first["taxes"][k], 2) for k, v in case["taxes"].items()}
    return json.dumps(cases, indent=2, ensure_ascii=False)


def _case_json(group: pd.DataFrame) -> dict:
    amount = {line: round(float(v), 2) for line, v in zip(group["line"], group["amount_sek"])}
    incomes = ("earnings", "activity_support", "programme_allowance", "child_allowance", "housing_allowance",
               "maintenance_support", "maintenance_from_parent", "other_income")  # fmt: skip
    return {
        "scenario": str(group["scenario"].iloc[0]),
        "assistance": amount["assistance"], "disposable_income": amount["disposable_income"], "norm": amount["norm"],
        "housing": amount["rent"],
        "accepted_costs": {k: amount[k] for k in ("electricity", "home_insurance", "childcare_fee")},
        "needs": amount["needs"], **{k: amount[k] for k in incomes}, "gross_income": amount["gross_income"],
        "taxes": {"municipal": amount["tax_municipal"], "regional": amount["tax_regional"],
                  "state": amount["tax_state"], "reductions": amount["tax_reductions"], "total": amount["tax"]},
        "net_income": amount["net_income"],
    }  # fmt: skip
