"""Careless and hostile input to the command line: always exit 2 with a message, never a traceback (issue 13).

Each case was seen to give a traceback, a hang or a silently wrong result before; the
scenario-file cases are data files in ``tests/scenario/bad/`` (``test_validate.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BASELINE, ROOT

SMALL = ["--replications", "1", "--scale", "0.002", "--months", "6"]


def sim(*args: str | bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env, errors="backslashreplace")  # fmt: skip


def refused(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr


def test_a_fifo_a_folder_and_a_system_file_are_not_scenarios(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused(sim("validate", str(fifo)), "is not a regular file")
    refused(sim("validate", str(tmp_path)), "is a folder, not a scenario file")
    done = sim("validate", "/etc/passwd")
    refused(done, "/etc/passwd:1: the top level must be a mapping")
    assert "root" not in done.stderr, "the contents of a file that is not a scenario were echoed"


def test_a_nul_in_an_extended_file_name_and_undecodable_bytes_in_a_path(tmp_path):
    (tmp_path / "s.yaml").write_text('extends: "base\\0line.yaml"\n')
    refused(sim("validate", str(tmp_path / "s.yaml")), "NUL character")
    refused(sim("validate", os.fsdecode(b"\xff.yaml")), "cannot read the file")


@pytest.mark.parametrize(("options", "words"), [
    (["--months", "100000"], "--months: must be from 1 to 600"),
    (["--replications", "100000"], "--replications: must be from 1 to 10000"),
    (["--scale", "0.000001"], "--scale: at scale 1e-06 the sample holds 0 households"),
    (["--scheduler", "not an address"], "--scheduler: cannot reach the Dask scheduler"),
])  # fmt: skip
def test_run_options_beyond_what_a_run_may_cost_are_refused(tmp_path, options, words):
    base = {"--replications": "1", "--scale": "0.002", "--months": "6"}
    base.update(dict(zip(options[::2], options[1::2])))
    refused(sim("run", str(BASELINE), *[x for kv in base.items() for x in kv], "--out", str(tmp_path / "o")), words)
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_metrics_undefined_for_the_horizon_and_zero_samples_are_refused(tmp_path):
    reform = str(ROOT / "scenarios" / "reform_2026.yaml")
    refused(sim("compare", str(BASELINE), reform, *SMALL, "--replications", "2", "--precision",
                "employment_rate_24m=0.01", "--out", str(tmp_path / "c")), "--precision: employment_rate_24m is observed 24")
    refused(sim("sensitivity", str(BASELINE), "--method", "oneway", *SMALL, "--out", str(tmp_path / "s")),
            "--metric: employment_rate_24m is observed 24 months after entry, and the run has 6 months")
    refused(sim("sensitivity", str(BASELINE), "--method", "sobol", "--samples", "0", "--metric", "cost_total_sek",
                *SMALL, "--out", str(tmp_path / "s")), "--samples: must be at least 1 (got 0)")


def test_names_that_differ_only_in_case_cannot_share_a_comparison(tmp_path):
    (tmp_path / "a.yaml").write_text(f"extends: {BASELINE}\nname: Baseline\ncosts:\n  af_programme_per_month: 1\n")
    refused(sim("compare", str(BASELINE), str(tmp_path / "a.yaml"), *SMALL, "--out", str(tmp_path / "c")),
            "must differ (ignoring case)")


def test_rates_files_that_are_binary_or_hold_an_absurd_rate(tmp_path):
    (tmp_path / "bin.csv").write_bytes(bytes(range(256)) * 4)
    refused(sim("verify", "markov", "--quick", "--rates", str(tmp_path / "bin.csv")), "not a text file")
    (tmp_path / "huge.csv").write_text("from,to,rate\nassistance,employment,1e308\n")
    refused(sim("verify", "markov", "--quick", "--rates", str(tmp_path / "huge.csv")), "is above 100 per month")


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished run folder whose manifest the reproduce cases edit."""
    out = tmp_path_factory.mktemp("finished") / "run"
    assert sim("run", str(BASELINE), *SMALL, "--out", str(out)).returncode == 0
    return out


@pytest.mark.parametrize(("edit", "words"), [
    ({"scale": 5}, "scale: must be in (0, 1] (got 5.0)"),
    ({"months": 100000}, "months: must be from 1 to 600"),
    ({"replications": "two"}, "replications: expected int, got str"),
    ({"seed": True}, "seed: expected int, got bool"),
    ({"scenario_file": ["a", "b"]}, "scenario_file: expected str, got list"),
    ({"scenario_file": "x\u0000y"}, "scenario_file is not a path"),
])  # fmt: skip
def test_reproduce_checks_the_manifest_as_the_command_line_checks_options(finished, tmp_path, edit, words):
    record = json.loads((finished / "manifest.json").read_text())
    record.update(edit)
    (tmp_path / "manifest.json").write_text(json.dumps(record))
    refused(sim("reproduce", str(tmp_path / "manifest.json")), words)


def test_reproduce_of_something_that_is_not_a_manifest(tmp_path):
    (tmp_path / "list.json").write_text("[1, 2]")
    refused(sim("reproduce", str(tmp_path / "list.json")), "not a JSON object")
    (tmp_path / "folder.json").mkdir()
    refused(sim("reproduce", str(tmp_path / "folder.json")), "cannot read the manifest")


def test_checkpoints_that_are_a_file_and_a_manifest_that_is_a_folder(tmp_path):
    out = tmp_path / "o"
    (out / "manifest.json").mkdir(parents=True)
    done = sim("run", str(BASELINE), *SMALL, "--out", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert (out / "manifest.json").is_file()
    other = tmp_path / "p"
    other.mkdir()
    (other / ".checkpoints").write_text("not a folder")
    refused(sim("run", str(BASELINE), *SMALL, "--out", str(other)), "cannot read or write")


def test_the_same_bits_whatever_the_threads_and_workers(tmp_path):
    """BLAS with one thread or two, one worker or two: metrics.csv byte for byte the same, at a scale whose
    weights are not whole numbers (1/0.07) and the arrays long enough for BLAS to use two threads; and
    `sim reproduce` of the two-worker run says reproduced (the old `weight @ flag` fails this test)."""
    args = ["run", str(BASELINE), "--replications", "2", "--scale", "0.07", "--months", "24"]
    runs = {}
    for threads, workers in (("1", "1"), ("2", "1"), ("2", "2")):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
        out = tmp_path / f"t{threads}w{workers}"
        done = sim(*args, "--workers", workers, "--out", str(out), env=env)
        assert done.returncode == 0, done.stderr
        runs[(threads, workers)] = (out / "metrics.csv").read_bytes()
    assert len(set(runs.values())) == 1, "metrics.csv depends on BLAS threads or workers"
    again = sim("reproduce", str(tmp_path / "t2w2" / "manifest.json"))
    assert again.returncode == 0 and "Reproduced bit for bit" in again.stdout, again.stdout + again.stderr
