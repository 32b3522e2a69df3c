"""The victim-facing forms in the languages of origin: the interview's questions and the consent text.

English is the source text (``templates/victim_forms.html``, each message in ``_()``); every other language is a
gettext catalogue, ``translations/<code>/LC_MESSAGES/victim_forms.po``, kept with Babel (``pybabel extract`` and
``update``: docs/victims.md). The ``.po`` files are read with Babel and compiled in memory at first use, so there is
no ``.mo`` to build, ship or let go stale. The five languages of origin were chosen from the synthetic world's
victim nationalities (docs/victims.md, "Forms in the languages of origin"). The translations are machine-drafted and
need review by a native speaker; their catalogue headers say so.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from palermo.errors import ConfigurationError, InvalidInput

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "victim_forms"


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


def language(code: str) -> Language:
    """The language of ``code``, or an :class:`InvalidInput` naming those offered."""
    found = next((lang for lang in LANGUAGES if lang.code == code), None)
    if found is None:
        offered = ", ".join(f"{lang.code} ({lang.name})" for lang in LANGUAGES)
        raise InvalidInput(f"the forms are in {offered}, not {code!r}", field="lang")
    return found


def catalogue_path(code: str) -> Path:
    return TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of ``code`` read from its ``.po`` and compiled in memory (English: the source text itself)."""
    if language(code).code == "en":
        return gettext.NullTranslations()
    path = catalogue_path(code)
    if not path.is_file():
        raise ConfigurationError(f"the {code} catalogue of the victim forms is missing: {path}")
    with path.open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
