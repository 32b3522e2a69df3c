"""Identity documents: genuine passports and identity cards with valid MRZs, and the forgeries networks use."""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass, replace

from palermo.synth import mrz
from palermo.synth.people import Person

_NUMBER_SPACE = 10_000_000
_NUMBER_STEP = 7919  # coprime with 10**7: counter -> digits is a bijection, so numbers never repeat
_VALIDITY_YEARS = {"passport": 10, "id_card": 10}
EU_ID_CARD_STATES = frozenset({"ITA", "GRC", "BGR", "DEU", "FRA", "ESP", "ROU", "HRV"})


@dataclass(frozen=True, slots=True)
class Document:
    document_id: str
    document_type: str
    number: str
    issuing_state: str
    holder_id: str  # the person whose identity the document carries (the user's own for forged ones)
    surname: str
    given_names: str
    birth_date: dt.date
    sex: str
    nationality: str
    issue_date: dt.date
    expiry_date: dt.date
    mrz: str
    status: str = "genuine"  # genuine, bad_check_digit, altered_stolen, stolen_blank (lookalike: holder != user)
    derived_from: str | None = None


def document_number(rng: random.Random, counter: int) -> str:
    letters = rng.choice(string.ascii_uppercase) + rng.choice(string.ascii_uppercase)
    return f"{letters}{(counter * _NUMBER_STEP + 1234) % _NUMBER_SPACE:07d}"


def make_mrz(doc: Document) -> str:
    return mrz.write(
        doc.document_type,
        number=doc.number,
        issuing_state=doc.issuing_state,
        nationality=doc.nationality,
        surname=doc.surname,
        given_names=doc.given_names,
        birth_date=doc.birth_date,
        sex=doc.sex,
        expiry_date=doc.expiry_date,
    )


def issue(
    rng: random.Random, person: Person, document_type: str, document_id: str, counter: int, reference: dt.date
) -> Document:
    """A genuine document for ``person``, valid on ``reference``, with a correct MRZ."""
    years = _VALIDITY_YEARS[document_type]
    issued = reference - dt.timedelta(days=rng.randrange(60, years * 365 - 400))
    expiry = issued.replace(day=min(issued.day, 28), year=issued.year + years)
    doc = Document(
        document_id=document_id,
        document_type=document_type,
        number=document_number(rng, counter),
        issuing_state=person.nationality,
        holder_id=person.person_id,
        surname=person.name.doc_surname,
        given_names=person.name.doc_given,
        birth_date=person.birth_date,
        sex=person.sex,
        nationality=person.nationality,
        issue_date=issued,
        expiry_date=expiry,
        mrz="",
    )
    return replace(doc, mrz=make_mrz(doc))


def with_bad_check_digit(doc: Document, document_id: str) -> Document:
    """A counterfeit of ``doc``'s kind whose document-number check digit is wrong."""
    return replace(
        doc,
        document_id=document_id,
        status="bad_check_digit",
        mrz=mrz.with_wrong_number_check_digit(doc.mrz, doc.document_type),
    )


def altered_number(rng: random.Random, number: str, *, last: int | None = None) -> str:
    """A stolen document's number with one digit (before ``last``) changed, as forgers do to dodge a lost/stolen
    check."""
    position = rng.randrange(2, last or len(number))
    digit = str((int(number[position]) + rng.randrange(1, 10)) % 10)
    return number[:position] + digit + number[position + 1 :]


def on_stolen_number(doc: Document, document_id: str, number: str, status: str, derived_from: str) -> Document:
    """``doc``'s identity printed on a stolen booklet (``number``), with an MRZ that checks out."""
    forged = replace(doc, document_id=document_id, number=number, status=status, derived_from=derived_from)
    return replace(forged, mrz=make_mrz(forged))


def truth_row(doc: Document, used_by: str, reported: str | None) -> dict[str, object]:
    return {
        "document_id": doc.document_id,
        "document_type": doc.document_type,
        "number": doc.number,
        "issuing_state": doc.issuing_state,
        "holder_person_id": doc.holder_id,
        "used_by_person_id": used_by,
        "status": doc.status,
        "derived_from_number": doc.derived_from,
        "reported": reported,
    }
