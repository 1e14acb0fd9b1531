"""The report's annex and footer: every parameter with its source, the assumptions, the manifest, how to reproduce."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sim.experiments.runner import Results
from sim.report import data
from sim.report.labels import label
from sim.report.manifest import manifest
from sim.report.markup import dotted, esc, paragraph, section, table

__all__ = ["parameters", "footer", "python_snippet"]

_TEXT = {
    "sv": {
        "parameters": "Alla parametrar i varje scenario med värde och källa. Typ: källa = hänvisning till "
        "publicerad uppgift; antagande = ingen källa, anmärkningen säger hur värdet satts; designval = "
        "inställning som inte är ett tal; körinställning = scenariots standardvärde för körningen.",
        "assumptions": "Parametrar utan källa ({n} st), med anmärkning och var i scenariofilerna de står.",
        "where": "fil:rad",
        "reproduce": "Återskapa resultaten", "reproduce_text": "Samma scenariofiler, slumpfrö och inställningar "
        "ger samma resultat, oavsett antal processer:",
        "python": "Samma körning från Python:", "generated": "Rapporten skapades",
        "persons": "Personer per replikering", "transitions": "Övergångar", "simpy_events": "SimPy-händelser",
    },
    "en": {
        "parameters": "Every parameter of every scenario with its value and source. Kind: source = a cited "
        "published figure; assumption = no source, the note says how the value was set; design = a setting "
        "that is not a number (design choice); run setting = the scenario's default for running it.",
        "assumptions": "Parameters without a source ({n}), with their note and where in the scenario files they are.",
        "where": "file:line",
        "reproduce": "Reproduce these results", "reproduce_text": "The same scenario files, seed and settings give "
        "the same results, whatever the number of worker processes:",
        "python": "The same run from Python:", "generated": "Report generated",
        "persons": "Persons per replication", "transitions": "Transitions", "simpy_events": "SimPy events",
    },
}  # fmt: skip
_SETTING = {"sv": "Scenariots standardvärde; körningens värden står i körinformationen nedan.",
            "en": "The scenario's default; the values this run used are in the run manifest below."}  # fmt: skip


def parameters(results: Sequence[Results], lang: str) -> str:
    """Section 10: every parameter of every scenario with its source; the assumptions in their own table."""
    scenarios = [r.scenario for r in results]
    frame = data.parameter_rows(scenarios)
    names = [s.name for s in scenarios]
    source = f'{label("source", lang)} ({_TEXT[lang]["where"]})'
    header = [label("parameter", lang), *names, label("kind", lang), source]
    rows = [
        [dotted(r["parameter"]), *(esc(r[n]) for n in names), esc(label("kind." + r["kind"], lang)),
         esc(_SETTING[lang] if r["kind"] == "setting" else r["source"]) + _where(r["where"])]
        for _, r in frame.iterrows()
    ]  # fmt: skip
    body = paragraph(_TEXT[lang]["parameters"])
    body += table(header, rows, table_id="parameters-table", row_class="parameter-row", wide=(len(names) + 2,))
    assumptions = data.assumption_rows(scenarios)
    rows = [[dotted(r["parameter"]), esc(r["note"]) + _where(f"{r['file']}:{r['line']}"), esc(r["scenarios"])]
            for _, r in assumptions.iterrows()]  # fmt: skip
    header = [label("parameter", lang), f'{label("note", lang)} ({_TEXT[lang]["where"]})', label("scenarios", lang)]
    body += f'<h3 id="assumptions">{esc(label("section.assumptions", lang))}</h3>'
    body += paragraph(_TEXT[lang]["assumptions"].format(n=len(assumptions)))
    body += table(header, rows, table_id="assumptions-table", row_class="assumption-row", wide=(1,))
    return section("parameters", lang, body)


def _where(where: str) -> str:
    """``file:line`` under a source, small."""
    return f'<span class="where">{esc(where)}</span>' if where else ""


def _manifest_rows(results: Sequence[Results], lang: str) -> list[list[str]]:
    """One row per manifest field, one column per scenario."""
    found = [manifest(r) for r in results]
    fields: list[tuple[str, Any]] = [
        (label("scenario_file", lang), lambda m: m["scenario_file"]),
        (label("scenario_sha256", lang), lambda m: f'<code>{esc(m["scenario_sha256"])}</code>'),
        (label("seed", lang), lambda m: m["seed"]),
        (label("replications", lang), lambda m: m["replications"]),
        (label("scale", lang), lambda m: m["scale"]),
        (label("months", lang), lambda m: m["months"]),
        (label("workers", lang), lambda m: m["workers"]),
        (label("wall_seconds", lang), lambda m: m["wall_seconds"]),
        (_TEXT[lang]["persons"], lambda m: ", ".join(str(p) for p in m["persons_per_replication"])),
        (_TEXT[lang]["transitions"], lambda m: m["transitions"]),
        (_TEXT[lang]["simpy_events"], lambda m: m["simpy_events"]),
        (label("versions", lang), lambda m: ", ".join(f"{k} {v}" for k, v in m["versions"].items())),
    ]
    rows = []
    for name, get in fields:
        cells = [str(get(m)) for m in found]
        rows.append([esc(name), *(c if c.startswith("<code>") else esc(c) for c in cells)])
    return rows


def python_snippet(results: Sequence[Results], independent: bool = False) -> str:
    """Python that re-runs these scenarios with these settings (a comparison when there are several)."""
    s = results[0].settings
    files = ", ".join(f"sim.load_scenario({r.scenario.source_file!r})" for r in results)
    settings = f"replications={s.replications}, seed={s.seed}, scale={s.scale}, months={s.months}"
    if len(results) == 1:
        return f"import sim\n\nresults = sim.run({files}, {settings})"
    option = ", independent=True" if independent else ""
    return f"import sim\n\ncomparison = sim.compare([{files}], {settings}{option})"


def footer(results: Sequence[Results], lang: str, command: str, independent: bool = False) -> str:
    """The manifest of each scenario and a "reproduce this" snippet with the exact command."""
    text = _TEXT[lang]
    generated = datetime.now().astimezone().isoformat(timespec="seconds")
    body = paragraph(f"{text['generated']}: {generated}")
    names = [r.scenario.name for r in results]
    body += table(["", *names], _manifest_rows(results, lang), table_id="manifest-table")
    body += f'<h3 id="reproduce">{esc(text["reproduce"])}</h3>' + paragraph(text["reproduce_text"])
    if command:
        body += f'<pre class="command"><code>{esc(command)}</code></pre>'
        body += paragraph(text["python"])
    body += f'<pre class="command"><code>{esc(python_snippet(results, independent))}</code></pre>'
    return f'<footer id="manifest"><h2>{esc(label("section.manifest", lang))}</h2>\n{body}\n</footer>\n'
