"""The person score of a traveller against one watchlist entry: the name score, then date of birth, nationality,
sex and document number, each a :class:`palermo.explanation.Feature` with its value, weight and reason (weights:
``screening.yaml``).

``score = clamp(name_score * w_name + sum(value * weight of the other features), 0, 1)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from palermo.explanation import Feature, Score, clamped
from palermo.screening.candidate_index.index import normalise_document
from palermo.screening.scoring_config import PersonScoreConfig


@dataclass(frozen=True)
class Traveller:
    """What is known about the person at the booth (from the MRZ and/or typed in)."""

    names: list[str]
    birth_date: str | None = None
    nationalities: list[str] = field(default_factory=list)
    sex: str | None = None
    document_numbers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntryFacts:
    """The identifying fields of a watchlist entry, as the scorer needs them."""

    entry_id: int
    source_key: str
    watchlist: str
    category: str
    names: list[str]
    birth_date: str | None
    nationalities: list[str]
    sex: str | None
    document_numbers: list[str]
    reason: str | None
    handling: str
    other_birth_dates: tuple[str, ...] = ()  # further listed dates of birth; ``birth_date`` is the most precise


def _parts(date: str) -> list[int]:
    return [int(p) for p in date.split("-")]


def birth_date_level(a: str | None, b: str | None) -> tuple[str, str]:
    """How two partial ISO dates of birth agree: exact, compatible, day_month_swapped, year_off_by_one, same_year,
    conflict, or unknown; with a readable detail."""
    if not a or not b:
        return "unknown", "date of birth missing on one side"
    pa, pb = _parts(a), _parts(b)
    common = min(len(pa), len(pb))
    if pa[:common] == pb[:common]:
        if len(pa) == len(pb) == 3:
            return "exact", f"same date of birth {a}"
        return "compatible", f"{a} and {b} agree as far as the less precise goes"
    if common == 3 and pa[0] == pb[0] and pa[1] == pb[2] and pa[2] == pb[1]:
        return "day_month_swapped", f"{a} vs {b}: day and month swapped"
    if abs(pa[0] - pb[0]) == 1 and pa[1:common] == pb[1:common]:
        return "year_off_by_one", f"{a} vs {b}: year off by one"
    if pa[0] == pb[0]:
        return "same_year", f"{a} vs {b}: same year, another day or month"
    return "conflict", f"{a} vs {b}: different dates of birth"


class Term(NamedTuple):
    """A person-score feature before it becomes a :class:`Feature` (only reported hits are explained)."""

    id: str
    value: float
    weight: float
    detail: str


def _birth_terms(traveller: Traveller, entry: EntryFacts, config: PersonScoreConfig) -> list[Term]:
    """The date-of-birth terms against the entry's listed date that supports the match most (lists often give
    several; each is scored as the person score would, and the best counts)."""
    listed = [d for d in (entry.birth_date, *entry.other_birth_dates) if d]
    best: list[Term] = []
    candidates: list[str | None] = [*listed] or [None]
    for date in candidates:
        level, detail = birth_date_level(traveller.birth_date, date)
        if len(listed) > 1:
            detail += f" (listed dates of birth: {', '.join(listed)})"
        agreement = 0.0 if level in ("unknown", "conflict") else float(getattr(config.birth_date, level))
        terms = [
            Term("birth_date", agreement, config.birth_date.weight, detail),
            Term("birth_date_conflict", float(level == "conflict"), config.birth_date_conflict, detail),
        ]
        if not best or support(terms) > support(best):
            best = terms
    return best


def _nationality_terms(traveller: Traveller, entry: EntryFacts, config: PersonScoreConfig) -> list[Term]:
    if not traveller.nationalities or not entry.nationalities:
        return [Term("nationality", 0.0, config.nationality, "nationality missing on one side")]
    shared = sorted(set(traveller.nationalities) & set(entry.nationalities))
    if shared:
        return [Term("nationality", 1.0, config.nationality, f"shared nationality {', '.join(shared)}")]
    detail = f"{'/'.join(traveller.nationalities)} vs listed {'/'.join(entry.nationalities)}"
    return [Term("nationality_conflict", 1.0, config.nationality_conflict, detail)]


def _sex_term(traveller: Traveller, entry: EntryFacts, config: PersonScoreConfig) -> Term:
    known = traveller.sex in ("M", "F") and entry.sex in ("M", "F")
    conflict = known and traveller.sex != entry.sex
    detail = f"{traveller.sex} vs listed {entry.sex}" if known else "sex missing or unspecified on one side"
    return Term("sex_conflict", float(conflict), config.sex_conflict, detail)


def _document_term(traveller: Traveller, entry: EntryFacts, config: PersonScoreConfig) -> Term:
    listed = {normalise_document(n): n for n in entry.document_numbers}
    same = [n for n in traveller.document_numbers if normalise_document(n) in listed]
    detail = f"document number {same[0]} is listed" if same else "no listed document number presented"
    return Term("document_number", float(bool(same)), config.document_number, detail)


def person_terms(
    traveller: Traveller, entry: EntryFacts, name_score: float, name_detail: str, config: PersonScoreConfig
) -> list[Term]:
    """The terms of the person score of ``traveller`` against ``entry``, given their best name score."""
    return [
        Term("name", name_score, config.name, name_detail),
        *_birth_terms(traveller, entry, config),
        *_nationality_terms(traveller, entry, config),
        _sex_term(traveller, entry, config),
        _document_term(traveller, entry, config),
    ]


def person_total(terms: list[Term]) -> float:
    """The person score of ``terms``: exactly ``explained(terms).total``, without building the explanation."""
    return clamped(support(terms))


def support(terms: list[Term]) -> float:
    """The sum of ``terms`` before clamping: between two entries whose person scores both reach 1.0 (the same exact
    name), the one whose date of birth, nationality or document also agrees ranks first."""
    return sum(t.value * t.weight for t in terms)


def explained(terms: list[Term]) -> Score:
    """The person score of ``terms`` with its features."""
    return Score.clamped(Feature.weighted(*t) for t in terms)


def best_possible(name_score: float, config: PersonScoreConfig, documents: bool = True) -> float:
    """An upper bound of the person score for a name score (every other reward at its highest; the document
    reward left out with ``documents=False``, for candidates found by name alone)."""
    rewards = config.birth_date.weight + config.nationality + (config.document_number if documents else 0.0)
    return name_score * config.name + rewards
