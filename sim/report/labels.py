"""Swedish and English labels for everything a report names (number formatting re-exported).

Swedish is the default language (users write remissvar in Swedish); English is
``lang="en"``. Swedish terms follow the glossary of the design card.
:func:`label` falls back to the key itself, so an unknown name still shows.

Example:
    >>> label("assistance")
    'Ekonomiskt bistånd'
    >>> label("long_term_share_2026", "en")
    'Long-term recipients 2026 (≥ 10 months in the year)'
    >>> fmt_number(1234.5, "sv", 1), fmt_number(1234.5, "en", 1)
    ('1 234,5', '1,234.5')
    >>> fmt_share(0.2734, "sv"), fmt_sek(12_345_000_000, "sv"), fmt_sek(-4_560_000, "en")
    ('27,3 %', '12,3 mdkr', '−4.56 MSEK')
"""

from __future__ import annotations

import re

from sim.outcomes.catalogue import higher_is_better
from sim.report.formatting import (
    LANGS,
    check_lang,
    fmt_diff,
    fmt_number,
    fmt_sci,
    fmt_sek,
    fmt_share,
    fmt_sig,
    fmt_value,
    metric_kind,
    sek_unit,
    sig_decimals,
)

__all__ = [
    "LANGS", "label", "check_lang", "metric_kind", "higher_is_better", "source_text",
    "fmt_number", "fmt_sig", "fmt_share", "fmt_sek", "fmt_value", "fmt_diff", "fmt_sci", "sek_unit", "sig_decimals",
]  # fmt: skip


