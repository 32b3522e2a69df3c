"""Recall and latency of the candidate index against exhaustive scoring, on synthetic multi-script watchlists.

Watchlist persons come from Faker in several locales (native scripts: Cyrillic, Greek, Arabic, Hebrew, Han,
Hangul; and Latin), half of the non-Latin ones with a Latin alias. Queries are variants of listed persons:
transliteration, typos, swapped order, dropped middle name, initials, nicknames from the ``given_name_equivalents``
taxonomy (one or two of these per query).

A *true match* is a query whose exhaustive top hit (``score_prepared`` over every stored name) scores at or above
the names threshold; the index *recalls* it when scoring its top-K candidates reaches the same best score.
Side by side: ``rapidfuzz.process.extractOne`` with ``token_set_ratio`` over all names (the usual brute-force
baseline), same queries, same process. Prints JSON and writes ``benchmarks/results/candidates.json``.

Usage: ``python benchmarks/candidates.py [--quick | --large] [--entries N] [--queries N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from faker import Faker
from rapidfuzz import fuzz, process
from rigour.text.translit import ascii_text

from common import machine, write_result  # benchmarks/common.py (scripts run from this folder)
from palermo.names import default_config, prepare_name, score_prepared
from palermo.screening.candidate_index import CandidateIndex, IndexEntry, load_index, save_index
from palermo.taxonomies import taxonomy

LOCALES = ["ru_RU", "uk_UA", "el_GR", "ar_AA", "he_IL", "zh_CN", "ko_KR", "en_US", "fr_FR", "de_DE", "es_ES", "tr_TR"]
LATIN = {"en_US", "fr_FR", "de_DE", "es_ES", "tr_TR"}
SEED = 20240607


def persons(count: int, rnd: random.Random) -> list[IndexEntry]:
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(SEED + i)
    entries = []
    for entry_id in range(1, count + 1):
        locale = LOCALES[entry_id % len(LOCALES)]
        f = fakers[locale]
        parts = [f.first_name(), f.last_name()]
        if locale == "ru_RU" and rnd.random() < 0.5:
            parts.insert(1, f.middle_name())
        elif rnd.random() < 0.15:
            parts.insert(1, f.first_name())
        sep = "" if locale in {"zh_CN", "ko_KR"} else " "
        if sep == "":
            parts = [parts[-1], parts[0]]
        names = [sep.join(parts)]
        if locale not in LATIN and rnd.random() < 0.5:
            names.append(" ".join(ascii_text(p).title() for p in parts))
        year = rnd.randint(1950, 2005) if rnd.random() < 0.7 else None
        entries.append(IndexEntry(entry_id, names, year, [f"P{entry_id:08d}"] if rnd.random() < 0.3 else []))
    return entries


def _nicknames() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for term in taxonomy("given_name_equivalents").terms:
        names = [str(n) for n in term.attributes.get("names", [])]
        for name in names:
            groups[name] = [n for n in names if n != name]
    return groups


def _typo(word: str, rnd: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rnd.randrange(1, len(word) - 1)
    kind = rnd.choice(["drop", "swap", "replace", "double"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rnd.choice("aeiounrst") + word[i + 1 :]


def variant(name: str, rnd: random.Random, nicknames: dict[str, list[str]]) -> tuple[str, list[str]]:
    """A query variant of a stored name, and the transformations applied."""
    words = name.split() if " " in name else [name]
    applied = []
    for kind in rnd.sample(["translit", "typo", "swap", "drop_middle", "initial", "nickname"], rnd.choice([1, 2])):
        if kind == "translit":
            words = [ascii_text(w).title() for w in words]
        elif kind == "typo":
            i = rnd.randrange(len(words))
            words[i] = _typo(words[i], rnd)
        elif kind == "swap" and len(words) > 1:
            words = words[-1:] + words[:-1]
        elif kind == "drop_middle" and len(words) > 2:
            words = [words[0], words[-1]]
        elif kind == "initial" and len(words) > 1:
            words[0] = words[0][0] + "."
        elif kind == "nickname" and words[0].lower() in nicknames:
            words[0] = rnd.choice(nicknames[words[0].lower()]).title()
        else:
            continue
        applied.append(kind)
    return " ".join(words), applied


def exhaustive_best(query: Any, stored: list[Any], threshold: float) -> float:
    best = 0.0
    for name in stored:
        score = score_prepared(query, name, None, threshold)
        if score > best:
            best = score
    return best


def _script(name: str) -> str:
    return prepare_name(name).script or "none"


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def run(entries_count: int, queries_count: int) -> dict[str, Any]:
    rnd = random.Random(SEED)
    rss = psutil.Process()
    prepare_name("warm up rigour's tagger")
    start = time.perf_counter()
    entries = persons(entries_count, rnd)
    generate_s = time.perf_counter() - start
    rss_before = rss.memory_info().rss
    start = time.perf_counter()
    index = CandidateIndex.build(entries)
    build_s = time.perf_counter() - start
    rss_delta = (rss.memory_info().rss - rss_before) / 2**20
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        save_index(index, Path(folder))
        save_s = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
        start = time.perf_counter()
        index = load_index(Path(folder))
        load_s = time.perf_counter() - start
    rows = len(index.row_entry)
    stored = [index.prepared(row) for row in range(rows)]
    all_names = [index.names.get(row) for row in range(rows)]
    nicknames = _nicknames()
    threshold = default_config().threshold
    found = recalled = 0
    ours_ms: list[float] = []
    peer_ms: list[float] = []
    misses: list[dict[str, Any]] = []
    kinds: dict[str, int] = {}
    groups: dict[str, dict[str, list[int]]] = {"variant_kind": {}, "listed_script": {}, "query_script": {}}
    for _ in range(queries_count):
        entry = entries[rnd.randrange(len(entries))]
        listed = rnd.choice(entry.names)
        text, applied = variant(listed, rnd, nicknames)
        for kind in applied:
            kinds[kind] = kinds.get(kind, 0) + 1
        keys = {
            "variant_kind": applied or ["none"],
            "listed_script": [_script(listed)],
            "query_script": [_script(text)],
        }
        start = time.perf_counter()
        results = index.search([text], entry.birth_year)
        ours_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        process.extractOne(text, all_names, scorer=fuzz.token_set_ratio)
        peer_ms.append((time.perf_counter() - start) * 1000)
        truth = exhaustive_best(prepare_name(text), stored, threshold)
        if truth < threshold:
            continue
        found += 1
        ours_best = results[0].score if results else 0.0
        hit = ours_best >= truth - 1e-9
        for group, values in keys.items():
            for value in values:
                tally = groups[group].setdefault(value, [0, 0])
                tally[0] += 1
                tally[1] += hit
        if hit:
            recalled += 1
        elif len(misses) < 20:
            misses.append(
                {"query": text, "of": entry.names, "applied": applied, "exhaustive": truth, "index": ours_best}
            )
    p50, peer_p50 = statistics.median(ours_ms), statistics.median(peer_ms)
    return {
        "entries": entries_count,
        "rows": rows,
        "vocabulary": len(index.vocabulary),
        "queries": queries_count,
        "variant_kinds": kinds,
        "true_matches": found,
        "recalled": recalled,
        "recall": round(recalled / found, 4) if found else None,
        # true matches and recalled ones per variant kind (a query with two kinds counts in both) and per script
        "recall_by": {
            group: {value: {"true": t, "recalled": r, "recall": round(r / t, 4)} for value, (t, r) in sorted(v.items())}
            for group, v in groups.items()
        },
        "top_k": index.config.top_k,
        "generate_s": round(generate_s, 1),
        "build_s": round(build_s, 1),
        "build_rss_delta_mib": round(rss_delta, 1),
        "save_s": round(save_s, 2),
        "load_s": round(load_s, 2),
        "file_mib": round(size, 1),
        "query_ms": {"p50": round(p50, 2), "p95": round(percentile(ours_ms, 0.95), 2)},
        "peer_extractone_token_set_ratio_ms": {"p50": round(peer_p50, 2), "p95": round(percentile(peer_ms, 0.95), 2)},
        "peer_over_ours_latency_ratio": round(peer_p50 / p50, 2),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k entries, 100 queries")
    parser.add_argument("--large", action="store_true", help="also 1M entries (slow: minutes to build)")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    sizes = [(20_000, 100)] if args.quick else [(args.entries, args.queries)]
    if args.large:
        sizes.append((1_000_000, max(50, args.queries // 4)))
    result = {"benchmark": "candidates", "machine": machine(), "runs": [run(n, q) for n, q in sizes]}
    write_result("candidates", result)


if __name__ == "__main__":
    main()
