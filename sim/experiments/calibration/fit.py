"""The fit of a run to calibration targets: the model's value of each target, its error, and the loss.

:func:`fit_table` tabulates any :class:`~sim.experiments.runner.Results` against
targets (:mod:`sim.experiments.calibration.targets`); :func:`loss` is what
:func:`sim.experiments.calibration.search.calibrate` minimises.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.experiments.calibration.targets import Target
from sim.experiments.runner import Results
from sim.experiments.summary import summarise
from sim.rules.calendar import full_years

__all__ = ["FIT_COLUMNS", "MISSING_PENALTY", "all_within", "derived_metrics", "fit_table", "loss"]

#: Columns of :func:`fit_table` (and of fit.csv).
FIT_COLUMNS = [
    "target", "metric", "subgroup", "year", "role", "model", "ci_low", "ci_high",
    "target_value", "error", "tolerance", "within",
]  # fmt: skip

#: Added to the loss for each target the model could not compute (e.g. too few months).
MISSING_PENALTY = 100.0
def derived_metrics(results: Results) -> pd.DataFrame:
    """Metrics computed here from the results' tables, per replication (subgroup ``all``).

    ``assistance_paid_per_year_sek``: cost item ``assistance`` (national SEK) summed per
    calendar year and averaged over the full simulated years (NaN without a full year).
    """
    months = int(results.settings.months or results.scenario.simulation.months)
    full = full_years(results.scenario.simulation.start_date, months).tolist()
    costs = results.costs
    paid = costs[(costs["item"] == "assistance") & costs["year"].isin(full)]
    per_year = paid.groupby(["replication", "year"])["cost_sek"].sum().groupby("replication").mean()
    replications = sorted(results.metrics["replication"].unique().tolist())
    values = [float(per_year.get(r, math.nan)) if full else math.nan for r in replications]
    return pd.DataFrame({
        "replication": replications, "metric": "assistance_paid_per_year_sek", "subgroup": "all", "value": values,
    })  # fmt: skip


def _summary(results: Results) -> pd.DataFrame:
    extra = derived_metrics(results)
    return pd.concat([results.summary, summarise(extra)], ignore_index=True)


def fit_table(results: Results, targets: Sequence[Target]) -> pd.DataFrame:
    """The model's value of each target's metric, with 95 % CI, error and whether it is within tolerance.

    Args:
        results: a run of the scenario (any scale, replications, months).
        targets: the targets to compare with (:func:`sim.experiments.calibration.targets.load_targets`).

    Returns:
        One row per target, columns :data:`FIT_COLUMNS`; ``error`` = model − target,
        ``within`` = ``|error| <= tolerance`` (False where the model has no value).
    """
    summary: dict[tuple[str, str], dict[str, Any]] = {
        (str(r["metric"]), str(r["subgroup"])): {str(k): v for k, v in r.items()}
        for r in _summary(results).to_dict("records")
    }
    rows = []
    for t in targets:
        found = summary.get((t.metric, t.subgroup), {})
        model = float(found.get("mean", math.nan))
        error = model - t.value
        rows.append({
            "target": t.name,
            "metric": t.metric,
            "subgroup": t.subgroup,
            "year": t.year,
            "role": t.role,
            "model": model,
            "ci_low": float(found.get("ci_low", math.nan)),
            "ci_high": float(found.get("ci_high", math.nan)),
            "target_value": t.value,
            "error": error,
            "tolerance": t.tolerance,
            "within": bool(abs(error) <= t.tolerance) if not math.isnan(error) else False,
        })
    return pd.DataFrame(rows, columns=FIT_COLUMNS)


def all_within(table: pd.DataFrame) -> bool:
    """True when every calibration target of a fit table (context rows aside) is within its tolerance."""
    return bool(table.loc[table["role"] == "calibration", "within"].all())


def loss(table: pd.DataFrame) -> float:
    """Σ ((model − target) / tolerance)² over the calibration targets of a fit table.

    Context targets do not count; each missing model value adds :data:`MISSING_PENALTY`.
    """
    table = table[table["role"] == "calibration"]
    z = table["error"] / table["tolerance"]
    return float((z[z.notna()] ** 2).sum() + MISSING_PENALTY * z.isna().sum())
