"""The ``sim`` command: argument parsing, progress and printing only.

Every user error (a bad scenario file, a bad option) is printed as one clear
message per problem on standard error with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.errors import SimError, UsageError

__all__ = ["main"]

_HEADLINE = (
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except SimError as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no results were written for the unfinished run", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sim",
        description="Simulate programme designs for people on social assistance (ekonomiskt bistånd).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a scenario and write its results folder")
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("--replications", type=int, help="number of replications (default: the scenario's)")
    run.add_argument("--seed", type=int, help="root seed (default: the scenario's)")
    run.add_argument("--scale", type=float, help="sampling fraction in (0, 1]; totals stay national")
    run.add_argument("--months", type=int, help="months to simulate (default: the scenario's)")
    run.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--out", help="output folder (default results/<scenario name>/)")
    run.add_argument("--save-spells", action="store_true", help="also write spells.parquet")
    run.set_defaults(handler=_run)
    listing = commands.add_parser("list", help="list the shipped scenarios with their descriptions")
    listing.add_argument("folder", nargs="?", help="folder of scenarios (default: the shipped ones)")
    listing.set_defaults(handler=_list)
    validate = commands.add_parser("validate", help="check a scenario file without simulating")
    validate.add_argument("scenario", help="scenario YAML file")
    validate.set_defaults(handler=_validate)
    return parser


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
    if problems:
        raise UsageError("\n".join(problems))


def _run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.output import write_results
    from sim.runner import RunSettings, run
    from sim.scenario import load_scenario

    _check_options(args)
    scenario = load_scenario(args.scenario)
    settings = RunSettings(
        replications=args.replications, seed=args.seed, scale=args.scale,
        months=args.months, workers=args.workers, save_spells=args.save_spells,
    )  # fmt: skip
    resolved = settings.resolved(scenario)
    bar = tqdm(total=resolved.replications, desc=f"{scenario.name}", unit="rep", disable=None, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    try:
        results = run(scenario, settings, progress=progress)
    finally:
        bar.close()
    out = Path(args.out) if args.out else Path("results") / scenario.name
    folder = write_results(results, out)
    print(f"Results for '{scenario.name}' written to {folder}/")
    print(
        f"{resolved.replications} replication(s), scale {resolved.scale}, {resolved.months} months, "
        f"seed {resolved.seed}; {results.wall_seconds:.1f} s"
    )
    print()
    print(_headline_table(results.summary))
    targets = _targets_table(results)
    if targets:
        print()
        print(targets)
    n_assumptions = len(scenario.assumptions())
    print()
    print(f"{n_assumptions} parameters rest on assumptions; see {folder / 'assumptions.csv'}")
    return 0


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


def _headline_table(summary: pd.DataFrame) -> str:
    rows = summary[summary["subgroup"] == "all"].set_index("metric")
    lines = [f"{'metric':<38}{'mean':>16}{'95 % interval':>34}"]
    for metric, kind in _HEADLINE:
        if metric not in rows.index:
            continue
        mean, low, high = (float(v) for v in rows.loc[metric, ["mean", "ci_low", "ci_high"]].to_numpy(float))
        interval = f"{_fmt(low, kind)} – {_fmt(high, kind)}" if not math.isnan(low) else "– (one replication)"
        lines.append(f"{metric:<38}{_fmt(mean, kind):>16}{interval:>34}")
    return "\n".join(lines)


def _targets_table(results: object) -> str:
    scenario = results.scenario  # type: ignore[attr-defined]
    summary = results.summary  # type: ignore[attr-defined]
    if not scenario.targets:
        return ""
    rows = summary[summary["subgroup"] == "all"].set_index("metric")
    lines = [f"{'calibration target':<38}{'model':>10}{'target':>10}{'within':>10}"]
    for name, target in scenario.targets.items():
        model = float(rows.loc[name, "mean"]) if name in rows.index else math.nan
        ok = abs(model - target.value) <= target.tolerance
        mark = f"±{100 * target.tolerance:.0f} pp " + ("yes" if ok else "NO")
        lines.append(f"{name:<38}{_fmt(model, 'share'):>10}{_fmt(target.value, 'share'):>10}{mark:>14}")
    return "\n".join(lines)
