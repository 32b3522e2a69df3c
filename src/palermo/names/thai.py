"""Thai names: romanised as Thai documents romanise them, and compared allowing for the usual spelling differences.

ICU transliterates Thai letter by letter (ISO 11940: ``ใจดี`` -> ``cidi``), while a Thai passport or a list writes the
sound, by the Royal Thai General System (RTGS: ``chaidi``) or the owner's own spelling (``Jaidee``). PyThaiNLP's
``royin`` engine gives the RTGS reading (implicit vowels, final consonants, silent letters); the spellings people
choose differ from RTGS in regular ways, folded here before two parts are compared: aspirates written with or
without ``h`` (``ph``/``p``, ``th``/``t``, ``kh``/``k``), ``ch``/``j``/``sh``, long vowels doubled (``ee``, ``oo``),
``v``/``w``, and a final ``r`` that is said ``n`` (``Siriporn`` / ``siriphon``).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_THAI = re.compile("[\u0e00-\u0e7f]")
_LOCK = threading.Lock()  # the first call loads PyThaiNLP's word list: once, not in every thread at once


def has_thai(text: str) -> bool:
    return _THAI.search(text) is not None


@lru_cache(maxsize=65536)
def romanise(word: str) -> str:
    """The RTGS reading of a Thai word, lower-case ASCII (``ใจดี`` -> ``chaidi``, ``สมชาย`` -> ``somchai``)."""
    with _LOCK:
        from pythainlp.transliterate import romanize

        latin = romanize(word, engine="royin")
    return "".join(c for c in latin.casefold() if c.isascii() and c.isalnum())


_FOLDS: tuple[tuple[str, str], ...] = (
    ("ph", "p"), ("th", "t"), ("kh", "k"), ("sh", "ch"), ("j", "ch"), ("ee", "i"), ("oo", "u"), ("ou", "u"),
    ("ue", "u"), ("v", "w"),
)  # fmt: skip
_FINAL_R = re.compile(r"r(?=[^aeiou]|$)")
_DOUBLED = re.compile(r"(.)\1")


@lru_cache(maxsize=65536)
def thai_folded(key: str) -> str:
    """A romanised Thai name part with the usual differences between RTGS and chosen spellings folded away:
    ``chaidi`` and ``jaidee``, ``siriphon`` and ``siriporn``, ``thongdi`` and ``thongdee`` fold alike."""
    folded = key
    for spelling, fold in _FOLDS:
        folded = folded.replace(spelling, fold)
    return _DOUBLED.sub(r"\1", _FINAL_R.sub("n", folded))
