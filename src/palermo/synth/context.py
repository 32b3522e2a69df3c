"""The state a world is generated with: one seeded random generator, counters, the output sink, the unit book."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from palermo.synth import documents as docs
from palermo.synth.config import WorldConfig
from palermo.synth.documents import Document
from palermo.synth.geography import Geography
from palermo.synth.names import PersonName, draw_name
from palermo.synth.people import Person, birth_date_for_age
from palermo.synth.people import truth_row as person_truth
from palermo.synth.phones import mobile_number
from palermo.synth.writers import Sink


@dataclass
class Context:
    rng: random.Random
    config: WorldConfig
    geo: Geography
    sink: Sink
    counters: Counter[str] = field(default_factory=Counter)
    book: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)  # per unit, then cleared
    streets: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.config.reference_date

    @property
    def window_start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.config.window_days)

    def next_id(self, prefix: str, width: int = 8) -> str:
        self.counters[prefix] += 1
        return f"{prefix}-{self.counters[prefix]:0{width}d}"

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def between(self, bounds: tuple[int, int]) -> int:
        return self.rng.randint(bounds[0], bounds[1])

    def weighted(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def name(self, nationality: str, sex: str) -> PersonName:
        return draw_name(self.rng, nationality, sex)

    def person(
        self, unit: tuple[str, str], nationality: str, sex: str, ages: tuple[int, int], role: str = "ordinary"
    ) -> Person:
        """A new person of the world, written to ``truth/persons.csv`` when the unit closes."""
        born = birth_date_for_age(self.rng, self.window_start, ages[0], ages[1])
        person = Person(self.next_id("PRS"), nationality, sex, born, self.name(nationality, sex), role)
        person.unit_id, person.unit_kind = unit
        return person

    def phone(self, country: str) -> str:
        return mobile_number(self.rng, self.geo.country(country).region)

    def issue(self, person: Person, document_type: str = "passport") -> Document:
        self.counters["doc-number"] += 1
        doc = docs.issue(
            self.rng, person, document_type, self.next_id("DOC"), self.counters["doc-number"], self.window_start
        )
        person.documents.append(doc)
        return doc

    def finish_person(self, person: Person, membership_role: str) -> None:
        self.sink.truth("persons", person_truth(person))
        self.sink.truth(
            "memberships", {"unit_id": person.unit_id, "person_id": person.person_id, "role": membership_role}
        )

    def document_truth(self, doc: Document, used_by: str, reported: str | None = None) -> None:
        self.sink.truth("documents", docs.truth_row(doc, used_by, reported))

    def planted(self, pattern: str, category: str, unit_id: str, person_id: str | None, reference: str) -> None:
        row = {"pattern": pattern, "category": category, "unit_id": unit_id, "person_id": person_id}
        self.sink.truth("planted", {**row, "reference": reference})

    def address(self, country: str) -> str:
        """A street address in ``country`` (Faker street names, our own numbers), unique enough to mean a place."""
        streets = self.streets[country]
        number, flat = self.rng.randint(1, 240), self.rng.randint(1, 30)
        cities = _CITIES[country]
        city, postcode = cities[self.rng.randrange(len(cities))]
        return f"{self.rng.choice(streets)} {number}, flat {flat}, {postcode} {city}, {country}"


_CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "ITA": (("Roma", "00185"), ("Milano", "20125"), ("Napoli", "80142"), ("Palermo", "90133"), ("Torino", "10152"),
            ("Latina", "04100"), ("Foggia", "71121"), ("Ragusa", "97100"), ("Bari", "70122"), ("Verona", "37121")),
    "GRC": (("Athina", "10432"), ("Thessaloniki", "54625"), ("Patra", "26221"), ("Irakleio", "71202"),
            ("Larisa", "41222"), ("Volos", "38221")),
    "BGR": (("Sofia", "1000"), ("Plovdiv", "4000"), ("Varna", "9000"), ("Burgas", "8000"), ("Ruse", "7000")),
}  # fmt: skip
