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

    write_validation_report("results/validation", quick=True)   # -> results/validation/validation.html
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from sim.experiments.calibration import DEFAULT_TARGETS, fit_table, load_targets
from sim.experiments.runner import Results, run
from sim.experiments.settings import RunSettings
from sim.experiments.validation.cross import CrossCase, cross_validation
from sim.experiments.validation.external import (
    DEFAULT_SIZES,
    QUICK_SIZES,
    SCENARIOS_DIR,
    ExternalRecord,
    external_runs,
    external_validation,
    records_frame,
)  # fmt: skip
from sim.experiments.verification import CheckResult, run_checks
from sim.files import write_atomic
from sim.report.html import page
from sim.report.labels import check_lang, fmt_number, fmt_share, label
from sim.report.markup import chart, esc, table
from sim.report.style import base_layout
from sim.scenario import Scenario, load_scenario
from sim.states import STATES

__all__ = ["write_validation_report", "render_validation_report", "VALIDATION_SECTIONS", "ValidationInputs",
           "gather_inputs"]  # fmt: skip

#: Section ids in page order, the five ISPOR-SMDM validation types.
VALIDATION_SECTIONS = ("face", "verification", "cross", "external", "predictive")

_T: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Validering av modellen",
        "meta": "Skapad {when}. {size}. Ordnad efter de fem valideringstyperna i ISPOR-SMDM:s riktlinjer "
        "(Eddy m.fl. 2012).",
        "quick": "Snabb storlek (--quick): få replikeringar och liten skala, bara för att visa att allt fungerar",
        "full": "Full storlek",
        "contents": "Innehåll",
        "face": "1. Ytvaliditet: modellens struktur och antaganden",
        "verification": "2. Verifiering: gör motorn det matematiken säger?",
        "cross": "3. Korsvaliditet: belopp mot handräknade fall",
        "external": "4. Extern validitet: jämförelse med publicerade utfall",
        "predictive": "5. Prediktiv validitet: vad som skulle behövas",
        "calibration": "Kalibreringsanpassning (beroende validering)",
        "states": "Tillstånd",
        "hazards": "Övergångsintensiteter i baslinjen",
        "resources": "Resurser och kapacitet",
        "assumptions": "Antaganden (parametrar utan angiven källa)",
        "pass": "godkänd", "fail": "underkänd", "within": "inom", "outside": "utanför", "context": "sammanhang",
        "yes": "ja", "no": "nej",
    },
    "en": {
        "title": "Validation of the model",
        "meta": "Created {when}. {size}. Organised by the five validation types of the ISPOR-SMDM guidelines "
        "(Eddy et al. 2012).",
        "quick": "Quick size (--quick): few replications and a small scale, only to show that everything works",
        "full": "Full size",
        "contents": "Contents",
        "face": "1. Face validity: the model's structure and assumptions",
        "verification": "2. Verification: does the engine do what the mathematics says?",
        "cross": "3. Cross-validity: amounts against hand-computed cases",
        "external": "4. External validity: comparison with published outcomes",
        "predictive": "5. Predictive validity: what would be needed",
        "calibration": "Calibration fit (dependent validation)",
        "states": "States",
        "hazards": "Transition hazards in the baseline",
        "resources": "Resources and capacity",
        "assumptions": "Assumptions (parameters without a cited source)",
        "pass": "pass", "fail": "fail", "within": "within", "outside": "outside", "context": "context",
        "yes": "yes", "no": "no",
    },
}  # fmt: skip

_STATE_TEXT = {
    "assistance": ("Hushållet får ekonomiskt bistånd utan insats.", "The household receives assistance, no activity."),
    "municipal_activity": ("Kommunal arbetsmarknadsinsats (AME); bistånd betalas vid behov.",
                           "Municipal labour-market activity; assistance paid where needed."),
    "af_programme": ("Arbetsförmedlingens program med aktivitetsstöd, som räknas som inkomst.",
                     "Arbetsförmedlingen's programme with activity support, counted as income."),
    "combined_programme": ("Kombinerat program (bara med hävstången): ett år på heltid, statlig ersättning.",
                           "Combined programme (only with its lever): one full-time year, state allowance."),
    "employment": ("Osubventionerat arbete; inget bistånd.", "Unsubsidised work; no assistance."),
    "subsidised_employment": ("Subventionerad anställning; staten betalar subventionen.",
                              "Subsidised employment; the state pays the subsidy."),
    "studies": ("Studier med studiemedel; inget bistånd.", "Studies on student finance; no assistance."),
    "other_exit": ("Annat utträde (sjukersättning, flytt m.m.); kan återvända.",
                   "Other exit (disability benefit, moving, …); may return."),
}  # fmt: skip

