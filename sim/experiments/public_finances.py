"""Net public finances of a design: spending, revenue and net cost by year and payer, and cost-effectiveness.

A design that moves people into work pays less assistance and collects income tax and
employer contributions; gross spending alone hides both. These tables put the net
cost (spending − revenue) of each payer beside the base's, year by year, and divide a
design's net difference by the work it adds:

* **per additional person in work at 24 months** (``persons_in_work_24m``: national persons
  in work 24 months after entry) and **per additional person-year in work**
  (``work_person_years``), by payer and in total;
* the ratio of the mean paired differences ``ΔC / ΔW`` over replications (common random
  numbers, so each replication's pair shares its people), with the **Fieller** 95 %
  interval (exact for a ratio of jointly normal means; unbounded when the difference in
  work is not distinguishable from zero, reported then as no interval) and the
  delta-method standard error;
* beside it, each scenario's average cost per exit to work (everyone's cost divided by
  everyone who worked), which is shown for comparison and is no measure of a design's value.

A negative ratio with more work means the design saves money for every extra person in work.

Example:
    >>> d = pd.DataFrame({"replication": [0, 1, 2] * 2, "scenario": "alt", "subgroup": "all",
    ...                   "metric": ["net_cost_total_sek"] * 3 + ["persons_in_work_24m"] * 3,
    ...                   "diff": [-10.0, -12.0, -11.0, 2.0, 2.2, 1.8]})
    >>> row = ratios(d).query("payer == 'total' and outcome == 'persons_in_work_24m'").iloc[0]
    >>> round(float(row["ratio_sek"]), 3), bool(row["ci_low_sek"] < row["ratio_sek"] < row["ci_high_sek"])
    (-5.5, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sim.experiments.runner import Results
from sim.experiments.summary import t_half_width
from sim.outcomes.costs import PAYERS

__all__ = ["OUTCOMES", "READINGS", "finance_differences", "finance_summary", "ratios", "reading"]

#: The outcomes a net cost is divided by.
OUTCOMES = ("persons_in_work_24m", "work_person_years")
_PAYERS_AND_TOTAL = (*PAYERS, "total")


def finance_summary(results: Results) -> pd.DataFrame:
    """A run's spending, revenue and net cost by year and payer (and in total), mean over replications with
    the 95 % t-interval of the net: ``year, payer, spending_sek, revenue_sek, net_sek, net_ci_low_sek,
    net_ci_high_sek, n``."""
    table = _with_total(results.public_finances)
    grouped = table.groupby(["year", "payer"], sort=False)
    out = grouped[["spending_sek", "revenue_sek", "net_sek"]].mean()
    sd, n = grouped["net_sek"].std(), grouped["net_sek"].count()
    half = pd.Series(t_half_width(sd, n), index=out.index).where(n > 1)
    out["net_ci_low_sek"], out["net_ci_high_sek"], out["n"] = out["net_sek"] - half, out["net_sek"] + half, n
    return _ordered(out.reset_index())


def finance_differences(results: Sequence[Results]) -> pd.DataFrame:
    """Each alternative against the base (the first), by year and payer (and in total), paired by replication:
    ``scenario, year, payer, base_net_sek, net_sek, spending_diff_sek, revenue_diff_sek, net_diff_sek,
    net_diff_ci_low_sek, net_diff_ci_high_sek, n``."""
    keys = ["replication", "year", "payer"]
    base = _with_total(results[0].public_finances).set_index(keys)
    frames = []
    for alt in results[1:]:
        mine = _with_total(alt.public_finances).set_index(keys)
        diff = (mine - base.reindex(mine.index)).reset_index()
        grouped = diff.groupby(["year", "payer"], sort=False)
        out = grouped[["spending_sek", "revenue_sek", "net_sek"]].mean()
        out.columns = ["spending_diff_sek", "revenue_diff_sek", "net_diff_sek"]
        sd, n = grouped["net_sek"].std(), grouped["net_sek"].count()
        half = pd.Series(t_half_width(sd, n), index=out.index).where(n > 1)
        out["net_diff_ci_low_sek"], out["net_diff_ci_high_sek"] = out["net_diff_sek"] - half, out["net_diff_sek"] + half
        out["n"] = n
        out["base_net_sek"] = base.groupby(["year", "payer"])["net_sek"].mean().reindex(out.index)
        out["net_sek"] = mine.groupby(["year", "payer"])["net_sek"].mean().reindex(out.index)
        out = out.reset_index()
        out.insert(0, "scenario", alt.scenario.name)
        frames.append(out)
    columns = ["scenario", "year", "payer", "base_net_sek", "net_sek", "spending_diff_sek", "revenue_diff_sek",
               "net_diff_sek", "net_diff_ci_low_sek", "net_diff_ci_high_sek", "n"]  # fmt: skip
    return _ordered(pd.concat(frames, ignore_index=True))[columns]


def ratios(differences: pd.DataFrame, results: Sequence[Results] | None = None) -> pd.DataFrame:
    """Net cost difference per additional person in work at 24 months and per additional person-year in work.

    Args:
        differences: paired differences per replication (``Comparison.differences``).
        results: the comparison's results, for each scenario's average cost per exit (optional).

    Returns:
        ``scenario, payer, outcome, net_cost_diff_sek, outcome_diff, ratio_sek, se_sek, ci_low_sek, ci_high_sek,
        n, reading`` and, with ``results``, ``base_cost_per_exit_sek`` and ``cost_per_exit_sek``. ``reading``
        is the quadrant of the cost-effectiveness plane the mean differences fall in (:data:`READINGS`),
        because the ratio alone does not say it: −5 SEK per person is a saving with more work but a loss
        of work that costs more when both differences change sign.
    """
    table = differences[differences["subgroup"] == "all"]
    rows = []
    for scenario, mine in table.groupby("scenario", sort=False):
        wide = mine.pivot(index="replication", columns="metric", values="diff")
        for outcome in OUTCOMES:
            if outcome not in wide:
                continue
            for payer in _PAYERS_AND_TOTAL:
                cost = f"net_cost_{payer}_sek"
                if cost in wide:
                    pair = wide[[cost, outcome]].dropna()
                    rows.append({"scenario": scenario, "payer": payer, "outcome": outcome,
                                 **_ratio(pair[cost].to_numpy(), pair[outcome].to_numpy())})  # fmt: skip
    out = pd.DataFrame(rows)
    if results is not None and len(out):
        per_exit = {r.scenario.name: _mean(r, "cost_per_exit_to_work_sek") for r in results}
        out["base_cost_per_exit_sek"] = per_exit[results[0].scenario.name]
        out["cost_per_exit_sek"] = out["scenario"].map(per_exit)
    return out


#: The quadrants of the cost-effectiveness plane (mean net cost difference, mean work difference).
READINGS = {
    "dominant": "more work at a lower net public cost",
    "more_work_costs_more": "more work at a higher net public cost (the ratio is the price of the extra work)",
    "less_work_saves": "less work at a lower net public cost (the ratio is the saving per person less in work)",
    "dominated": "less work at a higher net public cost",
    "no_work_difference": "no difference in work: no ratio",
}


def reading(cost_diff: float, work_diff: float) -> str:
    """The quadrant of the cost-effectiveness plane of a mean cost and a mean work difference.

    >>> reading(-10.0, 2.0), reading(10.0, -2.0), reading(10.0, 0.0)
    ('dominant', 'dominated', 'no_work_difference')
    """
    if not work_diff or math.isnan(work_diff) or math.isnan(cost_diff):
        return "no_work_difference"
    if work_diff > 0:
        return "dominant" if cost_diff <= 0 else "more_work_costs_more"
    return "less_work_saves" if cost_diff < 0 else "dominated"


def _ratio(cost: np.ndarray, work: np.ndarray) -> dict[str, float | str]:
    """The ratio of means with its Fieller interval, delta-method standard error and reading."""
    n = cost.size
    c, w = float(np.mean(cost)) if n else np.nan, float(np.mean(work)) if n else np.nan
    out: dict[str, float | str] = {
        "net_cost_diff_sek": c, "outcome_diff": w, "ratio_sek": c / w if w else np.nan, "se_sek": np.nan,
        "ci_low_sek": np.nan, "ci_high_sek": np.nan, "n": float(n), "reading": reading(c, w),
    }  # fmt: skip
    if n < 2 or not w:
        return out
    s_cc, s_ww = np.var(cost, ddof=1) / n, np.var(work, ddof=1) / n
    s_cw = float(np.cov(cost, work, ddof=1)[0, 1]) / n
    ratio = c / w
    out["se_sek"] = float(np.sqrt(max(s_cc - 2 * ratio * s_cw + ratio**2 * s_ww, 0.0)) / abs(w))
    t2 = stats.t.ppf(0.975, n - 1) ** 2
    a, b, k = w * w - t2 * s_ww, c * w - t2 * s_cw, c * c - t2 * s_cc
    disc = b * b - a * k
    if a > 0 and disc >= 0:  # the difference in work is distinguishable from zero: a bounded interval
        root = np.sqrt(disc)
        out["ci_low_sek"], out["ci_high_sek"] = (b - root) / a, (b + root) / a
    return out


def _mean(results: Results, metric: str) -> float:
    rows = results.summary[(results.summary["metric"] == metric) & (results.summary["subgroup"] == "all")]
    return float(rows["mean"].iloc[0]) if len(rows) else np.nan


def _with_total(table: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in ("replication", "year") if k in table]
    total = table.groupby(keys, as_index=False)[["spending_sek", "revenue_sek", "net_sek"]].sum().assign(payer="total")
    return pd.concat([table, total], ignore_index=True)


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    rank = {p: i for i, p in enumerate(_PAYERS_AND_TOTAL)}
    by = [k for k in ("scenario", "year") if k in table]
    order = table.assign(_rank=table["payer"].map(rank))
    if "scenario" in table:
        first = dict.fromkeys(table["scenario"])
        order["_scenario"] = order["scenario"].map({s: i for i, s in enumerate(first)})
        by = ["_scenario", "year"]
    return order.sort_values([*by, "_rank"], kind="stable").drop(columns=[c for c in ("_rank", "_scenario")
                                                                          if c in order]).reset_index(drop=True)  # fmt: skip
