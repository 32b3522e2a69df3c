"""Names per nationality: Faker's locale lists, native scripts, and the romanisations officers actually meet.

Latin-script nationalities draw from Faker's name lists for their locale. Cyrillic and Greek names come from Faker
in the native script and are romanised by several schemes (``translit``). Arabic, Thai and Chinese names come from
curated tables (``data/names.yaml``) pairing the native spelling with the Latin spellings met in documents.
Draws use the caller's ``random.Random``, never Faker's own generator, so output depends only on the seed.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from palermo.synth.config import load_yaml
from palermo.synth.geography import geography
from palermo.synth.translit import latin_variants, romanise, schemes, strip_diacritics

_SCRIPTS = {"cyrillic": "Cyrl", "greek": "Grek", "arabic": "Arab", "thai": "Thai", "chinese": "Hans"}
_TABLE_OF = {"arabic_latin": "arabic"}
_NATIVE_FIRST_SURNAME = {"chinese", "vietnamese"}


@dataclass(frozen=True, slots=True)
class NamePart:
    native: str
    latin: tuple[str, ...]  # the document spelling first, then other romanisations met


@dataclass(frozen=True, slots=True)
class PersonName:
    given: NamePart
    surname: NamePart
    script: str  # ISO 15924 code of the native script
    surname_first: bool  # the native order puts the surname first

    @property
    def doc_given(self) -> str:
        return self.given.latin[0]

    @property
    def doc_surname(self) -> str:
        return self.surname.latin[0]

    @property
    def native_full(self) -> str | None:
        """The whole name in its native script, when that script is not Latin."""
        if self.script == "Latn":
            return None
        if self.script == "Hans":
            return f"{self.surname.native}{self.given.native}"
        return f"{self.given.native} {self.surname.native}"


def _names_of(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (values.keys() if isinstance(values, dict) else values))


@cache
def faker_lists(locale: str) -> dict[str, tuple[str, ...]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    lists: dict[str, tuple[str, ...]] = {}
    for sex, suffix in (("M", "male"), ("F", "female")):
        lists[f"given:{sex}"] = _names_of(getattr(provider, f"first_names_{suffix}"))
        own = getattr(provider, f"last_names_{suffix}", None)
        lists[f"surname:{sex}"] = _names_of(own if own else provider.last_names)
    return lists


@cache
def _table(name: str) -> dict[str, tuple[NamePart, ...]]:
    raw = load_yaml("names.yaml")[name]
    return {
        key: tuple(NamePart(str(row[0]), tuple(str(v) for v in row[1:])) for row in rows) for key, rows in raw.items()
    }


def from_faker(native: str, style: str) -> NamePart:
    if style in ("cyrillic", "greek"):
        return NamePart(native, tuple(dict.fromkeys(romanise(native, style, s) for s in schemes(style))))
    if style == "vietnamese":
        return NamePart(native, (strip_diacritics(native), native))
    return NamePart(native, latin_variants(native))


def draw_name(rng: random.Random, nationality: str, sex: str) -> PersonName:
    """A name for a person of ``nationality`` and ``sex`` (``M``/``F``), with its romanisations."""
    country = geography().country(nationality)
    style = country.names
    if style in ("faker", "cyrillic", "greek", "vietnamese"):
        lists = faker_lists(country.locale)
        given = from_faker(rng.choice(lists[f"given:{sex}"]), style)
        surname = from_faker(rng.choice(lists[f"surname:{sex}"]), style)
    else:
        table = _table(_TABLE_OF.get(style, style))
        given = rng.choice(table["male" if sex == "M" else "female"])
        surname = rng.choice(table["surname"])
        if style == "albanian":
            given = NamePart(given.native, tuple(dict.fromkeys((given.native, *given.latin))))
            surname = NamePart(surname.native, tuple(dict.fromkeys((surname.native, *surname.latin))))
        if style == "arabic_latin":
            given, surname = NamePart(given.latin[0], given.latin), NamePart(surname.latin[0], surname.latin)
    script = _SCRIPTS.get(style, "Latn")
    return PersonName(given, surname, script, style in _NATIVE_FIRST_SURNAME)


def with_surname(rng: random.Random, name: PersonName, surname: NamePart, nationality: str, sex: str) -> PersonName:
    """A relative's name: a fresh given name, the family's surname (in the sex-specific form where one exists)."""
    own = draw_name(rng, nationality, sex)
    if own.script in ("Cyrl", "Grek") and sex == "F" and surname.native.endswith(("ов", "ев", "ин", "ης", "ος")):
        return own  # Slavic and Greek surnames change with sex; keep the drawn female form
    return PersonName(own.given, surname, name.script, name.surname_first)


def typo(rng: random.Random, text: str) -> str:
    """One data-entry error: a dropped, doubled, swapped or replaced letter."""
    if len(text) < 4:
        return text + text[-1]
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    vowels = "aeiou"
    swap = vowels[(vowels.find(text[i].lower()) + 1) % 5] if text[i].lower() in vowels else "e"
    return text[:i] + swap + text[i + 1 :]