_FACE_TEXT = {
    "sv": (
        "Varje simulerad person är sökande i ett hushåll och befinner sig i exakt ett tillstånd åt gången. "
        "Övergångar sker i kontinuerlig tid som konkurrerande risker: varje möjlig destination har en "
        "intensitet (per månad, Weibull-form när shape ≠ 1), som multipliceras med riskkvoter för kön, "
        "födelseland, huvudsakligt hinder och en individuell skörhet, och som kan falla med tiden i "
        "tillståndet (varaktighetsberoende). Platser i insatser och handläggare är begränsade resurser: "
        "den som remitteras väntar i kö tills en plats är ledig. Pengar räknas efteråt per kalendermånad: "
        "bistånd = max(0, norm + hyra − inkomster), där barnbidrag, aktivitetsstöd och programersättning "
        "räknas som inkomst. Varje tal i scenariofilen anger sin källa eller är markerat som antagande; "
        "antagandena listas nedan med den not som säger hur de satts."
    ),
    "en": (
        "Each simulated person is the applicant of one household and is in exactly one state at a time. "
        "Transitions happen in continuous time as competing risks: each allowed destination has a hazard "
        "(per month, Weibull-shaped when shape ≠ 1), multiplied by hazard ratios for sex, country of birth, "
        "main barrier and an individual frailty, and it may fall with time in the state (duration "
        "dependence). Places in activities and caseworkers are limited resources: a referred person queues "
        "until a place is free. Money is computed afterwards per calendar month: assistance = max(0, norm + "
        "rent − income), with child allowance, activity support and programme allowance counted as income. "
        "Every number in a scenario file cites its source or is marked as an assumption; the assumptions are "
        "listed below with the note saying how each was set."
    ),
}
_VERIFICATION_TEXT = {
    "sv": "Varje kontroll simulerar en uppställning vars svar är känt exakt eller i fördelning. Statistiska "
    "kontroller godkänns när |z| ≤ 4; identiteter när den relativa skillnaden är högst toleransen.",
    "en": "Each check simulates a set-up whose answer is known exactly or in distribution. Statistical checks "
    "pass when |z| ≤ 4; identities when the relative difference is within the tolerance.",
}
_CROSS_TEXT = {
    "sv": "Samma kod som simuleringen använder för pengar räknar ut beloppen för ett hushåll i taget; de jämförs "
    "med beloppen räknade för hand ur de publicerade reglerna.",
    "en": "The code the simulation uses for money computes the amounts for one household at a time; they are "
    "compared with the amounts worked out by hand from the published rules.",
}
_EXTERNAL_TEXT = {
    "sv": "Publicerade utfall som inte användes vid kalibreringen. Modellvärdet är medelvärdet över "
    "replikeringar med 95 % konfidensintervall; domen gäller om medelvärdet ligger inom det angivna "
    "toleransintervallet kring det publicerade värdet. Kolumnen om jämförbarhet säger var modellen missar och varför.",
    "en": "Published outcomes not used in calibration. The model value is the mean over replications with its "
    "95 % confidence interval; the verdict says whether the mean lies in the stated tolerance band around the "
    "published value. The comparability column says where the model misses and why.",
}
_CALIBRATION_TEXT = {
    "sv": "Baslinjen mot målen i calibration/targets.yaml. Inflödet och utflödena ur biståndet till arbete "
    "och till Arbetsförmedlingens program anpassades med sim calibrate mot dessa mål "
    "(calibration/baseline/), så de är ingen oberoende validering; de visar hur väl anpassningen håller "
    "vid baslinjens egen storlek. Mål markerade som sammanhang (andra år eller definitioner) visas men "
    "anpassades inte.",
    "en": "The baseline against the targets in calibration/targets.yaml. The inflow and the exits from "
    "assistance to work and to AF programmes were fitted to these targets with sim calibrate "
    "(calibration/baseline/), so they are not an independent validation; they show how well the fit holds "
    "at the baseline's own size. Targets marked as context (other years or definitions) are shown but "
    "were not fitted.",
}
_PREDICTIVE = {
    "sv": [
        "Ingen prediktiv validering är gjord: modellen har ännu inte förutsagt något som sedan kunnat observeras.",
        "Registerdata på individnivå om månatliga utflöden ur ekonomiskt bistånd per destination (arbete, "
        "studier, andra ersättningar) och per varaktighet, från Socialstyrelsens register över ekonomiskt "
        "bistånd kopplat till SCB:s sysselsättningsregister och Arbetsförmedlingens programdata.",
        "Uppföljning efter 2026 års reformer (aktivitetskrav, bidragstak, höjt aktivitetsstöd): modellens "
        "prognos för 2026–2028, gjord och arkiverad innan utfallet publiceras, jämförs med Socialstyrelsens "
        "årsstatistik (hushåll med bistånd, utbetalt belopp, andel långvarigt).",
        "Kommunvisa införanden (stegvis eller med jämförelsekommuner) av kombinerade program, så att effekten "
        "kan skattas med samma metod som Markussen & Røed använde för KVP.",
        "Utfall för insatsdeltagare 6, 12, 24 och 48 månader efter start, per kön, födelseland och hinder, "
        "för att pröva covariateffekterna och varaktighetsberoendet.",
        "Kostnadsuppgifter per insatsmånad från kommunernas räkenskaper (Kolada) för att pröva kostnadsposterna.",
    ],
    "en": [
        "No predictive validation has been done: the model has not yet forecast anything later observed.",
        "Individual register data on monthly exits from social assistance by destination (work, studies, other "
        "benefits) and by duration, from Socialstyrelsen's register linked to SCB's employment register and "
        "Arbetsförmedlingen's programme data.",
        "Follow-up after the 2026 reforms (activity requirement, benefit cap, higher activity support): the "
        "model's forecast for 2026–2028, made and archived before the outcome is published, compared with "
        "Socialstyrelsen's annual statistics (households, amount paid, long-term share).",
        "Municipality-by-municipality roll-outs (staggered or with comparison municipalities) of combined "
        "programmes, so that the effect can be estimated as Markussen & Røed did for KVP.",
        "Outcomes of activity participants 6, 12, 24 and 48 months after start, by sex, country of birth and "
        "barrier, to test the covariate effects and duration dependence.",
        "Costs per activity month from municipal accounts (Kolada) to test the cost items.",
    ],
}


