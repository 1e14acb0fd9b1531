"""The folders a person opens: a run's results, a comparison's, a PSA's and a sensitivity analysis's.

Every file is written atomically (:func:`sim.files.write_atomic`); a run's
``manifest.json`` is written last and marks the folder as finished. Before a run
starts, :func:`check_output_folder` refuses a folder that holds another scenario's
results, so no time is spent on results that could not be written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sim.errors import UsageError
from sim.experiments.compare import Comparison
from sim.experiments.psa import PsaResults
from sim.experiments.public_finances import finance_summary
from sim.experiments.runner import Results
from sim.experiments.sensitivity import Sensitivity
from sim.files import CHECKPOINTS, OutputFolder, write_atomic, write_csv, write_text
from sim.outcomes.catalogue import KEY_METRICS
from sim.report.html import write_report
from sim.report.manifest import assumptions_table, manifest, scenario_hash
from sim.report.tables import write_comparison_xlsx
from sim.report.uncertainty import describe_psa, describe_sensitivity, write_psa_page, write_sensitivity_page
from sim.scenario.schema import Scenario

__all__ = [
    "OccupiedFolder", "check_output_folder", "output_folder", "written_here", "write_results", "write_run",
    "write_comparison", "write_psa", "write_sensitivity",
]  # fmt: skip

#: The result tables of a run folder, in the order they are written.
RESULT_TABLES = ("metrics.csv", "summary.csv", "costs.csv", "revenue.csv", "public_finances.csv", "waits.csv",
                 "survival.csv", "queues.csv")
#: Every file name the output folders hold (a run's, a comparison's, a PSA's, a sensitivity analysis's,
#: a calibration's, the validation report's).
WRITTEN = frozenset({
    *RESULT_TABLES, "occupancy.parquet", "assumptions.csv", "spells.parquet", "manifest.json", "report.html",
    "comparison.csv", "comparison.xlsx", "differences.csv", "variance.csv", "changes.csv", "precision.csv",
    "psa_draws.csv", "psa_metrics.csv", "psa_summary.csv", "psa_probability.csv", "psa.html",
    "sensitivity.csv", "points.csv", "sensitivity.html", "fit.csv", "evaluations.csv", "calibrated.yaml",
    "calibration.yaml", "validation.html", "validation.csv", "verification.csv", "cross_validation.csv",
    "calibration_fit.csv", "cost_effectiveness.csv",
})  # fmt: skip


def written_here(path: Path) -> bool:
    """Whether ``path`` (found in an output folder) is something this program writes: one of its files,
    its checkpoints, or a scenario's sub-folder of a comparison holding only such things."""
    if path.is_symlink():
        return False
    if path.is_dir():
        return path.name == CHECKPOINTS or all(written_here(p) for p in path.iterdir())
    return path.name in WRITTEN


def output_folder(target: str | os.PathLike[str]) -> OutputFolder:
    """The output folder ``target``, to be held for a run (locked, filled beside it, swapped in whole)."""
    return OutputFolder(target, ours=written_here)


class OccupiedFolder(UsageError):
    """The output folder holds the finished results of another scenario or seed."""

    def __init__(self, folder: Path, held: dict[str, Any], scenario: Scenario, seed: int) -> None:
        self.folder = folder
        self.held_scenario = held.get("scenario")
        self.held_seed = held.get("seed")
        self.scenario = scenario.name
        self.seed = seed
        super().__init__(f"{folder}: holds results of scenario '{self.held_scenario}' (seed {self.held_seed}), "
                         f"not of '{scenario.name}' (seed {seed}); write elsewhere, or overwrite it (force)")


def check_output_folder(folder: str | os.PathLike[str], scenario: Scenario, seed: int, force: bool) -> None:
    """Refuse to overwrite a folder that holds the results of another scenario or seed.

    Raises:
        OccupiedFolder: the folder's manifest names another scenario content or seed and
            ``force`` is false.
    """
    path = Path(folder) / "manifest.json"
    if force or not path.exists():
        return
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(old, dict):
        return
    same = old.get("scenario_sha256") == scenario_hash(scenario) and old.get("seed") == seed
    if not same:
        raise OccupiedFolder(Path(folder), old, scenario, seed)


