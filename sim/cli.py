"""The ``sim`` command: argument parsing, progress and printing over :mod:`sim.api`.

Every command calls the same functions a notebook calls; this module only turns
options into their arguments (the run settings in one place, :func:`_settings`),
shows progress, prints tables and maps errors to exit statuses. Every user error
(a bad scenario file, a bad option) is printed as one clear message per problem on
standard error with exit status 2, never a traceback; the library's argument names
are translated to this command's options (``max_replications`` → ``--max-replications``).
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sim import api
from sim.errors import ArgumentError, SimError, UsageError
from sim.experiments.settings import RunSettings
from sim.files import SCENARIOS_DIR, FolderBusy, NotAResultsFolder
from sim.report import console
from sim.report.folder import OccupiedFolder

__all__ = ["main", "parse_precision"]

#: Library argument -> the option that sets it, where the two are not spelt alike (``a_b`` -> ``--a-b``).
_OPTIONS = {"sets": "--psa", "rates_csv": "--rates", "checkpoints": "--out", "folder": "--out"}


class Terminated(BaseException):
    """SIGTERM arrived: stop as on Ctrl-C (worker processes are ended, what is finished is kept)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` console script; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):  # a file name with undecodable bytes must not break a message
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    args.argv = list(argv) if argv is not None else sys.argv[1:]
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    warnings.showwarning = _show_warning
    try:
        return int(args.handler(args))
    except FolderBusy as error:
        print(f"{error.folder}: is being written by another run ({error.holder}); wait for it to finish or choose "
              "another --out", file=sys.stderr)  # fmt: skip
        return 2
    except NotAResultsFolder as error:
        print(str(error).replace("choose a new or empty folder", "choose a new or empty --out"), file=sys.stderr)
        return 2
    except ArgumentError as error:
        for argument, message in error.problems:
            print(f"{_option(argument)}: {message}", file=sys.stderr)
        return 2
    except OccupiedFolder as error:
        print(f"{error.folder}: holds results of scenario '{error.held_scenario}' (seed {error.held_seed}), "
              f"not of '{error.scenario}' (seed {error.seed}); choose another --out or add --force to overwrite",
              file=sys.stderr)  # fmt: skip
        return 2
    except SimError as error:
        print(str(error), file=sys.stderr)
        return 2
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"{where}cannot read or write ({error.strerror or error}); nothing was finished", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_interrupted_message("interrupted"), file=sys.stderr)
        return 130
    except Terminated:
        print(_interrupted_message("terminated"), file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """A warning as one line on standard error (a discarded checkpoint, say)."""
    print(f"warning: {message}", file=sys.stderr)


def _option(argument: str) -> str:
    return _OPTIONS.get(argument, "--" + argument.replace("_", "-"))


#: The output folder of the run in progress (for the message on Ctrl-C).
_CURRENT_OUT: list[Path] = []


def _interrupted_message(how: str) -> str:
    if not _CURRENT_OUT:
        return f"{how}: nothing was written"
    out = _CURRENT_OUT[-1]
    kept = api.kept_replications(out)
    if not kept:
        return f"{how}: no replication had finished; nothing was kept in {out}"
    return (f"{how}: {kept} finished replication(s) are kept in {out} (.checkpoints); "
            "run the same command with --resume to continue where it stopped")


# ----------------------------------------------------------------------------- options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sim", description="Simulate programme designs for people on social assistance (ekonomiskt bistånd)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a scenario and write its results folder")
    run.add_argument("scenario", help="scenario YAML file")
    _run_options(run)
    _lang(run)
    run.add_argument("--psa", type=int, metavar="K", help=_PSA_HELP)
    run.set_defaults(handler=_run)
    comparing = commands.add_parser(
        "compare", help="run a base scenario and alternatives under common random numbers and compare them"
    )
    comparing.add_argument("base", help="the base scenario YAML file")
    comparing.add_argument("alternatives", nargs="+", help="one or more alternative scenario files")
    _run_options(comparing)
    _lang(comparing)
    comparing.add_argument("--psa", type=int, metavar="K", help=_PSA_HELP)
    comparing.add_argument(
        "--independent", action="store_true",
        help="run the alternatives on independent random streams (to measure what common random numbers gain)",
    )  # fmt: skip
    comparing.add_argument(
        "--precision", action="append", default=[], metavar="METRIC=HALFWIDTH",
        help="add replications until the 95 %% interval of every difference in METRIC (subgroup all) is at most "
        "±HALFWIDTH, e.g. employment_rate_24m=0.005; repeat or comma-separate for several metrics",
    )  # fmt: skip
    comparing.add_argument(
        "--max-replications", type=int, default=None, metavar="N",
        help="the most replications per scenario --precision may use (default 200)",
    )  # fmt: skip
    comparing.set_defaults(handler=_compare)
    _calibrate_parser(commands)
    _sensitivity_parser(commands)
    _checks_parsers(commands)
    listing = commands.add_parser("list", help="list the shipped scenarios with their descriptions")
    listing.add_argument("folder", nargs="?", help="folder of scenarios (default: the shipped ones)")
    listing.set_defaults(handler=_list)
    _household_parser(commands)
    validate = commands.add_parser("validate", help="check a scenario file without simulating")
    validate.add_argument("scenario", help="scenario YAML file")
    validate.set_defaults(handler=_validate)
    return parser


_PSA_HELP = ("also draw K parameter sets from the scenarios' distributions (Latin hypercube) and run the "
             "replications at each; writes psa_*.csv and psa.html")


def _calibrate_parser(commands: Any) -> None:
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
    )  # fmt: skip
    calibrating.add_argument("--maxfev", type=int, default=30, help="most model runs the optimiser may use")
    calibrating.add_argument(
        "--reproduce", metavar="FOLDER",
        help="rerun the calibration recorded in FOLDER (e.g. calibration/baseline) and check that it "
        "gives the same fitted values; exit 1 if not",
    )  # fmt: skip
    _run_options(calibrating)
    calibrating.set_defaults(handler=_calibrate)


def _sensitivity_parser(commands: Any) -> None:
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
    )  # fmt: skip
    sensing.add_argument("--samples", type=int, help="Morris trajectories (default 10) or Sobol base samples (default 64)")
    _run_options(sensing)
    _lang(sensing, "page language (default sv)")
    sensing.set_defaults(handler=_sensitivity)


def _checks_parsers(commands: Any) -> None:
    validating = commands.add_parser(
        "validate-report",
        help="write the validation report (face, verification, cross, external and predictive validity)",
    )
    validating.add_argument("--out", default="results/validation", help="output folder (default results/validation)")
    validating.add_argument("--quick", action="store_true", help="small sizes (seconds instead of minutes)")
    _lang(validating)
    validating.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    validating.set_defaults(handler=_validation_report)
    verify = commands.add_parser(
        "verify", help="check the engine against analytic results (Markov chain, Erlang C, Little's law, identities)"
    )
    verify.add_argument(
        "group", nargs="?", choices=("markov", "queues", "little", "conservation"),
        help="run only this group of checks (default: all)",
    )  # fmt: skip
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


def _household_parser(commands: Any) -> None:
    case = commands.add_parser(
        "household", help="a type case: one household's budget for one month under the scenarios' rules, line by line",
        description="Print the month's budget of one household under each scenario's rules: the norm and accepted "
        "costs, every income, the tax on each taxable income, the assistance paid and the disposable income. "
        "With two or more scenarios they are shown side by side with the difference from the first. Example: "
        "sim household scenarios/baseline.yaml --date 2025-11 --adults 1 --children 3,8 --rent 7500 "
        "--state af_programme",
    )  # fmt: skip
    case.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="one or more scenario YAML files")
    case.add_argument("--date", required=True, metavar="YYYY-MM", help="the month")
    case.add_argument("--adults", required=True, type=int, metavar="1|2", help="adults in the household")
    case.add_argument("--children", default="", metavar="AGES", help="children's ages in years, comma-separated (3,8)")
    case.add_argument("--rent", type=float, default=0.0, metavar="SEK", help="housing cost per month")
    case.add_argument("--state", default="assistance", metavar="STATE",
                      help="the adult's situation that month: assistance, municipal_activity, af_programme "
                      "(aktivitetsstöd), combined_programme (programme allowance), employment (earnings), "
                      "subsidised_employment, studies, other_exit")  # fmt: skip
    case.add_argument("--earnings", type=float, metavar="SEK",
                      help="gross earnings per month (default: the scenario's wage in work, else none)")  # fmt: skip
    case.add_argument("--no-housing-allowance", action="store_true", help="the household does not claim bostadsbidrag")
    case.add_argument("--no-maintenance-support", action="store_true",
                      help="the children receive maintenance from the other parent, not underhållsstöd")  # fmt: skip
    case.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (default table)")
    _lang(case, "language of the table's labels (default sv)")
    case.set_defaults(handler=_household)


def _lang(parser: argparse.ArgumentParser, text: str = "report language (default sv)") -> None:
    parser.add_argument("--lang", choices=("sv", "en"), default="sv", help=text)


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replications", type=int, help="number of replications (default: the scenario's)")
    parser.add_argument("--seed", type=int, help="root seed (default: the scenario's)")
    parser.add_argument("--scale", type=float, help="sampling fraction in (0, 1]; totals stay national")
    parser.add_argument("--months", type=int, help="months to simulate (default: the scenario's)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="run replications on an existing Dask cluster (e.g. tcp://10.0.0.5:8786); results are identical",
    )  # fmt: skip
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
        help="continue an interrupted run in --out (the default: replications already finished there for the "
        "same request are always reused); says how many were found",
    )  # fmt: skip


def _settings(args: argparse.Namespace, **defaults: Any) -> RunSettings:
    """The run settings the options give (the one place they are built); ``defaults`` fill unset ones."""
    given = {name: getattr(args, name, None) for name in ("replications", "seed", "scale", "months")}
    return RunSettings(
        **{name: value if value is not None else defaults.get(name) for name, value in given.items()},
        workers=args.workers, save_spells=getattr(args, "save_spells", False),
        scheduler=getattr(args, "scheduler", None), dask_local=getattr(args, "dask_local", None),
    )  # fmt: skip


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this run."""
    return "sim " + " ".join(shlex.quote(a) for a in args.argv)


@contextmanager
def _bar(total: int | None, unit: str, desc: str = "") -> Iterator[Any]:
    """A progress bar on standard error (silent when it is not a terminal)."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, disable=None, file=sys.stderr, desc=desc)
    try:
        yield bar
    finally:
        bar.close()


def _advance(bar: Any) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return progress


def _say_resume(args: argparse.Namespace, out: Path) -> None:
    """With --resume, say what is there to continue from (the run itself reuses it either way)."""
    if getattr(args, "resume", False):
        print(f"resuming in {out}: {api.kept_replications(out)} finished replication(s) kept there are checked "
              "against this request (scenario, seed, scale, months, code) and reused where they match",
              file=sys.stderr)  # fmt: skip


def parse_precision(items: Sequence[str]) -> dict[str, float]:
    """``{metric: half-width}`` from ``METRIC=HALFWIDTH`` items (each may hold several, comma-separated).

    Raises:
        ArgumentError: for an item that is not ``METRIC=NUMBER`` (the metric and the half-width are
            checked by the library).
    """
    out: dict[str, float] = {}
    for item in (part.strip() for text in items for part in text.split(",")):
        if not item:
            continue
        metric, sep, number = item.partition("=")
        try:
            value = float(number) if sep else float("nan")
        except ValueError:
            value = float("nan")
        if not sep or value != value:
            raise ArgumentError("precision", f"expected METRIC=HALFWIDTH, e.g. employment_rate_24m=0.005 (got '{item}')")
        out[metric.strip()] = value
    api.check_precision(out)
    return out


# ----------------------------------------------------------------------------- commands


def _run(args: argparse.Namespace) -> int:
    scenario = api.load_scenario(args.scenario)
    settings = _settings(args)
    resolved = settings.resolved(scenario)
    assert resolved.seed is not None and resolved.replications is not None
    if args.psa is not None:
        api.check_sets(args.psa)
    out = Path(args.out) if args.out else Path("results") / scenario.name
    api.check_output_folder(out, scenario, resolved.seed, args.force)
    with api.output_folder(out) as held:
        _CURRENT_OUT.append(out)
        _say_resume(args, out)
        with _bar(resolved.replications, "rep", scenario.name) as bar:
            results = api.run(scenario, settings=settings, progress=_advance(bar), checkpoints=held.checkpoints)
        found = _psa(args, [scenario], settings) if args.psa else None
        api.save(results, held, args.lang, _command(args), psa=found)
        held.commit()
    print(f"Results for '{scenario.name}' written to {out}/ (report: {out / 'report.html'})")
    print(f"{resolved.replications} replication(s), scale {resolved.scale}, {resolved.months} months, "
          f"seed {resolved.seed}; {results.wall_seconds:.1f} s")
    print()
    print(console.headline_table(results.summary))
    targets = console.targets_table(results)
    if targets:
        print()
        print(targets)
    print()
    print(f"{len(scenario.assumptions())} parameters rest on assumptions; see {out / 'assumptions.csv'}")
    if found is not None:
        _print_psa(found, out)
    return 0


def _compare(args: argparse.Namespace) -> int:
    precision = parse_precision(args.precision)
    if args.max_replications is not None and not precision:
        raise UsageError("--max-replications only applies together with --precision")
    most = args.max_replications if args.max_replications is not None else api.DEFAULT_MAX_REPLICATIONS
    if args.psa is not None:
        api.check_sets(args.psa)
    scenarios = [api.load_scenario(path) for path in [args.base, *args.alternatives]]
    settings = _settings(args)
    resolved = settings.resolved(scenarios[0])
    assert resolved.replications is not None and resolved.seed is not None
    names = [s.name for s in scenarios]
    out = Path(args.out) if args.out else Path("results") / api.comparison_folder_name(names)
    for k, scenario in enumerate(scenarios):
        api.check_output_folder(out / scenario.name, scenario, api.scenario_seed(resolved.seed, k, args.independent),
                                args.force)  # fmt: skip
    with api.output_folder(out) as held:
        _CURRENT_OUT.append(out)
        _say_resume(args, out)
        # With a precision target the number of replications is not known in advance.
        with _bar(None if precision else resolved.replications * len(scenarios), "rep") as bar:

            def progress(name: str, done: int, total: int) -> None:
                bar.set_description(name)
                bar.update(1)

            comparison = api.compare(scenarios, settings=settings, independent=args.independent, progress=progress,
                                     precision=precision, max_replications=most, checkpoints=held.checkpoints)
        found = _psa(args, scenarios, settings) if args.psa else None
        api.save(comparison, held, args.lang, _command(args), psa=found)
        held.commit()
    print(f"Comparison of {', '.join(names)} written to {out}/ (report: {out / 'report.html'})")
    streams = "independent streams" if args.independent else "common random numbers"
    print(f"{comparison.base.settings.replications} replication(s) each, scale {resolved.scale}, "
          f"{resolved.months} months, seed {resolved.seed}, {streams}; "
          f"{sum(r.wall_seconds for r in comparison.results):.1f} s")  # fmt: skip
    if comparison.precision is not None:
        print(console.precision_summary(comparison.precision, most))
    print()
    print(console.comparison_table(comparison.table, comparison.variance, names))
    print()
    print("var. ratio = variance of the paired difference / variance with independent streams (var(base) + var(alt)).")
    print()
    if comparison.public_finances is not None:
        print("Net public cost (spending − tax and contribution revenue) by year and payer, against the base:")
        print(console.finances_table(comparison.public_finances))
        print()
    if comparison.cost_effectiveness is not None and len(comparison.cost_effectiveness):
        print("Cost-effectiveness: the difference in net public cost per additional person in work:")
        print(console.cost_effectiveness_table(comparison.cost_effectiveness))
        print()
    if found is not None:
        _print_psa(found, out)
    return 0


def _psa(args: argparse.Namespace, scenarios: list[Any], settings: RunSettings) -> Any:
    """The PSA of `sim run/compare --psa K` (its files go into the run's folder)."""
    with _bar(args.psa * len(scenarios), "set", "PSA") as bar:
        return api.psa(scenarios, args.psa, settings=settings, progress=_advance(bar))


def _print_psa(found: Any, out: Path) -> None:
    print()
    print(console.psa_summary(found))
    print(f"PSA tables and page: {out}/psa_*.csv, {out / 'psa.html'}")


def _sensitivity(args: argparse.Namespace) -> int:
    scenario = api.load_scenario(args.scenario)
    settings = _settings(args, replications=api.SENSITIVITY_REPLICATIONS, scale=api.SENSITIVITY_SCALE)
    out = Path(args.out) if args.out else Path("results") / f"sensitivity-{scenario.name}-{args.method}"
    with api.output_folder(out) as held:
        with _bar(None, "run", f"{args.method} {scenario.name}") as bar:
            found = api.sensitivity(scenario, args.method, args.metric, args.params, args.samples, settings=settings,
                                    progress=_advance(bar))  # fmt: skip
        api.save(found, held, args.lang, _command(args))
        held.commit()
    print(console.sensitivity_summary(found))
    print(f"Written to {out}/ (sensitivity.csv, points.csv, sensitivity.html)")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    if args.reproduce:
        return _reproduce_calibration(args)
    if not args.scenario:
        raise UsageError("calibrate: give a scenario file (or --reproduce FOLDER)")
    if not 1 <= args.maxfev <= 10_000:
        raise ArgumentError("maxfev", f"must be from 1 to 10000 (got {args.maxfev})")
    result = api.calibrate(args.scenario, args.targets, params=args.params, out_dir=args.out,
                           settings=_settings(args), maxfev=args.maxfev, echo=print)  # fmt: skip
    print(console.calibration_summary(result))
    if result.overlay_path is not None:
        print(f"Calibrated overlay: {result.overlay_path} (extend it from a scenario to use the fitted values)")
    print(f"Fit table: {result.fit_csv_path}")
    return 0


def _reproduce_calibration(args: argparse.Namespace) -> int:
    extra = ["the scenario"] if args.scenario else []
    extra += [f"--{name}" for name in ("replications", "scale", "months", "seed") if getattr(args, name) is not None]
    extra += ["--params"] if args.params else []
    if extra:
        raise UsageError(f"--reproduce takes its inputs and settings from {args.reproduce}/calibration.yaml; "
                         f"drop {', '.join(extra)}")
    outcome = api.reproduce_calibration(args.reproduce, out_dir=args.out, workers=args.workers, echo=print)
    print(console.calibration_summary(outcome.result))
    if outcome.identical:
        print(f"Reproduced: the rerun gives the fitted values of {args.reproduce}/calibrated.yaml exactly.")
        return 0
    print(f"NOT reproduced: the rerun differs from {args.reproduce}/calibrated.yaml:", file=sys.stderr)
    for line in outcome.differences():
        print(f"  {line}", file=sys.stderr)
    return 1


def _validation_report(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise ArgumentError("workers", f"must be at least 1 (got {args.workers})")
    path = api.validation_report(args.out, args.quick, args.lang, command=_command(args), workers=args.workers,
                                 progress=lambda step: print(f"  {step}", file=sys.stderr))  # fmt: skip
    print(f"Validation report written to {path}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    if args.initial is not None and args.rates is None:
        raise UsageError("--initial needs --rates FILE")
    return api.verify(quick=args.quick, group=args.group, rates_csv=Path(args.rates) if args.rates else None,
                      initial=args.initial)  # fmt: skip


def _reproduce(args: argparse.Namespace) -> int:
    outcome = api.reproduce(args.manifest, workers=args.workers)
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    if not outcome.identical:
        print(f"NOT reproduced: {', '.join(outcome.differing)} differ from {outcome.folder}")
        return 1
    s = outcome.settings
    print(f"Reproduced bit for bit: {', '.join(api.REPRODUCED_FILES)} of {outcome.folder} "
          f"({s.replications} replications, seed {s.seed}, scale {s.scale})")
    return 0


def _household(args: argparse.Namespace) -> int:
    children = _ages(args.children)
    table = api.household(
        args.scenarios, args.date, args.adults, children, args.rent, args.state, args.earnings,
        claims_housing_allowance=not args.no_housing_allowance, receives_maintenance=not args.no_maintenance_support,
    )  # fmt: skip
    if args.format == "csv":
        sys.stdout.write(table.to_csv(index=False, float_format="%.2f"))
    elif args.format == "json":
        print(console.household_json(table))
    else:
        print(console.household_text(table, args.lang))
    return 0


def _ages(text: str) -> list[float]:
    """``3,8`` → [3.0, 8.0]."""
    ages = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            ages.append(float(part))
        except ValueError:
            raise ArgumentError("children", f"expected ages in years, comma-separated (3,8), got {part!r}") from None
    return ages


def _validate(args: argparse.Namespace) -> int:
    api.load_scenario(args.scenario)
    print("ok")
    return 0


def _list(args: argparse.Namespace) -> int:
    folder = Path(args.folder) if args.folder else (SCENARIOS_DIR if SCENARIOS_DIR.is_dir() else Path("scenarios"))
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise UsageError(f"{folder}: no scenario files (*.yaml) found")
    width = max(len(f.stem) for f in files)
    for file in files:
        try:
            scenario = api.load_scenario(file)
        except SimError as error:
            print(f"{file.stem:<{width}}  INVALID: {str(error).splitlines()[0]}")
            continue
        print(f"{file.stem:<{width}}  {' '.join(scenario.description.split())}")
    return 0
