"""Storing received items: person records in the source ``partner:NAME``, notices in ``partners-CATEGORY``.

Items that passed every check are written in bulk: what is already stored (a record sent again) is read with one
query per table, new rows are inserted with one ``executemany`` per table (names, nationalities and person
search's name keys included, so a received person is found as an ingested one is), and their ids are read back in
one query. Nothing is updated: a record as one source reported it is never overwritten. Should the bulk write fail
(a value the store refuses), each item is written on its own, and the one that fails is refused as
``malformed_item``, the rest stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from palermo.db.engine import in_chunks
from palermo.db.persons import (
    IdentityDocument,
    PersonName,
    PersonNameKey,
    PersonNationality,
    PersonRecord,
    normalise_document_number,
)
from palermo.db.reference import Agency, Source
from palermo.db.sharing import Partner, ReceivedRecord
from palermo.db.watchlists import WATCHLIST_CATEGORIES, Watchlist, WatchlistEntry
from palermo.errors import InvalidInput
from palermo.persons.minors import sensitivity_of
from palermo.persons.name_keys import name_keys
from palermo.sharing import ftm
from palermo.sharing.envelope import Item
from palermo.sharing.handling import RecordHandling, as_received
from palermo.sharing.receipts import RefusedItem
from palermo.sharing.signatures import item_facts

MODELS: dict[str, Any] = {"person_records": PersonRecord, "watchlist_entries": WatchlistEntry}
PRECISION = {4: "year", 7: "month", 10: "day"}


def partner_source(session: Session, partner: Partner) -> Source:
    """The source holding what ``partner`` sent us (one per partner)."""
    name = f"partner:{partner.name}"
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        agency = session.scalars(select(Agency).where(Agency.code == partner.agency_code)).one()
        source = Source(name=name, agency_id=agency.id, description=f"Records shared by partner node {partner.name}")
        session.add(source)
        session.flush()
    return source


@dataclass(frozen=True)
class Ready:
    """One checked item, read and ready to be written."""

    position: int
    item: Item
    table: str
    values: ftm.PersonValues
    stored: RecordHandling  # the terms as this node holds them (distribution never wider)
    signed: dict[str, Any]  # the item as received, to forward untouched
    documents: list[tuple[str, ftm.DocumentParts]]  # a person's documents, each with its entity id

    @property
    def key(self) -> tuple[str, str]:
        return self.table, self.values.entity_id


def prepare(position: int, item: Item) -> Ready:
    """Read an item's entity (:class:`InvalidInput` for one that is not a named FtM ``Person`` or has an unknown
    notice category)."""
    if item.kind == "notice" and item.category not in WATCHLIST_CATEGORIES:
        raise InvalidInput(f"notice category {item.category!r} is not one of {', '.join(WATCHLIST_CATEGORIES)}")
    table = "person_records" if item.kind == "person" else "watchlist_entries"
    values = ftm.person_values(item.entity)
    if item.documents and item.kind != "person":
        raise InvalidInput("only a person item carries documents; a notice names its document numbers itself")
    documents = ftm.document_values(values.entity_id, item.documents)
    facts = as_received(item_facts(item))
    return Ready(position, item, table, values, facts, item.model_dump(mode="json"), documents)


def _ids(session: Session, source: Source, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The ids of the rows of ``source`` with these (table, source key) pairs, where they exist."""
    found: dict[tuple[str, str], int] = {}
    for table, model in MODELS.items():
        wanted = sorted({key for t, key in keys if t == table})
        for chunk in in_chunks(wanted):
            statement = select(model.source_key, model.id).where(
                model.source_id == source.id, model.source_key.in_(chunk)
            )
            found.update(((table, str(key)), int(row_id)) for key, row_id in session.execute(statement))
    return found


def _provenance(ready: Ready, source: Source) -> dict[str, Any]:
    terms, stored = ready.item.handling, ready.stored
    # the originator's signature covers the content and terms exactly: its hash tells one version from another
    digest = hashlib.sha256(ready.item.origin.signature.encode()).hexdigest()[:32]
    return {
        "source_id": source.id,
        "source_key": ready.values.entity_id,
        "originator": stored.originator,
        "handling": stored.handling,
        "handling_note": stored.handling_note,
        "distribution": stored.distribution,
        "sharing_group": stored.sharing_group,
        "source_reliability": terms.source_reliability,
        "information_credibility": terms.information_credibility,
        "sensitivity": stored.sensitivity,
        "review_at": terms.review_at,
        "delete_at": terms.delete_at,
        "row_hash": digest,
    }


def _watchlists(session: Session, categories: set[str]) -> dict[str, int]:
    """The watchlist ``partners-CATEGORY`` of each category, created on first use."""
    found = {}
    for category in sorted(categories):
        name = f"partners-{category}"
        watchlist = session.scalars(select(Watchlist).where(Watchlist.name == name)).first()
        if watchlist is None:
            watchlist = Watchlist(name=name, category=category, description=f"{category} notices shared by partners")
            session.add(watchlist)
            session.flush()
        found[category] = watchlist.id
    return found


def _person_provenance(ready: Ready, source: Source) -> dict[str, Any]:
    """A received person's provenance: a possible minor's copy is special here whatever the originator said."""
    provenance = _provenance(ready, source)
    today = dt.datetime.now(dt.UTC).date()
    provenance["sensitivity"] = sensitivity_of(provenance["sensitivity"], ready.values.birth_date, today)
    return provenance


