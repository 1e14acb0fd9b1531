"""Type cases: the model's budget of a household, line by line, against arithmetic done by hand from the rules.

Each file in ``typecases/`` is one household in one month under a shipped scenario, with every
budget line computed by hand from the published rules (its arithmetic and sources in the
file, not produced by the model). ``sim.household`` must give each line to the krona.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import sim
from sim.outcomes.budget import LINES
from tests.conftest import ROOT

CASES = sorted((Path(__file__).parent / "typecases").glob("*.yaml"))


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _model(case: dict) -> dict[str, float]:
    table = sim.household(
        ROOT / case["scenario"], case["date"], case["adults"], case.get("children", []), case["rent"], case["state"],
        case.get("earnings"), claims_housing_allowance=case.get("claims_housing_allowance", True),
        receives_maintenance=case.get("receives_maintenance", True),
    )  # fmt: skip
    return dict(zip(table["line"], table["amount_sek"]))


def test_there_are_at_least_ten_type_cases_covering_the_kinds_the_rules_treat_differently():
    cases = [_case(p) for p in CASES]
    assert len(cases) >= 10
    kinds = {(c["adults"], len(c.get("children", [])), c["state"]) for c in cases}
    assert {(1, 0, "assistance"), (2, 0, "assistance"), (1, 0, "af_programme"), (1, 0, "combined_programme")} <= kinds
    assert {n for a, n, _ in kinds if a == 1} >= {0, 1, 2, 3, 4}
    assert any("earnings" in c for c in cases) and any("reform_2026" in c["scenario"] for c in cases)
    assert {c["date"] for c in cases if c["title"].startswith("The same household")} == {"2026-01"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_line_matches_the_hand_computed_case_to_the_krona(path):
    case = _case(path)
    model = _model(case)
    assert set(case["lines"]) <= set(LINES)
    wrong = {line: (model[line], expected) for line, expected in case["lines"].items()
             if abs(model[line] - expected) > 0.5}  # fmt: skip
    assert not wrong, f"{path.name}: model vs hand {wrong}"
    assert case["arithmetic"] and case["sources"]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_lines_of_each_case_add_up(path):
    """needs = norm + rent + accepted costs; net = incomes − tax; disposable = net + assistance."""
    m = _model(_case(path))
    assert m["needs"] == pytest.approx(m["norm"] + m["rent"] + m["electricity"] + m["home_insurance"] + m["childcare_fee"])
    incomes = ("earnings", "activity_support", "programme_allowance", "child_allowance", "housing_allowance",
               "maintenance_support", "maintenance_from_parent", "other_income")  # fmt: skip
    assert m["gross_income"] == pytest.approx(sum(m[k] for k in incomes))
    assert m["tax"] == pytest.approx(m["tax_municipal"] + m["tax_regional"] + m["tax_state"] + m["tax_reductions"])
    assert m["net_income"] == pytest.approx(m["gross_income"] - m["tax"])
    assert m["disposable_income"] == pytest.approx(m["net_income"] + m["assistance"])
    assert m["assistance"] >= 0


def test_side_by_side_scenarios_show_the_difference_from_the_first():
    table = sim.household([ROOT / "scenarios/baseline.yaml", ROOT / "scenarios/reform_2026.yaml"], "2027-09", 2,
                          [8, 12], 9118)  # fmt: skip
    reform = table[table["scenario"] == "reform_2026"].set_index("line")
    assert reform.loc["norm", "difference_sek"] == pytest.approx(-0.046 * 17290)
    assert reform.loc["assistance", "difference_sek"] == pytest.approx(-0.046 * 17290)
    assert (table[table["scenario"] == "baseline"]["difference_sek"] == 0).all()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", "household", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip


CASE_ARGS = ("scenarios/baseline.yaml", "--date", "2025-11", "--adults", "1", "--children", "3,8", "--rent", "7500",
             "--state", "af_programme")  # fmt: skip


def test_the_command_prints_the_case_as_a_table_csv_and_json():
    table = _cli(*CASE_ARGS)
    assert table.returncode == 0, table.stderr
    assert "Försörjningsstöd" in table.stdout and "4 387" in table.stdout and "Bostadsbidrag" in table.stdout
    english = _cli(*CASE_ARGS, "--lang", "en")
    assert "Social assistance paid" in english.stdout
    csv = _cli(*CASE_ARGS, "--format", "csv")
    assert csv.stdout.splitlines()[0] == "scenario,line,group,amount_sek"
    case = json.loads(_cli(*CASE_ARGS, "--format", "json").stdout)
    for key in ("assistance", "disposable_income", "norm", "housing", "taxes", "earnings", "activity_support",
                "programme_allowance", "child_allowance", "housing_allowance", "maintenance_support", "other_income"):
        assert key in case, key
    assert case["assistance"] == pytest.approx(4387.43, abs=0.01) and case["housing"] == 7500
    assert case["taxes"]["total"] == pytest.approx(1676.60, abs=0.01)


def test_two_scenarios_side_by_side_in_json_carry_the_difference():
    out = _cli("scenarios/baseline.yaml", "scenarios/reform_2026.yaml", "--date", "2027-09", "--adults", "2",
               "--children", "8,12", "--rent", "9118", "--format", "json")  # fmt: skip
    cases = json.loads(out.stdout)
    assert [c["scenario"] for c in cases] == ["baseline", "reform_2026"]
    assert cases[1]["difference"]["assistance"] == pytest.approx(-795.34, abs=0.01)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--rent", "-5"), "--rent: must be an amount from 0"),
        (("--children", "3,30"), "--children: a child's age must be from 0 to 18"),
        (("--children", "3,x"), "--children: expected ages"),
        (("--state", "retired"), "--state: unknown state 'retired'"),
        (("--date", "2031-05"), "--date: 2031-05 is outside the rules of scenario 'baseline'"),
        (("--date", "May"), "--date: expected a month YYYY-MM"),
        (("--adults", "3"), "--adults: must be 1 or 2"),
        (("--earnings", "nan"), "--earnings: must be an amount"),
    ],
)
def test_bad_options_are_a_clear_message_and_exit_2(args, message):
    base = {"--date": "2025-11", "--adults": "1", "--rent": "7500"}
    given = dict(zip(args[::2], args[1::2]))
    argv = ["scenarios/baseline.yaml", *np.ravel([[k, v] for k, v in {**base, **given}.items()]).tolist()]
    out = _cli(*argv)
    assert out.returncode == 2
    assert message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_a_bad_scenario_file_is_named_with_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    out = _cli(str(bad), "--date", "2025-11", "--adults", "1")
    assert out.returncode == 2 and "bad.yaml" in out.stderr and "Traceback" not in out.stderr
