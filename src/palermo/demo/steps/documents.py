"""The demo's document-fraud step: check every stored document of a synthetic world, score it against the truth.

The world's ``lost_stolen/documents.csv`` is loaded into the node's registry; every identity document in the store
that carries an MRZ is checked with :func:`check_document` and the registry (exact and near lookups), once per
real document (``truth/records.csv`` maps each stored record to its document). Three signals can raise an alarm:

- ``mrz_invalid``: an MRZ-level check failed (check digits, structure, codes) - aimed at counterfeits;
- ``registry_exact``: the number is in the registry (lost, stolen, stolen blank, revoked, invalidated);
- ``registry_near``: a stolen or stolen-blank number one substitution or transposition away - altered numbers.

Expiry is not an alarm here (the world's documents are checked on its reference date, long after some trips).
A look-alike (someone else's genuine document) is **not detectable from the document alone**: its MRZ is genuine
and only a reported theft puts it in the registry; catching the rest needs the face or fingerprints compared
with the chip. The report says so instead of counting those as misses of the checks.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.db.persons import IdentityDocument
from palermo.db.reference import Source
from palermo.documents.check_document import check_document
from palermo.documents.lost_stolen import LoadReport, LostStolenRegistry
from palermo.documents.models import DocumentCheckResult
from palermo.documents.mrz_parse import MrzUnreadable
from palermo.documents.service import PERMISSION
from palermo.errors import InvalidInput
from palermo.logs import get_logger
from palermo.node import Node

log = get_logger(__name__)

SIGNALS = ("mrz_invalid", "registry_exact", "registry_near")
LOOKALIKE_NOTE = "not detectable from the document alone (genuine MRZ, not reported): needs a biometric comparison"


@dataclass(frozen=True)
class Category:
    """A kind of document in the truth; ``detectable`` says whether the document checks can catch it at all."""

    name: str
    description: str
    detectable: bool = True
    note: str = ""


CATEGORIES = (
    Category("bad_check_digit", "counterfeit whose document-number check digit is wrong"),
    Category("altered_stolen", "stolen passport with one character of its number changed"),
    Category("stolen_blank", "stolen blank booklet personalised (number as reported, or one character changed)"),
    Category("lookalike_reported", "someone else's genuine passport, reported stolen by its holder"),
    Category("lookalike_unreported", "someone else's genuine passport, never reported", False, LOOKALIKE_NOTE),
    Category("reported_genuine", "the holder's own document, reported (lost, revoked, invalidated ...)"),
    Category("genuine", "the holder's own genuine, unreported document: any alarm is a false alarm"),
)


@dataclass(frozen=True)
class TruthDocument:
    document_id: str
    status: str
    reported: str
    holder: str
    used_by: str

    @property
    def category(self) -> str:
        if self.status != "genuine":
            return self.status
        if self.holder != self.used_by:
            return "lookalike_reported" if self.reported else "lookalike_unreported"
        return "reported_genuine" if self.reported else "genuine"


@dataclass(frozen=True)
class CategoryScore:
    category: Category
    documents: int
    caught: int
    by_signal: dict[str, int]

    @property
    def recall(self) -> float | None:
        return self.caught / self.documents if self.documents else None


@dataclass(frozen=True)
class SignalScore:
    """How often a signal fired, and on how many documents that were really forged, misused or reported."""

    signal: str
    fired: int
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.fired if self.fired else None


@dataclass
class DocumentReport:
    """The outcome of the step: what was loaded and checked, and the catch per category and signal."""

    registry: LoadReport
    records: int = 0
    checked: int = 0
    unreadable: int = 0
    not_in_truth: int = 0
    categories: list[CategoryScore] = field(default_factory=list)
    signals: list[SignalScore] = field(default_factory=list)

    def score(self, name: str) -> CategoryScore:
        return next(c for c in self.categories if c.category.name == name)

    @property
    def false_alarms(self) -> int:
        return self.score("genuine").caught

    @property
    def alarms(self) -> int:
        return sum(c.caught for c in self.categories)

    @property
    def precision(self) -> float | None:
        """Alarms on documents that were forged, misused or reported, over all alarms."""
        return (self.alarms - self.false_alarms) / self.alarms if self.alarms else None

    def rows(self) -> list[dict[str, str | int | float | None]]:
        """One printable row per category (recall) and per signal (precision), then the totals."""
        rows: list[dict[str, str | int | float | None]] = [
            {"what": f"category {c.category.name}", "documents": c.documents, "caught": c.caught,
             "recall": _round(c.recall), "precision": None,
             "note": c.category.note or ", ".join(f"{k} {v}" for k, v in sorted(c.by_signal.items()))}
            for c in self.categories
        ]  # fmt: skip
        rows += [
            {"what": f"signal {s.signal}", "documents": s.fired, "caught": s.correct, "recall": None,
             "precision": _round(s.precision), "note": ""}
            for s in self.signals
        ]  # fmt: skip
        rows.append({"what": "all alarms", "documents": self.checked, "caught": self.alarms, "recall": None,
                     "precision": _round(self.precision),
                     "note": f"{self.false_alarms} false alarms; {self.unreadable} unreadable; "
                             f"registry {self.registry.entries_after} entries"})  # fmt: skip
        return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _csv(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise InvalidInput(f"{path} is missing; expected a world written by `palermo synth`")
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_truth(world: Path) -> tuple[dict[tuple[str, str], str], dict[str, TruthDocument]]:
    """(source, source_key) of each document record -> document id; document id -> its truth."""
    records = {
        (r["source"], r["source_key"]): r["document_id"]
        for r in _csv(world / "truth" / "records.csv")
        if r["kind"] == "documents"
    }
    documents = {
        r["document_id"]: TruthDocument(
            r["document_id"], r["status"], r["reported"], r["holder_person_id"], r["used_by_person_id"]
        )
        for r in _csv(world / "truth" / "documents.csv")
    }
    return records, documents


def stored_documents(session: Session) -> Iterator[tuple[str, str, str]]:
    """(source name, source key, MRZ) of every stored identity document that carries an MRZ."""
    query = (
        select(Source.name, IdentityDocument.source_key, IdentityDocument.mrz)
        .join(Source, Source.id == IdentityDocument.source_id)
        .where(IdentityDocument.mrz.is_not(None))
        .order_by(IdentityDocument.id)
    )
    for name, key, mrz in session.execute(query).yield_per(5000):
        if mrz:
            yield name, key, mrz


def signals_of(result: DocumentCheckResult) -> set[str]:
    fired = {f"registry_{hit.match}" for hit in result.registry_hits}
    return fired | ({"mrz_invalid"} if not result.mrz_valid else set())


def _reference_date(world: Path) -> date:
    try:
        manifest = json.loads((world / "manifest.json").read_text(encoding="utf-8"))
        return date.fromisoformat(manifest["reference_date"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{world / 'manifest.json'} is not a readable world manifest: {exc}") from None


def _check_all(
    node: Node, actor: Actor, records: dict[tuple[str, str], str], day: date, report: DocumentReport
) -> dict[str, set[str]]:
    """Signals fired per document id (each real document checked once)."""
    registry = LostStolenRegistry.open(node.home)
    fired: dict[str, set[str]] = {}
    with transaction(node.engine) as session:
        guard(session, actor, PERMISSION, subject="identity_documents:all")
        for source, key, mrz in stored_documents(session):
            report.records += 1
            document_id = records.get((source, key))
            if document_id is None:
                report.not_in_truth += 1
                continue
            if document_id in fired:
                continue
            try:
                result = check_document(mrz, registry=registry, at=day)
            except MrzUnreadable:
                report.unreadable += 1
                continue
            fired[document_id] = signals_of(result)
    report.checked = len(fired)
    return fired


def _score(report: DocumentReport, fired: dict[str, set[str]], truth: dict[str, TruthDocument]) -> None:
    per_category: dict[str, Counter[str]] = {c.name: Counter() for c in CATEGORIES}
    for document_id, signals in fired.items():
        counter = per_category[truth[document_id].category]
        counter["documents"] += 1
        counter["caught"] += bool(signals)
        counter.update(signals)
    report.categories = [
        CategoryScore(c, per_category[c.name]["documents"], per_category[c.name]["caught"],
                      {s: per_category[c.name][s] for s in SIGNALS if per_category[c.name][s]})
        for c in CATEGORIES
    ]  # fmt: skip
    bad = {d for d, t in truth.items() if t.category != "genuine"}
    report.signals = [
        SignalScore(s, sum(s in f for f in fired.values()), sum(s in f for d, f in fired.items() if d in bad))
        for s in SIGNALS
    ]


def check_world_documents(node: Node, world_dir: Path, actor: Actor) -> DocumentReport:
    """Load the world's lost/stolen CSV into the node's registry, check every stored document, score the catch."""
    records, truth = read_truth(world_dir)
    day = _reference_date(world_dir)
    report = DocumentReport(LostStolenRegistry.open(node.home).load_csv(world_dir / "lost_stolen" / "documents.csv"))
    fired = _check_all(node, actor, records, day, report)
    _score(report, fired, truth)
    log.info("demo_documents_checked", checked=report.checked, alarms=report.alarms, false_alarms=report.false_alarms)
    return report