def _person_row(ready: Ready, source: Source) -> dict[str, Any]:
    values = ready.values
    precision = PRECISION.get(len(values.birth_date or ""))
    return {
        **_person_provenance(ready, source),
        "birth_date": values.birth_date,
        "birth_date_precision": precision,
        "birth_place": None,
        "sex": values.sex,
        "notes": values.notes,
    }


def _notice_row(ready: Ready, source: Source, watchlists: dict[str, int]) -> dict[str, Any]:
    values, category = ready.values, str(ready.item.category)
    return {
        **_provenance(ready, source),
        "watchlist_id": watchlists[category],
        "category": category,
        "names": [{**n, "position": i} for i, n in enumerate(values.names)],
        "birth_date": values.birth_date,
        "other_birth_dates": values.other_birth_dates or None,
        "nationalities": values.nationalities,
        "sex": values.sex,
        "document_numbers": values.document_numbers,
        "reason": values.notes,
    }


def _insert(model: Any) -> Any:
    """A bulk insert into ``model``'s table: one ``executemany`` for rows that all name the same columns (Core, not
    the ORM's bulk insert, which costs more a row and leaves out None values, splitting the batch)."""
    return insert(model.__table__)


def _write(session: Session, source: Source, fresh: list[Ready]) -> dict[tuple[str, str], int]:
    """Insert new records (one statement per table) and their names; their ids."""
    persons = [r for r in fresh if r.table == "person_records"]
    notices = [r for r in fresh if r.table == "watchlist_entries"]
    if persons:
        session.execute(_insert(PersonRecord), [_person_row(r, source) for r in persons])
    if notices:
        watchlists = _watchlists(session, {str(r.item.category) for r in notices})
        session.execute(_insert(WatchlistEntry), [_notice_row(r, source, watchlists) for r in notices])
    ids = _ids(session, source, [r.key for r in fresh])
    names, nationalities, keys = [], [], []
    for ready in persons:
        person_id = ids[ready.key]
        values = ready.values
        names += [{"person_id": person_id, "position": i, **n} for i, n in enumerate(values.names)]
        countries = dict.fromkeys(values.nationalities)
        nationalities += [{"person_id": person_id, "country": c, "position": i} for i, c in enumerate(countries)]
        keys += [{"person_id": person_id, "key": k} for k in name_keys(n["full_name"] for n in values.names)]
    documents = [_document_row(r, source, ids[r.key], eid, d) for r in persons for eid, d in r.documents]
    for model, rows in (
        (PersonName, names),
        (PersonNationality, nationalities),
        (PersonNameKey, keys),
        (IdentityDocument, documents),
    ):
        if rows:
            session.execute(_insert(model), rows)
    return ids


def _document_row(
    ready: Ready, source: Source, person_id: int, eid: str, document: ftm.DocumentParts
) -> dict[str, Any]:
    """A received person's document, under the person's provenance and terms (its own entity id as source key)."""
    return {
        **_person_provenance(ready, source),
        "source_key": eid,
        "person_id": person_id,
        "document_type": document.document_type,
        "number": document.number,
        "number_normalised": normalise_document_number(document.number),
        "issuing_state": document.issuing_state,
        "issue_date": document.issue_date,
        "expiry_date": document.expiry_date,
        "mrz": None,
    }


def _ledger(
    session: Session, ready: list[Ready], ids: dict[tuple[str, str], int], partner: Partner, bundle: str
) -> None:
    """How each stored record arrived (its hop facts and the signed item), unless a row says so already."""
    known: set[tuple[str, int]] = set()
    for table in MODELS:
        record_ids = sorted({ids[r.key] for r in ready if r.table == table and r.key in ids})
        for chunk in in_chunks(record_ids):
            statement = select(ReceivedRecord.record_id).where(
                ReceivedRecord.record_table == table, ReceivedRecord.record_id.in_(chunk)
            )
            known.update((table, int(i)) for i in session.scalars(statement))
    rows = []
    for r in ready:
        if r.key not in ids or (r.table, ids[r.key]) in known:
            continue
        known.add((r.table, ids[r.key]))
        rows.append(
            {
                "record_table": r.table,
                "record_id": ids[r.key],
                "bundle_id": bundle,
                "partner_id": partner.id,
                "hops": r.stored.hops,
                "group_members": sorted(r.stored.group_members),
                "legal_basis": r.item.legal_basis,
                "judicial_restriction": r.stored.handling == "H1",
                "signed_item": r.signed,
            }
        )
    if rows:
        session.execute(_insert(ReceivedRecord), rows)


def store(
    session: Session, partner: Partner, bundle_id: str, ready: list[Ready]
) -> tuple[list[tuple[Ready, int]], list[RefusedItem]]:
    """Write checked items (in bulk); each with the id of its row here, and the items the store refused."""
    source = partner_source(session, partner)
    ids = _ids(session, source, [r.key for r in ready])
    fresh, seen = [], set(ids)
    for r in ready:  # a record sent before is not written again; an entity twice in a bundle is written once
        if r.key not in seen:
            seen.add(r.key)
            fresh.append(r)
    refused: list[RefusedItem] = []
    try:
        with session.begin_nested():
            ids.update(_write(session, source, fresh))
    except DBAPIError:
        for one in fresh:  # find the item the store refuses; keep the others
            try:
                with session.begin_nested():
                    ids.update(_write(session, source, [one]))
            except DBAPIError as exc:
                detail = f"the store refused a value: {str(exc.orig)[:200]}"
                entity_id = one.values.entity_id
                refused.append(
                    RefusedItem(item=one.position, entity_id=entity_id, rule="malformed_item", detail=detail)
                )
    _ledger(session, ready, ids, partner, bundle_id)
    return [(r, ids[r.key]) for r in ready if r.key in ids], refused
