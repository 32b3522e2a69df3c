"""Identity-aware screening: a traveller whose document belongs to a resolved identity is screened under every
name that identity holds.

Entity resolution (``palermo.resolution``) groups the person records of every source that describe one real person
into an identity: the same man as ``Ivan Petrov`` in a police file and as ``Ioan Petroff`` on a passport. A watchlist
that lists him under the first name misses him when he presents the second passport, unless the booth looks
through the identity. Here:

1. the document presented (from the MRZ, or typed with its state) finds the person records that hold it, and a
   replayed crossing names its record directly;
2. each such record's identity gives the other records of the same person (at most :data:`MAX_RECORDS`);
3. each other record is screened as a traveller of its own (its names, birth date, nationalities, sex), and a
   watchlist entry it hits that the traveller's own names did not is reported as a hit *through the identity*,
   explained by the record, the identity and the link that joined them.

Special-category records (victims, minors) are not looked through: an officer at the booth would learn of them
from the hit's explanation (``docs/screening.md``). A hit through an identity asks at most for ``refer``, or for
``protect`` when its category is protective: resolution is a probability, and the officer checks the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from palermo.db.identities import IdentityLink, IdentityMember
from palermo.db.persons import IdentityDocument, PersonRecord, normalise_document_number
from palermo.errors import InvalidInput
from palermo.screening.person_score import Traveller
from palermo.taxonomies.countries import normalise_country

#: the most records of one identity screened beside the traveller (an identity is a handful of records; a larger
#: one is more likely a resolution error than one person with a hundred records)
MAX_RECORDS = 20


@dataclass(frozen=True)
class IdentityAlias:
    """Another record of the traveller's identity, to be screened as the traveller."""

    identity_id: int
    person_id: int
    via_person_id: int
    via: str  # how the traveller reached the identity, in words
    link_probability: float | None  # of the link between the two records, when resolution joined them directly
    traveller: Traveller

    def explain(self, name: str) -> str:
        link = (
            f"linked with probability {self.link_probability:.2f}"
            if self.link_probability is not None
            else "in the same identity through other records"
        )
        return (
            f"through identity {self.identity_id}: {self.via} belongs to record {self.via_person_id}, "
            f"whose identity also holds record {self.person_id} named {name!r} ({link})"
        )


def _presented(session: Session, numbers: list[str], state: str | None, person_id: int | None) -> dict[int, str]:
    """The records the traveller is, with how the booth knows: record id -> words."""
    found: dict[int, str] = {}
    if person_id is not None:
        found[person_id] = "the recorded crossing"
    country = _country(state)
    if numbers and country:
        plain = [normalise_document_number(n) for n in numbers]
        rows = session.execute(
            select(IdentityDocument.person_id, IdentityDocument.number).where(
                IdentityDocument.issuing_state == country,
                IdentityDocument.number_normalised.in_(plain),
            )
        )
        for holder, number in rows:
            if holder is not None:
                found.setdefault(holder, f"the document {number} ({country}) presented")
    return found


def _country(state: str | None) -> str | None:
    try:
        return normalise_country(state) if state else None
    except InvalidInput:  # the document check reports an unknown state; here it simply finds no record
        return None


def identity_aliases(
    session: Session, traveller: Traveller, *, state: str | None, person_id: int | None
) -> list[IdentityAlias]:
    """The other records of the identities the traveller's document (or recorded crossing) belongs to."""
    presented = _presented(session, traveller.document_numbers, state, person_id)
    if not presented:
        return []
    memberships = dict(
        session.execute(
            select(IdentityMember.person_id, IdentityMember.identity_id).where(
                IdentityMember.person_id.in_(list(presented))
            )
        ).all()
    )
    if not memberships:
        return []
    members = session.execute(
        select(IdentityMember.identity_id, IdentityMember.person_id)
        .where(IdentityMember.identity_id.in_(set(memberships.values())))
        .order_by(IdentityMember.identity_id, IdentityMember.person_id)
    ).all()
    via_of = {identity: holder for holder, identity in memberships.items()}
    others = [(identity, person) for identity, person in members if person not in presented][:MAX_RECORDS]
    if not others:
        return []
    records = {
        r.id: r
        for r in session.scalars(
            select(PersonRecord)
            .where(PersonRecord.id.in_([p for _, p in others]), PersonRecord.sensitivity != "special")
            .options(selectinload(PersonRecord.names), selectinload(PersonRecord.nationalities))
        )
    }
    probabilities = _link_probabilities(session, [(via_of[i], p) for i, p in others])
    aliases = []
    for identity, person in others:
        record = records.get(person)
        if record is None or not record.names:
            continue
        via = via_of[identity]
        aliases.append(
            IdentityAlias(
                identity_id=identity,
                person_id=person,
                via_person_id=via,
                via=presented[via],
                link_probability=probabilities.get(frozenset((via, person))),
                traveller=Traveller(
                    names=[n.full_name for n in record.names],
                    birth_date=record.birth_date,
                    nationalities=[n.country for n in record.nationalities],
                    sex=record.sex,
                ),
            )
        )
    return aliases


def _link_probabilities(session: Session, pairs: list[tuple[int, int]]) -> dict[frozenset[int], float]:
    if not pairs:
        return {}
    conditions = [
        or_(
            (IdentityLink.left_person_id == a) & (IdentityLink.right_person_id == b),
            (IdentityLink.left_person_id == b) & (IdentityLink.right_person_id == a),
        )
        for a, b in pairs
    ]
    rows = session.execute(
        select(IdentityLink.left_person_id, IdentityLink.right_person_id, IdentityLink.match_probability).where(
            or_(*conditions)
        )
    )
    return {frozenset((left, right)): probability for left, right, probability in rows}