class ValidationInputs:
    """Everything the report shows, computed once (see :func:`gather_inputs`)."""

    def __init__(
        self,
        quick: bool,
        baseline: Scenario,
        programme: Scenario,
        checks: list[CheckResult],
        cases: list[CrossCase],
        records: list[ExternalRecord],
        fit: pd.DataFrame,
        fit_settings: RunSettings,
        seconds: float,
    ) -> None:
        self.quick = quick
        self.baseline = baseline
        self.programme = programme
        self.checks = checks
        self.cases = cases
        self.records = records
        self.fit = fit
        self.fit_settings = fit_settings
        self.seconds = seconds


def gather_inputs(quick: bool, progress: Callable[[str], None] | None = None, workers: int = 1) -> ValidationInputs:
    """Run the verification checks, the cross-validity cases, the external runs and the calibration run."""
    started = time.perf_counter()
    say = progress or (lambda _: None)
    baseline = load_scenario(SCENARIOS_DIR / "baseline.yaml")
    programme = load_scenario(SCENARIOS_DIR / "combined_programme.yaml")
    say("verification")
    checks = run_checks(quick, base=baseline)
    say("cross-validity")
    cases = cross_validation(baseline, programme)
    say("external validity")
    sizes = QUICK_SIZES if quick else DEFAULT_SIZES
    records = external_validation(runs=external_runs(sizes, workers=workers))
    say("calibration fit")
    # The baseline's own horizon (the external runs are extended), as `sim calibrate` compares it.
    fit_settings = RunSettings(replications=sizes.replications, scale=sizes.scale, workers=workers)
    fit_run: Results = run(baseline, fit_settings)
    fit = fit_table(fit_run, load_targets(DEFAULT_TARGETS))
    return ValidationInputs(
        quick, baseline, programme, checks, cases, records, fit, fit_run.settings, time.perf_counter() - started
    )


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
    text = _T[lang][words[0] if ok else words[1]]
    return f'<span class="{"better" if ok else "worse"}">{esc(text)}</span>'