#: key -> (Swedish, English)
_LABELS: dict[str, tuple[str, str]] = {
    # metrics
    "studies_rate_12m": ("I studier efter 12 mån", "In studies at 12 months"),
    "median_months_to_work": ("Mediantid till arbete", "Median time to work"),
    "assistance_months_per_person": (
        "Månader med ekonomiskt bistånd per person", "Months with social assistance per person"
    ),
    "long_term_share": (
        "Andel långvarigt biståndsmottagande (≥ 10 mån på ett år)",
        "Long-term recipients (≥ 10 months in a year)",
    ),
    "af_registration_share": ("Andel inskrivna hos Arbetsförmedlingen", "Share registered with Arbetsförmedlingen"),
    "af_programme_share_of_registered": (
        "Andel av de inskrivna som deltagit i program under året",
        "Share of those registered who took part in an AF programme during the year",
    ),
    "reason_unemployment_share": ("Andel med arbetslöshet som försörjningshinder", "Main reason unemployment"),
    "reason_sick_share": ("Andel sjukskrivna (försörjningshinder)", "Main reason sick leave"),
    "reason_social_share": ("Andel med sociala skäl (försörjningshinder)", "Main reason social"),
    "ame_exit_to_work_or_studies_share": (
        "Från kommunal arbetsmarknadsinsats till arbete eller studier", "Municipal activity ending in work or studies"
    ),
    "households_with_assistance_per_year": (
        "Hushåll med ekonomiskt bistånd per år", "Households with social assistance per year"
    ),
    "cost_total_sek": ("Total kostnad", "Total cost"),
    "cost_municipality_sek": ("Kostnad för kommunerna", "Cost to the municipalities"),
    "cost_state_sek": ("Kostnad för staten", "Cost to the state"),
    "cost_per_exit_to_work_sek": ("Kostnad per person som fått arbete", "Cost per person who found work"),
    "cost_region_sek": ("Kostnad för regionerna", "Cost to the regions"),
    "revenue_total_sek": ("Skatteintäkter och avgifter, totalt", "Tax and contribution revenue, total"),
    "revenue_municipality_sek": ("Intäkter till kommunerna", "Revenue to the municipalities"),
    "revenue_region_sek": ("Intäkter till regionerna", "Revenue to the regions"),
    "revenue_state_sek": ("Intäkter till staten", "Revenue to the state"),
    "net_cost_total_sek": ("Nettokostnad för det offentliga", "Net public cost"),
    "net_cost_municipality_sek": ("Nettokostnad för kommunerna", "Net cost to the municipalities"),
    "net_cost_region_sek": ("Nettokostnad för regionerna", "Net cost to the regions"),
    "net_cost_state_sek": ("Nettokostnad för staten", "Net cost to the state"),
    "persons_in_work_24m": ("Personer i arbete efter 24 mån", "Persons in work at 24 months"),
    "work_person_years": ("Personår i arbete", "Person-years in work"),
    # subgroups
    "all": ("Alla", "All"),
    "women": ("Kvinnor", "Women"),
    "men": ("Män", "Men"),
    "born_sweden": ("Födda i Sverige", "Born in Sweden"),
    "born_abroad": ("Födda utomlands", "Born abroad"),
    "single_parent": ("Ensamstående föräldrar", "Single parents"),
    "with_children": ("Hushåll med barn", "Households with children"),
    "born_sweden_women": ("Kvinnor födda i Sverige", "Women born in Sweden"),
    "born_sweden_men": ("Män födda i Sverige", "Men born in Sweden"),
    "born_abroad_women": ("Kvinnor födda utomlands", "Women born abroad"),
    "born_abroad_men": ("Män födda utomlands", "Men born abroad"),
    # states and cost items (shared keys mean the same thing)
    "assistance": ("Ekonomiskt bistånd", "Social assistance"),
    "municipal_activity": ("Kommunal arbetsmarknadsinsats", "Municipal labour-market activity"),
    "af_programme": ("Program hos Arbetsförmedlingen", "Arbetsförmedlingen programme"),
    "combined_programme": ("Kombinerat program", "Combined programme"),
    "employment": ("Arbete", "Employment"),
    "subsidised_employment": ("Subventionerad anställning", "Subsidised employment"),
    "studies": ("Studier", "Studies"),
    "other_exit": ("Annan utgång", "Other exit"),
    "activity_support": ("Aktivitetsstöd", "Activity support (aktivitetsstöd)"),
    "caseworker": ("Handläggare (socialsekreterare)", "Caseworkers"),
    "programme_allowance": ("Programersättning", "Programme allowance"),
    "childcare": ("Förskola och fritidshem, utökad tid", "Extended preschool and after-school care"),
    "pathway": ("Parallella insatser (merkostnad)", "Parallel interventions (extra cost)"),
    "job_premium": ("Jobbpremie", "Work premium (jobbpremie)"),
    "housing_allowance": ("Bostadsbidrag", "Housing allowance (bostadsbidrag)"),
    "maintenance_support": ("Underhållsstöd", "Maintenance support (underhållsstöd)"),
    # revenue items
    "municipal_income_tax": ("Kommunalskatt (som kommunen behåller)", "Municipal income tax (kept by the municipality)"),
    "income_equalisation": ("Kommunalskatt som går till utjämningen", "Municipal income tax offset by equalisation"),
    "regional_income_tax": ("Regionskatt", "Regional income tax"),
    "state_income_tax": ("Statlig inkomstskatt, netto efter skattereduktioner", "State income tax, net of the tax reductions"),
    "employer_contributions": ("Arbetsgivaravgifter", "Employer contributions"),
    # payers
    "municipality": ("Kommunerna", "Municipalities"),
    "region": ("Regionerna", "Regions"),
    "state": ("Staten", "The state"),
    # lines of a household's budget (a type case)
    "line.norm": ("Riksnorm (efter eventuell begränsning)", "National norm (after any cap)"),
    "line.rent": ("Boendekostnad", "Housing cost"),
    "line.electricity": ("Hushållsel", "Household electricity"),
    "line.home_insurance": ("Hemförsäkring", "Home insurance"),
    "line.childcare_fee": ("Avgift för förskola och fritidshem", "Preschool and after-school fee"),
    "line.needs": ("Godtagbara kostnader, summa", "Accepted needs, total"),
    "line.earnings": ("Lön (brutto)", "Earnings (gross)"),
    "line.activity_support": ("Aktivitetsstöd (brutto)", "Activity support (gross)"),
    "line.programme_allowance": ("Programersättning (brutto)", "Programme allowance (gross)"),
    "line.child_allowance": ("Barnbidrag och flerbarnstillägg", "Child allowance incl. large-family supplement"),
    "line.housing_allowance": ("Bostadsbidrag", "Housing allowance"),
    "line.maintenance_support": ("Underhållsstöd", "Maintenance support"),
    "line.maintenance_from_parent": ("Underhållsbidrag från den andra föräldern", "Maintenance from the other parent"),
    "line.other_income": ("Annan inkomst", "Other income"),
    "line.gross_income": ("Inkomster, summa", "Income, total"),
    "line.tax_municipal": ("Kommunalskatt", "Municipal income tax"),
    "line.tax_regional": ("Regionskatt", "Regional income tax"),
    "line.tax_state": ("Statlig inkomstskatt", "State income tax"),
    "line.tax_reductions": ("Skattereduktioner (jobbskatteavdrag, förvärvsinkomst)", "Tax reductions (earned income, general)"),
    "line.tax": ("Skatt, summa", "Tax, total"),
    "line.net_income": ("Inkomster efter skatt", "Income after tax"),
    "line.assistance": ("Försörjningsstöd", "Social assistance paid"),
    "line.disposable_income": ("Disponibel inkomst", "Disposable income"),
    # capacity-limited resources
    "municipal_activity_places": (
        "Platser i kommunal arbetsmarknadsinsats", "Places in municipal labour-market activities"
    ),
    "af_programme_places": ("Platser i Arbetsförmedlingens program", "Places in AF programmes"),
    "combined_programme_places": ("Platser i kombinerat program", "Places in the combined programme"),
    # table columns
    "scenario": ("Scenario", "Scenario"),
    "metric": ("Mått", "Metric"),
    "key": ("Nyckel", "Key"),
    "subgroup": ("Delgrupp", "Subgroup"),
    "mean": ("Medelvärde", "Mean"),
    "sd": ("Standardavvikelse", "Standard deviation"),
    "se": ("Monte Carlo-medelfel (SE)", "Monte Carlo SE"),
    "ci_low": ("95 % KI, nedre", "95% CI, lower"),
    "ci_high": ("95 % KI, övre", "95% CI, upper"),
    "interval": ("95 % KI", "95% CI"),
    "diff_vs_base": ("Skillnad mot bas", "Difference from base"),
    "diff_se": ("Skillnadens SE", "SE of difference"),
    "diff_ci_low": ("Skillnad, 95 % KI nedre", "Difference, 95% CI lower"),
    "diff_ci_high": ("Skillnad, 95 % KI övre", "Difference, 95% CI upper"),
    "better": ("Bättre än bas", "Better than base"),
    "var_paired": ("Varians, parad (gemensamma slumptal)", "Variance, paired (common random numbers)"),
    "var_independent": ("Varians, oberoende slumptal", "Variance, independent streams"),
    "ratio": ("Kvot", "Ratio"),
    "parameter": ("Parameter", "Parameter"),
    "base_value": ("Värde i bas", "Base value"),
    "value": ("Värde", "Value"),
    "base_source": ("Källa i bas", "Base source"),
    "source": ("Källa", "Source"),
    "note": ("Anmärkning", "Note"),
    "file": ("Fil", "File"),
    "where": ("Fil:rad", "File:line"),
    "kind": ("Typ", "Kind"),
    "kind.source": ("källa", "source"),
    "kind.assumption": ("antagande", "assumption"),
    "kind.design": ("designval", "design choice"),
    "kind.setting": ("körinställning", "run setting"),
    "line": ("Rad", "Line"),
    "scenarios": ("Scenarier", "Scenarios"),
    "replication": ("Replikering", "Replication"),
    "replications": ("Replikeringar", "Replications"),
    "diff": ("Skillnad", "Difference"),
    "year": ("År", "Year"),
    "month": ("Månad", "Month"),
    "item": ("Kostnadspost", "Cost item"),
    "payer": ("Betalare", "Payer"),
    "cost_sek": ("Kostnad (kr)", "Cost (SEK)"),
    "cost_se_sek": ("Kostnadens SE (kr)", "SE of cost (SEK)"),
    "revenue_sek": ("Intäkt (kr)", "Revenue (SEK)"),
    "spending_sek": ("Utgifter (kr)", "Spending (SEK)"),
    "net_sek": ("Netto (kr)", "Net (SEK)"),
    "amount_sek": ("Belopp (kr/mån)", "Amount (SEK/month)"),
    "difference_sek": ("Skillnad (kr/mån)", "Difference (SEK/month)"),
    "state_col": ("Tillstånd", "State"),
    "persons": ("Personer", "Persons"),
    "resource": ("Resurs", "Resource"),
    "waiting": ("Väntande", "Waiting"),
    "waits": ("Antal väntetider", "Number of waits"),
    "granted": ("Andel som fick plats eller tid", "Share granted"),
    "mean_wait_months": ("Medelväntetid (mån)", "Mean wait (months)"),
    "seed": ("Slumpfrö", "Seed"),
    "scale": ("Skala (urvalsandel)", "Scale (sampling fraction)"),
    "months": ("Månader", "Months"),
    "workers": ("Processer", "Workers"),
    "versions": ("Versioner", "Versions"),
    "date": ("Datum", "Date"),
    "scenario_file": ("Scenariofil", "Scenario file"),
    "scenario_sha256": ("Scenariots SHA-256", "Scenario SHA-256"),
    "wall_seconds": ("Körtid (s)", "Wall time (s)"),
    # section headings
    "section.what_differs": ("Vad skiljer scenarierna åt", "What differs"),
    "section.headline": ("Huvudresultat", "Headline results"),
    "section.variance": (
        "Gemensamma slumptal: varians för skillnader", "Common random numbers: variance of differences"
    ),
    "section.occupancy": ("Personer per tillstånd över tid", "Persons by state over time"),
    "section.survival": ("Tid till arbete", "Time to work"),
    "section.employment": ("I arbete 6–48 månader efter inträde", "In employment 6–48 months after entry"),
    "section.costs": ("Kostnader per år, betalare och kostnadspost", "Costs per year by payer and item"),
    "reading.dominant": ("Mer arbete till lägre nettokostnad", "More work at a lower net cost"),
    "reading.more_work_costs_more": ("Mer arbete till högre nettokostnad: kvoten är priset per extra person i arbete",
                                     "More work at a higher net cost: the ratio is the price of the extra work"),
    "reading.less_work_saves": ("Mindre arbete till lägre nettokostnad: kvoten är besparingen per person färre i arbete",
                                "Less work at a lower net cost: the ratio is the saving per person less in work"),
    "reading.dominated": ("Mindre arbete till högre nettokostnad", "Less work at a higher net cost"),
    "reading.no_work_difference": ("Ingen skillnad i arbete: ingen kvot", "No difference in work: no ratio"),
    "section.finances": ("Offentliga finanser: utgifter, intäkter och netto", "Public finances: spending, revenue and net"),
    "section.differences": (
        "Fördelning av skillnader mot basscenariot", "Distribution of differences from the base"
    ),
    "section.subgroups": ("Delgrupper", "Subgroups"),
    "section.queues": ("Väntetider och köer", "Waits and queues"),
    "section.parameters": ("Bilaga: parametrar och källor", "Annex: parameters and sources"),
    "section.assumptions": ("Antaganden", "Assumptions"),
    "section.manifest": ("Körinformation och reproduktion", "Run manifest and how to reproduce"),
}
for _k in (6, 12, 24, 36, 48):
    _LABELS[f"employment_rate_{_k}m"] = (f"I arbete efter {_k} mån", f"In employment at {_k} months")
    _LABELS[f"work_rate_{_k}m"] = (
        f"I arbete inkl. subventionerad anställning efter {_k} mån",
        f"In work incl. subsidised employment at {_k} months",
    )
_LONG_TERM_YEAR = re.compile(r"^long_term_share_(\d{4})$")


def label(key: str, lang: str = "sv") -> str:
    """The label of ``key`` in ``lang`` ("sv" or "en"); the key itself when none is known."""
    index = LANGS.index(check_lang(lang))
    if key in _LABELS:
        return _LABELS[key][index]
    year = _LONG_TERM_YEAR.match(key)
    if year:
        templates = ("Långvarigt biståndsmottagande {} (≥ 10 mån under året)", "Long-term recipients {} ({})")
        return templates[index].format(year.group(1), "≥ 10 months in the year")
    return key


def source_text(text: str, lang: str = "sv") -> str:
    """``sim.experiments.compare``'s wording of a source (``assumption: …``, ``design choice``) in ``lang``."""
    if check_lang(lang) != "sv":
        return text
    if text == "design choice":
        return "designval"
    if text.startswith("assumption: "):
        rest = text.removeprefix("assumption: ")
        return "antagande: " + rest.removeprefix("Assumption: ").removeprefix("assumption: ")
    return text
