"""Person-name symbols for each token of a name: rigour's Wikidata name ids (``NAME:Q…``) and nickname groups.

Two names share a symbol when rigour's person-name data lists both forms for the same name (``Giuseppe`` and
``Joseph``, ``Иван`` and ``Ivan``). rigour finds them with a tagger it builds on first use in every process: 7 s
here, 20-28 s on a loaded machine, paid by every ``palermo screen`` and by a server's first screening.

Palermo pays it once per machine instead: :mod:`palermo.names.symbol_table` asks rigour's own tagger for the
symbols of every form in rigour's name data and stores them in a read-only SQLite table in the cache folder
(``palermo names build-symbols``, run by ``make install``). A lookup then costs microseconds, with the same answer
as the tagger (the build proves it on a sample and refuses a table that disagrees). Without a valid table for the
installed rigour version, Palermo asks the tagger directly: correct, only slow to start.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from rigour.names import NameTypeTag, analyze_names
from rigour.names.tokenize import tokenize_name

from palermo.logs import get_logger
from palermo.names.symbol_files import TABLE_FORMAT, rigour_version, symbol_table_path

log = get_logger(__name__)

#: rigour symbol categories that mean "the same given name or surname" (not initials, numbers or org words)
SYMBOL_CATEGORIES = ("NAME", "NICK")


class SymbolTable:
    """A built symbol table: n-gram of rigour name-part forms → symbols, opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = dict(self._conn.execute("SELECT name, value FROM meta").fetchall())
        self.meta: dict[str, str] = {str(k): str(v) for k, v in meta.items()}
        self.max_ngram = int(self.meta.get("max_ngram", "1"))
        self.lookup = lru_cache(maxsize=100_000)(self._lookup)
        self.continuations = lru_cache(maxsize=100_000)(self._continuations)

    def is_current(self) -> bool:
        return self.meta.get("format") == str(TABLE_FORMAT) and self.meta.get("rigour_version") == rigour_version()

    def _lookup(self, key: str) -> frozenset[str]:
        with self._lock:
            row = self._conn.execute("SELECT symbols FROM symbols WHERE key = ?", (key,)).fetchone()
        return frozenset(row[0].split(" ")) if row else frozenset()

    def _continuations(self, form: str) -> frozenset[str]:
        """The keys of several words that begin with the word ``form`` (mostly none: one in 17 keys has a space).

        One range query on the table's key order (``form + " "`` up to ``form + "!"``, the next byte) instead of
        one query for each n-gram a name could start there."""
        with self._lock:
            rows = self._conn.execute("SELECT key FROM symbols WHERE key >= ? AND key < ?", (f"{form} ", f"{form}!"))
            return frozenset(str(key) for (key,) in rows)

    def part_symbols(self, text: str, count: int) -> list[frozenset[str]]:
        forms = part_forms(text)
        if len(forms) != count:
            return [frozenset()] * count
        found: list[set[str]] = [set() for _ in range(count)]
        for start in range(count):
            longer = self.continuations(forms[start]) if start < count - 1 and self.max_ngram > 1 else frozenset()
            for end in range(start + 1, min(count, start + self.max_ngram) + 1):
                key = " ".join(forms[start:end])
                if end - start > 1 and key not in longer:
                    continue
                symbols = self.lookup(key)
                for index in range(start, end):
                    found[index] |= symbols
        return [frozenset(s) for s in found]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SymbolTable:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def part_forms(text: str) -> list[str]:
    """The forms of a name's parts as rigour's ``Name`` makes them (the keys of the table): its documented recipe,
    the casefolded text tokenised. Building the ``Name`` itself costs 25 microseconds a new name (its parts'
    transliterations and phonetic codes), this one; ``tests/names/test_symbols.py`` holds the two equal."""
    return tokenize_name(text.casefold())


def tagger_symbols(text: str, count: int) -> list[frozenset[str]]:
    """rigour's tagger, asked directly (builds its automaton on first use in the process)."""
    names = analyze_names(NameTypeTag.PER, [text], consolidate=False, rewrite=False, phonetics=False)
    name = next(iter(names), None)
    if name is None or len(name.parts) != count:
        return [frozenset()] * count
    found: list[set[str]] = [set() for _ in range(count)]
    for span in name.spans:
        if span.symbol.category.value not in SYMBOL_CATEGORIES:
            continue
        for part in span.parts:
            found[part.index].add(f"{span.symbol.category.value}:{span.symbol.id}")
    return [frozenset(s) for s in found]


_active: SymbolTable | None = None
_loaded = False
_load_lock = threading.Lock()


def active_table() -> SymbolTable | None:
    """The machine's symbol table for the installed rigour, or None (then the tagger answers)."""
    global _active, _loaded
    if _loaded:
        return _active
    with _load_lock:
        if not _loaded:
            _active = _open_current(symbol_table_path())
            _loaded = True
    return _active


def _open_current(path: Path) -> SymbolTable | None:
    if not path.is_file():
        _warn_fallback(f"no name-symbol table at {path}")
        return None
    try:
        table = SymbolTable(path)
    except sqlite3.Error as exc:
        _warn_fallback(f"name-symbol table {path} is unreadable ({exc})")
        return None
    if not table.is_current():
        table.close()
        _warn_fallback(f"name-symbol table {path} was built for another rigour version or format")
        return None
    return table


def _warn_fallback(reason: str) -> None:
    log.warning(
        "names.symbols.tagger_fallback",
        reason=reason,
        effect="the first name analysis in each process builds rigour's tagger (seconds)",
        fix="palermo names build-symbols",
    )


def use_table(path: Path | None) -> SymbolTable | None:
    """Switch to the table at ``path`` (None: to the tagger); returns the table now in use. For tests and builds."""
    global _active, _loaded
    with _load_lock:
        _active = _open_current(path) if path is not None else None
        _loaded = True
    part_symbols_cached.cache_clear()
    return _active


def part_symbols(text: str, count: int) -> list[frozenset[str]]:
    """NAME/NICK symbols of each of the ``count`` tokens of ``text`` (empty sets when rigour splits it otherwise)."""
    return list(part_symbols_cached(text, count))


@lru_cache(maxsize=50_000)
def part_symbols_cached(text: str, count: int) -> tuple[frozenset[str], ...]:
    table = active_table()
    if table is None:
        return tuple(tagger_symbols(text, count))
    return tuple(table.part_symbols(text, count))


def warm() -> str:
    """Make the first name analysis of this process fast; returns which path answers (``table`` or ``tagger``)."""
    part_symbols("warm up", 2)
    return "table" if active_table() is not None else "tagger"
