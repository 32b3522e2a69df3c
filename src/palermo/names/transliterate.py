"""Transliteration of name tokens to comparable Latin keys, and the keys derived from them.

Alphabets rigour admits (Latin, Cyrillic, Greek, Armenian, Georgian, Hangul) get rigour's own spellings
(``Шевченко`` -> ``shevchenko``); everything else (Arabic, Hebrew, Han, Thai, Devanagari ...) goes through ICU's
``Any-Latin`` via rigour's :func:`~rigour.text.translit.ascii_text`. Diacritics drop (``Dũng`` -> ``dung``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.text.phonetics import metaphone
from rigour.text.translit import ascii_text

from palermo.names.hangul import has_hangul, romanise
from palermo.names.khmer import has_khmer
from palermo.names.khmer import romanise as khmer_romanise
from palermo.names.thai import has_thai
from palermo.names.thai import romanise as thai_romanise

_VOWELS = frozenset("aeiouyw")


@lru_cache(maxsize=65536)
def ascii_key(token: str) -> str:
    """Lower-case ASCII letters and digits of a token's transliteration, spaces kept between syllables."""
    if has_hangul(token):  # passports' Revised Romanization, not rigour's letter-by-letter (박: bak, not bag)
        return " ".join(filter(None, (romanise(word) for word in token.split())))
    if has_khmer(token):  # ICU has no Khmer transliteration: Any-Latin returned it unchanged (an empty key)
        return " ".join(filter(None, (khmer_romanise(word) for word in token.split())))
    if has_thai(token):  # RTGS (the sound), not ICU's letter-by-letter ISO 11940 (ใจดี: chaidi, not cidi)
        return " ".join(filter(None, (thai_romanise(word) for word in token.split())))
    latin = ascii_text(token).casefold()
    words, keys = token.split(), latin.split()
    if _SCHWA_SCRIPTS.search(token) and len(words) == len(keys):  # word by word, or not at all: never drop a word
        latin = " ".join(_without_final_schwa(word, key) for word, key in zip(words, keys, strict=True))
    return " ".join("".join(c for c in word if c.isalnum()) for word in latin.split()).strip()


#: Devanagari, Bengali, Gurmukhi, Gujarati and Oriya: ICU writes every consonant's inherent vowel, but a name's last
#: one is not said, nor written in Latin (``विकास`` is Vikas, not ``vikasa``; ``ਕੌਰ`` Kaur, not ``kaura``)
_SCHWA_SCRIPTS = re.compile("[\u0900-\u0b7f]")
_NUKTA = frozenset("\u093c\u09bc\u0a3c\u0abc\u0b3c")
#: the last word of the Unicode name of an independent vowel letter (``DEVANAGARI LETTER AA``), not a consonant's
_VOWEL_NAMES = frozenset({"A", "AA", "I", "II", "U", "UU", "E", "EE", "AI", "O", "OO", "AU", "R", "RR", "L", "LL"})


def _without_final_schwa(word: str, key: str) -> str:
    """``key`` without its last ``a`` when ``word`` ends in a consonant letter (no vowel sign, virama or mark after
    it but a nukta)."""
    last = word.rstrip("".join(_NUKTA))[-1:]
    if not key.endswith("a") or len(key) < 3 or not last or unicodedata.category(last) != "Lo":
        return key
    name = unicodedata.name(last, "")
    if "LETTER" not in name or name.rsplit(" ", 1)[-1] in _VOWEL_NAMES:
        return key
    return key[:-1]


#: a name part in each script ICU transliterates for us: its first use compiles that script's rules (Han alone takes
#: 0.1-0.2 s), which a process should pay before its first traveller, not during
SCRIPT_SAMPLES = (
    "محمد",  # Arabic
    "דוד",  # Hebrew
    "王伟",  # Han
    "たなか",  # Hiragana
    "タナカ",  # Katakana
    "สมชาย",  # Thai
    "राजेश",  # Devanagari
    "রহিম",  # Bengali
    "ਸਿੰਘ",  # Gurmukhi
    "தமிழ்",  # Tamil
    "ስለሺ",  # Ethiopic
    "ᠪᠠᠲᠤ",  # Mongolian
    "ܝܘܚܢܢ",  # Syriac
    "Ԥ",  # Cyrillic supplement
)


def warm() -> None:
    """Compile ICU's transliteration of every script in :data:`SCRIPT_SAMPLES` and load the Thai word list
    (server start-up)."""
    for sample in SCRIPT_SAMPLES:
        ascii_text(sample)
    thai_romanise("สมชาย")


def join_syllables(key: str) -> str:
    """One token from a syllable-spaced transliteration (``"bei la ke"`` -> ``"beilake"``)."""
    return key.replace(" ", "")


def han_name_keys(key: str) -> list[str]:
    """A Chinese name written without spaces, as Pinyin convention writes it: surname, then given name joined.

    ``"xi jin ping"`` -> ``["xi", "jinping"]``; a single syllable stays one token.
    """
    syllables = key.split()
    if len(syllables) < 2:
        return [join_syllables(key)]
    return [syllables[0], "".join(syllables[1:])]


#: consonants Arabic script writes with another letter (it has no p or v): folded when skeletons are compared
_ARABIC_WRITES = str.maketrans({"p": "b", "v": "f"})


def arabic_folded(skeleton_key: str) -> str:
    """A consonant skeleton as Arabic script can write it (p as b, v as f): ``فلادمير بوتن`` is ``fldmr btn``, and
    so, folded, is ``Vladimir Putin``. For comparing skeletons; stored keys keep the plain skeleton."""
    return skeleton_key.translate(_ARABIC_WRITES)


def skeleton(key: str) -> str:
    """Consonant skeleton: vowels and semi-vowels dropped, doubled letters collapsed (``mohammed`` -> ``mhmd``).

    Arabic and Hebrew write few vowels, so ``محمد`` transliterates to ``mhmd``; the skeleton lets it meet
    ``Mohammed`` and ``Muhammad``.
    """
    out: list[str] = []
    for char in key:
        if char in _VOWELS or not char.isalnum():
            continue
        if out and out[-1] == char:
            continue
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=65536)
def phonetic_key(key: str) -> str:
    """Metaphone code of an ASCII key (rigour's implementation); empty for keys with digits or no letters."""
    if not key.isalpha():
        return ""
    return metaphone(key)
