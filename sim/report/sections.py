"""The report's result sections (1–9), each returned as an HTML fragment.

Section keys double as element ids: ``what_differs``, ``headline``, ``occupancy``,
``survival``, ``employment``, ``costs``, ``differences``, ``subgroups``, ``queues``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.experiments.compare import Comparison
from sim.experiments.runner import Results
from sim.report import data, figures
from sim.report.labels import fmt_number, fmt_sci, fmt_sig, label, metric_kind, sek_unit, sig_decimals, source_text
from sim.report.markup import chart, dotted, esc, paragraph, section, table

__all__ = [
    "what_differs", "headline", "occupancy", "survival", "employment", "costs", "finances", "differences", "subgroups",
    "queues",
]  # fmt: skip

_TEXT = {
    "sv": {
        "what_differs": "Varje parameter som skiljer sig från basscenariot, med båda värdena och båda källorna.",
        "headline": "Medelvärde över {n} replikeringar, 95 % konfidensintervall [nedre; övre] och Monte Carlo-"
        "medelfel (SE).{diff} Kostnader gäller hela riket och hela den simulerade perioden ({months} månader).",
        "diff": " Δ = skillnad mot basscenariot parvis per replikering (andelar i procentenheter). "
        "▲ bättre / ▼ sämre än basscenariot när skillnadens 95 % intervall inte innehåller 0.",
        "variance": "Alla scenarier körs med gemensamma slumptal: replikering r möter samma personer och samma "
        "slumpdragningar i varje scenario, så en skillnad mellan scenarier varierar mycket mindre än om de körts "
        "oberoende – kvoten är den parade skillnadens varians delad med var(bas) + var(alternativ), och ju "
        "lägre kvot, desto säkrare jämförelse med samma antal replikeringar.",
        "variance_independent": "Här kördes alternativen med oberoende slumptal (--independent), så den parade "
        "skillnadens varians bör ligga nära var(bas) + var(alternativ) och kvoten nära 1.",
        "no_queues": "Ingen resurs med begränsad kapacitet hade kö i någon körning.",
        "base": "bas", "better": "bättre än basscenariot", "worse": "sämre än basscenariot",
        "costs_table": "Kostnad per år och betalare (medelvärde över replikeringar, hela riket).",
        "total": "Totalt",
        "finances": "Utgifter, intäkter (kommunal-, region- och statlig inkomstskatt på löner och skattepliktiga "
        "ersättningar samt arbetsgivaravgifter) och netto per år och betalare, medelvärde över replikeringar. "
        "Kommunen behåller {kept} av sin skatteintäkt efter inkomstutjämningen; resten räknas staten till godo.",
        "finance_diff": "Nettokostnadens skillnad mot basscenariot per år och betalare, parvis per replikering, med "
        "95 % konfidensintervall. Negativt: billigare för det offentliga än basscenariot.",
        "ce": "Skillnad i nettokostnad per ytterligare person i arbete efter 24 månader och per ytterligare "
        "personår i arbete, med 95 % intervall (Fieller). Saknas intervall är arbetseffekten inte skild från noll. "
        "Genomsnittlig kostnad per person som fått arbete visas bara som jämförelse: den delar allas kostnad med "
        "alla som arbetat och mäter inte en utformnings värde.",
        "spending": "Utgifter", "revenue": "Intäkter", "net": "Netto", "difference": "Skillnad", "interval": "95 % KI", "reading": "Tolkning",
        "per_person": "per ytterligare person i arbete efter 24 mån", "per_year": "per ytterligare personår i arbete",
        "per_exit": "Genomsnittlig kostnad per person i arbete (bas / alternativ)", "unbounded": "obegränsat",
    },
    "en": {
        "what_differs": "Every parameter that differs from the base scenario, with both values and both sources.",
        "headline": "Mean over {n} replications, 95% confidence interval [lower, upper] and Monte Carlo standard "
        "error (SE).{diff} Costs are national and cover the whole simulated period ({months} months).",
        "diff": " Δ = difference from the base scenario, paired by replication (shares in percentage points). "
        "▲ better / ▼ worse than the base when the difference's 95% interval excludes 0.",
        "variance": "All scenarios run on common random numbers: replication r meets the same people and the same "
        "random draws in every scenario, so a difference between scenarios varies far less than with independent "
        "runs – the ratio is the paired difference's variance divided by var(base) + var(alternative), and the "
        "lower it is, the more precise the comparison for the same number of replications.",
        "variance_independent": "Here the alternatives ran on independent random streams (--independent), so the "
        "paired difference's variance should be close to var(base) + var(alternative) and the ratio close to 1.",
        "no_queues": "No capacity-limited resource had a queue in any run.",
        "base": "base", "better": "better than the base", "worse": "worse than the base",
        "costs_table": "Cost per year and payer (mean over replications, national).",
        "total": "Total",
        "finances": "Spending, revenue (municipal, regional and state income tax on wages and taxable allowances, and "
        "employer contributions) and the net, per year and payer, mean over replications. The municipality keeps "
        "{kept} of its tax revenue after the income equalisation; the rest is credited to the state.",
        "finance_diff": "Difference in net cost from the base per year and payer, paired by replication, with 95% "
        "confidence intervals. Negative: cheaper for the public sector than the base.",
        "ce": "Difference in net cost per additional person in work at 24 months and per additional person-year in "
        "work, with 95% intervals (Fieller). No interval: the work effect is not distinguishable from zero. The "
        "average cost per person who found work is shown for comparison only: it divides everyone's cost by "
        "everyone who worked and does not measure a design's value.",
        "spending": "Spending", "revenue": "Revenue", "net": "Net", "difference": "Difference", "interval": "95% CI", "reading": "Reading",
        "per_person": "per additional person in work at 24 m", "per_year": "per additional person-year in work",
        "per_exit": "Average cost per person in work (base / alternative)", "unbounded": "unbounded",
    },
}  # fmt: skip


def what_differs(comparison: Comparison, lang: str) -> str:
    """Section 1: the changed parameters, both values and both sources, per alternative."""
    columns = ["scenario", "parameter", "base_value", "value", "base_source", "source"]
    rows = [
        [esc(row["scenario"]), dotted(row["parameter"]), *(esc(source_text(row[c], lang)) for c in columns[2:])]
        for _, row in comparison.changes.iterrows()
    ]
    body = paragraph(_TEXT[lang]["what_differs"]) + table(
        [label(c, lang) for c in columns], rows, table_id="what-differs-table", row_class="change-row", wide=(4, 5)
    )
    return section("what_differs", lang, body)


def headline(results: Sequence[Results], comparison: Comparison | None, lang: str) -> str:
    """Section 2: each scenario's key metrics with intervals, SE and difference; then the CRN variance table."""
    frame = data.headline(results, comparison)
    metrics = list(dict.fromkeys(frame["metric"]))
    units = {m: _unit(m, frame[frame["metric"] == m]["mean"], lang) for m in metrics}
    header = [label("scenario", lang)] + [f"{label(m, lang)} ({units[m][1]})" for m in metrics]
    rows = []
    for k, r in enumerate(results):
        group = frame[frame["scenario"] == r.scenario.name]
        cells = {row.metric: _cell(row, units[row.metric][0], lang, k == 0) for row in group.itertuples()}
        rows.append([_scenario_name(r.scenario.name, k)] + [cells.get(m, "–") for m in metrics])
    settings = results[0].settings
    diff = _TEXT[lang]["diff"] if comparison is not None else ""
    intro = _TEXT[lang]["headline"].format(n=settings.replications, months=settings.months, diff=diff)
    body = paragraph(intro) + table(header, rows, table_id="headline-table", row_class="scenario-row")
    if comparison is not None:
        body += _variance(comparison, lang)
    return section("headline", lang, body)


