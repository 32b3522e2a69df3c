"""Measuring screening answers against a synthetic world's ground truth (``truth/`` of ``palermo synth``).

* **Watchlist-hit recall**: crossings by a person who is on a watchlist (``watchlist_matches.csv``, ``true_match``)
  whose screening reported a hit on one of that person's entries at or above the refer threshold.
* **Ordinary referred**: crossings by ordinary persons (``persons.csv`` role ``ordinary``, on no list) with any
  watchlist hit at or above the refer threshold (the false alarms of name matching), and with any decision other
  than ``clear`` (all causes, indicators included).
* **Combined risk**: precision and recall of the crossings whose combined risk score reached the model's
  threshold, and the share of ordinary travellers' crossings it referred.
* **Per indicator**: precision and recall of the crossings it fired on against trafficking movements
  (``movements.csv`` ``trafficking=1``), and the unit kinds of its false positives (the confounders it falls for).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palermo.errors import InvalidInput
from palermo.screening.requests import ScreeningResult


@dataclass(frozen=True)
class Movement:
    person_id: str
    trafficking: bool
    unit_kind: str


@dataclass(frozen=True)
class Truth:
    movements: dict[tuple[str, str], Movement]
    entries_of: dict[str, set[tuple[str, str]]]  # person -> {(watchlist, entry id)}
    roles: dict[str, str]


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InvalidInput(f"no truth file {path}; --truth takes the truth/ folder of a `palermo synth` world")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_truth(folder: Path) -> Truth:
    movements = {
        (r["source"], r["source_key"]): Movement(r["person_id"], r["trafficking"] == "1", r["unit_kind"])
        for r in _rows(folder / "movements.csv")
    }
    entries: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in _rows(folder / "watchlist_matches.csv"):
        if r["match"] == "true_match":
            entries[r["person_id"]].add((r["watchlist"], r["entry_id"]))
    roles = {r["person_id"]: r["role"] for r in _rows(folder / "persons.csv")}
    return Truth(movements, dict(entries), roles)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def measure(results: list[tuple[Any, ScreeningResult]], truth: Truth, refer: float) -> dict[str, Any]:
    listed = found = ordinary = ordinary_hit = ordinary_flagged = trafficking = flagged_tp = flagged = 0
    risky = risky_tp = ordinary_risky = 0
    fired: Counter[str] = Counter()
    fired_tp: Counter[str] = Counter()
    fp_units: dict[str, Counter[str]] = defaultdict(Counter)
    for crossing, result in results:
        movement = truth.movements.get((crossing.source, crossing.source_key))
        if movement is None:
            continue
        hits = {(h.watchlist, h.entry_id) for h in result.hits if h.score >= refer}
        expected = truth.entries_of.get(movement.person_id, set())
        if expected:
            listed += 1
            found += int(bool(hits & expected))
        elif truth.roles.get(movement.person_id) == "ordinary":
            ordinary += 1
            ordinary_hit += int(bool(hits))
            ordinary_flagged += int(result.decision != "clear")
            ordinary_risky += int(result.risk.refers)
        trafficking += int(movement.trafficking)
        flagged += int(result.decision != "clear")
        flagged_tp += int(result.decision != "clear" and movement.trafficking)
        risky += int(result.risk.refers)
        risky_tp += int(result.risk.refers and movement.trafficking)
        for indicator in {i.id for i in result.indicators}:
            fired[indicator] += 1
            fired_tp[indicator] += int(movement.trafficking)
            if not movement.trafficking:
                fp_units[indicator][movement.unit_kind] += 1
    return {
        "watchlist_hit_recall": _ratio(found, listed),
        "listed_crossings": listed,
        "ordinary_crossings": ordinary,
        "ordinary_referred_by_watchlist": _ratio(ordinary_hit, ordinary),
        "ordinary_not_cleared": _ratio(ordinary_flagged, ordinary),
        "trafficking_movements": trafficking,
        "movements_flagged": {"precision": _ratio(flagged_tp, flagged), "recall": _ratio(flagged_tp, trafficking)},
        "combined_risk": {
            "precision": _ratio(risky_tp, risky),
            "recall": _ratio(risky_tp, trafficking),
            "ordinary_referred": _ratio(ordinary_risky, ordinary),
        },
        "per_indicator": {
            ind: {
                "fired": fired[ind],
                "precision": _ratio(fired_tp[ind], fired[ind]),
                "recall": _ratio(fired_tp[ind], trafficking),
                "false_positives_by_unit": dict(fp_units[ind].most_common(4)),
            }
            for ind in sorted(fired)
        },
    }
