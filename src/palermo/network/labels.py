"""What to call a node: an identity or a person record by a name its records give, an organisation by its name, a
shared thing by its value. Special-category records lend their names only to actors who may see them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.entities import Organisation
from palermo.db.identities import IdentityMember
from palermo.db.persons import PersonName, PersonRecord
from palermo.network.graph import node_kind

CHUNK = 500


def _ids(keys: Iterable[str], kind: str) -> list[int]:
    return sorted({int(k.split(":", 1)[1]) for k in keys if node_kind(k) == kind})


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _person_names(session: Session, person_ids: list[int], include_special: bool) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in _chunks(person_ids):
        query = (
            select(PersonName.person_id, PersonName.full_name)
            .join(PersonRecord, PersonRecord.id == PersonName.person_id)
            .where(PersonName.person_id.in_(chunk))
            .order_by(PersonName.person_id, PersonName.position)
        )
        if not include_special:
            query = query.where(PersonRecord.sensitivity == "ordinary")
        for person_id, name in session.execute(query):
            names.setdefault(person_id, name)
    return names


def labels(session: Session, keys: Iterable[str], *, include_special: bool) -> dict[str, str]:
    """A label for every key of ``keys`` (the key itself where no visible record names it)."""
    keys = list(keys)
    found: dict[str, str] = {}
    identities = _ids(keys, "identity")
    members: dict[int, list[int]] = {}
    for chunk in _chunks(identities):
        rows = session.execute(
            select(IdentityMember.identity_id, IdentityMember.person_id).where(IdentityMember.identity_id.in_(chunk))
        )
        for identity, person in rows:
            members.setdefault(identity, []).append(person)
    persons = _ids(keys, "person")
    names = _person_names(session, sorted({*persons, *(p for ps in members.values() for p in ps)}), include_special)
    for identity, people in members.items():
        named = [names[p] for p in sorted(people) if p in names]
        if named:
            found[f"identity:{identity}"] = named[0]
    for person in persons:
        if person in names:
            found[f"person:{person}"] = names[person]
    for chunk in _chunks(_ids(keys, "organisation")):
        query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(chunk))
        if not include_special:
            query = query.where(Organisation.sensitivity == "ordinary")
        for org_id, name in session.execute(query):
            found[f"organisation:{org_id}"] = name
    for key in keys:
        if key not in found:
            kind = node_kind(key)
            found[key] = key if kind in {"identity", "person", "organisation"} else key.split(":", 1)[1]
    return found
