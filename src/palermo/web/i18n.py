"""The languages of the victim-facing forms (the consent's "informed in" offers them): English and five languages
of origin chosen from the synthetic world's victim nationalities (docs/victims.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English, for the caseworker
    native: str  # in the language itself, for the person
    direction: str = "ltr"


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("ro", "Romanian", "Română"),
    Language("ar", "Arabic", "العربية", "rtl"),
    Language("bg", "Bulgarian", "Български"),
    Language("sq", "Albanian", "Shqip"),
    Language("es", "Spanish", "Español"),
)
