"""The ``sim`` command: argument parsing, progress and printing only.

Every user error (a bad scenario file, a bad option) is printed as one clear
message per problem on standard error with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import SimError, UsageError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.argv = list(argv) if argv is not None else sys.argv[1:]
    try:
        return int(args.handler(args))
    except SimError as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_interrupted_message(), file=sys.stderr)
        return 130


#: The output folder of the run in progress (for the message on Ctrl-C).
_CURRENT_OUT: list[Path] = []


def _interrupted_message() -> str:
    if not _CURRENT_OUT:
        return "interrupted: nothing was written"
    out = _CURRENT_OUT[-1]
    kept = len(list(out.glob("**/.checkpoints/*/replication-*.pickle")))
    if not kept:
        return f"interrupted: no replication had finished; nothing was kept in {out}"
    return (f"interrupted: {kept} finished replication(s) are kept in {out} (.checkpoints); "
            "run the same command with --resume to continue where it stopped")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sim",
        description="Simulate programme designs for people on social assistance (ekonomiskt bistånd).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a scenario and write its results folder")
    run.add_argument("scenario", help="scenario YAML file")
    _run_options(run)
    run.add_argument("--lang", choices=("sv", "en"), default="sv", help="report language (default sv)")
    run.add_argument("--psa", type=int, metavar="K", help=PSA_HELP)
    run.set_defaults(handler=_run)
    comparing = commands.add_parser(
        "compare", help="run a base scenario and alternatives under common random numbers and compare them"
    )
    comparing.add_argument("base", help="the base scenario YAML file")
    comparing.add_argument("alternatives", nargs="+", help="one or more alternative scenario files")
    _run_options(comparing)
    comparing.add_argument("--lang", choices=("sv", "en"), default="sv", help="report language (default sv)")
    comparing.add_argument("--psa", type=int, metavar="K", help=PSA_HELP)
    comparing.add_argument(
        "--independent", action="store_true",
        help="run the alternatives on independent random streams (to measure what common random numbers gain)",
    )
    comparing.add_argument(
        "--precision", action="append", default=[], metavar="METRIC=HALFWIDTH",
        help="add replications until the 95 %% interval of every difference in METRIC (subgroup all) is at most "
        "±HALFWIDTH, e.g. employment_rate_24m=0.005; repeat or comma-separate for several metrics",
    )
    comparing.add_argument(
        "--max-replications", type=int, default=None, metavar="N",
        help="the most replications per scenario --precision may use (default 200)",
    )
    comparing.set_defaults(handler=_compare)
    calibrating = commands.add_parser(
        "calibrate", help="fit free parameters of a scenario to published targets; write a YAML overlay"
    )
    calibrating.add_argument("scenario", nargs="?", help="scenario YAML file")
    calibrating.add_argument(
        "--targets", default="calibration/targets.yaml", help="targets file (default calibration/targets.yaml)"
    )
    calibrating.add_argument(
        "--params", default="",
        help="comma-separated dotted paths to fit, each optionally path=LOW:HIGH; empty = only report the fit",
    )
    calibrating.add_argument("--maxfev", type=int, default=30, help="most model runs the optimiser may use")
    calibrating.add_argument(
        "--reproduce", metavar="FOLDER",
        help="rerun the calibration recorded in FOLDER (e.g. calibration/baseline) and check that it "
        "gives the same fitted values; exit 1 if not",
    )
    _run_options(calibrating)
    calibrating.set_defaults(handler=_calibrate)
    sensing = commands.add_parser(
        "sensitivity", help="one-way, Morris or Sobol sensitivity of a metric to the scenario's uncertain parameters"
    )
    sensing.add_argument("scenario", help="scenario YAML file")
    sensing.add_argument("--method", required=True, choices=("oneway", "morris", "sobol"))
    sensing.add_argument("--metric", default="employment_rate_24m", help="metric (subgroup all); default employment_rate_24m")
    sensing.add_argument(
        "--params", default="",
        help="comma-separated factors: path (its distribution in the scenario) or path=LOW:HIGH (uniform); "
        "default: every parameter with a distribution",
    )
    sensing.add_argument("--samples", type=int, help="Morris trajectories (default 10) or Sobol base samples (default 64)")
    _run_options(sensing)
    sensing.add_argument("--lang", choices=("sv", "en"), default="sv", help="page language (default sv)")
    sensing.set_defaults(handler=_sensitivity)
    validating = commands.add_parser(
        "validate-report",
        help="write the validation report (face, verification, cross, external and predictive validity)",
    )
    validating.add_argument("--out", default="results/validation", help="output folder (default results/validation)")
    validating.add_argument("--quick", action="store_true", help="small sizes (seconds instead of minutes)")
    validating.add_argument("--lang", choices=("sv", "en"), default="sv", help="report language (default sv)")
    validating.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    validating.set_defaults(handler=_validation_report)
    verify = commands.add_parser(
        "verify", help="check the engine against analytic results (Markov chain, Erlang C, Little's law, identities)"
    )
    verify.add_argument(
        "group", nargs="?", choices=("markov", "queues", "little", "conservation"),
        help="run only this group of checks (default: all)",
    )
    verify.add_argument("--quick", action="store_true", help="small sizes (seconds instead of about a minute)")
    verify.add_argument("--rates", help="CSV with header from,to,rate (per month) for an extra Markov check")
    verify.add_argument("--initial", help="state everyone starts in for --rates (default: the first listed)")
    verify.set_defaults(handler=_verify)
    reproducing = commands.add_parser(
        "reproduce", help="rerun the result a manifest.json describes and check that it matches bit for bit"
    )
    reproducing.add_argument("manifest", help="manifest.json of a results folder written by sim run")
    reproducing.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    reproducing.set_defaults(handler=_reproduce)
    listing = commands.add_parser("list", help="list the shipped scenarios with their descriptions")
    listing.add_argument("folder", nargs="?", help="folder of scenarios (default: the shipped ones)")
    listing.set_defaults(handler=_list)
    validate = commands.add_parser("validate", help="check a scenario file without simulating")
    validate.add_argument("scenario", help="scenario YAML file")
    validate.set_defaults(handler=_validate)
    return parser


def _calibrate(args: argparse.Namespace) -> int:
    from sim.calibration import calibrate

    _check_options(args)
    if args.reproduce:
        return _reproduce_calibration(args)
    if not args.scenario:
        raise UsageError("calibrate: give a scenario file (or --reproduce FOLDER)")
    if args.maxfev < 1:
        raise UsageError(f"--maxfev: must be at least 1 (got {args.maxfev})")
    result = calibrate(
        args.scenario, args.targets, params=args.params, out_dir=args.out,
        replications=args.replications, scale=args.scale, months=args.months,
        seed=args.seed, workers=args.workers, maxfev=args.maxfev, echo=print,
        scheduler=args.scheduler, dask_local=args.dask_local,
    )  # fmt: skip
    if result.overlay_path is not None:
        print(f"Calibrated overlay: {result.overlay_path} (extend it from a scenario to use the fitted values)")
    print(f"Fit table: {result.fit_csv_path}")
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    import json

    from tqdm import tqdm

    from sim.output import write_atomic_csv
    from sim.report.files import write_atomic
    from sim.report.uncertainty import write_sensitivity_page
    from sim.runner import RunSettings
    from sim.scenario import load_scenario
    from sim.sensitivity import factors, sensitivity

    _check_options(args)
    scenario = load_scenario(args.scenario)
    chosen = factors(scenario, args.params)
    settings = RunSettings(
        replications=args.replications or SENSITIVITY_REPLICATIONS, seed=args.seed,
        scale=args.scale or SENSITIVITY_SCALE, months=args.months, workers=args.workers,
        scheduler=args.scheduler, dask_local=args.dask_local,
    )  # fmt: skip
    out = Path(args.out) if args.out else Path("results") / f"sensitivity-{scenario.name}-{args.method}"
    bar = tqdm(unit="run", disable=None, file=sys.stderr, desc=f"{args.method} {scenario.name}")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        found = sensitivity(scenario, args.method, args.metric, args.params, settings, args.samples,
                            seed=settings.resolved(scenario).seed or 0, progress=progress)  # fmt: skip
    finally:
        bar.close()
    resolved = found.settings
    meta = (f"{scenario.name}: {args.method}, {args.metric} (subgroup all), {len(found.points)} evaluations of "
            f"{resolved.replications} replications at scale {resolved.scale}, {resolved.months} months, "
            f"seed {resolved.seed} (the same at every point: common random numbers)")  # fmt: skip
    write_atomic_csv(found.indices, out / "sensitivity.csv")
    write_atomic_csv(found.points, out / "points.csv")
    write_sensitivity_page(out / "sensitivity.html", args.method, args.metric, found.indices, meta, args.lang)
    record = {"scenario": scenario.name, "scenario_file": scenario.source_file, "method": args.method,
              "metric": args.metric, "factors": [{"path": f.path, "value": f.value,
              "distribution": f.distribution.describe()} for f in chosen], "samples": args.samples,
              "replications": resolved.replications, "scale": resolved.scale, "months": resolved.months,
              "seed": resolved.seed, "command": _command(args)}  # fmt: skip
    write_atomic(out / "manifest.json", lambda tmp: tmp.write_text(json.dumps(record, indent=2), encoding="utf-8"))
    print(meta)
    print(found.indices.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"Written to {out}/ (sensitivity.csv, points.csv, sensitivity.html)")
    return 0


PSA_HELP = ("also draw K parameter sets from the scenarios' distributions (Latin hypercube) and run the "
            "replications at each; writes psa_*.csv and psa.html")


def _write_psa(args: argparse.Namespace, scenarios: list[Any], settings: Any, out: Path) -> None:
    """The PSA part of `sim run/compare --psa K`: run it, write its tables and page, print the gist."""
    from tqdm import tqdm

    from sim.compare import KEY_METRICS
    from sim.output import write_atomic_csv
    from sim.psa import psa
    from sim.report.uncertainty import write_psa_page

    bar = tqdm(total=args.psa * len(scenarios), unit="set", disable=None, file=sys.stderr, desc="PSA")
    try:
        found = psa(scenarios, args.psa, settings, progress=lambda done, total: bar.update(done - bar.n))
    finally:
        bar.close()
    write_atomic_csv(found.draws, out / "psa_draws.csv")
    write_atomic_csv(found.metrics, out / "psa_metrics.csv")
    write_atomic_csv(found.summary, out / "psa_summary.csv")
    if found.probability is not None:
        write_atomic_csv(found.probability, out / "psa_probability.csv")
    resolved = settings.resolved(scenarios[0])
    meta = (f"{args.psa} parameter sets (Latin hypercube over {len(found.draws.columns) - 1} distributions), "
            f"{resolved.replications} replications each, scale {resolved.scale}, {resolved.months} months, "
            f"seed {resolved.seed}")  # fmt: skip
    summary = found.summary[(found.summary["subgroup"] == "all") & found.summary["metric"].isin(KEY_METRICS)]
    write_psa_page(out / "psa.html", found.draw_means[found.draw_means["subgroup"] == "all"], summary,
                   found.probability, ["employment_rate_24m", "cost_total_sek"], meta, args.lang)  # fmt: skip
    print()
    print(f"PSA: {meta}")
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if found.probability is not None:
        print(found.probability.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(f"PSA tables and page: {out}/psa_*.csv, {out / 'psa.html'}")


#: Defaults for each evaluation of a sensitivity analysis (many evaluations: small runs).
SENSITIVITY_REPLICATIONS = 2
SENSITIVITY_SCALE = 0.01


def _reproduce_calibration(args: argparse.Namespace) -> int:
    from sim.calibration import reproduce

    extra = ["the scenario"] if args.scenario else []
    extra += [f"--{name}" for name in ("replications", "scale", "months", "seed") if getattr(args, name) is not None]
    extra += ["--params"] if args.params else []
    if extra:
        raise UsageError(f"--reproduce takes its inputs and settings from {args.reproduce}/calibration.yaml; "
                         f"drop {', '.join(extra)}")
    outcome = reproduce(args.reproduce, out_dir=args.out, workers=args.workers, echo=print)
    if outcome.identical:
        print(f"Reproduced: the rerun gives the fitted values of {args.reproduce}/calibrated.yaml exactly.")
        return 0
    print(f"NOT reproduced: the rerun differs from {args.reproduce}/calibrated.yaml:", file=sys.stderr)
    for line in outcome.differences():
        print(f"  {line}", file=sys.stderr)
    return 1


def _validation_report(args: argparse.Namespace) -> int:
    from sim.validation import write_validation_report

    if args.workers < 1:
        raise UsageError(f"--workers: must be at least 1 (got {args.workers})")
    path = write_validation_report(
        args.out, args.quick, args.lang, command=_command(args), workers=args.workers,
        progress=lambda step: print(f"  {step}", file=sys.stderr),
    )  # fmt: skip
    print(f"Validation report written to {path}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from sim.verification import verify

    rates = Path(args.rates) if args.rates else None
    return verify(quick=args.quick, group=args.group, rates_csv=rates, initial=args.initial)


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replications", type=int, help="number of replications (default: the scenario's)")
    parser.add_argument("--seed", type=int, help="root seed (default: the scenario's)")
    parser.add_argument("--scale", type=float, help="sampling fraction in (0, 1]; totals stay national")
    parser.add_argument("--months", type=int, help="months to simulate (default: the scenario's)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="run replications on an existing Dask cluster (e.g. tcp://10.0.0.5:8786); results are identical",
    )
    parser.add_argument(
        "--dask-local", type=int, metavar="N", help="start a local Dask cluster of N worker processes and use it"
    )
    parser.add_argument("--out", help="output folder (default under results/)")
    parser.add_argument("--save-spells", action="store_true", help="also write spells.parquet")
    parser.add_argument(
        "--force", action="store_true", help="overwrite an output folder that holds another scenario's results"
    )
    parser.add_argument(
        "--resume", action="store_true",
        help="continue an interrupted run in --out: replications already finished there are loaded, not rerun",
    )


def _validate(args: argparse.Namespace) -> int:
    from sim.scenario import load_scenario

    load_scenario(args.scenario)
    print("ok")
    return 0


def _list(args: argparse.Namespace) -> int:
    from sim.scenario import load_scenario

    folder = Path(args.folder) if args.folder else _shipped_scenarios()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise UsageError(f"{folder}: no scenario files (*.yaml) found")
    width = max(len(f.stem) for f in files)
    for file in files:
        try:
            scenario = load_scenario(file)
        except SimError as error:
            first = str(error).splitlines()[0]
            print(f"{file.stem:<{width}}  INVALID: {first}")
            continue
        summary = " ".join(scenario.description.split())
        print(f"{file.stem:<{width}}  {summary}")
    return 0


def _shipped_scenarios() -> Path:
    """The scenarios folder of the source tree, else of the current directory."""
    beside = Path(__file__).resolve().parent.parent / "scenarios"
    return beside if beside.is_dir() else Path("scenarios")


def _check_options(args: argparse.Namespace) -> None:
    problems = []
    if args.replications is not None and args.replications < 1:
        problems.append(f"--replications: must be at least 1 (got {args.replications})")
    if args.scale is not None and not (0 < args.scale <= 1) or (args.scale is not None and math.isnan(args.scale)):
        problems.append(f"--scale: must be in (0, 1] (got {args.scale})")
    if args.months is not None and args.months < 1:
        problems.append(f"--months: must be at least 1 (got {args.months})")
    if args.workers < 1:
        problems.append(f"--workers: must be at least 1 (got {args.workers})")
    if args.seed is not None and args.seed < 0:
        problems.append(f"--seed: must be a non-negative integer (got {args.seed})")
    if getattr(args, "psa", None) is not None and args.psa < 2:
        problems.append(f"--psa: needs at least 2 parameter sets (got {args.psa})")
    if getattr(args, "dask_local", None) is not None and args.dask_local < 1:
        problems.append(f"--dask-local: must be at least 1 (got {args.dask_local})")
    if getattr(args, "scheduler", None) is not None and getattr(args, "dask_local", None) is not None:
        problems.append("--scheduler and --dask-local: give one of them, not both")
    if problems:
        raise UsageError("\n".join(problems))


def _run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.console import headline_table, targets_table
    from sim.output import check_output_folder, write_results
    from sim.report.html import write_report
    from sim.runner import RunSettings, run
    from sim.scenario import load_scenario

    _check_options(args)
    scenario = load_scenario(args.scenario)
    settings = RunSettings(
        replications=args.replications, seed=args.seed, scale=args.scale,
        months=args.months, workers=args.workers, save_spells=args.save_spells,
        scheduler=args.scheduler, dask_local=args.dask_local,
    )  # fmt: skip
    resolved = settings.resolved(scenario)
    assert resolved.seed is not None
    out = Path(args.out) if args.out else Path("results") / scenario.name
    check_output_folder(out, scenario, resolved.seed, args.force)
    bar = tqdm(total=resolved.replications, desc=f"{scenario.name}", unit="rep", disable=None, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    _CURRENT_OUT.append(out)
    _say_resume(args, out)
    try:
        results = run(scenario, settings, progress=progress, checkpoints=out)
    finally:
        bar.close()
    folder = write_results(results, out)
    write_report(folder / "report.html", [results], None, lang=args.lang, command=_command(args))
    print(f"Results for '{scenario.name}' written to {folder}/ (report: {folder / 'report.html'})")
    print(
        f"{resolved.replications} replication(s), scale {resolved.scale}, {resolved.months} months, "
        f"seed {resolved.seed}; {results.wall_seconds:.1f} s"
    )
    print()
    print(headline_table(results.summary))
    targets = targets_table(results)
    if targets:
        print()
        print(targets)
    n_assumptions = len(scenario.assumptions())
    print()
    print(f"{n_assumptions} parameters rest on assumptions; see {folder / 'assumptions.csv'}")
    if args.psa:
        _write_psa(args, [scenario], settings, folder)
    return 0




def _compare(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.compare import DEFAULT_MAX_REPLICATIONS, compare, parse_precision, scenario_seed
    from sim.console import comparison_table
    from sim.output import check_output_folder, write_atomic_csv, write_results
    from sim.report.html import write_report
    from sim.report.tables import write_comparison_xlsx
    from sim.runner import RunSettings
    from sim.scenario import load_scenario

    _check_options(args)
    precision = parse_precision(args.precision)
    if args.max_replications is not None and not precision:
        raise UsageError("--max-replications only applies together with --precision")
    most = args.max_replications if args.max_replications is not None else DEFAULT_MAX_REPLICATIONS
    scenarios = [load_scenario(path) for path in [args.base, *args.alternatives]]
    settings = RunSettings(
        replications=args.replications, seed=args.seed, scale=args.scale,
        months=args.months, workers=args.workers, save_spells=args.save_spells,
        scheduler=args.scheduler, dask_local=args.dask_local,
    )  # fmt: skip
    resolved = settings.resolved(scenarios[0])
    assert resolved.replications is not None and resolved.seed is not None
    names = [s.name for s in scenarios]
    default = "compare-" + "-vs-".join(names)
    if len(default) > 120:  # file names have a length limit; many long names would exceed it
        default = f"compare-{names[0]}-vs-{len(names) - 1}-designs"
    out = Path(args.out) if args.out else Path("results") / default
    for k, scenario in enumerate(scenarios):
        seed = scenario_seed(resolved.seed, k, args.independent)
        check_output_folder(out / scenario.name, scenario, seed, args.force)
    # With a precision target the number of replications is not known in advance.
    total = None if precision else resolved.replications * len(scenarios)
    bar = tqdm(total=total, unit="rep", disable=None, file=sys.stderr)

    def progress(name: str, done: int, total: int) -> None:
        bar.set_description(name)
        bar.update(1)

    _CURRENT_OUT.append(out)
    _say_resume(args, out)
    try:
        comparison = compare(scenarios, settings, independent=args.independent, progress=progress,
                             precision=precision, max_replications=most, checkpoints=out)  # fmt: skip
    finally:
        bar.close()
    for results in comparison.results:
        write_results(results, out / results.scenario.name)
    write_atomic_csv(comparison.table, out / "comparison.csv")
    write_atomic_csv(comparison.differences, out / "differences.csv")
    write_atomic_csv(comparison.variance, out / "variance.csv")
    write_atomic_csv(comparison.changes, out / "changes.csv")
    if comparison.precision is not None:
        write_atomic_csv(comparison.precision, out / "precision.csv")
    write_comparison_xlsx(out / "comparison.xlsx", comparison, args.lang)
    write_report(out / "report.html", comparison.results, comparison, lang=args.lang, command=_command(args))
    wall = sum(r.wall_seconds for r in comparison.results)
    print(f"Comparison of {', '.join(names)} written to {out}/ (report: {out / 'report.html'})")
    streams = "independent streams" if args.independent else "common random numbers"
    done_replications = comparison.base.settings.replications
    print(
        f"{done_replications} replication(s) each, scale {resolved.scale}, {resolved.months} months, "
        f"seed {resolved.seed}, {streams}; {wall:.1f} s"
    )
    if comparison.precision is not None:
        print(_precision_summary(comparison.precision, most))
    print()
    print(comparison_table(comparison.table, comparison.variance, names))
    print()
    print("var. ratio = variance of the paired difference / variance with independent streams (var(base) + var(alt)).")
    if args.psa:
        _write_psa(args, scenarios, settings, out)
    return 0


#: The result tables `sim reproduce` compares byte for byte.
REPRODUCED_FILES = ("metrics.csv", "summary.csv", "costs.csv", "waits.csv", "survival.csv", "queues.csv")


def _reproduce(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from sim.checkpoints import code_hash
    from sim.output import scenario_hash, write_results
    from sim.runner import RunSettings, run
    from sim.scenario import load_scenario

    path = Path(args.manifest)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        scenario_file = Path(record["scenario_file"])
        settings = RunSettings(replications=int(record["replications"]), seed=int(record["seed"]),
                               scale=float(record["scale"]), months=int(record["months"]), workers=args.workers)
        expected_hash = str(record["scenario_sha256"])
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the manifest ({exc.strerror or exc})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a manifest written by sim run ({exc})") from None
    if not scenario_file.is_file() and (path.parent / scenario_file).is_file():
        scenario_file = path.parent / scenario_file
    scenario = load_scenario(scenario_file)
    problems = []
    if scenario_hash(scenario) != expected_hash:
        problems.append(f"the scenario {scenario_file} has changed since the run (its SHA-256 differs)")
    if record.get("code_sha256") and record["code_sha256"] != code_hash():
        problems.append("the model's code differs from the code that made the result (code SHA-256)")
    for problem in problems:
        print(f"note: {problem}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="sim-reproduce-") as temporary:
        again = write_results(run(scenario, settings), Path(temporary) / "again")
        differing = [name for name in REPRODUCED_FILES
                     if (path.parent / name).read_bytes() != (again / name).read_bytes()]  # fmt: skip
    if differing:
        print(f"NOT reproduced: {', '.join(differing)} differ from {path.parent}")
        return 1
    print(f"Reproduced bit for bit: {', '.join(REPRODUCED_FILES)} of {path.parent} "
          f"({settings.replications} replications, seed {settings.seed}, scale {settings.scale})")
    return 0


def _say_resume(args: argparse.Namespace, out: Path) -> None:
    """With --resume, say what is there to continue from (the run itself reuses it either way)."""
    if getattr(args, "resume", False):
        kept = len(list(out.glob("**/.checkpoints/*/replication-*.pickle")))
        print(f"resuming in {out}: {kept} finished replication(s) kept there are checked against this request "
              "(scenario, seed, scale, months, code) and reused where they match", file=sys.stderr)


def _precision_summary(rounds: Any, most: int) -> str:
    """Whether the asked precision was reached, after how many replications, and the widths."""
    last = rounds[rounds["round"] == rounds["round"].max()]
    n = int(last["replications"].iloc[0])
    lines = [f"Precision {'reached' if last['met'].all() else 'NOT reached'} with {n} replications per scenario"
             + ("" if last["met"].all() else f" (the most allowed: {most})") + ":"]
    for row in last.itertuples():
        lines.append(f"  {row.scenario} − base, {row.metric}: 95 % interval ±{row.half_width:.4g} "
                     f"(asked ±{row.target_half_width:g}){'' if row.met else '  NOT met'}")
    return "\n".join(lines)


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this run."""
    return "sim " + " ".join(shlex.quote(a) for a in args.argv)
