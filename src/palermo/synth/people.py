"""Persons of the synthetic world: identity as it really is (the truth every record is measured against)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from palermo.synth.names import PersonName


@dataclass(slots=True)
class Person:
    person_id: str
    nationality: str
    sex: str
    birth_date: dt.date
    name: PersonName
    role: str = "ordinary"
    exploitation: str | None = None
    unit_id: str = ""
    unit_kind: str = ""
    network_id: str | None = None
    aliases: list[PersonName] = field(default_factory=list)
    phone: str | None = None
    documents: list[object] = field(default_factory=list)  # palermo.synth.documents.Document

    def age_on(self, day: dt.date) -> int:
        before = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before)


def birth_date_for_age(rng: random.Random, reference: dt.date, low: int, high: int) -> dt.date:
    """A birth date for someone aged ``low``..``high`` (inclusive) on ``reference``."""
    age_days = rng.randrange(low * 365 + 1, (high + 1) * 365 - 1)
    return reference - dt.timedelta(days=age_days)


def truth_row(person: Person) -> dict[str, object]:
    return {
        "person_id": person.person_id,
        "nationality": person.nationality,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "given_names": person.name.doc_given,
        "surname": person.name.doc_surname,
        "native_name": person.name.native_full,
        "role": person.role,
        "exploitation": person.exploitation,
        "unit_id": person.unit_id,
        "unit_kind": person.unit_kind,
        "network_id": person.network_id,
    }
