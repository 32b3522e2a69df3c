"""Watchlists in the store: load a file (documented CSV/JSON Lines, or FollowTheMoney), list, remove, count.

A list's entries come from one source (``watchlist:<name>``), so the provenance columns say where each came from and
loading is idempotent by (source, entry id): a re-run of the same file changes nothing, a changed row is updated.
Rows that cannot be read go to ``FILE.rejects.jsonl`` (line, field, reason, row), like ingest; the good ones load.
Entries loaded with something left out (a trimmed FtM entity, an unknown country code) are listed with the reason
in ``FILE.warnings.jsonl``. Delta lines (``{"op": "ADD" | "MOD" | "DEL", "entity": ...}``) are applied in order:
``DEL`` removes the entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.bulk_work import fewer_collections
from palermo.db.reference import Agency, Source
from palermo.db.watchlists import PROTECTIVE_CATEGORIES, Watchlist, WatchlistEntry
from palermo.errors import InvalidInput, NotFound, PalermoError
from palermo.ingest import readers
from palermo.ingest.rejects import RejectsWriter
from palermo.ingest.sources import SourceSpec, add_source, get_source
from palermo.screening import ftm
from palermo.screening.entries import EntrySpec, build_entry, category
from palermo.taxonomies import taxonomy

CSV_COLUMNS = frozenset(
    {
        "id",
        "name",
        "aliases",
        "weak_aliases",
        "birth_date",
        "nationality",
        "sex",
        "document_numbers",
        "category",
        "reason",
        "expires_on",
    }
)


@dataclass
class LoadReport:
    """What one load did; ``changed`` and ``removed`` are store ids the candidate index must pick up."""

    watchlist: str
    path: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: int = 0
    skipped: int = 0
    warnings: int = 0
    rejects_path: str | None = None
    warnings_path: str | None = None
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        keys = (
            "watchlist",
            "path",
            "read",
            "inserted",
            "updated",
            "unchanged",
            "deleted",
            "rejected",
            "skipped",
            "warnings",
            "rejects_path",
            "warnings_path",
        )
        return {k: getattr(self, k) for k in keys}


@dataclass(frozen=True)
class Removal:
    """A delta line's ``DEL``: the entry with this id leaves the list."""

    source_key: str


class WatchlistSummary(BaseModel):
    """A watchlist with its category and number of entries (the API's answer too)."""

    model_config = ConfigDict(frozen=True)

    name: str
    category: str
    description: str | None
    entries: int
    source: str


def source_name(watchlist: str) -> str:
    return f"watchlist:{watchlist}"


def _rows(
    path: Path, file_format: str | None
) -> tuple[Iterator[readers.RawRow | readers.BadLine], dict[str, list[str]]]:
    """The file's rows, and (JSON lines) the numbers of its separate identification entities by holder id."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    # OpenSanctions names its FollowTheMoney exports *.ftm.json / *.json: JSON lines too
    detected = readers.detect_format(path, file_format or ("jsonl" if path.suffix.lower() == ".json" else None))
    state = readers.ReadState(total_bytes=path.stat().st_size)
    encoding = readers.detect_encoding(path, "auto")
    if detected == "jsonl":
        return readers.read_jsonl(path, encoding, state), ftm.holder_documents(path, encoding)
    if detected == "parquet":
        raise InvalidInput(f"{path}: watchlists load from CSV or JSON Lines (documented columns or FollowTheMoney)")
    header, rows = next(readers.read_csv(path, encoding, state))
    readers.check_columns(path, header, set(CSV_COLUMNS), {"id", "name"}, ignore_unknown=False)
    return rows, {}


def read_entries(
    path: Path,
    rejects: RejectsWriter,
    report: LoadReport,
    file_format: str | None = None,
    warnings: RejectsWriter | None = None,
) -> Iterator[tuple[EntrySpec | Removal, bool]]:
    """The good entries of a file (each with whether it came as a delta line); bad rows go to ``rejects``, entries
    loaded with something left out to ``warnings``; non-person FtM entities are counted as skipped."""
    rows, documents = _rows(path, file_format)
    for row in rows:
        report.read += 1
        if isinstance(row, readers.BadLine):
            rejects.write(row.line, row.reason, row.raw, row.field)
            continue
        try:
            unwrapped = ftm.delta(row.fields)
            op, fields = unwrapped or ("ADD", row.fields)
            if ftm.is_ftm(fields) and not ftm.is_person(fields):
                report.skipped += 1
                continue
            if op == "DEL":
                key = str(fields.get("id") or "").strip()
                if not key:
                    raise InvalidInput("a DEL line needs the entity's id")
                yield Removal(key), True
                continue
            if ftm.is_ftm(fields):
                spec = ftm.ftm_entry(fields, documents.get(str(fields.get("id"))))
            else:
                spec = build_entry(fields)
        except (PalermoError, TypeError, ValueError) as exc:
            rejects.write(row.line, getattr(exc, "message", str(exc)), row.fields)
            continue
        for warning in spec.warnings:
            if warnings is not None:
                warnings.write(row.line, warning, spec.source_key)
        report.warnings += bool(spec.warnings)
        yield spec, unwrapped is not None


def _watchlist(session: Session, name: str, wanted: str | None) -> Watchlist | None:
    found = session.scalars(select(Watchlist).where(Watchlist.name == name)).first()
    if found is not None and wanted and found.category != wanted:
        raise InvalidInput(f"watchlist {name!r} has category {found.category!r}, not {wanted!r}", field="category")
    return found


@dataclass(frozen=True)
class Sharing:
    """Who a list's entries may be shared with (``palermo share``): a distribution and, for ``group``, the group."""

    distribution: str
    sharing_group: str | None = None

    def validated(self) -> Sharing:
        taxonomy("distributions").require(self.distribution)
        if (self.distribution == "group") != bool(self.sharing_group):
            raise InvalidInput(
                "distribution 'group' needs the sharing group's name, and only it takes one", field="sharing_group"
            )
        return self


