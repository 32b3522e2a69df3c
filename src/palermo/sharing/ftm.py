"""Records as FollowTheMoney entities: person records and watchlist entries out, plain values back in.

A shared person is an FtM ``Person`` (names, aliases, birth date, nationality, gender, document numbers), and its
documents travel beside it as FtM ``Passport``/``Identification`` entities (issuing state, number, dates). The
entity id is derived from the originator and the originator's own keys, so it is stable across hops and is the
``source_key`` of the received copy (imports are idempotent per record too). Countries travel as FtM writes them
(ISO alpha-2, lower case) and come back as Palermo's three-letter codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from palermo.db.persons import PersonRecord
from palermo.db.watchlists import WatchlistEntry
from palermo.errors import InvalidInput
from palermo.names.scripts import detect_script
from palermo.screening.entries import birth_dates
from palermo.taxonomies.countries import normalise_country

GENDERS = {"M": "male", "F": "female", "X": "other"}
SEXES = {v: k for k, v in GENDERS.items()}
NAME_PROPERTY = {"primary": "name", "alias": "alias", "transliteration": "alias", "maiden": "previousName"}


def _model() -> Any:
    """The FollowTheMoney schema model, loaded on first use (it takes half a second to import)."""
    from followthemoney import model

    return model


def entity_id(originator: str, kind: str, source: str, source_key: str) -> str:
    digest = hashlib.sha256(f"{originator}\x1f{kind}\x1f{source}\x1f{source_key}".encode()).hexdigest()
    return f"plm-{digest[:32]}"


def _country_alpha2(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2.lower() if found else code.lower()


def _add_names(proxy: Any, names: list[tuple[str, str, str | None, str | None]]) -> None:
    for kind, full, given, surname in names:
        proxy.add(NAME_PROPERTY.get(kind, "alias"), full)
        if kind == "primary":
            proxy.add("firstName", given)
            proxy.add("lastName", surname)


@dataclass(frozen=True)
class PersonParts:
    """What a person record's entity is built from, as read for many records at once (``outgoing``)."""

    names: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)  # kind, full, given, surname
    nationalities: list[str] = field(default_factory=list)  # Palermo's three-letter codes
    documents: list[DocumentParts] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentParts:
    """A document a shared person holds, as it travels beside the person (FtM ``Passport`` or ``Identification``)."""

    document_type: str
    number: str
    issuing_state: str  # Palermo's three-letter code
    issue_date: dt.date | None = None
    expiry_date: dt.date | None = None


def person_entity(record: PersonRecord, parts: PersonParts, *, eid: str) -> dict[str, Any]:
    proxy = _model().make_entity("Person")
    proxy.id = eid
    _add_names(proxy, parts.names)
    proxy.add("birthDate", record.birth_date)
    proxy.add("birthPlace", record.birth_place)
    proxy.add("gender", GENDERS.get(record.sex or ""))
    for nationality in parts.nationalities:
        proxy.add("nationality", _country_alpha2(nationality))
    for document in parts.documents:
        proxy.add("passportNumber" if document.document_type == "passport" else "idNumber", document.number)
    result: dict[str, Any] = proxy.to_dict()
    return result


def document_entities(parts: PersonParts, *, holder: str) -> list[dict[str, Any]]:
    """The person's documents as FtM ``Passport``/``Identification`` entities held by ``holder``: the number alone
    (the ``Person``'s ``passportNumber``) does not say which state issued it, which a receiver needs to check it."""
    entities = []
    for document in parts.documents:  # written as FtM writes them: our own values are clean (receivers check them)
        key = f"{holder}\x1f{document.issuing_state}\x1f{document.document_type}\x1f{document.number}"
        values = {
            "holder": holder,
            "number": document.number,
            "type": document.document_type,
            "country": _country_alpha2(document.issuing_state),
            "startDate": document.issue_date.isoformat() if document.issue_date else None,
            "endDate": document.expiry_date.isoformat() if document.expiry_date else None,
        }
        entities.append(
            {
                "id": f"plm-doc-{hashlib.sha256(key.encode()).hexdigest()[:32]}",
                "schema": "Passport" if document.document_type == "passport" else "Identification",
                "properties": {name: [value] for name, value in values.items() if value},
            }
        )
    return entities