def _section(key: str, lang: str, body: str) -> str:
    return f'<section id="{key}"><h2>{esc(_T[lang][key])}</h2>\n{body}\n</section>\n'


def _face(inputs: ValidationInputs, lang: str) -> str:
    t = _T[lang]
    en = lang == "en"
    states = table(
        ["Tillstånd" if not en else "State", "Kod" if not en else "Code", "Innebörd" if not en else "Meaning"],
        [[esc(label(s.value, lang)), f"<code>{esc(s.value)}</code>", esc(_STATE_TEXT[s.value][int(en)])]
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
        f"<p>{esc(_FACE_TEXT[lang])}</p>\n<h3>{esc(t['states'])}</h3>\n{states}\n<h3>{esc(t['hazards'])}</h3>\n"
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
    return _section("verification", lang, f"<p>{esc(_VERIFICATION_TEXT[lang])}</p>\n<p>{esc(summary)}</p>\n{body}")


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
    return _section("cross", lang, f"<p>{esc(_CROSS_TEXT[lang])}</p>\n{body}")


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
    t = _T[lang]
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
        f"<p>{esc(_EXTERNAL_TEXT[lang])}</p>\n<p class=\"meta\">{esc(runs)}</p>\n{body}\n"
        f"{_external_chart(inputs.records, lang) if inputs.records else ''}"
        f"<h3 id=\"calibration\">{esc(t['calibration'])}</h3>\n<p>{esc(_CALIBRATION_TEXT[lang])}</p>\n"
        f"<p class=\"meta\">{esc(fit_meta)}</p>\n{fit_table_html}"
    ))  # fmt: skip


def _predictive(lang: str) -> str:
    first, *needs = _PREDICTIVE[lang]
    intro = "Det som skulle behövas:" if lang == "sv" else "What would be needed:"
    items = "".join(f"<li>{esc(n)}</li>" for n in needs)
    return _section("predictive", lang, f"<p>{esc(first)}</p>\n<p>{esc(intro)}</p>\n<ul>{items}</ul>")


def render_validation_report(inputs: ValidationInputs, lang: str = "sv", command: str = "") -> str:
    """The validation report as one self-contained HTML string."""
    check_lang(lang)
    t = _T[lang]
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


def _write_csv(path: Path, frame: pd.DataFrame) -> Path:
    return write_atomic(path, lambda tmp: frame.to_csv(tmp, index=False))


def write_validation_report(
    out_dir: str | os.PathLike[str],
    quick: bool,
    lang: str = "sv",
    *,
    command: str = "",
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
    inputs: ValidationInputs | None = None,
) -> Path:
    """Run every validation and write ``validation.html`` and its CSV tables to ``out_dir``; returns the HTML's path.

    Args:
        out_dir: the folder (created if needed).
        quick: small sizes (about 10 s) instead of the full ones (about 90 s on one core).
        lang: "sv" (default) or "en".
        command: the command line, shown in the footer.
        workers: processes for the simulation runs.
        progress: called with each step's name before it runs.
        inputs: precomputed inputs (:func:`gather_inputs`), to write without running again.

    Files: ``validation.html``, ``validation.csv`` (external records), ``verification.csv``,
    ``cross_validation.csv`` and ``calibration_fit.csv``, each written atomically, the HTML last.

    Raises:
        ValueError: an unknown language (before anything runs).
    """
    check_lang(lang)
    out = Path(out_dir)
    if inputs is None:
        inputs = gather_inputs(quick, progress, workers)
    _write_csv(out / "validation.csv", records_frame(inputs.records))
    _write_csv(out / "verification.csv", _checks_frame(inputs.checks))
    _write_csv(out / "cross_validation.csv", pd.DataFrame([c.as_dict() for c in inputs.cases]))
    _write_csv(out / "calibration_fit.csv", inputs.fit)
    text = render_validation_report(inputs, lang, command)
    return write_atomic(out / "validation.html", lambda tmp: tmp.write_text(text, encoding="utf-8"))
