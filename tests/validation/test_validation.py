"""Tests of sim.validation: the report's sections and self-containment, the cross-validity cases, the records."""

from __future__ import annotations

import csv
import math
import re
from functools import lru_cache

import pytest

from sim.api import validation_report
from sim.experiments.validation import cross_validation
from sim.experiments.validation.cross import programme_allowance_three_children_2026, single_parent_october_2025
from sim.experiments.validation.evidence import ValidationInputs, gather_inputs
from sim.experiments.validation.external import ExternalRecord, records_frame
from sim.report.validation import VALIDATION_SECTIONS, write_validation_report
from sim.states import State
from tests.report.helpers import Page

HEADINGS_SV = {
    "face": "Ytvaliditet", "verification": "Verifiering", "cross": "Korsvaliditet",
    "external": "Extern validitet", "predictive": "Prediktiv validitet",
}  # fmt: skip


@lru_cache(maxsize=1)
def _inputs() -> ValidationInputs:
    """Everything the quick report shows, computed once per test process (about 8 s)."""
    return gather_inputs(quick=True)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    path = write_validation_report(out, _inputs(), command="sim validate-report --quick")
    text = path.read_text(encoding="utf-8")
    return out, path, text, Page(text)


def test_report_has_the_five_validation_sections(written):
    out, path, text, page = written
    assert path == out / "validation.html"
    ids = re.findall(r'<section id="([a-z]+)"><h2>([^<]+)</h2>', text)
    assert [i for i, _ in ids] == list(VALIDATION_SECTIONS)
    for key, heading in ids:
        assert HEADINGS_SV[key] in heading
    assert 'id="calibration"' in text and 'id="assumptions"' in text
    assert '<html lang="sv">' in text


def test_report_loads_nothing_from_elsewhere(written):
    _, _, text, page = written
    for tag, attributes in page.tags:
        for name in ("src", "href"):
            value = attributes.get(name, "")
            assert not value.startswith(("http://", "https://", "//")), (tag, name, value)
    assert all(a.get("src") is None for t, a in page.tags if t == "script")
    assert page.count("link") == 0
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)


def test_csv_files_are_written(written):
    out, _, _, _ = written
    with open(out / "validation.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == [r.name for r in _inputs().records]
    assert len(rows) == 4
    assert {r["verdict"] for r in rows} <= {"within", "outside"}
    with open(out / "verification.csv", encoding="utf-8") as f:
        checks = list(csv.DictReader(f))
    assert len(checks) == len(_inputs().checks) > 0
    assert (out / "cross_validation.csv").is_file() and (out / "calibration_fit.csv").is_file()


def test_english_report(tmp_path):
    path = write_validation_report(tmp_path, _inputs(), lang="en")
    text = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Face validity" in text and "Predictive validity" in text


def test_unknown_language_is_refused_before_running(tmp_path):
    with pytest.raises(ValueError):
        validation_report(tmp_path, quick=True, lang="de")
    assert not (tmp_path / "validation.html").exists()


def test_single_parent_october_2025_computes_exactly():
    case = single_parent_october_2025()
    support = 365 * 21.67
    needs = 12460 + 6700 + 670 + 200 + 0.04 * support
    tax = (62600 * (0.2071 + 0.1170) - 0.0075 * 22600) / 12
    assert case.expected == pytest.approx(needs - (support + 2650 + 4200 + 2 * 1673 - tax), abs=1e-9)
    assert case.model == pytest.approx(3917.43, abs=0.005)
    assert case.passed


def test_programme_allowance_three_children_computes_through_the_lever():
    case = programme_allowance_three_children_2026()
    assert case.expected == pytest.approx(59200 * (0.0475 + 0.0033 + 0.0021 + 0.0011) * 30 / 7, abs=1e-9)
    # the scenario writes 30/7 weeks per month to ten decimals: the lever reproduces the rule to the öre
    assert case.model == pytest.approx(case.expected, abs=1e-6)
    assert case.passed


def test_every_cross_case_passes():
    assert all(c.passed for c in cross_validation())


def test_external_records_have_fields_and_verdict():
    records = _inputs().records
    assert [r.name for r in records] == [
        "kvp_work_8m", "kvp_effect_48m", "activity_work_15m", "supported_employment_gain_15m",
    ]  # fmt: skip
    for r in records:
        assert isinstance(r, ExternalRecord)
        assert r.verdict in ("within", "outside")
        assert r.verdict == ("within" if r.lower <= r.model <= r.upper else "outside")
        assert math.isfinite(r.model) and math.isfinite(r.published)
        assert r.ci_low <= r.model <= r.ci_high
        assert r.source and r.comparability and r.persons > 0
    assert records[0].published == 0.40 and records[1].published == 0.18
    assert (records[3].lower, records[3].upper) == (0.03, 0.11)
    programme_rate = _inputs().programme.transitions[State.COMBINED_PROGRAMME][State.EMPLOYMENT].rate
    assert f"{programme_rate:.3f}".replace(".", ",") in records[0].comparability  # the text follows the scenario
    assert records[1].months >= 72
    frame = records_frame(records)
    assert {"name", "model", "ci_low", "ci_high", "published", "source", "comparability", "verdict"} <= set(frame)


def test_state_at_and_first_starts_on_a_hand_made_log():
    import numpy as np
    import pandas as pd

    from sim.experiments.validation.external import first_starts, state_at
    from sim.states import STATE_INDEX, State

    a, m, w = (STATE_INDEX[s] for s in (State.ASSISTANCE, State.MUNICIPAL_ACTIVITY, State.EMPLOYMENT))
    spells = pd.DataFrame({
        "replication": [0, 0, 0, 0, 0, 0],
        "person_id": [1, 1, 1, 2, 2, 3],
        "state": np.array([a, m, w, m, a, a], dtype=np.int8),
        "start": [0.0, 2.0, 10.0, 0.0, 5.0, 0.0],
        "end": [2.0, 10.0, 30.0, 5.0, 30.0, 30.0],
    })  # fmt: skip
    starts = first_starts(spells, State.MUNICIPAL_ACTIVITY, latest=20.0)
    assert starts[["person_id", "start"]].values.tolist() == [[1, 2.0]]  # person 2's spell began at time 0
    who = pd.DataFrame({"replication": [0, 0, 0], "person_id": [1, 2, 9], "time": [17.0, 3.0, 1.0]})
    assert state_at(spells, who).tolist() == [w, m, -1]