def document_values(holder: str, entities: list[dict[str, Any]]) -> list[tuple[str, DocumentParts]]:
    """Read the documents that travel with person ``holder``, each with its entity id (:class:`InvalidInput` for one
    that is not an FtM ``Identification`` of this holder with a number, a known issuing state and valid dates)."""
    found = []
    for position, data in enumerate(entities):
        try:
            proxy = _model().get_proxy(data)
        except Exception as exc:  # followthemoney raises several types for malformed entities
            raise InvalidInput(f"document {position}: not a FollowTheMoney entity: {exc}") from None
        if not proxy.schema.is_a("Identification") or not proxy.id:
            raise InvalidInput(f"document {position}: expected an FtM Identification or Passport with an id")
        if proxy.get("holder") != [holder]:
            raise InvalidInput(f"document {position}: held by {proxy.get('holder')}, not by the person {holder}")
        number, country = proxy.first("number"), proxy.first("country")
        if not number or not country or len(number) > 64:
            raise InvalidInput(f"document {position}: a number (at most 64 characters) and an issuing state are needed")
        try:
            issued, expires = (_date(proxy.first(p)) for p in ("startDate", "endDate"))
            state = normalise_country(country)
        except (InvalidInput, ValueError) as exc:
            raise InvalidInput(f"document {position}: {exc}") from None
        kind = "passport" if proxy.schema.name == "Passport" else (proxy.first("type") or "id_card")
        found.append((proxy.id, DocumentParts(kind[:32], number, state, issued, expires)))
    return found


def _date(value: str | None) -> dt.date | None:
    """A full date (an FtM date may be a year or a month: those are left out rather than guessed)."""
    return dt.date.fromisoformat(value[:10]) if value and len(value) >= 10 else None


def notice_entity(entry: WatchlistEntry, *, eid: str) -> dict[str, Any]:
    proxy = _model().make_entity("Person")
    proxy.id = eid
    # loaded lists store {"name", "kind"}, notices received from partners {"full_name", "kind", ...}
    names: list[tuple[str, str, str | None, str | None]] = [
        (str(n.get("kind", "alias")), str(full), n.get("given_names"), n.get("surname"))
        for n in entry.names
        if (full := n.get("full_name") or n.get("name"))
    ]
    _add_names(proxy, names)
    for date in [entry.birth_date, *(entry.other_birth_dates or [])]:
        proxy.add("birthDate", date)
    proxy.add("gender", GENDERS.get(entry.sex or ""))
    for nationality in entry.nationalities:
        proxy.add("nationality", _country_alpha2(nationality))
    for number in entry.document_numbers:
        proxy.add("idNumber", number)
    proxy.add("notes", entry.reason)
    result: dict[str, Any] = proxy.to_dict()
    return result


@dataclass(frozen=True)
class PersonValues:
    """What Palermo stores from a received ``Person`` entity."""

    entity_id: str
    names: list[dict[str, Any]]
    birth_date: str | None
    sex: str | None
    nationalities: list[str]
    document_numbers: list[str]
    notes: str | None
    other_birth_dates: list[str]  # an entity may give several; ``birth_date`` is the most precise


def _name(kind: str, full: str, given: str | None = None, surname: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "script": detect_script(full), "full_name": full, "given_names": given, "surname": surname}


def person_values(data: dict[str, Any]) -> PersonValues:
    """Read a received entity; :class:`InvalidInput` when it is not a named FtM ``Person``."""
    try:
        proxy = _model().get_proxy(data)
    except Exception as exc:  # followthemoney raises several types for malformed entities
        raise InvalidInput(f"not a FollowTheMoney entity: {exc}") from None
    if proxy.schema.name != "Person" or not proxy.id or not proxy.get("name"):
        raise InvalidInput(f"expected a named FtM Person entity with an id, got schema {proxy.schema.name!r}")
    first, last = proxy.first("firstName"), proxy.first("lastName")
    names = [_name("primary", proxy.get("name")[0], first, last)]
    names += [_name("alias", alias) for alias in [*proxy.get("name")[1:], *proxy.get("alias")]]
    names += [_name("maiden", previous) for previous in proxy.get("previousName")]
    try:
        dates = birth_dates([d[:10] for d in proxy.get("birthDate")])  # a time, if any, does not count
    except InvalidInput as exc:
        raise InvalidInput(f"entity {proxy.id}: {exc.message}") from None
    return PersonValues(
        entity_id=proxy.id,
        names=names,
        birth_date=dates[0] if dates else None,
        other_birth_dates=dates[1:],
        sex=SEXES.get(proxy.first("gender") or ""),
        nationalities=[normalise_country(c) for c in proxy.get("nationality")],
        document_numbers=[*proxy.get("passportNumber"), *proxy.get("idNumber")],
        notes=proxy.first("notes"),
    )