def _scenario_name(name: str, position: int) -> str:
    return f'<span class="name"><span class="swatch c{position % 10}"></span>{esc(name)}</span>'


def _unit(metric: str, means: pd.Series, lang: str) -> tuple[float, str]:
    """Multiplier and unit of a headline column (one unit per column)."""
    kind = metric_kind(metric)
    if kind == "share":
        return 100.0, "%"
    if kind == "months":
        return 1.0, "mån" if lang == "sv" else "months"
    if kind == "sek":
        divisor, unit = sek_unit(float(means.abs().max()), lang)
        return 1.0 / divisor, unit
    return 1.0, "antal" if lang == "sv" else "number"


def _interval(low: float, high: float, decimals: int, lang: str, sign: bool = False) -> str:
    separator = "; " if lang == "sv" else ", "
    return f"[{fmt_number(low, lang, decimals, sign)}{separator}{fmt_number(high, lang, decimals, sign)}]"


def _cell(r: Any, factor: float, lang: str, is_base: bool) -> str:
    """One headline cell (``r``: a row of :func:`data.headline`): mean, interval, SE and the difference.

    The mean and its interval show about three significant digits, the difference and its interval two.
    """
    places = sig_decimals(r.mean * factor, 3)
    parts = [
        f'<span class="mean">{fmt_number(r.mean * factor, lang, places)}</span>',
        f'<span class="ci">{_interval(r.ci_low * factor, r.ci_high * factor, places, lang)}</span>',
        f'<span class="se">SE {fmt_sig(r.se * factor, lang, digits=2)}</span>',
    ]
    diff = r.diff_vs_base
    if not is_base and isinstance(diff, float) and math.isfinite(diff):
        mark, klass, title = "", "diff", ""
        if r.better is True or r.better is False:
            key = "better" if r.better else "worse"
            mark, klass, title = ("▲ " if r.better else "▼ "), f"diff {key}", f' title="{esc(_TEXT[lang][key])}"'
        places = sig_decimals(diff * factor, 2)
        interval = _interval(r.diff_ci_low * factor, r.diff_ci_high * factor, places, lang, sign=True)
        parts.append(
            f'<span class="{klass}"{title}>{mark}Δ {fmt_number(diff * factor, lang, places, sign=True)}'
            f'<span class="ci">{interval}</span><span class="se">SE {fmt_sig(r.diff_se * factor, lang, digits=2)}'
            "</span></span>"
        )
    return "".join(parts)


