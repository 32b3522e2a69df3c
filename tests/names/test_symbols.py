"""The machine's name-symbol table answers exactly as rigour's tagger does, and nothing breaks without it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from rigour.names import Name, NameTypeTag

from palermo.errors import ConfigurationError
from palermo.names import prepare_name
from palermo.names import symbols as name_symbols
from palermo.names.symbol_files import symbol_table_path
from palermo.names.symbol_table import _tag_chunk, _verify, _write, build_symbol_table, rigour_vocabulary
from palermo.names.symbols import SymbolTable, tagger_symbols
from palermo.synth.world import generate_world

HARD_CASES = [
    "Иван Петров",
    "Giuseppe Verdi",
    "Jean-Pierre Dupont",
    "abd al rahman hassan",
    "Mohammed bin Salman",
    "Mr. John Smith",
    "İvan Ívanov",
    "Александр Сергеевич Пушкин",
    "محمد بن سلمان",
    "Zzyzx Qwrtp",
]


@pytest.fixture(scope="module")
def machine_table() -> Iterator[SymbolTable]:
    path = symbol_table_path()
    if not path.is_file():
        pytest.fail(f"no name-symbol table at {path}: `make install` builds it (palermo names build-symbols)")
    table = SymbolTable(path)
    assert table.is_current(), f"{path} was built for another rigour version; run palermo names build-symbols"
    yield table
    table.close()


@pytest.fixture(scope="module")
def world_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("symbols-world")
    generate_world("tiny", 7, root)
    names: set[str] = set()
    with (root / "truth" / "persons.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names.add(f"{row['given_names']} {row['surname']}")
            if row["native_name"]:
                names.add(row["native_name"])
    return sorted(names)


def _tokens(text: str) -> int:
    return len(Name(text, tag=NameTypeTag.PER).parts)


def test_the_table_answers_as_rigours_tagger_on_the_worlds_names(
    machine_table: SymbolTable, world_names: list[str]
) -> None:
    names = [*HARD_CASES, *world_names]
    assert len(names) > 200
    differ = [n for n in names if machine_table.part_symbols(n, _tokens(n)) != tagger_symbols(n, _tokens(n))]
    assert differ == []


def test_part_forms_are_the_forms_of_rigours_name(machine_table: SymbolTable, world_names: list[str]) -> None:
    """The table's lookups cut a name into rigour's part forms without building rigour's ``Name`` (25 us a new name):
    the same forms, on the world's names, the hard cases, casefolding traps and the table's own keys in capitals."""
    traps = ["STRAẞE Müller", "İstanbul IŞIK", "ΣΊΣΥΦΟΣ Οδυσσεύς", "ﬁsher ﬂynn", "ＡＢＣ Ｄｅｆ"]
    traps += ["Ꭰ Ꮳ ꭰ", "Ǆemal ǅ", "O'Brien-Smith"]
    keys = [str(k) for (k,) in machine_table._conn.execute("SELECT key FROM symbols ORDER BY key LIMIT 20000")]
    names = [*HARD_CASES, *traps, *world_names, *(k.upper() for k in keys), *(k.title() for k in keys)]
    differ = [n for n in names if name_symbols.part_forms(n) != [p.form for p in Name(n, tag=NameTypeTag.PER).parts]]
    assert differ == []


def test_equivalent_names_share_symbols_through_the_table(machine_table: SymbolTable) -> None:
    ivan_cyrillic, ivan_latin = machine_table.part_symbols("Иван", 1)[0], machine_table.part_symbols("Ivan", 1)[0]
    assert ivan_cyrillic & ivan_latin
    john, jack = machine_table.part_symbols("John", 1)[0], machine_table.part_symbols("Jack", 1)[0]
    assert "NICK:JACK" in john & jack
    abd, al, rahman = machine_table.part_symbols("abd al rahman", 3)
    assert abd & al & rahman  # one symbol spans the three parts ("Abd al-Rahman")
    assert machine_table.part_symbols("Zzyzx", 1) == [frozenset()]


def test_without_a_table_the_tagger_answers_the_same(machine_table: SymbolTable) -> None:
    try:
        assert name_symbols.use_table(None) is None
        without = [prepare_name(n) for n in HARD_CASES]
        assert name_symbols.use_table(machine_table.path) is not None
        with_table = [prepare_name(n) for n in HARD_CASES]
    finally:
        name_symbols.use_table(symbol_table_path())
    assert [[t.symbols for t in p.tokens] for p in without] == [[t.symbols for t in p.tokens] for p in with_table]


def test_a_table_of_another_rigour_version_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _write(path, {"ivan": {"NAME:Q1"}}, 1, 1)
    table = SymbolTable(path)
    table.meta["rigour_version"] = "0.0.1"
    assert not table.is_current()
    table.close()
    try:
        assert name_symbols.use_table(tmp_path / "missing.sqlite") is None  # falls back to the tagger
        assert name_symbols.part_symbols("Ivan", 1) == tagger_symbols("Ivan", 1)
    finally:
        name_symbols.use_table(symbol_table_path())


def test_a_table_that_disagrees_with_the_tagger_is_refused(tmp_path: Path) -> None:
    forms = ["ivan", "maria", "jean pierre", "pierre"]
    good = _tag_chunk(forms)
    sample = ["Ivan Maria", "Jean Pierre", "maria jean pierre"]
    expected = [tagger_symbols(n, _tokens(n)) for n in sample]
    _write(tmp_path / "good.sqlite", good, 2, len(forms))
    _verify(tmp_path / "good.sqlite", sample, expected)  # the same answers: accepted
    bad = {k: v for k, v in good.items() if k != "jean pierre"}
    _write(tmp_path / "bad.sqlite", bad, 2, len(forms))
    with pytest.raises(ConfigurationError, match="disagrees with rigour's tagger"):
        _verify(tmp_path / "bad.sqlite", sample, expected)


def test_rigours_vocabulary_is_found() -> None:
    vocabulary = rigour_vocabulary()
    assert len(vocabulary) > 100_000
    assert {"ivan", "иван", "giuseppe", "jack"} <= vocabulary


def test_a_build_from_a_small_vocabulary_is_verified_and_installed_whole(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "symbols.sqlite"
    report = build_symbol_table(path, workers=0, vocabulary=["ivan", "jean pierre", "john", "petrov", "smith"])
    assert path.is_file()
    assert report.keys >= 5
    assert report.verified_names > 0
    assert [p.name for p in path.parent.iterdir()] == ["symbols.sqlite"]  # no partial file left beside it
    table = SymbolTable(path)
    assert "NICK:JACK" in table.part_symbols("John", 1)[0]
    table.close()
