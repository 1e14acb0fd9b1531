"""The words of the validation report, in Swedish and English (data only).

:mod:`sim.report.validation` assembles the page from these and the computed checks.
"""

from __future__ import annotations

__all__ = ["T", "STATE_TEXT", "FACE_TEXT", "VERIFICATION_TEXT", "CROSS_TEXT", "EXTERNAL_TEXT", "CALIBRATION_TEXT",
           "PREDICTIVE"]  # fmt: skip

T: dict[str, dict[str, str]] = {
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

STATE_TEXT = {
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

FACE_TEXT = {
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
VERIFICATION_TEXT = {
    "sv": "Varje kontroll simulerar en uppställning vars svar är känt exakt eller i fördelning. Statistiska "
    "kontroller godkänns när |z| ≤ 4; identiteter när den relativa skillnaden är högst toleransen.",
    "en": "Each check simulates a set-up whose answer is known exactly or in distribution. Statistical checks "
    "pass when |z| ≤ 4; identities when the relative difference is within the tolerance.",
}
CROSS_TEXT = {
    "sv": "Samma kod som simuleringen använder för pengar räknar ut beloppen för ett hushåll i taget; de jämförs "
    "med beloppen räknade för hand ur de publicerade reglerna.",
    "en": "The code the simulation uses for money computes the amounts for one household at a time; they are "
    "compared with the amounts worked out by hand from the published rules.",
}
EXTERNAL_TEXT = {
    "sv": "Publicerade utfall som inte användes vid kalibreringen. Modellvärdet är medelvärdet över "
    "replikeringar med 95 % konfidensintervall; domen gäller om medelvärdet ligger inom det angivna "
    "toleransintervallet kring det publicerade värdet. Kolumnen om jämförbarhet säger var modellen missar och varför.",
    "en": "Published outcomes not used in calibration. The model value is the mean over replications with its "
    "95 % confidence interval; the verdict says whether the mean lies in the stated tolerance band around the "
    "published value. The comparability column says where the model misses and why.",
}
CALIBRATION_TEXT = {
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
PREDICTIVE = {
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