def _source_id(session: Session, name: str, agency_code: str, protective: bool, sharing: Sharing | None) -> int:
    """The list's source (created with the node's agency on the first load); ``sharing`` sets its distribution
    and that of every entry already in the list."""
    try:
        source_id = get_source(session, source_name(name)).id
    except NotFound:
        spec = SourceSpec(
            name=source_name(name),
            agency=agency_code,
            description=f"entries of watchlist {name}",
            sensitivity="special" if protective else "ordinary",
            distribution=sharing.distribution if sharing else "agency",
            sharing_group=sharing.sharing_group if sharing else None,
        )
        return add_source(session, spec).id
    if sharing is not None:
        source = session.get(Source, source_id)
        assert source is not None
        source.default_distribution, source.default_sharing_group = sharing.distribution, sharing.sharing_group
        session.execute(
            update(WatchlistEntry)
            .where(WatchlistEntry.source_id == source_id)
            .values(distribution=sharing.distribution, sharing_group=sharing.sharing_group)
        )
        session.flush()
    return source_id


def _digest(values: dict[str, Any]) -> str:
    """What an entry's row holds, hashed (``row_hash``): a reload that finds it unchanged writes nothing."""
    text = orjson.dumps(values, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def legacy_row_digest(values: dict[str, Any]) -> str:
    """The digest of entries loaded before 7 December 2026 (the standard library's JSON, a third of a load's time):
    an entry stored with it is still recognised unchanged (and then keeps it)."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _values(spec: EntrySpec, list_category: str) -> dict[str, Any]:
    # other_birth_dates only when there are some: the digest of an entry with one date stays what it was
    more = {"other_birth_dates": spec.other_birth_dates} if spec.other_birth_dates else {}
    return more | {
        "category": spec.category or list_category,
        "names": spec.stored_names(),
        "birth_date": spec.birth_date,
        "nationalities": spec.nationalities,
        "sex": spec.sex,
        "document_numbers": spec.document_numbers,
        "reason": spec.reason,
        "expires_on": spec.expires_on,
    }


#: new entries written per batch (one executemany and one query for their ids)
INSERT_BATCH = 2_000
_ENTRIES = cast(Table, WatchlistEntry.__table__)


class _Writer:
    """Upserts entries of one list by (source, entry id).

    New entries are inserted in batches of :data:`INSERT_BATCH` rows (one ``executemany``, then one query for their
    ids): an ORM object and a flush per entry ran at ~1,200 entries/s, most of it SQLAlchemy's unit of work. Updates and
    removals are rare (a list is mostly reloaded unchanged) and stay per row; a line that touches an entry still in
    the batch (a delta's MOD or DEL after its ADD) writes the batch first.
    """

    def __init__(self, session: Session, watchlist: Watchlist, source: Source, report: LoadReport) -> None:
        self.session, self.watchlist, self.source, self.report = session, watchlist, source, report
        rows = session.execute(
            select(WatchlistEntry.source_key, WatchlistEntry.id, WatchlistEntry.row_hash).where(
                WatchlistEntry.source_id == source.id
            )
        )
        # plain str -> int and str -> str dicts, not (id, digest) tuples nor a set: the garbage collector leaves
        # containers of untracked objects alone, and a million-entry set or tuple-valued dict was walked at every
        # full collection of a load (14 % of an FtM load at 1M entries, growing with the list)
        self.existing: dict[str, int] = {}
        self.digests: dict[str, str] = {}
        for key, entry_id, digest in rows:
            self.existing[key], self.digests[key] = entry_id, digest
        self.seen: dict[str, None] = {}
        self.pending: dict[str, dict[str, Any]] = {}  # source key -> the row to insert
        agency = session.scalar(select(Agency.code).where(Agency.id == source.agency_id))
        self.fixed = {
            "watchlist_id": watchlist.id,
            "source_id": source.id,
            "originator": agency or "unknown",
            "handling": source.default_handling,
            "handling_note": source.default_handling_note,
            "distribution": source.default_distribution,
            "sharing_group": source.default_sharing_group,
            "source_reliability": source.default_reliability,
            "information_credibility": source.default_credibility,
        }

    def remove(self, key: str) -> None:
        if key in self.pending:
            self.flush()
        known = self.existing.pop(key, None)
        self.digests.pop(key, None)
        if known is None:
            self.report.skipped += 1  # a delta removes what a list never held (another schema's entity, say)
            return
        row = self.session.get(WatchlistEntry, known)
        if row is not None:
            self.session.delete(row)
            self.session.flush()
        self.report.deleted += 1
        self.report.removed.append(known)

    def write(self, spec: EntrySpec, line_rejects: RejectsWriter, *, repeatable: bool = False) -> None:
        """Insert or update ``spec``; an id seen before in the file is rejected unless it came as a delta line."""
        if spec.source_key in self.seen and not repeatable:
            line_rejects.write(0, f"entry id {spec.source_key!r} appears more than once in the file", spec.source_key)
            return
        self.seen[spec.source_key] = None
        if spec.source_key in self.pending:
            self.flush()
        values = _values(spec, self.watchlist.category)
        digest = _digest(values)
        known = self.existing.get(spec.source_key)
        stored = self.digests.get(spec.source_key)
        if known is not None and (stored == digest or stored == legacy_row_digest(values)):
            self.report.unchanged += 1
            return
        if known is not None:
            row = self.session.get(WatchlistEntry, known)
            assert row is not None
            for key, value in ({"other_birth_dates": None} | values).items():
                setattr(row, key, value)
            row.row_hash = digest
            self.digests[spec.source_key] = digest
            self.report.updated += 1
            self.report.changed.append(row.id)
            return
        protective = values["category"] in PROTECTIVE_CATEGORIES
        self.pending[spec.source_key] = {
            **self.fixed,
            "other_birth_dates": None,
            **values,
            "source_key": spec.source_key,
            "sensitivity": "special" if protective else self.source.default_sensitivity,
            "row_hash": digest,
        }
        if len(self.pending) >= INSERT_BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert the pending new entries; their ids join ``existing`` and the report."""
        if not self.pending:
            return
        rows = list(self.pending.values())
        self.pending = {}
        self.session.flush()  # the ORM's own pending changes (updates, removals) first, in file order
        digests = {str(r["source_key"]): str(r["row_hash"]) for r in rows}
        # one Core executemany: every row has every column (RETURNING made SQLite go row by row; the ORM's bulk
        # insert spent as long preparing the rows as the store took to write them)
        self.session.connection().execute(insert(_ENTRIES), rows)
        ids = self.session.execute(
            select(WatchlistEntry.source_key, WatchlistEntry.id).where(
                WatchlistEntry.source_id == self.source.id, WatchlistEntry.source_key.in_(list(digests))
            )
        )
        new_ids: dict[str, int] = dict(ids.all())
        for key, digest in digests.items():  # in file order
            self.existing[key], self.digests[key] = new_ids[key], digest
            self.report.changed.append(new_ids[key])
        self.report.inserted += len(rows)


def load_watchlist(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    name: str,
    agency_code: str,
    list_category: str | None = None,
    file_format: str | None = None,
    description: str | None = None,
    sharing: Sharing | None = None,
) -> LoadReport:
    """Load ``path`` into watchlist ``name`` (created on first load; ``list_category`` needed then, unless rows
    carry a category). Idempotent by (source, entry id). ``sharing``: who the list's entries may be shared with
    (default for a new list: its own agency only); given on a later load, it changes every entry of the list."""
    guard(session, actor, "watchlists.write", subject=f"watchlist:{name}")
    wanted = category(list_category)
    sharing = sharing.validated() if sharing else None
    if not name.strip() or len(name) > 180:
        raise InvalidInput("a watchlist needs a name of at most 180 characters", field="name")
    report = LoadReport(watchlist=name, path=str(path))
    watchlist = _watchlist(session, name, wanted)
    rejects_path = path.with_name(path.name + ".rejects.jsonl")
    warnings_path = path.with_name(path.name + ".warnings.jsonl")
    with RejectsWriter(rejects_path) as rejects, RejectsWriter(warnings_path) as warnings, fewer_collections():
        writer: _Writer | None = None
        for item, repeatable in read_entries(path, rejects, report, file_format, warnings):
            if writer is None:
                if watchlist is None:
                    if isinstance(item, Removal):
                        report.skipped += 1  # nothing to remove from a list that does not exist yet
                        continue
                    watchlist = _create(session, name, wanted or item.category, description, path)
                protective = watchlist.category in PROTECTIVE_CATEGORIES
                source_id = _source_id(session, name, agency_code, protective, sharing)
                source = session.get(Source, source_id)
                assert source is not None
                writer = _Writer(session, watchlist, source, report)
            if isinstance(item, Removal):
                writer.remove(item.source_key)
            else:
                writer.write(item, rejects, repeatable=repeatable)
        if writer is not None:
            writer.flush()
        report.rejected = rejects.count
    report.rejects_path = str(rejects_path) if report.rejected else None
    report.warnings_path = str(warnings_path) if report.warnings else None
    return report


def _create(session: Session, name: str, wanted: str | None, description: str | None, path: Path) -> Watchlist:
    if wanted is None:
        raise InvalidInput(
            f"{path}: watchlist {name!r} is new and its rows carry no category; pass --category", field="category"
        )
    watchlist = Watchlist(name=name, category=wanted, description=description)
    session.add(watchlist)
    session.flush()
    return watchlist


def list_watchlists(session: Session, actor: Actor) -> list[WatchlistSummary]:
    guard(session, actor, "watchlists.read")
    counts = dict(
        session.execute(select(WatchlistEntry.watchlist_id, func.count()).group_by(WatchlistEntry.watchlist_id)).all()
    )
    lists = session.scalars(select(Watchlist).order_by(Watchlist.name))
    return [
        WatchlistSummary(
            name=w.name,
            category=w.category,
            description=w.description,
            entries=int(counts.get(w.id, 0)),
            source=source_name(w.name),
        )
        for w in lists
    ]


def remove_watchlist(session: Session, actor: Actor, name: str) -> list[int]:
    """Delete a list and its entries; returns the removed entry ids (for the candidate index)."""
    guard(session, actor, "watchlists.write", subject=f"watchlist:{name}")
    watchlist = _watchlist(session, name, None)
    if watchlist is None:
        raise NotFound(f"no watchlist named {name!r}; see `palermo watchlist list`")
    ids = list(session.scalars(select(WatchlistEntry.id).where(WatchlistEntry.watchlist_id == watchlist.id)))
    session.execute(delete(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist.id))
    session.delete(watchlist)
    session.flush()
    return ids


def watchlist_stats(
    session: Session, actor: Actor, name: str | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """Entries per list and category, expired entries, and how complete the identifying fields are."""
    guard(session, actor, "watchlists.read")
    today = today or dt.datetime.now(dt.UTC).date()
    query = select(Watchlist.name, WatchlistEntry).join(Watchlist, Watchlist.id == WatchlistEntry.watchlist_id)
    if name is not None:
        if _watchlist(session, name, None) is None:
            raise NotFound(f"no watchlist named {name!r}; see `palermo watchlist list`")
        query = query.where(Watchlist.name == name)
    per_list: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    expired = names = 0
    for list_name, entry in session.execute(query.execution_options(yield_per=5000)):
        per_list[list_name] += 1
        per_category[entry.category] += 1
        names += len(entry.names or [])
        expired += int(entry.expires_on is not None and entry.expires_on < today)
        fields["birth_date"] += int(entry.birth_date is not None)
        fields["full_birth_date"] += int(entry.birth_date is not None and len(entry.birth_date) == 10)
        fields["nationality"] += int(bool(entry.nationalities))
        fields["sex"] += int(entry.sex is not None)
        fields["document_numbers"] += int(bool(entry.document_numbers))
    total = sum(per_list.values())
    return {
        "entries": total,
        "names": names,
        "expired": expired,
        "per_list": dict(sorted(per_list.items())),
        "per_category": dict(sorted(per_category.items())),
        "with_field": dict(sorted(fields.items())),
    }
