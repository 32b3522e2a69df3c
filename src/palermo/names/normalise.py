"""Normalisation of a raw person name: Unicode form, "Surname, Given" order, titles, tokens, particles.

Every step is table-driven: titles and particles come from the ``name_titles`` and ``name_particles``
taxonomies, tokenisation from rigour (Unicode-category aware: hyphens and punctuation split tokens, combining
marks and apostrophes drop), except for names in scripts whose vowels are combining marks (Devanagari, Bengali,
Tamil, Thai, Myanmar, Khmer ...), which keep them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from rigour.names import remove_person_prefixes, tokenize_name

from palermo.taxonomies import taxonomy


@cache
def particle_forms() -> dict[str, str]:
    """Every particle spelling mapped to its canonical particle (``ibn`` -> ``bin``, ``el`` -> ``al``)."""
    forms: dict[str, str] = {}
    for term in taxonomy("name_particles").terms:
        for variant in term.attributes.get("variants", [term.id]):
            forms[str(variant).casefold()] = term.id
    return forms


@cache
def title_forms() -> frozenset[str]:
    """Spellings of titles dropped from the front of a name (beyond rigour's own prefix list)."""
    forms: set[str] = set()
    for term in taxonomy("name_titles").terms:
        forms.update(str(v).casefold() for v in term.attributes.get("variants", [term.id]))
    return frozenset(forms)


@cache
def _attached_titles() -> re.Pattern[str] | None:
    """The titles written onto a name's first word (``attached`` in ``name_titles``: Thai ``นายสมชาย``), longest
    first, matched only where a letter and another character of the name follow (the title is never the whole name)."""
    forms = {str(f) for term in taxonomy("name_titles").terms for f in term.attributes.get("attached", [])}
    if not forms:
        return None
    return re.compile("^(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")\s*(?=\w\S)")


def strip_attached_title(text: str) -> str:
    """``text`` without a title written onto its first word (``นายสมชาย ใจดี`` -> ``สมชาย ใจดี``, ``น.ส.สุดา``)."""
    pattern = _attached_titles()
    return pattern.sub("", text, count=1) if pattern is not None else text


def reorder_comma(text: str) -> str:
    """``"PUTIN, Vladimir"`` -> ``"Vladimir PUTIN"``: a single comma separates the surname from the given names."""
    if text.count(",") != 1:
        return text.replace(",", " ")
    surname, given = (part.strip() for part in text.split(","))
    if not surname or not given:
        return f"{surname} {given}".strip()
    return f"{given} {surname}"


def strip_titles(tokens: list[str]) -> list[str]:
    """Drop leading title tokens (``president``, ``sheikh``), never the last token of a name."""
    titles = title_forms()
    start = 0
    while start < len(tokens) - 1 and tokens[start] in titles:
        start += 1
    return tokens[start:]


#: a question mark inside a word: a letter a transliteration could not write (``N?Ym J?Fr`` for نعيم جعفر, as
#: rigour's ``ascii_text`` writes ayin and hamza) or an OCR reader could not read. It joins the letters around it;
#: as a separator it cut ``N?Ym`` into the initial ``n`` and ``ym``, and two such initials made ``Jmaes Nichols``
#: score 1.0 against ``N?Ym J?Fr``.
_UNREADABLE_LETTER = re.compile(r"(?<=\w)\?+(?=\w)")


#: an initial written with the two Latin letters of one Cyrillic or Greek letter (``Yu. V. Agafonova`` for ``Ю. В.
#: Агафонова``, ``Zh.`` for ``Ж.``, ``Th.`` for ``Θ.``): the dot says it is an initial, not a name (``Yu`` alone is a
#: Chinese surname)
_TWO_LETTER_INITIAL = re.compile(r"(?<![^\W\d_])(ch|kh|ph|ps|sh|th|ts|ya|ye|yo|yu|zh)\.", re.IGNORECASE)


def abbreviated_initials(text: str) -> frozenset[str]:
    """The casefolded two-letter initials of a cleaned name (``{"yu"}`` for ``Yu. Valerianovich Agafonova``)."""
    return frozenset(m.group(1).casefold() for m in _TWO_LETTER_INITIAL.finditer(text))


def clean_name(text: str) -> str:
    """NFC form, comma order resolved, titles written onto the first word and rigour's honorific prefixes (``Mr.``,
    ``Dr.``) removed, question marks inside words (unreadable letters) dropped."""
    text = _UNREADABLE_LETTER.sub("", unicodedata.normalize("NFC", text).strip())
    text = strip_attached_title(reorder_comma(text))
    stripped = remove_person_prefixes(text).strip()
    return stripped or text


#: letters of the scripts whose vowel signs, viramas and tone marks are combining marks (the Brahmic scripts of South
#: Asia, Thai, Lao, Tibetan, Myanmar, Khmer): rigour's tokeniser drops combining marks (a Latin accent), which there
#: drops vowels and changes consonants (``ใจดี`` became ``ใจด``, ``ហ៊ុន`` ``ហន``, ``மோகன்`` lost its virama)
_MARK_SCRIPTS = re.compile("[\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\uaa7f]")
#: apostrophes join the letters around them, as in rigour's tokeniser
_APOSTROPHES = frozenset("'\u2019\u02bc\u02bb`")


def _words_keeping_marks(text: str) -> list[str]:
    """Words of a name, split at anything but letters, digits and combining marks (format characters such as the
    zero-width joiner drop, as apostrophes do)."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LNM":
            current.append(char)
        elif category == "Cf" or char in _APOSTROPHES:
            continue
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def name_tokens(text: str) -> list[str]:
    """Casefolded tokens of a cleaned name, leading titles removed."""
    folded = text.casefold()
    words = _words_keeping_marks(folded) if _MARK_SCRIPTS.search(folded) else tokenize_name(folded)
    return strip_titles(words)


def canonical_particle(token: str) -> str | None:
    """The canonical particle a token spells, or ``None`` when it is not a particle."""
    return particle_forms().get(token)
