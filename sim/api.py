"""The functions a notebook and the command line both call.

Each takes a :class:`~sim.scenario.Scenario` or the path of a scenario file, and the
run settings as keywords (``replications``, ``seed``, ``scale``, ``months``,
``workers``, and ``scheduler``/``dask_local`` for Dask; ``None`` takes the scenario's
own) or as one :class:`~sim.experiments.settings.RunSettings` (``settings=``). They
return DataFrames or objects holding them; :func:`save` writes any of those objects
as the folder the command line writes, and :func:`write_report` writes the HTML
report alone. Errors name the arguments as spelt here (``max_replications``); the
command line names its options instead.

Example:
    >>> import sim
    >>> base = sim.load_scenario("scenarios/baseline.yaml")
    >>> results = sim.run(base, replications=2, scale=0.002, months=12)
    >>> results.summary.query("metric == 'employment_rate_6m' and subgroup == 'all'")["n"].item()
    2.0
    >>> grid = sim.sweep(base, {"activity.usual_hours.municipal_activity": [20, 40]},
    ...                  replications=2, scale=0.002, months=12)
    >>> sorted(grid["activity.usual_hours.municipal_activity"].unique().tolist())
    [20, 40]
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ArgumentError, UsageError
from sim.experiments import calibration, runner, verification
from sim.experiments import compare as comparing
from sim.experiments import psa as uncertainty
from sim.experiments import sensitivity as sensing
from sim.experiments.checkpoints import code_hash, kept_replications
from sim.experiments.compare import Comparison, comparison_folder_name, scenario_seed
from sim.experiments.precision import DEFAULT_MAX_REPLICATIONS, check_precision
from sim.experiments.psa import PsaResults
from sim.experiments.runner import Results
from sim.experiments.sensitivity import Sensitivity
from sim.experiments.settings import RunSettings
from sim.experiments.validation.evidence import gather_inputs
from sim.files import OutputFolder
from sim.outcomes.household import HouseholdCase, household_table
from sim.report import folder as folders
from sim.report.html import write_report as write_html
from sim.report.labels import check_lang
from sim.report.manifest import scenario_hash
from sim.report.validation import write_validation_report
from sim.scenario import Scenario, load_scenario

__all__ = [
    "load_scenario", "run", "compare", "sweep", "psa", "sensitivity", "calibrate", "reproduce_calibration",
    "verify", "validation_report", "save", "write_report", "check_output_folder", "reproduce", "Reproduction",
    "REPRODUCED_FILES", "kept_replications", "check_precision", "scenario_seed", "comparison_folder_name",
    "DEFAULT_MAX_REPLICATIONS", "SENSITIVITY_REPLICATIONS", "SENSITIVITY_SCALE", "output_folder", "check_sets",
    "household",
]  # fmt: skip

ScenarioLike = Scenario | str | os.PathLike[str]
Outcome = Results | Comparison | PsaResults | Sensitivity

reproduce_calibration = calibration.reproduce
verify = verification.verify

#: The result tables :func:`reproduce` compares byte for byte.
REPRODUCED_FILES = folders.RESULT_TABLES
#: Defaults for each evaluation of a sensitivity analysis (many evaluations: small runs).
SENSITIVITY_REPLICATIONS = 2
SENSITIVITY_SCALE = 0.01


def _scenario(value: ScenarioLike) -> Scenario:
    return value if isinstance(value, Scenario) else load_scenario(value)


def _settings(settings: RunSettings | None, **keywords: Any) -> RunSettings:
    """One :class:`RunSettings` from either ``settings`` or the separate keywords (not both)."""
    defaults = {f.name: f.default for f in fields(RunSettings)}
    given = {name: value for name, value in keywords.items() if value != defaults[name]}
    if settings is None:
        return RunSettings(**keywords)
    if given:
        raise ArgumentError("settings", f"give either settings or {', '.join(sorted(given))}, not both")
    return settings


def run(
    scenario: ScenarioLike,
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    save_spells: bool = False,
    scheduler: str | None = None,
    dask_local: int | None = None,
    *,
    settings: RunSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    checkpoints: str | os.PathLike[str] | None = None,
) -> Results:
    """Run a scenario; ``None`` settings take the scenario's own.

    Args:
        progress: called as ``progress(done, total)`` after each replication.
        checkpoints: a folder in which each finished replication is kept; a rerun of the
            same request reuses them (after an interruption as well as for a plain repeat).

    Returns:
        :class:`~sim.experiments.runner.Results`: ``.metrics``, ``.summary``, ``.costs``,
        ``.occupancy``, ``.spells`` (re-simulated on first use unless ``save_spells``).
    """
    chosen = _settings(settings, replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                       save_spells=save_spells, scheduler=scheduler, dask_local=dask_local)  # fmt: skip
    return runner.run(_scenario(scenario), chosen, progress=progress, checkpoints=checkpoints)


def compare(
    scenarios: Sequence[ScenarioLike],
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    precision: Mapping[str, float] | None = None,
    max_replications: int = DEFAULT_MAX_REPLICATIONS,
    independent: bool = False,
    scheduler: str | None = None,
    dask_local: int | None = None,
    *,
    settings: RunSettings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    checkpoints: str | os.PathLike[str] | None = None,
) -> Comparison:
    """Compare a base scenario (first) with alternatives under common random numbers.

    Args:
        precision: ``{metric: half-width}``: add replications until the 95 % interval of
            every alternative's difference from the base in each metric is that narrow.
        max_replications: the most replications per scenario ``precision`` may use.
        independent: run the alternatives on independent streams (to measure what common
            random numbers gain).
        progress: called as ``progress(scenario name, done, total)``.
        checkpoints: a folder under which each scenario keeps its finished replications.

    Returns:
        :class:`~sim.experiments.compare.Comparison`: ``.table``, ``.differences``,
        ``.variance``, ``.changes``, ``.results``, ``.precision``.
    """
    chosen = _settings(settings, replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                       scheduler=scheduler, dask_local=dask_local)  # fmt: skip
    return comparing.compare([_scenario(s) for s in scenarios], chosen, independent=independent, progress=progress,
                             precision=precision, max_replications=max_replications, checkpoints=checkpoints)  # fmt: skip


def household(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    when: str | date,
    adults: int,
    children: Sequence[float] = (),
    rent: float = 0.0,
    state: str = "assistance",
    earnings: float | None = None,
    claims_housing_allowance: bool = True,
    receives_maintenance: bool = True,
) -> pd.DataFrame:
    """A type case (*typfall*): one household's budget for one month under each scenario's rules, line by line.

    The same code prices every simulated household-month (:mod:`sim.outcomes.household`).

    Args:
        scenarios: one scenario, or several (the first is the base of ``difference_sek``).
        when: the month, ``"YYYY-MM"`` or a date; within the months the scenarios simulate.
        adults: 1 or 2.
        children: each child's age in years (0–18).
        rent: housing cost per month (SEK).
        state: the adult's situation that month (``assistance``, ``af_programme``, ``combined_programme``,
            ``employment``, …).
        earnings: gross earnings per month (default: the scenario's wage in work, else none).
        claims_housing_allowance: whether the household claims the bostadsbidrag it is entitled to.
        receives_maintenance: whether a single parent's children receive underhållsstöd.

    Returns:
        ``scenario, line, group, amount_sek`` (and ``difference_sek`` with two or more scenarios).

    Example:
        >>> table = household("scenarios/baseline.yaml", "2025-11", adults=1, children=[3, 8], rent=7500,
        ...                   state="af_programme")
        >>> float(table.set_index("line").loc["activity_support", "amount_sek"])
        7909.55

    Raises:
        ArgumentError: naming the argument whose value is not a household of the model or is outside a
            scenario's rules.
    """
    many = [scenarios] if isinstance(scenarios, Scenario | str | os.PathLike) else list(scenarios)
    case = HouseholdCase(_month(when), adults, tuple(children), rent, state, earnings, claims_housing_allowance,
                         receives_maintenance)  # fmt: skip
    return household_table([_scenario(s) for s in many], case)


def _month(when: str | date) -> date:
    if isinstance(when, date):
        return when
    try:
        year, month = str(when).split("-")[:2]
        return date(int(year), int(month), 1)
    except ValueError:
        raise ArgumentError("date", f"expected a month YYYY-MM, got {when!r}") from None


def sweep(
    scenario: ScenarioLike,
    grid: Mapping[str, Sequence[Any]],
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
) -> pd.DataFrame:
    """Run the scenario at every point of a grid of values and return one tidy table.

    Every point runs with the same seed, so replication ``r`` of each point sees the
    same people and draws (common random numbers): differences between points are
    differences the values make, not noise between runs.

    Args:
        grid: ``{"dotted.path": [value, ...], ...}``; the points are the Cartesian product.

    Returns:
        One row per point, metric and subgroup: ``point``, one column per path with its
        value, then ``metric, subgroup, mean, sd, ci_low, ci_high, n``.

    Raises:
        ScenarioErrors: a path or value the scenario does not accept (before anything runs).
    """
    base = _scenario(scenario)
    paths = list(grid)
    points = list(itertools.product(*(list(grid[p]) for p in paths)))
    variants = [
        base.with_changes({**dict(zip(paths, values)), "name": f"{base.name}_point{i}"})
        for i, values in enumerate(points)
    ]
    chosen = RunSettings(replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                         scheduler=scheduler, dask_local=dask_local)  # fmt: skip
    frames = []
    for i, (values, variant) in enumerate(zip(points, variants)):
        summary = runner.run(variant, chosen).summary
        frames.append(summary.assign(point=i, **dict(zip(paths, values))))
    table = pd.concat(frames, ignore_index=True)
    return table[["point", *paths, "metric", "subgroup", "mean", "sd", "ci_low", "ci_high", "n"]]


def psa(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    sets: int,
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
    *,
    settings: RunSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PsaResults:
    """Probabilistic sensitivity analysis: run the scenario(s) at ``sets`` parameter sets drawn from their
    distributions (Latin hypercube); with several scenarios, the first is the base of the probabilities.

    Returns:
        :class:`~sim.experiments.psa.PsaResults`: ``.draws``, ``.metrics``, ``.draw_means``,
        ``.summary``, ``.probability``.
    """
    chosen = _settings(settings, replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                       scheduler=scheduler, dask_local=dask_local)  # fmt: skip
    many = [scenarios] if isinstance(scenarios, (Scenario, str, os.PathLike)) else list(scenarios)
    return uncertainty.psa([_scenario(s) for s in many], sets, chosen, progress=progress)


def check_sets(sets: int) -> None:
    """Refuse a number of PSA parameter sets below 2 or above the cap (before anything runs)."""
    uncertainty.check_sets(sets)


def sensitivity(
    scenario: ScenarioLike,
    method: str,
    metric: str = "employment_rate_24m",
    params: Sequence[str] | str | None = None,
    samples: int | None = None,
    replications: int | None = SENSITIVITY_REPLICATIONS,
    seed: int | None = None,
    scale: float | None = SENSITIVITY_SCALE,
    months: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
    *,
    settings: RunSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Sensitivity:
    """One-way, Morris or Sobol sensitivity of ``metric`` (subgroup ``all``) to the scenario's uncertain parameters.

    Args:
        method: ``"oneway"``, ``"morris"`` or ``"sobol"``.
        params: the factors: ``path`` (its distribution) or ``path=LOW:HIGH`` (uniform), a
            list or comma-separated; default every parameter with a distribution.
        samples: Morris trajectories (default 10) or Sobol base samples (default 64, a power of 2).
        replications, scale: of each evaluation (default 2 at scale 0.01: many small runs).
    """
    base = _scenario(scenario)
    if settings is not None and (replications, scale) == (SENSITIVITY_REPLICATIONS, SENSITIVITY_SCALE):
        replications = scale = None  # the defaults of the keywords give way to the settings given
    chosen = _settings(settings, replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                       scheduler=scheduler, dask_local=dask_local)  # fmt: skip
    return sensing.sensitivity(base, method, metric, params, chosen, samples, seed=chosen.resolved(base).seed or 0,
                               progress=progress)  # fmt: skip


def calibrate(
    scenario: str | os.PathLike[str],
    targets: str | os.PathLike[str] = calibration.DEFAULT_TARGETS,
    params: Sequence[str] | str = (),
    out_dir: str | os.PathLike[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    scale: float | None = None,
    months: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
    maxfev: int = 30,
    *,
    settings: RunSettings | None = None,
    echo: Callable[[str], None] | None = None,
) -> calibration.CalibrationResult:
    """Fit ``params`` of the scenario file to the targets, or with no params only tabulate the fit.

    Writes ``fit.csv`` and ``evaluations.csv`` to ``out_dir`` (default
    ``results/<scenario>_calibrated``) and, when something was fitted, the overlay
    ``calibrated.yaml`` and the record ``calibration.yaml`` (see
    :func:`sim.experiments.calibration.calibrate`); ``echo`` receives a line per evaluation.
    """
    chosen = _settings(settings, replications=replications, seed=seed, scale=scale, months=months, workers=workers,
                       scheduler=scheduler, dask_local=dask_local)  # fmt: skip
    return calibration.calibrate(scenario, targets, params, out_dir=out_dir, settings=chosen, maxfev=maxfev, echo=echo)


def validation_report(
    out_dir: str | os.PathLike[str],
    quick: bool = False,
    lang: str = "sv",
    *,
    command: str = "",
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Run every validation (checks, hand-computed cases, external comparisons, calibration fit) and write
    ``validation.html`` and its tables to ``out_dir``; returns the page's path.

    Args:
        quick: small sizes (seconds) instead of the full ones (about 90 s on one core).
        progress: called with each step's name before it runs.

    Raises:
        ValueError: an unknown language (before anything runs).
    """
    check_lang(lang)
    with output_folder(out_dir) as held:
        inputs = gather_inputs(quick, progress, workers)
        write_validation_report(held.staging, inputs, lang, command)
        held.commit()
    return held.target / "validation.html"


def output_folder(target: str | os.PathLike[str]) -> OutputFolder:
    """Hold an output folder for a whole run: ``with sim.api.output_folder(path) as held: ...; held.commit()``.

    While held, no other run can write there (:class:`~sim.files.FolderBusy`); the run keeps its
    checkpoints in ``held.checkpoints``, :func:`save` writes into ``held`` and :meth:`~OutputFolder.commit`
    swaps the finished folder in whole. A folder holding files this program did not write is
    refused (:class:`~sim.files.NotAResultsFolder`), never replaced.
    """
    return folders.output_folder(target)


def save(
    outcome: Outcome,
    folder: str | os.PathLike[str] | OutputFolder,
    lang: str = "sv",
    command: str = "",
    psa: PsaResults | None = None,
) -> Path:
    """Write an outcome as the folder the command line writes, and return it.

    A :class:`Results`: its tables, ``report.html`` and, last, ``manifest.json``; a
    :class:`Comparison`: each scenario's folder, the comparison tables, ``comparison.xlsx``
    and ``report.html``; a PSA: ``psa_*.csv`` and ``psa.html``; a sensitivity analysis:
    its indices, points, page and manifest. ``psa`` adds a PSA's files to a run's or a
    comparison's folder; ``command`` is shown as the way to reproduce it.

    Given a path, the folder is held, filled beside it and swapped in whole (:func:`output_folder`);
    given a held folder, the files go into it and the holder commits.
    """
    if isinstance(folder, OutputFolder):
        return _write(outcome, folder.staging, lang, command, psa)
    with output_folder(folder) as held:
        _write(outcome, held.staging, lang, command, psa)
        held.commit()
    return held.target


def _write(outcome: Outcome, folder: Path, lang: str, command: str, psa: PsaResults | None) -> Path:
    if isinstance(outcome, Results):
        return folders.write_run(outcome, folder, lang, command, psa)
    if isinstance(outcome, Comparison):
        return folders.write_comparison(outcome, folder, lang, command, psa)
    if isinstance(outcome, PsaResults):
        return folders.write_psa(outcome, folder, lang)
    if isinstance(outcome, Sensitivity):
        return folders.write_sensitivity(outcome, folder, lang, command)
    raise ArgumentError("outcome", f"expected the results of run, compare, psa or sensitivity, not {type(outcome).__name__}")


def write_report(outcome: Results | Comparison, path: str | os.PathLike[str], lang: str = "sv") -> Path:
    """Write the self-contained HTML report of a run or a comparison (Swedish by default) and return its path."""
    if isinstance(outcome, Comparison):
        return write_html(path, outcome.results, outcome, lang=lang)
    if isinstance(outcome, Results):
        return write_html(path, [outcome], None, lang=lang)
    raise ArgumentError("outcome", f"expected the results of run or compare, not {type(outcome).__name__}")


def check_output_folder(folder: str | os.PathLike[str], scenario: Scenario, seed: int, force: bool = False) -> None:
    """Refuse (:class:`~sim.report.folder.OccupiedFolder`) a folder holding another scenario's or seed's results."""
    folders.check_output_folder(folder, scenario, seed, force)


@dataclass
class Reproduction:
    """What :func:`reproduce` found.

    Attributes:
        folder: the results folder whose manifest was rerun.
        differing: the result tables that came out different (empty: reproduced bit for bit).
        notes: what changed since the run (the scenario file, the model's code).
        settings: the settings the manifest recorded.
    """

    folder: Path
    differing: list[str]
    settings: RunSettings
    notes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """True when every result table came out byte for byte the same."""
        return not self.differing


#: A manifest lists every parameter with its source: a few hundred kB at most.
_MAX_MANIFEST_BYTES = 16 * 1024 * 1024
#: The fields :func:`reproduce` reads from a manifest, and their types.
_MANIFEST_FIELDS: dict[str, tuple[type, ...]] = {
    "scenario_file": (str,), "scenario_sha256": (str,), "replications": (int,), "seed": (int,),
    "scale": (int, float), "months": (int,),
}  # fmt: skip


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, checked field by field (it is untrusted input).

    Raises:
        UsageError: it cannot be read, is not JSON, or lacks a field or has one of the wrong type.
    """
    try:
        if not path.is_file():
            raise UsageError(f"{path}: cannot read the manifest (not found, or not a regular file)")
        if path.stat().st_size > _MAX_MANIFEST_BYTES:
            raise UsageError(f"{path}: cannot read the manifest (larger than {_MAX_MANIFEST_BYTES // 2**20} MB)")
        record = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the manifest ({exc.strerror or exc})") from None
    except ValueError as exc:  # not UTF-8 or not JSON
        raise UsageError(f"{path}: not a manifest written by sim run ({type(exc).__name__})") from None
    if not isinstance(record, dict):
        raise UsageError(f"{path}: not a manifest written by sim run (not a JSON object)")
    for name, kinds in _MANIFEST_FIELDS.items():
        value = record.get(name)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise UsageError(f"{path}: not a manifest written by sim run ({name}: expected "
                             f"{' or '.join(k.__name__ for k in kinds)}, got {type(value).__name__})")
        if isinstance(value, str) and ("\x00" in value or len(value) > 4096):
            raise UsageError(f"{path}: not a manifest written by sim run ({name} is not a path or a hash)")
    return record


def _bytes(path: Path) -> bytes | None:
    """A result file's bytes, or None when it is missing or unreadable (then it differs)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def reproduce(manifest: str | os.PathLike[str], workers: int = 1) -> Reproduction:
    """Rerun the run a ``manifest.json`` describes (without its checkpoints) and compare the result tables.

    Raises:
        UsageError: the manifest cannot be read or is not one ``sim run`` wrote.
        ScenarioErrors: the scenario file it names has problems.
    """
    path = Path(manifest)
    record = _read_manifest(path)
    try:
        settings = RunSettings(replications=record["replications"], seed=record["seed"], scale=float(record["scale"]),
                               months=record["months"], workers=workers)  # fmt: skip
    except ArgumentError as exc:
        problems = "; ".join(f"{name}: {text}" for name, text in exc.problems if name != "workers")
        if not problems:
            raise
        raise UsageError(f"{path}: not a run this program can repeat ({problems})") from None
    scenario_file = Path(record["scenario_file"])
    if not scenario_file.is_file() and (path.parent / scenario_file).is_file():
        scenario_file = path.parent / scenario_file
    scenario = load_scenario(scenario_file)
    notes = []
    if scenario_hash(scenario) != record["scenario_sha256"]:
        notes.append(f"the scenario {scenario_file} has changed since the run (its SHA-256 differs)")
    if record.get("code_sha256") and record["code_sha256"] != code_hash():
        notes.append("the model's code differs from the code that made the result (code SHA-256)")
    with tempfile.TemporaryDirectory(prefix="sim-reproduce-") as temporary:
        again = folders.write_results(runner.run(scenario, settings), Path(temporary) / "again")
        differing = [name for name in REPRODUCED_FILES if _bytes(path.parent / name) != (again / name).read_bytes()]
    return Reproduction(folder=path.parent, differing=differing, settings=settings, notes=notes)
