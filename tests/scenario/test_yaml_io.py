"""Tests of the safe YAML reader: line tracking, metadata, provenance and ``extends``."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from textwrap import dedent

import pytest

from sim.errors import ScenarioErrors
from sim.scenario import yaml_io
from sim.scenario.yaml_io import load_tree


def write(folder: Path, name: str, text: str) -> Path:
    """Write a dedented YAML file and return its path."""
    path = folder / name
    path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_text(path: Path) -> str:
    """The message of the ScenarioErrors that loading ``path`` raises."""
    with pytest.raises(ScenarioErrors) as caught:
        load_tree(path)
    return str(caught.value)


def records_by_path(loaded: yaml_io.LoadedTree) -> dict[str, dict]:
    """Provenance records keyed by their dotted path."""
    return {record["path"]: record for record in loaded.provenance}


def test_metadata_is_removed_and_value_unwrapped(tmp_path: Path) -> None:
    """source/note disappear from the data and {value: x} becomes x."""
    path = write(tmp_path, "s.yaml", """
        population:
          note: section note
          women_share: {value: 0.47, source: survey}
          rent: {single: 4700}
        """)
    assert load_tree(path).tree == {"population": {"women_share": 0.47, "rent": {"single": 4700}}}


def test_lines_are_one_based_key_lines(tmp_path: Path) -> None:
    """Every key path maps to the file and 1-based line of its key."""
    path = write(tmp_path, "s.yaml", """
        # comment
        population:
          women_share:
            value: 0.47
          shares: [0.1, 0.9]
        """)
    lines = load_tree(path).lines
    assert lines[("population",)] == (str(path), 2)
    assert lines[("population", "women_share")] == (str(path), 3)
    assert lines[("population", "shares", "1")] == (str(path), 5)


def test_int_keys_and_dates_are_kept(tmp_path: Path) -> None:
    """Integer keys stay integers and ISO dates come back as dates."""
    path = write(tmp_path, "s.yaml", """
        child_allowance: {1: 1250, 2: 2650}
        start_date: 2025-01-01
        """)
    tree = load_tree(path).tree
    assert tree["child_allowance"] == {1: 1250, 2: 2650}
    assert tree["start_date"] == date(2025, 1, 1)


def test_dated_series_entries_are_unwrapped(tmp_path: Path) -> None:
    """A series keeps its {values: ...} shape; sourced entries become plain numbers."""
    path = write(tmp_path, "s.yaml", """
        norm:
          adult:
            values:
              2024-01-01: {value: 3790, source: "Riksnormen 2024"}
              2025-01-01: 3900
        """)
    loaded = load_tree(path)
    expected = {"values": {date(2024, 1, 1): 3790, date(2025, 1, 1): 3900}}
    assert loaded.tree["norm"]["adult"] == expected
    assert records_by_path(loaded)["norm.adult"]["source"] == "Riksnormen 2024"


def test_provenance_uses_own_then_nearest_ancestor(tmp_path: Path) -> None:
    """A parameter's source and note are its own if given, else the closest ancestor's."""
    path = write(tmp_path, "s.yaml", """
        population:
          source: section source
          note: section note
          women_share: {value: 0.47, source: own source}
          shares:
            note: inner note
            a: 0.5
          flag: true
        """)
    records = records_by_path(load_tree(path))
    assert set(records) == {"population.women_share", "population.shares.a"}
    assert records["population.women_share"]["source"] == "own source"
    assert records["population.women_share"]["note"] == "section note"
    assert records["population.shares.a"]["source"] == "section source"
    assert records["population.shares.a"]["note"] == "inner note"
    assert records["population.shares.a"]["line"] == 7


def test_targets_and_simulation_are_not_parameters(tmp_path: Path) -> None:
    """Numbers in targets and simulation get line info but no provenance record."""
    path = write(tmp_path, "s.yaml", """
        simulation: {months: 12}
        targets:
          share: {value: 0.4, tolerance: 0.05, source: register}
        costs: {per_month: 100}
        """)
    loaded = load_tree(path)
    assert [record["path"] for record in loaded.provenance] == ["costs.per_month"]
    assert loaded.lines[("targets", "share", "tolerance")][1] == 3


def test_metadata_must_be_text(tmp_path: Path) -> None:
    """A source that is not text is reported at its own line."""
    path = write(tmp_path, "s.yaml", """
        population:
          women_share: {value: 0.47}
          note: [a, b]
        """)
    assert f"{path}:3: population.note: note must be text" in error_text(path)


def test_every_duplicate_key_is_reported(tmp_path: Path) -> None:
    """Each repeated key is an error at the line of its second occurrence."""
    path = write(tmp_path, "s.yaml", """
        a: 1
        b:
          c: 1
          c: 2
        a: 3
        """)
    text = error_text(path)
    assert f"{path}:4: b.c: duplicate key 'c' (first defined on line 3)" in text
    assert f"{path}:5: a: duplicate key 'a' (first defined on line 1)" in text


def test_anchors_and_merge_keys_are_plain_data(tmp_path: Path) -> None:
    """Aliases and << merge keys work, and overriding a merged key is no duplicate."""
    path = write(tmp_path, "s.yaml", """
        base: &base {rate: 0.1, shape: 0.8}
        other:
          <<: *base
          rate: 0.2
        """)
    assert load_tree(path).tree["other"] == {"rate": 0.2, "shape": 0.8}


def test_python_tags_on_mappings_are_refused(tmp_path: Path) -> None:
    """A !!python tag is refused with its line before anything is constructed."""
    path = write(tmp_path, "s.yaml", """
        name: ok
        thing: !!python/object:collections.OrderedDict {a: 1}
        """)
    expected = f"{path}:2: thing: the tag '!!python/object:collections.OrderedDict' is not allowed"
    assert expected in error_text(path)


def test_alias_expansion_is_bounded(tmp_path: Path) -> None:
    """A file whose aliases expand to millions of values is refused quickly."""
    levels = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    started = time.perf_counter()
    assert "too many YAML aliases" in error_text(path)
    assert time.perf_counter() - started < 2


def test_large_file_is_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over 10 MB is refused from its size alone, quickly."""
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as stream:
        stream.truncate(11 * 1024 * 1024)

    def refuse_open(*args: object, **kwargs: object) -> None:
        """Stand-in for open() that fails the test if called."""
        raise AssertionError("the file was opened")

    monkeypatch.setattr(yaml_io, "open", refuse_open, raising=False)
    started = time.perf_counter()
    assert "the file is 11.0 MB; scenario files may be at most 10 MB" in error_text(path)
    assert time.perf_counter() - started < 0.5


