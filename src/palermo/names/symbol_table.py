"""Build the machine's name-symbol table from rigour's own data and rigour's own tagger, once per machine.

rigour compiles its person-name data (Wikidata name forms, nickname groups) into its native module as zstd frames.
The build reads those frames only to learn *which strings* rigour knows; every symbol in the table comes from
rigour's public ``analyze_names`` run on those strings, so the table answers exactly as the tagger does. Each
analysed form also yields the symbols of its sub-sequences (``abd al rahman`` gives ``abd``, ``al rahman`` ...):
the tagger matches whole name parts anywhere in a name, independent of context.

Before the table replaces the tagger, the build tags a sample of composed names both ways and refuses the table
if a single token's symbols differ. When rigour stops shipping its data this way, the vocabulary comes out empty,
the build says so, and Palermo keeps using the tagger.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from palermo.errors import ConfigurationError
from palermo.names.symbol_files import TABLE_FORMAT, rigour_version

T = TypeVar("T")

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_MIN_VOCABULARY = 50_000
_CHUNK = 4_000
_SAMPLE = 3_000
_MAX_FORM_LENGTH = 120


@dataclass(frozen=True)
class BuildReport:
    path: Path
    vocabulary: int
    keys: int
    max_ngram: int
    verified_names: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "vocabulary": self.vocabulary,
            "keys": self.keys,
            "max_ngram": self.max_ngram,
            "verified_names": self.verified_names,
            "seconds": round(self.seconds, 1),
        }


def rigour_vocabulary() -> set[str]:
    """Every string in rigour's embedded name data (forms of person names, nicknames, name symbols)."""
    import zstandard
    from rigour import _core

    blob = Path(str(_core.__file__)).read_bytes()
    forms: set[str] = set()
    start = blob.find(_ZSTD_MAGIC)
    while start >= 0:
        try:
            text = zstandard.ZstdDecompressor().decompressobj().decompress(blob[start:]).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError):
            text = ""
        forms.update(_strings_of(text))
        start = blob.find(_ZSTD_MAGIC, start + 1)
    return {f for f in forms if 0 < len(f) <= _MAX_FORM_LENGTH}


def _strings_of(text: str) -> Iterator[str]:
    if not text:
        return
    if text.lstrip()[:1] in ("{", "["):
        try:
            yield from _json_strings(json.loads(text))
        except ValueError:
            return
        return
    for line in text.splitlines():
        left, arrow, _ = line.rpartition(" => ")
        if arrow:
            yield from (form.strip() for form in left.split(", "))


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _tag_chunk(forms: list[str]) -> dict[str, set[str]]:
    """In a worker: the symbols of every whole-part sequence rigour's tagger finds in ``forms``."""
    from rigour.names import NameTypeTag, analyze_names

    from palermo.names.symbols import SYMBOL_CATEGORIES

    found: dict[str, set[str]] = {}
    for name in analyze_names(NameTypeTag.PER, forms, consolidate=False, rewrite=False, phonetics=False):
        part_forms = [part.form for part in name.parts]
        for span in name.spans:
            category = span.symbol.category.value
            if category not in SYMBOL_CATEGORIES:
                continue
            indexes = sorted(part.index for part in span.parts)
            if not indexes or indexes != list(range(indexes[0], indexes[-1] + 1)):
                continue
            key = " ".join(part_forms[indexes[0] : indexes[-1] + 1])
            found.setdefault(key, set()).add(f"{category}:{span.symbol.id}")
    return found


def _tag_names(names: list[str]) -> list[list[frozenset[str]]]:
    """In a worker: per-token symbols of whole names, straight from rigour's tagger (the reference answer)."""
    from rigour.names import Name, NameTypeTag

    from palermo.names.symbols import tagger_symbols

    return [tagger_symbols(text, len(Name(text, tag=NameTypeTag.PER).parts)) for text in names]


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sample_names(vocabulary: list[str], seed: int = 9303) -> list[str]:
    """Names composed of 1-4 known forms and a few tokens rigour may or may not know, as screening queries look."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not cryptography
    single = [form for form in vocabulary if " " not in form]
    names = []
    for _ in range(_SAMPLE):
        parts = [rng.choice(single if rng.random() < 0.8 else vocabulary) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.15:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(["xq", "zzyzx", "abc", "al", "van der"]))
        names.append(" ".join(parts))
    return names


@contextmanager
def _workers(workers: int | None) -> Iterator[Callable[[Callable[[list[str]], T], list[list[str]]], list[T]]]:
    """A map over chunks in worker processes (``workers`` None: one per core), or in this process when 0.

    One pool serves the whole build: each worker builds rigour's tagger once.
    """
    if workers == 0:
        yield lambda function, chunks: [function(chunk) for chunk in chunks]
        return
    count = max(1, min(workers or os.cpu_count() or 1, 8))
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield lambda function, chunks: list(pool.map(function, chunks))


def build_symbol_table(path: Path, workers: int | None = None, vocabulary: Iterable[str] | None = None) -> BuildReport:
    """Build and verify the table at ``path`` (written beside it, then moved in place: never half-written).

    ``workers``: processes that tag (None: one per core; 0: this process). ``vocabulary`` replaces rigour's own
    strings (tests build small tables this way).
    """
    began = time.monotonic()
    forms = sorted(set(vocabulary) if vocabulary is not None else rigour_vocabulary())
    if vocabulary is None and len(forms) < _MIN_VOCABULARY:
        raise ConfigurationError(
            f"rigour {rigour_version()} does not expose its name data as expected ({len(forms)} forms found); "
            "Palermo keeps asking rigour's tagger directly (correct, slower to start)"
        )
    # a given vocabulary is checked form by form: composing its forms could spell names it does not hold
    sample = _sample_names(forms) if vocabulary is None else forms
    table: dict[str, set[str]] = {}
    with _workers(workers) as run:
        for found in run(_tag_chunk, list(_chunks(forms, _CHUNK))):
            for key, symbols in found.items():
                table.setdefault(key, set()).update(symbols)
        expected = [row for part in run(_tag_names, list(_chunks(sample, 500))) for row in part]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    max_ngram = max((key.count(" ") + 1 for key in table), default=1)
    try:
        _write(partial, table, max_ngram, len(forms))
        _verify(partial, sample, expected)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BuildReport(path, len(forms), len(table), max_ngram, len(sample), time.monotonic() - began)


def _write(path: Path, table: dict[str, set[str]], max_ngram: int, vocabulary: int) -> None:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE symbols (key TEXT PRIMARY KEY, symbols TEXT NOT NULL) WITHOUT ROWID")
        conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.executemany(
            "INSERT INTO symbols VALUES (?, ?)", ((k, " ".join(sorted(v))) for k, v in sorted(table.items()))
        )
        meta = {
            "format": str(TABLE_FORMAT),
            "rigour_version": rigour_version(),
            "max_ngram": str(max_ngram),
            "vocabulary": str(vocabulary),
            "keys": str(len(table)),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()


def _verify(path: Path, sample: list[str], expected: list[list[frozenset[str]]]) -> None:
    from palermo.names.symbols import SymbolTable

    table = SymbolTable(path)
    try:
        for text, reference in zip(sample, expected, strict=True):
            got = table.part_symbols(text, len(reference))
            if got != reference:
                raise ConfigurationError(
                    f"the name-symbol table disagrees with rigour's tagger on {text!r}; not installed "
                    "(Palermo keeps asking the tagger directly)"
                )
    finally:
        table.close()
