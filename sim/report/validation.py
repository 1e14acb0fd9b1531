"""The validation report: ``validation.html`` by the five ISPOR-SMDM validation types, with its tables as CSV.

Sections (Eddy et al. 2012, ISPOR-SMDM Modeling Good Research Practices, part 7):

1. face validity — the model's structure and assumptions in plain words: states,
   hazards, resources and every parameter without a cited source;
2. verification — :func:`sim.experiments.verification.run_checks`, the engine against the mathematics;
3. cross-validity — benefit amounts against hand-computed cases (:mod:`sim.experiments.validation.cross`);
4. external validity — held-out published outcomes (:mod:`sim.experiments.validation.external`), and
   the calibration fit (dependent validation: the targets the model was set against);
5. predictive validity — what would be needed to test forecasts.

The page follows the comparison report's conventions: one self-contained file
(plotly.js inlined once, system fonts, nothing loaded from elsewhere), Swedish by
default, written atomically. Beside it: ``validation.csv`` (external records),
``verification.csv``, ``cross_validation.csv`` and ``calibration_fit.csv``.

Example::

    inputs = gather_inputs(quick=True)                            # sim.experiments.validation.evidence
    write_validation_report("results/validation", inputs)       # -> results/validation/validation.html
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from sim.experiments.validation.evidence import ValidationInputs
from sim.experiments.validation.external import ExternalRecord, records_frame  # fmt: skip
from sim.experiments.verification import CheckResult
from sim.files import write_csv, write_text
from sim.report.html import page
from sim.report.labels import check_lang, fmt_number, fmt_share, label
from sim.report.markup import chart, esc, table
from sim.report.style import base_layout
from sim.report.validation_text import (
    CALIBRATION_TEXT,
    CROSS_TEXT,
    EXTERNAL_TEXT,
    FACE_TEXT,
    PREDICTIVE,
    STATE_TEXT,
    VERIFICATION_TEXT,
    T,
)  # fmt: skip
from sim.states import STATES

__all__ = ["write_validation_report", "render_validation_report", "VALIDATION_SECTIONS"]

#: Section ids in page order, the five ISPOR-SMDM validation types.
VALIDATION_SECTIONS = ("face", "verification", "cross", "external", "predictive")

# ----------------------------------------------------------------------------- sections


def _num(value: float | None, lang: str, decimals: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    magnitude = abs(value)
    if magnitude >= 1000:
        decimals = 0
    elif magnitude >= 1:
        decimals = min(decimals, 3)
    return fmt_number(value, lang, decimals)


def _verdict(ok: bool, lang: str, words: tuple[str, str]) -> str:
    text = T[lang][words[0] if ok else words[1]]
    return f'<span class="{"better" if ok else "worse"}">{esc(text)}</span>'


def _section(key: str, lang: str, body: str) -> str:
    return f'<section id="{key}"><h2>{esc(T[lang][key])}</h2>\n{body}\n</section>\n'


def _face(inputs: ValidationInputs, lang: str) -> str:
    t = T[lang]
    en = lang == "en"
    states = table(
        ["Tillstånd" if not en else "State", "Kod" if not en else "Code", "Innebörd" if not en else "Meaning"],
        [[esc(label(s.value, lang)), f"<code>{esc(s.value)}</code>", esc(STATE_TEXT[s.value][int(en)])]
         for s in STATES],
        table_id="states-table", wide=(2,),
    )  # fmt: skip
    hazard_rows = []
    for origin, destinations in inputs.programme.transitions.items():
        for dest, tr in destinations.items():
            hazard_rows.append([
                esc(label(origin.value, lang)), esc(label(dest.value, lang)),
                _num(tr.rate, lang), _num(tr.shape, lang, 2),
                esc(inputs.programme.name if origin.value == "combined_programme" or dest.value == "combined_programme"
                    else inputs.baseline.name),
            ])  # fmt: skip
    hazards = table(
        ["Från" if not en else "From", "Till" if not en else "To",
         "Intensitet per månad" if not en else "Hazard per month", "Form (shape)" if not en else "Shape",
         "Scenario"],
        hazard_rows, table_id="hazards-table", numeric=(2, 3),
    )  # fmt: skip
    cap = inputs.programme.capacity
    cw = inputs.baseline.caseworker
    unlimited = "obegränsat" if not en else "unlimited"
    resources = table(
        ["Resurs" if not en else "Resource", "Värde" if not en else "Value"],
        [
            [esc(label("municipal_activity", lang)), esc(_cap(cap.municipal_activity_places, lang, unlimited))],
            [esc(label("af_programme", lang)), esc(_cap(cap.af_programme_places, lang, unlimited))],
            [esc(label("combined_programme", lang)) + " (combined_programme)",
             esc(_cap(cap.combined_programme_places, lang, unlimited))],
            ["Handläggare" if not en else "Caseworkers", esc(_cap(cap.caseworkers, lang, unlimited))],
            ["Hushåll per handläggare" if not en else "Households per caseworker",
             _num(cw.households_per_caseworker, lang)],
            ["Utredningstimmar per nytt ärende" if not en else "Assessment hours per new case",
             _num(cw.assessment_hours, lang)],
            ["Beslutsfördröjning (månader)" if not en else "Decision delay (months)",
             _num(cw.decision_delay_months, lang)],
        ],
        table_id="resources-table", numeric=(1,),
    )  # fmt: skip
    # One row per note: parameters set by the same note are listed together.
    seen: set[tuple[str, str]] = set()
    grouped: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for scenario in (inputs.baseline, inputs.programme):
        for p in scenario.assumptions():
            if (p.path, p.file) in seen:
                continue
            seen.add((p.path, p.file))
            grouped.setdefault((p.note or "", Path(p.file).name), []).append((p.path, p.line))
    rows = [
        ["<br>".join(f"<code>{esc(path)}</code>" for path, _ in params), esc(note),
         esc(f"{file}:{min(line for _, line in params)}")]
        for (note, file), params in grouped.items()
    ]  # fmt: skip
    n_params = len(seen)
    assumptions = table(
        ["Parameter", "Not: hur värdet satts" if not en else "Note: how the value was set",
         "Fil:rad" if not en else "File:line"],
        rows, table_id="assumptions-table", wide=(1,),
    )  # fmt: skip
    count = (f"{n_params} parametrar utan källa i baslinjen och det kombinerade programmet, satta med "
             f"{len(rows)} olika noter." if not en else
             f"{n_params} parameters without a source in the baseline and the combined programme, set by "
             f"{len(rows)} different notes.")  # fmt: skip
    return _section("face", lang, (
        f"<p>{esc(FACE_TEXT[lang])}</p>\n<h3>{esc(t['states'])}</h3>\n{states}\n<h3>{esc(t['hazards'])}</h3>\n"
        f"{hazards}\n<h3>{esc(t['resources'])}</h3>\n{resources}\n<h3 id=\"assumptions\">{esc(t['assumptions'])}"
        f"</h3>\n<p>{esc(count)}</p>\n{assumptions}"
    ))  # fmt: skip


def _cap(value: int | None, lang: str, unlimited: str) -> str:
    return unlimited if value is None else fmt_number(value, lang)


def _verification(inputs: ValidationInputs, lang: str) -> str:
    en = lang == "en"
    rows = [
        [esc(c.name) + (f'<span class="where">{esc(c.detail)}</span>' if c.detail else ""),
         _num(c.observed, lang), _num(c.expected, lang), _num(c.se, lang),
         "–" if c.z is None else fmt_number(c.z, lang, 2), esc(c.rule), _verdict(c.passed, lang, ("pass", "fail"))]
        for c in inputs.checks
    ]  # fmt: skip
    passed = sum(c.passed for c in inputs.checks)
    summary = (f"{passed} av {len(inputs.checks)} kontroller godkända." if not en
               else f"{passed} of {len(inputs.checks)} checks passed.")  # fmt: skip
    body = table(
        ["Kontroll" if not en else "Check", "Observerat" if not en else "Observed",
         "Förväntat" if not en else "Expected", "Medelfel" if not en else "SE", "z",
         "Regel" if not en else "Rule", "Resultat" if not en else "Result"],
        rows, table_id="verification-table", numeric=(1, 2, 3, 4), wide=(0,),
    )  # fmt: skip
    return _section("verification", lang, f"<p>{esc(VERIFICATION_TEXT[lang])}</p>\n<p>{esc(summary)}</p>\n{body}")


def _cross(inputs: ValidationInputs, lang: str) -> str:
    en = lang == "en"
    rows = [
        [esc(c.title_en if en else c.title) + f'<span class="where">{esc(c.source)}</span>',
         esc(c.formula) + (f'<span class="where">{esc(c.note)}</span>' if c.note else ""),
         fmt_number(c.expected, lang, 2), fmt_number(c.model, lang, 2), fmt_number(c.difference, lang, 4),
         _num(c.tolerance, lang, 6), _verdict(c.passed, lang, ("pass", "fail"))]
        for c in inputs.cases
    ]  # fmt: skip
    body = table(
        ["Fall" if not en else "Case", "Handräkning" if not en else "By hand",
         "Enligt regeln (kr)" if not en else "By the rule (SEK)", "Modellen (kr)" if not en else "Model (SEK)",
         "Skillnad (kr)" if not en else "Difference (SEK)", "Tolerans (kr)" if not en else "Tolerance (SEK)",
         "Resultat" if not en else "Result"],
        rows, table_id="cross-table", numeric=(2, 3, 4, 5), wide=(0, 1),
    )  # fmt: skip
    return _section("cross", lang, f"<p>{esc(CROSS_TEXT[lang])}</p>\n{body}")


def _share_or_effect(value: float, lang: str, effect: bool) -> str:
    if not math.isfinite(value):
        return "–"
    return fmt_share(value, lang, 1, points=False) if not effect else (
        ("+" if value >= 0 else "") + fmt_share(value, lang, 1)
    )


def _external_chart(records: Sequence[ExternalRecord], lang: str) -> str:
    names = [r.title_en.split(":")[0] + f" ({r.name})" if lang == "en" else r.title.split(":")[0] + f" ({r.name})"
             for r in records]  # fmt: skip
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=names, x=[100 * (r.upper - r.lower) for r in records], base=[100 * r.lower for r in records],
        orientation="h", marker={"color": "rgba(120,120,120,0.25)"},
        name="Publicerat värde ± tolerans" if lang == "sv" else "Published value ± tolerance",
        hoverinfo="skip",
    ))  # fmt: skip
    fig.add_trace(go.Scatter(
        y=names, x=[100 * r.published for r in records], mode="markers",
        marker={"symbol": "line-ns-open", "size": 22, "color": "#222", "line": {"width": 3}},
        name="Publicerat värde" if lang == "sv" else "Published value",
    ))  # fmt: skip
    fig.add_trace(go.Scatter(
        y=names, x=[100 * r.model for r in records], mode="markers", marker={"size": 11, "color": "#4E79A7"},
        error_x={"type": "data", "symmetric": False,
                 "array": [100 * (r.ci_high - r.model) if math.isfinite(r.ci_high) else 0 for r in records],
                 "arrayminus": [100 * (r.model - r.ci_low) if math.isfinite(r.ci_low) else 0 for r in records]},
        name="Modellen (95 % KI)" if lang == "sv" else "Model (95 % CI)",
    ))  # fmt: skip
    title = "Modellen mot publicerade utfall" if lang == "sv" else "The model against published outcomes"
    base_layout(fig, title, lang, height=360)
    fig.update_xaxes(title_text="Procent" if lang == "sv" else "Percent", ticksuffix=" %")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin={"l": 260})
    return chart(fig, "external")


def _external(inputs: ValidationInputs, lang: str) -> str:
    t = T[lang]
    en = lang == "en"
    rows = []
    for r in inputs.records:
        effect = r.name.startswith("kvp_effect")
        interval = f"{_share_or_effect(r.ci_low, lang, effect)} – {_share_or_effect(r.ci_high, lang, effect)}"
        rows.append([
            esc(r.title_en if en else r.title), _share_or_effect(r.model, lang, effect), esc(interval),
            esc(r.published_text), esc(r.tolerance), _verdict(r.verdict == "within", lang, ("within", "outside")),
            fmt_number(r.persons, lang, 0),
        ])  # fmt: skip
    body = table(
        ["Jämförelse" if not en else "Comparison", "Modellen" if not en else "Model",
         "95 % KI" if not en else "95 % CI", "Publicerat" if not en else "Published",
         "Tolerans" if not en else "Tolerance", "Dom" if not en else "Verdict",
         "Personer per replikering" if not en else "Persons per replication"],
        rows, table_id="external-table", numeric=(1, 2, 6), wide=(0,),
    )  # fmt: skip
    source_word, comparable_word = ("Källa", "Jämförbarhet") if not en else ("Source", "Comparability")
    body += "".join(
        f'<h3 id="external-{esc(r.name)}">{esc(r.title_en if en else r.title)}</h3>\n'
        f"<p><strong>{source_word}:</strong> {esc(r.source)}</p>\n"
        f"<p><strong>{comparable_word}:</strong> {esc(r.comparability)}</p>\n"
        for r in inputs.records
    )
    r0 = inputs.records[0] if inputs.records else None
    runs = ""
    if r0 is not None:
        runs = (f"Baslinjen och det kombinerade programmet med samma slumpfrö, {r0.replications} replikeringar, "
                f"{r0.months} månader (förlängt från scenariernas 48 för uppföljningen 48 månader efter start)."
                if not en else
                f"The baseline and the combined programme on the same seed, {r0.replications} replications, "
                f"{r0.months} months (extended from the scenarios' 48 for the 48-month follow-up).")  # fmt: skip
    fit = inputs.fit
    fit_rows = [
        [esc(str(row["target"])),
         esc(label(str(row["metric"]), lang)
             + ("" if row["subgroup"] == "all" else f" – {label(str(row['subgroup']), lang).lower()}")),
         str(int(row["year"])),
         _num(float(row["model"]), lang), f"{_num(float(row['ci_low']), lang)} – {_num(float(row['ci_high']), lang)}",
         _num(float(row["target_value"]), lang), _num(float(row["error"]), lang), _num(float(row["tolerance"]), lang),
         _verdict(bool(row["within"]), lang, ("within", "outside"))
         + ("" if row["role"] == "calibration" else f" ({t['context']})")]
        for _, row in fit.iterrows()
    ]  # fmt: skip
    fit_table_html = table(
        ["Mål" if not en else "Target", "Mått" if not en else "Metric", "År" if not en else "Year",
         "Modellen" if not en else "Model", "95 % KI" if not en else "95 % CI", "Mål­värde" if not en else "Target value",
         "Fel" if not en else "Error", "Tolerans" if not en else "Tolerance", "Dom" if not en else "Verdict"],
        fit_rows, table_id="calibration-table", numeric=(3, 4, 5, 6, 7),
    )  # fmt: skip
    s = inputs.fit_settings
    fit_meta = (f"Baslinjen, {s.replications} replikeringar, skala {s.scale}, {s.months} månader."
                if not en else f"The baseline, {s.replications} replications, scale {s.scale}, {s.months} months.")
    calibration_rows = fit[fit["role"] == "calibration"]
    within = int(calibration_rows["within"].sum())
    fit_meta += (f" {within} av {len(calibration_rows)} kalibreringsmål inom toleransen; "
                 f"{len(fit) - len(calibration_rows)} jämförelser visas som sammanhang (andra år eller "
                 "definitioner), utan att ha anpassats." if not en
                 else f" {within} of {len(calibration_rows)} calibration targets within tolerance; "
                 f"{len(fit) - len(calibration_rows)} comparisons are shown as context (other years or "
                 "definitions), not fitted.")  # fmt: skip
    return _section("external", lang, (
        f"<p>{esc(EXTERNAL_TEXT[lang])}</p>\n<p class=\"meta\">{esc(runs)}</p>\n{body}\n"
        f"{_external_chart(inputs.records, lang) if inputs.records else ''}"
        f"<h3 id=\"calibration\">{esc(t['calibration'])}</h3>\n<p>{esc(CALIBRATION_TEXT[lang])}</p>\n"
        f"<p class=\"meta\">{esc(fit_meta)}</p>\n{fit_table_html}"
    ))  # fmt: skip


def _predictive(lang: str) -> str:
    first, *needs = PREDICTIVE[lang]
    intro = "Det som skulle behövas:" if lang == "sv" else "What would be needed:"
    items = "".join(f"<li>{esc(n)}</li>" for n in needs)
    return _section("predictive", lang, f"<p>{esc(first)}</p>\n<p>{esc(intro)}</p>\n<ul>{items}</ul>")


def render_validation_report(inputs: ValidationInputs, lang: str = "sv", command: str = "") -> str:
    """The validation report as one self-contained HTML string."""
    check_lang(lang)
    t = T[lang]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    size = t["quick"] if inputs.quick else t["full"]
    meta = t["meta"].format(when=when, size=size)
    contents = "".join(f'<li><a href="#{k}">{esc(t[k])}</a></li>' for k in VALIDATION_SECTIONS)
    body = (
        _face(inputs, lang) + _verification(inputs, lang) + _cross(inputs, lang) + _external(inputs, lang)
        + _predictive(lang)
    )  # fmt: skip
    took = (f"Beräkningstid {inputs.seconds:.0f} s." if lang == "sv" else f"Computed in {inputs.seconds:.0f} s.")
    footer = f'<footer id="manifest"><p class="meta">{esc(took)}</p>'
    if command:
        footer += f'<pre class="command">{esc(command)}</pre>'
    footer += "</footer>\n"
    header = (f"<header><h1>{esc(t['title'])}</h1><p class=\"meta\">{esc(meta)}</p>"
              f"<nav><h2>{esc(t['contents'])}</h2><ol>{contents}</ol></nav></header>\n")
    return page(t["title"], lang, header + body + footer)


def _checks_frame(checks: Sequence[CheckResult]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"check": c.name, "observed": c.observed, "expected": c.expected, "se": c.se, "z": c.z, "rule": c.rule,
          "passed": c.passed, "detail": c.detail} for c in checks],
        columns=["check", "observed", "expected", "se", "z", "rule", "passed", "detail"],
    )  # fmt: skip


def write_validation_report(
    out_dir: str | os.PathLike[str], inputs: ValidationInputs, lang: str = "sv", command: str = ""
) -> Path:
    """Write ``validation.html`` and its CSV tables to ``out_dir``; returns the HTML's path.

    Args:
        out_dir: the folder (created if needed).
        inputs: what the validation computed (:func:`sim.experiments.validation.evidence.gather_inputs`).
        lang: "sv" (default) or "en".
        command: the command line, shown in the footer.

    Files: ``validation.html``, ``validation.csv`` (external records), ``verification.csv``,
    ``cross_validation.csv`` and ``calibration_fit.csv``, each written atomically, the HTML last.

    Raises:
        ValueError: an unknown language (before anything runs).
    """
    check_lang(lang)
    out = Path(out_dir)
    write_csv(records_frame(inputs.records), out / "validation.csv")
    write_csv(_checks_frame(inputs.checks), out / "verification.csv")
    write_csv(pd.DataFrame([c.as_dict() for c in inputs.cases]), out / "cross_validation.csv")
    write_csv(inputs.fit, out / "calibration_fit.csv")
    return write_text(out / "validation.html", render_validation_report(inputs, lang, command))