def test_missing_file_is_reported(tmp_path: Path) -> None:
    """Reading a file that does not exist names the file."""
    path = tmp_path / "nowhere.yaml"
    assert f"{path}: cannot read the file" in error_text(path)


def test_extends_deep_merges_child_over_parent(tmp_path: Path) -> None:
    """Child leaves override, other parent keys stay, lists are replaced, extends is dropped."""
    write(tmp_path, "parent.yaml", """
        name: parent
        population:
          women_share: {value: 0.47, source: survey}
          born_abroad_share: 0.6
        applies_to: [a, b, c]
        """)
    child = write(tmp_path, "child.yaml", """
        extends: parent.yaml
        population:
          women_share: 0.5
        applies_to: [a]
        """)
    loaded = load_tree(child)
    assert loaded.tree == {
        "name": "parent",
        "population": {"women_share": 0.5, "born_abroad_share": 0.6},
        "applies_to": ["a"],
    }
    parent = str(tmp_path / "parent.yaml")
    assert loaded.lines[("population", "women_share")] == (str(child), 3)
    assert loaded.lines[("population", "born_abroad_share")] == (parent, 4)
    assert ("applies_to", "1") not in loaded.lines


def test_extends_override_does_not_inherit_parent_source(tmp_path: Path) -> None:
    """A value overridden in the child keeps no source from the parent file."""
    write(tmp_path, "parent.yaml", """
        transitions:
          source: estimated
          employment: {rate: 0.04, shape: 0.75}
        """)
    child = write(tmp_path, "child.yaml", """
        extends: parent.yaml
        transitions:
          employment: {rate: 0.05}
        """)
    records = records_by_path(load_tree(child))
    assert records["transitions.employment.rate"]["source"] is None
    assert records["transitions.employment.rate"]["file"] == str(child)
    assert records["transitions.employment.shape"]["source"] == "estimated"


def test_extends_replaces_a_dated_series_whole(tmp_path: Path) -> None:
    """A dated series in the child replaces the parent's series instead of merging dates."""
    write(tmp_path, "parent.yaml", """
        support: {values: {2024-01-01: 223, 2025-10-01: 365}}
        """)
    child = write(tmp_path, "child.yaml", """
        extends: parent.yaml
        support: {values: {2026-01-01: 400}}
        """)
    assert load_tree(child).tree["support"] == {"values": {date(2026, 1, 1): 400}}


def test_extends_cycle_names_the_chain(tmp_path: Path) -> None:
    """a extends b extends c extends a is an error naming every file in the loop."""
    for name, parent in (("a", "b"), ("b", "c"), ("c", "a")):
        write(tmp_path, f"{name}.yaml", f"name: {name}\nextends: {parent}.yaml\n")
    text = error_text(tmp_path / "a.yaml")
    chain = " -> ".join(str(tmp_path / f"{name}.yaml") for name in "abca")
    where = tmp_path / "c.yaml"
    assert f"{where}:2: extends: the files extend each other in a cycle: {chain}" in text


def test_extends_missing_parent_points_at_extends_line(tmp_path: Path) -> None:
    """A missing parent is reported at the extends line of the file that names it."""
    write(tmp_path, "middle.yaml", "name: middle\n\nextends: gone.yaml\n")
    child = write(tmp_path, "child.yaml", "extends: middle.yaml\n")
    assert f"{tmp_path / 'middle.yaml'}:3: extends: file 'gone.yaml' not found" in error_text(child)


def test_extends_non_yaml_file_is_refused(tmp_path: Path) -> None:
    """Only .yaml and .yml files can be extended."""
    (tmp_path / "notes.txt").write_text("name: notes\n", encoding="utf-8")
    child = write(tmp_path, "child.yaml", "name: c\nextends: notes.txt\n")
    expected = f"{child}:2: extends: can only extend a .yaml or .yml file, got 'notes.txt'"
    assert expected in error_text(child)


def test_extends_accepts_yml_suffix(tmp_path: Path) -> None:
    """A parent with the .yml suffix is loaded like .yaml."""
    write(tmp_path, "parent.yml", "name: parent\nrate: 1\n")
    child = write(tmp_path, "child.yaml", "extends: parent.yml\nrate: 2\n")
    assert load_tree(child).tree == {"name": "parent", "rate": 2}


def test_impossible_date_is_reported_with_line(tmp_path: Path) -> None:
    """A date that does not exist is a YAML error at its line, not a crash."""
    path = write(tmp_path, "s.yaml", "name: x\nstart_date: 2025-02-30\n")
    assert f"{path}:2: YAML error: '2025-02-30' is not a valid date" in error_text(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    """A pathologically nested file is an error, not a RecursionError."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert "nested too deeply" in error_text(path)
