"""Which writing system a name is written in, as an ISO 15924 code (``Latn``, ``Cyrl``, ``Arab``, ``Hani`` ...).

The ingest layer calls :func:`detect_script` for every stored name, so it is cheap: ASCII text answers at once, and
other text costs one Unicode script look-up per distinct character (rigour's ICU4X-backed table, memoised).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rigour.text.scripts import codepoint_script

#: Unicode script names (as rigour reports them) to ISO 15924 four-letter codes.
ISO_15924: dict[str, str] = {
    "Latin": "Latn",
    "Cyrillic": "Cyrl",
    "Greek": "Grek",
    "Arabic": "Arab",
    "Hebrew": "Hebr",
    "Han": "Hani",
    "Hiragana": "Hira",
    "Katakana": "Kana",
    "Hangul": "Hang",
    "Thai": "Thai",
    "Lao": "Laoo",
    "Khmer": "Khmr",
    "Myanmar": "Mymr",
    "Devanagari": "Deva",
    "Bengali": "Beng",
    "Gurmukhi": "Guru",
    "Gujarati": "Gujr",
    "Tamil": "Taml",
    "Telugu": "Telu",
    "Kannada": "Knda",
    "Malayalam": "Mlym",
    "Sinhala": "Sinh",
    "Armenian": "Armn",
    "Georgian": "Geor",
    "Ethiopic": "Ethi",
    "Thaana": "Thaa",
    "Syriac": "Syrc",
    "Tibetan": "Tibt",
    "Mongolian": "Mong",
}

#: Scripts whose transliteration drops most vowels (abjads and abugidas with implicit vowels): names in them are
#: compared with Latin names on their consonant skeleton.
SPARSE_VOWEL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Thai", "Laoo", "Khmr"})


@lru_cache(maxsize=8192)
def _char_script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = codepoint_script(ord(char))
    if name is None or name in ("Common", "Inherited"):
        return None
    return ISO_15924.get(name, name[:4].title())


def detect_script(text: str) -> str | None:
    """The ISO 15924 code of the script most letters of ``text`` are written in; ``None`` when it has no letters.

    Mixed text answers with the majority script (ties go to the script seen first).
    """
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else None
    counts: Counter[str] = Counter()
    for char in text:
        script = _char_script(char)
        if script is not None:
            counts[script] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]
