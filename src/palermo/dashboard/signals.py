"""What raised the alerts of a window, and with which decision, counted per alert: never a person's name.

A stored screening alert's explanation (``palermo.screening.service``) holds its reasons, its watchlist hits and its
fired risk indicators. Counted here: each fired indicator by its id (``risk_indicators.yaml``, protective or not), a
watchlist hit by the *category* of the entries hit (``watchlist_categories.yaml``: a missing person or a potential
victim is a protective signal), and a document problem. A hit's ``name`` is the listed person's and is never read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from palermo.alerts.queue import DECISIONS
from palermo.taxonomies import taxonomy

WATCHLIST_HIT = "watchlist_hit"
DOCUMENT_PROBLEM = "document_problem"
_OTHER_LABELS = {WATCHLIST_HIT: "Watchlist hit", DOCUMENT_PROBLEM: "Document problem"}
_HIT_PREFIX = "watchlist_hit:"
PROTECT = "protect"  # the decision for a possible victim (screening_decisions.yaml)


@dataclass(frozen=True)
class Signal:
    """One thing that raised alerts: its id, its label, how many alerts it raised, and whether it is protective
    (it points to a possible victim: protect rather than refer)."""

    id: str
    label: str
    count: int
    protective: bool


def signals_of(explanation: Any) -> set[str]:
    """The signals of one alert: fired indicators' ids, ``watchlist_hit:<category>`` per category hit (or
    ``watchlist_hit`` when its hits name no category), and ``document_problem``."""
    found: set[str] = set()
    entries = [e for e in explanation if isinstance(e, dict)] if isinstance(explanation, list) else []
    for entry in entries:
        kind = entry.get("kind")
        if kind == "indicator" and isinstance(entry.get("id"), str):
            found.add(entry["id"])
        elif kind == "hit" and isinstance(entry.get("category"), str):
            found.add(_HIT_PREFIX + entry["category"])
        elif kind == "document":
            found.add(DOCUMENT_PROBLEM)
    if any(e.get("kind") == WATCHLIST_HIT for e in entries) and not any(s.startswith(_HIT_PREFIX) for s in found):
        found.add(WATCHLIST_HIT)
    return found


def _described(signal: str) -> tuple[str, bool]:
    """The label of a signal and whether it is protective, from the taxonomies."""
    if signal.startswith(_HIT_PREFIX):
        term = taxonomy("watchlist_categories").get(signal.removeprefix(_HIT_PREFIX))
        label = term.label if term else signal.removeprefix(_HIT_PREFIX)
        return f"Watchlist hit: {label.lower()}", bool(term and term.attributes.get("protective"))
    term = taxonomy("risk_indicators").get(signal)
    if term is not None:
        return term.label, bool(term.attributes.get("protective"))
    return _OTHER_LABELS.get(signal, signal), False


def count_signals(explanations: Iterable[Any]) -> list[Signal]:
    """Alerts per signal, most frequent first."""
    counts: Counter[str] = Counter()
    for explanation in explanations:
        counts.update(signals_of(explanation))
    signals = []
    for signal, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        label, protective = _described(signal)
        signals.append(Signal(signal, label, count, protective))
    return signals


def count_decisions(decisions: Iterable[str | None]) -> list[Signal]:
    """Alerts per decision an alert can carry (refer, alert, protect: protect is protective), zeros included."""
    counts = Counter(d for d in decisions if d)
    return [
        Signal(d, label_of_decision(d), counts[d], d == PROTECT)
        for d in (*DECISIONS, *sorted(set(counts) - set(DECISIONS)))
    ]


def label_of_decision(decision: str) -> str:
    term = taxonomy("screening_decisions").get(decision)
    return term.label if term else decision