def _variance(comparison: Comparison, lang: str) -> str:
    """The CRN variance table and the sentence that explains it."""
    frame = data.variance_rows(comparison)
    columns = ["scenario", "metric", "var_paired", "var_independent", "ratio"]
    rows = [
        [esc(r["scenario"]), esc(label(r["metric"], lang)), fmt_sci(r["var_paired"], lang),
         fmt_sci(r["var_independent"], lang), fmt_sig(r["ratio"], lang, digits=2)]
        for r in _records(frame)
    ]  # fmt: skip
    text = _TEXT[lang]["variance"] + (" " + _TEXT[lang]["variance_independent"] if comparison.independent else "")
    heading = f'<h3 id="variance">{esc(label("section.variance", lang))}</h3>'
    return heading + paragraph(text) + table(
        [label(c, lang) for c in columns], rows, table_id="variance-table", numeric=(2, 3, 4)
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts (column -> value)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def occupancy(results: Sequence[Results], lang: str) -> str:
    """Section 3: persons per state over time."""
    return section("occupancy", lang, chart(figures.occupancy_figure(results, lang), "occupancy"))


def survival(results: Sequence[Results], lang: str) -> str:
    """Section 4: time to work (share not yet in work by months since entry)."""
    return section("survival", lang, chart(figures.survival_figure(results, lang), "survival"))


def employment(results: Sequence[Results], lang: str) -> str:
    """Section 5: employment 6–48 months after entry."""
    return section("employment", lang, chart(figures.employment_figure(results, lang), "employment"))


def costs(results: Sequence[Results], lang: str) -> str:
    """Section 6: cost per year by payer and by item, and a table by year and payer to paste."""
    body = chart(figures.cost_payer_figure(results, lang), "cost-payer")
    body += chart(figures.cost_item_figure(results, lang), "cost-item")
    frame = data.cost_rows(results)
    by_payer = frame.groupby(["scenario", "payer", "year"])["cost_sek"].sum().unstack("year")
    years = [str(y) for y in by_payer.columns]
    amounts = {tuple(map(str, key)): [float(v) for v in row] for key, row in zip(by_payer.index, by_payer.to_numpy())}
    rows = [
        [_scenario_name(r.scenario.name, k), esc(label(payer, lang))]
        + [esc(_sek(v, lang)) for v in [*amounts[(r.scenario.name, payer)], sum(amounts[(r.scenario.name, payer)])]]
        for k, r in enumerate(results)
        for payer in ("municipality", "state")
        if (r.scenario.name, payer) in amounts
    ]  # fmt: skip
    header = [label("scenario", lang), label("payer", lang), *years, _TEXT[lang]["total"]]
    body += paragraph(_TEXT[lang]["costs_table"])
    body += table(header, rows, table_id="costs-table", numeric=tuple(range(2, len(header))))
    return section("costs", lang, body)


def finances(results: Sequence[Results], comparison: Comparison | None, lang: str) -> str:
    """Section 7: net public finances by year and payer; with a comparison, the net differences and the
    cost-effectiveness ratios."""
    from sim.experiments.public_finances import finance_summary

    text = _TEXT[lang]
    kept = results[0].scenario.tax.municipal_share_kept if results[0].scenario.tax is not None else 1.0
    body = paragraph(text["finances"].format(kept=f"{100 * kept:.0f} %"))
    rows = []
    for k, r in enumerate(results):
        summary = finance_summary(r)
        for payer in ("municipality", "region", "state", "total"):
            mine = summary[summary["payer"] == payer]
            for what in ("spending", "revenue", "net"):
                values = mine[f"{what}_sek"].to_list()
                rows.append([_scenario_name(r.scenario.name, k), esc(label(payer, lang) if payer != "total" else
                             text["total"]), esc(text[what]), *(esc(_sek(v, lang)) for v in [*values, sum(values)])])  # fmt: skip
    years = [str(y) for y in sorted(finance_summary(results[0])["year"].unique())]
    header = [label("scenario", lang), label("payer", lang), "", *years, text["total"]]
    body += table(header, rows, table_id="finances-table", numeric=tuple(range(3, len(header))))
    if comparison is None or comparison.public_finances is None:
        return section("finances", lang, body)
    body += paragraph(text["finance_diff"])
    diff_rows = [
        [esc(row["scenario"]), esc(str(row["year"])), esc(label(row["payer"], lang) if row["payer"] != "total"
         else text["total"]), esc(_sek(row["net_diff_sek"], lang)),
         esc(f"{_sek(row['net_diff_ci_low_sek'], lang)} – {_sek(row['net_diff_ci_high_sek'], lang)}")]
        for row in comparison.public_finances.to_dict("records")
    ]  # fmt: skip
    header = [label("scenario", lang), label("year", lang), label("payer", lang), text["difference"], text["interval"]]
    body += table(header, diff_rows, table_id="finance-differences", numeric=(3, 4))
    ratios = comparison.cost_effectiveness
    if ratios is not None and len(ratios):
        body += paragraph(text["ce"])
        ce_rows = []
        for row in ratios.to_dict("records"):
            bounded = not (math.isnan(row["ci_low_sek"]) or math.isnan(row["ci_high_sek"]))
            interval = f"{_sek(row['ci_low_sek'], lang)} – {_sek(row['ci_high_sek'], lang)}" if bounded else \
                text["unbounded"]  # fmt: skip
            ce_rows.append([esc(row["scenario"]), esc(label(row["payer"], lang) if row["payer"] != "total" else
                            text["total"]), esc(text["per_person" if row["outcome"] == "persons_in_work_24m" else
                            "per_year"]), esc(_sek(row["ratio_sek"], lang)), esc(interval),
                            esc(label(f"reading.{row['reading']}", lang)),
                            esc(f"{_sek(row['base_cost_per_exit_sek'], lang)} / {_sek(row['cost_per_exit_sek'], lang)}")])  # fmt: skip
        header = [label("scenario", lang), label("payer", lang), "", "SEK", text["interval"], text["reading"],
                  text["per_exit"]]  # fmt: skip
        body += table(header, ce_rows, table_id="cost-effectiveness", numeric=(3, 4, 6))
    return section("finances", lang, body)


def _sek(value: float, lang: str) -> str:
    divisor, unit = sek_unit(value, lang)
    return f"{fmt_sig(value / divisor, lang)} {unit}"


def differences(comparison: Comparison, lang: str) -> str:
    """Section 7: the distribution over replications of each key metric's difference from the base."""
    fig = figures.differences_figure(comparison.differences, comparison.names, lang)
    return section("differences", lang, chart(fig, "differences"))


def subgroups(results: Sequence[Results], lang: str) -> str:
    """Section 8: key metrics per subgroup with intervals."""
    return section("subgroups", lang, chart(figures.subgroup_figure(results, lang), "subgroups"))


def queues(results: Sequence[Results], lang: str) -> str:
    """Section 9: queue lengths over time per capacity-limited resource, and the waits per scenario."""
    waits = data.wait_rows(results)
    if waits.empty:
        return section("queues", lang, paragraph(_TEXT[lang]["no_queues"]))
    columns = ["scenario", "resource", "granted", "mean_wait_months"]
    percent = " %" if lang == "sv" else "%"
    rows = [
        [esc(r["scenario"]), esc(label(r["resource"], lang)), fmt_number(100 * r["granted"], lang, 1) + percent,
         fmt_number(r["mean_wait_months"], lang, 2)]
        for r in _records(waits)
    ]  # fmt: skip
    body = chart(figures.queue_figure(results, lang), "queues")
    body += table([label(c, lang) for c in columns], rows, table_id="waits-table", numeric=(2, 3))
    return section("queues", lang, body)
