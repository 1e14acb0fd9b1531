"""Shared inputs of the report tests: one tiny comparison per test process, and a small HTML reader."""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser

from sim.experiments.compare import Comparison, compare
from sim.experiments.settings import RunSettings
from sim.scenario import load_scenario
from tests.conftest import ROOT

#: Three scenarios: the base, a lever that changes behaviour, and one with a capacity-limited programme (queues).
SCENARIOS = ("baseline", "requirement_parallel", "combined_programme")
TINY = RunSettings(replications=2, scale=0.003, months=24)


@lru_cache(maxsize=1)
def tiny_comparison() -> Comparison:
    """The three scenarios at scale 0.003, 2 replications, 24 months (about a second), built once per process."""
    return compare([load_scenario(ROOT / "scenarios" / f"{name}.yaml") for name in SCENARIOS], TINY)


class Page(HTMLParser):
    """The parts of an HTML page the tests look at: tags with attributes, headings, rows and text per element id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.h2: list[tuple[str, str]] = []  # (id of the enclosing section or footer, heading text)
        self.scripts: list[str] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._h2: list[str] | None = None
        self._script: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag in ("wbr", "meta", "br", "link"):
            return
        self._stack.append((tag, attributes))
        if tag == "h2":
            self._h2 = []
        elif tag == "script":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._h2 is not None:
            enclosing = (a.get("id", "") for t, a in reversed(self._stack[:-1]) if t in ("section", "footer", "nav"))
            parent = next(enclosing, "")
            self.h2.append((parent, "".join(self._h2).strip()))
            self._h2 = None
        elif tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._h2 is not None:
            self._h2.append(data)
        if self._script is not None:
            self._script.append(data)

    def count(self, tag: str, **attributes: str) -> int:
        """How many ``tag`` elements have all the given attribute values (``klass`` for class, a word of it)."""
        def matches(a: dict[str, str]) -> bool:
            for key, value in attributes.items():
                name = "class" if key == "klass" else key
                if value not in (a.get(name, "").split() if name == "class" else [a.get(name)]):
                    return False
            return True

        return sum(1 for t, a in self.tags if t == tag and matches(a))