def write_results(results: Results, out_dir: str | os.PathLike[str], before_manifest: Any = None) -> Path:
    """Write a run's tables and, last, its manifest; return the folder.

    Args:
        before_manifest: called with the folder after the tables, before the manifest (to add files
            that belong to the run, such as its report).
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "manifest.json"
    if stale.exists():
        stale.unlink()
    write_csv(results.metrics, folder / "metrics.csv")
    write_csv(results.summary, folder / "summary.csv")
    write_csv(results.costs, folder / "costs.csv")
    write_csv(results.revenue, folder / "revenue.csv")
    write_csv(finance_summary(results), folder / "public_finances.csv")
    write_csv(results.waits, folder / "waits.csv")
    write_atomic(folder / "occupancy.parquet", lambda p: results.occupancy.to_parquet(p, index=False))
    write_csv(results.survival, folder / "survival.csv")
    write_csv(results.queues, folder / "queues.csv")
    write_csv(assumptions_table(results.scenario), folder / "assumptions.csv")
    if results.spell_table is not None:
        write_atomic(folder / "spells.parquet", lambda p: results.spells.to_parquet(p, index=False))
    if before_manifest is not None:
        before_manifest(folder)
    write_text(folder / "manifest.json", json.dumps(manifest(results), indent=2, ensure_ascii=False, default=str))
    return folder




def write_run(
    results: Results, folder: str | os.PathLike[str], lang: str = "sv", command: str = "", psa: PsaResults | None = None
) -> Path:
    """A run's folder: its tables, ``report.html``, the PSA's files (with ``psa``) and, last, the manifest."""

    def report(out: Path) -> None:
        write_report(out / "report.html", [results], None, lang=lang, command=command)
        if psa is not None:
            write_psa(psa, out, lang)

    return write_results(results, folder, before_manifest=report)


def write_comparison(
    comparison: Comparison, folder: str | os.PathLike[str], lang: str = "sv", command: str = "",
    psa: PsaResults | None = None,
) -> Path:
    """A comparison's folder: each scenario's results in its own sub-folder, the comparison tables, the
    workbook, ``report.html`` and (with ``psa``) the PSA's files."""  # fmt: skip
    out = Path(folder)
    for results in comparison.results:
        write_results(results, out / results.scenario.name)
    write_csv(comparison.table, out / "comparison.csv")
    write_csv(comparison.differences, out / "differences.csv")
    write_csv(comparison.variance, out / "variance.csv")
    write_csv(comparison.changes, out / "changes.csv")
    if comparison.public_finances is not None:
        write_csv(comparison.public_finances, out / "public_finances.csv")
    if comparison.cost_effectiveness is not None:
        write_csv(comparison.cost_effectiveness, out / "cost_effectiveness.csv")
    if comparison.precision is not None:
        write_csv(comparison.precision, out / "precision.csv")
    write_comparison_xlsx(out / "comparison.xlsx", comparison, lang)
    write_report(out / "report.html", comparison.results, comparison, lang=lang, command=command)
    if psa is not None:
        write_psa(psa, out, lang)
    return out


def write_psa(found: PsaResults, folder: str | os.PathLike[str], lang: str = "sv") -> Path:
    """A PSA's tables (``psa_draws/metrics/summary/probability.csv``) and its page ``psa.html``."""
    out = Path(folder)
    write_csv(found.draws, out / "psa_draws.csv")
    write_csv(found.metrics, out / "psa_metrics.csv")
    write_csv(found.summary, out / "psa_summary.csv")
    if found.probability is not None:
        write_csv(found.probability, out / "psa_probability.csv")
    summary = found.summary[(found.summary["subgroup"] == "all") & found.summary["metric"].isin(KEY_METRICS)]
    write_psa_page(out / "psa.html", found.draw_means[found.draw_means["subgroup"] == "all"], summary,
                   found.probability, ["employment_rate_24m", "cost_total_sek"], describe_psa(found), lang)  # fmt: skip
    return out


def write_sensitivity(found: Sensitivity, folder: str | os.PathLike[str], lang: str = "sv", command: str = "") -> Path:
    """A sensitivity analysis's folder: ``sensitivity.csv``, ``points.csv``, ``sensitivity.html``, ``manifest.json``."""
    out = Path(folder)
    write_csv(found.indices, out / "sensitivity.csv")
    write_csv(found.points, out / "points.csv")
    write_sensitivity_page(out / "sensitivity.html", found.method, found.metric, found.indices,
                           describe_sensitivity(found), lang)  # fmt: skip
    scenario, settings = found.scenario, found.settings
    record = {"scenario": scenario.name if scenario else None, "scenario_file": scenario.source_file if scenario else None,
              "method": found.method, "metric": found.metric,
              "factors": [{"path": f.path, "value": f.value, "distribution": f.distribution.describe()}
                          for f in found.factors],
              "samples": found.samples, "replications": settings.replications, "scale": settings.scale,
              "months": settings.months, "seed": settings.seed, "command": command}  # fmt: skip
    write_text(out / "manifest.json", json.dumps(record, indent=2))
    return out
