"""Labels in Swedish and English for everything a report names, and numbers written as readers write them."""

from __future__ import annotations

import pytest

from sim.outcomes.catalogue import KEY_METRICS, SUBGROUPS
from sim.report.html import SECTION_KEYS
from sim.report.labels import (
    check_lang,
    fmt_diff,
    fmt_number,
    fmt_sci,
    fmt_sek,
    fmt_share,
    fmt_sig,
    fmt_value,
    higher_is_better,
    label,
    source_text,
)
from sim.scenario.schema import COST_ITEMS
from sim.states import STATES
from tests.report.helpers import tiny_comparison

RESOURCES = ("caseworker", "municipal_activity_places", "af_programme_places", "combined_programme_places")
COLUMNS = (
    "scenario", "metric", "subgroup", "mean", "se", "ci_low", "ci_high", "diff_vs_base", "diff_se", "diff_ci_low",
    "diff_ci_high", "var_paired", "var_independent", "ratio", "parameter", "base_value", "value", "base_source",
    "source", "year", "item", "payer", "cost_sek", "replication", "diff", "note", "file", "line", "scenarios",
)  # fmt: skip


def _labelled(keys, lang):
    return {key: label(key, lang) for key in keys if label(key, lang) == key}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_metric_of_a_real_run_has_a_label(lang):
    """Every metric a run produces, long_term_share_<year> included, has a label in both languages."""
    metrics = set()
    for results in tiny_comparison().results:
        metrics |= set(results.metrics["metric"])
    assert any(m.startswith("long_term_share_20") for m in metrics)
    assert _labelled(metrics | set(KEY_METRICS), lang) == {}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_subgroups_states_cost_items_payers_resources_columns_and_sections_have_labels(lang):
    """Nothing a report shows falls back to its identifier."""
    keys = (
        list(SUBGROUPS) + [s.value for s in STATES] + list(COST_ITEMS) + ["municipality", "state"]
        + list(RESOURCES) + list(COLUMNS) + [f"section.{k}" for k in SECTION_KEYS]
        + ["section.variance", "section.assumptions", "section.manifest"]
    )  # fmt: skip
    assert _labelled(keys, lang) == {}


def test_swedish_labels_follow_the_glossary():
    """The design card's Swedish terms."""
    expected = {
        "assistance": "Ekonomiskt bistånd",
        "municipal_activity": "Kommunal arbetsmarknadsinsats",
        "af_programme": "Program hos Arbetsförmedlingen",
        "combined_programme": "Kombinerat program",
        "employment": "Arbete",
        "subsidised_employment": "Subventionerad anställning",
        "studies": "Studier",
        "other_exit": "Annan utgång",
        "activity_support": "Aktivitetsstöd",
        "job_premium": "Jobbpremie",
        "municipality": "Kommunerna",
        "state": "Staten",
    }
    assert {key: label(key) for key in expected} == expected
    assert label("long_term_share_2027") == "Långvarigt biståndsmottagande 2027 (≥ 10 mån under året)"


def test_english_differs_from_swedish_and_unknown_keys_fall_back():
    """English labels are English; an unknown key shows as itself; an unknown language is an error."""
    assert label("employment_rate_12m", "en") == "In employment at 12 months"
    assert label("employment_rate_12m", "sv") == "I arbete efter 12 mån"
    assert label("no_such_key", "sv") == "no_such_key"
    with pytest.raises(ValueError, match="lang"):
        check_lang("de")


def test_swedish_numbers_use_a_space_for_thousands_and_a_decimal_comma():
    """1 234,5 in Swedish, 1,234.5 in English; a real minus sign; missing values as a dash."""
    assert fmt_number(1234.5, "sv", 1) == "1 234,5"
    assert fmt_number(1234567, "sv") == "1 234 567"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_number(-0.25, "sv", 2) == "−0,25"
    assert fmt_number(2.5, "sv", 1, sign=True) == "+2,5"
    assert fmt_number(float("nan"), "sv") == "–"
    assert fmt_sig(0.04123, "sv") == "0,0412"


def test_shares_are_percent_and_amounts_use_mnkr_or_mdkr():
    """Shares as percent (differences in percentage points), SEK in kr, mnkr or mdkr (SEK, MSEK, SEK bn)."""
    assert fmt_share(0.2734, "sv") == "27,3 %"
    assert fmt_share(0.2734, "en") == "27.3%"
    assert fmt_share(0.024, "sv", points=True) == "+2,4 %-enh."
    assert fmt_sek(12_345_000_000, "sv") == "12,3 mdkr"
    assert fmt_sek(456_700_000, "sv") == "457 mnkr"
    assert fmt_sek(8_900, "sv") == "8 900 kr"
    assert fmt_sek(-4_560_000, "en") == "−4.56 MSEK"
    assert fmt_sek(2.5e9, "en") == "2.50 SEK bn"
    assert fmt_value("median_months_to_work", 31.52, "sv") == "31,5 mån"
    assert fmt_value("employment_rate_24m", 0.353, "sv") == "35,3 %"
    assert fmt_diff("cost_total_sek", -3e8, "sv") == "−300 mnkr"
    assert fmt_sci(9.43e-5, "sv") == "9,43·10⁻⁵"


def test_better_direction_and_source_wording():
    """Which way is better for a metric, and compare's source wording in Swedish."""
    assert higher_is_better("employment_rate_24m") is True
    assert higher_is_better("cost_state_sek") is False
    assert higher_is_better("long_term_share_2026") is False
    assert source_text("design choice", "sv") == "designval"
    assert source_text("assumption: Assumption: set by hand", "sv") == "antagande: set by hand"
    assert source_text("design choice", "en") == "design choice"
